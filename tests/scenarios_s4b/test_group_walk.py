"""The same group written as a folder *without* ``dataflow.yaml`` (model-format.md "Files": every
``*.yaml``/``*.yml`` below the folder is read, hidden folders skipped — ``.drafts/old.yaml`` is not
even valid YAML), probing the edges of the landscape:

* Three CN cohorts that overlap pairwise (members 1,000; vip 800, 200 shared with members;
  staff-users 500, 100 shared with members and 50 with vip). ``cn-to-hk`` names no cohort, so it
  carries all three: |M ∪ V ∪ S| = 1,000 + 800 + 500 − 200 − 100 − 50 + t with the triple
  overlap t ∈ [0, 50] → bounds 1,950..2,000, the upper bound used, warning DF313 (model-format.md
  "cohorts": never a sum, never a max). hq total 2,000 < 100,000 and no sensitive PI →
  Art. 5(4) exempt (regulatory.md §2.5), notice/PIPIA still owed.
* ``cn-anon`` — aggregated: flagged ``anonymised``, not personal for PIPL (regulatory.md §2.6
  step 1: no PI and no important data → no mechanism).
* Access to ``cn-db``: hq's own staff in Germany (``hq-staff-de``) is a CN export (outputs.md:
  only EEA/UK treat the same entity's staff as no transfer); eu-sub's staff on site in Shenzhen
  (``eu-onsite``) is not (access from inside CN).
* Access to ``eu-db``: eu-sub's own travelling staff (``eu-travel``, from US) is not an EEA
  transfer (GDPR205, regulatory.md §3.1); hk-sub from ``[HK, DE]`` gives two edges:
  ``hk-support@HK`` is a transfer (SCC module 1, or BCR within the hq group, + TIA), ``@DE`` is not.
* The Irish mailer ``mailco`` (processor for eu-sub and hk-sub): ``mail-bounce`` to ``bounceco``,
  a processor eu-sub engaged itself (``processor_for: [eu-sub]``) → SCC module 2 signed by the
  controller eu-sub (model-format.md "Who exports"); ``mail-report`` returns HK clients' data to
  hk-sub, the controller mailco processes it for → module 4 signed by mailco, no TIA (all the
  personal data came from the third-country controller, regimes.md GDPR table), flagged
  ``round-trip``. ``hk-to-mail`` is a Hong Kong export with no HK mechanism (HK200, §4)."""

from __future__ import annotations

from .helpers import assessment, by_id, check, exporter_row, finding_ids, run, scenario, transfers

NAME = "group-walk"


def test_validate_skips_hidden_folders() -> None:
    out = run("validate", scenario(NAME))
    assert out.rc == 0, out.stdout + out.stderr
    assert "4 file(s)" in out.stdout


def test_transfers_and_not_transfers() -> None:
    doc = transfers(NAME)
    assert sorted(by_id(doc)) == [
        "CN/hq/cn-anon", "CN/hq/cn-to-hk", "CN/hq/hq-staff-de",
        "EEA/eu-sub/hk-support@HK", "EEA/eu-sub/mail-bounce", "EEA/hk-sub/mail-report",
        "HK/hk-sub/hk-to-mail"]
    assert doc["possible_transfers"] == []
    assert sorted((n["area"], n["edge"]) for n in doc["not_transfers"]) == [
        ("CN", "eu-onsite"), ("EEA", "eu-travel")]


def test_three_way_overlap_gives_bounds_never_a_sum() -> None:
    doc = transfers(NAME)
    t = by_id(doc)
    for tid in ("CN/hq/cn-to-hk", "CN/hq/hq-staff-de"):
        ind = t[tid]["individuals"]
        assert (ind["method"], ind["lower"], ind["upper"], ind["total"]) == (
            "bounds", 1_950, 2_000, 2_000), tid
    assert sorted(w["code"] for w in doc["warnings"]) == ["DF313", "DF313"]
    _rc, chk = check(NAME, "--area", "CN")
    row = exporter_row(chk, "hq")
    assert (row["ordinary"], row["sensitive"], row["tier"]) == (2_000, 0, "exempt")
    a = assessment(chk, "CN/hq/cn-to-hk", "pipl")
    assert (a["required"], a["exemption"]) == (["pipl.exempt"], "art5-4")
    assert {"DF313/CN/hq/cn-to-hk", "DF313/CN/hq/hq-staff-de"} <= set(finding_ids(chk))


