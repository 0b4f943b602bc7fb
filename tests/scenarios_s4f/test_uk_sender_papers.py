"""The UK twin of test_sender_papers (regulatory.md §3.7: the IDTA or the UK Addendum + a transfer
risk assessment; docs/regimes.md UK GDPR: the Addendum takes the module from the roles, the TRA
reuses gdpr.tia or uk-gdpr.tra; "Matching": exporter or sender).

Leeds Retail (controller) -> Manchester Analytics (UK processor, no transfer) -> its own Indian
sub-processor Pune Compute: UK/leeds/mcr-to-pune, Addendum with EU SCC Module 3 signed by mcr.
mcr declares the Addendum, the TRA (uk-gdpr.tra) and the Art. 28 sub-processing contract.
By hand: everything in place, no UKGDPR100/110 and no CHK005."""

from __future__ import annotations

from .helpers import assessment, check, finding_ids, run, scenario

NAME = "uk-sender-papers"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_addendum_module_3_signed_by_the_processor_is_matched() -> None:
    _rc, doc = check(NAME)
    a = assessment(doc, "UK/leeds/mcr-to-pune", "uk-gdpr")
    assert a["required"] == ["uk-gdpr.idta", "uk-gdpr.addendum"]
    assert a["mechanism_details"]["uk-gdpr.addendum"]["eu_scc_module"] == 3
    assert a["declared"] == ["addendum-m3"]
    assert "UKGDPR100/UK/leeds/mcr-to-pune" not in finding_ids(doc)


def test_uk_duties_declared_by_the_signing_processor_are_matched() -> None:
    _rc, doc = check(NAME)
    ids = finding_ids(doc)
    assert not [i for i in ids if i.startswith(("UKGDPR110/", "CHK005/"))], ids
