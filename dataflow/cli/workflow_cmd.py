"""`dataflow diff`, `dataflow export`, `dataflow import`: models in git, in graph tools and in
spreadsheets."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from .. import __version__
from ..api import SCHEMA_VERSION, envelope, validate_model
from ..catalog import load_catalogue
from ..check import check
from ..diff import TRIGGERS, DiffResult, diff_results, exit_code
from ..export import FORMATS, ExportError, format_for, render
from ..importer import ImportIssue, ImportResult, build, issues_text, read_table
from ..loader import DEFAULT_MAX_FILE_BYTES, ROOT_FILE
from ..regimes.base import CheckOptions
from ..resolve import ResolvedModel
from ..transfers import analyse
from ..yamlparse import parse_yaml
from .check_cmd import check_options
from .common import EXIT_INVALID, EXIT_OK, load_or_exit, model_options, parse_as_of
from .output import atomic_write, dumps_json, write_text

# --------------------------------------------------------------------------- diff


class RevisionError(click.ClickException):
    exit_code = EXIT_INVALID


def _git(args: list[str], cwd: str | None = None, *, binary: bool = False) -> Any:
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise RevisionError("git is not installed; REV:PATH needs git") from exc
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RevisionError(f"git {' '.join(args)}: {msg[-1] if msg else 'failed'}")
    return proc.stdout if binary else proc.stdout.decode("utf-8", "replace").strip()


def split_revision(spec: str) -> tuple[str, str] | None:
    """``REV:PATH`` → (REV, PATH) when ``spec`` is not an existing path and has that shape."""
    if os.path.exists(spec) or ":" not in spec:
        return None
    rev, _, path = spec.partition(":")
    if not rev or (len(rev) == 1 and rev.isalpha() and path.startswith(("\\", "/"))):
        return None  # a Windows drive letter, not a revision
    return rev, path


def _safe_members(tar: tarfile.TarFile, dest: Path) -> list[tarfile.TarInfo]:
    root = dest.resolve()
    out = []
    for m in tar.getmembers():
        target = (dest / m.name).resolve()
        if (m.isfile() or m.isdir()) and (target == root or root in target.parents):
            out.append(m)
    return out


def materialise(spec: str, tmp: Path) -> str:
    """A path to load for ``spec``: the path itself, or the revision's copy in ``tmp``
    (``git show`` for a file, ``git archive`` for a folder)."""
    parsed = split_revision(spec)
    if parsed is None:
        return spec
    rev, path = parsed
    top = _git(["rev-parse", "--show-toplevel"])
    prefix = _git(["rev-parse", "--show-prefix"])
    if path.startswith(("./", "../")) or path in (".", ".."):
        full = os.path.normpath(os.path.join(prefix, path))
    else:
        full = os.path.normpath(path or ".")
    full = "" if full == "." else full.replace(os.sep, "/")
    if full.startswith("../"):
        raise RevisionError(f"{spec}: the path leaves the repository")
    kind = _git(["cat-file", "-t", f"{rev}:{full}"], cwd=top)
    dest = tmp / "rev"
    dest.mkdir(parents=True, exist_ok=True)
    if kind == "blob":
        blob = _git(["show", f"{rev}:{full}"], cwd=top, binary=True)
        root = _root_data(blob)
        if root.get("include") is None:
            target = dest / (Path(full).name or "model.yaml")
            target.write_bytes(blob)
            return str(target)
        # its include globs are relative to its folder: that folder at REV, where git has it
        folder = os.path.dirname(full)
        _archive(rev, folder, top, dest)
        _archive_include_roots(rev, folder, root, top, dest)
        return str(dest / full)
    if kind != "tree":
        raise RevisionError(f"{spec}: not a file or folder in {rev} ({kind})")
    _archive(rev, full, top, dest)
    root_file = dest / full / ROOT_FILE if full else dest / ROOT_FILE
    if root_file.is_file():
        _archive_include_roots(rev, full, _root_data(root_file.read_bytes()), top, dest)
    return str(dest / full) if full else str(dest)


def _archive(rev: str, full: str, top: str, dest: Path) -> None:
    """Extract the folder ``full`` (repository-relative; "" is the top) as it is at ``rev``."""
    data = _git(["archive", "--format=tar", rev, "--", full or "."], cwd=top, binary=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        members = _safe_members(tar, dest)
        tar.extractall(dest, members=members)


def _root_data(blob: bytes) -> dict[str, Any]:
    if len(blob) > DEFAULT_MAX_FILE_BYTES:
        return {}  # not worth parsing here: the loader refuses it (DF101)
    try:
        data = parse_yaml(blob.decode("utf-8-sig")).data
    except UnicodeDecodeError:
        return {}  # the loader reports it on the extracted copy
    return data if isinstance(data, dict) else {}


def _archive_include_roots(rev: str, folder: str, root: dict[str, Any], top: str,
                           dest: Path) -> None:
    """The ``include_roots`` folders of the root file at ``rev`` too, at the same place
    relative to the model, so its includes that leave the model folder read as at ``rev``.
    A folder outside the repository or absent at ``rev`` is left out: the loader then
    reports the include (DF111) as it would in a checkout."""
    roots = root.get("include_roots")
    if isinstance(roots, str):
        roots = [roots]
    if root.get("include") is None or not isinstance(roots, list):
        return
    done: set[str] = set()
    for r in roots:
        if not isinstance(r, str) or os.path.isabs(r):
            continue
        full = os.path.normpath(os.path.join(folder, r)).replace(os.sep, "/")
        full = "" if full == "." else full
        if full in done or full == ".." or full.startswith("../"):
            continue
        done.add(full)
        try:
            kind = _git(["cat-file", "-t", f"{rev}:{full}"], cwd=top)
        except RevisionError:
            continue
        if kind == "tree":
            _archive(rev, full, top, dest)


@contextmanager
def _revisions(*specs: str) -> Iterator[list[str]]:
    with tempfile.TemporaryDirectory(prefix="dataflow-diff-") as tmp:
        out = []
        for i, spec in enumerate(specs):
            out.append(materialise(spec, Path(tmp) / str(i)))
        yield out


def render_diff_human(result: DiffResult, old_label: str, new_label: str) -> str:
    buf = io.StringIO()
    c = Console(file=buf, width=100, color_system=None, force_terminal=False)

    def p(text: str = "") -> None:
        c.print(text, markup=False, highlight=False, soft_wrap=True)

    doc = result.to_json()
    o, n = doc["old"], doc["new"]
    p(f"dataflow diff — {n['name']}")
    p(f"  old: {old_label} ({o['digest'][:19]}…, {o['transfers']} transfer(s), as of "
      f"{o['evaluation_date']})")
    p(f"  new: {new_label} ({n['digest'][:19]}…, {n['transfers']} transfer(s), as of "
      f"{n['evaluation_date']})")
    p(f"  transfers added: {len(doc['transfers_added'])}, removed: "
      f"{len(doc['transfers_removed'])}")
    p()
    if not result.changes:
        p("No changes to transfers, counts or filings.")
    for ch in result.changes:
        mark = "FILING" if ch.filing_required else "info  "
        p(f"{mark} [{ch.kind}] {ch.message}")
        if ch.action:
            p(f"       action: {ch.action}")
        elif ch.trigger in TRIGGERS:
            p(f"       action: {TRIGGERS[ch.trigger]}")
        if ch.trigger != "none":
            p(f"       trigger: {ch.trigger}" + (f" — {ch.citation}" if ch.citation else ""))
    p()
    filings = doc["summary"]["filings"]
    if filings:
        p(f"{filings} change(s) require a new filing, re-filing or re-declaration "
          f"({', '.join(doc['summary']['triggers'])}): exit 1")
    else:
        p("No change requires a new filing: exit 0")
    return "\n".join(line.rstrip() for line in buf.getvalue().splitlines()) + "\n"


@click.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("--area", "areas", multiple=True, metavar="AREA", help="Limit to these areas.")
@click.option("--format", "fmt", type=click.Choice(["human", "json"]), default="human",
              show_default=True)
@click.option("-o", "--output", default=None, help="Write to a file instead of stdout.")
@check_options
@model_options
def diff_cmd(old: str, new: str, areas: tuple[str, ...], fmt: str, output: str | None,
             warn_expiring: int, count_exempt: bool, split_sa: bool, as_of: str | None,
             max_file_size: str, verbose: bool, quiet: bool) -> None:
    """Compare two versions of a model and name the filing each change triggers.

    OLD and NEW are model paths, or git revisions written REV:PATH (e.g.
    HEAD~1:examples/game-publisher; PATH is relative to the repository root, or to the current
    folder when it starts with ./). Reports transfers added and removed, exporter counts that
    crossed a PIPL tier, new categories, new onward recipients, changed storage location or
    retention, each with its re-filing trigger (SCC Measures Art. 8, SA Measures Art. 14).

    Exit 1 when a change requires a new filing, re-filing or re-declaration; 0 otherwise;
    2 when a model is invalid or a revision cannot be read.
    """
    opts = CheckOptions(count_exempt=count_exempt, split_sa=split_sa,
                        warn_expiring_days=warn_expiring)
    with _revisions(old, new) as (old_path, new_path):
        results = []
        for path in (old_path, new_path):
            model = load_or_exit(path, as_of, max_file_size, quiet=True, verbose=verbose)
            results.append(check(model, analyse(model, areas or None), options=opts))
    result = diff_results(results[0], results[1])
    if fmt == "json":
        doc = result.to_json(envelope(results[1].model))
        doc["old"]["path"], doc["new"]["path"] = old, new
        write_text(output, dumps_json(doc))
    else:
        write_text(output, render_diff_human(result, old, new))
    sys.exit(exit_code(result))


# --------------------------------------------------------------------------- export


@click.command("export")
@click.argument("path", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="yaml: one canonical file that reloads to the same model (same digest); "
              "json: the same as JSON; graphml / gexf: the system graph for yEd, Gephi, "
              "Cytoscape. Default: from the -o extension, else yaml.")
@click.option("-o", "--output", default=None, help="Write to a file instead of stdout.")
@model_options
def export_cmd(path: str, fmt: str | None, output: str | None, as_of: str | None,
               max_file_size: str, verbose: bool, quiet: bool) -> None:
    """Export a model: canonical single-file YAML or JSON, or a GraphML / GEXF graph."""
    chosen = format_for(output, fmt)
    model = load_or_exit(path, as_of, max_file_size, quiet=True, verbose=verbose)
    try:
        text = render(model, chosen)
    except ExportError as exc:  # pragma: no cover - guarded by the round-trip tests
        click.echo(f"export failed: {exc}", err=True)
        sys.exit(EXIT_INVALID)
    write_text(output, text)
    if output and output != "-" and not quiet:
        click.echo(f"wrote {output} ({chosen})", err=True)
    sys.exit(EXIT_OK)


# --------------------------------------------------------------------------- import


def _validation_issues(result: ImportResult, diags: list[Any], tmp: Path) -> list[ImportIssue]:
    """Diagnostics of the generated folder, pointed back at the sheet's rows and columns."""
    out: list[ImportIssue] = []
    for d in diags:
        path = tuple(d.path or ())
        row: int | None = None
        col: tuple[str, str] | None = None
        if len(path) >= 2:
            origin = result.origins.get((str(path[0]), str(path[1])))
            if origin is not None:
                row, fields = origin
                if len(path) >= 3:
                    col = fields.get(str(path[2]))
                col = col or fields.get("id")
        msg = d.message
        if row is None and d.file:
            msg += f" (in {os.path.relpath(d.file, tmp)}:{d.line or 0})"
        out.append(ImportIssue(d.severity, f"{d.code} {msg}", row, col[0] if col else None,
                               col[1] if col else None, d.hint))
    return out


