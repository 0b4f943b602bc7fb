"""The interpretation warnings: each [U] reading of regulatory.md that can decide an outcome, with
the default dataflow takes and the other reading it shows beside it. `dataflow explain CODE`
prints these; the assessments carry the same code with the alternative computed on the model."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Interpretation:
    code: str
    regime: str
    point: str  # the unsettled question
    default: str  # what dataflow does
    alternative: str  # what the assessment shows beside it


_ITEMS = [
    # PIPL (regulatory.md §2.6, §7)
    Interpretation("PIPL-U-SA-SPLIT", "pipl", "Once an exporter reaches the security-assessment "
                   "tier, does the assessment cover all its exports of the year?",
                   "yes: every non-exempt PI export of the year needs it", "the split reading "
                   "(--split-sa): only what triggered it; the rest keeps its own tier"),
    Interpretation("PIPL-U-EXEMPT-COUNT", "pipl", "Do exempt transfers (Provisions Arts 3-6) "
                   "count toward the Art. 7/8 totals?", "no: they are left out of N and S",
                   "the tier if they were counted (--count-exempt)"),
    Interpretation("PIPL-U-DISTINCT", "pipl", "Is a person sent to two recipients counted once?",
                   "yes: distinct individuals across all recipients", "N and S summed per "
                   "recipient, and that tier"),
    Interpretation("PIPL-U-SENSITIVE-IN-N", "pipl", "Does a person whose sensitive PI is "
                   "exported also count in the ordinary total N?", "yes (conservative)",
                   "N over people with non-sensitive PI exported only, and that tier"),
    Interpretation("PIPL-U-REMOTE-COUNT", "pipl", "How are people counted whose PI a remote "
                   "accessor can reach but may never query?", "everyone reachable counts",
                   "the counts without the remote-access transfers (nothing queried)"),
    Interpretation("PIPL-U-DEVICES", "pipl", "How many people stand behind a cohort counted in "
                   "devices?", "none are added to N", "N as if each device were a person"),
    Interpretation("PIPL-U-REPAPER", "pipl", "Must exports made while exempt be papered once a "
                   "tier is crossed mid-year?", "no: the mechanism is needed for the continuing "
                   "transfer from the crossing day", "the earlier exports need it too"),
    Interpretation("PIPL-U-DIRECT-COLLECTION", "pipl", "Is PI that a processor in China collects "
                   "from its users' devices straight into a place abroad an export?",
                   "yes: SCC Filing Guideline form (i)", "collection abroad: no mechanism, but "
                   "PIPL Art. 3(2) applies"),
    Interpretation("PIPL-U-ART1259", "pipl", "Does a count exactly at a threshold reach it "
                   "(以上 includes the number, Civil Code Art. 1259, applied to the "
                   "Provisions)?", "yes: the tier of the threshold", "'more than': the tier "
                   "below"),
    Interpretation("PIPL-U-ART40", "pipl", "Does PIPL Art. 40 still require a processor "
                   "handling 1,000,000 individuals to localise and export only after a "
                   "security assessment?", "no: the Provisions' exported-volume tiers decide",
                   "a security assessment for its PI exports"),
    Interpretation("PIPL-U-CONSENT", "pipl", "Is separate consent dispensed with for an export "
                   "on a non-consent basis (Art. 13(1)(2)-(7))?", "yes (Art. 13 para. 2 "
                   "reading)", "separate consent for every export"),
    Interpretation("PIPL-U-GBA", "pipl", "Is the GBA standard contract open to a CIIO, or above "
                   "the security-assessment tiers?", "no", "the GBA contract could replace the "
                   "standard contract"),
    # GDPR and UK GDPR (§3)
    Interpretation("GDPR-U-STAFF-ABROAD", "gdpr", "Is access from abroad by staff of another "
                   "entity established in the EEA a transfer?", "no: no importer is in a third "
                   "country", "a transfer needing SCCs and a TIA"),
    Interpretation("GDPR-U-ART3-2", "gdpr", "Which SCCs fit an importer already subject to the "
                   "GDPR under Art. 3(2)?", "the 2021 SCCs", "the announced Art. 3(2) SCCs once "
                   "adopted"),
    Interpretation("GDPR-U-DPF-CHALLENGE", "gdpr", "Will the EU-US Data Privacy Framework "
                   "survive appeal C-703/25 P?", "yes: the adequacy decision applies",
                   "SCCs and a TIA if it is annulled"),
    Interpretation("UKGDPR-U-STAFF-ABROAD", "uk-gdpr", "Is access from abroad by staff of "
                   "another UK entity a restricted transfer?", "no", "the IDTA or Addendum and "
                   "a TRA"),
    Interpretation("UKGDPR-U-DPF-UK-EXTENSION", "uk-gdpr", "Has a DPF organisation joined the "
                   "UK Extension?", "assumed from an active DPF status", "the IDTA or Addendum "
                   "if it has not"),
    # US DOJ DSP and PADFA (§5)
    Interpretation("DOJ-U-COVERED", "us-doj-dsp", "Is the recipient a covered person?",
                   "yes, on the facts the model gives", "not a covered data transaction"),
    Interpretation("DOJ-U-TRANSACTION", "us-doj-dsp", "Which class of transaction is it?",
                   "a vendor agreement (restricted)", "prohibited data brokerage, or not covered"),
    Interpretation("DOJ-U-COMBINED", "us-doj-dsp", "Is combined data bulk when no class alone "
                   "exceeds its threshold?", "yes, past the lowest threshold of the classes "
                   "held", "below the thresholds: not covered"),
    Interpretation("DOJ-U-US-PERSON", "us-doj-dsp", "Does the rule bind this party?",
                   "only US persons", "covered if a US person engages in or directs it"),
    Interpretation("PADFA-U-CONTROL", "us-padfa", "Is the recipient controlled by a foreign "
                   "adversary?", "yes, on the facts the model gives", "not prohibited"),
    Interpretation("PADFA-U-HKMO", "us-padfa", "Are Hong Kong and Macao 'China' for PADFA?",
                   "yes", "not prohibited by PADFA (the DOJ rule still counts them)"),
    # other jurisdictions (§4)
    Interpretation("RU-U-ADEQUACY", "ru", "Is the destination on Roskomnadzor's adequate list?",
                   "not encoded: treated as non-adequate", "notification only"),
    Interpretation("SA-U-ADEQUACY", "sa", "Is the destination on SDAIA's adequacy list?",
                   "not encoded: safeguards required", "no safeguard"),
    Interpretation("SG-U-INTERMEDIARY", "sg", "Is the exporter subject to the PDPA for this "
                   "data?", "yes", "no transfer limitation obligation"),
    Interpretation("IN-U-WHITELIST", "in", "Blacklist or whitelist model under the DPDP Rules?",
                   "blacklist (one contrary source treated as wrong)", "allowed only to "
                   "whitelisted countries"),
    Interpretation("ID-U-GR", "id", "What will Indonesia's implementing regulation require?",
                   "the PDP Law's text", "adequacy and safeguards as the regulation fixes them"),
    Interpretation("VN-U-DEADLINE", "vn", "When is the transfer impact dossier due?",
                   "60 days after the transfer starts (reported, not verified)", "before the "
                   "transfer"),
    Interpretation("VN-U-DECREE13", "vn", "Did Decree 13/2023 require a dossier before 2026?",
                   "yes", "prepare it under Decree 13/2023"),
    Interpretation("VN-U-EMPLOYEE-CLOUD", "vn", "Are employees' data on the group's cloud exempt "
                   "(Decree 356/2025)?", "yes", "a transfer impact dossier filed with the MPS"),
    Interpretation("VN-U-FOREIGN-DATA", "vn", "Does the PDPL reach data merely passing through "
                   "Vietnam?", "no", "a transfer impact dossier"),
]

INTERPRETATIONS: dict[str, Interpretation] = {i.code: i for i in _ITEMS}
