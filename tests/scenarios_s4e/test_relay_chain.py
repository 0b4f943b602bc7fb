"""Chained AI relays (regulatory.md §1.2 items 1, 3, 5; §2.2; §2.3 Art. 21; §2.13; §6 path semantics).

A Beijing public chatbot (botco) sends prompts to a Shenzhen relay (relayco, its entrusted party).
The relay forwards the general cohort (150,000) to a second relay in Hong Kong (hkrelay, relayco's
sub-processor) that calls a US model, and the legal cohort (30,000) straight to a Japanese model.
The first hop that leaves the mainland is the exit edge: relay -> HK relay (HK is outside the
mainland, §2.2); the HK relay's call to the US is an onward hop, a transfer of the HK area only.
The exporter is botco (§1.2 item 3) for every exit; relayco is the sender (entrusted)."""

from __future__ import annotations

from .helpers import assessment, by_id, check, cli, exporter_row, finding_ids, run, scenario, transfers

NAME = "relay-chain"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_exactly_three_transfers_and_the_us_hop_is_onward_not_a_cn_export() -> None:
    doc = by_id(transfers(NAME))
    assert sorted(doc) == ["CN/botco/relay-to-hk", "CN/botco/relay-to-jp", "HK/botco/hk-to-us"]


def test_first_exit_is_the_hk_relay_with_the_us_model_onward() -> None:
    t = by_id(transfers(NAME))["CN/botco/relay-to-hk"]
    assert t["exporter"]["entity"] == "botco"
    assert (t["sender"]["entity"], t["sender"]["role"]) == ("relayco", "entrusted")
    assert (t["recipient"]["entity"], t["recipient"]["jurisdiction"], t["recipient"]["role"]) == (
        "hkrelay", "HK", "processor")
    assert t["path"] == ["phone", "bot", "relay", "hk-relay"]
    assert t["path_flows"] == ["collect", "bot-to-relay", "relay-to-hk"]
    assert t["onward"] == [{"entity": "frontier", "jurisdiction": "US", "system": "us-llm"}]
    assert t["flags"] == ["onward"]
    assert t["individuals"]["total"] == 150_000


def test_direct_exit_to_japan() -> None:
    t = by_id(transfers(NAME))["CN/botco/relay-to-jp"]
    assert (t["recipient"]["entity"], t["recipient"]["jurisdiction"], t["recipient"]["role"]) == (
        "nihon-ai", "JP", "controller")
    assert t["individuals"]["total"] == 30_000
    assert t["onward"] == []


def test_hk_leg_is_an_hk_transfer_of_botco_sent_by_the_hk_relay() -> None:
    t = by_id(transfers(NAME))["HK/botco/hk-to-us"]
    assert t["sender"]["entity"] == "hkrelay"
    assert t["recipient"]["entity"] == "frontier"


def test_botco_counts_both_cohorts_once_standard_contract_tier() -> None:
    _rc, doc = check(NAME)
    row = exporter_row(doc, "botco")
    # 150,000 + 30,000 disjoint cohorts = 180,000: 100,000 <= N < 1,000,000 (Provisions Art. 8)
    assert (row["ordinary"], row["sensitive"], row["tier"]) == (180_000, 0, "standard-contract")
    assert row["authority_en"] == "Beijing Cyberspace Administration"
    for tid in ("CN/botco/relay-to-hk", "CN/botco/relay-to-jp"):
        a = assessment(doc, tid, "pipl")
        assert a["required"] == ["pipl.standard-contract", "pipl.certification"]
        assert a["status"] == "gap"


def test_findings_mechanism_duties_genai_and_mss_warning() -> None:
    rc, doc = check(NAME)
    assert rc == 1
    ids = finding_ids(doc)
    assert [i for i in ids if i.startswith("PIPL100/")] == [
        "PIPL100/CN/botco/relay-to-hk", "PIPL100/CN/botco/relay-to-jp"]
    # the entrusted relay needs an Art. 21 agreement on both exits
    assert "PIPL110/CN/botco/relay-to-hk#pipl.entrustment-agreement@relayco" in ids
    assert "PIPL110/CN/botco/relay-to-jp#pipl.entrustment-agreement@relayco" in ids
    for tid in ("CN/botco/relay-to-hk", "CN/botco/relay-to-jp"):
        for duty in ("pipl.notice", "pipl.pipia", "pipl.separate-consent"):
            assert f"PIPL110/{tid}#{duty}" in ids
        assert f"PIPL201/{tid}" in ids  # MSS AI-relay warning (§1)
    # public service on two unfiled overseas models (§2.13): one finding per model
    assert [i for i in ids if i.startswith("PIPL200/")] == ["PIPL200/bot#1", "PIPL200/bot#2"]
    assert "HK200/HK/botco/hk-to-us" in ids
    assert len(ids) == len(set(ids))


def test_diagram_shows_the_relay_path_with_distinct_exit_edges() -> None:
    out = cli("diagram", scenario(NAME), "--format", "dot")
    assert out.rc == 0, out.stderr
    edges = {line.split('tooltip="')[1].split(" ")[0]: line
             for line in out.stdout.splitlines() if "->" in line and 'tooltip="' in line}
    assert sorted(edges) == ["bot-to-relay", "collect", "hk-to-us", "relay-to-hk", "relay-to-jp"]
    for exit_edge in ("relay-to-hk", "relay-to-jp"):
        assert "leaves CN" in edges[exit_edge] and "#c62828" in edges[exit_edge]
    for domestic in ("collect", "bot-to-relay"):
        assert "leaves CN" not in edges[domestic] and "#c62828" not in edges[domestic]
    assert "onward" in edges["hk-to-us"] and "leaves CN" not in edges["hk-to-us"]


def test_standard_contract_pack_one_per_recipient_with_onward_us_model(tmp_path) -> None:
    out = run("report", scenario(NAME), "-t", "pipl-standard-contract", "--lang", "en",
              "--format", "md", "-o", str(tmp_path))
    assert out.rc == 0, out.stderr
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["pipl-standard-contract_botco_hkrelay.md",
                     "pipl-standard-contract_botco_nihon-ai.md"]
    hk = (tmp_path / "pipl-standard-contract_botco_hkrelay.md").read_text()
    item6 = next(line for line in hk.splitlines() if line.startswith("| 6 |"))
    assert "Frontier AI Inc." in item6
    jp = (tmp_path / "pipl-standard-contract_botco_nihon-ai.md").read_text()
    item6 = next(line for line in jp.splitlines() if line.startswith("| 6 |"))
    assert "Frontier" not in item6


def test_why_names_exporter_sender_and_recipient() -> None:
    out = cli("why", scenario(NAME), "CN/botco/relay-to-hk")
    assert out.rc == 0, out.stderr
    assert "exporter botco, sender relayco (entrusted), recipient hkrelay (processor, HK)" in out.stdout
    assert "phone > bot > relay > hk-relay" in out.stdout
