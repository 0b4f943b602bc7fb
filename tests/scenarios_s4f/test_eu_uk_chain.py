"""Onward transfers behind adequate importers (regulatory.md §3.1 "onward transfers by importers
need their own Chapter V basis"; §6 onward: "GDPR: importer's onward-transfer clause / DPF
Accountability for Onward Transfer"; §3.7 UK; docs/regimes.md GDPR onward row, UK Addendum
"takes the same module").

Tulp (NL, controller, 70,000 shoppers) uses MailX (US, DPF active) which relays through its own
Indian sub-processor, and London Analytics (GB, processor) which has its own Indian sub-processor
compute the models. By hand:
* EEA/tulp/to-mailer: DPF adequacy, GDPR-U-DPF-CHALLENGE, DPA owed; onward mailx-in (GDPR203
  under the DPF Onward Transfer Principle);
* EEA/tulp/to-london: UK adequacy (to 27 Dec 2031), DPA owed; onward blr-compute (GDPR203);
* UK/tulp/london-to-blr: exporter tulp, sender ldn-analytics (processor) -> its own
  sub-processor: IDTA or the Addendum with EU SCC Module 3 signed by ldn-analytics, + TRA
  (gdpr.tia) + Art. 28 contract; DUAA data protection test (UKGDPR202);
* US/tulp/mailer-relay: the US-area edge (no regime assesses US -> India)."""

from __future__ import annotations

from .helpers import assessment, by_id, check, finding_ids, run, scenario, transfers

NAME = "eu-uk-chain"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_transfers() -> None:
    ts = by_id(transfers(NAME))
    assert sorted(ts) == ["EEA/tulp/to-london", "EEA/tulp/to-mailer", "UK/tulp/london-to-blr",
                          "US/tulp/mailer-relay"]
    assert ts["EEA/tulp/to-mailer"]["onward"] == [
        {"entity": "mailx-in", "jurisdiction": "IN", "system": "mailer-in"}]
    uk = ts["UK/tulp/london-to-blr"]
    assert uk["exporter"]["entity"] == "tulp"
    assert (uk["sender"]["entity"], uk["sender"]["role"]) == ("ldn-analytics", "processor")
    assert (uk["recipient"]["entity"], uk["recipient"]["role"]) == ("blr-compute", "processor")


def test_mechanisms() -> None:
    rc, doc = check(NAME)
    assert rc == 1
    for tid in ("EEA/tulp/to-mailer", "EEA/tulp/to-london"):
        a = assessment(doc, tid, "gdpr")
        assert a["required"] == ["gdpr.adequacy"]
        assert [d["id"] for d in a["duties"]] == ["gdpr.dpa"]
    uk = assessment(doc, "UK/tulp/london-to-blr", "uk-gdpr")
    assert uk["required"] == ["uk-gdpr.idta", "uk-gdpr.addendum"]
    add = uk["mechanism_details"]["uk-gdpr.addendum"]
    assert (add["eu_scc_module"], add["exporter"], add["importer"]) == (3, "ldn-analytics", "blr-compute")
    assert sorted(d["id"] for d in uk["duties"]) == ["gdpr.dpa", "gdpr.tia"]
    ids = finding_ids(doc)
    for fid in ("GDPR203/EEA/tulp/to-mailer", "GDPR203/EEA/tulp/to-london", "GDPR201/EEA/tulp/to-mailer",
                "UKGDPR100/UK/tulp/london-to-blr", "UKGDPR202/UK/tulp/london-to-blr"):
        assert fid in ids
    msg = next(f["message"] for f in doc["findings"] if f["id"] == "GDPR203/EEA/tulp/to-mailer")
    assert "Onward Transfer" in msg
