"""Hong Kong as the hop (regulatory.md §4: the Mainland→HK leg is a PRC export, HK→anywhere needs
no HK mechanism; §2.6 onward hops; outputs.md "Parties"; model-format.md "Who exports").

hq sends 1,000 customers' contacts to its HK subsidiary's CRM (no ``recipient_role``; hk-sub is
nobody's processor), and hk-sub puts them into a US helpdesk SaaS. By hand: ``CN/hq/to-hk``,
recipient hk-sub as **controller** (the derived role: not ``processor_for`` the exporter or a
sending processor), onward us-saas (US). HK area: the exit edge ``hk-to-us`` is sent by hk-sub —
the same entity the CN transfer just called a controller, which is nobody's processor — so its
sender role is controller and, holding its copy as controller, hk-sub is the exporter:
``HK/hk-sub/hk-to-us``; HK200 (no HK mechanism)."""

from __future__ import annotations

import pytest

from .helpers import assessment, by_id, check, transfers

NAME = "hk-hop"


def test_mainland_leg_with_onward_to_the_us() -> None:
    t = by_id(transfers(NAME, "--area", "CN"))["CN/hq/to-hk"]
    assert (t["recipient"]["entity"], t["recipient"]["role"]) == ("hk-sub", "controller")
    assert t["flags"] == ["onward"]
    assert t["onward"] == [{"entity": "us-saas", "jurisdiction": "US", "system": "us-desk"}]
    _rc, doc = check(NAME, "--area", "CN")
    assert assessment(doc, "CN/hq/to-hk", "pipl")["required"] == ["pipl.exempt"]


@pytest.mark.xfail(strict=True, reason=(
    "BUG: outputs.md 'Parties' / model-format.md 'Who exports': hk-sub is nobody's processor and "
    "CN/hq/to-hk names it the recipient as controller, yet the HK-area transfer of the same data "
    "is 'HK/hq/hk-to-us' with sender hk-sub in the role 'processor' (a role no rule derives for "
    "it) and hq as exporter; expected HK/hk-sub/hk-to-us sent by hk-sub as controller"))
def test_hk_leg_sender_role_matches_the_role_it_received_the_data_in() -> None:
    doc = transfers(NAME, "--area", "HK")
    assert [t["id"] for t in doc["transfers"]] == ["HK/hk-sub/hk-to-us"]
    assert doc["transfers"][0]["sender"]["role"] == "controller"
