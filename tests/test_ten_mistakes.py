"""The ten-mistake model (tests/fixtures/ten-mistakes/): ten mistakes over three files, each
reported with its own code at its own line:col in one run; exit code 2 and no traceback.

The duplicate key sits in a file of its own (vendor.yaml): a YAML-level problem stops the parser
for that file, so anything else in it would go unreported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from dataflow import validate_model

REPO = Path(__file__).resolve().parent.parent
MODEL = REPO / "tests" / "fixtures" / "ten-mistakes"

# (code, file, line, col, what the mistake is)
TEN = [
    ("DF301", "app-team.yaml", 6, 28, "unknown jurisdiction code: jurisdiction: cn"),
    ("DF200", "app-team.yaml", 10, 5, "misspelt key: operater"),
    ("DF202", "app-team.yaml", 16, 5, "bad enum value: kind: databse"),
    ("DF300", "app-team.yaml", 18, 5, "unknown operator: relaycorp"),
    ("DF203", "app-team.yaml", 22, 24, "a string where a count is expected: about 5000"),
    ("DF303", "app-team.yaml", 28, 39, "unknown category: user.content.promt"),
    ("DF300", "app-team.yaml", 29, 22, "unknown cohort: userz"),
    ("DF300", "app-team.yaml", 31, 5, "unknown from: ap"),
    ("DF205", "platform-team.yaml", 7, 3, "duplicate id across two files: store"),
    ("DF104", "vendor.yaml", 7, 5, "duplicate key: name"),
]


def test_exactly_the_ten_mistakes_at_their_positions() -> None:
    result = validate_model(MODEL)
    got = {(d.code, os.path.relpath(d.file, MODEL), d.line, d.col) for d in result.diagnostics}
    assert got == {(c, f, line, col) for c, f, line, col, _ in TEN}
    assert len(result.diagnostics) == 10
    assert all(d.severity == "error" for d in result.diagnostics)
    assert result.model is None and not result.ok


def test_each_mistake_is_explained() -> None:
    by_pos = {(os.path.relpath(d.file, MODEL), d.line): d for d in validate_model(MODEL).diagnostics}
    hints = {
        ("app-team.yaml", 6): "did you mean 'CN'?",
        ("app-team.yaml", 10): "did you mean 'operator'?",
        ("app-team.yaml", 16): "did you mean 'database'?",
        ("app-team.yaml", 18): "did you mean 'relayco'?",
        ("app-team.yaml", 28): "did you mean 'user.content.prompt'?",
        ("app-team.yaml", 29): "did you mean 'users'?",
        ("app-team.yaml", 31): "did you mean 'app'?",
    }
    for where, hint in hints.items():
        assert by_pos[where].hint == hint, where
    assert "about 5000" in by_pos[("app-team.yaml", 22)].message
    dup_id = by_pos[("platform-team.yaml", 7)]
    assert [(os.path.relpath(r.file, MODEL), r.line, r.col) for r in dup_id.related] == [
        ("app-team.yaml", 13, 3)]
    dup_key = by_pos[("vendor.yaml", 7)]
    assert [(os.path.relpath(r.file, MODEL), r.line, r.col) for r in dup_key.related] == [
        ("vendor.yaml", 5, 5)]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dataflow", "validate", *args],
                          capture_output=True, text=True, cwd=REPO, timeout=60)


def test_cli_human_prints_ten_diagnostics_and_exits_2() -> None:
    proc = _run("tests/fixtures/ten-mistakes")
    assert proc.returncode == 2
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out
    for code, file, line, col, _ in TEN:
        assert f"tests/fixtures/ten-mistakes/{file}:{line}:{col}: error {code}" in out
    assert "invalid (10 error(s)" in out


def test_cli_json_lists_the_ten() -> None:
    proc = _run(str(MODEL), "--format", "json")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["valid"] is False and doc["errors"] == 10
    got = {(d["code"], os.path.relpath(d["file"], MODEL), d["line"], d["col"])
           for d in doc["diagnostics"]}
    assert got == {(c, f, line, col) for c, f, line, col, _ in TEN}
