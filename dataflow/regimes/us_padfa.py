"""Protecting Americans' Data from Foreign Adversaries Act of 2024 (PADFA) — regulatory.md §5.

A data broker (``entities.<id>.us.data_broker: true``) may not sell, license, transfer or make
available personally identifiable sensitive data of US individuals to a foreign adversary
country (catalogue ``padfa_countries``: CN, IR, KP, RU) or an entity it controls. Not a data
broker for that data: an entity that collected it directly from the individuals (the data's
origin is a client system feeding the broker's own systems), or a service provider acting for
another (the broker is not the exporter). In force 23 Jun 2024; FTC enforcement.

Hong Kong and Macao: whether "China" includes them is not stated in the sources [U]; dataflow
treats them as China (conservative) and states the alternative.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..resolve import ResolvedModel
from ..transfers import Analysis, Transfer
from . import gdpr, us_doj
from .base import (
    Assessment,
    CheckOptions,
    Citation,
    Finding,
    FindingCode,
    RegimeResult,
    Step,
    Warning_,
)

REGIME = "us-padfa"
AS_OF = gdpr.AS_OF
IN_FORCE = dt.date(2024, 6, 23)
SAR = frozenset({"HK", "MO"})
# PADFA "sensitive data" (15 U.S.C. 9901(7)) approximated by the categories' flags: PIPL-
# sensitive or GDPR-special, or a DOJ class other than plain identifiers
SENSITIVE_DOJ = frozenset({"genomic", "omic", "biometric", "precise-geolocation", "health",
                           "financial", "government"})


def _c(instrument: str, article: str, confidence: str = "K") -> Citation:
    return Citation(instrument, article, confidence, AS_OF)


PADFA = ("Protecting Americans' Data from Foreign Adversaries Act of 2024 (Pub. L. 118-50 div. I; "
         "15 U.S.C. 9901)")
CIT_PROHIBITION = _c(PADFA, "s. 2(a) (prohibition; in force 23 Jun 2024; FTC enforcement)", "V")
CIT_BROKER = _c(PADFA, "s. 2(c) 'data broker' (excludes entities that collected the data "
                "directly from the individual, and service providers)", "V")
CIT_ADVERSARY = _c(PADFA, "'foreign adversary country' (10 U.S.C. 4872(d)(2): China, Iran, North "
                   "Korea, Russia); 'controlled by a foreign adversary'")

FINDING_CODES: dict[str, FindingCode] = {c.code: c for c in [
    *gdpr.generic_codes("PADFA", "PADFA", "none (a prohibition)", CIT_PROHIBITION,
                        CIT_PROHIBITION, CIT_PROHIBITION),
    FindingCode("PADFA200", "error", "Data broker makes US sensitive data available to a "
                "foreign adversary", "A data broker sends personally identifiable sensitive "
                "data of US individuals to China, Iran, North Korea or Russia, or to an entity "
                "they control: prohibited by PADFA (FTC enforcement).",
                "Stop the flow (no mechanism cures it).", CIT_PROHIBITION),
    FindingCode("PADFA201", "warning", "PADFA: Hong Kong or Macao recipient",
                "Whether 'China' under PADFA includes Hong Kong and Macao is not stated in the "
                "sources; dataflow treats them as China.", "Review with counsel; the DOJ rule "
                "counts HK and MO as China in any case.", CIT_ADVERSARY),
    FindingCode("PADFA207", "warning", "PADFA interpretation point",
                "A [U] point decides this outcome (control through the parent chain, location "
                "without control); the warning states the alternative.",
                "Review the warning with counsel.", CIT_ADVERSARY),
]}


def _countries(model: ResolvedModel) -> frozenset[str]:
    return model.catalogue.padfa_countries


def _controlled(model: ResolvedModel, eid: str, places: Iterable[str]
                ) -> tuple[list[str], list[str], list[str]]:
    """(reasons, [U] reasons, HK/MO reasons) why the recipient is a foreign adversary or an
    entity it controls."""
    fa = _countries(model)
    sure: list[str] = []
    unsure: list[str] = []
    sar: list[str] = []
    j = model.entity_jurisdiction(eid)
    if j in fa:
        sure.append(f"{eid} is domiciled in {j}, a foreign adversary country")
    elif j in SAR:
        sar.append(f"{eid} is established in {j}")
    for anc in gdpr.ancestors(model, eid):
        aj = model.entity_jurisdiction(anc)
        if aj in fa:
            unsure.append(f"{eid}'s parent chain reaches {anc} ({aj}); `parent` read as "
                          "control [U]")
            break
    located = sorted({p for p in places if p in fa})
    if located and not sure:
        unsure.append(f"the data is located in or accessed from {', '.join(located)} [U]")
    sar_places = sorted({p for p in places if p in SAR})
    if sar_places and not sure and not sar:
        sar.append(f"the data is located in or accessed from {', '.join(sar_places)}")
    return sure, unsure, sar


def _brokers(model: ResolvedModel) -> set[str]:
    return {eid for eid, e in model.entities.items() if e.us is not None and e.us.data_broker}


def assess(model: ResolvedModel, analysis: Analysis, options: CheckOptions) -> RegimeResult:
    result = RegimeResult()
    brokers = _brokers(model)
    if not brokers:
        return result
    for t in us_doj.all_transfers(model, analysis):
        if t.exporter not in brokers and t.sender not in brokers:
            continue
        sure, unsure, sar = _controlled(model, t.recipient, us_doj.recipient_places(t))
        if not (sure or unsure or sar):
            continue
        result.assessments.append(_assess(model, t, brokers, sure, unsure, sar, result))
    return result


def _sensitive_us(model: ResolvedModel, t: Transfer) -> list[str]:
    out = set()
    for tok in gdpr.personal_tokens(model, t):
        info = model.categories[tok.category]
        if not us_doj.us_cohort(model, tok.cohort):
            continue
        if info.sensitive or info.special or (info.doj in SENSITIVE_DOJ):
            out.add(tok.category)
    return sorted(out)


def _direct(model: ResolvedModel, t: Transfer) -> bool:
    """All the data was collected directly from the individuals by the exporter: every origin is
    a client system feeding one of the exporter's own systems."""
    if not t.origin:
        return False
    for o in t.origin:
        s = model.systems.get(o)
        if s is None or s.kind != "client":
            return False
        if t.exporter not in gdpr.index(model).client_targets.get(o, set()):
            return False
    return True


