"""US DOJ Data Security Program, 28 CFR Part 202 (EO 14117) — regulatory.md §5.

Every transfer of the analysis (any area) whose recipient is a covered person or sits in a
country of concern (catalogue ``doj_countries_of_concern``: CN incl. HK and MO, CU, IR, KP, RU, VE)
is evaluated:

1. covered person? declared (``entities.<id>.us.covered_person``), organised in a country of
   concern, owned through its ``parent`` chain by one [U: parent read as >= 50 % ownership], or the
   data lands in / is accessed from a country of concern [U when the entity itself is not covered];
2. US persons' data: tokens whose cohort is ``us_persons: true`` or resides in the US; DOJ classes
   come from the categories' ``doj`` key; anonymised tokens still count (the rule applies
   regardless of anonymisation, pseudonymisation or encryption);
3. bulk: per exporter and covered person, aggregated over the transfers active in the 12 months
   before the evaluation date (and those planned after it), distinct US persons (devices for
   precise geolocation), thresholds exclusive ("more than"); government-related data at any
   volume; combined data at the lowest threshold of the classes combined;
4. transaction class from the exit flow's ``doj_transaction``: brokerage -> prohibited; any access
   to bulk 'omic data -> prohibited; vendor, employment, investment -> restricted (CISA security
   requirements + compliance program); not stated -> restricted by default, with a warning;
5. the exporter must be a US person (organised in the US, or acting in the US); otherwise the
   outcome is shown as the alternative of a warning.

US persons brokering bulk data to any other foreign person must bar onward transfer to countries
of concern by contract (``us-doj-dsp.onward-transfer-clause``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..counting import CohortFamily
from ..resolve import ResolvedModel
from ..transfers import Analysis, Token, Transfer, analyse, areas_touched
from . import gdpr
from .base import (
    Assessment,
    CheckOptions,
    DutyReq,
    ExporterRow,
    Finding,
    FindingCode,
    RegimeResult,
    Step,
    Warning_,
    cite,
)

REGIME = "us-doj-dsp"
AS_OF = gdpr.AS_OF
IN_FORCE = dt.date(2025, 4, 8)
COMPLIANCE_FROM = dt.date(2025, 10, 6)

# 28 CFR 202.205-206: "more than" the number (exclusive); government-related data at any volume
THRESHOLDS: dict[str, int] = {
    "genomic": 100, "omic": 1_000, "biometric": 1_000, "precise-geolocation": 1_000,
    "health": 10_000, "financial": 10_000, "identifiers": 100_000, "government": 0}
UNITS = {"precise-geolocation": "devices"}
CLASS_NAMES = {
    "genomic": "human genomic data", "omic": "human 'omic data", "biometric":
    "biometric identifiers", "precise-geolocation": "precise geolocation data", "health":
    "personal health data", "financial": "personal financial data", "identifiers":
    "covered personal identifiers", "government": "government-related data"}
RESTRICTED = ("vendor", "employment", "investment")


_c = cite


DSP = "28 CFR Part 202 (DOJ Data Security Program, EO 14117; final rule 8 Jan 2025)"
CIT_RULE = _c(DSP, "in force 8 Apr 2025; Subparts J-K duties from 6 Oct 2025", "V")
CIT_BULK = _c(DSP, "§§ 202.205-206 (bulk thresholds, 'more than'; regardless of "
              "anonymisation, pseudonymisation or encryption)", "V")
CIT_COC = _c(DSP, "§ 202.601 (countries of concern: China incl. Hong Kong and Macao, Cuba, Iran, "
             "North Korea, Russia, Venezuela)", "V")
CIT_COVERED = _c(DSP, "§ 202.211 (covered persons: organised, principally located or resident "
                 "in, or 50 % or more owned by, a country of concern or covered person)")
CIT_BROKERAGE = _c(DSP, "§ 202.301 (data brokerage with a country of concern or covered person: "
                   "prohibited)")
CIT_ONWARD = _c(DSP, "§ 202.302 (data brokerage with other foreign persons: contractual bar on "
                "onward transfer, reporting of violations)")
CIT_OMIC = _c(DSP, "§ 202.303 (access to bulk human 'omic data or biospecimens: prohibited)")
CIT_RESTRICTED = _c(DSP, "§§ 202.401-402 (vendor, employment and investment agreements: "
                    "restricted; CISA security requirements)")
CIT_CISA = _c("CISA Security Requirements for Restricted Transactions (Jan 2025)",
              "organisational, system and data-level requirements (28 CFR 202.402)")
CIT_COMPLIANCE = _c(DSP, "Subparts J-K (§§ 202.1001-1002, 1101: due diligence, data compliance "
                    "program, annual audit, records; from 6 Oct 2025)", "V")
CIT_LICENSE = _c(DSP, "Subpart H (§§ 202.801-802 licences)")

FINDING_CODES: dict[str, FindingCode] = {c.code: c for c in [
    *gdpr.generic_codes("DOJ", "DOJ DSP", "us-doj-dsp.cisa-security-requirements, "
                        "us-doj-dsp.onward-transfer-clause", CIT_RESTRICTED, CIT_CISA,
                        CIT_COMPLIANCE),
    FindingCode("DOJ200", "error", "Prohibited data brokerage with a country of concern",
                "A US person brokers bulk US sensitive personal data (or government-related "
                "data) to a country of concern or covered person: prohibited by 28 CFR 202.301.",
                "Stop the transaction, or obtain a specific licence from DOJ NSD (Subpart H) "
                "and record it with a waiver.", CIT_BROKERAGE),
    FindingCode("DOJ201", "error", "Access to bulk human 'omic data by a covered person",
                "Any covered data transaction giving a country of concern or covered person "
                "access to bulk human 'omic data (genomic > 100, other 'omic > 1,000 US persons) "
                "is prohibited (28 CFR 202.303).", "Stop the transaction or obtain a licence.",
                CIT_OMIC),
    FindingCode("DOJ202", "warning", "DOJ transaction class not stated",
                "The exit flow does not say whether it is data brokerage, a vendor, employment "
                "or investment agreement (`doj_transaction`); dataflow assumes a vendor "
                "agreement (restricted).", "Set `doj_transaction` on the flow.", CIT_RESTRICTED),
    FindingCode("DOJ203", "warning", "Cohort unit does not match the DOJ threshold",
                "Precise geolocation is counted in devices, the other classes in US persons; a "
                "cohort in the other unit is counted as it is (persons as devices: a lower "
                "bound; devices as persons: an upper bound).",
                "Describe the people or devices with a cohort of the right `unit`.", CIT_BULK),
    FindingCode("DOJ204", "warning", "Covered person reached without a border crossing",
                "Data reaches a covered person inside the exporter's own area; dataflow finds "
                "transfers only where data crosses an area border, so this edge is not assessed.",
                "Assess the transaction by hand (counts and class) or waive with a reason.",
                CIT_COVERED),
    FindingCode("DOJ206", "warning", "DOJ-class data without cohorts",
                "Sensitive data of a DOJ class reaches a covered person but no cohort says whose "
                "it is; nobody is counted for it.", "Name the cohorts on the flow.", CIT_BULK),
    FindingCode("DOJ207", "warning", "DOJ interpretation point",
                "A [U] point decides this outcome (covered person by location or parent, the "
                "exporter's US-person status); the warning states the alternative.",
                "Review the warning with counsel.", CIT_COVERED),
    FindingCode("DOJ208", "error", "Brokered data reaches a country of concern onward",
                "Bulk US sensitive personal data brokered to a foreign person travels on to a "
                "country of concern or covered person.", "Stop the onward flow; enforce the "
                "contractual bar (28 CFR 202.302).", CIT_ONWARD),
]}


# ----------------------------------------------------------------------------------------------
# shared with PADFA


def cohort_chain(model: ResolvedModel, cid: str) -> list[str]:
    out = [cid]
    cur = model.cohorts[cid].subset_of
    while cur is not None and cur in model.cohorts and cur not in out:
        out.append(cur)
        cur = model.cohorts[cur].subset_of
    return out


def us_cohort(model: ResolvedModel, cid: str | None) -> bool:
    """US persons: ``us_persons: true`` or residence in the US (inherited along subset_of)."""
    if cid is None:
        return False
    memo = gdpr.index(model).memo.setdefault("us_cohort", {})
    hit = memo.get(cid)
    if hit is None:
        hit = memo[cid] = _us_cohort(model, cid)
    return bool(hit)


def _us_cohort(model: ResolvedModel, cid: str) -> bool:
    for k in cohort_chain(model, cid):
        c = model.cohorts[k]
        if c.us_persons:
            return True
        if c.residence:
            try:
                return model.catalogue.in_area(c.residence, "US")
            except ValueError:
                return False
    return False


def supplementary(model: ResolvedModel, analysis: Analysis) -> Analysis | None:
    """One extra analysis, shared by the DOJ, PADFA and Hong Kong rules, of the areas the default
    analysis leaves out: Hong Kong (not a regime area of the transfer analysis) and the
    jurisdictions of systems that send to a covered person or a country of concern. None when
    the user chose the areas (--area) or nothing is missing. Cached per (model, analysis); the
    analysis' propagation is released once this is known."""
    memo = gdpr.index(model).memo
    key = ("supplementary", id(analysis))
    if key in memo and memo[key][0] is analysis:
        return memo[key][1]
    result: Analysis | None = None
    if tuple(analysis.areas) == areas_touched(model):
        cat = model.catalogue
        cc = cat.doj_countries_of_concern
        extra: set[str] = set()
        places = {p.jurisdiction for s in model.systems.values() for p in s.places}
        if "HK" not in analysis.areas and "HK" in places:
            extra.add("HK")
        # the systems that send to a covered person or into a country of concern. An edge's
        # recipient is covered (``covered_person(...).covered``) when the entity itself is
        # (declared, organised in a country of concern, or its parent chain reaches one) or a
        # place of the target is in a country of concern: the entity part is decided once
        # per entity, the whole once per target system
        systems = model.systems
        entity_hit: dict[str, bool] = {}

        def covered(eid: str, places: Iterable[str]) -> bool:
            hit = entity_hit.get(eid)
            if hit is None:
                hit = entity_hit[eid] = covered_person(model, eid, (), cc).covered
            return hit or any(p in cc for p in places)

        covered_target: dict[str, bool] = {}
        senders: set[str] = set()
        for f in model.flows.values():
            hit = covered_target.get(f.to)
            if hit is None:
                target = systems[f.to]
                hit = covered_target[f.to] = covered(target.operator, target.jurisdictions)
            if hit:
                senders.add(f.from_)
        for x in model.access.values():
            for loc in x.from_:
                r = cat.resolve_location(loc)
                if covered(x.accessor, (r.jurisdiction if r else "unknown",)):
                    senders.add(x.system)
        # a jurisdiction outside every analysed area (asked once per jurisdiction, not per edge)
        uncovered: dict[str, bool] = {}
        for src in senders:
            for j in systems[src].jurisdictions:
                hit = uncovered.get(j)
                if hit is None:
                    hit = uncovered[j] = (
                        j != "unknown" and cat.resolve_location(j) is not None
                        and not any(gdpr.in_area(model, j, a) for a in analysis.areas))
                if hit:
                    extra.add(j)
        if extra:
            # the propagation is reused; its warnings (positioned: costly) are never read here
            result = analyse(model, sorted(extra), reuse=analysis, diagnostics=False)
    memo[key] = (analysis, result)
    # Nothing after this needs the token sets of the propagation (at 100,000 systems about 3
    # million (node, token) entries): drop them while the regimes still build their findings.
    # The transfers keep their edges and tokens; a later analyse(reuse=...) propagates afresh.
    analysis.propagation = None
    if result is not None:
        result.propagation = None
    return result


