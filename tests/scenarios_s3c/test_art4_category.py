"""Art. 4 re-export when the domestic data is a different category that never leaves
(regulatory.md §2.5 Art. 4: exempt when 'no domestic PI or important data is introduced').

A Dalian BPO receives 300,000 Japanese customers' account ids from its Japanese client and also
collects 200,000 Chinese customers' phone numbers. `back-cat` returns only the account ids;
`back-phones` returns the account ids with phone numbers of the Japanese customers that the
BPO's call centre collected itself (domestic PI: Art. 4 rightly lost there). The domestic phones
on `back-phones` taint the account ids on `back-cat` through the round trip jp-crm -> work."""

from __future__ import annotations

from .helpers import assessment, by_id, check, finding_ids, run, scenario, transfers

NAME = "art4-category"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_domestic_phones_lose_art4_on_their_own_flow() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    a = assessment(doc, "CN/bpo/back-phones", "pipl")
    assert a["required"] == ["pipl.standard-contract", "pipl.certification"]


def test_only_the_japanese_cohort_is_exported() -> None:
    t = by_id(transfers(NAME, "--area", "CN"))["CN/bpo/back-cat"]
    assert [c["id"] for c in t["cohorts"]] == ["jpc"]
    assert t["individuals"]["total"] == 300_000
    assert [c["id"] for c in t["categories"]] == ["user.account.id"]


def test_art4_holds_when_the_domestic_data_never_leaves() -> None:
    t = by_id(transfers(NAME, "--area", "CN"))["CN/bpo/back-cat"]
    assert t["provenance"]["domestic_added"] is False
    assert t["origin"] == ["jp-crm"]
    _rc, doc = check(NAME, "--area", "CN")
    a = assessment(doc, "CN/bpo/back-cat", "pipl")
    assert a["required"] == ["pipl.exempt"]
    assert "PIPL202/CN/bpo/back-cat" not in finding_ids(doc)
