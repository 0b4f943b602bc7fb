"""Determinism: every command's output is byte-identical across runs, across PYTHONHASHSEED
values and across the order in which the files of a model sit on disk.

A driver runs every command on every example in one fresh process (in-process through click's
CliRunner, so one process per hash seed) and stores stdout, stderr, the exit code and every file
written under -o. The trees of two runs must be identical byte for byte. Commands: validate
(json, human, github), transfers (json, csv, human), check (json, sarif, human, github), why,
export (yaml, json, graphml, gexf), and when the CLI has them diagram (dot, mmd, svg), report
(every template, every format) and build. The fuzz corpus also goes through validate/check JSON.

File order: the driver can list directories in reverse (os.scandir and os.listdir patched), and
the examples are also copied twice onto a tmpfs (/dev/shm lists newest first) in opposite
creation orders, at the same path, so nothing but the order differs.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p.name for p in (ROOT / "examples").iterdir() if (p / "dataflow.yaml").is_file())
CORPUS = ROOT / "tests" / "fuzz" / "corpus"

pytestmark = pytest.mark.slow

DRIVER = r'''
import gc, json, os, shutil, sys
from pathlib import Path

spec = json.loads(sys.argv[1])
if spec.get("reverse_listing"):
    _scandir, _listdir = os.scandir, os.listdir

    class _Reversed:
        def __init__(self, it):
            self._it = it
            self._entries = list(it)[::-1]
        def __iter__(self):
            return self
        def __next__(self):
            if not self._entries:
                raise StopIteration
            return self._entries.pop(0)
        def __enter__(self):
            return self
        def __exit__(self, *a):
            self._it.close()
        def close(self):
            self._it.close()

    os.scandir = lambda path=".": _Reversed(_scandir(path))
    os.listdir = lambda path=".": _listdir(path)[::-1]

from click.testing import CliRunner
from dataflow.cli import main

out = Path(spec["out"])
import click
ctx = click.Context(main)
commands = set()
for name in main.list_commands(ctx):
    try:
        if main.get_command(ctx, name) is not None:
            commands.add(name)
    except ImportError:
        pass
runner = CliRunner(catch_exceptions=False)

def run(label, args, folder=None):
    target = out / label
    target.parent.mkdir(parents=True, exist_ok=True)
    r = runner.invoke(main, args)
    gc.enable()
    (target.parent / (target.name + ".stdout")).write_bytes(r.stdout_bytes)
    (target.parent / (target.name + ".stderr")).write_bytes(r.stderr_bytes or b"")
    (target.parent / (target.name + ".rc")).write_text(str(r.exit_code))
    if folder is not None and Path(folder).exists():
        shutil.move(folder, target)
    return r

for m in spec["models"]:
    name = m.replace("/", "_")
    if spec.get("light"):
        run(f"{name}/validate.json", ["validate", m, "--format", "json"])
        run(f"{name}/check.json", ["check", m, "--format", "json"])
        continue
    for fmt in ("json", "human", "github"):
        run(f"{name}/validate.{fmt}", ["validate", m, "--format", fmt])
    for fmt in ("json", "csv", "human"):
        r = run(f"{name}/transfers.{fmt}", ["transfers", m, "--format", fmt])
    for fmt in ("json", "sarif", "human", "github"):
        run(f"{name}/check.{fmt}", ["check", m, "--format", fmt])
    doc = json.loads(runner.invoke(main, ["transfers", m, "--format", "json"]).stdout_bytes)
    gc.enable()
    for t in (doc["transfers"] + doc["possible_transfers"])[:2]:
        run(f"{name}/why.{t['id'].replace('/', '_')}", ["why", m, t["id"]])
        run(f"{name}/why.{t['id'].replace('/', '_')}.json", ["why", m, t["id"], "--format", "json"])
    if "export" in commands:
        for fmt in ("yaml", "json", "graphml", "gexf"):
            run(f"{name}/export.{fmt}", ["export", m, "--format", fmt])
    if "diagram" in commands:
        run(f"{name}/diagram.overview.dot", ["diagram", m, "--format", "dot"])
        run(f"{name}/diagram.transfers.dot", ["diagram", m, "--view", "transfers", "--format", "dot"])
        run(f"{name}/diagram.transfers.mmd", ["diagram", m, "--view", "transfers", "--format", "mmd"])
        if shutil.which("dot"):
            run(f"{name}/diagram.svg", ["diagram", m, "-o", "tmp-diagram/d.svg"], "tmp-diagram")
    if "report" in commands:
        listing = runner.invoke(main, ["report", "--list"]).stdout_bytes.decode()
        gc.enable()
        for line in listing.splitlines()[1:]:
            if line and not line.startswith((" ", "A custom")):
                t = line.split()[0]
                run(f"{name}/report.{t}", ["report", m, "-t", t, "--format", "all", "-o", "tmp-report"],
                    "tmp-report")
    if "build" in commands:
        run(f"{name}/build", ["build", m, "-o", "tmp-build"], "tmp-build")
'''


def run_driver(work: Path, models: list[str], out: Path, *, seed: str = "0",
               reverse: bool = False, light: bool = False) -> None:
    env = dict(os.environ)
    env["PYTHONHASHSEED"] = seed
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    spec = json.dumps({"models": models, "out": str(out), "reverse_listing": reverse,
                       "light": light})
    p = subprocess.run([sys.executable, "-c", DRIVER, spec], cwd=work, env=env,
                       capture_output=True, text=True, timeout=900)
    assert p.returncode == 0, p.stderr[-4000:]


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_same(a: Path, b: Path, what: str) -> None:
    ta, tb = tree(a), tree(b)
    assert ta, f"{a} is empty"
    assert sorted(ta) == sorted(tb), f"{what}: different files: " \
        f"{sorted(set(ta) ^ set(tb))[:10]}"
    diff = [k for k in ta if ta[k] != tb[k]]
    if diff:
        k = diff[0]
        x, y = ta[k].decode("utf-8", "replace"), tb[k].decode("utf-8", "replace")
        i = next((i for i, (c, d) in enumerate(zip(x, y, strict=False)) if c != d), min(len(x), len(y)))
        pytest.fail(f"{what}: {len(diff)} output(s) differ, e.g. {k} at char {i}:\n"
                    f"  {x[max(0, i - 120):i + 120]!r}\n  {y[max(0, i - 120):i + 120]!r}\n"
                    f"all: {diff[:20]}")


@pytest.fixture(scope="module")
def examples_work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("determinism")
    for name in EXAMPLES:
        shutil.copytree(ROOT / "examples" / name, work / "examples" / name)
    return work


@pytest.fixture(scope="module")
def seed_runs(examples_work: Path) -> dict[str, Path]:
    """Every command on every example, once per PYTHONHASHSEED (0, 1, 2, and a random one),
    all at the same paths."""
    runs = {}
    for seed in ("0", "1", "2", "random"):
        out = examples_work.parent / f"out-seed-{seed}-{examples_work.name}"
        run_driver(examples_work, [f"examples/{n}" for n in EXAMPLES], out, seed=seed)
        runs[seed] = out
    return runs


def _cli_commands() -> set[str]:
    out = subprocess.run([sys.executable, "-m", "dataflow", "--help"], capture_output=True,
                         text=True, cwd=ROOT, timeout=120).stdout
    lines = out.split("Commands:", 1)[-1].splitlines()
    return {ln.split()[0] for ln in lines if ln.startswith("  ") and ln.split()}


def test_driver_ran_every_command(seed_runs: dict[str, Path]) -> None:
    files = tree(seed_runs["0"])
    listed = _cli_commands()
    wanted = ["validate.json", "transfers.json", "transfers.csv", "transfers.human",
              "check.json", "check.sarif", "check.human", "export.yaml"]
    wanted += ["diagram.overview.dot", "diagram.transfers.mmd"] if "diagram" in listed else []
    wanted += ["build"] if "build" in listed else []
    wanted += ["report.transfer-inventory"] if "report" in listed else []
    for name in EXAMPLES:
        for label in wanted:
            rc = files[f"examples_{name}/{label}.rc"].decode()
            assert rc in ("0", "1"), (name, label, rc, files[f"examples_{name}/{label}.stderr"])
            if not label.startswith(("report", "build")):
                assert files[f"examples_{name}/{label}.stdout"], (name, label)


@pytest.mark.parametrize("seed", ["1", "2", "random"])
def test_outputs_identical_across_hash_seeds(seed_runs: dict[str, Path], seed: str) -> None:
    assert_same(seed_runs["0"], seed_runs[seed], f"PYTHONHASHSEED=0 vs {seed}")


def test_outputs_identical_when_directories_list_in_reverse(examples_work: Path,
                                                            seed_runs: dict[str, Path]) -> None:
    out = examples_work.parent / f"out-reversed-{examples_work.name}"
    run_driver(examples_work, [f"examples/{n}" for n in EXAMPLES], out, seed="1", reverse=True)
    assert_same(seed_runs["0"], out, "os.scandir/os.listdir reversed")


def _copy(src: Path, dst: Path, reverse: bool) -> list[str]:
    files = sorted(p.relative_to(src) for p in src.rglob("*") if p.is_file())
    for rel in (files[::-1] if reverse else files):
        (dst / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src / rel, dst / rel)
    return [e.name for e in os.scandir(dst)]


def _tmpfs() -> Path | None:
    shm = Path("/dev/shm")
    return shm if shm.is_dir() and os.access(shm, os.W_OK) else None


def test_outputs_identical_across_creation_orders_on_disk(tmp_path: Path) -> None:
    """The examples copied file by file in opposite orders to the same path: the directory
    listing order differs (checked), the outputs must not."""
    base = _tmpfs()
    if base is None:
        pytest.skip("no writable tmpfs (/dev/shm) where listing order follows creation order")
    work = Path(tempfile_dir(base))
    try:
        results, listings = [], []
        for reverse in (False, True):
            model = work / "examples"
            if model.exists():
                shutil.rmtree(model)
            listing = []
            for name in EXAMPLES:
                listing.append(_copy(ROOT / "examples" / name, model / name, reverse))
            listings.append(listing)
            out = tmp_path / f"out-{reverse}"
            run_driver(work, [f"examples/{n}" for n in EXAMPLES], out, seed="2")
            results.append(out)
        if listings[0] == listings[1]:
            pytest.skip("this file system lists directories in a fixed order")
        assert_same(results[0], results[1], "files created in opposite orders")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def tempfile_dir(base: Path) -> str:
    import tempfile

    return tempfile.mkdtemp(prefix="dataflow-order-", dir=base)


def test_corpus_outputs_identical_across_hash_seeds(tmp_path: Path) -> None:
    """Every seed of the fuzz corpus (valid and invalid): validate and check JSON."""
    manifest = json.loads((CORPUS / "MANIFEST.json").read_text("utf-8"))
    work = tmp_path / "w"
    shutil.copytree(CORPUS, work / "corpus")
    models = [f"corpus/{m.get('path', name)}" for name, m in sorted(manifest.items())]
    outs = []
    for seed, reverse in (("1", False), ("2", True)):
        out = tmp_path / f"out-{seed}"
        run_driver(work, models, out, seed=seed, reverse=reverse, light=True)
        outs.append(out)
    assert_same(outs[0], outs[1], "corpus, PYTHONHASHSEED 1 vs 2 with reversed listing")
