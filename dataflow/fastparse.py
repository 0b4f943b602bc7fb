"""The fast path of YAML parsing: ``yaml_rs`` (Rust) for files libyaml would read identically.

``dataflow.yamlparse`` (libyaml's event stream) is the reference parser: it defines every value,
type and diagnostic. ``yaml_rs`` builds the same plain data about four times faster, but it
resolves some plain scalars differently (``010`` → 10 where we keep the text, ``100_000`` →
100000, ``0b101``, ``+0x1F``, ``.iNf``), supports tags, anchors and several documents with other
rules, and has no positions. So a file takes the fast path only when

1. a byte-level pre-scan (a few regular expressions and ``str.count``, about 0.1 s per 10 MB)
   finds none of the constructs where the two parsers could differ: characters libyaml refuses
   or treats as line breaks (controls, NUL, surrogates, U+0085/2028/2029, tabs, lone CR),
   backslashes, tags, anchors, aliases and the reserved indicators ``@`` and backquote at the
   start of a token, merge keys ``<<``, document markers and directives at a line start,
   numbers with a leading zero, a base prefix or an underscore, ``.inf``/``.nan`` spellings,
   quoted scalars over several lines, ``:`` starting a scalar or before a flow indicator, a
   missing final line break or an empty block scalar at the end, and lines whose indentation
   and block indicators reach 24 columns (this also bounds block nesting: ``yaml_rs`` recurses
   and crashes on ~20,000-deep block nesting, so such files are never handed to it);
2. ``yaml_rs`` parses it without error (any error, e.g. a duplicate key, goes to libyaml so
   that codes, messages and positions are exactly the reference ones);
3. the result is a mapping (a file holding a scalar or a list is refused by the loader anyway)
   with only text keys and integers within 64 bits (checked by ``orjson.dumps``,
   which refuses anything else) and is at most ``MAX_DEPTH`` deep (checked only when the file
   holds enough brackets to get there).

Everything else is parsed by libyaml. Positions are not known on the fast path; they are found
on demand, only for keys a diagnostic or finding points at (``Positions``: by the key's text when
that is unambiguous, otherwise libyaml re-reads that one file).
``DATAFLOW_PARSER=libyaml`` forces the reference parser everywhere.
"""

from __future__ import annotations

import gc
import os
import re
from array import array
from bisect import bisect_left
from typing import Any

import orjson

from .yamlparse import MAX_DEPTH, ParsedFile, parse_yaml

try:
    import yaml_rs

    _loads: Any = yaml_rs.loads
    YAML_RS_VERSION: str | None = yaml_rs.__version__
except ImportError:  # pragma: no cover - exercised only without yaml_rs
    _loads = None
    YAML_RS_VERSION = None

PARSER_ENV = "DATAFLOW_PARSER"

# characters that send the file to libyaml at once, and indicators that do so at a token start
_CHARS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff\u2028\u2029\\\\"
                    "!&*@`]")
_INDICATORS = frozenset("!&*@`")
_TOKEN_BEFORE = frozenset(" \n[]{},:-?")
# each pattern starts with a literal so that the scan skips ahead in C
_RISKY = [
    # a leading zero: 010, 00, 0_1, 0b1, 0x1F, 0o17, -0x1F, +0O7 (at a token start)
    re.compile(r"0(?:(?<=[\s\[\]{},:]0)|(?<=[\s\[\]{},:][-+]0)|(?<=\A0)|(?<=\A[-+]0))"
               r"[0-9_bBoOxX]"),
    # .inf / .nan in any case, signed or not
    re.compile(r"\.(?=[iInN])"
               r"(?:(?<=[\s\[\]{},:]\.)|(?<=[\s\[\]{},:][-+]\.)|(?<=\A\.)|(?<=\A[-+]\.))"),
    # an underscore next to a digit, dot, sign or another underscore: 1_000, _1, 1_., ._inf
    re.compile(r"_(?:(?<=[0-9._+-]_)|(?=[0-9._+-]))"),
    # ':' before a flow indicator ('x:]': an error in libyaml's flow context, text for yaml_rs)
    # or starting a scalar (':0': YAML 1.2 plain text for yaml_rs, a value indicator in
    # libyaml's flow context)
    re.compile(r":(?:[,?\[\]{}]|(?!\s)(?:(?<=[\s\[\]{},]:)|(?<=\A:)))"),
    # document markers, directives, deep indentation or compact nesting (- - - ..., ? ? ...)
    re.compile(r"\n(?:[ ?:-]{24}|---|\.\.\.|%)"),
    # a quoted scalar over several lines (libyaml refuses one as an implicit key, yaml_rs not)
    re.compile(r"'(?:(?<=[\s\[\]{},:?-]')|(?<=\A'))(?:[^'\n]|'')*\n"),
    re.compile(r'"(?:(?<=[\s\[\]{},:?-]")|(?<=\A"))[^"\n]*\n'),
]
_START = re.compile(r"(?:[ ?:-]{24}|---|\.\.\.|%)")
# block nesting is at most 2 levels per column of indentation and indicators
_BLOCK_DEPTH_BOUND = 2 * (24 + 1)


