"""Open points of the PIPL engine outside the volume tiers (regulatory.md §2.2-§2.4, §2.14, §7):

- a notified CIIO exports 50 people's phone numbers to Hong Kong: security assessment whatever
  the volume (Provisions Art. 7(1); CSL Art. 37 whose numbering after the 2025 amendment is [U]);
- raw genotypes to a Taipei lab: sensitive PI (contract tier) and the human-genetic-resources
  overlay flagged, not decided (PIPL205);
- storage in AWS's Ningxia region run by the licensed local operator is domestic storage, and a
  replication routed through a Hong Kong point of presence is pure transit, [U] (DF400);
- a platform handling 1.2 million people exports 50,000: Art. 5(4)-exempt on exported volume,
  but whether PIPL Art. 40 still attaches a localisation / security-assessment duty to processors
  *handling* that many people is [U] (§2.3 Art. 40, §7 item 5) and must be a visible warning."""

from __future__ import annotations

from .helpers import assessment, by_id, check, finding_ids, run, scenario, transfers, warning_codes

NAME = "cn-overlays"


def _check() -> dict:
    _rc, doc = check(NAME, "--area", "CN")
    return doc


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_only_three_exports() -> None:
    doc = transfers(NAME, "--area", "CN")
    assert sorted(by_id(doc)) == ["CN/bigco/big-to-sg", "CN/geneco/gene-to-tw",
                                  "CN/gridco/grid-to-hk"]
    assert doc["possible_transfers"] == []


def test_pure_transit_is_a_u_warning_not_an_export() -> None:
    doc = _check()
    f = next(f for f in doc["findings"] if f["id"] == "DF400/cl-via-hk")
    assert f["severity"] == "warning" and "[U]" in f["message"]


def test_ciio_needs_a_security_assessment_at_any_volume() -> None:
    doc = _check()
    a = assessment(doc, "CN/gridco/grid-to-hk", "pipl")
    assert a["required"] == ["pipl.security-assessment"]
    cits = {(c["instrument"], c["confidence"]) for c in a["citations"]}
    assert ("Cybersecurity Law (CSL)", "U") in cits
    assert "PIPL100/CN/gridco/grid-to-hk" in finding_ids(doc)
    assert "pipl.entrustment-agreement" in {d["id"] for d in a["duties"]}


def test_genetic_data_to_taiwan_is_contract_tier_with_the_hgr_overlay() -> None:
    doc = _check()
    a = assessment(doc, "CN/geneco/gene-to-tw", "pipl")
    assert a["required"] == ["pipl.standard-contract", "pipl.certification"]
    f = next(f for f in doc["findings"] if f["id"] == "PIPL205/CN/geneco/gene-to-tw")
    assert f["severity"] == "warning" and "human-genetic-resources" in f["message"]


def test_large_processor_exporting_50000_is_art_5_4_exempt() -> None:
    a = assessment(_check(), "CN/bigco/big-to-sg", "pipl")
    assert (a["required"], a["exemption"]) == (["pipl.exempt"], "art5-4")


def test_art_40_localisation_for_a_large_processor_is_a_u_warning() -> None:
    a = assessment(_check(), "CN/bigco/big-to-sg", "pipl")
    assert any("40" in w["citation"] for w in a["warnings"]), warning_codes(a)
