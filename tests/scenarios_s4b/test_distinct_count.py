"""Distinct individuals, never a sum (regulatory.md §2.6: "a person sent to two recipients counts
once" [U]; regimes.md PIPL-U-DISTINCT).

``cd`` (Chengdu) sends the same 60,000 travellers to a HK agent and a JP agent. By hand: distinct
N = 60,000 < 100,000 → both exports Art. 5(4) exempt; summed per recipient 120,000 → standard
contract. The [U] reading decides both outcomes, so both assessments carry PIPL-U-DISTINCT with
that alternative and the exporter gets PIPL207 (contrast test_remote_count.py)."""

from __future__ import annotations

from .helpers import assessment, check, exporter_row, finding_ids, warning_codes

NAME = "distinct-count"


def test_same_people_to_two_recipients_count_once_with_the_alternative_shown() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    row = exporter_row(doc, "cd")
    assert (row["ordinary"], row["tier"]) == (60_000, "exempt")
    for tid in ("CN/cd/to-hk", "CN/cd/to-jp"):
        a = assessment(doc, tid, "pipl")
        assert a["required"] == ["pipl.exempt"], tid
        assert "PIPL-U-DISTINCT" in warning_codes(a), tid
        alt = next(w["alternative"] for w in a["warnings"] if w["code"] == "PIPL-U-DISTINCT")
        assert "120,000" in alt and "standard-contract" in alt
    assert "PIPL207/cd" in finding_ids(doc)
