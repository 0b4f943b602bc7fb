"""MSS risk 1: a relay that keeps and resells the prompts it forwards (regulatory.md §1.1 risks
1 and 4; §1.2 item 3: a relay processing on its own account is itself a processor/exporter;
§2.5 Art. 5(4); docs/model-format.md 'Who exports': `recipient_role: controller` makes the
recipient the controller of its copy).

AppCo's 90,000 users' prompts go through its entrusted relay to a US model (AppCo exports,
Art. 5(4) exempt below 100,000, duties remain, entrustment agreement with the relay). The relay
also copies every prompt into its own archive as controller of that copy and sells it to a US
data buyer: a second export of the same 90,000 people, by relayco itself (sender relayco as
controller), counted for relayco, not for AppCo."""

from __future__ import annotations

from .helpers import assessment, by_id, check, exporter_row, finding_ids, run, scenario, transfers

NAME = "relay-resale"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_the_resale_is_the_relays_own_export() -> None:
    doc = by_id(transfers(NAME, "--area", "CN"))
    assert sorted(doc) == ["CN/appco/relay-to-us", "CN/relayco/resell"]
    t = doc["CN/relayco/resell"]
    assert t["exporter"]["entity"] == "relayco"
    assert (t["sender"]["entity"], t["sender"]["role"]) == ("relayco", "controller")
    assert (t["recipient"]["entity"], t["recipient"]["role"]) == ("buyer", "controller")
    assert t["path"] == ["app-phone", "app", "relay", "archive", "buyer-db"]
    assert t["individuals"]["total"] == 90_000
    app = doc["CN/appco/relay-to-us"]
    assert (app["sender"]["entity"], app["sender"]["role"]) == ("relayco", "entrusted")


def test_each_exporter_counts_its_own_export() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    assert (exporter_row(doc, "appco")["ordinary"], exporter_row(doc, "appco")["tier"]) == (
        90_000, "exempt")
    assert (exporter_row(doc, "relayco")["ordinary"], exporter_row(doc, "relayco")["tier"]) == (
        90_000, "exempt")
    resale = assessment(doc, "CN/relayco/resell", "pipl")
    assert (resale["required"], resale["exemption"]) == (["pipl.exempt"], "art5-4")
    assert sorted(d["id"] for d in resale["duties"]) == ["pipl.notice", "pipl.pipia",
                                                          "pipl.separate-consent"]
    ids = finding_ids(doc)
    assert "PIPL110/CN/appco/relay-to-us#pipl.entrustment-agreement@relayco" in ids
    assert {"PIPL201/CN/appco/relay-to-us", "PIPL201/CN/relayco/resell"} <= set(ids)
