"""An EU SaaS controller's five exits (regulatory.md §3.1-§3.6; docs/regimes.md GDPR table).

Lumen (Paris, controller of 90,000 users; 12,000 Pro subscribers are a subset) sends:
* names + e-mails to MailCo (US, processor, DPF active since 2024-02-01): Art. 45 adequacy via
  the DPF, DPA owed (declared), [U] DPF appeal C-703/25 P -> GDPR-U-DPF-CHALLENGE + GDPR201
  naming the fallback SCC Module 2 + TIA;
* e-mails + app usage daily to StatsCo (US, processor, no DPF): SCC Module 2 + TIA + DPA (all
  declared: ok); StatsCo passes the usage on to its own Indian sub-processor: onward (GDPR203,
  Annex III), and a US-area edge `US/lumen/stats-to-in` (sender statsco as processor);
* the 12,000 Pro subscribers to Maple (Canada, commercial controller) and Alpen (Switzerland,
  controller): adequacy, no DPA, no TIA;
* remote read access by Pune Support (India, processor): a transfer though nothing is copied
  (§3.1), SCC Module 2 + TIA + DPA. Declared: an SCC with Module 1 (GDPR211) and the DPA, but
  no TIA (GDPR110)."""

from __future__ import annotations

from .helpers import assessment, by_id, check, cli, finding_ids, run, scenario, transfers, warning_codes

NAME = "eu-saas-mix"
EEA = ["EEA/lumen/pune-support", "EEA/lumen/to-alpen", "EEA/lumen/to-mailer",
       "EEA/lumen/to-maple", "EEA/lumen/to-stats"]


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_transfers_per_area() -> None:
    assert sorted(by_id(transfers(NAME))) == sorted([*EEA, "US/lumen/stats-to-in"])
    assert sorted(by_id(transfers(NAME, "--area", "EEA"))) == EEA
    us = by_id(transfers(NAME, "--area", "US"))
    assert sorted(us) == ["US/lumen/stats-to-in"]
    t = us["US/lumen/stats-to-in"]
    assert (t["sender"]["entity"], t["sender"]["role"]) == ("statsco", "processor")
    assert (t["recipient"]["entity"], t["recipient"]["role"]) == ("statsco-in", "processor")


def test_parties_and_counts() -> None:
    ts = by_id(transfers(NAME, "--area", "EEA"))
    for tid in EEA:
        assert (ts[tid]["sender"]["entity"], ts[tid]["sender"]["role"]) == ("lumen", "controller")
    roles = {tid: ts[tid]["recipient"]["role"] for tid in EEA}
    assert roles == {"EEA/lumen/pune-support": "processor", "EEA/lumen/to-alpen": "controller",
                     "EEA/lumen/to-mailer": "processor", "EEA/lumen/to-maple": "controller",
                     "EEA/lumen/to-stats": "processor"}
    assert ts["EEA/lumen/pune-support"]["flags"] == ["remote-access"]
    assert ts["EEA/lumen/to-stats"]["onward"] == [
        {"entity": "statsco-in", "jurisdiction": "IN", "system": "stats-in"}]
    totals = {tid: ts[tid]["individuals"]["total"] for tid in EEA}
    assert totals == {"EEA/lumen/pune-support": 90_000, "EEA/lumen/to-alpen": 12_000,
                      "EEA/lumen/to-mailer": 90_000, "EEA/lumen/to-maple": 12_000,
                      "EEA/lumen/to-stats": 90_000}


def test_mechanisms() -> None:
    _rc, doc = check(NAME)
    req = {tid: assessment(doc, tid, "gdpr")["required"] for tid in EEA}
    assert req == {"EEA/lumen/pune-support": ["gdpr.scc"], "EEA/lumen/to-alpen": ["gdpr.adequacy"],
                   "EEA/lumen/to-mailer": ["gdpr.adequacy"], "EEA/lumen/to-maple": ["gdpr.adequacy"],
                   "EEA/lumen/to-stats": ["gdpr.scc"]}
    assert assessment(doc, "EEA/lumen/to-stats", "gdpr")["mechanism_details"]["gdpr.scc"]["module"] == 2
    assert assessment(doc, "EEA/lumen/pune-support", "gdpr")["mechanism_details"]["gdpr.scc"]["module"] == 2


def test_duties() -> None:
    _rc, doc = check(NAME)
    duties = {tid: sorted(d["id"] for d in assessment(doc, tid, "gdpr")["duties"]) for tid in EEA}
    assert duties == {"EEA/lumen/pune-support": ["gdpr.dpa", "gdpr.tia"], "EEA/lumen/to-alpen": [],
                      "EEA/lumen/to-mailer": ["gdpr.dpa"], "EEA/lumen/to-maple": [],
                      "EEA/lumen/to-stats": ["gdpr.dpa", "gdpr.tia"]}


def test_dpf_warning_and_findings() -> None:
    rc, doc = check(NAME)
    assert rc == 1
    assert "GDPR-U-DPF-CHALLENGE" in warning_codes(assessment(doc, "EEA/lumen/to-mailer", "gdpr"))
    ids = finding_ids(doc)
    assert ids == sorted(["GDPR110/EEA/lumen/pune-support", "GDPR211/EEA/lumen/pune-support",
                          "GDPR201/EEA/lumen/to-mailer", "GDPR203/EEA/lumen/to-stats"])
    statuses = {tid: assessment(doc, tid, "gdpr")["status"] for tid in EEA}
    assert statuses["EEA/lumen/to-stats"] == "ok"
    assert statuses["EEA/lumen/pune-support"] != "ok"


def test_documents_per_scc_importer() -> None:
    for t in ("gdpr-scc-annexes", "gdpr-tia"):
        out = cli("report", scenario(NAME), "-t", t, "--format", "md", "--recipient", "statsco")
        assert out.rc == 0, out.stderr
        assert "StatsCo India Pvt. Ltd." in out.stdout
        assert "MailCo" not in out.stdout.split("## To complete")[0].split("Findings")[0]


def test_ropa_lists_every_exit() -> None:
    out = cli("report", scenario(NAME), "-t", "gdpr-ropa", "--format", "md")
    assert out.rc == 0
    for tid in EEA:
        assert f"| `{tid}` |" in out.stdout


def test_ropa_recipient_role_of_the_remote_support_desk() -> None:
    out = cli("report", scenario(NAME), "-t", "gdpr-ropa", "--format", "md")
    assert "Pune Support Services Pvt. Ltd. (processor; India; third country)" in out.stdout
