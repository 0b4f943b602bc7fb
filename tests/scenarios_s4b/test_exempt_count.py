"""Where "do exempt flows count toward the tiers?" decides another export's outcome
(regulatory.md §2.6 counting [U]: default exclude exempt flows and warn with the tier that would
result; regimes.md PIPL-U-EXEMPT-COUNT, ``--count-exempt``).

``xm`` (Xiamen) sends 60,000 travellers' bookings to Tokyo hotels (Art. 5(1) contract necessity,
claimed) and 50,000 other customers' contact data to a US ad platform.

By hand: default N = 50,000 (the exempt bookings left out) → ``to-ads`` is Art. 5(4) exempt.
Counted, N = 110,000 → ``to-ads`` needs a standard contract or certification, while ``to-hotel``
stays exempt under Art. 5(1) either way. The reading decides ``to-ads``'s outcome, so
``to-ads``'s assessment must carry PIPL-U-EXEMPT-COUNT; ``--count-exempt`` adopts it."""

from __future__ import annotations

from .helpers import assessment, check, exporter_row, finding_ids, warning_codes

NAME = "exempt-count"


def test_default_leaves_the_exempt_bookings_out() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    row = exporter_row(doc, "xm")
    assert (row["ordinary"], row["tier"], row["tier_if_exempt_counted"]) == (
        50_000, "exempt", "standard-contract")
    ads = assessment(doc, "CN/xm/to-ads", "pipl")
    assert (ads["required"], ads["exemption"]) == (["pipl.exempt"], "art5-4")
    hotel = assessment(doc, "CN/xm/to-hotel", "pipl")
    assert (hotel["required"], hotel["exemption"]) == (["pipl.exempt"], "art5-1")
    assert "PIPL207/xm" in finding_ids(doc)


def test_count_exempt_adopts_the_alternative() -> None:
    _rc, doc = check(NAME, "--area", "CN", "--count-exempt")
    assert exporter_row(doc, "xm")["tier"] == "standard-contract"
    assert assessment(doc, "CN/xm/to-ads", "pipl")["required"] == [
        "pipl.standard-contract", "pipl.certification"]
    assert assessment(doc, "CN/xm/to-hotel", "pipl")["required"] == ["pipl.exempt"]


def test_the_export_decided_by_the_reading_is_warned() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    assert "PIPL-U-EXEMPT-COUNT" in warning_codes(assessment(doc, "CN/xm/to-ads", "pipl"))
