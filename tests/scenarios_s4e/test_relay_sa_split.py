"""Security-assessment tier reached through sensitive PI, and the [U] split (regulatory.md §2.5
Art. 7; §2.6 tier mapping: "[U] once the exporter reaches the security-assessment tier ...
default: the security assessment covers all its non-exempt PI exports of that year; warn that a
split is arguable, and show the split outcome"; docs/regimes.md PIPL-U-SA-SPLIT, `--split-sa`).

A clinic's assistant sends 50,000 patients' health details through its entrusted relay to a US
model (S=50,000 >= 10,000: security assessment) and all 250,000 patients' ordinary prompts to a
Japanese model (alone: N=250,000, the standard-contract tier)."""

from __future__ import annotations

from .helpers import assessment, check, exporter_row, run, scenario, warning_codes

NAME = "relay-sa-split"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_security_assessment_covers_every_export_by_default() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    row = exporter_row(doc, "clinic")
    assert (row["ordinary"], row["sensitive"], row["tier"]) == (250_000, 50_000,
                                                                "security-assessment")
    assert assessment(doc, "CN/clinic/health-to-us", "pipl")["required"] == [
        "pipl.security-assessment"]
    jp = assessment(doc, "CN/clinic/prompts-to-jp", "pipl")
    assert jp["required"] == ["pipl.security-assessment"]
    assert "PIPL-U-SA-SPLIT" in warning_codes(jp)
    assert "PIPL-U-SA-SPLIT" not in warning_codes(assessment(doc, "CN/clinic/health-to-us", "pipl"))


def test_split_reading_puts_the_ordinary_export_on_a_contract() -> None:
    _rc, doc = check(NAME, "--area", "CN", "--split-sa")
    assert assessment(doc, "CN/clinic/prompts-to-jp", "pipl")["required"] == [
        "pipl.standard-contract", "pipl.certification"]
    assert assessment(doc, "CN/clinic/health-to-us", "pipl")["required"] == [
        "pipl.security-assessment"]
