"""`dataflow check --format json|sarif` streams its document: the bytes must be exactly those
of the one-shot writer, and a failure half-way must leave no partial file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dataflow.api import envelope, load
from dataflow.check import all_finding_codes, check, check_document, check_json
from dataflow.cli.check_cmd import write_chunks
from dataflow.jsonio import Lazy, dumps_json, iter_json, materialise
from dataflow.render.sarif import sarif_document, to_sarif

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if p.is_dir())
FIXTURES = sorted((ROOT / "tests" / "regimes" / "fixtures").glob("*.yaml"))


def _stream(doc: Any) -> bytes:
    return b"".join(iter_json(doc))


@pytest.mark.parametrize("path", EXAMPLES + FIXTURES[:6], ids=lambda p: p.name)
def test_streamed_check_and_sarif_equal_the_one_shot_documents(path: Path) -> None:
    model = load(path)
    result = check(model)
    old = dumps_json(check_json(result, envelope(model))).encode("utf-8")
    assert _stream(check_document(result, envelope(model))) == old
    codes = all_finding_codes()
    old_sarif = dumps_json(to_sarif(result.findings, codes, "9.9")).encode("utf-8")
    assert _stream(sarif_document(result.findings, codes, "9.9")) == old_sarif


@pytest.mark.parametrize("doc", [
    {"a": Lazy([]), "b": 1},
    {"a": Lazy(iter(range(1000))), "z": {"deep": [1, {"x": Lazy([{"k": "v"}] * 3)}]}},
    {"b": Lazy({"n": i, "s": "中文 \"q\" \n\t", "l": [], "d": {}} for i in range(600))},
    {"big": Lazy([2 ** 70, {"x": 2 ** 65}, 3]), "small": [Lazy([1, 2])]},
    [Lazy([]), Lazy([[], {}, None, 1.5, True])],
    Lazy([{"a": [1, [2, [3]]]}] * 257),
    {"plain": {"no": ["lazy", "here"]}},
], ids=lambda d: str(type(d).__name__))
def test_iter_json_is_dumps_json_byte_for_byte(doc: Any) -> None:
    # Lazy items are consumed once: build the expected bytes from a fresh copy
    plain = materialise(_rebuild(doc))
    assert _stream(_rebuild(doc)) == dumps_json(plain).encode("utf-8")


def _rebuild(doc: Any) -> Any:
    """The same document with every Lazy list freshly re-iterable (generators run once)."""
    if isinstance(doc, Lazy):
        items = list(doc.items)
        doc.items = items
        return Lazy(list(items))
    if isinstance(doc, dict):
        return {k: _rebuild(v) for k, v in doc.items()}
    if isinstance(doc, list):
        return [_rebuild(v) for v in doc]
    return doc


def test_materialise_keeps_containers_without_lazy_lists() -> None:
    inner = {"k": [1, 2]}
    out = materialise({"a": inner, "b": Lazy(x for x in (1, 2))})
    assert out == {"a": {"k": [1, 2]}, "b": [1, 2]} and out["a"] is inner


def _failing(after: int) -> Iterator[bytes]:
    for i in range(after):
        yield b"x" * 1000 + str(i).encode()
    raise RuntimeError("converting an item failed")


def test_failure_half_way_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "check.json"
    target.write_bytes(b"old contents\n")
    with pytest.raises(RuntimeError):
        write_chunks(str(target), _failing(50))
    assert target.read_bytes() == b"old contents\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["check.json"]
    fresh = tmp_path / "sub" / "new.json"
    with pytest.raises(RuntimeError):
        write_chunks(str(fresh), _failing(3))
    assert not fresh.exists() and list(fresh.parent.iterdir()) == []


def test_successful_write_has_umask_permissions(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    old = os.umask(0o022)
    try:
        write_chunks(str(target), iter([b"{", b"}\n"]))
    finally:
        os.umask(old)
    assert target.read_bytes() == b"{}\n"
    assert target.stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_cli_stdout_and_file_hold_the_same_bytes(tmp_path: Path, fmt: str) -> None:
    example = EXAMPLES[0]
    out = tmp_path / f"check.{fmt}"
    base = [sys.executable, "-m", "dataflow", "check", str(example), "--format", fmt]
    to_file = subprocess.run([*base, "-o", str(out)], capture_output=True, cwd=ROOT,
                             check=False)
    to_stdout = subprocess.run(base, capture_output=True, cwd=ROOT, check=False)
    assert to_file.returncode == to_stdout.returncode
    assert out.read_bytes() == to_stdout.stdout
    json.loads(to_stdout.stdout)
    model = load(example)
    result = check(model)
    if fmt == "json":
        expected = dumps_json(check_json(result, envelope(model)))
    else:
        from dataflow import __version__
        expected = dumps_json(to_sarif(result.findings, all_finding_codes(), __version__))
    assert to_stdout.stdout == expected.encode("utf-8")


def _human_reference(doc: dict[str, Any]) -> str:
    """The human check report as rendered before streaming: one rich print per line."""
    import io

    from rich.console import Console

    from dataflow.cli.output import _clean

    buf = io.StringIO()
    c = Console(file=buf, width=100, color_system=None, force_terminal=False)

    def p(text: str = "") -> None:
        c.print(_clean(text), markup=False, highlight=False, soft_wrap=True)

    s = doc["summary"]
    p(f"{doc['model']['name']} — as of {doc['evaluation_date']} — areas: "
      f"{', '.join(doc['areas'])}")
    p(f"{s['transfers']} transfer(s), {s['possible_transfers']} possible; {s['errors']} "
      f"error(s), {s['warnings']} warning(s), {s['waived']} waived")
    p()
    p("Filing plan")
    for r in doc["exporters"]:
        line = (f"  [{r['regime']}] {r['exporter']} ({r['name']}), {r['year']}: ordinary "
                f"{r['ordinary']:,}, sensitive {r['sensitive']:,} -> tier {r['tier']}")
        if r.get("tier_crossed_on"):
            line += f" (reached {r['tier_crossed_on']})"
        p(line)
        if r.get("authority"):
            p(f"      file with: {r['authority']} ({r.get('authority_en') or ''})")
    for a in doc["assessments"]:
        mark = ("ok " if a["status"] == "ok" else "ex " if a["status"] in ("exempt", "not-required")
                else "GAP")
        req = " or ".join(a["required"]) or "-"
        p(f"  {mark} {a['transfer']} [{a['regime']}] requires {req}"
          + (f"; declared {', '.join(a['declared'])}" if a["declared"] else ""))
        if a.get("filing", {}).get("rule"):
            p(f"      {a['filing']['rule']}")
    p()
    p("Findings")
    for f in doc["findings"]:
        where = f"{f['file']}:{f['line']}:{f['col']}: " if f.get("file") else ""
        waived = f" (waived by {f['waived_by']})" if f.get("waived_by") else ""
        p(f"  {where}{f['severity']} {f['code']} {f['message']}{waived}")
        if f.get("citation"):
            p(f"      citation: {f['citation']}")
        if f.get("hint"):
            p(f"      hint: {f['hint']}")
    return "\n".join(line.rstrip() for line in buf.getvalue().splitlines()) + "\n"


def test_human_stream_matches_rich_per_line() -> None:
    """Lines with emoji codes, control and bidi characters, tabs, wide and trailing blanks:
    the streamed text equals rich's per-line rendering, in several pieces."""
    from dataflow.cli import check_cmd

    tricky = ["plain", "a: b", ":smile: done", "x :thumbs_up:\t", "bidi \u202e evil",
              "line\nbreak", "cr\r\n", "中文 " * 40, "trailing   ", "", ":not_an_emoji:",
              "[bold]markup[/bold]", "a:\u2028:b", "\x1b[31mred"]
    findings = [{"file": "f.yaml" if i % 2 else None, "line": i, "col": 1,
                 "severity": "error", "code": "X1", "message": m, "waived_by": None,
                 "citation": m or None, "hint": m} for i, m in enumerate(tricky * 200)]
    doc = {"model": {"name": "m :smile:"}, "evaluation_date": "2026-01-01", "areas": ["CN"],
           "summary": {"transfers": 1, "possible_transfers": 0, "errors": 1, "warnings": 0,
                       "waived": 0},
           "exporters": [{"regime": "pipl", "exporter": "e", "name": "n:smile:", "year": 2026,
                          "ordinary": 1, "sensitive": 0, "tier": "t", "authority": "a\u0085"}],
           "assessments": [
               {"status": "gap", "required": [], "transfer": "CN/a/f", "regime": "pipl",
                "declared": ["s:smile:"], "filing": {"rule": "r\t"}}],
           "findings": findings}
    # force every line through the rich path too: the clean-line shortcut must agree
    pieces = list(check_cmd.iter_check_human(doc))
    assert len(pieces) > 1
    old = check_cmd._emoji_replace
    check_cmd._emoji_replace = lambda s: s + "!"  # type: ignore[assignment]
    try:
        via_rich = "".join(check_cmd.iter_check_human(doc))
    finally:
        check_cmd._emoji_replace = old  # type: ignore[assignment]
    assert "".join(pieces) == _human_reference(doc) == via_rich
