"""Remote access to a Beijing database. regulatory.md §1.2(2) and outputs.md "Not transfers":
access from abroad is an export even when nothing is copied; the exporter's own staff abroad is
an export for CN (model-format "access"); access by a foreign entity's staff while physically in
the mainland is not. Exactly 10,000 people with bank-account data (sensitive, PIPL Art. 28):
security-assessment tier (Provisions Art. 7: 1万人以上 includes 10,000)."""

from __future__ import annotations

from .helpers import assessment, by_id, check, exporter_row, run, scenario, transfers, warning_codes

NAME = "remote-access"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_exports_by_remote_access() -> None:
    doc = transfers(NAME)
    ts = by_id(doc)
    assert sorted(ts) == ["CN/lender/analyst-travel", "CN/lender/bpo-support@PH"]
    bpo = ts["CN/lender/bpo-support@PH"]
    assert bpo["exporter"]["entity"] == "lender"
    assert (bpo["recipient"]["entity"], bpo["recipient"]["jurisdiction"],
            bpo["recipient"]["role"]) == ("bpo", "PH", "processor")
    assert bpo["flags"] == ["remote-access"]
    assert (bpo["individuals"]["ordinary"], bpo["individuals"]["sensitive"]) == (60000, 10000)
    own = ts["CN/lender/analyst-travel"]
    assert (own["recipient"]["entity"], own["recipient"]["jurisdiction"]) == ("lender", "JP")
    assert (own["individuals"]["ordinary"], own["individuals"]["sensitive"]) == (60000, 0)


def test_onsite_access_is_listed_as_not_a_transfer() -> None:
    doc = transfers(NAME)
    edges = {(n["area"], n["edge"]) for n in doc["not_transfers"]}
    assert ("CN", "bpo-support@CN-BJ") in edges


def test_ten_thousand_sensitive_is_the_security_assessment_tier() -> None:
    rc, doc = check(NAME, "--area", "CN")
    assert rc == 1
    row = exporter_row(doc, "lender")
    assert (row["ordinary"], row["sensitive"], row["tier"]) == (60000, 10000, "security-assessment")
    bpo = assessment(doc, "CN/lender/bpo-support@PH", "pipl")
    assert bpo["required"] == ["pipl.security-assessment"]
    own = assessment(doc, "CN/lender/analyst-travel", "pipl")
    # ordinary PI only of 60,000 people: the N tier, Art. 5(4)-exempt even though the exporter
    # is at the security-assessment tier through S (regulatory.md §2.6 "Mapping"); the SA
    # split ([U]) is only between an assessment and a contract
    assert own["required"] == ["pipl.exempt"]
    assert "PIPL-U-SA-SPLIT" not in warning_codes(own)


def test_split_sa_option() -> None:
    _rc, doc = check(NAME, "--area", "CN", "--split-sa")
    own = assessment(doc, "CN/lender/analyst-travel", "pipl")
    assert own["required"] == ["pipl.exempt"]
    assert assessment(doc, "CN/lender/bpo-support@PH", "pipl")["required"] == \
        ["pipl.security-assessment"]


def test_accessible_but_unqueried_is_an_interpretation_warning() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    assert assessment(doc, "CN/lender/bpo-support@PH", "pipl")["warnings"]
