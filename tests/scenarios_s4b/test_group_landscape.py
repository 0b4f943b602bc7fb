"""A multinational group's landscape in one model folder owned by five teams (model-format.md
"Files": a root ``dataflow.yaml`` whose ``include:`` names ``teams/*.yaml`` and ``shared/*.yaml``).

The group (regulatory.md §2.2, §2.6, §2.10, §3.1-§3.7, §5; outputs.md "What a transfer is"):

* ``hq`` — Shenzhen HQ (CN-GD, ``gba_city: shenzhen``). Customers (``cn-customers`` 500,000, of
  which ``hk-customers`` 80,000) go app -> ``cn-core`` -> ``cn-db``; staff (``cn-staff`` 3,000)
  go from an HR client into ``cn-db``. AI users (``ai-users`` 150,000, overlapping
  ``cn-customers`` by 40,000; ``health-ai`` 10,000 of them write health details, sensitive) send
  prompts ``cn-core`` -> ``relay`` (``relayco``, entrusted, Shenzhen) -> ``sg-llm`` (Singapore, the
  AI provider ``sg-ai`` as controller) with a fail-over ``relay-jp`` to ``jp-llm`` (Tokyo, same
  provider) that names no cohorts (so it carries its primary's ``ai-users``); ``jp-llm``
  replicates back to ``sg-llm`` (``jp-sync``). ``cn-db`` -> ``hk-crm`` (HK subsidiary) for the
  80,000; ``cn-db`` -> ``legacy-backup`` (``location: unknown``); ``cn-core`` -> ``cdn`` (US)
  ``transit_only``.
* ``jv`` — a Shanghai joint venture (parent ``us-parent``, US) sends 99,999 customers to the
  parent's BI.
* ``eu-sub`` — German subsidiary, database on ``aws:eu-west-1`` (Ireland; intra-EEA). 200,000
  customers (``escalations`` 2,000 of them). ``crm-sync`` -> US CRM SaaS ``crm-co`` (DPF active,
  ``processor_for [eu-sub, uk-co]``); conditional ``crm-escalate`` -> ``hk-crm`` (escalations);
  ``eu-anon`` anonymised account ids -> US analytics; ``to-mail`` -> Irish mailer ``mailco``
  (processor) whose ``mail-out`` goes to its own US sub-processor ``sendco``.
* ``uk-co`` — UK company (30,000 ``uk-customers``, 5,000 of them also ``eu-customers``):
  ``uk-crm`` -> the US CRM; ``uk-to-eu`` -> ``eu-db`` with ``recipient_role: controller``.
* ``in-support`` — support staff in India (``processor_for [hq, eu-sub]``): access grants to
  ``cn-db`` (all data present), ``eu-db`` and the US CRM (``user.contact``).

Derivation by hand
------------------
CN (mainland; HK outside, §2.2):

* ``CN/hq/relay-sg``: exporter hq (relayco is hq's entrusted party), sender relayco (entrusted),
  recipient sg-ai controller in SG; ai-users 150,000 ordinary, health-ai 10,000 sensitive.
* ``CN/hq/relay-jp``: failover, onward to sg-ai/sg-llm/SG (``jp-sync``); 150,000, 0 sensitive.
* ``CN/hq/hk-sync``: hq -> hk-sub (HK); 80,000.
* ``CN/hq/in-cn``: remote access (§2.2: access from abroad is an export); recipient in-support
  as processor; everything at ``cn-db``: cn-customers + cn-staff = 503,000.
* ``CN/jv/jv-to-parent``: 99,999.
* possible: ``CN/hq/to-legacy`` (unknown location). Not a transfer: ``static-assets`` (transit
  only, warning DF400 [U], §2.2).
* hq's distinct individuals (union, never a sum): ai-users ∪ cn-customers ∪ cn-staff =
  150,000 + 500,000 − 40,000 + 3,000 = **613,000** ordinary; **10,000** sensitive. 10,000 以上
  (§2.5 Art. 7) → security-assessment tier from 2026-01-01. Conservative default (§2.6 [U]): the
  SA covers every non-exempt export of hq that year, with a PIPL-U-SA-SPLIT warning on the
  ordinary-only ones; hk-sync also gets PIPL-U-GBA (GBA contract not offered above the SA tier
  [U]). jv: 99,999 < 100,000, non-CIIO, no sensitive PI → Art. 5(4) exempt (§2.5), notice and
  PIPIA still owed (Art. 10).

EEA (§3.1-§3.4):

* ``EEA/eu-sub/crm-sync``: no cohort named → eu-customers ∪ uk-customers (eu-sub controls its
  copy of the UK data) = 200,000 + 30,000 − 5,000 = **225,000**; DPF active, non-HR → adequacy
  with the GDPR-U-DPF-CHALLENGE warning, DPA owed; onward in-support (access to the CRM).
* ``EEA/eu-sub/crm-escalate``: conditional, 2,000, HK not adequate → SCC module 1 or BCR (same
  group parent hq) + TIA.
* ``EEA/eu-sub/eu-anon``: anonymised → not personal data, ``required: [none]``.
* ``EEA/eu-sub/in-eu``: remote access by a processor in India → SCC module 2 + TIA + DPA; 225,000.
* ``EEA/eu-sub/mail-out``: sender mailco (processor), recipient sendco (its sub-processor) →
  SCC module 3 signed by mailco; 200,000.

UK (§3.7): ``UK/uk-co/uk-crm`` (DPF UK Extension, [U] warning) and ``UK/uk-co/uk-to-eu``
(EEA adequate, onward to crm-co and in-support), 30,000 each.

``--area US``: the India access to the US CRM carries data of two controllers, so it is two
transfers (model-format.md "Who exports"): ``US/eu-sub/in-crm`` (225,000; in-support is
eu-sub's processor) and ``US/uk-co/in-crm`` (30,000; in-support is not uk-co's or crm-co's
processor → controller). ``--area JP``: ``JP/sg-ai/jp-sync`` (150,000), not a provision to a
third party under APPI Art. 28 (same operator, §5)."""

