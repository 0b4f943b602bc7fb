"""A Japanese company's data processed in Dalian and returned — PIPL Art. 4 and what loses it
(regulatory.md §2.5 Art. 4: PI collected/generated abroad, transmitted into China for processing
and then provided abroad, with no domestic PI or important data introduced -> exempt; §2.6 steps
4-5; docs/regimes.md GDPR "Round trip": "answers generated in China originate there";
docs/model-format.md flows "Give cohorts their residence: it decides PIPL Art. 4").

Sakura (Tokyo, controller) sends 300,000 Japanese customers' names and phones to its processor in
Dalian (JP/sakura/to-dalian: APPI Art. 28, entrustment included -> jp.consent-or-equivalent, not
declared: JP100). The Dalian desk also receives 50,000 mainland buyers' orders for Sakura.
By hand, the PRC exports of Sakura's data (exporter sakura, sender dalian-bpo as processor):
* back-clean (the Japanese names/phones back to Tokyo, Art. 4 claimed): exempt, art4;
* to-mailhub (the Japanese phones on to Sakura's US SMS processor): Art. 4 holds without a claim
  (the data need not go back to where it came from); the US processor is an overseas entrusted
  party -> pipl.entrustment-agreement with mailhub;
* back-notes (call notes written in Dalian): generated in China -> domestic PI, Art. 4 lost; the
  claim is rejected (PIPL202);
* to-bi (names of both cohorts): domestic PI added -> not exempt.
N = |jp-customers ∪ cn-buyers| = 350,000 -> standard contract or certification (Provisions
Art. 8) for back-notes and to-bi, from 2026-01-01."""

from __future__ import annotations

from .helpers import assessment, by_id, check, cli, exporter_row, finding_ids, run, scenario, transfers

NAME = "jp-dalian"
CN = ["CN/sakura/back-clean", "CN/sakura/back-notes", "CN/sakura/to-bi", "CN/sakura/to-mailhub"]


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_transfers() -> None:
    ts = by_id(transfers(NAME))
    assert sorted(ts) == [*CN, "JP/sakura/to-dalian"]
    for tid in CN:
        assert ts[tid]["exporter"]["entity"] == "sakura"
        assert (ts[tid]["sender"]["entity"], ts[tid]["sender"]["role"]) == ("dalian-bpo", "processor")
    assert ts["CN/sakura/to-mailhub"]["recipient"]["role"] == "processor"
    assert ts["CN/sakura/back-clean"]["recipient"]["role"] == "controller"
    jp = ts["JP/sakura/to-dalian"]
    assert (jp["recipient"]["entity"], jp["recipient"]["role"]) == ("dalian-bpo", "processor")
    assert jp["onward"] == [{"entity": "mailhub", "jurisdiction": "US", "system": "us-mail"}]


def test_provenance() -> None:
    ts = by_id(transfers(NAME, "--area", "CN"))
    assert ts["CN/sakura/back-clean"]["provenance"]["received_from"] == ["JP"]
    assert ts["CN/sakura/back-clean"]["provenance"]["personal_collected_in_area"] is False
    assert ts["CN/sakura/back-notes"]["origin"] == ["desk"]
    assert ts["CN/sakura/back-notes"]["provenance"]["personal_collected_in_area"] is True
    assert ts["CN/sakura/to-bi"]["provenance"]["domestic_added"] is True
    assert ts["CN/sakura/to-bi"]["individuals"]["total"] == 350_000
    assert sorted(c["id"] for c in ts["CN/sakura/to-bi"]["cohorts"]) == ["cn-buyers", "jp-customers"]


def test_art4_holds_where_no_domestic_pi_is_added() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    for tid in ("CN/sakura/back-clean", "CN/sakura/to-mailhub"):
        a = assessment(doc, tid, "pipl")
        assert a["required"] == ["pipl.exempt"], tid
        assert a["mechanism_details"] == {"pipl.exempt": {"article": "art4"}}
    parties = {d["party"] for d in assessment(doc, "CN/sakura/to-mailhub", "pipl")["duties"]
               if d["id"] == "pipl.entrustment-agreement"}
    assert "mailhub" in parties


def test_art4_lost_for_generated_and_mixed_data() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    for tid in ("CN/sakura/back-notes", "CN/sakura/to-bi"):
        assert assessment(doc, tid, "pipl")["required"] == ["pipl.standard-contract", "pipl.certification"]
    ids = finding_ids(doc)
    assert "PIPL202/CN/sakura/back-notes" in ids
    assert not any(i.startswith("PIPL202/CN/sakura/back-clean") for i in ids)
    assert {"PIPL100/CN/sakura/back-notes", "PIPL100/CN/sakura/to-bi"} <= set(ids)
    exempt = ("PIPL100/CN/sakura/back-clean", "PIPL100/CN/sakura/to-mailhub")
    assert not any(i.startswith(exempt) for i in ids)
    row = exporter_row(doc, "sakura")
    assert (row["ordinary"], row["sensitive"], row["tier"], row["tier_crossed_on"]) == (
        350_000, 0, "standard-contract", "2026-01-01")


def test_japanese_leg() -> None:
    _rc, doc = check(NAME, "--area", "JP")
    a = assessment(doc, "JP/sakura/to-dalian", "jp")
    assert a["required"] == ["jp.consent-or-equivalent"]
    assert "JP100/JP/sakura/to-dalian" in finding_ids(doc)


def test_standard_contract_pack_for_the_foreign_processor() -> None:
    out = cli("report", scenario(NAME), "-t", "pipl-standard-contract", "--lang", "en", "--format", "md")
    assert out.rc == 0, out.stderr
    assert "ordinary PI 350,000; sensitive PI 0" in out.stdout
    assert "Call-centre notes (customer.call\\_notes)" in out.stdout


def test_filing_authority_is_an_honest_blank() -> None:
    out = cli("report", scenario(NAME), "-t", "pipl-standard-contract", "--lang", "en", "--format", "md")
    line = next(x for x in out.stdout.splitlines() if x.startswith("| Filing authority |"))
    assert "[TO COMPLETE" in line


def test_without_residence_the_cycle_starts_in_china_too() -> None:
    """docs/model-format.md flows: in a cycle (jp-crm -> desk -> jp-crm, both naming the cohort)
    the data starts at the system in the cohort's residence country, and at all of them when the
    residence is not given: then the data also originates in Dalian and Art. 4 no longer holds."""
    _rc, doc = check("jp-dalian-nores", "--area", "CN")
    a = assessment(doc, "CN/sakura/back-clean", "pipl")
    assert a["required"] == ["pipl.standard-contract", "pipl.certification"]
    assert "PIPL202/CN/sakura/back-clean" in finding_ids(doc)
