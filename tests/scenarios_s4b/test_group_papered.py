"""The compliance team's view of the group landscape: a second root (``group-papered/dataflow.yaml``)
that reads the landscape's team files through ``include_roots`` (model-format.md "Files") and
adds ``compliance.yaml`` (safeguards, duties, waivers) and ``jv-expansion.yaml``.

What has been done (regimes.md "Matching"; model-format.md safeguards/duties/waivers):

* ``sa-hq``: hq's CAC security assessment for hk-sub and in-support → CN/hq/hk-sync and
  CN/hq/in-cn are ``ok`` (every PIPL duty declared).
* ``sa-relay``: the *relay's* own assessment for sg-ai. A PIPL assessment only counts when the
  exporter (the PI processor, hq) declares it, so CN/hq/relay-sg and CN/hq/relay-jp stay
  ``PIPL100`` errors and ``sa-relay`` covers nothing (``CHK001``).
* GDPR: BCR with hk-sub (expires 2026-11-15, 45 days after the evaluation date → ``GDPR103``
  with the default 90-day window), SCC module 2 with in-support, SCC module 3 for mailco's
  sub-processor sendco declared by the controller eu-sub (a safeguard matches when its exporter
  is the transfer's exporter or sender); DPAs and TIAs declared → every EEA transfer ``ok``.
  UK: the DPA with crm-co → UK/uk-co/uk-crm ``ok``.
* Waivers: ``PIPL201/CN/hq/*`` (the relay warning, both routes) and ``PIPL100/CN/hq/to-legacy``.

JV expansion (regulatory.md §2.5 Arts 5(4), 8; §2.6 "timestamp when a tier is crossed"; outputs.md
"Counting"): a members programme collected from 2026-07-01, count series ``{2026-07-01: 1,
2026-09-01: 2,000}``. ``jv-to-parent`` names no cohort, so it carries the members too, from
2026-07-01. On 2026-07-01 the JV reaches 99,999 + 1 = 100,000 (以上 includes the number) → the
standard-contract tier from that day; over the year 99,999 + 2,000 = 101,999 distinct people.
The transfer ran before the crossing day → ``PIPL-U-REPAPER`` warning. Not a GBA city (Shanghai),
so no ``pipl.gba-contract``. Unwaived errors: exactly the two relay routes and the JV export."""

from __future__ import annotations

from .helpers import (
    assessment,
    by_id,
    check,
    exporter_row,
    finding_ids,
    run,
    scenario,
    transfers,
    warning_codes,
)

NAME = "group-papered"


def test_validate_reads_the_landscape_through_include_roots() -> None:
    out = run("validate", scenario(NAME))
    assert out.rc == 0, out.stdout + out.stderr
    assert "10 file(s)" in out.stdout


def test_same_transfers_as_the_landscape() -> None:
    here = sorted(by_id(transfers(NAME)))
    there = sorted(by_id(transfers("group-landscape")))
    assert here == there


def test_declared_safeguards_and_duties_close_the_gaps() -> None:
    _rc, doc = check(NAME)
    for tid, regime, declared in [
        ("CN/hq/hk-sync", "pipl", ["sa-hq"]),
        ("CN/hq/in-cn", "pipl", ["sa-hq"]),
        ("EEA/eu-sub/crm-escalate", "gdpr", ["bcr-group"]),
        ("EEA/eu-sub/crm-sync", "gdpr", []),
        ("EEA/eu-sub/in-eu", "gdpr", ["scc-india"]),
        ("EEA/eu-sub/mail-out", "gdpr", ["scc-sendco"]),
        ("UK/uk-co/uk-crm", "uk-gdpr", []),
        ("UK/uk-co/uk-to-eu", "uk-gdpr", []),
    ]:
        a = assessment(doc, tid, regime)
        assert (a["status"], a["declared"]) == ("ok", declared), tid
        assert all(d["declared"] for d in a["duties"]), tid


def test_the_relays_own_assessment_does_not_cover_the_exporter() -> None:
    _rc, doc = check(NAME)
    for tid in ("CN/hq/relay-sg", "CN/hq/relay-jp"):
        a = assessment(doc, tid, "pipl")
        assert (a["status"], a["declared"]) == ("gap", []), tid
    assert "CHK001/sa-relay" in finding_ids(doc)


def test_exit_code_and_unwaived_errors() -> None:
    rc, doc = check(NAME)
    assert rc == 1
    errors = sorted(f["id"] for f in doc["findings"]
                    if f["severity"] == "error" and not f.get("waived_by"))
    assert errors == ["PIPL100/CN/hq/relay-jp", "PIPL100/CN/hq/relay-sg",
                      "PIPL100/CN/jv/jv-to-parent"]
    waived = {f["id"]: f["waived_by"] for f in doc["findings"] if f.get("waived_by")}
    assert waived == {"PIPL201/CN/hq/relay-jp": "relay-mss", "PIPL201/CN/hq/relay-sg": "relay-mss",
                      "PIPL100/CN/hq/to-legacy": "legacy"}
    assert doc["summary"]["waived"] == 3
    assert doc["summary"]["errors"] == 3


def test_expiring_bcr_warns() -> None:
    _rc, doc = check(NAME)
    assert "GDPR103/EEA/eu-sub/crm-escalate" in finding_ids(doc)
    _rc, doc = check(NAME, "--warn-expiring", "30")
    assert "GDPR103/EEA/eu-sub/crm-escalate" not in finding_ids(doc)


def test_jv_crosses_the_contract_tier_on_the_launch_day() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    row = exporter_row(doc, "jv")
    assert (row["ordinary"], row["sensitive"], row["tier"], row["tier_crossed_on"]) == (
        101_999, 0, "standard-contract", "2026-07-01")
    a = assessment(doc, "CN/jv/jv-to-parent", "pipl")
    assert a["required"] == ["pipl.standard-contract", "pipl.certification"]
    assert "PIPL-U-REPAPER" in warning_codes(a)
    t = by_id(transfers(NAME, "--exporter", "jv"))["CN/jv/jv-to-parent"]
    assert sorted(c["id"] for c in t["cohorts"]) == ["jv-customers", "jv-members"]
    assert t["individuals"]["total"] == 101_999


def test_hq_counts_are_unchanged_by_the_paperwork() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    row = exporter_row(doc, "hq")
    assert (row["ordinary"], row["sensitive"], row["tier"]) == (613_000, 10_000, "security-assessment")
