"""An own API gateway in Hong Kong, an overseas model in a mainland cloud region, and GenAI filing
statuses of catalogue providers (regulatory.md §2.2 mainland region of a foreign-brand cloud and
remote access; §2.10 GBA contract onward limit; §2.13 filing vs registration; docs/model-format.md
systems `genai`; docs/regimes.md PIPL: GBA contract).

TutorCo (Shenzhen, a GBA city) runs a public tutoring service for 120,000 pupils. Prompts go to
its HK subsidiary's gateway (its processor), which calls a US model: the exit edge is tutor ->
HK gateway, the US model is onward. The GBA contract is not offered, since the HK recipient passes
the data on outside the GBA (§2.10 [V]). GlobalAI's model runs in AWS Ningxia (cn-northwest-1):
sending prompts there is domestic, but GlobalAI's US staff reading the request logs is an export
by remote access (§1.2 item 2 (ii)). The service's `genai` names: us-llm and the Ningxia model
(unfiled), DeepSeek with its filing number, Alibaba Model Studio with a registration number (an
app on a filed model), Anthropic (unfiled)."""

from __future__ import annotations

from .helpers import assessment, by_id, check, exporter_row, run, scenario, transfers

NAME = "gateway-hk"


def _pipl200(doc: dict) -> dict[str, dict]:
    """PIPL200 findings by the model they name."""
    out = {}
    for f in doc["findings"]:
        if f["code"] == "PIPL200":
            model = f["message"].split("uses model '")[1].split("'")[0]
            out[model] = f
    return out


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_transfers_gateway_remote_access_and_hk_leg() -> None:
    doc = by_id(transfers(NAME))
    assert sorted(doc) == ["CN/tutorco/to-gw", "CN/tutorco/vendor-support", "HK/tutorco/gw-to-us"]
    gw = doc["CN/tutorco/to-gw"]
    assert (gw["sender"]["entity"], gw["sender"]["role"]) == ("tutorco", "controller")
    assert (gw["recipient"]["entity"], gw["recipient"]["jurisdiction"], gw["recipient"]["role"]) == (
        "tutor-hk", "HK", "processor")
    assert gw["onward"] == [{"entity": "frontier", "jurisdiction": "US", "system": "us-llm"}]
    assert gw["flags"] == ["onward"]


def test_mainland_region_of_a_foreign_vendor_is_domestic_but_its_us_staff_access_exports() -> None:
    doc = by_id(transfers(NAME))
    assert not [t for t in doc.values() if t["exit_edge"]["id"] == "to-cn-region"]
    ra = doc["CN/tutorco/vendor-support"]
    assert ra["flags"] == ["remote-access"]
    assert ra["exporter"]["entity"] == "tutorco"
    assert (ra["recipient"]["entity"], ra["recipient"]["jurisdiction"]) == ("globalai", "US")
    assert ra["path_flows"] == ["ask", "to-cn-region", "vendor-support"]
    assert ra["individuals"]["total"] == 120_000


def test_gba_contract_not_offered_when_the_hk_recipient_sends_on_to_the_us() -> None:
    _rc, doc = check(NAME)
    a = assessment(doc, "CN/tutorco/to-gw", "pipl")
    assert a["required"] == ["pipl.standard-contract", "pipl.certification"]
    duties = sorted((d["id"], d["party"]) for d in a["duties"] if d["party"])
    assert duties == [("pipl.entrustment-agreement", "tutor-hk")]
    row = exporter_row(doc, "tutorco")
    assert (row["ordinary"], row["tier"]) == (120_000, "standard-contract")
    assert row["authority_en"] == "Guangdong Cyberspace Administration"


def test_genai_statuses() -> None:
    _rc, doc = check(NAME)
    found = _pipl200(doc)
    assert {"us-llm", "cn-region-llm", "anthropic"} <= set(found)
    assert "alibaba-model-studio" not in found   # registered app on a filed model
    assert "runs outside the mainland (US)" in found["us-llm"]["message"]
    # the Ningxia region is in the mainland: unfiled, but not overseas
    assert "outside the mainland" not in found["cn-region-llm"]["message"]
    assert "established in US" in found["anthropic"]["message"]
    assert all(f["severity"] == "error" for f in found.values())


def test_declared_filing_of_a_catalogue_provider_is_not_an_error() -> None:
    _rc, doc = check(NAME)
    assert "deepseek" not in _pipl200(doc)
