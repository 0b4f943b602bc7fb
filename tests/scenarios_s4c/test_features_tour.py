"""Format features that change what is a transfer and who is counted (docs/model-format.md
'cohorts' `unit`, `subset_of`, `minors_under_14`, dated series; 'flows' `storage_location`,
`transit_only`; 'access' `from` lists, "Access from inside the area is not an export ... for
the EEA and the UK, access by the system operator's own staff abroad is not a transfer, while
for CN it is"; regulatory.md §2 PIPL Art. 28: all PI of minors under 14 is sensitive).

EduApp (Beijing) enrols 60,000 pupils (12,000 of them `young-pupils`, under 14) and 900 tablets
(devices) into its LMS on CN-BJ. A nightly replication goes to its own backup on
`huawei:cn-north-4` but is stored in Singapore (`storage_location: SG`); the young pupils'
contact data passes a Singapore point of presence marked `transit_only` (DF400, not an export);
US support reaches the LMS from `[US, CN-BJ]` (only `@US` is an export); EduApp's own staff
reach it from JP (an export for CN); EduApp Europe's staff reach the French portal from the US
(same entity: not an EEA transfer)."""

from __future__ import annotations

from .helpers import by_id, cli, scenario, transfers

NAME = "features-tour"


def test_validate() -> None:
    out = cli("validate", scenario(NAME))
    assert out.rc == 0
    assert "valid (6 systems, 4 flows, 3 access grants, 1 file(s))" in out.stdout


def test_access_edges_and_counts() -> None:
    t = by_id(transfers(NAME))
    assert "CN/eduapp/vendor-support@US" in t and "CN/eduapp/travelling-staff" in t
    us = t["CN/eduapp/vendor-support@US"]
    assert us["flags"] == ["remote-access"]
    assert [c["id"] for c in us["categories"]] == ["user.contact.email"]
    assert (us["individuals"]["total"], us["individuals"]["devices"]) == (60_000, 900)
    jp = t["CN/eduapp/travelling-staff"]
    assert (jp["recipient"]["entity"], jp["recipient"]["jurisdiction"]) == ("eduapp", "JP")
    # every category present at the LMS, when the grant names none
    assert [c["id"] for c in jp["categories"]] == ["user.contact", "user.education"]


def test_not_transfers_with_reasons() -> None:
    doc = transfers(NAME)
    nt = {(n["area"], n["edge"]): n["reason"] for n in doc["not_transfers"]}
    assert set(nt) == {("CN", "through-pop"), ("CN", "vendor-support@CN-BJ"),
                       ("EEA", "eu-staff-abroad")}
    assert nt[("CN", "through-pop")] == "transit only"
    assert [(w["code"], w["line"]) for w in doc["warnings"]] == [("DF400", 39)]


def test_storage_abroad_is_a_transfer() -> None:
    t = by_id(transfers(NAME))
    assert "CN/eduapp/nightly-backup" in t
    assert t["CN/eduapp/nightly-backup"]["recipient"]["jurisdiction"] == "SG"
