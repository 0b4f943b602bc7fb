"""`dataflow check --format json` carries the regimes' assessments with mechanism ids, modules,
citations (confidence and as-of date) and findings, byte-identical across runs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def _check(path: Path) -> tuple[int, str]:
    p = subprocess.run([sys.executable, "-m", "dataflow", "check", str(path), "--format",
                        "json"], capture_output=True, text=True, check=False)
    return p.returncode, p.stdout


def test_acceptance_probe_05():
    code, out = _check(FIXTURES / "acceptance-05-eu.yaml")
    assert code == 1  # the SCC, TIA and DPA are not declared
    d = json.loads(out)
    by = {a["recipient"]["entity"]: a for a in d["assessments"] if a["regime"] == "gdpr"}
    b, c = by["beacon"], by["acme"]
    assert b["required"] == ["gdpr.scc"] and b["mechanism_details"]["gdpr.scc"]["module"] == 2
    assert [x["id"] for x in b["duties"]] == ["gdpr.tia", "gdpr.dpa"]
    assert c["required"] == ["gdpr.adequacy"]
    for cit in b["citations"] + c["citations"]:
        assert cit["confidence"] in ("V", "K", "U") and cit["as_of"] == "2026-11-26"
    assert {f["id"] for f in d["findings"]} >= {"GDPR100/EEA/tulip/to-beacon",
                                               "GDPR201/EEA/tulip/to-acme"}


def test_json_for_every_regime_fixture_is_stable():
    for name in ("others", "hk-broker", "uk", "doj-thresholds"):
        code1, out1 = _check(FIXTURES / f"{name}.yaml")
        code2, out2 = _check(FIXTURES / f"{name}.yaml")
        assert out1 == out2 and code1 == code2 == 1
        d = json.loads(out1)
        for a in d["assessments"]:
            assert {"transfer", "regime", "required", "mechanism_details", "duties", "basis",
                    "citations", "status", "warnings", "trace"} <= set(a)
            for w in a["warnings"]:
                assert w["alternative"]
    d = json.loads(_check(FIXTURES / "others.yaml")[1])
    regimes = {a["regime"] for a in d["assessments"]}
    assert {"ru", "in", "vn", "id", "sa", "sg", "jp", "kr", "hk"} <= regimes
