"""The fast parser (dataflow.fastparse, yaml_rs) against the reference (dataflow.yamlparse,
libyaml): on every file it accepts it must give the same Python objects (values, types, key order)
and, on demand, the same positions; everything else goes to libyaml, so diagnostics are the
reference ones. Differential tests over the examples, the fixtures, the fuzz corpus and random
YAML of several generators; loader-level tests that validate_model answers byte for byte the
same with DATAFLOW_PARSER=libyaml; and the guards (deep nesting never reaches yaml_rs)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dataflow import fastparse, loader, validate_model
from dataflow.fastparse import Positions, parse, parse_fast, risky
from dataflow.yamlparse import parse_yaml

from .fuzz.support import dump_yaml, fuzz_settings
from .fuzz.test_fuzz_yaml import TOKENS, Data, Doc, any_char, token_soup
from .yamlgen import benign_yaml

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not fastparse.enabled(), reason="yaml_rs is not installed")


def same(text: str) -> bool:
    """Assert the two parsers agree on ``text``; True when the fast path took it."""
    ref = parse_yaml(text)
    fast = parse_fast(text)
    if fast is None:
        return False
    assert not ref.problems, f"fast path took {text!r}, which libyaml refuses: {ref.problems[0]}"
    # repr tells 1 from True from 1.0 from '1', keeps key order, and shows nan and -0.0
    assert repr(fast.data) == repr(ref.data), text
    assert _types(fast.data) == _types(ref.data), text
    assert not fast.positioned and ref.positioned
    positions = Positions(text, fast.data)
    for path, at in ref.positions.items():
        assert positions.get(path) == at, (path, text)
    for path in [("no such key",), (next(iter(fast.data), "x"), "no such key")]:
        if path not in ref.positions:
            assert positions.get(path) is None
    _same_lookups(text, fast.data)
    return True


def _same_lookups(text: str, data: dict[str, Any]) -> None:
    """The indexed key lookup answers exactly what the former scan of the text answered."""
    positions = Positions(text, data)
    positions._lookups = fastparse._SCANS_BEFORE_INDEX  # the index from the first lookup on
    for key, value in data.items():
        if type(key) is not str:
            continue
        at = positions._find(key, 0, len(text))
        assert at == positions._find_scan(key, 0, len(text)), (key, text)
        if at is not None and type(value) is dict:
            for inner in value:
                if type(inner) is str:
                    assert positions._find(inner, at, len(text)) == \
                        positions._find_scan(inner, at, len(text)), (key, inner, text)


def _types(value: Any) -> Any:
    if isinstance(value, dict):
        return [(type(k).__name__, k, _types(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_types(v) for v in value]
    return type(value).__name__


def _files(*patterns: str) -> list[Path]:
    out: list[Path] = []
    for pattern in patterns:
        out.extend(sorted(ROOT.glob(pattern)))
    return [p for p in out if p.is_file()]


def _text(path: Path) -> str | None:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    return text.replace("\r\n", "\n")


# ----------------------------------------------------------------------------- every file we ship

def test_examples_fixtures_and_corpus_parse_identically() -> None:
    files = _files("examples/**/*.yaml", "tests/fixtures/**/*.yaml", "tests/fixtures/**/*.yml",
                   "tests/fuzz/corpus/**/*.yaml", "tests/fuzz/corpus/**/*.yml")
    assert len(files) > 250
    fast = 0
    for path in files:
        text = _text(path)
        if text is not None:
            fast += same(text)
    # the fast path is really taken (a pre-scan refusing everything would pass the rest)
    assert fast > len(files) // 3


def test_most_example_files_take_the_fast_path() -> None:
    files = _files("examples/**/*.yaml")
    taken = [p.name for p in files if same(_text(p) or "")]
    assert len(taken) * 2 > len(files), taken


# ----------------------------------------------------------------------------- random YAML

@fuzz_settings(3000)
@given(st.integers(0, 2**32))
def test_benign_generated_documents(seed: int) -> None:
    same(benign_yaml(seed))


@fuzz_settings(1500)
@given(st.integers(0, 2**64 - 1))
def test_fuzz_generated_documents(seed: int) -> None:
    doc = Doc(seed)
    same(doc.block(0, 0).lstrip("\n") + "\n")


@fuzz_settings(1000)
@given(st.integers(0, 2**32))
def test_dumped_model_like_data(seed: int) -> None:
    same(dump_yaml(Data(seed).model()))


@fuzz_settings(1000)
@given(token_soup())
def test_token_soup(text: str) -> None:
    same(text + "\n")


@fuzz_settings(1000)
@given(st.lists(st.sampled_from(TOKENS), max_size=30).map("".join))
def test_yaml_token_sequences(text: str) -> None:
    same(text)
    same(text + "\n")


@fuzz_settings(1000)
@given(st.text(any_char, max_size=60))
def test_arbitrary_text(text: str) -> None:
    text = text.encode("utf-8", "replace").decode("utf-8")
    same(text)
    same("a: " + text + "\n")


@fuzz_settings(2000)
@given(st.text(st.sampled_from("0123456789_.+-eExXoObBiInNfFaAtTrRuUlLsS~:# "), min_size=1,
               max_size=12))
def test_every_plain_scalar_spelling(token: str) -> None:
    for text in (f"a: {token}\n", f"a: [{token}]\n", f"{token}: 1\n", f"a:\n  - {token}\n",
                 f"a: {{b: {token}}}\n"):
        same(text)


# ----------------------------------------------------------------------------- what goes to libyaml

@pytest.mark.parametrize("text", [
    "a: 010\n", "a: 00\n", "a: 0_1\n", "a: 100_000\n", "a: _1\n", "a: 1_\n", "a: 1_000.5\n",
    "a: 0b101\n", "a: 0x1F\n", "a: -0x1F\n", "a: +0o7\n", "a: 0O17\n", "a: .inf\n", "a: .iNf\n",
    "a: -.NaN\n", "a: !!str 1\n", "a: !foo x\n", "a: !!python/object/apply:os.system [x]\n",
    "a: &x 1\nb: *x\n", "<<: {a: 1}\n", "---\na: 1\n", "a: 1\n---\nb: 2\n", "%YAML 1.2\n---\na: 1\n",
    "a: 1\n...\n", "a: 1\na: 2\n", "{a: 1, a: 2}\n", "a: x\tb\n", "a:\n\tb: 1\n", "a: \"x\\ty\"\n",
    "a: x\x00\n", "a: x\x1b\n", "a: x\u2028y\n", "a: x\x85y\n", "a: x\ufeffy\n", "a: x\rb\n",
    "a: @x\n", "a: `x\n", "1: x\n", "true: x\n", "null: x\n", "[a]: x\n", "? [a]\n: x\n",
    "- a\n", "x\n", "a: |\n", "a: >\n\n", "a: 1", "a: \"x\n  y\"\n", "'x\n  y': 1\n",
    "a: " + "9" * 5000 + "\n", "a: 18446744073709551616\n",
    "a:\n" + "".join("  " * i + "- \n" for i in range(30)),
    "- " * 100_000 + "x\n", "[" * 100 + "]" * 100 + "\n",
])
def test_risky_constructs_go_to_libyaml(text: str) -> None:
    assert parse_fast(text) is None
    ref = parse_yaml(text)
    got = parse(text)
    assert (repr(got.data), got.problems, got.positions, got.positioned) == (
        repr(ref.data), ref.problems, ref.positions, True)


@pytest.mark.parametrize("text", [
    "a: 1\n", "a: 0\n", "a: -0\n", "a: 1.5\n", "a: 1e3\n", "a: true\n", "a: NO\n", "a: ~\n",
    "a: 2026-10-01\n", "systems:\n  app: {location: CN, kind: service}\n",
    "a: x@y.com\n", "a: R&D\n", "a: \"x y\"\n", "a: 'it''s'\n", "a: |\n  text\nb: 1\n",
])
def test_plain_models_take_the_fast_path(text: str) -> None:
    assert same(text)


def test_deep_block_nesting_never_reaches_yaml_rs(monkeypatch: pytest.MonkeyPatch) -> None:
    """yaml_rs recurses: ~20,000-deep block nesting crashes the process (SIGSEGV). The pre-scan
    must send every such file to libyaml without calling it."""
    calls: list[int] = []

    def spy(text: str, **kw: Any) -> Any:
        calls.append(len(text))
        raise AssertionError("yaml_rs called")

    monkeypatch.setattr(fastparse, "_loads", spy)
    for text in ["- " * 100_000 + "x\n", "? " * 50_000 + "x\n", "a:\n" + "".join(
            " " * i + "b:\n" for i in range(1, 30_000, 7)),
                 "a:\n" + "- - - - - - - - - - - - - - - x\n"]:
        assert parse_fast(text) is None
        assert parse(text).problems == parse_yaml(text).problems
    assert calls == []


@pytest.mark.parametrize("depth", [30, 63, 64, 65, 70, 200])
def test_flow_nesting_depth_is_decided_exactly(depth: int) -> None:
    for text in ["a: " + "[" * (depth - 1) + "]" * (depth - 1) + "\n",
                 "a: " + "{b: " * (depth - 1) + "1" + "}" * (depth - 1) + "\n"]:
        ref = parse_yaml(text)
        got = parse(text)
        assert (repr(got.data), [p.kind for p in got.problems]) == (
            repr(ref.data), [p.kind for p in ref.problems])
        assert bool(ref.problems) == (depth > 64)


def test_libyaml_is_used_without_yaml_rs_or_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "systems:\n  app: {location: CN}\n"
    assert parse(text).positioned is False
    monkeypatch.setenv("DATAFLOW_PARSER", "libyaml")
    assert not fastparse.enabled()
    assert parse(text).positioned is True
    monkeypatch.delenv("DATAFLOW_PARSER")
    monkeypatch.setattr(fastparse, "_loads", None)
    assert not fastparse.enabled()
    got = parse(text)
    assert got.positioned and got.positions[("systems", "app")] == (2, 3)


def test_pre_scan_is_needed() -> None:
    """The cases the pre-scan exists for really differ (so the tests above can fail)."""
    import yaml_rs
    for text, ours in [("a: 010\n", "010"), ("a: 100_000\n", "100_000"), ("a: 0b1\n", "0b1"),
                       ("a: .iNf\n", ".iNf")]:
        assert parse_yaml(text).data == {"a": ours}
        assert yaml_rs.loads(text, parse_datetime=False) != {"a": ours}
        assert risky(text)


# ----------------------------------------------------------------------------- positions

_LOOKUP_ALPHABET = " \n[{,\"':ab\t\u00a0\r-x#?"


@pytest.mark.parametrize("seed", range(4))
def test_indexed_lookup_matches_the_scan(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """``Positions._find`` (index built once per file) against ``_find_scan`` (the former
    search of the text) on random texts over the characters that matter, random keys and
    starts: the same offset or the same None."""
    monkeypatch.setattr(fastparse, "_SCANS_BEFORE_INDEX", 0)  # the index from the first lookup
    rng = random.Random(seed)
    for _ in range(20_000):
        text = "".join(rng.choice(_LOOKUP_ALPHABET) for _ in range(rng.randint(0, 30)))
        if text and rng.random() < 0.5:
            i = rng.randrange(len(text))
            key = text[i:rng.randint(i, min(len(text), i + 6))]
        else:
            key = "".join(rng.choice(_LOOKUP_ALPHABET) for _ in range(rng.randint(1, 4)))
        start = rng.randint(0, len(text))
        positions = Positions(text, {})
        assert positions._find(key, start, len(text)) == \
            positions._find_scan(key, start, len(text)), (text, key, start)
        offset = rng.randint(0, len(text))
        assert positions._where(offset) == (
            text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1)


def test_positions_found_without_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    text = ("model: {name: M}\nsystems:\n  app: {location: CN, kind: service}\n"
            "  'db': {location: \"app\"}\nflows:\n  f1: {from: app, to: db}\n")
    ref = parse_yaml(text).positions
    monkeypatch.setattr(fastparse, "parse_yaml", None)  # any libyaml call would fail
    fast = parse_fast(text)
    assert fast is not None
    positions = Positions(text, fast.data)
    assert positions[("systems", "app")] == ref[("systems", "app")] == (3, 3)
    assert positions[("systems", "db")] == ref[("systems", "db")] == (4, 3)
    assert positions[("flows", "f1")] == ref[("flows", "f1")]
    assert positions.get(("flows", "f2")) is None


def test_ambiguous_keys_make_libyaml_reread_the_file() -> None:
    # 'app:' also occurs in a comment and inside a string: the text cannot tell which is the key
    text = ("systems:\n  # app: old\n  db: {notes: 'app: x'}\n  app: {location: CN}\n")
    fast = parse_fast(text)
    assert fast is not None
    positions = Positions(text, fast.data)
    assert positions[("systems", "app")] == (4, 3) == parse_yaml(text).positions[
        ("systems", "app")]


def _model(folder: Path, files: int, unknown_in: set[int]) -> None:
    (folder / "dataflow.yaml").write_text(
        "model: {name: M, evaluation_date: 2026-10-01}\ninclude: ['teams/*.yaml']\n"
        "entities:\n  acme: {name: Acme, jurisdiction: CN}\n", encoding="utf-8")
    (folder / "teams").mkdir()
    for i in range(files):
        loc = "unknown" if i in unknown_in else "CN"
        (folder / "teams" / f"t{i}.yaml").write_text(
            "systems:\n" + "".join(f"  s{i}-{j}: {{operator: acme, location: "
                                   f"{loc if j == 3 else 'CN'}, kind: service}}\n"
                                   for j in range(5)), encoding="utf-8")


def test_warnings_reread_only_nothing_or_their_files(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A valid model with a few warnings: positions of the files the warnings point into are
    found by reading their text; libyaml parses nothing a second time."""
    _model(tmp_path, 12, {4, 9})
    parsed: list[str] = []
    real = parse_yaml

    def counting(text: str, **kw: Any) -> Any:
        parsed.append(text)
        return real(text, **kw)

    monkeypatch.setattr(loader, "parse_yaml", counting)
    monkeypatch.setattr(fastparse, "parse_yaml", counting)
    fast = validate_model(tmp_path)
    # only the reference parser's own (forced) runs below may call libyaml
    assert parsed == []
    monkeypatch.setenv("DATAFLOW_PARSER", "libyaml")
    ref = validate_model(tmp_path)
    assert [d.code for d in fast.diagnostics] == ["DF302", "DF302"]
    assert fast.diagnostics == ref.diagnostics
    assert {Path(d.file).name for d in fast.diagnostics} == {"t4.yaml", "t9.yaml"}


