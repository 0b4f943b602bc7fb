"""outputs.md "Not transfers": the same entity's employee travelling is not a GDPR transfer —
also when the system is run by the controller's processor (docs/regimes.md GDPR rows); another
EEA entity's staff abroad is a [U] point (warning with the alternative). US -> HK health data of
10,001 US persons: above the 10,000 bulk threshold ("more than"), vendor agreement -> restricted
(regulatory.md §5 DOJ row; HK is a country of concern)."""

from __future__ import annotations

from .helpers import assessment, by_id, check, finding_ids, run, scenario, transfers, warning_codes

NAME = "eea-staff-doj"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_gdpr_outcomes() -> None:
    _rc, doc = check(NAME)
    # the controller's own staff on its processor's system: not a transfer (listed, not assessed)
    assert not [a for a in doc["assessments"] if a["transfer"] == "EEA/ie-co/own-staff-us"]
    assert "GDPR205/own-staff-us" in finding_ids(doc)
    sis = assessment(doc, "EEA/ie-co/sister-staff-us", "gdpr")
    assert (sis["required"], sis["status"]) == (["none"], "not-required")
    assert "GDPR-U-STAFF-ABROAD" in warning_codes(sis)
    alt = next(w for w in sis["warnings"] if w["code"] == "GDPR-U-STAFF-ABROAD")["alternative"]
    assert "gdpr.scc" in alt
    assert "GDPR207/EEA/ie-co/sister-staff-us" in finding_ids(doc)


def test_own_staff_on_processor_system_is_not_a_transfer() -> None:
    doc = transfers(NAME)
    assert "EEA/ie-co/own-staff-us" not in by_id(doc)
    assert ("EEA", "own-staff-us") in {(n["area"], n["edge"]) for n in doc["not_transfers"]}


def test_doj_restricted_vendor_to_hong_kong() -> None:
    ts = by_id(transfers(NAME, "--area", "US"))
    assert sorted(ts) == ["US/us-clinic/us-to-hk"]
    assert ts["US/us-clinic/us-to-hk"]["individuals"]["total"] == 10001
    rc, doc = check(NAME)
    assert rc == 1
    a = assessment(doc, "US/us-clinic/us-to-hk", "us-doj-dsp")
    assert a["required"] == ["us-doj-dsp.cisa-security-requirements"]
    assert "DOJ100/US/us-clinic/us-to-hk" in finding_ids(doc)
