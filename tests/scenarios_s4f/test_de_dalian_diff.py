"""`dataflow diff` when the Dalian chain gains a Hong Kong overflow printer (docs/cli.md diff table:
onward-added -> update Annex I.B / III for GDPR; a new exempt PIPL transfer -> no filing;
regulatory.md §2.5 Art. 4; §4 the Mainland -> HK leg is a PRC export).

v2 of de-dalian: the Shenyang sub-processor sends labels (names, addresses) to Kowloon Print (HK,
its processor). By hand: CN/rheinwerk/labels-to-hk is new (exporter rheinwerk, sender
shenyang-print, foreign data only: Art. 4 exempt, entrustment agreement with the HK printer);
EEA/rheinwerk/to-dalian gains the onward recipient hk-printer. No filing -> exit 0."""

from __future__ import annotations

from .helpers import assessment, by_id, check, cli, scenario, transfers


def test_v2_transfers() -> None:
    ts = by_id(transfers("de-dalian-v2"))
    t = ts["CN/rheinwerk/labels-to-hk"]
    assert (t["sender"]["entity"], t["recipient"]["entity"], t["recipient"]["jurisdiction"]) == (
        "shenyang-print", "hk-printer", "HK")
    hk = {"entity": "hk-printer", "jurisdiction": "HK", "system": "hk-print"}
    assert hk in ts["EEA/rheinwerk/to-dalian"]["onward"]
    _rc, doc = check("de-dalian-v2")
    a = assessment(doc, "CN/rheinwerk/labels-to-hk", "pipl")
    assert a["required"] == ["pipl.exempt"] and a["exemption"] == "art4"
    assert ("pipl.entrustment-agreement", "hk-printer") in {(d["id"], d["party"]) for d in a["duties"]}


def test_diff_needs_no_filing() -> None:
    out = cli("diff", scenario("de-dalian"), scenario("de-dalian-v2"), "--format", "json")
    assert out.rc == 0, out.stderr
    d = out.json()
    kinds = sorted((c["kind"], c["transfer"], c["trigger"]) for c in d["changes"])
    assert kinds == [("onward-added", "EEA/rheinwerk/to-dalian", "gdpr.review"),
                     ("transfer-added", "CN/rheinwerk/labels-to-hk", "none")]
    assert d["summary"]["filing_required"] is False
