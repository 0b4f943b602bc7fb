"""`dataflow diff` when important data joins an exempt transfer (docs/cli.md diff; regulatory.md
§2.5 Art. 7(2), §2.7 SA Measures Art. 14): CarCo's 5,000 drivers' phone numbers go to its German
parent (Art. 5(4) exempt); v2 adds catalogue important data to the same flow."""

from __future__ import annotations

from .helpers import cli, scenario

V1 = scenario("diff-important/v1")
V2 = scenario("diff-important/v2")


def _diff() -> tuple[int, dict]:
    out = cli("diff", V1, V2, "--format", "json")
    assert out.rc in (0, 1), out.stderr
    return out.rc, out.json()


def test_important_data_joining_an_exempt_transfer_needs_a_declaration() -> None:
    rc, doc = _diff()
    assert rc == 1
    kinds = {(c["kind"], c["transfer"]): c for c in doc["changes"]}
    m = kinds[("mechanism-changed", "CN/carco/to-de")]
    assert m["old"] == {"pipl": ["pipl.exempt"]}
    assert m["new"] == {"pipl": ["pipl.security-assessment"]}
    assert m["trigger"] == "pipl.sa-declare" and m["filing_required"] is True


def test_no_redeclaration_of_an_assessment_that_never_existed() -> None:
    _rc, doc = _diff()
    triggers = {c["trigger"] for c in doc["changes"]}
    assert "pipl.sa-redeclare" not in triggers
