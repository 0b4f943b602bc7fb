"""Every interpretation warning code the rules emit is registered, so `dataflow explain` can
tell what is unsettled, what dataflow assumes and what it shows beside it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from dataflow.interpretations import INTERPRETATIONS

REPO = Path(__file__).resolve().parent.parent
_CODE = re.compile(r'"([A-Z]+-U-[A-Z0-9-]+)"')


def _emitted() -> set[str]:
    found: set[str] = set()
    for p in (REPO / "dataflow" / "regimes").glob("*.py"):
        found |= set(_CODE.findall(p.read_text(encoding="utf-8")))
    return found


def test_every_emitted_code_is_registered() -> None:
    emitted = _emitted()
    assert len(emitted) >= 25  # the scan sees the rules' codes at all
    assert emitted <= set(INTERPRETATIONS), sorted(emitted - set(INTERPRETATIONS))


def test_registered_codes_are_used_and_complete() -> None:
    assert set(INTERPRETATIONS) <= _emitted()
    regimes = {"pipl", "gdpr", "uk-gdpr", "us-doj-dsp", "us-padfa", "ru", "sa", "sg", "in",
               "id", "vn"}
    for r in INTERPRETATIONS.values():
        assert r.regime in regimes
        assert r.point.endswith("?") and r.default and r.alternative


def test_explain_prints_the_reading() -> None:
    out = subprocess.run([sys.executable, "-m", "dataflow", "explain", "pipl-u-sa-split"],
                         capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 0
    assert out.stdout.startswith("PIPL-U-SA-SPLIT — interpretation warning (pipl)")
    assert "Default: yes: every non-exempt PI export of the year needs it" in out.stdout
    miss = subprocess.run([sys.executable, "-m", "dataflow", "explain", "PIPL-U-REPAPR"],
                          capture_output=True, text=True, cwd=REPO)
    assert miss.returncode == 2 and "did you mean PIPL-U-REPAPER?" in miss.stderr
