"""Reading a model from disk: files and folders, includes, UTF-8, size limits, merging.

The only module of the core that touches the file system for input. It returns the merged raw
data with the origin of every object; ``validate`` turns that into a typed model.
"""

from __future__ import annotations

import difflib
import fnmatch
import glob
import marshal
import os
import re
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import FIELD_CAP, Diagnostic, Related, a_kind, summary
from .fastparse import Positions
from .fastparse import parse as parse_file
from .model import COLLECTIONS, TOP_LEVEL_KEYS, is_valid_id
from .parsecache import MAX_TEXT_CHARS, ParseCache
from .yamlparse import ParsedFile, ParseProblem, parse_yaml

DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024
ROOT_FILE = "dataflow.yaml"

_LINE_BREAK = re.compile("\n")
_PARSE_CODES = {"syntax": "DF103", "duplicate-key": "DF104", "tag": "DF105", "alias": "DF106",
                "depth": "DF107", "documents": "DF108"}


@dataclass(frozen=True)
class Origin:
    file: str
    line: int
    col: int


class _LazyPositions(dict):  # type: ignore[type-arg]
    """file -> positions of its keys at depth <= 2. Files read by the fast parser have none
    until asked for: then each key is found on demand (fastparse.Positions), libyaml re-reading
    the file only when the text alone cannot tell."""

    def __init__(self, texts: dict[str, str], *args: Any) -> None:
        super().__init__(*args)
        self._texts = texts
        self.docs: dict[str, Any] = {}  # data of the files the fast parser read

    def __missing__(self, file: str) -> dict[tuple[Any, ...], tuple[int, int]]:
        text = self._texts.get(file)
        if text is None:
            raise KeyError(file)
        doc = self.docs.get(file)
        positions = Positions(text, doc) if isinstance(doc, dict) else parse_yaml(text).positions
        self[file] = positions
        return positions

    def get(self, file: str, default: Any = None) -> Any:  # type: ignore[override]
        try:
            return self[file]
        except KeyError:
            return default

    def __contains__(self, file: object) -> bool:
        return super().__contains__(file) or file in self._texts


class _LazyOrigins(dict):  # type: ignore[type-arg]
    """(collection,) or (collection, id) -> Origin. For a file read by the fast parser the
    value is stored as the file's name and becomes an Origin on first access."""

    def __init__(self, positions: _LazyPositions, *args: Any) -> None:
        super().__init__(*args)
        self._positions = positions

    def __getitem__(self, key: tuple[str, ...]) -> Origin:
        value = dict.__getitem__(self, key)
        if type(value) is str:
            pos = self._positions[value]
            at = pos.get(key) or pos.get(key[:1]) or (1, 1)
            value = Origin(value, at[0], at[1])
            dict.__setitem__(self, key, value)
        return value  # type: ignore[no-any-return]

    def get(self, key: tuple[str, ...], default: Any = None) -> Any:  # type: ignore[override]
        return self[key] if dict.__contains__(self, key) else default

    def setdefault(self, key: tuple[str, ...], default: Any = None) -> Any:
        if not dict.__contains__(self, key):
            dict.__setitem__(self, key, default)
        return self[key]

    def values(self) -> Any:
        return [self[k] for k in self]

    def items(self) -> Any:
        return [(k, self[k]) for k in self]


