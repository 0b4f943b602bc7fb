"""Transfer analysis: every path by which data leaves an area, with provenance and counts.

Data is propagated, never enumerated path by path: each piece of data is an interned token
(category, cohort, controller, origin jurisdictions, anonymised) and a worklist pushes only new
tokens along edges until nothing changes. One propagation serves every area; the first arrival of
each token keeps a predecessor, which gives one witness path per transfer.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .counting import CohortFamily, Count
from .diagnostics import Diagnostic
from .graph import accessor_node
from .resolve import ResolvedModel
from .validate import positioned

REGIME_AREAS = ("CN", "EEA", "UK", "US", "RU", "IN", "VN", "ID", "SA", "SG", "JP", "KR")
FLAG_ORDER = ("failover", "conditional", "remote-access", "onward", "round-trip", "possible",
              "anonymised")


@dataclass(frozen=True)
class Token:
    category: str
    cohort: str | None
    controller: str
    origin: tuple[str, ...]  # jurisdictions of the system where the data was collected
    anonymised: bool


@dataclass(frozen=True)
class Edge:
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


@dataclass
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

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(sorted({t.category for t in self.tokens}))

    @property
    def cohorts(self) -> tuple[str, ...]:
        return tuple(sorted({t.cohort for t in self.tokens if t.cohort}))


@dataclass
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

    def by_id(self, tid: str) -> Transfer | None:
        return next((t for t in [*self.transfers, *self.possible] if t.id == tid), None)


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


class _Propagation:
    """Tokens at every node after propagation, with first-arrival predecessors."""

    def __init__(self, model: ResolvedModel, family: CohortFamily):
        self.model = model
        self.family = family
        self.tokens: list[Token] = []
        self.index: dict[Token, int] = {}
        self.present: dict[str, set[int]] = defaultdict(set)
        self.pred: dict[tuple[str, int], tuple[str, str, int] | None] = {}
        self.edges = _edges(model)
        self.out_edges: dict[str, list[Edge]] = defaultdict(list)
        self.in_edges: dict[str, list[Edge]] = defaultdict(list)
        for e in self.edges:
            self.out_edges[e.source].append(e)
            self.in_edges[e.target].append(e)
        self._cache: dict[tuple[str, int, bool], tuple[int, ...]] = {}

    def intern(self, t: Token) -> int:
        i = self.index.get(t)
        if i is None:
            i = len(self.tokens)
            self.index[t] = i
            self.tokens.append(t)
        return i

    def covers(self, parent: str, child: str) -> bool:
        return child == parent or child.startswith(parent + ".")

    def through(self, tok: int, e: Edge, arriving: bool) -> tuple[int, ...]:
        """Tokens that ``tok`` becomes on edge ``e`` (on the edge, or after arrival)."""
        key = (e.key, tok, arriving)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        t = self.tokens[tok]
        out: list[int] = []
        if e.categories:
            if any(self.covers(c, t.category) for c in e.categories):
                cats = [t.category]
            else:
                cats = [c for c in e.categories if self.covers(t.category, c)]
        else:
            cats = [t.category]
        if cats:
            if not e.cohorts:
                cohorts: list[str | None] = [t.cohort]
            elif t.cohort is None:
                cohorts = list(e.cohorts)
            elif any(self.family.is_within(t.cohort, k) for k in e.cohorts):
                cohorts = [t.cohort]
            else:
                cohorts = [k for k in e.cohorts if self.family.is_within(k, t.cohort)]
            ctrl = e.on_behalf_of or t.controller
            if arriving and e.recipient_role == "controller":
                ctrl = e.recipient_entity
            anon = t.anonymised or e.anonymises
            for c in cats:
                for k in cohorts:
                    out.append(self.intern(Token(c, k, ctrl, t.origin, anon)))
        result = tuple(out)
        self._cache[key] = result
        return result

    def run(self) -> None:
        model = self.model
        # origination: data a flow or grant declares that no incoming edge can bring
        seeds: dict[str, list[int]] = defaultdict(list)
        for e in self.edges:
            src = e.source
            if e.kind == "access" and not e.categories:
                continue
            for c in e.categories:
                for k in e.cohorts or (None,):
                    if not self._arrives(src, c, k):
                        t = Token(c, k, e.on_behalf_of or model.flow_controller.get(
                            e.object_id, model.controller_of(model.systems[src].operator)),
                            model.systems[src].jurisdictions, False)
                        seeds[src].append(self.intern(t))
        delta: dict[str, set[int]] = defaultdict(set)
        for node in sorted(seeds):
            for tok in seeds[node]:
                if tok not in self.present[node]:
                    self.present[node].add(tok)
                    self.pred[(node, tok)] = None
                    delta[node].add(tok)
        frontier = sorted(delta)
        while frontier:
            next_delta: dict[str, set[int]] = defaultdict(set)
            for node in frontier:
                d = sorted(delta.pop(node, ()))
                for e in self.out_edges.get(node, ()):
                    target_present = self.present[e.target]
                    for tok in d:
                        for t2 in self.through(tok, e, True):
                            if t2 not in target_present:
                                target_present.add(t2)
                                self.pred[(e.target, t2)] = (node, e.key, tok)
                                next_delta[e.target].add(t2)
            delta = next_delta
            frontier = sorted(delta)

    def _arrives(self, node: str, category: str, cohort: str | None) -> bool:
        for g in self.in_edges.get(node, ()):
            if g.kind != "flow":
                continue
            if not any(self.covers(c, category) or self.covers(category, c)
                       for c in g.categories):
                continue
            if not g.cohorts or cohort is None:
                return True
            if any(self.family.is_within(cohort, k) or self.family.is_within(k, cohort)
                   for k in g.cohorts):
                return True
        return False

    def witness(self, node: str, tok: int) -> tuple[list[str], list[str], str]:
        """Nodes and edges from the token's origin to ``node``; and the origin system."""
        nodes = [node]
        edges: list[str] = []
        cur: tuple[str, int] = (node, tok)
        seen = set()
        while True:
            step = self.pred.get(cur)
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