def all_transfers(model: ResolvedModel, analysis: Analysis) -> list[Transfer]:
    """Transfers of every analysed area plus the supplementary analysis, one per (exporter,
    exit edge) (the US-area copy first)."""
    found = [*analysis.transfers, *analysis.possible]
    more = supplementary(model, analysis)
    if more is not None:
        found += [*more.transfers, *more.possible]
    # per (exporter, exit edge): the US-area copy, else the first by id (ids are unique)
    best: dict[tuple[str, str], Transfer] = {}
    for t in found:
        key = (t.exporter, t.exit_edge.key)
        cur = best.get(key)
        if cur is None or (t.area != "US", t.id) < (cur.area != "US", cur.id):
            best[key] = t
    return sorted(best.values(), key=lambda x: x.id)


@dataclass
class Covered:
    reasons: list[str]
    uncertain: list[str] = field(default_factory=list)

    @property
    def covered(self) -> bool:
        return bool(self.reasons or self.uncertain)


def covered_person(model: ResolvedModel, eid: str, places: Iterable[str],
                   countries: frozenset[str]) -> Covered:
    out = Covered([])
    ent = model.entities.get(eid)
    if ent is not None and ent.us is not None and ent.us.covered_person:
        out.reasons.append(f"{eid} is declared a covered person (us.covered_person)")
    j = model.entity_jurisdiction(eid)
    if j in countries:
        out.reasons.append(f"{eid} is organised in {j}, a country of concern")
    for anc in gdpr.ancestors(model, eid):
        aj = model.entity_jurisdiction(anc)
        a_ent = model.entities.get(anc)
        if aj in countries or (a_ent is not None and a_ent.us is not None
                               and a_ent.us.covered_person):
            out.uncertain.append(f"{eid}'s parent chain reaches {anc} ({aj}); `parent` is read "
                                 "as ownership of 50 % or more [U]")
            break
    located = sorted({p for p in places if p in countries})
    if located and not out.reasons:
        out.uncertain.append(f"the data is located in or accessed from {', '.join(located)}; "
                             f"{eid} is not itself a covered person, but its staff there are "
                             "(individuals primarily resident in a country of concern) [U]")
    elif located:
        out.reasons.append(f"the data is located in or accessed from {', '.join(located)}")
    return out