@dataclass
class RawModel:
    """Merged raw data of every file, before schema validation."""

    root: str
    files: list[str]
    data: dict[str, Any]
    origins: dict[tuple[str, ...], Origin]  # ("systems", "app") -> where it is defined
    texts: dict[str, str] = field(default_factory=dict, repr=False)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # keys at depth <= 2 per file: from libyaml's pass, or recovered on first use for files the
    # fast parser read
    fast_positions: dict[str, dict[tuple[Any, ...], tuple[int, int]]] = field(
        default_factory=dict, repr=False)
    # every position, composed lazily only for files a diagnostic points into
    _full_positions: dict[str, dict[tuple[Any, ...], tuple[int, int]]] = field(
        default_factory=dict, repr=False)
    _lines: dict[str, array[int]] = field(default_factory=dict, repr=False)
    cache: ParseCache | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.fast_positions, _LazyPositions):
            self.fast_positions = _LazyPositions(self.texts, self.fast_positions)
        if not isinstance(self.origins, _LazyOrigins):
            self.origins = _LazyOrigins(self.fast_positions, self.origins)  # type: ignore[arg-type]

    def release_objects(self) -> None:
        """Drop what each object of a collection holds, keeping its id: ``data[coll][id]`` is
        None afterwards. For a caller done with the raw data once the typed model exists (the
        check command: ~40% of a loaded model). Positions still work: they need the file texts
        and, for files the fast parser read, only the keys at depth <= 2, which stay."""
        docs: dict[str, Any] = getattr(self.fast_positions, "docs", {})
        for data in (self.data, *docs.values()):
            for key, objects in data.items():
                if key in COLLECTIONS and type(objects) is dict:
                    for oid in objects:
                        objects[oid] = None

    def position(self, path: tuple[Any, ...]) -> Origin | None:
        """Where ``path`` (e.g. ("flows", "f1", "categories", 0)) is written; nearest ancestor
        when the exact node has no position (a missing key points at its object)."""
        if not path:
            return None
        head = self.origins.get(tuple(path[:2])) if len(path) >= 2 else None
        if head is None:
            head = self.origins.get((path[0],))
            if head is None:
                return None
            if len(path) >= 2:  # inside model:, catalogue: or include:
                fast = self.fast_positions.get(head.file, {}).get(tuple(path[:2]))
                if fast is not None:
                    head = Origin(head.file, fast[0], fast[1])
                elif len(path) == 2:
                    return self._deep(head, path) or head
        if len(path) <= 2:
            return head
        if len(path) == 3 and isinstance(path[2], str) and head.file not in self._full_positions:
            found = self._scan_key(head, path[2])
            if found is not None:
                return found
        return self._deep(head, path) or head

    def _deep(self, head: Origin, path: tuple[Any, ...]) -> Origin | None:
        positions = self._full_positions.get(head.file)
        if positions is None:
            text = self.texts.get(head.file)
            positions = parse_yaml(text, record_all=True).positions if text is not None else {}
            self._full_positions[head.file] = positions
        for end in range(len(path), 1, -1):
            found = positions.get(tuple(path[:end]))
            if found is not None:
                return Origin(head.file, found[0], found[1])
        return None


    def _scan_key(self, head: Origin, key: str) -> Origin | None:
        """Find an object's field by reading the lines of that object only (cheap, no parse)."""
        text = self.texts.get(head.file)
        if text is None:
            return None
        starts = self._lines.get(head.file)
        if starts is None:
            # where each line starts, as text.split("\n") would cut it (an array of offsets:
            # the lines themselves were a second copy of every text a finding points into)
            starts = self._lines[head.file] = array("q", [0])
            starts.extend(m.end() for m in _LINE_BREAK.finditer(text))
        count = len(starts)
        pattern = re.compile(r"(?<![\w.-])" + re.escape(key) + r"\s*:(?:\s|$)")
        first = head.line - 1
        for i in range(first, min(first + 400, count)):
            line = text[starts[i]:starts[i + 1] - 1 if i + 1 < count else len(text)]
            if i > first:
                stripped = line.lstrip()
                if stripped and not stripped.startswith("#") and \
                        len(line) - len(stripped) <= head.col - 1:
                    return None
            m = pattern.search(line, head.col - 1 + len(key) if i == first else 0)
            if m is not None:
                return Origin(head.file, i + 1, m.start() + 1)
        return None


