"""A small model factory for PIPL rule fixtures: one Chinese exporter, one overseas recipient."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from dataflow.api import load
from dataflow.check import CheckResult, check

BASE: dict[str, Any] = {
    "model": {"name": "PIPL fixture", "evaluation_date": "2026-10-01"},
    "entities": {
        "exporter": {"name": "Exporter (Shanghai) Co., Ltd.", "jurisdiction": "CN",
                     "province": "CN-SH"},
        "vendor": {"name": "Vendor Inc.", "jurisdiction": "US"},
    },
    "systems": {
        "app": {"operator": "exporter", "location": "CN-SH", "kind": "service"},
        "crm": {"operator": "vendor", "location": "aws:us-east-1", "kind": "saas"},
    },
    "categories": {
        "customer.contact": {"name": "Contact details", "personal": True},
        "customer.health": {"name": "Health", "personal": True, "sensitive": True},
        "customer.stats": {"name": "Aggregate statistics", "personal": False},
    },
    "cohorts": {"customers": {"count": 100_000, "residence": "CN", "relationship": "customer"}},
    "flows": {
        "to-crm": {"from": "app", "to": "crm", "categories": ["customer.contact"],
                   "cohorts": ["customers"], "recipient_role": "processor"},
    },
}


def write_model(tmp_path: Path, patch: Callable[[dict[str, Any]], None] | None = None) -> Path:
    data = copy.deepcopy(BASE)
    if patch is not None:
        patch(data)
    path = tmp_path / "model.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def run_check(tmp_path: Path) -> Callable[..., CheckResult]:
    def run(patch: Callable[[dict[str, Any]], None] | None = None) -> CheckResult:
        return check(load(write_model(tmp_path, patch)))
    return run


def pipl(result: CheckResult, transfer: str | None = None) -> Any:
    rows = [a for a in result.assessments if a.regime == "pipl"
            and (transfer is None or a.transfer.id == transfer)]
    assert len(rows) == 1, [a.transfer.id for a in rows]
    return rows[0]


def codes(result: CheckResult) -> set[str]:
    return {f.code for f in result.findings}
