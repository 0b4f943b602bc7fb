"""Where "a person whose sensitive PI is exported also counts in N" decides an outcome
(regulatory.md §2.6 counting [U]: conservative default count in both; "an ordinary-only transfer
can be exempt under Art. 5(4) while a sensitive one needs Art. 8"; regimes.md
PIPL-U-SENSITIVE-IN-N: "N over people with non-sensitive PI exported, and that tier").

``gz`` (Guangzhou) sends health data (sensitive) of 5,000 lab patients to Singapore and contact
data of 96,000 newsletter readers (disjoint) to a US CRM.

By hand: S = 5,000 → ``to-lab`` needs a standard contract or certification either way. Default
N = 96,000 + 5,000 = 101,000 ≥ 100,000 → ``to-crm`` (ordinary PI only, N tier) needs a contract
too. Alternative (sensitive-only people not in N): N = 96,000 → ``to-crm`` is Art. 5(4) exempt.
The [U] reading decides ``to-crm``'s outcome, so its assessment must carry
PIPL-U-SENSITIVE-IN-N with that alternative (the exporter's tier stays standard-contract, so no
PIPL207)."""

from __future__ import annotations

from .helpers import assessment, check, exporter_row, warning_codes

NAME = "sensitive-in-n"


def test_default_counts_sensitive_people_in_n() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    row = exporter_row(doc, "gz")
    assert (row["ordinary"], row["sensitive"], row["tier"]) == (101_000, 5_000, "standard-contract")
    for tid in ("CN/gz/to-crm", "CN/gz/to-lab"):
        assert assessment(doc, tid, "pipl")["required"] == [
            "pipl.standard-contract", "pipl.certification"]


def test_the_ordinary_transfer_decided_by_the_reading_is_warned() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    a = assessment(doc, "CN/gz/to-crm", "pipl")
    assert "PIPL-U-SENSITIVE-IN-N" in warning_codes(a)
    alt = next(w["alternative"] for w in a["warnings"] if w["code"] == "PIPL-U-SENSITIVE-IN-N")
    assert "96,000" in alt
