"""Catalogue overlays and catalogue-backed locations (docs/model-format.md 'Locations',
'catalogue', 'systems' `genai`; DF302, DF309, DF310, DF311; 'Diagnostic codes').

`catalogue-overlays`: a private-cloud region added under `catalogue.regions` and used as a
location, OpenAI and DeepSeek named as catalogue AI providers, a system on `huawei:eu-west-0`
(a region the catalogue tags U) with a `city` overlaid without `confidence` (the U tag stays:
DF310), and a system at `unknown` (DF302, a possible transfer). `catalogue-verified` states
`confidence: V` with its source instead: no DF310. `catalogue-mistakes` holds four invalid
overlays (an unknown field on an existing region, a new region without `name`, a new provider
without `jurisdiction`, a new jurisdiction without `name_en`) next to a valid new region used by
a system, and one unknown system key. `catalogue-unknown-section` an unknown section next to an
unknown field."""

from __future__ import annotations

from .helpers import cli, scenario, transfers


def _diags(name: str) -> tuple[int, list[dict]]:
    out = cli("validate", scenario(name), "--format", "json")
    assert "Traceback" not in out.stderr
    return out.rc, out.json()["diagnostics"]


def _where(name: str) -> list[tuple[str, int, int]]:
    return [(d["code"], d["line"], d["col"]) for d in _diags(name)[1]]


def test_valid_overlays_and_the_u_tag_that_stays() -> None:
    rc, diags = _diags("catalogue-overlays")
    assert rc == 0
    assert [(d["code"], d["severity"], d["line"], d["col"]) for d in diags] == [
        ("DF310", "warning", 16, 30),        # paris on huawei:eu-west-0
        ("DF310", "warning", 17, 28),        # lyon on huawei:eu-west-0
        ("DF302", "warning", 18, 32),        # mystery at `unknown`
    ]


def test_confidence_v_with_its_source_clears_df310() -> None:
    rc, diags = _diags("catalogue-verified")
    assert rc == 0
    assert [d["code"] for d in diags] == ["DF302"]


def test_overlaid_region_resolves_and_overlays_are_listed() -> None:
    doc = transfers("catalogue-overlays")
    # app on the overlaid acme-cloud:cn-east-1 is in CN: to-paris leaves for FR
    assert [(t["id"], t["recipient"]["jurisdiction"]) for t in doc["transfers"]] == \
        [("CN/acme/to-paris", "FR")]
    assert [(t["id"], t["flags"]) for t in doc["possible_transfers"]] == \
        [("CN/acme/to-mystery", ["possible"])]
    assert doc["catalogue_overlays"] == ["regions:acme-cloud:cn-east-1",
                                         "regions:huawei:eu-west-0"]


def test_stale_catalogue_warns_df309() -> None:
    out = cli("validate", scenario("catalogue-verified"), "--as-of", "2028-01-01",
              "--format", "json")
    assert out.rc == 0
    assert "DF309" in [d["code"] for d in out.json()["diagnostics"]]


def test_catalogue_mistakes_exit_2_and_the_system_key_is_reported() -> None:
    rc, _ = _diags("catalogue-mistakes")
    assert rc == 2
    assert ("DF200", 7, 72) in _where("catalogue-mistakes")


def test_every_invalid_overlay_is_reported() -> None:
    msgs = [d["message"] for d in _diags("catalogue-mistakes")[1] if d["code"] == "DF203"]
    for part in ("aws:us-east-1", "colour", "mini:cn-1", "mybot", "XK"):
        assert any(part in m for m in msgs), (part, msgs)


def test_overlay_mistake_is_positioned_at_its_entry() -> None:
    xk = [d for d in _diags("catalogue-mistakes")[1] if d["code"] == "DF203"
          and "XK" in d["message"]]
    assert [(d["line"], d["col"]) for d in xk] == [(16, 5)]


def test_valid_overlay_entry_is_kept_beside_invalid_ones() -> None:
    assert not [w for w in _where("catalogue-mistakes") if w[0] == "DF301"]


def test_unknown_section_does_not_hide_the_invalid_field() -> None:
    rc, diags = _diags("catalogue-unknown-section")
    assert rc == 2
    codes = [(d["code"], d["line"]) for d in diags]
    assert ("DF200", 7) in codes
    assert any(d["code"] == "DF203" and "colour" in d["message"] for d in diags), codes
