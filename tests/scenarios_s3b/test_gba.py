"""Greater Bay Area standard contract (regulatory.md §2.10): parties registered in one of the
nine mainland GBA cities and in Hong Kong; no volume cap; the recipient may not pass the data on
outside the GBA. A Shenzhen retailer may use it; a Guangzhou company whose Hong Kong recipient
sends on to the US may not; a Beijing company may not, even though its entrusted processor that
sends the data is in Shenzhen (the contract is the PI processor's)."""

from __future__ import annotations

from .helpers import assessment, check, exporter_row, run, scenario

NAME = "gba"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_shenzhen_to_hong_kong_may_use_the_gba_contract() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    a = assessment(doc, "CN/sz-co/sz-to-hk", "pipl")
    assert a["required"] == ["pipl.standard-contract", "pipl.certification", "pipl.gba-contract"]
    assert a["declared"] == ["gba-hk"]
    assert exporter_row(doc, "sz-co")["tier"] == "standard-contract"


def test_onward_outside_the_gba_rules_it_out() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    a = assessment(doc, "CN/gz-co/gz-to-hk", "pipl")
    assert a["required"] == ["pipl.standard-contract", "pipl.certification"]


def test_beijing_processor_through_a_shenzhen_relay_may_not() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    a = assessment(doc, "CN/bj-co/gw-to-hk", "pipl")
    assert "pipl.gba-contract" not in a["required"]
    assert exporter_row(doc, "bj-co")["authority"] == "北京市互联网信息办公室"
