"""Value mistakes a new user makes in one file, each with its code at its own position
(docs/model-format.md 'model', 'entities', 'systems' genai, 'cohorts' Counts, 'flows', 'access',
'safeguards', 'Who exports' DF307, 'Locations' aliases; 'Diagnostic codes').

`value-mistakes/model.yaml`: an impossible evaluation date, `province: CN` (not a subdivision),
a bad `dpf.since`, a service `genai` without `model`, an `ai-model` `genai` naming a `model`
and stating two statuses, counts written -5, 2.5, 250k, true and
10^14, `unit: people`, `subset_of` given a list, an overlap with an unknown cohort, an empty
category list, US spellings and hyphenations of enums, `transit_only: yes`, a processor for two
controllers sending its own data without `on_behalf_of` (DF307, twice), references to the
wrong kind of object, an integer legal basis, an unknown legal-basis law, `rights: read` not a
list. Valid in the same file: `gba:shenzhen`, `CN-TW`, `EL`, `FR-NC`, `io:epo`, `EEA`, a dated
series with unsorted dates and a quoted `"70_000"`.

`genai-statuses`: entries stating two statuses (`filing` and `unfiled: true`) and an
`ai-model` system whose own `genai` names a `model` ("on an ai-model system, the model's own
status (no model)"; "Each entry states one status")."""

from __future__ import annotations

import pytest

from .helpers import cli, scenario

NAME = "value-mistakes"

EXPECTED = [
    ("DF203", 2, 31, "'2026-02-30' is not a calendar date", None),
    ("DF301", 4, 28, "unknown province 'CN'", "CN-ZJ"),
    ("DF203", 7, 55, "'2024-13-01' is not a calendar date", None),
    ("DF311", 13, 55, "names no model", "model:"),
    ("DF311", 15, 61, "more than one status (filing, unfiled: true)", "keep one of"),
    ("DF311", 15, 69, "ai-model system 'model-a' names a model", "drop model:"),
    ("DF203", 18, 11, "cannot be negative", None),
    ("DF203", 19, 10, "got 2.5", None),
    ("DF203", 20, 10, "got '250k'", None),
    ("DF202", 20, 23, "'people'", None),
    ("DF203", 21, 10, "got True", None),
    ("DF203", 21, 23, "'subset_of'", None),
    ("DF203", 22, 10, "at most 10,000,000,000,000", None),
    ("DF300", 23, 74, "unknown cohort 'ghost'", None),
    ("DF203", 26, 33, "'categories' of flow 'to-hub'", None),
    ("DF202", 26, 67, "'anonymized'", "did you mean 'anonymised'?"),
    ("DF202", 26, 80, "'fail-over'", "did you mean 'failover'?"),
    ("DF307", 27, 3, "several controllers (acme, beta)", "on_behalf_of"),
    ("DF203", 27, 67, "'transit_only'", "only true/false are booleans"),
    ("DF202", 27, 86, "'broker'", "did you mean 'brokerage'?"),
    ("DF307", 28, 3, "'own-logs'", "on_behalf_of"),
    ("DF202", 28, 66, "'Processor'", "did you mean 'processor'?"),
    ("DF300", 29, 15, "unknown system 'acme'", "is an entity"),
    ("DF203", 29, 79, "'legal_basis.pipl'", None),
    ("DF200", 29, 89, "'ccpa'", "pipl, gdpr, uk-gdpr"),
    ("DF300", 31, 23, "unknown entity 'hub'", "is a system"),
    ("DF203", 31, 57, "'rights'", None),
    ("DF300", 33, 40, "unknown entity 'core'", "is a system"),
]


def _diags() -> list[dict]:
    out = cli("validate", scenario(NAME), "--format", "json")
    assert out.rc == 2
    assert "Traceback" not in out.stderr
    return out.json()["diagnostics"]


def test_exactly_these_diagnostics() -> None:
    assert [(d["code"], d["line"], d["col"]) for d in _diags()] == [e[:3] for e in EXPECTED]


@pytest.mark.parametrize(("code", "line", "col", "msg", "hint"), EXPECTED,
                         ids=[f"{e[0]}-{e[1]}:{e[2]}" for e in EXPECTED])
def test_message_and_hint(code: str, line: int, col: int, msg: str, hint: str | None) -> None:
    d = next(d for d in _diags() if (d["code"], d["line"], d["col"]) == (code, line, col))
    assert msg in d["message"]
    if hint:
        assert hint in (d["hint"] or "")


def test_an_entry_with_two_statuses_is_refused() -> None:
    out = cli("validate", scenario("genai-statuses"), "--format", "json")
    assert out.rc == 2
    assert (15, "DF311") in [(d["line"], d["code"]) for d in out.json()["diagnostics"]]
    # check no longer treats the filed model as unfiled: it refuses the model (exit 2)
    assert cli("check", scenario("genai-statuses")).rc == 2


def test_model_key_on_an_ai_model_system_is_refused() -> None:
    out = cli("validate", scenario("genai-statuses"), "--format", "json")
    assert out.rc == 2
    assert ("DF311", 20, 13) in [(d["code"], d["line"], d["col"])
                                 for d in out.json()["diagnostics"]]
