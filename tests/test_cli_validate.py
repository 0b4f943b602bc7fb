"""`dataflow validate`, `dataflow schema`, `dataflow init` and the examples' editor modelines.

Most tests run the click command in-process (fast); a few run `python -m dataflow` in a
subprocess, since exit codes, streams and the absence of tracebacks are what users and CI see.
"""

from __future__ import annotations

import gc
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dataflow.cli import main

REPO = Path(__file__).resolve().parent.parent
DIAG = REPO / "tests" / "fixtures" / "diagnostics"
EXAMPLES = REPO / "examples"
SCHEMA = REPO / "schemas" / "model.schema.json"
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)\s*$")


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.chdir(REPO)
    was = gc.isenabled()
    yield
    if was:  # the CLI group turns the cyclic GC off for its short-lived process
        gc.enable()


class Result:
    def __init__(self, returncode: int, stdout: str, stderr: str) -> None:
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def dataflow(*args: str) -> Result:
    """Run the CLI in-process."""
    r = CliRunner().invoke(main, list(args))
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exc_info
    out = Result(r.exit_code, r.stdout, r.stderr)
    assert "Traceback" not in out.stdout + out.stderr
    return out


def dataflow_process(*args: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m dataflow` in a subprocess."""
    proc = subprocess.run([sys.executable, "-m", "dataflow", *args], capture_output=True,
                          text=True, cwd=REPO, timeout=120)
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr
    return proc


# --- exit codes

def test_valid_model_exits_0() -> None:
    proc: Any = dataflow_process("validate", "examples/ai-relay")
    assert proc.returncode == 0
    assert "examples/ai-relay: valid (6 systems, 7 flows, 0 access grants, 3 file(s))" in proc.stdout


def test_invalid_model_exits_2() -> None:
    proc = dataflow("validate", "tests/fixtures/diagnostics/DF202-bad-value.yaml")
    assert proc.returncode == 2
    assert "invalid (1 error(s), 0 warning(s))" in proc.stdout


def test_warnings_alone_do_not_fail() -> None:
    proc = dataflow("validate", "tests/fixtures/diagnostics/DF302-location-unknown.yaml")
    assert proc.returncode == 0
    assert "warning DF302" in proc.stdout
    assert "valid (" in proc.stdout and "1 warning(s)" in proc.stdout


def test_missing_path_exits_2_without_traceback() -> None:
    proc = dataflow("validate", "no/such/model")
    assert proc.returncode == 2
    assert "DF100" in proc.stdout


def test_max_file_size_option() -> None:
    proc = dataflow("validate", "tests/fixtures/diagnostics/DF101-file-too-large.yaml",
                    "--max-file-size", "1K", "--format", "json")
    assert proc.returncode == 2
    (d,) = json.loads(proc.stdout)["diagnostics"]
    assert (d["code"], d["severity"]) == ("DF101", "error")
    assert dataflow("validate", "tests/fixtures/diagnostics/DF101-file-too-large.yaml",
                    "--max-file-size", "2K").returncode == 0


def test_bad_usage_exits_2() -> None:
    proc = dataflow("validate", "examples/ai-relay", "--format", "xml")
    assert proc.returncode == 2
    assert "Invalid value for '--format'" in proc.stderr


# --- formats

def test_human_format_shows_the_line_and_a_caret() -> None:
    proc = dataflow("validate", "tests/fixtures/diagnostics/DF200-unknown-key.yaml")
    lines = proc.stdout.splitlines()
    head = ("tests/fixtures/diagnostics/DF200-unknown-key.yaml:7:5: error DF200 unknown key "
            "'locaton' in system 'app'")
    i = lines.index(head)
    assert lines[i + 1] == "      7 |     locaton: CN"
    assert lines[i + 2] == "        |     ^"
    assert lines[i + 3] == "        = hint: did you mean 'location'?"


def test_human_format_notes_the_first_definition() -> None:
    proc = dataflow("validate", "tests/fixtures/diagnostics/DF104-duplicate-key.yaml")
    assert proc.returncode == 2
    assert ("        = note: first defined here "
            "tests/fixtures/diagnostics/DF104-duplicate-key.yaml:4:5") in proc.stdout.splitlines()


def test_human_format_with_chinese_text(tmp_path: Path) -> None:
    p = tmp_path / "m.yaml"
    p.write_text("model: {name: 智能写作助手, evaluation_date: 2026-10-01}\nentities:\n"
                 "  acme: {name_zh: 杭州阿克米科技有限公司, jurisdiction: CN, provnce: CN-ZJ}\n",
                 encoding="utf-8")
    proc = dataflow("validate", str(p))
    assert proc.returncode == 2
    assert "      3 |   acme: {name_zh: 杭州阿克米科技有限公司, jurisdiction: CN, provnce: CN-ZJ}" \
        in proc.stdout.splitlines()
    assert "        | " + " " * 49 + "^" in proc.stdout.splitlines()


def test_github_format() -> None:
    proc = dataflow("validate", "tests/fixtures/diagnostics/DF200-unknown-key.yaml",
                    "--format", "github")
    assert proc.returncode == 2
    assert proc.stdout.splitlines() == [
        "::error file=tests/fixtures/diagnostics/DF200-unknown-key.yaml,line=7,col=5,"
        "title=DF200::unknown key 'locaton' in system 'app' (hint: did you mean 'location'?)"]


def test_github_format_for_warnings() -> None:
    proc = dataflow("validate", "tests/fixtures/diagnostics/DF312-self-flow.yaml",
                    "--format", "github")
    assert proc.returncode == 0
    (line,) = [ln for ln in proc.stdout.splitlines() if "DF312" in ln]
    assert line.startswith("::warning file=tests/fixtures/diagnostics/DF312-self-flow.yaml,"
                           "line=9,col=3,title=DF312::")


def test_json_format_valid_model() -> None:
    proc = dataflow("validate", "examples/ai-relay", "--format", "json")
    assert proc.returncode == 0
    doc = json.loads(proc.stdout)
    assert doc["valid"] is True and doc["errors"] == 0 and doc["diagnostics"] == []
    assert doc["model"]["name"] == "Writing assistant"
    assert doc["model"]["digest"].startswith("sha256:")
    assert doc["counts"]["systems"] == 6 and doc["counts"]["files"] == 3
    assert {"schema_version", "tool_version", "catalogue_version"} <= set(doc)


def test_json_format_invalid_model() -> None:
    proc = dataflow("validate", "tests/fixtures/diagnostics/DF205-duplicate-id", "--format",
                    "json")
    assert proc.returncode == 2
    doc = json.loads(proc.stdout)
    assert doc["valid"] is False and doc["model"] is None
    (d,) = doc["diagnostics"]
    assert (d["code"], d["line"], d["col"]) == ("DF205", 4, 3)
    assert d["related"] == [{"message": "first defined here",
                             "file": "tests/fixtures/diagnostics/DF205-duplicate-id/app.yaml",
                             "line": 5, "col": 3}]


def test_output_file(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    proc = dataflow("validate", "tests/fixtures/diagnostics/DF202-bad-value.yaml", "--format",
                    "json", "-o", str(out))
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["errors"] == 1


# --- schema

def test_schema_command_matches_the_committed_schema() -> None:
    # fails when schemas/model.schema.json is stale: regenerate it with
    #   python -m dataflow schema -o schemas/model.schema.json
    proc = dataflow("schema")
    assert proc.returncode == 0
    assert proc.stdout == SCHEMA.read_text(encoding="utf-8"), (
        "schemas/model.schema.json is stale: run "
        "`python -m dataflow schema -o schemas/model.schema.json`")


def test_schema_output_file_is_the_same(tmp_path: Path) -> None:
    out = tmp_path / "schema.json"
    assert dataflow("schema", "-o", str(out)).returncode == 0
    assert out.read_text(encoding="utf-8") == dataflow("schema").stdout
    schema = json.loads(out.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    for key in ("model", "include", "include_roots", "entities", "systems", "categories",
                "cohorts", "flows", "access", "safeguards", "duties", "exemptions", "waivers",
                "catalogue"):
        assert key in schema["properties"], key
    assert schema["required"] == []  # partial files of a folder model are valid for editors


# --- init

def test_init_writes_a_starter_that_validates(tmp_path: Path) -> None:
    target = tmp_path / "new-model"
    proc = dataflow("init", str(target))
    assert proc.returncode == 0
    files = sorted(p.name for p in target.iterdir())
    assert files == ["dataflow.yaml"]
    text = (target / "dataflow.yaml").read_text(encoding="utf-8")
    assert MODELINE.match(text.splitlines()[0])
    assert text.count("#") > 5  # commented
    check = dataflow("validate", str(target))
    assert check.returncode == 0, check.stdout
    assert "valid (" in check.stdout


def test_init_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    assert dataflow("init", str(tmp_path)).returncode == 0
    (tmp_path / "dataflow.yaml").write_text("# mine\n", encoding="utf-8")
    proc = dataflow("init", str(tmp_path))
    assert proc.returncode == 2
    assert (tmp_path / "dataflow.yaml").read_text(encoding="utf-8") == "# mine\n"
    assert dataflow("init", str(tmp_path), "--force").returncode == 0
    assert dataflow("validate", str(tmp_path)).returncode == 0


# --- examples

EXAMPLE_FILES = sorted(p for p in EXAMPLES.rglob("*") if p.suffix in (".yaml", ".yml"))


def test_there_are_examples() -> None:
    assert any(p.parent.name == "ai-relay" for p in EXAMPLE_FILES)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[str(p.relative_to(EXAMPLES))
                                                     for p in EXAMPLE_FILES])
def test_every_example_file_carries_the_schema_modeline(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    m = MODELINE.match(first)
    assert m, f"{path}: first line must be '# yaml-language-server: $schema=...'"
    target = m.group(1)
    if not target.startswith("http"):
        assert (path.parent / target).resolve() == SCHEMA.resolve()


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir()))
def test_every_example_validates(example: str) -> None:
    proc = dataflow("validate", f"examples/{example}")
    assert proc.returncode == 0, proc.stdout


def test_output_to_a_device_writes_through_and_keeps_the_device(tmp_path: Path) -> None:
    import os
    import stat
    import subprocess
    import sys

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    done = subprocess.run([sys.executable, "-m", "dataflow", "schema", "-o", str(fifo)],
                          capture_output=True, timeout=60)
    out = reader.communicate(timeout=60)[0]
    assert done.returncode == 0 and out.startswith(b"{")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # not replaced by a regular file
