"""`dataflow validate`, `dataflow schema`, `dataflow init`."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import click

from .. import __version__
from ..model import json_schema
from ..starter import STARTER_FILES
from .common import (
    EXIT_INVALID,
    EXIT_OK,
    model_options,
    print_diagnostics,
    report_timings,
    run_validation,
)
from .output import SCHEMA_VERSION, atomic_write, dumps_json, write_text


@click.command("validate")
@click.argument("path", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["human", "json", "github"]), default="human",
              show_default=True)
@click.option("-o", "--output", default=None, help="Write the report to a file.")
@model_options
def validate_cmd(path: str, fmt: str, output: str | None, as_of: str | None,
                 max_file_size: str, verbose: bool, quiet: bool) -> None:
    """Check a model file or folder; report every problem with file:line:col.

    Exit 0 when valid (warnings allowed), 2 when invalid.
    """
    t0 = time.perf_counter()
    result = run_validation(path, as_of, max_file_size, compact=False)  # nothing is kept
    errors = sum(1 for d in result.diagnostics if d.severity == "error")
    warnings = sum(1 for d in result.diagnostics if d.severity == "warning")
    if fmt == "json":
        m = result.model
        doc: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION, "tool_version": __version__,
            "catalogue_version": m.catalogue.version if m else None,
            "model": {"name": m.name, "digest": m.digest} if m else None,
            "valid": result.ok, "errors": errors, "warnings": warnings,
            "diagnostics": [d.to_json() for d in result.diagnostics],
        }
        if m is not None:
            doc["counts"] = {"entities": len(m.entities), "systems": len(m.systems),
                             "flows": len(m.flows), "access": len(m.access),
                             "cohorts": len(m.cohorts), "files": len(m.raw.files)}
            doc["overlays_used"] = list(m.catalogue.overlays_used)
        write_text(output, dumps_json(doc))
    elif fmt == "github":
        write_text(output, "\n".join(_gh(result)) + ("\n" if result.diagnostics else ""))
    else:
        print_diagnostics(result, "human", stream=sys.stdout if output is None else sys.stderr,
                          quiet=quiet)
        if not quiet:
            if result.model is not None:
                m = result.model
                line = (f"{path}: valid ({len(m.systems)} systems, {len(m.flows)} flows, "
                        f"{len(m.access)} access grants, {len(m.raw.files)} file(s)"
                        f"{f', {warnings} warning(s)' if warnings else ''})")
            else:
                line = f"{path}: invalid ({errors} error(s), {warnings} warning(s))"
            click.echo(line)
    if verbose:
        report_timings({**result.timings, "total": time.perf_counter() - t0})
    sys.exit(EXIT_OK if result.ok else EXIT_INVALID)


def _gh(result: object) -> list[str]:
    from .output import format_github

    diags = getattr(result, "diagnostics", [])
    text = format_github(diags)
    return [text] if text else []


@click.command("schema")
@click.option("-o", "--output", default=None, help="Write the JSON Schema to a file.")
def schema_cmd(output: str | None) -> None:
    """Print the JSON Schema of the model format (for editors and yaml-language-server)."""
    write_text(output, json.dumps(json_schema(), indent=2, sort_keys=True, ensure_ascii=False)
               + "\n")


@click.command("init")
@click.argument("directory", type=click.Path())
@click.option("--force", is_flag=True, help="Overwrite existing files.")
def init_cmd(directory: str, force: bool) -> None:
    """Write a commented starter model into DIRECTORY (it validates as written)."""
    target = Path(directory)
    existing = [name for name in STARTER_FILES if (target / name).exists()]
    if existing and not force:
        click.echo(f"{directory}: {', '.join(existing)} exists; use --force to overwrite",
                   err=True)
        sys.exit(EXIT_INVALID)
    for name, text in STARTER_FILES.items():
        atomic_write(target / name, text.encode("utf-8"))
    click.echo(f"wrote {', '.join(str(target / n) for n in STARTER_FILES)}; next: "
               f"dataflow validate {directory}")
