"""`dataflow diff` between versions of the three-team model (docs/cli.md diff; regulatory.md
§2.6 step 7 and its last [U] bullet):
- v2: the growth team adds 30,000 trial users sent to the US from 1 July 2026: ordinary PI
  reaches 110,000 on 2026-07-01, Art. 5(4) is lost for the usage analytics from that day;
- v3: retention texts change without extending ("2 years" -> "24 months", "13 months" ->
  "1 year"): no filing;
- v4: 9,000 more members' health data from 1 August 2026: sensitive PI reaches 11,000, the
  security-assessment tier."""

from __future__ import annotations

from .helpers import assessment, check, cli, scenario, warning_codes

V1, V2, V3, V4 = "three-teams", "three-teams-v2", "three-teams-v3", "three-teams-v4"


def _diff(new: str) -> tuple[int, dict]:
    out = cli("diff", scenario(V1), scenario(new), "--format", "json")
    assert out.rc in (0, 1), out.stderr
    return out.rc, out.json()


def test_v2_new_flow_crosses_100000_mid_year() -> None:
    rc, doc = _diff(V2)
    assert rc == 1
    kinds = sorted((c["kind"], c["transfer"]) for c in doc["changes"])
    assert kinds == [("mechanism-changed", "CN/fitco/usage-to-us"),
                     ("threshold-crossed", None),
                     ("transfer-added", "CN/fitco/trial-to-us")]
    assert all(c["trigger"] == "pipl.scc-file" for c in doc["changes"])


def test_v2_threshold_crossed_names_the_day() -> None:
    _rc, doc = _diff(V2)
    c = next(c for c in doc["changes"] if c["kind"] == "threshold-crossed")
    assert "2026-07-01" in c["message"] or c["new"].get("crossed_on") == "2026-07-01"


def test_v2_usage_needs_a_contract_from_1_july() -> None:
    out = cli("why", scenario(V2), "CN/fitco/usage-to-us", "--format", "json")
    assert out.rc == 0, out.stderr
    assert "2026-07-01" in out.stdout


def test_v2_repapering_is_an_interpretation_warning() -> None:
    _rc, doc = check(V2)
    a = assessment(doc, "CN/fitco/usage-to-us", "pipl")
    assert warning_codes(a) - {"PIPL-U-CONSENT"}


def test_v3_shorter_or_equal_retention_needs_no_filing() -> None:
    rc, doc = _diff(V3)
    assert rc == 0
    assert [(c["kind"], c["filing_required"]) for c in doc["changes"]] == [
        ("retention-changed", False)]


def test_v4_sensitive_reaches_the_security_assessment_tier() -> None:
    rc, doc = _diff(V4)
    assert rc == 1
    kinds = {(c["kind"], c["transfer"]) for c in doc["changes"]}
    assert {("tier-changed", None), ("threshold-crossed", None),
            ("transfer-added", "CN/fitco/clinic-to-sg"),
            ("mechanism-changed", "CN/fitco/health-to-sg")} <= kinds
    _rc, chk = check(V4)
    assert assessment(chk, "CN/fitco/health-to-sg", "pipl")["required"] == \
        ["pipl.security-assessment"]


def test_v4_ordinary_only_export_stays_exempt() -> None:
    _rc, chk = check(V4)
    assert assessment(chk, "CN/fitco/usage-to-us", "pipl")["required"] == ["pipl.exempt"]
    _rc, doc = _diff(V4)
    assert ("mechanism-changed", "CN/fitco/usage-to-us") not in \
        {(c["kind"], c["transfer"]) for c in doc["changes"]}
