"""§5 flags (dataflow.regimes.others): RU, IN, VN, ID, SA, SG, JP, KR, HK."""

from __future__ import annotations

import datetime as dt

from dataflow.check import all_finding_codes


def test_russia_cross_border_notification_declared(fixture_run):
    a = fixture_run("others").a("ru", "RU/ru/ru-out")
    assert a.required == ["ru.roskomnadzor-notification"]
    assert a.declared == ["ru-note"] and a.status == "ok"
    assert "Art. 12" in a.basis[0].text()


def test_russia_localisation_collection_into_a_database_abroad(fixture_run):
    r = fixture_run("others")
    f = r.f("RU200/ru-collect")
    assert f.severity == "error" and "russians" in f.message and "shop-db" in f.message
    assert "23-FZ" in f.citation.text() and f.citation.confidence == "V"
    before = fixture_run("others", dt.date(2025, 3, 1)).f("RU200/ru-collect")
    assert "242-FZ" in before.citation.text()


def test_india_negative_list_is_informational_and_payment_data_warns(fixture_run):
    r = fixture_run("others")
    a = r.a("in", "IN/in/in-out")
    assert a.required == ["in.negative-list-check"]
    assert a.self_executing and a.status == "not-required"
    assert a.warnings[0].code == "IN-U-WHITELIST"
    assert r.f("IN200/IN/in/in-out").severity == "info"
    assert "user.financial.payment_card" in r.f("IN201/IN/in/in-out").message


def test_vietnam_ctia_dossier_with_deadline(fixture_run):
    r = fixture_run("others")
    a = r.a("vn", "VN/vn/vn-out")
    assert a.required == ["vn.ctia-dossier"] and a.status == "gap"
    assert a.filing["deadline"] == "2026-04-30"  # first transfer 1 Mar 2026 + 60 days [U]
    assert a.warnings[0].code == "VN-U-DEADLINE"
    assert "VN100" in r.codes("VN/vn/vn-out")
    assert r.f("VN201/vn").severity == "info"


def test_vietnam_before_the_pdpl(fixture_run):
    a = fixture_run("others", dt.date(2025, 10, 1)).a("vn", "VN/vn/vn-out")
    assert a.status == "not-required" and a.exemption == "not-in-force"


def test_indonesia_art56_cascade(fixture_run):
    r = fixture_run("others")
    a = r.a("id", "ID/id/id-out")
    assert a.required == ["id.art56-cascade"]
    assert len(a.mechanism_details["id.art56-cascade"]["steps"]) == 3
    assert a.warnings[0].code == "ID-U-GR"
    assert "ID100" in r.codes("ID/id/id-out")


def test_saudi_safeguards_and_transfer_risk_assessment(fixture_run):
    r = fixture_run("others")
    a = r.a("sa", "SA/sa/sa-out")
    assert a.required == ["sa.scc", "sa.binding-common-rules", "sa.accreditation-certificate"]
    assert [(d.id, d.declared) for d in a.duties] == [("sa.transfer-risk-assessment", True)]
    assert "SA100" in r.codes("SA/sa/sa-out")


def test_singapore_tlo_declared(fixture_run):
    a = fixture_run("others").a("sg", "SG/sg/sg-out")
    assert a.required == ["sg.tlo-safeguards"] and a.declared == ["sg-tlo"] and a.status == "ok"


def test_japan_designated_country_and_consent_or_equivalent(fixture_run):
    r = fixture_run("others")
    de = r.a("jp", "JP/jp/jp-de")
    assert de.required == ["jp.designated-country"] and de.self_executing and de.status == "ok"
    us = r.a("jp", "JP/jp/jp-out")
    assert us.required == ["jp.consent-or-equivalent"] and "JP100" in r.codes("JP/jp/jp-out")


def test_korea_wrong_mechanism_is_insufficient(fixture_run):
    r = fixture_run("others")
    assert r.a("kr", "KR/kr/kr-out").required == ["kr.art28-8-basis"]
    assert "kr-wrong" in r.f("KR101/KR/kr/kr-out").message


def test_hong_kong_has_no_mechanism(fixture_run):
    r = fixture_run("others")
    a = r.a("hk", "HK/hk/hk-out")
    assert a.required == ["none"] and a.status == "not-required"
    assert r.f("HK200/HK/hk/hk-out").severity == "info"


def test_singapore_intermediary_passing_foreign_data_is_a_u_point():
    from pathlib import Path

    from dataflow.api import load
    from dataflow.check import check
    from dataflow.transfers import analyse
    root = Path(__file__).resolve().parents[2] / "examples" / "ai-relay"
    m = load(root)
    res = check(m, analyse(m))
    a = next(x for x in res.assessments if x.regime == "sg")
    assert a.required == ["sg.tlo-safeguards"]
    assert a.warnings[0].code == "SG-U-INTERMEDIARY"
    assert any(f.code == "SG207" for f in res.findings)


