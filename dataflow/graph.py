"""The resolved model as a networkx MultiDiGraph: systems and accessors are nodes, flows and
remote-access grants are edges keyed by their ids."""

from __future__ import annotations

import networkx as nx

from .resolve import ResolvedModel, accessor_node

__all__ = ["accessor_node", "build_graph"]


def build_graph(model: ResolvedModel) -> nx.MultiDiGraph:
    g: nx.MultiDiGraph = nx.MultiDiGraph(name=model.name,
                                         evaluation_date=model.evaluation_date.isoformat())
    for sid in sorted(model.systems):
        s = model.systems[sid]
        g.add_node(sid, type="system", name=s.name, name_zh=s.spec.name_zh, kind=s.kind,
                   operator=s.operator, locations=tuple(p.raw for p in s.places),
                   jurisdictions=s.jurisdictions, unknown=s.unknown,
                   public_service=s.spec.public_service)
    for fid in sorted(model.flows):
        f = model.flows[fid]
        g.add_edge(f.from_, f.to, key=fid, type="flow", categories=tuple(f.categories),
                   cohorts=tuple(f.cohorts), controller=model.flow_controller[fid],
                   routing=f.routing, recipient_role=f.recipient_role,
                   transformations=tuple(f.transformations), transit_only=f.transit_only,
                   purpose=f.purpose)
    for aid in sorted(model.access):
        a = model.access[aid]
        for place in a.from_:
            node = accessor_node(a.accessor, place)
            if node not in g:
                resolved = model.catalogue.resolve_location(place)
                g.add_node(node, type="accessor", entity=a.accessor,
                           name=model.entity_name(a.accessor), kind="accessor",
                           locations=(place,),
                           jurisdictions=(resolved.jurisdiction if resolved else "unknown",),
                           unknown=bool(resolved is None or resolved.jurisdiction == "unknown"))
            g.add_edge(a.system, node, key=aid if len(a.from_) == 1 else f"{aid}@{place}",
                       type="access", access=aid, categories=tuple(a.categories),
                       cohorts=tuple(a.cohorts), rights=tuple(a.rights), purpose=a.purpose)
    return g
