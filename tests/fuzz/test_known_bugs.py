"""Minimal reproductions of the bugs the fuzzers found.

A bug that is not fixed yet is marked ``xfail(strict=True)`` here and listed in
``support.KNOWN_BUGS`` (the fuzzers tolerate exactly its signature so CI stays green). When the
fix lands the test passes, strict xfail turns that into a failure: delete the marker and the
``KNOWN_BUGS`` entry; the test stays as a regression test. The four below were found by the fuzz
suite and fixed during the hardening work (issue 10); they now guard against regressions.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dataflow import validate_model

from .support import CATALOGUE, GuardTimeout, check_validation, exercise_model, guard

HEAD = "model: {name: x, evaluation_date: 2026-01-01}\n"
PARTIES = """entities:
  acme: {jurisdiction: CN}
systems:
  a: {operator: acme, location: CN, kind: service}
  b: {operator: acme, location: CN, kind: service}
"""


def validate_text(tmp_path: Path, text: str, seconds: float = 10):
    """validate_model on one file; an exception or a hang fails the test (never raises)."""
    path = tmp_path / "model.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        with guard(seconds, "validate_model"):
            result = validate_model(path, catalogue=CATALOGUE)
    except GuardTimeout as exc:
        pytest.fail(f"hang: {exc}")
    check_validation(result)
    return result


def codes(result) -> set[str]:
    return {d.code for d in result.diagnostics if d.severity == "error"}


@pytest.mark.parametrize("text", [
    "model: {name: x, evaluation_date: 2026-01-01, str: 1}\n",
    HEAD + PARTIES.replace("kind: service}", "kind: service, 'list[int]': 1}", 1),
    HEAD + "entities:\n  acme: {jurisdiction: CN, '[': 1}\n",
], ids=["model-str", "system-list[int]", "entity-bracket"])
def test_unknown_key_that_looks_like_a_union_tag(tmp_path: Path, text: str) -> None:
    """Was: IndexError in validate._translate — loc parts that look like pydantic union tags
    (a key containing '[' or named str/int/bool/float/list/dict/none) were dropped, leaving loc
    empty for an unknown key of that name."""
    result = validate_text(tmp_path, text)
    assert "DF200" in codes(result)
    d = next(d for d in result.diagnostics if d.code == "DF200")
    assert d.line is not None and d.col is not None


@pytest.mark.parametrize("text", [
    HEAD + PARTIES + "flows:\n  f: {from: a, to: b, categories: {pipl: x}}\n",
    HEAD + PARTIES + "flows:\n  f: {from: a, to: b, categories: [user.contact], cohorts: [[u]]}\n",
    HEAD + PARTIES.replace("location: CN, kind: service}\n", "location: [CN, [US]], "
                           "kind: service}\n", 1),
], ids=["flow-categories-mapping", "flow-cohorts-nested-list", "system-location-nested-list"])
def test_list_or_mapping_inside_a_reference_list(tmp_path: Path, text: str) -> None:
    """Was: TypeError (unhashable type) in resolve() — list items went straight into sets."""
    result = validate_text(tmp_path, text)
    assert codes(result) & {"DF203", "DF300", "DF301", "DF303"}


@pytest.mark.parametrize("count", ["100000000000000000000", "18446744073709551616",
                                   "{2026-01-01: 100000000000000000000}"])
def test_count_beyond_64_bits(tmp_path: Path, count: str) -> None:
    """Was: TypeError 'Integer exceeds 64-bit range' from orjson in resolve.model_digest."""
    result = validate_text(tmp_path, HEAD + f"cohorts:\n  users: {{count: {count}}}\n")
    assert result.ok or {d.code for d in result.diagnostics} & {"DF203", "DF305"}


BOMB_TAIL = "".join(
    ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n']
    + [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, 10)])


@pytest.mark.parametrize("text", [
    "m:\n  k: 1\n  k: 2\nr: &x [*x]\n",
    "m:\n  k: 1\n  k: 2\n" + BOMB_TAIL,
], ids=["recursive-alias", "alias-bomb"])
def test_duplicate_key_before_a_recursive_alias(tmp_path: Path, text: str) -> None:
    """Was: a hang in yamlparse._first_key — the whole file was composed with PyYAML and its node
    graph walked without a visited set (a recursive alias looped forever, a bomb walked 10^9
    nodes)."""
    result = validate_text(tmp_path, text, seconds=5)
    assert codes(result) == {"DF104"}
    d = result.diagnostics[0]
    assert (d.line, d.col) == (3, 3)


def test_evaluation_date_in_year_one(tmp_path: Path) -> None:
    """Was: the US DOJ rule's look-back window (one year before the evaluation date) raised
    'year 0 is out of range' (CHK004, a crashed regime) for an evaluation date in year 1."""
    text = ("model: {name: x, evaluation_date: 0001-06-01}\n"
            "entities:\n  acme: {jurisdiction: US}\n  cn: {jurisdiction: CN}\n"
            "systems:\n  a: {operator: acme, location: US, kind: service}\n"
            "  b: {operator: cn, location: CN, kind: service}\n"
            "cohorts:\n  u: {count: 2000000, us_persons: true}\n"
            "flows:\n  f: {from: a, to: b, categories: [user.contact], cohorts: [u]}\n")
    result = validate_text(tmp_path, text)
    assert result.model is not None, [(d.code, d.message) for d in result.diagnostics]
    exercise_model(result)
