"""PIPL, DSL, CSL and the 2024 Provisions: what each CN transfer needs (regulatory.md §2).

The decision procedure follows §2.6 step by step and records each step in the assessment's
trace. Thresholds are encoded as written: 以上 includes the number (Civil Code Art. 1259).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..counting import CohortFamily
from ..resolve import ResolvedModel
from ..transfers import Analysis, Token, Transfer
from . import gdpr
from .base import (
    RULES_AS_OF,
    Assessment,
    CheckOptions,
    Citation,
    DutyReq,
    ExporterRow,
    Finding,
    FindingCode,
    RegimeResult,
    Step,
    Warning_,
    cite,
    transfers_for,
    working_days_after,
    working_days_before,
)

REGIME = "pipl"
AS_OF = RULES_AS_OF

# thresholds (Provisions Arts 5(4), 7, 8): reaching the number counts (以上)
N_SC = 100_000
N_SA = 1_000_000
S_SA = 10_000


_c = cite


PROV = "Provisions on Promoting and Regulating Cross-Border Data Flows (CAC Order No. 16, 2024)"
PIPL = "Personal Information Protection Law (PIPL)"
SCCM = "Measures on the Standard Contract for Outbound Transfer of PI (CAC Order No. 13)"
SAM = "Measures for Security Assessment of Outbound Data Transfers (CAC Order No. 11)"
CERTM = "Measures for Personal Information Outbound Certification (CAC/SAMR Order No. 20)"
GENAI = "Interim Measures for the Management of Generative AI Services (2023)"
DSL = "Data Security Law (DSL)"
CSL = "Cybersecurity Law (CSL)"
GBA = "GBA Standard Contract Implementation Guidelines (Mainland-HK 2023; Mainland-Macao 2024)"

CIT_ART3 = _c(PROV, "Art. 3", "V")
CIT_PIPL3_2 = _c(PIPL, "Arts 3(2), 53", "V")
CIT_GUIDE_EXPORT = _c("Guidelines for Filing the Standard Contract for Outbound Transfer of PI "
                      "(2nd ed.)", "forms of export (i)-(iii)", "V")
CIT_ART4 = _c(PROV, "Art. 4", "V")
CIT_ART5_1 = _c(PROV, "Art. 5(1)", "V")
CIT_ART5_2 = _c(PROV, "Art. 5(2)", "V")
CIT_ART5_3 = _c(PROV, "Art. 5(3)", "V")
CIT_ART5_4 = _c(PROV, "Art. 5(4)", "V")
CIT_ART5_LAST = _c(PROV, "Art. 5 last para.", "K")
CIT_ART6 = _c(PROV, "Art. 6", "V")
CIT_ART7 = _c(PROV, "Art. 7", "V")
CIT_ART8 = _c(PROV, "Art. 8", "V")
CIT_ART9 = _c(PROV, "Art. 9", "V")
CIT_ART10 = _c(PROV, "Art. 10", "K")
CIT_PIPL38 = _c(PIPL, "Art. 38")
CIT_PIPL39 = _c(PIPL, "Art. 39")
CIT_PIPL13 = _c(PIPL, "Art. 13 para. 2", "V")
CIT_PIPL55 = _c(PIPL, "Art. 55(4), Art. 56")
CIT_PIPL29 = _c(PIPL, "Arts 28-30")
CIT_PIPL31 = _c(PIPL, "Art. 31")
CIT_PIPL21 = _c(PIPL, "Art. 21")
CIT_PIPL40 = _c(PIPL, "Art. 40")
CIT_CIVIL1259 = _c("Civil Code of the PRC", "Art. 1259 (以上 includes the number)", "V")
CIT_CSL37 = _c(CSL, "Art. 37 (numbering after the 2025 amendment unverified)", "U")
CIT_DSL31 = _c(DSL, "Art. 31")
CIT_SCC7 = _c(SCCM, "Art. 7", "V")
CIT_SCC4 = _c(SCCM, "Art. 4", "V")
CIT_SCC_PARTY = _c(PIPL, "Art. 38(1)(3) (a contract with the overseas recipient)")
CIT_SA4 = _c(SAM, "Arts 4, 7")
CIT_SA14 = _c(SAM, "Art. 14")
CIT_CERT = _c(CERTM, "Arts 3-4", "V")
# before Order No. 20 (in force 1 Jan 2026) the route rested on PIPL Art. 38(1)(2) and the 2022
# implementation rules (regulatory.md §2.9 "Earlier basis")
CIT_CERT_2022 = _c("Announcement of SAMR and CAC on Implementing PI Protection Certification "
                   "(Nov 2022) and its implementation rules", "under PIPL Art. 38(1)(2)", "K")
CIT_SA_ART4 = _c(SAM, "Art. 4 (since 1 January of the previous year: 100,000 individuals' PI "
                 "or 10,000 individuals' sensitive PI; processors of 1,000,000 individuals)")
CIT_PROV14 = _c(PROV, "Art. 14 (in force 22 Mar 2024)", "V")
CIT_GENAI = _c(GENAI, "Arts 2, 17, 22(2)", "V")
CIT_MSS = Citation("Ministry of State Security, 《\"AI中转站\"，风险要防范》", "WeChat, 8 June 2026", "V",
                   AS_OF)
CIT_GBA = _c(GBA, "scope and onward-transfer limit", "V")
# each GBA contract is its own instrument (regulatory.md §2.1, §2.10)
CIT_GBA_HK = _c("GBA Standard Contract (Mainland-HK) Implementation Guidelines "
                "粤港澳大湾区（内地、香港）个人信息跨境流动标准合同实施指引 (CAC + HK ITIB, 13 Dec 2023)",
                "scope; no volume cap; no onward transfer outside the GBA", "V")
CIT_GBA_MO = _c("GBA Standard Contract (Mainland-Macao) Implementation Guidelines "
                "粤港澳大湾区（内地、澳门）个人信息跨境流动标准合同实施指引 (CAC + Macao DSEDT + DSPDP, "
                "10 Sep 2024)", "scope; no volume cap", "V")
CIT_GBA_MO_ONWARD = _c(CIT_GBA_MO.instrument, "onward-transfer limits (assumed parallel to the "
                       "Mainland-HK contract)", "U")
GBA_FROM = {"HK": dt.date(2023, 12, 13), "MO": dt.date(2024, 9, 10)}
CIT_HGR = _c("Regulations on Human Genetic Resources; sector rules", "(overlay, flagged only)")

FINDING_CODES: dict[str, FindingCode] = {c.code: c for c in [
    FindingCode("PIPL100", "error", "PIPL transfer mechanism missing",
                "A transfer out of mainland China needs a mechanism (security assessment, "
                "standard contract or certification) and the model declares none that covers "
                "it.", "Declare the mechanism under `safeguards:` (exporter, recipients, "
                "categories, effective date), or change the flow.", CIT_PIPL38),
    FindingCode("PIPL101", "error", "PIPL mechanism insufficient",
                "A safeguard is declared, but it is not one the transfer's tier accepts (e.g. a "
                "standard contract where a security assessment is due).",
                "Apply for the mechanism the assessment requires.", CIT_ART7),
    FindingCode("PIPL102", "error", "PIPL safeguard expired or not yet effective",
                "The safeguard that would cover the transfer is not valid on the evaluation "
                "date.", "Renew it (SA: extension within 60 working days before expiry) or fix "
                "the dates.", CIT_ART9),
    FindingCode("PIPL103", "warning", "PIPL safeguard expiring soon",
                "The covering safeguard expires within the warning window (--warn-expiring), "
                "or is a certificate past its re-application date (6 months before expiry).",
                "Start the renewal now.", CIT_ART9),
    FindingCode("PIPL104", "error", "PIPL safeguard out of scope",
                "A safeguard names the exporter and recipient but not every category the "
                "transfer carries.", "Extend the safeguard's categories (and re-file: SCC "
                "Measures Art. 8).", _c(SCCM, "Art. 8")),
    FindingCode("PIPL105", "error", "Standard contract not filed",
                "A PIPL standard contract in force has no `filed_on` although the filing "
                "deadline (10 working days after it took effect) has passed.",
                "File the contract and the PIPIA report with the provincial CAC, then record "
                "`filed_on`.", CIT_SCC7),
    FindingCode("PIPL106", "warning", "Standard contract filed late",
                "The contract was filed after the deadline of 10 working days after it took "
                "effect.", "Keep the record of the late filing; file new contracts on time.",
                CIT_SCC7),
    FindingCode("PIPL110", "error", "PIPL duty not declared",
                "A duty that no mechanism replaces (notice, separate consent, PIPIA, entrustment "
                "agreement, guardian consent) is not declared under `duties:`.",
                "Do it and declare it with done_on and a reference.", CIT_ART10),
    FindingCode("PIPL200", "error", "Public GenAI service on an unfiled or overseas model",
                "A public generative-AI service in mainland China uses a model that is not "
                "filed, or reaches an overseas model; no transfer mechanism cures this.",
                "Move the public service to a filed model (and register the app), or stop "
                "offering it to the public.", CIT_GENAI),
    FindingCode("PIPL201", "warning", "AI relay on a transfer path",
                "Data leaves through an 'AI relay' (中转站); the MSS warned on 8 June 2026 that "
                "relays leak data and move it abroad without qualification.",
                "Connect to the model directly or through an authorised platform; desensitise "
                "data first; review the relay's entrustment.", CIT_MSS),
    FindingCode("PIPL202", "error", "PIPL exemption claimed but not available",
                "An exemption claim does not hold for the transfer (e.g. Art. 4 with domestic "
                "PI added, Art. 5(2) for people who are not employees, Art. 6 for an entity not "
                "registered in an FTZ).", "Remove the claim; the normal tier applies.", CIT_ART4),
    FindingCode("PIPL203", "error", "Exemption claimed for important data",
                "Important data is never exempted (Provisions Art. 5 last paragraph, Art. 7).",
                "Apply for a security assessment.", CIT_ART5_LAST),
    FindingCode("PIPL204", "error", "Core data leaves mainland China",
                "Core data is under the strictest management (DSL Art. 21); exporting it is not "
                "a matter a transfer mechanism settles.", "Stop the flow; consult the sector "
                "authority.", _c(DSL, "Art. 21")),
    FindingCode("PIPL205", "warning", "Sector overlay on a transfer",
                "A category carries a sector regime (human genetic resources, surveying and "
                "mapping, finance, automotive, state secrets) that dataflow flags but does not "
                "decide.", "Check the sector rules.", CIT_HGR),
    FindingCode("PIPL206", "warning", "Possible transfer (location unknown)",
                "Data reaches a system whose location is `unknown`: treated as an export until "
                "its location is known.", "Find out where the system runs.", CIT_PIPL38),
    FindingCode("PIPL207", "warning", "PIPL interpretation point",
                "A [U] point of the rules decides this outcome; the assessment shows the "
                "alternative outcome.", "Review the warning with counsel.", CIT_ART7),
    FindingCode("PIPL208", "warning", "Standard contract names several recipients",
                "A PIPL standard contract is signed with one overseas recipient; this safeguard "
                "lists several.", "Declare one safeguard per overseas recipient.", CIT_SCC7),
    FindingCode("PIPL209", "warning", "Relay without an entrustment agreement",
                "An entrusted party (e.g. a relay) on the path needs a written entrustment "
                "agreement (PIPL Art. 21). Not emitted on its own: a relay that is the "
                "exporter's processor or sub-processor is an entrusted party, and its missing "
                "agreement is the PIPL110 duty pipl.entrustment-agreement@<party>.",
                "Declare duty pipl.entrustment-agreement.",
                CIT_PIPL21),
    FindingCode("PIPL211", "warning", "Overseas recipient does not serve mainland China",
                "The transfer needs a standard contract, which is signed with the overseas "
                "recipient itself, and the recipient states `serves_mainland_china: false`: a "
                "vendor that does not serve mainland users often will not sign one "
                "(regulatory.md §1.2 item 4).", "Ask the vendor to sign the standard contract, "
                "or route the data to a recipient that will (or one with another mechanism).",
                CIT_SCC_PARTY),
    FindingCode("PIPL210", "warning", "Collected abroad from people in China",
                "A client system in the mainland sends personal information straight to a "
                "collector established outside it: no export by a processor in China, but PIPL "
                "reaches processing abroad of people in China (Art. 3(2)), and such a collector "
                "needs a representative or office in China (Art. 53).",
                "Check Art. 3(2) and Art. 53 with the overseas collector; if a processor in "
                "China decides this collection, name it as the flow's controller.", CIT_PIPL3_2),
]}


@dataclass
class _DataClass:
    personal: bool
    sensitive: bool
    important: list[str]
    core: list[str]
    overlays: list[str]
    minors: bool


def _classify(model: ResolvedModel, t: Transfer,
              family: CohortFamily | None = None) -> _DataClass:
    """``family``: to see children under 14 inside a carried cohort (a flow naming all
    customers carries the children among them: their PI is sensitive, PIPL Art. 28)."""
    family = family or CohortFamily(model.cohorts)
    personal = sensitive = minors = False
    important: list[str] = []
    core: list[str] = []
    overlays: set[str] = set()
    for tok in t.tokens:
        info = model.categories.get(tok.category)
        if info is None:
            continue
        if info.important_data is not None:
            important.append(tok.category)
        if info.core_data:
            core.append(tok.category)
        overlays.update(info.overlays)
        if info.personal and not tok.anonymised:
            personal = True
            minor = bool(tok.cohort and (model.cohorts[tok.cohort].minors_under_14
                                         or family.minors_within(tok.cohort)))
            minors = minors or minor
            if info.sensitive or minor:
                sensitive = True
    return _DataClass(personal, sensitive, sorted(set(important)), sorted(set(core)),
                      sorted(overlays), minors)


def _claims(model: ResolvedModel, t: Transfer) -> list[tuple[str, str]]:
    """(exemption id, claim) pairs that name this transfer's exit edge."""
    edge = t.exit_edge.object_id
    return sorted((xid, x.claim) for xid, x in model.exemptions.items() if edge in x.flows)


