"""What a Shanghai filer gets out of dataflow (docs/templates.md, docs/cli.md, outputs.md).

ShopCo (Shanghai) sends 150,000 buyers' names and phone numbers, and the ID-card numbers of the
3,000 of them verified for customs (sensitive, PIPL Art. 28), to its Singapore fulfilment
processor, which passes names and phones on to a Malaysian courier; it also sends the buyers'
online activity (pseudonymised: still personal, outputs.md "Propagation") to a US analytics
processor. 150,000 ordinary and 3,000 sensitive individuals put shopco in the standard-contract
tier (regulatory.md §2.6 step 5; §2.8), filed with the Shanghai CAC. A standard contract with the
Singapore processor took effect on Monday 2026-03-02: the filing deadline is ten working days
later, 2026-03-16 (SCC Measures Art. 7). Every document must carry the same numbers, categories,
recipients and dates as `transfers`/`check --format json`."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path

import pytest

from .helpers import (
    ROOT,
    Out,
    annex_i,
    assessment,
    check,
    exporter_row,
    finding_ids,
    kv,
    run,
    scenario,
    transfers,
)

NAME = "shop-sg-us"
OUT = Path(tempfile.mkdtemp(prefix="s4a-shop-")) / "out"
SG, US, MY = "CN/shopco/to-sg", "CN/shopco/to-us", "SG/shopco/sg-to-my"


@cache
def build() -> Out:
    return run("build", scenario(NAME), "-o", str(OUT), "--force")


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_transfers_ids_parties_and_counts() -> None:
    t = {x["id"]: x for x in transfers(NAME)["transfers"]}
    assert sorted(t) == [SG, US, MY]
    assert t[SG]["recipient"]["entity"] == "sgfulfil"
    assert t[SG]["individuals"]["total"] == 150_000
    assert t[SG]["individuals"]["sensitive"] == 3_000
    assert "onward" in t[SG]["flags"]
    assert [o["entity"] for o in t[SG]["onward"]] == ["mycourier"]
    assert t[US]["individuals"]["total"] == 150_000
    assert t[US]["individuals"]["sensitive"] == 0
    # the SG processor's onward flow is exported on behalf of its controller
    assert t[MY]["exporter"]["entity"] == "shopco"
    assert t[MY]["sender"]["entity"] == "sgfulfil"


def test_check_tier_and_findings() -> None:
    rc, doc = check(NAME)
    assert rc == 1
    row = exporter_row(doc, "shopco")
    assert (row["ordinary"], row["sensitive"], row["tier"], row["tier_crossed_on"]) == (
        150_000, 3_000, "standard-contract", "2026-01-01")
    for tid in (SG, US):
        assert assessment(doc, tid, "pipl")["required"] == ["pipl.standard-contract",
                                                              "pipl.certification"]
    assert assessment(doc, SG, "pipl")["declared"] == ["scc-sg"]
    assert "PIPL100/CN/shopco/to-us" in finding_ids(doc)
    assert "PIPL100/CN/shopco/to-sg" not in finding_ids(doc)
    ids = finding_ids(doc)
    assert len(ids) == len(set(ids))


def test_build_writes_the_pack_and_exits_1() -> None:
    out = build()
    assert out.rc == 1, out.stderr
    files = {p.relative_to(OUT).as_posix() for p in OUT.rglob("*") if p.is_file()}
    for f in ["report.html", "check.json", "transfers.json",
              "documents/pipl-standard-contract_shopco_sgfulfil.md",
              "documents/pipl-standard-contract_shopco_insightco.md",
              "documents/pipl-notice_shopco.md", "documents/transfer-inventory.csv"]:
        assert f in files, f


def test_annex_i_matches_the_transfer() -> None:
    build()
    doc = (OUT / "documents" / "pipl-standard-contract_shopco_sgfulfil.md").read_text()
    rows = annex_i(doc)
    assert rows["处理目的"] == "订单履约和清关"
    assert rows["出境个人信息的规模"].startswith("150,000 人")
    assert "敏感个人信息 3,000 人" in rows["出境个人信息的规模"]
    for c in ("user.contact.phone", "user.identity.government", "user.identity.name"):
        assert c in rows["出境个人信息种类"]
    assert "user.identity.government" in rows["出境敏感个人信息种类"]
    assert "user.identity.name" not in rows["出境敏感个人信息种类"]
    assert rows["境外接收方只向以下中华人民共和国境外第三方提供个人信息"].startswith(
        "MY Courier Sdn. Bhd.")
    assert rows["出境后保存期限"] == "1 年"
    assert rows["出境后保存地点"].startswith("新加坡")


def test_filing_deadline_is_ten_working_days_after_effect() -> None:
    build()
    doc = (OUT / "documents" / "pipl-standard-contract_shopco_sgfulfil.md").read_text()
    assert kv(doc, "备案机关") == "上海市互联网信息办公室"
    assert kv(doc, "合同生效日期") == "2026-03-02"
    assert kv(doc, "备案截止日期").startswith("2026-03-16")
    assert kv(doc, "备案日期").startswith("2026-03-10")
    assert "150,000" in kv(doc, "处理者本年度出境人数（自1月1日起，不重复计数）")


def test_us_pack_has_no_sensitive_data() -> None:
    build()
    doc = (OUT / "documents" / "pipl-standard-contract_shopco_insightco.md").read_text()
    rows = annex_i(doc)
    assert rows["出境个人信息的规模"].startswith("150,000 人")
    assert rows["出境敏感个人信息种类"] == "无"
    assert rows["出境后保存期限"] == "25 个月"
    assert rows["出境后保存地点"].startswith("美国")


def test_inventory_csv_is_transfers_csv_plus_assessment_columns() -> None:
    inv = run("report", scenario(NAME), "--template", "transfer-inventory", "--format", "csv")
    tcsv = run("transfers", scenario(NAME), "--format", "csv")
    assert inv.rc == 0 and tcsv.rc == 0
    irows = list(csv.DictReader(io.StringIO(inv.stdout)))
    trows = list(csv.DictReader(io.StringIO(tcsv.stdout)))
    tcols = list(trows[0])
    assert list(irows[0])[:len(tcols)] == tcols
    assert [r["id"] for r in trows] == [SG, US, MY]
    assert [(r["id"], r["regime"]) for r in irows] == [(SG, "pipl"), (US, "pipl"), (MY, "sg")]
    for i, t in zip(irows, trows, strict=True):
        assert {k: i[k] for k in tcols} == t
        assert i["evaluation_date"] == "2026-10-01"
    by = {r["id"]: r for r in irows}
    assert by[SG]["individuals_total"] == "150000"
    assert by[SG]["individuals_sensitive"] == "3000"
    assert by[SG]["filing_authority"] == "上海市互联网信息办公室"
    assert by[US]["declared"] == ""


def test_report_html_lists_every_transfer_and_finding() -> None:
    build()
    html = (OUT / "report.html").read_text()
    doc = json.loads((OUT / "check.json").read_text())
    for tid in (SG, US, MY):
        assert tid in html
    for f in doc["findings"]:
        assert f["code"] in html


def test_sarif_and_github_carry_every_finding() -> None:
    _rc, doc = check(NAME)
    sarif = run("check", scenario(NAME), "--format", "sarif")
    assert sarif.rc == 1
    s = sarif.json()
    assert s["version"] == "2.1.0"
    results = s["runs"][0]["results"]
    assert sorted(r["partialFingerprints"]["findingId"] for r in results) == finding_ids(doc)
    gh = run("check", scenario(NAME), "--format", "github")
    assert gh.rc == 1
    lines = [x for x in gh.stdout.splitlines() if x.startswith("::")]
    assert len(lines) == len(doc["findings"])


def test_diagram_dot_exits_red_and_clusters_per_jurisdiction() -> None:
    out = run("diagram", scenario(NAME))
    assert out.rc == 0
    dot = out.stdout
    for j in ("China (CN)", "Singapore (SG)", "United States (US)", "Malaysia (MY)"):
        assert j in dot
    exits = [x for x in dot.splitlines() if "leaves CN" in x and "->" in x]
    assert len(exits) == 2
    assert all('color="#c62828"' in x for x in exits)


def test_diagram_image_gets_its_dot_beside_it(tmp_path: Path) -> None:
    out = run("diagram", scenario(NAME), "-o", str(tmp_path / "m.svg"))
    assert out.rc == 0
    assert (tmp_path / "m.svg").exists() and (tmp_path / "m.dot").exists()


def test_report_usage_errors_exit_2() -> None:
    assert run("report", scenario(NAME), "--template", "pipl-standard-contrat").rc == 2
    # four files: stdout is not enough
    assert run("report", scenario(NAME), "--template", "pipl-standard-contract").rc == 2


@pytest.mark.parametrize("args", [
    ("check", "--format", "json"),
    ("transfers", "--format", "csv"),
    ("diagram",),
    ("report", "--template", "transfer-inventory", "--format", "csv"),
    ("report", "--template", "pipl-standard-contract", "--recipient", "sgfulfil",
     "--format", "md"),
])
def test_same_bytes_under_any_hash_seed(args: tuple[str, ...]) -> None:
    outs = set()
    for seed in ("0", "1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed, DATAFLOW_CACHE="0")
        p = subprocess.run([sys.executable, "-m", "dataflow", args[0], scenario(NAME), *args[1:]],
                           cwd=ROOT, env=env, capture_output=True, timeout=300)
        outs.add(p.stdout)
    assert len(outs) == 1


def test_build_json_is_what_check_and_transfers_print() -> None:
    build()
    assert json.loads((OUT / "check.json").read_text()) == run(
        "check", scenario(NAME), "--format", "json").json()
    assert json.loads((OUT / "transfers.json").read_text()) == run(
        "transfers", scenario(NAME), "--format", "json").json()


def test_as_of_reaches_every_output() -> None:
    md = run("report", scenario(NAME), "--template", "pipl-standard-contract", "--recipient",
             "sgfulfil", "--format", "md", "--as-of", "2026-12-31")
    assert md.rc == 0
    assert kv(md.stdout, "评估日期") == "2026-12-31"
    inv = run("report", scenario(NAME), "--template", "transfer-inventory", "--format", "csv",
              "--as-of", "2026-12-31")
    assert {r["evaluation_date"] for r in csv.DictReader(io.StringIO(inv.stdout))} == {
        "2026-12-31"}
    assert "evaluated 2026-12-31" in run("diagram", scenario(NAME), "--as-of", "2026-12-31").stdout


def test_why_json_carries_the_provenance_keys() -> None:
    out = run("why", scenario(NAME), SG, "--format", "json")
    assert out.rc == 0
    d = out.json()
    for k in ("schema_version", "tool_version", "catalogue_version", "model"):
        assert k in d, k
    assert d["model"]["name"] == "Haitao cross-border shop"


def edge_styles(dot: str) -> dict[str, str]:
    """exit-edge id (first tooltip word) -> edge colour, label HTML left out."""
    out = {}
    for line in dot.splitlines():
        if "->" not in line:
            continue
        attrs = line.split(">> ", 1)[-1]
        tip = attrs.split('tooltip="', 1)[1].split(" — ", 1)[0]
        out[tip] = attrs.split('color="', 1)[1].split('"', 1)[0]
    return out


@pytest.mark.parametrize(("area", "red"), [
    ("CN", {"to-sg", "to-us"}),
    ("SG", {"sg-to-my"}),
    ("all", {"to-sg", "to-us", "sg-to-my"}),
])
def test_diagram_area_picks_the_red_exits(area: str, red: set[str]) -> None:
    out = run("diagram", scenario(NAME), "--area", area)
    assert out.rc == 0
    styles = edge_styles(out.stdout)
    assert {k for k, v in styles.items() if v == "#c62828"} == red


@pytest.mark.parametrize(("filed", "codes", "row"), [
    ("2026-03-16", [], "2026-03-16（在备案时限内）"),
    ("2026-03-17", ["PIPL106"], "2026-03-17（晚于备案截止日期）"),
    (None, ["PIPL105"], "【待补充"),
])
def test_filing_date_against_the_deadline(tmp_path: Path, filed: str | None,
                                          codes: list[str], row: str) -> None:
    src = (ROOT / scenario(NAME) / "dataflow.yaml").read_text()
    new = (src.replace("filed_on: 2026-03-10", f"filed_on: {filed}") if filed
           else src.replace("    filed_on: 2026-03-10\n", ""))
    assert new != src
    model = tmp_path / "m.yaml"
    model.write_text(new)
    out = run("check", str(model), "--format", "json")
    got = [f["code"] for f in out.json()["findings"] if f["code"] in ("PIPL105", "PIPL106")]
    assert got == codes
    md = run("report", str(model), "--template", "pipl-standard-contract", "--recipient",
             "sgfulfil", "--format", "md")
    assert kv(md.stdout, "备案截止日期").startswith("2026-03-16")
    assert kv(md.stdout, "备案日期").startswith(row)


def test_consent_warning_does_not_contradict_the_required_duty() -> None:
    _rc, d = check(NAME)
    a = assessment(d, SG, "pipl")
    requires_consent = "pipl.separate-consent" in {x["id"] for x in a["duties"]}
    says_not_required = any(w["code"] == "PIPL-U-CONSENT" and "not required" in w["message"]
                            for w in a["warnings"])
    assert not (requires_consent and says_not_required)
