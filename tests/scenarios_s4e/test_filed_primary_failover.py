"""A hidden hop: the filed domestic model is the primary route, the relay's fail-over goes to a US
model (regulatory.md §1.2 item 5 "relays commonly fail over between upstream regions"; §2.13 the
registration route is only for apps on filed models, an overseas model reached is PIPL200;
docs/model-format.md flows: a fail-over that lists no cohorts carries its primary's cohorts).

The domestic primary is not a transfer; the fail-over carries the basic tier's 150,000 users
(the primary's cohort, no new individuals) to the US: CN/appco/fallback-us, flagged failover, at
the standard-contract tier (Provisions Art. 8). The app's `genai` only registers the filed
domestic model, yet its data reaches the unfiled US model: PIPL200/app."""

from __future__ import annotations

from .helpers import assessment, by_id, check, cli, exporter_row, finding_ids, run, scenario, transfers

NAME = "filed-primary-failover"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_only_the_failover_leaves_with_the_primarys_people() -> None:
    doc = by_id(transfers(NAME))
    assert sorted(doc) == ["CN/appco/fallback-us"]
    t = doc["CN/appco/fallback-us"]
    assert t["flags"] == ["failover"]
    assert t["exit_edge"]["routing"] == "failover"
    assert [c["id"] for c in t["cohorts"]] == ["basic"]
    assert t["individuals"]["total"] == 150_000
    assert (t["sender"]["entity"], t["sender"]["role"]) == ("relayco", "entrusted")


def test_failover_export_needs_a_contract_and_the_app_is_flagged() -> None:
    rc, doc = check(NAME)
    assert rc == 1
    assert exporter_row(doc, "appco")["ordinary"] == 150_000
    a = assessment(doc, "CN/appco/fallback-us", "pipl")
    assert a["required"] == ["pipl.standard-contract", "pipl.certification"]
    ids = finding_ids(doc)
    assert "PIPL200/app" in ids and "PIPL201/CN/appco/fallback-us" in ids
    assert "PIPL110/CN/appco/fallback-us#pipl.entrustment-agreement@relayco" in ids
    msg = next(f["message"] for f in doc["findings"] if f["id"] == "PIPL200/app")
    assert "us-llm" in msg and "cn-llm" not in msg


def test_diagram_marks_the_failover_exit() -> None:
    out = cli("diagram", scenario(NAME), "--format", "dot")
    assert out.rc == 0, out.stderr
    line = next(x for x in out.stdout.splitlines() if 'tooltip="fallback-us' in x)
    assert "leaves CN" in line and "fail-over" in line and "style=dashed" in line
    line = next(x for x in out.stdout.splitlines() if 'tooltip="to-cn' in x)
    assert "leaves CN" not in line


def test_genai_finding_applies_once_the_interim_measures_are_in_force() -> None:
    _rc, doc = check(NAME, "--as-of", "2023-09-01")
    assert "PIPL200/app" in finding_ids(doc)


def test_no_genai_finding_before_the_interim_measures() -> None:
    _rc, doc = check(NAME, "--as-of", "2023-07-01")
    assert "PIPL200/app" not in finding_ids(doc)


def test_no_mss_warning_before_8_june_2026() -> None:
    _rc, doc = check(NAME, "--as-of", "2026-05-01")
    assert "PIPL201/CN/appco/fallback-us" not in finding_ids(doc)