def _edges(model: ResolvedModel) -> list[Edge]:
    year = model.reporting_year
    default = (dt.date(year, 1, 1), dt.date(year, 12, 31))
    out: list[Edge] = []
    for fid in sorted(model.flows):
        f = model.flows[fid]
        per = f.period
        period = ((per.from_ or default[0]) if per else default[0],
                  (per.to or default[1]) if per else default[1])
        out.append(Edge(
            key=fid, kind="flow", source=f.from_, target=f.to, object_id=fid,
            categories=tuple(f.categories), cohorts=tuple(f.cohorts), on_behalf_of=f.on_behalf_of,
            recipient_entity=model.systems[f.to].operator, recipient_role=f.recipient_role,
            anonymises=bool({"anonymised", "aggregated"} & set(f.transformations)),
            transit_only=f.transit_only, routing=f.routing, period=period))
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
            category: str | None = None, exporter: str | None = None) -> Analysis:
    """Find every transfer out of each area (all areas the model touches by default)."""
    family = CohortFamily(model.cohorts)
    prop = _Propagation(model, family)
    prop.run()
    chosen = tuple(areas) if areas else areas_touched(model)
    result = Analysis(model, chosen, [], [], [], family=family)
    for area in chosen:
        _area_transfers(model, prop, family, area, result)
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
                    result: Analysis) -> None:
    cat = model.catalogue
    inside_cache: dict[str, tuple[bool, bool, bool]] = {}

    def status(node: str) -> tuple[bool, bool, bool]:
        """(has a place inside, has a known place outside, has an unknown place)"""
        hit = inside_cache.get(node)
        if hit is None:
            places = _node_places(model, node)
            hit = (any(p != "unknown" and cat.in_area(p, area) for p in places),
                   any(p != "unknown" and not cat.in_area(p, area) for p in places),
                   any(p == "unknown" for p in places))
            inside_cache[node] = hit
        return hit

    gdpr_like = area in ("EEA", "UK", "EU")
    for e in prop.edges:
        src_in, _, _ = status(e.source)
        if not src_in:
            continue
        _, dst_out, dst_unknown = status(e.target)
        if not (dst_out or dst_unknown):
            continue
        src_sys = model.systems[e.source]
        if src_sys.kind == "client":
            result.not_transfers.append(NotTransfer(
                area, e.key, "collection from data subjects' devices (a client system), not a "
                "transfer" + ("; PIPL Art. 3(2) reaches processing abroad of people in China"
                              if area == "CN" else "")))
            continue
        if e.transit_only:
            result.not_transfers.append(NotTransfer(area, e.key, "transit only"))
            result.diagnostics.append(positioned(
                model.raw, "DF400", f"flow '{e.key}' is marked transit_only: pure transit through "
                f"a point of presence outside {area} is not reported as an export (no source "
                "settles it) [U]", ("flows", e.object_id, "transit_only"), severity="warning"))
            continue
        if gdpr_like and e.kind == "access" and e.recipient_entity == src_sys.operator:
            result.not_transfers.append(NotTransfer(
                area, e.key, "access by the same entity's own staff abroad (EDPB Guidelines "
                "05/2021: no disclosure to another party)"))
            continue
        # tokens on the exit edge, grouped by the controller on whose behalf they cross
        groups: dict[str, list[tuple[int, int]]] = defaultdict(list)  # ctrl -> (src tok, edge tok)
        for tok in sorted(prop.present.get(e.source, ())):
            for t2 in prop.through(tok, e, False):
                groups[prop.tokens[t2].controller].append((tok, t2))
        for ctrl in sorted(groups):
            pairs = groups[ctrl]
            tr = _make_transfer(model, prop, family, area, e, ctrl, pairs, status)
            (result.possible if tr.possible else result.transfers).append(tr)
            if tr.individuals.get("_unnamed"):
                result.diagnostics.append(positioned(
                    model.raw, "DF314", f"transfer {tr.id} carries personal data with no cohort: "
                    "nobody is counted for it", (_coll(e.kind), e.object_id), severity="warning",
                    hint="name the cohorts on the flow, or on a flow upstream"))
            tr.individuals.pop("_unnamed", None)
            if tr.individuals.get("method") == "bounds":
                result.diagnostics.append(positioned(
                    model.raw, "DF313", f"transfer {tr.id}: more than two cohorts overlap "
                    f"pairwise; distinct individuals lie between {tr.individuals['lower']:,} and "
                    f"{tr.individuals['upper']:,} (the upper bound is used)",
                    (_coll(e.kind), e.object_id), severity="warning",
                    hint="model the shared people as a sub-cohort to make the count exact"))


