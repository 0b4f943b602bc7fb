"""A US fleet operator ingests 5,000 US drivers' precise geolocation in Canada and sends it to a
Shenzhen map-matching vendor (regulatory.md §5 US DOJ rule; docs/regimes.md US DOJ DSP). The
exit is Canadian (`CA/fleetco/to-map`): `transfers` lists it only with `--area CA`
(docs/cli.md), but `check` assesses it and the transfer inventory lists it ("Every transfer is
every transfer check assesses ... e.g. a US company's system in Canada sending to China, CA/...",
docs/templates.md). Every output must count it the same way."""

from __future__ import annotations

import csv
import io

from .helpers import assessment, check, finding_ids, run, scenario, transfers

NAME = "us-ca-cn"
T = "CA/fleetco/to-map"


def test_transfers_lists_the_canadian_exit_only_with_area() -> None:
    assert transfers(NAME)["transfers"] == []
    assert [t["id"] for t in transfers(NAME, "--area", "CA")["transfers"]] == [T]


def test_check_assesses_the_doj_vendor_transaction() -> None:
    rc, d = check(NAME)
    assert rc == 1
    a = assessment(d, T, "us-doj-dsp")
    assert a["required"] == ["us-doj-dsp.cisa-security-requirements"]
    assert "DOJ100/CA/fleetco/to-map" in finding_ids(d)


def test_inventory_lists_the_supplementary_transfer() -> None:
    out = run("report", scenario(NAME), "--template", "transfer-inventory", "--format", "csv")
    assert out.rc == 0
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [(r["id"], r["regime"]) for r in rows] == [(T, "us-doj-dsp")]
    md = run("report", scenario(NAME), "--template", "transfer-inventory", "--format", "md")
    assert "Transfers: 1; possible (location unknown): 0; areas: CN, US, CA." in md.stdout


def test_check_summary_counts_the_transfer_it_assesses() -> None:
    out = run("check", scenario(NAME))
    assert out.rc == 1
    assert "1 transfer(s)" in out.stdout.splitlines()[1]
