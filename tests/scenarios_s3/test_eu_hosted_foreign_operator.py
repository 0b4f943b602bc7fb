"""GDPR remote access by a third-country entity that runs a system inside the EEA.
regulatory.md §3.1: "remote access by a third-country importer is a transfer; an employee of the
exporter accessing data while travelling is not (same entity)"; §3.1 DPC TikTok decision (2 May
2025): remote access from China under SCCs. The same-entity rule is about the EEA exporter's own
staff; here the accessor is the *operator*, a US / Chinese company with no EEA establishment, and
both accesses are transfers, and so is the US vendor's copy to its own US system."""

from __future__ import annotations

from .helpers import assessment, by_id, check, run, scenario, transfers

NAME = "eu-hosted-foreign-operator"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_covered_person_inside_the_eea_is_flagged() -> None:
    _rc, doc = check(NAME)
    assert "DOJ204/k2" in {f["id"] for f in doc["findings"]}


def test_foreign_operators_remote_access_is_a_transfer() -> None:
    ts = by_id(transfers(NAME, "--area", "EEA"))
    assert {"EEA/clinic/cn-support", "EEA/clinic/us-support"} <= set(ts)
    us = ts["EEA/clinic/us-support"]
    assert (us["exporter"]["entity"], us["recipient"]["entity"],
            us["recipient"]["jurisdiction"]) == ("clinic", "saas-us", "US")
    assert us["flags"] == ["remote-access"]
    assert ts["EEA/clinic/cn-support"]["recipient"]["jurisdiction"] == "CN"


def test_check_requires_sccs_and_warns_about_china() -> None:
    rc, doc = check(NAME)
    assert rc == 1
    assert assessment(doc, "EEA/clinic/us-support", "gdpr")["required"] == ["gdpr.scc"]
    assert assessment(doc, "EEA/clinic/cn-support", "gdpr")["required"] == ["gdpr.scc"]
    assert "GDPR202/EEA/clinic/cn-support" in {f["id"] for f in doc["findings"]}


def test_foreign_processor_copying_to_its_own_us_system_is_a_transfer() -> None:
    _rc, doc = check(NAME)
    a = assessment(doc, "EEA/clinic/backup-us", "gdpr")
    assert a["required"] == ["gdpr.scc"]
    assert a["mechanism_details"]["gdpr.scc"]["module"] == 2
