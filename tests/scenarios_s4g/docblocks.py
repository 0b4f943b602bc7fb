"""Extract the YAML model blocks of the user docs at test time, so the tests follow the docs."""

from __future__ import annotations

import re
from pathlib import Path

from .helpers import ROOT

_FENCE = re.compile(r"```yaml\n(.*?)```", re.S)


def yaml_blocks(doc: str) -> list[str]:
    return _FENCE.findall((ROOT / doc).read_text(encoding="utf-8"))


def example_blocks(doc: str = "docs/model-format.md") -> dict[str, str]:
    """The blocks starting '# example: NAME', by NAME (spaces as '-')."""
    out: dict[str, str] = {}
    for b in yaml_blocks(doc):
        m = re.match(r"# example: (.+)\n", b)
        if m:
            out[m.group(1).strip().replace(" ", "-")] = b
    return out


def write_blocks(folder: Path, blocks: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, b in enumerate(blocks):
        (folder / f"part{i}.yaml").write_text(b, encoding="utf-8")
    return folder
