"""Options and the load-or-exit step shared by the commands."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..api import Validation, validate_model
from ..progress import Progress, process_age
from ..resolve import ResolvedModel
from .output import format_github, format_human

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_FINDINGS, EXIT_INVALID = 0, 1, 2


def parse_size(value: str) -> int:
    units = {"k": 1024, "m": 1024**2, "g": 1024**3}
    v = value.strip().lower().rstrip("b")
    mult = units.get(v[-1:], 1)
    if v[-1:] in units:
        v = v[:-1]
    try:
        return int(float(v) * mult)
    except ValueError as exc:
        raise click.BadParameter(f"'{value}' is not a size such as 64M") from exc


def _no_cache(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        os.environ["DATAFLOW_CACHE"] = "0"  # read by dataflow.parsecache (and forked parsers)


def model_options(f: F) -> F:
    f = click.option("--no-cache", is_flag=True, expose_value=False, callback=_no_cache,
                     help="Parse every file afresh (no parse cache; also DATAFLOW_CACHE=0).")(f)
    f = click.option("--max-file-size", default="64M", show_default=True,
                     help="Per-file size limit for model files.")(f)
    f = click.option("--as-of", "as_of", default=None, metavar="YYYY-MM-DD",
                     help="Evaluate at this date instead of the model's evaluation_date.")(f)
    f = click.option("-v", "--verbose", is_flag=True, help="Print a timing breakdown on stderr.")(f)
    f = click.option("-q", "--quiet", is_flag=True, help="Print nothing but the requested output.")(f)
    return f


def parse_as_of(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"'{value}' is not a date (YYYY-MM-DD)",
                                 param_hint="--as-of") from exc


def new_progress(quiet: bool, verbose: bool) -> Progress:
    """The progress reporter of one command run (stage line on a terminal unless --quiet, the
    timing breakdown with --verbose); it is finished when the command ends, however it ends."""
    progress = Progress(sys.stderr, quiet=quiet, verbose=verbose, startup=process_age())
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.call_on_close(progress.done)
    return progress


def run_validation(path: str, as_of: str | None, max_file_size: str,
                   progress: Progress | None = None, *, compact: bool = True) -> Validation:
    when, limit = parse_as_of(as_of), parse_size(max_file_size)
    if progress is not None:
        progress.stage("load", f"loading {path}")
    result = validate_model(path, as_of=when, max_file_bytes=limit, cache=True, compact=compact)
    if progress is not None:
        files = len(result.model.raw.files) if result.model is not None else 0
        progress.end(result.timings, label=f"{files} file(s)" if files else None)
    return result


def print_diagnostics(result: Validation, fmt: str = "human", *, stream: Any = None,
                      quiet: bool = False) -> None:
    stream = stream or sys.stderr
    diags = result.diagnostics
    if quiet:
        diags = [d for d in diags if d.severity == "error"]
    if not diags:
        return
    if fmt == "github":
        text = format_github(diags)
    else:
        text = format_human(diags, color=stream.isatty())
    stream.write(text + "\n")


def load_or_exit(path: str, as_of: str | None, max_file_size: str, *, quiet: bool = False,
                 verbose: bool = False, diag_format: str = "human",
                 progress: Progress | None = None) -> ResolvedModel:
    """Load a model for a command; on invalid input print the diagnostics and exit 2.

    With ``progress`` the load is a stage of the caller's run; without it the load has its own
    reporter, finished (breakdown written with ``verbose``) once the model is loaded."""
    own = progress is None
    if progress is None:
        progress = new_progress(quiet, verbose)
    result = run_validation(path, as_of, max_file_size, progress)
    progress.clear()
    if own or result.model is None:
        progress.done()
    if result.model is None:
        print_diagnostics(result, "github" if diag_format == "github" else "human")
        errors = sum(1 for d in result.diagnostics if d.severity == "error")
        sys.stderr.write(f"{path}: invalid model ({errors} error(s)); nothing written\n")
        sys.exit(EXIT_INVALID)
    if not quiet:
        print_diagnostics(result, "github" if diag_format == "github" else "human")
    return result.model


def report_timings(timings: dict[str, float]) -> None:
    parts = " ".join(f"{k}={v:.3f}s" for k, v in timings.items())
    sys.stderr.write(f"timing: {parts}\n")
