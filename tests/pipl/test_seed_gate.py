"""Issue 4 acceptance: the seed example fails the gate; a fully specified copy passes; removing
any one safeguard, duty or waiver makes it fail and name what is missing."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPLETE = ROOT / "tests" / "fixtures" / "ai-relay-complete"


def run(path: Path) -> tuple[int, str]:
    p = subprocess.run([sys.executable, "-m", "dataflow", "check", str(path)],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    return p.returncode, p.stdout + p.stderr


def test_seed_example_fails_with_cited_findings() -> None:
    code, out = run(ROOT / "examples" / "ai-relay")
    assert code == 1
    for needle in ("PIPL100 CN/acme/relay-to-us", "PIPL100 CN/acme/relay-to-sg",
                   "浙江省互联网信息办公室", "PIPL200", "PIPL201", "pipl.pipia", "pipl.notice",
                   "pipl.separate-consent", "pipl.entrustment-agreement",
                   "Interim Measures for the Management of Generative AI Services"):
        assert needle in out, needle


def test_complete_copy_passes() -> None:
    code, out = run(COMPLETE)
    assert code == 0, out


def _items() -> list[tuple[str, str]]:
    data = yaml.safe_load((COMPLETE / "compliance.yaml").read_text(encoding="utf-8"))
    return [(coll, oid) for coll in ("safeguards", "duties", "waivers")
            for oid in data.get(coll, {}) if not (coll == "safeguards" and oid.startswith("tlo-"))]


@pytest.mark.parametrize(("collection", "object_id"), _items())
def test_removing_any_one_fails_and_names_it(tmp_path: Path, collection: str,
                                            object_id: str) -> None:
    copy = tmp_path / "model"
    shutil.copytree(COMPLETE, copy)
    path = copy / "compliance.yaml"
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    removed = data[collection].pop(object_id)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    code, out = run(copy)
    assert code == 1, out
    if collection == "safeguards":
        assert "PIPL100" in out and removed["recipients"][0] in out
    elif collection == "duties":
        assert f"duty {removed['duty']} not declared" in out
    else:
        assert "PIPL200" in out and "error PIPL200" in out
