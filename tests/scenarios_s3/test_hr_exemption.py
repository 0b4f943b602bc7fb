"""Art. 5(2) HR exemption (regulatory.md §2.5): employees' PI for cross-border HR management is
exempt and, by default, not counted toward the tiers (§2.6 [U], with a warning). A sub-cohort of
the employees (sick-leave notes) is employees too. The exemption is lost when the flow also
carries customers (mfg2), and then the flow counts: exactly 100,000 -> standard contract."""

from __future__ import annotations

from pathlib import Path

from .helpers import assessment, check, exporter_row, run, scenario, warning_codes

NAME = "hr-exemption"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_mixed_flow_loses_the_hr_exemption() -> None:
    rc, doc = check(NAME, "--area", "CN")
    assert rc == 1
    a = assessment(doc, "CN/mfg2/sales-sync", "pipl")
    assert a["required"] == ["pipl.standard-contract", "pipl.certification"]
    assert "PIPL202/CN/mfg2/sales-sync" in {f["id"] for f in doc["findings"]}
    row = exporter_row(doc, "mfg2")
    assert (row["ordinary"], row["sensitive"], row["tier"]) == (100000, 0, "standard-contract")


def _assert_hr_exempt(doc: dict) -> None:
    hr = assessment(doc, "CN/mfg/hr-to-parent", "pipl")
    assert hr["required"] == ["pipl.exempt"]
    assert hr["mechanism_details"] == {"pipl.exempt": {"article": "art5-2"}}
    assert "PIPL-U-EXEMPT-COUNT" in warning_codes(hr)
    crm = assessment(doc, "CN/mfg/cust-to-crm", "pipl")
    assert crm["required"] == ["pipl.exempt"]
    assert crm["mechanism_details"] == {"pipl.exempt": {"article": "art5-4"}}
    row = exporter_row(doc, "mfg")
    assert (row["ordinary"], row["sensitive"], row["tier"]) == (92000, 0, "exempt")
    assert row["tier_if_exempt_counted"] == "standard-contract"
    assert not any(f["id"].startswith("PIPL202/CN/mfg/") for f in doc["findings"])


def test_employee_sub_cohort_keeps_the_hr_exemption() -> None:
    _assert_hr_exempt(check(NAME, "--area", "CN")[1])


def test_workaround_relationship_on_the_sub_cohort(tmp_path: Path) -> None:
    text = (Path(__file__).parent / NAME / "dataflow.yaml").read_text(encoding="utf-8")
    text = text.replace("sick-leave: {count: 500, subset_of: staff}",
                        "sick-leave: {count: 500, subset_of: staff, relationship: employee}")
    (tmp_path / "dataflow.yaml").write_text(text, encoding="utf-8")
    out = run("check", str(tmp_path), "--area", "CN", "--format", "json")
    _assert_hr_exempt(out.json())
