"""US DOJ Data Security Program and PADFA (dataflow.regimes.us_doj, us_padfa)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dataflow.api import load
from dataflow.check import check
from dataflow.transfers import analyse

# --- thresholds are exclusive ------------------------------------------------------------------------

def test_precise_geolocation_1000_devices_is_not_bulk(fixture_run):
    a = fixture_run("doj-thresholds").a("us-doj-dsp", "US/usco/geo-1000")
    assert a.required == ["none"] and a.status == "not-required"
    assert a.exemption == "below-threshold"
    assert any("precise-geolocation 1,000" in s.detail for s in a.trace)


def test_precise_geolocation_1001_devices_is_restricted(fixture_run):
    r = fixture_run("doj-thresholds")
    a = r.a("us-doj-dsp", "US/usco/geo-1001")
    assert a.required == ["us-doj-dsp.cisa-security-requirements"]
    md = a.mechanism_details["us-doj-dsp.cisa-security-requirements"]
    assert md["counts"] == {"precise-geolocation": 1001} and md["transaction"] == "vendor"
    assert [d.id for d in a.duties] == ["us-doj-dsp.compliance-program"]
    assert a.duties[0].declared
    assert "DOJ100" in r.codes("US/usco/geo-1001")
    assert "§§ 202.401-402" in a.basis[0].text()


def test_health_10000_persons_is_not_bulk(fixture_run):
    a = fixture_run("doj-thresholds").a("us-doj-dsp", "US/usco/health-10000")
    assert a.status == "not-required"


def test_health_10001_persons_restricted_and_declared(fixture_run):
    a = fixture_run("doj-thresholds").a("us-doj-dsp", "US/usco/health-10001")
    assert a.required == ["us-doj-dsp.cisa-security-requirements"]
    assert a.declared == ["cisa-v4"] and a.status == "ok"
    assert a.mechanism_details["us-doj-dsp.cisa-security-requirements"]["counts"] == {
        "health": 10001}


def test_exporter_row(fixture_run):
    rows = [x for x in fixture_run("doj-thresholds").result.exporters
            if x.regime == "us-doj-dsp"]
    assert len(rows) == 1 and rows[0].tier == "restricted"
    assert rows[0].extra["thresholds"]["health"] == 10_000
    assert rows[0].extra["by_covered_person"]["cn2"]["bulk"] == ["precise-geolocation"]


# --- transaction classes -------------------------------------------------------------------------------

def test_brokerage_to_hong_kong_is_prohibited(fixture_run):
    r = fixture_run("doj-transactions")
    a = r.a("us-doj-dsp", "US/usco/sell")
    assert a.status == "blocked" and a.required == []
    f = r.f("DOJ200/US/usco/sell")
    assert f.severity == "error" and "§ 202.301" in f.citation.text()


def test_bulk_genomic_access_is_prohibited(fixture_run):
    r = fixture_run("doj-transactions")
    assert r.a("us-doj-dsp", "US/usco/sequence").status == "blocked"
    assert "§ 202.303" in r.f("DOJ201/US/usco/sequence").citation.text()


def test_remote_access_from_china_without_class_defaults_to_restricted(fixture_run):
    r = fixture_run("doj-transactions")
    a = r.a("us-doj-dsp", "US/usco/beijing-support")
    assert a.required == ["us-doj-dsp.cisa-security-requirements"]
    w = [x for x in a.warnings if x.code == "DOJ-U-TRANSACTION"]
    assert w and "prohibited" in w[0].alternative


def test_declared_covered_person_outside_coc_and_investment(fixture_run):
    a = fixture_run("doj-transactions").a("us-doj-dsp", "US/usco/front")
    assert a.required == ["us-doj-dsp.cisa-security-requirements"]
    assert any("declared a covered person" in s.detail for s in a.trace)


def test_anonymised_data_still_counts_and_aggregates_per_covered_person(fixture_run):
    r = fixture_run("doj-transactions")
    for tid in ("US/usco/stats-a", "US/usco/stats-b"):
        a = r.a("us-doj-dsp", tid)
        assert a.required == ["us-doj-dsp.cisa-security-requirements"]
        # 6,000 + 6,000 anonymised members to the same covered person: 12,000 > 10,000
        assert a.mechanism_details["us-doj-dsp.cisa-security-requirements"]["counts"] == {
            "health": 12000}
        assert "anonymised" in a.transfer.flags
    old = r.a("us-doj-dsp", "US/usco/stats-old")  # ended more than 12 months before
    assert old.status == "not-required" and old.exemption == "outside-window"


def test_government_related_data_at_any_volume(fixture_run):
    a = fixture_run("doj-transactions").a("us-doj-dsp", "US/usco/sites")
    assert a.required == ["us-doj-dsp.cisa-security-requirements"]
    assert a.mechanism_details["us-doj-dsp.cisa-security-requirements"]["classes"] == [
        "government"]


def test_before_the_rule_applies(fixture_run):
    r = fixture_run("doj-transactions", dt.date(2025, 3, 1))
    assert r.a("us-doj-dsp", "US/usco/sell").status == "not-required"
    assert "DOJ200" not in r.codes()


def test_compliance_program_only_from_6_oct_2025(fixture_run):
    r = fixture_run("doj-thresholds", dt.date(2025, 6, 1))
    a = r.a("us-doj-dsp", "US/usco/geo-1001")
    assert a.required == ["us-doj-dsp.cisa-security-requirements"] and a.duties == []


# --- who is bound, where ---------------------------------------------------------------------------------

def test_non_us_exporter_gets_the_outcome_as_a_warning(fixture_run):
    r = fixture_run("doj-other")
    a = r.a("us-doj-dsp", "EEA/euco/eu-to-cn")
    assert a.status == "not-required" and a.exemption == "not-a-us-person"
    assert "restricted (vendor agreement)" in a.warnings[0].alternative
    assert "DOJ207" in r.codes("EEA/euco/eu-to-cn")


def test_us_exporter_system_outside_every_analysed_area(fixture_run):
    r = fixture_run("doj-other")
    a = r.a("us-doj-dsp", "CA/usco/ca-to-cn")
    assert a.required == ["us-doj-dsp.cisa-security-requirements"]


def test_covered_person_through_the_parent_chain_is_a_u_point(fixture_run):
    r = fixture_run("doj-other")
    a = r.a("us-doj-dsp", "US/usco/to-sub-sg")
    assert a.required == ["us-doj-dsp.cisa-security-requirements"]
    assert a.warnings[0].code == "DOJ-U-COVERED"
    assert "50 %" in r.f("DOJ207/US/usco/to-sub-sg").message


def test_covered_person_inside_the_us_is_flagged(fixture_run):
    f = fixture_run("doj-other").f("DOJ204/to-front")
    assert f.severity == "warning" and "inside US" in f.message


def test_brokerage_to_other_foreign_person_needs_onward_clause(fixture_run):
    r = fixture_run("doj-other")
    a = r.a("us-doj-dsp", "US/usco/broker-uk")
    assert a.required == ["us-doj-dsp.onward-transfer-clause"]
    assert "§ 202.302" in a.basis[0].text()
    assert "rubuyer (RU)" in r.f("DOJ208/US/usco/broker-uk").message


# --- PADFA and the HK broker -----------------------------------------------------------------------------

def test_hk_broker(fixture_run):
    r = fixture_run("hk-broker")
    doj = r.a("us-doj-dsp", "US/usbroker/sell-hk")
    assert doj.status == "blocked"  # HK is part of China for the DOJ rule
    assert "DOJ200" in r.codes("US/usbroker/sell-hk")
    p = r.a("us-padfa", "US/usbroker/sell-hk")
    assert p.status == "blocked" and p.warnings[0].code == "PADFA-U-HKMO"
    assert "not prohibited by PADFA" in p.warnings[0].alternative
    assert r.f("PADFA200/US/usbroker/sell-hk").severity == "error"
    assert r.f("PADFA201/US/usbroker/sell-hk").severity == "warning"
    # the HK broker's own resale from Hong Kong: no HK mechanism
    hk = r.a("hk", "HK/hkbroker/resell-sg")
    assert hk.required == ["none"] and hk.status == "not-required"
    assert "s. 33" in r.f("HK200/HK/hkbroker/resell-sg").citation.text()


def test_padfa_not_for_data_collected_directly(fixture_run):
    r = fixture_run("hk-broker")
    p = r.a("us-padfa", "US/usbroker/sell-cn")
    assert p.status == "not-required" and p.exemption == "collected-directly"
    assert any("collected the data directly" in s.detail for s in p.trace)
    assert "PADFA200" not in r.codes("US/usbroker/sell-cn")
    assert r.a("us-doj-dsp", "US/usbroker/sell-cn").status == "blocked"  # DOJ has no such carve-out


def test_padfa_prohibits_broker_sale_to_china(fixture_run, tmp_path):
    src = (Path(__file__).parent / "fixtures" / "hk-broker.yaml").read_text()
    src = src.replace("sell-cn:   {from: app-db,", "sell-cn:   {from: lists,").replace(
        "cohorts: [app-users], doj_transaction: brokerage", "cohorts: [bought], "
        "doj_transaction: brokerage")
    p = tmp_path / "m.yaml"
    p.write_text(src)
    m = load(p)
    res = check(m, analyse(m))
    a = next(x for x in res.assessments if x.regime == "us-padfa" and x.transfer.id
             == "US/usbroker/sell-cn")
    assert a.status == "blocked" and not a.warnings
    assert any(f.id == "PADFA200/US/usbroker/sell-cn" for f in res.findings)


# --- combined data, units, cohorts, service providers ------------------------------------------------

def test_combined_data_is_a_u_point(fixture_run):
    r = fixture_run("doj-misc")
    for tid in ("US/usco/faces-out", "US/usco/names-out"):
        a = r.a("us-doj-dsp", tid)  # 600 faces + 2,000 names: no class alone is bulk
        assert a.required == ["us-doj-dsp.cisa-security-requirements"]
        w = [x for x in a.warnings if x.code == "DOJ-U-COMBINED"]
        assert w and "not a covered data transaction" in w[0].alternative
        counts = a.mechanism_details["us-doj-dsp.cisa-security-requirements"]["counts"]
        assert counts["combined_lowest_threshold"] == 1000


def test_persons_counted_as_devices_for_geolocation(fixture_run):
    r = fixture_run("doj-misc")
    assert r.a("us-doj-dsp", "US/usco/rides-out").required == [
        "us-doj-dsp.cisa-security-requirements"]
    assert "counted in devices" in r.f("DOJ203/US/usco/rides-out").message


def test_doj_class_data_without_cohorts(fixture_run):
    r = fixture_run("doj-misc")
    assert r.a("us-doj-dsp", "US/usco/nocohort-out").status == "not-required"
    assert "user.health.test_result" in r.f("DOJ206/US/usco/nocohort-out").message


def test_padfa_service_provider_is_not_a_data_broker(fixture_run):
    r = fixture_run("doj-misc")
    p = r.a("us-padfa", "US/clientco/svc-out")
    assert p.status == "not-required" and p.exemption == "service-provider"
    assert "PADFA200" not in r.codes()


def test_padfa_before_it_applies(fixture_run):
    r = fixture_run("hk-broker", dt.date(2024, 5, 1))
    p = r.a("us-padfa", "US/usbroker/sell-hk")
    assert p.status == "not-required" and p.exemption == "not-in-force"
