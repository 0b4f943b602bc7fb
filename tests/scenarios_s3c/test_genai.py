"""Generative-AI rules (regulatory.md §1.2 item 4, §2.13): a public service on a registered
domestic model whose relay fails over to Hong Kong and on to an unfiled US model (PIPL200 even
though `genai` does not declare it; PIPL201 on the relay chain), an internal enterprise tool on
an unfiled US model (no PIPL200: Art. 2 para 3; the export itself stays), and public services
declaring an overseas catalogue model with a claimed filing, an unfiled system model with a
registration, and an unfiled provider."""

from __future__ import annotations

import pytest

from .helpers import assessment, by_id, check, finding_ids, run, scenario, transfers

NAME = "genai"
VARIANTS = "genai-variants"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0
    assert run("validate", scenario(VARIANTS)).rc == 0


def test_failover_through_a_relay_is_an_onward_export() -> None:
    t = by_id(transfers(NAME, "--area", "CN"))
    assert sorted(t) == ["CN/bot/gw-failover-hk", "CN/inhouse/gw-to-us-inhouse"]
    fo = t["CN/bot/gw-failover-hk"]
    assert fo["flags"] == ["failover", "onward"]
    assert fo["onward"] == [{"entity": "frontier", "jurisdiction": "US", "system": "us-llm"}]
    # a fail-over flow naming no cohorts carries its primary's people
    assert fo["individuals"]["total"] == 80_000
    assert fo["path"] == ["bot-app", "bot-svc", "gateway", "hk-gw"]


def test_public_service_reaching_an_unfiled_model_through_failover_is_pipl200() -> None:
    rc, doc = check(NAME, "--area", "CN")
    assert rc == 1
    ids = finding_ids(doc)
    assert "PIPL200/bot-svc" in ids
    # internal use is outside the Interim Measures (Art. 2 para 3)
    assert not any(i.startswith("PIPL200/inhouse") for i in ids)
    assert "PIPL201/CN/bot/gw-failover-hk" in ids
    assert "PIPL201/CN/inhouse/gw-to-us-inhouse" in ids


def test_exports_stay_assessed_under_pipl_beside_the_genai_findings() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    a = assessment(doc, "CN/bot/gw-failover-hk", "pipl")
    assert a["required"] == ["pipl.exempt"]          # 80,000 < 100,000: Art. 5(4)
    # the domestic gateway and the Hong Kong recipient (a processor) are both entrusted
    # parties (PIPL Art. 21)
    parties = {d["party"] for d in a["duties"] if d["id"] == "pipl.entrustment-agreement"}
    assert parties == {"gw", "gw-hk"}


@pytest.mark.parametrize("system", ["svc-openai", "svc-reg-unfiled", "svc-anthropic-unfiled"])
def test_public_services_on_overseas_models_are_pipl200(system: str) -> None:
    _rc, doc = check(VARIANTS, "--area", "CN")
    assert f"PIPL200/{system}" in finding_ids(doc)


def test_an_internal_service_on_an_unfiled_model_is_not_pipl200() -> None:
    _rc, doc = check(VARIANTS, "--area", "CN")
    assert "PIPL200/svc-private" not in finding_ids(doc)
