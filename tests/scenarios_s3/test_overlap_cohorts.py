"""Distinct individuals (outputs.md "Counting"; regulatory.md §0 "Individuals", §2.6): the union
of the cohorts an exporter's transfers carry — never a sum, never a max.
alpha: 60,000 + 50,000 - 10,000 shared = 100,000 (sum 110,000, max 60,000 would both mislead)
beta:  three pairwise overlaps -> bounds 95,000..100,000, upper bound used, DF313
gamma: a dated series reaching 100,000 on 15 July -> tier crossed that day."""

from __future__ import annotations

from .helpers import assessment, by_id, check, cli, exporter_row, run, scenario, transfers

NAME = "overlap-cohorts"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_per_transfer_counts() -> None:
    doc = transfers(NAME, "--area", "CN")
    ts = by_id(doc)
    assert sorted(ts) == ["CN/alpha/a-to-crm", "CN/alpha/a-to-mail", "CN/beta/b-to-crm",
                          "CN/gamma/g-to-mail"]
    assert ts["CN/alpha/a-to-crm"]["individuals"]["total"] == 60000
    assert ts["CN/alpha/a-to-mail"]["individuals"]["total"] == 50000
    b = ts["CN/beta/b-to-crm"]["individuals"]
    assert (b["method"], b["lower"], b["upper"], b["total"]) == ("bounds", 95000, 100000, 100000)
    assert [w["code"] for w in doc["warnings"]] == ["DF313"]


def test_exporter_totals_are_unions() -> None:
    rc, doc = check(NAME, "--area", "CN")
    assert rc == 1
    alpha = exporter_row(doc, "alpha")
    assert (alpha["ordinary"], alpha["tier"], alpha["tier_crossed_on"]) == \
        (100000, "standard-contract", "2026-01-01")
    beta = exporter_row(doc, "beta")
    assert (beta["ordinary"], beta["tier"]) == (100000, "standard-contract")
    gamma = exporter_row(doc, "gamma")
    assert (gamma["ordinary"], gamma["tier"], gamma["tier_crossed_on"]) == \
        (100000, "standard-contract", "2026-07-15")
    for t in ("CN/alpha/a-to-crm", "CN/alpha/a-to-mail", "CN/beta/b-to-crm", "CN/gamma/g-to-mail"):
        assert assessment(doc, t, "pipl")["required"] == \
            ["pipl.standard-contract", "pipl.certification"]


def test_check_reports_the_bounds_warning() -> None:
    out = cli("check", scenario(NAME), "--area", "CN")
    js = cli("check", scenario(NAME), "--area", "CN", "--format", "json")
    assert "DF313" in out.stdout + out.stderr
    assert "DF313" in js.stdout
