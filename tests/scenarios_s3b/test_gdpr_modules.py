"""GDPR Chapter V SCC module choice (regulatory.md §3.3: 1 C2C, 2 C2P, 3 P2P, 4 P2C), adequacy
for Switzerland and Japan (not for a Japanese public authority), onward transfers, and the SCC
annexes. A German shop (controller) keeps its data at a French host (processor for the shop and
for a US brand). Module 4 (P2C) is the clause set for a processor sending back to *its*
controller; when the host sends on the shop's instructions to a third party, the shop is the
data exporter."""

from __future__ import annotations

from .helpers import assessment, by_id, check, cli, run, scenario, transfers

NAME = "gdpr-modules"


def _module(doc: dict, tid: str) -> int:
    return assessment(doc, tid, "gdpr")["mechanism_details"]["gdpr.scc"]["module"]


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_transfers_and_onward() -> None:
    doc = transfers(NAME, "--area", "EEA")
    ts = by_id(doc)
    assert sorted(ts) == ["EEA/brand/fulfil-back", "EEA/shop/to-backup", "EEA/shop/to-ch",
                          "EEA/shop/to-crm", "EEA/shop/to-jp", "EEA/shop/to-jp-gov",
                          "EEA/shop/to-mx"]
    assert ts["EEA/shop/to-crm"]["onward"] == [
        {"entity": "in-support", "jurisdiction": "IN", "system": "accessor:in-support@IN"}]
    assert "onward" in ts["EEA/shop/to-crm"]["flags"]
    assert ts["EEA/brand/fulfil-back"]["flags"] == ["round-trip"]
    assert ts["EEA/shop/to-mx"]["individuals"]["total"] == 50000


def test_adequacy_switzerland_japan_but_not_a_japanese_public_authority() -> None:
    _rc, doc = check(NAME, "--area", "EEA")
    for tid in ("EEA/shop/to-ch", "EEA/shop/to-jp"):
        a = assessment(doc, tid, "gdpr")
        assert (a["required"], a["status"]) == (["gdpr.adequacy"], "ok")
    assert assessment(doc, "EEA/shop/to-jp-gov", "gdpr")["required"] == ["gdpr.scc"]


def test_module_3_sub_processor_and_module_4_back_to_the_us_controller() -> None:
    _rc, doc = check(NAME, "--area", "EEA")
    assert _module(doc, "EEA/shop/to-backup") == 3
    backup = assessment(doc, "EEA/shop/to-backup", "gdpr")
    assert {d["id"] for d in backup["duties"]} == {"gdpr.tia", "gdpr.dpa"}
    # data that came from the US controller goes back to it: module 4, no TIA
    back = assessment(doc, "EEA/brand/fulfil-back", "gdpr")
    assert _module(doc, "EEA/brand/fulfil-back") == 4
    assert back["duties"] == []
    ids = {f["id"] for f in doc["findings"]}
    assert "GDPR203/EEA/shop/to-crm" in ids


def test_processor_sending_to_a_third_party_controller_is_module_1() -> None:
    _rc, doc = check(NAME, "--area", "EEA")
    assert _module(doc, "EEA/shop/to-mx") == 1
    assert _module(doc, "EEA/shop/to-jp-gov") == 1
    assert "GDPR211/EEA/shop/to-mx" not in {f["id"] for f in doc["findings"]}


def test_the_controllers_own_processor_is_module_2() -> None:
    _rc, doc = check(NAME, "--area", "EEA")
    assert _module(doc, "EEA/shop/to-crm") == 2
    ids = {f["id"] for f in doc["findings"]}
    assert "GDPR211/EEA/shop/to-crm" not in ids
    dpa = [d for d in assessment(doc, "EEA/shop/to-crm", "gdpr")["duties"] if d["id"] == "gdpr.dpa"]
    assert not any("sub-processing" in (d.get("note") or d.get("basis") or "") for d in dpa)


def test_scc_annex_for_the_mexican_partner_names_the_shop_as_exporter() -> None:
    out = cli("report", scenario(NAME), "--template", "gdpr-scc-annexes", "--format", "md",
              "--recipient", "mx-partner")
    assert out.rc == 0, out.stderr
    exporter = out.stdout.split("#### Data exporter(s)")[1].split("#### Data importer(s)")[0]
    assert "| Name | Shop GmbH |" in exporter
    assert "Module 1" in out.stdout


def test_scc_annex_iii_lists_the_indian_support_desk() -> None:
    out = cli("report", scenario(NAME), "--template", "gdpr-scc-annexes", "--format", "md",
              "--recipient", "crm-us")
    assert out.rc == 0, out.stderr
    annex3 = out.stdout.split("## ANNEX III")[1]
    assert "Support Pvt Ltd" in annex3 and "India" in annex3
    assert "| The frequency of the transfer | continuous |" in out.stdout


def test_annex_iii_blank_names_the_access_field() -> None:
    out = cli("report", scenario(NAME), "--template", "gdpr-scc-annexes", "--format", "md",
              "--recipient", "crm-us")
    todo = out.stdout.split("## To complete")[1]
    assert "access.support.purpose" in todo


def _ropa() -> str:
    out = cli("report", scenario(NAME), "--template", "gdpr-ropa", "--format", "md")
    assert out.rc == 0, out.stderr
    return out.stdout


def _section(doc: str, title: str) -> str:
    return doc.split(f"## {title}")[1].split("\n## ")[0]


def test_ropa_shop_lists_its_transfers() -> None:
    shop = _section(_ropa(), "Controller: Shop GmbH (Art. 30(1))")
    for tid in ("EEA/shop/to-backup", "EEA/shop/to-ch", "EEA/shop/to-crm", "EEA/shop/to-jp",
                "EEA/shop/to-jp-gov", "EEA/shop/to-mx"):
        assert f"`{tid}`" in shop


def test_ropa_attributes_processing_to_the_controller() -> None:
    doc = _ropa()
    assert "## Controller: Host SAS" not in doc
    shop = _section(doc, "Controller: Shop GmbH (Art. 30(1))")
    recipients = next(ln for ln in shop.splitlines() if ln.startswith("| (d)"))
    for name in ("CRM Inc.", "Marketing SA de CV", "Partner AG", "Partner KK", "City of Osaka",
                 "Backup Pte Ltd"):
        assert name in recipients, name
    purposes = next(ln for ln in shop.splitlines() if ln.startswith("| (b)"))
    assert "Customer care" in purposes and "Joint marketing" in purposes


def test_ropa_sub_processor_names_the_controller() -> None:
    backup = _section(_ropa(), "Processor: Backup Pte Ltd (Art. 30(2))")
    line = next(ln for ln in backup.splitlines() if "Controllers on whose behalf" in ln)
    assert "Shop GmbH" in line
