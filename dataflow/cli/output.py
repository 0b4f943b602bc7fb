"""Formatting diagnostics and writing outputs for the terminal: human, json, github."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

import click

from ..diagnostics import Diagnostic
from ..jsonio import dumps_json as dumps_json  # re-exported for the commands

SCHEMA_VERSION = "1"


def _line_of(file: str, line: int, cache: dict[str, list[str]]) -> str | None:
    if file not in cache:
        try:
            cache[file] = Path(file).read_text(encoding="utf-8-sig", errors="replace").splitlines()
        except OSError:
            cache[file] = []
    lines = cache[file]
    return lines[line - 1] if 0 < line <= len(lines) else None


def _clean(text: str) -> str:
    """Control and bidi characters from a model cannot reorder or hide terminal output."""
    return "".join(c if c.isprintable() or c == " " else f"\\u{ord(c):04x}" for c in text)


def format_human(diags: Iterable[Diagnostic], color: bool = False) -> str:
    cache: dict[str, list[str]] = {}
    out: list[str] = []
    for d in diags:
        sev = d.severity
        label = click.style(sev, fg={"error": "red", "warning": "yellow"}.get(sev, "blue"),
                            bold=True) if color else sev
        out.append(f"{_clean(d.location())}: {label} {d.code} {_clean(d.message)}")
        if d.file and d.line:
            src = _line_of(d.file, d.line, cache)
            if src is not None and len(src) <= 400:
                src = src.replace("\t", " ")
                out.append(f"  {d.line:>5} | {_clean(src)}")
                if d.col:
                    out.append(f"        | {' ' * (d.col - 1)}^")
        if d.hint:
            out.append(f"        = hint: {_clean(d.hint)}")
        for r in d.related:
            where = f"{r.file}:{r.line}:{r.col}" if r.file else ""
            out.append(f"        = note: {_clean(r.message)} {where}".rstrip())
    return "\n".join(out)


def format_github(diags: Iterable[Diagnostic]) -> str:
    lines = []
    for d in diags:
        level = {"error": "error", "warning": "warning"}.get(d.severity, "notice")
        props = []
        if d.file:
            props.append(f"file={_gh_escape_prop(d.file)}")
        if d.line:
            props.append(f"line={d.line}")
        if d.col:
            props.append(f"col={d.col}")
        props.append(f"title={_gh_escape_prop(d.code)}")
        msg = d.message + (f" (hint: {d.hint})" if d.hint else "")
        lines.append(f"::{level} {','.join(props)}::{_gh_escape_data(msg)}")
    return "\n".join(lines)


def _gh_escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_escape_prop(s: str) -> str:
    return _gh_escape_data(s).replace(":", "%3A").replace(",", "%2C")




def write_text(path: str | None, text: str) -> None:
    """Write to stdout, or atomically to a file (a failure leaves any old file untouched)."""
    if path is None or path == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    atomic_write(Path(path), text.encode("utf-8"))


def atomic_write(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write ``data`` (bytes, or pieces of it) to ``path`` through a temporary sibling renamed
    over it once the last piece is written: a failure half-way leaves any old file untouched
    and no temporary behind."""
    pieces: Iterable[bytes] = (data,) if isinstance(data, bytes) else data
    if path.exists() and not path.is_file():
        # a device, pipe or socket (-o /dev/null, -o /dev/stdout): write through, never
        # rename over it
        if path.is_dir():
            raise IsADirectoryError(f"{path} is a folder")
        with open(path, "wb") as fh:
            for piece in pieces:
                fh.write(piece)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp creates 0600; an output file gets the usual permissions under the umask
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        with os.fdopen(fd, "wb") as fh:
            for piece in pieces:
                fh.write(piece)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
