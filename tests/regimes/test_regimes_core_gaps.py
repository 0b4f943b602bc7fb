"""Bugs and gaps found in core modules this package does not own. Each test states the
expected behaviour and is marked xfail(strict=True): it starts failing the day the core is fixed,
so the marker can be removed (the first one has been fixed). The fixtures' comments give the
details."""

from __future__ import annotations

from pathlib import Path

from dataflow.api import load, validate_model
from dataflow.check import check
from dataflow.transfers import analyse

FIXTURES = Path(__file__).parent / "fixtures"


def test_round_trip_without_upstream_source_keeps_the_export():
    """Was a core bug (transfers.py origination: a category travelling both ways between two
    systems with no upstream source was never originated); fixed in transfers.py run() by
    originating declared pairs that nothing brought after propagation. Kept as a regression
    test."""
    m = load(FIXTURES / "core-roundtrip-no-source.yaml")
    res = check(m, analyse(m))
    ask = next(a for a in res.assessments if a.regime == "gdpr")
    assert ask.transfer.id == "EEA/tulip/ask" and "round-trip" in ask.transfer.flags
    assert ask.mechanism_details["gdpr.scc"]["module"] == 2


def test_scc_signed_by_the_sender_satisfies_module_3():
    m = load(FIXTURES / "core-sender-signs.yaml")
    res = check(m, analyse(m))
    a = next(x for x in res.assessments if x.regime == "gdpr")
    assert a.status == "ok" and a.declared == ["scc-m3"]


def test_fallback_scc_next_to_adequacy_is_not_unused():
    m = load(FIXTURES / "core-fallback-scc.yaml")
    res = check(m, analyse(m))
    assert not [f for f in res.findings if f.code == "CHK001"]


def test_uk_bcr_derogation_and_tra_ids_are_accepted():
    v = validate_model(FIXTURES / "core-uk-ids.yaml")
    assert v.ok, [d.message for d in v.diagnostics if d.severity == "error"]


def test_access_grant_without_cohorts_adds_no_cohortless_token():
    m = load(FIXTURES / "core-access-cohortless.yaml")
    an = analyse(m)
    t = an.by_id("US/usco/beijing-support")
    assert t is not None
    assert all(tok.cohort is not None for tok in t.tokens)
    assert not [d for d in an.diagnostics if d.code == "DF314"]
