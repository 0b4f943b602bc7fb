"""Differential test of the token propagation (dataflow.transfers._Propagation) against a naive
reference written from the documented semantics: tokens are plain tuples, edges are applied
over and over until nothing changes (no worklist, no interning, no category bits, no memo).

Random small models mix narrowing categories (a parent meeting a child edge category),
nested cohorts, cohort-less data, on_behalf_of, controller recipients, anonymisation, access
grants, unknown locations and cycles. For each model the tokens at every node must be the same
set, every transfer's tokens must be what the reference carries over its exit edge, and every
witness path must be a real chain of edges from an origin to the recipient.
"""

from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml

from dataflow import load
from dataflow.counting import CohortFamily
from dataflow.resolve import ResolvedModel
from dataflow.transfers import Edge, _edges, _Propagation, analyse

RefToken = tuple[str, "str | None", str, tuple[str, ...], bool]

CATEGORIES = ["user.contact", "user.contact.email", "user.contact.phone", "user.health",
              "user.account.id", "user.identity", "user.identity.name"]
COHORTS = {
    "users": {"count": 10_000},
    "cn-users": {"count": 4_000, "subset_of": "users"},
    "vip": {"count": 100, "subset_of": "cn-users"},
    "patients": {"count": 3_000, "overlaps": {"users": 500}},
    "kids": {"count": 800, "subset_of": "patients", "minors_under_14": True},
}
LOCATIONS = ["CN", "CN-SH", "DE", "FR", "US", "GB", "SG", "HK", "unknown"]


def random_model(seed: int) -> dict[str, Any]:
    r = random.Random(seed)
    entities: dict[str, Any] = {
        "acme": {"jurisdiction": "CN"}, "beta": {"jurisdiction": "DE"},
        "gamma": {"jurisdiction": "US"},
        "hostco": {"jurisdiction": "CN", "processor_for": ["acme", "beta"]},
        "cloudco": {"jurisdiction": "SG", "processor_for": ["gamma"]},
    }
    names = list(entities)
    systems: dict[str, Any] = {}
    for i in range(r.randint(4, 9)):
        systems[f"s{i}"] = {"operator": r.choice(names), "location": r.choice(LOCATIONS),
                            "kind": r.choice(["service", "database", "saas", "relay"])}
    sids = list(systems)
    flows: dict[str, Any] = {}
    for i in range(r.randint(4, 16)):
        a, b = r.sample(sids, 2)
        f: dict[str, Any] = {"from": a, "to": b,
                             "categories": r.sample(CATEGORIES, r.randint(1, 2))}
        if r.random() < 0.6:
            f["cohorts"] = r.sample(sorted(COHORTS), r.randint(1, 2))
        if r.random() < 0.2:
            f["recipient_role"] = "controller"
        if r.random() < 0.15:
            f["transformations"] = [r.choice(["anonymised", "aggregated", "pseudonymised"])]
        op = systems[a]["operator"]
        if op == "hostco":  # a processor for two controllers must say whose data it sends
            f["on_behalf_of"] = r.choice(["acme", "beta"])
        flows[f"f{i:02d}"] = f
    access: dict[str, Any] = {}
    for i in range(r.randint(0, 2)):
        g: dict[str, Any] = {"system": r.choice(sids), "accessor": r.choice(names),
                             "from": r.choice(["US", "PH", "DE"]), "rights": ["read"],
                             "categories": r.sample(CATEGORIES, r.randint(1, 2))}
        if r.random() < 0.5:
            g["cohorts"] = [r.choice(sorted(COHORTS))]
        access[f"a{i}"] = g
    doc: dict[str, Any] = {"model": {"name": f"random {seed}", "evaluation_date": "2026-10-01"},
                           "entities": entities, "systems": systems, "cohorts": COHORTS,
                           "flows": flows}
    if access:
        doc["access"] = access
    return doc


