"""EU -> CN -> US (regulatory.md §3.1, §2.5 Art. 4, §5 "a path can cross several regimes"):
one EEA transfer (DE -> Shanghai processor, SCC module 2, PRC-access warning, onward info);
intra-EEA flows to FR and NO are not transfers; the Shanghai -> US hop is a PRC export of the
German controller's data, exempt under Art. 4 (collected abroad, no domestic PI added)."""

from __future__ import annotations

from .helpers import assessment, by_id, check, finding_ids, run, scenario, transfers

NAME = "eu-cn-us"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_transfers() -> None:
    doc = transfers(NAME)
    ts = by_id(doc)
    assert sorted(ts) == ["CN/shop-de/cs-to-tickets", "EEA/shop-de/to-cs"]
    eu = ts["EEA/shop-de/to-cs"]
    assert eu["exporter"]["entity"] == "shop-de"
    assert (eu["sender"]["entity"], eu["sender"]["role"]) == ("shop-de", "controller")
    assert (eu["recipient"]["entity"], eu["recipient"]["role"]) == ("cs-cn", "processor")
    assert eu["flags"] == ["onward"]
    assert eu["onward"] == [{"entity": "tickets-us", "jurisdiction": "US", "system": "ticketing"}]
    assert eu["individuals"]["total"] == 40000
    cn = ts["CN/shop-de/cs-to-tickets"]
    assert cn["exporter"]["entity"] == "shop-de"
    assert (cn["sender"]["entity"], cn["sender"]["role"]) == ("cs-cn", "processor")
    assert (cn["recipient"]["entity"], cn["recipient"]["role"]) == ("tickets-us", "processor")
    assert cn["provenance"]["received_from"] == ["DE"]
    assert cn["provenance"]["personal_collected_in_area"] is False


def test_mechanisms() -> None:
    rc, doc = check(NAME)
    assert rc == 1
    g = assessment(doc, "EEA/shop-de/to-cs", "gdpr")
    assert g["required"] == ["gdpr.scc"]
    assert g["mechanism_details"]["gdpr.scc"]["module"] == 2
    assert sorted(d["id"] for d in g["duties"]) == ["gdpr.dpa", "gdpr.tia"]
    p = assessment(doc, "CN/shop-de/cs-to-tickets", "pipl")
    assert p["required"] == ["pipl.exempt"]
    assert p["mechanism_details"] == {"pipl.exempt": {"article": "art4"}}
    ids = finding_ids(doc)
    assert "GDPR202/EEA/shop-de/to-cs" in ids
    assert "GDPR203/EEA/shop-de/to-cs" in ids
    assert not any("to-logistics" in i or "to-warehouse" in i for i in ids)
    assert not any(a["transfer"].endswith(("to-logistics", "to-warehouse"))
                   for a in doc["assessments"])
