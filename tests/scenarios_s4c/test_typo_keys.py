"""Misspelled keys at every level (docs/model-format.md 'Diagnostic codes' DF200: "one
diagnostic, with 'did you mean'" — no second DF201 for the key it should have been) and an
`include:` in an included file ('Files': `include` is "only honoured in the root file (DF111
elsewhere)").

`typo-keys/dataflow.yaml` writes `evaluation-date`, `jurisdction`, `contact.mail`, `operater`,
`too`, `categorys`, `period.start`; it includes `team.yaml`, which has its own
`include: ["*.yaml"]`. `nested-typos` misspells keys inside `ciio`, `us`, a `genai` entry and
`important_data`, and gives `dpf.hr: yes`, an empty exemption list and an impossible date."""

from __future__ import annotations

from pathlib import Path

from .helpers import cli, scenario

NAME = "typo-keys"


def _diags() -> list[dict]:
    out = cli("validate", scenario(NAME), "--format", "json")
    assert out.rc == 2
    return out.json()["diagnostics"]


def test_one_df200_per_typo_with_its_suggestion() -> None:
    got = [(Path(d["file"]).name, d["code"], d["line"], d["col"], d["hint"])
           for d in _diags() if Path(d["file"]).name == "dataflow.yaml"]
    assert got == [
        ("dataflow.yaml", "DF200", 2, 22, "did you mean 'evaluation_date'?"),
        ("dataflow.yaml", "DF200", 4, 10, "did you mean 'jurisdiction'?"),
        ("dataflow.yaml", "DF200", 4, 37, "did you mean 'email'?"),
        ("dataflow.yaml", "DF200", 6, 9, "did you mean 'operator'?"),
        ("dataflow.yaml", "DF200", 8, 18, "did you mean 'to'?"),
        ("dataflow.yaml", "DF200", 8, 28, "did you mean 'categories'?"),
        ("dataflow.yaml", "DF200", 8, 64, "allowed keys: from, to"),
    ]


def test_include_in_an_included_file_is_df111() -> None:
    hits = [d for d in _diags() if Path(d["file"]).name == "team.yaml"]
    assert [(d["code"], d["line"]) for d in hits] == [("DF111", 1)]


NESTED = "nested-typos"


def _nested() -> list[tuple[str, int, int, str | None]]:
    out = cli("validate", scenario(NESTED), "--format", "json")
    assert out.rc == 2
    return [(d["code"], d["line"], d["col"], d["hint"]) for d in out.json()["diagnostics"]]


def test_nested_mistakes_each_at_its_position() -> None:
    got = {(c, line, col): hint for c, line, col, hint in _nested()}
    assert set(got) == {("DF200", 4, 51), ("DF200", 4, 72), ("DF203", 4, 110),
                        ("DF200", 6, 54), ("DF203", 11, 25), ("DF203", 13, 51),
                        ("DF200", 15, 54), ("DF202", 15, 84)}
    assert got[("DF200", 4, 51)] == "did you mean 'sector'?"              # ciio.sectr
    assert got[("DF200", 4, 72)] == "did you mean 'covered_person'?"      # us.covered
    assert "only true/false" in got[("DF203", 4, 110)]                   # dpf.hr: yes
    assert got[("DF200", 15, 54)] == "did you mean 'ref'?"               # important_data.reff


def test_genai_key_typo_gets_a_suggestion() -> None:
    hint = next(h for c, line, col, h in _nested() if (c, line, col) == ("DF200", 6, 54))
    assert hint == "did you mean 'filing'?"
