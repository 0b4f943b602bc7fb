"""CN -> HK -> US: the mainland export is the hop to Hong Kong (HK is outside CN for PIPL,
regulatory.md §0 and §4); the HK -> US hop is onward for CN and an HK-area edge with no
mechanism (PDPO s.33 not in force). Exactly 100,000 people: 以上 includes the number (§0, §2.5
Art. 8), so a standard contract or certification is needed, not the Art. 5(4) exemption."""

from __future__ import annotations

from pathlib import Path

from .helpers import assessment, by_id, check, exporter_row, run, scenario, transfers

NAME = "hk-hop"


def test_validate() -> None:
    out = run("validate", scenario(NAME))
    assert out.rc == 0
    assert "valid" in out.stdout


def test_cn_transfer_is_the_hop_to_hong_kong() -> None:
    doc = transfers(NAME, "--area", "CN")
    ts = by_id(doc)
    assert sorted(ts) == ["CN/shop/to-hk"]
    t = ts["CN/shop/to-hk"]
    assert t["exporter"]["entity"] == "shop"
    assert (t["sender"]["entity"], t["sender"]["role"]) == ("shop", "controller")
    assert (t["recipient"]["entity"], t["recipient"]["jurisdiction"], t["recipient"]["role"]) \
        == ("shop-hk", "HK", "controller")
    assert t["individuals"]["total"] == 100000
    assert t["individuals"]["method"] == "exact"
    assert t["flags"] == ["onward"]
    assert t["onward"] == [{"entity": "metrics", "jurisdiction": "US", "system": "us-analytics"}]
    assert t["path"] == ["checkout", "orders", "hk-crm"]
    assert doc["possible_transfers"] == []


def test_hk_area_sees_the_onward_hop() -> None:
    ts = by_id(transfers(NAME, "--area", "HK"))
    assert sorted(ts) == ["HK/shop-hk/hk-to-us"]
    t = ts["HK/shop-hk/hk-to-us"]
    assert t["exporter"]["entity"] == "shop-hk"
    assert (t["recipient"]["entity"], t["recipient"]["role"]) == ("metrics", "processor")


def test_pipl_exactly_100000_is_the_standard_contract_tier() -> None:
    rc, doc = check(NAME)
    assert rc == 1
    a = assessment(doc, "CN/shop/to-hk", "pipl")
    # both parties are GBA, but the HK recipient sends the data on to the US: the GBA
    # standard contract forbids onward transfer outside the GBA (regulatory.md §2.9)
    assert a["required"] == ["pipl.standard-contract", "pipl.certification"]
    assert a["status"] == "gap"
    row = exporter_row(doc, "shop")
    assert (row["ordinary"], row["sensitive"], row["tier"], row["tier_crossed_on"]) == \
        (100000, 0, "standard-contract", "2026-01-01")
    assert row["authority"] == "广东省互联网信息办公室"
    hk = assessment(doc, "HK/shop-hk/hk-to-us", "hk")
    assert hk["required"] == ["none"]
    codes = {f["code"] for f in doc["findings"]}
    assert {"PIPL100", "PIPL110", "HK200"} <= codes


def test_gba_contract_offered_without_the_onward_hop(tmp_path: Path) -> None:
    text = (Path(__file__).parent / NAME / "dataflow.yaml").read_text(encoding="utf-8")
    text = "\n".join(line for line in text.splitlines() if "hk-to-us" not in line) + "\n"
    (tmp_path / "dataflow.yaml").write_text(text, encoding="utf-8")
    out = run("check", str(tmp_path), "--format", "json")
    a = assessment(out.json(), "CN/shop/to-hk", "pipl")
    assert a["required"] == ["pipl.standard-contract", "pipl.certification", "pipl.gba-contract"]


def test_human_check_names_the_filing_authority() -> None:
    out = run("check", scenario(NAME))
    assert out.rc == 1
    assert "tier standard-contract (reached 2026-01-01)" in out.stdout
    assert "Guangdong Cyberspace Administration" in out.stdout


def test_default_areas_include_hong_kong() -> None:
    doc = transfers(NAME)
    assert "HK" in doc["areas"]
    assert "HK/shop-hk/hk-to-us" in by_id(doc)
