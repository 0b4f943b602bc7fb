"""Two more systems of the group: a group database replicated in Shenzhen and Frankfurt
(``location: [CN-GD, aws:eu-central-1]``) and a shadow-IT SaaS of unknown location used by the
EU subsidiary (model-format.md "Locations": a list means active in all of them; ``unknown`` is a
*possible* transfer; "Who exports": the exit edge's destination has a place outside the area).

By hand: ``to-group-db`` (cn-core -> group-db) is a CN export (the destination has a place in
DE), exporter hq, recipient hq's own replica in Germany; 1,000 people < 100,000 → Art. 5(4)
exempt. ``eu-shadow`` is a possible EEA transfer (700 people): GDPR206, and without adequacy the
SCC path (regimes.md GDPR table "Unknown location")."""

from __future__ import annotations

from .helpers import assessment, by_id, check, finding_ids, transfers

NAME = "replica"


def test_replicated_database_abroad_is_an_export() -> None:
    doc = transfers(NAME)
    assert sorted(by_id(doc)) == ["CN/hq/to-group-db"]
    t = by_id(doc)["CN/hq/to-group-db"]
    assert (t["exporter"]["entity"], t["recipient"]["entity"], t["individuals"]["total"]) == (
        "hq", "hq", 1_000)
    _rc, chk = check(NAME, "--area", "CN")
    assert assessment(chk, "CN/hq/to-group-db", "pipl")["required"] == ["pipl.exempt"]


def test_unknown_location_in_the_eea_is_a_possible_transfer() -> None:
    doc = transfers(NAME)
    assert [t["id"] for t in doc["possible_transfers"]] == ["EEA/eu-sub/eu-shadow"]
    assert doc["possible_transfers"][0]["flags"] == ["possible"]
    _rc, chk = check(NAME, "--area", "EEA")
    assert assessment(chk, "EEA/eu-sub/eu-shadow", "gdpr")["required"] == ["gdpr.scc"]
    assert "GDPR206/EEA/eu-sub/eu-shadow" in finding_ids(chk)


def test_replica_recipient_jurisdiction_is_the_place_abroad() -> None:
    t = by_id(transfers(NAME))["CN/hq/to-group-db"]
    assert t["recipient"]["jurisdiction"] == "DE"
