"""The group's transit-only CDN, when the data goes on to Hong Kong behind it (model-format.md
flows ``transit_only``: pure transit through a point of presence is not reported as an export;
regulatory.md §2.2 "Pure network transit ... report as a warning, not an export"; §2.6 "paths =
all flows whose data lands with, or is accessible by, a party outside the mainland (incl. HK/MO/TW
...; follow intermediaries and onward hops)"; outputs.md "Parties": the exporter is the
controller on whose behalf the data crosses).

hq's customer records (2,000 people) travel ``cn-core`` -> ``cdn`` (a US point of presence,
``transit_only``) -> ``hk-crm`` (the HK subsidiary). By hand: the hop through the CDN is not an
export in itself (DF400), but the data lands with hk-sub in Hong Kong, outside the mainland: that
is an export of hq out of CN to hk-sub (2,000 people; Art. 5(4) exempt by volume, but notice,
separate consent and PIPIA are owed), and PIPL must assess it."""

from __future__ import annotations

from .helpers import check, transfers

NAME = "transit-through"


def test_the_transit_hop_itself_is_not_an_export() -> None:
    doc = transfers(NAME)
    assert doc["not_transfers"] == [{"area": "CN", "edge": "via-cdn", "reason": "transit only"}]
    assert [w["code"] for w in doc["warnings"]] == ["DF400"]


def test_data_landing_in_hong_kong_behind_the_cdn_is_a_cn_export() -> None:
    doc = transfers(NAME, "--area", "CN")
    cn = [t for t in doc["transfers"] if t["recipient"]["entity"] == "hk-sub"]
    assert len(cn) == 1
    assert cn[0]["exporter"]["entity"] == "hq"
    assert cn[0]["individuals"]["total"] == 2_000
    _rc, chk = check(NAME, "--area", "CN")
    assert [a["regime"] for a in chk["assessments"] if a["transfer"] == cn[0]["id"]].count("pipl") == 1


def test_the_landing_export_names_its_route() -> None:
    t = {x["id"]: x for x in transfers(NAME, "--area", "CN")["transfers"]}
    assert list(t) == ["CN/hq/cdn-to-hk"]
    x = t["CN/hq/cdn-to-hk"]
    assert x["flags"] == ["via-transit"]
    assert x["sender"]["entity"] == "hq"
    assert x["path_flows"] == ["collect", "via-cdn", "cdn-to-hk"]
