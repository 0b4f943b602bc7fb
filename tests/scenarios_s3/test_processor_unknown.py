"""A SaaS processor for two controllers (model-format "Who exports"): data passing through it
keeps each controller, so one exit edge is two transfers; a backup vendor at an `unknown`
location is a possible transfer (DF302 on validate, PIPL206 on check); a flow with on_behalf_of
carries only that controller's data."""

from __future__ import annotations

from .helpers import assessment, by_id, check, exporter_row, finding_ids, run, scenario, transfers

NAME = "processor-unknown"


def test_validate_warns_unknown_location() -> None:
    out = run("validate", scenario(NAME), "--format", "json")
    assert out.rc == 0
    d = out.json()
    assert [(x["code"], x["line"], x["col"]) for x in d["diagnostics"]] == [("DF302", 16, 32)]


def test_transfers_and_possible_transfers() -> None:
    doc = transfers(NAME, "--area", "CN")
    ts = by_id(doc)
    assert sorted(ts) == ["CN/beta/beta-leads-sg"]
    t = ts["CN/beta/beta-leads-sg"]
    assert (t["exporter"]["entity"], t["sender"]["entity"], t["sender"]["role"]) == \
        ("beta", "formco", "processor")
    assert (t["recipient"]["entity"], t["recipient"]["role"]) == ("beta-sg", "controller")
    assert t["individuals"]["total"] == 120000
    ps = by_id(doc, "possible_transfers")
    assert sorted(ps) == ["CN/acme/form-backup", "CN/beta/form-backup"]
    assert ps["CN/acme/form-backup"]["individuals"]["total"] == 5000
    assert ps["CN/beta/form-backup"]["individuals"]["total"] == 120000
    assert all(p["flags"] == ["possible"] for p in ps.values())


def test_check() -> None:
    rc, doc = check(NAME, "--area", "CN")
    assert rc == 1
    assert assessment(doc, "CN/acme/form-backup", "pipl")["required"] == ["pipl.exempt"]
    for t in ("CN/beta/form-backup", "CN/beta/beta-leads-sg"):
        a = assessment(doc, t, "pipl")
        assert a["required"] == ["pipl.standard-contract", "pipl.certification"]
        assert "pipl.entrustment-agreement" in {d["id"] for d in a["duties"]}
    assert exporter_row(doc, "beta")["ordinary"] == 120000
    assert exporter_row(doc, "acme")["tier"] == "exempt"
    ids = finding_ids(doc)
    assert "PIPL206/CN/acme/form-backup" in ids and "PIPL206/CN/beta/form-backup" in ids