def load_raw(path: str | os.PathLike[str], *,
             max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
             cache: ParseCache | None = None) -> RawModel:
    """Read a model file or folder. Never raises for bad input: problems are diagnostics.
    With ``cache``, files whose exact text was parsed before are not parsed again."""
    root = Path(path)
    display_root = os.fspath(path)
    diags: list[Diagnostic] = []
    raw = RawModel(root=display_root, files=[], data={}, origins={}, diagnostics=diags)
    raw.cache = cache
    if not root.exists():
        diags.append(Diagnostic("DF100", "error", f"no such file or folder: {display_root}",
                                file=display_root))
        return raw

    files: list[tuple[Path, str]] = []  # (path, display name)
    root_file: Path | None = None
    base = root if root.is_dir() else root.parent
    if root.is_dir():
        if (root / ROOT_FILE).is_file():
            root_file = root / ROOT_FILE
            files.append((root_file, _display(display_root, ROOT_FILE)))
        else:
            found = _walk_yaml(root, diags, display_root)
            if not found:
                diags.append(Diagnostic("DF112", "error",
                                        f"no *.yaml or *.yml files below {display_root}",
                                        file=display_root))
            files.extend((p, _display(display_root, os.path.relpath(p, root))) for p in found)
    else:
        root_file = root
        files.append((root, display_root))

    parsed: list[tuple[str, Any]] = []
    _read_many(files, max_file_bytes, raw, parsed)

    # includes are read from the root file only
    if root_file is not None and parsed and parsed[0][0] == files[0][1]:
        root_data = parsed[0][1]
        if isinstance(root_data, dict) and root_data.get("include") is not None:
            seen = {s for s, _ in parsed}
            more = [(p, shown) for p, shown in _resolve_includes(base, display_root, files[0][1],
                                                                root_data, raw)
                    if shown not in seen and not seen.add(shown)]  # type: ignore[func-returns-value]
            _read_many(more, max_file_bytes, raw, parsed)
        root_name = os.path.basename(files[0][1])
        for shown, data in parsed[1:]:
            for key in ("include", "include_roots"):
                if isinstance(data, dict) and key in data:  # would be dropped without a word
                    _diag(raw, "DF111", f"`{key}` is read only in the root file {root_name}; "
                          "in an included file it is ignored", shown, (key,),
                          hint=f"move it to {root_name}, or delete it here")
    elif root.is_dir():
        for shown, data in parsed:
            if isinstance(data, dict) and "include" in data:
                _diag(raw, "DF111", f"`include` is read only in {ROOT_FILE}; this folder has none, "
                      "so every YAML file below it is read already", shown, ("include",),
                      hint=f"create {ROOT_FILE} as the root, or delete the include key")

    _merge(parsed, raw, root_file is not None and bool(parsed) and parsed[0][0] == files[0][1])
    return raw


def _display(root: str, rel: str) -> str:
    return os.path.normpath(os.path.join(root, rel))


def _walk_yaml(root: Path, diags: list[Diagnostic], display_root: str) -> list[Path]:
    out: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith((".yaml", ".yml")) and not name.startswith("."):
                out.append(Path(dirpath) / name)
    return sorted(out, key=lambda p: p.relative_to(root).as_posix())


