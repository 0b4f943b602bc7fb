"""Where `dataflow check` holds its memory: RSS after each phase, optionally with the
tracemalloc growth of each phase by source file (``--trace``, slow: use a 10k-30k model).

    python benchmarks/check_memory.py /tmp/dfb-20k [--trace] [--top 8] [--lines]

Phases as in ``dataflow check --verbose``: load (parse, schema, references), analysis, regimes
(``dataflow.check.check``), output (the check JSON streamed to /dev/null).
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _rss_mb() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    return 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model")
    ap.add_argument("--trace", action="store_true", help="tracemalloc growth per phase")
    ap.add_argument("--lines", action="store_true", help="group by line instead of file")
    ap.add_argument("--top", type=int, default=8)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    gc.disable()  # as the CLI does
    if args.trace:
        tracemalloc.start(1)
    from dataflow.api import envelope, load
    from dataflow.check import check, check_document
    from dataflow.jsonio import iter_json
    from dataflow.transfers import analyse

    prev: list[tracemalloc.Snapshot | None] = [None]

    def report(label: str) -> None:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(f"{label:<10} RSS {_rss_mb():>6} MB   peak {peak:>6} MB", flush=True)
        if not args.trace:
            return
        snap = tracemalloc.take_snapshot()
        key = "lineno" if args.lines else "filename"
        before = prev[0]
        stats = snap.compare_to(before, key) if before else snap.statistics(key)
        grown = sum(s.size_diff for s in stats) if before else sum(s.size for s in stats)
        print(f"{'':<10} traced growth {grown / 1e6:.0f} MB")
        for s in stats[:args.top]:
            size = s.size_diff if before else s.size
            frame = s.traceback[0]
            where = frame.filename.replace(str(ROOT) + "/", "")
            if args.lines:
                where += f":{frame.lineno}"
            print(f"{'':<12}{size / 1e6:8.1f} MB  {where}")
        prev[0] = snap

    report("start")
    model = load(args.model)
    model.raw.release_objects()  # as `dataflow check` does
    report("load")
    analysis = analyse(model, None)
    report("analysis")
    result = check(model, analysis)
    report("regimes")
    size = 0
    with open(os.devnull, "wb") as fh:
        for piece in iter_json(check_document(result, envelope(model))):
            fh.write(piece)
            size += len(piece)
    report("output")
    print(f"check JSON: {size / 1e6:.0f} MB, {len(result.assessments)} assessments, "
          f"{len(result.findings)} findings, {len(analysis.transfers)} transfers")


if __name__ == "__main__":
    main()
