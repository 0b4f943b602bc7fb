"""Memory savings of the load (issue #10) that must not change any answer: raw objects released
after the typed model exists, shared strings and shared pydantic fields sets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dataflow import validate_model
from dataflow.model import COLLECTIONS, Flow

ROOT = Path(__file__).resolve().parent.parent
MODELS = sorted(str(p) for p in (ROOT / "examples").iterdir() if p.is_dir()) + [
    str(ROOT / "tests" / "fixtures" / "ai-relay-complete")]


def _paths(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Paths to every object, field and list item (depth <= 4) of the raw data."""
    out: list[tuple[Any, ...]] = []
    for coll in COLLECTIONS:
        for oid, obj in (data.get(coll) or {}).items():
            out.append((coll, oid))
            for key, value in (obj or {}).items():
                out.append((coll, oid, key))
                if isinstance(value, list):
                    out.extend((coll, oid, key, i) for i in range(len(value)))
                elif isinstance(value, dict):
                    out.extend((coll, oid, key, k) for k in value)
    out.extend(("model", k) for k in data.get("model") or {})
    return out


@pytest.mark.parametrize("path", MODELS)
def test_positions_after_release(path: str) -> None:
    """Every position is the same whether asked before or after the raw objects are dropped."""
    before = validate_model(path).model
    assert before is not None
    paths = _paths(before.raw.data)
    expected = [before.position(p) for p in paths]
    after = validate_model(path).model
    assert after is not None
    ids = {c: list(after.raw.data.get(c) or {}) for c in COLLECTIONS}
    after.raw.release_objects()
    assert {c: list(after.raw.data.get(c) or {}) for c in COLLECTIONS} == ids
    assert all(v is None for c in COLLECTIONS for v in (after.raw.data.get(c) or {}).values())
    assert [after.position(p) for p in paths] == expected
    assert after.digest == before.digest


def test_shared_strings_and_fields_sets(tmp_path: Path) -> None:
    flows = "".join(f"  f{i}: {{from: a, to: b, categories: [user.content.prompt], purpose: P}}\n"
                    for i in range(3))
    (tmp_path / "m.yaml").write_text(
        "model: {name: T, evaluation_date: 2026-10-01}\n"
        "entities:\n  acme: {jurisdiction: CN}\n"
        "systems:\n  a: {operator: acme, location: CN, kind: service}\n"
        "  b: {operator: acme, location: CN, kind: service}\n"
        "flows:\n" + flows, encoding="utf-8")
    model = validate_model(tmp_path / "m.yaml").model
    assert model is not None
    f0, f1, f2 = (model.flows[f"f{i}"] for i in range(3))
    assert f0.from_ is f1.from_ is f2.from_
    assert f0.categories[0] is f1.categories[0]
    assert f0.__pydantic_fields_set__ is f1.__pydantic_fields_set__
    assert f0.model_fields_set == {"from_", "to", "categories", "purpose"}
    assert f0.model_dump(exclude_unset=True) == {"from_": "a", "to": "b",
                                                 "categories": ["user.content.prompt"], "purpose": "P"}
    # a copy with changes gets a set of its own: the shared one is never changed
    changed = f0.model_copy(update={"method": "api"})
    assert changed.model_fields_set == {"from_", "to", "categories", "purpose", "method"}
    assert f1.model_fields_set == {"from_", "to", "categories", "purpose"}
    with pytest.raises(Exception):  # noqa: B017 - frozen: pydantic's own error type
        f0.method = "api"  # type: ignore[misc]
    assert f1.model_fields_set == {"from_", "to", "categories", "purpose"}
    assert isinstance(f0, Flow)
