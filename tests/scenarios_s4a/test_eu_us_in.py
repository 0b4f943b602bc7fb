"""An EU controller's GDPR documents (docs/templates.md gdpr-ropa / gdpr-scc-annexes / gdpr-tia;
regulatory.md §3.3, §3.5, §3.6).

Hanse Versand GmbH (Hamburg, `DE-HH`) sends 80,000 customers' names and e-mails to a US CRM
(processor, no DPF: SCC Module 2, declared with a TIA) and e-mails to a DPF-certified US mailer
(Art. 45 adequacy, with the [U] DPF-challenge warning); it sends 1,200 employees' contact,
bank-account and health data (Art. 9 special category) to an Indian payroll processor (Module 2
owed, not declared: GDPR100 + GDPR110), which backs them up with VaultCo in the US — also a
processor for Hanse (its sub-processor: SCC Annex III; GDPR203 info). The Art. 30 record, the SCC
annexes and the TIA must say what `transfers`/`check` say."""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

from .helpers import Out, assessment, check, finding_ids, kv, run, scenario, transfers

NAME = "eu-us-in"
OUT = Path(tempfile.mkdtemp(prefix="s4a-eu-")) / "out"
CRM, MAIL, PAY = "EEA/hanse/to-crm", "EEA/hanse/to-mail", "EEA/hanse/to-payroll"
BACKUP = "IN/hanse/payroll-backup"


@cache
def build() -> Out:
    return run("build", scenario(NAME), "-o", str(OUT), "--force")


def doc(name: str) -> str:
    build()
    return (OUT / "documents" / name).read_text()


def section(text: str, start: str, end: str = "\n## ") -> str:
    assert start in text, start
    return text.split(start, 1)[1].split(end, 1)[0]


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_transfers_and_counts() -> None:
    t = {x["id"]: x for x in transfers(NAME)["transfers"]}
    assert sorted(t) == [CRM, MAIL, PAY, BACKUP]
    assert t[CRM]["individuals"]["total"] == 80_000
    assert t[PAY]["individuals"]["total"] == 1_200
    assert [o["entity"] for o in t[PAY]["onward"]] == ["vaultco"]
    assert t[BACKUP]["sender"]["entity"] == "indpay"


def test_check_mechanisms_and_findings() -> None:
    rc, d = check(NAME)
    assert rc == 1
    a = assessment(d, CRM, "gdpr")
    assert a["required"] == ["gdpr.scc"]
    assert a["mechanism_details"]["gdpr.scc"]["module"] == 2
    assert a["status"] == "ok"
    m = assessment(d, MAIL, "gdpr")
    assert m["required"] == ["gdpr.adequacy"]
    assert "GDPR-U-DPF-CHALLENGE" in {w["code"] for w in m["warnings"]}
    ids = finding_ids(d)
    assert "GDPR100/EEA/hanse/to-payroll" in ids
    assert "GDPR100/EEA/hanse/to-crm" not in ids
    assert "GDPR203/EEA/hanse/to-payroll" in ids


def test_build_writes_one_scc_pack_and_tia_per_scc_importer() -> None:
    assert build().rc == 1
    names = sorted(p.name for p in (OUT / "documents").glob("*.md"))
    assert names == ["gdpr-ropa.md", "gdpr-scc-annexes_hanse_crmco.md",
                     "gdpr-scc-annexes_hanse_indpay.md", "gdpr-tia_hanse_crmco.md",
                     "gdpr-tia_hanse_indpay.md", "transfer-inventory.md"]


def test_scc_annex_i_matches_the_payroll_transfer() -> None:
    text = doc("gdpr-scc-annexes_hanse_indpay.md")
    assert "Module 2 (controller to processor)" in text
    b = section(text, "### B. Description of transfer", "### C.")
    assert "Employees (employee; 1,200 persons)" in kv(b, "Categories of data subjects whose "
                                                         "personal data is transferred")
    sens = kv(b, "Sensitive data transferred (if applicable) and applied restrictions or "
                 "safeguards")
    assert "employee.health" in sens and "bank\\_account" not in sens
    assert kv(b, "The frequency of the transfer") == "monthly"
    c = section(text, "### C. Competent supervisory authority", "## ANNEX II")
    assert "HmbBfDI" in kv(c, "Regional authority")
    iii = section(text, "## ANNEX III")
    assert "VaultCo Inc." in iii and "Backup vault, United States" in iii


def test_tia_step_1_matches_the_crm_transfer() -> None:
    text = doc("gdpr-tia_hanse_crmco.md")
    assert kv(text, "Distinct individuals") == "80,000"
    assert kv(text, "SCC module") == "Module 2 (controller to processor)"
    assert kv(text, "Transfer impact assessment recorded").startswith("done on 2024-12-01")
    assert kv(text, "Status per dataflow check") == "satisfied"


def test_ropa_controller_transfers_list_every_gdpr_transfer() -> None:
    text = doc("gdpr-ropa.md")
    ctl = section(text, "## Controller: Hanse Versand GmbH (Art. 30(1))")
    for tid in (CRM, MAIL, PAY):
        assert f"`{tid}`" in ctl
    assert "Online customers (customer); Employees (employee)" in ctl
    assert "(employee.health) \\[special category\\]" in ctl


def test_ropa_controller_record_includes_the_sub_processor_flow() -> None:
    ctl = section(doc("gdpr-ropa.md"), "## Controller: Hanse Versand GmbH (Art. 30(1))")
    assert "Backup" in kv(ctl, "(b) Purposes of the processing")
    assert "VaultCo Inc." in kv(ctl, "(d) Categories of recipients, including in third countries")


def test_ropa_has_a_record_for_the_sub_processor() -> None:
    text = doc("gdpr-ropa.md")
    rec = section(text, "## Processor: VaultCo Inc. (Art. 30(2))")
    assert "Hanse Versand GmbH" in kv(rec, "(a) Controllers on whose behalf it acts")


def test_check_does_not_invent_the_scc_frequency() -> None:
    _rc, d = check(NAME)
    details = assessment(d, CRM, "gdpr")["mechanism_details"]["gdpr.scc"]
    assert details.get("frequency") is None
    # the payroll flow declares its frequency: that one is a fact
    assert assessment(d, PAY, "gdpr")["mechanism_details"]["gdpr.scc"]["frequency"] == "monthly"


def test_inventory_xlsx_holds_the_csv_table() -> None:
    import csv

    import openpyxl

    build()
    wb = openpyxl.load_workbook(OUT / "documents" / "transfer-inventory.xlsx")
    assert wb.sheetnames == ["transfers", "about"]
    xlsx = [["" if v is None else str(v) for v in r] for r in wb["transfers"].values]
    with open(OUT / "documents" / "transfer-inventory.csv", encoding="utf-8-sig") as f:
        table = list(csv.reader(f))
    assert xlsx == table
    assert [r[0] for r in table[1:]] == [CRM, MAIL, PAY, BACKUP]
