"""Russia (regulatory.md §5, Russia row): localisation under 152-FZ Art. 18(5) since 2015 (242-FZ),
tightened from 1 Jul 2025 by Law 23-FZ; cross-border transfer afterwards only per Art. 12 with
prior notification to Roskomnadzor *since 1 Mar 2023*. A Moscow shop sends customers' e-mails
to a German warehouse (Art. 12) and collects newsletter sign-ups straight into a CRM in Germany
(Art. 18(5), RU200). Evaluated with `--as-of` around both dates."""

from __future__ import annotations

import pytest

from .helpers import assessment, check, finding_ids, run, scenario, warning_codes

NAME = "ru-dates"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_notification_required_from_1_march_2023() -> None:
    _rc, doc = check(NAME, "--as-of", "2023-03-01")
    a = assessment(doc, "RU/ru-shop/to-de", "ru")
    assert a["required"] == ["ru.roskomnadzor-notification"]
    assert "RU-U-ADEQUACY" in warning_codes(a)
    assert "RU100/RU/ru-shop/to-de" in finding_ids(doc)


def test_no_notification_before_1_march_2023() -> None:
    _rc, doc = check(NAME, "--as-of", "2023-02-28")
    a = assessment(doc, "RU/ru-shop/to-de", "ru")
    assert a["required"] != ["ru.roskomnadzor-notification"]
    assert "RU100/RU/ru-shop/to-de" not in finding_ids(doc)


@pytest.mark.parametrize(("as_of", "law"), [("2025-06-30", "242-FZ"), ("2025-07-01", "23-FZ")])
def test_localisation_cites_the_law_in_force(as_of: str, law: str) -> None:
    _rc, doc = check(NAME, "--as-of", as_of)
    f = next(f for f in doc["findings"] if f["id"] == "RU200/signup")
    assert f["severity"] == "error"
    assert "Art. 18(5)" in f["citation"] and law in f["citation"]