class Reference:
    """The propagation, naively: same origination rules, a fix-point of full passes."""

    def __init__(self, model: ResolvedModel):
        self.model = model
        self.family = CohortFamily(model.cohorts)
        self.edges = _edges(model)
        self.present: dict[str, set[RefToken]] = defaultdict(set)

    @staticmethod
    def anc(cat: str) -> set[str]:
        parts = cat.split(".")
        return {".".join(parts[:i]) for i in range(1, len(parts) + 1)}

    def cohort_out(self, coh: str | None, cohorts: tuple[str, ...]) -> list[str | None]:
        within = self.family.is_within
        if not cohorts:
            return [coh]
        if coh is None:
            return list(cohorts)
        if any(within(coh, k) for k in cohorts):
            return [coh]
        return [k for k in cohorts if within(k, coh)]

    def cat_out(self, cat: str, cats: tuple[str, ...]) -> list[str]:
        if not cats or self.anc(cat) & set(cats):
            return [cat]
        return [c for c in cats if cat in self.anc(c)]

    def through(self, t: RefToken, e: Edge, arriving: bool) -> set[RefToken]:
        cat, coh, ctrl, origin, anon = t
        if e.on_behalf_of is not None and ctrl != e.on_behalf_of:
            return set()
        if arriving and e.recipient_role == "controller":
            ctrl = e.recipient_entity
        return {(c, k, ctrl, origin, anon or e.anonymises)
                for c in self.cat_out(cat, e.categories)
                for k in self.cohort_out(coh, e.cohorts)}

    def arrives(self, node: str, cat: str, coh: str | None) -> bool:
        for g in self.edges:
            if g.target != node or g.kind != "flow" or not g.categories:
                continue
            strict = {a for c in g.categories for a in self.anc(c)} - set(g.categories)
            if not (self.anc(cat) & set(g.categories)) and cat not in strict:
                continue
            if not g.cohorts or coh is None:
                return True
            fam = self.family
            if any(fam.is_within(coh, k) or coh in fam.ancestors(k) for k in g.cohorts):
                return True
        return False

    def covered(self, node: str, cat: str, coh: str | None) -> bool:
        within = self.family.is_within
        for c2, k2, *_ in self.present[node]:
            if not (c2 in self.anc(cat) or cat in self.anc(c2)):
                continue
            if coh is None or k2 is None or within(coh, k2) or within(k2, coh):
                return True
        return False

    def seed(self, e: Edge, cat: str, coh: str | None) -> RefToken:
        m = self.model
        op = m.systems[e.source].operator
        ctrl = e.on_behalf_of or m.flow_controller.get(e.object_id, m.controller_of(op))
        return (cat, coh, ctrl, m.systems[e.source].jurisdictions, False)

    def propagate(self, seeds: list[tuple[str, RefToken]]) -> None:
        for node, t in seeds:
            self.present[node].add(t)
        changed = True
        while changed:
            changed = False
            for e in self.edges:
                for t in list(self.present[e.source]):
                    new = self.through(t, e, True) - self.present[e.target]
                    if new:
                        self.present[e.target] |= new
                        changed = True

    def run(self) -> None:
        pending, certain = [], []
        for e in self.edges:
            if e.kind == "access" and not e.categories:
                continue
            for c in e.categories:
                for k in e.cohorts or (None,):
                    (pending if self.arrives(e.source, c, k) else certain).append((e, c, k))
        named = defaultdict(set)
        for e, c, k in certain:
            if k is not None:
                named[e.source].add(c)
        seeds = []
        for e, c, k in certain:
            if k is None and any(c in self.anc(c2) or c2 in self.anc(c)
                                 for c2 in named[e.source]):
                pending.append((e, c, k))
            else:
                seeds.append((e.source, self.seed(e, c, k)))
        self.propagate(seeds)
        while pending:
            uncovered = [x for x in pending if not self.covered(x[0].source, x[1], x[2])]
            named_first = [x for x in uncovered if x[2] is not None]
            chosen = named_first or uncovered
            seeds = [(e.source, self.seed(e, c, k)) for e, c, k in chosen
                     if self.seed(e, c, k) not in self.present[e.source]]
            if not seeds:
                break
            pending = [x for x in uncovered if not any(x is y for y in chosen)]
            self.propagate(seeds)


def _fields(t: Any) -> tuple[Any, ...]:
    """A Token's fields in order (slotted: no vars())."""
    return (t.category, t.cohort, t.controller, t.origin, t.anonymised)


def _load(tmp_path: Path, doc: dict[str, Any]) -> ResolvedModel:
    path = tmp_path / "model.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), "utf-8")
    return load(path)


@pytest.mark.parametrize("seed", range(60))
def test_propagation_matches_the_naive_reference(tmp_path: Path, seed: int) -> None:
    model = _load(tmp_path, random_model(seed))
    prop = _Propagation(model, CohortFamily(model.cohorts))
    prop.run()
    ref = Reference(model)
    ref.run()
    got = {n: {_fields(prop.token(t)) for t in toks}
           for n, toks in prop.present.items() if toks}
    want = {n: toks for n, toks in ref.present.items() if toks}
    assert got == want

    a = analyse(model)
    edges = {e.key: e for e in ref.edges}
    for t in [*a.transfers, *a.possible]:
        e = t.exit_edge
        crossing = {x for tok in ref.present[e.source] for x in ref.through(tok, e, False)}
        mine = {x for x in crossing if x[2] == t.exporter}
        assert {_fields(x) for x in t.tokens} == mine, t.id
        # the witness: consecutive edges from an origin system to the recipient
        assert t.path[-1] == t.recipient_node and t.path_flows[-1] == e.key
        for i, key in enumerate(t.path_flows):
            assert (edges[key].source, edges[key].target) == (t.path[i], t.path[i + 1])
        assert t.path[0] in t.origin
        assert set(t.origin) <= set(model.systems)


def test_reference_detects_a_broken_propagation(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison can fail: drop narrowing from the real propagation and it differs."""
    doc = {"model": {"name": "narrow", "evaluation_date": "2026-10-01"},
           "entities": {"acme": {"jurisdiction": "CN"}},
           "systems": {"a": {"operator": "acme", "location": "CN", "kind": "service"},
                       "b": {"operator": "acme", "location": "CN", "kind": "service"},
                       "c": {"operator": "acme", "location": "CN", "kind": "service"}},
           "cohorts": COHORTS,
           "flows": {"f1": {"from": "a", "to": "b", "categories": ["user.contact"]},
                     "f2": {"from": "b", "to": "c", "categories": ["user.contact.email"],
                            "cohorts": ["vip"]}}}
    model = _load(tmp_path, doc)
    ref = Reference(model)
    ref.run()
    assert ("user.contact.email", "vip", "acme", ("CN",), False) in ref.present["c"]
    monkeypatch.setattr(_Propagation, "_content_out", lambda self, cid, cats, cohorts: ())
    prop = _Propagation(model, CohortFamily(model.cohorts))
    prop.run()
    got = {_fields(prop.token(t)) for t in prop.present.get("c", {})}
    assert got != ref.present["c"]
