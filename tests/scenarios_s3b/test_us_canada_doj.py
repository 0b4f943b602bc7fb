"""A US company's database in Canada sends 20,000 US patients' health data to a vendor in China:
the DOJ rule is assessed on the Canadian exit (docs/regimes.md 'US DOJ': exits of source
jurisdictions no regime area covers are analysed), but the transfer inventory document, which
must list 'every transfer ... per regime' (docs/templates.md), is empty. `transfers` without
--area does not list it either (docs/cli.md: only `check` adds the DOJ jurisdictions) — a
confusing split for a user whose inventory is the first deliverable."""

from __future__ import annotations

import csv
import io

from .helpers import assessment, check, cli, scenario, transfers

NAME = "us-canada-doj"


def test_check_assesses_the_canadian_exit() -> None:
    rc, doc = check(NAME)
    assert rc == 1
    a = assessment(doc, "CA/tele/to-scribe", "us-doj-dsp")
    assert (a["required"], a["status"]) == (["us-doj-dsp.cisa-security-requirements"], "gap")


def test_transfers_lists_it_with_area_ca_only() -> None:
    assert transfers(NAME)["transfers"] == []
    assert [t["id"] for t in transfers(NAME, "--area", "CA")["transfers"]] == ["CA/tele/to-scribe"]


def test_inventory_lists_the_doj_transfer() -> None:
    out = cli("report", scenario(NAME), "--template", "transfer-inventory", "--format", "csv")
    assert out.rc == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [(r["id"], r["regime"]) for r in rows] == [("CA/tele/to-scribe", "us-doj-dsp")]
