#!/usr/bin/env python3
"""Time `dataflow diagram` views on generated models: scene, DOT and Graphviz layout+render.

    python benchmarks/bench_diagram.py [--systems 1000 10000] [--format svg] [--limit 5]
                                       [--keep-dir DIR] [--out DIR]

For each model size it loads the model and runs the transfer analysis once (both reported
separately), then draws every view type with its default aggregation on the targets the issue
names: the largest jurisdiction, the most connected system, the most used category and the
longest transfer path (plus the overview and the transfers view). Each row reports the level
chosen, what was drawn, the time to build the scene and DOT, and the time `dot` takes to lay
out and render (the figure held to ``--limit`` seconds). Exit status is always 0; rows over the
limit say FAIL.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402

from dataflow.api import load  # noqa: E402
from dataflow.render.diagram import build_scene, default_area, render_image, scene_dot  # noqa: E402
from dataflow.resolve import ResolvedModel  # noqa: E402
from dataflow.transfers import Analysis, analyse  # noqa: E402


def model_dir(systems: int, keep: Path | None) -> Path:
    root = keep or Path(tempfile.gettempdir()) / "dataflow-bench"
    out = root / f"s{systems}-f5-seed1"
    if not generate.stamp_matches(out, systems, 5.0, 1):
        print(f"generating {out} ...", flush=True)
        generate.generate(out, systems, 5.0, 1)
    return out


def _child_cpu() -> float:
    """CPU seconds used by finished child processes (dot): steadier than wall time on a busy
    machine, reported beside it."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def targets(model: ResolvedModel, analysis: Analysis) -> dict[str, str]:
    """The views the issue names, picked deterministically (ties by id)."""
    juris: Counter[str] = Counter()
    for s in model.systems.values():
        juris.update(s.jurisdictions)
    degree: Counter[str] = Counter()
    cats: Counter[str] = Counter()
    for f in model.flows.values():
        degree[f.from_] += 1
        degree[f.to] += 1
        cats.update(f.categories)
    for a in model.access.values():
        degree[a.system] += 1
        cats.update(a.categories)
    transfers = [*analysis.transfers, *analysis.possible]

    def top(c: Counter[str]) -> str:
        return min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0]

    longest = min(transfers, key=lambda t: (-len(t.path), t.id))
    return {
        "overview": "overview",
        "transfers": "transfers",
        "largest jurisdiction": f"jurisdiction:{top(juris)}",
        "most connected system": f"system:{top(degree)}",
        "most used category": f"category:{top(cats)}",
        "longest transfer path": f"transfer:{longest.id}",
    }


def bench(systems: int, fmt: str, limit: float, keep: Path | None, out: Path | None) -> bool:
    path = model_dir(systems, keep)
    t0 = time.perf_counter()
    model = load(path)
    t1 = time.perf_counter()
    area = default_area(model)
    analysis = analyse(model, [area] if area else None)
    t2 = time.perf_counter()
    print(f"\n== {systems:,} systems ({len(model.flows):,} flows): load {t1 - t0:.2f} s, "
          f"transfer analysis ({area}) {t2 - t1:.2f} s, "
          f"{len(analysis.transfers):,} transfers")
    print(f"{'what':<22} {'view':<44} {'level':<24} {'nodes':>5} {'edges':>5} "
          f"{'scene':>6} {'layout':>7} {'cpu':>6}")
    ok = True
    for what, view in targets(model, analysis).items():
        s0 = time.perf_counter()
        scene = build_scene(model, analysis, view)
        dot = scene_dot(scene)
        c1 = _child_cpu()
        s1 = time.perf_counter()
        image = render_image(dot, fmt)
        s2 = time.perf_counter()
        layout = s2 - s1
        cpu = _child_cpu() - c1
        verdict = "ok" if layout <= limit else "FAIL"
        ok = ok and layout <= limit
        level = scene.level if scene.level == scene.periphery_level else (
            f"{scene.level}/{scene.periphery_level}")
        print(f"{what:<22} {view[:44]:<44} {level:<24} {len(scene.nodes):>5} "
              f"{len(scene.edges):>5} {s1 - s0:>5.2f}s {layout:>6.2f}s {cpu:>5.2f}s {verdict}"
              + (f"  [{len(scene.notes)} note(s)]" if scene.notes else ""))
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            stem = f"s{systems}-{what.replace(' ', '-')}"
            (out / f"{stem}.dot").write_text(dot, encoding="utf-8")
            (out / f"{stem}.{fmt}").write_bytes(image)
    return ok


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--systems", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--format", default="svg", choices=["svg", "png", "pdf"])
    ap.add_argument("--limit", type=float, default=5.0, help="seconds allowed per layout")
    ap.add_argument("--keep-dir", type=Path, default=None, help="where generated models live")
    ap.add_argument("--out", type=Path, default=None, help="also write each DOT and image here")
    args = ap.parse_args(argv)
    results = [bench(n, args.format, args.limit, args.keep_dir, args.out) for n in args.systems]
    print("\nall layouts within the limit" if all(results) else "\nsome layouts over the limit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
