"""The editor schema (`dataflow schema`, docs/cli.md 'schema'; docs/model-format.md 'Files': "the
JSON Schema for editors is schemas/model.schema.json"), read as the YAML language server reads a
file — YAML 1.2 core scalars (docs/model-format.md 'YAML rules': only true/false are booleans,
`100_000` and dates stay text) — must accept what `dataflow validate` accepts and flag what it
refuses, file by file (no key is required at the top level).

Valid: every file of `retail-group` and the shared taxonomy, `catalogue-overlays`. Invalid,
each also refused by `validate`: an id with capitals (DF204), an unknown mechanism (DF202)."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from .helpers import ROOT, run, scenario

HERE = Path(__file__).resolve().parent


class Yaml12Loader(yaml.SafeLoader):
    """YAML 1.2 core schema scalars: what the yaml-language-server sees."""


Yaml12Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag not in ("tag:yaml.org,2002:bool",
                                                 "tag:yaml.org,2002:int",
                                                 "tag:yaml.org,2002:timestamp")]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
    list("-+0123456789"))


@cache
def _validator() -> Any:
    import jsonschema  # a dev dependency (pyproject.toml)

    out = run("schema")
    assert out.rc == 0
    return jsonschema.Draft202012Validator(json.loads(out.stdout))


def _errors(text: str) -> list[str]:
    data = yaml.load(text, Loader=Yaml12Loader)  # a SafeLoader subclass
    return [f"{list(e.absolute_path)}: {e.message}" for e in _validator().iter_errors(data)]


def _file_errors(path: Path) -> list[str]:
    return _errors(path.read_text())


def test_schema_command_matches_the_shipped_file() -> None:
    assert json.loads(run("schema").stdout) == \
        json.loads((ROOT / "schemas" / "model.schema.json").read_text())


@pytest.mark.parametrize("rel", [
    "retail-group/dataflow.yaml",
    "retail-group/teams/parties.yaml",
    "retail-group/teams/systems.yaml",
    "retail-group/teams/compliance.yaml",
    "retail-shared/taxonomy.yaml",
    "catalogue-overlays/dataflow.yaml",
])
def test_valid_files_satisfy_the_schema(rel: str) -> None:
    assert _file_errors(HERE / rel) == []


def test_written_counts_satisfy_the_schema() -> None:
    assert run("validate", scenario("retail-group")).rc == 0
    assert _file_errors(HERE / "retail-group" / "teams" / "flows.yaml") == []


def test_single_include_glob_satisfies_the_schema() -> None:
    text = "model: {name: One glob, evaluation_date: 2026-10-01}\ninclude: teams/*.yaml\n"
    assert _errors(text) == []


def test_schema_refuses_a_bad_id() -> None:
    text = "entities:\n  Bad_Id: {jurisdiction: DE}\n"
    assert run("validate", scenario("broken-shop")).rc == 2
    assert _errors(text) != []


def test_schema_refuses_an_unknown_mechanism() -> None:
    text = ("safeguards:\n  scc: {mechanism: pipl.standard_contract, exporter: shopco, "
            "recipients: [hk]}\n")
    assert _errors(text) != []


@pytest.mark.parametrize(("text", "path"), [
    ("systems:\n  db: {operator: a, location: CN, kind: databse}\n", ["systems", "db", "kind"]),
    ("entities:\n  a: {jurisdiction: CN, public_authority: yes}\n",
     ["entities", "a", "public_authority"]),
    ("entitys: {}\n", []),
    ("waivers:\n  w: {finding: X, justification: y, owner: z}\n", ["waivers", "w"]),
    ("exemptions:\n  e: {claim: pipl.art5-4, flows: [f], evidence: e}\n",
     ["exemptions", "e", "claim"]),
])
def test_schema_flags_what_validate_refuses(text: str, path: list) -> None:
    errs = _errors(text)
    assert any(e.startswith(f"{path}:") for e in errs), errs
