#!/usr/bin/env python3
"""Time transfer analysis (graph build + ``analyse`` for every area) against B, in one run.

    python benchmarks/bench_analysis.py MODEL_DIR [--rounds 3] [--target 0.05]
    python benchmarks/bench_analysis.py --systems 10000 [--keep DIR] [--rounds 3]

Rounds alternate B (``baseline.measure_b``: CSafeLoader over every file, fresh subprocess) and
a fresh analysis subprocess. The analysis subprocess loads and resolves the model with
``dataflow.api.load`` (not timed), turns the cyclic GC off as the ``dataflow`` command does,
then times with ``time.perf_counter``:

    g = dataflow.graph.build_graph(model)          # "graph"
    a = dataflow.transfers.analyse(model)          # "analyse": every area the model touches

``analyse`` returns fully built ``Transfer`` objects (witness path, onward hops, individuals,
flags, provenance): nothing is computed later when the result is read. The timed value is
graph + analyse. After the timed part the child also reports, untimed for the verdict, a
breakdown (propagation alone; areas with the propagation reused), the number of transfers,
and its peak RSS (``ru_maxrss``) after loading and at the end.

ratio = median(graph + analyse) / median(B); PASS when ratio <= target (issue #3: 0.05).
The script exits 0 whatever the verdict and prints PASS or FAIL last.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from baseline import measure_b

REPO_ROOT = Path(__file__).resolve().parent.parent

# argv[1]: model folder. Prints one JSON object on stdout.
_CHILD = """\
import gc, json, resource, sys, time
from dataflow.api import load
from dataflow.graph import build_graph
from dataflow import transfers as T

def status_mb(key):
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def reset_peak():
    try:  # Linux: writing 5 resets VmHWM to the current RSS
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False

model = load(sys.argv[1])
gc.collect()
gc.disable()  # as the dataflow command runs
rss_loaded = status_mb("VmRSS")
load_peak = status_mb("VmHWM")
peak_reset = reset_peak()
t0 = time.perf_counter()
g = build_graph(model)
t1 = time.perf_counter()
a = T.analyse(model)
t2 = time.perf_counter()
rss_end = status_mb("VmHWM")
out = {"graph": t1 - t0, "analyse": t2 - t1, "transfers": len(a.transfers),
       "possible": len(a.possible), "n_areas": len(a.areas),
       "nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
       "rss_loaded_mb": rss_loaded, "rss_peak_mb": rss_end, "load_peak_mb": load_peak,
       "peak_reset": peak_reset}
del a, g
# breakdown, not part of the timed figure
t3 = time.perf_counter()
fam = T.CohortFamily(model.cohorts)
prop = T._Propagation(model, fam)
prop.run()
t4 = time.perf_counter()
T.analyse(model, reuse=T.Analysis(model, (), [], [], [], family=fam, propagation=prop))
t5 = time.perf_counter()
out.update(propagation=t4 - t3, areas=t5 - t4,
           tokens=sum(len(v) for v in prop.present.values()),
           contents=len(prop.contents), carriers=len(prop.carriers))
print(json.dumps(out))
"""


def run_child(model_dir: Path) -> dict[str, float]:
    env = dict(os.environ)
    extra = env.get("PYTHONPATH")
    env["PYTHONPATH"] = str(REPO_ROOT) + (os.pathsep + extra if extra else "")
    done = subprocess.run([sys.executable, "-c", _CHILD, str(model_dir)], capture_output=True,
                          text=True, check=False, env=env, cwd=REPO_ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"analysis subprocess failed:\n{done.stderr.strip()[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model_dir", type=Path, nargs="?")
    ap.add_argument("--systems", type=int, help="generate (or reuse) a model of N systems")
    ap.add_argument("--flows-per-system", type=float, default=5.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", type=Path, help="folder for the generated model")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--target", type=float, default=0.05)
    args = ap.parse_args(argv)
    if args.model_dir is None:
        if args.systems is None:
            ap.error("give MODEL_DIR or --systems N")
        from bench_command import ensure_model
        model = ensure_model(args.systems, args.flows_per_system, args.seed, args.keep)
    else:
        model = args.model_dir
    import compileall
    compileall.compile_dir(str(REPO_ROOT / "dataflow"), quiet=1)

    bs: list[float] = []
    runs: list[dict[str, float]] = []
    print(f"model    {model}")
    print(f"{'round':>5}  {'B':>7}  {'graph':>7}  {'analyse':>7}  {'g+a':>7}  {'ratio':>6}  "
          f"{'propag.':>7}  {'areas':>7}  {'peak RSS':>9}")
    for i in range(max(1, args.rounds)):
        b = measure_b(model)
        r = run_child(model)
        bs.append(b)
        runs.append(r)
        ga = r["graph"] + r["analyse"]
        print(f"{i + 1:>5}  {b:7.3f}  {r['graph']:7.3f}  {r['analyse']:7.3f}  {ga:7.3f}  "
              f"{ga / b:6.3f}  {r['propagation']:7.3f}  {r['areas']:7.3f}  "
              f"{r['rss_peak_mb']:7.0f} MB", flush=True)
    med_b = statistics.median(bs)
    med = {k: statistics.median(r[k] for r in runs)
           for k in ("graph", "analyse", "propagation", "areas")}
    med_ga = statistics.median(r["graph"] + r["analyse"] for r in runs)
    last = runs[-1]
    ratio = med_ga / med_b
    print(f"median   B {med_b:.3f} s; graph {med['graph']:.3f} s + analyse {med['analyse']:.3f} s"
          f" = {med_ga:.3f} s (propagation {med['propagation']:.3f} s, areas "
          f"{med['areas']:.3f} s)")
    print(f"result   {last['transfers']} transfers + {last['possible']} possible in "
          f"{last['n_areas']} areas; graph {last['nodes']} nodes, {last['edges']} edges; "
          f"{last['tokens']} (node, token) pairs, {last['contents']} contents, "
          f"{last['carriers']} carriers")
    how = "since loading" if last["peak_reset"] else "whole process (no /proc/self/clear_refs)"
    print(f"memory   peak RSS during graph + analyse {last['rss_peak_mb']:.0f} MB ({how}); "
          f"RSS of the loaded model {last['rss_loaded_mb']:.0f} MB, so the analysis adds "
          f"{last['rss_peak_mb'] - last['rss_loaded_mb']:.0f} MB; loading peaked at "
          f"{last['load_peak_mb']:.0f} MB")
    verdict = "PASS" if ratio <= args.target else "FAIL"
    print(f"ratio    {ratio:.3f} (target <= {args.target:g}): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