def recipient_places(t: Transfer) -> list[str]:
    return [j for j in t.recipient_jurisdictions if j != "unknown"]


# ----------------------------------------------------------------------------------------------
# counting


@dataclass
class Bulk:
    counts: dict[str, int]
    bulk: list[str]
    combined: bool
    crossed_on: dict[str, str]
    uncounted: list[str]
    unit_notes: list[str]
    cohorts: dict[str, list[str]]


def _doj_tokens(model: ResolvedModel, tokens: Iterable[Token],
                run: _Run | None = None) -> list[tuple[str, Token]]:
    doj = (run or _Run(model)).doj
    out = []
    for tok in tokens:
        cls = doj.get(tok.category)
        if cls:
            out.append((cls, tok))
    return out


def _window_start(model: ResolvedModel) -> dt.date:
    d = model.evaluation_date
    if d.year == dt.MINYEAR:  # no year before year 1: the window starts at the calendar's start
        return dt.date.min
    try:
        return d.replace(year=d.year - 1)
    except ValueError:
        return d.replace(year=d.year - 1, day=28)


class _Run:
    """Lookups and shared objects of one ``assess`` call (never kept beyond it). The steps,
    warnings and texts it hands out are the same for many transfers and never changed after
    they are built, so transfers share them instead of holding equal copies."""

    def __init__(self, model: ResolvedModel) -> None:
        self.model = model
        self.window = _window_start(model)
        self.doj: dict[str, str] = {cid: info.doj for cid, info in model.categories.items()
                                    if info.doj}
        self.us: dict[str, bool] = {}
        self.covered: dict[tuple[str, tuple[str, ...]], Covered] = {}
        # id(cov) -> (cov, its step 1, its [U] warning); the cov is kept so ids stay unique
        self.cov_parts: dict[int, tuple[Covered, Step, Warning_ | None]] = {}
        self.steps: dict[tuple[Any, ...], Step] = {}
        self.none: list[str] = ["none"]  # a not-required assessment's `required` (only read)

    def us_cohort(self, cid: str | None) -> bool:
        if cid is None:
            return False
        hit = self.us.get(cid)
        if hit is None:
            hit = self.us[cid] = us_cohort(self.model, cid)
        return hit

    def covered_person(self, eid: str, places: list[str], cc: frozenset[str]) -> Covered:
        """``covered_person`` once per (recipient, places): the Covered is shared, read only."""
        key = (eid, tuple(places))
        cov = self.covered.get(key)
        if cov is None:
            cov = self.covered[key] = covered_person(self.model, eid, places, cc)
        return cov

    def cov_step(self, cov: Covered) -> tuple[Step, Warning_ | None]:
        got = self.cov_parts.get(id(cov))
        if got is None or got[0] is not cov:
            warn = None
            if cov.uncertain and not cov.reasons:
                warn = Warning_("DOJ-U-COVERED", "; ".join(cov.uncertain),
                                "if the recipient is not a covered person and no covered "
                                "person can access the data, this is not a covered data "
                                "transaction", CIT_COVERED)
            got = self.cov_parts[id(cov)] = (cov, Step(
                "1. covered person", "yes" if cov.reasons else "assumed [U]",
                "; ".join(cov.reasons + cov.uncertain)), warn)
        return got[1], got[2]



