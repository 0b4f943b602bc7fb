"""The regimes' shortcuts answer as the definitions they replace (differential tests).

Each shortcut of the regimes phase (indexes, memos, a combined dedupe and sort) is checked
against the plain definition on every example and regime fixture.
"""

from __future__ import annotations

import fnmatch
import random
from pathlib import Path

import pytest

from dataflow.api import load
from dataflow.check import _dedupe_sorted, _pattern, check
from dataflow.regimes import gdpr, pipl, us_doj
from dataflow.regimes.base import Finding, transfers_for
from dataflow.resolve import ResolvedModel
from dataflow.transfers import REGIME_AREAS, analyse

ROOT = Path(__file__).resolve().parents[2]
MODELS = sorted([*(p for p in (ROOT / "examples").iterdir() if p.is_dir()),
                 *(Path(__file__).parent / "fixtures").glob("*.yaml")])


def _load(path: Path) -> ResolvedModel:
    return load(path)


@pytest.fixture(scope="module", params=MODELS, ids=lambda p: p.name)
def model(request: pytest.FixtureRequest) -> ResolvedModel:
    return _load(request.param)


def test_claims_index_is_claims(model: ResolvedModel) -> None:
    index = pipl._claims_index(model)
    for t in transfers_for(analyse(model), "CN"):
        assert index.get(t.exit_edge.object_id, []) == pipl._claims(model, t)


def test_in_area_memo_is_catalogue(model: ResolvedModel) -> None:
    cat = model.catalogue
    places = {j for s in model.systems.values() for j in s.jurisdictions}
    places |= {model.entity_jurisdiction(e) for e in model.entities}
    for j in sorted(places):
        for area in (*REGIME_AREAS, "US", "HK"):
            try:
                want = cat.in_area(j, area)
            except ValueError:
                with pytest.raises(ValueError):
                    gdpr.in_area(model, j, area)
                continue
            assert gdpr.in_area(model, j, area) is want
            assert gdpr.in_area(model, j, area) is want  # answered from the memo


def test_coverage_splits_into_entity_and_places(model: ResolvedModel) -> None:
    """us_doj.supplementary decides coverage as (the entity alone) or (a place in a country
    of concern)."""
    cc = model.catalogue.doj_countries_of_concern
    place_sets = [(), ("US",), ("CN",), ("HK", "SG"), ("RU", "unknown"), ("DE", "MO")]
    for eid in sorted(model.entities):
        alone = us_doj.covered_person(model, eid, (), cc).covered
        for places in place_sets:
            assert us_doj.covered_person(model, eid, places, cc).covered == (
                alone or any(p in cc for p in places))


def test_finding_path_is_the_path(model: ResolvedModel) -> None:
    analysis = analyse(model)
    for t in [*analysis.transfers, *analysis.possible]:
        got = gdpr.finding_path(model, t)
        assert got == list(t.path)
        assert gdpr.finding_path(model, t) is got


def _reference_order(findings: list[Finding]) -> list[Finding]:
    """check's former dedupe (first of equal (id, message)) then sort."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for f in findings:
        if (f.id, f.message) not in seen:
            seen.add((f.id, f.message))
            kept.append(f)
    order = {"error": 0, "warning": 1}
    return sorted(kept, key=lambda f: (order.get(f.severity, 2), f.id, f.message))


def test_dedupe_sorted_is_dedupe_then_sort(model: ResolvedModel) -> None:
    findings = list(check(model, analyse(model)).findings)
    rng = random.Random(7)
    mixed = findings + rng.sample(findings, len(findings) // 2)  # duplicates, any order
    mixed += [Finding("X1", "info", "same id, other message", None, object_id="o"),
              Finding("X1", "info", "same id, other message", None, object_id="o"),
              Finding("X1", "error", "a", None, object_id="o")]
    rng.shuffle(mixed)
    got = _dedupe_sorted(mixed, [f.id for f in mixed])
    assert [id(f) for f in got] == [id(f) for f in _reference_order(mixed)]


@pytest.mark.parametrize("pattern", ["PIPL100/*", "PIPL1?0/CN/*", "*", "DOJ[0-9]*/x",
                                     "GDPR100/EEA/acme/[!a]*", "a.b(c)+", "PIPL200/app",
                                     "[", "x[]]y", "\\*"])
def test_waiver_pattern_is_fnmatchcase(pattern: str) -> None:
    names = ["PIPL100/CN/acme/f1", "PIPL120/CN/x", "DOJ206/x", "DOJ2x/x", "a.b(c)+",
             "GDPR100/EEA/acme/b1", "GDPR100/EEA/acme/a1", "PIPL200/app", "[", "x]y", "x]]y",
             "\\*", "*", "", "pipl100/cn/acme/f1"]
    match = _pattern(pattern)
    for name in names:
        assert (match(name) is not None) == fnmatch.fnmatchcase(name, pattern), name


def test_transfer_finding_is_keyword_finding() -> None:
    from dataflow.check import _transfer_finding
    from dataflow.regimes.pipl import CIT_PIPL38

    path = ["a", "b"]
    got = _transfer_finding("PIPL110", "m", CIT_PIPL38, "CN/x/f1", path, "pipl", "h")
    assert got == Finding("PIPL110", "error", "m", CIT_PIPL38, transfer="CN/x/f1", path=path,
                          regime="pipl", hint="h")
