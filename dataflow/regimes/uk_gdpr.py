"""UK GDPR international transfers (regulatory.md §3.7): adequacy regulations ("data bridges"),
the IDTA and the UK Addendum to the EU SCCs, a transfer risk assessment, and the Data (Use and
Access) Act 2025 "data protection test" (transfer provisions commenced 5 Feb 2026).

Same decision steps as ``gdpr.py`` (area UK). Choices documented in docs/regimes.md:

* the transfer risk assessment reuses the duty id ``gdpr.tia`` (one declared TIA/TRA document
  for the exporter and recipient satisfies both the EU and the UK assessment); where the exporter
  declares it as ``uk-gdpr.tra`` for the recipient, the duty takes that id instead;
* the UK Extension to the DPF is read from the same ``dpf`` entity field: the model cannot say
  whether the organisation also joined the UK Extension, so relying on it is a [U] warning;
* UK BCRs (Art. 47, ``uk-gdpr.bcr``) are offered inside a corporate group (shared ``parent``
  chain), as ``gdpr.py`` does for ``gdpr.bcr``; a declared UK Art. 49 exception
  (``uk-gdpr.derogation``) is accepted for an occasional transfer only, never for a systematic
  one, and not for public authorities under (a)-(c) or the second subparagraph (Art. 49(3)).
  An exception alone needs no TRA and no data protection test (both belong to Art. 46 tools).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..resolve import ResolvedModel
from ..transfers import Analysis, Transfer
from . import gdpr
from .base import (
    Assessment,
    CheckOptions,
    DutyReq,
    Finding,
    FindingCode,
    RegimeResult,
    Step,
    Warning_,
    cite,
    transfers_for,
)

REGIME = "uk-gdpr"
AREA = "UK"
AS_OF = gdpr.AS_OF
DUAA_COMMENCED = dt.date(2026, 2, 5)
IDTA_IN_FORCE = dt.date(2022, 3, 21)


_c = cite


UKGDPR = "UK GDPR"
DUAA = "Data (Use and Access) Act 2025 (c. 18)"
IDTA = ("ICO International Data Transfer Agreement and International Data Transfer Addendum to "
        "the EU SCCs (DPA 2018 s.119A; in force 21 Mar 2022)")

CIT_ART44 = _c(UKGDPR, "Art. 44")
CIT_ART44A = _c(UKGDPR, "Art. 44A (inserted by DUAA 2025 Sch. 7)", "V")
CIT_ART45 = _c(UKGDPR, "Art. 45; DPA 2018 s.17A, Sch. 21 paras 4-5")
CIT_ART45A = _c(UKGDPR, "Art. 45A 'transfers approved by regulations' (DUAA 2025 Sch. 7)", "V")
CIT_ART46 = _c(UKGDPR, "Art. 46(1), 46(2)(d)")
CIT_ART46_TEST = _c(UKGDPR, "Art. 46(1A) data protection test: 'not materially lower' (DUAA "
                    "2025 Sch. 7, commenced 5 Feb 2026)", "V")
CIT_DUAA = _c(DUAA, "Sch. 7 (commenced 5 Feb 2026; ICO guidance updated 15 Jan 2026)", "V")
CIT_IDTA = _c(IDTA, "IDTA Part 1 tables; Addendum Part 1 tables (EU SCC module)")
CIT_TRA = _c("ICO guidance on international transfers", "transfer risk assessment (TRA) tool")
CIT_UK_EXT = _c("The Data Protection (Adequacy) (United States of America) Regulations 2023",
                "UK Extension to the EU-US DPF, in force 12 Oct 2023")
CIT_ART28 = _c(UKGDPR, "Art. 28(3)-(4)")
CIT_ART47 = _c(UKGDPR, "Art. 47 (binding corporate rules approved by the ICO)")
CIT_ART49 = _c(UKGDPR, "Art. 49(1) (exceptions for specific situations)")
CIT_ART49_3 = _c(UKGDPR, "Art. 49(3)")
CIT_EXCEPTIONS = _c("ICO guidance on international transfers", "exceptions (Art. 49): for "
                    "occasional transfers, not regular or routine ones")

FINDING_CODES: dict[str, FindingCode] = {c.code: c for c in [
    *gdpr.generic_codes("UKGDPR", "UK GDPR", "uk-gdpr.adequacy, uk-gdpr.idta, uk-gdpr.addendum, "
                        "uk-gdpr.bcr, uk-gdpr.derogation", CIT_ART46, CIT_IDTA, CIT_TRA),
    FindingCode("UKGDPR200", "error", "Art. 49 exception claimed for a systematic transfer",
                "The UK GDPR exceptions are for occasional transfers; a continuous, daily or "
                "year-round transfer cannot rest on Art. 49.", "Use the IDTA or the Addendum "
                "(or UK BCRs inside a group) with a TRA.", CIT_EXCEPTIONS),
    FindingCode("UKGDPR209", "error", "Exception not available to a public authority",
                "Art. 49(1)(a)-(c) and the compelling-legitimate-interests exception are not "
                "available to public authorities exercising their public powers (Art. 49(3)).",
                "Use an Art. 46 safeguard (the IDTA or the Addendum).", CIT_ART49_3),
    FindingCode("UKGDPR201", "warning", "UK Extension to the DPF assumed",
                "The US importer has an active DPF certification; the model's `dpf` field does "
                "not say whether it also joined the UK Extension, which the UK-US data bridge "
                "requires. The UK Extension also depends on the EU-US DPF, whose appeal "
                "(C-703/25 P) is pending.", "Check the importer's listing for the UK Extension; "
                "otherwise sign the IDTA or the Addendum and do a TRA.", CIT_UK_EXT),
    FindingCode("UKGDPR202", "info", "Data protection test (DUAA 2025)",
                "Since 5 Feb 2026, a transfer under appropriate safeguards needs the exporter to "
                "reasonably conclude that the protection after the transfer is not materially "
                "lower than under UK law (Art. 46(1A)).", "Record the conclusion in the TRA.",
                CIT_ART46_TEST),
    FindingCode("UKGDPR204", "warning", "UK adequacy regulations not in force on the evaluation "
                "date", "The destination's UK adequacy regulations apply only from a later "
                "date.", "Use the IDTA or the Addendum until then.", CIT_ART45),
    FindingCode("UKGDPR205", "info", "Not a restricted transfer",
                "The edge leaves the UK but is not a restricted transfer (collection directly "
                "from data subjects; the same entity's own staff or systems abroad).",
                "Nothing under Chapter V.", gdpr.CIT_0521),
    FindingCode("UKGDPR206", "warning", "Possible transfer (location unknown)",
                "The recipient's location is `unknown`: treated as a restricted transfer "
                "without adequacy.", "Find out where it runs.", CIT_ART44),
    FindingCode("UKGDPR207", "warning", "UK GDPR interpretation point",
                "A [U] point decides this outcome; the warning states the alternative.",
                "Review the warning with counsel.", CIT_DUAA),
    FindingCode("UKGDPR211", "error", "Addendum module does not match the parties' roles",
                "A declared uk-gdpr.addendum safeguard states an EU SCC module that does not "
                "fit the sender's and recipient's roles (1 C2C, 2 C2P, 3 P2P, 4 P2C).",
                "Attach the Addendum to the module the assessment names.", CIT_IDTA),
    FindingCode("UKGDPR208", "warning", "DPF certification does not cover this transfer",
                "The US importer has no active DPF certification, or HR data goes to an "
                "organisation not certified for HR data.", "Use the IDTA or the Addendum "
                "with a TRA.", CIT_UK_EXT),
]}


def _duaa(model: ResolvedModel) -> bool:
    return model.evaluation_date >= DUAA_COMMENCED


def assess(model: ResolvedModel, analysis: Analysis, options: CheckOptions) -> RegimeResult:
    result = RegimeResult()
    for t in sorted(transfers_for(analysis, AREA), key=lambda x: x.id):
        result.assessments.append(_assess(model, t, options, result))
    result.findings.extend(gdpr.not_transfer_findings(model, analysis, AREA, "UKGDPR", REGIME,
                                                      gdpr.CIT_0521))
    return result


def _adequacy(model: ResolvedModel, j: str, recipient: str, hr: list[str]) -> gdpr.Adequacy:
    cat = model.catalogue
    if j != "unknown" and j not in cat.uk_adequacy and cat.in_area(j, "EEA"):
        return gdpr.Adequacy(j, True, "EEA state: recognised as adequate (DPA 2018 Sch. 21 "
                             "para 5)", {"basis": "DPA 2018 Sch. 21 para 5", "scope": "general"})
    return gdpr.check_adequacy(model, cat.uk_adequacy, j, recipient, hr, "UK")


def _assess(model: ResolvedModel, t: Transfer, options: CheckOptions,
            result: RegimeResult) -> Assessment:
    duaa = _duaa(model)
    a = Assessment(transfer=t, regime=REGIME, required=[],
                   basis=[CIT_ART44A if duaa else CIT_ART44])
    tr = a.trace
    tr.append(gdpr._scope_step(model, t, AREA))
    tr.append(Step("0. regime in force", "DUAA 2025 transfer rules" if duaa else
                   "UK GDPR Arts 44-49 (before the DUAA 2025 changes)",
                   ("Arts 44A-46 as replaced by the Data (Use and Access) Act 2025 Sch. 7, "
                    "commenced 5 Feb 2026: transfers approved by regulations, or under "
                    "safeguards meeting the data protection test ('not materially lower')")
                   if duaa else f"evaluation date {model.evaluation_date.isoformat()} is before "
                   "5 Feb 2026, when the DUAA 2025 transfer provisions commenced"))
    if not gdpr.personal_tokens(model, t):
        a.required = ["none"]
        a.status = "not-required"
        a.self_executing = True
        a.exemption = "not-personal-data"
        tr.append(Step("1. personal data", "none", "only non-personal or anonymised data"))
        return a
    special = gdpr.special_categories(model, t)
    tr.append(Step("1. personal data", "yes", f"special categories: "
                   f"{', '.join(special) or 'none'}"))
    parties = gdpr.scc_parties(model, t)
    module = parties.module  # whom the sender acts for, not its role alone
    group = (gdpr.same_group(model, t.sender, t.recipient)
             or gdpr.same_group(model, t.exporter, t.recipient))
    nat = gdpr.not_a_transfer(model, t, AREA)
    if nat is not None:
        res, detail, alt = nat
        a.required = ["none"]
        a.status = "not-required"
        a.self_executing = True
        a.exemption = "not-a-transfer"
        a.basis = [gdpr.CIT_0521]
        tr.append(Step("2. restricted transfer?", f"no: {res}", detail))
        if alt:
            a.warnings.append(Warning_("UKGDPR-U-STAFF-ABROAD", detail, f"{alt}: uk-gdpr.idta "
                                       "or uk-gdpr.addendum + gdpr.tia", gdpr.CIT_0521))
            result.findings.append(Finding(
                "UKGDPR207", "warning", f"{t.id}: {t.recipient} is established in the UK and "
                "reaches the data from abroad; treated as no restricted transfer [U]",
                gdpr.CIT_0521, transfer=t.id, path=gdpr.finding_path(model, t), regime=REGIME))
        else:
            result.findings.append(Finding(
                "UKGDPR205", "info", f"{t.id}: not a restricted transfer — {detail}",
                gdpr.CIT_0521, transfer=t.id, path=gdpr.finding_path(model, t), regime=REGIME))
        return a
    # the disclosing party is the Addendum's data exporter (a Module 3/4 processor itself)
    tr.append(Step("2. restricted transfer?", "yes", f"{parties.data_exporter} makes personal data "
                   f"available to {t.recipient} outside the UK "
                   f"({', '.join(gdpr.outside(model, t, AREA))})"))
    if t.possible:
        result.findings.append(Finding(
            "UKGDPR206", "warning", f"{t.id}: the recipient's location is unknown; treated as a "
            "restricted transfer without adequacy", CIT_ART44, transfer=t.id,
            path=gdpr.finding_path(model, t), regime=REGIME))
    hr = gdpr.hr_reasons(model, t)
    checks = [_adequacy(model, j, t.recipient, hr) for j in gdpr.outside(model, t, AREA)]
    for ad in checks:
        tr.append(Step(f"3. adequacy regulations ({ad.jurisdiction})",
                       "adequate" if ad.adequate else "not adequate", ad.reason))
        if ad.problem in ("dpf", "dpf-hr"):
            result.findings.append(Finding(
                "UKGDPR208", "warning", f"{t.id}: {ad.reason}", CIT_UK_EXT, transfer=t.id,
                path=gdpr.finding_path(model, t), regime=REGIME))
        if ad.problem in ("not-yet", "expired"):
            result.findings.append(Finding(
                "UKGDPR204", "warning", f"{t.id}: {ad.reason}", CIT_ART45, transfer=t.id,
                path=gdpr.finding_path(model, t), regime=REGIME))
    if checks and all(ad.adequate for ad in checks):
        a.required = ["uk-gdpr.adequacy"]
        a.self_executing = True
        a.status = "ok"
        a.basis = [CIT_ART45A if duaa else CIT_ART45]
        decisions = []
        for ad in checks:
            e = ad.entry or {}
            decisions.append({k: v for k, v in {
                "jurisdiction": ad.jurisdiction, "basis": e.get("basis") or e.get("decision"),
                "in_force": e.get("in_force"), "scope": e.get("scope"),
                "confidence": e.get("confidence"), "dpf_uk_extension": ad.dpf or None}.items()
                if v is not None})
        a.mechanism_details = {"uk-gdpr.adequacy": {"regulations": decisions}}
        tr.append(Step("4. mechanism", "uk-gdpr.adequacy", "UK adequacy regulations ('data "
                       "bridges')" + ("; under Art. 45A the Secretary of State applied the data "
                                      "protection test when making them" if duaa else "")))
        if any(ad.dpf for ad in checks):
            a.basis.append(CIT_UK_EXT)
            alt = (f"uk-gdpr.idta or uk-gdpr.addendum (EU SCC module {module}) + gdpr.tia"
                   + (", or uk-gdpr.bcr inside the group" if group else ""))
            a.warnings.append(Warning_(
                "UKGDPR-U-DPF-UK-EXTENSION", "the UK-US data bridge covers only DPF "
                "organisations that joined the UK Extension; the model's `dpf` field does not "
                "record that, so it is assumed from status: active [U] (and the EU-US DPF it "
                "extends is under appeal, C-703/25 P)", f"if the importer has not joined the UK "
                f"Extension, or the DPF falls: {alt}", CIT_UK_EXT))
            result.findings.append(Finding(
                "UKGDPR201", "warning", f"{t.id}: relies on the UK Extension to the DPF for "
                f"{model.entity_name(t.recipient)} (assumed from dpf.status: active) [U]; "
                f"otherwise: {alt}", CIT_UK_EXT, transfer=t.id, path=gdpr.finding_path(model, t),
                regime=REGIME))
    else:
        _safeguards(model, a, t, module, group, special, duaa, result)
    if gdpr.is_processor_role(t.recipient_role):
        a.duties.append(DutyReq("gdpr.dpa", CIT_ART28, f"Art. 28 contract with the processor "
                                f"{t.recipient} (UK GDPR; dataflow reuses the gdpr.dpa duty id)",
                                party=t.recipient))
    hops = [(e, s, j) for e, s, j in t.onward if e != t.recipient
            or j not in t.recipient_jurisdictions]
    tr.append(Step("8. onward", f"{len(hops)} onward hop(s)" if hops else "none",
                   ", ".join(f"{e} ({s}, {j})" for e, s, j in hops) +
                   (": the IDTA (Part 2 / Mandatory Clauses) or the Addendum's SCC onward "
                    "clause governs them" if hops else "")))
    return a


def tra_duty_id(model: ResolvedModel, t: Transfer) -> str:
    """The TRA's duty id: ``uk-gdpr.tra`` where the exporter or the sender that signs the
    Addendum declares one under that id for the recipient (the same matching as check.py's duty
    comparison), else ``gdpr.tia`` (one TIA/TRA document serves the EU and the UK assessment)."""
    for d in model.duties.values():
        if d.duty == "uk-gdpr.tra" and d.exporter in (t.exporter, t.sender) and (
                not d.recipients or t.recipient in d.recipients):
            return "uk-gdpr.tra"
    return "gdpr.tia"


def _safeguards(model: ResolvedModel, a: Assessment, t: Transfer, module: int, group: bool,
                special: list[str], duaa: bool, result: RegimeResult) -> None:
    tr = a.trace
    code, label = gdpr.MODULES[module]
    a.required = ["uk-gdpr.idta", "uk-gdpr.addendum"]
    a.basis = [CIT_ART46_TEST if duaa else CIT_ART46, CIT_IDTA]
    common: dict[str, Any] = {"exporter": t.sender, "exporter_role": t.sender_role,
                              "importer": t.recipient, "importer_role": t.recipient_role,
                              "in_force": IDTA_IN_FORCE.isoformat()}
    if special:
        common["special_categories"] = special
    a.mechanism_details = {
        "uk-gdpr.idta": dict(common),
        "uk-gdpr.addendum": {**common, "eu_scc_module": module, "eu_scc_module_code": code},
    }
    tr.append(Step("4. Art. 46", "uk-gdpr.idta or uk-gdpr.addendum", f"no UK adequacy "
                   f"regulations: the IDTA, or the Addendum to the EU SCCs (module {module}, "
                   f"{label}); legacy EU-SCC contracts were valid only until 21 Mar 2024"))
    for sid in gdpr.claimed(model, t, "uk-gdpr.addendum"):
        if model.safeguards[sid].module not in (None, module):
            result.findings.append(Finding(
                "UKGDPR211", "error", f"{t.id}: safeguard '{sid}' attaches the Addendum to EU "
                f"SCC module {model.safeguards[sid].module}, but the roles ({t.sender_role} to "
                f"{t.recipient_role}) call for module {module} ({code})", CIT_IDTA,
                transfer=t.id, object_id=sid, path=gdpr.finding_path(model, t), regime=REGIME))
    eu_scc = gdpr.claimed(model, t, "gdpr.scc")
    if eu_scc:
        tr.append(Step("4. EU SCCs", "not enough on their own", f"{', '.join(eu_scc)}: EU SCCs "
                       "alone covered UK transfers only until 21 Mar 2024; attach the UK "
                       "Addendum (declare uk-gdpr.addendum)"))
    eu_only = [sid for sid in gdpr.declared_with_prefix(model, t, "gdpr.")
               if model.safeguards[sid].mechanism in ("gdpr.bcr", "gdpr.derogation")]
    if eu_only:
        tr.append(Step("4. other tools", "not counted", f"{', '.join(eu_only)} are EU mechanisms; "
                       "for the UK declare uk-gdpr.bcr (BCRs approved under UK GDPR Art. 47) or "
                       "uk-gdpr.derogation (a UK Art. 49 exception)"))
    # Art. 47: UK BCRs inside a corporate group
    if group:
        a.required.append("uk-gdpr.bcr")
        a.basis.append(CIT_ART47)
        root = gdpr.group_root(model, t.recipient)
        a.mechanism_details["uk-gdpr.bcr"] = {"group": root, "article": "Art. 47",
                                              "approval": "Information Commissioner's Office"}
        tr.append(Step("4. Art. 47", "uk-gdpr.bcr available", f"{t.recipient} belongs to the "
                       f"same group as the exporter (parent chain up to {root})"))
    elif gdpr.claimed(model, t, "uk-gdpr.bcr"):
        tr.append(Step("4. Art. 47", "uk-gdpr.bcr not available", f"{t.recipient} is not in the "
                       "exporter's group (no shared `parent` chain)"))
    derog_ok = _exception(model, a, t, module, result)
    art46 = [sid for sid in gdpr.declared_with_prefix(model, t, "uk-gdpr.")
             if model.safeguards[sid].mechanism in ("uk-gdpr.idta", "uk-gdpr.addendum",
                                                    "uk-gdpr.bcr")]
    if derog_ok and not art46:
        tr.append(Step("6. TRA", "not required", "the transfer relies on an Art. 49 exception "
                       "only: no Art. 46 tool, so no TRA and no data protection test"))
        a.status = "gap"
        return
    tra = tra_duty_id(model, t)
    a.duties.append(DutyReq(
        tra, CIT_ART46_TEST if duaa else CIT_TRA,
        "transfer risk assessment (ICO TRA tool)" + ("; record that the data protection test "
                                                     "is met ('not materially lower')"
                                                     if duaa else "")
        + ("; dataflow reuses the gdpr.tia duty id (uk-gdpr.tra is accepted too)"
           if tra == "gdpr.tia" else ""), party=t.recipient))
    if duaa:
        tr.append(Step("5. data protection test", "applies", "Art. 46(1A): the exporter, acting "
                       "reasonably and proportionately, must consider that the standard of "
                       "protection after the transfer is not materially lower (DUAA 2025)"))
        result.findings.append(Finding(
            "UKGDPR202", "info", f"{t.id}: the DUAA 2025 data protection test applies (transfer "
            "provisions commenced 5 Feb 2026): record in the TRA that protection is not "
            "materially lower", CIT_ART46_TEST, transfer=t.id, path=gdpr.finding_path(model, t),
            regime=REGIME))
    a.status = "gap"


def _exception(model: ResolvedModel, a: Assessment, t: Transfer, module: int,
               result: RegimeResult) -> bool:
    """Art. 49: a declared ``uk-gdpr.derogation``, accepted for an occasional transfer only.
    True when it is accepted."""
    tr = a.trace
    derog = gdpr.claimed(model, t, "uk-gdpr.derogation")
    if not derog:
        tr.append(Step("5. Art. 49", "not claimed", "exceptions are used only when a safeguard "
                       "with mechanism uk-gdpr.derogation is declared"))
        return False
    path = gdpr.finding_path(model, t)
    alt = f"uk-gdpr.idta or uk-gdpr.addendum (EU SCC module {module}) with a TRA"
    why = gdpr.systematic(model, t)
    exp = model.entities.get(t.exporter)
    letters = {sid: gdpr._derogation_ground(model.safeguards[sid].reference) for sid in derog}
    if why:
        tr.append(Step("5. Art. 49", "exception rejected", f"claimed by {', '.join(derog)}, but "
                       f"the transfer is systematic: {why} (exceptions are for occasional "
                       "transfers)"))
        for sid in derog:
            result.findings.append(Finding(
                "UKGDPR200", "error", f"{t.id}: safeguard '{sid}' claims a UK GDPR Art. 49 "
                f"exception, but the transfer is systematic ({why}); use {alt}", CIT_EXCEPTIONS,
                transfer=t.id, object_id=sid, path=path, regime=REGIME, hint=f"declare {alt}"))
        return False
    if gdpr.refuse_public_authority(model, t, exp, letters, a, result, "UKGDPR209", "exception",
                                    REGIME, CIT_ART49_3):
        return False
    a.required.append("uk-gdpr.derogation")
    a.basis.append(CIT_ART49)
    grounds = sorted({g for g in letters.values() if g})
    a.mechanism_details["uk-gdpr.derogation"] = {
        "grounds": grounds or ["not stated (put e.g. 'Art. 49(1)(b)' in the safeguard's "
                               "reference)"],
        "occasional": True}
    tr.append(Step("5. Art. 49", "exception acceptable", f"claimed by {', '.join(derog)} "
                   f"({', '.join(grounds) or 'ground not stated'}); the transfer is occasional "
                   "(not continuous, daily or year-round)"))
    if "second-subparagraph" in grounds:
        a.duties.append(DutyReq(
            "gdpr.ropa-entry", _c(UKGDPR, "Art. 49(1) second subparagraph, Art. 30(1)(e)"),
            "compelling legitimate interests: document the assessment and the suitable "
            "safeguards in the record of processing; inform the ICO and the data subjects "
            "(dataflow reuses the gdpr.ropa-entry duty id)"))
        a.filing = {"mechanism": "uk-gdpr.derogation",
                    "authority": "Information Commissioner's Office",
                    "rule": "inform the Information Commissioner of the transfer (Art. 49(1) "
                    "second subparagraph)",
                    "citation": "UK GDPR Art. 49(1) second subparagraph"}
    return True