def count_bulk(model: ResolvedModel, family: CohortFamily, transfers: list[Transfer],
               run: _Run | None = None) -> Bulk:
    run = run or _Run(model)
    start = run.window
    cohorts: dict[str, set[str]] = defaultdict(set)
    starts: dict[str, dict[str, dt.date]] = defaultdict(dict)
    uncounted: set[str] = set()
    notes: set[str] = set()
    gov = False
    for t in transfers:
        if t.exit_edge.period[1] < start:
            continue
        for cls, tok in _doj_tokens(model, t.tokens, run):
            if cls == "government":
                gov = True
                continue
            if tok.cohort is None:
                uncounted.add(tok.category)
                continue
            if not run.us_cohort(tok.cohort):
                continue
            cohorts[cls].add(tok.cohort)
            first = max(t.exit_edge.period[0], start)
            prev = starts[cls].get(tok.cohort)
            starts[cls][tok.cohort] = min(prev, first) if prev else first
            unit = family.unit(tok.cohort)
            want = UNITS.get(cls, "persons")
            if unit != want:
                notes.add(f"{tok.cohort} counts {unit} but {CLASS_NAMES[cls]} is counted in "
                          f"{want}")
    counts: dict[str, int] = {}
    crossed: dict[str, str] = {}
    days = {model.evaluation_date}
    for ks in cohorts.values():
        for k in ks:
            c = model.cohorts[k].count
            if isinstance(c, dict):
                days.update(d for d in (dt.date.fromisoformat(x) for x in c) if d >= start)
    groups = dict(cohorts)
    if "genomic" in groups or "omic" in groups:
        groups["omic"] = groups.get("omic", set()) | groups.get("genomic", set())
    for cls, ks in groups.items():
        counts[cls] = max(family.union(ks, d).total for d in days)
        day = _first_over(family, starts.get(cls, {}) if cls != "omic" else
                          {**starts.get("genomic", {}), **starts.get("omic", {})},
                          THRESHOLDS[cls], sorted(days))
        if day:
            crossed[cls] = day.isoformat()
    if gov:
        counts["government"] = max(counts.get("government", 0), 1)
    bulk = sorted(cls for cls, n in counts.items() if n > THRESHOLDS[cls])
    combined = False
    present = sorted(cohorts)  # the classes the data holds (not the derived 'omic union)
    if len(present) >= 2 and not bulk:
        # combined data: bulk when any class exceeds the lowest threshold of the classes held
        lowest = min(THRESHOLDS[c] for c in present)
        if max(counts[c] for c in present) > lowest:
            combined = True
            counts["combined_lowest_threshold"] = lowest
            bulk = present
    return Bulk(counts, bulk, combined, crossed, sorted(uncounted), sorted(notes),
                {k: sorted(v) for k, v in sorted(groups.items())})


