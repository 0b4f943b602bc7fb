"""An access grant that starts mid-year pushes the exporter over the contract threshold
(outputs.md "Counting": a cohort counts from the first day a non-exempt transfer carries it —
that fixes the day a tier is crossed; regulatory.md §2.6 "timestamp when a tier is crossed",
[U] re-papering; model-format.md access ``period``).

``nj`` (Nanjing) sends 60,000 shoppers to a Singapore partner all year; from 2026-05-01 its
Indian processor may read the HR database (50,000 staff). By hand: N = 110,000 from 2026-05-01
→ standard contract or certification for both; ``to-sg`` ran before that day → PIPL-U-REPAPER;
the access grant gets PIPL-U-REMOTE-COUNT (without it, 60,000 → exempt) and the entrustment
agreement (Art. 21)."""

from __future__ import annotations

from .helpers import assessment, check, exporter_row, finding_ids, warning_codes

NAME = "access-period"


def test_tier_crossed_when_the_access_starts() -> None:
    _rc, doc = check(NAME, "--area", "CN")
    row = exporter_row(doc, "nj")
    assert (row["ordinary"], row["tier"], row["tier_crossed_on"]) == (
        110_000, "standard-contract", "2026-05-01")
    sg = assessment(doc, "CN/nj/to-sg", "pipl")
    assert sg["required"] == ["pipl.standard-contract", "pipl.certification"]
    assert "PIPL-U-REPAPER" in warning_codes(sg)
    hr = assessment(doc, "CN/nj/hr-helpdesk", "pipl")
    assert "PIPL-U-REMOTE-COUNT" in warning_codes(hr)
    assert "PIPL-U-REPAPER" not in warning_codes(hr)
    assert "pipl.entrustment-agreement" in {d["id"] for d in hr["duties"]}
    assert "PIPL207/nj" in finding_ids(doc)