def _coll(kind: str) -> str:
    return "flows" if kind == "flow" else "access"


def _make_transfer(model: ResolvedModel, prop: _Propagation, family: CohortFamily, area: str,
                   e: Edge, ctrl: str, pairs: list[tuple[int, int]], status: Any) -> Transfer:
    cat = model.catalogue
    edge_tokens = sorted({t2 for _, t2 in pairs})
    tokens = tuple(prop.tokens[i] for i in edge_tokens)
    # witness: the most sensitive token first, then by id, for a stable, telling path
    def rank(pair: tuple[int, int]) -> tuple[Any, ...]:
        t = prop.tokens[pair[1]]
        info = model.categories.get(t.category)
        return (not (info and info.sensitive), t.category, t.cohort or "", pair[0])
    first_src = min(pairs, key=rank)[0]
    nodes, path_edges, _ = prop.witness(e.source, first_src)
    origins = sorted({prop.witness(e.source, s)[2] for s, _ in pairs})
    path = (*nodes, e.target)
    path_flows = (*path_edges, e.key)
    sender = model.systems[e.source].operator
    recipient = e.recipient_entity
    sender_role = "controller" if sender == ctrl else (
        "entrusted" if _role_into(model, prop, e.source) == "entrusted" else "processor")
    if e.recipient_role:
        recipient_role = e.recipient_role
    elif recipient == ctrl:
        recipient_role = "controller"
    elif ctrl in (model.entities[recipient].processor_for if recipient in model.entities else []):
        recipient_role = "processor"
    else:
        recipient_role = "controller"
    _, _, unknown = status(e.target)
    dst_places = _node_places(model, e.target)
    flags: set[str] = set()
    if e.routing in ("failover", "conditional"):
        flags.add(e.routing)
    for fid in path_edges:
        f = model.flows.get(fid)
        if f is not None and f.routing in ("failover", "conditional"):
            flags.add(f.routing)
    if e.kind == "access":
        flags.add("remote-access")
    if unknown and not any(p != "unknown" and not cat.in_area(p, area) for p in dst_places):
        flags.add("possible")
    if any(t.anonymised for t in tokens):
        flags.add("anonymised")
    onward, onward_edges, round_trip = _onward(model, prop, e, [t2 for _, t2 in pairs], status)
    if onward:
        flags.add("onward")
    if round_trip:
        flags.add("round-trip")
    individuals = _individuals(model, family, tokens, e.period[1])
    collected_in = sorted({j for t in tokens for j in t.origin if cat.in_area(j, area)})
    received = sorted({j for t in tokens for j in t.origin if not cat.in_area(j, area)})
    personal = [t for t in tokens if _personal(model, t)]
    provenance = {
        "collected_in_area": any(any(cat.in_area(j, area) for j in t.origin) for t in tokens),
        "collected_in": collected_in,
        "received_from": received,
        "domestic_added": bool(received) and any(
            any(cat.in_area(j, area) for j in t.origin) for t in personal),
        "personal_collected_in_area": any(any(cat.in_area(j, area) for j in t.origin)
                                          for t in personal),
    }
    return Transfer(
        id=f"{area}/{ctrl}/{e.key}", area=area, exporter=ctrl, sender=sender,
        sender_role=sender_role, recipient=recipient, recipient_role=recipient_role,
        recipient_node=e.target, recipient_jurisdictions=dst_places, exit_edge=e,
        origin=tuple(origins), onward=tuple(onward), tokens=tokens, individuals=individuals,
        provenance=provenance, path=path, path_flows=path_flows,
        flags=tuple(f for f in FLAG_ORDER if f in flags), possible="possible" in flags,
        onward_edges=tuple(onward_edges))


