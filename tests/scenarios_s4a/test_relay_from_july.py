"""A Hangzhou app's 120,000 users' e-mails reach Japan only through a relay that is fed from
2026-07-01 (flow `to-relay` with `period: {from: 2026-07-01}`); the relay's exit flow and the
collection flow run all year. outputs.md "Counting": "A cohort counts from the first day a
non-exempt transfer carries it ... That fixes the day a tier is crossed" - and the transfer
CN/acme/out (path signup -> to-relay -> out) cannot carry anyone before the relay receives data,
so 100,000 (regulatory.md §2.6 step 5, standard-contract tier) is reached on 2026-07-01."""

from __future__ import annotations

from .helpers import assessment, check, exporter_row, transfers

NAME = "relay-from-july"
T = "CN/acme/out"


def test_the_transfer_goes_through_the_relay() -> None:
    t = transfers(NAME)["transfers"]
    assert [x["id"] for x in t] == [T]
    assert t[0]["path_flows"] == ["signup", "to-relay", "out"]
    assert t[0]["individuals"]["total"] == 120_000


def test_tier_and_mechanism() -> None:
    _rc, d = check(NAME)
    assert exporter_row(d, "acme")["tier"] == "standard-contract"
    assert assessment(d, T, "pipl")["required"] == ["pipl.standard-contract",
                                                     "pipl.certification"]


def test_tier_is_crossed_when_data_first_reaches_the_exit() -> None:
    _rc, d = check(NAME)
    row = exporter_row(d, "acme")
    assert row["tier_crossed_on"] == "2026-07-01"
    assert transfers(NAME)["transfers"][0]["period"]["from"] == "2026-07-01"
