"""An EU controller's HR system read from China three ways (regulatory.md §3.1: remote access by
a third-country importer is a transfer, an employee of the exporter travelling is not; DPC TikTok
2 May 2025; §3.2 DPF only for HR data with HR certification; §3.3 BCRs inside a group).

Nordmaschinen (Hamburg) holds 4,000 staff's contact and bank details in Frankfurt:
* its Dalian payroll processor reads them: EEA/nordm/dalian-payroll, SCC Module 2 + TIA + DPA,
  GDPR202 (clear-text access from mainland China);
* its own HR manager reads from Shanghai: same entity -> not a transfer (GDPR205 info);
* its Chinese subsidiary (parent nordm) reads contacts for group HR: controller -> Module 1 or
  BCRs (same group) + TIA, GDPR202;
* payroll to PayCloud (US, DPF active but not for HR): GDPR208, SCC Module 2 + TIA + DPA."""

from __future__ import annotations

from .helpers import assessment, by_id, check, finding_ids, run, scenario, transfers

NAME = "de-remote"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_transfers_and_not_transfers() -> None:
    doc = transfers(NAME)
    ts = by_id(doc)
    assert sorted(ts) == ["EEA/nordm/dalian-payroll", "EEA/nordm/group-hr", "EEA/nordm/to-paycloud"]
    assert ts["EEA/nordm/group-hr"]["recipient"]["role"] == "controller"
    assert ts["EEA/nordm/dalian-payroll"]["recipient"]["role"] == "processor"
    assert all(ts[t]["individuals"]["total"] == 4_000 for t in ts)
    assert [(n["area"], n["edge"]) for n in doc["not_transfers"]] == [("EEA", "expat-hr")]


def test_mechanisms() -> None:
    rc, doc = check(NAME)
    assert rc == 1
    a = {t: assessment(doc, t, "gdpr") for t in
         ("EEA/nordm/dalian-payroll", "EEA/nordm/group-hr", "EEA/nordm/to-paycloud")}
    assert a["EEA/nordm/dalian-payroll"]["required"] == ["gdpr.scc"]
    assert a["EEA/nordm/dalian-payroll"]["mechanism_details"]["gdpr.scc"]["module"] == 2
    assert a["EEA/nordm/group-hr"]["required"] == ["gdpr.scc", "gdpr.bcr"]
    assert a["EEA/nordm/group-hr"]["mechanism_details"]["gdpr.scc"]["module"] == 1
    assert a["EEA/nordm/to-paycloud"]["required"] == ["gdpr.scc"]
    duties = {t: sorted(d["id"] for d in a[t]["duties"]) for t in a}
    assert duties == {"EEA/nordm/dalian-payroll": ["gdpr.dpa", "gdpr.tia"],
                      "EEA/nordm/group-hr": ["gdpr.tia"],
                      "EEA/nordm/to-paycloud": ["gdpr.dpa", "gdpr.tia"]}
    ids = finding_ids(doc)
    for fid in ("GDPR202/EEA/nordm/dalian-payroll", "GDPR202/EEA/nordm/group-hr",
                "GDPR208/EEA/nordm/to-paycloud", "GDPR205/expat-hr"):
        assert fid in ids
    assert not any("expat-hr" in x["transfer"] for x in doc["assessments"])
