"""Every command line the docs show, run on the bundled examples: exit codes and the key facts.

README.md (transfers/check excerpt on examples/ai-relay), docs/cli.md (conventions, check, why,
explain, diagram, report, build, diff, export, import, schema, init), docs/templates.md (report
commands), docs/ci.md (pre-commit hooks, SARIF/github formats, exit codes), the examples'
READMEs (their `sh` blocks) and outputs.md 'CLI conventions' / 'JSON contracts' (exit codes 0/1/2,
every JSON output starts with schema_version, tool_version, catalogue_version, model)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from .helpers import ROOT, cli, finding_ids, run

ENVELOPE = {"schema_version", "tool_version", "catalogue_version", "model"}
GP_V1 = "tests/fixtures/workflow/game-publisher-v1"
GP_V2 = "tests/fixtures/workflow/game-publisher-v2"


def _sh_commands(doc: str) -> list[list[str]]:
    """The `dataflow ...` lines of a markdown file's ```sh blocks (comments stripped)."""
    text = (ROOT / doc).read_text(encoding="utf-8")
    out = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        for line in block.splitlines():
            line = line.split("  #", 1)[0].strip()
            if line.startswith("dataflow "):
                out.append(line.split()[1:])
    return out


# --- README.md -------------------------------------------------------------------------------

def test_readme_transfers_excerpt() -> None:
    out = cli("transfers", "examples/ai-relay", "--area", "CN")
    assert out.rc == 0
    for s in ("CN/acme/relay-to-sg", "CN/acme/relay-to-us", "3,500", "250,000", "4,000 (S)",
              "[failover, onward]", "user-app > app > relay > us-llm"):
        assert s in out.stdout, s


def test_readme_check_excerpt_positions_and_exit_1() -> None:
    out = cli("check", "examples/ai-relay")
    assert out.rc == 1
    for s in ("examples/ai-relay/platform-team.yaml:61:3: error PIPL100 CN/acme/relay-to-us",
              "examples/ai-relay/app-team.yaml:30:9: error PIPL200",
              "examples/ai-relay/platform-team.yaml:61:3: warning PIPL201 CN/acme/relay-to-us"):
        assert s in out.stdout, s


# --- examples' READMEs: every `sh` line exits as the README says ---------------------------

@pytest.mark.parametrize(("readme", "check_rc"), [
    ("examples/ai-relay/README.md", 1), ("examples/eu-saas/README.md", 0),
    ("examples/game-publisher/README.md", 0), ("examples/telehealth/README.md", 0)])
def test_example_readme_commands(readme: str, check_rc: int) -> None:
    cmds = _sh_commands(readme)
    assert cmds, readme
    for argv in cmds:
        out = run(*argv)
        expected = {"check": check_rc, "diff": 1}.get(argv[0], 0)
        assert out.rc == expected, (argv, out.rc, out.stderr[-500:])
        assert "Traceback" not in out.stderr


def test_game_publisher_diff_names_the_threshold_and_the_onward_recipient() -> None:
    out = cli("diff", GP_V1, GP_V2, "--format", "json")
    assert out.rc == 1
    doc = out.json()
    assert set(doc) >= ENVELOPE
    kinds = {(c["kind"], c["transfer"], c["trigger"]) for c in doc["changes"]}
    assert ("onward-added", "CN/tianfu-games/accounts-to-league", "pipl.scc-refile") in kinds
    assert ("mechanism-changed", "CN/tianfu-games/events-to-metricly", "pipl.scc-file") in kinds
    crossed = [c for c in doc["changes"] if c["kind"] == "threshold-crossed"]
    assert crossed and crossed[0]["exporter"] == "tianfu-games"
    assert crossed[0]["trigger"] == "pipl.scc-file"
    for c in doc["changes"]:
        assert {"kind", "message", "transfer", "exporter", "regime", "old", "new", "trigger",
                "citation", "filing_required", "action"} <= set(c)
        assert c["trigger"] in {"pipl.scc-file", "pipl.scc-refile", "pipl.sa-declare",
                                "pipl.sa-redeclare", "gdpr.review", "review", "none"}


def test_diff_of_a_model_with_itself_exits_0() -> None:
    assert cli("diff", GP_V1, GP_V1).rc == 0


# --- docs/cli.md -----------------------------------------------------------------------------

