#!/usr/bin/env python3
"""Cold ``dataflow validate MODEL --format json`` against B on a generated model.

    python benchmarks/bench_validate.py [--systems 10000] [--keep DIR] [--rounds 3] [--verbose]

Generates (or reuses) the model, then alternates B and validate for 3 rounds and prints the
medians, the ratio validate/B and the verdict against the 0.5x target. Exits 0 either way.
The runner is bench_command.py; this script only fixes the command.
"""

from __future__ import annotations

import sys

from bench_command import main

COMMAND = ("validate", "{model}", "--format", "json")

if __name__ == "__main__":
    sys.exit(
        main(sys.argv[1:], command=COMMAND, prog="bench_validate.py", description=__doc__ or "")
    )
