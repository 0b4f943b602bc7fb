"""US DOJ Data Security Program bulk thresholds, exclusive "more than" (regulatory.md §5; docs/
regimes.md): genomic 101 to a mainland lab is a prohibited 'omic transaction, 100 to a Hong Kong
lab is not bulk; two biometric transfers of 600 to the same covered person aggregate to 1,200
(restricted vendor agreement); financial 10,000 + 5 people sent in November 2025 (inside the
12-month look-back) exceed 10,000; health 10,001 to a Singapore investor owned from Shanghai is a
[U] covered person; precise geolocation of 1,001 devices read from Russia; a US data broker's
sale of 5,000 people's health data to Russia is prohibited by PADFA (no volume threshold) but
below the DOJ bulk threshold; a sale to Venezuela is outside PADFA's four countries."""

from __future__ import annotations

from .helpers import assessment, check, exporter_row, run, scenario, warning_codes

NAME = "doj-bulk"
DOJ = "us-doj-dsp"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_genomic_threshold_is_more_than_100() -> None:
    _rc, doc = check(NAME)
    cn = assessment(doc, "US/healthco/seq-to-cn", DOJ)
    assert (cn["required"], cn["status"]) == ([], "blocked")
    assert "DOJ201/US/healthco/seq-to-cn" in {f["id"] for f in doc["findings"]}
    hk = assessment(doc, "US/healthco/seq-to-hk", DOJ)
    assert (hk["required"], hk["status"]) == (["none"], "not-required")


def test_biometric_aggregates_per_covered_person() -> None:
    _rc, doc = check(NAME)
    for tid in ("US/healthco/face-a-flow", "US/healthco/face-b-flow"):
        a = assessment(doc, tid, DOJ)
        assert a["required"] == ["us-doj-dsp.cisa-security-requirements"]
        assert [d["id"] for d in a["duties"]] == ["us-doj-dsp.compliance-program"]


def test_financial_look_back_of_12_months() -> None:
    _rc, doc = check(NAME)
    a = assessment(doc, "US/healthco/pay-ve", DOJ)
    details = a["mechanism_details"]["us-doj-dsp.cisa-security-requirements"]
    assert details["counts"] == {"financial": 10005}
    assert details["transaction"] == "vendor"


def test_investment_through_a_parent_in_china_is_a_u_point() -> None:
    _rc, doc = check(NAME)
    a = assessment(doc, "US/healthco/health-to-investor", DOJ)
    assert a["required"] == ["us-doj-dsp.cisa-security-requirements"]
    assert "DOJ-U-COVERED" in warning_codes(a)
    assert "DOJ207/US/healthco/health-to-investor" in {f["id"] for f in doc["findings"]}


def test_remote_access_from_russia_counts_devices() -> None:
    _rc, doc = check(NAME)
    a = assessment(doc, "US/healthco/ru-devs", DOJ)
    assert a["required"] == ["us-doj-dsp.cisa-security-requirements"]
    # an access grant cannot state doj_transaction (docs/model-format.md access): always [U]
    assert "DOJ-U-TRANSACTION" in warning_codes(a)


def test_padfa_and_brokerage() -> None:
    _rc, doc = check(NAME)
    padfa = assessment(doc, "US/broker/broker-sale", "us-padfa")
    assert padfa["status"] == "blocked"
    assert assessment(doc, "US/broker/broker-sale", DOJ)["status"] == "not-required"
    ids = {f["id"] for f in doc["findings"]}
    assert "PADFA200/US/broker/broker-sale" in ids
    assert not any(i.startswith("PADFA") and "broker-sale-ve" in i for i in ids)


def test_exporter_row() -> None:
    _rc, doc = check(NAME)
    row = exporter_row(doc, "healthco", DOJ)
    assert row["tier"] == "prohibited"
    # distinct US persons sent to covered persons (devices are not persons)
    assert row["ordinary"] == 101 + 100 + 1200 + 10005 + 10001
