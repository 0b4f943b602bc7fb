"""A Dutch webshop's Irish hosting processor passes customer e-mails to its own US sub-processor
(SCC Module 3, processor to processor: docs/regimes.md GDPR "a processor passes it to its own
sub-processor (processor_for that processor): 3 P2P, the processor signs"; docs/templates.md
gdpr-scc-annexes: Annex I.A names the sending processor with the controller it acts for, I.C
the exporter's supervisory authority). Under SCC Clause 13(a) the competent authority is the
one responsible for the data exporter - Hostie, established in Ireland: the DPC. `check` and the
annexes must agree."""

from __future__ import annotations

from .helpers import assessment, check, run, scenario, transfers

NAME = "eu-module3"
T = "EEA/tulp/to-support"


def annexes() -> str:
    out = run("report", scenario(NAME), "--template", "gdpr-scc-annexes", "--format", "md")
    assert out.rc == 0
    return out.stdout


def test_transfer_exporter_is_the_controller_sender_the_processor() -> None:
    t = transfers(NAME)["transfers"]
    assert [x["id"] for x in t] == [T]
    assert t[0]["exporter"]["entity"] == "tulp"
    assert (t[0]["sender"]["entity"], t[0]["sender"]["role"]) == ("hostie", "processor")


def test_module_3_signed_by_the_processor() -> None:
    _rc, d = check(NAME)
    scc = assessment(d, T, "gdpr")["mechanism_details"]["gdpr.scc"]
    assert (scc["module"], scc["data_exporter"], scc["controller"]) == (3, "hostie", "tulp")


def test_annex_i_names_the_sending_processor_and_its_controller() -> None:
    text = annexes()
    assert "Module 3 (processor to processor)" in text
    exporter = text.split("#### Data exporter(s)", 1)[1].split("#### Data importer(s)", 1)[0]
    assert "| Name | Hostie Ltd. |" in exporter
    assert "processor (acting on behalf of Tulp B.V.)" in exporter
    assert "**Controller on whose behalf the data is transferred:** Tulp B.V." in exporter
    assert "Customers (customer; 25,000 persons)" in text
    assert "| The frequency of the transfer | continuous |" in text
    assert "| Member State | Ireland |" in text


def test_check_competent_sa_is_the_signing_exporters() -> None:
    _rc, d = check(NAME)
    sa = assessment(d, T, "gdpr")["mechanism_details"]["gdpr.scc"]["competent_sa"]
    assert sa["code"] == "IE"
