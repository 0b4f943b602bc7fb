"""An anonymising analytics step inside the mainland before data goes to the US parent
(outputs.md "Propagation": anonymising or aggregating marks tokens anonymised — PIPL and GDPR then
treat them as non-personal; pseudonymisation and encryption never change the personal character).

hq collects app usage and contacts of 300,000 users; ``to-analytics`` aggregates usage inside CN,
``dashboards`` sends the aggregates to the US parent; ``vip-crm`` sends 20,000 VIPs' contacts,
pseudonymised, to the parent's CRM. By hand: ``CN/hq/dashboards`` flagged ``anonymised``, nobody
counted; ``CN/hq/vip-crm`` personal, 20,000; hq N = 20,000 → Art. 5(4) exempt."""

from __future__ import annotations

from .helpers import assessment, by_id, check, exporter_row, transfers

NAME = "anon-step"


def test_aggregation_upstream_marks_the_export_anonymised() -> None:
    t = by_id(transfers(NAME))
    assert sorted(t) == ["CN/hq/dashboards", "CN/hq/vip-crm"]
    assert t["CN/hq/dashboards"]["flags"] == ["anonymised"]
    assert t["CN/hq/dashboards"]["individuals"]["total"] == 0
    assert t["CN/hq/vip-crm"]["flags"] == []
    assert t["CN/hq/vip-crm"]["individuals"]["total"] == 20_000
    assert [c["anonymised"] for c in t["CN/hq/vip-crm"]["categories"]] == [False]


def test_only_the_pseudonymised_export_counts() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    assert (exporter_row(doc, "hq")["ordinary"], exporter_row(doc, "hq")["tier"]) == (20_000, "exempt")
    assert assessment(doc, "CN/hq/dashboards", "pipl")["status"] == "not-required"
    a = assessment(doc, "CN/hq/vip-crm", "pipl")
    assert (a["required"], a["exemption"]) == (["pipl.exempt"], "art5-4")
