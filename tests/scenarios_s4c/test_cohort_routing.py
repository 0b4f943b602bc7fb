"""Cohort-family, routing and self-flow checks, alone and beside an unrelated typo
(docs/model-format.md 'cohorts' "Checks", 'flows' `routing`/`primary`, 'Diagnostic codes'
DF304, DF305, DF306, DF312; 'YAML rules': "Schema and reference problems never stop anything:
every object is checked on its own and every mistake is reported").

`cohort-routing-checks` holds only these mistakes: a subset larger than its parent, a
`subset_of` cycle, an overlap larger than the smaller cohort, `overlaps` between nested cohorts,
two different overlaps for one pair, a flow to itself, a fail-over without `primary` and a
primary naming one. `cohort-routing-with-typo` is the same model plus one entity written
`jurisdiction: cn` (DF301) — a new user's usual first run has both kinds of mistake."""

from __future__ import annotations

import pytest

from .helpers import cli, scenario

ALONE = "cohort-routing-checks"
WITH_TYPO = "cohort-routing-with-typo"

# (code, line, col, part of the message) in cohort-routing-checks/dataflow.yaml
EXPECTED = [
    ("DF305", 10, 9, "'big' (900) is larger than 'small' (100)"),
    ("DF305", 12, 23, "'loop-a' is part of a subset_of cycle"),
    ("DF305", 13, 23, "'loop-b' is part of a subset_of cycle"),
    ("DF305", 15, 34, "(60) exceeds the smaller cohort"),
    ("DF304", 16, 51, "'nested' and 'small' are nested"),
    ("DF305", 17, 34, "different overlaps (5 and 6)"),
    ("DF312", 20, 3, "'self' goes from 'db' to itself"),
    ("DF306", 21, 60, "'backup' names no primary"),
    ("DF306", 22, 61, "'to-desk' is a primary flow but names a primary"),
]


def _diags(name: str) -> list[dict]:
    out = cli("validate", scenario(name), "--format", "json")
    assert out.rc == 2
    assert "Traceback" not in out.stderr
    return out.json()["diagnostics"]


def _codes(name: str) -> list[tuple[str, int, int]]:
    return [(d["code"], d["line"], d["col"]) for d in _diags(name)]


@pytest.mark.parametrize(("code", "line", "col", "msg"), EXPECTED,
                         ids=[f"{e[0]}-{e[1]}" for e in EXPECTED])
def test_each_check_alone_at_its_position(code: str, line: int, col: int, msg: str) -> None:
    hits = [d for d in _diags(ALONE) if (d["code"], d["line"], d["col"]) == (code, line, col)]
    assert hits, _codes(ALONE)
    assert msg in hits[0]["message"]


def test_severities_and_exit() -> None:
    sev = {d["code"]: d["severity"] for d in _diags(ALONE)}
    assert sev == {"DF304": "error", "DF305": "error", "DF306": "error", "DF312": "warning"}


def test_the_typo_itself_is_reported() -> None:
    assert ("DF301", 6, 13) in _codes(WITH_TYPO)


# The typo model has one more line (the typo-co entity), so every position moves down by one.
def test_cohort_count_checks_survive_an_unrelated_typo() -> None:
    got = _codes(WITH_TYPO)
    for code, line, col, _msg in EXPECTED:
        if code == "DF305":
            assert (code, line + 1, col) in got, got


def test_laminar_check_survives_an_unrelated_typo() -> None:
    assert ("DF304", 17, 51) in _codes(WITH_TYPO)


def test_routing_checks_survive_an_unrelated_typo() -> None:
    got = _codes(WITH_TYPO)
    assert ("DF306", 22, 60) in got and ("DF306", 23, 61) in got, got


def test_self_flow_warning_survives_an_unrelated_typo() -> None:
    assert ("DF312", 21, 3) in _codes(WITH_TYPO)