def _first_over(family: CohortFamily, starts: dict[str, dt.date], threshold: int,
                days: list[dt.date]) -> dt.date | None:
    events = sorted(set(starts.values()) | set(days))
    for day in events:
        carried = {k for k, d in starts.items() if d <= day}
        if carried and family.union(carried, day).total > threshold:
            return day
    return None


# ----------------------------------------------------------------------------------------------
# the regime


def us_person(model: ResolvedModel, t: Transfer) -> tuple[bool, str]:
    cat = model.catalogue
    for who in (t.exporter, t.sender):
        j = model.entity_jurisdiction(who)
        if j != "unknown" and cat.resolve_location(j) is not None and gdpr.in_area(model, j, "US"):
            return True, f"{who} is organised in the US"
    if any(p != "unknown" and gdpr.in_area(model, p, "US")
           for p in model.systems[t.exit_edge.source].jurisdictions):
        return True, f"the data leaves {t.exit_edge.source} in the US (a person in the US)"
    return False, (f"neither {t.exporter} nor {t.sender} is organised in the US and the data "
                   "does not leave from the US")


def _transaction(model: ResolvedModel, t: Transfer) -> str | None:
    if t.exit_edge.kind == "flow":
        return model.flows[t.exit_edge.object_id].doj_transaction
    return None


def assess(model: ResolvedModel, analysis: Analysis, options: CheckOptions) -> RegimeResult:
    result = RegimeResult()
    cat = model.catalogue
    cc = cat.doj_countries_of_concern
    family = analysis.family or CohortFamily(model.cohorts)
    transfers = all_transfers(model, analysis)
    run = _Run(model)
    covered: dict[str, Covered] = {}
    groups: dict[tuple[str, str], list[Transfer]] = defaultdict(list)
    brokered: list[Transfer] = []
    for t in transfers:
        cov = run.covered_person(t.recipient, recipient_places(t), cc)
        if cov.covered:
            covered[t.id] = cov
            groups[(t.exporter, t.recipient)].append(t)
        elif _transaction(model, t) == "brokerage" and not all(
                p != "unknown" and gdpr.in_area(model, p, "US")
                for p in t.recipient_jurisdictions):
            brokered.append(t)
    rows: dict[str, dict[str, Any]] = {}
    for (exporter, recipient), ts in sorted(groups.items()):
        bulk = count_bulk(model, family, ts, run)
        row = rows.setdefault(exporter, {})[recipient] = {
            "counts": bulk.counts, "bulk": bulk.bulk, "combined": bulk.combined,
            "crossed_on": bulk.crossed_on}
        texts = _GroupTexts(model, exporter, recipient, bulk)
        outcomes = row["outcomes"] = {}
        for t in ts:
            one = _assess(model, t, covered[t.id], bulk, result, run, texts)
            outcomes[t.id] = one.exemption if one.status == "not-required" else one.status
            result.assessments.append(one)
    for t in brokered:
        key = (t.exporter, t.recipient)
        bulk = count_bulk(model, family, [x for x in brokered if (x.exporter, x.recipient) == key],
                          run)
        a = _onward_clause(model, t, bulk, result)
        if a is not None:
            result.assessments.append(a)
    result.findings.extend(_inside_area(model, transfers, cc))
    extra = _row_extra(model)
    for exporter in sorted(rows):
        result.exporters.append(_row(model, family, exporter, rows[exporter], groups, run,
                                     extra))
    return result


def _row_extra(model: ResolvedModel) -> dict[str, Any]:
    """The thresholds and window of every exporter row: the same dicts for all (only
    serialised)."""
    return {"thresholds": {**THRESHOLDS, "rule": "more than the number (exclusive); "
                           "government-related data at any volume"},
            "window": {"from": _window_start(model).isoformat(),
                       "to": model.evaluation_date.isoformat(),
                       "note": "transfers active in the preceding 12 months or planned "
                       "after the evaluation date are aggregated per covered person"}}


