"""The PIPL instruments' own start dates, on the pipl-edges model with `--as-of` (regulatory.md
§2.1 instrument table; §2.5 'What changed versus 2022/2023'; docs/cli.md `--as-of`). GDPR, UK
GDPR, the US rules and the other regimes all honour their start dates (test_dated_regimes.py);
the PIPL rules should too:

- the 2024 Provisions (CAC Order No. 16) are in force from 22 Mar 2024: the Art. 5(4) exemption
  for fewer than 100,000 people exists from that day, not before (the 2022 SA Measures and 2023
  SCC Measures had no volume exemption);
- the Certification Measures (CAC/SAMR Order No. 20) were published 17 Oct 2025 and are in force
  from 1 Jan 2026: an assessment dated 1 Oct 2025 cannot cite them (the route itself existed
  under PIPL Art. 38(1)(2) and the 2022 implementation rules)."""

from __future__ import annotations

import pytest

from .helpers import assessment, check

NAME = "pipl-edges"


def _check(as_of: str) -> dict:
    _rc, doc = check(NAME, "--area", "CN", "--as-of", as_of)
    return doc


def test_art_5_4_exempts_99999_from_the_day_the_provisions_took_effect() -> None:
    a = assessment(_check("2024-03-22"), "CN/twshop/to-taiwan", "pipl")
    assert (a["required"], a["exemption"]) == (["pipl.exempt"], "art5-4")


def test_no_art_5_4_exemption_before_22_march_2024() -> None:
    a = assessment(_check("2024-03-21"), "CN/twshop/to-taiwan", "pipl")
    assert a["required"] != ["pipl.exempt"]
    assert not any("Order No. 16" in c["instrument"] for c in a["citations"])


def test_certification_measures_cited_once_in_force() -> None:
    a = assessment(_check("2026-01-01"), "CN/certco/cert-out", "pipl")
    assert any("Order No. 20" in c["instrument"] for c in a["citations"])


def test_certification_measures_not_cited_before_they_exist() -> None:
    a = assessment(_check("2025-10-01"), "CN/certco/cert-out", "pipl")
    assert "pipl.certification" in a["required"]
    assert not any("Order No. 20" in c["instrument"] for c in a["citations"])


@pytest.mark.parametrize(("as_of", "code"), [
    ("2026-11-16", "PIPL103"),   # issued 2023-11-16: the 3 years run through the anniversary
    ("2026-11-17", "PIPL102"),
])
def test_security_assessment_three_year_validity_boundary(as_of: str, code: str) -> None:
    doc = _check(as_of)
    assert f"{code}/CN/saco/sa-out" in {f["id"] for f in doc["findings"]}
