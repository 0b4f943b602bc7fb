#!/usr/bin/env python3
"""The floor of any pure-Python transfer analysis on a model, against B, in one run.

    python benchmarks/floor.py MODEL_DIR [--rounds 3]

Issue #3 asks graph build + analysis for every area at most 0.05x B. This script times what
every pure-Python design must do at the least, whatever its algorithm, and so tells whether the
target is reachable without a compiled core:

- **graph**: the networkx graph the mission mandates ("loaded into a networkx graph"): the
  model's nodes and edges added through networkx's public API, without attributes;
- **visit**: one dict insertion per (node, token) pair the propagation finds (the smallest
  record of "this data is at this system" with a predecessor), taken from a real analysis;
- **records**: one 20-field tuple per transfer found (the smallest record of a transfer).

Each part runs in a fresh subprocess with the GC at its default, alternating with B
(``baseline.measure_b``). floor = graph + visit + records; the target is 0.05x B.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

from baseline import measure_b

REPO_ROOT = Path(__file__).resolve().parent.parent

_CHILD = """\
import json, sys, time
import networkx as nx
from dataflow.api import load
from dataflow import transfers as T

model = load(sys.argv[1])
analysis = T.analyse(model)
prop = analysis.propagation
edges = [(e.source, e.target, e.key) for e in prop.edges]
nodes = sorted({n for s, t, _ in edges for n in (s, t)})
pairs = [(node, tok, entry) for node, toks in prop.present.items()
         for tok, entry in toks.items()]
fields = [(t.id, t.area, t.exporter, t.sender, t.recipient) for t in analysis.transfers]

t0 = time.perf_counter()
g = nx.MultiDiGraph()
g.add_nodes_from(nodes)
g.add_edges_from(edges)
t1 = time.perf_counter()
seen = {}
for node, tok, entry in pairs:
    seen[(node, tok)] = entry
t2 = time.perf_counter()
records = [(a, b, c, d, e, a, b, c, d, e, a, b, c, d, e, a, b, c, d, e)
           for a, b, c, d, e in fields]
t3 = time.perf_counter()
print(json.dumps({"graph": t1 - t0, "visit": t2 - t1, "records": t3 - t2,
                  "pairs": len(pairs), "transfers": len(records),
                  "nodes": g.number_of_nodes(), "edges": g.number_of_edges()}))
"""


def child(model: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", _CHILD, str(model)], cwd=REPO_ROOT,
                         capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(out.stdout)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model", type=Path)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--target", type=float, default=0.05)
    args = ap.parse_args()
    bs, runs = [], []
    for _ in range(args.rounds):
        bs.append(measure_b(args.model))
        runs.append(child(args.model))
    b = statistics.median(bs)
    parts = {k: statistics.median(r[k] for r in runs) for k in ("graph", "visit", "records")}
    floor = sum(parts.values())
    last = runs[-1]
    print(f"model    {args.model}: {last['nodes']:.0f} nodes, {last['edges']:.0f} edges, "
          f"{last['pairs']:.0f} (node, token) pairs, {last['transfers']:.0f} transfers")
    print(f"B        {b:.3f} s (median of {args.rounds})")
    for k, v in parts.items():
        print(f"{k:<8} {v:.3f} s = {v / b:.3f}x B")
    print(f"floor    {floor:.3f} s = {floor / b:.3f}x B (target {args.target}x B = "
          f"{args.target * b:.3f} s)")
    print("verdict  " + ("the floor alone exceeds the target: no pure-Python design meets it"
                         if floor > args.target * b else "the floor is under the target"))


if __name__ == "__main__":
    main()
