"""Distinct individuals (dataflow.counting): the size of a union of cohorts — laminar nesting,
pairwise overlaps, bounds where more than two cohorts overlap, dated series, and the first day a
threshold is reached (以上: reaching the number counts). Never a sum, never a max."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from dataflow.counting import ZERO, CohortFamily, Count
from dataflow.model import Cohort

D = dt.date
YEAR_END = D(2026, 12, 31)


def family(**cohorts: dict[str, Any]) -> CohortFamily:
    return CohortFamily({cid: Cohort.model_validate(spec) for cid, spec in cohorts.items()})


def exact(n: int) -> Count:
    return Count(n, n, n, "exact")


# --- laminar families

LAMINAR = dict(
    everyone={"count": 1000},
    premium={"count": 300, "subset_of": "everyone"},
    trial={"count": 200, "subset_of": "everyone"},
    vip={"count": 50, "subset_of": "premium"},
    staff={"count": 70},
)


@pytest.mark.parametrize("chosen, total", [
    ([], 0),
    (["vip"], 50),
    (["premium", "vip"], 300),             # nested: the parent, never 350
    (["vip", "everyone"], 1000),           # transitively nested
    (["premium", "trial"], 500),           # disjoint siblings: the sum
    (["vip", "trial"], 250),
    (["premium", "trial", "vip", "staff"], 570),
    (["everyone", "premium", "trial", "vip", "staff"], 1070),
    (["staff", "staff"], 70),
])
def test_laminar_union(chosen: list[str], total: int) -> None:
    assert family(**LAMINAR).union(chosen) == exact(total)


def test_maximal_and_ancestors() -> None:
    f = family(**LAMINAR)
    assert f.maximal(["vip", "premium", "trial", "staff"]) == ["premium", "staff", "trial"]
    assert f.ancestors("vip") == frozenset({"premium", "everyone"})
    assert f.is_within("vip", "everyone") and f.is_within("vip", "vip")
    assert not f.is_within("everyone", "vip") and not f.is_within("trial", "premium")


def test_empty_union_is_zero() -> None:
    assert family(**LAMINAR).union([]) == ZERO == exact(0)
    assert ZERO.to_json() == {"total": 0, "lower": 0, "upper": 0, "method": "exact"}


# --- pairwise overlaps

def test_pairwise_overlap_is_exact() -> None:
    f = family(customers={"count": 100, "overlaps": {"employees": 30}},
               employees={"count": 80})
    assert f.union(["customers", "employees"]) == exact(150)
    # declared on the other side only: the same
    g = family(customers={"count": 100}, employees={"count": 80, "overlaps": {"customers": 30}})
    assert g.union(["employees", "customers"]) == exact(150)


def test_overlap_only_counts_when_both_are_carried() -> None:
    f = family(customers={"count": 100, "overlaps": {"employees": 30}},
               employees={"count": 80}, other={"count": 5})
    assert f.union(["customers", "other"]) == exact(105)


def test_disjoint_overlapping_pairs_are_exact() -> None:
    f = family(a={"count": 100, "overlaps": {"b": 10}}, b={"count": 100},
               c={"count": 100, "overlaps": {"d": 5}}, d={"count": 100})
    assert f.union(["a", "b", "c", "d"]) == exact(385)


def test_overlap_with_a_nested_pair_uses_the_outer_cohort() -> None:
    # vip is inside customers; the overlap is declared between customers and employees
    f = family(customers={"count": 100, "overlaps": {"employees": 30}},
               vip={"count": 10, "subset_of": "customers"}, employees={"count": 80})
    assert f.union(["vip", "customers", "employees"]) == exact(150)


def test_three_cohorts_sum_max_and_union_differ() -> None:
    f = family(customers={"count": 6000}, vip={"count": 2000, "subset_of": "customers"},
               employees={"count": 5000, "overlaps": {"customers": 1000}})
    chosen = ["customers", "vip", "employees"]
    assert f.union(chosen) == exact(10_000)
    assert f.union(chosen).total not in (13_000, 6_000)  # not the sum, not the max


# --- more than two overlapping: bounds, never a sum

def test_three_mutually_overlapping_cohorts_give_bounds() -> None:
    f = family(a={"count": 100, "overlaps": {"b": 20, "c": 10}},
               b={"count": 100, "overlaps": {"c": 30}}, c={"count": 100})
    c = f.union(["a", "b", "c"])
    # Bonferroni: 300 - 60 = 240; Hunter (maximum spanning tree 30 + 20): 300 - 50 = 250
    assert (c.method, c.lower, c.upper) == ("bounds", 240, 250)
    assert c.total == c.upper  # conservative for thresholds
    assert c.to_json() == {"total": 250, "lower": 240, "upper": 250, "method": "bounds"}


def test_lower_bound_is_never_below_the_largest_cohort() -> None:
    f = family(a={"count": 100, "overlaps": {"b": 90, "c": 90}},
               b={"count": 100, "overlaps": {"c": 90}}, c={"count": 100})
    c = f.union(["a", "b", "c"])
    assert (c.method, c.lower, c.upper) == ("bounds", 100, 120)


def test_chain_of_overlaps_is_exact() -> None:
    f = family(a={"count": 100, "overlaps": {"b": 20}}, b={"count": 100, "overlaps": {"c": 30}},
               c={"count": 100})
    assert f.union(["a", "b", "c"]) == exact(250)


def test_cycle_of_overlaps_without_a_triangle_is_exact() -> None:
    f = family(a={"count": 100, "overlaps": {"b": 10, "d": 10}},
               b={"count": 100, "overlaps": {"c": 10}},
               c={"count": 100, "overlaps": {"d": 10}}, d={"count": 100})
    assert f.union(["a", "b", "c", "d"]) == exact(360)


def test_overlap_with_a_sub_cohort_is_inherited_by_its_parent() -> None:
    f = family(users={"count": 1000}, premium={"count": 200, "subset_of": "users"},
               employees={"count": 500, "overlaps": {"premium": 50}})
    assert f.union(["employees", "premium"]) == exact(650)
    assert f.union(["employees", "users"]) == exact(1450)


# --- dated count series

SERIES = dict(
    users={"count": {"2026-01-10": 70_000, "2026-09-15": 71_000}},
    staff={"count": 300},
)


@pytest.mark.parametrize("day, n", [
    (D(2026, 1, 9), 0), (D(2026, 1, 10), 70_000), (D(2026, 9, 14), 70_000),
    (D(2026, 9, 15), 71_000), (D(2027, 1, 1), 71_000), (None, 71_000),
])
def test_dated_series(day: dt.date | None, n: int) -> None:
    f = family(**SERIES)
    assert f.count_at("users", day) == n
    assert f.count_at("staff", day) == 300
    assert f.union(["users", "staff"], day) == exact(n + 300)


def test_first_date() -> None:
    f = family(**SERIES)
    assert f.first_date("users") == D(2026, 1, 10)
    assert f.first_date("staff") is None


def test_series_keys_are_sorted_by_the_schema() -> None:
    f = family(users={"count": {"2026-09-15": 71_000, "2026-01-10": 70_000}})
    assert f.count_at("users", D(2026, 6, 1)) == 70_000


def test_units() -> None:
    f = family(phones={"count": 10, "unit": "devices"}, users={"count": 5})
    assert (f.unit("phones"), f.unit("users")) == ("devices", "persons")


# --- the first day a threshold is reached

def test_first_reached_at_exactly_the_threshold() -> None:
    f = family(users={"count": 1_000_000})
    entries = [(D(2026, 3, 1), "users")]
    assert f.first_reached(entries, 1_000_000, YEAR_END) == D(2026, 3, 1)  # 以上 includes it
    assert f.first_reached(entries, 1_000_001, YEAR_END) is None


def test_first_reached_follows_a_dated_series() -> None:
    f = family(users={"count": {"2026-01-10": 999_999, "2026-09-15": 1_000_000}})
    entries = [(D(2026, 1, 1), "users")]
    assert f.first_reached(entries, 1, YEAR_END) == D(2026, 1, 10)  # nobody before the series
    assert f.first_reached(entries, 999_999, YEAR_END) == D(2026, 1, 10)
    assert f.first_reached(entries, 1_000_000, YEAR_END) == D(2026, 9, 15)
    assert f.first_reached(entries, 1_000_000, D(2026, 9, 14)) is None


def test_first_reached_when_a_second_cohort_starts_mid_year() -> None:
    f = family(members={"count": 600_000},
               active={"count": 450_000, "subset_of": "members"},
               newsletter={"count": 400_000})
    entries = [(D(2026, 1, 1), "members"), (D(2026, 1, 1), "active"),
               (D(2026, 7, 1), "newsletter")]
    # a naive sum from 1 January (1,050,000) would say 1 January
    assert f.first_reached(entries, 1_000_000, YEAR_END) == D(2026, 7, 1)
    assert f.first_reached(entries, 600_000, YEAR_END) == D(2026, 1, 1)


def test_first_reached_with_overlaps_and_nesting_never_sums() -> None:
    f = family(a={"count": 500_000, "overlaps": {"b": 200_000}}, b={"count": 600_000})
    entries = [(D(2026, 2, 1), "a"), (D(2026, 5, 1), "b")]
    assert f.first_reached(entries, 900_000, YEAR_END) == D(2026, 5, 1)
    assert f.first_reached(entries, 900_001, YEAR_END) is None  # the sum would be 1,100,000


def test_first_reached_ignores_days_after_the_year() -> None:
    f = family(users={"count": 2_000_000})
    assert f.first_reached([(D(2027, 1, 1), "users")], 1_000_000, YEAR_END) is None


def test_first_reached_with_nothing() -> None:
    assert family(**SERIES).first_reached([], 1, YEAR_END) is None


def test_first_reached_accepts_any_iterable() -> None:
    f = family(users={"count": 1_000_000})
    entries = ((d, c) for d, c in [(D(2026, 3, 1), "users")])
    assert f.first_reached(entries, 1_000_000, YEAR_END) == D(2026, 3, 1)


# --- the indexed overlap lookup against the plain scan of every declaration

def _overlap_by_scan(fam: CohortFamily, a: str, b: str) -> int:
    """What CohortFamily._overlap computed before declarations were indexed."""
    cohorts = fam._cohorts
    direct = cohorts[a].overlaps.get(b, cohorts[b].overlaps.get(a))
    if direct is not None:
        return direct
    found = []
    for x, y, n in fam._declared:
        if fam.is_within(x, a) and fam.is_within(y, b):
            found.append((x, y, n))
        elif fam.is_within(x, b) and fam.is_within(y, a):
            found.append((y, x, n))
    pairs = {(x, y): n for x, y, n in found}
    return sum(n for (x, y), n in pairs.items()
               if not any((x2, y2) != (x, y) and fam.is_within(x, x2) and fam.is_within(y, y2)
                          for (x2, y2) in pairs))


@pytest.mark.parametrize("seed", range(25))
def test_indexed_overlaps_match_the_scan(seed: int) -> None:
    import random

    r = random.Random(seed)
    specs: dict[str, dict[str, Any]] = {}
    roots: dict[str, str] = {}
    for i in range(r.randint(4, 14)):
        cid = f"c{i}"
        spec: dict[str, Any] = {"count": r.randint(1_000, 9_000)}
        if specs and r.random() < 0.5:
            parent = r.choice(sorted(specs))
            spec["subset_of"] = parent
            roots[cid] = roots[parent]
        else:
            roots[cid] = cid
        specs[cid] = spec
    ids = sorted(specs)
    for _ in range(r.randint(0, 8)):  # overlaps only between different trees
        x, y = r.sample(ids, 2)
        if roots[x] != roots[y]:
            specs[x].setdefault("overlaps", {})[y] = r.randint(1, 50)
    for a in ids:
        for b in ids:
            fam = family(**specs)  # fresh: _overlap memoises per unordered pair
            if a != b and not fam.is_within(a, b) and not fam.is_within(b, a):
                assert fam._overlap(a, b) == _overlap_by_scan(fam, a, b), (a, b)
    fam = family(**specs)
    chosen = r.sample(ids, r.randint(1, len(ids)))
    assert fam.union(chosen) == fam.union(iter(chosen)) == fam.union(reversed(chosen))


def test_union_memo_tells_days_apart() -> None:
    fam = family(a={"count": {"2026-01-01": 10, "2026-06-01": 20}})
    assert fam.union(["a"], D(2026, 3, 1)) == exact(10)
    assert fam.union(["a"], D(2026, 7, 1)) == exact(20)
    assert fam.union(["a"], None) == exact(20)


def test_minors_within_are_the_strict_sub_cohorts_of_children() -> None:
    fam = family(customers={"count": 100}, premium={"count": 40, "subset_of": "customers"},
                 kids={"count": 3, "subset_of": "premium", "minors_under_14": True},
                 other={"count": 5})
    assert fam.minors_within("customers") == fam.minors_within("premium") == {"kids"}
    assert fam.minors_within("kids") == fam.minors_within("other") == frozenset()