def test_own_staff_abroad_is_a_cn_export() -> None:
    t = by_id(transfers(NAME))["CN/hq/hq-staff-de"]
    assert (t["recipient"]["entity"], t["recipient"]["jurisdiction"]) == ("hq", "DE")
    assert t["flags"] == ["remote-access"]


def test_anonymised_cn_export_is_flagged_and_not_counted() -> None:
    t = by_id(transfers(NAME))["CN/hq/cn-anon"]
    assert t["flags"] == ["anonymised"]
    assert t["individuals"]["total"] == 0
    _rc, doc = check(NAME, "--area", "CN")
    a = assessment(doc, "CN/hq/cn-anon", "pipl")
    assert a["status"] == "not-required"
    assert not any(f.endswith("/CN/hq/cn-anon") for f in finding_ids(doc))


def test_anonymised_cn_export_requires_no_mechanism() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    assert assessment(doc, "CN/hq/cn-anon", "pipl")["required"] == ["none"]


def test_gdpr_modules_by_who_engaged_whom() -> None:
    _rc, doc = check(NAME, "--area", "EEA")
    bounce = assessment(doc, "EEA/eu-sub/mail-bounce", "gdpr")
    scc = bounce["mechanism_details"]["gdpr.scc"]
    assert (scc["module"], scc["data_exporter"], scc["data_importer"]) == (2, "eu-sub", "bounceco")
    assert sorted(d["id"] for d in bounce["duties"]) == ["gdpr.dpa", "gdpr.tia"]
    report = assessment(doc, "EEA/hk-sub/mail-report", "gdpr")
    scc = report["mechanism_details"]["gdpr.scc"]
    assert (scc["module"], scc["data_exporter"], scc["data_importer"]) == (4, "mailco", "hk-sub")
    assert report["duties"] == []
    hk = assessment(doc, "EEA/eu-sub/hk-support@HK", "gdpr")
    assert sorted(hk["required"]) == ["gdpr.bcr", "gdpr.scc"]
    assert hk["mechanism_details"]["gdpr.scc"]["module"] == 1
    assert "GDPR205/eu-travel" in finding_ids(doc)


def test_round_trip_and_hong_kong() -> None:
    t = by_id(transfers(NAME))
    assert t["EEA/hk-sub/mail-report"]["flags"] == ["round-trip"]
    assert t["EEA/hk-sub/mail-report"]["individuals"]["total"] == 300
    assert (t["EEA/hk-sub/mail-report"]["sender"]["entity"],
            t["EEA/hk-sub/mail-report"]["sender"]["role"]) == ("mailco", "processor")
    _rc, doc = check(NAME, "--area", "HK")
    a = assessment(doc, "HK/hk-sub/hk-to-mail", "hk")
    assert (a["required"], a["status"]) == (["none"], "not-required")
    assert "HK200/HK/hk-sub/hk-to-mail" in finding_ids(doc)


def test_why_with_an_access_location_suffix() -> None:
    out = run("why", scenario(NAME), "EEA/eu-sub/hk-support@HK")
    assert out.rc == 0, out.stderr
    assert "remote access by a party in a third country is a transfer" in out.stdout


def test_on_behalf_of_carries_only_that_controllers_data() -> None:
    t = by_id(transfers(NAME))
    # ie-mail holds eu-sub's subscribers and hk-sub's clients; each flow names its controller
    assert [c["id"] for c in t["EEA/eu-sub/mail-bounce"]["cohorts"]] == ["eu-subscribers"]
    assert [c["id"] for c in t["EEA/hk-sub/mail-report"]["cohorts"]] == ["hk-clients"]


def test_processor_for_several_controllers_must_attribute_its_own_data() -> None:
    """group-walk-logs reads the walk's files through include_roots and adds mailco's delivery
    logs: one flow without on_behalf_of (DF307, model-format.md "Who exports"), one with it."""
    out = run("validate", scenario("group-walk-logs"), "--format", "json")
    assert out.rc == 2
    diags = [(d["code"], d["file"].rsplit("/", 1)[-1], d["line"], d["col"])
             for d in out.json()["diagnostics"]]
    assert diags == [("DF307", "logs.yaml", 4, 3)]
