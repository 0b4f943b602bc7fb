"""A valid model in the documented folder layout, using the location forms and collections of
docs/model-format.md ('Files', 'Locations', every collection) — and what a user does with it next:
`transfers`, `check`, `export` (docs/cli.md 'export'), `diff` (docs/cli.md 'diff').

ShopCo (Shanghai) collects orders and contact data in its app (`client` on CN) into a backend on
`aws:cn-north-1` (a China region run by a local operator: CN), replicated to a database on
`[azure:chinaeast2, tencent:ap-guangzhou]`. Its entrusted Hong Kong help desk (`jurisdiction:
CN-HK`, the alias of HK) on `gcp:asia-east2` receives 15,000 ticket-raisers (a sub-cohort of
120,000 customers, count written `"15000"`) from 1 March; a US assistant (`US-CA`,
`aws:us-west-2`) gets the 8,000 VIPs' orders; a Tokyo ad agency reads basket data (a
non-personal category of the shared taxonomy) from `JP`. ShopCo Europe (DE) collects EU
customers (a dated count series) into a CRM located `EU` and sends them to a UK mailer
(`jurisdiction: UK`, the alias of GB). The root `dataflow.yaml` includes `teams/*.yaml` and
`../retail-shared/taxonomy.yaml` (allowed by `include_roots`).

Expected: three CN transfers by shopco, one EEA transfer by shop-eu; CN volume 15,000 + 8,000
disjoint sub-cohorts = 23,000 non-sensitive (< 100,000: Art. 5(4) exempt, regulatory.md §2.5).
`retail-group-v2` raises the ticket-raisers to 110,000 and adds e-mail addresses to the desk
flow: shopco reaches 118,000 (≥ 100,000, 以上) on 1 March — a standard-contract filing."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from .helpers import by_id, check, cli, exporter_row, run, scenario, transfers

NAME = "retail-group"


def test_validate_reads_the_root_its_includes_and_the_shared_taxonomy() -> None:
    out = cli("validate", scenario(NAME))
    assert out.rc == 0, out.stdout
    assert "valid (9 systems, 6 flows, 1 access grants, 6 file(s))" in out.stdout
    doc = cli("validate", scenario(NAME), "--format", "json").json()
    assert (doc["valid"], doc["errors"], doc["warnings"], doc["diagnostics"]) == (True, 0, 0, [])


def test_exactly_four_transfers() -> None:
    doc = transfers(NAME)
    assert sorted(by_id(doc)) == ["CN/shopco/ads-dashboard", "CN/shopco/ask-assistant",
                                  "CN/shopco/tickets-to-hk", "EEA/shop-eu/eu-to-uk"]
    assert doc["possible_transfers"] == []
    assert doc["areas"] == ["CN", "EEA", "UK", "US", "JP", "HK"]


@pytest.mark.parametrize(("tid", "sender", "recipient", "role", "where", "total"), [
    ("CN/shopco/tickets-to-hk", "shopco", "helpdesk-hk", "entrusted", "HK", 15_000),
    ("CN/shopco/ask-assistant", "shopco", "bot-us", "processor", "US", 8_000),
    ("CN/shopco/ads-dashboard", "shopco", "tokyo-ads", "controller", "JP", 0),
    ("EEA/shop-eu/eu-to-uk", "shop-eu", "mailer-uk", "processor", "GB", 31_000),
])
def test_parties_aliases_and_counts(tid: str, sender: str, recipient: str, role: str, where: str,
                                    total: int) -> None:
    t = by_id(transfers(NAME))[tid]
    assert t["exporter"]["entity"] == sender
    assert t["sender"]["entity"] == sender and t["sender"]["role"] == "controller"
    assert (t["recipient"]["entity"], t["recipient"]["role"], t["recipient"]["jurisdiction"]) == \
        (recipient, role, where)
    assert t["individuals"]["total"] == total
    assert t["individuals"]["method"] == "exact"


def test_desk_flow_path_categories_and_period() -> None:
    t = by_id(transfers(NAME))["CN/shopco/tickets-to-hk"]
    assert t["path"] == ["shop-app", "shop-backend", "orders-db", "desk"]
    assert t["path_flows"] == ["collect", "store-orders", "tickets-to-hk"]
    # data collected as retail.order / user.contact travels on as the more specific categories
    assert [c["id"] for c in t["categories"]] == ["retail.order.delivery-address",
                                                  "user.contact.phone"]
    assert t["period"] == {"from": "2026-03-01", "to": "2026-12-31"}
    assert t["provenance"]["collected_in"] == ["CN"]


def test_remote_access_of_a_non_personal_category() -> None:
    t = by_id(transfers(NAME))["CN/shopco/ads-dashboard"]
    assert t["flags"] == ["remote-access"]
    assert [(c["id"], c["personal"]) for c in t["categories"]] == [("retail.order.basket", False)]


def test_check_counts_the_sub_cohorts_once() -> None:
    rc, doc = check(NAME)
    assert rc == 1          # missing entrustment agreement, DPA, PIPL200: a gate that fails
    row = exporter_row(doc, "shopco")
    assert (row["ordinary"], row["sensitive"], row["tier"]) == (23_000, 0, "exempt")
    assert row["authority"] == "上海市互联网信息办公室"      # province: CN-SH
    ids = sorted(f["id"] for f in doc["findings"])
    assert "PIPL200/shop-backend" in ids       # public service on an unfiled overseas model


def test_diff_to_v2_names_the_new_filing() -> None:
    out = run("diff", scenario(NAME), scenario("retail-group-v2"), "--format", "json")
    assert out.rc == 1
    doc = out.json()
    kinds = {(c["kind"], c["transfer"]) for c in doc["changes"]}
    assert ("threshold-crossed", None) in kinds and ("tier-changed", None) in kinds
    assert ("category-added", "CN/shopco/tickets-to-hk") in kinds
    crossed = next(c for c in doc["changes"] if c["kind"] == "threshold-crossed")
    assert crossed["new"] == {"crossed_on": "2026-03-01", "ordinary": 118_000,
                              "threshold": 100_000}
    assert crossed["trigger"] == "pipl.scc-file" and crossed["filing_required"] is True
    assert doc["transfers_added"] == [] and doc["transfers_removed"] == []


def test_diff_of_a_model_with_itself_is_empty() -> None:
    out = run("diff", scenario(NAME), scenario(NAME), "--format", "json")
    assert out.rc == 0
    assert out.json()["changes"] == []


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_export_round_trip_keeps_the_model(fmt: str, tmp_path: Path) -> None:
    f = tmp_path / f"retail.{fmt}"
    assert run("export", scenario(NAME), "-o", str(f)).rc == 0
    if fmt == "yaml":
        text = f.read_text()
        assert "include" not in text and "taxonomy" not in text
        assert "retail.order.basket:" in text           # the shared file is merged in
    a = transfers(NAME)
    out = run("transfers", str(f), "--format", "json")
    assert out.rc == 0
    b = out.json()
    assert a["model"]["digest"] == b["model"]["digest"]
    assert a["transfers"] == b["transfers"]


def test_export_graphml_marks_the_exit_edges(tmp_path: Path) -> None:
    f = tmp_path / "retail.graphml"
    assert run("export", scenario(NAME), "-o", str(f)).rc == 0
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = ET.parse(f).getroot()
    keys = {k.get("id"): k.get("attr.name") for k in root.findall("g:key", ns)}
    exits = {}
    for e in root.iter("{http://graphml.graphdrawing.org/xmlns}edge"):
        data = {keys[d.get("key")]: d.text for d in e.findall("g:data", ns)}
        if data.get("exit_edge") == "true":
            exits[e.get("id")] = data["transfers"]
    assert exits == {"tickets-to-hk": "CN/shopco/tickets-to-hk",
                     "ask-assistant": "CN/shopco/ask-assistant",
                     "ads-dashboard": "CN/shopco/ads-dashboard",
                     "eu-to-uk": "EEA/shop-eu/eu-to-uk"}


def test_json_output_is_byte_identical_between_runs() -> None:
    a = run("transfers", scenario(NAME), "--format", "json")
    b = run("transfers", scenario(NAME), "--format", "json")
    assert a.stdout == b.stdout


def test_diff_reads_a_git_revision_of_a_self_contained_model() -> None:
    out = run("diff", f"HEAD:{scenario('catalogue-verified')}", scenario("catalogue-verified"),
              "--format", "json")
    assert out.rc == 0, out.stdout + out.stderr
    doc = out.json()
    assert doc["changes"] == []
    assert doc["old"]["digest"] == doc["new"]["digest"]


def test_diff_reads_a_git_revision_that_uses_include_roots() -> None:
    out = run("diff", f"HEAD:{scenario(NAME)}", scenario("retail-group-v2"), "--format", "json")
    assert out.rc == 1, out.stdout[:400]
    kinds = {c["kind"] for c in out.json()["changes"]}
    assert {"threshold-crossed", "category-added"} <= kinds


def test_filters_are_hierarchy_aware() -> None:
    doc = transfers(NAME, "--category", "retail.order")
    assert sorted(by_id(doc)) == ["CN/shopco/ads-dashboard", "CN/shopco/ask-assistant",
                                  "CN/shopco/tickets-to-hk"]
    doc = transfers(NAME, "--category", "user.contact")
    assert sorted(by_id(doc)) == ["CN/shopco/tickets-to-hk", "EEA/shop-eu/eu-to-uk"]
    assert sorted(by_id(transfers(NAME, "--exporter", "shop-eu"))) == ["EEA/shop-eu/eu-to-uk"]


def test_why_with_a_mistyped_id_suggests_the_right_one() -> None:
    out = run("why", scenario(NAME), "CN/shopco/tickets-to-h")
    assert out.rc == 2
    assert "did you mean 'CN/shopco/tickets-to-hk'?" in out.stdout + out.stderr


def test_unknown_category_filter_is_refused() -> None:
    out = run("transfers", scenario(NAME), "--category", "retail.ordr")
    assert out.rc == 2
    assert "retail.order" in out.stdout + out.stderr


def test_unknown_exporter_filter_is_refused() -> None:
    out = run("transfers", scenario(NAME), "--exporter", "shopc")
    assert out.rc == 2
    assert "shopco" in out.stdout + out.stderr


def test_diff_between_the_folder_and_its_single_file_export_is_empty(tmp_path: Path) -> None:
    f = tmp_path / "retail.yaml"
    assert run("export", scenario(NAME), "-o", str(f)).rc == 0
    out = run("diff", scenario(NAME), str(f), "--format", "json")
    assert out.rc == 0
    assert out.json()["changes"] == []
