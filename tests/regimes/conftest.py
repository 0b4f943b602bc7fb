"""Shared helpers for the regime tests: load a fixture model, run the gate, look things up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from dataflow.api import load
from dataflow.check import CheckResult, check
from dataflow.regimes.base import Assessment, Finding
from dataflow.transfers import analyse

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Run:
    result: CheckResult

    def a(self, regime: str, transfer: str) -> Assessment:
        hits = [x for x in self.result.assessments
                if x.regime == regime and x.transfer.id == transfer]
        assert hits, (f"no {regime} assessment for {transfer}; have: "
                      f"{sorted((x.regime, x.transfer.id) for x in self.result.assessments)}")
        assert len(hits) == 1
        return hits[0]

    def has(self, regime: str, transfer: str) -> bool:
        return any(x.regime == regime and x.transfer.id == transfer
                   for x in self.result.assessments)

    def regime(self, regime: str) -> list[Assessment]:
        return [x for x in self.result.assessments if x.regime == regime]

    def ids(self) -> set[str]:
        return {f.id for f in self.result.findings}

    def f(self, fid: str) -> Finding:
        hits = [f for f in self.result.findings if f.id == fid]
        assert hits, f"no finding {fid}; have: {sorted(self.ids())}"
        return hits[0]

    def codes(self, transfer: str | None = None) -> set[str]:
        return {f.code for f in self.result.findings
                if transfer is None or f.transfer == transfer}


def run_fixture(name: str, as_of: dt.date | None = None) -> Run:
    model = load(FIXTURES / f"{name}.yaml", as_of=as_of)
    return Run(check(model, analyse(model)))


@pytest.fixture(scope="module")
def fixture_run() -> Callable[..., Run]:
    cache: dict[tuple[str, dt.date | None], Run] = {}

    def get(name: str, as_of: dt.date | None = None) -> Run:
        key = (name, as_of)
        if key not in cache:
            cache[key] = run_fixture(name, as_of)
        return cache[key]

    return get
