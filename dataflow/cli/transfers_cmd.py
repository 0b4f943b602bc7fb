"""`dataflow transfers`: every path by which data leaves an area."""

from __future__ import annotations

import io
import sys
from typing import Any

import click
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..api import envelope
from ..loader import suggest
from ..render.tables import transfers_csv
from ..transfers import UnknownArea, analyse, analysis_json
from .common import EXIT_INVALID, EXIT_OK, load_or_exit, model_options, new_progress
from .output import dumps_json, write_text


@click.command("transfers")
@click.argument("path", type=click.Path())
@click.option("--area", "areas", multiple=True, metavar="AREA",
              help="CN, EEA, UK or a jurisdiction code (repeatable); default: every area the "
              "model touches.")
@click.option("--category", default=None, help="Only transfers carrying this category (or a "
              "descendant).")
@click.option("--exporter", default=None, help="Only transfers of this exporter (entity id).")
@click.option("--format", "fmt", type=click.Choice(["human", "json", "csv"]), default="human",
              show_default=True)
@click.option("-o", "--output", default=None, help="Write to a file instead of stdout.")
@model_options
def transfers_cmd(path: str, areas: tuple[str, ...], category: str | None, exporter: str | None,
                  fmt: str, output: str | None, as_of: str | None, max_file_size: str,
                  verbose: bool, quiet: bool) -> None:
    """List every transfer out of each area: direct, through intermediaries, onward, and by
    remote access, with exporter, recipient, data and distinct individuals."""
    progress = new_progress(quiet, verbose)
    model = load_or_exit(path, as_of, max_file_size, quiet=quiet or fmt != "human",
                         verbose=verbose, progress=progress)
    # a mistyped filter would read as "no transfers": refuse it, as `why` and `report` do
    for option, value, known, what in (("--category", category, model.categories, "category"),
                                       ("--exporter", exporter, model.entities, "entity")):
        if value is not None and value not in known:
            progress.clear()
            guess = suggest(value, known)
            click.echo(f"error: {option}: unknown {what} '{value}'"
                       + (f"; did you mean '{guess}'?" if guess else ""), err=True)
            sys.exit(EXIT_INVALID)
    progress.stage("analysis", "analysing")
    try:
        analysis = analyse(model, areas or None, category=category, exporter=exporter)
    except UnknownArea as exc:
        progress.clear()
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_INVALID)
    progress.stage("output", "writing")
    doc = analysis_json(analysis, envelope(model))
    progress.clear()
    if fmt == "json":
        write_text(output, dumps_json(doc))
    elif fmt == "csv":
        write_text(output, transfers_csv(doc))
    else:
        write_text(output, render_human(doc))
        if analysis.diagnostics and not quiet:
            from .output import format_human
            sys.stderr.write(format_human(analysis.diagnostics) + "\n")
    progress.done()
    sys.exit(EXIT_OK)


def _people(ind: dict[str, Any]) -> str:
    s = f"{ind['total']:,}"
    if ind.get("sensitive"):
        s += f"\n{ind['sensitive']:,} (S)"
    if ind.get("method") == "bounds":
        s += f" [{ind['lower']:,}-{ind['upper']:,}]"
    return s


def render_human(doc: dict[str, Any]) -> str:
    buf = io.StringIO()
    console = Console(file=buf, width=80, color_system=None, force_terminal=False,
                      legacy_windows=False)
    head = (f"{doc['model']['name']} — as of {doc['evaluation_date']} — areas: "
            f"{', '.join(doc['areas']) or 'none'}")
    console.print(head, markup=False, highlight=False)
    for title, rows in (("Transfers", doc["transfers"]),
                        ("Possible transfers (location unknown)", doc["possible_transfers"])):
        if not rows and title.startswith("Possible"):
            continue
        table = Table(title=f"{title}: {len(rows)}", title_justify="left", expand=True,
                      show_lines=True, box=box.SIMPLE_HEAD, pad_edge=False)
        table.add_column("transfer, path", overflow="fold", ratio=5)
        table.add_column("exporter → recipient, data", overflow="fold", ratio=5)
        table.add_column("people", justify="right", overflow="fold", ratio=2)
        for t in rows:
            rec = t["recipient"]
            # flags under the path, where the column is wide enough for "direct-collection"
            flags = f"\n[{', '.join(t['flags'])}]" if t["flags"] else ""
            table.add_row(*(Text(cell) for cell in (
                f"{t['id']}\n" + " > ".join(t["path"]) + flags,
                f"{t['exporter']['entity']} → {rec['entity']} ({rec['jurisdiction']}, "
                f"{rec['role']}) via {t['sender']['entity']}\n"
                + ", ".join(c["id"] + (" (S)" if c["sensitive"] else "")
                            for c in t["categories"]),
                _people(t["individuals"]))))
        console.print(table)
    if doc["not_transfers"]:
        console.print("Not transfers:", markup=False, highlight=False)
        for n in doc["not_transfers"]:
            console.print(f"  {n['area']} {n['edge']}: {n['reason']}", markup=False,
                          highlight=False)
    console.print("(S) sensitive personal information (PIPL Art. 28)", markup=False,
                  highlight=False)
    return "\n".join(line.rstrip() for line in buf.getvalue().splitlines()) + "\n"
