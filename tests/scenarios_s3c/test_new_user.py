"""A new user's first hour: `dataflow init`, `schema`, `export`/`import`, and the validation
messages for typical mistakes (docs/cli.md, docs/model-format.md 'Diagnostic codes')."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from .helpers import ROOT, run, scenario

SCENARIOS = ["build-pack", "exemptions", "genai", "important-ciio"]


def _strings_for_dates(x: Any) -> Any:
    """Read YAML as the YAML 1.2 language server does: timestamps stay text."""
    if isinstance(x, dict):
        return {k: _strings_for_dates(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_strings_for_dates(v) for v in x]
    if isinstance(x, dt.date):
        return x.isoformat()
    return x


def _schema_errors(model_file: Path) -> list[str]:
    import jsonschema  # a dev dependency: these tests must run, not skip, in CI

    out = run("schema")
    assert out.rc == 0
    validator = jsonschema.Draft202012Validator(json.loads(out.stdout))
    data = _strings_for_dates(yaml.safe_load(model_file.read_text()))
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]


# -- init ---------------------------------------------------------------------------------------

def test_init_writes_a_starter_that_validates_and_checks(tmp_path: Path) -> None:
    d = tmp_path / "starter"
    assert run("init", str(d)).rc == 0
    assert (d / "dataflow.yaml").read_text().startswith("# yaml-language-server: $schema=")
    assert run("validate", str(d)).rc == 0
    out = run("check", str(d), "--format", "json")
    assert out.rc == 1                     # duties missing: a gate that fails until declared
    doc = out.json()
    assert [a["transfer"] for a in doc["assessments"] if a["regime"] == "pipl"] == \
        ["CN/my-company/usage-to-vendor"]
    # a second init refuses to overwrite without --force
    assert run("init", str(d)).rc == 2
    assert run("init", "--force", str(d)).rc == 0


# -- schema -------------------------------------------------------------------------------------

def test_schema_command_prints_the_shipped_schema() -> None:
    out = run("schema")
    assert out.rc == 0
    shipped = json.loads((ROOT / "schemas" / "model.schema.json").read_text())
    assert json.loads(out.stdout) == shipped


def test_the_starter_model_satisfies_the_editor_schema(tmp_path: Path) -> None:
    d = tmp_path / "starter"
    assert run("init", str(d)).rc == 0
    assert _schema_errors(d / "dataflow.yaml") == []


@pytest.mark.parametrize("name", SCENARIOS)
def test_valid_models_satisfy_the_editor_schema(name: str) -> None:
    assert _schema_errors(ROOT / scenario(name) / "dataflow.yaml") == []


# -- export / import ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", SCENARIOS)
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_export_reloads_to_the_same_model_and_answers(name: str, fmt: str, tmp_path: Path) -> None:
    f = tmp_path / f"model.{fmt}"
    assert run("export", scenario(name), "-o", str(f)).rc == 0
    a = run("check", scenario(name), "--format", "json").json()
    b = run("check", str(f), "--format", "json").json()
    assert a["model"]["digest"] == b["model"]["digest"]
    strip = [{k: v for k, v in x.items() if k not in ("file", "line", "col")}
             for x in a["findings"]]
    assert strip == [{k: v for k, v in x.items() if k not in ("file", "line", "col")}
                     for x in b["findings"]]
    assert a["assessments"] == b["assessments"]


def test_import_a_spreadsheet_with_synonyms_and_written_counts(tmp_path: Path) -> None:
    out_dir = tmp_path / "imp"
    out = run("import", scenario("import") + "/inventory.csv", "-o", str(out_dir),
              "--evaluation-date", "2026-10-01")
    assert out.rc == 0, out.stderr
    assert sorted(p.name for p in out_dir.iterdir()) == \
        ["data.yaml", "dataflow.yaml", "entities.yaml", "flows.yaml", "systems.yaml"]
    doc = run("check", str(out_dir), "--area", "CN", "--format", "json").json()
    row = next(e for e in doc["exporters"] if e["regime"] == "pipl")
    # 150,000 patients' health data (sensitive, >= 10,000 以上) to Hong Kong: security assessment
    assert (row["exporter"], row["sensitive"], row["tier"]) == \
        ("clinicco", 150_000, "security-assessment")
    assert row["authority"] == "四川省互联网信息办公室"      # province from tencent:ap-chengdu
    # and the imported folder exports/reloads like any model
    f = tmp_path / "imp.yaml"
    assert run("export", str(out_dir), "-o", str(f)).rc == 0
    assert run("check", str(f), "--format", "json").json()["model"]["digest"] == \
        doc["model"]["digest"]


def test_import_unknown_location_is_a_row_error_not_a_traceback(tmp_path: Path) -> None:
    out = run("import", scenario("import") + "/unknown-location.csv", "-o", str(tmp_path / "x"))
    assert "Traceback" not in out.stderr
    assert out.rc == 2
    assert "unknown-location.csv:2:E (location)" in out.stdout + out.stderr


def test_import_problems_found_by_validation_name_the_cell(tmp_path: Path) -> None:
    out = run("import", scenario("import") + "/unknown-province.csv", "-o", str(tmp_path / "x"))
    assert out.rc == 2
    assert "unknown-province.csv:2:F (province): error DF301" in out.stdout + out.stderr


# -- validation messages ------------------------------------------------------------------------

def _diags() -> list[dict]:
    out = run("validate", scenario("mistakes"), "--format", "json")
    assert out.rc == 2
    assert "Traceback" not in out.stderr
    return out.json()["diagnostics"]


def test_typical_mistakes_each_with_position_and_hint() -> None:
    got = {(d["code"], d["line"], d["col"]): d.get("hint") or "" for d in _diags()}
    expect = {
        ("DF301", 4, 45): "did you mean 'CN'?",
        ("DF203", 4, 87): "only true/false are booleans",
        ("DF200", 7, 25): "did you mean 'location'?",
        ("DF203", 7, 56): "only true/false are booleans",
        ("DF202", 8, 41): "did you mean 'saas'?",
        ("DF203", 12, 11): "",
        ("DF303", 14, 41): "did you mean 'user.contact.phone'?",
        ("DF300", 14, 72): "did you mean 'users'?",
        ("DF202", 14, 79): "did you mean 'entrusted'?",
        ("DF300", 15, 8): "is an entity, not a system",
        ("DF202", 17, 8): "did you mean 'pipl.standard-contract'?",
        ("DF203", 17, 80): "",
    }
    for key, hint in expect.items():
        assert key in got, key
        assert hint in got[key], (key, got[key])


def test_nested_enum_message_lists_the_allowed_values() -> None:
    d = [x for x in _diags() if (x["line"], x["col"]) == (10, 41)]
    assert d and d[0]["code"] == "DF202"
    assert "notified" in d[0]["message"] and "catalogue" in d[0]["message"]


def test_claiming_art5_4_is_told_it_is_computed() -> None:
    d = [x for x in _diags() if (x["line"], x["col"]) == (19, 8)]
    assert d and d[0]["code"] == "DF202"
    assert "art5-3" not in (d[0].get("hint") or "")


def test_bad_period_is_reported_beside_reference_errors() -> None:
    codes = {d["code"] for d in _diags()}
    assert "DF308" in codes