def test_other_codes_documented():
    codes = all_finding_codes()
    for prefix in ("RU", "IN", "VN", "ID", "SA", "SG", "JP", "KR", "HK", "DOJ", "PADFA",
                   "UKGDPR"):
        for n in ("100", "101", "102", "103", "104", "110"):
            fc = codes[prefix + n]
            assert fc.explanation and fc.fix and fc.citation is not None
    for code in ("RU200", "IN200", "IN201", "VN201", "VN202", "SG207", "HK200", "DOJ200",
                 "DOJ201", "DOJ202", "DOJ203", "DOJ204", "DOJ206", "DOJ207", "DOJ208",
                 "PADFA200", "PADFA201", "PADFA207", "UKGDPR201", "UKGDPR202", "UKGDPR204",
                 "UKGDPR205", "UKGDPR206", "UKGDPR207", "UKGDPR208", "UKGDPR211"):
        assert codes[code].citation is not None, code


def test_vietnam_employee_data_on_group_cloud_is_a_u_exemption(fixture_run):
    r = fixture_run("vn-extra")
    a = r.a("vn", "VN/vnco/hr-to-group")
    assert a.status == "not-required" and a.exemption == "employee-group-cloud"
    assert "vn.ctia-dossier" in a.warnings[0].alternative


def test_vietnam_important_data_is_flagged_and_not_exempt(fixture_run):
    r = fixture_run("vn-extra")
    a = r.a("vn", "VN/vnco/maps-out")
    assert a.required == ["vn.ctia-dossier"]
    assert "survey.maps" in r.f("VN202/VN/vnco/maps-out").message


# --- [U] points that decide an outcome are <R>207 warning findings (regulatory.md §0) ----------

_DECIDING = {"IN-U-WHITELIST", "VN-U-DECREE13", "VN-U-FOREIGN-DATA", "VN-U-EMPLOYEE-CLOUD",
             "VN-U-DEADLINE", "SA-U-ADEQUACY", "SG-U-INTERMEDIARY"}
_NOT_DECIDING = {"RU-U-ADEQUACY", "ID-U-GR"}  # required under either reading


def _u_points_are_findings(r) -> set[str]:
    seen = set()
    for a in r.result.assessments:
        if a.regime not in ("ru", "in", "vn", "id", "sa", "sg", "jp", "kr", "hk"):
            continue
        code = f"{a.regime.upper()}207"
        hits = [f for f in r.result.findings if f.code == code and f.transfer == a.transfer.id]
        for w in a.warnings:
            seen.add(w.code)
            assert w.code in _DECIDING | _NOT_DECIDING, w.code
            if w.code in _DECIDING:
                assert hits and all(f.severity == "warning" and f.regime == a.regime
                                    for f in hits), (a.transfer.id, w.code)
                assert any(w.alternative in f.message for f in hits), (a.transfer.id, w.code)
        if not any(w.code in _DECIDING for w in a.warnings):
            assert not hits, (a.transfer.id, [f.message for f in hits])
    return seen


def test_u_points_that_decide_an_outcome_are_warning_findings(fixture_run):
    seen = _u_points_are_findings(fixture_run("others"))
    seen |= _u_points_are_findings(fixture_run("vn-extra"))
    seen |= _u_points_are_findings(fixture_run("others", dt.date(2025, 10, 1)))
    assert {"IN-U-WHITELIST", "VN-U-DECREE13", "VN-U-EMPLOYEE-CLOUD", "VN-U-DEADLINE",
            "SA-U-ADEQUACY", "RU-U-ADEQUACY", "ID-U-GR"} <= seen


def test_vietnam_employee_exemption_is_a_vn207_warning(fixture_run):
    r = fixture_run("vn-extra")
    f = r.f("VN207/VN/vnco/hr-to-group")
    assert f.severity == "warning" and "[U]" in f.message and "vn.ctia-dossier" in f.message
    assert f.path  # located on the transfer's path, like the other regimes' 207 findings


def test_russia_and_indonesia_u_points_add_no_finding(fixture_run):
    r = fixture_run("others")
    assert not {"RU207", "ID207"} & r.codes()


def test_vietnam_foreign_data_passing_through_is_a_vn207_warning(tmp_path):
    from dataflow.api import load
    from dataflow.check import check
    from dataflow.transfers import analyse
    (tmp_path / "dataflow.yaml").write_text("""
model: {name: VN transit, evaluation_date: 2026-10-01}
entities:
  vnco: {name: VN Co, jurisdiction: VN}
  sgco: {name: SG Co, jurisdiction: SG}
systems:
  th-app: {operator: vnco, location: TH, kind: client}
  vn-db:  {operator: vnco, location: VN, kind: database}
  sg-s:   {operator: sgco, location: SG, kind: service}
categories:
  customer.contact: {name: Customer contact details, personal: true}
cohorts:
  thai: {name: Thai customers, count: 500, residence: TH, relationship: customer}
flows:
  collect: {from: th-app, to: vn-db, categories: [customer.contact], cohorts: [thai]}
  out: {from: vn-db, to: sg-s, categories: [customer.contact], cohorts: [thai],
        recipient_role: controller}
""", encoding="utf-8")
    model = load(tmp_path / "dataflow.yaml")
    res = check(model, analyse(model))
    a = next(x for x in res.assessments if x.regime == "vn")
    assert a.exemption == "foreign-data" and a.warnings[0].code == "VN-U-FOREIGN-DATA"
    assert any(f.code == "VN207" and f.transfer == a.transfer.id and f.severity == "warning"
               for f in res.findings)


def test_interpretation_codes_are_documented():
    codes = all_finding_codes()
    for code in ("IN207", "VN207", "SA207", "SG207"):
        assert codes[code].severity == "warning" and codes[code].citation is not None, code
