"""`dataflow export` (canonical YAML/JSON, GraphML, GEXF) and `dataflow import` (CSV/XLSX)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import yaml
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dataflow.api import load  # noqa: E402
from dataflow.cli import main  # noqa: E402
from dataflow.export import canonical_data, dump_yaml, model_yaml  # noqa: E402
from dataflow.graph import build_graph  # noqa: E402
from dataflow.importer import build, column_letter, read_csv_text  # noqa: E402
from dataflow.resolve import model_digest  # noqa: E402
from dataflow.yamlparse import parse_yaml  # noqa: E402

EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if p.is_dir())
FIX = ROOT / "tests" / "fixtures" / "workflow"
POSITION_WORDS = ("file", "line", "col", "source", "position", "location_ref")


def run(*args: Any) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def strip(x: Any) -> Any:
    """The acceptance comparison: drop keys that name source positions."""
    if isinstance(x, dict):
        return {k: strip(v) for k, v in x.items()
                if not any(w in k.lower() for w in POSITION_WORDS)}
    if isinstance(x, list):
        return [strip(v) for v in x]
    return x


def transfers_json(path: Path) -> dict[str, Any]:
    code, out, _ = run("transfers", path, "--format", "json")
    assert code == 0
    return json.loads(out)


# --------------------------------------------------------------------------- export

@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_export_round_trips_transfers(example: Path, fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"export.{fmt}"
    code, _, _ = run("export", example, "--format", fmt, "-o", out)
    assert code == 0
    original, exported = transfers_json(example), transfers_json(out)
    assert original["transfers"], "every example has transfers"
    assert strip(exported) == strip(original)
    assert exported["model"]["digest"] == original["model"]["digest"]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_export_yaml_is_canonical(example: Path, tmp_path: Path) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    run("export", example, "-o", a)  # format from the extension
    run("export", example, "--format", "yaml", "-o", b)
    assert a.read_bytes() == b.read_bytes()
    text = a.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert "\ninclude:" not in text
    # exporting the export changes nothing (a fixed point), apart from the header comment
    c = tmp_path / "c.yaml"
    run("export", a, "-o", c)
    assert c.read_text(encoding="utf-8") == text
    # check gives the same assessments on the export
    code1, out1, _ = run("check", example, "--format", "json")
    code2, out2, _ = run("check", a, "--format", "json")
    assert code1 == code2
    assert strip(json.loads(out1))["assessments"] == strip(json.loads(out2))["assessments"]


TRICKY = """\
model:
  name: "Tricky: quoting #1"
  evaluation_date: 2026-10-01
  description: "line one\\nline two\\t\\u200ebidi"
entities:
  acme: {name: "yes", jurisdiction: CN, province: CN-ZJ, credit_code: "0123", address: "- dash",
         legal_representative: "null", dpo: "~", sector: "1_000", description: "on"}
  nor: {name: "NO", jurisdiction: "NO", contact: {phone: "+47 22 00 00 00", name: "@home"},
        description: "2026-01-01 10:00:00"}
systems:
  app: {operator: acme, location: CN-ZJ, kind: service, retention: "30 days: then deleted"}
  far: {operator: nor, location: ["NO"], kind: database, description: "[x], {y}", name: "*star"}
categories:
  user.custom: {name: "true", personal: true}
cohorts:
  people: {count: "100_000", residence: CN}
  dated: {count: {2026-01-10: 70000, 2026-09-15: 71000}, subset_of: people}
flows:
  f: {from: app, to: far, categories: [user.custom, "user.contact.email"], cohorts: [people],
      purpose: "a, b: c # not a comment", period: {from: 2026-02-01}}
catalogue:
  jurisdictions:
    "NO": {name_en: "Norway (overlay: yes)"}
  regions:
    acme:no-oslo-1: {name: "Oslo 1", jurisdiction: "NO"}
