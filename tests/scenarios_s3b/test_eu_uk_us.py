"""EU -> UK -> US chain and UK transfer tools (regulatory.md §3.2, §3.7): NL -> UK is adequate
(to 27 Dec 2031) with the onward recipients listed; UK -> US under the UK Extension to the DPF is
a [U] warning; UK staff payroll data to a DPF-certified (non-HR) US processor needs the IDTA or
the Addendum plus a TRA and an Art. 28 contract; an Addendum attached to the wrong EU SCC module
is UKGDPR211."""

from __future__ import annotations

from .helpers import assessment, by_id, check, run, scenario, transfers, warning_codes

NAME = "eu-uk-us"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_transfers() -> None:
    ts = by_id(transfers(NAME))
    assert sorted(ts) == ["EEA/nl-ins/nl-to-uk", "UK/uk-claims/hr-to-payroll",
                          "UK/uk-claims/uk-to-in", "UK/uk-claims/uk-to-us"]
    assert sorted(o["entity"] for o in ts["EEA/nl-ins/nl-to-uk"]["onward"]) == \
        ["in-proc", "us-analytics", "us-sub"]
    assert ts["UK/uk-claims/hr-to-payroll"]["individuals"]["total"] == 600


def test_eu_to_uk_is_adequate_with_onward_info() -> None:
    _rc, doc = check(NAME)
    a = assessment(doc, "EEA/nl-ins/nl-to-uk", "gdpr")
    assert (a["required"], a["status"]) == (["gdpr.adequacy"], "ok")
    assert "GDPR203/EEA/nl-ins/nl-to-uk" in {f["id"] for f in doc["findings"]}


def test_uk_extension_to_the_dpf_is_a_u_point() -> None:
    _rc, doc = check(NAME)
    a = assessment(doc, "UK/uk-claims/uk-to-us", "uk-gdpr")
    assert a["required"] == ["uk-gdpr.adequacy"]
    assert "UKGDPR-U-DPF-UK-EXTENSION" in warning_codes(a)
    assert "UKGDPR201/UK/uk-claims/uk-to-us" in {f["id"] for f in doc["findings"]}


def test_hr_data_to_a_non_hr_dpf_importer_needs_idta_or_addendum() -> None:
    _rc, doc = check(NAME)
    a = assessment(doc, "UK/uk-claims/hr-to-payroll", "uk-gdpr")
    assert a["required"] == ["uk-gdpr.idta", "uk-gdpr.addendum"]
    assert a["declared"] == ["idta-payroll"]
    assert {(d["id"], d["declared"]) for d in a["duties"]} == {("gdpr.tia", True),
                                                                ("gdpr.dpa", False)}
    ids = {f["id"] for f in doc["findings"]}
    assert {"UKGDPR208/UK/uk-claims/hr-to-payroll", "UKGDPR110/UK/uk-claims/hr-to-payroll",
            "UKGDPR202/UK/uk-claims/hr-to-payroll"} <= ids


def test_addendum_with_the_wrong_module() -> None:
    _rc, doc = check(NAME)
    a = assessment(doc, "UK/uk-claims/uk-to-in", "uk-gdpr")
    assert a["mechanism_details"]["uk-gdpr.addendum"]["eu_scc_module"] == 2
    assert "UKGDPR211/UK/uk-claims/uk-to-in" in {f["id"] for f in doc["findings"]}
