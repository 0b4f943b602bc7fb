"""The parse cache (dataflow.parsecache): keyed on content, so it never returns a stale result —
not after an edit that keeps the size and modification time, not from a corrupt or foreign
entry, not across dataflow versions or parsers; and a cached run answers exactly as a fresh one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import dataflow
from dataflow import loader, parsecache, validate_model
from dataflow.parsecache import ParseCache

ROOT = Path(__file__).resolve().parent.parent


def _model(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dataflow.yaml").write_text(
        "model: {name: M, evaluation_date: 2026-10-01}\ninclude: ['teams/*.yaml']\n"
        "entities:\n  acme: {name: Acme, jurisdiction: CN}\n", encoding="utf-8")
    (folder / "teams").mkdir()
    for i in range(3):
        (folder / "teams" / f"t{i}.yaml").write_text(
            "systems:\n" + "".join(f"  s{i}-{j}: {{operator: acme, location: CN, "
                                   "kind: service}\n" for j in range(4)), encoding="utf-8")
    return folder


class Counting:
    """Counts the texts the loader really parses."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.parsed: list[str] = []
        real = loader._parse_texts

        def spy(texts: list[str]) -> Any:
            self.parsed.extend(texts)
            return real(texts)

        monkeypatch.setattr(loader, "_parse_texts", spy)


def _answer(result: Any) -> tuple[Any, ...]:
    return (result.diagnostics, result.model.digest if result.model else None,
            result.model.raw.data if result.model else None)


