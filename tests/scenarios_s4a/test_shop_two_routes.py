"""The Shanghai shop of test_shop_sg_us with a second route to the same Singapore processor: its
staff also read the order database remotely (an access grant: an export even when nothing is
copied, model-format.md "access"). outputs.md "Counting": individuals are the union of the
cohorts, so the pair shopco -> sgfulfil still holds 150,000 buyers (3,000 sensitive), not
300,000; Annex I (regulatory.md §2.8) describes both routes, one pack per exporter and recipient
(docs/templates.md)."""

from __future__ import annotations

from .helpers import annex_i, check, exporter_row, run, scenario, transfers

NAME = "shop-two-routes"


def test_two_transfers_to_the_same_recipient() -> None:
    t = {x["id"]: x for x in transfers(NAME, "--area", "CN")["transfers"]}
    assert sorted(t) == ["CN/shopco/sg-ops", "CN/shopco/to-sg", "CN/shopco/to-us"]
    assert "remote-access" in t["CN/shopco/sg-ops"]["flags"]
    assert t["CN/shopco/sg-ops"]["individuals"]["total"] == 150_000


def test_exporter_count_is_a_union_not_a_sum() -> None:
    _rc, d = check(NAME)
    row = exporter_row(d, "shopco")
    assert (row["ordinary"], row["sensitive"], row["tier"]) == (150_000, 3_000,
                                                                 "standard-contract")


def test_one_pack_for_the_pair_with_both_routes() -> None:
    out = run("report", scenario(NAME), "--template", "pipl-standard-contract", "--recipient",
              "sgfulfil", "--format", "md")
    assert out.rc == 0
    rows = annex_i(out.stdout)
    assert rows["出境个人信息的规模"].startswith("150,000 人（不重复计数）；其中敏感个人信息 3,000 人")
    assert "远程访问" in rows["传输方式"] and "API" in rows["传输方式"]
    assert "sg-ops：中国" in rows["出境后保存地点"] and "to-sg：新加坡" in rows["出境后保存地点"]
    assert "user.behavior" in rows["出境个人信息种类"]
