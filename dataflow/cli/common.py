"""Options and the load-or-exit step shared by the commands."""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..api import Validation, validate_model
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


def model_options(f: F) -> F:
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


def run_validation(path: str, as_of: str | None, max_file_size: str) -> Validation:
    return validate_model(path, as_of=parse_as_of(as_of), max_file_bytes=parse_size(max_file_size))


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
                 verbose: bool = False, diag_format: str = "human") -> ResolvedModel:
    """Load a model for a command; on invalid input print the diagnostics and exit 2."""
    t0 = time.perf_counter()
    result = run_validation(path, as_of, max_file_size)
    if verbose:
        report_timings({**result.timings, "load-total": time.perf_counter() - t0})
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
