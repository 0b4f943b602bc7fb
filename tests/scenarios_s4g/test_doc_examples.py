"""Every YAML model the user docs show works as shown (docs/model-format.md, docs/tutorial.md).

The blocks are extracted from the markdown at test time (docblocks.py), so the tests follow the
docs: each `# example: NAME` block of model-format.md must validate on its own (exit 0, per
docs/cli.md 'validate'); the tutorial's blocks, merged as a folder (model-format.md: 'Any file may
hold any collection; collections from all files merge'), must give what the tutorial says at each
step: CN/acme/relay-to-us with exporter acme, sender relayco, recipient frontier (US), path
phone > app > relay > us-llm, 250,000 individuals -> standard-contract tier (regulatory.md §2.6,
Provisions Art. 8, 以上 includes the number), check exit 1, then exit 0 once step 5 is added."""

from __future__ import annotations

from pathlib import Path

import pytest

from .docblocks import example_blocks, write_blocks, yaml_blocks
from .helpers import finding_ids, run

EXAMPLES = example_blocks()


def test_model_format_has_its_examples() -> None:
    # the sections of model-format.md each show one: model block, entities, ..., complete model
    assert {"model-block", "entities", "systems", "categories", "cohorts", "flows", "access",
            "safeguards", "duties", "exemptions", "waivers", "catalogue",
            "complete-model"} <= set(EXAMPLES)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_model_format_example_validates(name: str, tmp_path: Path) -> None:
    f = tmp_path / name / "model.yaml"
    f.parent.mkdir()
    f.write_text(EXAMPLES[name], encoding="utf-8")
    out = run("validate", str(f))
    assert out.rc == 0, out.stdout + out.stderr
    assert "valid" in out.stdout


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_model_format_example_checks_without_crash(name: str, tmp_path: Path) -> None:
    f = tmp_path / name / "model.yaml"
    f.parent.mkdir()
    f.write_text(EXAMPLES[name], encoding="utf-8")
    for cmd in ("transfers", "check"):
        out = run(cmd, str(f), "--format", "json")
        assert out.rc in (0, 1), (cmd, out.stderr)
        assert "Traceback" not in out.stderr
        out.json()


def _tutorial(tmp_path: Path, steps: int | None) -> str:
    blocks = yaml_blocks("docs/tutorial.md")
    # 1: skeleton, 2: data and people, 3: the platform team's US model, 4: closing the gaps
    assert len(blocks) == 4, len(blocks)
    return str(write_blocks(tmp_path / "relay-demo", blocks[:steps]))


def test_tutorial_skeleton_is_valid(tmp_path: Path) -> None:
    out = run("validate", _tutorial(tmp_path, 1))
    assert out.rc == 0 and "valid" in out.stdout, out.stdout


def test_tutorial_misspelt_key_gets_position_caret_and_suggestion(tmp_path: Path) -> None:
    folder = Path(_tutorial(tmp_path, 1))
    f = folder / "part0.yaml"
    text = f.read_text(encoding="utf-8")
    f.write_text(text.replace("location: CN-GD", "locaton: CN-GD"), encoding="utf-8")
    out = run("validate", str(folder))
    assert out.rc == 2
    assert "part0.yaml:10:" in out.stdout + out.stderr
    assert "did you mean 'location'?" in out.stdout + out.stderr
    assert "^" in out.stdout + out.stderr


def test_tutorial_step2_nothing_leaves_china(tmp_path: Path) -> None:
    out = run("transfers", _tutorial(tmp_path, 2), "--format", "json")
    assert out.rc == 0
    assert out.json()["transfers"] == []


def test_tutorial_step3_finds_the_export_two_hops_away(tmp_path: Path) -> None:
    out = run("transfers", _tutorial(tmp_path, 3), "--area", "CN", "--format", "json")
    assert out.rc == 0
    ts = out.json()["transfers"]
    assert [t["id"] for t in ts] == ["CN/acme/relay-to-us"]
    t = ts[0]
    assert t["exporter"]["entity"] == "acme"
    assert t["sender"]["entity"] == "relayco"
    assert t["recipient"]["entity"] == "frontier"
    assert t["path"] == ["phone", "app", "relay", "us-llm"]
    assert t["individuals"]["total"] == 250_000