def _role_into(model: ResolvedModel, prop: _Propagation, node: str) -> str | None:
    roles = {e.recipient_role for e in prop.in_edges.get(node, ()) if e.recipient_role}
    return "entrusted" if "entrusted" in roles else (next(iter(sorted(roles))) if roles else None)


def _personal(model: ResolvedModel, t: Token) -> bool:
    info = model.categories.get(t.category)
    return bool(info and info.personal) and not t.anonymised


def _sensitive(model: ResolvedModel, t: Token) -> bool:
    info = model.categories.get(t.category)
    if not _personal(model, t):
        return False
    if info and info.sensitive:
        return True
    return bool(t.cohort and model.cohorts[t.cohort].minors_under_14)


def _individuals(model: ResolvedModel, family: CohortFamily, tokens: Iterable[Token],
                 day: dt.date) -> dict[str, Any]:
    persons_all: set[str] = set()
    persons_sens: set[str] = set()
    devices: set[str] = set()
    unnamed = False
    for t in tokens:
        if not _personal(model, t):
            continue
        if t.cohort is None:
            unnamed = True
            continue
        if family.unit(t.cohort) == "devices":
            devices.add(t.cohort)
            continue
        persons_all.add(t.cohort)
        if _sensitive(model, t):
            persons_sens.add(t.cohort)
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
            status: Any) -> tuple[list[tuple[str, str, str]], list[str], bool]:
    """Systems the exported data reaches after the exit edge, outside the area."""
    start: set[int] = set()
    for t in edge_tokens:
        start.update(prop.through(t, exit_edge, True) if exit_edge.recipient_role == "controller"
                     else (t,))
    seen: dict[str, set[int]] = {exit_edge.target: set(start)}
    frontier = [exit_edge.target]
    onward: set[tuple[str, str, str]] = set()
    edges_used: set[str] = set()
    round_trip = False
    steps = 0
    while frontier and steps < 100_000:
        nxt: list[str] = []
        for node in sorted(frontier):
            toks = seen[node]
            for e in prop.out_edges.get(node, ()):
                passed = {t2 for t in toks for t2 in prop.through(t, e, True)}
                steps += 1
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
                for j in _node_places(model, e.target):
                    onward.add((ent, e.target, j))
        frontier = nxt
    return sorted(onward), sorted(edges_used), round_trip


def transfer_json(model: ResolvedModel, t: Transfer) -> dict[str, Any]:
    cat = model.catalogue
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
        "period": {"from": e.period[0].isoformat(), "to": e.period[1].isoformat()},
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
