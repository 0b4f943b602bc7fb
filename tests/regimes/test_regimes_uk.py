"""UK GDPR (dataflow.regimes.uk_gdpr): data bridges, IDTA / Addendum + TRA, DUAA 2025."""

from __future__ import annotations

import datetime as dt

import pytest


def duties(a):
    return [d.id for d in a.duties]


def test_uk_extension_to_the_dpf_is_a_u_warning(fixture_run):
    r = fixture_run("uk")
    a = r.a("uk-gdpr", "UK/brit/to-dpf")
    assert a.required == ["uk-gdpr.adequacy"] and a.self_executing and a.status == "ok"
    reg = a.mechanism_details["uk-gdpr.adequacy"]["regulations"][0]
    assert reg["in_force"] == "2023-10-12" and reg["dpf_uk_extension"] is True
    w = a.warnings[0]
    assert w.code == "UKGDPR-U-DPF-UK-EXTENSION"
    assert "uk-gdpr.idta or uk-gdpr.addendum (EU SCC module 1) + gdpr.tia" in w.alternative
    f = r.f("UKGDPR201/UK/brit/to-dpf")
    assert f.severity == "warning" and "12 Oct 2023" in f.citation.text()


def test_uk_dpf_does_not_cover_hr_data_without_hr_certification(fixture_run):
    r = fixture_run("uk")
    a = r.a("uk-gdpr", "UK/brit/hr-to-dpf")
    assert a.required == ["uk-gdpr.idta", "uk-gdpr.addendum"]
    assert "UKGDPR208" in r.codes("UK/brit/hr-to-dpf")


def test_idta_declared_with_tra_passes(fixture_run):
    a = fixture_run("uk").a("uk-gdpr", "UK/brit/to-in")
    assert a.required == ["uk-gdpr.idta", "uk-gdpr.addendum"]
    assert a.mechanism_details["uk-gdpr.addendum"]["eu_scc_module"] == 2
    assert a.declared == ["idta-in"] and a.status == "ok"
    assert duties(a) == ["gdpr.tia", "gdpr.dpa"]  # the TRA reuses gdpr.tia
    assert "data protection test" in a.duties[0].basis.text()


def test_addendum_expiring_and_missing_tra(fixture_run):
    r = fixture_run("uk")
    a = r.a("uk-gdpr", "UK/brit/to-none")
    assert a.declared == ["add-none"] and a.status == "gap"  # the TRA and DPA are missing
    assert "2026-11-15" in r.f("UKGDPR103/UK/brit/to-none").message
    assert {"UKGDPR110"} <= r.codes("UK/brit/to-none")


def test_addendum_with_the_wrong_module(fixture_run):
    r = fixture_run("uk")
    f = r.f("UKGDPR211/UK/brit/to-br")
    assert "module 2" in f.message and "module 1 (C2C)" in f.message


def test_eea_and_crown_dependencies_are_adequate_brazil_is_not(fixture_run):
    r = fixture_run("uk")
    de = r.a("uk-gdpr", "UK/brit/to-de")
    assert de.required == ["uk-gdpr.adequacy"] and "Sch. 21" in (
        de.mechanism_details["uk-gdpr.adequacy"]["regulations"][0]["basis"])
    assert r.a("uk-gdpr", "UK/brit/to-je").required == ["uk-gdpr.adequacy"]
    assert r.a("uk-gdpr", "UK/brit/to-br").required == ["uk-gdpr.idta", "uk-gdpr.addendum"]


def test_duaa_data_protection_test_after_5_feb_2026(fixture_run):
    after = fixture_run("uk")
    a = after.a("uk-gdpr", "UK/brit/to-in")
    assert any(s.step == "5. data protection test" for s in a.trace)
    assert "Art. 44A" in a.basis[0].text() or "46(1A)" in a.basis[0].text()
    f = after.f("UKGDPR202/UK/brit/to-in")
    assert f.severity == "info" and "5 Feb 2026" in f.message
    before = fixture_run("uk", dt.date(2025, 12, 1))
    b = before.a("uk-gdpr", "UK/brit/to-in")
    assert "UKGDPR202" not in before.codes()
    assert any("before 5 Feb 2026" in s.detail for s in b.trace)
    assert b.duties[0].basis.text().startswith("ICO guidance")


def test_eu_to_uk_is_adequate_until_2031(fixture_run):
    a = fixture_run("gdpr-adequacy").a("gdpr", "EEA/tulip/to-uk")
    assert a.mechanism_details["gdpr.adequacy"]["decisions"][0]["renewed"] == "2025-12-19"


def test_eu_sccs_alone_no_longer_cover_uk_transfers(fixture_run):
    a = fixture_run("uk").a("uk-gdpr", "UK/brit/to-br")
    assert any(s.step == "4. EU SCCs" and "21 Mar 2024" in s.detail for s in a.trace)


# --- UK BCRs (Art. 47), Art. 49 exceptions and the uk-gdpr.tra duty id ------------------------