def enabled() -> bool:
    """Whether the fast path is used: yaml_rs imports and DATAFLOW_PARSER is not 'libyaml'."""
    return _loads is not None and os.environ.get(PARSER_ENV, "").lower() != "libyaml"


def risky(text: str) -> bool:
    """True when the file may hold a construct the two parsers could read differently."""
    pos = 0
    search = _CHARS.search
    while True:
        m = search(text, pos)
        if m is None:
            break
        i = m.start()
        if text[i] not in _INDICATORS:
            return True
        if i == 0 or text[i - 1] in _TOKEN_BEFORE:
            return True
        pos = i + 1
    if "<<" in text or _START.match(text):
        return True
    return any(rx.search(text) is not None for rx in _RISKY)


_BLOCK_HEADER = re.compile(r"[|>][-+0-9]* *(?:#.*)?\Z")


def _ends_in_block_scalar(text: str) -> bool:
    """A block scalar header followed by nothing but blank and comment lines up to the end
    (``a: |`` then blank lines): libyaml reads '' where yaml_rs reads a line break."""
    end = len(text)
    while end > 0:
        start = text.rfind("\n", 0, end - 1) + 1
        line = text[start:end].strip()
        if line and not line.startswith("#"):
            return _BLOCK_HEADER.search(line) is not None
        end = start
    return False


def _too_deep(root: Any) -> bool:
    level = [root]
    depth = 0
    while level:
        depth += 1
        if depth > MAX_DEPTH:
            return True
        nxt: list[Any] = []
        for node in level:
            for v in (node.values() if type(node) is dict else node):
                if type(v) is dict or type(v) is list:
                    nxt.append(v)
        level = nxt
    return False


def parse_fast(text: str) -> ParsedFile | None:
    """The file's data through yaml_rs, or None when it must be parsed by libyaml."""
    if _loads is None or not text.endswith("\n") or risky(text) or _ends_in_block_scalar(text):
        return None
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        data = _loads(text, parse_datetime=False)
    except Exception:
        return None
    finally:
        if gc_was_enabled:
            gc.enable()
    if type(data) is not dict:  # a model file is a mapping; anything else is libyaml's to judge
        return None
    try:
        orjson.dumps(data)  # text keys only, integers within 64 bits, depth < 255
    except (TypeError, orjson.JSONEncodeError):
        return None
    if _BLOCK_DEPTH_BOUND + text.count("[") + text.count("{") > MAX_DEPTH and _too_deep(data):
        return None
    return ParsedFile(data=data, positioned=False)


def parse(text: str) -> ParsedFile:
    """Parse one file: the fast path when it is known to agree with libyaml, libyaml otherwise.
    Results from the fast path carry no positions (``positioned`` is False)."""
    if enabled():
        fast = parse_fast(text)
        if fast is not None:
            return fast
    return parse_yaml(text)


_KEY_BEFORE = frozenset(" \n[{,\"'")
_KEY_AFTER = re.compile(r"[\"']?\s*:")
# an explicit key (``? key``) may be followed by ':' lines later; such files are re-read whole
_EXPLICIT_KEY = re.compile(r"\?(?:(?<=[\s\[{,]\?)|(?<=\A\?))(?=\s)")


