"""outputs.md "Byte-identical for the same model, catalogue and options" and docs/templates.md
"the same model gives the same bytes": two `dataflow build` runs of the EU and Chinese
scenario models under different hash seeds write identical folders (documents, XLSX, SVG,
DOT, JSON, report.html)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import ROOT, scenario


def build(name: str, out: Path, seed: str) -> dict[str, bytes]:
    env = dict(os.environ, PYTHONHASHSEED=seed, DATAFLOW_CACHE="0")
    p = subprocess.run([sys.executable, "-m", "dataflow", "build", scenario(name), "-o", str(out)],
                       cwd=ROOT, env=env, capture_output=True, timeout=300)
    assert p.returncode == 1, p.stderr
    return {f.relative_to(out).as_posix(): f.read_bytes() for f in out.rglob("*") if f.is_file()}


@pytest.mark.parametrize("name", ["eu-us-in", "clinic-sa"])
def test_build_folder_is_the_same_under_any_hash_seed(tmp_path: Path, name: str) -> None:
    a = build(name, tmp_path / "a", "0")
    b = build(name, tmp_path / "b", "2")
    assert sorted(a) == sorted(b)
    assert [k for k in a if a[k] != b[k]] == []
