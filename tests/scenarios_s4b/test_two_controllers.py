"""One exit edge carrying the data of two controllers is two transfers (model-format.md "Who
exports"; regulatory.md §3.3 SCC modules; §3.7 UK).

The German subsidiary hosts the UK company's customers as its *processor* (``uk-to-eu``,
``recipient_role: processor``) beside its own customers, and syncs eu-db to a US CRM (crm-co,
``processor_for: [eu-sub]``, no DPF). By hand: ``EEA/eu-sub/crm-sync`` (eu-sub's 200,000; sender
eu-sub as controller → module 2, signed by eu-sub) and ``EEA/uk-co/crm-sync`` (uk-co's 30,000;
sender eu-sub as processor, crm-co its own sub-processor → module 3, signed by eu-sub); both with
TIA and DPA. UK: ``UK/uk-co/uk-to-eu`` to a processor in the EEA → UK adequacy + Art. 28
contract, onward to crm-co."""

from __future__ import annotations

from .helpers import assessment, by_id, check, transfers

NAME = "two-controllers"


def test_one_edge_two_exporters() -> None:
    t = by_id(transfers(NAME))
    assert sorted(t) == ["EEA/eu-sub/crm-sync", "EEA/uk-co/crm-sync", "UK/uk-co/uk-to-eu"]
    own, hosted = t["EEA/eu-sub/crm-sync"], t["EEA/uk-co/crm-sync"]
    assert (own["sender"]["role"], [c["id"] for c in own["cohorts"]], own["individuals"]["total"]) == (
        "controller", ["eu-customers"], 200_000)
    assert (hosted["sender"]["role"], [c["id"] for c in hosted["cohorts"]],
            hosted["individuals"]["total"]) == ("processor", ["uk-customers"], 30_000)
    uk = t["UK/uk-co/uk-to-eu"]
    assert (uk["recipient"]["entity"], uk["recipient"]["role"]) == ("eu-sub", "processor")
    assert [o["entity"] for o in uk["onward"]] == ["crm-co"]


def test_modules_and_signatories() -> None:
    _rc, doc = check(NAME)
    for tid, module in [("EEA/eu-sub/crm-sync", 2), ("EEA/uk-co/crm-sync", 3)]:
        a = assessment(doc, tid, "gdpr")
        scc = a["mechanism_details"]["gdpr.scc"]
        assert (a["required"], scc["module"], scc["data_exporter"]) == (["gdpr.scc"], module, "eu-sub")
        assert sorted(d["id"] for d in a["duties"]) == ["gdpr.dpa", "gdpr.tia"]
    uk = assessment(doc, "UK/uk-co/uk-to-eu", "uk-gdpr")
    assert uk["required"] == ["uk-gdpr.adequacy"]
    assert [d["id"] for d in uk["duties"]] == ["gdpr.dpa"]
