"""A mainland company collecting its mainland users' data straight into Hong Kong (API in
aws:ap-east-1, a database replicated CN-GD + HK). regulatory.md §1.2(2) [V, SCC Filing Guideline
2nd ed.]: export includes (i) transmitting PI collected in domestic operations abroad and (iii)
processing abroad of PI of individuals in China under PIPL Art. 3(2); outputs.md "Not
transfers": client flows are not transfers, but "PIPL Art. 3(2) flags processing abroad of people
in China". A collector established in the mainland exports (flag direct-collection, with the
[U] warning PIPL-U-DIRECT-COLLECTION); a collector abroad would get PIPL210 instead."""

from __future__ import annotations

from .helpers import by_id, check, cli, run, scenario, transfers

NAME = "direct-collection-hk"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_transfers_lists_the_collection_edges_as_exports() -> None:
    # the collector is established in the mainland: PI collected in its domestic operations and
    # sent straight abroad is an export (form (i)), flagged and warned about as [U]
    ts = by_id(transfers(NAME))
    assert sorted(ts) == ["CN/shop/orders-write", "CN/shop/reviews", "CN/shop/sdk-events",
                          "CN/shop/sign-up"]
    assert all(t["flags"] == ["direct-collection"] for t in ts.values())
    assert transfers(NAME)["not_transfers"] == []


def test_check_flags_collection_abroad() -> None:
    _rc, doc = check(NAME)
    pipl = [f for f in doc["findings"] if f["code"].startswith("PIPL")]
    assert pipl, doc["findings"]
    human = cli("check", scenario(NAME))
    assert "Art. 3(2)" in human.stdout + human.stderr


def test_exporter_row_counts_the_collection() -> None:
    rc, doc = check(NAME)
    assert rc == 1
    rows = [e for e in doc["exporters"] if e["exporter"] == "shop" and e["regime"] == "pipl"]
    # the 30,000 reviewers' messages are private communications (sensitive): S >= 10,000
    assert rows and (rows[0]["ordinary"], rows[0]["sensitive"], rows[0]["tier"]) == (
        180000, 30000, "security-assessment")
    a = next(x for x in doc["assessments"] if x["transfer"] == "CN/shop/sign-up"
             and x["regime"] == "pipl")
    assert "PIPL-U-DIRECT-COLLECTION" in {w["code"] for w in a["warnings"]}
