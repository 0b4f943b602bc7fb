"""A new user's first multi-file model, broken in forty ways (docs/model-format.md 'Files',
'YAML rules', 'Ids', 'Locations', every collection's table, 'Diagnostic codes').

`broken-shop/dataflow.yaml` is the root; its `include:` reads `parts/*.yaml` and a glob that
matches nothing. Each part holds the mistakes of one collection; `dupkey.yaml` has a duplicate
key (a YAML-level problem: only that file stops), `redefine.yaml` re-uses two ids,
`second-model.yaml` a second `model:` block. The contract: every mistake at once, each with its
stable code at its own file:line:col, a "did you mean" where one helps, exit 2, no traceback,
and no output file written by any command."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import ROOT, cli, run, scenario

NAME = "broken-shop"


def _diags() -> list[dict]:
    out = cli("validate", scenario(NAME), "--format", "json")
    assert out.rc == 2
    assert "Traceback" not in out.stderr
    return out.json()["diagnostics"]


def _at(file: str, line: int, col: int) -> list[dict]:
    return [d for d in _diags() if d["file"].endswith(f"{NAME}/{file}")
            and (d["line"], d["col"]) == (line, col)]


# (file, line, col, code, a part of the message, a part of the hint or None)
EXPECTED = [
    ("dataflow.yaml", 6, 3, "DF300", "'shopcoo'", "did you mean 'shopco'?"),
    ("dataflow.yaml", 9, 5, "DF111", "parts/missing-*.yaml", None),
    ("dataflow.yaml", 10, 1, "DF206", "'entitys'", "did you mean 'entities'?"),
    ("parts/parties.yaml", 4, 5, "DF301", "'CN-SHH'", None),
    ("parts/parties.yaml", 5, 5, "DF300", "'shenzen'", "did you mean 'shenzhen'?"),
    ("parts/parties.yaml", 8, 29, "DF300", "'ghost'", None),
    ("parts/parties.yaml", 9, 11, "DF202", "'activ'", "did you mean 'active'?"),
    ("parts/parties.yaml", 10, 31, "DF203", "public_authority", "only true/false"),
    ("parts/parties.yaml", 11, 3, "DF204", "'Bad_Id'", "'bad_id'"),
    ("parts/parties.yaml", 13, 5, "DF301", "'de'", "did you mean 'DE'?"),
    ("parts/parties.yaml", 14, 5, "DF200", "'<<'", None),     # no merge keys
    ("parts/systems.yaml", 4, 5, "DF301", "'aws:cn-nrth-1'", "did you mean 'aws:cn-north-1'?"),
    ("parts/systems.yaml", 8, 38, "DF301", "'Mars'", None),
    ("parts/systems.yaml", 9, 5, "DF202", "'databse'", "did you mean 'database'?"),
    ("parts/systems.yaml", 10, 3, "DF201", "'location'", None),
    ("parts/systems.yaml", 14, 5, "DF300", "'web'", "is a system"),
    ("parts/systems.yaml", 21, 13, "DF311", "'gpt-99'", None),
    ("parts/data.yaml", 2, 18, "DF203", "personal", "only true/false"),
    ("parts/data.yaml", 3, 24, "DF202", "'helth'", "did you mean 'health'?"),
    ("parts/data.yaml", 5, 15, "DF203", "'100_00'", None),
    ("parts/data.yaml", 6, 21, "DF300", "'vips'", "did you mean 'vip'?"),
    ("parts/data.yaml", 11, 22, "DF202", "'employe'", "did you mean 'employee'?"),
    ("parts/data.yaml", 12, 12, "DF203", "'2026-13-01'", None),
    ("parts/flows.yaml", 5, 32, "DF303", "'user.contact.emial'",
     "did you mean 'user.contact.email'?"),
    ("parts/flows.yaml", 7, 56, "DF308", "'to-db'", None),
    ("parts/flows.yaml", 10, 77, "DF301", "'US-XX'", None),
    ("parts/flows.yaml", 13, 5, "DF300", "'dbb'", "did you mean 'db'?"),
    ("parts/flows.yaml", 15, 5, "DF301", "'Germany'", "did you mean 'DE'?"),
    ("parts/flows.yaml", 16, 20, "DF202", "'delete'", None),
    ("parts/compliance.yaml", 3, 5, "DF202", "'pipl.standard_contract'",
     "did you mean 'pipl.standard-contract'?"),
    ("parts/compliance.yaml", 4, 5, "DF203", "module", None),
    ("parts/compliance.yaml", 6, 5, "DF203", "recipients", None),
    ("parts/compliance.yaml", 8, 9, "DF202", "'pipl.pia'", "did you mean 'pipl.pipia'?"),
    ("parts/compliance.yaml", 8, 43, "DF203", "'2026/01/20'", None),
    ("parts/compliance.yaml", 10, 40, "DF300", "'to-bott'", "did you mean 'to-bot'?"),
    ("parts/compliance.yaml", 10, 50, "DF203", "evidence", None),
    ("parts/compliance.yaml", 12, 3, "DF201", "'expires'", None),
    ("parts/compliance.yaml", 16, 3, "DF200", "'datacentres'", "regions"),
    ("parts/dupkey.yaml", 5, 5, "DF104", "'duty'", None),
    ("parts/redefine.yaml", 2, 3, "DF205", "'shopco'", None),
    ("parts/redefine.yaml", 4, 3, "DF205", "'customers'", None),
    ("parts/second-model.yaml", 1, 1, "DF110", "model", None),
]


@pytest.mark.parametrize(("file", "line", "col", "code", "msg", "hint"), EXPECTED,
                         ids=[f"{e[3]}-{e[0]}:{e[1]}:{e[2]}" for e in EXPECTED])
def test_each_mistake_at_its_own_position(file: str, line: int, col: int, code: str, msg: str,
                                          hint: str | None) -> None:
    hits = [d for d in _at(file, line, col) if d["code"] == code]
    assert hits, (file, line, col, code, [(d["code"], d["line"], d["col"]) for d in _diags()
                                          if d["file"].endswith(file)])
    assert msg in hits[0]["message"]
    if hint is not None:
        assert hint in (hits[0]["hint"] or ""), hits[0]


def test_reporting_year_out_of_range_is_reported_on_the_model_block() -> None:
    # model.reporting_year: integer 2000-2100 (docs/model-format.md 'model')
    hits = [d for d in _diags() if d["file"].endswith("dataflow.yaml") and d["line"] == 5]
    assert [d["code"] for d in hits] in (["DF202"], ["DF203"])
    assert "1999" in hits[0]["message"]


def test_duplicates_name_both_places() -> None:
    dup = _at("parts/dupkey.yaml", 5, 5)[0]
    assert [(r["line"], r["col"]) for r in dup["related"]] == [(3, 5)]
    shopco = _at("parts/redefine.yaml", 2, 3)[0]
    assert [(Path(r["file"]).name, r["line"], r["col"]) for r in shopco["related"]] == \
        [("parties.yaml", 2, 3)]
    customers = _at("parts/redefine.yaml", 4, 3)[0]
    assert [(Path(r["file"]).name, r["line"], r["col"]) for r in customers["related"]] == \
        [("data.yaml", 5, 3)]
    second = _at("parts/second-model.yaml", 1, 1)[0]
    assert [(Path(r["file"]).name, r["line"]) for r in second["related"]] == \
        [("dataflow.yaml", 2)]


def test_summary_counts_and_exit_code() -> None:
    out = cli("validate", scenario(NAME), "--format", "json")
    doc = out.json()
    assert doc["valid"] is False
    assert doc["errors"] == len([d for d in doc["diagnostics"] if d["severity"] == "error"])
    assert doc["errors"] >= len(EXPECTED)


def test_human_format_gives_file_line_col_and_a_caret() -> None:
    out = cli("validate", scenario(NAME))
    assert out.rc == 2
    text = out.stdout + out.stderr
    assert f"{scenario(NAME)}/parts/systems.yaml:9:5: error DF202" in text
    assert "did you mean 'database'?" in text
    assert "Traceback" not in text


def test_github_format_annotations() -> None:
    out = cli("validate", scenario(NAME), "--format", "github")
    assert out.rc == 2
    assert (f"::error file={scenario(NAME)}/parts/flows.yaml,line=13,col=5,title=DF300::"
            in out.stdout)


def test_wrong_kind_of_reference_message_grammar() -> None:
    assert _at("parts/systems.yaml", 14, 5)[0]["hint"] == "'web' is a system, not an entity"
    assert "already used by an entity at" in _at("parts/redefine.yaml", 2, 3)[0]["message"]


@pytest.mark.parametrize("args", [
    ("build", "{m}", "-o", "{d}/build"),
    ("report", "{m}", "-t", "transfer-inventory", "-o", "{d}/report"),
    ("report", "{m}", "-t", "gdpr-ropa", "--format", "md", "-o", "{d}/ropa"),
    ("export", "{m}", "-o", "{d}/model.yaml"),
    ("export", "{m}", "-o", "{d}/model.graphml"),
    ("diagram", "{m}", "-o", "{d}/model.svg"),
    ("transfers", "{m}", "--format", "json", "-o", "{d}/transfers.json"),
    ("check", "{m}", "--format", "sarif", "-o", "{d}/check.sarif"),
], ids=lambda a: "-".join(x for x in a if not x.startswith("{")))
def test_no_command_writes_anything_for_an_invalid_model(args: tuple[str, ...],
                                                         tmp_path: Path) -> None:
    out = run(*(a.format(m=scenario(NAME), d=tmp_path) for a in args))
    assert out.rc == 2
    assert "Traceback" not in out.stderr
    assert list(tmp_path.iterdir()) == []


def test_why_and_diff_refuse_the_invalid_model() -> None:
    assert run("why", scenario(NAME), "CN/shopco/to-bot").rc == 2
    out = run("diff", scenario("retail-group"), scenario(NAME))
    assert out.rc == 2
    assert "Traceback" not in out.stderr


def test_validate_writes_its_report_with_o(tmp_path: Path) -> None:
    f = tmp_path / "report.json"
    out = run("validate", scenario(NAME), "--format", "json", "-o", str(f))
    assert out.rc == 2
    assert f.exists()
    assert (ROOT / scenario(NAME)).exists()


def test_an_invalid_build_leaves_the_previous_build_untouched(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    assert run("build", scenario("retail-group"), "-o", str(out_dir), "-q").rc == 1
    before = {p.relative_to(out_dir): p.read_bytes() for p in out_dir.rglob("*") if p.is_file()}
    assert "check.json" in {p.name for p in before}
    out = run("build", scenario(NAME), "-o", str(out_dir), "-q")
    assert out.rc == 2
    after = {p.relative_to(out_dir): p.read_bytes() for p in out_dir.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]      # no temporary left
