"""Important data, core data and a CIIO exporter (regulatory.md §2.4, §2.5 Arts 2, 5 last para., 7).

carco (non-CIIO, 500 drivers) exports catalogue important data to its German parent under an
Art. 5(1) claim, and drivers' phone numbers; gridco is a notified CIIO exporting 50 customers'
phone numbers and core data; shopco exports important data only."""

from __future__ import annotations

import pytest

from .helpers import assessment, check, exporter_row, finding_ids, run, scenario

NAME = "important-ciio"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_important_data_needs_a_security_assessment_and_no_exemption_covers_it() -> None:
    rc, doc = check(NAME, "--area", "CN")
    assert rc == 1
    a = assessment(doc, "CN/carco/maps-to-de", "pipl")
    assert a["required"] == ["pipl.security-assessment"]
    assert "PIPL203/CN/carco/maps-to-de" in finding_ids(doc)
    assert assessment(doc, "CN/shopco/shop-to-us", "pipl")["required"] == \
        ["pipl.security-assessment"]


def test_ordinary_pi_under_100000_of_a_non_ciio_stays_exempt_beside_important_data() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    a = assessment(doc, "CN/carco/phones-to-de", "pipl")
    assert a["required"] == ["pipl.exempt"]


def test_a_ciio_needs_a_security_assessment_for_any_pi() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    a = assessment(doc, "CN/gridco/grid-to-us", "pipl")
    assert a["required"] == ["pipl.security-assessment"]
    row = exporter_row(doc, "gridco")
    assert row["tier"] == "security-assessment" and row["ciio"] is True
    assert row["ordinary"] == 50


def test_core_data_leaving_is_an_error() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    assert "PIPL204/CN/gridco/core-to-us" in finding_ids(doc)


def test_core_data_is_never_reported_as_exempt_or_not_required() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    a = assessment(doc, "CN/gridco/core-to-us", "pipl")
    assert a["status"] != "not-required"
    assert a["required"] != ["pipl.exempt"]


def test_exporter_row_of_an_important_data_exporter_is_security_assessment() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    assert exporter_row(doc, "carco")["tier"] == "security-assessment"


@pytest.mark.parametrize("exporter", ["carco", "shopco"])
def test_security_assessment_pack_says_a_declaration_is_due_for_important_data(
        exporter: str, tmp_path) -> None:
    out = run("report", scenario(NAME), "-t", "pipl-security-assessment", "--format", "md",
              "-o", str(tmp_path))
    assert out.rc == 0, out.stderr
    doc = (tmp_path / f"pipl-security-assessment_{exporter}.md").read_text()
    assert "重要数据" in doc
    assert "无需申报" not in doc
