#!/usr/bin/env python3
"""Time one dataflow command on a generated model against B, in one run.

    python benchmarks/bench_command.py [--systems N] [--keep DIR] [--rounds 3] [--target 0.5]
                                       [--verbose] -- transfers {model} --format json

Everything after ``--`` is the dataflow command line; ``{model}`` stands for the model folder
(without it, the folder goes right after the subcommand). The command runs cold, in a fresh
``python -m dataflow`` subprocess; its wall time is measured from spawn to exit, start-up and
imports included. Rounds alternate B and the command (B, cmd, B, cmd, ...) and the table
reports medians. ratio = median(command) / median(B); PASS when ratio <= target.

The model is generated once and cached (see ``--keep``); the run exits 0 whatever the verdict.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import generate
from baseline import measure_b

REPO_ROOT = Path(__file__).resolve().parent.parent
MODEL_TOKEN = "{model}"
STDERR_LINES = 15


@dataclass
class Run:
    seconds: float
    returncode: int
    peak_rss_mb: float
    stdout_bytes: int
    stderr: str


def ensure_model(systems: int, flows_per_system: float, seed: int, keep: Path | None) -> Path:
    """The generated model folder: reused when its stamp matches, else (re)generated."""
    if keep is not None:
        out = keep
    else:
        cache = Path(tempfile.gettempdir()) / "dataflow-bench"
        out = cache / f"s{systems}-f{flows_per_system:g}-seed{seed}"
    if generate.stamp_matches(out, systems, flows_per_system, seed):
        print(f"model    {out} (reused)")
    else:
        print(f"model    {out} (generating ...)", flush=True)
        s = generate.generate(out, systems, flows_per_system, seed)
        print(f"         generated in {s.seconds:.2f} s")
    return out


def describe_model(model: Path) -> str:
    stamp = generate.read_stamp(model) or {}
    s = stamp.get("summary", {})
    if not s:
        return "(no summary in stamp)"
    return (
        f"{s['files']} files, {s['bytes'] / 1e6:.1f} MB, {s['systems']} systems, "
        f"{s['flows']} flows, {s['entities']} entities, {s['cohorts']} cohorts, "
        f"{s['access']} access grants"
    )


def dataflow_env() -> dict[str, str]:
    """The environment for child processes: this checkout first on the import path."""
    env = dict(os.environ)
    extra = env.get("PYTHONPATH")
    env["PYTHONPATH"] = str(REPO_ROOT) + (os.pathsep + extra if extra else "")
    return env


_PROBE = """\
import importlib.util
spec = importlib.util.find_spec("dataflow.__main__")
print(spec.origin if spec and spec.origin else "")
"""


def probe_dataflow(env: dict[str, str]) -> tuple[Path | None, str]:
    """Where ``python -m dataflow`` would come from, or None and why not."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
        check=False,
    )
    origin = done.stdout.strip()
    if done.returncode != 0 or not origin:
        why = done.stderr.strip().splitlines()[-1:] or ["no dataflow/__main__.py"]
        return None, why[0]
    package = Path(origin).parent
    # Byte-compile first, so that no timed run pays for writing .pyc files.
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(package)],
        capture_output=True,
        env=env,
        check=False,
    )
    return package, ""


def run_timed(argv: Sequence[str], env: dict[str, str]) -> Run:
    """Wall time (spawn to exit) and peak RSS of one fresh process."""
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
    ):
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, env=env, cwd=REPO_ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        stdout_bytes = out.seek(0, os.SEEK_END)
        err.seek(0)
        stderr = err.read().decode("utf-8", errors="replace")
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    return Run(seconds, proc.returncode, usage.ru_maxrss * scale / 2**20, stdout_bytes, stderr)


def command_argv(command: Sequence[str], model: Path) -> list[str]:
    args = list(command)
    if MODEL_TOKEN in args:
        args = [str(model) if a == MODEL_TOKEN else a for a in args]
    else:
        args.insert(1 if args else 0, str(model))
    return [sys.executable, "-m", "dataflow", *args]


def echo_stderr(text: str) -> None:
    lines = text.rstrip().splitlines()
    for line in lines[:STDERR_LINES]:
        print(f"           | {line}")
    if len(lines) > STDERR_LINES:
        print(f"           | ... ({len(lines) - STDERR_LINES} more lines)")