def _resolve_includes(base: Path, display_root: str, root_shown: str, data: dict[str, Any],
                      raw: RawModel) -> list[tuple[Path, str]]:
    """The files the root's ``include`` globs name, each real file once (however many patterns,
    symlinks or symlink loops reach it; the root file itself never comes back). Each distinct
    pattern is globbed once; its problems are reported at its first entry, at most FIELD_CAP
    of them one by one, then one summary."""
    globs = data.get("include")
    roots = data.get("include_roots") or []
    if isinstance(globs, str):
        globs = [globs]
    if isinstance(roots, str):  # one folder as text, as `include` takes one glob
        roots = [roots]
    if not isinstance(globs, list) or not all(isinstance(g, str) for g in globs):
        return []  # the schema reports the wrong type
    allowed = [base.resolve()]
    for r in roots if isinstance(roots, list) else []:
        if isinstance(r, str):
            allowed.append((base / r).resolve())
    shown_root = display_root if os.path.isdir(display_root) else \
        os.path.dirname(display_root) or "."
    root_file = base / ROOT_FILE if os.path.isdir(display_root) else Path(display_root)
    out: list[tuple[Path, str]] = []
    seen_real: set[Path] = {root_file.resolve()}
    problems: list[tuple[int, str, str]] = []  # (index of the entry, message, hint)
    first: dict[str, int] = {}
    for i, pattern in enumerate(globs):
        first.setdefault(pattern, i)
    times = Counter(globs) if len(first) < len(globs) else None
    for pattern, i in first.items():
        matches = sorted(m for m in _include_glob(os.fspath(base), pattern)
                         if m.endswith((".yaml", ".yml")) and os.path.isfile(m))
        if not matches:
            again = times[pattern] if times is not None else 1
            problems.append((i, f"include pattern '{pattern}' matches no YAML file" + (
                f" (listed {again:,} times)" if again > 1 else ""),
                "check the glob; it is relative to the root file's folder"))
            continue
        reals = {m: Path(m).resolve() for m in matches}
        # a file reached under its own name and through a symlink is read under its own name
        matches.sort(key=lambda m: (reals[m] != Path(os.path.abspath(m)), m))
        for m in matches:
            real = reals[m]
            if real in seen_real:  # symlinked folders and files reach a file once
                continue
            seen_real.add(real)
            if not any(real == a or a in real.parents for a in allowed):
                problems.append((i, f"include '{pattern}' reaches {m}, outside the model folder",
                                 "list the folder under include_roots if this is intended"))
                continue
            out.append((Path(m), _display(shown_root, os.path.relpath(m, base))))
    _include_problems(raw, root_shown, problems)
    return out


def _include_problems(raw: RawModel, root_shown: str, problems: list[tuple[int, str, str]]
                      ) -> None:
    """DF111 for each problem (at most FIELD_CAP), then one summary of the rest; the root file
    is parsed for positions once, and only when there is a problem."""
    if not problems:
        return
    shown = problems[:FIELD_CAP + 1]
    items = _include_item_positions(raw.texts.get(root_shown, ""), {i for i, _, _ in shown})
    head = raw.fast_positions.get(root_shown, {}).get(("include",))
    diags = []
    for i, message, hint in shown:
        pos = items.get(i) or head
        diags.append(Diagnostic("DF111", "error", message, file=root_shown,
                                line=pos[0] if pos else None, col=pos[1] if pos else None,
                                hint=hint, path=("include", i)))
    if len(problems) > FIELD_CAP:
        rest = diags[FIELD_CAP:]
        diags[FIELD_CAP:] = [summary(rest[0], len(problems) - FIELD_CAP, "in include")]
    raw.diagnostics.extend(diags)


def _include_item_positions(text: str, wanted: set[int]) -> dict[int, tuple[int, int]]:
    """Line and column of the ``include`` list items numbered ``wanted``, reading the YAML
    events only as far as the last of them (a million-item list costs nothing here)."""
    out: dict[int, tuple[int, int]] = {}
    last = max(wanted, default=-1)
    depth, want_key, pending, inside, index = 0, True, False, False, -1
    try:
        for ev in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            if isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
                if inside and depth == 1:
                    break
                continue
            start = isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent))
            if not (start or isinstance(ev, (yaml.ScalarEvent, yaml.AliasEvent))):
                continue
            if depth == 1:
                if want_key:
                    pending = isinstance(ev, yaml.ScalarEvent) and ev.value == "include"
                else:
                    inside = pending and isinstance(ev, yaml.SequenceStartEvent)
                want_key = not want_key
            elif depth == 2 and inside:
                index += 1
                mark = ev.start_mark
                if index in wanted and mark is not None:
                    out[index] = (mark.line + 1, mark.column + 1)
                if index >= last:
                    break
            if start:
                depth += 1
    except yaml.YAMLError:
        pass
    return out