from __future__ import annotations

import pytest

from .helpers import (
    assessment,
    by_id,
    check,
    exporter_row,
    finding_ids,
    run,
    scenario,
    transfers,
    warning_codes,
)

NAME = "group-landscape"

CN = ["CN/hq/hk-sync", "CN/hq/in-cn", "CN/hq/relay-jp", "CN/hq/relay-sg", "CN/jv/jv-to-parent"]
EEA = ["EEA/eu-sub/crm-escalate", "EEA/eu-sub/crm-sync", "EEA/eu-sub/eu-anon",
       "EEA/eu-sub/in-eu", "EEA/eu-sub/mail-out"]
UK = ["UK/uk-co/uk-crm", "UK/uk-co/uk-to-eu"]
US = ["US/eu-sub/in-crm", "US/uk-co/in-crm"]
JP = ["JP/sg-ai/jp-sync"]


def ids(doc: dict, key: str = "transfers") -> list[str]:
    return sorted(t["id"] for t in doc[key])


def test_validate_reads_every_team_file() -> None:
    out = run("validate", scenario(NAME))
    assert out.rc == 0, out.stdout + out.stderr
    assert "8 file(s)" in out.stdout
    assert "DF302" in out.stdout + out.stderr


def test_every_transfer_of_every_area() -> None:
    doc = transfers(NAME)
    assert ids(doc) == sorted(CN + EEA + UK + US + JP)
    assert ids(doc, "possible_transfers") == ["CN/hq/to-legacy"]
    assert doc["possible_transfers"][0]["flags"] == ["possible"]
    assert doc["not_transfers"] == [{"area": "CN", "edge": "static-assets", "reason": "transit only"}]
    assert [w["code"] for w in doc["warnings"]] == ["DF400"]


@pytest.mark.parametrize(("area", "expected"), [
    ("CN", CN), ("EEA", EEA), ("UK", UK), ("US", US), ("JP", JP), ("HK", []), ("SG", []), ("IN", []),
])
def test_area_filter(area: str, expected: list[str]) -> None:
    doc = transfers(NAME, "--area", area)
    assert doc["areas"] == [area]
    assert ids(doc) == sorted(expected)


