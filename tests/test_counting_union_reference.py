"""CohortFamily.union against the previous, pairwise implementation (kept here as the
reference): random laminar families with declared overlaps — between unrelated trees, between
sub-cohorts, on nested pairs, several per cohort (bounds) — dated series, random cohort sets.
The numbers (total, lower, upper, method) must be identical."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest

from dataflow.counting import ZERO, CohortFamily, Count, _has_triangle, _max_spanning_forest
from dataflow.model import Cohort


def reference_union(f: CohortFamily, cohort_ids: list[str], day: dt.date | None) -> Count:
    """The union as computed before the partner index: every pair of maximal cohorts."""
    top = f.maximal(cohort_ids)
    if not top:
        return ZERO
    sizes = {c: f.count_at(c, day) for c in top}
    total = sum(sizes.values())
    overlaps: list[tuple[str, str, int]] = []
    for i, a in enumerate(top):
        for b in top[i + 1:]:
            n = f._overlap(a, b)
            if n:
                overlaps.append((a, b, min(n, sizes[a], sizes[b])))
    if not overlaps:
        return Count(total, total, total, "exact")
    pair_sum = sum(n for _, _, n in overlaps)
    if not _has_triangle(overlaps):
        exact = total - pair_sum
        return Count(exact, exact, exact, "exact")
    lower = max(total - pair_sum, max(sizes.values()))
    upper = total - _max_spanning_forest(overlaps)
    return Count(upper, lower, upper, "bounds")


def _random_family(r: random.Random) -> dict[str, dict[str, Any]]:
    n = r.randint(1, 28)
    ids = [f"c{i:02d}" for i in range(n)]
    r.shuffle(ids)  # ids not in creation order, so sorted order and tree order differ
    specs: dict[str, dict[str, Any]] = {}
    for i, cid in enumerate(ids):
        spec: dict[str, Any] = {}
        if r.random() < 0.2:
            spec["count"] = {"2026-01-10": r.randint(1, 5000), "2026-06-01": r.randint(1, 5000)}
        else:
            spec["count"] = r.randint(1, 5000)
        if i and r.random() < 0.55:
            spec["subset_of"] = ids[r.randrange(i)]
        specs[cid] = spec
    for _ in range(r.randint(0, 2 * n)):
        a, b = r.sample(ids, 2) if n > 1 else (ids[0], ids[0])
        if a == b:
            continue
        specs[a].setdefault("overlaps", {})[b] = r.randint(0, 3000)
    return specs


@pytest.mark.parametrize("seed", range(60))
def test_union_matches_the_pairwise_reference(seed: int) -> None:
    r = random.Random(seed)
    specs = _random_family(r)
    ids = sorted(specs)
    f = CohortFamily({cid: Cohort.model_validate(s) for cid, s in specs.items()})
    ref = CohortFamily({cid: Cohort.model_validate(s) for cid, s in specs.items()})
    days = [None, dt.date(2026, 1, 1), dt.date(2026, 3, 1), dt.date(2026, 12, 31)]
    for _ in range(40):
        chosen = r.sample(ids, r.randint(0, len(ids)))
        day = r.choice(days)
        assert f.union(chosen, day) == reference_union(ref, chosen, day), (specs, chosen, day)
