"""Transfer analysis (dataflow.transfers): every path by which data leaves an area, with the
exporter, sender, recipient, path, individuals and flags of each transfer.

Each case is a small model in tests/fixtures/transfers/; the seed case is examples/ai-relay.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from dataflow import load
from dataflow.api import envelope
from dataflow.codes import LOADER_CODES
from dataflow.transfers import Analysis, Transfer, analyse, analysis_json

REPO = Path(__file__).resolve().parent.parent
FIX = REPO / "tests" / "fixtures" / "transfers"
AI_RELAY = REPO / "examples" / "ai-relay"


def run(name: str, *areas: str) -> Analysis:
    path = AI_RELAY if name == "ai-relay" else FIX / f"{name}.yaml"
    return analyse(load(path), list(areas) or None)


def ids(a: Analysis) -> list[str]:
    return [t.id for t in a.transfers]


def one(a: Analysis, tid: str) -> Transfer:
    t = a.by_id(tid)
    assert t is not None, f"{tid} not in {ids(a)}"
    return t


def people(t: Transfer) -> tuple[int, int, int, str]:
    i = t.individuals
    return i["total"], i["ordinary"], i["sensitive"], i["method"]


# --- the acceptance case

def test_ai_relay_cn_exactly_two_exports() -> None:
    a = run("ai-relay", "CN")
    assert ids(a) == ["CN/acme/relay-to-sg", "CN/acme/relay-to-us"]
    assert a.possible == []
    us, sg = one(a, "CN/acme/relay-to-us"), one(a, "CN/acme/relay-to-sg")
    for t in (us, sg):
        assert (t.exporter, t.sender, t.sender_role) == ("acme", "relayco", "entrusted")
        assert t.origin == ("user-app",)
        assert t.provenance["collected_in"] == ["CN"] and t.provenance["received_from"] == []
    assert (us.recipient, us.recipient_role, us.recipient_node, us.recipient_jurisdictions) == (
        "frontier", "controller", "us-llm", ("US",))
    assert people(us) == (250_000, 250_000, 4_000, "exact")
    assert us.categories == ("user.content.prompt", "user.health.details")
    assert us.cohorts == ("health-writers", "routed-abroad")
    assert us.path == ("user-app", "app", "relay", "us-llm")
    assert us.path_flows == ("collect-health", "prompts-to-relay", "relay-to-us")
    assert us.flags == ()
    assert (sg.recipient, sg.recipient_role, sg.recipient_jurisdictions) == (
        "relayco-sg", "processor", ("SG",))
    assert people(sg) == (3_500, 3_500, 0, "exact")
    assert sg.categories == ("user.content.prompt",)
    assert sg.path == ("user-app", "app", "relay", "sg-mirror")
    assert sg.path_flows == ("collect-prompts", "prompts-to-relay", "relay-to-sg")
    assert sg.flags == ("failover", "onward")
    assert sg.onward == (("frontier", "us-llm", "US"),)


def test_ai_relay_nothing_for_the_domestic_tier() -> None:
    a = run("ai-relay", "CN")
    assert all(t.exit_edge.key != "relay-to-domestic" for t in a.transfers)
    assert all("domestic-tier" not in t.cohorts for t in a.transfers)
    assert all(n.edge != "relay-to-domestic" for n in a.not_transfers)


def test_ai_relay_json_contract() -> None:
    model = load(AI_RELAY)
    doc = analysis_json(analyse(model, ["CN"]), envelope(model))
    for key in ("schema_version", "tool_version", "catalogue_version", "model", "transfers",
                "possible_transfers"):
        assert key in doc
    assert set(doc["model"]) >= {"name", "digest"}
    for t in doc["transfers"]:
        assert set(t) >= {"id", "area", "exporter", "sender", "recipient", "exit_edge", "origin",
                          "onward", "categories", "cohorts", "individuals", "provenance",
                          "period", "path", "path_flows", "flags"}
        assert set(t["individuals"]) >= {"total", "ordinary", "sensitive", "method", "lower",
                                         "upper"}
        assert len(t["path"]) >= 2
    us = next(t for t in doc["transfers"] if t["id"] == "CN/acme/relay-to-us")
    assert us["exporter"]["entity"] == "acme" and us["sender"]["entity"] == "relayco"
    assert us["period"] == {"from": "2026-01-01", "to": "2026-12-31"}
    health = next(c for c in us["categories"] if c["id"] == "user.health.details")
    assert health["sensitive"] is True and health["special"] is True


def test_ai_relay_cli_acceptance() -> None:
    proc = subprocess.run([sys.executable, "-m", "dataflow", "transfers", "examples/ai-relay",
                           "--area", "CN", "--format", "json"], capture_output=True, text=True,
                          cwd=REPO, timeout=60)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert [t["id"] for t in doc["transfers"]] == ["CN/acme/relay-to-sg", "CN/acme/relay-to-us"]
    assert doc["possible_transfers"] == []
    by_id = {t["id"]: t for t in doc["transfers"]}
    for t in by_id.values():
        assert t["exporter"]["entity"] == "acme"
        assert t["sender"]["entity"] == "relayco"
    assert by_id["CN/acme/relay-to-us"]["individuals"]["total"] == 250_000
    assert by_id["CN/acme/relay-to-us"]["individuals"]["sensitive"] == 4_000
    assert by_id["CN/acme/relay-to-sg"]["individuals"]["total"] == 3_500
    # the CLI prints what the API computes
    model = load(AI_RELAY)
    assert doc == json.loads(json.dumps(analysis_json(analyse(model, ["CN"]), envelope(model))))


def test_analysis_is_deterministic() -> None:
    model = load(AI_RELAY)
    docs = [json.dumps(analysis_json(analyse(model), envelope(model)), sort_keys=True)
            for _ in range(2)]
    assert docs[0] == docs[1]


# --- direct, indirect, onward

def test_direct_export() -> None:
    a = run("direct", "CN")
    assert ids(a) == ["CN/acme/to-analytics"]
    t = a.transfers[0]
    assert (t.area, t.exporter, t.sender, t.sender_role) == ("CN", "acme", "acme", "controller")
    assert (t.recipient, t.recipient_role, t.recipient_jurisdictions) == (
        "vendor", "processor", ("US",))
    assert t.path == ("shop", "analytics") and t.path_flows == ("to-analytics",)
    assert people(t) == (20_000, 20_000, 0, "exact")
    assert t.flags == () and t.onward == ()


def test_indirect_export_through_a_domestic_processor() -> None:
    a = run("indirect", "CN")
    assert ids(a) == ["CN/acme/warehouse-to-crm"]  # acme's own flow is domestic
    t = a.transfers[0]
    assert (t.exporter, t.sender, t.sender_role) == ("acme", "hostco", "entrusted")
    assert (t.recipient, t.recipient_role) == ("crm-inc", "controller")
    assert t.path == ("shop", "warehouse", "crm")
    assert t.path_flows == ("to-warehouse", "warehouse-to-crm")
    # the parent category collected upstream meets the more specific edge category as that one
    assert t.categories == ("user.contact.phone",)
    assert people(t) == (20_000, 20_000, 0, "exact")


def test_origin_run_by_a_processor_is_exported_by_its_controller() -> None:
    a = run("processor-origin", "CN")
    assert ids(a) == ["CN/retailer/fraud-check"]
    t = a.transfers[0]
    assert (t.exporter, t.sender, t.sender_role) == ("retailer", "hostco", "processor")
    assert t.origin == ("checkout",)
    assert people(t) == (5_000, 5_000, 5_000, "exact")  # payment cards are sensitive


def test_onward_hops_after_the_first_exit() -> None:
    a = run("onward", "EEA", "CN")
    assert ids(a) == ["CN/eu-shop/cn-to-hk", "EEA/eu-shop/de-to-cn"]
    eea = one(a, "EEA/eu-shop/de-to-cn")
    assert (eea.exporter, eea.sender, eea.recipient, eea.recipient_role) == (
        "eu-shop", "eu-shop", "cn-ops", "processor")
    assert eea.path == ("de-shop", "cn-hub")
    assert eea.onward == (("hk-ops", "hk-hub", "HK"), ("us-labco", "us-lab", "US"))
    assert eea.flags == ("onward",)
    cn = one(a, "CN/eu-shop/cn-to-hk")
    assert (cn.exporter, cn.sender, cn.sender_role, cn.recipient) == (
        "eu-shop", "cn-ops", "processor", "hk-ops")
    assert cn.path == ("de-shop", "cn-hub", "hk-hub")
    assert cn.path_flows == ("de-to-cn", "cn-to-hk")
    assert cn.onward == (("us-labco", "us-lab", "US"),)
    assert cn.flags == ("onward",)
    # data collected in Germany, passing through the mainland
    assert cn.provenance["received_from"] == ["DE"]
    assert cn.provenance["collected_in_area"] is False
    assert people(cn) == people(eea) == (8_000, 8_000, 0, "exact")


def test_round_trip_is_still_an_export() -> None:
    a = run("round-trip", "CN")
    assert ids(a) == ["CN/acme/app-to-hk"]  # hk-back starts outside: not a CN export
    t = a.transfers[0]
    assert (t.exporter, t.recipient, t.recipient_role) == ("acme", "acme-hk", "processor")
    assert t.recipient_jurisdictions == ("HK",)
    assert t.flags == ("round-trip",)
    assert people(t) == (1_200, 1_200, 0, "exact")


# --- remote access

def test_remote_access() -> None:
    a = run("remote-access", "CN", "EEA")
    assert ids(a) == ["CN/acme/acme-travelling", "CN/acme/us-support-reads",
                      "EEA/eu-co/eu-vendor-support"]
    us = one(a, "CN/acme/us-support-reads")
    assert us.exit_edge.kind == "access"
    assert (us.recipient, us.recipient_node, us.recipient_jurisdictions) == (
        "us-support", "accessor:us-support@US", ("US",))
    assert us.path == ("cn-portal", "crm", "accessor:us-support@US")
    assert us.path_flows == ("collect-notes", "us-support-reads")
    assert us.flags == ("remote-access",)
    assert people(us) == (9_000, 9_000, 0, "exact")
    # the same entity's own employee abroad: an export for PIPL ...
    own = one(a, "CN/acme/acme-travelling")
    assert (own.recipient, own.recipient_jurisdictions, own.flags) == (
        "acme", ("JP",), ("remote-access",))
    # ... but not a GDPR transfer
    assert a.by_id("EEA/eu-co/eu-travelling") is None
    # access from inside the mainland by a foreign entity's staff: listed, not an export
    assert [(n.area, n.edge) for n in a.not_transfers] == [("CN", "us-support-onsite"),
                                                            ("EEA", "eu-travelling")]
    assert "from inside CN by staff of" in a.not_transfers[0].reason
    assert "CAC Q&A" in a.not_transfers[0].reason
    assert "own staff" in a.not_transfers[1].reason
    eea = one(a, "EEA/eu-co/eu-vendor-support")
    assert (eea.exporter, eea.recipient, eea.flags) == ("eu-co", "us-support", ("remote-access",))
    assert people(eea) == (400, 400, 0, "exact")
    # a foreign entity's staff accessing from inside the mainland: not a PIPL export
    assert all(t.exit_edge.key != "us-support-onsite" for t in a.transfers)


# --- transformations, routing, clients, transit, unknowns

def test_anonymised_and_aggregated_are_marked_not_dropped() -> None:
    a = run("anonymised", "CN")
    assert ids(a) == ["CN/acme/anon-stats", "CN/acme/pseudo-records"]
    anon = one(a, "CN/acme/anon-stats")
    assert anon.flags == ("anonymised",)
    assert all(t.anonymised for t in anon.tokens)
    assert people(anon) == (0, 0, 0, "exact")  # non-personal for PIPL and GDPR
    assert anon.provenance["personal_collected_in_area"] is False
    pseudo = one(a, "CN/acme/pseudo-records")  # pseudonymised and encrypted stay personal
    assert pseudo.flags == ()
    assert people(pseudo) == (3_000, 3_000, 3_000, "exact")


def test_failover_and_conditional_routes_are_flagged() -> None:
    a = run("routing", "CN")
    assert ids(a) == ["CN/acme/conditional-jp", "CN/acme/failover-sg", "CN/acme/primary-us"]
    assert one(a, "CN/acme/primary-us").flags == ()
    assert one(a, "CN/acme/failover-sg").flags == ("failover",)
    assert one(a, "CN/acme/conditional-jp").flags == ("conditional",)
    assert one(a, "CN/acme/failover-sg").exit_edge.routing == "failover"
    # the fail-over names no cohorts: it carries the primary's people, no new ones
    assert people(one(a, "CN/acme/failover-sg")) == (10_000, 10_000, 0, "exact")
    assert people(one(a, "CN/acme/conditional-jp")) == (800, 800, 0, "exact")


def test_failover_without_cohorts_carries_its_primarys_cohorts() -> None:
    a = run("routing", "CN")
    t = one(a, "CN/acme/failover-sg")
    assert all(tok.cohort is not None for tok in t.tokens)
    assert [d.code for d in a.diagnostics] == []


def test_client_systems_collect_transit_warns_unknown_is_possible() -> None:
    a = run("client", "CN")
    # a mainland company's app sending straight to its US backend: PI collected in domestic
    # operations and stored abroad, an export (SCC Filing Guideline form (i); [U] in PIPL)
    assert ids(a) == ["CN/acme/signup"]
    signup = one(a, "CN/acme/signup")
    assert (signup.sender, signup.recipient, signup.flags) == ("acme", "acme",
                                                                ("direct-collection",))
    assert signup.path == ("phone-app", "us-backend")
    assert people(signup) == (50_000, 50_000, 0, "exact")
    reasons = {n.edge: n.reason for n in a.not_transfers}
    assert set(reasons) == {"pop-transit"}
    assert reasons["pop-transit"] == "transit only"
    # transit_only warns, at the key
    assert [(d.code, d.severity, d.line, d.col) for d in a.diagnostics] == [
        ("DF400", "warning", 20, 79)]
    # location: unknown -> a possible transfer
    assert [t.id for t in a.possible] == ["CN/acme/to-black-box"]
    p = a.possible[0]
    assert p.possible and p.flags == ("possible",)
    assert p.recipient_jurisdictions == ("unknown",)
    assert p.path == ("phone-app", "edge-pop", "hk-pop", "backend", "black-box")
    assert people(p) == (50_000, 50_000, 0, "exact")


def test_client_of_a_collector_abroad_is_not_a_transfer() -> None:
    a = run("client-foreign", "CN", "EEA")
    # a US company's app in China sending to its US backend collects directly (Art. 3(2)); the
    # same flow out of the EEA is collection from data subjects too
    assert ids(a) == []
    reasons = {(n.area, n.edge): n.reason for n in a.not_transfers}
    assert sorted(reasons) == [("CN", "cn-signup"), ("EEA", "eu-signup")]
    assert "established outside CN" in reasons[("CN", "cn-signup")]
    assert "Art. 3(2)" in reasons[("CN", "cn-signup")]
    assert "Art. 3(2)" not in reasons[("EEA", "eu-signup")]


def test_transit_warning_code_is_registered() -> None:
    assert "DF400" in LOADER_CODES


# --- the cases a shortcut would get wrong

def test_two_controllers_share_one_exit_edge() -> None:
    a = run("shared-exit", "CN")
    assert ids(a) == ["CN/acme/relay-to-us", "CN/relayco/relay-to-us"]
    entrusted = one(a, "CN/acme/relay-to-us")
    own = one(a, "CN/relayco/relay-to-us")
    assert entrusted.exit_edge is own.exit_edge or entrusted.exit_edge == own.exit_edge
    assert (entrusted.exporter, entrusted.sender, entrusted.sender_role) == (
        "acme", "relayco", "entrusted")
    assert (own.exporter, own.sender, own.sender_role) == ("relayco", "relayco", "controller")
    assert entrusted.cohorts == ("app-users",) and own.cohorts == ("relay-own-users",)
    assert people(entrusted) == (6_000, 6_000, 0, "exact")
    assert people(own) == (900, 900, 0, "exact")
    assert entrusted.path_flows == ("entrusted-prompts", "relay-to-us")
    assert own.path_flows == ("relay-own-prompts", "relay-to-us")
    assert {t.recipient for t in a.transfers} == {"frontier"}


def test_three_cohorts_union_not_sum_not_max() -> None:
    a = run("three-cohorts", "CN")
    t = one(a, "CN/acme/all-out")
    assert t.cohorts == ("customers", "employees", "vip")
    # sum 13,000; max 6,000; union 6,000 + 5,000 - 1,000 overlap = 10,000 (vip is in customers)
    assert people(t) == (10_000, 10_000, 0, "exact")
    assert people(one(a, "CN/acme/customers-out")) == (6_000, 6_000, 0, "exact")
    assert people(one(a, "CN/acme/staff-out")) == (5_000, 5_000, 0, "exact")


def test_mid_year_crossing_is_found_on_the_right_day() -> None:
    a = run("mid-year", "CN")
    assert ids(a) == ["CN/acme/active-out", "CN/acme/members-out", "CN/acme/newsletter-out"]
    news = one(a, "CN/acme/newsletter-out")
    assert news.exit_edge.period == (dt.date(2026, 7, 1), dt.date(2026, 12, 31))
    entries = [(t.exit_edge.period[0], c) for t in a.transfers for c in t.cohorts]
    assert a.family is not None
    year_end = dt.date(2026, 12, 31)
    # a naive sum of the cohorts carried from 1 January would give 1,050,000 that day
    assert sum(load(FIX / "mid-year.yaml").cohorts[c].count for _, c in entries  # type: ignore[misc]
               if c != "newsletter") >= 1_000_000
    assert a.family.first_reached(entries, 1_000_000, year_end) == dt.date(2026, 9, 1)
    assert a.family.first_reached(entries, 900_000, year_end) == dt.date(2026, 7, 1)
    assert a.family.first_reached(entries, 600_000, year_end) == dt.date(2026, 1, 1)
    assert a.family.first_reached(entries, 1_020_001, year_end) is None


def test_cycles_terminate() -> None:
    a = run("cycle", "CN")
    assert "CN/acme/staff-to-s" in ids(a)
    t = one(a, "CN/acme/staff-to-s")
    assert t.path == ("a", "s") and people(t) == (30, 30, 0, "exact")


def test_cycle_keeps_the_export_inside_the_cycle() -> None:
    a = run("cycle", "CN")
    assert ids(a) == ["CN/acme/b-to-s", "CN/acme/staff-to-s"]
    t = one(a, "CN/acme/b-to-s")
    assert t.path == ("a", "b", "s") and t.path_flows == ("a-to-b", "b-to-s")
    assert people(t) == (700, 700, 0, "exact")
    assert t.flags == ("round-trip",)  # s-to-a brings the data back


def test_own_cohort_behind_an_unscoped_inflow_is_exported() -> None:
    a = run("unscoped-inflow", "CN")
    assert ids(a) == ["CN/acme/users-out"]
    assert people(a.transfers[0]) == (2_000, 2_000, 0, "exact")


def test_data_collected_abroad_passing_through_the_mainland() -> None:
    a = run("collected-abroad", "CN")
    # one exit edge, two controllers: the US shop's data (received from the US) and the
    # processor's own mainland data
    assert ids(a) == ["CN/cn-proc/pass-on", "CN/us-shop/pass-on"]
    foreign = one(a, "CN/us-shop/pass-on")
    assert (foreign.sender, foreign.sender_role) == ("cn-proc", "processor")
    assert foreign.origin == ("us-site",)
    assert foreign.provenance == {
        "collected_in_area": False, "collected_in": [], "received_from": ["US"],
        "domestic_added": False, "personal_collected_in_area": False}
    assert people(foreign) == (4_000, 4_000, 0, "exact")
    local = one(a, "CN/cn-proc/pass-on")
    assert local.provenance["collected_in"] == ["CN"] and local.provenance["received_from"] == []
    assert people(local) == (1_500, 1_500, 0, "exact")


def test_domestic_data_added_to_data_received_from_abroad() -> None:
    a = run("collected-abroad-mixed", "CN")
    assert ids(a) == ["CN/us-shop/pass-on"]
    t = a.transfers[0]
    assert t.origin == ("cn-shopfront", "us-site")
    assert t.provenance == {
        "collected_in_area": True, "collected_in": ["CN"], "received_from": ["US"],
        "domestic_added": True, "personal_collected_in_area": True}
    assert people(t) == (5_500, 5_500, 0, "exact")


# --- areas and filters

SEVERAL = """\
model: {name: Several areas, evaluation_date: 2026-10-01}
entities:
  acme: {jurisdiction: CN}
  vendor: {jurisdiction: US}
  fr-co: {jurisdiction: FR}
  uk-co: {jurisdiction: GB}
