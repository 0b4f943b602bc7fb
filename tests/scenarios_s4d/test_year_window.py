"""Counting 'since 1 January of the current year' (regulatory.md §2.5 Arts 5(4), 7, 8 — the 2024
Provisions moved the window from the previous to the *current* year; §2.6 step 7 and the
re-papering [U] point; outputs.md "Counting": a cohort counts from the first day a non-exempt
transfer carries it, a dated count series from each date).

- seriesco: 150,000 people exported since June 2025, still running: all count from 1 Jan 2026;
- jan1co: 100,000 people on a flow whose last day is 1 January 2026: counted in 2026 (one day),
  not in 2027;
- futureco: 500,000 people on a flow that only starts on 1 January 2027: nothing is exported in
  2026, so nothing counts toward 2026;
- crossco: 99,999 people, the 100,000th on 30 September (以上 includes the number): contract tier
  from that day, with the PIPL-U-REPAPER warning;
- sensco: 9,999 patients, the 10,000th on 15 August: security-assessment tier from that day."""

from __future__ import annotations

import pytest

from .helpers import assessment, check, exporter_row, run, scenario, warning_codes

NAME = "year-window"


def _check(*extra: str) -> dict:
    _rc, doc = check(NAME, "--area", "CN", *extra)
    return doc


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


@pytest.mark.parametrize(("exporter", "ordinary", "sensitive", "tier", "crossed"), [
    ("seriesco", 150_000, 0, "standard-contract", "2026-01-01"),
    ("jan1co", 100_000, 0, "standard-contract", "2026-01-01"),
    ("crossco", 100_000, 0, "standard-contract", "2026-09-30"),
    ("sensco", 10_000, 10_000, "security-assessment", "2026-08-15"),
])
def test_rows_for_2026(exporter: str, ordinary: int, sensitive: int, tier: str,
                       crossed: str) -> None:
    row = exporter_row(_check(), exporter)
    assert row["year"] == 2026
    assert (row["ordinary"], row["sensitive"], row["tier"], row["tier_crossed_on"]) == (
        ordinary, sensitive, tier, crossed)


@pytest.mark.parametrize("tid", ["CN/crossco/x-out", "CN/sensco/e-out"])
def test_tier_crossed_mid_year_warns_about_re_papering(tid: str) -> None:
    a = assessment(_check(), tid, "pipl")
    assert "PIPL-U-REPAPER" in warning_codes(a)


def test_sensitive_10000th_person_is_the_security_assessment() -> None:
    a = assessment(_check(), "CN/sensco/e-out", "pipl")
    assert a["required"] == ["pipl.security-assessment"]


def test_a_flow_ended_on_1_january_does_not_count_next_year() -> None:
    row = exporter_row(_check("--as-of", "2027-03-01"), "jan1co")
    assert (row["year"], row["ordinary"], row["tier"]) == (2027, 0, "exempt")


def test_a_flow_starting_next_year_counts_next_year() -> None:
    row = exporter_row(_check("--as-of", "2027-03-01"), "futureco")
    assert (row["year"], row["ordinary"], row["tier"]) == (2027, 500_000, "standard-contract")


def test_a_flow_starting_next_year_does_not_count_this_year() -> None:
    row = exporter_row(_check(), "futureco")
    assert (row["year"], row["ordinary"]) == (2026, 0)
