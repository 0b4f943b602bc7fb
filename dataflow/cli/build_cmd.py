"""`dataflow build`: the whole folder — diagrams, inventory, filing packs, HTML report, JSON."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

import click

from ..api import envelope
from ..build import BuildError, BuildOptions, BuildResult, build, check_folder, write_folder
from ..catalog import CatalogueError
from ..regimes.base import CheckOptions
from ..render.diagram import DiagramError
from ..render.documents import ReportError
from ..render.pdf import PdfUnavailable
from ..transfers import UnknownArea
from .check_cmd import _areas, check_options
from .common import (
    EXIT_FINDINGS,
    EXIT_INVALID,
    EXIT_OK,
    load_or_exit,
    model_options,
    new_progress,
)
from .output import _clean, dumps_json

SUMMARY_ROWS = 8
QUIET_TIERS = (None, "none", "below-threshold", "exempt")


@click.command("build")
@click.argument("path", type=click.Path())
@click.option("-o", "--output", default="out", show_default=True, metavar="DIR",
              help="The folder to write; a previous build there is replaced whole.")
@click.option("--area", "areas", multiple=True, metavar="AREA", help="Limit to these areas.")
@click.option("--pdf", is_flag=True, help="Also write report.pdf and a PDF of each HTML "
              "document (needs the pdf extra: WeasyPrint).")
@click.option("--fail-on", type=click.Choice(["error", "warning"]), default="error",
              show_default=True)
@click.option("--format", "fmt", type=click.Choice(["human", "json"]), default="human",
              show_default=True, help="Format of the summary printed on stdout.")
@click.option("--force", is_flag=True, help="Replace DIR even if it holds files that are not a "
              "dataflow build.")
@check_options
@model_options
def build_cmd(path: str, output: str, areas: tuple[str, ...], pdf: bool, fail_on: str, fmt: str,
              force: bool, warn_expiring: int, count_exempt: bool, split_sa: bool,
              as_of: str | None, max_file_size: str, verbose: bool, quiet: bool) -> None:
    """Write everything about a model into one folder: diagrams, transfer inventory, the
    filing packs that apply, a self-contained HTML report, transfers.json and check.json.
    Exits like `check`: 0, 1 on findings, 2 on an invalid model (then nothing is written)."""
    out = Path(output)
    try:
        target = check_folder(out, Path(path), force=force)
    except BuildError as exc:
        _usage(str(exc))
    progress = new_progress(quiet, verbose)
    model = load_or_exit(path, as_of, max_file_size, quiet=quiet or fmt != "human",
                         verbose=verbose, progress=progress)
    opts = BuildOptions(areas=_areas(areas), pdf=pdf,
                        check=CheckOptions(count_exempt=count_exempt, split_sa=split_sa,
                                           warn_expiring_days=warn_expiring))
    progress.stage("build", "analysing, checking, rendering")
    try:
        res = build(model, opts)
    except PdfUnavailable as exc:
        progress.clear()
        _usage(str(exc))
    except (DiagramError, ReportError, CatalogueError, UnknownArea) as exc:
        progress.clear()
        _usage(str(exc))
    progress.stage("output", f"writing {output}")
    try:
        write_folder(res.files, target)
    except (BuildError, OSError) as exc:
        progress.clear()
        _usage(f"cannot write {output}: {exc}")
    progress.done()
    for w in res.warnings:
        sys.stderr.write(f"warning: {_clean(w)}\n")
    failing = res.failing(fail_on)
    code = EXIT_FINDINGS if failing else EXIT_OK
    if fmt == "json":
        sys.stdout.write(dumps_json(summary_json(res, output, code)))
    elif not quiet:
        sys.stdout.write(render_build_human(res, output, fail_on))
    sys.exit(code)


def _usage(message: str) -> Any:
    sys.stderr.write(f"dataflow build: {_clean(message)}; nothing written\n")
    sys.exit(EXIT_INVALID)


def summary_json(res: BuildResult, output: str, code: int) -> dict[str, Any]:
    doc = envelope(res.result.model)
    doc["output"] = output
    doc["areas"] = list(res.check_doc["areas"])
    doc["summary"] = res.check_doc["summary"]
    doc["files"] = [{"path": f.path, "kind": f.kind, "label": f.label, "bytes": len(f.data),
                     "sha256": f.sha256} for f in res.files]
    doc["warnings"] = list(res.warnings)
    doc["exit_code"] = code
    return doc


def render_build_human(res: BuildResult, output: str, fail_on: str = "error") -> str:
    doc = res.check_doc
    s = doc["summary"]
    model = res.result.model
    folder = output.rstrip("/") + "/"
    lines = [f"{_clean(model.name)} — as of {doc['evaluation_date']} — areas: "
             f"{', '.join(doc['areas']) or 'none'}",
             f"{s['transfers']} transfer(s), {s['possible_transfers']} possible; {s['errors']} "
             f"error(s), {s['warnings']} warning(s), {s['waived']} waived"]
    rows = sorted(doc["exporters"], key=lambda r: r.get("tier") in QUIET_TIERS)
    for r in rows[:SUMMARY_ROWS]:
        line = f"  [{r['regime']}] {_clean(r['exporter'])}: tier {r['tier']}"
        if r.get("tier_crossed_on"):
            line += f" (reached {r['tier_crossed_on']})"
        if r.get("authority"):
            line += f"; file with {_clean(r['authority'])}"
            if r.get("authority_en"):
                line += f" ({_clean(r['authority_en'])})"
        lines.append(line)
    if len(rows) > SUMMARY_ROWS:
        lines.append(f"  … {len(rows) - SUMMARY_ROWS} more exporter row(s): see the filing plan "
                     "in the report")
    kinds = Counter(f.kind for f in res.files)
    lines.append(f"wrote {len(res.files)} file(s) to {folder}:")
    lines.append(f"  {folder}report.html  the report: open it in a browser")
    if res.file("report.pdf"):
        lines.append(f"  {folder}report.pdf   the report to print")
    lines.append(f"  {folder}check.json, transfers.json, transfers.csv")
    diagrams = sorted({f.path.rsplit('.', 1)[0].split('/')[-1] for f in res.files
                       if f.kind == "diagram"})
    fmts = sorted({f.path.rsplit('.', 1)[-1] for f in res.files if f.kind == "diagram"})
    if diagrams:
        lines.append(f"  {folder}diagrams/  {', '.join(diagrams)} ({', '.join(fmts)})")
    stems: dict[str, set[str]] = {}
    for f in res.files:
        if f.kind == "document":
            stem = f.path.split("/", 1)[1].rsplit(".", 1)[0]
            stems.setdefault(stem.split("_", 1)[0], set()).add(stem)
    if stems:
        parts = [f"{t} ×{len(v)}" if len(v) > 1 else t for t, v in stems.items()]
        extra = f" (+{kinds['pdf'] - (1 if res.file('report.pdf') else 0)} PDF)" \
            if kinds.get("pdf") else ""
        lines.append(f"  {folder}documents/ {', '.join(parts)}{extra}")
    failing = res.failing(fail_on)
    if failing:
        what = "error" if fail_on == "error" else "error or warning"
        lines.append(f"exit 1: {len(failing)} {what} finding(s) not waived; see Findings in "
                     "the report, or run `dataflow check`")
    return "\n".join(lines) + "\n"
