"""The one JSON writer of every output: sorted keys, two-space indent, UTF-8 as is.

orjson writes the same bytes as ``json.dumps(obj, ensure_ascii=False, indent=2,
sort_keys=True)`` for our documents, about eight times faster, which matters for the
hundreds of megabytes a 10,000-system check produces.

``iter_json`` writes the same bytes piece by piece: a ``Lazy`` list anywhere in the document
is serialised a chunk of items at a time while it is written, so a check of 100,000 systems
never holds its whole document (Python objects plus one giant string) in memory at once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

import orjson

_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS
_CHUNK = 256  # items per orjson call: amortises the call, keeps each piece small


def dumps_json(obj: Any) -> str:
    return _dumps(obj).decode("utf-8") + "\n"


def _dumps(obj: Any) -> bytes:
    try:
        return orjson.dumps(obj, option=_OPTIONS, default=str)
    except (TypeError, orjson.JSONEncodeError):  # e.g. integers beyond 64 bits
        return json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True,
                          default=str).encode("utf-8")


class Lazy:
    """A list whose items are produced (e.g. converted to JSON dicts) only while writing. Its
    items are plain JSON values (no ``Lazy`` inside them): they are never searched for one."""

    __slots__ = ("items",)

    def __init__(self, items: Iterable[Any]):
        self.items = items


def materialise(obj: Any) -> Any:
    """The same document with every ``Lazy`` list turned into a plain list (containers without
    one are kept as they are, not copied)."""
    if isinstance(obj, Lazy):
        return list(obj.items)
    if isinstance(obj, dict) and _has_lazy(obj):
        return {k: materialise(v) for k, v in obj.items()}
    if isinstance(obj, list) and _has_lazy(obj):
        return [materialise(x) for x in obj]
    return obj


def _has_lazy(obj: Any) -> bool:
    if isinstance(obj, Lazy):
        return True
    if isinstance(obj, dict):
        return any(_has_lazy(v) for v in obj.values())
    if isinstance(obj, list):
        return any(_has_lazy(v) for v in obj)
    return False


def iter_json(obj: Any) -> Iterator[bytes]:
    """The bytes of ``dumps_json(materialise(obj))``, in pieces (keys of a dict holding a
    ``Lazy`` list must be strings, as in every document dataflow writes)."""
    yield from _iter(obj, 0)
    yield b"\n"


def _pad(level: int) -> bytes:
    return b"  " * level


def _at(blob: bytes, level: int) -> bytes:
    """A value serialised at the top level, re-indented to sit at ``level`` (JSON strings hold
    no raw newline, so every newline is a line break of the layout)."""
    return blob.replace(b"\n", b"\n" + _pad(level)) if level else blob


def _iter(obj: Any, level: int) -> Iterator[bytes]:
    if isinstance(obj, Lazy):
        yield from _iter_items(obj.items, level, plain=True)
    elif isinstance(obj, dict) and obj and _has_lazy(obj):
        sep = b"{"
        for key in sorted(obj):
            yield sep + b"\n" + _pad(level + 1) + orjson.dumps(key) + b": "
            yield from _iter(obj[key], level + 1)
            sep = b","
        yield b"\n" + _pad(level) + b"}"
    elif isinstance(obj, list) and obj and _has_lazy(obj):
        yield from _iter_items(obj, level, plain=False)
    else:
        yield _at(_dumps(obj), level)


def _iter_items(items: Iterable[Any], level: int, plain: bool) -> Iterator[bytes]:
    """A list's items, a chunk at a time; ``plain``: the items hold no ``Lazy`` (not checked)."""
    sep = b"["
    chunk: list[Any] = []
    for item in items:
        if not plain and _has_lazy(item):
            if chunk:
                yield sep + _chunk(chunk, level)
                sep, chunk = b",", []
            yield sep + b"\n" + _pad(level + 1)
            yield from _iter(item, level + 1)
            sep = b","
            continue
        chunk.append(item)
        if len(chunk) >= _CHUNK:
            yield sep + _chunk(chunk, level)
            sep, chunk = b",", []
    if chunk:
        yield sep + _chunk(chunk, level)
        sep = b","
    yield b"[]" if sep == b"[" else b"\n" + _pad(level) + b"]"


def _chunk(items: list[Any], level: int) -> bytes:
    # a top-level list is b"[\n  item,\n  item\n]": keep its items, shifted to ``level``
    inner = _dumps(items)[1:-2]
    return _at(inner, level)
