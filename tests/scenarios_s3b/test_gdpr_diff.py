"""`dataflow diff` for GDPR changes (docs/cli.md diff table): the CRM transfer now carries health
data and the CRM passes data on to a Philippine call centre: Annex I.B / III to update and the TIA
to re-evaluate, but no filing (GDPR has none), so exit 0."""

from __future__ import annotations

from .helpers import cli, scenario


def test_gdpr_changes_need_review_not_filing() -> None:
    out = cli("diff", scenario("gdpr-modules"), scenario("gdpr-modules-v2"), "--format", "json")
    assert out.rc == 0, out.stderr
    doc = out.json()
    got = {(c["kind"], c["transfer"], c["trigger"], c["filing_required"]) for c in doc["changes"]}
    assert ("category-added", "EEA/shop/to-crm", "gdpr.review", False) in got
    assert ("onward-added", "EEA/shop/to-crm", "gdpr.review", False) in got
    assert doc["summary"]["filing_required"] is False
