"""Declared PIPL mechanisms that are not actually in force (regulatory.md §2.5 Art. 9: a security
assessment is valid 3 years from issuance; §2.8 / SCC Measures Art. 7: the standard contract is
filed with the provincial CAC within 10 working days of taking effect): the lapsed assessment is
PIPL102, the unfiled contract PIPL105, the late filing PIPL106. UK adequacy for EU exports runs
to 27 Dec 2031 (§3.2)."""

from __future__ import annotations

from .helpers import assessment, check, cli, finding_ids, run, scenario

NAME = "safeguard-dates"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_uk_adequacy_until_2031() -> None:
    _rc, doc = check(NAME)
    assert assessment(doc, "EEA/de/x4", "gdpr")["required"] == ["gdpr.adequacy"]
    out = cli("check", scenario(NAME), "--as-of", "2032-01-05", "--format", "json")
    assert assessment(out.json(), "EEA/de/x4", "gdpr")["required"] == ["gdpr.scc"]


def test_declared_mechanisms_are_matched() -> None:
    _rc, doc = check(NAME)
    assert assessment(doc, "CN/a1/x1", "pipl")["declared"] == ["sc-unfiled"]
    assert assessment(doc, "CN/a2/x2", "pipl")["required"] == ["pipl.security-assessment"]


def test_security_assessment_older_than_three_years_has_lapsed() -> None:
    rc, doc = check(NAME)
    assert rc == 1
    assert "PIPL102/CN/a2/x2" in finding_ids(doc)


def test_unfiled_standard_contract_is_a_finding() -> None:
    _rc, doc = check(NAME)
    assert any(i.endswith("/CN/a1/x1") and not i.startswith("PIPL110") for i in finding_ids(doc))


def test_late_filing_is_flagged() -> None:
    _rc, doc = check(NAME)
    assert any(i.endswith("/CN/a3/x3") for i in finding_ids(doc))
