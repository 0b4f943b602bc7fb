"""The YAML layer (dataflow.yamlparse): YAML 1.2 core scalars on every parser path, refusal of
duplicate keys, tags, alias bombs and deep nesting, and the positions diagnostics rely on.

Every test here works on text; files and folders are tested in test_loader.py.
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from dataflow import yamlparse
from dataflow.yamlparse import ALIAS_EXPANSION_FLOOR, MAX_DEPTH, parse_yaml, plain_scalar

REPO = Path(__file__).resolve().parent.parent


def _value(src: str) -> Any:
    """The value of the single key ``v`` in ``src`` (asserting the text parses)."""
    result = parse_yaml(src)
    assert result.problems == [], result.problems
    return result.data["v"]


def _problem(src: str) -> tuple[str, int, int]:
    result = parse_yaml(src)
    assert result.data is None
    assert len(result.problems) == 1, result.problems
    p = result.problems[0]
    return p.kind, p.line, p.col


# --- scalars: the YAML 1.2 core schema, with one tightening (leading-zero decimals stay text)

@pytest.mark.parametrize("text, expected", [
    # only true/false are booleans; the YAML 1.1 words are text (the Norway problem)
    ("NO", "NO"), ("no", "no"), ("No", "No"), ("yes", "yes"), ("Yes", "Yes"), ("on", "on"),
    ("off", "off"), ("Off", "Off"), ("y", "y"), ("n", "n"),
    ("true", True), ("True", True), ("TRUE", True), ("false", False), ("FALSE", False),
    ("tRUE", "tRUE"),
    # no sexagesimal numbers: times and ratios stay text
    ("1:30", "1:30"), ("12:30:45", "12:30:45"), ("190:20:30", "190:20:30"),
    # a leading zero keeps the digits (postcodes, codes): our one tightening of YAML 1.2
    ("010", "010"), ("00", "00"), ("-010", "-010"), ("+007", "+007"), ("0123456", "0123456"),
    # timestamps stay text until the schema parses them
    ("2026-01-10", "2026-01-10"), ("2026-10-01T00:00:00Z", "2026-10-01T00:00:00Z"),
    # digit separators are not YAML 1.2 integers: the count fields parse them
    ("100_000", "100_000"), ("0b101", "0b101"),
    # integers: decimal, 0o octal, 0x hex
    ("0", 0), ("-0", 0), ("42", 42), ("+42", 42), ("-42", -42), ("0o17", 15), ("0x1F", 31),
    ("0x1f", 31), ("250000", 250000),
    # floats
    ("1.5", 1.5), ("-0.5", -0.5), (".5", 0.5), ("1e3", 1000.0), ("1.", 1.0), ("6.02E23", 6.02e23),
    (".inf", math.inf), ("-.Inf", -math.inf), ("+.INF", math.inf),
    # nulls
    ("~", None), ("null", None), ("Null", None), ("NULL", None), ("", None), ("nULL", "nULL"),
    # text that merely starts like a number
    ("1.2.3", "1.2.3"), (".", "."), ("+", "+"), ("1e", "1e"), ("0x", "0x"),
    ("0o8", "0o8"), ("1 000", "1 000"), ("CN-ZJ", "CN-ZJ"), ("aws:us-east-1", "aws:us-east-1"),
])
def test_plain_scalars_follow_yaml_1_2_core(text: str, expected: Any) -> None:
    value = plain_scalar(text)
    assert value == expected and type(value) is type(expected)
    # and through the whole parser, as a mapping value
    parsed = _value(f"v: {text}\n")
    assert parsed == expected and type(parsed) is type(expected)


@pytest.mark.parametrize("text", [".nan", ".NaN", ".NAN"])
def test_nan(text: str) -> None:
    assert math.isnan(plain_scalar(text))


@pytest.mark.parametrize("src, expected", [
    ('v: "010"', "010"), ("v: '1:30'", "1:30"), ('v: "true"', "true"), ("v: 'NO'", "NO"),
    ('v: "250000"', "250000"), ("v: !!str 12", "12"), ("v: !!str true", "true"),
    ("v: ! 12", "12"), ("v: !!int 12", 12), ('v: !!int "12"', 12), ("v: !!float 1", 1.0),
    ("v: !!bool true", True), ("v: !!null ~", None),
    ("v: |\n  line one\n  line two\n", "line one\nline two\n"),
    ("v: >-\n  folded\n  text\n", "folded text"),
])
def test_quoted_block_and_tagged_scalars(src: str, expected: Any) -> None:
    value = _value(src)
    assert value == expected and type(value) is type(expected)


def test_keys_stay_text_as_written() -> None:
    data = parse_yaml("1: a\nyes: b\nNO: c\n2026-01-10: d\n010: e\n~: f\n").data
    assert data == {"1": "a", "yes": "b", "NO": "c", "2026-01-10": "d", "010": "e", "~": "f"}
    assert all(isinstance(k, str) for k in data)


def test_chinese_text_round_trips() -> None:
    src = "name_zh: 杭州阿克米科技有限公司\naddress: 杭州市西湖区文三路 100 号\n'键': 值\n"
    assert parse_yaml(src).data == {"name_zh": "杭州阿克米科技有限公司",
                                    "address": "杭州市西湖区文三路 100 号", "键": "值"}


def test_empty_and_comment_only_documents_are_none() -> None:
    for src in ("", "# only a comment\n", "---\n", "--- # empty\n...\n"):
        result = parse_yaml(src)
        assert result.problems == [] and result.data is None


def test_anchors_and_aliases_within_bounds_are_expanded() -> None:
    data = parse_yaml("base: &b {kind: service, location: CN}\nother: *b\nlist: [&x 1, *x]\n").data
    assert data == {"base": {"kind": "service", "location": "CN"},
                    "other": {"kind": "service", "location": "CN"}, "list": [1, 1]}


def test_merge_key_is_an_ordinary_key() -> None:
    # YAML 1.2 has no merge keys: `<<` stays a key, so the schema reports it instead of a
    # silent merge.
    data = parse_yaml("base: &b {a: 1}\nobj:\n  <<: *b\n  c: 2\n").data
    assert data["obj"] == {"<<": {"a": 1}, "c": 2}


# --- refusals: each is one problem with a position; the parser never raises

def test_duplicate_key_reports_both_positions() -> None:
    result = parse_yaml("entities:\n  acme:\n    jurisdiction: CN\n    name: A\n"
                        "    jurisdiction: HK\n")
    assert result.data is None
    (p,) = result.problems
    assert (p.kind, p.line, p.col, p.related_line, p.related_col) == (
        "duplicate-key", 5, 5, 3, 5)
    assert "jurisdiction" in p.message


def test_duplicate_key_at_top_level_and_in_block_sequences() -> None:
    p = parse_yaml("systems: {}\nflows: {}\nsystems: {}\n").problems[0]
    assert (p.kind, p.line, p.col, p.related_line, p.related_col) == ("duplicate-key", 3, 1, 1, 1)
    p = parse_yaml("e:\n  - a: 1\n    a: 2\n").problems[0]
    assert (p.kind, p.line, p.col, p.related_line, p.related_col) == ("duplicate-key", 3, 5, 2, 5)


def test_duplicate_key_in_flow_mapping_is_refused() -> None:
    p = parse_yaml("a: {x: 1, y: 2, y: 3}\n").problems[0]
    assert (p.kind, p.line, p.col) == ("duplicate-key", 1, 17)


def test_duplicate_key_in_flow_mapping_names_the_first_key() -> None:
    p = parse_yaml("a: {x: 1, y: 2, y: 3}\n").problems[0]
    assert (p.related_line, p.related_col) == (1, 11)


def test_same_key_in_different_mappings_is_fine() -> None:
    data = parse_yaml("a: {name: x}\nb: {name: y}\n").data
    assert data == {"a": {"name": "x"}, "b": {"name": "y"}}


@pytest.mark.parametrize("src, line, col", [
    ("v: !!python/object:os.system {a: 1}\n", 1, 4),
    ("v: !!python/object/apply:os.system ['echo hi']\n", 1, 4),
    ("v: !!python/name:os.system ''\n", 1, 4),
    ("a: 1\nv: !custom text\n", 2, 4),
    ("v: !!binary aGVsbG8=\n", 1, 4),
    ("v: !!timestamp 2026-01-01\n", 1, 4),
    ("v: !!set {a: null}\n", 1, 4),
    ("v: !!omap [a: 1]\n", 1, 4),
    ("v: !!int abc\n", 1, 4),
    ("v: !!bool yes\n", 1, 4),
    ("!!python/object:x {}\n", 1, 1),
])
def test_tags_are_refused(src: str, line: int, col: int) -> None:
    assert _problem(src) == ("tag", line, col)


def test_python_tag_is_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    src = f"v: !!python/object/apply:os.system ['touch {marker}']\n"
    assert _problem(src)[0] == "tag"
    assert not marker.exists()


def _bomb(levels: int) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("levels", [9, 30])
def test_billion_laughs_is_refused_fast(levels: int) -> None:
    t0 = time.perf_counter()
    result = parse_yaml(_bomb(levels))
    elapsed = time.perf_counter() - t0
    assert result.data is None
    (p,) = result.problems
    assert p.kind == "alias" and "alias bomb" in p.message
    assert elapsed < 2.0


def test_billion_laughs_position() -> None:
    # a0..a3 weigh 10, 91, 820 and 7,381 nodes: the first alias of a4 crosses 10,000
    assert _problem(_bomb(9)) == ("alias", 5, 10)


def test_alias_budget_scales_with_file_size() -> None:
    # many aliases of a small anchor in a big file are legitimate
    n = ALIAS_EXPANSION_FLOOR  # 10,000 aliases of a 2-node anchor: 20,000 > floor, < 10x nodes
    src = "base: &b [x]\n" + "".join(f"k{i}: [{i}, *b]\n" for i in range(n))
    result = parse_yaml(src)
    assert result.problems == []
    assert result.data[f"k{n - 1}"] == [n - 1, ["x"]]


@pytest.mark.parametrize("src, kind, line, col", [
    ("a: *nowhere\n", "alias", 1, 4),
    ("a: &x 1\n*x : 2\n", "alias", 2, 1),
])
def test_alias_problems(src: str, kind: str, line: int, col: int) -> None:
    assert _problem(src) == (kind, line, col)


@pytest.mark.parametrize("opening, closing", [("[", "]"), ("{a: ", "}")])
def test_100000_deep_nesting_is_refused_without_crashing(opening: str, closing: str) -> None:
    t0 = time.perf_counter()
    result = parse_yaml("v: " + opening * 100_000 + closing * 100_000 + "\n")
    assert time.perf_counter() - t0 < 2.0
    assert result.data is None
    (p,) = result.problems
    assert p.kind == "depth" and str(MAX_DEPTH) in p.message


def test_deep_block_sequence_is_refused() -> None:
    (p,) = parse_yaml("- " * 1000 + "x\n").problems
    assert (p.kind, p.line, p.col) == ("depth", 1, 2 * MAX_DEPTH + 1)


def test_nesting_limit_is_exactly_max_depth() -> None:
    # the top-level mapping counts as one level
    ok = "v: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    assert parse_yaml(ok).problems == []
    too_deep = "v: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n"
    assert _problem(too_deep) == ("depth", 1, 3 + MAX_DEPTH)


@pytest.mark.parametrize("src, kind, line, col", [
    ("a: 1\n---\nb: 2\n", "documents", 2, 1),
    ("a: {b: 1\nc: 2\n", "syntax", 2, 2),
    ("a:\n\tb: 1\n", "syntax", 2, 1),
    ("a: [1, 2\n", "syntax", 2, 1),
    ("a: 'unterminated\n", "syntax", 2, 1),
    ("a: b: c\n", "syntax", 1, 5),
    ("? [a, b]\n: c\n", "syntax", 1, 3),
    ("? {a: 1}\n: c\n", "syntax", 1, 3),
    ("a: 1\nb: \x07\n", "syntax", 2, 4),
])
def test_syntax_problems_are_positioned(src: str, kind: str, line: int, col: int) -> None:
    assert _problem(src) == (kind, line, col)


@pytest.mark.parametrize("src", [
    "\x00", "{", "}", "]]]", "&", "*", "!", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n---\n!a 1\n",
    "- &a [*a]\n", "a: &a\n  b: *a\n", ": :", "? ? ?", "'", '"\\q"', "\ufeff\ufeff",
])
def test_garbage_never_raises(src: str) -> None:
    result = parse_yaml(src)
    assert result.data is None or result.problems == []


# --- positions

SAMPLE = """\
model: {name: T, evaluation_date: 2026-10-01}
systems:
  app:
    operator: acme
    location: [CN, HK]
    genai:
      - {model: x, unfiled: true}