def _claims_index(model: ResolvedModel) -> dict[str, list[tuple[str, str]]]:
    """``_claims`` of every exit edge named by an exemption, built in one pass (each list is
    only read)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for xid, x in model.exemptions.items():
        for edge in set(x.flows):
            out.setdefault(edge, []).append((xid, x.claim))
    for pairs in out.values():
        pairs.sort()
    return out


def _personal_cohorts(model: ResolvedModel, tokens: Iterable[Token], family: CohortFamily
                      ) -> tuple[set[str], set[str], set[str]]:
    """The person cohorts with PI on the transfer: all of them (N), those with sensitive PI
    (S), and those with some non-sensitive PI (the other reading of N, §2.6). S gains the
    children under 14 inside each carried cohort (PIPL Art. 28), as transfers counts them."""
    n: set[str] = set()
    s: set[str] = set()
    o: set[str] = set()
    for tok in tokens:
        info = model.categories.get(tok.category)
        if not (info and info.personal) or tok.anonymised or tok.cohort is None:
            continue
        c = model.cohorts[tok.cohort]
        if c.unit != "persons":
            continue
        n.add(tok.cohort)
        s |= family.minors_within(tok.cohort)
        if info.sensitive or c.minors_under_14:
            s.add(tok.cohort)
        else:
            o.add(tok.cohort)
    return n, s, o


PROV_IN_FORCE = dt.date(2024, 3, 22)  # Provisions Art. 14
GENAI_IN_FORCE = dt.date(2023, 8, 15)  # Interim Measures for GenAI Services (regulatory.md §2.1)
MSS_WARNING = dt.date(2026, 6, 8)  # the MSS warning on AI relays (regulatory.md §1.1)
CERTM_IN_FORCE = dt.date(2026, 1, 1)  # Certification Measures (Order No. 20)


@dataclass(frozen=True)
class _Rules:
    """The volume rules in force on the evaluation date (regulatory.md §2.1, §2.5 'What
    changed versus 2022/2023'): the 2024 Provisions, or before 22 Mar 2024 the SA Measures Art.
    4 and SCC Measures Art. 4, which had no volume exemption, counted since 1 January of the
    previous year and sent a processor of 1,000,000 individuals to a security assessment."""
    provisions: bool
    n_sc: int  # ordinary-PI individuals from which a contract or certification is needed
    n_sa: int
    s_sa: int
    sa_basis: Citation
    sc_basis: Citation
    cert_basis: Citation

    def window_start(self, year: int) -> dt.date:
        # no year before year 1: the window then starts at the calendar's start
        return dt.date(year if self.provisions else max(year - 1, dt.MINYEAR), 1, 1)


def _rules(day: dt.date) -> _Rules:
    cert = CIT_CERT if day >= CERTM_IN_FORCE else CIT_CERT_2022
    if day >= PROV_IN_FORCE:
        return _Rules(True, N_SC, N_SA, S_SA, CIT_ART7, CIT_ART8, cert)
    return _Rules(False, 1, 100_000, 10_000, CIT_SA_ART4, CIT_SCC4, cert)


def _tier(n: int, s: int, ciio: bool, rules: _Rules | None = None, big: bool = False) -> str:
    """``big``: a processor of 1,000,000 individuals under the pre-2024 SA Measures Art. 4."""
    rules = rules or _RULES_NOW
    if ciio or big:
        return "security-assessment"
    if n >= rules.n_sa or s >= rules.s_sa:
        return "security-assessment"
    if n >= rules.n_sc or s >= 1 or not rules.provisions:
        return "standard-contract"
    return "exempt"


_RULES_NOW = _Rules(True, N_SC, N_SA, S_SA, CIT_ART7, CIT_ART8, CIT_CERT)


_TIER_MECH = {"security-assessment": ["pipl.security-assessment"],
              "standard-contract": ["pipl.standard-contract", "pipl.certification"],
              "exempt": ["pipl.exempt"]}


def assess(model: ResolvedModel, analysis: Analysis, options: CheckOptions) -> RegimeResult:
    result = RegimeResult()
    family = analysis.family or CohortFamily(model.cohorts)
    year = model.reporting_year
    rules = _rules(model.evaluation_date)
    # the counting window: since 1 January of this year (Provisions), of the previous year
    # before them (SA Measures Art. 4)
    year_start, year_end = rules.window_start(year), dt.date(year, 12, 31)
    cn = list(transfers_for(analysis, "CN"))
    by_exporter: dict[str, list[Transfer]] = defaultdict(list)
    for t in cn:
        by_exporter[t.exporter].append(t)
    # equal texts, steps and dicts the transfers share (not copied per transfer): every key
    # holds all the inputs of its value, so one memo serves the whole run
    shared: dict[Any, Any] = {}
    claims_of = _claims_index(model)

    born = _cohort_starts(model, year_start)
    handled_of = _handled_index(model) if by_exporter else {}
    for exporter in sorted(by_exporter):
        transfers = sorted(by_exporter[exporter], key=lambda x: x.id)
        ent = model.entities.get(exporter)
        ciio = bool(ent and ent.ciio and ent.ciio.notified)
        # the people whose PI the exporter handles (cohorts on flows of its own systems), not
        # only those it exports: PIPL Art. 40 / SA Measures Art. 4(2) speak of processing
        handled = family.union(handled_of.get(exporter, set()), year_end).total
        big = not rules.provisions and handled >= N_SA
        pre: dict[str, Assessment] = {}
        exempt_ids: set[str] = set()
        # each transfer's data class and cohorts, derived once (steps 1-6 all need them)
        dcs = {t.id: _classify(model, t, family) for t in transfers}
        cohorts = {t.id: _personal_cohorts(model, t.tokens, family) for t in transfers}
        for t in transfers:
            a = _pre_assess(model, t, ciio, result, dcs[t.id], shared,
                            claims_of.get(t.exit_edge.object_id, []), rules)
            pre[t.id] = a
            if a.status in ("exempt", "not-required"):
                exempt_ids.add(t.id)
        # volume tiers over non-exempt transfers (Provisions Arts 5(4), 7, 8)
        # [U] exempt transfers are left out of the counts unless --count-exempt says otherwise
        # a transfer outside the reporting year (ended before 1 January, or starting after
        # 31 December) is not an export of this year (Provisions Arts 5(4), 7, 8 count "since
        # 1 January of the current year")
        ended = {t.id for t in transfers
                 if _period(t)[1] < year_start or _period(t)[0] > year_end}
        for tid in sorted(ended):
            period = _period(pre[tid].transfer)
            pre[tid].trace.append(Step(
                "counting", "not counted", f"the transfer's period ended before "
                f"{year_start.isoformat()}: not part of this year's volume"
                if period[1] < year_start else
                f"the transfer's period (from the first day its data reaches the exit) starts "
                f"on {period[0].isoformat()}, after 31 December {year}: not part of this "
                "year's volume"))
        counted = [t for t in transfers if t.id not in ended
                   and (options.count_exempt or t.id not in exempt_ids)]
        n_set: set[str] = set()
        s_set: set[str] = set()
        entries_n: list[tuple[dt.date, str]] = []
        entries_s: list[tuple[dt.date, str]] = []
        for t in counted:
            n, s, _ = cohorts[t.id]
            n_set |= n
            s_set |= s
            start = max(_period(t)[0], year_start)
            # a cohort can only be carried once a flow naming it (its collection) has started
            # and its data reaches the exit (a relay fed from 1 July carries it from then)
            later = dict(t.cohort_from)

            def since(c: str, start: dt.date = start, later: dict[str, dt.date] = later,
                      n: set[str] = n) -> dt.date:
                day = later.get(c)
                if day is None and c not in n:  # children carried inside a named cohort
                    day = min((later.get(a, start) for a in family.ancestors(c) if a in n),
                              default=None)
                return max(start, day or start, born.get(c, start))

            entries_n += [(since(c), c) for c in n]
            entries_s += [(since(c), c) for c in s]
        N = family.union(n_set, year_end).total
        S = family.union(s_set, year_end).total
        # a CIIO needs an assessment for its non-exempt PI exports: with none, nothing is due
        # with nothing exported this year nothing is due, under either set of rules
        tier = (_tier(N, S, ciio, rules, big) if counted else
                _tier(N, S, False, _RULES_NOW))
        # [U] counting points of §2.6, each shown when the other reading changes the tier: a
        # person sent to two recipients counts once; a person whose sensitive PI is exported
        # counts in N too
        # (one that can only lower them changes nothing at the bottom tier: skipped unasked;
        # one that raises them can still decide an ordinary-only transfer at the top tier)
        bottom = tier == "exempt"
        per_recipient: dict[str, tuple[set[str], set[str]]] = {}
        for t in counted:
            n, s, _ = cohorts[t.id]
            rn, rs = per_recipient.setdefault(t.recipient, (set(), set()))
            rn |= n
            rs |= s
        readings: list[tuple[str, str, str, int, int, str, bool]] = []
        if len(per_recipient) > 1:
            n_rec = sum(family.union(rn, year_end).total for rn, _ in per_recipient.values())
            s_rec = sum(family.union(rs, year_end).total for _, rs in per_recipient.values())
            readings.append((
                "PIPL-U-DISTINCT", "a person sent to several recipients is counted once "
                "(distinct individuals; no official statement) [U]", "counted per recipient",
                n_rec, s_rec, _tier(n_rec, s_rec, ciio, rules, big), False))
        if not bottom and any("remote-access" in t.flags for t in counted):
            q_n: set[str] = set()
            q_s: set[str] = set()
            for t in counted:
                if "remote-access" not in t.flags:
                    q_n |= cohorts[t.id][0]
                    q_s |= cohorts[t.id][1]
            n_q = family.union(q_n, year_end).total
            s_q = family.union(q_s, year_end).total
            readings.append((
                "PIPL-U-REMOTE-COUNT", "everyone whose PI the remote accessor can reach is "
                "counted, queried or not (regulatory.md §7 item 3) [U]", "counting only what is "
                "actually queried (at the least none of it)", n_q, s_q, _tier(n_q, s_q, ciio, rules, big),
                True))
        devices = {
            tok.cohort for t in counted for tok in t.tokens
            if tok.cohort and not tok.anonymised and model.cohorts[tok.cohort].unit == "devices"
            and (info := model.categories.get(tok.category)) is not None and info.personal}
        if devices:
            n_dev = N + family.union(devices, year_end).total
            readings.append((
                "PIPL-U-DEVICES", "cohorts counted in devices are not counted as people [U]",
                "if each device were a distinct person", n_dev, S, _tier(n_dev, S, ciio, rules, big), False))
        if s_set and not bottom:
            o_set: set[str] = set()
            for t in counted:
                o_set |= cohorts[t.id][2]
            n_ord = family.union(o_set, year_end).total
            readings.append((
                "PIPL-U-SENSITIVE-IN-N", "people whose sensitive PI is exported also count "
                "toward the ordinary total N (conservative default) [U]", "counting in N only "
                "people with non-sensitive PI exported", n_ord, S, _tier(n_ord, S, ciio, rules, big), False))
        # §0: 以上 includes the number (Civil Code Art. 1259), but no CAC statement applies
        # Art. 1259 to the Provisions [U]: at exactly a threshold, English summaries' "more than"
        # gives the tier below
        at_n = N in (rules.n_sc, rules.n_sa) and N > 1
        at_s = rules.s_sa == S
        if at_n or at_s:
            n_gt, s_gt = N - at_n, S - at_s
            readings.append((
                "PIPL-U-ART1259", f"a count exactly at a threshold ({N:,} ordinary / {S:,} "
                "sensitive) reaches it: 以上 includes the number (Civil Code Art. 1259; no CAC "
                "statement applies it to the Provisions) [U]", "reading the thresholds as "
                "'more than'", n_gt, s_gt, _tier(n_gt, s_gt, ciio, rules, big), False))
        # §2.3 Art. 40, §7 item 5: whether a processor *handling* 1,000,000 people still owes
        # localisation and a security assessment for any export is unsettled [U]; the
        # Provisions' exported-volume tiers are the default (before them SA Measures Art.
        # 4(2) decided it: ``big``)
        if rules.provisions and not ciio and handled >= N_SA:
            readings.append((
                "PIPL-U-ART40", f"the exporter handles PI of {handled:,} individuals; the "
                "Provisions' exported-volume tiers are applied and PIPL Art. 40 is not read as "
                "a separate localisation duty for processors reaching the CAC volume [U]",
                "if Art. 40 attaches to processors handling 1,000,000 individuals (PI stored "
                "in China, exported only after a CAC security assessment)", N, S,
                "security-assessment", False))
        # a reading is shown on the exporter (PIPL207) and its counted transfers when it
        # changes the exporter's tier, and on every transfer whose own outcome it decides
        all_readings = readings
        readings = [r for r in readings if r[5] != tier]
        reading_cits = {"PIPL-U-ART1259": CIT_CIVIL1259, "PIPL-U-ART40": CIT_PIPL40}
        # the day each count reached the highest threshold it reaches (以上), and from it the
        # day the exporter's tier was reached
        n_limit = (rules.n_sa if rules.n_sa <= N else rules.n_sc if rules.n_sc <= N
                   else None)
        s_limit = rules.s_sa if rules.s_sa <= S else 1 if S >= 1 else None
        n_day = family.first_reached(entries_n, n_limit, year_end) if n_limit else None
        s_day = family.first_reached(entries_s, s_limit, year_end) if s_limit else None
        crossed = _crossing(tier, n_limit, n_day, s_limit, s_day, rules)
        reached = {"ordinary": {str(n_limit): n_day.isoformat()} if n_limit and n_day else {},
                   "sensitive": {str(s_limit): s_day.isoformat()} if s_limit and s_day else {}}
        # [U] what counting exempt transfers would give
        all_n: set[str] = set()
        all_s: set[str] = set()
        for t in transfers:
            if t.id in ended:
                continue
            n, s, _ = cohorts[t.id]
            all_n |= n
            all_s |= s
        N_all = family.union(all_n, year_end).total
        S_all = family.union(all_s, year_end).total
        tier_all = _tier(N_all, S_all, ciio, rules, big)
        province = ent.province if ent else None
        cac = model.catalogue.provincial_cac(province) if province else None
        authority = cac.get("cac_name_zh") if cac else None
        authority_en = cac.get("cac_name_en") if cac else None
        # important (or core) data needs a security assessment at any volume (Provisions Art.
        # 7(2)): the row says so, while each transfer keeps the tier of its counts
        data_sa = any(pre[t.id].exemption in ("important-data", "core-data") for t in transfers)
        row = ExporterRow(
            exporter=exporter, regime=REGIME, year=year, ordinary=N, sensitive=S,
            tier="security-assessment" if data_sa else tier,
            tier_crossed_on=crossed.isoformat() if crossed else None,
            basis=([CIT_ART5_4, CIT_ART7, CIT_ART8] if rules.provisions else
                   [CIT_SA_ART4, CIT_SCC4]) if not ciio else [rules.sa_basis, CIT_CSL37],
            extra={"ciio": ciio, "authority": authority, "authority_en": authority_en,
                   "province": province, "ordinary_if_exempt_counted": N_all,
                   "sensitive_if_exempt_counted": S_all, "tier_if_exempt_counted": tier_all,
                   "thresholds": {"standard_contract_ordinary": rules.n_sc,
                                  "security_assessment_ordinary": rules.n_sa,
                                  "security_assessment_sensitive": rules.s_sa,
                                  "rule": "以上 includes the number (Civil Code Art. 1259)"},
                   "reached_on": reached, "tier_by_counts": tier,
                   "important_data_assessment": data_sa,
                   "transfers": [t.id for t in transfers]})
        result.exporters.append(row)
        counted_set = {id(t) for t in counted}
        # one warning object per reading, shared by the exporter's counted transfers
        memo: dict[tuple[str, str | None, str | None], Warning_] = {}  # shared objects
        alternatives = [*all_readings] + ([(
            "PIPL-U-EXEMPT-COUNT", "exempt transfers are left out of the exporter's counts (no "
            "CAC statement settles it) [U]", "if they were counted", N_all, S_all, tier_all,
            False)] if tier_all != tier and exempt_ids else [])
        for t in transfers:
            a = pre[t.id]
            tiered = a.status not in ("exempt", "not-required") and not a.required
            if tiered:
                _apply_tier(model, a, t, N, S, tier, ciio, options, crossed, dcs[t.id],
                            shared, (n_day, s_day), rules, big)
            if t.id in exempt_ids and tier_all != tier and a.status == "exempt":
                a.warnings.append(Warning_(
                    "PIPL-U-EXEMPT-COUNT", "exempt transfers are left out of the exporter's "
                    "counts (no CAC statement settles it) [U]", f"if they were counted the "
                    f"exporter would be at {N_all:,} ordinary / {S_all:,} sensitive individuals: "
                    f"tier {tier_all}", CIT_ART7))
            sens = dcs[t.id].sensitive
            mine = _own_tier(sens, N, S, tier, rules, big, options.split_sa) if tiered else None
            for code, message, how, n_alt, s_alt, tier_alt, remote in alternatives:
                theirs = (_own_tier(sens, n_alt, s_alt, tier_alt, rules, big, options.split_sa)
                          if tiered else None)
                decided = theirs != mine
                exporter_wide = (tier_alt != tier and id(t) in counted_set
                                 and code != "PIPL-U-EXEMPT-COUNT"
                                 and (not remote or "remote-access" in t.flags))
                if not (decided or exporter_wide):
                    continue
                w = memo.get((code, mine, theirs))
                if w is None:
                    alt = (f"{how}: {n_alt:,} ordinary / {s_alt:,} sensitive individuals, tier "
                           f"{tier_alt} ({' or '.join(_TIER_MECH[tier_alt])})")
                    if decided and mine is not None and theirs is not None:
                        alt += (f"; this transfer would need "
                                f"{' or '.join(_TIER_MECH[theirs])} instead of "
                                f"{' or '.join(_TIER_MECH[mine])}")
                    w = memo[(code, mine, theirs)] = Warning_(
                        code, message, alt, reading_cits.get(code, CIT_ART7))
                a.warnings.append(w)
            _no_mainland_service(model, a, t, result)
            _duties(model, a, t, dcs[t.id], shared)
            a.filing = _filing(model, a, t, authority, authority_en, province, shared)
            result.assessments.append(a)
        for code, message, how, n_alt, s_alt, tier_alt, _remote in readings:
            result.findings.append(Finding(
                "PIPL207", "warning", f"{exporter}: {message}; {how}, the exporter would be at "
                f"{n_alt:,} ordinary / {s_alt:,} sensitive individuals (tier {tier_alt} instead "
                f"of {tier})", reading_cits.get(code, CIT_ART7), object_id=exporter,
                regime=REGIME))
        if tier_all != tier and exempt_ids:
            result.findings.append(Finding(
                "PIPL207", "warning", f"{exporter}: exempt transfers are not counted toward the "
                f"volume tiers [U]; counted, the exporter would be at {N_all:,} ordinary / "
                f"{S_all:,} sensitive individuals (tier {tier_all} instead of {tier})", CIT_ART7,
                object_id=exporter, regime=REGIME))
    result.findings.extend(_genai_findings(model))
    # the MSS warning PIPL201 cites exists from 8 June 2026 (regulatory.md §1.1): no relay
    # finding citing it on an earlier evaluation date
    relay_systems = ({sid for sid, s in model.systems.items() if s.kind == "relay"}
                     if model.evaluation_date >= MSS_WARNING else set())
    for t in cn:
        relays = [n for n in t.path if n in relay_systems]
        if relays:
            result.findings.append(Finding(
                "PIPL201", "warning", f"{t.id}: data reaches {t.recipient} "
                f"({','.join(t.recipient_jurisdictions)}) through the AI relay "
                f"{', '.join(relays)} — the MSS warned on 8 June 2026 that relays create "
                "unauthorised cross-border transfers", CIT_MSS, transfer=t.id,
                path=gdpr.finding_path(model, t), regime=REGIME))
        if t.possible:
            result.findings.append(Finding(
                "PIPL206", "warning", f"{t.id}: the recipient's location is unknown; treated as "
                "a possible export", CIT_PIPL38, transfer=t.id,
                path=gdpr.finding_path(model, t), regime=REGIME))
        if "direct-collection" in t.flags:
            result.findings.append(Finding(
                "PIPL207", "warning", f"{t.id}: collected in domestic operations and sent "
                "straight abroad from the users' devices; treated as an export [U] "
                "(alternative: collection abroad, reached by PIPL Art. 3(2))", CIT_GUIDE_EXPORT,
                transfer=t.id, path=gdpr.finding_path(model, t), regime=REGIME))
    for nt in analysis.not_transfers:
        if nt.area == "CN" and "established outside CN" in nt.reason:
            result.findings.append(Finding(
                "PIPL210", "warning", f"{nt.edge}: {nt.reason}", CIT_PIPL3_2,
                object_id=nt.edge, regime=REGIME))
    return result


def _period(t: Transfer) -> tuple[dt.date, dt.date]:
    """The days the transfer carries data: from the first day its data reaches the exit
    (``Transfer.period``; the exit edge's own period for callers that built no period)."""
    return t.period or t.exit_edge.period


def _no_mainland_service(model: ResolvedModel, a: Assessment, t: Transfer,
                         result: RegimeResult) -> None:
    """A standard contract is signed with the overseas recipient itself: one that does not
    serve mainland users (`serves_mainland_china: false`) will often not sign it (regulatory.md
    §1.2 item 4)."""
    if "pipl.standard-contract" not in a.required:
        return
    ent = model.entities.get(t.recipient)
    serves = ent.serves_mainland_china if ent is not None else None
    if serves is None:
        provider = model.catalogue.providers.get(t.recipient)
        serves = provider.serves_mainland_china if provider is not None else None
    if serves is not False:
        return
    name = model.entity_name(t.recipient)
    a.trace.append(Step("5c. recipient", "does not serve mainland China", f"the standard "
                        f"contract is signed with the overseas recipient {name}, which does not "
                        "offer its service to mainland users: it may not sign one"))
    result.findings.append(Finding(
        "PIPL211", "warning", f"{t.id}: the standard contract must be signed with {t.recipient} "
        f"({name}), which does not serve mainland China (`serves_mainland_china: false`): such "
        "a vendor often will not sign it", CIT_SCC_PARTY, transfer=t.id,
        path=gdpr.finding_path(model, t), regime=REGIME))


def _cohort_starts(model: ResolvedModel, year_start: dt.date) -> dict[str, dt.date]:
    """Per cohort, the first day this year a flow naming it runs: its people cannot be
    exported before they are collected (a trial launched on 1 July adds its users from then,
    also on older exit flows that name no cohort)."""
    out: dict[str, dt.date] = {}
    for f in model.flows.values():
        if not f.cohorts:
            continue
        begin = max(f.period.from_ or year_start, year_start) if f.period else year_start
        for c in f.cohorts:
            if c not in out or begin < out[c]:
                out[c] = begin
    return out


def _handled_index(model: ResolvedModel) -> dict[str, set[str]]:
    """Per entity, the person cohorts named on flows into or out of the systems it operates
    with personal information: the people whose PI it handles."""
    out: dict[str, set[str]] = {}
    for f in model.flows.values():
        if not f.cohorts or not any((info := model.categories.get(c)) is not None
                                    and info.personal for c in f.categories):
            continue
        people = {c for c in f.cohorts if c in model.cohorts
                  and model.cohorts[c].unit == "persons"}
        if not people:
            continue
        for sid in (f.from_, f.to):
            sys_ = model.systems.get(sid)
            if sys_ is not None and sys_.operator:
                out.setdefault(sys_.operator, set()).update(people)
    return out


def _crossing(tier: str, n_limit: int | None, n_day: dt.date | None, s_limit: int | None,
              s_day: dt.date | None, rules: _Rules | None = None) -> dt.date | None:
    """The first day a count reached a threshold of the exporter's tier."""
    rules = rules or _RULES_NOW
    if tier == "security-assessment":
        days = [n_day if n_limit == rules.n_sa else None,
                s_day if s_limit == rules.s_sa else None]
    elif tier == "standard-contract":
        days = [n_day if n_limit == rules.n_sc else None, s_day if s_limit == 1 else None]
    else:
        return None
    found = [d for d in days if d is not None]
    return min(found) if found else None


def _pre_assess(model: ResolvedModel, t: Transfer, ciio: bool,
                result: RegimeResult, dc: _DataClass | None = None,
                shared: dict[Any, Any] | None = None,
                claims: list[tuple[str, str]] | None = None,
                rules: _Rules | None = None) -> Assessment:
    """Steps 1-4 of §2.6: data class, important data, CIIO, path-level exemptions."""
    rules = rules or _RULES_NOW
    dc = dc or _classify(model, t)
    shared = {} if shared is None else shared
    a = Assessment(transfer=t, regime=REGIME, required=[], basis=[CIT_PIPL38])
    tr = a.trace
    tr.append(Step("0. scope", "export", f"{t.exit_edge.kind} '{t.exit_edge.key}' takes data "
                   f"from {t.exit_edge.source} (mainland) to {t.recipient_node} "
                   f"({','.join(t.recipient_jurisdictions)}); HK, MO and TW are outside the "
                   "mainland"))
    if "remote-access" in t.flags:
        tr[-1].detail += "; remote access from abroad is an export (CAC SCC Filing Guideline "
        "2nd ed.; Oct 2025 Q&A)"
    if "direct-collection" in t.flags:
        tr[-1].detail += ("; the data goes from the users' devices straight to a place outside "
                          "the mainland, collected by a processor established in China")
        a.warnings.append(Warning_(
            "PIPL-U-DIRECT-COLLECTION", "PI that a processor established in China collects "
            "in its domestic operations and sends straight abroad, with no mainland system "
            "first, is treated as an export (SCC Filing Guideline 2nd ed., form (i)) [U]",
            "if the collection itself is taken to happen abroad, no export mechanism applies, "
            "but PIPL still reaches the processing (Art. 3(2)) and its rules on consent, "
            "notice and security", CIT_GUIDE_EXPORT))
    claims = _claims(model, t) if claims is None else claims
    for core in dc.core:
        result.findings.append(Finding(
            "PIPL204", "error", f"{t.id}: core data '{core}' leaves mainland China",
            FINDING_CODES["PIPL204"].citation, transfer=t.id, path=gdpr.finding_path(model, t),
            regime=REGIME))
    for ov in dc.overlays:
        result.findings.append(Finding(
            "PIPL205", "warning", f"{t.id}: sector overlay '{ov}' applies to data on this "
            "transfer (flagged, not decided)", CIT_HGR, transfer=t.id, regime=REGIME))
    # 1. neither PI nor important (or core) data
    if not dc.personal and not dc.important and not dc.core:
        # no mechanism at all (§2.6 step 1), not an exemption from one: "none", as GDPR gives
        a.required = ["none"]
        a.status = "not-required"
        a.self_executing = True
        a.exemption = "no-personal-or-important-data"
        a.basis = ([CIT_ART3, _c("CAC data-export Q&A", "9 Apr 2025", "V")]
                   if rules.provisions else [CIT_PIPL38, CIT_SA_ART4])
        tr.append(Step("1. data class", "no PI, no important data",
                       "only non-personal or anonymised data: no mechanism needed"))
        return a
    key = ("1. data class", dc.personal, dc.sensitive, dc.minors, *dc.important)
    step = shared.get(key)
    if step is None:  # steps are shared between transfers: never changed once built
        step = shared[key] = Step(
            "1. data class", "personal information" if dc.personal else "important data only",
            f"sensitive: {'yes' if dc.sensitive else 'no'}; important data: "
            f"{', '.join(dc.important) or 'none'}; minors under 14: "
            f"{'yes' if dc.minors else 'no'}")
    tr.append(step)
    # 2. important data (core data is important data under stricter management, DSL Art. 21):
    # security assessment, never exempt
    if dc.important or dc.core:
        refs = []
        for cid in dc.important:
            imp = model.categories[cid].important_data
            if imp is not None:
                refs.append(f"{cid} ({imp.basis}{': ' + imp.ref if imp.ref else ''})")
        refs += [f"{cid} (core data: stricter management, DSL Art. 21; see PIPL204)"
                 for cid in dc.core if cid not in dc.important]
        a.required = ["pipl.security-assessment"]
        a.exemption = "core-data" if dc.core else "important-data"
        a.basis = [rules.sa_basis, CIT_DSL31, CIT_SA4]
        tr.append(Step("2. important data", "security assessment", "; ".join(refs) +
                       " — no exemption covers important data (Provisions Art. 5 last para.)"))
        for xid, claim in claims:
            result.findings.append(Finding(
                "PIPL203", "error", f"{t.id}: exemption '{xid}' ({claim}) is claimed, but the "
                f"transfer carries important data ({', '.join([*dc.important, *dc.core])})",
                CIT_ART5_LAST, transfer=t.id, object_id=xid, regime=REGIME))
            tr.append(Step("4. exemption claim", f"{claim} rejected", "important data"))
        return a
    key = ("2-3", ciio, rules.provisions)
    steps = shared.get(key)
    if steps is None:
        steps = shared[key] = (
            Step("2. important data", "none", "no category is notified or in a published "
                 "catalogue (" + ("Provisions Art. 2)" if rules.provisions else
                                  "SA Measures Art. 19)")),
            Step("3. CIIO", "yes", "a notified critical information infrastructure "
                 "operator: security assessment unless Art. 4, 5(1)-(3) or 6 applies; "
                 "Art. 5(4) is never available") if ciio else
            Step("3. CIIO", "no", "the exporter is not a notified CIIO"))
    tr.extend(steps)
    # 4. exemptions (Arts 4, 5(1)-(3), 6 are open to a CIIO too)
    if rules.provisions:
        exemption = _exemptions(model, t, claims, ciio, tr, result, shared)
    else:
        exemption = None
        _no_exemptions_yet(model, t, claims, tr, result)
    if exemption is not None:
        art, cit = exemption
        a.required = ["pipl.exempt"]
        a.status = "exempt"
        a.self_executing = True
        a.exemption = art
        a.basis = [cit, CIT_ART10]
        a.mechanism_details = {"pipl.exempt": {"article": art}}
        return a
    # 3. CIIO exporting PI, no exemption
    if ciio:
        a.required = ["pipl.security-assessment"]
        a.basis = [rules.sa_basis, CIT_CSL37, CIT_PIPL40]
        tr.append(Step("3. CIIO", "security assessment", "no exemption applies; the volume "
                       "tiers do not matter for a CIIO (" + ("Provisions Art. 7(1))"
                       if rules.provisions else "SA Measures Art. 4(2))")))
        _gba_warning(model, a, t, ciio, "security-assessment")
    return a


def _no_exemptions_yet(model: ResolvedModel, t: Transfer, claims: list[tuple[str, str]],
                       tr: list[Step], result: RegimeResult) -> None:
    """Before 22 Mar 2024 none of the Provisions' exemptions (Arts 3-6) existed: a claim is
    rejected (regulatory.md §2.1, §2.5)."""
    tr.append(Step("4. exemptions", "none exist", "the Provisions (CAC Order No. 16), whose "
                   "Arts 3-6 exempt transfers, take effect on 22 Mar 2024; the SA and SCC "
                   "Measures had no exemptions"))
    for xid, claim in claims:
        tr.append(Step(f"4. {claim} claim", "rejected", "not yet in force"))
        result.findings.append(Finding(
            "PIPL202", "error", f"{t.id}: exemption '{xid}' claims {claim}, but the Provisions "
            f"take effect on 22 Mar 2024, after the evaluation date "
            f"{model.evaluation_date.isoformat()}", CIT_PROV14, transfer=t.id, object_id=xid,
            regime=REGIME))


def _exemptions(model: ResolvedModel, t: Transfer, claims: list[tuple[str, str]], ciio: bool,
                tr: list[Step], result: RegimeResult, shared: dict[Any, Any] | None = None
                ) -> tuple[str, Citation] | None:
    shared = {} if shared is None else shared
    prov = t.provenance
    # Art. 4: data collected abroad, no domestic PI introduced (computed from provenance)
    if prov["received_from"] and not prov["personal_collected_in_area"]:
        key = ("4. Art. 4", *prov["received_from"])
        step = shared.get(key)
        if step is None:
            step = shared[key] = Step(
                "4. Art. 4", "exempt", "all personal information was collected abroad ("
                + ", ".join(prov["received_from"]) + ") and no domestic PI was added")
        tr.append(step)
        return "art4", CIT_ART4
    for xid, claim in claims:
        x = model.exemptions[xid]
        if claim == "pipl.art4":
            why = ("domestic personal information was added on the way (collected in "
                   + ", ".join(prov["collected_in"]) + ")") if prov["personal_collected_in_area"] \
                else "no personal information was received from abroad"
            tr.append(Step("4. Art. 4 claim", "rejected", why))
            result.findings.append(Finding(
                "PIPL202", "error", f"{t.id}: exemption '{xid}' claims Art. 4 (re-export), but "
                f"{why}", CIT_ART4, transfer=t.id, object_id=xid, regime=REGIME))
        elif claim == "pipl.art3":
            tr.append(Step("4. Art. 3 claim", "rejected", "the transfer carries personal "
                           "information; Art. 3 covers only data without PI or important data"))
            result.findings.append(Finding(
                "PIPL202", "error", f"{t.id}: exemption '{xid}' claims Art. 3, but the transfer "
                "carries personal information", CIT_ART3, transfer=t.id, object_id=xid,
                regime=REGIME))
        elif claim == "pipl.art5-2":
            cohorts = {tok.cohort for tok in t.tokens if tok.cohort}
            non_emp = sorted(c for c in cohorts if model.cohorts[c].relationship != "employee")
            unnamed = any(tok.cohort is None for tok in t.tokens)
            if non_emp or unnamed or not cohorts:
                who = ", ".join(f"{c} ({model.cohorts[c].relationship or 'relationship not set'})"
                                for c in non_emp) or "people not named by any cohort"
                tr.append(Step("4. Art. 5(2) claim", "rejected", f"HR exemption covers employees "
                               f"only; the transfer carries {who}"))
                result.findings.append(Finding(
                    "PIPL202", "error", f"{t.id}: exemption '{xid}' claims Art. 5(2) (cross-border "
                    f"HR management), but the transfer carries {who}", CIT_ART5_2,
                    transfer=t.id, object_id=xid, regime=REGIME))
            else:
                tr.append(Step("4. Art. 5(2) claim", "exempt", f"employees only; evidence: "
                               f"{x.evidence}"))
                return "art5-2", CIT_ART5_2
        elif claim in ("pipl.art5-1", "pipl.art5-3"):
            art = claim.split(".", 1)[1]
            cit = CIT_ART5_1 if art == "art5-1" else CIT_ART5_3
            tr.append(Step(f"4. {art} claim", "exempt", f"claimed with evidence: {x.evidence}"))
            return art, cit
        elif claim == "pipl.art6":
            ent = model.entities.get(t.exporter)
            if ent is None or not ent.ftz:
                tr.append(Step("4. Art. 6 claim", "rejected", "the exporter is not registered "
                               "in a free trade zone (entity key `ftz`)"))
                result.findings.append(Finding(
                    "PIPL202", "error", f"{t.id}: exemption '{xid}' claims Art. 6 (FTZ negative "
                    "list), but the exporter is not registered in an FTZ", CIT_ART6,
                    transfer=t.id, object_id=xid, regime=REGIME))
            else:
                tr.append(Step("4. Art. 6 claim", "exempt", f"exporter registered in FTZ "
                               f"'{ent.ftz}'; data not on its negative list: {x.evidence}"))
                return "art6", CIT_ART6
    if not claims:
        key = ("4. exemptions", bool(prov["personal_collected_in_area"]))
        step = shared.get(key)
        if step is None:
            step = shared[key] = Step(
                "4. exemptions", "none apply", "Art. 4: personal information collected in the "
                "mainland" if key[1] else "none claimed")
        tr.append(step)
    return None


# mechanism details, the same for every transfer: shared, never changed (only serialised)
_EXEMPT_DETAILS: dict[str, Any] = {"article": "art5-4"}
_SA_DETAILS: dict[str, Any] = {"validity_years": 3, "extension_window_working_days": 60,
                               "re_declaration": CIT_SA14.text()}
_SC_DETAILS: dict[str, Any] = {"one_per_recipient": True, "filing": "provincial CAC within 10 "
                               "working days of the contract taking effect (SCC Measures "
                               "Art. 7)"}
_CERT_DETAILS: dict[str, Any] = {"validity_years": 3, "reapply_months_before_expiry": 6}
_GBA_DETAILS: dict[str, Any] = {"filing": "Guangdong CAC within 10 working days",
                                "volume_cap": None}


def _own_tier(sensitive: bool, N: int, S: int, tier: str | None, rules: _Rules, big: bool,
              split_sa: bool) -> str:
    """The tier a transfer's own count gives (sensitive PI: the S tier, else the N tier) and,
    with the exporter's ``tier``, the one it is given: at the security-assessment tier the
    assessment covers every non-exempt export unless --split-sa (§2.6 mapping)."""
    if sensitive:
        own = "security-assessment" if rules.s_sa <= S or big else "standard-contract"
    else:
        own = ("security-assessment" if rules.n_sa <= N or big else
               "standard-contract" if rules.n_sc <= N or not rules.provisions else "exempt")
    if tier == "security-assessment" and own not in ("security-assessment", "exempt"):
        return own if split_sa else "security-assessment"
    return own


def _apply_tier(model: ResolvedModel, a: Assessment, t: Transfer, N: int, S: int, tier: str,
                ciio: bool, options: CheckOptions, crossed: dt.date | None,
                dc: _DataClass | None = None, shared: dict[Any, Any] | None = None,
                days: tuple[dt.date | None, dt.date | None] = (None, None),
                rules: _Rules | None = None, big: bool = False) -> None:
    """Step 5: the exporter's volume tier mapped to this transfer (§2.6 default reading).
    ``days``: when N and S reached the highest threshold they reach; ``big``: a processor of
    1,000,000 individuals before 22 Mar 2024 (SA Measures Art. 4(2))."""
    rules = rules or _RULES_NOW
    dc = dc or _classify(model, t)
    shared = {} if shared is None else shared
    tr = a.trace
    key = ("5. volume", N, S, crossed, rules.provisions, big)
    volume = shared.get(key)
    if volume is None:  # the same for all the exporter's transfers: one Step, never changed
        volume = shared[key] = Step(
            "5. volume", f"N={N:,} S={S:,}", "distinct individuals since 1 January over "
            "the exporter's non-exempt transfers; 以上 includes the number: SC/cert from "
            f"{N_SC:,} ordinary or 1 sensitive, SA from {N_SA:,} ordinary or {S_SA:,} "
            "sensitive" if rules.provisions else "distinct individuals since 1 January of the "
            "previous year (SA Measures Art. 4; the Provisions take effect on 22 Mar 2024): "
            "SC/cert for any PI export, SA from 100,000 ordinary or 10,000 sensitive, or for a "
            "processor of 1,000,000 individuals" + ("; this exporter handles that many"
                                                    if big else ""))
        if crossed:
            volume.detail += f"; tier reached on {crossed.isoformat()}"
    tr.append(volume)
    own = _own_tier(dc.sensitive, N, S, None, rules, big, False)
    if dc.sensitive:
        day = days[1]
        why = f"carries sensitive PI: the S tier applies (S={S:,}"
    else:
        day = days[0] if own != "exempt" else None
        why = f"ordinary PI only: the N tier applies (N={N:,}"
    why += f", reached on {day.isoformat()})" if day else ")"
    chosen = _own_tier(dc.sensitive, N, S, tier, rules, big, options.split_sa)
    # an ordinary-only export under the N threshold stays Art. 5(4)-exempt whatever the S
    # count makes the exporter's tier (§2.6 mapping); the split question is SA vs contract
    if tier == "security-assessment" and own not in ("security-assessment", "exempt"):
        wkey = ("PIPL-U-SA-SPLIT", options.split_sa, own)
        warning = shared.get(wkey)
        if warning is None:  # warnings too are shared between transfers, never changed
            warning = shared[wkey] = Warning_(
                "PIPL-U-SA-SPLIT", "split reading chosen (--split-sa): the security "
                "assessment covers only what triggered it [U]", "conservative default: this "
                "transfer also needs a security assessment", CIT_ART7) if options.split_sa \
                else Warning_(
                "PIPL-U-SA-SPLIT", "once the exporter reaches the security-assessment tier, "
                "the assessment is taken to cover all its non-exempt PI exports of the year "
                "[U]", f"split reading: this transfer alone would need "
                f"{' or '.join(_TIER_MECH[own])}", CIT_ART7)
        a.warnings.append(warning)
    skey = ("5. tier", chosen, why)
    step = shared.get(skey)
    if step is None:
        step = shared[skey] = Step("5. tier for this transfer", chosen, why)
    tr.append(step)
    start = max(_period(t)[0], rules.window_start(model.reporting_year))
    if day is not None and chosen != "exempt" and day > start:
        # [U] §2.6 last bullet: the default asks for the mechanism from the crossing day on
        a.warnings.append(Warning_(
            "PIPL-U-REPAPER", f"this transfer ran from {start.isoformat()} before its tier was "
            f"reached on {day.isoformat()}; the mechanism is taken to be needed for the "
            "continuing transfer from that day [U]", "the exports made before "
            f"{day.isoformat()} would need {' or '.join(_TIER_MECH[chosen])} too",
            rules.sc_basis))
    if chosen == "exempt":
        a.required = ["pipl.exempt"]
        a.status = "exempt"
        a.self_executing = True
        a.exemption = "art5-4"
        a.basis = [CIT_ART5_4, CIT_ART10]
        a.mechanism_details = {"pipl.exempt": _EXEMPT_DETAILS}
        return
    a.required = list(_TIER_MECH[chosen])
    if chosen == "security-assessment":
        a.basis = ([CIT_ART7, CIT_SA4, CIT_ART9] if rules.provisions else
                   [CIT_SA_ART4, CIT_SA4])
        a.mechanism_details = {"pipl.security-assessment": _SA_DETAILS}
        _gba_warning(model, a, t, ciio, chosen)
    else:
        a.basis = [rules.sc_basis, CIT_SCC7, rules.cert_basis]
        a.mechanism_details = {"pipl.standard-contract": _SC_DETAILS,
                               "pipl.certification": _CERT_DETAILS}
        gba = _gba_eligible(model, t, ciio, tier)
        if gba is True:
            a.required.append("pipl.gba-contract")
            a.mechanism_details["pipl.gba-contract"] = _GBA_DETAILS
            rec_j = set(t.recipient_jurisdictions)
            a.basis = [*a.basis, *([CIT_GBA_HK] if "HK" in rec_j else []),
                       *([CIT_GBA_MO] if "MO" in rec_j else [])]
            tr.append(Step("5b. GBA", "GBA standard contract available", "both parties in the "
                           "Greater Bay Area; no onward transfer leaves it"))
        elif isinstance(gba, str):
            a.warnings.append(Warning_("PIPL-U-GBA", gba, "if available, the GBA standard "
                                       "contract (no volume cap) could replace the standard "
                                       "contract", CIT_GBA_MO_ONWARD if "Macao" in gba
                                       else CIT_GBA))
    a.status = "gap"


def _gba_warning(model: ResolvedModel, a: Assessment, t: Transfer, ciio: bool, tier: str) -> None:
    """[U] (§2.6): the GBA contract withheld from a CIIO or above the security-assessment tiers
    is shown, never decided silently."""
    gba = _gba_eligible(model, t, ciio, tier)
    if isinstance(gba, str):
        a.warnings.append(Warning_("PIPL-U-GBA", gba, "if available, the GBA standard contract "
                                   "could replace the security assessment for this transfer",
                                   CIT_GBA))


def _gba_eligible(model: ResolvedModel, t: Transfer, ciio: bool, tier: str) -> bool | str | None:
    exp = model.entities.get(t.exporter)
    rec_j = set(t.recipient_jurisdictions)
    # the contract is concluded and filed by the PI processor itself, registered in a GBA city
    # (§2.10): an entrusted sender in Shenzhen does not make a Beijing exporter eligible
    mainland_party = exp if exp is not None and exp.gba_city else None
    if mainland_party is None or not rec_j or not rec_j <= {"HK", "MO"}:
        return None
    if any(model.evaluation_date < GBA_FROM[j] for j in rec_j):
        return None  # that side's contract did not exist yet
    if ciio:
        return "the GBA standard contract is not offered to a CIIO (the sources are silent) [U]"
    if tier == "security-assessment":
        return ("the GBA standard contract is not offered above the security-assessment tiers "
                "(the sources are silent) [U]")
    outside = sorted({j for ent, _, j in t.onward
                      if j not in ("HK", "MO") and not (j == "CN" and _in_gba(model, ent))})
    if outside:
        if "MO" in rec_j:
            # §2.10: the Mainland-Macao contract's onward limits are only assumed parallel to
            # the HK version's "no onward transfer outside the GBA" [U]
            return ("the recipient passes the data on outside the GBA (" + ", ".join(outside)
                    + "); the Mainland-Macao contract's onward-transfer limits are assumed "
                    "parallel to the Mainland-HK contract's, so it is not offered [U]")
        return None
    return True


def _in_gba(model: ResolvedModel, entity: str) -> bool:
    e = model.entities.get(entity)
    return bool(e and e.gba_city)


def _duties(model: ResolvedModel, a: Assessment, t: Transfer,
            dc: _DataClass | None = None, shared: dict[Any, Any] | None = None) -> None:
    """Step 6: duties no mechanism replaces (Provisions Art. 10)."""
    dc = dc or _classify(model, t)
    if not dc.personal:
        return
    shared = {} if shared is None else shared
    rec = t.recipient
    note = shared.get(("notice", rec))
    if note is None:  # one text per recipient, not per transfer
        note = shared[("notice", rec)] = (
            f"tell individuals the overseas recipient's name ({model.entity_name(rec)}), "
            "contact, purpose, method, categories and how to exercise rights")
    non_consent = [b for b in _legal_bases(model, t) if _non_consent_basis(b)]
    if non_consent and dc.sensitive:
        # no consent to ask (Art. 29 requires separate consent only for processing "based on
        # consent"), but the Art. 30 notice of necessity and impact stays
        note += "; sensitive PI: also the necessity and the impact on the individual (Art. 30)"
    a.duties.append(DutyReq("pipl.notice", CIT_PIPL39, note))
    if non_consent:
        # §2.3 / §7 item 4: "separate consent required unless the flow's legal basis is Art.
        # 13(1)(2)-(7)" [U] — Art. 13 para. 2 dispenses with consent, the Art. 39 separate
        # consent and, for sensitive PI, the Art. 29 one alike; the warning shows the other
        # reading
        consent = non_consent[0]
        wkey = ("PIPL-U-CONSENT", consent, dc.sensitive)
        warning = shared.get(wkey)
        if warning is None:
            what = "separate consent (Art. 39" + (", and Art. 29 for sensitive PI)"
                                                  if dc.sensitive else ")")
            warning = shared[wkey] = Warning_(
                "PIPL-U-CONSENT", f"{what} is not required because the flow relies on PIPL "
                f"Art. {consent} (Art. 13 para. 2 reading) [U]",
                "if regulators require separate consent for every export, add duty "
                "pipl.separate-consent", CIT_PIPL13)
        a.warnings.append(warning)
    else:
        a.duties.append(DutyReq("pipl.separate-consent", CIT_PIPL39, "separate consent (单独同意) "
                                "unless the legal basis is Art. 13(1)(2)-(7)"))
    a.duties.append(DutyReq("pipl.pipia", CIT_PIPL55, "PI protection impact assessment before "
                            "the export; keep the report and records 3 years"))
    if dc.sensitive and not non_consent:  # duties: notice, separate consent, PIPIA
        a.duties[1].note += "; sensitive PI: also Arts 29-30"
    if dc.minors:
        a.duties.append(DutyReq("pipl.guardian-consent", CIT_PIPL31, "minors under 14: consent "
                                "of a parent or guardian and special processing rules"))
    entrusted = _entrusted_parties(model, t)
    rec_ent = model.entities.get(rec)
    if (rec != t.exporter and rec not in entrusted
            and (t.recipient_role in ("entrusted", "processor") or (
                rec_ent is not None and t.exporter in rec_ent.processor_for))):
        # the exporter's own overseas processor is an entrusted party too (Art. 21): the
        # written agreement is owed beside any export mechanism, and alone when exempt
        entrusted = [*entrusted, rec]
    for party in entrusted:
        note = shared.get(("entrusted", party))
        if note is None:
            note = shared[("entrusted", party)] = (
                f"written entrustment agreement with {party} ({model.entity_name(party)}); no "
                "sub-entrustment without consent")
        a.duties.append(DutyReq("pipl.entrustment-agreement", CIT_PIPL21, note, party=party))


def _legal_bases(model: ResolvedModel, t: Transfer) -> list[str]:
    """The exit edge's own PIPL basis if it states one, else those of the flows before it."""
    exit_id = t.exit_edge.object_id
    own = model.flows.get(exit_id) if t.exit_edge.kind == "flow" else model.access.get(exit_id)
    if own is not None and own.legal_basis and own.legal_basis.pipl:
        return [own.legal_basis.pipl]
    out = []
    for fid in t.path_flows:
        f = model.flows.get(fid)
        if f is not None and f.legal_basis and f.legal_basis.pipl:
            out.append(f.legal_basis.pipl)
        acc = model.access.get(fid.split("@", 1)[0])
        if acc is not None and acc.legal_basis and acc.legal_basis.pipl:
            out.append(acc.legal_basis.pipl)
    return out


def _non_consent_basis(basis: str) -> bool:
    b = basis.replace(" ", "").replace("Art.", "").replace("art", "")
    return b.startswith("13(1)(") and b[6:7] in "234567" and b[6:8] != "1)"


def _entrusted_parties(model: ResolvedModel, t: Transfer) -> list[str]:
    """Entities on the path that act as entrusted parties (PIPL Art. 21) for the exporter."""
    parties: set[str] = set()
    for fid in t.path_flows:
        f = model.flows.get(fid)
        if f is None:
            continue
        target_op = model.systems[f.to].operator
        if target_op == t.exporter:
            continue
        if f.recipient_role == "entrusted" or (
                f.recipient_role in (None, "processor") and target_op is not None
                and _processes_for(model, target_op, t.exporter) and
                model.systems[f.to].kind in ("relay", "gateway")):
            parties.add(target_op)
    if t.sender != t.exporter and _processes_for(model, t.sender, t.exporter):
        parties.add(t.sender)
    return sorted(parties)


def _processes_for(model: ResolvedModel, party: str, exporter: str) -> bool:
    """``party`` processes the exporter's PI as its processor or as a processor's
    sub-processor (`processor_for` followed up the chain): a relay engaged by the exporter's
    SaaS is entrusted with that PI too, and the sub-entrustment needs the written agreement
    (PIPL Art. 21)."""
    seen: set[str] = set()
    todo = [party]
    while todo:
        cur = todo.pop()
        ent = model.entities.get(cur)
        if cur in seen or ent is None:
            continue
        seen.add(cur)
        if exporter in ent.processor_for:
            return True
        todo.extend(ent.processor_for)
    return False


def _filing(model: ResolvedModel, a: Assessment, t: Transfer, authority: str | None,
            authority_en: str | None, province: str | None,
            shared: dict[Any, Any] | None = None) -> dict[str, object]:
    if not a.required or a.self_executing:
        return {}
    sa = "pipl.security-assessment" in a.required
    key = ("filing", sa, authority, authority_en, province)
    if shared is not None and key in shared:  # the same dict for the exporter's transfers
        out: dict[str, object] = shared[key]
        return out
    out = _filing_dict(sa, authority, authority_en, province)
    if shared is not None:
        shared[key] = out
    return out


def _filing_dict(sa: bool, authority: str | None, authority_en: str | None,
                 province: str | None) -> dict[str, object]:
    if sa:
        return {"mechanism": "pipl.security-assessment", "authority": authority,
                "authority_en": authority_en, "province": province,
                "rule": "declare through the provincial CAC to the national CAC (SA Measures "
                "Arts 4, 7); self-assessment completed within 3 months before declaring; valid "
                "3 years; extension may be applied for within 60 working days before expiry "
                "(Provisions Art. 9)", "citation": CIT_SA4.text()}
    return {"mechanism": "pipl.standard-contract", "authority": authority,
            "authority_en": authority_en, "province": province,
            "rule": "file the signed contract and the PIPIA report with the provincial CAC where "
            "the exporter is located within 10 working days of the contract taking effect "
            "(SCC Measures Art. 7)", "citation": CIT_SCC7.text()}


def safeguard_expiry(s: Any) -> tuple[dt.date | None, str]:
    """When a safeguard stops covering transfers, and how that date was found: its `expires`,
    else, for a PIPL security assessment or certification, 3 years after it took effect
    (Provisions Art. 9; Certification Measures)."""
    if s.expires is not None:
        return s.expires, ""
    if s.effective is not None and s.mechanism in _THREE_YEARS:
        rule = _THREE_YEARS[s.mechanism]
        return _years_after(s.effective, 3), (f" (3 years after it took effect, {rule}; set "
                                              "`expires` if it was extended)")
    return None, ""


def reapply_by(s: Any, expires: dt.date | None) -> dt.date | None:
    """The day a PIPL certificate's re-application is due: 6 months before it expires
    (Certification Measures, regulatory.md §2.9); None for other safeguards."""
    if s.mechanism != "pipl.certification" or expires is None:
        return None
    year, month0 = divmod(expires.year * 12 + expires.month - 1 - 6, 12)
    for day in range(expires.day, 0, -1):  # 31 August -> 28/29 February
        try:
            return dt.date(year, month0 + 1, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # day 28 exists in every month


_THREE_YEARS = {"pipl.security-assessment": "Provisions Art. 9",
                "pipl.certification": "Certification Measures"}


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def filing_problem(s: Any, today: dt.date) -> tuple[str, str, str] | None:
    """(code, severity, message) when a PIPL standard contract in force was not filed within
    10 working days of taking effect (SCC Measures Art. 7), else None."""
    if s.mechanism != "pipl.standard-contract" or s.effective is None or s.effective > today:
        return None
    deadline = filing_deadline(s.effective)
    if s.filed_on is None:
        if today <= deadline:
            return None
        return ("PIPL105", "error", f"took effect on {s.effective.isoformat()} and has no "
                f"`filed_on`: it had to be filed with the provincial CAC by "
                f"{deadline.isoformat()} (10 working days)")
    if s.filed_on > deadline:
        return ("PIPL106", "warning", f"was filed on {s.filed_on.isoformat()}, after the "
                f"deadline {deadline.isoformat()} (10 working days after it took effect on "
                f"{s.effective.isoformat()})")
    return None


def filing_deadline(effective: dt.date) -> dt.date:
    """SCC Measures Art. 7: within 10 working days of the contract taking effect."""
    return working_days_after(effective, 10)


def sa_extension_window(expires: dt.date) -> dt.date:
    """Provisions Art. 9: the extension may be applied for from 60 working days before expiry."""
    return working_days_before(expires, 60)


def _overseas_models_reached(model: ResolvedModel) -> Callable[[str], list[str]]:
    """For a system, the ai-model systems outside the mainland its data can reach through
    flows, sorted. Reach sets are bitsets over the overseas models: a set per component grew
    with systems x models (gigabytes at 100,000 systems); an int of one bit per model stays
    small."""
    overseas = sorted(sid for sid, s in model.systems.items() if s.kind == "ai-model" and any(
        j == "unknown" or not gdpr.in_area(model, j, "CN") for j in s.jurisdictions))
    bit = {sid: 1 << i for i, sid in enumerate(overseas)}
    adj: dict[str, list[str]] = {sid: [] for sid in model.systems}
    for f in model.flows.values():
        adj.setdefault(f.from_, []).append(f.to)
        adj.setdefault(f.to, [])
    comp_of, reach = _scc_reach(adj, bit)

    def reached(node: str) -> list[str]:
        bits = reach[comp_of[node]]
        out = []
        while bits:
            low = bits & -bits
            out.append(overseas[low.bit_length() - 1])
            bits ^= low
        return out

    return reached


def _scc_reach(adj: dict[str, list[str]], bit: dict[str, int]
               ) -> tuple[dict[str, int], list[int]]:
    """Each node's strongly connected component and, per component, the OR of the bits of
    the nodes it reaches (through at least one edge: its own members only if it is a cycle).
    Iterative Tarjan: it emits components sinks first, so each one's successors are done
    when it is (networkx's condensation plus topological sort took 0.4 s at 10,000 systems)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    comp_of: dict[str, int] = {}
    reach: list[int] = []
    inside: list[int] = []
    for root in adj:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(adj[root]))]
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(adj[w])))
                    break
                if w in on_stack and index[w] < low[v]:
                    low[v] = index[w]
            else:
                work.pop()
                if work and low[v] < low[work[-1][0]]:
                    low[work[-1][0]] = low[v]
                if low[v] != index[v]:
                    continue
                c = len(reach)
                members = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp_of[w] = c
                    members.append(w)
                    if w == v:
                        break
                found = mine = 0
                for w in members:
                    mine |= bit.get(w, 0)
                    for x in adj[w]:
                        cx = comp_of[x]
                        if cx != c:
                            found |= reach[cx] | inside[cx]
                if len(members) > 1:  # a cycle reaches its own members
                    found |= mine
                reach.append(found)
                inside.append(mine)
    return comp_of, reach


def _genai_findings(model: ResolvedModel) -> list[Finding]:
    out: list[Finding] = []
    if model.evaluation_date < GENAI_IN_FORCE:  # the Interim Measures did not apply yet
        return out
    cat = model.catalogue
    reach: Callable[[str], list[str]] | None = None
    labels: dict[str, str] = {}  # a reached model as the messages list it
    for sid in sorted(model.systems):
        s = model.systems[sid]
        if not s.spec.public_service or not any(gdpr.in_area(model, j, "CN")
                                                for j in s.jurisdictions):
            continue
        declared = {g.model for g in s.spec.genai if g.model}
        if reach is None:
            reach = _overseas_models_reached(model)
        # the models declared in `genai` are reported below with their declared status
        missing = [r for r in reach(sid) if r != sid and r not in declared]
        if missing:
            # one finding per service (its id, PIPL200/<service>, is the same for every model
            # anyway): one per reached model grew with services x models, 4.2 million
            # findings on a 100,000-system estate
            where = model.position(("systems", sid))
            listed = ", ".join([labels.get(r) or labels.setdefault(
                r, f"'{r}' ({', '.join(model.systems[r].jurisdictions)})") for r in missing])
            reaches = (f"the overseas model {listed} through its flows, though its `genai` "
                       "does not declare it" if len(missing) == 1 else
                       f"{len(missing):,} overseas models through its flows, though its "
                       f"`genai` declares none of them: {listed}")
            out.append(Finding(
                "PIPL200", "error", f"public generative-AI service '{sid}' sends data that reaches "
                f"{reaches}; an overseas model is not filed for the public in China. No "
                "transfer mechanism cures this (Interim Measures Arts 2, 17, 22(2))", CIT_GENAI,
                object_id=sid, file=where.file if where else None,
                line=where.line if where else None, col=where.col if where else None,
                regime=REGIME, hint="serve the public only from a filed model, or waive with "
                "justification, owner and expiry"))
        for i, g in enumerate(s.spec.genai):
            problems = []
            target = model.systems.get(g.model) if g.model else None
            provider = cat.providers.get(g.model) if g.model else None
            if g.unfiled:
                problems.append("the model is unfiled")
            if target is not None:
                if any(x.unfiled for x in target.spec.genai):
                    problems.append(f"'{target.id}' is itself unfiled")
                overseas = [j for j in target.jurisdictions if not cat.in_area(j, "CN")]
                if overseas:
                    problems.append(f"'{target.id}' runs outside the mainland "
                                    f"({', '.join(overseas)})")
            declared_filing = g.filing or g.registration
            if provider is not None:
                if provider.cn_genai_filed is not True and declared_filing and \
                        provider.cn_genai_filed is not False:
                    # the catalogue cannot confirm the filing the model declares ([U] field):
                    # the declaration stands, the doubt is shown, not turned into an error
                    where = model.position(("systems", sid, "genai", i)) or model.position(
                        ("systems", sid))
                    out.append(Finding(
                        "PIPL207", "warning", f"public generative-AI service '{sid}' declares "
                        f"{'filing' if g.filing else 'registration'} '{declared_filing}' for "
                        f"provider '{provider.id}', whose CAC filing the catalogue does not "
                        "establish (cn_genai_filed unknown) [U]; the declaration is taken as "
                        "stated (alternative: if the model is not filed, PIPL200 — no transfer "
                        "mechanism cures it)", CIT_GENAI, object_id=sid, tag=provider.id,
                        file=where.file if where else None, line=where.line if where else None,
                        col=where.col if where else None, regime=REGIME,
                        hint="check the filing number in the CAC's published list"))
                elif provider.cn_genai_filed is not True:
                    problems.append(f"provider '{provider.id}' has no known CAC filing")
                if provider.jurisdiction != "CN":
                    problems.append(f"provider '{provider.id}' is established in "
                                    f"{provider.jurisdiction}")
            if problems:
                where = model.position(("systems", sid, "genai", i)) or model.position(
                    ("systems", sid))
                out.append(Finding(
                    "PIPL200", "error", f"public generative-AI service '{sid}' uses model "
                    f"'{g.model or '?'}': {'; '.join(dict.fromkeys(problems))}. No transfer "
                    "mechanism cures this (Interim Measures Arts 2, 17, 22(2))", CIT_GENAI,
                    object_id=sid, file=where.file if where else None,
                    line=where.line if where else None, col=where.col if where else None,
                    regime=REGIME, hint="move the public tier to a filed model, or waive with "
                    "justification"))
    return out