def test_second_run_parses_nothing_and_answers_the_same(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    model = _model(tmp_path / "m")
    fresh = validate_model(model)
    counting = Counting(monkeypatch)
    first = validate_model(model, cache=tmp_path / "c")
    assert len(counting.parsed) == 4
    cache = ParseCache(tmp_path / "c")
    second = validate_model(model, cache=cache)
    assert len(counting.parsed) == 4  # nothing more parsed
    assert cache.hits == 4 and cache.misses == 0
    assert _answer(fresh) == _answer(first) == _answer(second)
    # positions of cached files are still found (they come from the fast path's lazy lookup)
    assert second.model is not None
    assert second.model.position(("systems", "s1-2")) == fresh.model.position(("systems", "s1-2"))


def test_edit_keeping_size_and_mtime_is_seen(tmp_path: Path) -> None:
    model = _model(tmp_path / "m")
    target = model / "teams" / "t1.yaml"
    validate_model(model, cache=tmp_path / "c")
    st = target.stat()
    text = target.read_text(encoding="utf-8")
    edited = text.replace("s1-2: {operator: acme, location: CN", "s1-2: {operator: acme, location: HK")
    assert edited != text and len(edited) == len(text)
    target.write_text(edited, encoding="utf-8")
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert target.stat().st_size == st.st_size and target.stat().st_mtime_ns == st.st_mtime_ns
    cache = ParseCache(tmp_path / "c")
    result = validate_model(model, cache=cache)
    assert result.model is not None
    assert result.model.raw.data["systems"]["s1-2"]["location"] == "HK"
    assert (cache.hits, cache.misses) == (3, 1)


def _entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty", "bad-marshal", "swap"])
def test_corrupt_or_foreign_entries_are_ignored_and_rewritten(tmp_path: Path, damage: str) -> None:
    model = _model(tmp_path / "m")
    fresh = validate_model(model)
    validate_model(model, cache=tmp_path / "c")
    entries = _entries(tmp_path / "c")
    assert len(entries) == 4
    blobs = [p.read_bytes() for p in entries]
    for i, p in enumerate(entries):
        blob = blobs[i]
        if damage == "truncate":
            p.write_bytes(blob[: len(blob) // 2])
        elif damage == "garbage":
            p.write_bytes(os.urandom(len(blob)))
        elif damage == "empty":
            p.write_bytes(b"")
        elif damage == "bad-marshal":  # right header, payload not marshal data
            p.write_bytes(blob[:8 + 16 + 16] + b"\xff" * 40)
        else:  # another file's valid entry under this name
            p.write_bytes(blobs[(i + 1) % len(blobs)])
    cache = ParseCache(tmp_path / "c")
    again = validate_model(model, cache=cache)
    assert _answer(again) == _answer(fresh)
    assert cache.hits == 0 and cache.misses == 4
    # rewritten: the next run hits
    cache = ParseCache(tmp_path / "c")
    assert _answer(validate_model(model, cache=cache)) == _answer(fresh)
    assert cache.hits == 4


def test_another_version_or_parser_does_not_read_the_entries(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    model = _model(tmp_path / "m")
    validate_model(model, cache=tmp_path / "c")
    monkeypatch.setattr(dataflow, "__version__", dataflow.__version__ + ".post1")
    cache = ParseCache(tmp_path / "c")
    validate_model(model, cache=cache)
    assert cache.hits == 0
    monkeypatch.undo()
    monkeypatch.setenv("DATAFLOW_PARSER", "libyaml")
    cache = ParseCache(tmp_path / "c")
    result = validate_model(model, cache=cache)
    assert cache.hits == 0
    assert result.model is not None


def test_parser_source_is_part_of_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a = ParseCache(tmp_path / "c")
    real = Path.read_bytes

    def edited(self: Path) -> bytes:
        blob = real(self)
        return blob + b"\n# edited" if self.name == "yamlparse.py" else blob

    monkeypatch.setattr(Path, "read_bytes", edited)
    b = ParseCache(tmp_path / "c")
    assert a.salt != b.salt and a.key("x: 1\n") != b.key("x: 1\n")


def test_disabled_by_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = _model(tmp_path / "m")
    monkeypatch.setenv("DATAFLOW_CACHE", "0")
    validate_model(model, cache=tmp_path / "c")
    assert not (tmp_path / "c").exists()


def test_files_with_problems_are_not_cached(tmp_path: Path) -> None:
    model = _model(tmp_path / "m")
    (model / "teams" / "t1.yaml").write_text("systems:\n  a: 1\n  a: 2\n", encoding="utf-8")
    result = validate_model(model, cache=tmp_path / "c")
    assert [d.code for d in result.diagnostics if d.severity == "error"] == ["DF104"]
    assert len(_entries(tmp_path / "c")) == 3
    assert validate_model(model, cache=tmp_path / "c").diagnostics == result.diagnostics


def test_unwritable_cache_folder_only_costs_speed(tmp_path: Path) -> None:
    model = _model(tmp_path / "m")
    blocker = tmp_path / "c"
    blocker.write_text("a file where the folder should be")
    result = validate_model(model, cache=blocker)
    assert result.ok


def test_prune_keeps_the_newest(tmp_path: Path) -> None:
    cache = ParseCache(tmp_path / "c")
    for i in range(12):
        key = cache.key(f"a: {i}\n")
        cache.put(key, ({"a": i}, {}, [], False))
        path = cache._path(key)
        os.utime(path, (1_000_000 + i, 1_000_000 + i))
    cache.prune(max_entries=5)
    left = _entries(tmp_path / "c")
    assert len(left) == 5
    assert {cache.get(cache.key(f"a: {i}\n"))[0]["a"] for i in range(7, 12)} == set(range(7, 12))
    assert cache.get(cache.key("a: 0\n")) is None


def test_cli_uses_the_cache_unless_no_cache(tmp_path: Path) -> None:
    model = _model(tmp_path / "m")
    env = {**os.environ, "DATAFLOW_CACHE_DIR": str(tmp_path / "c"), "PYTHONPATH": str(ROOT)}
    env.pop("DATAFLOW_CACHE", None)
    cmd = [sys.executable, "-m", "dataflow", "validate", str(model), "--format", "json"]
    off = subprocess.run([*cmd, "--no-cache"], env=env, capture_output=True, cwd=ROOT)
    assert off.returncode == 0, off.stderr
    assert not (tmp_path / "c").exists()
    on = subprocess.run(cmd, env=env, capture_output=True, cwd=ROOT)
    assert on.returncode == 0 and on.stdout == off.stdout
    assert len(_entries(tmp_path / "c")) == 4
    again = subprocess.run(cmd, env=env, capture_output=True, cwd=ROOT)
    assert again.stdout == off.stdout


def test_examples_answer_the_same_from_the_cache(tmp_path: Path) -> None:
    for example in sorted(p for p in (ROOT / "examples").iterdir() if p.is_dir()):
        fresh = validate_model(example)
        validate_model(example, cache=tmp_path / "c")
        cache = ParseCache(tmp_path / "c")
        warm = validate_model(example, cache=cache)
        assert cache.misses == 0 and cache.hits > 0
        assert _answer(warm) == _answer(fresh)
        assert warm.model is not None and fresh.model is not None
        for sid in fresh.model.systems:
            assert warm.model.position(("systems", sid)) == fresh.model.position(("systems", sid))


def test_cache_module_documents_its_switches() -> None:
    assert parsecache.CACHE_ENV == "DATAFLOW_CACHE"
    assert parsecache.CACHE_DIR_ENV == "DATAFLOW_CACHE_DIR"
