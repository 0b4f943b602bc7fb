"""A dated count series (docs/model-format.md 'cohorts': "gives the size from each date (zero
before the first); keys are dates YYYY-MM-DD, sorted for you"; outputs.md 'Counting': "a dated
count series counts from each date. That fixes the day a tier is crossed"; regulatory.md §2.6:
100,000 以上 non-sensitive — standard contract).

Users are 90,000 from 2026-01-10 and 105,000 from 2026-06-01 (written in the opposite order); the
export to the US runs from 2026-03-01: acme reaches 100,000 on 2026-06-01."""

from __future__ import annotations

from .helpers import check, cli, exporter_row, scenario

NAME = "dated-series"


def test_validate() -> None:
    assert cli("validate", scenario(NAME)).rc == 0


def test_tier_crossed_on_the_series_date() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    row = exporter_row(doc, "acme")
    assert (row["ordinary"], row["tier"], row["tier_crossed_on"]) == \
        (105_000, "standard-contract", "2026-06-01")
    assert row["reached_on"]["ordinary"] == {"100000": "2026-06-01"}

