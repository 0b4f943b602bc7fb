"""The other regimes of regulatory.md §5: Russian localisation (collection straight into a
Frankfurt database) and Art. 12 notification; Vietnam's CTIA dossier with its 60-day deadline
[U] and the employee-data-on-group-cloud [U] exemption; India's negative list and RBI payment
data; Indonesia's Art. 56 cascade; Saudi safeguards and the transfer risk assessment for health
data sent continuously; Korea's Art. 28-8 basis; Japan's designated countries."""

from __future__ import annotations

from .helpers import assessment, check, cli, run, scenario, warning_codes

NAME = "asia-regimes"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_outcomes() -> None:
    _rc, doc = check(NAME)
    got = {(a["transfer"], a["regime"]): (a["required"], a["status"]) for a in doc["assessments"]}
    assert got == {
        ("ID/id-co/id-to-sg", "id"): (["id.art56-cascade"], "gap"),
        ("IN/in-co/in-to-sg", "in"): (["in.negative-list-check"], "not-required"),
        ("JP/jp-co/jp-to-de", "jp"): (["jp.designated-country"], "ok"),
        ("JP/jp-co/jp-to-sg", "jp"): (["jp.consent-or-equivalent"], "gap"),
        ("KR/kr-co/kr-to-sg", "kr"): (["kr.art28-8-basis"], "gap"),
        ("RU/ru-co/ru-to-de", "ru"): (["ru.roskomnadzor-notification"], "ok"),
        ("SA/sa-co/sa-to-sg", "sa"): (["sa.scc", "sa.binding-common-rules",
                                        "sa.accreditation-certificate"], "gap"),
        ("VN/vn-co/vn-staff-to-sg", "vn"): (["none"], "not-required"),
        ("VN/vn-co/vn-to-sg", "vn"): (["vn.ctia-dossier"], "gap"),
    }


def test_findings() -> None:
    _rc, doc = check(NAME)
    ids = {f["id"] for f in doc["findings"]}
    assert {"RU200/ru-direct-collect", "IN201/IN/in-co/in-to-sg", "KR101/KR/kr-co/kr-to-sg",
            "SA110/SA/sa-co/sa-to-sg", "VN100/VN/vn-co/vn-to-sg", "VN201/vn-co"} <= ids


def test_vietnam_deadline_and_u_points() -> None:
    _rc, doc = check(NAME)
    a = assessment(doc, "VN/vn-co/vn-to-sg", "vn")
    assert a["mechanism_details"]["vn.ctia-dossier"]["deadline"] == "2026-04-30"
    assert "VN-U-DEADLINE" in warning_codes(a)
    assert "VN-U-EMPLOYEE-CLOUD" in warning_codes(assessment(doc, "VN/vn-co/vn-staff-to-sg", "vn"))
    assert "RU-U-ADEQUACY" in warning_codes(assessment(doc, "RU/ru-co/ru-to-de", "ru"))


def test_vietnam_employee_exemption_is_a_visible_warning() -> None:
    _rc, doc = check(NAME)
    assert any(f["transfer"] == "VN/vn-co/vn-staff-to-sg" and f["severity"] == "warning"
               for f in doc["findings"])
    human = cli("check", scenario(NAME))
    assert "vn-staff-to-sg" in human.stdout
