#!/usr/bin/env python3
"""B, the baseline every ratio is measured against.

B is the wall time, in a fresh interpreter with the garbage collector at its default, of
``yaml.load(f, Loader=yaml.CSafeLoader)`` over every ``*.yaml`` file of the model in sorted path
order (open each file in binary mode, load it, close it). Interpreter start-up, ``import yaml``
and listing the files are outside the timed region; nothing else is.

    python benchmarks/baseline.py MODEL_DIR [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

# Run with ``python -c``; argv[1] is the model folder. Prints seconds on stdout.
_B_CODE = """\
import sys, time, pathlib
import yaml
paths = sorted(str(p) for p in pathlib.Path(sys.argv[1]).rglob("*.yaml"))
load, loader = yaml.load, yaml.CSafeLoader
start = time.perf_counter()
for path in paths:
    with open(path, "rb") as f:
        load(f, Loader=loader)
print(repr(time.perf_counter() - start))
"""


def measure_b(model_dir: str | Path) -> float:
    """B for ``model_dir`` in seconds, measured in a fresh subprocess."""
    root = Path(model_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"no model folder {root}")
    done = subprocess.run(
        [sys.executable, "-c", _B_CODE, str(root)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"baseline subprocess failed:\n{done.stderr.strip()}")
    return float(done.stdout.strip())


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model_dir", type=Path)
    ap.add_argument("--rounds", type=int, default=1, help="repeat and print the median")
    args = ap.parse_args(argv)
    times = [measure_b(args.model_dir) for _ in range(max(1, args.rounds))]
    print(f"{statistics.median(times):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
