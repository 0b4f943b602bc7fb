"""Papers of a Module 3 transfer declared by the processor that signs them (docs/regimes.md
"Matching": a safeguard covers a transfer when its exporter is the transfer's exporter *or its
sender* — for SCC modules 3 and 4 the clauses are signed by the processor that sends;
regulatory.md §3.3 Clause 14 (the data exporter's local-law assessment), §3.5 TIA; GDPR Art. 28(4)
sub-processing contract between the processor and its sub-processor).

Isar (DE, controller) hosts 30,000 users' e-mails with Cork Hosting (IE, processor), which backs
them up with its own sub-processor US Vault (no DPF). Cork Hosting declares the Module 3 SCCs,
the TIA and the Art. 28(4) contract (exporter: corkhost), as the papers are its own. By hand:
EEA/isar/backup needs gdpr.scc Module 3 (data exporter corkhost) + gdpr.tia + gdpr.dpa, all in
place: status ok, no GDPR110 and no CHK005 ("matches no duty")."""

from __future__ import annotations

from .helpers import assessment, check, finding_ids, run, scenario

NAME = "sender-papers"


def test_validate() -> None:
    assert run("validate", scenario(NAME)).rc == 0


def test_sccs_signed_by_the_processor_are_matched() -> None:
    _rc, doc = check(NAME)
    a = assessment(doc, "EEA/isar/backup", "gdpr")
    assert a["mechanism_details"]["gdpr.scc"]["module"] == 3
    assert a["mechanism_details"]["gdpr.scc"]["data_exporter"] == "corkhost"
    assert a["declared"] == ["scc-m3"]
    assert "GDPR100/EEA/isar/backup" not in finding_ids(doc)


def test_duties_declared_by_the_signing_processor_are_matched() -> None:
    rc, doc = check(NAME)
    ids = finding_ids(doc)
    assert not [i for i in ids if i.startswith(("GDPR110/", "CHK005/"))], ids
    assert assessment(doc, "EEA/isar/backup", "gdpr")["status"] == "ok"
    assert rc == 0
