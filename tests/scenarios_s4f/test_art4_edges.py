"""What loses PIPL Art. 4 (regulatory.md §2.5 Art. 4: no domestic PI *or important data*
introduced; §2.4 important data from a published catalogue; §2.6 steps 2, 4, 5; §2.3 Art. 28
sensitive PI: identity documents, GB/T 35273 Annex B).

Osaka Tours (controller) sends 150,000 Japanese tourists' names from Osaka to its Shanghai ground
handler (processor); on arrival their passport numbers are taken at a kiosk in Shanghai
(collected in China, although the tourists live in Japan); the handler writes port manifests
(catalogue important data, not personal). Art. 4 is claimed on all three returns to Osaka.
By hand:
* back-names: only the data received from Japan -> exempt (art4);
* back-ids: passport numbers collected in China -> domestic PI, claim rejected (PIPL202);
  S = 150,000 >= 10,000 -> security assessment (Provisions Art. 7);
* back-manifest: important data -> security assessment whatever the volume, never exempt
  (claim rejected: PIPL203);
* JP/osaka/bookings-in: APPI Art. 28 -> jp.consent-or-equivalent (JP100)."""

from __future__ import annotations

from .helpers import assessment, by_id, check, exporter_row, finding_ids, run, scenario, transfers

NAME = "art4-edges"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_transfers() -> None:
    ts = by_id(transfers(NAME))
    assert sorted(ts) == ["CN/osaka/back-ids", "CN/osaka/back-manifest", "CN/osaka/back-names",
                          "JP/osaka/bookings-in"]
    ids = ts["CN/osaka/back-ids"]
    assert (ids["individuals"]["ordinary"], ids["individuals"]["sensitive"]) == (150_000, 150_000)
    assert ids["provenance"]["domestic_added"] is True
    assert ts["CN/osaka/back-names"]["provenance"]["personal_collected_in_area"] is False


def test_outcomes() -> None:
    rc, doc = check(NAME)
    assert rc == 1
    req = {t: assessment(doc, t, "pipl")["required"] for t in
           ("CN/osaka/back-ids", "CN/osaka/back-manifest", "CN/osaka/back-names")}
    assert req == {"CN/osaka/back-ids": ["pipl.security-assessment"],
                   "CN/osaka/back-manifest": ["pipl.security-assessment"],
                   "CN/osaka/back-names": ["pipl.exempt"]}
    assert assessment(doc, "CN/osaka/back-names", "pipl")["exemption"] == "art4"
    ids = finding_ids(doc)
    assert "PIPL202/CN/osaka/back-ids" in ids
    assert "PIPL203/CN/osaka/back-manifest" in ids
    assert not any(i.startswith(("PIPL202/CN/osaka/back-names", "PIPL100/CN/osaka/back-names")) for i in ids)
    assert "JP100/JP/osaka/bookings-in" in ids
    row = exporter_row(doc, "osaka")
    assert (row["ordinary"], row["sensitive"], row["tier"], row["important_data_assessment"]) == (
        150_000, 150_000, "security-assessment", True)