def test_errors_in_fast_files_have_reference_positions(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    _model(tmp_path, 3, set())
    (tmp_path / "teams" / "t1.yaml").write_text(
        "systems:\n  s1-0: {operator: nobody, location: XX, kind: servce}\n"
        "  Bad Id: {}\n  s0-0: {operator: acme}\nbogus: 1\nflows: [1]\n", encoding="utf-8")
    fast = validate_model(tmp_path)
    monkeypatch.setenv("DATAFLOW_PARSER", "libyaml")
    ref = validate_model(tmp_path)
    assert fast.diagnostics == ref.diagnostics
    assert {d.code for d in fast.diagnostics} >= {"DF204", "DF205", "DF206", "DF203"}


@pytest.mark.parametrize("example", sorted(p.name for p in (ROOT / "examples").iterdir()
                                           if p.is_dir()))
def test_examples_validate_identically(example: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = validate_model(ROOT / "examples" / example)
    monkeypatch.setenv("DATAFLOW_PARSER", "libyaml")
    ref = validate_model(ROOT / "examples" / example)
    assert fast.diagnostics == ref.diagnostics
    assert fast.model is not None and ref.model is not None
    assert fast.model.digest == ref.model.digest
    for path in [("systems",), *((c, o) for c in ("systems", "flows", "entities")
                                 for o in getattr(ref.model, c))]:
        assert fast.model.position(path) == ref.model.position(path), path


def test_corpus_validates_identically(monkeypatch: pytest.MonkeyPatch) -> None:
    seeds = sorted(p for p in (ROOT / "tests" / "fuzz" / "corpus").iterdir()
                   if p.is_dir() or p.suffix in (".yaml", ".yml"))
    rng = random.Random(7)
    for seed in rng.sample(seeds, min(60, len(seeds))):
        monkeypatch.delenv("DATAFLOW_PARSER", raising=False)
        fast = validate_model(seed)
        monkeypatch.setenv("DATAFLOW_PARSER", "libyaml")
        ref = validate_model(seed)
        assert fast.diagnostics == ref.diagnostics, seed.name
        assert (fast.model.digest if fast.model else None) == (
            ref.model.digest if ref.model else None)


def test_scanned_and_indexed_positions_agree_on_the_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first lookups in a file scan its text, later ones use the index: every depth-1/2 key
    of every example gets the same (line, col) either way, and libyaml's where it has one."""
    files = sorted(Path(__file__).parent.parent.joinpath("examples").rglob("*.yaml"))
    assert files
    for path in files:
        text = path.read_text("utf-8")
        data = parse_yaml(text).data
        if type(data) is not dict:
            continue
        paths = [(k,) for k in data] + [(k, k2) for k, v in data.items() if type(v) is dict
                                         for k2 in v]
        scanned = Positions(text, data)
        monkeypatch.setattr(fastparse, "_SCANS_BEFORE_INDEX", 10**9)
        by_scan = [scanned.get(p) for p in paths]
        monkeypatch.setattr(fastparse, "_SCANS_BEFORE_INDEX", 0)
        indexed = Positions(text, data)
        by_index = [indexed.get(p) for p in paths]
        assert by_scan == by_index, path
        ref = parse_yaml(text).positions
        assert by_index == [ref.get(p) for p in paths], path
