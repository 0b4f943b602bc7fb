"""The group's Greater Bay Area corner (regulatory.md §2.10, §2.6 "Mapping the exporter's tier";
regimes.md "The GBA standard contract is offered only to an exporter registered in a GBA city; an
entrusted sender's city does not count").

``sz`` (Shenzhen, ``gba_city: shenzhen``) sends health data (sensitive, PIPL Art. 28) of 500
patients to a HK clinic, a HK lab (which passes it on to Singapore), a Macao clinic and a
Singapore lab. ``hz`` (Hangzhou, not in the GBA) sends 300 patients' health data to the HK clinic
through its entrusted relay in Shenzhen.

By hand: sz S = 500 (distinct: the same 500 on four routes, never 2,000), 1 ≤ S < 10,000 →
standard contract or certification (Provisions Art. 8); the GBA contract is also offered for HK
and Macao recipients (no volume cap) — except to the HK lab, which onward-transfers outside the
GBA (the recipient may not). Singapore: no GBA contract. hz: S = 300 → contract or certification,
no GBA contract (hz is not registered in a GBA city; the relay's city does not count)."""

from __future__ import annotations

import pytest

from .helpers import assessment, check, exporter_row

NAME = "gba-pair"
SC = ["pipl.certification", "pipl.standard-contract"]
GBA = sorted([*SC, "pipl.gba-contract"])


@pytest.mark.parametrize(("tid", "required"), [
    ("CN/sz/to-hk", GBA),
    ("CN/sz/to-mo", GBA),
    ("CN/sz/to-hk-lab", SC),
    ("CN/sz/to-sg", SC),
    ("CN/hz/relay-hk", SC),
])
def test_gba_contract_offered_only_where_it_can_apply(tid: str, required: list[str]) -> None:
    _rc, doc = check(NAME, "--area", "CN")
    assert sorted(assessment(doc, tid, "pipl")["required"]) == required


def test_distinct_sensitive_counts() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    sz = exporter_row(doc, "sz")
    assert (sz["ordinary"], sz["sensitive"], sz["tier"]) == (500, 500, "standard-contract")
    hz = exporter_row(doc, "hz")
    assert (hz["sensitive"], hz["tier"]) == (300, "standard-contract")
