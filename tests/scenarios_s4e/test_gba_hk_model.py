"""The GBA (Mainland-HK) standard contract for a Hong Kong-hosted model (regulatory.md §2.10 [V]:
mainland parties in the nine GBA cities and HK, no volume cap; §2.2 HK is outside the mainland;
docs/regimes.md: offered only to an exporter registered in a GBA city, an entrusted sender's city
does not count; a PIPL contract counts only when the exporter itself declares it; CHK001).

szco (Shenzhen) calls the HK model directly and files a GBA contract with Guangdong CAC. bjco
(Beijing) reaches the same model through a Guangzhou relay (its entrusted party): no GBA
contract for bjco, and the relay's own GBA contract covers nothing (CHK001)."""

from __future__ import annotations

from .helpers import assessment, by_id, check, finding_ids, run, scenario, transfers

NAME = "gba-hk-model"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_two_exports_to_hong_kong() -> None:
    doc = by_id(transfers(NAME, "--area", "CN"))
    assert sorted(doc) == ["CN/bjco/relay-to-hk", "CN/szco/sz-to-hk"]
    assert doc["CN/bjco/relay-to-hk"]["sender"]["entity"] == "gzrelay"
    assert all(t["recipient"]["jurisdiction"] == "HK" for t in doc.values())


def test_gba_contract_offered_to_the_shenzhen_exporter_and_covers_it() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    a = assessment(doc, "CN/szco/sz-to-hk", "pipl")
    assert a["required"] == ["pipl.standard-contract", "pipl.certification", "pipl.gba-contract"]
    assert a["declared"] == ["sz-gba"]
    assert "PIPL100/CN/szco/sz-to-hk" not in finding_ids(doc)


def test_entrusted_relays_gba_city_does_not_count() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    a = assessment(doc, "CN/bjco/relay-to-hk", "pipl")
    assert a["required"] == ["pipl.standard-contract", "pipl.certification"]
    assert a["declared"] == []
    ids = finding_ids(doc)
    assert "PIPL100/CN/bjco/relay-to-hk" in ids
    assert "PIPL201/CN/bjco/relay-to-hk" in ids


def test_relays_own_contract_covers_nothing() -> None:
    _rc, doc = check(NAME)
    assert "CHK001/relay-gba" in finding_ids(doc)
    assert "CHK001/sz-gba" not in finding_ids(doc)