_UK_TOOLS = """
model: {name: UK tools, evaluation_date: 2026-10-01}
entities:
  brit:   {name: Brit Ltd, jurisdiction: GB}
  sister: {name: Brit India Pvt Ltd, jurisdiction: IN, parent: brit, processor_for: [brit]}
  hotel:  {name: Hotel SAE, jurisdiction: EG}
  other:  {name: Other Ltda, jurisdiction: BR}
  council: {name: A Council, jurisdiction: GB, public_authority: true}
systems:
  core:    {operator: brit, location: GB, kind: service}
  cs:      {operator: council, location: GB, kind: service}
  sis-s:   {operator: sister, location: IN, kind: service}
  hotel-s: {operator: hotel, location: EG, kind: service}
  other-s: {operator: other, location: BR, kind: service}
categories:
  customer.contact: {name: Customer contact details, personal: true}
cohorts:
  customers: {name: UK customers, count: 9000, residence: GB, relationship: customer}
  trip:      {count: 40, subset_of: customers}
flows:
  to-sister: {from: core, to: sis-s, categories: [customer.contact], cohorts: [customers],
              frequency: continuous}
  to-hotel:  {from: core, to: hotel-s, categories: [customer.contact], cohorts: [trip],
              recipient_role: controller, frequency: one-off,
              period: {from: 2026-05-01, to: 2026-05-01}}
  to-other:  {from: core, to: other-s, categories: [customer.contact], cohorts: [customers],
              recipient_role: controller, frequency: continuous}
  council-out: {from: cs, to: hotel-s, categories: [customer.contact], cohorts: [trip],
                recipient_role: controller, frequency: one-off,
                period: {from: 2026-05-01, to: 2026-05-01}}
safeguards:
  bcr:   {mechanism: uk-gdpr.bcr, exporter: brit, recipients: [sister], effective: 2024-01-01}
  derog: {mechanism: uk-gdpr.derogation, exporter: brit, recipients: [hotel],
          reference: "Art. 49(1)(b)", effective: 2026-01-01}
  bcr-other: {mechanism: uk-gdpr.bcr, exporter: brit, recipients: [other],
              effective: 2024-01-01}
  derog-other: {mechanism: uk-gdpr.derogation, exporter: brit, recipients: [other],
                reference: "Art. 49(1)(b)", effective: 2024-01-01}
  derog-council: {mechanism: uk-gdpr.derogation, exporter: council, recipients: [hotel],
                  reference: "Art. 49(1)(b)", effective: 2026-01-01}
duties:
  tra:  {duty: uk-gdpr.tra, exporter: brit, recipients: [sister], done_on: 2024-01-01}
  dpa:  {duty: gdpr.dpa, exporter: brit, recipients: [sister], done_on: 2024-01-01}
"""


@pytest.fixture(scope="module")
def uk_tools(tmp_path_factory):
    from dataflow.api import load
    from dataflow.check import check
    from dataflow.transfers import analyse

    from .conftest import Run

    path = tmp_path_factory.mktemp("uk-tools") / "dataflow.yaml"
    path.write_text(_UK_TOOLS, encoding="utf-8")
    model = load(path)
    return Run(check(model, analyse(model)))


def test_uk_bcr_inside_the_group_with_a_tra_declared_as_uk_gdpr_tra(uk_tools):
    a = uk_tools.a("uk-gdpr", "UK/brit/to-sister")
    assert a.required == ["uk-gdpr.idta", "uk-gdpr.addendum", "uk-gdpr.bcr"]
    assert a.mechanism_details["uk-gdpr.bcr"]["group"] == "brit"
    assert a.declared == ["bcr"] and a.status == "ok"
    assert duties(a) == ["uk-gdpr.tra", "gdpr.dpa"]  # the id the model declares
    assert all(d.declared for d in a.duties)
    assert "CHK005/tra" not in uk_tools.ids()
    assert "UKGDPR202/UK/brit/to-sister" in uk_tools.ids()  # BCRs are an Art. 46 tool


def test_uk_bcr_outside_the_group_is_insufficient(uk_tools):
    a = uk_tools.a("uk-gdpr", "UK/brit/to-other")
    assert "uk-gdpr.bcr" not in a.required and a.status == "gap"
    assert any(s.step == "4. Art. 47" and "not available" in s.result for s in a.trace)
    assert "UKGDPR101" in uk_tools.codes("UK/brit/to-other")


def test_uk_exception_for_an_occasional_transfer_needs_no_tra(uk_tools):
    a = uk_tools.a("uk-gdpr", "UK/brit/to-hotel")
    assert a.required[-1] == "uk-gdpr.derogation"
    assert a.mechanism_details["uk-gdpr.derogation"]["grounds"] == ["b"]
    assert a.declared == ["derog"] and a.status == "ok"
    assert duties(a) == []
    assert not uk_tools.codes("UK/brit/to-hotel") & {"UKGDPR100", "UKGDPR101", "UKGDPR110",
                                                       "UKGDPR202"}


def test_uk_exception_for_a_systematic_transfer_is_rejected(uk_tools):
    a = uk_tools.a("uk-gdpr", "UK/brit/to-other")
    assert "uk-gdpr.derogation" not in a.required
    f = uk_tools.f("UKGDPR200/UK/brit/to-other")
    assert f.severity == "error" and f.object_id == "derog-other" and "systematic" in f.message


def test_uk_exception_b_not_for_a_public_authority(uk_tools):
    a = uk_tools.a("uk-gdpr", "UK/council/council-out")
    assert "uk-gdpr.derogation" not in a.required and a.status == "gap"
    assert "UKGDPR209" in uk_tools.codes("UK/council/council-out")


def test_without_a_uk_gdpr_tra_the_tra_keeps_the_gdpr_tia_id(fixture_run):
    a = fixture_run("uk").a("uk-gdpr", "UK/brit/to-none")
    assert duties(a)[0] == "gdpr.tia"


def test_uk_exception_codes_are_documented():
    from dataflow.regimes.uk_gdpr import FINDING_CODES
    for code in ("UKGDPR200", "UKGDPR209"):
        fc = FINDING_CODES[code]
        assert fc.severity == "error" and fc.citation is not None and fc.fix
