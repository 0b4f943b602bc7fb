"""A relay in two roles (regulatory.md §1.2 item 3; §2.5 Art. 5(4), Art. 8, Art. 10; §2.6 step 5;
§2.13 Art. 22(2); docs/model-format.md 'Who exports'; docs/regimes.md 'Matching').

relayco (Shenzhen) sells its own public chat site: for those 80,000 users it is the PI processor
and exporter (its collection flow says `on_behalf_of: relayco`, since relayco is `processor_for`
appco). It is also appco's entrusted relay for 120,000 app users. The one exit edge relay-to-us
carries both controllers' data: two transfers (outputs.md 'Identity'), counted per exporter.
relayco files its own standard contract with Frontier: it does not cover appco's export (only
the PI processor's own contract counts). appco's app declares only a filed domestic model but
reaches the unfiled US model through the relay (PIPL200); the relay, a public GenAI service via
API (Interim Measures Art. 22(2)), declares the unfiled US model (PIPL200)."""

from __future__ import annotations

import json

from .helpers import assessment, by_id, check, exporter_row, finding_ids, run, scenario, transfers

NAME = "relay-dual-role"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_one_exit_edge_two_exporters() -> None:
    doc = by_id(transfers(NAME))
    assert sorted(doc) == ["CN/appco/relay-to-us", "CN/relayco/relay-to-us"]
    app = doc["CN/appco/relay-to-us"]
    own = doc["CN/relayco/relay-to-us"]
    assert (app["sender"]["entity"], app["sender"]["role"]) == ("relayco", "entrusted")
    assert (own["sender"]["entity"], own["sender"]["role"]) == ("relayco", "controller")
    assert app["origin"] == ["app-phone"] and own["origin"] == ["relay-web"]
    assert [c["id"] for c in app["cohorts"]] == ["app-users"]
    assert [c["id"] for c in own["cohorts"]] == ["relay-users"]
    assert (app["individuals"]["total"], own["individuals"]["total"]) == (120_000, 80_000)
    for t in (app, own):
        assert (t["recipient"]["entity"], t["recipient"]["role"]) == ("frontier", "controller")
    # the filed domestic route is not a transfer
    assert all(t["exit_edge"]["id"] == "relay-to-us" for t in doc.values())


def test_tiers_per_exporter() -> None:
    _rc, doc = check(NAME)
    app = exporter_row(doc, "appco")
    own = exporter_row(doc, "relayco")
    assert (app["ordinary"], app["tier"]) == (120_000, "standard-contract")
    assert app["authority_en"] == "Zhejiang Cyberspace Administration"
    assert (own["ordinary"], own["tier"]) == (80_000, "exempt")
    assert own["authority_en"] == "Guangdong Cyberspace Administration"


def test_relay_own_export_is_art_5_4_exempt_but_keeps_its_duties() -> None:
    _rc, doc = check(NAME)
    a = assessment(doc, "CN/relayco/relay-to-us", "pipl")
    assert (a["required"], a["status"], a["exemption"]) == (["pipl.exempt"], "exempt", "art5-4")
    # Provisions Art. 10: notice, separate consent, PIPIA remain; no entrustment (own account)
    assert sorted(d["id"] for d in a["duties"]) == ["pipl.notice", "pipl.pipia",
                                                     "pipl.separate-consent"]
    # its own contract is reported as declared beside the exemption, not as unused
    assert a["declared"] == ["relay-own-contract"]
    assert not [i for i in finding_ids(doc) if i.startswith("CHK001")]


def test_relay_contract_does_not_cover_the_clients_export() -> None:
    _rc, doc = check(NAME)
    a = assessment(doc, "CN/appco/relay-to-us", "pipl")
    assert a["required"] == ["pipl.standard-contract", "pipl.certification"]
    assert a["status"] == "gap" and a["declared"] == []
    duties = {d["id"]: d["declared"] for d in a["duties"]}
    assert duties == {"pipl.notice": False, "pipl.separate-consent": False, "pipl.pipia": False,
                      "pipl.entrustment-agreement": True}
    assert "PIPL100/CN/appco/relay-to-us" in finding_ids(doc)


def test_findings() -> None:
    rc, doc = check(NAME)
    assert rc == 1
    assert finding_ids(doc) == [
        "PIPL100/CN/appco/relay-to-us",
        "PIPL110/CN/appco/relay-to-us#pipl.notice",
        "PIPL110/CN/appco/relay-to-us#pipl.pipia",
        "PIPL110/CN/appco/relay-to-us#pipl.separate-consent",
        "PIPL110/CN/relayco/relay-to-us#pipl.notice",
        "PIPL110/CN/relayco/relay-to-us#pipl.pipia",
        "PIPL110/CN/relayco/relay-to-us#pipl.separate-consent",
        "PIPL200/app",      # reaches the overseas model it does not declare
        "PIPL200/relay",    # public relay on an unfiled overseas model (Art. 22(2))
        "PIPL201/CN/appco/relay-to-us",
        "PIPL201/CN/relayco/relay-to-us",
        "PIPL211/CN/appco/relay-to-us",  # Frontier does not serve mainland China (§1.2 item 4)
    ]
    by = {f["id"]: f for f in doc["findings"]}
    assert "us-llm" in by["PIPL200/app"]["message"]
    assert by["PIPL200/app"]["severity"] == by["PIPL200/relay"]["severity"] == "error"


def test_contract_with_a_vendor_that_does_not_serve_mainland_china_is_flagged() -> None:
    _rc, doc = check(NAME)
    a = assessment(doc, "CN/appco/relay-to-us", "pipl")
    texts = json.dumps([a["warnings"], a["trace"], a["mechanism_details"]])
    texts += json.dumps([f["message"] for f in doc["findings"]
                         if f.get("transfer") == "CN/appco/relay-to-us"])
    assert "serve" in texts.lower()
