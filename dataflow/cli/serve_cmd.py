"""`dataflow serve`: the HTML report in a browser, refreshed whenever a model file is saved."""

from __future__ import annotations

import contextlib
import gc
import signal
import sys
import time
from collections.abc import Callable, Iterator

import click

from ..regimes.base import CheckOptions
from ..serve import (
    DEFAULT_PORT,
    ModelPreview,
    NotLoopback,
    PreviewOptions,
    PreviewServer,
    ReloadEvent,
    loopback_address,
)
from .check_cmd import _areas, check_options
from .common import EXIT_INVALID, EXIT_OK, model_options, parse_as_of, parse_size
from .output import _clean, format_human


def _log(quiet: bool, verbose: bool) -> Callable[[ReloadEvent], None]:
    """What the terminal says after each reload that changed the page."""

    def on_reload(event: ReloadEvent) -> None:
        if quiet or not event.changed:
            return
        snap = event.snapshot
        stamp = time.strftime("%H:%M:%S")
        if snap.ok:
            extra = f", {snap.warnings} warning(s)" if snap.warnings else ""
            what = "report ready" if snap.report_version == 1 else "report updated"
            sys.stderr.write(f"[{stamp}] {what}{extra} ({event.seconds:.2f}s)\n")
        else:
            kept = "the page keeps the last good report" if snap.report is not None \
                else "no report yet"
            sys.stderr.write(f"[{stamp}] invalid model: {snap.errors} error(s); {kept}\n")
        shown = [d for d in event.diagnostics if verbose or d.severity == "error"]
        if shown:
            sys.stderr.write(format_human(shown, color=sys.stderr.isatty()) + "\n")
        sys.stderr.flush()
    return on_reload


@contextlib.contextmanager
def _term_as_interrupt() -> Iterator[None]:
    """SIGTERM stops the server like Ctrl-C does (the socket is closed, the threads joined)."""
    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        old = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread (e.g. a test runner): nothing to install
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


@click.command("serve")
@click.argument("path", type=click.Path(exists=True))
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on; 0 picks a free one.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Loopback only: any other address is refused.")
@click.option("--area", "areas", multiple=True, metavar="AREA", help="Limit to these areas.")
@check_options
@model_options
def serve_cmd(path: str, port: int, host: str, areas: tuple[str, ...], warn_expiring: int,
              count_exempt: bool, split_sa: bool, as_of: str | None, max_file_size: str,
              verbose: bool, quiet: bool) -> None:
    """Serve the HTML report of PATH on 127.0.0.1 and refresh it whenever a model file is
    saved; while the model is invalid the page lists the problems above the last good report.
    Ctrl-C stops."""
    try:
        loopback_address(host)
    except NotLoopback as exc:
        click.echo(f"dataflow serve: {exc}", err=True)
        sys.exit(EXIT_INVALID)
    gc.enable()  # a long-running process: the cyclic GC the group turned off is needed again
    options = PreviewOptions(areas=_areas(areas), as_of=parse_as_of(as_of),
                             max_file_bytes=parse_size(max_file_size),
                             check=CheckOptions(count_exempt=count_exempt, split_sa=split_sa,
                                                warn_expiring_days=warn_expiring))
    preview = ModelPreview(path, options, describe=lambda d: format_human([d]),
                           on_reload=_log(quiet, verbose))
    try:
        server = PreviewServer(preview, host=host, port=port)
    except OSError as exc:
        hint = "; choose another with --port (0 picks a free one)" if port else ""
        click.echo(f"dataflow serve: cannot listen on {host}:{port}: "
                   f"{exc.strerror or exc}{hint}", err=True)
        sys.exit(EXIT_INVALID)
    with server:
        if not quiet:
            click.echo(f"loading {_clean(path)}…", err=True)
        try:
            with _term_as_interrupt():
                server.start()
                click.echo(f"serving the report of {_clean(path)} at {server.url} "
                           "(Ctrl-C stops)")
                sys.stdout.flush()
                server.wait()
        except KeyboardInterrupt:
            if not quiet:
                click.echo("stopped", err=True)
    sys.exit(EXIT_OK)