def _row(model: ResolvedModel, family: CohortFamily, exporter: str,
         by_recipient: dict[str, Any], groups: dict[tuple[str, str], list[Transfer]],
         run: _Run | None = None, extra: dict[str, Any] | None = None) -> ExporterRow:
    run = run or _Run(model)
    extra = extra or _row_extra(model)
    start = run.window
    doj = run.doj
    persons: set[str] = set()
    sensitive: set[str] = set()
    for rec in by_recipient:
        for t in groups.get((exporter, rec), []):
            if t.exit_edge.period[1] < start:
                continue
            for tok in t.tokens:
                if tok.cohort and run.us_cohort(tok.cohort) and \
                        family.unit(tok.cohort) == "persons":
                    persons.add(tok.cohort)
                    if doj.get(tok.category):
                        sensitive.add(tok.cohort)
    outcomes = [o for r in by_recipient.values() for o in r.get("outcomes", {}).values()]
    tier = ("prohibited" if "blocked" in outcomes else
            "restricted" if "gap" in outcomes or "ok" in outcomes else
            "below-threshold" if "below-threshold" in outcomes else "not-covered")
    return ExporterRow(
        exporter=exporter, regime=REGIME, year=model.reporting_year,
        ordinary=family.union(persons, model.evaluation_date).total,
        sensitive=family.union(sensitive, model.evaluation_date).total, tier=tier,
        tier_crossed_on=None, basis=[CIT_BULK, CIT_COC],
        extra={"by_covered_person": by_recipient, **extra})


class _GroupTexts:
    """Texts and steps of one (exporter, covered person) group: its bulk count is shared, so
    step 3 and the DOJ203 note are the same for its transfers with the same classes."""

    def __init__(self, model: ResolvedModel, exporter: str, recipient: str, bulk: Bulk) -> None:
        counts = ", ".join(f"{k} {v:,}" + (f" (bulk above {THRESHOLDS[k]:,})"
                                           if k in THRESHOLDS else "")
                           for k, v in sorted(bulk.counts.items()))
        crossed = ", ".join(f"{k} {v}" for k, v in sorted(bulk.crossed_on.items()))
        self.bulk_detail = (
            f"aggregated per covered person ({exporter} -> {recipient}) over the 12 "
            f"months before {model.evaluation_date.isoformat()}: {counts or 'nothing'}"
            + ("; combined data at the lowest threshold of its classes" if bulk.combined else "")
            + (f"; threshold first exceeded on {crossed}" if crossed else ""))
        self.unit_notes = "; ".join(bulk.unit_notes)
        self.bulk_set = set(bulk.bulk)
        self.steps: dict[tuple[str, ...], Step] = {}

    def bulk_step(self, hit: list[str]) -> Step:
        key = tuple(hit)
        step = self.steps.get(key)
        if step is None:
            step = self.steps[key] = Step("3. bulk", ", ".join(hit) or "below thresholds",
                                          self.bulk_detail)
        return step


