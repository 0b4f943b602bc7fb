"""A UK controller's restricted transfers (regulatory.md §3.7; docs/regimes.md UK GDPR) and the
EEA leg behind its Irish processor (§3.3; docs/model-format.md "Who exports").

Thames Cover (London) holds 60,000 policyholders' names, e-mails and bank accounts in its London
CRM and sends:
* everything daily to Liffey (Dublin, processor): UK adequacy regulations cover the EEA ->
  `uk-gdpr.adequacy`, Art. 28 contract (declared); onward to VaultBackup (US);
* names + e-mails to MailUS (US processor, DPF active): the UK Extension (UK-US data bridge,
  12 Oct 2023) -> adequacy with the [U] UKGDPR-U-DPF-UK-EXTENSION warning and UKGDPR201 naming
  the fallback (IDTA or Addendum with EU SCC module 2 + TRA);
* everything to Chennai Claims (India, processor): IDTA or Addendum (module 2) + TRA + Art. 28;
  the declared IDTA covers only identity and contact data, not the bank accounts -> UKGDPR104;
  DUAA 2025 data protection test (from 5 Feb 2026) -> UKGDPR202 info;
* 800 leads' names + e-mails to Hudson Brokers (US controller, no DPF): Addendum with EU SCC
  module 1 declared, TRA declared -> ok; UKGDPR202 info.
EEA: Liffey backs the archive up with its own US sub-processor (no DPF): EEA/thames/nightly-backup,
exporter thames (the controller), data exporter liffey: SCC Module 3 signed by liffey, TIA and
Art. 28(4) contract owed, none declared."""

from __future__ import annotations

from .helpers import assessment, by_id, check, cli, finding_ids, run, scenario, transfers, warning_codes

NAME = "uk-out"
UK = ["UK/thames/to-archive", "UK/thames/to-claims", "UK/thames/to-hudson", "UK/thames/to-mailer"]


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_transfers_and_area_filters() -> None:
    assert sorted(by_id(transfers(NAME))) == sorted([*UK, "EEA/thames/nightly-backup"])
    assert sorted(by_id(transfers(NAME, "--area", "UK"))) == UK
    assert sorted(by_id(transfers(NAME, "--area", "GB"))) == UK
    assert sorted(by_id(transfers(NAME, "--area", "EEA"))) == ["EEA/thames/nightly-backup"]


def test_parties() -> None:
    ts = by_id(transfers(NAME))
    for tid in UK:
        assert (ts[tid]["sender"]["entity"], ts[tid]["sender"]["role"]) == ("thames", "controller")
    assert ts["UK/thames/to-archive"]["onward"] == [
        {"entity": "vault-us", "jurisdiction": "US", "system": "backup"}]
    assert ts["UK/thames/to-hudson"]["individuals"]["total"] == 800
    eea = ts["EEA/thames/nightly-backup"]
    assert eea["exporter"]["entity"] == "thames"
    assert (eea["sender"]["entity"], eea["sender"]["role"]) == ("liffey", "processor")
    assert (eea["recipient"]["entity"], eea["recipient"]["role"]) == ("vault-us", "processor")


def test_uk_mechanisms_and_duties() -> None:
    _rc, doc = check(NAME)
    a = {tid: assessment(doc, tid, "uk-gdpr") for tid in UK}
    assert a["UK/thames/to-archive"]["required"] == ["uk-gdpr.adequacy"]
    assert a["UK/thames/to-mailer"]["required"] == ["uk-gdpr.adequacy"]
    assert a["UK/thames/to-claims"]["required"] == ["uk-gdpr.idta", "uk-gdpr.addendum"]
    assert a["UK/thames/to-hudson"]["required"] == ["uk-gdpr.idta", "uk-gdpr.addendum"]
    assert a["UK/thames/to-claims"]["mechanism_details"]["uk-gdpr.addendum"]["eu_scc_module"] == 2
    assert a["UK/thames/to-hudson"]["mechanism_details"]["uk-gdpr.addendum"]["eu_scc_module"] == 1
    duties = {tid: sorted(d["id"] for d in a[tid]["duties"]) for tid in UK}
    assert duties == {"UK/thames/to-archive": ["gdpr.dpa"], "UK/thames/to-claims": ["gdpr.dpa", "gdpr.tia"],
                      "UK/thames/to-hudson": ["gdpr.tia"], "UK/thames/to-mailer": ["gdpr.dpa"]}
    assert "UKGDPR-U-DPF-UK-EXTENSION" in warning_codes(a["UK/thames/to-mailer"])
    status = {tid: a[tid]["status"] for tid in UK}
    assert status == {"UK/thames/to-archive": "ok", "UK/thames/to-claims": "gap",
                      "UK/thames/to-hudson": "ok", "UK/thames/to-mailer": "ok"}
    assert a["UK/thames/to-hudson"]["declared"] == ["addendum-hudson"]


def test_findings() -> None:
    rc, doc = check(NAME)
    assert rc == 1
    assert finding_ids(doc) == sorted([
        "GDPR100/EEA/thames/nightly-backup",
        "GDPR110/EEA/thames/nightly-backup#gdpr.dpa@vault-us",
        "GDPR110/EEA/thames/nightly-backup#gdpr.tia@vault-us",
        "UKGDPR104/UK/thames/to-claims",
        "UKGDPR201/UK/thames/to-mailer",
        "UKGDPR202/UK/thames/to-claims",
        "UKGDPR202/UK/thames/to-hudson",
    ])


def test_eea_leg_is_module_3_signed_by_the_irish_processor() -> None:
    _rc, doc = check(NAME)
    scc = assessment(doc, "EEA/thames/nightly-backup", "gdpr")["mechanism_details"]["gdpr.scc"]
    assert (scc["module"], scc["data_exporter"], scc["controller"]) == (3, "liffey", "thames")
    ann = cli("report", scenario(NAME), "-t", "gdpr-scc-annexes", "--format", "md")
    assert ann.rc == 0
    assert "processor (acting on behalf of Thames Cover Ltd)" in ann.stdout
    assert "| Authority | Data Protection Commission (DPC) |" in ann.stdout


def test_check_competent_sa_is_an_eu_authority() -> None:
    """SCC Clause 13(a): the EU authority of the Module 3 data exporter liffey (IE), as Annex I.C
    says - never the UK controller's ICO (an xfail until gdpr.py was fixed alongside)."""
    _rc, doc = check(NAME)
    scc = assessment(doc, "EEA/thames/nightly-backup", "gdpr")["mechanism_details"]["gdpr.scc"]
    assert scc["competent_sa"]["code"] == "IE"


def test_before_the_duaa_commenced() -> None:
    """regulatory.md §3.7: the DUAA transfer provisions commenced 5 Feb 2026; before that the old
    Arts 44-49 apply and there is no data protection test (no UKGDPR202)."""
    _rc, doc = check(NAME, "--as-of", "2026-01-15")
    assert not [i for i in finding_ids(doc) if i.startswith("UKGDPR202/")]
    a = assessment(doc, "UK/thames/to-claims", "uk-gdpr")
    assert a["required"] == ["uk-gdpr.idta", "uk-gdpr.addendum"]
    assert any("before the DUAA" in s["result"] for s in a["trace"])
