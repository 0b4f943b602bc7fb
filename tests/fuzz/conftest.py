"""Fuzz-suite reporting: how often each known (xfail-tracked) bug was hit in this run."""

from __future__ import annotations

from typing import Any


def pytest_terminal_summary(terminalreporter: Any) -> None:
    from .support import KNOWN_BUG_HITS, KNOWN_BUGS

    if not KNOWN_BUG_HITS:
        return
    terminalreporter.section("fuzz: known bugs hit (tolerated; see their xfail tests)")
    by_name = {b.name: b for b in KNOWN_BUGS}
    for name, n in sorted(KNOWN_BUG_HITS.items()):
        terminalreporter.write_line(f"{name}: {n} case(s) -> {by_name[name].test}")