def test_cli_md_check_examples(tmp_path: Path) -> None:
    assert cli("check", "examples/game-publisher").rc == 0
    sarif = tmp_path / "dataflow.sarif"
    out = run("check", "examples/ai-relay", "--format", "sarif", "-o", str(sarif))
    assert out.rc == 1  # exits like check: the findings are errors
    doc = json.loads(sarif.read_text(encoding="utf-8"))
    assert doc["version"] == "2.1.0"
    rules = {r["ruleId"] for run_ in doc["runs"] for r in run_["results"]}
    assert {"PIPL100", "PIPL200", "PIPL201"} <= rules
    # --fail-on warning: the game publisher's warnings (e.g. PIPL-U-CONSENT's) fail the gate
    assert cli("check", "examples/game-publisher", "--as-of", "2026-12-31",
               "--fail-on", "warning").rc == 1


def test_cli_md_why_example() -> None:
    out = cli("why", "examples/ai-relay", "CN/acme/relay-to-us", "--format", "json")
    assert out.rc == 0
    doc = out.json()
    assert set(doc) >= ENVELOPE
    assert doc["transfer"] == "CN/acme/relay-to-us"
    assert doc["found"]["id"] == "CN/acme/relay-to-us"
    assert [a["regime"] for a in doc["assessments"]] == ["pipl"]


@pytest.mark.parametrize(("argv", "hint"), [
    (("why", "examples/ai-relay", "CN/acme/relay-to-uss"), "did you mean 'CN/acme/relay-to-us'?"),
    (("transfers", "examples/ai-relay", "--category", "user.content.promt"),
     "did you mean 'user.content.prompt'?"),
    (("transfers", "examples/ai-relay", "--exporter", "acm"), "did you mean 'acme'?"),
    (("report", "examples/ai-relay", "-t", "transfer-inventory", "--format", "md",
      "--exporter", "acm"), "did you mean 'acme'?"),
    (("diagram", "examples/ai-relay", "--view", "nope"), "unknown view 'nope'"),
])
def test_wrong_usage_exits_2_with_a_hint(argv: tuple[str, ...], hint: str) -> None:
    out = cli(*argv)
    assert out.rc == 2, out
    assert hint in out.stdout + out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize(("alias", "area"), [("EU", "EEA"), ("GB", "UK")])
def test_area_aliases(alias: str, area: str) -> None:
    out = cli("transfers", "examples/eu-saas", "--area", alias, "--format", "json")
    assert out.rc == 0
    ts = out.json()["transfers"]
    if area == "EEA":
        assert len(ts) == 9 and {t["area"] for t in ts} == {"EEA"}
    else:
        assert ts == []


def test_check_area_suppresses_chk001(tmp_path: Path) -> None:
    f = tmp_path / "orphan.yaml"
    f.write_text("""model: {name: Orphan, evaluation_date: 2026-10-01}
entities:
  a: {name: A GmbH, jurisdiction: DE}
  b: {name: B Inc, jurisdiction: US}
safeguards:
  scc-b: {mechanism: gdpr.scc, exporter: a, recipients: [b], effective: 2026-01-01}
""", encoding="utf-8")
    assert "CHK001/scc-b" in finding_ids(json.loads(run("check", str(f), "--format",
                                                        "json").stdout))
    scoped = json.loads(run("check", str(f), "--area", "EEA", "--format", "json").stdout)
    assert not [i for i in finding_ids(scoped) if i.startswith("CHK001")]


def test_diagram_dot_on_stdout_and_image_with_dot_beside(tmp_path: Path) -> None:
    out = cli("diagram", "examples/ai-relay")
    assert out.rc == 0 and out.stdout.startswith("digraph")
    mmd = run("diagram", "examples/ai-relay", "-o", str(tmp_path / "d.mmd"))
    assert mmd.rc == 0 and (tmp_path / "d.mmd").is_file()
    svg = run("diagram", "examples/ai-relay", "--view", "transfers", "-o", str(tmp_path / "t.svg"))
    assert svg.rc == 0
    assert (tmp_path / "t.svg").read_text(encoding="utf-8").lstrip().startswith(("<?xml", "<svg"))
    assert (tmp_path / "t.dot").is_file()


def test_build_writes_what_the_readme_says(tmp_path: Path) -> None:
    out = run("build", "examples/ai-relay", "-o", str(tmp_path / "ai-relay"), "--format", "json")
    assert out.rc == 1  # README: exits 1 on purpose
    assert set(out.json()) >= ENVELOPE
    o = tmp_path / "ai-relay"
    for f in ("report.html", "transfers.json", "check.json"):
        assert (o / f).is_file(), f
    assert {p.suffix for p in (o / "diagrams").iterdir()} >= {".dot", ".svg"}
    docs = {p.name for p in (o / "documents").iterdir()}
    assert "transfer-inventory.md" in docs
    assert {"pipl-standard-contract_acme_frontier.md",
            "pipl-standard-contract_acme_relayco-sg.md"} <= docs


