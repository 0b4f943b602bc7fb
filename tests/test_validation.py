"""Diagnostics of `dataflow validate`: one fixture per code of dataflow/codes.py, asserting code,
severity, file, line and column exactly; and each trap of "YAML -> pydantic" closed.

Fixtures live in tests/fixtures/diagnostics/, named after the code they trigger.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from dataflow import validate_model
from dataflow.codes import LOADER_CODES
from dataflow.diagnostics import Diagnostic
from dataflow.transfers import analyse

REPO = Path(__file__).resolve().parent.parent
FIX = REPO / "tests" / "fixtures" / "diagnostics"

Expected = tuple[str, str, str, Any, Any]  # code, severity, file (relative to FIX), line, col


def _shown(rel: str) -> str:
    return os.path.normpath(str(FIX / rel))


def _actual(diags: list[Diagnostic]) -> list[Expected]:
    return [(d.code, d.severity, os.path.relpath(d.file, FIX) if d.file else "", d.line, d.col)
            for d in diags]


# (fixture, validate_model keyword arguments, expected diagnostics in output order)
CASES: list[tuple[str, dict[str, Any], list[Expected]]] = [
    ("DF101-file-too-large.yaml", {"max_file_bytes": 1024},
     [("DF101", "error", "DF101-file-too-large.yaml", None, None)]),
    ("DF102-not-utf8.yaml", {}, [("DF102", "error", "DF102-not-utf8.yaml", 3, 20)]),
    ("DF103-yaml-syntax.yaml", {}, [("DF103", "error", "DF103-yaml-syntax.yaml", 4, 8)]),
    ("DF103-tab.yaml", {}, [("DF103", "error", "DF103-tab.yaml", 3, 1)]),
    ("DF104-duplicate-key.yaml", {}, [("DF104", "error", "DF104-duplicate-key.yaml", 6, 5)]),
    ("DF105-tag-refused.yaml", {}, [("DF105", "error", "DF105-tag-refused.yaml", 3, 9)]),
    ("DF106-alias-bomb.yaml", {}, [("DF106", "error", "DF106-alias-bomb.yaml", 7, 10)]),
    ("DF106-unknown-alias.yaml", {}, [("DF106", "error", "DF106-unknown-alias.yaml", 3, 9)]),
    ("DF107-nesting-too-deep.yaml", {},
     [("DF107", "error", "DF107-nesting-too-deep.yaml", 2, 70)]),
    ("DF108-multiple-documents.yaml", {},
     [("DF108", "error", "DF108-multiple-documents.yaml", 2, 1)]),
    ("DF109-not-a-mapping.yaml", {}, [("DF109", "error", "DF109-not-a-mapping.yaml", 1, 1)]),
    ("DF110-no-model-key.yaml", {}, [("DF110", "error", "DF110-no-model-key.yaml", 1, 1)]),
    ("DF110-two-model-blocks", {}, [("DF110", "error", "DF110-two-model-blocks/b.yaml", 3, 1)]),
    ("DF111-include-without-root", {},
     [("DF111", "error", "DF111-include-without-root/main.yaml", 2, 1)]),
    ("DF112-no-model-files", {}, [("DF112", "error", "DF112-no-model-files", None, None)]),
    ("DF200-unknown-key.yaml", {}, [("DF200", "error", "DF200-unknown-key.yaml", 7, 5)]),
    ("DF201-missing-key.yaml", {}, [("DF201", "error", "DF201-missing-key.yaml", 5, 3)]),
    ("DF202-bad-value.yaml", {}, [("DF202", "error", "DF202-bad-value.yaml", 5, 39)]),
    ("DF203-wrong-type.yaml", {}, [("DF203", "error", "DF203-wrong-type.yaml", 9, 5)]),
    ("DF204-bad-id.yaml", {}, [("DF204", "error", "DF204-bad-id.yaml", 3, 3)]),
    ("DF205-duplicate-id", {}, [("DF205", "error", "DF205-duplicate-id/platform.yaml", 4, 3)]),
    ("DF206-unknown-top-level-key.yaml", {},
     [("DF206", "error", "DF206-unknown-top-level-key.yaml", 4, 1)]),
    ("DF300-unknown-reference.yaml", {},
     [("DF300", "error", "DF300-unknown-reference.yaml", 5, 9)]),
    ("DF301-unknown-location.yaml", {},
     [("DF301", "error", "DF301-unknown-location.yaml", 7, 20)]),
    ("DF302-location-unknown.yaml", {},
     [("DF302", "warning", "DF302-location-unknown.yaml", 8, 5)]),
    ("DF303-unknown-category.yaml", {},
     [("DF303", "error", "DF303-unknown-category.yaml", 13, 38)]),
    ("DF304-cohort-not-laminar.yaml", {},
     [("DF304", "error", "DF304-cohort-not-laminar.yaml", 7, 16)]),
    ("DF305-cohort-count.yaml", {}, [("DF305", "error", "DF305-cohort-count.yaml", 6, 5)]),
    ("DF305-cohort-overlap-too-large.yaml", {},
     [("DF305", "error", "DF305-cohort-overlap-too-large.yaml", 6, 16)]),
    ("DF306-routing.yaml", {}, [("DF306", "error", "DF306-routing.yaml", 15, 5)]),
    ("DF306-primary-is-failover.yaml", {},
     [("DF306", "error", "DF306-primary-is-failover.yaml", 20, 5)]),
    ("DF307-no-controller.yaml", {}, [("DF307", "error", "DF307-no-controller.yaml", 12, 3)]),
    ("DF308-bad-period.yaml", {}, [("DF308", "error", "DF308-bad-period.yaml", 15, 5)]),
    ("DF309-catalogue-stale.yaml", {},
     [("DF309", "warning", "DF309-catalogue-stale.yaml", 1, 1)]),
    ("DF310-uncertain-catalogue-entry.yaml", {},
     [("DF310", "warning", "DF310-uncertain-catalogue-entry.yaml", 5, 25)]),
    ("DF311-genai-model.yaml", {}, [("DF311", "error", "DF311-genai-model.yaml", 10, 7)]),
    ("DF311-genai-no-status.yaml", {},
     [("DF311", "error", "DF311-genai-no-status.yaml", 11, 9)]),
    ("DF312-self-flow.yaml", {}, [("DF312", "warning", "DF312-self-flow.yaml", 9, 3)]),
]

# DF111 pointing at the offending glob (the list item), not at the `include:` key
DF111_ITEM_CASES: list[tuple[str, list[Expected]]] = [
    ("DF111-include-escapes/model",
     [("DF111", "error", "DF111-include-escapes/model/dataflow.yaml", 4, 5)]),
    ("DF111-include-no-match", [("DF111", "error", "DF111-include-no-match/dataflow.yaml", 2, 11)]),
]

# reported by the transfer analysis (they need the propagated data), not by validate
ANALYSIS_CASES: list[tuple[str, list[Expected]]] = [
    ("DF313-cohort-overlaps-bounds.yaml",
     [("DF313", "warning", "DF313-cohort-overlaps-bounds.yaml", 14, 3)]),
    ("DF314-flow-cohort-category.yaml",
     [("DF314", "warning", "DF314-flow-cohort-category.yaml", 10, 3)]),
    ("DF400-transit-only.yaml", [("DF400", "warning", "DF400-transit-only.yaml", 17, 5)]),
]


@pytest.mark.parametrize("fixture, kwargs, expected", CASES, ids=[c[0] for c in CASES])
def test_diagnostic_fixture(fixture: str, kwargs: dict[str, Any], expected: list[Expected]
                            ) -> None:
    result = validate_model(FIX / fixture, **kwargs)
    assert _actual(result.diagnostics) == expected
    for d in result.diagnostics:
        assert d.message
        assert d.severity == LOADER_CODES[d.code].severity
    assert result.ok is all(e[1] != "error" for e in expected)


@pytest.mark.parametrize("fixture, expected", DF111_ITEM_CASES, ids=[c[0] for c in DF111_ITEM_CASES])
def test_include_problem_points_at_the_glob(fixture: str, expected: list[Expected]) -> None:
    assert _actual(validate_model(FIX / fixture).diagnostics) == expected


@pytest.mark.parametrize("fixture, expected", DF111_ITEM_CASES, ids=[c[0] for c in DF111_ITEM_CASES])
def test_include_problem_code_and_file(fixture: str, expected: list[Expected]) -> None:
    got = _actual(validate_model(FIX / fixture).diagnostics)
    assert [g[:3] for g in got] == [e[:3] for e in expected]


@pytest.mark.parametrize("fixture, expected", ANALYSIS_CASES, ids=[c[0] for c in ANALYSIS_CASES])
def test_analysis_diagnostic_fixture(fixture: str, expected: list[Expected]) -> None:
    result = validate_model(FIX / fixture)
    assert result.ok and result.diagnostics == []
    assert result.model is not None
    analysis = analyse(result.model, ["CN"])
    assert _actual(analysis.diagnostics) == expected
    for d in analysis.diagnostics:
        # DF400 is not registered in dataflow/codes.py (see test_transfers.py)
        assert d.severity == (LOADER_CODES[d.code].severity if d.code in LOADER_CODES
                              else "warning")


def test_missing_path_is_df100(tmp_path: Path) -> None:
    result = validate_model(tmp_path / "nowhere")
    assert [(d.code, d.severity, d.file, d.line) for d in result.diagnostics] == [
        ("DF100", "error", str(tmp_path / "nowhere"), None)]
    assert result.model is None and not result.ok


def test_every_code_has_a_fixture() -> None:
    covered = {e[0] for _, _, exp in CASES for e in exp}
    covered |= {e[0] for _, exp in DF111_ITEM_CASES for e in exp}
    covered |= {e[0] for _, exp in ANALYSIS_CASES for e in exp}
    covered.add("DF100")  # test_missing_path_is_df100, test_loader symlink loops
    assert set(LOADER_CODES) <= covered


def test_fixture_files_are_named_after_their_code() -> None:
    for entry in FIX.iterdir():
        assert entry.name[:5] in LOADER_CODES or entry.name[:5] == "DF400", entry.name


# --- details of particular diagnostics

def _diags(path: Path, **kwargs: Any) -> list[Diagnostic]:
    return validate_model(path, **kwargs).diagnostics


def test_duplicate_key_names_both_positions() -> None:
    (d,) = _diags(FIX / "DF104-duplicate-key.yaml")
    assert "jurisdiction" in d.message
    assert [(r.file, r.line, r.col) for r in d.related] == [
        (str(FIX / "DF104-duplicate-key.yaml"), 4, 5)]
    assert d.hint


def test_duplicate_id_across_files_names_both_places() -> None:
    (d,) = _diags(FIX / "DF205-duplicate-id")
    first = _shown("DF205-duplicate-id/app.yaml")
    assert f"{first}:5:3" in d.message
    assert [(r.file, r.line, r.col) for r in d.related] == [(first, 5, 3)]


def test_second_model_block_names_the_first() -> None:
    (d,) = _diags(FIX / "DF110-two-model-blocks")
    assert [(r.file, r.line, r.col) for r in d.related] == [
        (_shown("DF110-two-model-blocks/a.yaml"), 1, 1)]


def test_misspelt_key_is_one_diagnostic_with_did_you_mean() -> None:
    # pydantic alone says "missing location" + "extra locaton"; we say it once
    (d,) = _diags(FIX / "DF200-unknown-key.yaml")
    assert d.code == "DF200"
    assert "locaton" in d.message
    assert d.hint == "did you mean 'location'?"


def test_misspelt_optional_key_and_unrelated_missing_key(tmp_path: Path) -> None:
    p = tmp_path / "m.yaml"
    p.write_text("model: {name: T, evaluation_date: 2026-10-01}\nentities:\n  acme: {jurisdiction: CN}\n"
                 "systems:\n  app: {operator: acme, location: CN, retension: 30 days}\n",
                 encoding="utf-8")
    assert [(d.code, d.line, d.col, d.hint) for d in _diags(p)] == [
        ("DF201", 5, 3, "see docs/model-format.md for the required keys"),  # kind
        ("DF200", 5, 39, "did you mean 'retention'?")]


def test_bad_enum_value_lists_choices_and_suggests() -> None:
    (d,) = _diags(FIX / "DF202-bad-value.yaml")
    assert "servce" in d.message and "relay" in d.message
    assert d.hint == "did you mean 'service'?"


def test_unknown_reference_suggests_the_closest_id() -> None:
    (d,) = _diags(FIX / "DF300-unknown-reference.yaml")
    assert d.hint == "did you mean 'acme'?"


def test_reference_to_an_object_of_another_kind_says_so(tmp_path: Path) -> None:
    p = tmp_path / "m.yaml"
    p.write_text("model: {name: T, evaluation_date: 2026-10-01}\nentities:\n  acme: {jurisdiction: CN}\n"
                 "systems:\n  app: {operator: acme, location: CN, kind: service}\n"
                 "  db: {operator: app, location: CN, kind: database}\n", encoding="utf-8")
    (d,) = _diags(p)
    assert (d.code, d.line, d.col) == ("DF300", 6, 8)
    assert d.hint == "'app' is a system, not an entity"


def test_unknown_location_suggests() -> None:
    (d,) = _diags(FIX / "DF301-unknown-location.yaml")
    assert "aws:us-east-9" in d.message and d.hint and d.hint.startswith("did you mean")


def test_unknown_category_suggests() -> None:
    (d,) = _diags(FIX / "DF303-unknown-category.yaml")
    assert d.hint == "did you mean 'user.contact.email'?"


def test_tab_hint() -> None:
    (d,) = _diags(FIX / "DF103-tab.yaml")
    assert d.hint and "tab" in d.hint


def test_alias_bomb_is_refused_fast() -> None:
    import time

    t0 = time.perf_counter()
    (d,) = _diags(FIX / "DF106-alias-bomb.yaml")
    assert time.perf_counter() - t0 < 2.0
    assert d.code == "DF106"


def test_deep_nesting_100000_levels(tmp_path: Path) -> None:
    p = tmp_path / "deep.yaml"
    p.write_text("model: {name: T, evaluation_date: 2026-10-01}\ndeep: " + "[" * 100_000
                 + "]" * 100_000 + "\n", encoding="utf-8")
    # our bound stops at level 65 (col 70); libyaml >= 0.2.6 bounds flow nesting itself while
    # scanning ahead and may stop first, at its own level 1,000: either way one DF107
    [(code, line, col)] = [(d.code, d.line, d.col) for d in _diags(p)]
    assert (code, line) == ("DF107", 2) and col in (70, 1006)


def test_symlink_loop_file_is_df100(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text("model: {name: T, evaluation_date: 2026-10-01}\n")
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    assert [(d.code, Path(d.file).name) for d in _diags(tmp_path)] == [
        ("DF100", "a.yaml"), ("DF100", "b.yaml")]


# --- the traps of peers.md ("Traps in YAML -> pydantic")

def _model(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "m.yaml"
    p.write_text("model: {name: T, evaluation_date: 2026-10-01}\n" + body, encoding="utf-8")
    return p


def test_norway_is_not_false(tmp_path: Path) -> None:
    p = _model(tmp_path, "entities:\n  nordic: {jurisdiction: NO}\n"
               "systems:\n  oslo: {operator: nordic, location: [NO], kind: service}\n")
    result = validate_model(p)
    assert result.ok, result.diagnostics
    assert result.model is not None
    assert result.model.entities["nordic"].jurisdiction == "NO"
    assert result.model.entity_jurisdiction("nordic") == "NO"
    assert result.model.systems["oslo"].jurisdictions == ("NO",)
    assert result.model.catalogue.in_area("NO", "EEA")


@pytest.mark.parametrize("word", ["yes", "on", "no", "off", "Yes", "y"])
def test_yes_and_on_are_text_not_booleans(tmp_path: Path, word: str) -> None:
    p = _model(tmp_path, "entities:\n  acme:\n    jurisdiction: CN\n"
               f"    public_authority: {word}\n")
    (d,) = _diags(p)
    assert (d.code, d.severity, d.line, d.col) == ("DF203", "error", 5, 5)
    assert repr(word) in d.message
    assert d.hint == "only true/false are booleans (yes, no, on, off are text)"


@pytest.mark.parametrize("text", ["true", "false", "True", "FALSE"])
def test_true_and_false_are_booleans(tmp_path: Path, text: str) -> None:
    p = _model(tmp_path, f"entities:\n  acme: {{jurisdiction: CN, public_authority: {text}}}\n")
    result = validate_model(p)
    assert result.ok and result.model is not None
    assert result.model.entities["acme"].public_authority is (text.lower() == "true")


def test_strings_are_not_booleans_either(tmp_path: Path) -> None:
    p = _model(tmp_path, "entities:\n  acme: {jurisdiction: CN, public_authority: 'true'}\n")
    assert [d.code for d in _diags(p)] == ["DF203"]


def test_sexagesimal_and_leading_zero_stay_text(tmp_path: Path) -> None:
    p = _model(tmp_path, "entities:\n  acme: {jurisdiction: CN, credit_code: 0123, "
               "address: 1:30, sector: 010}\n")
    result = validate_model(p)
    assert result.ok, result.diagnostics
    acme = result.model.entities["acme"]  # type: ignore[union-attr]
    assert (acme.credit_code, acme.address, acme.sector) == ("0123", "1:30", "010")


def test_dates_stay_text_until_the_schema_parses_them(tmp_path: Path) -> None:
    import datetime as dt

    p = _model(tmp_path, "entities:\n  acme: {jurisdiction: CN, description: 2026-01-10,"
               " dpf: {status: active, since: 2026-01-10}}\n")
    result = validate_model(p)
    assert result.ok, result.diagnostics
    acme = result.model.entities["acme"]  # type: ignore[union-attr]
    assert acme.description == "2026-01-10"  # a text field keeps the text
    assert acme.dpf is not None and acme.dpf.since == dt.date(2026, 1, 10)
    assert result.model.evaluation_date == dt.date(2026, 10, 1)  # type: ignore[union-attr]


@pytest.mark.parametrize("value, message", [
    ("2026-02-30", "not a calendar date"),
    ("2026-1-5", "expected a date written YYYY-MM-DD"),
    ("2026-10-01T00:00:00", "expected a date written YYYY-MM-DD"),
    ("soon", "expected a date written YYYY-MM-DD"),
])
def test_bad_dates(tmp_path: Path, value: str, message: str) -> None:
    p = _model(tmp_path, "entities:\n  acme:\n    jurisdiction: CN\n"
               f"    dpf: {{status: active, since: {value}}}\n")
    (d,) = _diags(p)
    assert (d.code, d.line) == ("DF203", 5)
    assert message in d.message


@pytest.mark.parametrize("text, count", [
    ("100_000", 100_000), ("250000", 250_000), ('"250000"', 250_000), ("1_000_000", 1_000_000),
    ("0", 0), ("0x10", 16),
])
def test_counts(tmp_path: Path, text: str, count: int) -> None:
    p = _model(tmp_path, f"cohorts:\n  users: {{count: {text}}}\n")
    result = validate_model(p)
    assert result.ok, result.diagnostics
    assert result.model.cohorts["users"].count == count  # type: ignore[union-attr]


def test_dated_count_series_with_separators(tmp_path: Path) -> None:
    p = _model(tmp_path, "cohorts:\n  users: {count: {2026-09-15: 71_000, 2026-01-10: 70000}}\n"
               "  staff: {count: 5000, overlaps: {users: 1_000}}\n")
    result = validate_model(p)
    assert result.ok, result.diagnostics
    assert result.model.cohorts["users"].count == {  # type: ignore[union-attr]
        "2026-01-10": 70_000, "2026-09-15": 71_000}
    assert result.model.cohorts["staff"].overlaps == {"users": 1000}  # type: ignore[union-attr]


@pytest.mark.parametrize("text, message", [
    ("about 5000", "expected a whole number"),
    ("250k", "expected a whole number"),
    ("1_000_00", "expected a whole number"),
    ("2.5", "expected a whole number"),
    ("-5", "cannot be negative"),
    ("true", "expected a whole number"),
    ("{}", "needs at least one date"),
    ("{2026-02-30: 5}", "not a calendar date"),
    ("{2026-01-01: many}", "expected a whole number"),
])
def test_strings_where_a_count_is_expected(tmp_path: Path, text: str, message: str) -> None:
    p = _model(tmp_path, f"cohorts:\n  users:\n    count: {text}\n")
    (d,) = _diags(p)
    assert (d.code, d.severity, d.line, d.col) == ("DF203", "error", 4, 5)
    assert message in d.message


def test_a_mistake_never_hides_another(tmp_path: Path) -> None:
    # schema errors and reference errors in the same object are both reported
    p = _model(tmp_path, "entities:\n  acme: {jurisdiction: CN}\n"
               "systems:\n  app: {operator: acmee, location: CN, kind: servce}\n")
    assert sorted((d.code, d.line, d.col) for d in _diags(p)) == [
        ("DF202", 5, 40), ("DF300", 5, 9)]


def test_collection_and_object_shapes(tmp_path: Path) -> None:
    p = _model(tmp_path, "entities:\n  - acme\nsystems:\n  app: just text\ninclude: 5\n")
    assert [(d.code, d.line, d.col) for d in _diags(p)] == [
        ("DF203", 2, 1), ("DF203", 5, 3), ("DF203", 6, 1)]


def test_invalid_id_in_a_reference(tmp_path: Path) -> None:
    p = _model(tmp_path, "entities:\n  acme: {jurisdiction: CN}\n"
               "systems:\n  app: {operator: Acme, location: CN, kind: service}\n")
    got = [(d.code, d.line, d.col) for d in _diags(p)]
    assert ("DF204", 5, 9) in got


def test_mistakes_inside_the_model_block_are_positioned(tmp_path: Path) -> None:
    p = tmp_path / "m.yaml"
    p.write_text("model:\n  name: T\n  evalution_date: 2026-10-01\n", encoding="utf-8")
    assert [(d.code, d.line, d.col) for d in _diags(p)] == [("DF200", 3, 3)]


def test_unknown_owner_reported_even_when_the_model_block_has_a_mistake(tmp_path: Path) -> None:
    p = tmp_path / "m.yaml"
    p.write_text("model:\n  name: T\n  evaluation_date: 2026-13-01\n  owner: nobody\n",
                 encoding="utf-8")
    assert sorted(d.code for d in _diags(p)) == ["DF203", "DF300"]


# --- the CLI reports the same diagnostics as JSON

@pytest.mark.parametrize("fixture, extra", [
    ("DF104-duplicate-key.yaml", []),
    ("DF200-unknown-key.yaml", []),
    ("DF205-duplicate-id", []),
    ("DF101-file-too-large.yaml", ["--max-file-size", "1K"]),
    ("DF302-location-unknown.yaml", []),
])
def test_cli_json_matches_the_api(fixture: str, extra: list[str]) -> None:
    import gc

    from click.testing import CliRunner

    from dataflow.cli import main

    kwargs = {"max_file_bytes": 1024} if extra else {}
    api = validate_model(FIX / fixture, **kwargs)
    gc_was = gc.isenabled()
    try:
        r = CliRunner().invoke(main, ["validate", str(FIX / fixture), "--format", "json", *extra])
    finally:
        if gc_was:
            gc.enable()  # the CLI group turns the GC off for its own process
    assert r.exception is None or isinstance(r.exception, SystemExit)
    assert r.exit_code == (0 if api.ok else 2)
    doc = json.loads(r.stdout)
    assert doc["valid"] is api.ok
    assert doc["diagnostics"] == [d.to_json() for d in api.diagnostics]
    assert doc["errors"] == sum(d.severity == "error" for d in api.diagnostics)


def test_cli_validate_in_a_real_process() -> None:
    proc = subprocess.run([sys.executable, "-m", "dataflow", "validate",
                           str(FIX / "DF104-duplicate-key.yaml"), "--format", "json"],
                          capture_output=True, text=True, cwd=REPO, timeout=60)
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 2
    (d,) = json.loads(proc.stdout)["diagnostics"]
    assert (d["code"], d["line"], d["col"]) == ("DF104", 6, 5)
    assert d["related"] == [{"message": "first defined here",
                             "file": str(FIX / "DF104-duplicate-key.yaml"), "line": 4, "col": 5}]


# --- docs/model-format.md stays true: its complete examples validate, it lists every key and code

DOC = REPO / "docs" / "model-format.md"


def _doc_examples() -> list[tuple[str, str]]:
    import re

    text = DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(# example: ([^\n]*)\n.*?)```", text, re.S)
    return [(name, body) for body, name in blocks]


DOC_EXAMPLES = _doc_examples()


def test_the_reference_has_complete_examples() -> None:
    names = {n for n, _ in DOC_EXAMPLES}
    assert {"model block", "entities", "systems", "categories", "cohorts", "flows", "access",
            "safeguards", "duties", "exemptions", "waivers", "catalogue",
            "complete model"} <= names


@pytest.mark.parametrize("name, body", DOC_EXAMPLES, ids=[n for n, _ in DOC_EXAMPLES])
def test_reference_example_validates(tmp_path: Path, name: str, body: str) -> None:
    p = tmp_path / "example.yaml"
    p.write_text(body, encoding="utf-8")
    result = validate_model(p)
    assert result.ok, [(d.code, d.line, d.col, d.message) for d in result.diagnostics]
    assert result.diagnostics == []


def test_reference_documents_every_key() -> None:
    import typing

    from pydantic import BaseModel

    from dataflow.model import MODEL_FOR_COLLECTION, TOP_LEVEL_KEYS, CatalogueOverlay, ModelInfo

    text = DOC.read_text(encoding="utf-8")
    seen: set[type] = set()

    def walk(cls: type[BaseModel]) -> None:
        if cls in seen:
            return
        seen.add(cls)
        for name, field in cls.model_fields.items():
            key = field.alias or name
            assert f"`{key}`" in text or f"**`{key}`**" in text, f"{cls.__name__}.{key}"
            for arg in _types_in(field.annotation):
                if isinstance(arg, type) and issubclass(arg, BaseModel):
                    walk(arg)

    def _types_in(tp: object) -> list[object]:
        out = [tp]
        for a in typing.get_args(tp):
            out.extend(_types_in(a))
        return out

    for cls in (ModelInfo, CatalogueOverlay, *MODEL_FOR_COLLECTION.values()):
        walk(cls)
    for key in TOP_LEVEL_KEYS:
        assert f"`{key}`" in text, key


def test_reference_lists_every_diagnostic_code() -> None:
    text = DOC.read_text(encoding="utf-8")
    for info in LOADER_CODES.values():
        assert f"| {info.code} | {info.name} | {info.severity} |" in text, info.code


# ----------------------------------------------------------------------------- caps before work

_FOLD_HEAD = """model: {name: x, evaluation_date: 2026-01-01}
entities:
  acme: {jurisdiction: CN}
