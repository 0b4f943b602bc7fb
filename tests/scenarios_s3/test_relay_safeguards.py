"""Who signs the PIPL standard contract: the PI processor (the exporter), never its entrusted
party — regulatory.md §2.8 "The exporter must be the PI processor; an entrusted cloud provider does
not sign — the tenant signs with the overseas recipient" and §1.2(3). docs/regimes.md limits the
sender-signs rule to GDPR SCC modules 3 and 4. An exemption claimed on a domestic flow covers no
transfer and should be reported, as a waiver matching nothing is (CHK002)."""

from __future__ import annotations

from .helpers import assessment, check, finding_ids, run, scenario

NAME = "relay-safeguards"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_stale_waiver_is_an_error() -> None:
    rc, doc = check(NAME)
    assert rc == 1
    assert "CHK002/stale" in finding_ids(doc)


def test_contract_signed_by_the_entrusted_relay_does_not_cover_the_export() -> None:
    _rc, doc = check(NAME)
    a = assessment(doc, "CN/writer/relay-to-us", "pipl")
    assert a["declared"] == []
    assert "PIPL100/CN/writer/relay-to-us" in finding_ids(doc)


def test_exemption_on_a_domestic_flow_is_reported() -> None:
    out = run("check", scenario(NAME), "--format", "json")
    assert "wrong-edge" in out.stdout
