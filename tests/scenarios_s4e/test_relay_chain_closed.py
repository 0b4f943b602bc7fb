"""The chained relay with its gaps closed (regulatory.md §2.3 Arts 21, 39, 55; §2.8 filing within
10 working days; §2.13; docs/model-format.md safeguards, duties, waivers: an id without its
`#qualifier` covers every qualified finding; docs/templates.md pipl-standard-contract).

The same model as `relay-chain`, as a folder without `dataflow.yaml` (platform file + privacy
team's file): one standard contract per overseas recipient (hkrelay, nihon-ai), the PIPIA,
notice, separate consent and the entrustment agreements with both relays declared; the two
PIPL200 findings (one per unfiled model) waived by `PIPL200/bot`, the MSS warnings by a glob.
The gate opens (exit 0)."""

from __future__ import annotations

from .helpers import assessment, check, exporter_row, finding_ids, run, scenario

NAME = "relay-chain-closed"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_gate_is_open_with_everything_declared() -> None:
    rc, doc = check(NAME)
    assert rc == 0
    assert doc["summary"]["errors"] == 0 and doc["summary"]["waived"] == 4
    for tid, sg in (("CN/botco/relay-to-hk", "sc-hkrelay"), ("CN/botco/relay-to-jp", "sc-nihon")):
        a = assessment(doc, tid, "pipl")
        assert (a["status"], a["declared"]) == ("ok", [sg])
        assert all(d["declared"] for d in a["duties"])
    assert exporter_row(doc, "botco")["tier"] == "standard-contract"


def test_unqualified_waiver_covers_both_genai_findings() -> None:
    _rc, doc = check(NAME)
    waived = {f["id"]: f.get("waived_by") for f in doc["findings"] if f.get("waived_by")}
    assert waived == {
        "PIPL200/bot#1": "genai", "PIPL200/bot#2": "genai",
        "PIPL201/CN/botco/relay-to-hk": "relay-warning",
        "PIPL201/CN/botco/relay-to-jp": "relay-warning",
    }
    assert not [i for i in finding_ids(doc) if i.startswith(("CHK", "PIPL100", "PIPL110"))]


def test_contract_pack_gives_the_filing_deadline(tmp_path) -> None:
    out = run("report", scenario(NAME), "-t", "pipl-standard-contract", "--lang", "en",
              "--format", "md", "-o", str(tmp_path))
    assert out.rc == 0, out.stderr
    text = (tmp_path / "pipl-standard-contract_botco_hkrelay.md").read_text()
    # effective Monday 2026-03-02: the 10th working day after it is Monday 2026-03-16
    assert "| File by | 2026-03-16" in text
    assert "| Filed on | 2026-03-10 (within the deadline)" in text
