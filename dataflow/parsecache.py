"""A per-file cache of parse results, keyed on content: it cannot return a stale result.

An entry is the parse result of one file's text (data, depth <= 2 positions, problems, whether
the fast parser read it), serialised with ``marshal``. Its name is a BLAKE2b digest of the text
the parser reads (after UTF-8 decoding and CRLF normalisation) salted with everything that could
change the result: the cache format, dataflow's version, the source of ``yamlparse`` and
``fastparse`` themselves, the parser in use (``DATAFLOW_PARSER``), the yaml_rs, PyYAML and
libyaml versions and Python's version (marshal's format). Modification times and sizes are never
consulted, so a file edited in place keeping both still gets a fresh parse. Each entry repeats
its salt and key in a header that is checked on reading; a missing, short, corrupt or foreign
entry is ignored (and rewritten). Entries are written to a temporary sibling and renamed into
place, so concurrent runs never see half an entry.

Where: ``$DATAFLOW_CACHE_DIR``, else ``$XDG_CACHE_HOME/dataflow/parse``, else
``~/.cache/dataflow/parse``. ``DATAFLOW_CACHE=0`` (or ``off``/``no``/``false``) turns it off; so
does ``--no-cache`` on the command line. The cache holds at most ``MAX_ENTRIES`` entries: when a
run adds entries beyond that, the oldest are removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

FORMAT = 1
MAGIC = b"DFPC\x00\x01\r\n"
MAX_ENTRIES = 4000
# results this large are cheaper to reparse than to keep around
MAX_TEXT_CHARS = 64 * 1024 * 1024
CACHE_ENV = "DATAFLOW_CACHE"
CACHE_DIR_ENV = "DATAFLOW_CACHE_DIR"
_OFF = {"0", "off", "no", "false"}


def enabled() -> bool:
    return os.environ.get(CACHE_ENV, "").strip().lower() not in _OFF


def default_dir() -> Path:
    explicit = os.environ.get(CACHE_DIR_ENV)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dataflow" / "parse"


def _salt() -> bytes:
    import yaml

    from . import __version__, fastparse, yamlparse

    h = hashlib.blake2b(digest_size=16)
    parts = [str(FORMAT), __version__, sys.version, str(marshal.version),
             "fast" if fastparse.enabled() else "libyaml", str(fastparse.YAML_RS_VERSION),
             yaml.__version__, str(getattr(yaml, "__with_libyaml__", False))]
    try:
        from yaml import _yaml

        parts.append(str(_yaml.get_version_string()))
    except ImportError:  # pragma: no cover - without libyaml
        parts.append("no-libyaml")
    for part in parts:
        h.update(part.encode() + b"\x00")
    for module in (yamlparse, fastparse, sys.modules[__name__]):
        h.update(Path(module.__file__ or "").read_bytes())
    return h.digest()


class ParseCache:
    """Parse results by content; ``get`` and ``put`` never raise."""

    def __init__(self, folder: str | os.PathLike[str] | None = None) -> None:
        self.folder = Path(folder) if folder is not None else default_dir()
        self.salt = _salt()
        self.hits = 0
        self.misses = 0
        self._written = 0

    def key(self, text: str) -> bytes:
        h = hashlib.blake2b(digest_size=16, key=self.salt)
        h.update(text.encode("utf-8", "surrogatepass"))
        return h.digest()

    def _path(self, key: bytes) -> Path:
        name = key.hex()
        return self.folder / name[:2] / name[2:]

    def get(self, key: bytes) -> Any:
        """The plain parse result stored under ``key``, or None."""
        try:
            blob = self._path(key).read_bytes()
        except OSError:
            self.misses += 1
            return None
        head = MAGIC + self.salt + key
        if not blob.startswith(head):
            self.misses += 1
            return None
        try:
            value = marshal.loads(memoryview(blob)[len(head):])
        except (EOFError, ValueError, TypeError):
            self.misses += 1
            return None
        if not (isinstance(value, tuple) and len(value) == 4):
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, key: bytes, plain: tuple[Any, ...]) -> None:
        path = self._path(key)
        try:
            payload = marshal.dumps(plain)
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(MAGIC + self.salt + key + payload)
                os.replace(tmp, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
            self._written += 1
        except (OSError, ValueError):
            return  # a read-only or full disk only costs speed

    def prune(self, max_entries: int = MAX_ENTRIES) -> None:
        """Remove the oldest entries beyond ``max_entries`` (only after this run wrote some)."""
        if not self._written:
            return
        try:
            entries = [(e.stat().st_mtime, e.path) for d in os.scandir(self.folder)
                       if d.is_dir() for e in os.scandir(d.path) if e.is_file()]
        except OSError:
            return
        if len(entries) <= max_entries:
            return
        entries.sort()
        for _, p in entries[:len(entries) - max_entries]:
            with contextlib.suppress(OSError):
                os.unlink(p)
