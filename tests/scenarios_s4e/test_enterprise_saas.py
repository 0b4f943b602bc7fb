"""Enterprise customers' staff paste their clients' PI into an AI SaaS that sits behind a relay
(regulatory.md §1.2 items 1, 3; §2.3 Arts 13 para 2, 21, 28, 39; §2.5 Arts 5(4), 7; §2.6 step 5
and the [U] counting points; §2.2 unknown locations; docs/model-format.md 'Who exports',
`processor_for`; docs/regimes.md PIPL-U-CONSENT, PIPL-U-DISTINCT; `dataflow explain PIPL209`).

saasco is the processor of two controllers: a law firm (70,000 clients' facts, contract basis
13(1)(2)) and a clinic (50,000 patients' health details, sensitive). Every prompt goes through
relayco (saasco's sub-processor) to a US model, and the relay also copies prompts to an upstream
whose location is unknown. The exit edges carry two controllers' data: four transfers, two of
them possible. lawfirm: N=70,000, Art. 5(4) exempt (PIPL-U-DISTINCT: 140,000 if counted per
recipient, PIPL207); no separate consent on a 13(1)(2) basis, with PIPL-U-CONSENT. clinic:
S=50,000 >= 10,000 -> security assessment, declared through the Sichuan CAC."""

from __future__ import annotations

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

NAME = "enterprise-saas"


def test_validate_warns_about_the_unknown_upstream() -> None:
    out = run("validate", scenario(NAME))
    assert out.rc == 0
    assert "DF302" in out.stdout + out.stderr


def test_two_controllers_on_each_exit_edge() -> None:
    doc = transfers(NAME, "--area", "CN")
    assert sorted(by_id(doc)) == ["CN/clinic/relay-to-us", "CN/lawfirm/relay-to-us"]
    possible = by_id(doc, "possible_transfers")
    assert sorted(possible) == ["CN/clinic/relay-to-upstream", "CN/lawfirm/relay-to-upstream"]
    assert all("possible" in t["flags"] for t in possible.values())
    for t in list(by_id(doc).values()) + list(possible.values()):
        assert t["sender"]["entity"] == "relayco"
    law = by_id(doc)["CN/lawfirm/relay-to-us"]
    clinic = by_id(doc)["CN/clinic/relay-to-us"]
    assert (law["individuals"]["total"], law["individuals"]["sensitive"]) == (70_000, 0)
    assert (clinic["individuals"]["total"], clinic["individuals"]["sensitive"]) == (50_000, 50_000)
    assert law["origin"] == ["law-pc"] and clinic["origin"] == ["clinic-pc"]


def test_tiers_per_controller() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    law = exporter_row(doc, "lawfirm")
    clinic = exporter_row(doc, "clinic")
    assert (law["ordinary"], law["sensitive"], law["tier"]) == (70_000, 0, "exempt")
    assert (clinic["ordinary"], clinic["sensitive"], clinic["tier"]) == (
        50_000, 50_000, "security-assessment")
    assert clinic["authority_en"] == "Sichuan Cyberspace Administration"
    for tid in ("CN/clinic/relay-to-us", "CN/clinic/relay-to-upstream"):
        assert assessment(doc, tid, "pipl")["required"] == ["pipl.security-assessment"]
    for tid in ("CN/lawfirm/relay-to-us", "CN/lawfirm/relay-to-upstream"):
        a = assessment(doc, tid, "pipl")
        assert (a["required"], a["exemption"]) == (["pipl.exempt"], "art5-4")
        assert "PIPL-U-DISTINCT" in warning_codes(a)
    assert "PIPL207/lawfirm" in finding_ids(doc)


def test_contract_basis_drops_separate_consent_with_a_warning() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    law = assessment(doc, "CN/lawfirm/relay-to-us", "pipl")
    assert "pipl.separate-consent" not in {d["id"] for d in law["duties"]}
    assert {"pipl.notice", "pipl.pipia"} <= {d["id"] for d in law["duties"]}
    assert "PIPL-U-CONSENT" in warning_codes(law)
    clinic = assessment(doc, "CN/clinic/relay-to-us", "pipl")
    assert "pipl.separate-consent" in {d["id"] for d in clinic["duties"]}


def test_unknown_upstream_is_a_possible_export_with_the_relay_warning() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    ids = set(finding_ids(doc))
    for exp in ("lawfirm", "clinic"):
        assert f"PIPL206/CN/{exp}/relay-to-upstream" in ids
        assert f"PIPL201/CN/{exp}/relay-to-upstream" in ids
        assert f"PIPL201/CN/{exp}/relay-to-us" in ids
    assert not [i for i in ids if i.startswith("PIPL200")]  # no public service


def test_relay_acting_as_processor_needs_an_entrustment_agreement() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    ids = finding_ids(doc)
    assert ("PIPL110/CN/lawfirm/relay-to-us#pipl.entrustment-agreement@relayco" in ids
            or any(i.startswith("PIPL209/") for i in ids))
