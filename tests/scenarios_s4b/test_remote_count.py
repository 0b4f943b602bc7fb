"""The India support desk again, where the [U] remote-access counting decides the tier
(regulatory.md §2.2 "Remote access from abroad = export"; §2.6 counting [U]; regimes.md
PIPL-U-REMOTE-COUNT, PIPL207).

``wh`` (Wuhan) holds 150,000 shoppers and 50,000 partner customers (disjoint) in ``wh-db``; it
sends the 50,000 to a Singapore partner (``to-sg``) and lets its Indian processor read the whole
database (``in-read``, "ad-hoc ticket lookups").

By hand: counting everyone the accessor can reach (default reading) N = 200,000 → standard
contract or certification for both exports, from 2026-01-01. Counting only what is queried (at
the least nothing) N = 50,000 → Art. 5(4) exempt, for ``to-sg`` too. So the [U] reading decides
the outcome of both transfers: each assessment must carry the warning with its alternative, and
the exporter gets PIPL207."""

from __future__ import annotations

from .helpers import assessment, check, exporter_row, finding_ids, warning_codes

NAME = "remote-count"


def test_default_reading_counts_everyone_reachable() -> None:
    rc, doc = check(NAME)
    assert rc == 1
    row = exporter_row(doc, "wh")
    assert (row["ordinary"], row["sensitive"], row["tier"], row["tier_crossed_on"]) == (
        200_000, 0, "standard-contract", "2026-01-01")
    for tid in ("CN/wh/in-read", "CN/wh/to-sg"):
        assert assessment(doc, tid, "pipl")["required"] == [
            "pipl.standard-contract", "pipl.certification"]
    a = assessment(doc, "CN/wh/in-read", "pipl")
    assert "PIPL-U-REMOTE-COUNT" in warning_codes(a)
    assert "pipl.entrustment-agreement" in {d["id"] for d in a["duties"]}
    assert "PIPL207/wh" in finding_ids(doc)


def test_the_flow_whose_tier_depends_on_the_reading_is_warned_too() -> None:
    _rc, doc = check(NAME)
    assert "PIPL-U-REMOTE-COUNT" in warning_codes(assessment(doc, "CN/wh/to-sg", "pipl"))