def bench(command: Sequence[str], args: argparse.Namespace) -> int:
    model = ensure_model(args.systems, args.flows_per_system, args.seed, args.keep)
    print(f"         {describe_model(model)}")
    env = dataflow_env()
    package, why = probe_dataflow(env)
    argv = command_argv(command, model)
    shown = command_argv(command, Path("MODEL"))[1:]
    print(f"command  python {' '.join(shown)}")
    if package is None:
        print(f"         skipped: dataflow is not runnable here ({why}); measuring B only")
    else:
        print(f"         dataflow from {package}")

    cache_root = Path(tempfile.mkdtemp(prefix="dataflow-bench-cache-"))
    changed = touch_target(model) if args.cache == "warm" else None
    original = changed.read_bytes() if changed is not None else b""
    if args.cache == "off":
        env["DATAFLOW_CACHE"] = "0"
        print("cache    off (DATAFLOW_CACHE=0)")
    elif args.cache == "cold":
        print("cache    cold: an empty parse cache per run (its writes are timed)")
    else:
        env["DATAFLOW_CACHE_DIR"] = str(cache_root / "warm")
        print(f"cache    warm: primed once, then {changed.relative_to(model) if changed else '?'} "
              "changes before each run")
        if package is not None:
            run_timed(argv, env)  # prime (not timed)
    b_times: list[float] = []
    runs: list[Run] = []
    print()
    print(f"{'round':<9}{'B (s)':>9}{'command (s)':>14}{'ratio':>8}{'exit':>6}{'peak RSS MB':>13}")
    for r in range(1, args.rounds + 1):
        b = measure_b(model)
        b_times.append(b)
        if package is None:
            print(f"{r:<9}{b:>9.3f}{'-':>14}")
            continue
        if args.cache == "cold":
            env["DATAFLOW_CACHE_DIR"] = str(cache_root / f"cold-{r}")
        elif changed is not None:  # one file changed since the last run (same size each time)
            changed.write_bytes(original + f"# bench round {r:04d}\n".encode())
        try:
            run = run_timed(argv, env)
        finally:
            if changed is not None:
                changed.write_bytes(original)
        runs.append(run)
        print(
            f"{r:<9}{b:>9.3f}{run.seconds:>14.3f}{run.seconds / b:>8.2f}"
            f"{run.returncode:>6}{run.peak_rss_mb:>13.0f}"
        )
        if run.stderr.strip():
            echo_stderr(run.stderr)
    shutil.rmtree(cache_root, ignore_errors=True)
    b_med = statistics.median(b_times)
    if not runs:
        print(f"{'median':<9}{b_med:>9.3f}")
        print(f"\nB = {b_med:.3f} s (median of {len(b_times)}); command not measured")
        return 0
    c_med = statistics.median(r.seconds for r in runs)
    ratio = c_med / b_med
    rss = max(r.peak_rss_mb for r in runs)
    print(f"{'median':<9}{b_med:>9.3f}{c_med:>14.3f}{ratio:>8.2f}{'':>6}{rss:>13.0f}")
    verdict = "PASS" if ratio <= args.target else "FAIL"
    codes = sorted({r.returncode for r in runs})
    print()
    print(f"B        {b_med:.3f} s   (median of {len(b_times)} fresh CSafeLoader loads)")
    print(f"command  {c_med:.3f} s   (median of {len(runs)} runs, cache {args.cache}; "
          f"exit {codes}; ", end="")
    print(f"stdout {runs[-1].stdout_bytes / 1e6:.2f} MB; peak RSS {rss:.0f} MB)")
    print(f"ratio    {ratio:.2f} x B   target <= {args.target:g} x B   {verdict}")
    if any(code not in (0, 1) for code in codes):
        print("note     the command exited with a code other than 0/1; see its stderr above")
    return 0


def touch_target(model: Path) -> Path:
    """The file the warm benchmark changes: the largest team file (the worst single edit)."""
    files = sorted(model.rglob("*.yaml"), key=lambda p: (-p.stat().st_size, str(p)))
    return files[0]


def build_parser(
    prog: str | None, description: str, takes_command: bool
) -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog=prog, description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--systems", type=int, default=10_000, help="systems in the model (10000)")
    ap.add_argument("--flows-per-system", type=float, default=5.0, help="mean flows per system (5)")
    ap.add_argument("--seed", type=int, default=1, help="generator seed (1)")
    ap.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="use/keep the model in DIR (reused if its stamp matches; default: a temp cache)",
    )
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds (3)")
    ap.add_argument("--target", type=float, default=0.5, help="PASS when command/B <= this (0.5)")
    ap.add_argument(
        "--cache",
        choices=("cold", "warm", "off"),
        default="cold",
        help="parse cache: cold = an empty cache per run (default), warm = primed, one file "
        "changed before each run, off = DATAFLOW_CACHE=0",
    )
    ap.add_argument(
        "--verbose",
        action="store_true",
        help="pass --verbose to the command (its timing breakdown is echoed from stderr)",
    )
    if takes_command:
        ap.epilog = "command: everything after --, e.g.  -- transfers {model} --format json"
    return ap


def main(
    argv: Sequence[str] | None = None,
    command: Sequence[str] | None = None,
    prog: str | None = None,
    description: str = __doc__ or "",
) -> int:
    """Run a benchmark. With ``command`` fixed (bench_validate), no ``-- ...`` part is taken."""
    argv = list(sys.argv[1:] if argv is None else argv)
    takes_command = command is None
    ap = build_parser(prog, description, takes_command)
    own, rest = (
        (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv else (argv, [])
    )
    args = ap.parse_args(own)
    if takes_command:
        if not rest:
            ap.error("give the dataflow command after --, e.g. -- transfers {model} --format json")
        command = rest
    elif rest:
        ap.error("this benchmark runs a fixed command; use bench_command.py for others")
    if args.rounds < 1 or args.systems < 1:
        ap.error("--rounds and --systems must be at least 1")
    assert command is not None
    command = [*command, "--verbose"] if args.verbose else list(command)
    return bench(command, args)


if __name__ == "__main__":
    sys.exit(main())
