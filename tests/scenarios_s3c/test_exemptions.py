"""Path-level PIPL exemptions (regulatory.md §2.5 Arts 3, 4, 5(1), 5(3), 6; §2.6 step 4-5).

bpo re-exports Japanese customers' data it received from Japan (Art. 4); mixco does the same
but mixes in 200,000 domestic customers (Art. 4 lost); travel sends hotel bookings (Art. 5(1));
a hospital sends 20,000 patients' records to a HK clinic in emergencies (Art. 5(3)); an insurer
registered in the Lingang FTZ cedes to a UK reinsurer (Art. 6); plainco makes the same claim
without being registered in an FTZ, and an Art. 3 claim on personal information."""

from __future__ import annotations

import pytest

from .helpers import assessment, check, exporter_row, finding_ids, run, scenario, warning_codes

NAME = "exemptions"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


@pytest.mark.parametrize(("tid", "exemption"), [
    ("CN/bpo/bpo-back", "art4"),
    ("CN/travel/to-hotel", "art5-1"),
    ("CN/hospital/to-er", "art5-3"),
    ("CN/ftzco/cede", "art6"),
])
def test_valid_claims_exempt_the_transfer(tid: str, exemption: str) -> None:
    _rc, doc = check(NAME, "--area", "CN")
    a = assessment(doc, tid, "pipl")
    assert a["required"] == ["pipl.exempt"]
    assert a["status"] == "exempt"
    assert a["exemption"] == exemption
    # Provisions Art. 10: notice and PIPIA remain owed on an exempt export
    assert {"pipl.notice", "pipl.pipia"} <= {d["id"] for d in a["duties"]}
    # [U] exempt transfers not counted: a visible warning with the alternative
    assert "PIPL-U-EXEMPT-COUNT" in warning_codes(a)


def test_exempt_counts_stay_out_of_the_tiers_with_the_alternative_shown() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    row = exporter_row(doc, "hospital")
    assert (row["ordinary"], row["sensitive"], row["tier"]) == (0, 0, "exempt")
    # counted, 20,000 sensitive >= 10,000 (以上) would be the security-assessment tier
    assert row["tier_if_exempt_counted"] == "security-assessment"
    assert "PIPL207/hospital" in finding_ids(doc)


def test_art4_is_lost_when_domestic_pi_is_mixed_in() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    a = assessment(doc, "CN/mixco/mix-back", "pipl")
    assert a["required"] == ["pipl.standard-contract", "pipl.certification"]
    assert "PIPL202/CN/mixco/mix-back" in finding_ids(doc)
    assert exporter_row(doc, "mixco")["tier"] == "standard-contract"


def test_claims_that_do_not_hold_are_rejected_and_exactly_100000_is_the_contract_tier() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    a = assessment(doc, "CN/plainco/plain-cede", "pipl")
    assert a["required"] == ["pipl.standard-contract", "pipl.certification"]
    steps = {s["step"]: s["result"] for s in a["trace"]}
    assert steps["4. Art. 6 claim"] == "rejected"
    assert steps["4. Art. 3 claim"] == "rejected"
    row = exporter_row(doc, "plainco")
    assert (row["ordinary"], row["tier"]) == (100_000, "standard-contract")


def test_finding_ids_are_unique() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    ids = finding_ids(doc)
    assert len(ids) == len(set(ids))
    # two rejected claims on one transfer: each finding names its exemption
    plain = [i for i in ids if i.startswith("PIPL202/CN/plainco/plain-cede")]
    assert len(plain) == 2 and all("#" in i for i in plain), plain
