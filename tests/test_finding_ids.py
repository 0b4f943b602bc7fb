"""Every finding id names one finding (outputs.md "Stable ids"): waivers, SARIF fingerprints
and `diff` key on them. One code saying several things about one transfer gets `#<qualifier>`;
a waiver of the unqualified id covers every qualified finding under it."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import yaml

import dataflow
from dataflow.check import check
from dataflow.transfers import analyse

ROOT = Path(__file__).resolve().parent.parent


def _ids(path: Path) -> list[str]:
    model = dataflow.load(path)
    return [f.id for f in check(model, analyse(model)).findings]


def test_missing_duties_of_one_transfer_have_one_id_each() -> None:
    ids = _ids(ROOT / "examples" / "ai-relay")
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    sg = sorted(i for i in ids if i.startswith("PIPL110/CN/acme/relay-to-sg"))
    assert sg == ["PIPL110/CN/acme/relay-to-sg#pipl.entrustment-agreement@relayco",
                  "PIPL110/CN/acme/relay-to-sg#pipl.entrustment-agreement@relayco-sg",
                  "PIPL110/CN/acme/relay-to-sg#pipl.notice",
                  "PIPL110/CN/acme/relay-to-sg#pipl.pipia",
                  "PIPL110/CN/acme/relay-to-sg#pipl.separate-consent"]


def test_rejected_claims_name_their_exemption() -> None:
    ids = _ids(ROOT / "tests" / "scenarios_s3c" / "exemptions")
    assert sorted(i for i in ids if i.startswith("PIPL202/CN/plainco/")) == [
        "PIPL202/CN/plainco/plain-cede#ftz-not-registered", "PIPL202/CN/plainco/plain-cede#trade"]


def test_a_waiver_of_the_unqualified_id_covers_each_qualified_finding(tmp_path: Path) -> None:
    model_dir = tmp_path / "m"
    shutil.copytree(ROOT / "examples" / "ai-relay", model_dir)
    extra = {"waivers": {
        "sg-duties": {"finding": "PIPL110/CN/acme/relay-to-sg", "justification": "reviewed",
                      "owner": "dpo", "expires": "2099-01-01"},
        "sg-pipia": {"finding": "PIPL110/CN/acme/relay-to-us#pipl.pipia",
                     "justification": "reviewed", "owner": "dpo", "expires": "2099-01-01"}}}
    (model_dir / "waivers.yaml").write_text(yaml.safe_dump(extra), encoding="utf-8")
    root = model_dir / "dataflow.yaml"
    text = root.read_text(encoding="utf-8")
    root.write_text(text.replace("  - platform-team.yaml\n",
                                 "  - platform-team.yaml\n  - waivers.yaml\n"), encoding="utf-8")
    model = dataflow.load(model_dir)
    findings = check(model, analyse(model)).findings
    waived = sorted((f.id, f.waived_by) for f in findings if f.waived_by)
    assert waived == [
        ("PIPL110/CN/acme/relay-to-sg#pipl.entrustment-agreement@relayco", "sg-duties"),
        ("PIPL110/CN/acme/relay-to-sg#pipl.entrustment-agreement@relayco-sg", "sg-duties"),
        ("PIPL110/CN/acme/relay-to-sg#pipl.notice", "sg-duties"),
        ("PIPL110/CN/acme/relay-to-sg#pipl.pipia", "sg-duties"),
        ("PIPL110/CN/acme/relay-to-sg#pipl.separate-consent", "sg-duties"),
        ("PIPL110/CN/acme/relay-to-us#pipl.pipia", "sg-pipia")]
    assert not [f for f in findings if f.code in ("CHK002", "CHK003")]