def test_build_invalid_model_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("model: {name: X, evaluation_date: 2026-10-01}\nsystems:\n  s: {locaton: CN}\n",
                   encoding="utf-8")
    out = run("build", str(bad), "-o", str(tmp_path / "out"))
    assert out.rc == 2
    assert not (tmp_path / "out").exists()


def test_export_examples(tmp_path: Path) -> None:
    y = tmp_path / "ai-relay.yaml"
    assert run("export", "examples/ai-relay", "-o", str(y)).rc == 0
    assert "include" not in yaml.safe_load(y.read_text(encoding="utf-8"))
    # reloads to the same digest and the same transfers
    a = cli("check", "examples/ai-relay", "--format", "json").json()
    b = json.loads(run("check", str(y), "--format", "json").stdout)
    assert a["model"] == b["model"]
    assert [t["transfer"] for t in a["assessments"]] == [t["transfer"] for t in b["assessments"]]
    g = tmp_path / "ai-relay.gexf"
    assert run("export", "examples/ai-relay", "-o", str(g)).rc == 0
    assert "<gexf" in g.read_text(encoding="utf-8")[:300]
    gm = run("export", "examples/ai-relay", "--format", "graphml")
    assert gm.rc == 0 and "<graphml" in gm.stdout[:400]
    assert 'exit_edge' in gm.stdout


def test_import_minimal_inventory(tmp_path: Path) -> None:
    text = (ROOT / "docs/cli.md").read_text(encoding="utf-8")
    csv = re.search(r"```csv\n(.*?)```", text, re.S).group(1)
    inv = tmp_path / "inventory.csv"
    inv.write_text(csv, encoding="utf-8")
    out = run("import", str(inv), "-o", str(tmp_path / "model"))
    assert out.rc == 0, out.stdout + out.stderr
    assert {p.name for p in (tmp_path / "model").iterdir()} >= {
        "dataflow.yaml", "entities.yaml", "systems.yaml", "data.yaml", "flows.yaml"}
    ts = json.loads(run("transfers", str(tmp_path / "model"), "--format", "json").stdout)
    assert [(t["id"], t["individuals"]["total"]) for t in ts["transfers"]] == [
        ("CN/shopco/newsletters", 120_000)]
    # the documented error position for a misspelt system
    inv.write_text(csv.replace(",mailer,user", ",mailr,user"), encoding="utf-8")
    bad = run("import", str(inv), "-o", str(tmp_path / "model2"))
    assert bad.rc == 2
    # header row 1, the flow is row 5; `to` is the 8th column
    assert "inventory.csv:5:H (to): error unknown system 'mailr'" in bad.stdout + bad.stderr
    assert not (tmp_path / "model2").exists() or not any((tmp_path / "model2").iterdir())


def test_import_error_position_shown_in_cli_md_matches(tmp_path: Path) -> None:
    text = (ROOT / "docs/cli.md").read_text(encoding="utf-8")
    shown = re.search(r"`inventory\.csv:(\d+):([A-Z]) \(to\): error unknown system 'mailr'`",
                      text)
    assert shown
    inv = tmp_path / "inventory.csv"
    csv = re.search(r"```csv\n(.*?)```", text, re.S).group(1)
    inv.write_text(csv.replace(",mailer,user", ",mailr,user"), encoding="utf-8")
    bad = run("import", str(inv), "-o", str(tmp_path / "model"))
    assert bad.rc == 2
    assert f"inventory.csv:{shown.group(1)}:{shown.group(2)} (to): error unknown system 'mailr'" in (
        bad.stdout + bad.stderr)


def test_import_json_has_the_envelope(tmp_path: Path) -> None:
    text = (ROOT / "docs/cli.md").read_text(encoding="utf-8")
    inv = tmp_path / "inventory.csv"
    inv.write_text(re.search(r"```csv\n(.*?)```", text, re.S).group(1), encoding="utf-8")
    out = run("import", str(inv), "-o", str(tmp_path / "model"), "--format", "json")
    assert out.rc == 0
    assert set(out.json()) >= ENVELOPE


