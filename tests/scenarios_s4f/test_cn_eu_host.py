"""Data coming from China into the EEA and going back: Chinese controllers with a Frankfurt
processor (regulatory.md §3.1, §3.3 Module 4 P2C, §3.5; docs/regimes.md GDPR: "a processor returns
the data to the controller it processes for: 4 P2C, the processor signs"; "TIA ... not for
Module 4 when all personal data came from the third-country controller"; §6 "returning data is
not an export of the origin jurisdiction"; PIPL §2.5-2.6).

* bloom (Shanghai) sends 200,000 members to MainHost (processor) and gets the renders back.
  CN/bloom/bloom-to-de: N = 200,000 -> standard contract or certification + entrustment agreement
  with the overseas processor. EEA/bloom/bloom-back: Module 4 signed by mainhost, no TIA (all
  the data came from China), no Art. 28 duty (the importer is the controller). The way back into
  China is not a CN export.
* kite (Beijing) sends 40,000 users and has MainHost collect 5,000 EU visitors for it: the
  return EEA/kite/kite-back is Module 4 *with* a TIA (EU-collected data), and kite's own Beijing
  operations team reading MainHost's cluster (access grant, kite-eu only) is a Module 4 transfer
  with a TIA and GDPR202 (remote access from China). CN/kite/kite-to-de: 45,000 (< 100,000, no
  sensitive PI) -> Art. 5(4) exempt."""

from __future__ import annotations

from .helpers import assessment, by_id, check, finding_ids, run, scenario, transfers

NAME = "cn-eu-host"
ALL = ["CN/bloom/bloom-to-de", "CN/kite/kite-to-de", "EEA/bloom/bloom-back", "EEA/kite/kite-back",
       "EEA/kite/kite-ops"]


def _finding(doc: dict, fid: str) -> dict | None:
    hits = [f for f in doc["findings"] if f["id"] == fid]
    return hits[0] if hits else None


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_transfers() -> None:
    ts = by_id(transfers(NAME))
    assert sorted(ts) == ALL
    for tid in ("EEA/bloom/bloom-back", "EEA/kite/kite-back", "EEA/kite/kite-ops"):
        assert (ts[tid]["sender"]["entity"], ts[tid]["sender"]["role"]) == ("mainhost", "processor")
        assert ts[tid]["recipient"]["role"] == "controller"
    assert ts["EEA/kite/kite-ops"]["flags"] == ["remote-access"]
    assert ts["EEA/kite/kite-ops"]["individuals"]["total"] == 5_000
    assert ts["EEA/bloom/bloom-back"]["individuals"]["total"] == 200_000
    assert (ts["CN/bloom/bloom-to-de"]["recipient"]["entity"],
            ts["CN/bloom/bloom-to-de"]["recipient"]["role"]) == ("mainhost", "processor")


def test_module_4_signed_by_the_processor_and_tia_only_with_eu_data() -> None:
    _rc, doc = check(NAME, "--area", "EEA")
    for tid in ("EEA/bloom/bloom-back", "EEA/kite/kite-back", "EEA/kite/kite-ops"):
        a = assessment(doc, tid, "gdpr")
        assert a["required"] == ["gdpr.scc"]
        scc = a["mechanism_details"]["gdpr.scc"]
        assert (scc["module"], scc["data_exporter"]) == (4, "mainhost"), tid
    duties = {tid: sorted(d["id"] for d in assessment(doc, tid, "gdpr")["duties"])
              for tid in ("EEA/bloom/bloom-back", "EEA/kite/kite-back", "EEA/kite/kite-ops")}
    assert duties == {"EEA/bloom/bloom-back": [], "EEA/kite/kite-back": ["gdpr.tia"],
                      "EEA/kite/kite-ops": ["gdpr.tia"]}
    assert "GDPR202/EEA/kite/kite-ops" in finding_ids(doc)


def test_pipl_side() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    b = assessment(doc, "CN/bloom/bloom-to-de", "pipl")
    assert b["required"] == ["pipl.standard-contract", "pipl.certification"]
    assert ("pipl.entrustment-agreement", "mainhost") in {(d["id"], d["party"]) for d in b["duties"]}
    k = assessment(doc, "CN/kite/kite-to-de", "pipl")
    assert k["required"] == ["pipl.exempt"] and k["exemption"] == "art5-4"
    assert {a["transfer"] for a in doc["assessments"]} == {"CN/bloom/bloom-to-de", "CN/kite/kite-to-de"}


def test_no_tia_demand_where_no_tia_is_owed() -> None:
    _rc, doc = check(NAME, "--area", "EEA")
    f = _finding(doc, "GDPR202/EEA/bloom/bloom-back")
    assert f is None or "TIA must" not in f["message"]


def test_trace_names_the_disclosing_processor() -> None:
    _rc, doc = check(NAME, "--area", "EEA")
    step2 = next(s for s in assessment(doc, "EEA/bloom/bloom-back", "gdpr")["trace"]
                 if s["step"] == "2. transfer?")
    assert step2["detail"].startswith("mainhost")
