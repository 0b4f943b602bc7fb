"""Filing-ready documents (dataflow.render.documents, templates/, `dataflow report`).

Golden files live in tests/golden/documents/<case>/ and change only with ``--update-golden``.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import textwrap
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from dataflow.api import load
from dataflow.check import CheckResult, check
from dataflow.cli import main
from dataflow.cli.report_cmd import write_files
from dataflow.regimes.pipl import filing_deadline
from dataflow.render import documents as docs
from dataflow.render.documents import (
    TEMPLATES,
    RenderedFile,
    ReportError,
    md_escape,
    render_report,
    safe_name,
)
from dataflow.transfers import analyse

from .conftest import compare_golden

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "ai-relay"
COMPLETE = ROOT / "tests" / "fixtures" / "ai-relay-complete"
EU = ROOT / "tests" / "fixtures" / "documents-eu"
GOLDEN = ROOT / "tests" / "golden" / "documents"

ANNEX_I = ("处理目的", "处理方式", "出境个人信息的规模", "出境个人信息种类", "出境敏感个人信息种类",
           "境外接收方只向以下中华人民共和国境外第三方提供个人信息", "传输方式", "出境后保存期限",
           "出境后保存地点", "其他事项")
MARKER = re.compile(r"【待补充 (\d+)】|\[TO COMPLETE (\d+)\]")
FIELD = re.compile(r"^(entities|systems|categories|cohorts|flows|access|safeguards|duties|model)"
                   r"\.[A-Za-z0-9_<>.-]+$")


@functools.cache
def _result(path: Path) -> CheckResult:
    model = load(path)
    return check(model, analyse(model))


def _render(path: Path, template: str, **kw: object) -> list[RenderedFile]:
    return render_report(_result(path), template, **kw)  # type: ignore[arg-type]


def _by_name(files: list[RenderedFile]) -> dict[str, RenderedFile]:
    return {f.name: f for f in files}


# --------------------------------------------------------------------------- golden files

CASES: dict[str, tuple[Path, str | None, tuple[str, ...]]] = {
    "ai-relay": (SEED, None, tuple(sorted(TEMPLATES))),
    "ai-relay-en": (SEED, "en", ("pipl-notice", "pipl-security-assessment",
                                 "pipl-standard-contract")),
    "ai-relay-zh": (SEED, "zh", ("transfer-inventory",)),
    "ai-relay-complete": (COMPLETE, None, tuple(sorted(TEMPLATES))),
    "documents-eu": (EU, None, ("gdpr-ropa", "gdpr-scc-annexes", "gdpr-tia",
                                "transfer-inventory")),
}


def _xlsx_entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {i.filename: z.read(i.filename) for i in z.infolist()}


@pytest.mark.parametrize("case,template", [(c, t) for c, (_, _, ts) in CASES.items()
                                           for t in ts])
def test_golden(case: str, template: str, update_golden: bool) -> None:
    path, lang, _ = CASES[case]
    files = _render(path, template, lang=lang)
    folder = GOLDEN / case
    mine = sorted(p.name for p in folder.glob(f"{template}*")) if folder.exists() else []
    if update_golden:
        for stale in set(mine) - {f.name for f in files}:
            (folder / stale).unlink()
    else:
        assert sorted(f.name for f in files) == mine or not mine, (
            f"{case}/{template}: files differ from the goldens (pytest --update-golden)")
    for f in files:
        target = folder / f.name
        if f.format == "xlsx" and target.exists() and not update_golden:
            # compared after unzipping: the entries, not the zip container's bytes
            assert _xlsx_entries(f.data) == _xlsx_entries(target.read_bytes()), target
            continue
        compare_golden(target, f.data, update_golden)


# --------------------------------------------------------------------------- the seed example

def test_standard_contract_pack_for_the_seed_example() -> None:
    files = _by_name(_render(SEED, "pipl-standard-contract", formats=["md"]))
    assert set(files) == {"pipl-standard-contract_acme_frontier.md",
                          "pipl-standard-contract_acme_relayco-sg.md"}
    us = files["pipl-standard-contract_acme_frontier.md"].data.decode()
    sg = files["pipl-standard-contract_acme_relayco-sg.md"].data.decode()
    for text in (us, sg):
        assert "个人信息出境说明" in text
        for name in ANNEX_I:  # the ten Annex I fields, verbatim
            assert f"| {name} |" in text, name
        assert "杭州阿克米科技有限公司" in text
        assert "浙江省互联网信息办公室" in text
        assert "10个工作日内" in text and "第七条" in text
        assert "一般个人信息 250,000 人；敏感个人信息 4,000 人" in text  # the exporter's totals
        assert text.rstrip().splitlines()[0].startswith("# ")
        assert "## 待补充事项" in text
        for section in ("（一）评估工作简述", "（二）出境活动整体情况", "（三）拟出境活动的影响评估情况",
                        "（四）出境活动影响评估结论"):
            assert section in text
    # Frontier: the sensitive health data, 250,000 people, 30 days, no onward recipient
    assert "Frontier AI Inc.（美国）" in us
    assert "| 1 | 处理目的 | 调用境外大模型生成文本 |" in us
    assert "250,000 人（不重复计数）；其中敏感个人信息 4,000 人" in us
    assert "| 5 | 出境敏感个人信息种类 | 提示词中的健康信息（user.health.details） |" in us
    assert "| 8 | 出境后保存期限 | 30 天 |" in us
    assert "无（模型中境外接收方未向中华人民共和国境外第三方提供）" in us
    # Singapore fail-over: 3,500 people, onward to Frontier in the US, 7 days
    assert "| 1 | 处理目的 | 境外主线路不可用时的备用线路 |" in sg
    assert "3,500 人（不重复计数）；其中敏感个人信息 0 人" in sg
    assert "| 6 | 境外接收方只向以下中华人民共和国境外第三方提供个人信息 | Frontier AI Inc.（美国" in sg
    assert "| 8 | 出境后保存期限 | 7 天 |" in sg
    assert "| 5 | 出境敏感个人信息种类 | 无 |" in sg


def test_filing_deadline_only_from_an_effective_date() -> None:
    seed = _render(SEED, "pipl-standard-contract", formats=["md"], recipient="frontier")
    text = seed[0].data.decode()
    assert "备案截止日期 | 【待补充" in text  # no safeguard in the seed: no date is invented
    done = _render(COMPLETE, "pipl-standard-contract", formats=["md"], recipient="frontier")
    text = done[0].data.decode()
    effective = _result(COMPLETE).model.safeguards["sc-frontier"].effective
    assert effective is not None
    deadline = filing_deadline(effective)
    assert deadline.isoformat() == "2026-03-16"
    assert f"| 备案截止日期 | {deadline.isoformat()}（生效日后第10个工作日" in text
    assert "| 备案日期 | 2026-03-10（在备案时限内） |" in text


def test_every_document_carries_its_provenance() -> None:
    model = _result(SEED).model
    for name in TEMPLATES:
        for f in _render(SEED, name, formats=["md", "html"]):
            text = f.data.decode()
            assert model.digest in text, (name, f.name)
            assert "dataflow 0.1.0" in text or "dataflow " in text
            assert model.catalogue.version in text
            assert "2026-10-01" in text
            assert not re.search(r"\d{2}:\d{2}:\d{2}", text), f"clock time in {f.name}"
            assert ("待补充事项" in text) if f.lang == "zh" else ("To complete" in text)


def test_every_blank_is_in_the_to_complete_list() -> None:
    for path in (SEED, COMPLETE, EU):
        for name, info in TEMPLATES.items():
            for lang in info.langs:
                for f in _render(path, name, lang=lang, formats=["md", "html"]):
                    text = f.data.decode()
                    head, _, tail = text.rpartition("待补充事项" if lang == "zh" else "To complete")
                    used = {int(a or b) for a, b in MARKER.findall(head)}
                    listed = {item.number for item in f.blanks}
                    assert used == listed, (f.name, used ^ listed)
                    assert [i.number for i in f.blanks] == list(range(1, len(f.blanks) + 1))
                    for item in f.blanks:
                        row = (f"| {item.number} | " if f.format == "md" else
                               f'<span id="tc-{item.number}">{item.number}</span>')
                        assert row in tail, (f.name, item)
                        if item.kind == "model":
                            assert item.field and FIELD.match(item.field), item
                            shown = (item.field if f.format == "md" else
                                     item.field.replace("<", "&lt;").replace(">", "&gt;"))
                            assert shown in tail, (f.name, item)
                        else:
                            assert item.field is None and item.kind in (
                                "signature", "seal", "no-field"), item


def test_seed_blanks_name_the_yaml_fields() -> None:
    fields = {b.field for name in TEMPLATES for f in _render(SEED, name, formats=["md"])
              for b in f.blanks if b.kind == "model"}
    assert {"entities.frontier.contact.phone", "entities.frontier.contact.name",
            "entities.acme.legal_representative", "flows.relay-to-sg.frequency",
            "flows.relay-to-us.legal_basis.pipl", "safeguards.<id>",
            "duties.<id>"} <= fields
    # facts the seed does hold are never blanks
    assert not {"entities.acme.credit_code", "entities.acme.address",
                "flows.relay-to-us.retention", "entities.frontier.address"} & fields


def test_complete_copy_leaves_only_signatures_seals_and_unmodelled_facts() -> None:
    result = _result(COMPLETE)
    assert not result.failing(), [f.id for f in result.failing()]  # dataflow check exits 0
    for name, info in TEMPLATES.items():
        for lang in info.langs:
            for f in _render(COMPLETE, name, lang=lang):
                assert all(b.kind in ("signature", "seal", "no-field") for b in f.blanks), (
                    f.name, [b for b in f.blanks if b.kind == "model"])


def test_english_rendering_keeps_the_annex_names() -> None:
    files = _render(SEED, "pipl-standard-contract", lang="en", formats=["md"],
                    recipient="frontier")
    text = files[0].data.decode()
    assert "Purpose of processing（处理目的）" in text
    assert "Zhejiang Cyberspace Administration (浙江省互联网信息办公室)" in text
    assert "## To complete" in text and "待补充事项" not in text


def test_gdpr_documents_are_english_and_degrade_without_gdpr_transfers() -> None:
    for name in ("gdpr-ropa", "gdpr-scc-annexes", "gdpr-tia"):
        files = _render(SEED, name, lang="zh", formats=["md"])
        assert len(files) == 1 and files[0].lang == "en"
        text = files[0].data.decode()
        assert "No GDPR" in text and "## To complete" in text


def _annex_parties(text: str) -> str:
    return text.split("#### Data exporter(s)")[1].split("#### Data importer(s)")[0]


def test_gdpr_documents_for_an_scc_transfer() -> None:
    annex = _render(EU, "gdpr-scc-annexes", formats=["md"])
    assert [f.name for f in annex] == ["gdpr-scc-annexes_shop_insight.md"]
    text = annex[0].data.decode()
    for heading in ("A. List of parties", "B. Description of transfer",
                    "C. Competent supervisory authority", "ANNEX II", "ANNEX III"):
        assert heading in text
    # insight is the helpdesk's sub-processor (processor_for the helpdesk): the helpdesk signs
    # Module 3 as data exporter, acting for the shop
    assert "Module 3 (processor to processor)" in text
    exporters = _annex_parties(text)
    assert "| Name | Helpdesk Hamburg GmbH |" in exporters  # the signatory data exporter
    assert "Tulpen Shop B.V." in text  # the controller it acts for
    assert "HmbBfDI, DE-HH" in text  # Clause 13: the Land authority of the exporter
    assert "| Mailer LLC |" in text  # Annex III from the graph (onward recipient)
    assert "`flows.desk-to-analytics.frequency`" in text  # the one missing transfer fact
    tia = _render(EU, "gdpr-tia", formats=["md"])[0].data.decode()
    for step in range(1, 7):
        assert f"### Step {step}:" in tia
    assert "Commission Implementing Decision (EU) 2023/1795" in tia  # catalogue adequacy
    assert "| Data exporter (signatory) | Helpdesk Hamburg GmbH (processor) |" in tia
    ropa = _render(EU, "gdpr-ropa", formats=["md"])[0].data.decode()
    for letter in "abcdefg":
        assert f"({letter})" in ropa
    assert "## Controller: Tulpen Shop B.V. (Art. 30(1))" in ropa
    assert "## Processor: Helpdesk Hamburg GmbH (Art. 30(2))" in ropa


def test_gdpr_scc_annexes_module_2_for_the_controllers_own_processor(tmp_path: Path) -> None:
    """The same model with insight engaged by the shop itself (processor_for the shop): the
    helpdesk only sends on the shop's instructions, the shop signs Module 2 as data exporter
    and Clause 13 names the Dutch authority."""
    src = (EU / "model.yaml").read_text(encoding="utf-8")
    old = "    jurisdiction: US\n    processor_for: [helpdesk]\n    address: 1 Main Street"
    assert old in src
    (tmp_path / "model.yaml").write_text(src.replace(old, old.replace("[helpdesk]", "[shop]")),
                                         encoding="utf-8")
    annex = _render(tmp_path, "gdpr-scc-annexes", formats=["md"])
    text = annex[0].data.decode()
    assert "Module 2 (controller to processor)" in text
    exporters = _annex_parties(text)
    assert "| Name | Tulpen Shop B.V. |" in exporters  # the signatory data exporter
    assert "Helpdesk Hamburg GmbH" not in exporters
    assert "Dutch Data Protection Authority (AP)" in text  # Clause 13: the exporter's authority


def test_ropa_fallback_when_the_regime_has_no_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    from dataflow.regimes import gdpr
    monkeypatch.delattr(gdpr, "ropa_entries")
    files = render_report(_result(EU), "gdpr-ropa", formats=["md"])
    text = files[0].data.decode()
    assert "`dataflow.render.documents`" in text
    assert "## Controller: Tulpen Shop B.V." in text
    assert "## Processor: Helpdesk Hamburg GmbH" in text


def test_gdpr_regime_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    import dataflow.check as check_mod
    monkeypatch.setattr(check_mod, "REGIMES", tuple(r for r in check_mod.REGIMES
                                                     if r[0] != "gdpr"))
    model = load(EU)
    result = check(model, analyse(model))
    text = render_report(result, "gdpr-tia", formats=["md"])[0].data.decode()
    assert "the GDPR regime is not available" in text


def test_inventory_csv_is_the_transfers_csv_plus_assessment_columns() -> None:
    files = _by_name(_render(SEED, "transfer-inventory"))
    assert set(files) == {f"transfer-inventory.{x}" for x in ("md", "html", "csv", "xlsx")}
    rows = list(csv.reader(io.StringIO(files["transfer-inventory.csv"].data.decode())))
    from dataflow.render.tables import TRANSFER_COLUMNS
    assert tuple(rows[0][:len(TRANSFER_COLUMNS)]) == TRANSFER_COLUMNS
    assert rows[0][len(TRANSFER_COLUMNS):] == [*docs.ASSESSMENT_COLUMNS, *docs.META_COLUMNS]
    by_id = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    us = by_id["CN/acme/relay-to-us"]
    assert us["regime"] == "pipl" and us["status"] == "gap" and us["gap"] == "true"
    assert us["individuals_total"] == "250000" and us["individuals_sensitive"] == "4000"
    assert us["filing_authority"] == "浙江省互联网信息办公室"
    assert us["model_digest"] == _result(SEED).model.digest


def test_xlsx_is_reproducible_and_dated_from_the_evaluation_date() -> None:
    a = _by_name(_render(SEED, "transfer-inventory", formats=["xlsx"]))["transfer-inventory.xlsx"]
    b = _by_name(_render(SEED, "transfer-inventory", formats=["xlsx"]))["transfer-inventory.xlsx"]
    assert a.data == b.data
    entries = _xlsx_entries(a.data)
    core = entries["docProps/core.xml"].decode()
    assert "2026-10-01T00:00:00Z" in core and core.count("2026-10-01T00:00:00Z") == 2
    with zipfile.ZipFile(io.BytesIO(a.data)) as z:
        assert {i.date_time for i in z.infolist()} == {(2026, 10, 1, 0, 0, 0)}


# --------------------------------------------------------------------------- hostile input

HOSTILE = textwrap.dedent("""\
    model: {name: "<script>alert(1)</script> | model", evaluation_date: 2026-10-01}
    entities:
      evil:
        name: "<script>alert('x')</script> | Evil\\nCorp"
        name_zh: "恶意|公司<b>"
        jurisdiction: CN
        province: CN-ZJ
        address: "=HYPERLINK(\\"http://x\\",\\"click\\")"
        contact: {name: "+cmd|' /C calc'!A0", email: "@SUM(1+1)*cmd|'/C calc'!A0", phone: "-2+3"}
        credit_code: "# heading"
      far:
        name: "=HYPERLINK(\\"http://x\\")"
        jurisdiction: US
        address: "line1\\nline2 | [link](http://x) **bold**"
    systems:
      app: {name: "App <img src=x onerror=alert(1)>", operator: evil, location: CN, kind: service}
      sink: {name: "@SUM(A1:A9)", operator: far, location: US, kind: saas, retention: "+1 day"}
    categories:
      user.secret: {name: "Secret | data\\n# not a heading", name_zh: "秘密<script>", personal: true,
                    sensitive: true}
    cohorts:
      people: {name: "=1+1", count: 120000, relationship: user}
    flows:
      out:
        from: app
        to: sink
        categories: [user.secret]
        cohorts: [people]
        purpose: "Exfiltrate | <script>alert(2)</script>\\n- injected item"
        purpose_zh: "目的|<i>斜体</i>"
        recipient_role: controller
        method: "=cmd"
        frequency: "@daily"
        retention: "-30 days"
    """)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> CheckResult:
    path = tmp_path_factory.mktemp("hostile") / "model.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    model = load(path)
    return check(model, analyse(model))


def _hostile_files(result: CheckResult) -> list[RenderedFile]:
    out: list[RenderedFile] = []
    for name, info in TEMPLATES.items():
        for lang in info.langs:
            out += render_report(result, name, lang=lang)
    return out


def test_hostile_names_in_html(hostile: CheckResult) -> None:
    files = [f for f in _hostile_files(hostile) if f.format == "html"]
    assert files
    for f in files:
        text = f.data.decode()
        assert "<script" not in text.lower(), f.name
        assert "<img" not in text and "<b>" not in text and "<i>" not in text
        assert "onerror=" not in text or "&lt;img" in text
    pack = next(f for f in files if f.name.startswith("pipl-standard-contract_evil_far"))
    assert "&lt;script&gt;" in pack.data.decode()


def _md_table_ok(text: str, name: str) -> None:
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("|") and i + 1 < len(lines) and re.match(r"^\|( --- \|)+$",
                                                                      lines[i + 1]):
            cols = len(re.findall(r"(?<!\\)\|", line))
            j = i + 2
            while j < len(lines) and lines[j].startswith("|"):
                assert len(re.findall(r"(?<!\\)\|", lines[j])) == cols, (name, lines[j])
                j += 1


def test_hostile_names_in_markdown(hostile: CheckResult) -> None:
    files = [f for f in _hostile_files(hostile) if f.format == "md"]
    for f in files:
        text = f.data.decode()
        prose = re.sub(r"`[^`]*`", "", text)  # code spans are literal
        raw = re.findall(r"(?<!\\)<[a-z/]", prose)  # an unescaped tag opening
        assert not raw, (f.name, raw)
        assert not re.search(r"(?<!\\)\[link(?<!\\)\]\(", text)  # no live links from values
        assert "\nCorp" not in text and "\n# not a heading" not in text  # no injected lines
        assert not re.search(r"^- injected item", text, re.M)
        _md_table_ok(text, f.name)
    inv = next(f for f in files if f.name == "transfer-inventory.md" and f.lang == "en")
    assert "Exfiltrate \\| \\<script\\>alert(2)\\</script\\> - injected item" in inv.data.decode()


def test_hostile_names_in_csv(hostile: CheckResult) -> None:
    f = next(x for x in _hostile_files(hostile) if x.format == "csv")
    rows = list(csv.reader(io.StringIO(f.data.decode())))
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "-", "\t", "\r")), cell
    flat = {c for r in rows for c in r}
    assert "'=HYPERLINK(\"http://x\")" in flat  # escaped, not dropped


def test_hostile_names_in_xlsx(hostile: CheckResult) -> None:
    f = next(x for x in _hostile_files(hostile) if x.format == "xlsx")
    entries = _xlsx_entries(f.data)
    sheets = [v.decode() for k, v in entries.items() if k.startswith("xl/worksheets/")]
    assert sheets
    for xml in sheets:
        assert "<f>" not in xml and "<f " not in xml  # no formula anywhere
        assert 't="str"' not in xml
    transfers = sheets[0]
    assert '=HYPERLINK("http://x")' in transfers.replace("&quot;", '"')
    styles = entries["xl/styles.xml"].decode()
    assert 'quotePrefix="1"' in styles
    from openpyxl import load_workbook
    wb = load_workbook(io.BytesIO(f.data))
    ws = wb["transfers"]
    values = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str)
              and c.value.startswith("=")]
    assert values and all(c.data_type == "s" and c.quotePrefix for c in values)


def test_md_escape() -> None:
    assert md_escape("a|b") == "a\\|b"
    assert md_escape("x\ny") == "x y"
    assert md_escape("<b>*x*</b>") == "\\<b\\>\\*x\\*\\</b\\>"
    assert md_escape("# h") == "\\# h"
    assert md_escape("- item") == "\\- item"
    assert md_escape("1. item") == "1\\. item"
    assert md_escape("2026.11.26") == "2026.11.26"
    assert md_escape("+86 571") == "+86 571"


# --------------------------------------------------------------------------- CLI and API

def test_report_list() -> None:
    r = CliRunner().invoke(main, ["report", "--list"])
    assert r.exit_code == 0
    for name in TEMPLATES:
        assert name in r.output


def test_unknown_template_suggests(tmp_path: Path) -> None:
    r = CliRunner().invoke(main, ["report", str(SEED), "--template", "pipl-standard-contrat",
                                  "-o", str(tmp_path / "out")])
    assert r.exit_code == 2
    assert "did you mean 'pipl-standard-contract'" in r.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("args", [
    ["--template", "gdpr-ropa", "--format", "csv"],
    ["--template", "pipl-notice", "--exporter", "acmee"],
    ["--template", "pipl-notice", "--recipient", "nobody"],
    [],
])
def test_usage_errors_exit_2(args: list[str], tmp_path: Path) -> None:
    r = CliRunner().invoke(main, ["report", str(SEED), *args, "-o", str(tmp_path / "o")])
    assert r.exit_code == 2, r.output
    assert not (tmp_path / "o").exists()


def test_invalid_model_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("model: {name: x}\nentities: {a: {jurisdiction: XX}}\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["report", str(bad), "-t", "gdpr-ropa", "-o",
                                  str(tmp_path / "o")])
    assert r.exit_code == 2
    assert not (tmp_path / "o").exists()


def test_report_writes_every_format_into_the_folder(tmp_path: Path) -> None:
    out = tmp_path / "sc"
    r = CliRunner().invoke(main, ["report", str(SEED), "--template", "pipl-standard-contract",
                                  "--exporter", "acme", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == [
        "pipl-standard-contract_acme_frontier.html", "pipl-standard-contract_acme_frontier.md",
        "pipl-standard-contract_acme_relayco-sg.html",
        "pipl-standard-contract_acme_relayco-sg.md"]
    r = CliRunner().invoke(main, ["report", str(SEED), "-t", "transfer-inventory", "--format",
                                  "xlsx", "-o", str(out)])
    assert r.exit_code == 0 and (out / "transfer-inventory.xlsx").is_file()


def test_single_document_to_stdout() -> None:
    r = CliRunner().invoke(main, ["report", str(SEED), "-t", "gdpr-ropa", "--format", "md"])
    assert r.exit_code == 0
    assert r.output.startswith("# Records of processing activities")


def test_custom_template_gets_the_documented_context(tmp_path: Path) -> None:
    tpl = tmp_path / "summary.md.j2"
    tpl.write_text("{{ begin('Summary: ', model.display) }}"
                   "{{ p('pairs: ', pipl.pairs | length, '; digest ', code(meta.model_digest)) }}"
                   "{% for pr in pipl.pairs %}{{ p(pr.recipient.display, ': ', "
                   "pr.recipient.contact.phone) }}{% endfor %}{{ end() }}", encoding="utf-8")
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["report", str(SEED), "--template", str(tpl), "-o", str(out)])
    assert r.exit_code == 0, r.output
    text = (out / "summary.md").read_text(encoding="utf-8")
    assert "pairs: 2" in text and _result(SEED).model.digest in text
    assert "`entities.frontier.contact.phone`" in text  # blanks work in custom templates too
    html = tmp_path / "page.html.j2"
    html.write_text("{{ begin('x') }}<p>{{ entities.acme.name }}{{ '<script>' }}</p>{{ end() }}",
                    encoding="utf-8")
    files = render_report(_result(SEED), html)
    assert files[0].format == "html" and "&lt;script&gt;" in files[0].data.decode()


def test_failed_render_writes_nothing(tmp_path: Path) -> None:
    tpl = tmp_path / "broken.md.j2"
    tpl.write_text("{{ begin('x') }}{{ no_such_variable.field }}{{ end() }}", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "broken.md").write_text("old", encoding="utf-8")
    r = CliRunner().invoke(main, ["report", str(SEED), "--template", str(tpl), "-o", str(out)])
    assert r.exit_code == 2
    assert "no_such_variable" in r.output
    assert (out / "broken.md").read_text(encoding="utf-8") == "old"
    assert [p.name for p in out.iterdir()] == ["broken.md"]  # no temporary files left


def test_sandboxed_custom_templates(tmp_path: Path) -> None:
    tpl = tmp_path / "evil.md.j2"
    tpl.write_text("{{ meta.__class__.__mro__ }}", encoding="utf-8")
    with pytest.raises(ReportError):
        render_report(_result(SEED), tpl)


def test_output_paths_never_escape_the_folder(tmp_path: Path) -> None:
    assert safe_name("../../etc/passwd") == "etc_passwd"
    assert safe_name("..") == "_"
    assert safe_name("a/b\\c") == "a_b_c"
    out = tmp_path / "out"
    written = write_files([RenderedFile("../../escape.md", "md", b"x", "t", "en")], out)
    assert [p.parent for p in written] == [out.resolve()]
    assert not (tmp_path / "escape.md").exists()


def test_templates_are_found_in_a_checkout() -> None:
    assert docs.templates_dir() == ROOT / "templates"
    for name in TEMPLATES:
        assert (ROOT / "templates" / f"{name}.j2").is_file()


def test_a_pair_with_several_transfers_counts_people_once(tmp_path: Path) -> None:
    import shutil
    copy = tmp_path / "model"
    shutil.copytree(SEED, copy)
    (copy / "extra.yaml").write_text(textwrap.dedent("""\
        flows:
          app-to-us:
            from: app
            to: us-llm
            categories: [user.content.prompt]
            cohorts: [sg-failover]
            purpose: Direct calls for long documents
            purpose_zh: 长文档直接调用
            recipient_role: controller
            method: api
            frequency: daily
        """), encoding="utf-8")
    text = (copy / "dataflow.yaml").read_text(encoding="utf-8")
    (copy / "dataflow.yaml").write_text(text + "  - extra.yaml\n", encoding="utf-8")
    model = load(copy)
    result = check(model, analyse(model))
    files = render_report(result, "pipl-standard-contract", formats=["md"], recipient="frontier")
    text = files[0].data.decode()
    # both exit flows, labelled; the people counted once (sg-failover is inside routed-abroad)
    assert "app-to-us：长文档直接调用；relay-to-us：调用境外大模型生成文本" in text
    assert "250,000 人（不重复计数）；其中敏感个人信息 4,000 人" in text
    assert "app-to-us：API 接口调用；频率：每日" in text


def test_every_transfer_flag_has_document_names() -> None:
    """The documents name each flag transfers.py can set (FLAG_ORDER) in both languages, so a new
    flag is never printed as its raw id."""
    from dataflow.transfers import FLAG_ORDER
    assert set(FLAG_ORDER) <= set(docs._FLAG)


def test_via_transit_flag_is_named_in_the_inventory() -> None:
    """tests/scenarios_s4b/transit-through: CN/hq/cdn-to-hk lands in Hong Kong behind the US CDN,
    a transit-only hop (flag via-transit); the inventory names the flag in each language."""
    path = ROOT / "tests" / "scenarios_s4b" / "transit-through"
    names = {"zh": "经境外中转节点", "en": "via a transit hop"}
    for lang, name in names.items():
        md = _render(path, "transfer-inventory", lang=lang, formats=("md",))[0]
        text = md.data.decode("utf-8")
        assert f"| {name} |" in text, lang
        assert "via-transit" not in text, lang
