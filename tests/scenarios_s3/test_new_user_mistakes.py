"""Mistakes of a first model: every one reported at once with file:line:col and a hint
(README "Validate"; docs/model-format.md "YAML rules": schema and reference problems never stop
anything, every mistake is reported)."""

from __future__ import annotations

from .helpers import cli, scenario

NAME = "new-user-mistakes"


def _diags() -> list[tuple[str, int, int, str | None]]:
    out = cli("validate", scenario(NAME), "--format", "json")
    assert out.rc == 2
    return [(d["code"], d["line"], d["col"], d["hint"]) for d in out.json()["diagnostics"]]


def test_each_mistake_with_position_and_hint() -> None:
    d = _diags()
    expected = [
        ("DF301", 5, 22, "did you mean 'CN'?"),
        ("DF301", 9, 25, "did you mean 'CN'?"),
        ("DF200", 10, 24, "did you mean 'location'?"),
        ("DF203", 14, 11, None),
        ("DF200", 16, 32, "did you mean 'categories'?"),
        ("DF303", 17, 46, "did you mean 'user.contact.email'?"),
        ("DF300", 17, 77, "did you mean 'users'?"),
        ("DF202", 19, 70, "did you mean 'entrusted'?"),
    ]
    for e in expected:
        assert e in d, (e, d)


def test_human_output_shows_caret() -> None:
    out = cli("validate", scenario(NAME))
    assert out.rc == 2
    assert "dataflow.yaml:9:25: error DF301 unknown location 'cn'" in out.stdout + out.stderr


def test_no_controller_reported_with_the_other_mistakes() -> None:
    assert any(code == "DF307" for code, *_ in _diags())