_NEWLINE = re.compile("\n")
# Building a file's key index costs about as much as 30 text scans (1.3 ms vs ~40 µs each on a
# 48 KB file): `validate` asks a file a handful of times, `check` thousands.
_SCANS_BEFORE_INDEX = 32
_KEY_BEFORE_RE = re.compile(r"[ \n\[{,\"']")
# Read on the reversed text, at each ':' — the whitespace before it, an optional quote, then the
# run of characters that are not in _KEY_BEFORE: the last "token" of any key that ends there.
_KEY_END_REVERSED = re.compile(r":(?=\s*([\"']?)([^ \n\[{,\"']*))")


def _tail(key: str) -> str:
    """The part of ``key`` after its last ``_KEY_BEFORE`` character (all of it if none)."""
    if _KEY_BEFORE_RE.search(key) is None:
        return key
    cut = max(key.rfind(c) for c in _KEY_BEFORE)
    return key[cut + 1:]


class _KeysIndex:
    """``_keys_index`` of a file, compact: every file a finding points into keeps its index to
    the end of a check (a list of int objects per tail was ~36 bytes per offset, ~200 MB at
    100,000 systems). The offsets of all tails sit in one array, each tail's ascending and
    contiguous; ``spans[tail]`` is ``start << 32 | stop``, its slice of ``ends``."""

    __slots__ = ("ends", "spans")

    def __init__(self, by_tail: dict[str, list[int]], size: int) -> None:
        self.ends = _offsets(size)
        self.spans: dict[str, int] = {}
        for tail, offsets in by_tail.items():
            start = len(self.ends)
            self.ends.extend(offsets)
            self.spans[tail] = start << 32 | len(self.ends)


def _offsets(size: int) -> array[int]:
    """An empty array able to hold offsets into a text of ``size`` characters."""
    return array("i" if size < 2**31 else "q")


def _keys_index(text: str) -> dict[str, list[int]]:
    """Every offset where a key can end (``_KEY_AFTER`` matches there), by the key's tail.

    ``_KEY_AFTER`` matches at ``q`` (with ``text[q - 1]`` neither whitespace nor a quote, as for
    any key ``_find`` accepts) exactly when ``q`` is the start of the whitespace before some ':',
    or one less when a quote stands there. A key occurrence ending at ``q`` that is preceded by
    the text's start or a ``_KEY_BEFORE`` character ends with the longest run of characters not
    in ``_KEY_BEFORE`` that ends at ``q`` — its tail. Offsets are ascending."""
    rev = text[::-1]
    n = len(text)
    index: dict[str, list[int]] = {}
    for m in _KEY_END_REVERSED.finditer(rev):
        s, e = m.span(2)
        end = n - s  # the key ends here (before the whitespace, and the quote if any)
        tail = text[n - e:end]
        ends = index.get(tail)
        if ends is None:
            index[tail] = [end]
        else:
            ends.append(end)
    for ends in index.values():
        ends.reverse()
    return index


