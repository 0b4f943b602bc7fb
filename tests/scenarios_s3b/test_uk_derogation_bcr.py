"""UK GDPR exceptions and BCRs (regulatory.md §3.7: transfers 'approved by regulations or subject
to safeguards/derogations'; UK GDPR keeps Art. 47 BCRs and Art. 49 exceptions). docs/regimes.md
says both that `uk-gdpr.bcr` / `uk-gdpr.derogation` are refused ids ('Choices') and that they and
the duty `uk-gdpr.tra` are accepted ('Core behaviour' item 4). `validate` accepts them — and
`check` then ignores them: a one-off booking at the travellers' request and an intra-group
transfer under approved UK BCRs both fail as if no tool were in place."""

from __future__ import annotations

from .helpers import assessment, check, run, scenario

NAME = "uk-derogation-bcr"


def test_validate_accepts_the_uk_ids() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_uk_derogation_for_an_occasional_transfer() -> None:
    _rc, doc = check(NAME)
    a = assessment(doc, "UK/tours/to-hotel", "uk-gdpr")
    assert "uk-gdpr.derogation" in a["required"]
    assert a["status"] == "ok"


def test_uk_bcr_and_tra_inside_the_group() -> None:
    _rc, doc = check(NAME)
    a = assessment(doc, "UK/tours/to-backoffice", "uk-gdpr")
    assert "uk-gdpr.bcr" in a["required"]
    ids = {f["id"] for f in doc["findings"]}
    assert "CHK005/tra-in" not in ids
    assert "UKGDPR101/UK/tours/to-backoffice" not in ids
