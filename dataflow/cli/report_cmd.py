"""`dataflow report`: filing-ready documents (Markdown, HTML, CSV, XLSX) from the templates."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..check import check
from ..regimes.base import CheckOptions
from ..render.documents import (
    FORMATS,
    RenderedFile,
    ReportError,
    list_templates,
    name_collisions,
    render_report,
    safe_file_name,
)
from ..transfers import analyse
from .common import EXIT_INVALID, EXIT_OK, load_or_exit, model_options
from .output import atomic_write


def _print_list() -> None:
    rows = [(t.name, ", ".join(t.formats), ", ".join(t.langs), t.description)
            for t in list_templates()]
    width = max(len(r[0]) for r in rows)
    fw = max(len(r[1]) for r in rows)
    lw = max(len(r[2]) for r in rows)
    click.echo(f"{'template':<{width}}  {'formats':<{fw}}  {'languages':<{lw}}  description")
    for name, fmts, langs, desc in rows:
        click.echo(f"{name:<{width}}  {fmts:<{fw}}  {langs:<{lw}}  {desc}")
    click.echo("\nA custom template: --template path/to/file.md.j2 (docs/templates.md lists the "
               "context it receives).")


def _usage(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_INVALID)


def write_files(files: list[RenderedFile], out_dir: Path) -> list[Path]:
    """Write rendered files into ``out_dir``; every path stays inside it (names are sanitised
    again here, extensions kept), each file is replaced atomically. Two documents that would
    land in one file are refused (:class:`ReportError`) before anything is written."""
    root = out_dir.resolve()
    targets = []
    for f in files:
        name = safe_file_name(f.name)
        target = (root / name).resolve()
        if target.parent != root:
            raise ReportError(f"refusing to write '{f.name}' outside {root}")
        targets.append((target, f.data))
    clash = name_collisions(t.name for t, _ in targets)
    if clash:
        raise ReportError(f"two documents would be written to one file ({clash[0]}); "
                          "nothing written")
    root.mkdir(parents=True, exist_ok=True)
    written = []
    for target, data in targets:
        atomic_write(target, data)
        written.append(target)
    return written


@click.command("report")
@click.argument("path", type=click.Path(), required=False)
@click.option("--template", "-t", "template", metavar="NAME|FILE",
              help="A built-in template (see --list) or a Jinja2 template file.")
@click.option("--list", "list_", is_flag=True, help="List the built-in templates and exit.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
              help="Language (PIPL documents default to zh, the others to en; GDPR documents "
              "are in English).")
@click.option("--exporter", metavar="ID", default=None,
              help="Only transfers of this exporter (or sent by it).")
@click.option("--recipient", metavar="ID", default=None, help="Only transfers to this recipient.")
@click.option("--format", "fmt", type=click.Choice([*FORMATS, "all"]), default="all",
              show_default=True, help="Output format; all = every format the template supports.")
@click.option("-o", "--output", default=None, metavar="DIR",
              help="Folder to write into (created if missing). Without it, a single text "
              "document goes to stdout.")
@model_options
def report_cmd(path: str | None, template: str | None, list_: bool, lang: str | None,
               exporter: str | None, recipient: str | None, fmt: str, output: str | None,
               as_of: str | None, max_file_size: str, verbose: bool, quiet: bool) -> None:
    """Render filing-ready documents: the transfer inventory, the PIPL standard-contract pack,
    security-assessment declaration and notice, the GDPR record of processing, SCC annexes and
    transfer impact assessment. Blanks the model cannot fill are listed at the end of each
    document with the YAML field that would fill them."""
    if list_:
        _print_list()
        sys.exit(EXIT_OK)
    if path is None:
        _usage("missing PATH (the model file or folder); or use --list")
    if not template:
        _usage("missing --template NAME|FILE (dataflow report --list shows the names)")
    assert path is not None and template is not None
    model = load_or_exit(path, as_of, max_file_size, quiet=quiet, verbose=verbose)
    result = check(model, analyse(model), options=CheckOptions())
    formats = None if fmt == "all" else [fmt]
    try:
        files = render_report(result, template, lang=lang, formats=formats, exporter=exporter,
                              recipient=recipient)
    except ReportError as exc:
        _usage(str(exc))
    if output is None:
        if len(files) == 1 and files[0].format in ("md", "html", "csv"):
            sys.stdout.write(files[0].data.decode("utf-8"))
            sys.stdout.flush()
            sys.exit(EXIT_OK)
        _usage(f"{len(files)} files to write: give a folder with -o DIR")
    assert output is not None
    try:
        written = write_files(files, Path(output))
    except (OSError, ReportError) as exc:
        _usage(f"cannot write to {output}: {exc}")
    if not quiet:
        for p in written:
            click.echo(str(p))
    sys.exit(EXIT_OK)
