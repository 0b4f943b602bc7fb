"""Transfer analysis: every path by which data leaves an area, with provenance and counts.

Data is propagated, never enumerated path by path: each piece of data is an interned token
(category, cohort, controller, origin jurisdictions, anonymised) and a worklist pushes only new
tokens along edges until nothing changes. One propagation serves every area; the first arrival of
each token keeps a predecessor, which gives one witness path per transfer.
"""

from __future__ import annotations

import datetime as dt
import difflib
import heapq
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .counting import CohortFamily, Count
from .diagnostics import Diagnostic
from .resolve import ResolvedModel, accessor_node
from .validate import positioned

REGIME_AREAS = ("CN", "EEA", "UK", "US", "RU", "IN", "VN", "ID", "SA", "SG", "JP", "KR", "HK")
FLAG_ORDER = ("failover", "conditional", "remote-access", "direct-collection", "via-transit",
              "onward", "round-trip", "possible", "anonymised")


class Token(NamedTuple):
    """One piece of data at a node (a tuple: tens of thousands are built per analysis)."""

    category: str
    cohort: str | None
    controller: str
    origin: tuple[str, ...]  # jurisdictions of the system where the data was collected
    anonymised: bool


class Edge(NamedTuple):
    """A flow or an access grant as the analysis sees it (a tuple: 500,000 at 100,000
    systems, built in a fraction of a frozen dataclass's time)."""

    key: str  # flow id, or access id (with @location when one grant has several)
    kind: str  # flow | access
    source: str
    target: str
    object_id: str
    categories: tuple[str, ...]
    cohorts: tuple[str, ...]
    on_behalf_of: str | None
    recipient_entity: str
    recipient_role: str | None
    anonymises: bool
    transit_only: bool
    routing: str
    period: tuple[dt.date, dt.date]
    # jurisdiction of the flow's storage_location when it is not the target system's: the
    # recipient keeps the data there, so the edge reaches it too
    storage: tuple[str, ...] = ()


@dataclass(slots=True)
class Transfer:
    id: str
    area: str
    exporter: str
    sender: str
    sender_role: str
    recipient: str
    recipient_role: str
    recipient_node: str
    recipient_jurisdictions: tuple[str, ...]
    exit_edge: Edge
    origin: tuple[str, ...]
    onward: tuple[tuple[str, str, str], ...]  # (entity, system, jurisdiction)
    tokens: tuple[Token, ...]
    individuals: dict[str, Any]
    provenance: dict[str, Any]
    path: tuple[str, ...]
    path_flows: tuple[str, ...]
    flags: tuple[str, ...]
    possible: bool = False
    onward_edges: tuple[str, ...] = ()
    # the days the exit edge can carry this data: from the first day any of it reaches the
    # exit's source (a relay fed from 1 July exports nothing before), to the edge's end
    period: tuple[dt.date, dt.date] | None = None
    # per cohort, the first day its people's data can cross (only where later than the start)
    cohort_from: tuple[tuple[str, dt.date], ...] = ()

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(sorted({t.category for t in self.tokens}))

    @property
    def cohorts(self) -> tuple[str, ...]:
        return tuple(sorted({t.cohort for t in self.tokens if t.cohort}))


@dataclass(slots=True)
class NotTransfer:
    area: str
    edge: str
    reason: str


@dataclass
class Analysis:
    model: ResolvedModel
    areas: tuple[str, ...]
    transfers: list[Transfer]
    possible: list[Transfer]
    not_transfers: list[NotTransfer]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    family: CohortFamily | None = None
    # the propagation is area-independent: more areas can be analysed without redoing it
    propagation: Any = field(default=None, repr=False, compare=False)

    def by_id(self, tid: str) -> Transfer | None:
        return next((t for t in [*self.transfers, *self.possible] if t.id == tid), None)


class UnknownArea(ValueError):
    """An --area that names no area."""


# GDPR applies in the whole EEA and the UK area is the jurisdiction GB: a user typing EU or GB
# means the regime's area, not a second area whose exits no regime assesses
_AREA_NAMES = {"EU": "EEA", "GB": "UK"}


def canonical_area(area: str) -> str:
    """The area a user means: case-insensitive CN/EEA/UK and two-letter codes, EU read as EEA
    and GB as UK; anything else as typed (subdivision and ``io:`` codes)."""
    code = area.upper() if len(area) == 2 or area.lower() in ("cn", "eea", "uk", "eu") else area
    return _AREA_NAMES.get(code, code)


def check_area(model: ResolvedModel, area: str) -> None:
    if area in ("CN", "EEA", "EU", "UK"):
        return
    place = model.catalogue.resolve_location(area)
    if place is None or place.jurisdiction in ("unknown",) or (
            place.jurisdiction != area and area != "GB"):
        choices = ["CN", "EEA", "EU", "UK", *sorted(
            c for c, j in model.catalogue.jurisdictions.items() if j.kind == "country")]
        guess = difflib.get_close_matches(area.upper(), choices, n=1)
        raise UnknownArea(f"unknown area '{area}'" + (f"; did you mean '{guess[0]}'?" if guess
                                                       else "") + " (CN, EEA, UK or a "
                          "jurisdiction code such as JP)")


def areas_touched(model: ResolvedModel) -> tuple[str, ...]:
    cat = model.catalogue
    juris: set[str] = set()
    for s in model.systems.values():
        juris.update(p.jurisdiction for p in s.places)
    for a in model.access.values():
        for loc in a.from_:
            r = cat.resolve_location(loc)
            if r is not None:
                juris.add(r.jurisdiction)
    out = [a for a in REGIME_AREAS if any(cat.in_area(j, a) for j in juris)]
    return tuple(out)


class _All:
    """Contains everything: an edge that names no categories passes them all."""

    def __contains__(self, item: object) -> bool:
        return True


_ALL = _All()
_SHIFT = 24
_MASK = (1 << _SHIFT) - 1
# A token's entry at a node packs its first arrival: (origin node << 72) | (edge index + 1)
# << 48 | token at the edge's source; edge part 0 where the token originates at the node.
_PRED_TOK = (1 << 48) - 1
_EDGE_BITS = (1 << 24) - 1
_ORIGIN_SHIFT = 72
_ORIGIN_ONLY = ~((1 << _ORIGIN_SHIFT) - 1)