"""


def test_tricky_scalars_survive(tmp_path: Path) -> None:
    src = tmp_path / "tricky.yaml"
    src.write_text(TRICKY, encoding="utf-8")
    model = load(src)
    text = model_yaml(model)
    out = tmp_path / "out.yaml"
    out.write_text(text, encoding="utf-8")
    again = load(out)
    assert again.digest == model.digest
    assert parse_yaml(text).data == canonical_data(model.raw.data)
    # YAML 1.1 tools (PyYAML) read the NO-like strings as strings too
    legacy = yaml.safe_load(text)
    assert legacy["entities"]["nor"]["jurisdiction"] == "NO"
    assert legacy["entities"]["acme"]["name"] == "yes"
    assert legacy["entities"]["acme"]["description"] == "on"
    assert legacy["entities"]["acme"]["sector"] == "1_000"
    assert legacy["entities"]["acme"]["credit_code"] == "0123"
    assert legacy["cohorts"]["people"]["count"] == "100_000"
    assert "'NO'" in text or '"NO"' in text
    assert "evaluation_date: 2026-10-01" in text  # dates stay plain YYYY-MM-DD
    assert legacy["catalogue"]["regions"]["acme:no-oslo-1"]["jurisdiction"] == "NO"
    assert again.catalogue.overlays_used == model.catalogue.overlays_used


def test_dump_yaml_orders_keys() -> None:
    text = dump_yaml({"flows": {"b": {"to": "y", "from": "x", "categories": ["c"]}},
                      "model": {"evaluation_date": "2026-01-01", "name": "m"},
                      "include": ["x.yaml"], "entities": {"z": {"jurisdiction": "CN"},
                                                          "a": {"jurisdiction": "US"}}})
    assert text.index("model:") < text.index("entities:") < text.index("flows:")
    assert text.index("  a:") < text.index("  z:")
    assert text.index("name: m") < text.index("evaluation_date")
    assert text.index("from: x") < text.index("to: y") < text.index("categories:")
    assert "include" not in text


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_graph_exports_load_in_networkx(example: Path, tmp_path: Path) -> None:
    model = load(example)
    g = build_graph(model)
    gm, gx = tmp_path / "g.graphml", tmp_path / "g.gexf"
    assert run("export", example, "-o", gm)[0] == 0
    assert run("export", example, "--format", "gexf", "-o", gx)[0] == 0
    for path, reader in ((gm, nx.read_graphml), (gx, nx.read_gexf)):
        h = reader(path)
        assert h.number_of_nodes() == g.number_of_nodes()
        assert h.number_of_edges() == g.number_of_edges()
        for _, attrs in h.nodes(data=True):
            assert attrs.get("label")
            assert all(isinstance(v, str) for v in attrs.values())
        exits = [a for _, _, a in h.edges(data=True) if a.get("exit_edge") == "true"]
        assert exits and all(a["transfers"] for a in exits)
    again = tmp_path / "again.gexf"
    run("export", example, "--format", "gexf", "-o", again)
    assert again.read_bytes() == gx.read_bytes()  # no clock time in the file


def test_export_to_stdout_and_invalid_model(tmp_path: Path) -> None:
    code, out, _ = run("export", ROOT / "examples" / "ai-relay")
    assert code == 0 and out.startswith("# yaml-language-server")
    code, out, _ = run("export", ROOT / "examples" / "ai-relay", "--format", "json")
    assert code == 0 and json.loads(out)["model"]["name"] == "Writing assistant"
    bad = tmp_path / "bad.yaml"
    bad.write_text("model: {name: x}\n", encoding="utf-8")
    assert run("export", bad)[0] == 2


# --------------------------------------------------------------------------- import

def test_import_inventory_builds_a_valid_model(tmp_path: Path) -> None:
    out = tmp_path / "model"
    code, _, err = run("import", FIX / "inventory.csv", "-o", out, "--evaluation-date",
                       "2026-11-02")
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == ["data.yaml", "dataflow.yaml",
                                                     "entities.yaml", "flows.yaml",
                                                     "systems.yaml"]
    for f in out.iterdir():
        assert f.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")
    assert run("validate", out)[0] == 0
    doc = transfers_json(out)
    ids = sorted(t["id"] for t in doc["transfers"])
    assert ids == ["CN/shopco/attribution", "CN/shopco/newsletters"]
    model = load(out)
    assert model.evaluation_date.isoformat() == "2026-11-02"
    assert model.name == "Shop inventory (imported)"
    assert model.entities["mailfast"].jurisdiction == "SG"  # from the location
    assert model.entities["shopco"].province == "CN-ZJ"  # from alibaba:cn-hangzhou
    assert model.entities["adreach"].name == "AdReach Inc."
    assert model.cohorts["customers"].count == 120_000
    assert model.cohorts["kids"].minors_under_14 is True
    assert model.flows["collect"].legal_basis is not None
    assert model.flows["collect"].legal_basis.pipl == "13(1)(2)"
    attribution = next(t for t in doc["transfers"] if t["id"].endswith("attribution"))
    assert attribution["individuals"]["sensitive"] == 800  # the children's accounts
    # a category outside the taxonomy is created and flagged for review
    assert "user.marketing.preferences" in (out / "data.yaml").read_text(encoding="utf-8")
    assert "user.marketing.preferences" in err and "warning" in err


def test_import_reports_row_and_column(tmp_path: Path) -> None:
    out = tmp_path / "model"
    code, _, err = run("import", FIX / "inventory-bad.csv", "-o", out)
    assert code == 2
    assert not out.exists()
    assert "inventory-bad.csv:1:K (colour): error unknown column 'colour'" in err
    assert "inventory-bad.csv:3:B (id): error 'Bad Id' is not a valid id" in err
    assert "inventory-bad.csv:3:E (location): error DF301 unknown location 'mars'" in err
    assert "inventory-bad.csv:4:G (to): error unknown system 'nowhere'" in err
    assert "inventory-bad.csv:5:J (count): error 'lots' is not a whole number" in err
    assert "nothing written" in err
    code, out_json, _ = run("import", FIX / "inventory-bad.csv", "-o", out, "--format", "json")
    doc = json.loads(out_json)
    assert code == 2 and doc["ok"] is False
    # the JSON-contract head even without a model (cli.md 'import': `model` is null)
    assert doc["model"] is None and doc["output"] is None
    assert {"schema_version", "tool_version", "catalogue_version"} <= set(doc)
    assert {"row": 4, "letter": "G", "column": "to"}.items() <= next(
        i for i in doc["issues"] if "nowhere" in i["message"]).items()


def test_import_maps_validation_errors_to_cells(tmp_path: Path) -> None:
    csv_path = tmp_path / "inv.csv"
    csv_path.write_text(
        "type,id,name,jurisdiction,province,operator,location\n"
        "entity,acme,Acme,CN,CN-XX,,\n"
        "system,app,App,,,acme,CN-ZJ\n", encoding="utf-8")
    code, _, err = run("import", csv_path, "-o", tmp_path / "m")
    assert code == 2
    assert "inv.csv:2:E (province): error DF301" in err


def test_import_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    out = tmp_path / "model"
    out.mkdir()
    (out / "keep.txt").write_text("x", encoding="utf-8")
    code, _, err = run("import", FIX / "inventory.csv", "-o", out)
    assert code == 2 and "not empty" in err
    code, _, _ = run("import", FIX / "inventory.csv", "-o", out, "--force")
    assert code == 0 and (out / "keep.txt").exists()


def test_import_xlsx_and_semicolons(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Type", "ID", "Name", "Operator", "Operator name", "Country", "Location", "From",
               "To", "Data categories", "Data subjects", "Count", "Note: owner"])
    ws.append(["system", "app", "App", "acme", "Acme Ltd.", "CN", "CN-GD", None, None, None,
               None, None, "IT"])
    ws.append(["system", "us-crm", "CRM", "crmco", "CRM Co.", "US", "aws:us-east-1", None,
               None, None, None, None, None])
    ws.append(["cohort", "clients", "Clients", None, None, None, None, None, None, None, None,
               150000.0, None])
    ws.append(["flow", "sync", None, None, None, None, None, "app", "us-crm",
               "user.contact.email\nuser.identity.name", "clients", None, None])
    path = tmp_path / "inv.xlsx"
    wb.save(path)
    out = tmp_path / "m"
    code, _, err = run("import", path, "-o", out, "--name", "From Excel", "--evaluation-date",
                       "2026-03-01")
    assert code == 0, err
    doc = transfers_json(out)
    assert [t["id"] for t in doc["transfers"]] == ["CN/acme/sync"]
    assert doc["transfers"][0]["individuals"]["total"] == 150_000
    rows = read_csv_text("type;id;name\nsystem;a;A\n")
    assert rows == [["type", "id", "name"], ["system", "a", "A"]]


def test_build_without_type_column() -> None:
    result = build([["id", "name"], ["a", "A"]])
    assert not result.ok
    assert "type" in result.issues[0].message
    assert column_letter(0) == "A" and column_letter(25) == "Z" and column_letter(27) == "AB"


def test_imported_files_reload_with_the_same_digest(tmp_path: Path) -> None:
    out = tmp_path / "m"
    run("import", FIX / "inventory.csv", "-o", out, "--evaluation-date", "2026-11-02")
    model = load(out)
    assert model_digest(model.raw.data) == model.digest
    single = tmp_path / "single.yaml"
    run("export", out, "-o", single)
    assert load(single).digest == model.digest


# --------------------------------------------------------------------------- editors and CI

def test_pre_commit_hooks() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    by_id = {h["id"]: h for h in hooks}
    assert set(by_id) == {"dataflow-validate", "dataflow-check"}
    for hook in hooks:
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is False
        assert hook["args"], "a model path"
        prog, command = hook["entry"].split()
        assert prog == "dataflow" and command in main.list_commands(None)  # type: ignore[arg-type]
    assert by_id["dataflow-validate"]["entry"] == "dataflow validate"
    assert by_id["dataflow-check"]["entry"] == "dataflow check"


def test_ci_doc_has_the_sarif_workflow_and_completion() -> None:
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    assert "dataflow check privacy/model --format sarif -o dataflow.sarif" in text
    assert "github/codeql-action/upload-sarif" in text
    assert "_DATAFLOW_COMPLETE=bash_source dataflow" in text
    # the workflow snippet is valid YAML with the upload step
    block = text.split("```yaml\n# .github/workflows/dataflow.yml\n", 1)[1].split("```", 1)[0]
    workflow = yaml.safe_load(block)
    steps = workflow["jobs"]["transfers"]["steps"]
    assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif") for s in steps)


def test_shell_completion_script() -> None:
    result = CliRunner().invoke(main, [], env={"_DATAFLOW_COMPLETE": "bash_source"},
                                prog_name="dataflow")
    assert result.exit_code == 0
    assert "_dataflow_completion" in result.output
    result = CliRunner().invoke(main, [], prog_name="dataflow", env={
        "_DATAFLOW_COMPLETE": "bash_complete", "COMP_WORDS": "dataflow ex", "COMP_CWORD": "1"})
    assert "plain,export" in result.output and "plain,explain" in result.output


def test_cli_doc_lists_every_import_column() -> None:
    from dataflow.importer import COLUMNS

    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for column in COLUMNS:
        assert f"`{column}`" in text, column
    for command in ("validate", "transfers", "check", "diff", "export", "import"):
        assert f"\n## {command}\n" in text
