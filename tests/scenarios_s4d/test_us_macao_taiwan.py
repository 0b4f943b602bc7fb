"""Macao and Taiwan for the US rules (regulatory.md §5): the DOJ Data Security Program's
countries of concern are 'China (incl. HK and Macao)', so 10,001 US patients' health data
(> 10,000, 'more than') sent to a Macao vendor is a restricted vendor agreement, while Taiwan is
not a country of concern; PADFA names China, and whether Macao counts as China is [U] (PADFA201
with the alternative); Taiwan is outside PADFA. A broker's 5,000 people are below the DOJ health
threshold."""

from __future__ import annotations

from .helpers import assessment, check, finding_ids, run, scenario, warning_codes

NAME = "us-macao-taiwan"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_macao_vendor_is_a_restricted_transaction() -> None:
    _rc, doc = check(NAME)
    a = assessment(doc, "US/us-health/to-mo", "us-doj-dsp")
    assert a["required"] == ["us-doj-dsp.cisa-security-requirements"]
    assert [d["id"] for d in a["duties"]] == ["us-doj-dsp.compliance-program"]
    assert "DOJ100/US/us-health/to-mo" in finding_ids(doc)


def test_taiwan_is_not_a_country_of_concern_nor_a_padfa_country() -> None:
    _rc, doc = check(NAME)
    tids = {a["transfer"] for a in doc["assessments"]}
    assert not {"US/us-health/to-tw", "US/us-broker/sell-tw"} & tids
    assert not [i for i in finding_ids(doc) if "to-tw" in i or "sell-tw" in i]


def test_padfa_macao_is_a_u_point() -> None:
    _rc, doc = check(NAME)
    a = assessment(doc, "US/us-broker/sell-mo", "us-padfa")
    assert (a["required"], a["status"]) == ([], "blocked")
    assert "PADFA-U-HKMO" in warning_codes(a)
    ids = finding_ids(doc)
    assert {"PADFA200/US/us-broker/sell-mo", "PADFA201/US/us-broker/sell-mo"} <= set(ids)
    doj = assessment(doc, "US/us-broker/sell-mo", "us-doj-dsp")
    assert (doj["required"], doj["status"]) == (["none"], "not-required")