class _Propagation:
    """Tokens at every node after propagation, with first-arrival predecessors.

    A token is an int: its content (category, cohort) in the high bits and its carrier
    (controller, origin jurisdictions, anonymised) in the low bits. Edges filter and narrow
    contents and only sometimes change carriers, so both maps are cached per edge shape and a
    token crossing an edge costs a few dictionary lookups.
    """

    def __init__(self, model: ResolvedModel, family: CohortFamily):
        self.model = model
        self.family = family
        self.contents: list[tuple[str, str | None]] = []
        self.content_index: dict[tuple[str, str | None], int] = {}
        self.carriers: list[tuple[str, tuple[str, ...], bool]] = []
        self.carrier_index: dict[tuple[str, tuple[str, ...], bool], int] = {}
        self._token_cache: dict[int, Token] = {}
        # node -> token -> its first arrival, packed in one int (see _ORIGIN_SHIFT): one dict is
        # the set of tokens present, the witness store and the origin of each token (no tuple
        # per (node, token), no walk to find where a token was collected).
        self.present: dict[str, dict[int, int]] = defaultdict(dict)
        self.edges = _edges(model)
        self.out_edges: dict[str, list[Edge]] = defaultdict(list)
        self.in_edges: dict[str, list[Edge]] = defaultdict(list)
        self._out_idx: dict[str, list[int]] = defaultdict(list)
        self._in_idx: dict[str, list[int]] = defaultdict(list)
        self._nodes: list[str] = []
        self._node_index: dict[str, int] = {}
        for i, e in enumerate(self.edges):
            self.out_edges[e.source].append(e)
            self.in_edges[e.target].append(e)
            self._out_idx[e.source].append(i)
            self._in_idx[e.target].append(i)
            for n in (e.source, e.target):
                if n not in self._node_index:
                    self._node_index[n] = len(self._nodes)
                    self._nodes.append(n)
        self._anc: dict[str, frozenset[str]] = {}
        self._content_maps: dict[tuple[tuple[str, ...], tuple[str, ...]], dict[int, tuple[int, ...]]] = {}
        self._carrier_maps: dict[tuple[str | None, str | None, bool], dict[int, int]] = {}
        self._area_memo: dict[tuple[str, str], bool] = {}
        self._cat_shape: dict[tuple[str, ...], tuple[frozenset[str], frozenset[str]]] = {}
        self._coh_shape: dict[tuple[str, ...], Any] = {}
        self._desc: dict[str, frozenset[str]] | None = None
        self._index_memo: dict[str, dict[str, set[str | None]]] = {}
        self._places_memo: dict[str, tuple[str, ...]] = {}
        # Every content's category is one some edge names (seeds and narrowing take edge
        # categories), so an edge's relevant categories can be listed once over that universe
        # and intersected with the categories present, instead of testing every token.
        # Categories are bits of a small int (tens of categories), so these sets cost nothing.
        universe = sorted({c for e in self.edges for c in e.categories})
        self._cat_bit: dict[str, int] = {c: 1 << i for i, c in enumerate(universe)}
        self._cat_desc: dict[str, int] = defaultdict(int)  # category -> its descendants' bits
        for c, bit in self._cat_bit.items():
            for a in self.ancestors(c):
                self._cat_desc[a] |= bit
        self._content_bit: list[int] = []  # content id -> its category's bit
        self._relevant_memo: dict[tuple[str, ...], tuple[int, int]] = {}
        self._by_cat_memo: dict[str, tuple[int, dict[int, list[int]]]] = {}
        self._seed_carrier: dict[int, int] = {}  # id(edge) -> carrier of data starting there
        self._plans: list[tuple[Any, ...]] | None = None
        self._rank_memo: dict[int, tuple[bool, str, str]] = {}
        self._fs_intern: dict[frozenset[Any], frozenset[Any]] = {}
        self._kinds: list[tuple[int, str | None]] = []
        self._status_memo: dict[str, dict[tuple[str, ...], tuple[bool, bool, bool]]] = {}
        # places of an edge's source -> places of its target -> edge indices
        self._place_groups: dict[tuple[str, ...], dict[tuple[str, ...], list[int]]] | None = None
        # shared between transfers (never mutated once built): individuals per personal content
        # set, provenance per (area, origins), and interned small tuples (onward hops, flags)
        self._indiv_memo: dict[frozenset[tuple[int, str | None]], tuple[dict[str, Any], bool]] = {}
        self._role_memo: dict[str, str | None] = {}
        self._prov_memo: dict[tuple[Any, ...], dict[str, Any]] = {}
        self._tuple_intern: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        self._arrivals: dict[str, dict[int, dt.date]] | None = None
        self._arrivals_done = False
        self._minors: dict[str, frozenset[str]] | None = None

    def _fs(self, items: Iterable[Any]) -> frozenset[Any]:
        """One shared frozenset per distinct set: tens of thousands of edge shapes at 100,000
        systems repeat the same few sets of categories and cohorts."""
        f = frozenset(items)
        return self._fs_intern.setdefault(f, f)

    def release(self) -> None:
        """Drop what only speeds up one analysis (tokens by category per node, categories and
        cohorts per node): recomputing them gives the same result, so a later
        analyse(reuse=...) is unchanged."""
        self._by_cat_memo.clear()
        self._index_memo.clear()

    def in_area(self, jurisdiction: str, area: str) -> bool:
        key = (jurisdiction, area)
        hit = self._area_memo.get(key)
        if hit is None:
            hit = self._area_memo[key] = self.model.catalogue.in_area(jurisdiction, area)
        return hit

    def places(self, node: str) -> tuple[str, ...]:
        hit = self._places_memo.get(node)
        if hit is None:
            hit = self._places_memo[node] = _node_places(self.model, node)
        return hit

    # -- interning
    def content(self, category: str, cohort: str | None) -> int:
        key = (category, cohort)
        i = self.content_index.get(key)
        if i is None:
            i = self.content_index[key] = len(self.contents)
            self.contents.append(key)
            self._content_bit.append(self._cat_bit.get(category, 0))
        return i

    def carrier(self, controller: str, origin: tuple[str, ...], anon: bool) -> int:
        key = (controller, origin, anon)
        i = self.carrier_index.get(key)
        if i is None:
            i = self.carrier_index[key] = len(self.carriers)
            self.carriers.append(key)
        return i

    def token(self, tok: int) -> Token:
        t = self._token_cache.get(tok)
        if t is None:
            cat, coh = self.contents[tok >> _SHIFT]
            ctrl, origin, anon = self.carriers[tok & _MASK]
            t = self._token_cache[tok] = Token(cat, coh, ctrl, origin, anon)
        return t

    def content_rank(self, cid: int) -> tuple[bool, str, str]:
        """Witness order of a content: sensitive categories first, then category, cohort."""
        hit = self._rank_memo.get(cid)
        if hit is None:
            cat, coh = self.contents[cid]
            info = self.model.categories.get(cat)
            hit = self._rank_memo[cid] = (not (info and info.sensitive), cat, coh or "")
        return hit

    def personal(self, tok: int) -> bool:
        """Personal data, not anonymised."""
        return not self.carriers[tok & _MASK][2] and self._content_kinds()[tok >> _SHIFT][0] != 0

    def _content_kinds(self) -> list[tuple[int, str | None]]:
        """Per content id: (0 not personal | 1 about unnamed people | 2 devices | 3 persons |
        4 persons, sensitive; the cohort), kept up to date as contents are interned."""
        kinds = self._kinds
        if len(kinds) < len(self.contents):
            model = self.model
            for cat, coh in self.contents[len(kinds):]:
                info = model.categories.get(cat)
                if not (info and info.personal):
                    kinds.append((0, None))
                elif coh is None:
                    kinds.append((1, None))
                elif self.family.unit(coh) == "devices":
                    kinds.append((2, coh))
                elif info.sensitive or model.cohorts[coh].minors_under_14:
                    kinds.append((4, coh))
                else:
                    kinds.append((3, coh))
        return kinds

    def shared_individuals(self, tokens: list[int]) -> tuple[dict[str, Any], bool]:
        """(:meth:`individuals` without its ``_unnamed`` key, whether it had it), one dict per
        distinct set of non-anonymised contents, shared by the transfers that carry it."""
        carriers = self.carriers
        kinds = self._content_kinds()
        # the count depends only on the (kind, cohort) of the personal, non-anonymised tokens
        key = frozenset([kinds[tok >> _SHIFT] for tok in tokens if not carriers[tok & _MASK][2]])
        hit = self._indiv_memo.get(key)
        if hit is None:
            counted = self.individuals(tokens)
            unnamed = bool(counted.pop("_unnamed", False))
            hit = self._indiv_memo[key] = (counted, unnamed)
        return hit

    def intern(self, items: tuple[Any, ...]) -> tuple[Any, ...]:
        return self._tuple_intern.setdefault(items, items)

    def individuals(self, tokens: Iterable[int]) -> dict[str, Any]:
        """Distinct individuals carried by interned tokens; a fresh dict (callers pop from it)."""
        persons_all: set[str] = set()
        persons_sens: set[str] = set()
        devices: set[str] = set()
        unnamed = False
        kinds = self._content_kinds()
        carriers = self.carriers
        for tok in tokens:
            if carriers[tok & _MASK][2]:
                continue  # anonymised: not personal
            kind, cohort = kinds[tok >> _SHIFT]
            if kind == 0:
                continue
            if kind == 1:
                unnamed = True
            elif kind == 2:
                devices.add(cohort)  # type: ignore[arg-type]
            else:
                persons_all.add(cohort)  # type: ignore[arg-type]
                if kind == 4:
                    persons_sens.add(cohort)  # type: ignore[arg-type]
        minors = self.minors_within()
        for cohort in persons_all:
            persons_sens |= minors.get(cohort, frozenset())
        return _count_individuals(self.family, persons_all, persons_sens, devices, unnamed)

    def minors_within(self) -> dict[str, frozenset[str]]:
        """Per cohort, its strict sub-cohorts of children under 14: a flow naming all pupils
        carries the young pupils' PI too, which is sensitive (PIPL Art. 28)."""
        if self._minors is None:
            cohorts = self.model.cohorts
            self._minors = {}
            for cid in cohorts:
                inner = frozenset(d for d in self._descendants(cid)
                                  if d != cid and cohorts[d].minors_under_14)
                if inner:
                    self._minors[cid] = inner
        return self._minors

    # -- edge semantics
    def ancestors(self, category: str) -> frozenset[str]:
        """The category and every dotted ancestor: a flow category covers its descendants."""
        a = self._anc.get(category)
        if a is None:
            parts = category.split(".")
            a = self._anc[category] = frozenset(".".join(parts[:i])
                                                for i in range(1, len(parts) + 1))
        return a

    def covers(self, parent: str, child: str) -> bool:
        return parent in self.ancestors(child)

    def category_shape(self, cats: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
        """(the edge's categories, their strict ancestors): a token passes unchanged when one
        of its ancestors-or-self is an edge category, and can only be narrowed when it is a
        strict ancestor of one."""
        hit = self._cat_shape.get(cats)
        if hit is None:
            parents: set[str] = set()
            for c in cats:
                parents |= self.ancestors(c) - {c}
            hit = self._cat_shape[cats] = (self._fs(cats), self._fs(parents))
        return hit

    def cohort_shape(self, cohorts: tuple[str, ...]
                     ) -> tuple[frozenset[str | None], frozenset[str | None]] | None:
        """(cohorts passing unchanged, cohorts that can be narrowed); None: the edge names no
        cohort and passes every one."""
        if not cohorts:
            return None
        hit = self._coh_shape.get(cohorts)
        if hit is None:
            fam = self.family
            passing: set[str | None] = set()
            narrow: set[str | None] = {None}
            for k in cohorts:
                passing |= self._descendants(k)
                narrow |= fam.ancestors(k)
            hit = self._coh_shape[cohorts] = (self._fs(passing), self._fs(narrow))
        return hit

    def _descendants(self, cohort: str) -> frozenset[str]:
        if self._desc is None:
            desc: dict[str, set[str]] = {c: {c} for c in self.model.cohorts}
            for c in self.model.cohorts:
                for a in self.family.ancestors(c):
                    desc.setdefault(a, {a}).add(c)
            self._desc = {k: frozenset(v) for k, v in desc.items()}
        return self._desc.get(cohort, frozenset({cohort}))

    def _content_out(self, cid: int, cats: tuple[str, ...], cohorts: tuple[str, ...]
                     ) -> tuple[int, ...]:
        category, cohort = self.contents[cid]
        if cats:
            anc = self.ancestors(category)
            if any(c in anc for c in cats):
                out_cats = [category]
            else:  # a parent present upstream meets a more specific edge category as that one
                out_cats = [c for c in cats if category in self.ancestors(c)]
        else:
            out_cats = [category]
        if not out_cats:
            return ()
        within = self.family.is_within
        if not cohorts:
            out_coh: list[str | None] = [cohort]
        elif cohort is None:
            out_coh = list(cohorts)
        elif any(within(cohort, k) for k in cohorts):
            out_coh = [cohort]
        else:
            out_coh = [k for k in cohorts if within(k, cohort)]
        return tuple(self.content(c, k) for c in out_cats for k in out_coh)

    def _carrier_map(self, e: Edge, arriving: bool) -> dict[int, int] | None:
        new_ctrl = e.recipient_entity if arriving and e.recipient_role == "controller" else None
        if e.on_behalf_of is None and new_ctrl is None and not e.anonymises:
            return None
        key = (new_ctrl, e.on_behalf_of, e.anonymises)
        m = self._carrier_maps.get(key)
        if m is None:
            m = self._carrier_maps[key] = {}
        return m

    def _map_carrier(self, rid: int, e: Edge, arriving: bool, m: dict[int, int]) -> int:
        """The carrier after the edge, or -1 when the edge does not carry this controller's data
        (a flow made on behalf of one controller does not move another controller's data)."""
        out = m.get(rid)
        if out is None:
            ctrl, origin, anon = self.carriers[rid]
            if e.on_behalf_of is not None and ctrl != e.on_behalf_of:
                out = m[rid] = -1
                return out
            if arriving and e.recipient_role == "controller":
                ctrl = e.recipient_entity
            out = m[rid] = self.carrier(ctrl, origin, anon or e.anonymises)
        return out

    def contents_through(self, cid: int, e: Edge) -> tuple[int, ...]:
        """Contents that content ``cid`` becomes on edge ``e`` (empty: blocked)."""
        cat, coh = self.contents[cid]
        cat_set, cat_narrow = self.category_shape(e.categories)
        if e.categories and self.ancestors(cat).isdisjoint(cat_set):
            if cat not in cat_narrow:
                return ()
            unchanged = False
        else:
            unchanged = True
        shape = self.cohort_shape(e.cohorts)
        if shape is not None and coh not in shape[0]:
            if coh not in shape[1]:
                return ()
            unchanged = False
        if unchanged:
            return (cid,)
        cmap = self._content_maps.setdefault((e.categories, e.cohorts), {})
        outs = cmap.get(cid)
        if outs is None:
            outs = cmap[cid] = self._content_out(cid, e.categories, e.cohorts)
        return outs

    def on_edge(self, e: Edge, ei: int | None = None) -> list[tuple[int, int]]:
        """(token at the source, token on the edge) for everything crossing ``e``."""
        # not memoised: at 100,000 systems the pairs of every exit edge take gigabytes, and an
        # edge is an exit for several areas too rarely to pay for that
        if ei is None:
            ei = self.edges.index(e)
        return self.cross(self._tokens_for(e.source, e.categories), ei, False)

    def cross(self, toks: Iterable[int], ei: int, arriving: bool) -> list[tuple[int, int]]:
        """(token, what it becomes) for each of ``toks`` crossing edge number ``ei``, in the
        order of ``toks``: what :meth:`through` gives token by token, with the edge's shape
        looked up once."""
        e, _, pass_bits, any_bits, coh_shape, shape_key, m_in, _ = self._edge_plans()[ei]
        m = m_in if arriving else self._carrier_map(e, False)
        contents = self.contents
        content_bit = self._content_bit
        out: list[tuple[int, int]] = []
        for tok in toks:
            cid = tok >> _SHIFT
            bit = content_bit[cid]
            if any_bits is not None and not bit & any_bits:
                continue
            coh = contents[cid][1]
            if coh_shape is not None and coh not in coh_shape[0]:
                if coh not in coh_shape[1]:
                    continue
                outs: tuple[int, ...] | None = None
            elif pass_bits is None or bit & pass_bits:
                outs = (cid,)
            else:
                outs = None
            if outs is None:
                cmap = self._content_maps.setdefault(shape_key, {})
                outs = cmap.get(cid)
                if outs is None:
                    outs = cmap[cid] = self._content_out(cid, e.categories, e.cohorts)
                if not outs:
                    continue
            rid = tok & _MASK
            if m is not None:
                rid = self._map_carrier(rid, e, arriving, m)
                if rid < 0:
                    continue
            for c in outs:
                out.append((tok, (c << _SHIFT) | rid))
        return out

    def place_status(self, ps: tuple[str, ...], area: str) -> tuple[bool, bool, bool]:
        """(a place inside ``area``, a known place outside, an unknown place) for places."""
        memo = self._status_memo.setdefault(area, {})
        hit = memo.get(ps)
        if hit is None:
            in_area = self.in_area
            hit = memo[ps] = (any(p != "unknown" and in_area(p, area) for p in ps),
                              any(p != "unknown" and not in_area(p, area) for p in ps),
                              any(p == "unknown" for p in ps))
        return hit

    def status_fn(self, area: str) -> Any:
        """status(node) -> :meth:`place_status` of the node's places (memoised per node)."""
        by_node: dict[str, tuple[bool, bool, bool]] = {}
        places = self.places
        place_status = self.place_status

        def status(node: str) -> tuple[bool, bool, bool]:
            hit = by_node.get(node)
            if hit is None:
                hit = by_node[node] = place_status(places(node), area)
            return hit
        return status

    def target_places(self, e: Edge) -> tuple[str, ...]:
        """Where an edge delivers: its target's places, plus the flow's storage location."""
        if not e.storage:
            return self.places(e.target)
        return self.intern(tuple(dict.fromkeys((*self.places(e.target), *e.storage))))

    def exit_edges(self, area: str) -> list[int]:
        """Indices, ascending, of the edges from a node with a place inside ``area`` to one with
        a place outside or unknown. Edges are grouped by their ends' places once, so an area
        is decided per group, not per edge."""
        if self._place_groups is None:
            groups: dict[tuple[str, ...], dict[tuple[str, ...], list[int]]] = {}
            places = self.places
            for i, e in enumerate(self.edges):
                groups.setdefault(places(e.source), {}).setdefault(
                    self.target_places(e), []).append(i)
            self._place_groups = groups
        out: list[int] = []
        place_status = self.place_status
        for src, by_dst in self._place_groups.items():
            if not place_status(src, area)[0]:
                continue
            for dst, idx in by_dst.items():
                _, dst_out, dst_unknown = place_status(dst, area)
                if dst_out or dst_unknown:
                    out.extend(idx)
        out.sort()
        return out

    def _tokens_for(self, node: str, cats: tuple[str, ...]) -> list[int]:
        """Tokens at ``node`` (ascending) whose category an edge naming ``cats`` does not
        block; the others cannot cross it."""
        hit = self._by_cat_memo.get(node)
        if hit is None:
            by_cat: dict[int, list[int]] = {}
            node_bits = 0
            content_bit = self._content_bit
            for tok in sorted(self.present.get(node, ())):
                bit = content_bit[tok >> _SHIFT]
                node_bits |= bit
                by_cat.setdefault(bit, []).append(tok)
            hit = self._by_cat_memo[node] = (node_bits, by_cat)
        node_bits, by_cat = hit
        wanted = node_bits & self.relevant(cats)[1] if cats else node_bits
        if not wanted:
            return []
        return _select(by_cat, wanted)

    def through(self, tok: int, e: Edge, arriving: bool) -> tuple[int, ...]:
        """Tokens that ``tok`` becomes on edge ``e`` (on the edge, or after arrival)."""
        outs = self.contents_through(tok >> _SHIFT, e)
        if not outs:
            return ()
        rid = tok & _MASK
        m = self._carrier_map(e, arriving)
        if m is not None:
            rid = self._map_carrier(rid, e, arriving, m)
            if rid < 0:
                return ()
        return tuple((c << _SHIFT) | rid for c in outs)

    def run(self) -> None:
        """Originate, propagate, and repeat until every declared pair is accounted for.

        Data a flow declares originates at its source when no incoming flow could bring it
        (decided from the declarations alone: those origins are certain). The rest is decided
        after propagation, from what actually arrived: a declared (category, cohort) that no
        token at the source covers originates there too, and propagation resumes. Tokens only
        grow, so the loop ends.
        """
        seeds: dict[str, list[int]] = defaultdict(list)
        pending: list[tuple[Edge, str, str | None]] = []
        certain: list[tuple[Edge, str, str | None]] = []
        summaries: dict[str, tuple[int, int, dict[str | None, int]]] = {}
        left = {n: len(idx) for n, idx in self._out_idx.items()}  # out-edges not yet seen
        cat_bit = self._cat_bit
        for e in self.edges:
            # what the incoming flows of the source can bring, kept until its last out-edge
            summary = summaries.get(e.source)
            if summary is None:
                summary = summaries[e.source] = self._summarise_in(e.source)
            left[e.source] -= 1
            if not left[e.source]:
                del summaries[e.source]
            if e.kind == "access" and not e.categories:
                continue
            any_cohort, unnamed, scoped = summary
            for c in e.categories:
                bit = cat_bit[c]
                brought = bit & any_cohort
                for k in e.cohorts or (None,):
                    if brought or (k is None and bit & unnamed) or bit & scoped.get(k, 0):
                        pending.append((e, c, k))
                    else:
                        certain.append((e, c, k))
        named_here: dict[str, set[str]] = defaultdict(set)
        for e, c, k in certain:
            if k is not None:
                named_here[e.source].add(c)
        # per node: the named categories and all their ancestors, to test "c is an ancestor or
        # a descendant of a named category" with two set operations
        named_up = {n: frozenset(a for c2 in cs for a in self.ancestors(c2))
                    for n, cs in named_here.items()}
        for e, c, k in certain:
            # data about unnamed people where the same data starts about named people: the
            # named cohorts cover it (decided after propagation), no cohort-less copy
            if k is None and e.source in named_up and (
                    c in named_up[e.source]
                    or not self.ancestors(c).isdisjoint(named_here[e.source])):
                pending.append((e, c, k))
            else:
                seeds[e.source].append(self._seed(e, c, k))
        self._propagate(seeds)
        # Pairs that name their people originate first: in a cycle a -> b -> a where only a-to-b
        # names a cohort, the people start at a. Unscoped pairs get their turn only when no
        # named pair is left uncovered.
        while pending:
            seeds = defaultdict(list)
            still: list[tuple[Edge, str, str | None]] = []
            uncovered = [(e, c, k) for e, c, k in pending if not self._covered(e.source, c, k)]
            named = [x for x in uncovered if x[2] is not None]
            batch = self._at_home(named) if named else uncovered
            for e, c, k in batch:
                tok = self._seed(e, c, k)
                if tok not in self.present.get(e.source, ()):
                    seeds[e.source].append(tok)
            if not seeds:
                break
            chosen = set(map(id, batch))
            still = [x for x in uncovered if id(x) not in chosen]
            pending = still
            self._propagate(seeds)
        self._index_memo.clear()  # only the origination rounds use it

    def _at_home(self, named: list[tuple[Edge, str, str | None]]
                 ) -> list[tuple[Edge, str, str | None]]:
        """When several systems of a cycle could each be where the same people's data starts,
        the ones in the people's country of residence go first (people are collected where
        they live: a Japanese client's CRM, not the Chinese BPO that returns the data); the
        others wait a round and are usually covered by then. No system at home: all start."""
        sources: dict[tuple[str, str | None], set[str]] = defaultdict(set)
        for e, c, k in named:
            sources[(c, k)].add(e.source)
        home: dict[tuple[str, str | None], set[str]] = {}
        model = self.model
        for key, nodes in sources.items():
            cohort = model.cohorts.get(key[1]) if key[1] is not None else None
            if len(nodes) < 2 or cohort is None or cohort.residence is None:
                continue
            place = model.catalogue.resolve_location(cohort.residence)
            if place is None:
                continue
            here = {n for n in nodes if place.jurisdiction in self.places(n)}
            if here:
                home[key] = here
        if not home:
            return named
        return [x for x in named if (x[1], x[2]) not in home or x[0].source in home[(x[1], x[2])]]

    def _seed(self, e: Edge, category: str, cohort: str | None) -> int:
        rid = self._seed_carrier.get(id(e))
        if rid is None:
            model = self.model
            src = e.source
            ctrl = e.on_behalf_of or model.flow_controller.get(
                e.object_id, model.controller_of(model.systems[src].operator))
            rid = self._seed_carrier[id(e)] = self.carrier(
                ctrl, model.systems[src].jurisdictions, False)
        return (self.content(category, cohort) << _SHIFT) | rid

    def _covered(self, node: str, category: str, cohort: str | None) -> bool:
        """Does a token present at ``node`` carry this category (or a parent or child of it)
        about these people (the cohort, a sub-cohort, a super-cohort, or unnamed people)?"""
        index = self._present_index(node)
        anc = self.ancestors(category)
        family = self.family
        for cat, cohorts in index.items():
            if cat not in anc and category not in self.ancestors(cat):
                continue
            if cohort is None or None in cohorts or cohort in cohorts:
                return True
            # a super-cohort or a sub-cohort of it: set operations, as a hub holds thousands
            if not (family.ancestors(cohort).isdisjoint(cohorts)
                    and self._descendants(cohort).isdisjoint(cohorts)):
                return True
        return False

    def _present_index(self, node: str) -> dict[str, set[str | None]]:
        index = self._index_memo.get(node)
        if index is None:
            index = self._index_memo[node] = {}
            for cid in {tok >> _SHIFT for tok in self.present.get(node, ())}:
                cat, coh = self.contents[cid]
                index.setdefault(cat, set()).add(coh)
        return index

    def relevant(self, cats: tuple[str, ...]) -> tuple[int, int]:
        """Category bits an edge naming ``cats`` passes unchanged, and those it passes or
        narrows: every other category is blocked."""
        hit = self._relevant_memo.get(cats)
        if hit is None:
            passing = 0
            for c in cats:
                passing |= self._cat_desc.get(c, 0)
            narrow = 0
            for c in self.category_shape(cats)[1]:
                narrow |= self._cat_bit.get(c, 0)
            hit = self._relevant_memo[cats] = (passing, passing | narrow)
        return hit

    def _propagate(self, seeds: dict[str, list[int]]) -> None:
        """Level-synchronous worklist: the tokens new at a node in one level are pushed along
        its out-edges in the next. Only tokens whose category an edge passes or narrows are
        looked at (a set intersection over categories): most tokens are blocked on most edges.
        Within an edge, tokens go in ascending order, so the first arrival (the recorded
        predecessor) and the interning order of contents and carriers are deterministic."""
        self._index_memo.clear()
        self._by_cat_memo.clear()
        present = self.present
        delta: dict[str, list[int]] = {}
        node_index = self._node_index
        for node in sorted(seeds):
            have = present[node]
            here = node_index[node] << _ORIGIN_SHIFT
            for tok in seeds[node]:
                if tok not in have:
                    have[tok] = here
                    delta.setdefault(node, []).append(tok)
        frontier = sorted(delta)
        plans = self._edge_plans()
        out_idx = self._out_idx
        contents = self.contents
        content_bit = self._content_bit
        content_maps = self._content_maps
        map_carrier = self._map_carrier
        content_out = self._content_out
        while frontier:
            next_delta: dict[str, list[int]] = {}
            for node in frontier:
                toks = delta[node]
                toks.sort()
                node_present = present[node]
                by_cat: dict[int, list[int]] = {}
                node_bits = 0
                for tok in toks:
                    bit = content_bit[tok >> _SHIFT]
                    lst = by_cat.get(bit)
                    if lst is None:
                        by_cat[bit] = [tok]
                        node_bits |= bit
                    else:
                        lst.append(tok)
                for ei in out_idx.get(node, ()):
                    e, target, pass_bits, any_bits, coh_shape, shape_key, m, base = plans[ei]
                    if any_bits is not None:
                        hit_bits = node_bits & any_bits
                        if not hit_bits:
                            continue  # blocked: the common case on busy nodes
                        if hit_bits == node_bits:
                            matched = toks
                        else:
                            matched = _select(by_cat, hit_bits)
                    else:
                        matched = toks
                    target_present = present[target]
                    grown: list[int] = []
                    last_cid = -1
                    outs: tuple[int, ...] = ()
                    for tok in matched:
                        cid = tok >> _SHIFT
                        if cid != last_cid:
                            last_cid = cid
                            coh = contents[cid][1]
                            if coh_shape is not None and coh not in coh_shape[0]:
                                if coh not in coh_shape[1]:
                                    outs = ()
                                    continue
                                coh_pass = False
                            else:
                                coh_pass = True
                            if coh_pass and (pass_bits is None or content_bit[cid] & pass_bits):
                                outs = (cid,)  # passes unchanged
                            else:
                                cmap = content_maps.setdefault(shape_key, {})
                                hit = cmap.get(cid)
                                if hit is None:
                                    hit = cmap[cid] = content_out(cid, e.categories, e.cohorts)
                                outs = hit
                        if not outs:
                            continue
                        rid = tok & _MASK
                        if m is not None:
                            rid = map_carrier(rid, e, True, m)
                            if rid < 0:
                                continue
                        for c2 in outs:
                            t2 = (c2 << _SHIFT) | rid
                            if t2 not in target_present:
                                target_present[t2] = (node_present[tok] & _ORIGIN_ONLY) | base | tok
                                grown.append(t2)
                    if grown:
                        nd = next_delta.get(target)
                        if nd is None:
                            next_delta[target] = grown
                        else:
                            nd.extend(grown)
            delta = next_delta
            frontier = sorted(delta)

    def _edge_plans(self) -> list[tuple[Any, ...]]:
        """Per edge, what the worklist needs, looked up once: (edge, target, categories passed
        unchanged or None for all, category bits not blocked or None, cohort shape, key of the
        memo of narrowed contents (made only when something narrows: most edges never do),
        carrier map on arrival, packed-predecessor base)."""
        if self._plans is None:
            plans = []
            for i, e in enumerate(self.edges):
                pass_bits: int | None = None
                any_bits: int | None = None
                if e.categories:
                    pass_bits, any_bits = self.relevant(e.categories)
                plans.append((e, e.target, pass_bits, any_bits, self.cohort_shape(e.cohorts),
                              (e.categories, e.cohorts),
                              self._carrier_map(e, True), (i + 1) << 48))
            self._plans = plans
        return self._plans

    def _summarise_in(self, node: str) -> tuple[int, int, dict[str | None, int]]:
        """Can an incoming flow of ``node`` bring a (category, cohort)? As (category bits some
        incoming flow brings about anybody, about unnamed people at least, and per cohort the
        category bits of incoming flows that name cohorts and can bring that one)."""
        any_cohort = unnamed = 0
        scoped: dict[str | None, int] = {}
        plans = self._edge_plans()
        for gi in self._in_idx.get(node, ()):
            g, _, _, cats, shape = plans[gi][:5]
            if g.kind != "flow" or not g.categories:
                continue  # an edge naming no category brings nothing declared
            unnamed |= cats
            if shape is None:
                any_cohort |= cats
            else:
                for k in shape[0] | shape[1]:
                    scoped[k] = scoped.get(k, 0) | cats
        return any_cohort, unnamed, scoped

    def pred(self, node: str, tok: int) -> tuple[str, str, int] | None:
        """(previous node, edge key, token there) of the first arrival; None at an origin."""
        step = self.present.get(node, {}).get(tok)
        if step is None or not (step >> 48) & _EDGE_BITS:
            return None
        e = self.edges[((step >> 48) & _EDGE_BITS) - 1]
        return e.source, e.key, step & _PRED_TOK

    def witness(self, node: str, tok: int) -> tuple[list[str], list[str], str]:
        """Nodes and edges from the token's origin to ``node``; and the origin system."""
        nodes = [node]
        edges: list[str] = []
        cur: tuple[str, int] = (node, tok)
        seen = set()
        while True:
            step = self.pred(*cur)
            if step is None or cur in seen:
                break
            seen.add(cur)
            prev, ekey, ptok = step
            nodes.append(prev)
            edges.append(ekey)
            cur = (prev, ptok)
        nodes.reverse()
        edges.reverse()
        return nodes, edges, nodes[0]

    def arrivals(self) -> dict[str, dict[int, dt.date]] | None:
        """The first day each token can be at each node this year, when some edge starts
        after 1 January; None when none does (then everything is there from 1 January).

        A token collected at a node is there from 1 January (a cohort's own start is the
        regimes' business); crossing an edge it arrives on max(its day, the edge's start),
        and not at all after the edge's end. Days only grow along a path, so a Dijkstra-style
        pass over (node, token) gives each pair's earliest day."""
        if self._arrivals_done:
            return self._arrivals
        self._arrivals_done = True
        year_start = dt.date(self.model.reporting_year, 1, 1)
        if not any(e.period[0] > year_start for e in self.edges):
            return None
        arr: dict[str, dict[int, dt.date]] = defaultdict(dict)
        heap: list[tuple[dt.date, str, int]] = []
        for node in sorted(self.present):
            for tok, entry in self.present[node].items():
                if not (entry >> 48) & _EDGE_BITS:  # collected here
                    arr[node][tok] = year_start
                    heap.append((year_start, node, tok))
        heapq.heapify(heap)
        edges, out_idx = self.edges, self._out_idx
        while heap:
            day, node, tok = heapq.heappop(heap)
            if arr[node][tok] < day:
                continue
            for ei in out_idx.get(node, ()):
                e = edges[ei]
                start, end = e.period
                when = day if day > start else start
                if when > end:
                    continue
                there = arr[e.target]
                for _, t2 in self.cross((tok,), ei, True):
                    have = there.get(t2)
                    if have is None or when < have:
                        there[t2] = when
                        heapq.heappush(heap, (when, e.target, t2))
        self._arrivals = dict(arr)
        return self._arrivals

    def origin_of(self, node: str, tok: int) -> str:
        """The system where the token at ``node`` was first collected: the start of its
        first-arrival chain, carried along by the propagation."""
        step = self.present.get(node, {}).get(tok)
        return node if step is None else self._nodes[step >> _ORIGIN_SHIFT]


def _select(by_cat: dict[int, list[int]], bits: int) -> list[int]:
    """The tokens of the chosen category bits, ascending."""
    out: list[int] = []
    while bits:
        low = bits & -bits
        out.extend(by_cat[low])
        bits ^= low
    out.sort()
    return out


_ANONYMISING = ("anonymised", "aggregated")


def _edges(model: ResolvedModel) -> list[Edge]:
    year = model.reporting_year
    default = (dt.date(year, 1, 1), dt.date(year, 12, 31))
    out: list[Edge] = []
    flows, systems = model.flows, model.systems
    for fid in sorted(flows):
        f = flows[fid]
        per = f.period
        period = default if per is None else (per.from_ or default[0], per.to or default[1])
        cohorts = tuple(f.cohorts)
        if not cohorts and f.routing != "primary" and f.primary in flows:
            # a fail-over or conditional route carries its primary's people: no new individuals
            cohorts = tuple(flows[f.primary].cohorts)  # type: ignore[index]
        storage: tuple[str, ...] = ()
        if f.storage_location is not None:
            place = model.catalogue.resolve_location(f.storage_location)
            if place is not None and place.jurisdiction not in systems[f.to].jurisdictions:
                storage = (place.jurisdiction,)
        out.append(Edge(
            key=fid, kind="flow", source=f.from_, target=f.to, object_id=fid,
            categories=tuple(f.categories), cohorts=cohorts, on_behalf_of=f.on_behalf_of,
            recipient_entity=systems[f.to].spec.operator, recipient_role=f.recipient_role,
            anonymises=any(t in _ANONYMISING for t in f.transformations),
            transit_only=f.transit_only, routing=f.routing, period=period, storage=storage))
    for aid in sorted(model.access):
        a = model.access[aid]
        per = a.period
        period = ((per.from_ or default[0]) if per else default[0],
                  (per.to or default[1]) if per else default[1])
        for loc in a.from_:
            node = accessor_node(a.accessor, loc)
            out.append(Edge(
                key=aid if len(a.from_) == 1 else f"{aid}@{loc}", kind="access", source=a.system,
                target=node, object_id=aid, categories=tuple(a.categories),
                cohorts=tuple(a.cohorts), on_behalf_of=None, recipient_entity=a.accessor,
                recipient_role=None, anonymises=False, transit_only=False, routing="primary",
                period=period))
    return out


def analyse(model: ResolvedModel, areas: Iterable[str] | None = None, *,
            category: str | None = None, exporter: str | None = None,
            reuse: Analysis | None = None, diagnostics: bool = True) -> Analysis:
    """Find every transfer out of each area (all areas the model touches by default).

    ``diagnostics=False`` leaves ``Analysis.diagnostics`` empty (no DF400/DF313/DF314 warnings,
    whose file positions are costly): for callers that only read the transfers.

    Raises :class:`UnknownArea` for an area that is neither CN, EEA, EU, UK nor a
    jurisdiction code of the catalogue."""
    if areas:
        areas = tuple(dict.fromkeys(canonical_area(a) for a in areas))
    for area in areas or ():
        check_area(model, area)
    if reuse is not None and reuse.model is model and reuse.propagation is not None:
        prop = reuse.propagation
        family = prop.family
    else:
        family = CohortFamily(model.cohorts)
        prop = _Propagation(model, family)
        prop.run()
    chosen = tuple(areas) if areas else areas_touched(model)
    result = Analysis(model, chosen, [], [], [], family=family, propagation=prop)
    for area in chosen:
        _area_transfers(model, prop, family, area, result, diagnostics)
    if category:
        keep = [t for t in result.transfers if any(model.covers(category, c) or
                                                   model.covers(c, category)
                                                   for c in t.categories)]
        result.transfers = keep
        result.possible = [t for t in result.possible if any(
            model.covers(category, c) or model.covers(c, category) for c in t.categories)]
    if exporter:
        result.transfers = [t for t in result.transfers if t.exporter == exporter]
        result.possible = [t for t in result.possible if t.exporter == exporter]
    prop.release()
    result.transfers.sort(key=lambda t: t.id)
    result.possible.sort(key=lambda t: t.id)
    result.not_transfers.sort(key=lambda n: (n.area, n.edge, n.reason))
    return result


def _node_places(model: ResolvedModel, node: str) -> tuple[str, ...]:
    s = model.systems.get(node)
    if s is not None:
        return s.jurisdictions
    # accessor node: accessor:<entity>@<location>
    loc = node.rsplit("@", 1)[1]
    r = model.catalogue.resolve_location(loc)
    return (r.jurisdiction if r else "unknown",)


def _area_transfers(model: ResolvedModel, prop: _Propagation, family: CohortFamily, area: str,
                    result: Analysis, diagnostics: bool = True) -> None:
    status = prop.status_fn(area)
    gdpr_like = area in ("EEA", "UK", "EU")
    if area == "CN":
        _onsite_access(model, prop, area, result)
    edges = prop.edges
    # data that crosses a transit-only hop and lands further on, by landing edge and controller
    landing: dict[int, tuple[int, dict[str, list[tuple[int, int]]]]] = {}
    for ei in prop.exit_edges(area):
        e = edges[ei]
        src_sys = model.systems[e.source]
        direct = src_sys.kind == "client"
        if direct and area != "CN":
            result.not_transfers.append(NotTransfer(
                area, e.key, "collection from data subjects' devices (a client system), not a "
                "transfer"))
            continue
        if e.transit_only:
            result.not_transfers.append(NotTransfer(area, e.key, "transit only"))
            if diagnostics:
                result.diagnostics.append(positioned(
                    model.raw, "DF400", f"flow '{e.key}' is marked transit_only: pure transit "
                    f"through a point of presence outside {area} is not reported as an export (no "
                    "source settles it) [U]; where the data lands beyond it is",
                    ("flows", e.object_id, "transit_only"),
                    severity="warning"))
            _beyond_transit(prop, ei, area, status, landing)
            continue
        operator = src_sys.operator
        if (gdpr_like and e.kind == "access" and e.recipient_entity == operator
                and _established_in(model, prop, operator, area)):
            # an operator established in the area whose staff travel: an employee is not an
            # importer. An operator established abroad is one (a transfer, decided below).
            result.not_transfers.append(NotTransfer(
                area, e.key, "access by the same entity's own staff abroad (EDPB Guidelines "
                "05/2021: no disclosure to another party)"))
            continue
        # tokens on the exit edge, grouped by the controller on whose behalf they cross
        groups: dict[str, list[tuple[int, int]]] = defaultdict(list)  # ctrl -> (src tok, edge tok)
        carriers = prop.carriers
        for tok, t2 in prop.on_edge(e, ei):
            groups[carriers[t2 & _MASK][0]].append((tok, t2))
        foreign_collector = False
        for ctrl in sorted(groups):
            pairs = groups[ctrl]
            if direct and not _established_in(model, prop, ctrl, area):
                foreign_collector = True
                continue
            if (gdpr_like and e.kind == "access" and e.recipient_entity == ctrl
                    and (operator == ctrl or _established_in(model, prop, ctrl, area))):
                # the controller's own staff: no other party (EDPB 05/2021: an employee of the
                # exporter is not an importer). A controller abroad reaching what its processor
                # holds in the area is an importer (module 4), so that stays a transfer.
                result.not_transfers.append(NotTransfer(
                    area, e.key, "access by the controller's own staff abroad (EDPB Guidelines "
                    "05/2021: an employee of the exporter is not an importer; no disclosure to "
                    "another party)"))
                continue
            tr, unnamed = _make_transfer(model, prop, family, area, e, ctrl, pairs, status,
                                         direct)
            _add_transfer(model, result, tr, unnamed, diagnostics)
        if direct and not groups:
            result.not_transfers.append(NotTransfer(
                area, e.key, "collection from data subjects' devices (a client system) carrying "
                "nothing out of the area"))
        elif foreign_collector:
            # a collector established abroad gathers the data itself: no export by a processor
            # in China, but PIPL reaches it (Art. 3(2))
            result.not_transfers.append(NotTransfer(
                area, e.key, "collection from data subjects' devices (a client system) by a "
                "collector established outside CN, not a transfer; PIPL Art. 3(2) reaches "
                "processing abroad of people in China"))
    for nj in sorted(landing):
        via, by_ctrl = landing[nj]
        for ctrl in sorted(by_ctrl):
            pairs = sorted(set(by_ctrl[ctrl]))
            tr, unnamed = _make_transfer(model, prop, family, area, edges[nj], ctrl, pairs,
                                         status, via=edges[via])
            _add_transfer(model, result, tr, unnamed, diagnostics)


def _add_transfer(model: ResolvedModel, result: Analysis, tr: Transfer, unnamed: bool,
                  diagnostics: bool) -> None:
    (result.possible if tr.possible else result.transfers).append(tr)
    if not diagnostics:
        return
    e = tr.exit_edge
    if unnamed:
        result.diagnostics.append(positioned(
            model.raw, "DF314", f"transfer {tr.id} carries personal data with no cohort: "
            "nobody is counted for it", (_coll(e.kind), e.object_id), severity="warning",
            hint="name the cohorts on the flow, or on a flow upstream"))
    if tr.individuals.get("method") == "bounds":
        result.diagnostics.append(positioned(
            model.raw, "DF313", f"transfer {tr.id}: more than two cohorts overlap "
            f"pairwise; distinct individuals lie between {tr.individuals['lower']:,} and "
            f"{tr.individuals['upper']:,} (the upper bound is used)",
            (_coll(e.kind), e.object_id), severity="warning",
            hint="model the shared people as a sub-cohort to make the count exact"))


def _beyond_transit(prop: _Propagation, ei: int, area: str, status: Any,
                    landing: dict[int, tuple[int, dict[str, list[tuple[int, int]]]]]) -> None:
    """Where the data of transit-only exit ``ei`` lands: the transit hop is not an export
    (regulatory.md §2.2), but a party outside the area that receives the data behind it is
    (§2.6: follow intermediaries). Follows chains of transit-only hops; each landing edge gets
    the (token at the transit node, token on the edge) pairs that came through the hop."""
    edges = prop.edges
    e = edges[ei]
    arrived = {t2 for _, t2 in prop.cross(prop._tokens_for(e.source, e.categories), ei, True)}
    todo = [(e.target, arrived)]
    seen: set[str] = set()
    while todo:
        node, toks = todo.pop()
        if node in seen or not toks:
            continue
        seen.add(node)
        for nj in prop._out_idx.get(node, ()):
            nxt = edges[nj]
            crossing = [(tok, t2) for tok, t2 in prop.on_edge(nxt, nj) if tok in toks]
            if not crossing:
                continue
            if nxt.transit_only:
                todo.append((nxt.target, {t3 for _, t3 in prop.cross(
                    [tok for tok, _ in crossing], nj, True)}))
            elif status(nxt.target)[1] or status(nxt.target)[2]:
                # lands outside the area (back inside it, nothing left)
                by_ctrl = landing.setdefault(nj, (ei, {}))[1]
                for pair in crossing:
                    by_ctrl.setdefault(prop.carriers[pair[1] & _MASK][0], []).append(pair)


def _onsite_access(model: ResolvedModel, prop: _Propagation, area: str, result: Analysis
                   ) -> None:
    """Access grants used from inside CN by staff of an entity established abroad: nothing
    leaves the mainland, so no export (CAC Q&A on cross-border data, October 2025), but the
    edge is listed with its reason rather than dropped."""
    for e in prop.edges:
        if e.kind != "access" or _established_in(model, prop, e.recipient_entity, area):
            continue
        src_in = prop.place_status(prop.places(e.source), area)[0]
        dst_in, dst_out, dst_unknown = prop.place_status(prop.places(e.target), area)
        if src_in and dst_in and not (dst_out or dst_unknown):
            result.not_transfers.append(NotTransfer(
                area, e.key, f"access from inside {area} by staff of "
                f"{model.entity_name(e.recipient_entity)}, established outside it, with no "
                "transmission abroad (CAC Q&A on cross-border data, October 2025)"))


def _established_in(model: ResolvedModel, prop: _Propagation, entity: str, area: str) -> bool:
    ent = model.entities.get(entity)
    if ent is None:
        return False
    try:
        return prop.in_area(ent.jurisdiction, area)
    except ValueError:  # a jurisdiction the catalogue cannot place
        return False


def _carrying_period(prop: _Propagation, e: Edge, pairs: list[tuple[int, int]]
                     ) -> tuple[tuple[dt.date, dt.date], tuple[tuple[str, dt.date], ...]]:
    """(the days the exit carries this data, the cohorts that can cross only later than
    that start): the exit edge's own period unless some edge upstream starts later."""
    arrivals = prop.arrivals()
    if arrivals is None:
        return e.period, ()
    at_source = arrivals.get(e.source, {})
    start, end = e.period
    firsts: dict[str | None, dt.date] = {}
    contents = prop.contents
    for tok, t2 in pairs:
        day = at_source.get(tok)
        if day is None:  # reached only over edges that ended: counted from the exit's start
            continue
        day = max(day, start)
        cohort = contents[t2 >> _SHIFT][1]
        if cohort not in firsts or day < firsts[cohort]:
            firsts[cohort] = day
    if not firsts:
        return e.period, ()
    first = min(firsts.values())
    later = tuple(sorted((c, d) for c, d in firsts.items() if c is not None and d > first))
    return (first, end), later


def _coll(kind: str) -> str:
    return "flows" if kind == "flow" else "access"


def _make_transfer(model: ResolvedModel, prop: _Propagation, family: CohortFamily, area: str,
                   e: Edge, ctrl: str, pairs: list[tuple[int, int]], status: Any,
                   direct: bool = False, via: Edge | None = None) -> tuple[Transfer, bool]:
    """The transfer, and whether it carries personal data with no cohort (DF314). ``direct``:
    the exit edge leaves a client system, so the exporter collects straight into a place
    outside the area. ``via``: the transit-only hop out of the area that ``e`` lands the data
    behind; the sender is whoever sent it into that hop."""
    edge_tokens = sorted({t2 for _, t2 in pairs})
    token, cache = prop.token, prop._token_cache
    tokens = tuple([cache.get(i) or token(i) for i in edge_tokens])
    # witness: the most sensitive token first, then by id, for a stable, telling path
    rank = prop.content_rank
    first_src = min(pairs, key=lambda pair: (rank(pair[1] >> _SHIFT), pair[0]))[0]
    nodes, path_edges, _ = prop.witness(e.source, first_src)
    origin_of = prop.origin_of
    source = e.source
    origins = sorted({origin_of(source, s) for s, _ in pairs})
    path = (*nodes, e.target)
    path_flows = (*path_edges, e.key)
    sent_from = e.source if via is None else via.source
    sender = model.systems[sent_from].operator
    recipient = e.recipient_entity
    sender_role = "controller" if sender == ctrl else (
        "entrusted" if _role_into(model, prop, sent_from) == "entrusted" else "processor")
    serves = model.entities[recipient].processor_for if recipient in model.entities else []
    if e.recipient_role:
        recipient_role = e.recipient_role
    elif recipient == ctrl:
        recipient_role = "controller"
    elif ctrl in serves or (sender != ctrl and sender in serves):
        recipient_role = "processor"  # the controller's processor, or a sub-processor
    else:
        recipient_role = "controller"
    dst_places = prop.target_places(e)
    unknown = status(e.target)[2] if not e.storage else prop.place_status(dst_places, area)[2]
    flags: set[str] = set()
    if e.routing in ("failover", "conditional"):
        flags.add(e.routing)
    flows = model.flows
    for fid in path_edges:
        f = flows.get(fid)
        if f is not None and f.routing in ("failover", "conditional"):
            flags.add(f.routing)
    if e.kind == "access":
        flags.add("remote-access")
    if direct:
        flags.add("direct-collection")
    if via is not None:
        flags.add("via-transit")
    if unknown and not any(p != "unknown" and not prop.in_area(p, area) for p in dst_places):
        flags.add("possible")
    carriers = prop.carriers
    rids = {t & _MASK for t in edge_tokens}
    if any(carriers[r][2] for r in rids):
        flags.add("anonymised")
    onward, onward_edges, round_trip = _onward(model, prop, e, [t2 for _, t2 in pairs], status,
                                               area)
    if onward:
        flags.add("onward")
    if round_trip:
        flags.add("round-trip")
    individuals, unnamed = prop.shared_individuals(edge_tokens)
    # provenance depends on the tokens' origin jurisdictions only: decide per distinct origin
    in_area = prop.in_area
    origins_all = {carriers[r][1] for r in rids}
    kinds = prop._content_kinds()
    personal_rids = {t & _MASK for t in edge_tokens
                     if kinds[t >> _SHIFT][0] and not carriers[t & _MASK][2]}
    origins_personal = {carriers[r][1] for r in personal_rids}
    prov_key = (area, frozenset(origins_all), frozenset(origins_personal))
    provenance = prop._prov_memo.get(prov_key)
    if provenance is None:
        collected_in = sorted({j for o in origins_all for j in o if in_area(j, area)})
        received = sorted({j for o in origins_all for j in o if not in_area(j, area)})
        personal_inside = any(any(in_area(j, area) for j in o) for o in origins_personal)
        provenance = prop._prov_memo[prov_key] = {
            "collected_in_area": bool(collected_in),
            "collected_in": collected_in,
            "received_from": received,
            "domestic_added": bool(received) and personal_inside,
            "personal_collected_in_area": personal_inside,
        }
    intern = prop.intern
    period, cohort_from = _carrying_period(prop, e, pairs)
    # a recipient active inside and outside the area (a replica in Shenzhen and Frankfurt)
    # receives the transfer in its places outside: those decide adequacy and the filings
    abroad = tuple(p for p in dst_places if p == "unknown" or not in_area(p, area))
    return Transfer(
        id=f"{area}/{ctrl}/{e.key}", area=area, exporter=ctrl, sender=sender,
        sender_role=sender_role, recipient=recipient, recipient_role=recipient_role,
        recipient_node=e.target, recipient_jurisdictions=intern(abroad or dst_places),
        exit_edge=e,
        origin=intern(tuple(origins)), onward=intern(tuple(onward)), tokens=tokens,
        individuals=individuals, provenance=provenance, path=path, path_flows=path_flows,
        flags=intern(tuple(f for f in FLAG_ORDER if f in flags)), possible="possible" in flags,
        onward_edges=intern(tuple(onward_edges)), period=period,
        cohort_from=cohort_from), unnamed


def _role_into(model: ResolvedModel, prop: _Propagation, node: str) -> str | None:
    memo = prop._role_memo
    if node in memo:
        return memo[node]
    roles = {e.recipient_role for e in prop.in_edges.get(node, ()) if e.recipient_role}
    hit = memo[node] = "entrusted" if "entrusted" in roles else (
        next(iter(sorted(roles))) if roles else None)
    return hit


def _count_individuals(family: CohortFamily, persons_all: set[str], persons_sens: set[str],
                       devices: set[str], unnamed: bool) -> dict[str, Any]:
    total: Count = family.union(persons_all, None)
    sens: Count = family.union(persons_sens, None)
    out: dict[str, Any] = {
        "total": total.total, "ordinary": total.total, "sensitive": sens.total,
        "method": "bounds" if "bounds" in (total.method, sens.method) else "exact",
        "lower": total.lower, "upper": total.upper,
    }
    if devices:
        out["devices"] = family.union(devices, None).total
    if unnamed:
        out["_unnamed"] = True
    return out


def _onward(model: ResolvedModel, prop: _Propagation, exit_edge: Edge, edge_tokens: list[int],
            status: Any, area: str) -> tuple[list[tuple[str, str, str]], list[str], bool]:
    """Systems the exported data reaches after the exit edge, outside the area. (Not memoised:
    no two transfers of one analysis share an exit edge and its tokens.)"""
    return _onward_walk(model, prop, exit_edge, edge_tokens, status)


def _onward_walk(model: ResolvedModel, prop: _Propagation, exit_edge: Edge,
                 edge_tokens: list[int], status: Any
                 ) -> tuple[list[tuple[str, str, str]], list[str], bool]:
    start: set[int] = set()
    for t in edge_tokens:
        start.update(prop.through(t, exit_edge, True) if exit_edge.recipient_role == "controller"
                     else (t,))
    out_idx, edges, cross = prop._out_idx, prop.edges, prop.cross
    if not out_idx.get(exit_edge.target):
        return [], [], False  # the recipient sends nothing on (accessors, sinks)
    seen: dict[str, set[int]] = {exit_edge.target: set(start)}
    plans, content_bit = prop._edge_plans(), prop._content_bit
    frontier = [exit_edge.target]
    onward: set[tuple[str, str, str]] = set()
    edges_used: set[str] = set()
    round_trip = False
    steps = 0
    while frontier and steps < 100_000:
        nxt: list[str] = []
        for node in sorted(frontier):
            toks = seen[node]
            node_bits = 0
            for t in toks:
                node_bits |= content_bit[t >> _SHIFT]
            for ei in out_idx.get(node, ()):
                e = edges[ei]
                steps += 1
                any_bits = plans[ei][3]
                if any_bits is not None and not node_bits & any_bits:
                    continue  # no category of these tokens crosses this edge
                passed = {t2 for _, t2 in cross(toks, ei, True)}
                if not passed:
                    continue
                src_in, _, _ = status(e.target)
                edges_used.add(e.key)
                if src_in:
                    round_trip = True
                    continue  # back inside: any new exit from there is its own transfer
                have = seen.setdefault(e.target, set())
                new = passed - have
                if new:
                    have |= new
                    nxt.append(e.target)
                ent = e.recipient_entity
                for j in prop.places(e.target):
                    onward.add((ent, e.target, j))
        frontier = nxt
    return sorted(onward), sorted(edges_used), round_trip


def transfer_json(model: ResolvedModel, t: Transfer) -> dict[str, Any]:
    cats = []
    by_cat: dict[str, list[Token]] = defaultdict(list)
    for tok in t.tokens:
        by_cat[tok.category].append(tok)
    for cid in sorted(by_cat):
        info = model.categories.get(cid)
        toks = by_cat[cid]
        cats.append({
            "id": cid, "name": info.name if info else cid,
            "name_zh": info.name_zh if info else None,
            "personal": bool(info and info.personal), "sensitive": bool(info and info.sensitive),
            "special": bool(info and info.special), "doj": info.doj if info else None,
            "important_data": bool(info and info.important_data),
            "anonymised": all(x.anonymised for x in toks),
            "minors_under_14": any(x.cohort and model.cohorts[x.cohort].minors_under_14
                                   for x in toks),
        })
    cohorts = []
    for cid in t.cohorts:
        c = model.cohorts[cid]
        cohorts.append({"id": cid, "name": c.name or cid, "unit": c.unit,
                        "count": c.count if isinstance(c.count, int) else dict(c.count),
                        "subset_of": c.subset_of})
    e = t.exit_edge
    period = t.period or e.period
    rec_node = t.recipient_node
    recipient: dict[str, Any] = {
        "entity": t.recipient, "name": model.entity_name(t.recipient), "role": t.recipient_role,
        "jurisdiction": ",".join(t.recipient_jurisdictions),
    }
    if e.kind == "access":
        recipient["accessor"] = rec_node
        recipient["location"] = rec_node.rsplit("@", 1)[1]
    else:
        recipient["system"] = rec_node
        recipient["location"] = ",".join(p.raw for p in model.systems[rec_node].places)
    return {
        "id": t.id, "area": t.area,
        "exporter": {"entity": t.exporter, "name": model.entity_name(t.exporter),
                     "jurisdiction": model.entity_jurisdiction(t.exporter)},
        "sender": {"entity": t.sender, "name": model.entity_name(t.sender),
                   "role": t.sender_role, "system": e.source},
        "recipient": recipient,
        "exit_edge": {"id": e.key, "type": e.kind, "from": e.source, "to": e.target,
                      "routing": e.routing},
        "origin": list(t.origin),
        "onward": [{"entity": ent, "system": s, "jurisdiction": j} for ent, s, j in t.onward],
        "categories": cats,
        "cohorts": cohorts,
        "individuals": t.individuals,
        "provenance": t.provenance,
        "period": {"from": period[0].isoformat(), "to": period[1].isoformat()},
        "path": list(t.path),
        "path_flows": list(t.path_flows),
        "flags": list(t.flags),
        "purpose": _purpose(model, e),
        "catalogue_entries": _catalogue_refs(model, t),
    }


def _purpose(model: ResolvedModel, e: Edge) -> str | None:
    if e.kind == "flow":
        return model.flows[e.object_id].purpose
    return model.access[e.object_id].purpose


def _catalogue_refs(model: ResolvedModel, t: Transfer) -> list[dict[str, Any]]:
    """The catalogue entries the transfer's locations rest on, with confidence and as-of date."""
    out = []
    nodes = [t.exit_edge.source, t.recipient_node] if t.exit_edge.kind == "flow" else [
        t.exit_edge.source]
    for node in nodes:
        s = model.systems.get(node)
        if s is None:
            continue
        for p in s.places:
            out.append({"location": p.raw, "jurisdiction": p.jurisdiction,
                        "confidence": p.confidence, "source": p.source})
    uniq = {(d["location"], d["jurisdiction"]): d for d in out}
    return [uniq[k] for k in sorted(uniq)]


def analysis_json(analysis: Analysis, base: dict[str, Any]) -> dict[str, Any]:
    model = analysis.model
    doc = dict(base)
    doc["areas"] = list(analysis.areas)
    doc["transfers"] = [transfer_json(model, t) for t in analysis.transfers]
    doc["possible_transfers"] = [transfer_json(model, t) for t in analysis.possible]
    doc["not_transfers"] = [{"area": n.area, "edge": n.edge, "reason": n.reason}
                            for n in analysis.not_transfers]
    doc["warnings"] = [d.to_json() for d in analysis.diagnostics]
    return doc
