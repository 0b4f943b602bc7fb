"""CIIO exemptions, minors, GBA limits and the 以上 boundaries (regulatory.md §0, §2.5 Arts 5,
7, 8; §2.6 steps 3-5 and 'Mapping the exporter's tier'; §2.10).

A CIIO bank's remittances under Art. 5(1) (exempt even for a CIIO); a Shenzhen CIIO and a
Shenzhen clinic at the security-assessment tier sending to Hong Kong (GBA contract not offered:
a [U] point that must be a visible warning); 500 pupils under 14 (all their PI sensitive);
exporters at 9,999 / 10,000 sensitive and 999,999 / 1,000,000 ordinary individuals."""

from __future__ import annotations

import pytest

from .helpers import assessment, check, exporter_row, run, scenario, warning_codes

NAME = "ciio-boundaries"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_a_ciio_may_rely_on_art5_1() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    a = assessment(doc, "CN/bank/remit-out", "pipl")
    assert (a["required"], a["status"], a["exemption"]) == (["pipl.exempt"], "exempt", "art5-1")


def test_a_ciio_without_exemption_needs_a_security_assessment_for_10_people() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    assert assessment(doc, "CN/sz-ciio/sz-out", "pipl")["required"] == \
        ["pipl.security-assessment"]
    assert exporter_row(doc, "sz-ciio")["tier"] == "security-assessment"


def test_minors_under_14_make_every_item_sensitive() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    row = exporter_row(doc, "edu")
    assert (row["ordinary"], row["sensitive"], row["tier"]) == (500, 500, "standard-contract")
    a = assessment(doc, "CN/edu/edu-out", "pipl")
    assert a["required"] == ["pipl.standard-contract", "pipl.certification"]
    assert "pipl.guardian-consent" in {d["id"] for d in a["duties"]}


@pytest.mark.parametrize(("exporter", "tid", "tier"), [
    ("s9999", "CN/s9999/f9", "standard-contract"),          # 不满1万 sensitive
    ("s10000", "CN/s10000/f10", "security-assessment"),      # 1万人以上 includes 10,000
    ("n999999", "CN/n999999/fn9", "standard-contract"),
    ("n1000000", "CN/n1000000/fn10", "security-assessment"),  # 100万人以上 includes 1,000,000
])
def test_yishang_boundaries(exporter: str, tid: str, tier: str) -> None:
    _rc, doc = check(NAME, "--area", "CN")
    assert exporter_row(doc, exporter)["tier"] == tier
    want = (["pipl.security-assessment"] if tier == "security-assessment"
            else ["pipl.standard-contract", "pipl.certification"])
    assert assessment(doc, tid, "pipl")["required"] == want


@pytest.mark.parametrize("tid", ["CN/sz-ciio/sz-out", "CN/sz-clinic/szc-out"])
def test_gba_contract_not_offered_at_sa_tier_is_a_visible_u_warning(tid: str) -> None:
    _rc, doc = check(NAME, "--area", "CN")
    a = assessment(doc, tid, "pipl")
    assert a["required"] == ["pipl.security-assessment"]
    assert "PIPL-U-GBA" in warning_codes(a)
