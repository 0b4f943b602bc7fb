"""The saved corpus: up to date, large enough, covering every collection and key, and each seed
answering what its manifest says (valid seeds also go through analysis, check and outputs)."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from dataflow.model import MODEL_FOR_COLLECTION, TOP_LEVEL_KEYS, ModelInfo
from dataflow.yamlparse import parse_yaml

from . import make_corpus
from .support import CATALOGUE, CORPUS_DIR, EXAMPLES_DIR, error_codes, run_path

pytestmark = pytest.mark.slow

MANIFEST: dict[str, Any] = json.loads((CORPUS_DIR / "MANIFEST.json").read_text("utf-8"))
EXAMPLES = sorted(p.name for p in EXAMPLES_DIR.iterdir() if (p / "dataflow.yaml").is_file())


def seed_path(name: str) -> Path:
    return CORPUS_DIR / MANIFEST[name].get("path", name)


def test_corpus_matches_its_generator() -> None:
    assert make_corpus.main(["--check"]) == 0, \
        "tests/fuzz/corpus differs from make_corpus.py: run python tests/fuzz/make_corpus.py"


def test_corpus_has_at_least_200_seeds() -> None:
    assert len(MANIFEST) >= 200
    assert sum(1 for m in MANIFEST.values() if m["expect"] == "valid") >= 200


def _fields(cls: type[BaseModel], prefix: str = "") -> set[str]:
    """Every key of a schema class, nested objects included (``contact.email``)."""
    out: set[str] = set()
    for name, f in cls.model_fields.items():
        key = prefix + (f.alias or name)
        out.add(key)
        for sub in _classes(f.annotation):
            out |= _fields(sub, key + ".")
    return out


def _classes(tp: Any) -> list[type[BaseModel]]:
    import typing

    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [tp]
    return [c for a in typing.get_args(tp) for c in _classes(a)]


def _used(obj: Any, prefix: str = "") -> set[str]:
    out: set[str] = set()
    items: list[Any] = obj if isinstance(obj, list) else [obj]
    for item in items:
        if isinstance(item, dict):
            for k, v in item.items():
                out.add(prefix + str(k))
                out |= _used(v, prefix + str(k) + ".")
    return out


def test_corpus_covers_every_collection_and_key() -> None:
    used: dict[str, set[str]] = defaultdict(set)
    top: set[str] = set()
    for p in CORPUS_DIR.rglob("*.y*ml"):
        data = parse_yaml(p.read_text("utf-8")).data or {}
        top |= set(data)
        for coll, objs in data.items():
            if coll in MODEL_FOR_COLLECTION and isinstance(objs, dict):
                for obj in objs.values():
                    used[coll] |= _used(obj)
            elif coll == "model":
                used["model"] |= _used(objs)
    missing = sorted(set(TOP_LEVEL_KEYS) - top)
    assert not missing, f"no seed uses the top-level keys {missing}"
    schemas = {**MODEL_FOR_COLLECTION, "model": ModelInfo}
    for coll, cls in schemas.items():
        # keys whose values are free-form mappings (ids of other objects) are not schema keys
        lacking = sorted(k for k in _fields(cls) - used[coll])
        assert not lacking, f"no seed uses {coll} keys {lacking}"


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_seed(name: str) -> None:
    result = run_path(seed_path(name))
    assert result is not None, "a known bug struck a corpus seed"
    expect = MANIFEST[name]["expect"]
    if expect == "valid":
        errors = [f"{d.location()}: {d.code} {d.message}" for d in result.diagnostics
                  if d.severity == "error"]
        assert result.ok, f"seed {name} should be valid: {errors}"
    else:
        assert error_codes(result) == sorted(expect), [
            f"{d.code} {d.message}" for d in result.diagnostics if d.severity == "error"]


@pytest.mark.parametrize("name", EXAMPLES)
def test_example(name: str) -> None:
    result = run_path(EXAMPLES_DIR / name)
    assert result is not None, "a known bug struck an example"
    assert result.ok, [f"{d.code} {d.message}" for d in result.diagnostics]


def test_shared_catalogue_is_never_changed() -> None:
    """The fuzz cases share one catalogue; overlays must return a new one, never mutate it."""
    before = (len(CATALOGUE.jurisdictions), len(CATALOGUE.regions), len(CATALOGUE.providers),
              CATALOGUE.overlays_used)
    for name, m in MANIFEST.items():
        if m["expect"] == "valid" and "catalogue:" in "".join(
                p.read_text("utf-8") for p in ([seed_path(name)] if seed_path(name).is_file()
                                               else seed_path(name).parent.rglob("*.y*ml"))):
            run_path(seed_path(name))
    after = (len(CATALOGUE.jurisdictions), len(CATALOGUE.regions), len(CATALOGUE.providers),
             CATALOGUE.overlays_used)
    assert before == after
