"""PIPL rules (regulatory.md §2.5-§2.6): pass and fail fixtures per rule."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import codes, pipl

SC = ["pipl.standard-contract", "pipl.certification"]
SA = ["pipl.security-assessment"]
EXEMPT = ["pipl.exempt"]


def set_count(n: int) -> Any:
    def patch(d: dict[str, Any]) -> None:
        d["cohorts"]["customers"]["count"] = n
    return patch


# --- Art. 5(4) / Art. 8 boundary for ordinary PI: 以上 includes the number
@pytest.mark.parametrize(("count", "required", "tier"), [
    (99_999, EXEMPT, "exempt"),
    (100_000, SC, "standard-contract"),
    (999_999, SC, "standard-contract"),
    (1_000_000, SA, "security-assessment"),
])
def test_ordinary_thresholds(run_check: Any, count: int, required: list[str], tier: str) -> None:
    r = run_check(set_count(count))
    a = pipl(r)
    assert a.required == required
    row = next(x for x in r.exporters if x.regime == "pipl")
    assert (row.ordinary, row.tier) == (count, tier)
    assert any(c.article == ("Art. 5(4)" if tier == "exempt" else "Art. 8" if tier ==
                             "standard-contract" else "Art. 7") for c in a.basis)


def sensitive(n: int) -> Any:
    def patch(d: dict[str, Any]) -> None:
        d["cohorts"]["customers"]["count"] = n
        d["flows"]["to-crm"]["categories"] = ["customer.health"]
    return patch


@pytest.mark.parametrize(("count", "required"), [
    (1, SC), (9_999, SC), (10_000, SA),
])
def test_sensitive_thresholds(run_check: Any, count: int, required: list[str]) -> None:
    a = pipl(run_check(sensitive(count)))
    assert a.required == required


def test_99999_ordinary_plus_one_sensitive_needs_a_contract(run_check: Any) -> None:
    def patch(d: dict[str, Any]) -> None:
        d["cohorts"]["customers"]["count"] = 99_999
        d["cohorts"]["patient"] = {"count": 1, "subset_of": "customers"}
        d["flows"]["health"] = {"from": "app", "to": "crm", "categories": ["customer.health"],
                                "cohorts": ["patient"]}
    r = run_check(patch)
    assert pipl(r, "CN/exporter/to-crm").required == EXEMPT  # ordinary only: N tier, Art. 5(4)
    assert pipl(r, "CN/exporter/health").required == SC  # sensitive: S tier from 1 person
    row = next(x for x in r.exporters if x.regime == "pipl")
    assert (row.ordinary, row.sensitive, row.tier) == (99_999, 1, "standard-contract")


def test_security_assessment_tier_covers_all_with_split_warning(run_check: Any) -> None:
    def patch(d: dict[str, Any]) -> None:
        d["cohorts"]["customers"]["count"] = 500_000
        d["cohorts"]["patients"] = {"count": 10_000, "subset_of": "customers"}
        d["flows"]["health"] = {"from": "app", "to": "crm", "categories": ["customer.health"],
                                "cohorts": ["patients"]}
    r = run_check(patch)
    contract = pipl(r, "CN/exporter/to-crm")
    assert contract.required == SA  # conservative default
    w = [x for x in contract.warnings if x.code == "PIPL-U-SA-SPLIT"]
    assert w and "pipl.standard-contract" in w[0].alternative


def test_non_personal_data_needs_nothing(run_check: Any) -> None:
    def patch(d: dict[str, Any]) -> None:
        d["flows"]["to-crm"]["categories"] = ["customer.stats"]
    a = pipl(run_check(patch))
    assert (a.required, a.status) == (["none"], "not-required")  # §2.6 step 1: no mechanism
    assert a.basis[0].article == "Art. 3"


def test_anonymised_data_is_marked_not_personal(run_check: Any) -> None:
    def patch(d: dict[str, Any]) -> None:
        d["flows"]["to-crm"]["transformations"] = ["anonymised"]
    r = run_check(patch)
    a = pipl(r)
    assert a.status == "not-required"
    assert "anonymised" in a.transfer.flags


# --- important data: security assessment whatever the volume; never exempt
def important(d: dict[str, Any]) -> None:
    d["cohorts"]["customers"]["count"] = 10
    d["categories"]["geo.survey"] = {"name": "Survey data", "personal": False,
                                     "important_data": {"basis": "catalogue",
                                                        "ref": "MNR surveying catalogue 2024"}}
    d["flows"]["to-crm"]["categories"] = ["geo.survey"]


def test_important_data_needs_security_assessment(run_check: Any) -> None:
    a = pipl(run_check(important))
    assert a.required == SA
    assert any(s.detail.find("MNR surveying catalogue 2024") >= 0 for s in a.trace)


def test_important_data_with_exemption_claimed_is_an_error(run_check: Any) -> None:
    def patch(d: dict[str, Any]) -> None:
        important(d)
        d["exemptions"] = {"x": {"claim": "pipl.art5-1", "flows": ["to-crm"],
                                 "evidence": "hotel booking"}}
    r = run_check(patch)
    assert pipl(r).required == SA
    assert "PIPL203" in codes(r)


# --- CIIO
def ciio(d: dict[str, Any]) -> None:
    d["entities"]["exporter"]["ciio"] = {"notified": True, "sector": "energy"}
    d["cohorts"]["customers"]["count"] = 10


def test_ciio_small_volume_needs_security_assessment(run_check: Any) -> None:
    a = pipl(run_check(ciio))
    assert a.required == SA  # Art. 5(4) never available to a CIIO


def test_ciio_with_hr_exemption_is_exempt(run_check: Any) -> None:
    def patch(d: dict[str, Any]) -> None:
        ciio(d)
        d["cohorts"]["customers"]["relationship"] = "employee"
        d["exemptions"] = {"hr": {"claim": "pipl.art5-2", "flows": ["to-crm"],
                                  "evidence": "labour rules adopted 2025-03-01"}}
    a = pipl(run_check(patch))
    assert (a.required, a.status, a.exemption) == (EXEMPT, "exempt", "art5-2")


def test_hr_exemption_lost_for_applicants(run_check: Any) -> None:
    def patch(d: dict[str, Any]) -> None:
        d["cohorts"]["customers"]["relationship"] = "applicant"
        d["exemptions"] = {"hr": {"claim": "pipl.art5-2", "flows": ["to-crm"],
                                  "evidence": "recruitment"}}
    r = run_check(patch)
    assert pipl(r).required == SC
    assert "PIPL202" in codes(r)


def test_art4_exemption_for_data_collected_abroad(run_check: Any) -> None:
    def patch(d: dict[str, Any]) -> None:
        d["systems"]["sg-shop"] = {"operator": "exporter", "location": "SG", "kind": "service"}
        d["flows"]["inbound"] = {"from": "sg-shop", "to": "app",
                                 "categories": ["customer.contact"], "cohorts": ["customers"]}
    a = pipl(run_check(patch))
    assert (a.required, a.exemption) == (EXEMPT, "art4")


def test_art4_exemption_lost_when_domestic_pi_added(run_check: Any) -> None:
    def patch(d: dict[str, Any]) -> None:
        d["systems"]["sg-shop"] = {"operator": "exporter", "location": "SG", "kind": "service"}
        d["systems"]["cn-shop"] = {"operator": "exporter", "location": "CN", "kind": "service"}
        d["cohorts"]["locals"] = {"count": 200_000, "residence": "CN"}
        d["flows"]["inbound"] = {"from": "sg-shop", "to": "app",
                                 "categories": ["customer.contact"], "cohorts": ["customers"]}
        d["flows"]["domestic"] = {"from": "cn-shop", "to": "app",
                                  "categories": ["customer.contact"], "cohorts": ["locals"]}
        d["flows"]["to-crm"].pop("cohorts")
        d["exemptions"] = {"reexport": {"claim": "pipl.art4", "flows": ["to-crm"],
                                        "evidence": "data of overseas customers"}}
    r = run_check(patch)
    a = pipl(r)
    assert a.required == SC
    assert "PIPL202" in codes(r)
    assert a.transfer.provenance["domestic_added"] is True


def test_art5_1_contract_exemption_only_when_claimed(run_check: Any) -> None:
    assert pipl(run_check()).required == SC

    def patch(d: dict[str, Any]) -> None:
        d["exemptions"] = {"booking": {"claim": "pipl.art5-1", "flows": ["to-crm"],
                                       "evidence": "cross-border hotel booking for the guest"}}
    a = pipl(run_check(patch))
    assert (a.required, a.exemption) == (EXEMPT, "art5-1")


def test_exempt_transfers_are_not_counted_with_a_warning(run_check: Any) -> None:
    def patch(d: dict[str, Any]) -> None:
        d["cohorts"]["customers"]["count"] = 60_000
        d["cohorts"]["guests"] = {"count": 50_000, "residence": "CN", "relationship": "customer"}
        d["flows"]["booking"] = {"from": "app", "to": "crm", "categories": ["customer.contact"],
                                 "cohorts": ["guests"]}
        d["exemptions"] = {"b": {"claim": "pipl.art5-1", "flows": ["booking"],
                                 "evidence": "hotel booking"}}
    r = run_check(patch)
    row = next(x for x in r.exporters if x.regime == "pipl")
    assert (row.ordinary, row.tier) == (60_000, "exempt")
    assert row.extra["tier_if_exempt_counted"] == "standard-contract"
    assert "PIPL207" in codes(r)


def test_art6_ftz_needs_registration(run_check: Any) -> None:
    def claim(d: dict[str, Any]) -> None:
        d["exemptions"] = {"ftz": {"claim": "pipl.art6", "flows": ["to-crm"],
                                   "evidence": "not on the Lingang negative list"}}
    r = run_check(claim)
    assert pipl(r).required == SC and "PIPL202" in codes(r)

    def registered(d: dict[str, Any]) -> None:
        claim(d)
        d["entities"]["exporter"]["ftz"] = "shanghai-lingang"
    assert pipl(run_check(registered)).exemption == "art6"


# --- territories: HK, MO and TW are outside the mainland
@pytest.mark.parametrize("place", ["HK", "MO", "TW", "aws:ap-east-1"])
def test_hk_macao_taiwan_are_exports(run_check: Any, place: str) -> None:
    def patch(d: dict[str, Any]) -> None:
        d["systems"]["crm"]["location"] = place
    a = pipl(run_check(patch))
    assert a.required == SC


def test_hk_hop_with_onward_transfer_to_the_us(run_check: Any) -> None:
    def patch(d: dict[str, Any]) -> None:
        d["entities"]["hk-hub"] = {"name": "HK Hub Ltd", "jurisdiction": "HK"}
        d["systems"]["hub"] = {"operator": "hk-hub", "location": "HK", "kind": "service"}
        d["flows"]["to-crm"]["to"] = "hub"
        d["flows"]["hub-to-us"] = {"from": "hub", "to": "crm",
                                   "categories": ["customer.contact"]}
    r = run_check(patch)
    a = pipl(r, "CN/exporter/to-crm")
    assert a.transfer.recipient == "hk-hub"
    assert ("vendor", "crm", "US") in a.transfer.onward
    assert "onward" in a.transfer.flags


# --- duties
def test_duties_always_and_consent_unless_non_consent_basis(run_check: Any) -> None:
    # the CRM vendor receives as the exporter's processor: an entrusted party (Art. 21)
    a = pipl(run_check())
    assert {d.id for d in a.duties} == {"pipl.notice", "pipl.separate-consent", "pipl.pipia",
                                        "pipl.entrustment-agreement"}
    assert [d.party for d in a.duties if d.id == "pipl.entrustment-agreement"] == ["vendor"]

    def basis(d: dict[str, Any]) -> None:
        d["flows"]["to-crm"]["legal_basis"] = {"pipl": "13(1)(2)"}
    a2 = pipl(run_check(basis))
    assert {d.id for d in a2.duties} == {"pipl.notice", "pipl.pipia",
                                         "pipl.entrustment-agreement"}
    assert any(w.code == "PIPL-U-CONSENT" for w in a2.warnings)


def test_minors_need_guardian_consent_and_count_as_sensitive(run_check: Any) -> None:
    def patch(d: dict[str, Any]) -> None:
        d["cohorts"]["customers"]["count"] = 50
        d["cohorts"]["customers"]["minors_under_14"] = True
    a = pipl(run_check(patch))
    assert a.required == SC  # all PI of minors under 14 is sensitive: S tier from 1
    assert "pipl.guardian-consent" in {d.id for d in a.duties}


# --- declared vs required
def safeguard(**kw: Any) -> Any:
    def patch(d: dict[str, Any]) -> None:
        g = {"mechanism": "pipl.standard-contract", "exporter": "exporter",
             "recipients": ["vendor"], "effective": "2026-01-15", "filed_on": "2026-01-20"}
        g.update(kw)
        d["safeguards"] = {"sc": {k: v for k, v in g.items() if v is not None}}
        d["duties"] = {k: {"duty": k, "exporter": "exporter", "done_on": "2026-01-10"}
                       for k in ("pipl.notice", "pipl.separate-consent", "pipl.pipia",
                                 "pipl.entrustment-agreement")}
    return patch


def test_declared_contract_closes_the_gap(run_check: Any) -> None:
    r = run_check(safeguard())
    assert pipl(r).status == "ok"
    assert not r.failing()


@pytest.mark.parametrize(("kw", "code"), [
    ({"expires": "2026-06-30"}, "PIPL102"),
    ({"effective": "2026-12-01"}, "PIPL102"),
    ({"categories": ["customer.health"]}, "PIPL104"),
    ({"recipients": ["exporter"]}, "PIPL100"),
    ({"mechanism": "pipl.gba-contract"}, "PIPL101"),
])
def test_safeguard_problems(run_check: Any, kw: dict[str, Any], code: str) -> None:
    r = run_check(safeguard(**kw))
    assert code in {f.code for f in r.failing()}


def test_unfiled_contract_is_an_error_once_the_deadline_passes(run_check: Any) -> None:
    # effective Thursday 2026-01-15: 10 working days end on 2026-01-29
    r = run_check(safeguard(filed_on=None))
    f = next(x for x in r.failing() if x.code == "PIPL105")
    assert f.object_id == "sc" and "by 2026-01-29" in f.message
    assert pipl(r).status == "ok"  # the contract covers the transfer; the filing is the gap
    late = run_check(safeguard(filed_on="2026-02-20"))
    assert [(x.code, x.severity) for x in late.findings if x.code.startswith("PIPL10")] \
        == [("PIPL106", "warning")]
    assert not late.failing()
    on_time = run_check(safeguard(filed_on="2026-01-29"))
    assert not [x for x in on_time.findings if x.code in ("PIPL105", "PIPL106")]


def test_security_assessment_lapses_three_years_after_it_took_effect(run_check: Any) -> None:
    def patch(d: dict[str, Any]) -> None:
        safeguard(mechanism="pipl.security-assessment", effective="2023-01-10",
                  filed_on=None)(d)
        d["cohorts"]["customers"]["count"] = 1_000_000
    r = run_check(patch)
    f = next(x for x in r.failing() if x.code == "PIPL102")
    assert "expired on 2026-01-10 (3 years after it took effect, Provisions Art. 9" in f.message


def test_expiring_safeguard_warns(run_check: Any) -> None:
    r = run_check(safeguard(expires="2026-11-15"))
    assert "PIPL103" in codes(r) and not r.failing()


def test_contract_where_assessment_due_is_insufficient(run_check: Any) -> None:
    def patch(d: dict[str, Any]) -> None:
        safeguard()(d)
        d["cohorts"]["customers"]["count"] = 1_000_000
    r = run_check(patch)
    assert "PIPL101" in {f.code for f in r.failing()}


def test_waivers(run_check: Any) -> None:
    def patch(d: dict[str, Any]) -> None:
        safeguard()(d)
        d["duties"].pop("pipl.pipia")
        d["waivers"] = {"w": {"finding": "PIPL110/CN/exporter/*", "justification": "PIPIA in "
                              "review", "owner": "dpo@example.cn", "expires": "2026-12-31"}}
    r = run_check(patch)
    assert not r.failing()
    assert any(f.waived_by == "w" for f in r.findings)

    def stale(d: dict[str, Any]) -> None:
        safeguard()(d)
        d["waivers"] = {"w": {"finding": "PIPL999/*", "justification": "x", "owner": "y",
                              "expires": "2026-12-31"}}
    assert "CHK002" in {f.code for f in run_check(stale).failing()}

    def expired(d: dict[str, Any]) -> None:
        patch(d)
        d["waivers"]["w"]["expires"] = "2026-01-01"
    assert "CHK003" in {f.code for f in run_check(expired).failing()}


def test_unused_safeguard_warns(run_check: Any) -> None:
    def patch(d: dict[str, Any]) -> None:
        safeguard()(d)
        d["safeguards"]["other"] = {"mechanism": "pipl.standard-contract",
                                    "exporter": "exporter", "recipients": ["exporter"]}
    assert "CHK001" in codes(run_check(patch))


# --- GenAI layer and the relay warning
def genai(public: bool, **status: Any) -> Any:
    def patch(d: dict[str, Any]) -> None:
        d["systems"]["app"]["public_service"] = public
        d["systems"]["model"] = {"operator": "vendor", "location": "US", "kind": "ai-model",
                                 "genai": {"unfiled": True}}
        d["systems"]["app"]["genai"] = {"model": "model", **status}
    return patch


def test_public_service_on_unfiled_overseas_model_is_an_error(run_check: Any) -> None:
    r = run_check(genai(True, unfiled=True))
    f = [x for x in r.findings if x.code == "PIPL200"]
    assert f and f[0].severity == "error" and f[0].citation is not None
    assert f[0].citation.article == "Arts 2, 17, 22(2)"


def reaching(*models: tuple[str, str]) -> Any:
    """A public service whose flows reach overseas models it does not declare in `genai`."""
    def patch(d: dict[str, Any]) -> None:
        d["systems"]["app"]["public_service"] = True
        d["systems"]["app"]["genai"] = {"model": "declared", "registration": "R-1"}
        d["systems"]["declared"] = {"operator": "exporter", "location": "CN-SH",
                                    "kind": "ai-model"}
        for sid, loc in models:
            d["systems"][sid] = {"operator": "vendor", "location": loc, "kind": "ai-model"}
            d["flows"][f"to-{sid}"] = {"from": "crm", "to": sid,
                                       "categories": ["customer.contact"]}
    return patch


def test_undeclared_overseas_model_reached_is_one_finding(run_check: Any) -> None:
    f = [x for x in run_check(reaching(("m1", "JP"))).findings if x.code == "PIPL200"]
    assert [x.message for x in f] == [
        "public generative-AI service 'app' sends data that reaches the overseas model 'm1' "
        "(JP) through its flows, though its `genai` does not declare it; an overseas model is "
        "not filed for the public in China. No transfer mechanism cures this (Interim Measures "
        "Arts 2, 17, 22(2))"]


def test_several_overseas_models_reached_are_one_finding_per_service(run_check: Any) -> None:
    # one finding per service, naming every model (it was one finding per model, all with the
    # same id PIPL200/app: millions on a large estate)
    r = run_check(reaching(("m2", "US"), ("m1", "JP"), ("m3", "SG")))
    f = [x for x in r.findings if x.code == "PIPL200"]
    assert len(f) == 1 and f[0].id == "PIPL200/app" and f[0].severity == "error"
    assert ("reaches 3 overseas models through its flows, though its `genai` declares none of "
            "them: 'm1' (JP), 'm2' (US), 'm3' (SG); an overseas model is not filed"
            in f[0].message)
    assert f[0].file is not None and f[0].line is not None


def test_internal_tool_on_unfiled_model_is_not_a_genai_finding(run_check: Any) -> None:
    assert "PIPL200" not in codes(run_check(genai(False, unfiled=True)))


def test_relay_on_path_warns(run_check: Any) -> None:
    def patch(d: dict[str, Any]) -> None:
        d["systems"]["relay"] = {"operator": "exporter", "location": "CN", "kind": "relay"}
        d["flows"]["to-relay"] = {"from": "app", "to": "relay",
                                  "categories": ["customer.contact"], "cohorts": ["customers"]}
        d["flows"]["to-crm"]["from"] = "relay"
    r = run_check(patch)
    assert any(f.code == "PIPL201" and f.severity == "warning" for f in r.findings)


def test_filing_authority_is_the_provincial_cac(run_check: Any) -> None:
    r = run_check()
    row = next(x for x in r.exporters if x.regime == "pipl")
    assert row.extra["authority"] == "上海市互联网信息办公室"
    assert "10 working days" in pipl(r).filing["rule"]


def test_gba_contract_offered_between_gba_city_and_hong_kong(run_check: Any) -> None:
    def patch(d: dict[str, Any]) -> None:
        d["entities"]["exporter"].update({"province": "CN-GD", "gba_city": "shenzhen"})
        d["entities"]["vendor"]["jurisdiction"] = "HK"
        d["systems"]["crm"]["location"] = "HK"
    a = pipl(run_check(patch))
    assert "pipl.gba-contract" in a.required


def test_tier_crossing_date_mid_year(run_check: Any) -> None:
    def patch(d: dict[str, Any]) -> None:
        d["cohorts"]["customers"]["count"] = {"2026-01-10": 70_000, "2026-09-15": 100_000}
    r = run_check(patch)
    row = next(x for x in r.exporters if x.regime == "pipl")
    assert (row.ordinary, row.tier, row.tier_crossed_on) == (100_000, "standard-contract",
                                                             "2026-09-15")


def test_filing_deadline_counts_working_days() -> None:
    import datetime as dt

    from dataflow.regimes.pipl import filing_deadline, sa_extension_window
    assert filing_deadline(dt.date(2026, 6, 1)) == dt.date(2026, 6, 15)  # Mon + 10 working days
    assert sa_extension_window(dt.date(2029, 6, 1)).weekday() < 5


def test_count_exempt_option_counts_exempt_transfers(tmp_path: Any) -> None:
    from dataflow.api import load
    from dataflow.check import check
    from dataflow.regimes.base import CheckOptions

    from .conftest import write_model

    def patch(d: dict[str, Any]) -> None:
        d["cohorts"]["customers"]["count"] = 60_000
        d["cohorts"]["guests"] = {"count": 50_000, "residence": "CN", "relationship": "customer"}
        d["flows"]["booking"] = {"from": "app", "to": "crm", "categories": ["customer.contact"],
                                 "cohorts": ["guests"]}
        d["exemptions"] = {"b": {"claim": "pipl.art5-1", "flows": ["booking"],
                                 "evidence": "hotel booking"}}
    model = load(write_model(tmp_path, patch))
    default = next(x for x in check(model).exporters if x.regime == "pipl")
    counted = next(x for x in check(model, options=CheckOptions(count_exempt=True)).exporters
                   if x.regime == "pipl")
    assert (default.ordinary, default.tier) == (60_000, "exempt")
    assert (counted.ordinary, counted.tier) == (110_000, "standard-contract")


def test_art5_3_emergency_claim(run_check: Any) -> None:
    def patch(d: dict[str, Any]) -> None:
        d["exemptions"] = {"er": {"claim": "pipl.art5-3", "flows": ["to-crm"],
                                  "evidence": "evacuation of an injured traveller"}}
    a = pipl(run_check(patch))
    assert (a.required, a.exemption) == (EXEMPT, "art5-3")
    assert a.basis[0].article == "Art. 5(3)"


def test_exempt_transfers_keep_their_duties(run_check: Any) -> None:
    """Provisions Art. 10: an exemption removes the mechanism, not notice, consent or PIPIA."""
    a = pipl(run_check(set_count(10)))
    assert a.exemption == "art5-4"
    assert {d.id for d in a.duties} >= {"pipl.notice", "pipl.pipia"}
    assert any(c.article == "Art. 10" for c in a.basis)


def test_gba_contract_not_offered_to_a_ciio(run_check: Any) -> None:
    def patch(d: dict[str, Any]) -> None:
        d["entities"]["exporter"].update({"province": "CN-GD", "gba_city": "shenzhen",
                                          "ciio": {"notified": True}})
        d["entities"]["vendor"]["jurisdiction"] = "HK"
        d["systems"]["crm"]["location"] = "HK"
    a = pipl(run_check(patch))
    assert a.required == SA and "pipl.gba-contract" not in a.required


def test_gba_contract_refused_above_the_sa_tier_with_a_warning(run_check: Any) -> None:
    def patch(d: dict[str, Any]) -> None:
        d["entities"]["exporter"].update({"province": "CN-GD", "gba_city": "shenzhen"})
        d["entities"]["vendor"]["jurisdiction"] = "HK"
        d["systems"]["crm"]["location"] = "HK"
        d["cohorts"]["customers"]["count"] = 500_000
        d["cohorts"]["patients"] = {"count": 10_000, "subset_of": "customers"}
        d["flows"]["health"] = {"from": "app", "to": "crm", "categories": ["customer.health"],
                                "cohorts": ["patients"]}
        d["entities"]["other"] = {"name": "Other HK", "jurisdiction": "HK"}
    r = run_check(patch)
    a = pipl(r, "CN/exporter/to-crm")
    assert a.required == SA and "pipl.gba-contract" not in a.required


def test_remote_access_from_abroad_is_an_export_but_not_from_inside(run_check: Any) -> None:
    def patch(d: dict[str, Any]) -> None:
        d["flows"].pop("to-crm")
        d["access"] = {"support": {"system": "app", "accessor": "vendor", "from": "US",
                                   "categories": ["customer.contact"], "cohorts": ["customers"]},
                       "onsite": {"system": "app", "accessor": "vendor", "from": "CN",
                                  "categories": ["customer.contact"], "cohorts": ["customers"]}}
    r = run_check(patch)
    a = pipl(r)
    assert a.transfer.id == "CN/exporter/support" and "remote-access" in a.transfer.flags
    assert a.required == SC


# --- the [U] counting points and the hints found by the new-user scenarios (tests/scenarios_s3)

def _row(r: Any) -> Any:
    return next(x for x in r.exporters if x.regime == "pipl" and x.exporter == "exporter")


def test_devices_are_not_people_but_the_alternative_is_shown(run_check: Any) -> None:
    def patch(d: dict[str, Any]) -> None:
        d["cohorts"]["phones"] = {"count": 200_000, "unit": "devices", "residence": "CN"}
        d["cohorts"]["customers"]["count"] = 50_000
        d["flows"]["to-crm"]["cohorts"] = ["customers", "phones"]
    r = run_check(patch)
    assert (_row(r).ordinary, _row(r).tier) == (50_000, "exempt")
    w = next(x for x in pipl(r).warnings if x.code == "PIPL-U-DEVICES")
    assert "250,000 ordinary" in w.alternative and "standard-contract" in w.alternative
    assert any(f.code == "PIPL207" and "devices" in f.message for f in r.findings)


def test_ciio_with_only_exempt_exports_owes_no_assessment(run_check: Any) -> None:
    def patch(d: dict[str, Any]) -> None:
        d["entities"]["exporter"]["ciio"] = {"notified": True}
        d["exemptions"] = {"hr": {"claim": "pipl.art5-1", "flows": ["to-crm"],
                                  "evidence": "contract with the customers"}}
    r = run_check(patch)
    assert pipl(r).status == "exempt"
    assert _row(r).tier == "exempt"


def test_own_recipient_abroad_hint_names_the_missing_counterparty(run_check: Any) -> None:
    def patch(d: dict[str, Any]) -> None:
        d["systems"]["crm"]["operator"] = "exporter"
    r = run_check(patch)
    gap = next(f for f in r.findings if f.code == "PIPL100")
    assert "recipients [exporter]" in (gap.hint or "")
    assert "is its own recipient abroad" in (gap.hint or "")