def _assess(model: ResolvedModel, t: Transfer, cov: Covered, bulk: Bulk,
            result: RegimeResult, run: _Run | None = None,
            texts: _GroupTexts | None = None) -> Assessment:
    run = run or _Run(model)
    texts = texts or _GroupTexts(model, t.exporter, t.recipient, bulk)
    a = Assessment(transfer=t, regime=REGIME, required=[], basis=[CIT_BULK, CIT_COC])
    tr = a.trace
    e = t.exit_edge
    tr.append(Step("0. scope", f"{e.kind} '{e.key}'", f"from "
                   f"{e.source} to {t.recipient_node} "
                   f"({','.join(t.recipient_jurisdictions)}), recipient {t.recipient}; "
                   f"evaluated in area {t.area}"))
    step1, warn = run.cov_step(cov)
    tr.append(step1)
    if warn is not None:
        a.warnings.append(warn)
    if e.period[1] < run.window:
        tr.append(Step("2. window", "outside", f"the transfer ended on "
                       f"{e.period[1].isoformat()}, more than 12 months before the "
                       "evaluation date"))
        _not_required(a, "outside-window")
        return a
    mine = _doj_tokens(model, t.tokens, run)
    us_toks = [(c, x) for c, x in mine if c == "government" or run.us_cohort(x.cohort)]
    mine_classes = {c for c, _ in us_toks}
    anon = sorted({x.category for _, x in us_toks if x.anonymised})
    classes = ", ".join(sorted(mine_classes)) or "none"
    skey = ("2", classes, *anon)
    step2 = run.steps.get(skey)
    if step2 is None:  # the same for every transfer with these classes and anonymised data
        step2 = run.steps[skey] = Step(
            "2. US persons' sensitive data", classes,
            "classes from the categories' `doj` key; US persons = cohorts with "
            "us_persons: true or residence US" + (f"; anonymised/aggregated data still "
                                                  f"counts ({', '.join(anon)})"
                                                  if anon else ""))
    tr.append(step2)
    if bulk.uncounted:
        named = {x.category for _, x in mine if x.cohort}
        uncounted = [c for c in bulk.uncounted if c not in named]
        if uncounted:
            result.findings.append(Finding(
                "DOJ206", "warning", f"{t.id}: DOJ-class data with no cohort "
                f"({', '.join(uncounted)}) reaches covered person {t.recipient}; nobody is "
                "counted for it", CIT_BULK, transfer=t.id, path=gdpr.finding_path(model, t), regime=REGIME))
    if bulk.unit_notes:
        result.findings.append(Finding(
            "DOJ203", "warning", f"{t.id}: {texts.unit_notes}", CIT_BULK,
            transfer=t.id, path=gdpr.finding_path(model, t), regime=REGIME))
    hit: list[str] = []  # nothing is bulk in most groups
    if texts.bulk_set:
        hit = sorted(mine_classes & texts.bulk_set)
        if "genomic" in mine_classes and "omic" in texts.bulk_set and "genomic" not in hit:
            hit = sorted({*hit, "genomic"})
    tr.append(texts.bulk_step(hit))
    if not hit:
        a.required = run.none
        a.status = "not-required"
        a.self_executing = True
        a.exemption = "below-threshold"
        return a
    if bulk.combined:
        a.warnings.append(Warning_(
            "DOJ-U-COMBINED", f"no class alone exceeds its threshold, but combined data is read "
            f"as bulk when any class exceeds the lowest threshold of the classes held "
            f"({bulk.counts.get('combined_lowest_threshold', 0):,}) [U]",
            "if combined data is not read this way: below the thresholds, not a covered data "
            "transaction", CIT_BULK))
    txn = _transaction(model, t)
    outcome = _outcome(a, t, hit, txn, bulk)
    ok, why = us_person(model, t)
    if model.evaluation_date < IN_FORCE:
        tr.append(Step("5. in force?", "no", f"28 CFR Part 202 applies from "
                       f"{IN_FORCE.isoformat()}; evaluation date "
                       f"{model.evaluation_date.isoformat()}"))
        _not_required(a, "not-in-force")
        return a
    if not ok:
        tr.append(Step("5. US person?", "no", why + "; 28 CFR Part 202 binds US persons"))
        a.warnings.append(Warning_(
            "DOJ-U-US-PERSON", f"{why}; the rule binds US persons (and forbids US persons to "
            "direct or evade it) [U]", f"if a US person engages in or directs the "
            f"transaction: {outcome}", CIT_RULE))
        if outcome != "not covered":
            result.findings.append(Finding(
                "DOJ207", "warning", f"{t.id}: {t.exporter} is not a US person; if a US person "
                f"engages in or directs it, the transaction is {outcome}", CIT_RULE,
                transfer=t.id, path=gdpr.finding_path(model, t), regime=REGIME))
        _not_required(a, "not-a-us-person")
        return a
    tr.append(Step("5. US person?", "yes", why))
    if cov.uncertain and not cov.reasons and outcome != "not covered":
        result.findings.append(Finding(
            "DOJ207", "warning", f"{t.id}: {'; '.join(cov.uncertain)}", CIT_COVERED,
            transfer=t.id, path=gdpr.finding_path(model, t), regime=REGIME))
    if outcome.startswith("prohibited"):
        a.status = "blocked"
        a.required = []
        code = "DOJ201" if "'omic" in outcome else "DOJ200"
        cit = CIT_OMIC if code == "DOJ201" else CIT_BROKERAGE
        a.basis = [cit, CIT_BULK, CIT_COC, CIT_LICENSE]
        result.findings.append(Finding(
            code, "error", f"{t.id}: {outcome} — {model.entity_name(t.exporter)} -> "
            f"{model.entity_name(t.recipient)} ({','.join(t.recipient_jurisdictions)}), "
            f"{', '.join(hit)} above the bulk thresholds", cit, transfer=t.id,
            path=gdpr.finding_path(model, t), regime=REGIME, hint="stop the transaction, or obtain a DOJ "
            "licence (28 CFR Subpart H) and waive with its reference"))
        return a
    a.required = ["us-doj-dsp.cisa-security-requirements"]
    a.basis = [CIT_RESTRICTED, CIT_CISA, CIT_BULK, CIT_COC]
    a.mechanism_details = {"us-doj-dsp.cisa-security-requirements": {
        "transaction": txn or "vendor (assumed)", "classes": hit,
        "counts": {k: v for k, v in bulk.counts.items()},
        "requirements": "CISA Security Requirements for Restricted Transactions: "
        "organisational and system-level requirements, data-level requirements (minimisation, "
        "encryption, privacy-enhancing techniques, access denial to covered persons)"}}
    if model.evaluation_date >= COMPLIANCE_FROM:
        a.duties.append(DutyReq(
            "us-doj-dsp.compliance-program", CIT_COMPLIANCE, "data compliance program: due "
            "diligence and verification of data flows, written policies, annual independent "
            "audit, records (in force 6 Oct 2025)", party=t.recipient))
    else:
        tr.append(Step("6. compliance program", "not yet", "due diligence, audit and reporting "
                       "duties apply from 6 Oct 2025"))
    a.status = "gap"
    return a


def _not_required(a: Assessment, why: str) -> None:
    a.required = ["none"]
    a.status = "not-required"
    a.self_executing = True
    a.exemption = why