def _include_glob(base: str, pattern: str) -> list[str]:
    """``glob.glob(os.path.join(base, pattern), recursive=True)`` (magic characters of ``base``
    taken literally) without following symlink loops: ``**`` walks each real folder once (a
    folder symlink is followed only to a folder not walked yet, after the real folders), so
    ``a -> .`` adds nothing and the walk is linear in the folders. Like glob, ``*``, ``?`` and
    ``[...]`` do not match hidden names unless the pattern part starts with ``.``, and ``**``
    does not enter hidden folders."""
    start = os.path.join(base, pattern)
    if not glob.has_magic(pattern):
        return [start]
    parts = [p for p in pattern.split(os.sep) if p]
    current = [os.sep if os.path.isabs(pattern) else base]
    for n, part in enumerate(parts):
        last = n == len(parts) - 1
        if part == "**":
            current = _walk_dirs(current)
            if last:
                current = [os.path.join(d, e.name) for d in current for e in _entries(d)
                           if not e.name.startswith(".")]
        elif glob.has_magic(part):
            hidden_ok = part.startswith(".")
            nxt: list[str] = []
            for d in current:
                names = [e.name for e in _entries(d) if (hidden_ok or not e.name.startswith("."))
                         and (last or _is_dir(e))]
                nxt.extend(os.path.join(d, name) for name in fnmatch.filter(names, part))
            current = nxt
        else:
            current = [os.path.join(d, part) for d in current]
        current = list(dict.fromkeys(current))
    return [c for c in current if c]


def _entries(folder: str) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder or ".") as it:
            return sorted(it, key=lambda e: e.name)
    except OSError:
        return []


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _walk_dirs(tops: list[str]) -> list[str]:
    """Every non-hidden folder below ``tops`` (``tops`` included), each real folder once."""
    seen: set[tuple[int, int]] = set()
    out: list[str] = []
    links: list[tuple[str, tuple[int, int]]] = []

    def walk(top: str, key: tuple[int, int]) -> None:
        if key in seen:
            return
        seen.add(key)
        stack = [top]
        while stack:
            folder = stack.pop()
            out.append(folder)
            below = []
            for e in _entries(folder):
                if e.name.startswith(".") or not _is_dir(e):
                    continue
                try:
                    st = e.stat()
                    link = e.is_symlink()
                except OSError:
                    continue
                k = (st.st_dev, st.st_ino)
                if link:
                    links.append((os.path.join(folder, e.name), k))
                elif k not in seen:
                    seen.add(k)
                    below.append(os.path.join(folder, e.name))
            stack.extend(reversed(below))

    for top in tops:
        try:
            st = os.stat(top or ".")
        except OSError:
            continue
        walk(top, (st.st_dev, st.st_ino))
    while links:  # folder symlinks last, each to a folder not walked yet
        path, key = links.pop(0)
        walk(path, key)
    return out


def _read_text(p: Path, shown: str, limit: int, raw: RawModel) -> str | None:
    diags = raw.diagnostics
    try:
        size = p.stat().st_size
    except OSError as exc:
        diags.append(Diagnostic("DF100", "error", f"cannot read: {exc.strerror or exc}", file=shown))
        return None
    if size > limit:
        big, cap = _size(size), _size(limit)
        if big == cap:  # rounded to the same figure ("1.0 KB, over the 1.0 KB"): exact bytes
            big, cap = f"{size:,} bytes", f"{limit:,}-byte"
        diags.append(Diagnostic(
            "DF101", "error", f"file is {big}, over the {cap} per-file limit",
            file=shown, hint="split it, or pass --max-file-size"))
        return None
    try:
        blob = p.read_bytes()
    except OSError as exc:
        diags.append(Diagnostic("DF100", "error", f"cannot read: {exc.strerror or exc}", file=shown))
        return None
    if len(blob) > limit:  # grew since stat, or a special file
        diags.append(Diagnostic("DF101", "error", "file is over the per-file limit", file=shown))
        return None
    try:
        text = blob.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = blob[: exc.start]
        line = before.count(b"\n") + 1
        # columns count characters, as in every other diagnostic
        col = len(before[before.rfind(b"\n") + 1:].decode("utf-8", errors="replace")) + 1
        diags.append(Diagnostic("DF102", "error",
                                f"not valid UTF-8: byte 0x{blob[exc.start]:02x} cannot start or "
                                "continue a character", file=shown, line=line, col=col,
                                hint="save the file as UTF-8"))
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    return text