systems:
  a: {operator: acme, location: [%s], kind: service}
  b: {operator: acme, location: CN, kind: service}
flows:
"""


def _fold_model(tmp_path: Path) -> Path:
    """Lists of more than FIELD_CAP unknown references, locations and categories, values over
    the "did you mean" length limit among them, then more fields wanting suggestions."""
    long = "x" * 120
    cats = ", ".join(f"{long}{i}" if i % 3 == 0 else f"user.contct{i}" for i in range(40))
    cohorts = ", ".join(f"coh{i}" for i in range(33))
    flows = f"  f: {{from: a, to: b, categories: [{cats}], cohorts: [{cohorts}]}}\n"
    flows += "".join(f"  g{i}: {{from: a, to: b, categories: [user.contat{i}, nope{i}]}}\n"
                     for i in range(40))
    flows += "  h:\n    from: a\n    to: b\n    categories:\n" + "".join(
        f"      - bad.{j}\n" for j in range(25))
    p = tmp_path / "fold.yaml"
    p.write_text(_FOLD_HEAD % ", ".join(f"germny{i}" for i in range(30)) + flows,
                 encoding="utf-8")
    return p


def test_repeats_folded_before_positioning_answer_as_capping_after(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """resolve folds the repeats of one list before positioning them (``resolve._Fold``); the
    answer is the one ``cap_diagnostics`` gives when every diagnostic is made and positioned
    first (the fold switched off), hints and "did you mean" budget included."""
    import dataflow.resolve

    p = _fold_model(tmp_path)
    folded = [d.to_json() for d in validate_model(p).diagnostics]
    monkeypatch.setattr(dataflow.resolve, "FIELD_CAP", 10**9)
    unfolded = [d.to_json() for d in validate_model(p).diagnostics]
    assert folded == unfolded
    assert sum(d["message"].startswith("… and") for d in folded) >= 4


@pytest.mark.parametrize("kind", ["location", "category", "provider"])
def test_close_matches_are_difflibs(kind: str) -> None:
    """Catalogue.suggest's index answers exactly ``difflib.get_close_matches``."""
    import difflib
    import random

    from dataflow.catalog import load_catalogue
    from dataflow.catalog.closematch import CloseMatcher

    cat = load_catalogue()
    names = {"location": cat._location_candidates, "category": tuple(cat.categories),
             "provider": tuple(cat.providers)}[kind]
    words = list({c.lower(): c for c in names})
    matcher = CloseMatcher(words)
    rng = random.Random(kind)
    alphabet = "abcdefghijklmnopqrstuvwxyz-:._0123456789 "
    for _ in range(400):
        if rng.random() < 0.6:
            w = list(rng.choice(words))
            for _ in range(rng.randint(0, 3)):
                j = rng.randrange(len(w) + 1)
                op = rng.randrange(3)
                if op == 0:
                    w.insert(j, rng.choice(alphabet))
                elif w:
                    j = min(j, len(w) - 1)
                    if op == 1:
                        w.pop(j)
                    else:
                        w[j] = rng.choice(alphabet)
            word = "".join(w)
        else:
            word = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        for n, cutoff in ((5, 0.6), (3, 0.8)):
            assert matcher.get(word, n=n, cutoff=cutoff) == difflib.get_close_matches(
                word, words, n=n, cutoff=cutoff), word
