"""AI relay shared by two apps plus its own public users (regulatory.md §1.2(3): the developer
that entrusts the relay is the exporter; a relay selling on its own account is itself one).
Boundaries (§0, §2.5 Arts 7-8): exactly 1,000,000 -> security assessment; 999,999 + 9,999
sensitive -> standard contract; 50,000 -> Art. 5(4)."""

from __future__ import annotations

from .helpers import assessment, by_id, check, exporter_row, finding_ids, run, scenario, transfers

NAME = "relay-thresholds"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_one_exit_edge_three_exporters() -> None:
    ts = by_id(transfers(NAME, "--area", "CN"))
    assert sorted(ts) == ["CN/relayco/relay-to-us", "CN/writer/relay-to-us",
                          "CN/writer2/relay-to-us"]
    for exp, role in (("writer", "entrusted"), ("writer2", "entrusted"),
                      ("relayco", "controller")):
        t = ts[f"CN/{exp}/relay-to-us"]
        assert t["exporter"]["entity"] == exp
        assert (t["sender"]["entity"], t["sender"]["role"]) == ("relayco", role)
        assert (t["recipient"]["entity"], t["recipient"]["role"]) == ("frontier", "controller")
    w2 = ts["CN/writer2/relay-to-us"]["individuals"]
    assert (w2["ordinary"], w2["sensitive"]) == (999999, 9999)
    assert ts["CN/writer/relay-to-us"]["individuals"]["ordinary"] == 1000000
    assert ts["CN/relayco/relay-to-us"]["individuals"]["ordinary"] == 50000


def test_tiers_at_the_boundaries() -> None:
    rc, doc = check(NAME, "--area", "CN")
    assert rc == 1
    assert exporter_row(doc, "writer")["tier"] == "security-assessment"
    assert exporter_row(doc, "writer2")["tier"] == "standard-contract"
    assert exporter_row(doc, "relayco")["tier"] == "exempt"
    assert assessment(doc, "CN/writer/relay-to-us", "pipl")["required"] == \
        ["pipl.security-assessment"]
    assert assessment(doc, "CN/writer2/relay-to-us", "pipl")["required"] == \
        ["pipl.standard-contract", "pipl.certification"]
    r = assessment(doc, "CN/relayco/relay-to-us", "pipl")
    assert r["mechanism_details"] == {"pipl.exempt": {"article": "art5-4"}}
    assert "pipl.entrustment-agreement" not in {d["id"] for d in r["duties"]}
    ids = finding_ids(doc)
    for exp in ("writer", "writer2", "relayco"):
        assert f"PIPL201/CN/{exp}/relay-to-us" in ids
