"""Safe YAML parsing on libyaml's event stream, building plain Python data directly.

Why events and not ``yaml.load``: PyYAML's constructor is pure Python and recursive. Walking the
C parser's events ourselves is 2-4x faster, never recurses (so 100,000-deep nesting cannot crash
the interpreter), and lets us apply the YAML 1.2 core schema, refuse duplicate keys, unknown tags
and alias bombs in one pass. Positions are recorded for the objects that findings point at; a
second pass with ``record_all=True`` recovers every position, only for files a diagnostic needs.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # libyaml's C parser when installed; the pure-Python parser otherwise (same events)
    from yaml._yaml import CParser as _Parser

    LIBYAML = True
except ImportError:  # pragma: no cover - exercised only without libyaml
    from yaml.parser import Parser as _PyParser
    from yaml.reader import Reader as _Reader
    from yaml.scanner import Scanner as _Scanner

    class _Parser(_Reader, _Scanner, _PyParser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            _Reader.__init__(self, stream)
            _Scanner.__init__(self)
            _PyParser.__init__(self)

    LIBYAML = False

MAX_DEPTH = 64
# keys are positioned up to this depth in the fast pass: collection, object id, field
FAST_POSITION_DEPTH = 2
ALIAS_EXPANSION_FACTOR = 10
ALIAS_EXPANSION_FLOOR = 10_000

_STD = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {None, "!", _STD + "str", _STD + "int", _STD + "float", _STD + "bool",
                 _STD + "null", _STD + "map", _STD + "seq"}

# YAML 1.2 core schema, with one deliberate tightening: a decimal with a leading zero ("010")
# stays a string, so postcodes and codes never silently lose digits.
_INT_RE = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z|0o[0-7]+\Z|0x[0-9a-fA-F]+\Z")
_FLOAT_RE = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_LEADING_ZERO_RE = re.compile(r"[-+]?0[0-9]+\Z")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_SPECIAL_FLOATS = {".inf": float("inf"), "+.inf": float("inf"), "-.inf": float("-inf"),
                   ".nan": float("nan")}
# characters that can start a non-string plain scalar
_MAYBE_TYPED = frozenset("0123456789-+.~ntfNTF")


def plain_scalar(value: str) -> Any:
    """Resolve a plain (unquoted) scalar by the YAML 1.2 core schema."""
    if not value:
        return None
    if value[0] not in _MAYBE_TYPED:
        return value
    if value in _NULLS:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _LEADING_ZERO_RE.match(value):
        return value
    if _INT_RE.match(value):
        if value.startswith("0o"):
            return int(value[2:], 8)
        if value.startswith("0x"):
            return int(value[2:], 16)
        try:
            return int(value)
        except ValueError:  # beyond Python's digit limit for int(): keep the text
            return value
    if _FLOAT_RE.match(value) and any(c.isdigit() for c in value):
        return float(value)
    low = value.lower()
    if low in _SPECIAL_FLOATS and value in (".inf", "+.inf", "-.inf", ".Inf", ".INF", ".nan",
                                            ".NaN", ".NAN", "+.Inf", "-.Inf", "+.INF", "-.INF"):
        return _SPECIAL_FLOATS[low]
    return value


def _tagged_scalar(tag: str, value: str) -> Any:
    if tag in ("!", _STD + "str"):
        return value
    resolved = plain_scalar(value)
    if tag == _STD + "int" and isinstance(resolved, int) and not isinstance(resolved, bool):
        return resolved
    if tag == _STD + "float" and isinstance(resolved, (int, float)) and not isinstance(resolved, bool):
        return float(resolved)
    if tag == _STD + "bool" and isinstance(resolved, bool):
        return resolved
    if tag == _STD + "null" and resolved is None:
        return None
    raise ValueError(f"value {value!r} does not match its tag !!{tag[len(_STD):]}")


@dataclass
class ParseProblem:
    kind: str  # syntax | duplicate-key | tag | alias | depth | documents | root
    message: str
    line: int  # 1-based
    col: int  # 1-based
    related_line: int | None = None
    related_col: int | None = None


@dataclass
class ParsedFile:
    data: Any
    # (top-level key,) and (top-level key, child key) -> (line, col) of the key, 1-based
    positions: dict[tuple[Any, ...], tuple[int, int]] = field(default_factory=dict)
    problems: list[ParseProblem] = field(default_factory=list)
    # False when the fast parser (dataflow.fastparse) read the file: positions are recovered
    # lazily with libyaml, only if something points into the file
    positioned: bool = True


class _Stop(Exception):
    pass


def parse_yaml(text: str, *, record_all: bool = False) -> ParsedFile:
    """Parse one YAML document. Never raises on bad input: problems come back in the result.

    Positions are kept for keys at depth 1 and 2 (collections and their objects); with
    ``record_all`` every key and sequence item gets one, keyed by its full path.
    """
    result = ParsedFile(data=None)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # building many small containers: the cyclic GC would only rescan them
    try:
        _parse_into(text, result, record_all)
    except _Stop:
        result.data = None
    finally:
        if gc_was_enabled:
            gc.enable()
    return result


def _parse_into(text: str, result: ParsedFile, record_all: bool) -> None:
    # One tight loop: this is the hot path of every command on large models.
    parser = _Parser(text)
    get_event = parser.get_event
    positions = result.positions
    problems = result.problems
    scalar_ev, map_start, map_end = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.MappingEndEvent
    seq_start, seq_end, alias_ev = (yaml.SequenceStartEvent, yaml.SequenceEndEvent,
                                    yaml.AliasEvent)
    doc_start, stream_end = yaml.DocumentStartEvent, yaml.StreamEndEvent
    maybe_typed = _MAYBE_TYPED
    no_key = _NO_KEY
    allowed = _ALLOWED_TAGS
    anchors: dict[str, Any] = {}
    weights: dict[int, int] = {}
    alias_budget = max(ALIAS_EXPANSION_FLOOR, ALIAS_EXPANSION_FACTOR * len(text))
    expanded = 0
    # frame: [container, is_map, pending key, path (tuple or None), anchor, start mark]
    stack: list[list[Any]] = []
    documents = 0
    root: Any = None
    have_root = False

    def fail(kind: str, message: str, mark: Any) -> None:
        problems.append(ParseProblem(kind, message, mark.line + 1, mark.column + 1))
        raise _Stop

    try:
        while True:
            event: Any = get_event()
            cls = event.__class__
            if cls is scalar_ev:
                tag = event.tag
                value = event.value
                if stack:
                    top = stack[-1]
                    if top[1] and top[2] is no_key:
                        # a mapping key: kept as written (ids, field names, dates)
                        if tag is not None and tag not in allowed:
                            fail("tag", f"tag '{_show_tag(tag)}' is not allowed", event.start_mark)
                        container = top[0]
                        if value in container:
                            _duplicate(text, top, value, event.start_mark, problems)
                        top[2] = value
                        path = top[3]
                        if path is not None:
                            mark = event.start_mark
                            positions[path + (value,)] = (mark.line + 1, mark.column + 1)
                        if event.anchor is not None:
                            anchors[event.anchor] = value
                        continue
                    if tag is None:
                        if event.implicit[0] and (not value or value[0] in maybe_typed):
                            value = plain_scalar(value)
                    elif tag not in allowed:
                        fail("tag", f"tag '{_show_tag(tag)}' is not allowed (only plain YAML "
                             "data is read)", event.start_mark)
                    else:
                        try:
                            value = _tagged_scalar(tag, value)
                        except ValueError as exc:
                            fail("tag", str(exc), event.start_mark)
                    if event.anchor is not None:
                        anchors[event.anchor] = value
                    if top[1]:
                        top[0][top[2]] = value
                        top[2] = no_key
                    else:
                        if record_all:
                            mark = event.start_mark
                            positions[top[3] + (len(top[0]),)] = (mark.line + 1, mark.column + 1)
                        top[0].append(value)
                else:
                    if tag is None and event.implicit[0]:
                        value = plain_scalar(value)
                    root, have_root = value, True
            elif cls is map_start or cls is seq_start:
                tag = event.tag
                if tag is not None and tag not in allowed:
                    fail("tag", f"tag '{_show_tag(tag)}' is not allowed (only plain YAML data is "
                         "read)", event.start_mark)
                depth = len(stack)
                if depth >= MAX_DEPTH:
                    fail("depth", f"nesting deeper than {MAX_DEPTH} levels", event.start_mark)
                path = None
                if depth:
                    top = stack[-1]
                    if top[1] and top[2] is no_key:
                        fail("syntax", "mapping keys must be plain text, not a nested mapping or "
                             "list", event.start_mark)
                    if record_all or depth < FAST_POSITION_DEPTH:
                        if top[1]:
                            path = top[3] + (top[2],)
                        else:
                            path = top[3] + (len(top[0]),)
                            if record_all:
                                mark = event.start_mark
                                positions[path] = (mark.line + 1, mark.column + 1)
                else:
                    path = ()
                stack.append([{} if cls is map_start else [], cls is map_start, no_key, path,
                              event.anchor, event.start_mark])
            elif cls is map_end or cls is seq_end:
                frame = stack.pop()
                value = frame[0]
                if frame[4] is not None:
                    anchors[frame[4]] = value
                if stack:
                    top = stack[-1]
                    if top[1]:
                        top[0][top[2]] = value
                        top[2] = no_key
                    else:
                        top[0].append(value)
                else:
                    root, have_root = value, True
            elif cls is alias_ev:
                if event.anchor not in anchors:
                    fail("alias", f"unknown alias '*{event.anchor}'", event.start_mark)
                value = anchors[event.anchor]
                expanded += _weight(value, weights)
                if expanded > alias_budget:
                    fail("alias", "aliases expand to more than "
                         f"{alias_budget:,} nodes (an alias bomb?); write the data out instead",
                         event.start_mark)
                if stack:
                    top = stack[-1]
                    if top[1]:
                        if top[2] is no_key:
                            fail("alias", "an alias cannot be used as a mapping key",
                                 event.start_mark)
                        top[0][top[2]] = value
                        top[2] = no_key
                    else:
                        top[0].append(value)
                else:
                    root, have_root = value, True
            elif cls is doc_start:
                documents += 1
                if documents > 1:
                    fail("documents", "a model file holds one YAML document; found a second",
                         event.start_mark)
            elif cls is stream_end:
                break
    except yaml.MarkedYAMLError as exc:
        where: Any = exc.problem_mark or exc.context_mark
        msg = exc.problem or str(exc)
        if exc.context:
            msg = f"{msg} ({exc.context})"
        # newer libyaml bounds nesting itself, scanning ahead of the events we count
        kind = "syntax"
        if "nesting depth" in msg:
            kind, msg = "depth", f"nesting deeper than {MAX_DEPTH} levels"
        problems.append(ParseProblem(kind, msg, (where.line + 1) if where else 1,
                                     (where.column + 1) if where else 1))
        raise _Stop from None
    except yaml.YAMLError as exc:  # reader errors (control characters) carry no problem_mark
        line, col = _reader_position(text, exc)
        problems.append(ParseProblem("syntax", _short(str(exc)), line, col))
        raise _Stop from None
    result.data = root if have_root else None


def _weight(value: Any, memo: dict[int, int]) -> int:
    """Nodes ``value`` expands to, counting shared sub-objects each time they are reached."""
    if not isinstance(value, (dict, list)):
        return 1
    key = id(value)
    hit = memo.get(key)
    if hit is not None:
        return hit
    memo[key] = 1  # a self-reference cannot loop forever
    items = value.values() if isinstance(value, dict) else value
    total = 1 + sum(_weight(v, memo) for v in items)
    memo[key] = total
    return total


def _duplicate(text: str, frame: list[Any], key: str, mark: Any,
               problems: list[ParseProblem]) -> None:
    first = _first_key(text, key, mark)
    if first is None:
        start = frame[5]
        first = (start.line + 1, start.column + 1)
    problems.append(ParseProblem("duplicate-key", f"duplicate key '{key}'", mark.line + 1,
                                 mark.column + 1, first[0], first[1]))
    raise _Stop


def _first_key(text: str, key: str, mark: Any) -> tuple[int, int] | None:
    """Where a duplicated key was first written (error path only): walk the composed nodes,
    iteratively, to the mapping that holds the second occurrence."""
    if len(text) > 8 * 1024 * 1024:
        return None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError):
        return None
    todo = [root] if root is not None else []
    seen: set[int] = set()  # aliases share nodes (and may loop): visit each once
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            firsts: dict[str, Any] = {}
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode):
                    if k.start_mark.line == mark.line and k.start_mark.column == mark.column:
                        first = firsts.get(k.value)
                        if first is not None:
                            return first.line + 1, first.column + 1
                    firsts.setdefault(k.value, k.start_mark)
                todo.append(v)
        elif isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)
    return None


class _NoKey:
    __slots__ = ()

    def __repr__(self) -> str:
        return "<no key>"


_NO_KEY: Any = _NoKey()


def _show_tag(tag: str) -> str:
    return "!!" + tag[len(_STD):] if tag.startswith(_STD) else tag


def _reader_position(text: str, exc: Exception) -> tuple[int, int]:
    pos = getattr(exc, "position", None)
    if isinstance(pos, int):
        before = text[:pos]
        return before.count("\n") + 1, pos - (before.rfind("\n") + 1) + 1
    return 1, 1


def _short(message: str) -> str:
    return " ".join(message.split())


def compose_positions(text: str) -> dict[tuple[Any, ...], tuple[int, int]]:
    """Every key's and item's position (1-based), for files that diagnostics point into."""
    return parse_yaml(text, record_all=True).positions


PositionLookup = Callable[[tuple[Any, ...]], "tuple[int, int] | None"]
