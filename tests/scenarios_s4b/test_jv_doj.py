"""The joint venture seen from its US parent (regulatory.md §5 US DOJ Data Security Program: a
JV organised in China is a covered person; precise geolocation is bulk above 1,000 devices;
vendor agreements are restricted, not prohibited; regimes.md US DOJ table).

``us-parent`` shares precise geolocation of 1,500 US drivers' devices (US-CA) with the Shanghai
JV under a vendor agreement. By hand: ``--area US`` transfer ``US/us-parent/to-jv`` (recipient jv,
controller); 1,500 devices > 1,000 → restricted: CISA security requirements + compliance
program (the rule's due-diligence duties apply from 6 Oct 2025, before the evaluation date)."""

from __future__ import annotations

from .helpers import assessment, by_id, check, exporter_row, finding_ids, run, scenario, transfers

NAME = "jv-doj"


def test_us_area_transfer_to_the_jv() -> None:
    t = by_id(transfers(NAME, "--area", "US"))["US/us-parent/to-jv"]
    assert (t["recipient"]["entity"], t["recipient"]["jurisdiction"]) == ("jv", "CN")
    assert t["individuals"]["devices"] == 1_500


def test_restricted_vendor_agreement() -> None:
    rc, doc = check(NAME)
    assert rc == 1
    a = assessment(doc, "US/us-parent/to-jv", "us-doj-dsp")
    assert a["required"] == ["us-doj-dsp.cisa-security-requirements"]
    assert [d["id"] for d in a["duties"]] == ["us-doj-dsp.compliance-program"]
    assert exporter_row(doc, "us-parent", "us-doj-dsp")["tier"] == "restricted"
    assert {"DOJ100/US/us-parent/to-jv", "DOJ110/US/us-parent/to-jv"} <= set(finding_ids(doc))


def test_why_for_a_us_area_transfer_a_regime_assesses() -> None:
    out = run("why", scenario(NAME), "US/us-parent/to-jv")
    assert out.rc == 0, out.stderr
    assert "us-doj-dsp" in out.stdout