def _outcome(a: Assessment, t: Transfer, hit: list[str], txn: str | None, bulk: Bulk) -> str:
    tr = a.trace
    omic = [c for c in hit if c in ("omic", "genomic")]
    if omic:
        tr.append(Step("4. transaction", "prohibited ('omic)", f"access to bulk human 'omic data "
                       f"({', '.join(omic)}) by a covered person is prohibited whatever the "
                       f"transaction class ({txn or 'not stated'}) (§ 202.303)"))
        return "prohibited (bulk human 'omic data)"
    if txn == "brokerage":
        tr.append(Step("4. transaction", "prohibited (data brokerage)", "data brokerage with a "
                       "country of concern or covered person (§ 202.301)"))
        return "prohibited (data brokerage)"
    if txn in RESTRICTED:
        tr.append(Step("4. transaction", f"restricted ({txn} agreement)", "allowed only with the "
                       "CISA security requirements and a data compliance program (§§ 202.401-402)"))
        return f"restricted ({txn} agreement)"
    tr.append(Step("4. transaction", "restricted (assumed vendor agreement)", "the exit "
                   f"{t.exit_edge.kind} states no doj_transaction"))
    a.warnings.append(Warning_(
        "DOJ-U-TRANSACTION", "the transaction class is not stated; a vendor agreement "
        "(restricted) is assumed", "if it is data brokerage: prohibited (§ 202.301); if it is "
        "none of brokerage, vendor, employment or investment agreements: not a covered data "
        "transaction", CIT_RESTRICTED))
    return "restricted (assumed vendor agreement)"


def _onward_clause(model: ResolvedModel, t: Transfer, bulk: Bulk,
                   result: RegimeResult) -> Assessment | None:
    ok, why = us_person(model, t)
    if not ok or not bulk.bulk or model.evaluation_date < IN_FORCE:
        return None
    cc = model.catalogue.doj_countries_of_concern
    a = Assessment(transfer=t, regime=REGIME, required=["us-doj-dsp.onward-transfer-clause"],
                   basis=[CIT_ONWARD, CIT_BULK])
    a.trace.append(Step("0. scope", "data brokerage to a foreign person", f"{t.exporter} "
                        f"brokers {', '.join(bulk.bulk)} to {t.recipient} "
                        f"({','.join(t.recipient_jurisdictions)}), not a covered person; {why}"))
    a.trace.append(Step("4. transaction", "allowed with a contractual bar", "the contract must "
                        "forbid onward transfer to countries of concern or covered persons and "
                        "the US person must report known or suspected violations (§ 202.302)"))
    a.mechanism_details = {"us-doj-dsp.onward-transfer-clause": {"classes": bulk.bulk,
                                                                 "counts": bulk.counts}}
    bad = sorted({f"{ent} ({j})" for ent, _, j in t.onward
                  if j in cc or covered_person(model, ent, [j], cc).reasons})
    if bad:
        result.findings.append(Finding(
            "DOJ208", "error", f"{t.id}: brokered bulk data travels on to {', '.join(bad)}",
            CIT_ONWARD, transfer=t.id, path=gdpr.finding_path(model, t), regime=REGIME))
        a.trace.append(Step("5. onward", "reaches a country of concern", ", ".join(bad)))
    a.status = "gap"
    return a


def _inside_area(model: ResolvedModel, transfers: list[Transfer],
                 cc: frozenset[str]) -> list[Finding]:
    """Edges into a covered person that cross no area border (not assessed)."""
    exits = {t.exit_edge.object_id for t in transfers}
    doj_prefixes: set[str] = set()
    for cid, info in model.categories.items():
        if info.doj:
            parts = cid.split(".")
            doj_prefixes.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    cache: dict[str, Covered] = {}
    systems = model.systems
    hits: list[tuple[str, str, Covered, list[str]]] = []
    for fid, f in model.flows.items():  # the few hits are sorted below
        if fid in exits or doj_prefixes.isdisjoint(f.categories):
            continue
        target = systems[f.to]
        op = target.operator
        source = systems[f.from_]
        if op == source.operator:
            continue
        cov = cache.get(f.to)
        if cov is None:
            cov = cache[f.to] = covered_person(model, op, target.jurisdictions, cc)
        if not cov.reasons:
            continue
        shared = (set(source.jurisdictions) & set(target.jurisdictions)) - cc - {"unknown"}
        if source.kind == "client":
            continue
        if not shared:
            continue
        hits.append((fid, op, cov, sorted(shared)))
    out = []
    for fid, op, cov, shared_sorted in sorted(hits, key=lambda h: h[0]):
        out.append(Finding(
            "DOJ204", "warning", f"flow '{fid}' gives covered person {op} DOJ-class data inside "
            f"{', '.join(shared_sorted)} ({'; '.join(cov.reasons)}); not assessed: no area "
            "border is crossed", CIT_COVERED, object_id=fid, regime=REGIME))
    return out
