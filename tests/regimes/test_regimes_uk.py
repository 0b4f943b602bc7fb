"""UK GDPR (dataflow.regimes.uk_gdpr): data bridges, IDTA / Addendum + TRA, DUAA 2025."""

from __future__ import annotations

import datetime as dt


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
