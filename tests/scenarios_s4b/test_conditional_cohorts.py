"""Fail-over and conditional routes that name no cohorts carry only their primary's cohorts
(model-format.md flows: "A fail-over or conditional flow that lists no cohorts carries its
primary's cohorts (no new individuals)"; regulatory.md §3.2 adequacy for Japan and DPF).

eu-db holds 1,000 customers and 500 prospects. ``crm-sync`` sends the customers to a DPF-certified
US CRM; when it fails, ``crm-failover`` goes to a Tokyo backup (processor, Japan adequate) and
``crm-escalate`` (conditional) to the HK subsidiary (controller, not adequate → SCC module 1 +
TIA). By hand: each route carries the 1,000 customers, never the prospects."""

from __future__ import annotations

from .helpers import assessment, by_id, check, transfers

NAME = "conditional-cohorts"


def test_routes_carry_the_primarys_cohorts_only() -> None:
    t = by_id(transfers(NAME))
    assert sorted(t) == ["EEA/eu-sub/crm-escalate", "EEA/eu-sub/crm-failover", "EEA/eu-sub/crm-sync"]
    for tid, flags in [("EEA/eu-sub/crm-escalate", ["conditional"]),
                       ("EEA/eu-sub/crm-failover", ["failover"]), ("EEA/eu-sub/crm-sync", [])]:
        assert t[tid]["flags"] == flags
        assert [c["id"] for c in t[tid]["cohorts"]] == ["customers"]
        assert t[tid]["individuals"]["total"] == 1_000


def test_mechanisms_per_route() -> None:
    _rc, doc = check(NAME, "--area", "EEA")
    assert assessment(doc, "EEA/eu-sub/crm-failover", "gdpr")["required"] == ["gdpr.adequacy"]
    esc = assessment(doc, "EEA/eu-sub/crm-escalate", "gdpr")
    assert esc["required"] == ["gdpr.scc"]
    assert esc["mechanism_details"]["gdpr.scc"]["module"] == 1
    assert [d["id"] for d in esc["duties"]] == ["gdpr.tia"]