flows:
  f1: {from: app, to: db, categories: [user.contact]}
"""


def test_fast_pass_records_positions_of_depth_one_and_two_keys() -> None:
    pos = parse_yaml(SAMPLE).positions
    assert pos[("model",)] == (1, 1)
    assert pos[("model", "name")] == (1, 9)
    assert pos[("systems",)] == (2, 1)
    assert pos[("systems", "app")] == (3, 3)
    assert pos[("flows", "f1")] == (9, 3)
    assert ("systems", "app", "operator") not in pos  # kept compact


def test_record_all_positions_every_key_and_item() -> None:
    pos = parse_yaml(SAMPLE, record_all=True).positions
    assert pos[("systems", "app", "operator")] == (4, 5)
    assert pos[("systems", "app", "location", 1)] == (5, 20)
    assert pos[("systems", "app", "genai", 0)] == (7, 9)
    assert pos[("systems", "app", "genai", 0, "unfiled")] == (7, 20)
    assert pos[("flows", "f1", "categories", 0)] == (9, 40)


def test_positions_count_characters_not_bytes() -> None:
    pos = parse_yaml("a: {name_zh: 中文名称, b: 1}\n", record_all=True).positions
    assert pos[("a", "b")] == (1, 20)


def test_libyaml_is_used_when_installed() -> None:
    assert yamlparse.LIBYAML is bool(getattr(yaml, "__with_libyaml__", False))


class _PurePythonParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


PARSER_SAMPLES = [
    SAMPLE,
    (REPO / "examples" / "ai-relay" / "platform-team.yaml").read_text(encoding="utf-8"),
    (REPO / "examples" / "ai-relay" / "app-team.yaml").read_text(encoding="utf-8"),
    "a: {x: 1, y: 2, x: 3}\n",
    "v: !!python/object:os.system {}\n",
    "v: NO\nw: 1:30\nx: 010\ny: 2026-01-10\nz: 0x1F\n",
    "a:\n  - b\n  -\n    c: d\n",
    _bomb(9),
]


@pytest.mark.parametrize("src", PARSER_SAMPLES)
def test_c_and_pure_python_parsers_agree(src: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if not yamlparse.LIBYAML:
        pytest.skip("libyaml not installed: only the pure-Python parser exists")
    c_result = parse_yaml(src, record_all=True)
    monkeypatch.setattr(yamlparse, "_Parser", _PurePythonParser)
    py_result = parse_yaml(src, record_all=True)
    assert c_result.data == py_result.data
    assert c_result.positions == py_result.positions
    assert [(p.kind, p.line, p.col, p.related_line, p.related_col) for p in c_result.problems] \
        == [(p.kind, p.line, p.col, p.related_line, p.related_col) for p in py_result.problems]


def test_parsing_restores_the_gc_state() -> None:
    import gc

    was = gc.isenabled()
    try:
        for state in (True, False):
            (gc.enable if state else gc.disable)()
            parse_yaml(SAMPLE)
            parse_yaml("a: {b: 1, b: 2}\n")
            parse_yaml("a: !!python/object:x {}\n")
            assert gc.isenabled() is state
    finally:
        (gc.enable if was else gc.disable)()
