"""Shared test options: golden files change only on purpose, never in CI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite golden files instead of comparing against them")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--update-golden") and os.environ.get("CI"):
        raise pytest.UsageError("--update-golden is refused in CI: goldens change only on purpose")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def compare_golden(path: Path, actual: str | bytes, update: bool) -> None:
    """Assert ``actual`` equals the golden file at ``path`` (or rewrite it with --update-golden)."""
    data = actual.encode("utf-8") if isinstance(actual, str) else actual
    if update or not path.exists():
        if not update and os.environ.get("CI"):
            raise AssertionError(f"golden file {path} is missing")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        if not update:
            pytest.fail(f"golden file {path} was missing and has been written; rerun")
        return
    expected = path.read_bytes()
    assert data == expected, f"{path} differs from the output (run pytest --update-golden " \
                             "if the change is intended)"