def _assess(model: ResolvedModel, t: Transfer, brokers: set[str], sure: list[str],
            unsure: list[str], sar: list[str], result: RegimeResult) -> Assessment:
    a = Assessment(transfer=t, regime=REGIME, required=[], basis=[CIT_PROHIBITION, CIT_BROKER])
    tr = a.trace
    tr.append(Step("0. scope", f"{t.exit_edge.kind} '{t.exit_edge.key}'", f"{t.exporter} -> "
                   f"{t.recipient} ({','.join(t.recipient_jurisdictions)}), evaluated in area "
                   f"{t.area}"))
    if t.exporter not in brokers:
        tr.append(Step("1. data broker?", "no (service provider)", f"{t.sender} is flagged a "
                       f"data broker but sends this data for {t.exporter} as its "
                       f"{t.sender_role}; a service provider is not a data broker for it"))
        return _none(a, "service-provider")
    tr.append(Step("1. data broker?", "yes", f"{t.exporter}: us.data_broker: true"))
    if _direct(model, t):
        tr.append(Step("2. collected directly?", "yes", f"every origin ({', '.join(t.origin)}) "
                       f"is a client system feeding {t.exporter}'s own systems: an entity that "
                       "collected the data directly from the individuals is not a data broker "
                       "for it"))
        return _none(a, "collected-directly")
    tr.append(Step("2. collected directly?", "no", f"origins: {', '.join(t.origin)}"))
    cats = _sensitive_us(model, t)
    if not cats:
        tr.append(Step("3. sensitive data of US individuals", "none", "no sensitive category "
                       "about a US cohort (us_persons or residence US)"))
        return _none(a, "no-sensitive-us-data")
    tr.append(Step("3. sensitive data of US individuals", ", ".join(cats), "personally "
                   "identifiable (anonymised data is left out)"))
    tr.append(Step("4. foreign adversary?", "yes" if sure else "assumed [U]",
                   "; ".join(sure + unsure + sar)))
    if model.evaluation_date < IN_FORCE:
        tr.append(Step("5. in force?", "no", "PADFA applies from 23 Jun 2024"))
        return _none(a, "not-in-force")
    a.status = "blocked"
    a.required = []
    a.basis = [CIT_PROHIBITION, CIT_ADVERSARY, CIT_BROKER]
    qual = "" if sure else " (assumed [U])"
    result.findings.append(Finding(
        "PADFA200", "error", f"{t.id}: data broker {model.entity_name(t.exporter)} makes "
        f"sensitive data of US individuals ({', '.join(cats)}) available to "
        f"{model.entity_name(t.recipient)}{qual}: {'; '.join(sure + unsure + sar)}",
        CIT_PROHIBITION, transfer=t.id, path=gdpr.finding_path(model, t), regime=REGIME,
        hint="stop the transfer; no mechanism cures it"))
    if sar and not sure and not unsure:
        a.warnings.append(Warning_("PADFA-U-HKMO", f"{'; '.join(sar)}: Hong Kong and Macao are "
                                   "treated as China [U]", "if they are not 'China' for PADFA, "
                                   "the transfer is not prohibited by PADFA (the DOJ rule still "
                                   "counts them as China)", CIT_ADVERSARY))
        result.findings.append(Finding(
            "PADFA201", "warning", f"{t.id}: {'; '.join(sar)} — treated as China [U]; otherwise "
            "not prohibited by PADFA", CIT_ADVERSARY, transfer=t.id, path=gdpr.finding_path(model, t),
            regime=REGIME))
    elif unsure and not sure:
        a.warnings.append(Warning_("PADFA-U-CONTROL", "; ".join(unsure), "if the recipient is "
                                   "not controlled by a foreign adversary: not prohibited",
                                   CIT_ADVERSARY))
        result.findings.append(Finding(
            "PADFA207", "warning", f"{t.id}: {'; '.join(unsure)}", CIT_ADVERSARY,
            transfer=t.id, path=gdpr.finding_path(model, t), regime=REGIME))
    return a


def _none(a: Assessment, why: str) -> Assessment:
    a.required = ["none"]
    a.status = "not-required"
    a.self_executing = True
    a.exemption = why
    return a
