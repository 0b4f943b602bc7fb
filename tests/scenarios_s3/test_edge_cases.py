"""Counting edge cases (regulatory.md §2.5-2.6, outputs.md "Counting"):
- minors under 14: all their PI is sensitive (PIPL Art. 28) -> 1 person suffices for Art. 8;
- the counting window is 1 January of the *current* year: a flow that ended 2025-12-31 must not
  count toward 2026 (oldco: 20,000 in 2026 -> Art. 5(4) exempt);
- a database replicated in Hangzhou and Frankfurt receives an export;
- Art. 4 is lost when domestic PI is added in China (mix)."""

from __future__ import annotations

from .helpers import assessment, by_id, check, exporter_row, run, scenario, transfers

NAME = "edge-cases"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_minors_are_sensitive() -> None:
    t = by_id(transfers(NAME, "--area", "CN"))["CN/kidsco/kids-to-sg"]
    assert (t["individuals"]["ordinary"], t["individuals"]["sensitive"]) == (500, 500)
    _rc, doc = check(NAME, "--area", "CN")
    assert exporter_row(doc, "kidsco")["tier"] == "standard-contract"
    assert assessment(doc, "CN/kidsco/kids-to-sg", "pipl")["required"] == \
        ["pipl.standard-contract", "pipl.certification"]


def test_replicated_database_is_an_export() -> None:
    t = by_id(transfers(NAME, "--area", "CN"))["CN/repl/repl-write"]
    assert t["recipient"]["entity"] == "repl"
    assert t["individuals"]["total"] == 150000


def test_art4_lost_when_domestic_pi_added() -> None:
    t = by_id(transfers(NAME, "--area", "CN"))["CN/eu-co/mix-to-us"]
    assert t["provenance"]["personal_collected_in_area"] is True
    assert t["individuals"]["total"] == 3040
    _rc, doc = check(NAME, "--area", "CN")
    a = assessment(doc, "CN/eu-co/mix-to-us", "pipl")
    assert a["mechanism_details"] == {"pipl.exempt": {"article": "art5-4"}}


def test_previous_year_flow_does_not_count() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    row = exporter_row(doc, "oldco")
    assert (row["ordinary"], row["tier"]) == (20000, "exempt")
    assert assessment(doc, "CN/oldco/old-to-us-26", "pipl")["required"] == ["pipl.exempt"]


def test_sub_cohort_of_minors_is_sensitive() -> None:
    t = by_id(transfers(NAME, "--area", "CN"))["CN/school/school-to-sg"]
    assert (t["individuals"]["ordinary"], t["individuals"]["sensitive"]) == (300, 300)
    _rc, doc = check(NAME, "--area", "CN")
    assert exporter_row(doc, "school")["tier"] == "standard-contract"
