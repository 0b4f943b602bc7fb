"""A Shanghai fitness app modelled by three teams in one folder (`include: teams/*.yaml`): usage
analytics of 80,000 members to a US processor (ordinary PI only: Art. 5(4) exempt), health data
of 2,000 coached members to a Singapore coach (sensitive: standard contract, filed in time). The
filing pack's Annex I and the Art. 39 notice are checked field by field against the model."""

from __future__ import annotations

from .helpers import assessment, check, cli, exporter_row, run, scenario

NAME = "three-teams"


def test_validate_reads_the_three_team_files() -> None:
    out = run("validate", scenario(NAME))
    assert out.rc == 0
    assert "4 file(s)" in out.stdout + out.stderr


def test_check() -> None:
    rc, doc = check(NAME)
    assert rc == 0
    row = exporter_row(doc, "fitco")
    assert (row["ordinary"], row["sensitive"], row["tier"]) == (80000, 2000, "standard-contract")
    assert row["authority"] == "上海市互联网信息办公室"
    sg = assessment(doc, "CN/fitco/health-to-sg", "pipl")
    assert (sg["required"], sg["status"], sg["declared"]) == (
        ["pipl.standard-contract", "pipl.certification"], "ok", ["sc-coach"])
    us = assessment(doc, "CN/fitco/usage-to-us", "pipl")
    assert (us["required"], us["status"]) == (["pipl.exempt"], "exempt")


def test_standard_contract_annex_i_is_filled_from_the_model() -> None:
    out = cli("report", scenario(NAME), "--template", "pipl-standard-contract", "--lang", "en",
              "--format", "md")
    assert out.rc == 0, out.stderr
    annex = out.stdout.split("Annex I:")[1].split("Annex II")[0]
    rows = {ln.split("|")[1].strip(): ln.split("|")[3].strip()
            for ln in annex.splitlines() if ln.startswith("| ") and ln.split("|")[1].strip().isdigit()}
    assert rows["1"] == "Personal coaching"
    assert rows["3"].startswith("2,000 individuals (distinct); of whom 2,000 with sensitive PI")
    assert rows["4"] == "Phone number (user.contact.phone); Health information (user.health)"
    assert rows["5"] == "Health information (user.health)"
    assert rows["7"] == "sftp; frequency: daily"
    assert rows["8"] == "2 years"
    assert rows["9"].startswith("Singapore (aws:ap-southeast-1")
    assert "| File by | 2026-02-16" in out.stdout
    assert "Shanghai Cyberspace Administration" in out.stdout
    assert "沪SC-2026-001" in out.stdout


def test_notice_names_every_overseas_recipient() -> None:
    out = cli("report", scenario(NAME), "--template", "pipl-notice", "--lang", "en", "--format", "md")
    assert out.rc == 0, out.stderr
    assert "## Provision to Coach Pte. Ltd." in out.stdout
    assert "## Provision to Analytics Inc." in out.stdout


def test_overseas_entrusted_party_needs_an_entrustment_agreement() -> None:
    _rc, doc = check(NAME)
    duties = {d["id"] for d in assessment(doc, "CN/fitco/usage-to-us", "pipl")["duties"]}
    assert "pipl.entrustment-agreement" in duties


def test_consent_reading_is_visible_in_check() -> None:
    human = cli("check", scenario(NAME))
    assert "13(1)(2)" in human.stdout or "separate consent" in human.stdout


def test_findings_point_to_the_team_file_that_owns_the_flow() -> None:
    _rc, doc = check("three-teams-v2")
    where = {f["id"]: (f["file"].rsplit("/", 2)[-2:], f["line"]) for f in doc["findings"]}
    assert where["PIPL100/CN/fitco/trial-to-us"] == (["teams", "growth.yaml"], 9)
    assert where["PIPL100/CN/fitco/usage-to-us"] == (["teams", "platform.yaml"], 9)


def test_why_unknown_id_suggests() -> None:
    out = run("why", scenario(NAME), "CN/fitco/health-to-sgp")
    assert out.rc == 2
    assert "did you mean 'CN/fitco/health-to-sg'" in out.stdout + out.stderr