systems:
  replicated: {operator: acme, location: [CN, DE], kind: database}
  us-dw: {operator: vendor, location: US, kind: analytics}
  paris: {operator: fr-co, location: FR, kind: service}
  berlin: {operator: fr-co, location: DE, kind: service}
  london: {operator: uk-co, location: GB, kind: service}
  macau: {operator: acme, location: MO, kind: service}
cohorts:
  users: {count: 100}
  eu-users: {count: 70}
flows:
  out:
    {from: replicated, to: us-dw, categories: [user.contact.email], cohorts: [users],
     recipient_role: processor}
  to-macau: {from: replicated, to: macau, categories: [user.contact.phone], cohorts: [users]}
  intra-eea: {from: paris, to: berlin, categories: [user.contact.email], cohorts: [eu-users]}
  eea-to-uk: {from: berlin, to: london, categories: [user.contact.email], recipient_role: processor}
"""


@pytest.fixture()
def several(tmp_path: Path) -> Path:
    p = tmp_path / "m.yaml"
    p.write_text(SEVERAL, encoding="utf-8")
    return p


def test_one_edge_is_a_transfer_for_several_areas(several: Path) -> None:
    model = load(several)
    a = analyse(model)
    assert a.areas == ("CN", "EEA", "UK", "US")
    assert ids(a) == ["CN/acme/out", "CN/acme/to-macau", "EEA/acme/out", "EEA/acme/to-macau",
                      "EEA/fr-co/eea-to-uk"]
    # intra-EEA is not a transfer; Macao is outside the mainland; the UK is outside the EEA
    assert one(a, "CN/acme/to-macau").recipient_jurisdictions == ("MO",)
    assert one(a, "EEA/fr-co/eea-to-uk").recipient_jurisdictions == ("GB",)


def test_category_and_exporter_filters(several: Path) -> None:
    model = load(several)
    assert ids(analyse(model, ["CN", "EEA"], category="user.contact.phone")) == [
        "CN/acme/to-macau", "EEA/acme/to-macau"]
    assert ids(analyse(model, ["CN", "EEA"], category="user.contact")) == [
        "CN/acme/out", "CN/acme/to-macau", "EEA/acme/out", "EEA/acme/to-macau",
        "EEA/fr-co/eea-to-uk"]
    assert ids(analyse(model, ["CN", "EEA"], exporter="fr-co")) == ["EEA/fr-co/eea-to-uk"]


def test_single_jurisdiction_area(several: Path) -> None:
    model = load(several)
    # a single jurisdiction is its own area: France -> Germany leaves France
    assert ids(analyse(model, ["FR"])) == ["FR/fr-co/intra-eea"]
    assert ids(analyse(model, ["DE"])) == ["DE/acme/out", "DE/acme/to-macau",
                                           "DE/fr-co/eea-to-uk"]


def test_transfers_have_at_least_two_path_nodes_and_sorted_ids() -> None:
    for name in ("ai-relay", "direct", "indirect", "onward", "remote-access", "routing",
                 "shared-exit", "three-cohorts", "collected-abroad"):
        a = run(name)
        assert ids(a) == sorted(ids(a))
        for t in a.transfers:
            assert len(t.path) >= 2 and len(t.path_flows) == len(t.path) - 1
            assert t.path[-1] == t.recipient_node
            assert t.id == f"{t.area}/{t.exporter}/{t.exit_edge.key}"
