"""A German controller with a Chinese contract manufacturer (regulatory.md §3.1, §3.3, §3.5, §3.6;
§2.5 Art. 4; §6 "returning data is not an export of the origin jurisdiction"; docs/regimes.md GDPR
"Round trip").

Rheinwerk (Mannheim) sends 250,000 EU buyers' names, addresses and e-mails daily to its processor
in Dalian (`to-dalian`), which prints labels at its own sub-processor in Shenyang (inside CN) and
sends the production status back to Rheinwerk's ERP in Frankfurt (`status-back`).
By hand:
* EEA/rheinwerk/to-dalian: sender rheinwerk (controller) -> dalian-mfg (processor): SCC Module 2
  signed by rheinwerk, TIA + Art. 28 contract (all declared: `ok`), GDPR202 (clear data in
  mainland China, DPC TikTok), GDPR203 onward to the Shenyang sub-processor, flags onward +
  round-trip; Annex III lists Shenyang; Art. 30(1)(e) lists the transfer with the SCC.
* CN/rheinwerk/status-back: a PRC export of the German controller's data (sender dalian-mfg as
  processor, recipient rheinwerk as controller) collected abroad, no domestic PI: Art. 4 exempt,
  not counted (PIPL-U-EXEMPT-COUNT; counted it would be 250,000 -> standard contract).
* The Dalian -> Shenyang hop is domestic: no transfer."""

from __future__ import annotations

from pathlib import Path

from .helpers import assessment, by_id, check, cli, exporter_row, finding_ids, run, scenario, transfers

NAME = "de-dalian"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_exactly_two_transfers() -> None:
    ts = by_id(transfers(NAME))
    assert sorted(ts) == ["CN/rheinwerk/status-back", "EEA/rheinwerk/to-dalian"]


def test_eea_transfer_parties_onward_and_round_trip() -> None:
    t = by_id(transfers(NAME))["EEA/rheinwerk/to-dalian"]
    assert t["exporter"]["entity"] == "rheinwerk"
    assert (t["sender"]["entity"], t["sender"]["role"]) == ("rheinwerk", "controller")
    assert (t["recipient"]["entity"], t["recipient"]["role"], t["recipient"]["jurisdiction"]) == (
        "dalian-mfg", "processor", "CN")
    assert t["onward"] == [{"entity": "shenyang-print", "jurisdiction": "CN", "system": "labels"}]
    assert sorted(t["flags"]) == ["onward", "round-trip"]
    assert t["individuals"]["total"] == 250_000


def test_return_leg_is_a_prc_export_of_the_german_controller() -> None:
    t = by_id(transfers(NAME))["CN/rheinwerk/status-back"]
    assert t["exporter"]["entity"] == "rheinwerk"
    assert (t["sender"]["entity"], t["sender"]["role"]) == ("dalian-mfg", "processor")
    assert (t["recipient"]["entity"], t["recipient"]["role"]) == ("rheinwerk", "controller")
    assert t["provenance"]["received_from"] == ["DE"]
    assert t["provenance"]["domestic_added"] is False
    assert "round-trip" in t["flags"]


def test_gdpr_module_2_signed_by_the_controller_and_satisfied() -> None:
    _rc, doc = check(NAME)
    a = assessment(doc, "EEA/rheinwerk/to-dalian", "gdpr")
    assert a["required"] == ["gdpr.scc"]
    scc = a["mechanism_details"]["gdpr.scc"]
    assert (scc["module"], scc["data_exporter"], scc["data_importer"]) == (2, "rheinwerk", "dalian-mfg")
    assert scc["competent_sa"]["code"] == "DE"
    assert scc["onward"] == [{"entity": "shenyang-print", "jurisdiction": "CN", "system": "labels"}]
    assert sorted(d["id"] for d in a["duties"]) == ["gdpr.dpa", "gdpr.tia"]
    assert all(d["declared"] for d in a["duties"])
    assert a["status"] == "ok"
    ids = finding_ids(doc)
    assert "GDPR202/EEA/rheinwerk/to-dalian" in ids
    assert "GDPR203/EEA/rheinwerk/to-dalian" in ids
    assert not any(i.startswith(("GDPR100/", "GDPR110/")) for i in ids)


def test_art4_exempts_the_return_and_is_not_counted() -> None:
    _rc, doc = check(NAME)
    a = assessment(doc, "CN/rheinwerk/status-back", "pipl")
    assert a["required"] == ["pipl.exempt"]
    assert a["mechanism_details"] == {"pipl.exempt": {"article": "art4"}}
    assert a["status"] == "exempt"
    assert "PIPL-U-EXEMPT-COUNT" in {w["code"] for w in a["warnings"]}
    row = exporter_row(doc, "rheinwerk")
    assert (row["ordinary"], row["sensitive"], row["tier"]) == (0, 0, "exempt")
    assert row["tier_if_exempt_counted"] == "standard-contract"
    assert not any(i.startswith(("PIPL100/", "PIPL202/")) for i in finding_ids(doc))


