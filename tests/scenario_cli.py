"""Run the dataflow CLI as a new user would (``python -m dataflow ...``) on scenario folders:
the helpers every ``tests/scenarios_*`` package uses, bound to its own folder by ``Scenarios``."""

from __future__ import annotations

import contextlib
import gc
import json
import os
import subprocess
import sys
import traceback
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# what each scenario package's helpers.py re-exports (plus its bound scenario/transfers/check)
__all__ = ["ROOT", "Out", "Scenarios", "annex_i", "assessment", "by_id", "cli", "exporter_row",
           "finding_ids", "kv", "run", "warning_codes"]


@dataclass(frozen=True)
class Out:
    rc: int
    stdout: str
    stderr: str

    def json(self) -> dict:
        return json.loads(self.stdout)


def run(*args: str) -> Out:
    """``dataflow ARGS`` from the repository root, run in this process through click's test
    runner: the same command code, stdout, stderr and exit code as ``python -m dataflow``, without
    0.2 s of interpreter start and imports on each of the suite's thousands of calls. A crash
    comes back as exit 1 with its traceback on stderr, as the subprocess would show it. Set
    DATAFLOW_TEST_SUBPROCESS=1 to run real subprocesses instead."""
    if os.environ.get("DATAFLOW_TEST_SUBPROCESS"):
        env = dict(os.environ, DATAFLOW_CACHE="0")
        p = subprocess.run([sys.executable, "-m", "dataflow", *args], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=300)
        return Out(p.returncode, p.stdout, p.stderr)
    from click.testing import CliRunner

    from dataflow.cli import main
    gc_was_on = gc.isenabled()  # the command turns the cyclic GC off for its short process
    try:
        with contextlib.chdir(ROOT):
            res = CliRunner(env={"DATAFLOW_CACHE": "0"}).invoke(main, list(args),
                                                                prog_name="dataflow")
    finally:
        if gc_was_on:
            gc.enable()
    stderr = res.stderr
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        stderr += "Traceback (most recent call last):\n" + "".join(
            traceback.format_exception(res.exception))
    return Out(res.exit_code, res.stdout, stderr)


@cache
def cli(*args: str) -> Out:
    """Cached run for the scenario folders (they do not change during a test session)."""
    return run(*args)


@dataclass(frozen=True)
class Scenarios:
    """The scenario models of one folder, by name."""

    here: Path

    @classmethod
    def bound(cls, here: Path) -> tuple[Any, Any, Any]:
        """(scenario, transfers, check) for the scenario folders below ``here``."""
        s = cls(here)
        return s.scenario, s.transfers, s.check

    def scenario(self, name: str) -> str:
        return str((self.here / name).relative_to(ROOT))

    def transfers(self, name: str, *extra: str) -> dict:
        out = cli("transfers", self.scenario(name), "--format", "json", *extra)
        assert out.rc == 0, out.stderr
        return out.json()

    def check(self, name: str, *extra: str) -> tuple[int, dict]:
        out = cli("check", self.scenario(name), "--format", "json", *extra)
        assert out.rc in (0, 1), out.stderr
        return out.rc, out.json()


def by_id(doc: dict, key: str = "transfers") -> dict[str, dict]:
    return {t["id"]: t for t in doc[key]}


def assessment(doc: dict, transfer: str, regime: str) -> dict:
    hits = [a for a in doc["assessments"] if a["transfer"] == transfer and a["regime"] == regime]
    assert len(hits) == 1, (transfer, regime, [(a["transfer"], a["regime"])
                                               for a in doc["assessments"]])
    return hits[0]


def exporter_row(doc: dict, exporter: str, regime: str = "pipl") -> dict:
    hits = [e for e in doc["exporters"] if e["exporter"] == exporter and e["regime"] == regime]
    assert len(hits) == 1, (exporter, regime)
    return hits[0]


def finding_ids(doc: dict) -> list[str]:
    return sorted(f["id"] for f in doc["findings"])


def warning_codes(a: dict) -> set[str]:
    return {w["code"] for w in a["warnings"]}


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def annex_i(doc: str) -> dict[str, str]:
    """The numbered rows of a PIPL standard-contract pack's Annex I (附件一), item -> value."""
    part = doc.split("附件一", 1)[1].split("附件二", 1)[0]
    rows = {}
    for line in part.splitlines():
        cells = _cells(line)
        if len(cells) == 3 and cells[0].isdigit():
            rows[cells[1]] = cells[2]
    return rows


def kv(text: str, key: str) -> str:
    """The second cell of the Markdown table row whose first cell is ``key``."""
    for line in text.splitlines():
        cells = _cells(line)
        if len(cells) >= 2 and cells[0] == key:
            return cells[1]
    raise AssertionError(key)