def _size(n: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            value = n / scale
            return f"{value:.1f} {unit}" if value < 100 else f"{value:.0f} {unit}"
    return f"{n} bytes"


# Below these sizes a second process costs more than it saves.
PARALLEL_MIN_FILES = 8
PARALLEL_MIN_BYTES = 2 * 1024 * 1024


def _parse_texts(texts: list[str]) -> list[ParsedFile]:
    """Parse many files; on a multi-core machine a forked child takes half of the bytes and
    sends its results back through a pipe as marshal data (plain containers only)."""
    total = sum(len(t) for t in texts)
    if (len(texts) < PARALLEL_MIN_FILES or total < PARALLEL_MIN_BYTES
            or (os.cpu_count() or 1) < 2 or not hasattr(os, "fork")):
        return [parse_file(t) for t in texts]
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    theirs, mine = order[0::2], order[1::2]
    try:
        read_end, write_end = os.pipe()
        pid = os.fork()
    except OSError:
        return [parse_file(t) for t in texts]
    if pid == 0:  # the child: parse, send, leave without running any cleanup of the parent's
        code = 0
        try:
            os.close(read_end)
            payload = marshal.dumps([_plain(parse_file(texts[i])) for i in theirs])
            with os.fdopen(write_end, "wb") as out:
                out.write(payload)
        except BaseException:
            code = 1
        os._exit(code)
    os.close(write_end)
    results: list[ParsedFile | None] = [None] * len(texts)
    for i in mine:
        results[i] = parse_file(texts[i])
    with os.fdopen(read_end, "rb") as inp:
        payload = inp.read()
    _, status = os.waitpid(pid, 0)
    if status == 0 and payload:
        for i, plain in zip(theirs, marshal.loads(payload), strict=True):
            results[i] = _unplain(plain)
    return [r if r is not None else parse_file(texts[i]) for i, r in enumerate(results)]


def _parse_cached(texts: list[str], cache: ParseCache | None) -> list[ParsedFile]:
    """Parse results from the content-keyed cache where it has them; the rest parsed (and
    stored when the file has no problems: error paths are cheap and not worth keeping)."""
    if cache is None:
        return _parse_texts(texts)
    keys = [cache.key(t) if len(t) <= MAX_TEXT_CHARS else None for t in texts]
    results: list[ParsedFile | None] = []
    for key in keys:
        plain = cache.get(key) if key is not None else None
        results.append(_unplain(plain) if plain is not None else None)
    missing = [i for i, r in enumerate(results) if r is None]
    for i, result in zip(missing, _parse_texts([texts[i] for i in missing]), strict=True):
        results[i] = result
        key = keys[i]
        if key is not None and not result.problems:
            cache.put(key, _plain(result))
    cache.prune()
    return [r for r in results if r is not None]


def _plain(result: ParsedFile) -> tuple[Any, ...]:
    return (result.data, result.positions,
            [(p.kind, p.message, p.line, p.col, p.related_line, p.related_col)
             for p in result.problems], result.positioned)


def _unplain(plain: tuple[Any, ...]) -> ParsedFile:
    data, positions, problems, positioned = plain
    return ParsedFile(data, positions, [ParseProblem(*p) for p in problems], positioned)


def _read_many(files: list[tuple[Path, str]], limit: int, raw: RawModel,
               parsed: list[tuple[str, Any]]) -> None:
    texts: list[tuple[str, str]] = []
    for p, shown in files:
        text = _read_text(p, shown, limit, raw)
        if text is not None:
            texts.append((shown, text))
    results = _parse_cached([t for _, t in texts], raw.cache)
    for (shown, text), result in zip(texts, results, strict=True):
        data = _accept(shown, text, result, raw)
        if data is not None:
            parsed.append((shown, data))


def _accept(shown: str, text: str, result: ParsedFile, raw: RawModel) -> Any:
    diags = raw.diagnostics
    raw.texts[shown] = text
    raw.files.append(shown)
    for prob in result.problems:
        code = _PARSE_CODES.get(prob.kind, "DF103")
        related: tuple[Related, ...] = ()
        if prob.related_line is not None:
            related = (Related("first defined here", shown, prob.related_line, prob.related_col),)
        hint = None
        if code == "DF103" and "\t" in text:
            hint = "YAML forbids tabs for indentation; use spaces"
        elif code == "DF104":
            hint = "each key may appear once per mapping; remove or rename one"
        diags.append(Diagnostic(code, "error", prob.message, file=shown, line=prob.line,
                                col=prob.col, hint=hint, related=related))
    if result.problems:
        return None
    if result.data is None:
        return {}  # an empty file contributes nothing
    if not isinstance(result.data, dict):
        diags.append(Diagnostic("DF109", "error", "the top level must be a mapping of "
                                "collections, e.g. `systems:`", file=shown, line=1, col=1))
        return None
    if result.positioned:
        raw.fast_positions[shown] = result.positions
    else:
        raw.fast_positions.docs[shown] = result.data  # type: ignore[attr-defined]
    return result.data


def _diag(raw: RawModel, code: str, message: str, file: str, path: tuple[Any, ...],
          hint: str | None = None, severity: str = "error") -> None:
    pos: tuple[int, int] | None = None
    text = raw.texts.get(file)
    if text is not None:
        full = parse_yaml(text, record_all=True).positions  # error path only
        pos = full.get(tuple(path)) or full.get(tuple(path[:1]))
    raw.diagnostics.append(Diagnostic(code, severity, message, file=file,  # type: ignore[arg-type]
                                      line=pos[0] if pos else None, col=pos[1] if pos else None,
                                      hint=hint, path=path))


def suggest(value: str, choices: Iterable[str], n: int = 1) -> str | None:
    matches = difflib.get_close_matches(value, list(choices), n=n, cutoff=0.6)
    return matches[0] if matches else None


def _merge(parsed: list[tuple[str, Any]], raw: RawModel, root_first: bool = False) -> None:
    # Files the fast parser read have no positions yet: their origins are stored as the file's
    # name (see _LazyOrigins) and only diagnostics make libyaml re-read the file (_at).
    fast = raw.fast_positions
    data = raw.data
    origins: Any = raw.origins
    owners: dict[str, str] = {}  # id -> collection
    model_at: Origin | str | None = None
    for n, (shown, doc) in enumerate(parsed):
        lazy = not dict.__contains__(fast, shown)
        pos = {} if lazy else fast[shown]
        for key, value in doc.items():
            here: Origin | str
            if lazy:
                here = shown
            else:
                kp = pos.get((key,), (1, 1))
                here = Origin(shown, kp[0], kp[1])
            if key not in TOP_LEVEL_KEYS:
                here = _at(raw, shown, (key,))
                guess = suggest(str(key), TOP_LEVEL_KEYS)
                raw.diagnostics.append(Diagnostic(
                    "DF206", "error", f"unknown top-level key '{key}'", file=shown, line=here.line,
                    col=here.col, hint=f"did you mean '{guess}'?" if guess else
                    "top-level keys: " + ", ".join(TOP_LEVEL_KEYS), path=(key,)))
                continue
            if key == "model":
                if model_at is not None:
                    here, model_at = _at(raw, shown, (key,)), raw.origins[("model",)]
                    raw.diagnostics.append(Diagnostic(
                        "DF110", "error", "a second `model:` block; exactly one file carries it",
                        file=shown, line=here.line, col=here.col,
                        related=(Related("first `model:` here", model_at.file, model_at.line,
                                         model_at.col),)))
                    continue
                model_at = here
                data["model"] = value
                origins[("model",)] = here
                continue
            if key in ("include", "include_roots"):
                if root_first and n > 0:
                    continue  # only the root's count (DF111 for an included file's)
                data[key] = value
                origins[(key,)] = here
                continue
            if key == "catalogue":
                if value is None:
                    continue
                if not isinstance(value, dict):
                    data.setdefault("catalogue", value)
                    origins.setdefault(("catalogue",), here)
                    continue
                target = data.setdefault("catalogue", {})
                origins.setdefault(("catalogue",), here)
                if isinstance(target, dict):
                    for sub, entries in value.items():
                        if isinstance(entries, dict) and isinstance(target.get(sub, {}), dict):
                            target.setdefault(sub, {}).update(entries)
                        else:
                            target[sub] = entries
                continue
            # a collection
            if value is None:
                continue
            if not isinstance(value, dict):
                here = _at(raw, shown, (key,))
                raw.diagnostics.append(Diagnostic(
                    "DF203", "error", f"`{key}` must be a mapping from id to object "
                    f"(id-keyed map), not a {_kind(value)}", file=shown, line=here.line,
                    col=here.col, hint=f"write `{key}:` then `  my-id: {{...}}` lines",
                    path=(key,)))
                continue
            coll = data.setdefault(key, {})
            origins.setdefault((key,), here)
            for oid, obj in value.items():
                where: Origin | str
                if lazy:
                    where = shown
                else:
                    op = pos.get((key, oid))
                    where = Origin(shown, op[0], op[1]) if op is not None else here
                if not is_valid_id(oid):
                    where = _at(raw, shown, (key, oid))
                    raw.diagnostics.append(Diagnostic(
                        "DF204", "error", f"'{oid}' is not a valid id", file=shown, line=where.line,
                        col=where.col, hint="ids match ^[a-z0-9][a-z0-9._-]*$ (lower case, digits, "
                        f"'.', '-', '_'); e.g. '{_slug(oid)}'", path=(key, oid)))
                    continue
                if oid in owners:
                    first_coll = owners[oid]
                    first = raw.origins[(first_coll, oid)]
                    where = _at(raw, shown, (key, oid))
                    raw.diagnostics.append(Diagnostic(
                        "DF205", "error", f"duplicate id '{oid}' ({_singular(key)}; already used "
                        f"by {a_kind(_singular(first_coll))} at {first.file}:{first.line}:"
                        f"{first.col})",
                        file=shown, line=where.line, col=where.col,
                        hint="ids are unique across all collections and files; rename one",
                        related=(Related("first defined here", first.file, first.line, first.col),),
                        path=(key, oid)))
                    continue
                owners[oid] = key
                coll[oid] = obj
                origins[(key, oid)] = where
    if model_at is None and parsed:
        raw.diagnostics.append(Diagnostic(
            "DF110", "error", "no file carries the `model:` block", file=parsed[0][0], line=1,
            col=1, hint="add `model: {name: ..., evaluation_date: YYYY-MM-DD}` to one file"))


def _at(raw: RawModel, shown: str, path: tuple[str, ...]) -> Origin:
    """Where ``path`` is written in ``shown`` (its top-level key when the path has no position
    of its own), re-reading the file with libyaml if the fast parser read it."""
    pos = raw.fast_positions.get(shown)
    if pos is None:
        pos = {}
    at = pos.get(path) or pos.get(path[:1]) or (1, 1)
    return Origin(shown, at[0], at[1])


def _kind(value: Any) -> str:
    return {list: "list", str: "text", int: "number", float: "number", bool: "boolean"}.get(
        type(value), type(value).__name__)


_SINGULAR = {"entities": "entity", "systems": "system", "categories": "category",
             "cohorts": "cohort", "flows": "flow", "access": "access grant",
             "safeguards": "safeguard", "duties": "duty", "exemptions": "exemption",
             "waivers": "waiver"}


def _singular(collection: str) -> str:
    return _SINGULAR.get(collection, collection)


def singular(collection: str) -> str:
    return _singular(collection)


def _slug(value: str) -> str:
    out = "".join(c if c.isalnum() or c in "._-" else "-" for c in value.lower()).strip("-._")
    return out or "id"


