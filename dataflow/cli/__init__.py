"""The `dataflow` command: arguments, formatting and exit codes only."""

from __future__ import annotations

import gc

import click

from .. import __version__
from .build_cmd import build_cmd
from .check_cmd import check_cmd, explain_cmd, why_cmd
from .diagram_cmd import diagram_cmd
from .report_cmd import report_cmd
from .transfers_cmd import transfers_cmd
from .validate_cmd import init_cmd, schema_cmd, validate_cmd
from .workflow_cmd import diff_cmd, export_cmd, import_cmd


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="dataflow")
def main() -> None:
    """Map how data moves between systems and find every path by which it leaves a
    jurisdiction; decide what each transfer needs under PIPL, GDPR and other regimes."""
    # a short-lived process: the cyclic GC only slows the building of large models down
    gc.disable()


main.add_command(validate_cmd)
main.add_command(schema_cmd)
main.add_command(init_cmd)
main.add_command(transfers_cmd)
main.add_command(check_cmd)
main.add_command(why_cmd)
main.add_command(explain_cmd)
main.add_command(diagram_cmd)
main.add_command(diff_cmd)
main.add_command(export_cmd)
main.add_command(import_cmd)
main.add_command(report_cmd)
main.add_command(build_cmd)
