"""Relay routing table: primary, fail-over to another provider, conditional route by tier, with
sensitive PI and children in the prompts (regulatory.md §1.2 item 5; §2.3 Arts 21, 28, 29, 31;
§2.5 Arts 5(4), 7; §2.6 steps 5-6 and the tier mapping; §0 以上 includes the number; §2.13
internal use; docs/model-format.md flows `routing`, cohorts `minors_under_14`).

InsureCo's internal claims desk (not a public service) sends prompts through its entrusted relay.
Premium customers (40,000, of whom 9,700 with health facts and 300 children under 14 — all their
PI sensitive, and a flow naming the parent cohort carries them) go to a US model, fail over to a
Japanese provider (no cohorts listed: the primary's, no new individuals), and the enterprise tier
(15,000, ordinary prompts only) is routed conditionally to a Singapore model.
Expected for insureco: N = 40,000 + 15,000 = 55,000; S = 9,700 + 300 = 10,000, which is the
security-assessment tier (10,000 以上 includes the number; PIPL-U-ART1259 shows the alternative).
The Singapore route carries ordinary PI only: N tier, Art. 5(4) exempt (55,000 < 100,000)."""

from __future__ import annotations

from .helpers import (
    assessment,
    by_id,
    check,
    cli,
    exporter_row,
    finding_ids,
    run,
    scenario,
    transfers,
    warning_codes,
)

NAME = "relay-routes"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_three_routes_three_transfers_flagged() -> None:
    doc = by_id(transfers(NAME, "--area", "CN"))
    assert sorted(doc) == ["CN/insureco/to-jp", "CN/insureco/to-sg", "CN/insureco/to-us"]
    assert doc["CN/insureco/to-us"]["flags"] == []
    assert doc["CN/insureco/to-jp"]["flags"] == ["failover"]
    assert doc["CN/insureco/to-sg"]["flags"] == ["conditional"]
    for t in doc.values():
        assert t["exporter"]["entity"] == "insureco"
        assert (t["sender"]["entity"], t["sender"]["role"]) == ("relayco", "entrusted")
        assert t["path"][:3] == ["claims-db", "desk", "relay"]


def test_failover_carries_the_primarys_people() -> None:
    doc = by_id(transfers(NAME, "--area", "CN"))
    us, jp = doc["CN/insureco/to-us"], doc["CN/insureco/to-jp"]
    assert us["individuals"] == jp["individuals"]
    # 40,000 premium; 9,700 health + 300 under-14s sensitive
    assert (us["individuals"]["total"], us["individuals"]["sensitive"]) == (40_000, 10_000)
    sg = doc["CN/insureco/to-sg"]
    assert (sg["individuals"]["total"], sg["individuals"]["sensitive"]) == (15_000, 0)
    assert (sg["recipient"]["entity"], sg["recipient"]["role"]) == ("lion-ai", "processor")


def test_failover_adds_no_individuals_to_the_exporter() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    assert exporter_row(doc, "insureco")["ordinary"] == 55_000


def test_ordinary_only_conditional_route_stays_art_5_4_exempt() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    a = assessment(doc, "CN/insureco/to-sg", "pipl")
    assert (a["required"], a["exemption"]) == (["pipl.exempt"], "art5-4")
    parties = sorted(d["party"] for d in a["duties"] if d["id"] == "pipl.entrustment-agreement")
    assert parties == ["lion-ai", "relayco"]


def test_internal_desk_is_outside_the_genai_measures_but_the_relay_is_warned() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    ids = finding_ids(doc)
    assert not [i for i in ids if i.startswith("PIPL200")]
    assert {f"PIPL201/CN/insureco/{e}" for e in ("to-us", "to-jp", "to-sg")} <= set(ids)


def test_children_in_the_parent_cohort_reach_the_security_assessment_tier() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    row = exporter_row(doc, "insureco")
    assert (row["ordinary"], row["sensitive"], row["tier"]) == (55_000, 10_000,
                                                                "security-assessment")
    for tid in ("CN/insureco/to-us", "CN/insureco/to-jp"):
        a = assessment(doc, tid, "pipl")
        assert a["required"] == ["pipl.security-assessment"]
        assert "PIPL-U-ART1259" in warning_codes(a)


def test_children_in_the_parent_cohort_need_guardian_consent() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    a = assessment(doc, "CN/insureco/to-us", "pipl")
    step1 = next(s for s in a["trace"] if s["step"].startswith("1."))
    assert "minors under 14: yes" in step1["detail"]
    assert "pipl.guardian-consent" in {d["id"] for d in a["duties"]}


def test_diagram_draws_three_distinct_exits_with_their_routing() -> None:
    out = cli("diagram", scenario(NAME), "--format", "dot")
    assert out.rc == 0, out.stderr
    edges = {line.split('tooltip="')[1].split(" ")[0]: line
             for line in out.stdout.splitlines() if "->" in line and 'tooltip="' in line}
    assert all("leaves CN" in edges[e] for e in ("to-us", "to-jp", "to-sg"))
    assert "fail-over" in edges["to-jp"] and "style=dashed" in edges["to-jp"]
    assert "conditional" in edges["to-sg"]
    assert "style=bold" in edges["to-us"]
    assert "leaves CN" not in edges["desk-to-relay"]
