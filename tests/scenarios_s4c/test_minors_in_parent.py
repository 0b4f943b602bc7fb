"""`minors_under_14` on a sub-cohort (docs/model-format.md 'cohorts': "all personal information
of these people is sensitive (PIPL Art. 28)"; `subset_of`; regulatory.md §2 PIPL Art. 28).

60,000 pupils, of whom 12,000 are `young-pupils` (`subset_of: pupils`, `minors_under_14:
true`), are enrolled in a CN LMS. `all-out` sends all pupils' contact data to a US vendor,
`young-out` only the young pupils'. Both carry the 12,000 children's PI: 12,000 sensitive each."""

from __future__ import annotations

from .helpers import by_id, cli, scenario, transfers

NAME = "minors-in-parent"


def test_validate() -> None:
    assert cli("validate", scenario(NAME)).rc == 0


def test_flow_naming_the_minors_counts_them_sensitive() -> None:
    t = by_id(transfers(NAME))["CN/eduapp/young-out"]
    assert (t["individuals"]["total"], t["individuals"]["sensitive"]) == (12_000, 12_000)


def test_flow_naming_the_parent_counts_everyone() -> None:
    t = by_id(transfers(NAME))["CN/eduapp/all-out"]
    assert (t["individuals"]["total"], t["individuals"]["ordinary"]) == (60_000, 60_000)


def test_minors_inside_the_parent_cohort_are_sensitive() -> None:
    t = by_id(transfers(NAME))["CN/eduapp/all-out"]
    assert t["individuals"]["sensitive"] == 12_000
