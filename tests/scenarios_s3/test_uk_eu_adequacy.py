"""UK -> IE under UK adequacy (regulatory.md §3.7), IE -> CH adequacy (§3.2), IE -> US payroll:
DPF active but not for HR data -> SCC module 2 + GDPR208, remote access from India -> SCC,
the Irish controller's own HR lead reading from the US -> not a transfer (same entity, §3.1)."""

from __future__ import annotations

from .helpers import assessment, by_id, check, finding_ids, run, scenario, transfers

NAME = "uk-eu-adequacy"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_transfers_and_not_transfers() -> None:
    doc = transfers(NAME)
    ts = by_id(doc)
    assert sorted(ts) == ["EEA/ie-co/ie-to-benefits", "EEA/ie-co/ie-to-payroll",
                          "EEA/ie-co/vendor-support", "UK/uk-co/uk-to-cloud"]
    assert ts["UK/uk-co/uk-to-cloud"]["recipient"]["role"] == "processor"
    assert ts["EEA/ie-co/vendor-support"]["flags"] == ["remote-access"]
    assert [(n["area"], n["edge"]) for n in doc["not_transfers"]] == [("EEA", "hr-lead-travel")]


def test_mechanisms() -> None:
    rc, doc = check(NAME)
    assert rc == 1
    uk = assessment(doc, "UK/uk-co/uk-to-cloud", "uk-gdpr")
    assert uk["required"] == ["uk-gdpr.adequacy"]
    assert [d["id"] for d in uk["duties"]] == ["gdpr.dpa"]
    assert assessment(doc, "EEA/ie-co/ie-to-benefits", "gdpr")["required"] == ["gdpr.adequacy"]
    pay = assessment(doc, "EEA/ie-co/ie-to-payroll", "gdpr")
    assert pay["required"] == ["gdpr.scc"]
    assert pay["mechanism_details"]["gdpr.scc"]["module"] == 2
    sup = assessment(doc, "EEA/ie-co/vendor-support", "gdpr")
    assert sup["required"] == ["gdpr.scc"]
    assert sup["mechanism_details"]["gdpr.scc"]["module"] == 2
    ids = finding_ids(doc)
    assert "GDPR208/EEA/ie-co/ie-to-payroll" in ids
    assert "GDPR205/hr-lead-travel" in ids
    assert not any(i.startswith(("GDPR100/EEA/ie-co/ie-to-benefits", "UKGDPR100")) for i in ids)