def test_repeated_area_and_exporter_and_category_filters() -> None:
    assert ids(transfers(NAME, "--area", "JP", "--area", "US")) == sorted(JP + US)
    assert ids(transfers(NAME, "--exporter", "uk-co")) == sorted(UK + ["US/uk-co/in-crm"])
    assert ids(transfers(NAME, "--exporter", "hq", "--area", "EEA")) == []
    assert ids(transfers(NAME, "--exporter", "eu-sub", "--area", "EEA")) == EEA
    # a category covers its descendants (employee -> employee.contact)
    assert ids(transfers(NAME, "--category", "employee")) == ["CN/hq/in-cn"]
    assert ids(transfers(NAME, "--category", "user.health")) == ["CN/hq/relay-sg"]
    assert ids(transfers(NAME, "--category", "user.account.id")) == ["CN/hq/in-cn", "EEA/eu-sub/eu-anon"]
    assert ids(transfers(NAME, "--area", "CN", "--category", "user.content")) == [
        "CN/hq/relay-jp", "CN/hq/relay-sg"]
    contact = transfers(NAME, "--category", "user.contact")
    assert ids(contact) == sorted(set(CN + EEA + UK + US) - {"CN/hq/relay-jp", "CN/hq/relay-sg",
                                                             "EEA/eu-sub/eu-anon"})
    assert ids(contact, "possible_transfers") == ["CN/hq/to-legacy"]


# (id, exporter, sender, sender role, recipient, recipient role, recipient jurisdiction, flags,
#  total, ordinary, sensitive, cohorts)
PARTIES = [
    ("CN/hq/relay-sg", "hq", "relayco", "entrusted", "sg-ai", "controller", "SG", [],
     150_000, 150_000, 10_000, ["ai-users", "health-ai"]),
    ("CN/hq/relay-jp", "hq", "relayco", "entrusted", "sg-ai", "controller", "JP",
     ["failover", "onward"], 150_000, 150_000, 0, ["ai-users"]),
    ("CN/hq/hk-sync", "hq", "hq", "controller", "hk-sub", "controller", "HK", [],
     80_000, 80_000, 0, ["hk-customers"]),
    ("CN/hq/in-cn", "hq", "hq", "controller", "in-support", "processor", "IN", ["remote-access"],
     503_000, 503_000, 0, ["cn-customers", "cn-staff"]),
    ("CN/jv/jv-to-parent", "jv", "jv", "controller", "us-parent", "controller", "US", [],
     99_999, 99_999, 0, ["jv-customers"]),
    ("EEA/eu-sub/crm-sync", "eu-sub", "eu-sub", "controller", "crm-co", "processor", "US",
     ["onward"], 225_000, 225_000, 0, ["eu-customers", "uk-customers"]),
    ("EEA/eu-sub/crm-escalate", "eu-sub", "eu-sub", "controller", "hk-sub", "controller", "HK",
     ["conditional"], 2_000, 2_000, 0, ["escalations"]),
    ("EEA/eu-sub/in-eu", "eu-sub", "eu-sub", "controller", "in-support", "processor", "IN",
     ["remote-access"], 225_000, 225_000, 0, ["eu-customers", "uk-customers"]),
    ("EEA/eu-sub/mail-out", "eu-sub", "mailco", "processor", "sendco", "processor", "US", [],
     200_000, 200_000, 0, ["eu-customers"]),
    ("UK/uk-co/uk-crm", "uk-co", "uk-co", "controller", "crm-co", "processor", "US", ["onward"],
     30_000, 30_000, 0, ["uk-customers"]),
    ("UK/uk-co/uk-to-eu", "uk-co", "uk-co", "controller", "eu-sub", "controller", "IE", ["onward"],
     30_000, 30_000, 0, ["uk-customers"]),
    ("US/eu-sub/in-crm", "eu-sub", "crm-co", "processor", "in-support", "processor", "IN",
     ["remote-access"], 225_000, 225_000, 0, ["eu-customers", "uk-customers"]),
    ("US/uk-co/in-crm", "uk-co", "crm-co", "processor", "in-support", "controller", "IN",
     ["remote-access"], 30_000, 30_000, 0, ["uk-customers"]),
    ("JP/sg-ai/jp-sync", "sg-ai", "sg-ai", "controller", "sg-ai", "controller", "SG", None,
     150_000, 150_000, 0, ["ai-users"]),
]