class Positions(dict):  # type: ignore[type-arg]
    """Positions of the keys at depth 1 and 2 of a file the fast parser read, found on demand.

    The exact answer is libyaml's (``yamlparse.parse_yaml(text).positions``). A key is found
    without parsing when its text occurs exactly once in the file where a key could start and be
    followed by ':' — a fast-path file has no escapes, tags, anchors or aliases, so a key is
    written as its literal text, plain or quoted, and that occurrence must be it. Keys holding a
    quote, files with an explicit key ``?``, and ambiguous or absent texts make libyaml re-read
    the whole file once.
    """

    def __init__(self, text: str, data: dict[str, Any]) -> None:
        super().__init__()
        self._text = text
        self._data = data
        self._full = False
        self._scan_ok = _EXPLICIT_KEY.search(text) is None
        self._index: _KeysIndex | None = None
        self._lines: array[int] | None = None  # offsets of the line breaks
        self._lookups = 0  # scans until a file is asked often enough to pay for its index
        self._heads: dict[str, int | None] = {}  # _find of each depth-1 key asked for

    def _exists(self, path: tuple[Any, ...]) -> bool:
        if len(path) == 1:
            return path[0] in self._data
        if len(path) == 2:
            inner = self._data.get(path[0])
            return type(inner) is dict and path[1] in inner
        return False

    def _find(self, key: str, start: int, end: int) -> int | None:
        """The one offset in [start, end) where ``key`` can be written as a key, else None.

        Reference definition (``_find_scan``, kept for the differential tests): an occurrence
        of ``key`` preceded by the start of the text or a ``_KEY_BEFORE`` character and followed
        by ``_KEY_AFTER``. Answered from ``_keys_index``, built in one pass on the first lookup
        in the file, so each lookup is a dict hit and a bisection instead of a scan."""
        if not key or "'" in key or '"' in key or key != key.strip():
            return None
        index = self._index
        if index is None:
            self._lookups += 1
            if self._lookups <= _SCANS_BEFORE_INDEX:
                return self._find_scan(key, start, end)
            index = self._index = _KeysIndex(_keys_index(self._text), len(self._text))
        span = index.spans.get(_tail(key))
        if span is None:
            return None
        ends, lo, hi = index.ends, span >> 32, span & 0xFFFFFFFF
        text = self._text
        size = len(key)
        found: int | None = None
        for i in range(bisect_left(ends, start + size, lo, hi), hi):
            at = ends[i] - size
            if at + size > end:
                break
            if (at == 0 or text[at - 1] in _KEY_BEFORE) and text.startswith(key, at):
                if found is not None:
                    return None  # written twice where a key could be: ask libyaml
                found = at
        if found is not None and found > 0 and text[found - 1] in "\"'":
            found -= 1  # a quoted key starts at its quote
        return found

    def _find_scan(self, key: str, start: int, end: int) -> int | None:
        """``_find`` by scanning the text (the former implementation; differential tests)."""
        if not key or "'" in key or '"' in key or key != key.strip():
            return None
        text = self._text
        found: int | None = None
        at = text.find(key, start, end)
        while at >= 0:
            if (at == 0 or text[at - 1] in _KEY_BEFORE) and \
                    _KEY_AFTER.match(text, at + len(key)) is not None:
                if found is not None:
                    return None  # written twice where a key could be: ask libyaml
                found = at
            at = text.find(key, at + 1, end)
        if found is not None and found > 0 and text[found - 1] in "\"'":
            found -= 1  # a quoted key starts at its quote
        return found

    def _where(self, offset: int) -> tuple[int, int]:
        lines = self._lines
        if lines is None and self._index is None:  # few lookups so far: counting is cheaper
            text = self._text
            return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1
        if lines is None:
            lines = self._lines = _offsets(len(self._text))
            lines.extend(m.start() for m in _NEWLINE.finditer(self._text))
        before = bisect_left(lines, offset)  # line breaks before ``offset``
        return before + 1, offset - (lines[before - 1] + 1 if before else 0) + 1

    def __missing__(self, path: tuple[Any, ...]) -> tuple[int, int]:
        if self._full or not self._exists(path):
            raise KeyError(path)
        found: int | None = None
        if self._scan_ok and all(type(k) is str for k in path):
            head = self._heads.get(path[0], -1)
            if head == -1:
                head = self._heads[path[0]] = self._find(path[0], 0, len(self._text))
            found = head
            if found is not None and len(path) == 2:
                found = self._find(path[1], found, len(self._text))
        if found is None:
            self._full = True
            self.update(parse_yaml(self._text).positions)
            return dict.__getitem__(self, path)  # type: ignore[no-any-return]
        at = self._where(found)
        self[path] = at
        return at

    def get(self, path: tuple[Any, ...], default: Any = None) -> Any:  # type: ignore[override]
        try:
            return self[path]
        except KeyError:
            return default

    def complete(self) -> dict[tuple[Any, ...], tuple[int, int]]:
        """Every position, as libyaml's pass gives them."""
        if not self._full:
            self._full = True
            self.update(parse_yaml(self._text).positions)
        return dict(self)
