"""The `dataflow` command: arguments, formatting and exit codes only.

Commands are listed here explicitly and imported only when invoked, so `dataflow validate`
does not pay for Graphviz, Jinja2 or the regimes.
"""

from __future__ import annotations

import gc
import importlib
from typing import Any

import click

from .. import __version__

# command name -> (module, attribute); the order is the order of `dataflow --help`
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("validate_cmd", "validate_cmd"),
    "transfers": ("transfers_cmd", "transfers_cmd"),
    "check": ("check_cmd", "check_cmd"),
    "why": ("check_cmd", "why_cmd"),
    "explain": ("check_cmd", "explain_cmd"),
    "diagram": ("diagram_cmd", "diagram_cmd"),
    "report": ("report_cmd", "report_cmd"),
    "build": ("build_cmd", "build_cmd"),
    "diff": ("workflow_cmd", "diff_cmd"),
    "export": ("workflow_cmd", "export_cmd"),
    "import": ("workflow_cmd", "import_cmd"),
    "schema": ("validate_cmd", "schema_cmd"),
    "init": ("validate_cmd", "init_cmd"),
    "serve": ("serve_cmd", "serve_cmd"),
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module = importlib.import_module(f"{__name__}.{target[0]}")
        command: Any = getattr(module, target[1])
        return command  # type: ignore[no-any-return]


@click.group(cls=LazyGroup,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="dataflow")
def main() -> None:
    """Map how data moves between systems and find every path by which it leaves a
    jurisdiction; decide what each transfer needs under PIPL, GDPR and other regimes."""
    # a short-lived process: the cyclic GC only slows the building of large models down
    gc.disable()


def run() -> None:
    """The console entry point: run the command, then leave without tearing the heap down.

    Freeing every object of a large model at interpreter exit takes longer than some commands
    themselves (mypy exits the same way); output streams are flushed first."""
    import os
    import sys

    code: int
    try:
        main()
        code = 0
    except SystemExit as exc:
        if exc.code is None:
            code = 0
        elif isinstance(exc.code, int):
            code = exc.code
        else:
            sys.stderr.write(f"{exc.code}\n")
            code = 1
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        code = 130
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (e.g. `| head`): nothing more to say
            code = code or 1
    os._exit(code)
