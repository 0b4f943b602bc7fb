"""A mainland company collecting its mainland users' data straight into Hong Kong (API in
aws:ap-east-1, a database replicated CN-GD + HK). regulatory.md §1.2(2) [V, SCC Filing Guideline
2nd ed.]: export includes (i) transmitting PI collected in domestic operations abroad and (iii)
processing abroad of PI of individuals in China under PIPL Art. 3(2); outputs.md "Not
transfers": client flows are not transfers, but "PIPL Art. 3(2) flags processing abroad of people
in China". Today `check` is silent and exits 0: 180,000 people stored in Hong Kong, no finding."""

from __future__ import annotations

import pytest

from .helpers import check, cli, run, scenario, transfers

NAME = "direct-collection-hk"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_transfers_lists_the_collection_edges_with_art_3_2() -> None:
    doc = transfers(NAME)
    assert doc["transfers"] == []
    nt = {(n["area"], n["edge"]): n["reason"] for n in doc["not_transfers"]}
    assert sorted(nt) == [("CN", "orders-write"), ("CN", "reviews"), ("CN", "sdk-events"),
                          ("CN", "sign-up")]
    assert all("Art. 3(2)" in r for r in nt.values())


@pytest.mark.xfail(strict=True, reason="`check` says '0 error(s), 0 warning(s)' and exits 0 for a "
                   "mainland company whose mainland users' PI goes straight to Hong Kong: no PIPL "
                   "assessment, finding or even the Art. 3(2) flag outputs.md promises "
                   "(regulatory.md §1.2(2)(i),(iii); dataflow/transfers.py _area_transfers drops "
                   "client-source exit edges, dataflow/regimes/pipl.py never sees them)")
def test_check_flags_collection_abroad() -> None:
    _rc, doc = check(NAME)
    pipl = [f for f in doc["findings"] if f["code"].startswith("PIPL")]
    assert pipl, doc["findings"]
    human = cli("check", scenario(NAME))
    assert "Art. 3(2)" in human.stdout + human.stderr


@pytest.mark.xfail(strict=True, reason="the mainland company exports 180,000 people's PI collected "
                   "in its domestic operations (regulatory.md §1.2(2)(i)); the Provisions Art. 8 "
                   "tier (100,000 以上) is not computed: no pipl exporter row at all")
def test_exporter_row_counts_the_collection() -> None:
    rc, doc = check(NAME)
    assert rc == 1
    rows = [e for e in doc["exporters"] if e["exporter"] == "shop" and e["regime"] == "pipl"]
    assert rows and (rows[0]["ordinary"], rows[0]["tier"]) == (180000, "standard-contract")
