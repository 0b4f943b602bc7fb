"""Stable ids (outputs.md 'Stable ids') against the docs' tables and what the tool accepts/emits.

outputs.md fixes the regime ids (pipl, gdpr, uk-gdpr, us-doj-dsp, us-padfa, lower-case ISO codes
for the others), the mechanism ids (a closed list plus `<regime>.<name>` for the other regimes)
and the duty ids. docs/model-format.md 'safeguards'/'duties' repeats them as the values a model may
declare ('anything else is DF202'); docs/regimes.md adds `uk-gdpr.bcr`, `uk-gdpr.derogation`,
the duty `uk-gdpr.tra` ('accepted ids', regimes.md UK GDPR 'Choices' and 'Core behaviour' 4) and
the duty `pipl.guardian-consent` (PIPL Arts 28, 31; regulatory.md §2). The ids are read from the
markdown at test time. The ids-probe model declares each id once, so validate shows what the tool
accepts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .helpers import ROOT, cli, run

OUTPUTS = Path("/work/shared/spec/outputs.md")
MODEL_FORMAT = (ROOT / "docs/model-format.md").read_text(encoding="utf-8")
REGIMES_MD = (ROOT / "docs/regimes.md").read_text(encoding="utf-8")


def _ticks(text: str) -> list[str]:
    return re.findall(r"`([a-z][a-z0-9.-]*)`", text)


def _outputs_line(label: str) -> str:
    text = OUTPUTS.read_text(encoding="utf-8") if OUTPUTS.exists() else ""
    m = re.search(rf"^- {label}:(.*?)(?=^- |\Z)", text, re.M | re.S)
    return m.group(1) if m else ""


def _table_cell(field: str) -> str:
    m = re.search(rf"^\| \*\*`{field}`\*\* \|.*$", MODEL_FORMAT, re.M)
    assert m, field
    return m.group(0)


MF_MECHANISMS = [i for i in _ticks(_table_cell("mechanism")) if "." in i or i == "none"]
MF_DUTIES = [i for i in _ticks(_table_cell("duty")) if "." in i]
OTHER_REGIMES = _ticks(_table_cell("mechanism").split("for the regimes", 1)[1].split(".", 1)[0])
STABLE_REGIMES = ["pipl", "gdpr", "uk-gdpr", "us-doj-dsp", "us-padfa"]
STABLE_MECHANISMS = [i for i in _ticks(_outputs_line("Mechanisms")) if "<" not in i]
STABLE_DUTIES = _ticks(_outputs_line("Duties"))
# ids docs/regimes.md calls accepted though model-format.md's tables do not list them
REGIMES_MD_EXTRA_MECHANISMS = ["uk-gdpr.bcr", "uk-gdpr.derogation"]
REGIMES_MD_EXTRA_DUTIES = ["uk-gdpr.tra", "pipl.guardian-consent"]


def _probe(tmp_path: Path, mechanisms: list[str], duties: list[str]) -> str:
    lines = ["model: {name: Ids, evaluation_date: 2026-10-01}",
             "entities:", "  a: {name: A Ltd, jurisdiction: GB}",
             "  b: {name: B Inc, jurisdiction: US}", "safeguards:"]
    lines += [f"  s{i}: {{mechanism: {m}, exporter: a, recipients: [b]}}"
              for i, m in enumerate(mechanisms)]
    lines += ["duties:"] + [f"  d{i}: {{duty: {d}, exporter: a}}" for i, d in enumerate(duties)]
    f = tmp_path / "ids.yaml"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(f)


def test_docs_and_contract_list_the_same_core_ids() -> None:
    assert STABLE_MECHANISMS, "outputs.md not readable"
    # model-format.md lists outputs.md's stable ids extended by exactly the ids regimes.md accepts
    assert sorted(MF_MECHANISMS) == sorted(STABLE_MECHANISMS + REGIMES_MD_EXTRA_MECHANISMS)
    assert sorted(MF_DUTIES) == sorted(STABLE_DUTIES + REGIMES_MD_EXTRA_DUTIES)
    # model-format.md's `<regime>.<name>` regimes are outputs.md's 'others'
    assert {"us-doj-dsp", "us-padfa", "ru", "vn", "in", "id", "sa", "sg", "jp", "kr"} <= set(
        OTHER_REGIMES)


def test_every_documented_id_is_accepted(tmp_path: Path) -> None:
    mechs = [*MF_MECHANISMS, *REGIMES_MD_EXTRA_MECHANISMS,
             *(f"{r}.some-mechanism" for r in OTHER_REGIMES)]
    duties = [*MF_DUTIES, *REGIMES_MD_EXTRA_DUTIES, *(f"{r}.some-duty" for r in OTHER_REGIMES)]
    out = run("validate", _probe(tmp_path, mechs, duties))
    assert out.rc == 0, out.stdout


@pytest.mark.parametrize(("kind", "bad", "near"), [
    ("mechanism", "gdpr.sccs", "gdpr.scc"), ("mechanism", "uk-gdpr.idat", "uk-gdpr.idta"),
    ("duty", "pipl.pia", "pipl.pipia"), ("duty", "gdpr.nonsense", None)])
def test_an_undocumented_id_is_df202(tmp_path: Path, kind: str, bad: str, near: str | None) -> None:
    f = _probe(tmp_path, [bad] if kind == "mechanism" else [], [bad] if kind == "duty" else [])
    out = run("validate", f)
    assert out.rc == 2
    assert f"DF202 unknown {kind} '{bad}'" in out.stdout
    if near:
        assert f"did you mean '{near}'?" in out.stdout


@pytest.mark.parametrize("example", ["ai-relay", "eu-saas", "game-publisher", "telehealth"])
def test_examples_emit_stable_regime_and_mechanism_ids(example: str) -> None:
    out = cli("check", f"examples/{example}", "--format", "json")
    doc = out.json()
    for a in doc["assessments"]:
        r = a["regime"]
        assert r in STABLE_REGIMES or re.fullmatch(r"[a-z]{2}", r), r
        for m in a["required"]:
            prefix = m.split(".", 1)[0]
            assert m in STABLE_MECHANISMS or (prefix not in ("pipl", "gdpr", "uk-gdpr")
                                              and prefix in OTHER_REGIMES), m
        for d in a["duties"]:
            prefix = d["id"].split(".", 1)[0]
            assert (d["id"] in STABLE_DUTIES or d["id"] in REGIMES_MD_EXTRA_DUTIES
                    or prefix in OTHER_REGIMES), d["id"]


@pytest.mark.parametrize("mechanism", REGIMES_MD_EXTRA_MECHANISMS)
def test_model_format_lists_every_accepted_mechanism(mechanism: str) -> None:
    assert mechanism in MF_MECHANISMS


@pytest.mark.parametrize("duty", REGIMES_MD_EXTRA_DUTIES)
def test_model_format_lists_every_accepted_duty(duty: str) -> None:
    assert duty in MF_DUTIES


def test_regimes_md_documents_exactly_the_regimes_check_runs() -> None:
    # api.md: each regime is listed in dataflow.check.REGIMES
    from dataflow.check import REGIMES
    ran = {rid for rid, _, _ in REGIMES}
    headed = set(re.findall(r"^## [^\n]*\(`([a-z-]+)`", REGIMES_MD, re.M)) | {"pipl"}
    others = set(re.findall(r"^\| `([a-z]{2})` \|", REGIMES_MD, re.M))
    assert ran == headed | others
    for r in ran:
        assert r in STABLE_REGIMES or re.fullmatch(r"[a-z]{2}", r), r
    # cli.md 'Areas': the areas a regime assesses
    cli_md = (ROOT / "docs/cli.md").read_text(encoding="utf-8")
    areas = set(re.search(r"each of `([A-Z ]+)`", cli_md).group(1).split())
    assert areas == {"CN", "EEA", "UK", "US"} | {r.upper() for r in others}
