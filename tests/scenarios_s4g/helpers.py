"""The scenario helpers (tests/scenario_cli.py) bound to the scenarios_s4g scenario folders."""

from pathlib import Path

from ..scenario_cli import *  # noqa: F403  (the shared helpers, re-exported)
from ..scenario_cli import Scenarios

scenario, transfers, check = Scenarios.bound(Path(__file__).resolve().parent)