def test_schema_is_the_shipped_schema(tmp_path: Path) -> None:
    out = run("schema", "-o", str(tmp_path / "model.schema.json"))
    assert out.rc == 0
    assert json.loads((tmp_path / "model.schema.json").read_text(encoding="utf-8")) == json.loads(
        (ROOT / "schemas/model.schema.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("fmt", ["human", "json", "github"])
def test_validate_formats(fmt: str) -> None:
    out = cli("validate", "examples/ai-relay", "--format", fmt)
    assert out.rc == 0
    if fmt == "json":
        assert set(out.json()) >= ENVELOPE


def test_check_github_format() -> None:
    out = cli("check", "examples/ai-relay", "--format", "github")
    assert out.rc == 1
    assert ("::error file=examples/ai-relay/platform-team.yaml,line=61,col=3,title=PIPL100::"
            in out.stdout)


def test_every_json_output_has_the_envelope() -> None:
    for argv in (("transfers", "examples/ai-relay"), ("check", "examples/ai-relay"),
                 ("validate", "examples/ai-relay")):
        doc = cli(*argv, "--format", "json").json()
        assert set(doc) >= ENVELOPE, argv
        assert set(doc["model"]) == {"name", "digest"}


def test_check_summary_counts_every_assessed_transfer() -> None:
    doc = cli("check", "examples/ai-relay", "--format", "json").json()
    assert doc["summary"]["transfers"] == 3  # CN x2 + SG/acme/sg-to-us
    assert doc["summary"]["possible_transfers"] == 0


# --- docs/templates.md -----------------------------------------------------------------------

def test_templates_md_commands(tmp_path: Path) -> None:
    lst = cli("report", "--list")
    assert lst.rc == 0
    for t in ("transfer-inventory", "pipl-standard-contract", "pipl-security-assessment",
              "pipl-notice", "gdpr-ropa", "gdpr-scc-annexes", "gdpr-tia"):
        assert t in lst.stdout
    zh = run("report", "examples/ai-relay", "--template", "pipl-standard-contract", "-o",
             str(tmp_path / "out"))
    assert zh.rc == 0
    assert {p.suffix for p in (tmp_path / "out").iterdir()} == {".md", ".html"}
    md = (tmp_path / "out" / "pipl-standard-contract_acme_frontier.md").read_text(encoding="utf-8")
    assert re.search(r"[\u4e00-\u9fff]", md)  # zh by default
    en = run("report", "examples/ai-relay", "--template", "pipl-standard-contract", "--lang", "en",
             "-o", str(tmp_path / "out-en"))
    assert en.rc == 0 and any((tmp_path / "out-en").iterdir())
    xl = run("report", "examples/ai-relay", "--template", "transfer-inventory", "--format", "xlsx",
             "-o", str(tmp_path / "xl"))
    assert xl.rc == 0
    assert [p.name for p in (tmp_path / "xl").iterdir()] == ["transfer-inventory.xlsx"]
    ropa = cli("report", "examples/ai-relay", "--template", "gdpr-ropa", "--format", "md")
    assert ropa.rc == 0 and ropa.stdout.startswith("# ")


# --- docs/ci.md ------------------------------------------------------------------------------

def test_pre_commit_hooks_match_ci_md() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load(
        (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert set(hooks) == {"dataflow-validate", "dataflow-check"}
    for hid, cmd in (("dataflow-validate", "dataflow validate"), ("dataflow-check",
                                                                   "dataflow check")):
        h = hooks[hid]
        assert h["entry"] == cmd and h["language"] == "python"
        assert h["pass_filenames"] is False and h["args"] == ["model"]
        for name in ("m.yaml", "m.yml", "m.json"):
            assert re.search(h["files"], name)


def test_why_on_a_transfer_no_regime_assesses(tmp_path: Path) -> None:
    # cli.md 'why': `US/...` to India — prints what the analysis found, exit 0, `not_assessed`
    f = tmp_path / "us-in.yaml"
    f.write_text("""model: {name: US to India, evaluation_date: 2026-10-01}
entities:
  usco: {name: US Co Inc, jurisdiction: US}
  inco: {name: IN Co Pvt Ltd, jurisdiction: IN}
systems:
  crm: {name: CRM, operator: usco, location: aws:us-east-1, kind: service}
  desk: {name: Desk, operator: inco, location: IN, kind: service}
cohorts:
  cust: {name: Customers, count: 5000, residence: US}
flows:
  to-desk: {from: crm, to: desk, categories: [user.contact.email], cohorts: [cust],
            recipient_role: processor}
""", encoding="utf-8")
    out = run("why", str(f), "US/usco/to-desk", "--format", "json")
    assert out.rc == 0
    doc = out.json()
    assert doc["assessments"] == []
    assert doc["found"]["id"] == "US/usco/to-desk"
    na = doc["not_assessed"]
    assert na["area"] == "US" and na["regimes_of_area"] == ["us-doj-dsp", "us-padfa"]
    assert na["reason"]
