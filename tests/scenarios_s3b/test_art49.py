"""Art. 49 derogations (regulatory.md §3.4, §3.6): a one-off Art. 49(1)(b) hotel booking is
acceptable; a continuous call-centre feed cannot rest on a derogation (GDPR200); a one-off
compelling-legitimate-interests transfer needs the Art. 30(1)(e) documentation (gdpr.ropa-entry);
a public authority cannot use 49(1)(a) (GDPR209). The Art. 30 record must ask for the
second-subparagraph documentation exactly where that ground is used."""

from __future__ import annotations

from .helpers import assessment, check, cli, run, scenario

NAME = "art49"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_outcomes() -> None:
    rc, doc = check(NAME)
    assert rc == 1
    hotel = assessment(doc, "EEA/agency/to-hotel", "gdpr")
    assert (hotel["status"], hotel["declared"]) == ("ok", ["derog-hotel"])
    assert hotel["mechanism_details"]["gdpr.derogation"] == {"grounds": ["b"], "occasional": True}
    law = assessment(doc, "EEA/agency/to-law", "gdpr")
    assert law["mechanism_details"]["gdpr.derogation"]["grounds"] == ["second-subparagraph"]
    assert [(d["id"], d["declared"]) for d in law["duties"]] == [("gdpr.ropa-entry", False)]
    ids = {f["id"] for f in doc["findings"]}
    assert {"GDPR200/EEA/agency/to-callc", "GDPR101/EEA/agency/to-callc",
            "GDPR209/EEA/vienna/city-to-eg", "GDPR110/EEA/agency/to-law"} <= ids
    assert not any(i.endswith("/EEA/agency/to-hotel") for i in ids)


def _ropa_rows() -> dict[str, list[str]]:
    out = cli("report", scenario(NAME), "--template", "gdpr-ropa", "--format", "md")
    assert out.rc == 0, out.stderr
    rows = {}
    for ln in out.stdout.splitlines():
        if ln.startswith("| `EEA/"):
            cells = [c.strip() for c in ln.strip("|").split("|")]
            rows[cells[0].strip("`")] = cells
    return rows


def test_ropa_lists_transfers_and_erasure() -> None:
    out = cli("report", scenario(NAME), "--template", "gdpr-ropa", "--format", "md")
    assert "| (f) Envisaged time limits for erasure | to-hotel: 1 year; bookings: 7 years |" \
        in out.stdout
    assert "Reisen GmbH; Ring 1, 1010 Wien; dpo@reisen.example.at" in out.stdout
    assert sorted(_ropa_rows()) == ["EEA/agency/to-callc", "EEA/agency/to-hotel",
                                    "EEA/agency/to-law", "EEA/vienna/city-to-eg"]


def test_ropa_second_subparagraph_documentation() -> None:
    rows = _ropa_rows()
    assert rows["EEA/agency/to-hotel"][5] == "not applicable"
    assert "TO COMPLETE" in rows["EEA/agency/to-law"][5]


def test_ropa_art30_5_note_wording() -> None:
    out = cli("report", scenario(NAME), "--template", "gdpr-ropa", "--format", "md")
    assert "only only" not in out.stdout