@pytest.mark.parametrize(("tid", "exporter", "sender", "srole", "recipient", "rrole", "rjur", "flags",
                          "total", "ordinary", "sensitive", "cohorts"), PARTIES)
def test_parties_flags_and_distinct_individuals(tid: str, exporter: str, sender: str, srole: str,
                                                recipient: str, rrole: str, rjur: str,
                                                flags: list[str] | None, total: int, ordinary: int,
                                                sensitive: int, cohorts: list[str]) -> None:
    t = by_id(transfers(NAME))[tid]
    assert t["exporter"]["entity"] == exporter
    assert (t["sender"]["entity"], t["sender"]["role"]) == (sender, srole)
    assert (t["recipient"]["entity"], t["recipient"]["role"]) == (recipient, rrole)
    assert t["recipient"]["jurisdiction"] == rjur
    if flags is not None:
        assert t["flags"] == flags
    ind = t["individuals"]
    assert (ind["total"], ind["ordinary"], ind["sensitive"], ind["method"]) == (
        total, ordinary, sensitive, "exact")
    assert sorted(c["id"] for c in t["cohorts"]) == cohorts
    assert len(t["path"]) >= 2 and t["path"][-1] in (t["recipient"].get("system"),
                                                     t["recipient"].get("accessor"))
    assert t["path_flows"][-1] == t["exit_edge"]["id"]


def test_onward_destinations() -> None:
    t = by_id(transfers(NAME))
    assert t["CN/hq/relay-jp"]["onward"] == [{"entity": "sg-ai", "jurisdiction": "SG", "system": "sg-llm"}]
    assert t["CN/hq/relay-sg"]["onward"] == []
    assert [o["entity"] for o in t["EEA/eu-sub/crm-sync"]["onward"]] == ["in-support"]
    assert [o["entity"] for o in t["UK/uk-co/uk-crm"]["onward"]] == ["in-support"]
    # the UK data reaches the US CRM and the India desk from eu-db, not the HK escalation desk
    # (crm-escalate names only the escalations sub-cohort of eu-customers)
    assert [(o["entity"], o["jurisdiction"]) for o in t["UK/uk-co/uk-to-eu"]["onward"]] == [
        ("crm-co", "US"), ("in-support", "IN")]


def test_exit_edge_types_and_routing() -> None:
    t = by_id(transfers(NAME))
    assert t["CN/hq/relay-jp"]["exit_edge"]["routing"] == "failover"
    assert t["EEA/eu-sub/crm-escalate"]["exit_edge"]["routing"] == "conditional"
    assert t["CN/hq/in-cn"]["exit_edge"]["type"] == "access"
    assert t["CN/hq/in-cn"]["recipient"]["accessor"] == "accessor:in-support@IN"
    assert t["EEA/eu-sub/eu-anon"]["flags"] == ["anonymised"]
    assert all(c["anonymised"] for c in t["EEA/eu-sub/eu-anon"]["categories"])


def test_origins_cover_both_collections() -> None:
    t = by_id(transfers(NAME))
    assert t["CN/hq/in-cn"]["origin"] == ["cn-app", "cn-hr"]
    assert t["EEA/eu-sub/crm-sync"]["origin"] == ["eu-app", "uk-app"]
    assert t["US/uk-co/in-crm"]["origin"] == ["uk-app"]


def test_path_starts_at_an_origin() -> None:
    # docs/cli.md `transfers`: the witness path follows the most sensitive data carried, so it
    # starts at one of the origins (outputs.md "first origin to recipient": origin first)
    for t in transfers(NAME)["transfers"]:
        assert t["path"][0] in t["origin"], t["id"]
        assert t["path"][-1] == t["recipient"].get("system", t["recipient"].get("accessor"))
    # cn-hr's employee records are sensitive: the witness for in-cn is their route
    assert by_id(transfers(NAME))["CN/hq/in-cn"]["path"][0] == "cn-hr"


# ---- check ---------------------------------------------------------------------------------

def test_pipl_exporter_rows_are_unions_and_include_the_threshold() -> None:
    rc, doc = check(NAME)
    assert rc == 1
    hq = exporter_row(doc, "hq")
    assert (hq["ordinary"], hq["sensitive"], hq["tier"], hq["tier_crossed_on"]) == (
        613_000, 10_000, "security-assessment", "2026-01-01")
    assert hq["authority_en"] == "Guangdong Cyberspace Administration"
    jv = exporter_row(doc, "jv")
    assert (jv["ordinary"], jv["sensitive"], jv["tier"]) == (99_999, 0, "exempt")
    assert jv["authority_en"] == "Shanghai Cyberspace Administration"


