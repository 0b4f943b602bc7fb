"""PIPL200's reach computation (an iterative Tarjan with bitsets) against networkx."""

from __future__ import annotations

import itertools
import random

import networkx as nx

from dataflow.regimes.pipl import _scc_reach


def _reference(adj: dict[str, list[str]], bit: dict[str, int]) -> dict[str, int]:
    g: nx.DiGraph = nx.DiGraph()
    g.add_nodes_from(adj)
    g.add_edges_from((a, b) for a, bs in adj.items() for b in bs)
    dag = nx.condensation(g)
    members = dag.graph["mapping"]
    inside: dict[int, int] = {}
    size: dict[int, int] = {}
    for node, comp in members.items():
        inside[comp] = inside.get(comp, 0) | bit.get(node, 0)
        size[comp] = size.get(comp, 0) + 1
    reach: dict[int, int] = {}
    for comp in reversed(list(nx.topological_sort(dag))):
        found = 0
        for succ in dag.successors(comp):
            found |= reach[succ] | inside[succ]
        if size[comp] > 1:
            found |= inside[comp]
        reach[comp] = found
    return {n: reach[members[n]] for n in adj}


def test_scc_reach_matches_networkx() -> None:
    rng = random.Random(10)
    for _ in range(300):
        n = rng.randint(1, 40)
        nodes = [f"s{i}" for i in range(n)]
        adj: dict[str, list[str]] = {x: [] for x in nodes}
        for _ in range(rng.randint(0, 3 * n)):
            adj[rng.choice(nodes)].append(rng.choice(nodes))  # self-loops and repeats too
        marked = rng.sample(nodes, rng.randint(0, n))
        bit = {x: 1 << i for i, x in enumerate(marked)}
        comp_of, reach = _scc_reach(adj, bit)
        assert {x: reach[comp_of[x]] for x in adj} == _reference(adj, bit)


def test_scc_reach_long_chain_is_not_recursive() -> None:
    nodes = [f"s{i}" for i in range(50_000)]
    adj = {x: [y] for x, y in itertools.pairwise(nodes)}
    adj[nodes[-1]] = [nodes[0]]  # one 50,000-node cycle
    comp_of, reach = _scc_reach(adj, {nodes[-1]: 1})
    assert len(set(comp_of.values())) == 1 and reach[0] == 1
