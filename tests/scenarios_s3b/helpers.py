"""The scenario helpers (tests/scenario_cli.py) bound to the s3b scenario folders."""

from __future__ import annotations

from pathlib import Path

from ..scenario_cli import (
                            ROOT,
                            Out,
                            Scenarios,
                            assessment,
                            by_id,
                            cli,
                            exporter_row,
                            finding_ids,
                            run,
                            warning_codes,
)

_HERE = Scenarios(Path(__file__).resolve().parent)
scenario, transfers, check = _HERE.scenario, _HERE.transfers, _HERE.check

__all__ = ["ROOT", "Out", "assessment", "by_id", "check", "cli", "exporter_row", "finding_ids",
           "run", "scenario", "transfers", "warning_codes"]