def test_pipl_mechanisms_per_transfer() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    sg = assessment(doc, "CN/hq/relay-sg", "pipl")
    assert sg["required"] == ["pipl.security-assessment"]
    assert "PIPL-U-SA-SPLIT" not in warning_codes(sg)          # it triggers the SA itself
    for tid in ("CN/hq/relay-jp", "CN/hq/in-cn", "CN/hq/hk-sync"):
        a = assessment(doc, tid, "pipl")
        assert a["required"] == ["pipl.security-assessment"], tid
        assert "PIPL-U-SA-SPLIT" in warning_codes(a), tid
    assert "PIPL-U-GBA" in warning_codes(assessment(doc, "CN/hq/hk-sync", "pipl"))
    jv = assessment(doc, "CN/jv/jv-to-parent", "pipl")
    assert (jv["required"], jv["status"], jv["exemption"]) == (["pipl.exempt"], "exempt", "art5-4")
    assert {"pipl.notice", "pipl.pipia"} <= {d["id"] for d in jv["duties"]}


def test_pipl_split_reading_gives_the_contract_tier() -> None:
    _rc, doc = check(NAME, "--area", "CN", "--split-sa")
    for tid in ("CN/hq/relay-jp", "CN/hq/in-cn"):
        assert assessment(doc, tid, "pipl")["required"] == [
            "pipl.standard-contract", "pipl.certification"]
    assert assessment(doc, "CN/hq/relay-sg", "pipl")["required"] == ["pipl.security-assessment"]


def test_pipl_duties_and_findings() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    duties = {d["id"] for d in assessment(doc, "CN/hq/in-cn", "pipl")["duties"]}
    assert duties == {"pipl.notice", "pipl.separate-consent", "pipl.pipia",
                      "pipl.entrustment-agreement"}
    fids = finding_ids(doc)
    for tid in ("CN/hq/relay-sg", "CN/hq/relay-jp", "CN/hq/hk-sync", "CN/hq/in-cn"):
        assert f"PIPL100/{tid}" in fids
    assert "PIPL100/CN/jv/jv-to-parent" not in fids
    assert {"PIPL201/CN/hq/relay-sg", "PIPL201/CN/hq/relay-jp", "PIPL206/CN/hq/to-legacy",
            "DF400/static-assets"} <= set(fids)


def test_gdpr_mechanisms_modules_and_signatories() -> None:
    _rc, doc = check(NAME, "--area", "EEA")
    crm = assessment(doc, "EEA/eu-sub/crm-sync", "gdpr")
    assert crm["required"] == ["gdpr.adequacy"]
    assert "GDPR-U-DPF-CHALLENGE" in warning_codes(crm)
    assert [d["id"] for d in crm["duties"]] == ["gdpr.dpa"]
    esc = assessment(doc, "EEA/eu-sub/crm-escalate", "gdpr")
    assert sorted(esc["required"]) == ["gdpr.bcr", "gdpr.scc"]
    assert esc["mechanism_details"]["gdpr.scc"]["module"] == 1
    assert [d["id"] for d in esc["duties"]] == ["gdpr.tia"]
    anon = assessment(doc, "EEA/eu-sub/eu-anon", "gdpr")
    assert (anon["required"], anon["status"]) == (["none"], "not-required")
    ineu = assessment(doc, "EEA/eu-sub/in-eu", "gdpr")
    assert ineu["mechanism_details"]["gdpr.scc"]["module"] == 2
    assert sorted(d["id"] for d in ineu["duties"]) == ["gdpr.dpa", "gdpr.tia"]
    mail = assessment(doc, "EEA/eu-sub/mail-out", "gdpr")
    scc = mail["mechanism_details"]["gdpr.scc"]
    assert (scc["module"], scc["data_exporter"], scc["data_importer"]) == (3, "mailco", "sendco")
    fids = finding_ids(doc)
    assert "GDPR203/EEA/eu-sub/crm-sync" in fids           # onward to the India desk
    assert "GDPR201/EEA/eu-sub/crm-sync" in fids
    assert not any(f.startswith("GDPR100/EEA/eu-sub/crm-sync") for f in fids)