def test_area_filters() -> None:
    assert sorted(by_id(transfers(NAME, "--area", "EEA"))) == ["EEA/rheinwerk/to-dalian"]
    assert sorted(by_id(transfers(NAME, "--area", "EU"))) == ["EEA/rheinwerk/to-dalian"]
    assert sorted(by_id(transfers(NAME, "--area", "CN"))) == ["CN/rheinwerk/status-back"]
    _rc, doc = check(NAME, "--area", "CN")
    assert {a["transfer"] for a in doc["assessments"]} == {"CN/rheinwerk/status-back"}


def test_why_gives_both_legs() -> None:
    out = cli("why", scenario(NAME), "EEA/rheinwerk/to-dalian")
    assert out.rc == 0, out.stderr
    assert "[gdpr] requires gdpr.scc" in out.stdout and "gdpr.scc module 2 (C2P)" in out.stdout
    back = cli("why", scenario(NAME), "CN/rheinwerk/status-back")
    assert back.rc == 0 and "Art. 4" in back.stdout


def test_scc_annexes_tia_and_ropa() -> None:
    ann = cli("report", scenario(NAME), "-t", "gdpr-scc-annexes", "--format", "md")
    assert ann.rc == 0, ann.stderr
    assert "Module 2 (controller to processor)" in ann.stdout
    annex3 = ann.stdout.split("ANNEX III")[1]
    assert "Shenyang Label Printing Co., Ltd." in annex3
    assert "EU buyers (customer; 250,000 persons)" in ann.stdout
    tia = cli("report", scenario(NAME), "-t", "gdpr-tia", "--format", "md")
    assert tia.rc == 0 and "EEA/rheinwerk/to-dalian" in tia.stdout and "GDPR202" in tia.stdout
    ropa = cli("report", scenario(NAME), "-t", "gdpr-ropa", "--format", "md")
    assert ropa.rc == 0
    assert "| `EEA/rheinwerk/to-dalian` | Dalian Precision Manufacturing Co., Ltd. | China |" in ropa.stdout
    # the return leg is not an EEA transfer: it never appears in the (e) table
    assert "status-back`" not in ropa.stdout


def test_ropa_recipients_include_the_sub_processor() -> None:
    """regulatory.md §3.6 Art. 30(1)(d): the Shenyang sub-processor receives the buyers' data
    (Annex III, onward) - a recipient (an xfail until gdpr.py was fixed alongside)."""
    ropa = cli("report", scenario(NAME), "-t", "gdpr-ropa", "--format", "md").stdout
    line = next(x for x in ropa.splitlines() if x.startswith("| (d) Categories of recipients"))
    assert "Shenyang Label Printing Co., Ltd." in line


def test_report_renders_the_notice_for_the_exempt_return() -> None:
    out = cli("report", scenario(NAME), "-t", "pipl-notice", "--lang", "en", "--format", "md")
    assert out.rc == 0, out.stderr
    assert "## Provision to Rheinwerk Werkzeuge GmbH (Germany)" in out.stdout


def test_build_writes_the_notice_owed_on_the_exempt_export(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    out = run("build", scenario(NAME), "-o", str(out_dir))
    assert out.rc in (0, 1), out.stderr
    assert (out_dir / "documents" / "pipl-notice_rheinwerk.md").exists()


def test_art4_claimed_on_the_german_export_claims_nothing() -> None:
    """docs/regimes.md: an exemption that names no exit edge out of the mainland is CHK006; the
    EU -> CN flow is not a PRC export, so the claim changes nothing."""
    _rc, doc = check("de-dalian-claim")
    f = next(x for x in doc["findings"] if x["id"] == "CHK006/wrong-edge")
    assert f["severity"] == "warning"
    assert assessment(doc, "EEA/rheinwerk/to-dalian", "gdpr")["required"] == ["gdpr.scc"]
    assert assessment(doc, "CN/rheinwerk/status-back", "pipl")["exemption"] == "art4"


def test_duties_match_without_area_filter() -> None:
    _rc, doc = check(NAME)
    assert not [i for i in finding_ids(doc) if i.startswith(("CHK001/", "CHK005/"))]


def test_area_filter_does_not_orphan_duties_of_other_areas() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    assert not [i for i in finding_ids(doc) if i.startswith("CHK005/")]
