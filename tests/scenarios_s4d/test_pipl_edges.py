"""PIPL boundaries not covered by earlier rounds (regulatory.md §0, §2.2, §2.3, §2.5 Arts 5(4),
7-9, §2.6, §2.9, §2.10).

- Macao and Taiwan are outside the mainland (§0 "Mainland", §2.2): Beijing shops exporting to
  a Macao partner (500 people) and a Taipei partner (99,999 people: one below 10万人以上, so
  Art. 5(4) still exempts);
- minors under 14 (PIPL Art. 28): the flag is inherited by a sub-cohort (model-format
  "cohorts"), 10,000 pupils' e-mail addresses are 1万人以上 sensitive PI -> security assessment;
  9,999 -> standard contract or certification (Art. 8), guardian consent (Art. 31);
- counting from 1 January of the current year (§2.5 Art. 7/8): a flow running since March 2025
  counts its 100,000 people in 2026 from 1 January;
- separate consent (Art. 39; Art. 13 para. 2 [U]): required on a consent basis; dropped with a
  PIPL-U-CONSENT warning on a contract-necessity basis;
- certification as the alternative to the contract (§2.9), lapsing 3 years after issuance, and
  its re-application 6 months before expiry; the security assessment's 3-year validity (Art. 9);
- the Mainland-Macao GBA contract (§2.10), whose onward-transfer limits are only assumed
  parallel to the Hong Kong version [U]."""

from __future__ import annotations

import pytest

from .helpers import assessment, check, exporter_row, finding_ids, run, scenario, warning_codes

NAME = "pipl-edges"


def _check() -> dict:
    _rc, doc = check(NAME, "--area", "CN")
    return doc


def _duty_missing(doc: dict, tid: str, duty: str) -> bool:
    """A PIPL110 finding on the transfer for that duty (the id suffix is not pinned)."""
    return any(f["code"] == "PIPL110" and f["transfer"] == tid and f"duty {duty} " in f["message"]
               for f in doc["findings"])


def _duty_ids(a: dict) -> set[str]:
    return {d["id"] for d in a["duties"]}


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


@pytest.mark.parametrize(("tid", "jurisdiction"), [
    ("CN/moshop/to-macao", "MO"),
    ("CN/twshop/to-taiwan", "TW"),
])
def test_macao_and_taiwan_are_exports(tid: str, jurisdiction: str) -> None:
    doc = transfers_cn()
    t = doc[tid]
    assert t["recipient"]["jurisdiction"] == jurisdiction
    a = assessment(_check(), tid, "pipl")
    scope = next(s for s in a["trace"] if s["step"] == "0. scope")
    assert scope["result"] == "export"


def transfers_cn() -> dict:
    from .helpers import by_id, transfers
    return by_id(transfers(NAME, "--area", "CN"))


def test_99999_ordinary_is_art_5_4_exempt() -> None:
    doc = _check()
    row = exporter_row(doc, "twshop")
    assert (row["ordinary"], row["sensitive"], row["tier"]) == (99_999, 0, "exempt")
    a = assessment(doc, "CN/twshop/to-taiwan", "pipl")
    assert a["required"] == ["pipl.exempt"]
    assert a["exemption"] == "art5-4"
    assert "Art. 5(4)" in a["basis"]
    # exempt is not "no obligations" (Provisions Art. 10)
    assert {"pipl.notice", "pipl.pipia"} <= _duty_ids(a)


def test_10000_minors_via_subcohort_is_security_assessment() -> None:
    doc = _check()
    row = exporter_row(doc, "kidsco")
    assert (row["sensitive"], row["tier"]) == (10_000, "security-assessment")
    a = assessment(doc, "CN/kidsco/kids-abroad", "pipl")
    assert a["required"] == ["pipl.security-assessment"]
    assert "pipl.guardian-consent" in _duty_ids(a)
    assert "PIPL100/CN/kidsco/kids-abroad" in finding_ids(doc)
    cit = {(c["instrument"], c["article"]) for c in a["citations"]}
    assert any("CAC Order No. 16" in i and art == "Art. 7" for i, art in cit)
    assert all(c["as_of"] == "2026-11-26" for c in a["citations"])


def test_9999_minors_is_contract_or_certification() -> None:
    doc = _check()
    row = exporter_row(doc, "kids2")
    assert (row["sensitive"], row["tier"]) == (9_999, "standard-contract")
    a = assessment(doc, "CN/kids2/kids2-abroad", "pipl")
    assert a["required"] == ["pipl.standard-contract", "pipl.certification"]
    assert _duty_missing(doc, "CN/kids2/kids2-abroad", "pipl.guardian-consent")


