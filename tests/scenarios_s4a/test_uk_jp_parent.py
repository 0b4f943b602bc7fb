"""A UK retailer with a Japanese parent (regulatory.md §3.7 UK GDPR; docs/regimes.md UK GDPR;
docs/cli.md check/diagram conventions).

Sakura Retail UK sends 300 employees' HR data to its parent in Japan (controller; UK adequacy
regulations for Japan: `uk-gdpr.adequacy`, satisfied), 40,000 loyalty members' names and e-mails
to a Vietnamese helpdesk processor (IDTA or Addendum; an IDTA is declared, the TRA and Art. 28
contract are not) and e-mails to a DPF-certified US mailer (UK Extension: adequacy with the [U]
UKGDPR-U-DPF-UK-EXTENSION warning and its UKGDPR201 finding). Nothing leaves Japan. Checks
the inventory, diagram, SARIF/`-o`, `--area` and `--fail-on` against `check`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from .helpers import assessment, check, finding_ids, run, scenario, transfers, warning_codes

NAME = "uk-jp-parent"
VN, US, JP = "UK/ukco/to-helpdesk", "UK/ukco/to-mailer", "UK/ukco/to-parent"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_transfers() -> None:
    t = {x["id"]: x for x in transfers(NAME)["transfers"]}
    assert sorted(t) == [VN, US, JP]
    assert t[JP]["individuals"]["total"] == 300
    assert t[JP]["recipient"]["entity"] == "jpco"
    assert t[VN]["individuals"]["total"] == 40_000


def test_check_uk_mechanisms() -> None:
    rc, d = check(NAME)
    assert rc == 1
    assert assessment(d, JP, "uk-gdpr")["required"] == ["uk-gdpr.adequacy"]
    assert assessment(d, JP, "uk-gdpr")["status"] == "ok"
    vn = assessment(d, VN, "uk-gdpr")
    assert vn["required"] == ["uk-gdpr.idta", "uk-gdpr.addendum"]
    assert vn["declared"] == ["idta-vn"]
    us = assessment(d, US, "uk-gdpr")
    assert "UKGDPR-U-DPF-UK-EXTENSION" in warning_codes(us)
    assert "UKGDPR201/UK/ukco/to-mailer" in finding_ids(d)


def test_inventory_csv_rows_agree_with_check() -> None:
    out = run("report", scenario(NAME), "--template", "transfer-inventory", "--format", "csv")
    assert out.rc == 0
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out.stdout))}
    _rc, d = check(NAME)
    assert sorted(rows) == sorted(a["transfer"] for a in d["assessments"])
    for a in d["assessments"]:
        r = rows[a["transfer"]]
        assert r["regime"] == a["regime"]
        assert r["status"] == a["status"]
        assert r["required"] == ";".join(a["required"])
        assert r["declared"] == ";".join(a["declared"])
        assert r["individuals_total"] == str(next(
            t for t in transfers(NAME)["transfers"] if t["id"] == a["transfer"]
        )["individuals"]["total"])


def test_gdpr_ropa_says_no_eea_processing() -> None:
    out = run("report", scenario(NAME), "--template", "gdpr-ropa", "--format", "md")
    assert out.rc == 0
    assert "No GDPR records" in out.stdout


def test_diagram_draws_the_uk_exits_red_by_default() -> None:
    out = run("diagram", scenario(NAME))
    assert out.rc == 0
    assert "Transfers out of the United Kingdom (UK GDPR): 3" in out.stdout
    red = [x for x in out.stdout.splitlines() if "->" in x and 'color="#c62828"' in x]
    assert len(red) == 3
    for j in ("United Kingdom", "Japan", "Viet", "United States"):
        assert j in out.stdout


def test_check_o_writes_what_stdout_shows(tmp_path: Path) -> None:
    f = tmp_path / "u.sarif"
    out = run("check", scenario(NAME), "--format", "sarif", "-o", str(f))
    assert out.rc == 1
    assert f.read_text() == run("check", scenario(NAME), "--format", "sarif").stdout
    assert json.loads(f.read_text())["version"] == "2.1.0"


def test_fail_on_warning_turns_warnings_into_exit_1() -> None:
    # the Indian onward leg of the EU model has warnings (IN201, IN207) and no errors
    eu = scenario("eu-us-in")
    assert run("check", eu, "--area", "IN").rc == 0
    assert run("check", eu, "--area", "IN", "--fail-on", "warning").rc == 1


def test_area_without_exits_lists_nothing() -> None:
    d = transfers(NAME, "--area", "JP")
    assert (d["transfers"], d["possible_transfers"]) == ([], [])


def test_area_filter_does_not_make_safeguards_orphans() -> None:
    _rc, d = check(NAME, "--area", "JP")
    assert [f["code"] for f in d["findings"]] == []
    assert run("check", scenario(NAME), "--area", "JP", "--fail-on", "warning").rc == 0


def test_build_refuses_a_folder_that_is_not_a_build(tmp_path: Path) -> None:
    out_dir = tmp_path / "mine"
    out_dir.mkdir()
    (out_dir / "notes.txt").write_text("keep")
    out = run("build", scenario(NAME), "-o", str(out_dir))
    assert out.rc == 2
    assert sorted(p.name for p in out_dir.iterdir()) == ["notes.txt"]


def test_rebuild_replaces_the_previous_build_whole(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    assert run("build", scenario(NAME), "-o", str(out_dir)).rc == 1
    (out_dir / "documents" / "stale.md").write_text("old")
    assert run("build", scenario(NAME), "-o", str(out_dir)).rc == 1
    assert not (out_dir / "documents" / "stale.md").exists()
    assert (out_dir / "documents" / "transfer-inventory.csv").exists()
