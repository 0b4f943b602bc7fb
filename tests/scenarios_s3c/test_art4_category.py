"""Art. 4 re-export when the domestic data is a different category that never leaves
(regulatory.md §2.5 Art. 4: exempt when 'no domestic PI or important data is introduced').

A Dalian BPO receives 300,000 Japanese customers' account ids from its Japanese client and also
collects 200,000 Chinese customers' phone numbers; only the account ids (the Japanese cohort)
go back to Japan. Dataflow counts 300,000 people (the Japanese cohort only) yet marks the export
as domestically collected and rejects the Art. 4 claim."""

from __future__ import annotations

import pytest

from .helpers import assessment, by_id, check, finding_ids, run, scenario, transfers

NAME = "art4-category"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_only_the_japanese_cohort_is_exported() -> None:
    t = by_id(transfers(NAME, "--area", "CN"))["CN/bpo/back-cat"]
    assert [c["id"] for c in t["cohorts"]] == ["jpc"]
    assert t["individuals"]["total"] == 300_000
    assert [c["id"] for c in t["categories"]] == ["user.account.id"]


@pytest.mark.xfail(strict=True, reason=(
    "provenance says collected_in ['CN'], domestic_added true and origin includes 'work', "
    "although the exit flow carries only user.account.id, which reaches 'work' only from Japan, "
    "and counts only the Japanese cohort: the cohort-less exit flow makes (user.account.id, cnc) "
    "'originate' at work because cohort cnc is present there (phone numbers only). Art. 4 is "
    "then rejected (PIPL202 'domestic personal information was added') and a standard contract "
    "required for data that was never collected in China (regulatory.md §2.5 Art. 4); "
    "dataflow/analysis origination (data originates where no incoming flow can bring it) "
    "should only consider cohorts for which the category is present"))
def test_art4_holds_when_the_domestic_data_never_leaves() -> None:
    t = by_id(transfers(NAME, "--area", "CN"))["CN/bpo/back-cat"]
    assert t["provenance"]["domestic_added"] is False
    assert t["origin"] == ["jp-crm"]
    _rc, doc = check(NAME, "--area", "CN")
    a = assessment(doc, "CN/bpo/back-cat", "pipl")
    assert a["required"] == ["pipl.exempt"]
    assert "PIPL202/CN/bpo/back-cat" not in finding_ids(doc)
