"""Flags with citations for the other rows of regulatory.md §5 (and §4 for Hong Kong).

One regime per jurisdiction, each over the transfers out of its own area. Per row, dataflow
decides whether the law asks for something the model can declare (then ``required`` names a
mechanism id ``<regime>.<name>`` and check.py's generic comparison looks for a safeguard with it)
or only informs (then the assessment is self-executing, status ``not-required``, with an info
finding):

========  ==============================  =========================================  ==========
regime    trigger                         asks                                       kind
========  ==============================  =========================================  ==========
``ru``    PD out of Russia; collection    ``ru.roskomnadzor-notification``; initial  requirement
          into a database abroad          collection into a Russian database (error)
``in``    PD out of India                 ``in.negative-list-check`` (no country is  informational
                                          notified); RBI payment data (warning)
``vn``    PD of people in Vietnam abroad  ``vn.ctia-dossier`` filed with MPS (A05)   requirement
``id``    PD out of Indonesia             ``id.art56-cascade``                       requirement
``sa``    PD out of Saudi Arabia          ``sa.scc`` / ``sa.binding-common-rules`` / requirement
                                          ``sa.accreditation-certificate`` + TRA
``sg``    PD out of Singapore             ``sg.tlo-safeguards``                      requirement
``jp``    PD to a third party abroad      ``jp.consent-or-equivalent`` (EEA/UK:      requirement
                                          ``jp.designated-country``, self-executing)
``kr``    PD out of Korea                 ``kr.art28-8-basis``                       requirement
``hk``    PD out of Hong Kong             nothing: PDPO s.33 not in force            informational
========  ==============================  =========================================  ==========

A [U] reading that decides an outcome (the status, an exemption, what is required, or a filing
deadline) is both an assessment warning ``<R>-U-...`` and a ``<R>207`` warning finding
(``_interpretation``), so it shows in every output: ``IN207``, ``VN207``, ``SA207``, ``SG207``.
``RU-U-ADEQUACY`` and ``ID-U-GR`` stay assessment warnings only: the notification, resp. the
cascade, is required under either reading.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from ..resolve import ResolvedModel
from ..transfers import Analysis, Transfer
from . import gdpr, us_doj
from .base import (
    Assessment,
    CheckOptions,
    Citation,
    DutyReq,
    Finding,
    FindingCode,
    RegimeResult,
    Step,
    Warning_,
    cite,
    transfers_for,
)

AS_OF = gdpr.AS_OF
REGIMES = ("ru", "in", "vn", "id", "sa", "sg", "jp", "kr", "hk")


_c = cite


# --- citations ---------------------------------------------------------------------------------
RU_LAW = "Federal Law No. 152-FZ 'On Personal Data' (Russia)"
CIT_RU_LOCAL = _c(RU_LAW, "Art. 18(5) as amended by Law 23-FZ of 28 Feb 2025 (from 1 Jul 2025: "
                  "databases outside Russia prohibited when collecting PD of Russian citizens; "
                  "applies to processors too)", "V")
CIT_RU_LOCAL_2015 = _c(RU_LAW, "Art. 18(5) (localisation since 1 Sep 2015, Law 242-FZ)", "V")
CIT_RU_XB = _c(RU_LAW, "Art. 12 (cross-border transfer: prior notification to Roskomnadzor since "
               "1 Mar 2023; adequate / non-adequate destinations)")
CIT_RU_FINES = _c("Federal Law No. 420-FZ (Russia)", "turnover-based fines from 30 May 2025")
IN_LAW = "Digital Personal Data Protection Act 2023 (India)"
CIT_IN16 = _c(IN_LAW, "s. 16 (transfer allowed except to countries notified by the Central "
              "Government)", "V")
CIT_IN_RULES = _c("Digital Personal Data Protection Rules 2025 (G.S.R. 846(E), 13 Nov 2025)",
                  "Rule 15; core duties 18 months after notification (~May 2027)", "V")
CIT_RBI = _c("Reserve Bank of India, Storage of Payment System Data (circular of 6 Apr 2018)",
             "payment system data stored only in India")
VN_LAW = "Law on Personal Data Protection No. 91/2025/QH15 (Vietnam)"
CIT_VN = _c(VN_LAW + " and Decree 356/2025/ND-CP", "cross-border transfer impact assessment "
            "dossier (Form 09) filed with the Ministry of Public Security (A05); in force 1 Jan "
            "2026", "V")
CIT_VN_DEADLINE = _c("Decree 356/2025/ND-CP (Vietnam)", "filing within 60 days of the first "
                     "transfer (reported)", "U")
CIT_VN53 = _c("Cybersecurity Law 2018 Art. 26; Decree 53/2022/ND-CP (Vietnam)", "domestic "
              "enterprises store specified data in Vietnam (>= 24 months)")
CIT_VN_DATA = _c("Law on Data 2024; Decree 165/2025/ND-CP (Vietnam)", "important and core data")
ID_LAW = "Law No. 27 of 2022 on Personal Data Protection (Indonesia)"
CIT_ID56 = _c(ID_LAW, "Art. 56 (full effect 17 Oct 2024): equal or higher protection -> "
              "adequate and binding safeguards -> consent", "V")
CIT_ID_GR = _c("Implementing Government Regulation and PDP Agency (Indonesia)",
               "pending in early 2026", "U")
SA_LAW = "Personal Data Protection Law (Saudi Arabia)"
CIT_SA29 = _c(SA_LAW + " Art. 29; Regulation on Personal Data Transfer outside the Kingdom "
              "(amended, published 1 Sep 2024)", "adequacy (SDAIA), else SCCs, Binding Common "
              "Rules or certificate of accreditation; enforcement from 14 Sep 2024", "V")
CIT_SA_TRA = _c("Regulation on Personal Data Transfer outside the Kingdom (Saudi Arabia)",
                "transfer risk assessment when relying on safeguards or transferring sensitive "
                "data continuously or at scale", "V")
CIT_SG26 = _c("Personal Data Protection Act 2012 (Singapore)", "s. 26 Transfer Limitation "
              "Obligation; PDP Regulations 2021 Part 3")
CIT_JP28 = _c("Act on the Protection of Personal Information (Japan)", "Art. 28 (provision to a "
              "third party in a foreign country)")
CIT_KR = _c("Personal Information Protection Act (Korea)", "Art. 28-8 (in force 15 Sep 2023); "
            "Art. 28-9 suspension orders")
CIT_HK = _c("Personal Data (Privacy) Ordinance (Cap. 486, Hong Kong)", "s. 33 never brought "
            "into force; DPP 2(3), 4(2) processor contracts", "V")


def _codes(prefix: str, name: str, mechs: str, cit: Citation,
           extra: list[FindingCode]) -> dict[str, FindingCode]:
    return {c.code: c for c in [*gdpr.generic_codes(prefix, name, mechs, cit, cit, cit), *extra]}


def _interpretation_code(prefix: str, name: str, points: str, cit: Citation) -> FindingCode:
    """``<prefix>207``: a [U] reading decides the outcome (regulatory.md §0)."""
    return FindingCode(f"{prefix}207", "warning", f"{name}: interpretation point",
                       f"A [U] point decides this outcome ({points}); the finding and the "
                       "assessment's warning state the alternative reading.",
                       "Review the warning with counsel.", cit)


RU_CODES = _codes("RU", "Russia", "ru.roskomnadzor-notification", CIT_RU_XB, [
    FindingCode("RU200", "error", "Russian citizens' data collected into a database abroad",
                "Personal data of Russian citizens must be recorded, systematised, accumulated, "
                "stored, clarified and retrieved using databases in Russia; since 1 Jul 2025 "
                "using databases outside Russia is prohibited (Art. 18(5), Law 23-FZ).",
                "Collect into a database in Russia first; transfer afterwards under Art. 12.",
                CIT_RU_LOCAL),
])
IN_CODES = _codes("IN", "India", "in.negative-list-check", CIT_IN16, [
    FindingCode("IN200", "info", "India: transfers allowed except to notified countries",
                "DPDP Act s.16 allows transfers except to countries the Central Government "
                "notifies; none is notified as far as the sources show. Rule 15 lets the Centre "
                "set requirements on making data available to foreign states.",
                "Re-check the notified list before relying on it.", CIT_IN16),
    FindingCode("IN201", "warning", "India: payment data localisation (RBI)",
                "Sectoral rules prevail over s.16; payment system data must be stored only in "
                "India (RBI 2018).", "Keep payment data in India; process abroad only as the "
                "RBI allows.", CIT_RBI),
    _interpretation_code("IN", "India", "the transfer is allowed because no country is "
                         "notified on the negative list; a contradicting source claims a "
                         "whitelist model", CIT_IN_RULES),
])
VN_CODES = _codes("VN", "Vietnam", "vn.ctia-dossier", CIT_VN, [
    FindingCode("VN201", "info", "Vietnam: data localisation for domestic enterprises",
                "Domestic enterprises must store specified data in Vietnam (Cybersecurity Law "
                "Art. 26, Decree 53/2022).", "Check which of your data is specified.", CIT_VN53),
    FindingCode("VN202", "warning", "Vietnam: important or core data",
                "Important and core data follow the Law on Data 2024 and Decree 165/2025.",
                "Check the export conditions for important/core data.", CIT_VN_DATA),
    _interpretation_code("VN", "Vietnam", "the employee-data-on-group-cloud exemption, data of "
                         "non-Vietnamese people only passing through, Decree 13/2023 before the "
                         "PDPL, or the reported 60-day filing deadline", CIT_VN),
])
ID_CODES = _codes("ID", "Indonesia", "id.art56-cascade", CIT_ID56, [])
SA_CODES = _codes("SA", "Saudi Arabia", "sa.scc, sa.binding-common-rules, "
                  "sa.accreditation-certificate", CIT_SA29, [
    _interpretation_code("SA", "Saudi Arabia", "SDAIA's adequacy list is not encoded, so "
                         "safeguards and a transfer risk assessment are required", CIT_SA29),
])
SG_CODES = _codes("SG", "Singapore", "sg.tlo-safeguards", CIT_SG26, [
    FindingCode("SG207", "warning", "Singapore: data intermediary passing foreign data on",
                "The data was collected outside Singapore and a data intermediary only passes "
                "it on; whether the organisation it acts for owes the Transfer Limitation "
                "Obligation for it is not settled [U].", "Review with counsel; the "
                "assessment's warning states the alternative.", CIT_SG26),
])
JP_CODES = _codes("JP", "Japan", "jp.consent-or-equivalent", CIT_JP28, [])
KR_CODES = _codes("KR", "Korea", "kr.art28-8-basis", CIT_KR, [])
HK_CODES = _codes("HK", "Hong Kong", "none", CIT_HK, [
    FindingCode("HK200", "info", "Hong Kong: no transfer mechanism",
                "PDPO s.33 (cross-border restriction) has never been brought into force; HK "
                "exports are governed by the data protection principles only (use limitation, "
                "security, processor contracts). The Mainland->HK leg is a PRC export, and for "
                "US rules HK is part of a country of concern.", "Nothing to file; keep "
                "processor contracts (DPP 2(3), 4(2)).", CIT_HK),
])
FINDING_CODES: dict[str, dict[str, FindingCode]] = {
    "ru": RU_CODES, "in": IN_CODES, "vn": VN_CODES, "id": ID_CODES, "sa": SA_CODES,
    "sg": SG_CODES, "jp": JP_CODES, "kr": KR_CODES, "hk": HK_CODES}


# --- shared -----------------------------------------------------------------------------------


def area_transfers(model: ResolvedModel, analysis: Analysis, area: str) -> list[Transfer]:
    """Transfers out of ``area``: from the analysis, or (with the default analysis, for Hong
    Kong, which the transfer analysis does not include) from the supplementary analysis."""
    if area in analysis.areas:
        return sorted(transfers_for(analysis, area), key=lambda x: x.id)
    more = us_doj.supplementary(model, analysis)
    if more is None or area not in more.areas:
        return []
    return sorted(transfers_for(more, area), key=lambda x: x.id)


def _start(model: ResolvedModel, t: Transfer, regime: str, area: str,
           basis: list[Citation]) -> Assessment | None:
    """Scope and personal-data steps; returns a finished assessment when nothing applies."""
    a = Assessment(transfer=t, regime=regime, required=[], basis=list(basis))
    a.trace.append(Step("0. scope", "exit edge", f"{t.exit_edge.kind} '{t.exit_edge.key}' "
                        f"takes data from {t.exit_edge.source} ({area}) to {t.recipient_node} "
                        f"({','.join(t.recipient_jurisdictions)}); exporter {t.exporter}, "
                        f"recipient {t.recipient} ({t.recipient_role})"))
    toks = gdpr.personal_tokens(model, t)
    if not toks:
        a.trace.append(Step("1. personal data", "none", "only non-personal or anonymised data"))
        return _info(a, "not-personal-data")
    a.trace.append(Step("1. personal data", "yes",
                        ", ".join(sorted({x.category for x in toks}))))
    return None


def _info(a: Assessment, why: str, required: str = "none") -> Assessment:
    a.required = [required]
    a.status = "not-required"
    a.self_executing = True
    a.exemption = why
    return a


def _run(model: ResolvedModel, analysis: Analysis, area: str,
         fn: Callable[[ResolvedModel, Transfer, RegimeResult], Assessment]) -> RegimeResult:
    result = RegimeResult()
    for t in area_transfers(model, analysis, area):
        result.assessments.append(fn(model, t, result))
    return result


def _interpretation(model: ResolvedModel, a: Assessment, result: RegimeResult,
                    w: Warning_) -> None:
    """A [U] reading that decides the assessment's outcome: the assessment's warning, and the
    same point as a ``<R>207`` warning finding so that it shows in every output."""
    a.warnings.append(w)
    t = a.transfer
    result.findings.append(Finding(
        f"{a.regime.upper()}207", "warning", f"{t.id}: {w.message}; otherwise: {w.alternative}",
        w.citation, transfer=t.id, path=gdpr.finding_path(model, t), regime=a.regime))


def _before(model: ResolvedModel, a: Assessment, day: dt.date, what: str) -> Assessment | None:
    if model.evaluation_date < day:
        a.trace.append(Step("2. in force?", "no", f"{what} applies from {day.isoformat()}; "
                            f"evaluation date {model.evaluation_date.isoformat()}"))
        return _info(a, "not-in-force")
    return None


# --- Russia ------------------------------------------------------------------------------------


def assess_ru(model: ResolvedModel, analysis: Analysis, options: CheckOptions) -> RegimeResult:
    result = _run(model, analysis, "RU", _ru)
    if gdpr.area_selected(model, analysis, "RU"):
        result.findings.extend(_ru_localisation(model))
    return result


def _ru(model: ResolvedModel, t: Transfer, result: RegimeResult) -> Assessment:
    done = _start(model, t, "ru", "RU", [CIT_RU_XB])
    if done is not None:
        return done
    # the turnover-based fines apply from 30 May 2025 (Law 420-FZ): not cited before
    basis = [CIT_RU_XB, CIT_RU_FINES] if model.evaluation_date >= dt.date(2025, 5, 30) \
        else [CIT_RU_XB]
    a = Assessment(t, "ru", ["ru.roskomnadzor-notification"], basis,
                   trace=_start_trace(model, t, "RU"))
    # regulatory.md §5: prior notification under Art. 12 applies since 1 Mar 2023
    late = _before(model, a, dt.date(2023, 3, 1), "prior notification to Roskomnadzor "
                   "(Art. 12)")
    if late is not None:
        return late
    a.mechanism_details = {"ru.roskomnadzor-notification": {
        "authority": "Roskomnadzor", "timing": "before the first transfer (since 1 Mar 2023)",
        "destinations": "adequate (Convention 108 parties and Roskomnadzor's list) or "
        "non-adequate; for non-adequate destinations Roskomnadzor may restrict the transfer "
        "after reviewing the notification [U]",
        "precondition": "initial collection into a database in Russia (Art. 18(5))"}}
    a.trace.append(Step("2. Art. 12", "ru.roskomnadzor-notification", "prior notification of "
                        "the cross-border transfer to Roskomnadzor; the destination's adequacy "
                        "list is not in the catalogue"))
    a.warnings.append(Warning_("RU-U-ADEQUACY", "the adequate/non-adequate regime of Art. 12 "
                               "depends on Roskomnadzor's list, not encoded [U]",
                               "for a non-adequate destination, wait for Roskomnadzor's review "
                               "(it may ban or restrict the transfer) before transferring",
                               CIT_RU_XB))
    a.status = "gap"
    return a


def _start_trace(model: ResolvedModel, t: Transfer, area: str) -> list[Step]:
    return [Step("0. scope", "exit edge", f"{t.exit_edge.kind} '{t.exit_edge.key}' takes data "
                 f"from {t.exit_edge.source} ({area}) to {t.recipient_node} "
                 f"({','.join(t.recipient_jurisdictions)}); exporter {t.exporter}, recipient "
                 f"{t.recipient} ({t.recipient_role})"),
            Step("1. personal data", "yes", ", ".join(sorted(
                {x.category for x in gdpr.personal_tokens(model, t)})))]


def _ru_residents(model: ResolvedModel, cohorts: list[str]) -> tuple[list[str], list[str]]:
    """(cohorts of people resident in Russia, cohorts whose residence is not stated)."""
    ru: list[str] = []
    unstated: list[str] = []
    for cid in cohorts:
        res = None
        for k in _chain(model, cid):
            if model.cohorts[k].residence:
                res = model.cohorts[k].residence
                break
        if res is None:
            unstated.append(cid)
        elif model.catalogue.in_area(res, "RU"):
            ru.append(cid)
    return ru, unstated


def _resides(model: ResolvedModel, cid: str, area: str) -> bool:
    for k in _chain(model, cid):
        res = model.cohorts[k].residence
        if res:
            return model.catalogue.in_area(res, area)
    return False


def _chain(model: ResolvedModel, cid: str) -> list[str]:
    out = [cid]
    cur = model.cohorts[cid].subset_of
    while cur is not None and cur in model.cohorts and cur not in out:
        out.append(cur)
        cur = model.cohorts[cur].subset_of
    return out


def _ru_localisation(model: ResolvedModel) -> list[Finding]:
    """A flow collecting from data subjects' devices (a client system) of people in Russia into
    a system with no place in Russia."""
    out = []
    cit = CIT_RU_LOCAL if model.evaluation_date >= dt.date(2025, 7, 1) else CIT_RU_LOCAL_2015
    systems = model.systems
    clients = {sid for sid, s in systems.items() if s.kind == "client"}
    personal = {cid for cid, info in model.categories.items() if info.personal}
    for fid in sorted(fid for fid, f in model.flows.items() if f.from_ in clients):
        f = model.flows[fid]
        src = systems[f.from_]
        if personal.isdisjoint(f.categories):
            continue
        dst = systems[f.to]
        if any(p != "unknown" and gdpr.in_area(model, p, "RU") for p in dst.jurisdictions):
            continue
        ru, unstated = _ru_residents(model, list(f.cohorts))
        client_in_ru = any(p != "unknown" and gdpr.in_area(model, p, "RU")
                           for p in src.jurisdictions)
        if not ru and not (client_in_ru and (unstated or not f.cohorts)):
            continue
        who = (f"cohorts resident in Russia ({', '.join(ru)})" if ru else
               f"people using a client in Russia ({', '.join(unstated) or 'no cohort named'}; "
               "residence not stated, taken as Russian citizens)")
        out.append(Finding(
            "RU200", "error", f"flow '{fid}' collects personal data of {who} from '{f.from_}' "
            f"directly into '{f.to}' ({', '.join(dst.jurisdictions)}), a database outside "
            "Russia", cit, object_id=fid, regime="ru",
            hint="collect into a database in Russia first; transfer afterwards under Art. 12 "
            "(ru.roskomnadzor-notification)"))
    return out


# --- India -------------------------------------------------------------------------------------


def assess_in(model: ResolvedModel, analysis: Analysis, options: CheckOptions) -> RegimeResult:
    return _run(model, analysis, "IN", _in)


PAYMENT_HINTS = ("payment", "financial.transactions", "bank_account")


def _in(model: ResolvedModel, t: Transfer, result: RegimeResult) -> Assessment:
    done = _start(model, t, "in", "IN", [CIT_IN16])
    if done is not None:
        return done
    a = Assessment(t, "in", [], [CIT_IN16, CIT_IN_RULES], trace=_start_trace(model, t, "IN"))
    core = dt.date(2027, 5, 13)
    a.trace.append(Step("2. s.16", "allowed", "no country is notified on the negative list as "
                        "far as the sources show; the check is informational (mechanism "
                        "in.negative-list-check is self-executing)"))
    a.trace.append(Step("3. DPDP Rules 2025", "in force" if model.evaluation_date >= core
                        else "core duties not yet applicable", "notified 13 Nov 2025; core "
                        "duties 18 months later (~13 May 2027); Rule 15: requirements the "
                        "Centre may set on making data available to foreign states; Significant "
                        "Data Fiduciaries may have to keep specified data in India"))
    _interpretation(model, a, result, Warning_(
        "IN-U-WHITELIST", "one source claims notification on 15 Mar 2026 and a whitelist "
        "model; it contradicts the others and is treated as wrong [U]", "under a whitelist "
        f"model, transfers to {','.join(t.recipient_jurisdictions)} would be allowed only if "
        "that country is whitelisted", CIT_IN_RULES))
    a.mechanism_details = {"in.negative-list-check": {"notified_countries": [],
                                                      "as_of": AS_OF}}
    result.findings.append(Finding(
        "IN200", "info", f"{t.id}: DPDP Act s.16 allows the transfer to "
        f"{','.join(t.recipient_jurisdictions)} unless the Central Government notifies it; "
        "none is notified", CIT_IN16, transfer=t.id, path=gdpr.finding_path(model, t), regime="in"))
    pay = sorted({x.category for x in gdpr.personal_tokens(model, t)
                  if any(h in x.category for h in PAYMENT_HINTS)})
    if pay:
        result.findings.append(Finding(
            "IN201", "warning", f"{t.id}: payment data ({', '.join(pay)}) leaves India; RBI "
            "requires payment system data to be stored only in India (sectoral rules prevail "
            "over s.16)", CIT_RBI, transfer=t.id, path=gdpr.finding_path(model, t), regime="in"))
    return _info(a, "informational", "in.negative-list-check")


# --- Vietnam -----------------------------------------------------------------------------------


def assess_vn(model: ResolvedModel, analysis: Analysis, options: CheckOptions) -> RegimeResult:
    result = _run(model, analysis, "VN", _vn)
    exporters = sorted({a.transfer.exporter for a in result.assessments
                        if gdpr.established_in(model, a.transfer.exporter, "VN")})
    for e in exporters:
        result.findings.append(Finding(
            "VN201", "info", f"{e} is established in Vietnam: specified data must be stored in "
            "Vietnam (Cybersecurity Law Art. 26, Decree 53/2022)", CIT_VN53, object_id=e,
            regime="vn"))
    return result


def _vn(model: ResolvedModel, t: Transfer, result: RegimeResult) -> Assessment:
    done = _start(model, t, "vn", "VN", [CIT_VN])
    if done is not None:
        return done
    a = Assessment(t, "vn", [], [CIT_VN], trace=_start_trace(model, t, "VN"))
    late = _before(model, a, dt.date(2026, 1, 1), "the PDPL (Law 91/2025/QH15)")
    if late is not None:
        _interpretation(model, late, result, Warning_(
            "VN-U-DECREE13", "before 1 Jan 2026, Decree 13/2023 already required an outbound "
            "transfer impact assessment dossier [U]", "prepare the dossier under Decree "
            "13/2023", CIT_VN))
        return late
    imp = sorted({x.category for x in t.tokens if model.categories.get(x.category) is not None
                  and (model.categories[x.category].important_data is not None
                       or model.categories[x.category].core_data)})
    if imp:
        result.findings.append(Finding(
            "VN202", "warning", f"{t.id}: important or core data ({', '.join(imp)})",
            CIT_VN_DATA, transfer=t.id, path=gdpr.finding_path(model, t), regime="vn"))
    toks = gdpr.personal_tokens(model, t)
    vn_people = sorted({x.cohort for x in toks if x.cohort and _resides(model, x.cohort, "VN")})
    if not t.provenance.get("personal_collected_in_area") and not vn_people:
        why = ("all personal data was collected outside Vietnam ("
               + ", ".join(t.provenance.get("received_from") or []) + ") and no cohort resides "
               "in Vietnam: the PDPL protects Vietnamese citizens' data [U]")
        a.trace.append(Step("2. whose data?", "not Vietnamese", why))
        _interpretation(model, a, result, Warning_(
            "VN-U-FOREIGN-DATA", why, "if the PDPL reaches data merely passing through "
            "Vietnam: vn.ctia-dossier", CIT_VN))
        return _info(a, "foreign-data")
    hr = gdpr.hr_reasons(model, t)
    employees_only = bool(toks) and len(hr) > 0 and all(
        (x.cohort and model.cohorts[x.cohort].relationship == "employee")
        or x.category.startswith("employee") for x in toks)
    cloud = (t.exit_edge.kind == "flow"
             and model.systems[t.recipient_node].kind in ("storage", "saas", "database"))
    if employees_only and cloud and not imp and (gdpr.same_group(model, t.exporter, t.recipient)
                                     or t.exporter == t.recipient):
        a.trace.append(Step("2. exemption", "employee data on group cloud", "Decree 356/2025 "
                            "exempts employee data stored on the group's cloud [U]"))
        _interpretation(model, a, result, Warning_(
            "VN-U-EMPLOYEE-CLOUD", "employee data on the group's cloud treated as exempt "
            "(Decree 356/2025); the scope of the exemption is not verified [U]", "without it: "
            "vn.ctia-dossier filed with the MPS (A05)", CIT_VN))
        return _info(a, "employee-group-cloud")
    first = (t.period or t.exit_edge.period)[0]  # the day data first reaches the exit
    deadline = first + dt.timedelta(days=60)
    a.required = ["vn.ctia-dossier"]
    a.mechanism_details = {"vn.ctia-dossier": {
        "form": "Form 09 with the contracts", "authority": "Ministry of Public Security (A05)",
        "deadline": deadline.isoformat(), "deadline_rule": "60 days after the first transfer "
        "(reported) [U]", "covers": "transfers abroad incl. overseas access and cloud"}}
    a.filing = {"mechanism": "vn.ctia-dossier", "authority": "Ministry of Public Security (A05)",
                "deadline": deadline.isoformat(), "rule": "file the cross-border transfer impact "
                "assessment dossier (Form 09 + contracts) within 60 days of the first transfer "
                "(reported) [U]", "citation": CIT_VN_DEADLINE.text()}
    a.trace.append(Step("2. PDPL", "vn.ctia-dossier", f"personal data of people in Vietnam goes "
                        f"abroad (incl. overseas access/cloud); first transfer {first.isoformat()}"
                        f", dossier due {deadline.isoformat()} [U]"))
    _interpretation(model, a, result, Warning_(
        "VN-U-DEADLINE", f"dossier due {deadline.isoformat()}: the 60-day filing deadline is "
        "reported, not verified [U]", "if the dossier must precede the transfer, it is due "
        f"before {first.isoformat()}", CIT_VN_DEADLINE))
    a.status = "gap"
    return a


# --- Indonesia ---------------------------------------------------------------------------------


def assess_id(model: ResolvedModel, analysis: Analysis, options: CheckOptions) -> RegimeResult:
    return _run(model, analysis, "ID", _id)


def _id(model: ResolvedModel, t: Transfer, result: RegimeResult) -> Assessment:
    done = _start(model, t, "id", "ID", [CIT_ID56])
    if done is not None:
        return done
    a = Assessment(t, "id", [], [CIT_ID56], trace=_start_trace(model, t, "ID"))
    late = _before(model, a, dt.date(2024, 10, 17), "PDP Law Art. 56")
    if late is not None:
        return late
    a.required = ["id.art56-cascade"]
    a.mechanism_details = {"id.art56-cascade": {"steps": [
        "1. the destination's protection is equal to or higher than Indonesia's",
        "2. otherwise adequate and binding safeguards (e.g. SCCs, BCRs)",
        "3. otherwise the data subject's consent"],
        "declare": "a safeguard with mechanism id.art56-cascade whose reference names the step "
        "relied on"}}
    a.trace.append(Step("2. Art. 56", "id.art56-cascade", "equal or higher protection -> "
                        "adequate and binding safeguards -> consent"))
    a.warnings.append(Warning_("ID-U-GR", "the implementing Government Regulation and the PDP "
                               "Agency were still pending in early 2026 [U]", "once issued, the "
                               "regulation may fix which destinations are adequate and which "
                               "safeguards qualify", CIT_ID_GR))
    a.status = "gap"
    return a


# --- Saudi Arabia ------------------------------------------------------------------------------


def assess_sa(model: ResolvedModel, analysis: Analysis, options: CheckOptions) -> RegimeResult:
    return _run(model, analysis, "SA", _sa)


def _sa(model: ResolvedModel, t: Transfer, result: RegimeResult) -> Assessment:
    done = _start(model, t, "sa", "SA", [CIT_SA29])
    if done is not None:
        return done
    a = Assessment(t, "sa", [], [CIT_SA29, CIT_SA_TRA], trace=_start_trace(model, t, "SA"))
    late = _before(model, a, dt.date(2024, 9, 14), "the amended Transfer Regulation")
    if late is not None:
        return late
    a.required = ["sa.scc", "sa.binding-common-rules", "sa.accreditation-certificate"]
    a.mechanism_details = {
        "sa.scc": {"issued_by": "SDAIA"}, "sa.binding-common-rules": {"scope": "group"},
        "sa.accreditation-certificate": {"note": "codes of conduct were dropped in 2024"}}
    sensitive = [x.category for x in gdpr.personal_tokens(model, t)
                 if model.categories[x.category].sensitive or model.categories[x.category].special]
    a.duties.append(DutyReq("sa.transfer-risk-assessment", CIT_SA_TRA, "transfer risk "
                            "assessment (required when relying on safeguards"
                            + (", and for sensitive data sent continuously or at scale"
                               if sensitive else "") + "); minimise the data", party=t.recipient))
    a.trace.append(Step("2. Art. 29", "safeguards + TRA", "no SDAIA adequacy list is encoded: "
                        "SCCs, Binding Common Rules or a certificate of accreditation, with a "
                        "transfer risk assessment; exceptions (not modelled): contract with the "
                        "data subject, public entity for national security or public interest, "
                        "vital interests"))
    _interpretation(model, a, result, Warning_(
        "SA-U-ADEQUACY", "SDAIA's adequacy list is not encoded: safeguards are required [U]",
        f"if SDAIA lists {','.join(t.recipient_jurisdictions)} as adequate: no safeguard"
        + (" (a TRA is still due for sensitive data sent continuously or at scale)"
           if sensitive else ", no TRA"), CIT_SA29))
    a.status = "gap"
    return a


# --- Singapore ---------------------------------------------------------------------------------


def assess_sg(model: ResolvedModel, analysis: Analysis, options: CheckOptions) -> RegimeResult:
    return _run(model, analysis, "SG", _sg)


def _sg(model: ResolvedModel, t: Transfer, result: RegimeResult) -> Assessment:
    done = _start(model, t, "sg", "SG", [CIT_SG26])
    if done is not None:
        return done
    a = Assessment(t, "sg", ["sg.tlo-safeguards"], [CIT_SG26],
                   trace=_start_trace(model, t, "SG"))
    a.mechanism_details = {"sg.tlo-safeguards": {"forms": [
        "law", "contract", "binding corporate rules", "APEC CBPR / PRP certification",
        "deemed: informed consent", "deemed: necessary for a contract with the individual"]}}
    a.trace.append(Step("2. s.26", "sg.tlo-safeguards", "the recipient must be bound by legally "
                        "enforceable obligations (or certified) giving comparable protection; "
                        "consent or contract necessity are deemed to satisfy it (PDP "
                        "Regulations 2021 Part 3)"))
    if gdpr.is_processor_role(t.sender_role) and not t.provenance.get(
            "personal_collected_in_area"):
        why = (f"{t.sender} only passes on, as a data intermediary for {t.exporter}, data "
               f"collected outside Singapore ({', '.join(t.provenance.get('received_from') or [])}"
               "); a data intermediary is bound by s.24-25 only (s.4(2)) and the TLO falls on "
               f"the organisation it acts for (s.4(3)) [U]")
        a.warnings.append(Warning_("SG-U-INTERMEDIARY", why, f"if {t.exporter} is not subject "
                                   "to the PDPA for this data: no TLO obligation", CIT_SG26))
        result.findings.append(Finding("SG207", "warning", f"{t.id}: {why}", CIT_SG26,
                                       transfer=t.id, path=gdpr.finding_path(model, t), regime="sg"))
    a.status = "gap"
    return a


# --- Japan -------------------------------------------------------------------------------------


def assess_jp(model: ResolvedModel, analysis: Analysis, options: CheckOptions) -> RegimeResult:
    return _run(model, analysis, "JP", _jp)


def _jp(model: ResolvedModel, t: Transfer, result: RegimeResult) -> Assessment:
    done = _start(model, t, "jp", "JP", [CIT_JP28])
    if done is not None:
        return done
    a = Assessment(t, "jp", [], [CIT_JP28], trace=_start_trace(model, t, "JP"))
    if t.recipient == t.sender or t.recipient == t.exporter:
        a.trace.append(Step("2. third party?", "no", "the same business operator: not a "
                            "provision to a third party"))
        return _info(a, "not-a-third-party")
    cat = model.catalogue
    dest = [j for j in t.recipient_jurisdictions if j != "JP"]
    if dest and all(j != "unknown" and (cat.in_area(j, "EEA") or cat.in_area(j, "UK"))
                    for j in dest):
        a.trace.append(Step("2. Art. 28", "designated country", f"{', '.join(dest)}: designated "
                            "as having an equivalent system (EEA, UK)"))
        a.mechanism_details = {"jp.designated-country": {"countries": dest}}
        a.required = ["jp.designated-country"]
        a.status = "ok"
        a.self_executing = True
        return a
    a.required = ["jp.consent-or-equivalent"]
    a.mechanism_details = {"jp.consent-or-equivalent": {"routes": [
        "prior consent after informing of the country, its PI regime and the recipient's "
        "measures", "recipient with a system meeting PPC standards ('equivalent measures') + "
        "continuous monitoring"]}}
    a.trace.append(Step("2. Art. 28", "jp.consent-or-equivalent", "provision to a third party in "
                        "a foreign country (entrusted processing included); not a designated "
                        "country"))
    a.status = "gap"
    return a


# --- Korea -------------------------------------------------------------------------------------


def assess_kr(model: ResolvedModel, analysis: Analysis, options: CheckOptions) -> RegimeResult:
    return _run(model, analysis, "KR", _kr)


def _kr(model: ResolvedModel, t: Transfer, result: RegimeResult) -> Assessment:
    done = _start(model, t, "kr", "KR", [CIT_KR])
    if done is not None:
        return done
    a = Assessment(t, "kr", [], [CIT_KR], trace=_start_trace(model, t, "KR"))
    late = _before(model, a, dt.date(2023, 9, 15), "PIPA Art. 28-8 (as amended)")
    if late is not None:
        return late
    a.required = ["kr.art28-8-basis"]
    a.mechanism_details = {"kr.art28-8-basis": {"bases": [
        "separate consent", "law or treaty", "necessary for a contract, disclosed in the "
        "privacy policy or notified", "recipient certified under a PIPC-designated "
        "certification", "destination recognised by the PIPC"],
        "note": "the PIPC may order a transfer suspended (Art. 28-9)"}}
    a.trace.append(Step("2. Art. 28-8", "kr.art28-8-basis", "one of the Art. 28-8(1) bases"))
    a.status = "gap"
    return a


# --- Hong Kong ---------------------------------------------------------------------------------


def assess_hk(model: ResolvedModel, analysis: Analysis, options: CheckOptions) -> RegimeResult:
    return _run(model, analysis, "HK", _hk)


def _hk(model: ResolvedModel, t: Transfer, result: RegimeResult) -> Assessment:
    done = _start(model, t, "hk", "HK", [CIT_HK])
    if done is not None:
        return done
    a = Assessment(t, "hk", [], [CIT_HK], trace=_start_trace(model, t, "HK"))
    a.trace.append(Step("2. PDPO s.33", "not in force", "no Hong Kong transfer mechanism; the "
                        "data protection principles apply (use limitation, security, processor "
                        "contracts DPP 2(3), 4(2))"))
    result.findings.append(Finding(
        "HK200", "info", f"{t.id}: no Hong Kong transfer mechanism (PDPO s.33 not in force); "
        "keep processor contracts under DPP 2(3) and 4(2)", CIT_HK, transfer=t.id,
        path=gdpr.finding_path(model, t), regime="hk"))
    return _info(a, "no-mechanism")