def test_uk_gdpr() -> None:
    _rc, doc = check(NAME, "--area", "UK")
    crm = assessment(doc, "UK/uk-co/uk-crm", "uk-gdpr")
    assert crm["required"] == ["uk-gdpr.adequacy"]
    assert "UKGDPR-U-DPF-UK-EXTENSION" in warning_codes(crm)
    eu = assessment(doc, "UK/uk-co/uk-to-eu", "uk-gdpr")
    assert (eu["required"], eu["status"]) == (["uk-gdpr.adequacy"], "ok")


def test_japan_same_operator_is_not_a_provision_to_a_third_party() -> None:
    rc, doc = check(NAME, "--area", "JP")
    assert rc == 0
    a = assessment(doc, "JP/sg-ai/jp-sync", "jp")
    assert (a["required"], a["status"]) == (["none"], "not-required")
    assert finding_ids(doc) == []


def test_why_prints_the_trace_of_listed_transfers() -> None:
    out = run("why", scenario(NAME), "EEA/eu-sub/mail-out")
    assert out.rc == 0, out.stderr
    assert "gdpr.scc module 3 (P2P)" in out.stdout
    assert "signed by the data exporter mailco" in out.stdout
    out = run("why", scenario(NAME), "CN/hq/relay-sg")
    assert out.rc == 0, out.stderr
    assert "N=613,000 S=10,000" in out.stdout
    assert run("why", scenario(NAME), "CN/hq/to-legacy").rc == 0      # a possible transfer
    assert run("why", scenario(NAME), "JP/sg-ai/jp-sync").rc == 0


def test_why_unknown_id_suggests() -> None:
    out = run("why", scenario(NAME), "CN/hq/relay-s")
    assert out.rc == 2
    assert "did you mean 'CN/hq/relay-sg'" in out.stderr


def test_why_works_for_a_us_area_transfer() -> None:
    out = run("why", scenario(NAME), "US/uk-co/in-crm")
    assert out.rc == 0, out.stderr
    assert "US/uk-co/in-crm" in out.stdout
    assert "no regime assesses this transfer" in out.stdout
    js = run("why", scenario(NAME), "US/uk-co/in-crm", "--format", "json")
    assert js.rc == 0, js.stderr
    d = js.json()
    assert (d["assessments"], d["found"]["id"]) == ([], "US/uk-co/in-crm")
    assert d["not_assessed"]["regimes_of_area"] == ["us-doj-dsp", "us-padfa"]


# ---- area names a user may type ------------------------------------------------------------

def test_lower_case_and_unknown_areas() -> None:
    assert ids(transfers(NAME, "--area", "cn")) == CN
    out = run("transfers", scenario(NAME), "--area", "XX")
    assert out.rc == 2
    assert "unknown area 'XX'" in out.stderr


def test_area_eu_is_not_a_silent_pass() -> None:
    out = run("check", scenario(NAME), "--area", "EU", "--format", "json")
    if out.rc != 2:
        doc = out.json()
        assert {a["transfer"] for a in doc["assessments"] if a["regime"] == "gdpr"} == set(EEA)
        assert out.rc == 1


def test_area_gb_is_the_uk_area() -> None:
    assert ids(transfers(NAME, "--area", "GB")) == UK
    rc, doc = check(NAME, "--area", "GB")
    assert {a["transfer"] for a in doc["assessments"] if a["regime"] == "uk-gdpr"} == set(UK)
    assert rc == 1


def test_exporter_filter_keeps_its_possible_transfers() -> None:
    doc = transfers(NAME, "--exporter", "hq")
    assert ids(doc) == ["CN/hq/hk-sync", "CN/hq/in-cn", "CN/hq/relay-jp", "CN/hq/relay-sg"]
    assert ids(doc, "possible_transfers") == ["CN/hq/to-legacy"]
    doc = transfers(NAME, "--exporter", "jv", "--area", "CN")
    assert (ids(doc), ids(doc, "possible_transfers")) == (["CN/jv/jv-to-parent"], [])
