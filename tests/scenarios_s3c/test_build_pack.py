"""`dataflow build MODEL -o DIR` on a new model (README's first command): a Hangzhou gene-test
company sends 120,000 customers' e-mail addresses and 800 customers' raw genotypes to a US lab
(its processor) and lets a Singapore helpdesk read the database remotely.

Checks the folder against README/docs/cli.md, the Chinese standard-contract pack against Annex I
(regulatory.md §2.8), report.html against check.json, and the exit codes."""

from __future__ import annotations

import json
import shutil
import tempfile
from functools import cache
from pathlib import Path

from .helpers import ROOT, Out, annex_i, assessment, run, scenario

NAME = "build-pack"
OUT = Path(tempfile.mkdtemp(prefix="s3c-build-")) / "out"

ANNEX_I = ["处理目的", "处理方式", "出境个人信息的规模", "出境个人信息种类", "出境敏感个人信息种类",
           "境外接收方只向以下中华人民共和国境外第三方提供个人信息", "传输方式", "出境后保存期限",
           "出境后保存地点", "其他事项"]


@cache
def build() -> Out:
    if OUT.exists():
        shutil.rmtree(OUT)
    return run("build", scenario(NAME), "-o", str(OUT), "--force")


def test_build_exits_1_on_findings_and_writes_what_readme_promises() -> None:
    out = build()
    assert out.rc == 1, out.stderr
    files = {p.relative_to(OUT).as_posix() for p in OUT.rglob("*") if p.is_file()}
    for f in ["report.html", "check.json", "transfers.json", "diagrams/overview.dot",
              "diagrams/overview.svg", "diagrams/transfers.dot", "diagrams/transfers.svg",
              "documents/transfer-inventory.md", "documents/transfer-inventory.csv",
              "documents/transfer-inventory.xlsx",
              "documents/pipl-standard-contract_genco_labus.md",
              "documents/pipl-standard-contract_genco_sg-support.md",
              "documents/pipl-notice_genco.md"]:
        assert f in files, f


def test_build_json_is_what_check_and_transfers_print() -> None:
    build()
    c = run("check", scenario(NAME), "--format", "json")
    t = run("transfers", scenario(NAME), "--format", "json")
    assert json.loads((OUT / "check.json").read_text()) == c.json()
    assert json.loads((OUT / "transfers.json").read_text()) == t.json()


def test_report_html_shows_every_transfer_and_finding() -> None:
    build()
    html = (OUT / "report.html").read_text()
    doc = json.loads((OUT / "check.json").read_text())
    for a in doc["assessments"]:
        assert a["transfer"] in html
    codes = {f["code"] for f in doc["findings"]}
    assert codes == {"PIPL100", "PIPL110", "PIPL205"}
    for f in doc["findings"]:
        assert f["code"] in html
        assert f"#t-{f['transfer'].replace('/', '-')}" in html


def test_chinese_annex_i_carries_the_ten_fields_with_the_models_facts() -> None:
    build()
    doc = (OUT / "documents" / "pipl-standard-contract_genco_labus.md").read_text()
    rows = annex_i(doc)
    assert list(rows) == ANNEX_I
    assert rows["处理目的"] == "基因型分析"
    assert rows["出境个人信息的规模"].startswith("120,000 人")
    assert "敏感个人信息 800 人" in rows["出境个人信息的规模"]
    assert "user.genetic.raw" in rows["出境敏感个人信息种类"]
    assert "user.contact.email" not in rows["出境敏感个人信息种类"]
    assert rows["传输方式"].startswith("SFTP")
    assert rows["出境后保存期限"] == "2 年"
    assert rows["出境后保存地点"].startswith("美国")
    assert "浙江省互联网信息办公室" in doc


def test_remote_access_annex_i() -> None:
    build()
    doc = (OUT / "documents" / "pipl-standard-contract_genco_sg-support.md").read_text()
    rows = annex_i(doc)
    assert list(rows) == ANNEX_I
    assert "远程访问" in rows["传输方式"]
    assert rows["出境后保存地点"].startswith("中国")


def test_the_sector_overlay_is_flagged() -> None:
    _ = build()
    doc = json.loads((OUT / "check.json").read_text())
    assert "PIPL205/CN/genco/to-lab" in {f["id"] for f in doc["findings"]}


def test_blanks_name_fields_that_the_format_accepts(tmp_path: Path) -> None:
    build()
    doc = (OUT / "documents" / "pipl-standard-contract_genco_sg-support.md").read_text()
    # access grants have no purpose_zh: the blank must not ask for it (it would be DF200) but
    # for a field that exists: access.support.purpose, written in Chinese
    assert "access.support.purpose_zh" not in doc
    assert "access.support.purpose" in doc       # what the blank asks for
    src = (ROOT / scenario(NAME) / "dataflow.yaml").read_text()
    model = tmp_path / "m.yaml"
    model.write_text(src.replace("    purpose: Helpdesk\n", "    purpose: 客服支持\n"))
    assert run("validate", str(model)).rc == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text(src.replace("    purpose: Helpdesk\n",
                               "    purpose: Helpdesk\n    purpose_zh: 客服支持\n"))
    assert run("validate", str(bad)).rc == 2      # the key the old blank asked for is invalid


def test_an_overseas_processor_recipient_needs_the_entrustment_agreement() -> None:
    build()
    doc = json.loads((OUT / "check.json").read_text())
    a = assessment(doc, "CN/genco/to-lab", "pipl")
    assert a["recipient"]["role"] == "processor"
    assert "pipl.entrustment-agreement" in {d["id"] for d in a["duties"]}


def test_invalid_model_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    src = (ROOT / scenario(NAME) / "dataflow.yaml").read_text()
    bad = tmp_path / "bad.yaml"
    bad.write_text(src.replace('address: "1 Main St, Boston"', "address: 1 Main St, Boston"))
    out = run("build", str(bad), "-o", str(tmp_path / "out"))
    assert out.rc == 2
    assert "DF200" in out.stdout + out.stderr
    assert "Traceback" not in out.stderr
    assert not (tmp_path / "out").exists()
