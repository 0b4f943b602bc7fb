"""Every example's README states its transfers and mechanisms in a machine-readable block, and
that block must match what `dataflow transfers` and `dataflow check --format json` say.

The block is a fenced ```expected section, one line per transfer::

    CN/acme/relay-to-us: pipl.standard-contract|pipl.certification; us-doj-dsp:none
    tier pipl/acme: standard-contract (ordinary 250000, sensitive 4000)
    check exit: 1

``|`` separates alternatives (any one suffices), ``;`` separates regimes (sorted by regime id;
a regime that requires nothing is written ``<regime>:none``); an SCC module is written
``gdpr.scc(module 3)`` and a PIPL exemption with its ground, ``pipl.exempt(art5-4)``;
``-`` means no regime assesses the transfer.

After a deliberate change to the engine, refresh the blocks with
``python tests/test_examples.py --update`` and review the README prose around them.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dataflow.cli import main  # noqa: E402

EXAMPLES = ROOT / "examples"
NAMED = ("ai-relay", "game-publisher", "telehealth", "eu-saas")
BLOCK = re.compile(r"```expected\n(.*?)```", re.DOTALL)


def _run(*args: str) -> tuple[int, dict[str, Any]]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, json.loads(result.stdout)


def _mechanisms(a: dict[str, Any]) -> str:
    parts = []
    for mech in a["required"]:
        module = (a.get("mechanism_details") or {}).get(mech, {}).get("module")
        if module:
            parts.append(f"{mech}(module {module})")
        elif mech.endswith(".exempt") and a.get("exemption"):
            parts.append(f"{mech}({a['exemption']})")
        else:
            parts.append(mech)
    if not parts or parts == ["none"]:
        return f"{a['regime']}:none"
    return "|".join(parts)


def actual_block(example: Path) -> list[str]:
    """The expected-block lines as the tool computes them today."""
    code, transfers = _run("transfers", str(example), "--format", "json")
    assert code == 0, f"transfers failed on {example}"
    check_code, checked = _run("check", str(example), "--format", "json")
    by_transfer: dict[str, list[dict[str, Any]]] = {}
    for a in checked["assessments"]:
        by_transfer.setdefault(a["transfer"], []).append(a)
    lines = []
    ids = sorted(t["id"] for t in [*transfers["transfers"], *transfers["possible_transfers"]])
    assert ids == sorted(by_transfer.keys() | set(ids)), "check assessed an unknown transfer"
    for tid in ids:
        regimes = sorted(by_transfer.get(tid, []), key=lambda a: a["regime"])
        lines.append(f"{tid}: " + ("; ".join(_mechanisms(a) for a in regimes) or "-"))
    for r in sorted(checked["exporters"], key=lambda r: (r["regime"], r["exporter"])):
        lines.append(f"tier {r['regime']}/{r['exporter']}: {r['tier']} (ordinary "
                     f"{r['ordinary']}, sensitive {r['sensitive']})")
    lines.append(f"check exit: {check_code}")
    return lines


def readme_block(example: Path) -> list[str]:
    readme = example / "README.md"
    assert readme.is_file(), f"{example.name} has no README.md"
    found = BLOCK.findall(readme.read_text(encoding="utf-8"))
    assert len(found) == 1, f"{readme}: expected exactly one ```expected block"
    return [line.strip() for line in found[0].splitlines()
            if line.strip() and not line.strip().startswith("#")]


def example_dirs() -> list[Path]:
    return sorted(p for p in EXAMPLES.iterdir() if p.is_dir() and not p.name.startswith("."))


def test_named_examples_exist() -> None:
    names = {p.name for p in example_dirs()}
    assert set(NAMED) <= names


@pytest.mark.parametrize("example", example_dirs(), ids=lambda p: p.name)
def test_example_validates(example: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(example)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("example", example_dirs(), ids=lambda p: p.name)
def test_every_file_has_the_modeline(example: Path) -> None:
    for f in sorted(example.rglob("*.yaml")):
        first = f.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../schemas/model.schema.json", f


@pytest.mark.parametrize("example", example_dirs(), ids=lambda p: p.name)
def test_readme_matches_the_tool(example: Path) -> None:
    expected = readme_block(example)
    actual = actual_block(example)
    assert expected == actual, (
        f"{example.name}/README.md drifted from the tool.\n--- README\n" + "\n".join(expected)
        + "\n--- tool\n" + "\n".join(actual)
        + "\n(after a deliberate change: python tests/test_examples.py --update)")


def test_readme_prose_names_every_transfer() -> None:
    for example in example_dirs():
        text = (example / "README.md").read_text(encoding="utf-8")
        prose = BLOCK.sub("", text)
        stems = re.findall(r"([a-z0-9._-]+)-\*", prose)  # `errors-to-pinecrest-*` covers all
        for line in readme_block(example):
            if line.startswith(("tier ", "check exit")):
                continue
            tid = line.split(": ", 1)[0]
            edge = tid.rsplit("/", 1)[-1]
            assert edge in prose or any(edge.startswith(st + "-") for st in stems), \
                f"{example.name}/README.md prose never mentions {edge}"


def update() -> None:
    """Rewrite every README's expected block from the tool (review the prose afterwards)."""
    for example in example_dirs():
        readme = example / "README.md"
        text = readme.read_text(encoding="utf-8")
        body = "\n".join(actual_block(example)) + "\n"
        start, end = BLOCK.search(text).span()  # type: ignore[union-attr]
        new = text[:start] + f"```expected\n{body}```" + text[end:]
        if new != text:
            readme.write_text(new, encoding="utf-8")
            print(f"updated {readme.relative_to(ROOT)}")


if __name__ == "__main__":
    if "--update" in sys.argv:
        update()
    else:
        for ex in example_dirs():
            print(f"## {ex.name}\n" + "\n".join(actual_block(ex)))
