"""[U] counting points that decide the tier must be interpretation warnings stating the alternative
(regulatory.md §0 [U]; §2.6 "Counting rules and open points (surface as warnings)"; docs/regimes.md
"Every [U] point that decides an outcome is a warning"):
- a person sent to two recipients counts once [U];
- a person whose sensitive PI is exported also counts in N — conservative default, [U]."""

from __future__ import annotations

from .helpers import assessment, check, exporter_row, run, scenario

NAME = "u-counting"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_defaults() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    a = exporter_row(doc, "a")
    assert (a["ordinary"], a["sensitive"], a["tier"]) == (60000, 0, "exempt")
    b = exporter_row(doc, "b")
    assert (b["ordinary"], b["sensitive"], b["tier"]) == (1000000, 5000, "security-assessment")
    assert assessment(doc, "CN/b/xb1", "pipl")["required"] == ["pipl.security-assessment"]


def _all_warnings(doc: dict, exporter: str) -> list[dict]:
    ws = [w for a in doc["assessments"] if a["exporter"]["entity"] == exporter and a["regime"] == "pipl"
          for w in a["warnings"]]
    for f in doc["findings"]:
        parts = f["id"].split("/")
        if f["severity"] == "warning" and (parts[1:2] == [exporter] or parts[2:3] == [exporter]):
            ws.append({"code": f["code"], "alternative": f["message"]})
    return ws


def test_double_counting_sensitive_people_is_a_warning() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    xb1 = assessment(doc, "CN/b/xb1", "pipl")
    assert any("standard-contract" in w["alternative"] for w in xb1["warnings"])


def test_counting_once_across_recipients_is_a_warning() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    assert _all_warnings(doc, "a")
