"""Adequacy, destination by destination, for an EU and a UK exporter (regulatory.md §3.2, §3.7):
the Art. 45 list incl. Brazil (2026), the EPO, the UK to 2031, Crown dependencies, Faroe Islands,
Andorra; Canada not for a public authority; Singapore and the UAE not adequate; DPF only with an
active certification already in force; the UK data bridges (EEA, Korea, Japan, Switzerland...),
Brazil and India not."""

from __future__ import annotations

from .helpers import assessment, check, run, scenario, transfers, warning_codes

NAME = "adequacy-grid"

EU_ADEQUATE = ["ad", "ar", "br", "ca", "ch", "epo", "fo", "gb", "gg", "il", "im", "je", "jp", "kr",
               "nz", "us-dpf", "uy"]
EU_NOT = ["ae", "ca-gov", "sg", "us-dpf-future"]
UK_ADEQUATE = ["ca", "ch", "de", "gg", "il", "is", "jp", "kr", "nz", "us-dpf"]
UK_NOT = ["br", "in"]


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_intra_eea_is_not_a_transfer() -> None:
    ids = {t["id"] for t in transfers(NAME)["transfers"]}
    assert "EEA/de-co/de-to-no" not in ids
    assert len([i for i in ids if i.startswith("EEA/")]) == len(EU_ADEQUATE) + len(EU_NOT)


def test_eu_adequacy() -> None:
    _rc, doc = check(NAME, "--area", "EEA")
    for d in EU_ADEQUATE:
        a = assessment(doc, f"EEA/de-co/de-to-{d}", "gdpr")
        assert (d, a["required"], a["status"]) == (d, ["gdpr.adequacy"], "ok")
    for d in EU_NOT:
        assert assessment(doc, f"EEA/de-co/de-to-{d}", "gdpr")["required"] == ["gdpr.scc"], d
    assert "GDPR-U-DPF-CHALLENGE" in warning_codes(assessment(doc, "EEA/de-co/de-to-us-dpf", "gdpr"))


def test_uk_data_bridges() -> None:
    _rc, doc = check(NAME, "--area", "UK")
    for d in UK_ADEQUATE:
        a = assessment(doc, f"UK/uk-co/uk-to-{d}", "uk-gdpr")
        assert (d, a["required"]) == (d, ["uk-gdpr.adequacy"])
    for d in UK_NOT:
        assert assessment(doc, f"UK/uk-co/uk-to-{d}", "uk-gdpr")["required"] == \
            ["uk-gdpr.idta", "uk-gdpr.addendum"], d
