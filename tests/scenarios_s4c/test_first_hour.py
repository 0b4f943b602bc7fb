"""A new user's first hour with the other commands of docs/cli.md: `init` then `validate` and
`check`, `explain` for every code this package's models produce, `import` of a spreadsheet
written with synonyms, `;` delimiter, BOM, CRLF, a quoted "120,000" count and a note column
(docs/cli.md 'import'), then `export` of the imported folder (docs/cli.md 'export').

`import-inventory/inventory.csv`: ShopCo (Shanghai) on `alibaba:cn-shanghai` (province CN-SH
from the region) sends 120,000 customers' orders and phone numbers to an entrusted Hong Kong
help desk: one CN transfer of 120,000 people, ≥ 100,000 (以上) and < 1,000,000 non-sensitive —
the standard-contract tier (regulatory.md §2.6). `bad-target.csv` misspells the target system
in row 7, column J."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import exporter_row, run, scenario

CODES_SEEN = [
    "DF100", "DF102", "DF103", "DF104", "DF105", "DF106", "DF108", "DF109", "DF110", "DF111",
    "DF112", "DF200", "DF201", "DF202", "DF203", "DF204", "DF205", "DF206", "DF300", "DF301",
    "DF302", "DF303", "DF304", "DF305", "DF306", "DF307", "DF308", "DF309", "DF310", "DF311",
    "DF312", "DF314", "PIPL110", "PIPL200", "GDPR110", "CHK001", "CHK005", "PIPL-U-CONSENT",
]


def test_init_then_validate(tmp_path: Path) -> None:
    d = tmp_path / "starter"
    out = run("init", str(d))
    assert out.rc == 0
    assert [p.name for p in d.iterdir()] == ["dataflow.yaml"]
    out = run("validate", str(d), "--format", "json")
    assert out.rc == 0
    assert out.json()["errors"] == 0


@pytest.mark.parametrize("code", CODES_SEEN)
def test_explain_every_code_seen(code: str) -> None:
    out = run("explain", code)
    assert out.rc == 0, out.stderr
    assert out.stdout.startswith(code)


def test_explain_takes_a_finding_id_and_refuses_an_unknown_code() -> None:
    out = run("explain", "GDPR110/EEA/shop-eu/eu-to-uk#gdpr.dpa@mailer-uk")
    assert (out.rc, out.stdout.split()[0]) == (0, "GDPR110")
    out = run("explain", "DF999")
    assert out.rc == 2
    assert "did you mean" in out.stdout + out.stderr


def test_import_then_check_and_export(tmp_path: Path) -> None:
    out_dir = tmp_path / "imp"
    out = run("import", scenario("import-inventory") + "/inventory.csv", "-o", str(out_dir),
              "--evaluation-date", "2026-10-01")
    assert out.rc == 0, out.stdout + out.stderr
    assert sorted(p.name for p in out_dir.iterdir()) == \
        ["data.yaml", "dataflow.yaml", "entities.yaml", "flows.yaml", "systems.yaml"]
    for p in out_dir.iterdir():
        assert p.read_text().startswith("# yaml-language-server: $schema=")
    out = run("check", str(out_dir), "--area", "CN", "--format", "json")
    assert out.rc in (0, 1)
    doc = out.json()
    assert doc["model"]["name"] == "Retail import"
    assert [a["transfer"] for a in doc["assessments"] if a["regime"] == "pipl"] == \
        ["CN/shopco/tickets"]
    row = exporter_row(doc, "shopco")
    assert (row["ordinary"], row["tier"], row["province"]) == \
        (120_000, "standard-contract", "CN-SH")
    f = tmp_path / "imp.yaml"
    assert run("export", str(out_dir), "-o", str(f)).rc == 0
    again = run("check", str(f), "--area", "CN", "--format", "json").json()
    assert again["model"]["digest"] == doc["model"]["digest"]


def test_import_names_the_cell_and_writes_nothing(tmp_path: Path) -> None:
    out_dir = tmp_path / "imp"
    out = run("import", scenario("import-inventory") + "/bad-target.csv", "-o", str(out_dir))
    assert out.rc == 2
    text = out.stdout + out.stderr
    assert "bad-target.csv:7:J (to): error unknown system 'hk-dsk'" in text
    assert "did you mean 'hk-desk'?" in text
    assert not out_dir.exists()


def test_import_an_xlsx_sheet_by_name(tmp_path: Path) -> None:
    import csv

    import openpyxl

    src = Path(__file__).resolve().parent / "import-inventory" / "inventory.csv"
    rows = list(csv.reader(src.open(encoding="utf-8-sig"), delimiter=";"))
    wb = openpyxl.Workbook()
    wb.active.title = "Notes"
    wb.active.append(["not the inventory"])
    ws = wb.create_sheet("Inventory")
    for r in rows:
        ws.append([c if c != "" else None for c in r])
    ws.cell(row=6, column=13).value = 120000          # a numeric count cell
    f = tmp_path / "inventory.xlsx"
    wb.save(f)
    out = run("import", str(f), "--sheet", "Inventory", "-o", str(tmp_path / "imp"),
              "--evaluation-date", "2026-10-01")
    assert out.rc == 0, out.stdout + out.stderr
    doc = run("check", str(tmp_path / "imp"), "--area", "CN", "--format", "json").json()
    assert exporter_row(doc, "shopco")["ordinary"] == 120_000
    # the first sheet is not an inventory: every problem named, nothing written
    out = run("import", str(f), "-o", str(tmp_path / "imp2"))
    assert out.rc == 2
    assert "no 'type' column" in out.stdout + out.stderr
    assert not (tmp_path / "imp2").exists()