def test_tutorial_step4_check_is_the_gate(tmp_path: Path) -> None:
    folder = _tutorial(tmp_path, 3)
    out = run("check", folder, "--format", "json")
    assert out.rc == 1
    doc = out.json()
    row = next(e for e in doc["exporters"] if e["exporter"] == "acme" and e["regime"] == "pipl")
    assert (row["ordinary"], row["tier"]) == (250_000, "standard-contract")
    a = next(a for a in doc["assessments"] if a["transfer"] == "CN/acme/relay-to-us"
         and a["regime"] == "pipl")
    assert a["required"] == ["pipl.standard-contract", "pipl.certification"]
    assert {"pipl.pipia", "pipl.notice", "pipl.separate-consent",
            "pipl.entrustment-agreement"} <= {d["id"] for d in a["duties"]}
    ids = finding_ids(doc)
    assert {"PIPL100/CN/acme/relay-to-us", "PIPL200/app", "PIPL201/CN/acme/relay-to-us"} <= set(ids)
    assert run("why", folder, "CN/acme/relay-to-us").rc == 0


def test_tutorial_step5_closes_the_gaps(tmp_path: Path) -> None:
    folder = _tutorial(tmp_path, None)
    out = run("check", folder, "--format", "json")
    assert out.rc == 0, [f["id"] for f in out.json()["findings"] if f["severity"] == "error"]
    build = run("build", folder, "-o", str(tmp_path / "out"))
    assert build.rc == 0
    for f in ("report.html", "transfers.json", "check.json"):
        assert (tmp_path / "out" / f).is_file()
    docs = {p.name for p in (tmp_path / "out" / "documents").iterdir()}
    assert any(n.startswith("pipl-standard-contract_acme_frontier") for n in docs), docs
    assert any(n.startswith("transfer-inventory") for n in docs), docs


def test_tutorial_diagram_writes_svg_and_dot(tmp_path: Path) -> None:
    folder = _tutorial(tmp_path, 3)
    out = run("diagram", folder, "--view", "transfers", "-o", str(tmp_path / "relay.svg"))
    assert out.rc == 0, out.stderr
    assert (tmp_path / "relay.svg").is_file() and (tmp_path / "relay.dot").is_file()


def test_init_writes_a_valid_starter(tmp_path: Path) -> None:
    assert run("init", str(tmp_path / "relay-demo")).rc == 0
    assert (tmp_path / "relay-demo" / "dataflow.yaml").is_file()
    assert run("validate", str(tmp_path / "relay-demo")).rc == 0


def _two_teams(tmp_path: Path) -> Path:
    """model-format.md's `dataflow.yaml` root (include + include_roots) with the files it names."""
    root = next(b for b in yaml_blocks("docs/model-format.md")
                if b.startswith("# dataflow.yaml"))
    model = tmp_path / "model"
    (model / "teams").mkdir(parents=True)
    (tmp_path / "shared").mkdir()
    (model / "dataflow.yaml").write_text(root, encoding="utf-8")
    (model / "teams" / "app.yaml").write_text(
        "entities:\n  acme: {name: Acme, jurisdiction: CN, province: CN-ZJ}\n"
        "systems:\n  app: {name: App, operator: acme, location: CN-ZJ, kind: service}\n",
        encoding="utf-8")
    (model / "teams" / "platform.yaml").write_text(
        "entities:\n  frontier: {name: Frontier AI Inc., jurisdiction: US}\n"
        "systems:\n  us-llm: {name: Frontier API, operator: frontier, location: aws:us-east-1,"
        " kind: ai-model}\n"
        "flows:\n  to-us: {from: app, to: us-llm, categories: [user.content.prompt],"
        " cohorts: [users]}\n", encoding="utf-8")
    (tmp_path / "shared" / "taxonomy.yaml").write_text(
        "categories:\n  user.content.prompt: {name: Prompts, personal: true}\n"
        "cohorts:\n  users: {name: Users, count: 1000, residence: CN}\n", encoding="utf-8")
    return model


def test_root_with_include_roots_reads_the_shared_taxonomy(tmp_path: Path) -> None:
    model = _two_teams(tmp_path)
    out = run("validate", str(model))
    assert out.rc == 0, out.stdout
    assert "4 file(s)" in out.stdout
    ts = run("transfers", str(model), "--format", "json").json()["transfers"]
    assert [t["id"] for t in ts] == ["CN/acme/to-us"]


def test_without_include_roots_the_glob_leaving_the_folder_is_df111(tmp_path: Path) -> None:
    model = _two_teams(tmp_path)
    f = model / "dataflow.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("include_roots:", "#include_roots:"),
                 encoding="utf-8")
    out = run("validate", str(model))
    assert out.rc == 2
    assert "DF111" in out.stdout and "../shared/taxonomy.yaml" in out.stdout
