"""Distinct individuals: the size of a union of cohorts, exact for a laminar family.

Cohorts are either disjoint or nested (``subset_of``); pairwise ``overlaps`` between non-nested
cohorts are subtracted. Where one cohort overlaps two or more others, only bounds are known
(Bonferroni below, Hunter's spanning-tree bound above) and the method says so. Never a sum of
nested cohorts, never a max.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .model import Cohort


@dataclass(frozen=True)
class Count:
    total: int
    lower: int
    upper: int
    method: str  # exact | bounds

    def to_json(self) -> dict[str, object]:
        return {"total": self.total, "lower": self.lower, "upper": self.upper,
                "method": self.method}


ZERO = Count(0, 0, 0, "exact")


class CohortFamily:
    """Counting over a model's cohorts."""

    def __init__(self, cohorts: Mapping[str, Cohort]):
        self._cohorts = cohorts
        self._ancestors: dict[str, frozenset[str]] = {}
        for cid in cohorts:
            chain: list[str] = []
            cur = cohorts[cid].subset_of
            while cur is not None and cur in cohorts and cur not in chain and cur != cid:
                chain.append(cur)
                cur = cohorts[cur].subset_of
            self._ancestors[cid] = frozenset(chain)
        self._declared = [(x, y, n) for x, c in sorted(cohorts.items())
                          for y, n in sorted(c.overlaps.items()) if y in cohorts]
        self._overlap_memo: dict[tuple[str, str], int] = {}
        self._union_memo: dict[tuple[frozenset[str], dt.date | None], Count] = {}
        self._index: dict[tuple[str, str], list[int]] | None = None
        self._partner_map: dict[str, frozenset[str]] | None = None
        self._minors: dict[str, frozenset[str]] | None = None

    def ancestors(self, cid: str) -> frozenset[str]:
        return self._ancestors.get(cid, frozenset())

    def is_within(self, inner: str, outer: str) -> bool:
        """inner == outer or inner is (transitively) subset_of outer."""
        return inner == outer or outer in self._ancestors.get(inner, frozenset())

    def minors_within(self, cid: str) -> frozenset[str]:
        """A cohort's strict sub-cohorts of children under 14: a flow naming all pupils carries
        the young pupils' PI too, which is sensitive (PIPL Art. 28)."""
        if self._minors is None:
            inner: dict[str, set[str]] = {}
            for d, c in self._cohorts.items():
                if c.minors_under_14:
                    for a in self._ancestors[d]:
                        inner.setdefault(a, set()).add(d)
            self._minors = {k: frozenset(v) for k, v in inner.items()}
        return self._minors.get(cid, frozenset())

    def unit(self, cid: str) -> str:
        return self._cohorts[cid].unit

    def count_at(self, cid: str, day: dt.date | None) -> int:
        """A cohort's size on a day; a dated series counts from each date (0 before the first)."""
        c = self._cohorts[cid].count
        if isinstance(c, int):
            return c
        if day is None:
            return max(c.values())
        value = 0
        for d, n in c.items():  # sorted by date in the schema
            if dt.date.fromisoformat(d) <= day:
                value = n
        return value

    def first_date(self, cid: str) -> dt.date | None:
        c = self._cohorts[cid].count
        if isinstance(c, int):
            return None
        return dt.date.fromisoformat(next(iter(c)))

    def maximal(self, cohort_ids: Iterable[str]) -> list[str]:
        ids = sorted(set(cohort_ids))
        chosen = set(ids)
        return [c for c in ids if not (self._ancestors.get(c, frozenset()) & chosen)]

    def union(self, cohort_ids: Iterable[str], day: dt.date | None = None) -> Count:
        # memoised: thousands of transfers carry the same few cohort sets (Count is frozen)
        key = (frozenset(cohort_ids), day)
        hit = self._union_memo.get(key)
        if hit is None:
            hit = self._union_memo[key] = self._union(key[0], day)
        return hit

    def _union(self, cohort_ids: Iterable[str], day: dt.date | None) -> Count:
        top = self.maximal(cohort_ids)
        if not top:
            return ZERO
        sizes = {c: self.count_at(c, day) for c in top}
        total = sum(sizes.values())
        overlaps: list[tuple[str, str, int]] = []
        # only pairs with a declaration between their subtrees can overlap: look them up per
        # cohort instead of trying every pair (quadratic in the cohorts carried)
        partners = self._partners()
        for a in top:
            near = partners.get(a)
            if not near:
                continue
            for b in sorted(b for b in near if b > a and b in sizes):
                n = self._overlap(a, b)
                if n:
                    overlaps.append((a, b, min(n, sizes[a], sizes[b])))
        if not overlaps:
            return Count(total, total, total, "exact")
        pair_sum = sum(n for _, _, n in overlaps)
        if not _has_triangle(overlaps):
            # three cohorts can share people only if each pair overlaps: without a triangle
            # every triple intersection is empty and inclusion-exclusion stops at pairs
            exact = total - pair_sum
            return Count(exact, exact, exact, "exact")
        lower = max(total - pair_sum, max(sizes.values()))
        upper = total - _max_spanning_forest(overlaps)
        # conservative for thresholds: report the upper bound as the total
        return Count(upper, lower, upper, "bounds")

    def _overlap(self, a: str, b: str) -> int:
        """People shared by two cohorts that are not nested: declared on the pair itself, or
        else on their sub-cohorts (outermost declarations only, so nothing counts twice)."""
        key = (a, b) if a < b else (b, a)
        hit = self._overlap_memo.get(key)
        if hit is not None:
            return hit
        direct = self._cohorts[a].overlaps.get(b, self._cohorts[b].overlaps.get(a))
        if direct is not None:
            self._overlap_memo[key] = direct
            return direct
        found: list[tuple[str, str, int]] = []
        # only declarations between the two subtrees can count; in declaration order
        index = self._declared_index()
        for i in sorted(set(index.get((a, b), ())) | set(index.get((b, a), ()))):
            x, y, n = self._declared[i]
            if self.is_within(x, a) and self.is_within(y, b):
                found.append((x, y, n))
            elif self.is_within(x, b) and self.is_within(y, a):
                found.append((y, x, n))
        if not found:
            self._overlap_memo[key] = 0
            return 0
        pairs = {(x, y): n for x, y, n in found}
        outer = [(x, y, n) for (x, y), n in pairs.items()
                 if not any((x2, y2) != (x, y) and self.is_within(x, x2) and self.is_within(y, y2)
                            for (x2, y2) in pairs)]
        total = sum(n for _, _, n in outer)
        self._overlap_memo[key] = total
        return total

    def _declared_index(self) -> dict[tuple[str, str], list[int]]:
        """(a, b) -> positions in ``_declared`` of the overlaps declared between a cohort
        within ``a`` and one within ``b``: a lookup instead of a scan of every declaration
        (which made counting quadratic in the number of cohorts)."""
        if self._index is None:
            index: dict[tuple[str, str], list[int]] = {}
            for i, (x, y, _) in enumerate(self._declared):
                for a in (x, *self.ancestors(x)):
                    for b in (y, *self.ancestors(y)):
                        index.setdefault((a, b), []).append(i)
            self._index = index
        return self._index

    def _partners(self) -> dict[str, frozenset[str]]:
        """Cohort -> the cohorts it may overlap: those with an overlap declared between a
        cohort within one and a cohort within the other (what :meth:`_overlap` can find)."""
        if self._partner_map is None:
            near: dict[str, set[str]] = {}
            for a, b in self._declared_index():
                if a != b:
                    near.setdefault(a, set()).add(b)
                    near.setdefault(b, set()).add(a)
            self._partner_map = {k: frozenset(v) for k, v in near.items()}
        return self._partner_map

    def first_reached(self, entries: Iterable[tuple[dt.date, str]], threshold: int,
                      year_end: dt.date) -> dt.date | None:
        """The first day the union of cohorts carried so far reaches ``threshold`` (以上:
        reaching the number counts). ``entries``: (day a transfer starts carrying, cohort)."""
        entries = list(entries)
        events: dict[dt.date, set[str]] = {}
        for day, cid in entries:
            events.setdefault(day, set()).add(cid)
            # a dated series grows on its own dates too
            c = self._cohorts[cid].count
            if isinstance(c, dict):
                for d in c:
                    dd = dt.date.fromisoformat(d)
                    if day < dd <= year_end:
                        events.setdefault(dd, set())
        carried: set[str] = set()
        for day in sorted(events):
            if day > year_end:
                break
            carried |= {cid for d2, cid in entries if d2 <= day}
            if self.union(carried, day).total >= threshold:
                return day
        return None


def _has_triangle(edges: list[tuple[str, str, int]]) -> bool:
    adj: dict[str, set[str]] = {}
    for a, b, _ in edges:
        adj.setdefault(a, set()).add(b)
        adj.setdefault(b, set()).add(a)
    return any(adj[a] & adj[b] for a, b, _ in edges)


def _max_spanning_forest(edges: list[tuple[str, str, int]]) -> int:
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    total = 0
    for a, b, n in sorted(edges, key=lambda e: (-e[2], e[0], e[1])):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
            total += n
    return total