@click.command("import")
@click.argument("inventory", type=click.Path())
@click.option("-o", "--output", "outdir", required=True, metavar="DIR",
              help="Folder to create the model in.")
@click.option("--name", default=None, help="Model name (default: a model row, else the file "
              "name).")
@click.option("--evaluation-date", default=None, metavar="YYYY-MM-DD",
              help="The model's evaluation date (default: a model row, else today).")
@click.option("--sheet", default=None, help="XLSX: the sheet to read (default: the first).")
@click.option("--force", is_flag=True, help="Write into DIR even if it holds files (the "
              "generated files are replaced).")
@click.option("--format", "fmt", type=click.Choice(["human", "json"]), default="human",
              show_default=True, help="How to report problems and the result.")
def import_cmd(inventory: str, outdir: str, name: str | None, evaluation_date: str | None,
               sheet: str | None, force: bool, fmt: str) -> None:
    """Create a model folder from a spreadsheet inventory (CSV or XLSX) of systems and flows.

    One header row; a `type` column says what each row is (system, flow, entity, cohort,
    category, access, model). Columns are listed in docs/cli.md. Problems are reported with
    row and column; nothing is written until the generated model validates. Exit 0 when
    written, 2 on errors.
    """
    day = parse_as_of(evaluation_date) if evaluation_date else None
    src = Path(inventory)
    issues: list[ImportIssue] = []
    model: ResolvedModel | None = None  # the generated model, once it validates

    def finish(ok: bool, written: dict[str, int] | None = None) -> None:
        if fmt == "json":
            # the JSON-contract head (outputs.md): the written model's, else like `validate`
            # of an invalid model, `model: null`, since no model exists to name
            head: dict[str, object] = envelope(model) if model is not None else {
                "schema_version": SCHEMA_VERSION, "tool_version": __version__,
                "catalogue_version": load_catalogue().version, "model": None}
            doc = {**head, "source": inventory, "output": outdir if ok else None, "ok": ok,
                   "issues": [i.to_json(inventory) for i in issues],
                   "counts": written or {}}
            write_text(None, dumps_json(doc))
        else:
            if issues:
                sys.stderr.write(issues_text(issues, inventory) + "\n")
            if ok:
                parts = ", ".join(f"{v} {k}" for k, v in (written or {}).items() if v)
                sys.stderr.write(f"wrote {outdir} ({parts}); it validates — next: dataflow "
                                 f"check {outdir}\n")
            else:
                errors = sum(1 for i in issues if i.severity == "error")
                sys.stderr.write(f"{inventory}: {errors} error(s); nothing written\n")
        sys.exit(EXIT_OK if ok else EXIT_INVALID)

    if not src.is_file():
        issues.append(ImportIssue("error", "no such file"))
        finish(False)
    try:
        rows = read_table(src, sheet)
    except UnicodeDecodeError as exc:
        issues.append(ImportIssue("error", f"not valid UTF-8 (byte {exc.start}); save the "
                                  "sheet as CSV UTF-8"))
        finish(False)
    except (OSError, KeyError, ValueError) as exc:
        issues.append(ImportIssue("error", f"cannot read the sheet: {exc}"))
        finish(False)
    result = build(rows, name=name or src.stem.replace("_", " ").replace("-", " "),
                   evaluation_date=day or dt.date.today())
    issues.extend(result.issues)
    if not result.ok:
        finish(False)
    target = Path(outdir)
    if target.exists() and not target.is_dir():
        issues.append(ImportIssue("error", f"{outdir} exists and is not a folder"))
        finish(False)
    if target.is_dir() and any(target.iterdir()) and not force:
        issues.append(ImportIssue("error", f"{outdir} is not empty", hint="choose a new "
                                  "folder, or pass --force to replace the generated files"))
        finish(False)
    with tempfile.TemporaryDirectory(prefix="dataflow-import-") as tmp:
        tmpdir = Path(tmp)
        for fname, text in result.files.items():
            (tmpdir / fname).write_text(text, encoding="utf-8")
        check_run = validate_model(tmpdir)
        problems = [d for d in check_run.diagnostics if d.severity == "error"]
        if problems or check_run.model is None:
            issues.extend(_validation_issues(result, problems, tmpdir))
            finish(False)
        model = check_run.model
        target.mkdir(parents=True, exist_ok=True)
        for fname in result.files:
            atomic_write(target / fname, (tmpdir / fname).read_bytes())
    finish(True, {k: v for k, v in result.counts.items()})


__all__ = ["diff_cmd", "export_cmd", "import_cmd", "materialise"]