def test_flow_started_last_year_counts_from_1_january() -> None:
    doc = _check()
    row = exporter_row(doc, "spanco")
    assert (row["ordinary"], row["tier"], row["tier_crossed_on"]) == (
        100_000, "standard-contract", "2026-01-01")


def test_separate_consent_on_a_consent_basis_without_warning() -> None:
    doc = _check()
    a = assessment(doc, "CN/consentco/c-out", "pipl")
    assert "pipl.separate-consent" in _duty_ids(a)
    assert "PIPL-U-CONSENT" not in warning_codes(a)
    assert _duty_missing(doc, "CN/consentco/c-out", "pipl.separate-consent")


def test_contract_necessity_drops_separate_consent_with_a_u_warning() -> None:
    doc = _check()
    a = assessment(doc, "CN/ordco/o-out", "pipl")
    assert "pipl.separate-consent" not in _duty_ids(a)
    assert "PIPL-U-CONSENT" in warning_codes(a)
    w = next(w for w in a["warnings"] if w["code"] == "PIPL-U-CONSENT")
    assert "Art. 13" in w["citation"] and w["alternative"]
    assert not _duty_missing(doc, "CN/ordco/o-out", "pipl.separate-consent")


def test_sensitive_pi_on_contract_necessity_is_not_asked_separate_consent() -> None:
    doc = _check()
    a = assessment(doc, "CN/contractco/k-out", "pipl")
    assert "PIPL-U-CONSENT" in warning_codes(a)
    assert not _duty_missing(doc, "CN/contractco/k-out", "pipl.separate-consent")


def test_valid_certification_satisfies_the_contract_tier() -> None:
    doc = _check()
    a = assessment(doc, "CN/certco/cert-out", "pipl")
    assert a["required"] == ["pipl.standard-contract", "pipl.certification"]
    assert a["mechanism_details"]["pipl.certification"] == {
        "reapply_months_before_expiry": 6, "validity_years": 3}
    ids = finding_ids(doc)
    assert not [i for i in ids if i.startswith(("PIPL100/CN/certco", "PIPL101/CN/certco",
                                                "PIPL102/CN/certco"))]


def test_certification_lapses_three_years_after_issuance() -> None:
    doc = _check()
    assert "PIPL102/CN/oldcert/oc-out" in finding_ids(doc)


def test_security_assessment_expiring_within_90_days_is_pipl103() -> None:
    doc = _check()
    f = next(f for f in doc["findings"] if f["id"] == "PIPL103/CN/saco/sa-out")
    assert f["severity"] == "warning"
    assert "2026-11-16" in f["message"]
    assert "PIPL100/CN/saco/sa-out" not in finding_ids(doc)
    assert exporter_row(doc, "saco")["tier"] == "security-assessment"


def test_certification_past_its_reapplication_date_is_warned() -> None:
    doc = _check()
    assert "PIPL103/CN/certsoon/cs-out" in finding_ids(doc)


def test_zhuhai_to_macao_is_offered_the_gba_contract() -> None:
    doc = _check()
    a = assessment(doc, "CN/zhco/zh-to-macao", "pipl")
    assert a["required"] == ["pipl.standard-contract", "pipl.certification", "pipl.gba-contract"]
    assert a["mechanism_details"]["pipl.gba-contract"]["volume_cap"] is None


def test_gba_contract_for_macao_cites_the_mainland_macao_instrument() -> None:
    a = assessment(_check(), "CN/zhco/zh-to-macao", "pipl")
    assert any("Macao" in c["instrument"] or "澳门" in c["instrument"] for c in a["citations"])


def test_macao_recipient_passing_data_outside_the_gba_loses_the_gba_contract() -> None:
    a = assessment(_check(), "CN/zhco2/zh2-to-macao", "pipl")
    assert a["required"] == ["pipl.standard-contract", "pipl.certification"]


def test_macao_onward_limit_is_a_u_warning() -> None:
    a = assessment(_check(), "CN/zhco2/zh2-to-macao", "pipl")
    assert "PIPL-U-GBA" in warning_codes(a)


def test_exactly_at_a_threshold_the_art_1259_reading_is_a_u_warning() -> None:
    a = assessment(_check(), "CN/spanco/span-out", "pipl")
    assert a["warnings"], "no interpretation warning at exactly 100,000"


def test_certification_is_not_available_at_the_security_assessment_tier() -> None:
    # regulatory.md §2.9: certification only below the SA tiers (< 10,000 sensitive)
    doc = _check()
    assert exporter_row(doc, "bigcert")["tier"] == "security-assessment"
    assert "PIPL101/CN/bigcert/bc-out" in finding_ids(doc)
