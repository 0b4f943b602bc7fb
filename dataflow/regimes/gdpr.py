"""GDPR Chapter V: what each transfer out of the EEA needs (regulatory.md §3).

Decision procedure, recorded step by step in each assessment's trace:

0. scope: the exit edge (flow or remote-access grant) and the parties;
1. personal data: anonymised or non-personal data is not personal data (Recital 26);
2. is it a transfer? (EDPB Guidelines 05/2021: another party, in a third country); the
   not-a-transfer cases the transfer analysis already drops (collection from data subjects'
   devices, access by the system operator's own staff abroad) become info findings;
3. Art. 45 adequacy from the catalogue, with dates; the US only for an importer with an active
   DPF certification (HR data only if HR-certified), with the pending appeal as a warning;
4. otherwise Art. 46: the 2021 SCCs with the module chosen from the sender's and recipient's
   roles, BCRs as an alternative inside a group, plus a TIA (EDPB Recommendations 01/2020);
5. Art. 49 derogations only where one is claimed, never for systematic flows;
6. duties (TIA, Art. 28 contract, Art. 30 documentation) and onward transfers.

``ropa_entries`` computes the Art. 30 records (controllers: 30(1)(a)-(g); processors: 30(2)(a)-(d))
for the document templates.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..resolve import ResolvedModel
from ..transfers import Analysis, NotTransfer, Transfer, areas_touched
from .base import (
    RULES_AS_OF,
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

REGIME = "gdpr"
AREA = "EEA"
AS_OF = RULES_AS_OF


_c = cite


GDPR = "Regulation (EU) 2016/679 (GDPR)"
SCCD = "Commission Implementing Decision (EU) 2021/914 (standard contractual clauses)"
EDPB_0521 = "EDPB Guidelines 05/2021 on the interplay between Art. 3 and Chapter V GDPR"
EDPB_0120 = "EDPB Recommendations 01/2020 on supplementary measures (v2.0, 18 Jun 2021)"
EDPB_0218 = "EDPB Guidelines 2/2018 on derogations of Art. 49"
DPFD = "Commission Implementing Decision (EU) 2023/1795 (EU-US Data Privacy Framework)"

CIT_ART44 = _c(GDPR, "Art. 44")
CIT_ART45 = _c(GDPR, "Art. 45")
CIT_ART46 = _c(GDPR, "Art. 46(1), 46(2)(c)")
CIT_ART47 = _c(GDPR, "Art. 47")
CIT_ART49 = _c(GDPR, "Art. 49(1)")
CIT_ART49_3 = _c(GDPR, "Art. 49(3)")
CIT_ART28 = _c(GDPR, "Art. 28(3)-(4)")
CIT_ART30 = _c(GDPR, "Art. 30(1)(e), 30(2)(c)")
CIT_ART9 = _c(GDPR, "Arts 9-10")
CIT_REC26 = _c(GDPR, "Recital 26")
CIT_0521 = _c(EDPB_0521, "criteria 1-3 (final version 14 Feb 2023)")
CIT_0218 = _c(EDPB_0218, "restrictive reading; (b), (c), (e) occasional only")
CIT_TIA = _c(EDPB_0120, "steps 1-6")
CIT_SCC = _c(SCCD, "Clauses 7-15, Modules 1-4")
CIT_SCC14 = _c(SCCD, "Clause 14 (local laws and practices)")
CIT_SCC_REC7 = _c(SCCD, "Recital 7 (importers subject to Art. 3(2))", "U")
CIT_SCC_LEGACY = _c(SCCD, "Art. 4 (old SCCs repealed from 27 Sep 2021; contracts concluded "
                    "before then valid until 27 Dec 2022)")
SCC_2021_IN_FORCE = dt.date(2021, 6, 27)
CIT_SCC_ONWARD = _c(SCCD, "Clause 8.7 (Module 1) / 8.8 (Modules 2-3) onward transfers")
CIT_DPF = _c(DPFD, "Annex I (Principles), certification on dataprivacyframework.gov", "V")
CIT_DPF_ONWARD = _c(DPFD, "Annex I, Principle 3 (Accountability for Onward Transfer)")
CIT_C703 = _c("Court of Justice, Latombe v Commission",
              "appeal C-703/25 P against T-553/23 (lodged 31 Oct 2025, pending)", "U")
CIT_DPC_TIKTOK = _c("Data Protection Commission (Ireland), decision on TikTok Technology Ltd",
                    "2 May 2025 (EUR 530m: Art. 46(1) EUR 485m, Art. 13(1)(f) EUR 45m)", "V")

MODULES: dict[int, tuple[str, str]] = {
    1: ("C2C", "controller to controller"),
    2: ("C2P", "controller to processor"),
    3: ("P2P", "processor to processor"),
    4: ("P2C", "processor to controller"),
}
ONWARD_CLAUSE = {1: "Clause 8.7", 2: "Clause 8.8", 3: "Clause 8.8", 4: None}

SYSTEMATIC_FREQUENCIES = frozenset({
    "continuous", "continuously", "daily", "hourly", "real-time", "realtime", "streaming",
    "weekly", "monthly", "regular", "repeated", "recurring", "scheduled", "batch"})
OCCASIONAL_FREQUENCIES = frozenset({
    "one-off", "once", "occasional", "ad hoc", "ad-hoc", "on request", "exceptional"})


def generic_codes(prefix: str, name: str, mechanisms: str, missing: Citation,
                  expiry: Citation, duty: Citation) -> list[FindingCode]:
    """The six codes check.py's generic comparison emits with a regime's prefix."""
    return [
        FindingCode(f"{prefix}100", "error", f"{name} transfer mechanism missing",
                    f"The transfer needs one of the listed mechanisms ({mechanisms}) and the "
                    "model declares no safeguard for this exporter and recipient.",
                    "Declare the mechanism under `safeguards:` (mechanism, exporter, "
                    "recipients, categories, effective date), or change the flow.", missing),
        FindingCode(f"{prefix}101", "error", f"{name} mechanism insufficient",
                    "A safeguard is declared for this exporter and recipient, but it is not one "
                    "the transfer accepts (e.g. a derogation for a systematic flow, BCRs for a "
                    "recipient outside the group).",
                    "Put in place one of the mechanisms the assessment lists under `required`.",
                    missing),
        FindingCode(f"{prefix}102", "error", f"{name} safeguard expired or not yet effective",
                    "The safeguard that would cover the transfer is not valid on the "
                    "evaluation date.", "Renew it or correct its `effective`/`expires` dates.",
                    expiry),
        FindingCode(f"{prefix}103", "warning", f"{name} safeguard expiring soon",
                    "The covering safeguard expires within the warning window "
                    "(--warn-expiring).", "Renew it before it expires.", expiry),
        FindingCode(f"{prefix}104", "error", f"{name} safeguard out of scope",
                    "A safeguard names the exporter and recipient but not every category the "
                    "transfer carries.", "Extend the safeguard's `categories` (and its "
                    "annexes) to the data actually transferred.", missing),
        FindingCode(f"{prefix}110", "error", f"{name} duty not declared",
                    "A duty that no mechanism replaces is not declared under `duties:`.",
                    "Do it and declare it (duty id, exporter, recipients, done_on, reference).",
                    duty),
    ]


FINDING_CODES: dict[str, FindingCode] = {c.code: c for c in [
    *generic_codes("GDPR", "GDPR", "gdpr.adequacy, gdpr.scc, gdpr.bcr, gdpr.derogation",
                   CIT_ART46, CIT_SCC, CIT_TIA),
    FindingCode("GDPR200", "error", "Art. 49 derogation claimed for a systematic transfer",
                "Derogations are exceptions read restrictively (EDPB Guidelines 2/2018); a "
                "continuous, daily or year-round transfer cannot rest on Art. 49.",
                "Use the 2021 SCCs (or BCRs inside a group) with a transfer impact assessment.",
                CIT_0218),
    FindingCode("GDPR201", "warning", "Transfer relies on the EU-US DPF; appeal pending",
                "The importer's active DPF certification makes the transfer adequate, but the "
                "General Court's judgment upholding the DPF (T-553/23) is under appeal "
                "(C-703/25 P). If the decision falls, the transfer needs SCCs and a TIA.",
                "Keep a fallback ready (SCC module + TIA), or sign the SCCs now.", CIT_C703),
    FindingCode("GDPR202", "warning", "Clear-text access from mainland China (DPC TikTok)",
                "Personal data is reachable in clear from mainland China. The Irish DPC fined "
                "TikTok EUR 530m on 2 May 2025 for remote access from China under SCCs without "
                "an adequate assessment of PRC law (Anti-Terrorism, Counter-Espionage, "
                "Cybersecurity, National Intelligence laws).",
                "Assess PRC law in the TIA; adopt supplementary measures (keep keys in the "
                "EEA, pseudonymise before transfer) or stop the access.", CIT_DPC_TIKTOK),
    FindingCode("GDPR203", "info", "Onward transfer beyond the importer",
                "The exported data travels on from the importer to another party or country; "
                "the importer's onward-transfer obligations govern it (SCC Clause 8.7/8.8, DPF "
                "Onward Transfer Principle) and processors need sub-processor authorisation.",
                "List the onward recipients in the SCC annexes / sub-processor list.",
                CIT_SCC_ONWARD),
    FindingCode("GDPR204", "warning", "Adequacy decision not in force on the evaluation date",
                "The destination's adequacy decision was adopted after, expired before, or "
                "expires soon after the evaluation date.",
                "Use SCCs until the decision applies, or prepare them before it ends.",
                CIT_ART45),
    FindingCode("GDPR205", "info", "Not a transfer",
                "The edge leaves the EEA but is not a transfer under EDPB Guidelines 05/2021: "
                "collection directly from data subjects' devices (the non-EEA controller may "
                "itself be subject to the GDPR under Art. 3(2)), or the same entity's own "
                "staff or systems abroad (no disclosure to another party).",
                "Nothing under Chapter V; Art. 3(2), Art. 24 and Art. 32 still apply.",
                CIT_0521),
    FindingCode("GDPR206", "warning", "Possible transfer (location unknown)",
                "The recipient's location is `unknown`: treated as a transfer to a country "
                "without adequacy until its location is known.", "Find out where it runs.",
                CIT_ART44),
    FindingCode("GDPR207", "warning", "GDPR interpretation point",
                "A [U] point decides this outcome; the assessment's warning states the "
                "alternative computed on the model.", "Review the warning with counsel.",
                CIT_0521),
    FindingCode("GDPR208", "warning", "DPF certification does not cover this transfer",
                "The US importer has no active DPF certification, it is not yet effective, or "
                "HR data goes to an organisation not certified for HR data.",
                "Renew or extend the certification, or use SCCs with a TIA.", CIT_DPF),
    FindingCode("GDPR209", "error", "Derogation not available to a public authority",
                "Art. 49(1)(a)-(c) and the compelling-legitimate-interests derogation are not "
                "available to public authorities exercising their public powers (Art. 49(3)).",
                "Use an Art. 46 safeguard (Art. 46(2)(a) instrument, SCCs).", CIT_ART49_3),
    FindingCode("GDPR210", "error", "Legacy SCCs",
                "The declared SCCs predate the 2021 clauses; contracts under the repealed "
                "decisions stopped providing appropriate safeguards on 27 Dec 2022.",
                "Sign the 2021 SCCs (the module the assessment names).", CIT_SCC_LEGACY),
    FindingCode("GDPR211", "error", "SCC module does not match the parties' roles",
                "A declared gdpr.scc safeguard states a module that does not fit the sender's "
                "and recipient's roles (1 C2C, 2 C2P, 3 P2P, 4 P2C).",
                "Sign the module the assessment names (mechanism_details.gdpr.scc.module).",
                CIT_SCC),
]}


# ----------------------------------------------------------------------------------------------
# helpers shared with the UK and other regimes


def personal_tokens(model: ResolvedModel, t: Transfer) -> list[Any]:
    out = []
    for tok in t.tokens:
        info = model.categories.get(tok.category)
        if info is not None and info.personal and not tok.anonymised:
            out.append(tok)
    return out


def special_categories(model: ResolvedModel, t: Transfer) -> list[str]:
    return sorted({tok.category for tok in personal_tokens(model, t)
                   if model.categories[tok.category].special})


def hr_reasons(model: ResolvedModel, t: Transfer) -> list[str]:
    """Why the transfer carries HR data (employee categories or employee cohorts)."""
    out: set[str] = set()
    for tok in personal_tokens(model, t):
        if tok.category == "employee" or tok.category.startswith("employee."):
            out.add(f"category {tok.category}")
        if tok.cohort and model.cohorts[tok.cohort].relationship == "employee":
            out.add(f"cohort {tok.cohort} (employees)")
    return sorted(out)


def group_root(model: ResolvedModel, eid: str) -> str:
    seen = [eid]
    cur = model.entities.get(eid)
    while cur is not None and cur.parent and cur.parent not in seen:
        seen.append(cur.parent)
        cur = model.entities.get(cur.parent)
    return seen[-1]


def ancestors(model: ResolvedModel, eid: str) -> list[str]:
    out: list[str] = []
    cur = model.entities.get(eid)
    while cur is not None and cur.parent and cur.parent not in out and cur.parent != eid:
        out.append(cur.parent)
        cur = model.entities.get(cur.parent)
    return out


def same_group(model: ResolvedModel, a: str, b: str) -> bool:
    """Two different entities whose `parent` chains meet (a corporate group)."""
    return a != b and group_root(model, a) == group_root(model, b)


def established_in(model: ResolvedModel, eid: str, area: str) -> bool:
    ent = model.entities.get(eid)
    if ent is None:
        return False
    try:
        return in_area(model, ent.jurisdiction, area)
    except ValueError:
        return False


def is_processor_role(role: str | None) -> bool:
    return role in ("processor", "entrusted")


def scc_module(sender_role: str, recipient_role: str) -> int:
    """The module from the two roles alone (no model at hand). ``scc_parties`` also knows whom
    a processor acts for and should be preferred."""
    sender_p = is_processor_role(sender_role)
    recipient_p = is_processor_role(recipient_role)
    if not sender_p:
        return 2 if recipient_p else 1
    return 3 if recipient_p else 4


@dataclass(frozen=True, slots=True)
class SccParties:
    """The SCC module and its data exporter (the party that signs the clauses)."""
    module: int
    data_exporter: str
    data_exporter_role: str
    why: str


def scc_parties(model: ResolvedModel, t: Transfer) -> SccParties:
    """Module and data exporter (Decision 2021/914; regulatory.md §3.3: 1 C2C, 2 C2P, 3 P2P,
    4 P2C). A processor sending on the controller's instructions does not make the transfer its
    own: Module 4 is only a processor returning data to the controller it processes for (the
    exporter of this data); a processor handing the data to a third-party controller, or to a
    processor the controller engaged itself, does so for the controller, which is the data
    exporter (Module 1 or 2); a processor passing it to its own sub-processor signs Module 3."""
    sender, ctrl, rec = t.sender, t.exporter, t.recipient
    recipient_p = is_processor_role(t.recipient_role)
    if sender == rec and sender != ctrl:
        # a processor abroad taking the data to its own system abroad receives it from the
        # controller
        return SccParties(2 if recipient_p else 1, ctrl, "controller",
                          f"{rec} takes {ctrl}'s data to its own system abroad: it receives the "
                          f"data from the controller {ctrl}")
    if not is_processor_role(t.sender_role):
        return SccParties(2 if recipient_p else 1, sender, t.sender_role,
                          f"the sender {sender} is a controller")
    if not recipient_p:
        if rec == ctrl:
            return SccParties(4, sender, t.sender_role,
                              f"the processor {sender} returns the data to the controller it "
                              f"processes it for, {ctrl}")
        return SccParties(1, ctrl, "controller",
                          f"the processor {sender} sends {ctrl}'s data, on {ctrl}'s "
                          f"instructions, to {rec}, a controller in its own right (not the "
                          f"controller {sender} processes for): {ctrl} is the data exporter")
    serves = _processor_for(model, rec)
    if sender in serves or ctrl not in serves:
        return SccParties(3, sender, t.sender_role,
                          f"{rec} is a sub-processor of the processor {sender}")
    return SccParties(2, ctrl, "controller",
                      f"{rec} is {ctrl}'s own processor (processor_for {ctrl}), not a "
                      f"sub-processor of {sender}: {ctrl} is the data exporter")


def outside(model: ResolvedModel, t: Transfer, area: str) -> list[str]:
    return [j for j in t.recipient_jurisdictions
            if j == "unknown" or not in_area(model, j, area)]


def whole_year(model: ResolvedModel, period: tuple[dt.date, dt.date]) -> bool:
    year = model.reporting_year
    return period[0] <= dt.date(year, 1, 1) and period[1] >= dt.date(year, 12, 31)


def systematic(model: ResolvedModel, t: Transfer) -> str | None:
    """Why the transfer is systematic (not occasional), or None."""
    e = t.exit_edge
    per = f"{e.period[0].isoformat()} to {e.period[1].isoformat()}"
    if e.kind == "flow":
        f = model.flows[e.object_id]
        freq = (f.frequency or "").strip().lower()
        if freq in SYSTEMATIC_FREQUENCIES:
            return f"the flow's frequency is '{f.frequency}'"
        if freq in OCCASIONAL_FREQUENCIES:
            return None
        if f.routing == "primary" and whole_year(model, e.period):
            return (f"a primary flow running the whole reporting year ({per})"
                    + (f" with frequency '{f.frequency}'" if freq else ""))
        return None
    if whole_year(model, e.period):
        return f"a standing remote-access grant for the whole reporting year ({per})"
    return None


class _Index:
    """Per-model lookups the rules repeat for every transfer (built once, then reused)."""

    def __init__(self, model: ResolvedModel):
        self.model = model
        self.safeguards: dict[tuple[str, str], list[str]] = {}
        for sid, sg in sorted(model.safeguards.items()):
            for rec in sg.recipients:
                self.safeguards.setdefault((sg.exporter, rec), []).append(sid)
        self.memo: dict[Any, Any] = {}  # other regimes' per-model memos
        self.in_area: dict[tuple[str, str], bool] = {}  # (location, area) -> inside?
        self.paths: dict[tuple[str, ...], list[str]] = {}  # see finding_path
        self.client_flows: dict[str, list[tuple[str, str]]] = {}  # operator -> (flow, client)
        self.client_targets: dict[str, set[str]] = {}  # client system -> target operators
        systems = model.systems
        clients = {sid for sid, s in systems.items() if s.kind == "client"}
        for fid, f in model.flows.items():
            if f.from_ in clients:
                op = systems[f.to].operator
                self.client_flows.setdefault(op, []).append((fid, f.from_))
                self.client_targets.setdefault(f.from_, set()).add(op)
        for pairs in self.client_flows.values():
            pairs.sort()  # by flow id (unique)


_LAST: list[_Index] = []


def index(model: ResolvedModel) -> _Index:
    """The lookups for ``model`` (a one-entry cache: regimes run one model at a time)."""
    cur = _LAST[0] if _LAST else None
    if cur is None or cur.model is not model:
        cur = _Index(model)
        _LAST[:] = [cur]
    return cur


def release(model: ResolvedModel) -> None:
    """Forget the lookups and memos of ``model``: check calls it once its regimes and its
    comparison are done, so none of them outlives the run (a later call builds them again)."""
    if _LAST and _LAST[0].model is model:
        _LAST.clear()


def in_area(model: ResolvedModel, jurisdiction: str, area: str) -> bool:
    """``model.catalogue.in_area``, asked once per (location, area) and model: the regimes ask
    it for the same few places tens of thousands of times. An error is raised every time, as
    the catalogue raises it."""
    memo = index(model).in_area
    key = (jurisdiction, area)
    hit = memo.get(key)
    if hit is None:
        hit = memo[key] = model.catalogue.in_area(jurisdiction, area)
    return hit


def finding_path(model: ResolvedModel, t: Transfer) -> list[str]:
    """A transfer's path as its findings hold it: one list per distinct path for all the
    findings of all regimes (they only serialise it), not one per finding."""
    memo = index(model).paths
    got = memo.get(t.path)
    if got is None:
        got = memo[t.path] = list(t.path)
    return got


def claimed(model: ResolvedModel, t: Transfer, mechanism: str) -> list[str]:
    """Safeguards of this mechanism the model declares for the transfer's exporter and
    recipient (the same matching as check.py's generic comparison)."""
    return [sid for sid in index(model).safeguards.get((t.exporter, t.recipient), [])
            if model.safeguards[sid].mechanism == mechanism]


def declared_with_prefix(model: ResolvedModel, t: Transfer, prefix: str) -> list[str]:
    return [sid for sid in index(model).safeguards.get((t.exporter, t.recipient), [])
            if model.safeguards[sid].mechanism.startswith(prefix)]


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def edge_object(t: Transfer) -> str:
    return t.exit_edge.object_id


@dataclass
class Adequacy:
    jurisdiction: str
    adequate: bool
    reason: str
    entry: Mapping[str, Any] | None = None
    dpf: bool = False
    problem: str | None = None  # not-yet | expired | scope | dpf | dpf-hr | none
    expires_in_days: int | None = None
    warnings: list[str] = field(default_factory=list)


def check_adequacy(model: ResolvedModel, table: Mapping[str, Mapping[str, Any]], j: str,
                   recipient: str, hr: list[str], name: str) -> Adequacy:
    """Whether ``table`` (EU or UK list) makes jurisdiction ``j`` adequate for this recipient on
    the evaluation date."""
    today = model.evaluation_date
    if j == "unknown":
        return Adequacy(j, False, "location unknown: no adequacy can be assumed", None,
                        problem="none")
    entry = table.get(j)
    if entry is None:
        return Adequacy(j, False, f"no {name} adequacy decision covers {j}", None,
                        problem="none")
    decision = entry.get("decision") or entry.get("basis") or "adequacy decision"
    start = parse_date(entry.get("in_force")) or parse_date(entry.get("adopted"))
    end = parse_date(entry.get("valid_until"))
    if start and today < start:
        return Adequacy(j, False, f"{decision} applies from {start.isoformat()}, after the "
                        f"evaluation date {today.isoformat()}", entry, problem="not-yet")
    if end and today > end:
        return Adequacy(j, False, f"{decision} expired on {end.isoformat()}", entry,
                        problem="expired")
    scope = entry.get("scope", "general")
    ent = model.entities.get(recipient)
    res = Adequacy(j, True, f"{decision} ({scope})", entry)
    if end:
        res.expires_in_days = (end - today).days
    if scope in ("commercial", "private-sector") and ent is not None and ent.public_authority:
        return Adequacy(j, False, f"{decision} covers only {scope} bodies "
                        f"({entry.get('scope_note', '')}); the recipient is a public authority",
                        entry, problem="scope")
    if scope in ("commercial", "private-sector"):
        res.reason += f": {entry.get('scope_note', '')}".rstrip(": ")
    if scope == "dpf-certified":
        dpf = ent.dpf if ent is not None else None
        if dpf is None:
            return Adequacy(j, False, f"{decision}: the importer has no DPF certification "
                            "(entity key `dpf`)", entry, problem="no-dpf")
        if dpf.status != "active":
            return Adequacy(j, False, f"{decision}: the importer's DPF certification is "
                            f"{dpf.status}; new transfers need another tool (data received while "
                            "certified stays under the Principles)", entry, problem="dpf")
        if dpf.since and dpf.since > today:
            return Adequacy(j, False, f"{decision}: the importer's DPF certification starts on "
                            f"{dpf.since.isoformat()}, after the evaluation date", entry,
                            problem="dpf")
        if hr and not dpf.hr:
            return Adequacy(j, False, f"{decision}: HR data ({', '.join(hr)}) but the "
                            "importer's certification does not cover HR data (dpf.hr: false)",
                            entry, problem="dpf-hr")
        res.dpf = True
        res.reason = (f"{decision}: importer certified (status active"
                      + (f" since {dpf.since.isoformat()}" if dpf.since else "")
                      + (", HR data covered" if hr else "") + ")")
    return res


def not_transfer_findings(model: ResolvedModel, analysis: Analysis, area: str, prefix: str,
                          regime: str, citation: Citation) -> list[Finding]:
    out = []
    for nt in analysis.not_transfers:
        if nt.area != area:
            continue
        obj = nt.edge.split("@", 1)[0]
        out.append(Finding(f"{prefix}205", "info", f"{nt.edge}: not a transfer out of {area} — "
                           f"{_not_transfer_reason(model, nt)}", citation, object_id=obj,
                           regime=regime))
    return out


def _not_transfer_reason(model: ResolvedModel, nt: NotTransfer) -> str:
    if nt.reason.startswith("collection"):
        f = model.flows.get(nt.edge)
        if f is not None:
            op = model.systems[f.to].operator
            return (f"{nt.reason}: {model.entity_name(op)} collects directly from the data "
                    "subjects (EDPB Guidelines 05/2021 criterion 2); if it targets or monitors "
                    "people in the area it is itself subject to the regulation (Art. 3(2))")
    return nt.reason


def area_selected(model: ResolvedModel, analysis: Analysis, area: str) -> bool:
    """The area was analysed, or the analysis is the default (every area touched)."""
    return area in analysis.areas or tuple(analysis.areas) == areas_touched(model)


# ----------------------------------------------------------------------------------------------
# the regime


def assess(model: ResolvedModel, analysis: Analysis, options: CheckOptions) -> RegimeResult:
    result = RegimeResult()
    for t in sorted(transfers_for(analysis, AREA), key=lambda x: x.id):
        result.assessments.append(_assess(model, t, options, result))
    result.findings.extend(not_transfer_findings(model, analysis, AREA, "GDPR", REGIME, CIT_0521))
    return result


def _scope_step(model: ResolvedModel, t: Transfer, area_name: str) -> Step:
    e = t.exit_edge
    detail = (f"{e.kind} '{e.key}' takes data from {e.source} ({area_name}) to "
              f"{t.recipient_node} ({','.join(t.recipient_jurisdictions)}); exporter "
              f"{t.exporter} (controller), sender {t.sender} ({t.sender_role}), recipient "
              f"{t.recipient} ({t.recipient_role})")
    if "remote-access" in t.flags:
        detail += "; remote access by a party in a third country is a transfer (EDPB " \
                  "Guidelines 05/2021)"
    if "round-trip" in t.flags:
        detail += (f"; the data comes back into the {area_name} afterwards (round trip): the "
                   f"return is not an export of the {area_name}, but it can be an export of "
                   "the recipient's country (e.g. PIPL, where the 2024 Provisions Art. 4 exempt "
                   "re-export of foreign data with no domestic PI added)")
    return Step("0. scope", "exit edge", detail)


def not_a_transfer(model: ResolvedModel, t: Transfer, area: str
                   ) -> tuple[str, str, str | None] | None:
    """(result, detail, [U] alternative-or-None) when EDPB 05/2021 says this is no transfer."""
    if t.recipient == t.sender and (t.sender == t.exporter
                                    or established_in(model, t.sender, area)):
        # a processor established abroad moving the exporter's data to its own system abroad
        # is an importer in a third country (criteria 2-3), not "the same entity"
        return ("same entity", f"{t.recipient} sends to its own "
                f"{'staff' if t.exit_edge.kind == 'access' else 'system'} abroad: no disclosure "
                "to another controller or processor (criterion 2). The entity stays accountable "
                "for processing abroad (Arts 24, 32)", None)
    if t.exit_edge.kind == "access" and established_in(model, t.recipient, area):
        if t.recipient == t.exporter:
            return ("controller's own staff", f"{t.recipient} is the controller, established in "
                    f"the {area}; its staff reach the data from abroad (EDPB 05/2021: an "
                    "employee of the exporter is not an importer). The processor running the "
                    "system does not disclose to another party in a third country", None)
        return ("staff of an entity in the area", f"{t.recipient} is established in the "
                f"{area}; its staff reach the data from abroad. No importer is in a third "
                "country (criterion 3) [U]", "if the access were treated as a transfer to a "
                "third country, it would need the mechanism computed below for any other "
                "recipient")
    return None


def _assess(model: ResolvedModel, t: Transfer, options: CheckOptions,
            result: RegimeResult) -> Assessment:
    a = Assessment(transfer=t, regime=REGIME, required=[], basis=[CIT_ART44])
    tr = a.trace
    tr.append(_scope_step(model, t, AREA))
    toks = personal_tokens(model, t)
    if not toks:
        a.required = ["none"]
        a.status = "not-required"
        a.self_executing = True
        a.exemption = "not-personal-data"
        a.basis = [CIT_REC26, CIT_ART44]
        tr.append(Step("1. personal data", "none", "only non-personal or anonymised data "
                       "(Recital 26): Chapter V does not apply"))
        return a
    special = special_categories(model, t)
    tr.append(Step("1. personal data", "yes", f"categories: "
                   f"{', '.join(sorted({x.category for x in toks}))}; special categories "
                   f"(Arts 9-10): {', '.join(special) or 'none'}"))
    nat = not_a_transfer(model, t, AREA)
    parties = scc_parties(model, t)
    module = parties.module
    if nat is not None:
        res, detail, alt = nat
        a.required = ["none"]
        a.status = "not-required"
        a.self_executing = True
        a.exemption = "not-a-transfer"
        a.basis = [CIT_0521]
        tr.append(Step("2. transfer?", f"no: {res}", detail))
        if alt:
            a.warnings.append(Warning_("GDPR-U-STAFF-ABROAD", detail, f"{alt}: gdpr.scc module "
                                       f"{module} + gdpr.tia", CIT_0521))
            result.findings.append(Finding(
                "GDPR207", "warning", f"{t.id}: {t.recipient} is established in the EEA and "
                "reaches the data from abroad; treated as no transfer [U] (alternative: "
                f"gdpr.scc module {module} + gdpr.tia)", CIT_0521, transfer=t.id,
                path=finding_path(model, t), regime=REGIME))
        else:
            result.findings.append(Finding(
                "GDPR205", "info", f"{t.id}: not a transfer — {detail}", CIT_0521,
                transfer=t.id, path=finding_path(model, t), regime=REGIME))
        return a
    # the disclosing party is the SCC data exporter (a Module 3/4 processor discloses
    # itself), not necessarily the controller whose data it is (regulatory.md §3.1)
    tr.append(Step("2. transfer?", "yes", f"{parties.data_exporter} (subject to the GDPR) "
                   f"makes personal data available to another party, {t.recipient}, in a third "
                   f"country ({', '.join(outside(model, t, AREA))}) (EDPB Guidelines 05/2021 "
                   "criteria 1-3)"))
    if t.possible:
        result.findings.append(Finding(
            "GDPR206", "warning", f"{t.id}: the recipient's location is unknown; treated as a "
            "transfer without adequacy", CIT_ART44, transfer=t.id, path=finding_path(model, t),
            regime=REGIME))
    hr = hr_reasons(model, t)
    # 3. adequacy
    checks = [check_adequacy(model, model.catalogue.adequacy, j, t.recipient, hr, "EU")
              for j in outside(model, t, AREA)]
    for ad in checks:
        tr.append(Step(f"3. adequacy ({ad.jurisdiction})", "adequate" if ad.adequate else
                       "not adequate", ad.reason))
        if ad.problem in ("dpf", "dpf-hr"):
            result.findings.append(Finding(
                "GDPR208", "warning", f"{t.id}: {ad.reason}", CIT_DPF, transfer=t.id,
                path=finding_path(model, t), regime=REGIME))
        if ad.problem in ("not-yet", "expired"):
            result.findings.append(Finding(
                "GDPR204", "warning", f"{t.id}: {ad.reason}", CIT_ART45, transfer=t.id,
                path=finding_path(model, t), regime=REGIME))
        if ad.adequate and ad.expires_in_days is not None and \
                ad.expires_in_days <= options.warn_expiring_days:
            result.findings.append(Finding(
                "GDPR204", "warning", f"{t.id}: the adequacy decision for {ad.jurisdiction} "
                f"expires in {ad.expires_in_days} days", CIT_ART45, transfer=t.id,
                path=finding_path(model, t), regime=REGIME))
    group = same_group(model, t.sender, t.recipient) or same_group(model, t.exporter,
                                                                   t.recipient)
    if checks and all(ad.adequate for ad in checks):
        _adequate(model, a, t, checks, module, group, result)
    else:
        _safeguards(model, a, t, parties, group, special, result)
    _china_access(model, a, t, result)
    _common_duties(model, a, t, module)
    _onward(model, a, t, module, result)
    a.trace.append(Step("9. records", "Art. 30", "the transfer goes into the exporter's record "
                        "(Art. 30(1)(e)) and, for a processor sender, its record (Art. 30(2)(c))"))
    return a


def _adequate(model: ResolvedModel, a: Assessment, t: Transfer, checks: list[Adequacy],
              module: int, group: bool, result: RegimeResult) -> None:
    a.required = ["gdpr.adequacy"]
    a.self_executing = True
    a.status = "ok"
    a.basis = [CIT_ART45]
    decisions = []
    for ad in checks:
        e = ad.entry or {}
        decisions.append({k: v for k, v in {
            "jurisdiction": ad.jurisdiction, "decision": e.get("decision"),
            "adopted": e.get("adopted"), "renewed": e.get("renewed"),
            "valid_until": e.get("valid_until"), "scope": e.get("scope"),
            "confidence": e.get("confidence"), "dpf": ad.dpf or None}.items() if v is not None})
        if ad.dpf:
            a.basis.append(CIT_DPF)
    a.mechanism_details = {"gdpr.adequacy": {"decisions": decisions}}
    a.trace.append(Step("4. mechanism", "gdpr.adequacy", "adequacy decision(s) in force: no "
                        "Art. 46 tool and no TIA needed (EDPB Recommendations 01/2020 step 2)"))
    if any(ad.dpf for ad in checks):
        alt = fallback_text(t, module, group)
        a.warnings.append(Warning_(
            "GDPR-U-DPF-CHALLENGE", "the transfer rests on the EU-US Data Privacy Framework; the "
            "General Court upheld it (Latombe, T-553/23, 3 Sep 2025) but appeal C-703/25 P is "
            "pending [U]", f"if the Court of Justice annuls Decision 2023/1795: {alt}", CIT_C703))
        result.findings.append(Finding(
            "GDPR201", "warning", f"{t.id}: relies on {model.entity_name(t.recipient)}'s DPF "
            f"certification; appeal C-703/25 P pending — fallback: {alt}", CIT_C703,
            transfer=t.id, path=finding_path(model, t), regime=REGIME))


def fallback_text(t: Transfer, module: int, group: bool) -> str:
    code, label = MODULES[module]
    alt = f"gdpr.scc module {module} ({code}, {label}) + gdpr.tia"
    if is_processor_role(t.recipient_role):
        alt += " (+ gdpr.dpa)"
    if group:
        alt += ", or gdpr.bcr inside the group"
    return alt


_CLAUSES: dict[int, dict[str, str]] = {}
_ANNEXES: dict[int, list[str]] = {}


def _clauses(module: int) -> dict[str, str]:
    """The module's SCC clauses: one dict per module shared by its transfers (only serialised)."""
    got = _CLAUSES.get(module)
    if got is None:
        got = _CLAUSES[module] = {
            "docking": "Clause 7", "local_laws": "Clause 14", "government_access": "Clause 15"}
        onward = ONWARD_CLAUSE[module]
        if onward:
            got["onward_transfers"] = onward
    return got


def _annexes(module: int) -> list[str]:
    got = _ANNEXES.get(module)
    if got is None:
        got = _ANNEXES[module] = ["I.A", "I.B", "I.C", "II"] + (["III"] if module in (2, 3)
                                                                 else [])
    return got


def _safeguards(model: ResolvedModel, a: Assessment, t: Transfer, parties: SccParties,
                group: bool, special: list[str], result: RegimeResult) -> None:
    tr = a.trace
    module = parties.module
    code, label = MODULES[module]
    a.required = ["gdpr.scc"]
    a.basis = [CIT_ART46, CIT_SCC, CIT_SCC14]
    details: dict[str, Any] = {
        "module": module, "module_code": code, "module_name": label,
        "data_exporter": parties.data_exporter,
        "data_exporter_role": parties.data_exporter_role,
        "data_importer": t.recipient, "data_importer_role": t.recipient_role,
        "controller": t.exporter,
        "clauses": _clauses(module), "annexes": _annexes(module),
        # SCC Clause 13(a): the SA responsible for the data exporter that signs (a Module 3
        # processor's, not its controller's), as Annex I.C names it
        "competent_sa": _competent_sa(model, parties.data_exporter),
        "frequency": _frequency(model, t),
    }
    if special:
        details["special_categories"] = special
    a.mechanism_details = {"gdpr.scc": details}
    tr.append(Step("4. Art. 46", f"gdpr.scc module {module} ({code})", f"sender {t.sender} is "
                   f"{t.sender_role}, recipient {t.recipient} is {t.recipient_role}; "
                   f"{parties.why}: 1 C2C, 2 C2P, 3 P2P, 4 P2C (Decision 2021/914; Module 4 "
                   "only for a processor returning data to its own controller)"))
    if parties.data_exporter != t.exporter:
        tr.append(Step("4. Art. 46", "signatory", f"the SCCs are signed by the data exporter "
                       f"{parties.data_exporter} ({parties.data_exporter_role}); declare the "
                       f"safeguard with exporter {t.exporter} (the controller on whose behalf "
                       "the data crosses)"))
    elif t.sender != t.exporter:
        tr.append(Step("4. Art. 46", "signatory", f"the data exporter signing the SCCs is the "
                       f"controller {t.exporter}; {t.sender} ({t.sender_role}) only sends on "
                       "its instructions"))
    for sid in claimed(model, t, "gdpr.scc"):
        eff = model.safeguards[sid].effective
        if eff is not None and eff < SCC_2021_IN_FORCE:
            result.findings.append(Finding(
                "GDPR210", "error", f"{t.id}: safeguard '{sid}' took effect on "
                f"{eff.isoformat()}, before the 2021 SCCs (27 Jun 2021): clauses under the "
                "repealed 2001/2004/2010 decisions stopped providing safeguards on 27 Dec 2022",
                CIT_SCC_LEGACY, transfer=t.id, object_id=sid, path=finding_path(model, t),
                regime=REGIME, hint=f"sign the 2021 SCCs, module {module}"))
    mismatched = [sid for sid in claimed(model, t, "gdpr.scc")
                  if model.safeguards[sid].module not in (None, module)]
    for sid in mismatched:
        result.findings.append(Finding(
            "GDPR211", "error", f"{t.id}: safeguard '{sid}' is SCC module "
            f"{model.safeguards[sid].module}, but the parties call for module {module} "
            f"({code}): {parties.why}", CIT_SCC, transfer=t.id,
            object_id=sid, path=finding_path(model, t), regime=REGIME))
    if group:
        a.required.append("gdpr.bcr")
        a.basis.append(CIT_ART47)
        root = group_root(model, t.recipient)
        a.mechanism_details["gdpr.bcr"] = {"group": root, "article": "Art. 47",
                                           "approval": "competent supervisory authority "
                                           "(consistency mechanism, Art. 63)"}
        tr.append(Step("4. Art. 47", "gdpr.bcr available", f"{t.recipient} belongs to the same "
                       f"group as the exporter (parent chain up to {root})"))
    elif claimed(model, t, "gdpr.bcr"):
        tr.append(Step("4. Art. 47", "gdpr.bcr not available", f"{t.recipient} is not in the "
                       "exporter's group (no shared `parent` chain)"))
    # 5. Art. 49
    derog = claimed(model, t, "gdpr.derogation")
    derog_ok = False
    if derog:
        why = systematic(model, t)
        exp = model.entities.get(t.exporter)
        letters = {sid: _derogation_ground(model.safeguards[sid].reference) for sid in derog}
        if why:
            tr.append(Step("5. Art. 49", "derogation rejected", f"claimed by {', '.join(derog)},"
                           f" but the transfer is systematic: {why} (EDPB Guidelines 2/2018)"))
            for sid in derog:
                result.findings.append(Finding(
                    "GDPR200", "error", f"{t.id}: safeguard '{sid}' claims an Art. 49 "
                    f"derogation, but the transfer is systematic ({why}); use gdpr.scc module "
                    f"{module}", CIT_0218, transfer=t.id, object_id=sid, path=finding_path(model, t),
                    regime=REGIME, hint=f"declare gdpr.scc (module {module}) with a TIA"))
        elif refuse_public_authority(model, t, exp, letters, a, result, "GDPR209",
                                     "derogation", REGIME):
            pass
        else:
            derog_ok = True
            a.required.append("gdpr.derogation")
            a.basis.append(CIT_ART49)
            grounds = sorted({g for g in letters.values() if g})
            a.mechanism_details["gdpr.derogation"] = {
                "grounds": grounds or ["not stated (put e.g. 'Art. 49(1)(b)' in the "
                                       "safeguard's reference)"],
                "occasional": True}
            tr.append(Step("5. Art. 49", "derogation acceptable", f"claimed by "
                           f"{', '.join(derog)} ({', '.join(grounds) or 'ground not stated'}); "
                           "the transfer is occasional (not continuous, daily or year-round); "
                           "read restrictively (EDPB Guidelines 2/2018)"))
            if "second-subparagraph" in grounds:
                a.duties.append(DutyReq(
                    "gdpr.ropa-entry", _c(GDPR, "Art. 49(1) second subparagraph, Art. 30(1)(e)"),
                    "compelling legitimate interests: document the assessment and the suitable "
                    "safeguards in the record of processing; inform the supervisory authority "
                    "and the data subjects"))
                a.filing = {"mechanism": "gdpr.derogation",
                            "authority": (_competent_sa(model, t.exporter) or {}).get("name"),
                            "rule": "inform the supervisory authority of the transfer (Art. "
                            "49(1) second subparagraph)",
                            "citation": "GDPR Art. 49(1) second subparagraph"}
    else:
        tr.append(Step("5. Art. 49", "not claimed", "derogations are used only when a "
                       "safeguard with mechanism gdpr.derogation is declared"))
    # TIA: Art. 46 tools only (a derogation alone needs none)
    art46_declared = [s for s in declared_with_prefix(model, t, "gdpr.")
                      if model.safeguards[s].mechanism in ("gdpr.scc", "gdpr.bcr")]
    if derog_ok and not art46_declared:
        tr.append(Step("6. TIA", "not required", "the transfer relies on an Art. 49 "
                       "derogation only"))
    elif module == 4 and not t.provenance.get("personal_collected_in_area"):
        tr.append(Step("6. TIA", "not required", "Module 4: Clauses 14-15 apply only where the "
                       "EU processor combines the data with personal data it collected in the "
                       "EU; all personal data here came from outside the area ("
                       + ", ".join(t.provenance.get("received_from") or []) + ")"))
    else:
        where = ", ".join(outside(model, t, AREA))
        if "US" in outside(model, t, AREA):
            tr.append(Step("6. TIA", "required (US)", "the EO 14086 safeguards (Data Protection "
                           "Review Court) apply to every transfer to the US and may be taken into "
                           "account in the TIA (EDPB information note, July 2023)"))
        a.duties.append(DutyReq(
            "gdpr.tia", CIT_TIA, f"transfer impact assessment of {where}"
            " law and practice (SCC Clause 14; EDPB Recommendations 01/2020 steps 1-6), with "
            "supplementary measures where needed", party=t.recipient))
    a.status = "gap"
    _art3_2_importer(model, a, t, module, result)


def refuse_public_authority(model: ResolvedModel, t: Transfer, exporter: Any,
                            letters: dict[str, str | None], a: Assessment,
                            result: RegimeResult, code: str, what: str, regime: str,
                            citation: Citation = CIT_ART49_3) -> bool:
    """Art. 49(3): a public authority cannot rely on Art. 49(1)(a)-(c) or the second
    subparagraph (GDPR and UK GDPR alike). Adds the refusal step and one ``code`` finding per
    claim; True when it refused."""
    if exporter is None or not exporter.public_authority or not any(
            g in ("a", "b", "c", "second-subparagraph") for g in letters.values()):
        return False
    a.trace.append(Step("5. Art. 49", f"{what} rejected", "the exporter is a public authority: "
                        "Art. 49(1)(a)-(c) and the second subparagraph are not available "
                        "(Art. 49(3))"))
    for sid in letters:
        result.findings.append(Finding(
            code, "error", f"{t.id}: safeguard '{sid}' claims Art. 49(1) ({letters[sid]}) for "
            "a public authority", citation, transfer=t.id, object_id=sid,
            path=finding_path(model, t), regime=regime))
    return True


def _derogation_ground(reference: str | None) -> str | None:
    if not reference:
        return None
    ref = reference.lower()
    if "second subparagraph" in ref or "compelling" in ref or "49(1)(2)" in ref.replace(" ", ""):
        return "second-subparagraph"
    m = re.search(r"49\s*\(\s*1\s*\)\s*\(\s*([a-g])\s*\)", ref)
    return m.group(1) if m else None


def _competent_sa(model: ResolvedModel, eid: str) -> dict[str, Any] | None:
    ent = model.entities.get(eid)
    if ent is None:
        return None
    place = model.catalogue.resolve_location(ent.jurisdiction)
    if place is None:
        return None
    sa = model.catalogue.eea_authorities.get(place.jurisdiction)
    if sa is None:
        return None
    return {"code": place.jurisdiction, "name": sa.get("name_en"),
            "acronym": sa.get("acronym"), "confidence": sa.get("confidence")}


def _frequency(model: ResolvedModel, t: Transfer) -> str | None:
    """The exit flow's declared frequency (Annex I.B); None when the model does not say: the
    documents mark it to complete rather than infer one (docs/templates.md)."""
    e = t.exit_edge
    if e.kind == "flow":
        return model.flows[e.object_id].frequency or None
    return None


def _art3_2_importer(model: ResolvedModel, a: Assessment, t: Transfer, module: int,
                     result: RegimeResult) -> None:
    """[U] an importer that collects directly from EEA data subjects is itself under Art. 3(2)."""
    memo = index(model).memo.setdefault("art3_2_direct", {})  # it depends on the recipient only
    direct = memo.get(t.recipient)
    if direct is None:
        direct = memo[t.recipient] = sorted(
            fid for fid, client in index(model).client_flows.get(t.recipient, [])
            if any(p != "unknown" and in_area(model, p, AREA)
                   for p in model.systems[client].jurisdictions))
    if not direct:
        return
    msg = (f"{t.recipient} collects directly from data subjects in the EEA "
           f"({', '.join(direct)}), so it is itself subject to the GDPR (Art. 3(2)); the 2021 "
           "SCCs are not designed for such importers and a dedicated SCC set was announced, its "
           "adoption not verified [U]")
    a.warnings.append(Warning_("GDPR-U-ART3-2", msg, f"it is still a transfer (EDPB 05/2021); "
                               f"default: 2021 SCC module {module}; if SCCs for Art. 3(2) "
                               "importers are adopted, use them instead", CIT_SCC_REC7))
    result.findings.append(Finding("GDPR207", "warning", f"{t.id}: {msg}", CIT_SCC_REC7,
                                   transfer=t.id, path=finding_path(model, t), regime=REGIME))


def _common_duties(model: ResolvedModel, a: Assessment, t: Transfer, module: int) -> None:
    if is_processor_role(t.recipient_role):
        scc = "gdpr.scc" in a.required
        if module == 3:
            note = (f"Art. 28(4) sub-processing contract between {t.sender} and {t.recipient}, "
                    "authorised by the controller"
                    + (" (SCC Module 3 can serve as it)" if scc else ""))
        else:
            note = (f"Art. 28(3) contract with the processor {t.recipient}"
                    + (f" (between the controller {t.exporter} and {t.recipient}; {t.sender} "
                       "only sends on the controller's instructions)"
                       if t.sender not in (t.exporter, t.recipient) else "")
                    + (" (SCC Module 2 can serve as it, Decision 2021/914 Recital 9)"
                       if scc else ""))
        a.duties.append(DutyReq("gdpr.dpa", CIT_ART28, note, party=t.recipient))
    if a.duties:
        a.trace.append(Step("7. duties", ", ".join(d.id for d in a.duties),
                            "; ".join(d.note for d in a.duties)))


def _onward(model: ResolvedModel, a: Assessment, t: Transfer, module: int,
            result: RegimeResult) -> None:
    hops = [(ent, sys, j) for ent, sys, j in t.onward
            if ent != t.recipient or j not in t.recipient_jurisdictions]
    if not hops:
        a.trace.append(Step("8. onward", "none", "the data reaches no further party or country"
                            + (" (it returns into the area: round trip)"
                               if "round-trip" in t.flags else "")))
        return
    text = ", ".join(f"{ent} ({sys}, {j})" for ent, sys, j in hops)
    uses_dpf = any(d.get("dpf") for d in a.mechanism_details.get("gdpr.adequacy", {})
                   .get("decisions", []))
    if uses_dpf:
        rule = "DPF Accountability for Onward Transfer Principle"
        cit = CIT_DPF_ONWARD
    elif "gdpr.scc" in a.mechanism_details:
        clause = ONWARD_CLAUSE[module]
        rule = (f"SCC {clause} (onward transfers)" if clause else
                "SCC Module 4 (the EU processor's controller decides)")
        if is_processor_role(t.recipient_role):
            rule += " and sub-processor authorisation (Clause 9, Annex III)"
        cit = CIT_SCC_ONWARD
    else:
        rule = "the destination's own law under the adequacy decision"
        cit = CIT_ART45
    a.trace.append(Step("8. onward", f"{len(hops)} onward hop(s)", f"{text}: governed by {rule}; "
                        "each onward recipient needs its own Chapter V basis (Art. 44)"))
    main = a.mechanism_details.get(a.required[0]) if a.required else None
    if isinstance(main, dict):
        main["onward"] = [{"entity": ent, "system": sys, "jurisdiction": j}
                          for ent, sys, j in hops]
    result.findings.append(Finding(
        "GDPR203", "info", f"{t.id}: onward transfer from {t.recipient} to {text} — {rule}",
        cit, transfer=t.id, path=finding_path(model, t), regime=REGIME))


def _china_access(model: ResolvedModel, a: Assessment, t: Transfer,
                  result: RegimeResult) -> None:
    if a.self_executing or not any(j != "unknown" and in_area(model, j, "CN")
                                   for j in t.recipient_jurisdictions):
        return
    e = t.exit_edge
    if e.kind == "access":
        why = "remote access from mainland China (clear-text access: encryption cannot help)"
    else:
        transforms = set(model.flows[e.object_id].transformations)
        if {"pseudonymised", "encrypted"} & transforms:
            a.trace.append(Step("6. supplementary measures", "modelled", f"the exit flow is "
                                f"{', '.join(sorted(transforms))}; check that keys stay in the "
                                "EEA (EDPB Recommendations 01/2020 use cases 1-3)"))
            return
        why = "personal data reaches mainland China in clear (no pseudonymisation or encryption " \
              "modelled on the exit flow)"
    if not any(d.id == "gdpr.tia" for d in a.duties):
        # no TIA is owed (Module 4 with all data from the third-country controller, or an
        # Art. 49 derogation alone): nothing in which to assess PRC law, so no GDPR202
        a.trace.append(Step("6. supplementary measures", "not assessed", f"{why}; no TIA is "
                            "owed (see step 6), so PRC law is not assessed for this transfer"))
        return
    a.trace.append(Step("6. supplementary measures", "none modelled", why))
    result.findings.append(Finding(
        "GDPR202", "warning", f"{t.id}: {why}; the TIA must assess PRC law (Anti-Terrorism, "
        "Counter-Espionage, Cybersecurity, National Intelligence laws) — DPC TikTok decision, "
        "2 May 2025", CIT_DPC_TIKTOK, transfer=t.id, path=finding_path(model, t), regime=REGIME))


# ----------------------------------------------------------------------------------------------
# Art. 30 records of processing activities


def ropa_entries(model: ResolvedModel, analysis: Analysis) -> list[dict[str, Any]]:
    """Art. 30 records: one entry per controller (30(1)(a)-(g)) and per processor (30(2)(a)-(d))
    with processing touching the EEA. Pure: reads the model, the analysis and this regime's
    assessments; the document templates render the dicts."""
    cat = model.catalogue
    res = assess(model, analysis, CheckOptions())
    assessments = {x.transfer.id: x for x in res.assessments}
    eea_transfers = sorted(transfers_for(analysis, AREA), key=lambda x: x.id)
    eea_sys = {sid for sid, s in model.systems.items()
               if any(p != "unknown" and cat.in_area(p, AREA) for p in s.jurisdictions)}
    flows = {fid: f for fid, f in sorted(model.flows.items())
             if f.from_ in eea_sys or f.to in eea_sys}
    access = {aid: x for aid, x in sorted(model.access.items()) if x.system in eea_sys}
    owners = _DataControllers(model)
    by_ctrl: dict[str, dict[str, Any]] = {}
    for fid, f in flows.items():
        for ctrl in owners.of_flow(fid):
            by_ctrl.setdefault(ctrl, {})[fid] = f
    # a controller established in the EEA records all its processing, wherever it happens
    # (Art. 3(1), Art. 30(1)): its processors' and sub-processors' flows outside the EEA too
    # (e.g. an Indian payroll processor's backup to its US sub-processor)
    eea_ctrls = {c for c in list(by_ctrl) + [t.exporter for t in eea_transfers]
                 if established_in(model, c, AREA)}
    if eea_ctrls:
        for fid in sorted(set(model.flows) - set(flows)):
            for ctrl in owners.of_flow(fid) & eea_ctrls:
                by_ctrl.setdefault(ctrl, {})[fid] = model.flows[fid]
    for t in eea_transfers:  # the exit edge carries the exporter's data, whatever the fallback
        if t.exit_edge.kind == "flow" and t.exit_edge.object_id in flows:
            by_ctrl.setdefault(t.exporter, {})[t.exit_edge.object_id] = \
                flows[t.exit_edge.object_id]
    access_by_ctrl: dict[str, list[Any]] = {}
    for x in access.values():
        for ctrl in owners.of_system(x.system, tuple(x.categories)):
            access_by_ctrl.setdefault(ctrl, []).append(x)
    transfers_by_exporter: dict[str, list[Transfer]] = {}
    transfers_by_sender: dict[str, list[Transfer]] = {}
    for t in eea_transfers:
        transfers_by_exporter.setdefault(t.exporter, []).append(t)
        transfers_by_sender.setdefault(t.sender, []).append(t)
    retention_by_op: dict[str, list[tuple[str, str]]] = {}
    for sid in sorted(model.systems):
        s = model.systems[sid]
        if s.spec.retention:
            retention_by_op.setdefault(s.operator, []).append((sid, s.spec.retention))
    controllers: set[str] = set(by_ctrl) | set(transfers_by_exporter)
    processors: dict[str, set[str]] = {}
    for ctrl in sorted(by_ctrl):
        for f in by_ctrl[ctrl].values():
            target_op = model.systems[f.to].operator
            source_op = model.systems[f.from_].operator
            if target_op != ctrl and _processes_for(model, f.recipient_role, target_op, ctrl,
                                                    source_op):
                processors.setdefault(target_op, set()).add(ctrl)
            if source_op != ctrl:
                processors.setdefault(source_op, set()).add(ctrl)
    eea_operators = {model.systems[sid].operator for sid in eea_sys}
    for eid, ent in model.entities.items():
        if ent.processor_for and eid in eea_operators:
            # a sub-processor acts for the controllers its processor acts for (Art. 30(2)(a))
            processors.setdefault(eid, set()).update(owners.ultimate(eid))
    out: list[dict[str, Any]] = []
    for c in sorted(controllers):
        mine = by_ctrl.get(c, {})
        touched = {f.to for f in mine.values()} | {f.from_ for f in mine.values()}
        sys_ret = sorted({(sid, r) for op in {c} | {model.systems[x].operator for x in touched}
                          for sid, r in retention_by_op.get(op, [])
                          if op == c or sid in touched})
        out.append(_controller_entry(model, c, mine, access_by_ctrl.get(c, []),
                                     transfers_by_exporter.get(c, []), assessments, sys_ret))
    for p in sorted(processors):
        fl = {c: [f for f in by_ctrl.get(c, {}).values()
                  if p in (model.systems[f.to].operator, model.systems[f.from_].operator)]
              for c in sorted(processors[p])}
        mine_t = [t for t in transfers_by_sender.get(p, []) if is_processor_role(t.sender_role)]
        out.append(_processor_entry(model, p, fl, mine_t, assessments))
    return out


def _processor_for(model: ResolvedModel, eid: str) -> list[str]:
    ent = model.entities.get(eid)
    return list(ent.processor_for) if ent is not None else []


def _processes_for(model: ResolvedModel, recipient_role: str | None, recipient: str, ctrl: str,
                   sender: str) -> bool:
    """The recipient of a flow carrying ``ctrl``'s data acts as a processor: by its
    ``recipient_role``, else as the controller's processor or the sending processor's
    sub-processor (docs/model-format.md 'Who exports')."""
    if recipient_role is not None:
        return is_processor_role(recipient_role)
    serves = _processor_for(model, recipient)
    return ctrl in serves or (sender != ctrl and sender in serves)


def _cats_meet(model: ResolvedModel, a: Iterable[str], b: Iterable[str]) -> bool:
    bs = tuple(b)
    return any(model.covers(x, y) or model.covers(y, x) for x in a for y in bs)


class _DataControllers:
    """Whose data a flow or system holds, for the Art. 30 records. ``model.flow_controller``
    falls back to the operator when a processor serves several controllers; here data passing
    through a processor keeps the controllers of the flows that bring it (an incoming flow
    with ``recipient_role: controller`` makes the recipient the controller of its copy)."""

    def __init__(self, model: ResolvedModel):
        self.model = model
        self.incoming: dict[str, list[str]] = {}
        for fid in sorted(model.flows):
            self.incoming.setdefault(model.flows[fid].to, []).append(fid)
        self.memo: dict[str, frozenset[str]] = {}

    def ultimate(self, eid: str, seen: frozenset[str] = frozenset()) -> set[str]:
        """The controllers behind an entity: itself, or through its ``processor_for`` chain."""
        serves = _processor_for(self.model, eid)
        if not serves or eid in seen:
            return {eid}
        out: set[str] = set()
        for x in serves:
            out |= self.ultimate(x, seen | {eid})
        return out

    def _multi(self, op: str) -> bool:
        return len(_processor_for(self.model, op)) > 1

    def of_flow(self, fid: str, seen: frozenset[str] = frozenset()) -> frozenset[str]:
        got = self.memo.get(fid)
        if got is not None:
            return got
        model = self.model
        f = model.flows[fid]
        op = model.systems[f.from_].operator
        if f.on_behalf_of or not self._multi(op) or fid in seen:
            res = frozenset({model.flow_controller[fid]})
        else:
            res = self.of_system(f.from_, tuple(f.categories), seen | {fid}) or \
                frozenset({model.flow_controller[fid]})
        if not seen:
            self.memo[fid] = res
        return res

    def of_system(self, sid: str, categories: tuple[str, ...],
                  seen: frozenset[str] = frozenset()) -> frozenset[str]:
        """The controllers of the data at a system that the categories meet."""
        model = self.model
        op = model.systems[sid].operator
        if not self._multi(op):
            return frozenset({model.controller_of(op)})
        out: set[str] = set()
        for g in self.incoming.get(sid, []):
            fg = model.flows[g]
            if g in seen or (categories and not _cats_meet(model, categories, fg.categories)):
                continue
            if fg.recipient_role == "controller":
                out.add(op)
            else:
                out |= self.of_flow(g, seen)
        return frozenset(out)


def _party(model: ResolvedModel, eid: str) -> dict[str, Any]:
    ent = model.entities.get(eid)
    contact = ent.contact.model_dump(exclude_none=True) if ent and ent.contact else {}
    return {"entity": eid, "name": model.entity_name(eid),
            "jurisdiction": model.entity_jurisdiction(eid),
            "address": ent.address if ent else None, "contact": contact,
            "dpo": ent.dpo if ent else None, "representative": None,
            "established_in_eea": established_in(model, eid, AREA)}


def _transfer_rows(model: ResolvedModel, transfers: Iterable[Transfer],
                   assessments: Mapping[str, Assessment]) -> list[dict[str, Any]]:
    rows = []
    for t in transfers:
        a = assessments.get(t.id)
        if a is None or a.status == "not-required":
            continue
        declared = declared_with_prefix(model, t, "gdpr.")
        docs = [model.safeguards[s].reference for s in declared
                if model.safeguards[s].mechanism == "gdpr.derogation"
                and _derogation_ground(model.safeguards[s].reference) == "second-subparagraph"]
        # Art. 30(1)(e): the documentation of the suitable safeguards is the exporter's own
        # record of the assessment (a declared gdpr.ropa-entry duty), not the safeguard's
        # reference, which only names the ground
        documentation = sorted(
            f"{did}: " + "; ".join(x for x in (d.reference, d.done_on.isoformat() if d.done_on
                                                else None) if x)
            for did, d in model.duties.items()
            if d.duty == "gdpr.ropa-entry" and d.exporter == t.exporter
            and (not d.recipients or t.recipient in d.recipients)
            and (d.reference or d.done_on)) if docs else []
        rows.append({
            "transfer": t.id, "recipient": t.recipient,
            "recipient_name": model.entity_name(t.recipient),
            "third_countries": outside(model, t, AREA), "mechanisms": list(a.required),
            "module": a.mechanism_details.get("gdpr.scc", {}).get("module"),
            "declared": [{"safeguard": s, "mechanism": model.safeguards[s].mechanism,
                          "reference": model.safeguards[s].reference} for s in declared],
            "art49_second_subparagraph_safeguards": docs or None,
            "art49_second_subparagraph": bool(docs),
            "art49_documentation": documentation or None})
    return rows


def _security(model: ResolvedModel, flows: Iterable[Any]) -> dict[str, Any]:
    measures = sorted({m for f in flows for m in f.transformations})
    return {"measures_in_model": measures,
            "note": None if measures else "not described in the model: add the Art. 32(1) "
            "measures in the document"}


def _controller_entry(model: ResolvedModel, c: str, mine: Mapping[str, Any],
                      access: list[Any], my_transfers: list[Transfer],
                      assessments: Mapping[str, Assessment],
                      sys_ret: list[tuple[str, str]]) -> dict[str, Any]:
    cohorts: set[str] = set()
    categories: set[str] = set()
    for f in mine.values():
        cohorts.update(f.cohorts)
        categories.update(f.categories)
    for t in my_transfers:
        cohorts.update(tok.cohort for tok in t.tokens if tok.cohort)
        categories.update(tok.category for tok in t.tokens)
    purposes = sorted({f.purpose for f in mine.values() if f.purpose} |
                      {x.purpose for x in access if x.purpose})
    recipients: dict[str, dict[str, Any]] = {}
    for f in mine.values():
        op = model.systems[f.to].operator
        if op != c:
            recipients.setdefault(op, {"entity": op, "name": model.entity_name(op),
                                       "role": f.recipient_role or (
                                           "processor" if _processes_for(
                                               model, None, op, c,
                                               model.systems[f.from_].operator)
                                           else "controller"),
                                       "jurisdictions": set()})["jurisdictions"].update(
                model.systems[f.to].jurisdictions)
    for x in access:
        if x.accessor != c:
            # named by its role, as transfers.py names a remote-access recipient: the
            # controller's processor (or the system operator's sub-processor), else a controller
            rec = recipients.setdefault(x.accessor, {
                "entity": x.accessor, "name": model.entity_name(x.accessor),
                "role": "processor" if _processes_for(
                    model, None, x.accessor, c, model.systems[x.system].operator)
                else "controller", "jurisdictions": set()})
            for loc in x.from_:
                place = model.catalogue.resolve_location(loc)
                rec["jurisdictions"].add(place.jurisdiction if place else "unknown")
    rec_rows = []
    for eid in sorted(recipients):
        r = recipients[eid]
        js = sorted(r["jurisdictions"])
        rec_rows.append({**r, "jurisdictions": js,
                         "third_country": any(j == "unknown" or not model.catalogue.in_area(
                             j, AREA) for j in js)})
    erasure = sorted({(fid, f.retention) for fid, f in mine.items() if f.retention})
    special = sorted(cid for cid in categories if cid in model.categories
                     and model.categories[cid].special)
    systematic_flows = any(
        (f.frequency or "").lower() in SYSTEMATIC_FREQUENCIES for f in mine.values())
    return {
        "kind": "controller", "article": "30(1)", "entity": c,
        "a_controller": _party(model, c), "a_joint_controllers": [],
        "b_purposes": purposes,
        "c_data_subjects": [{"cohort": k, "name": model.cohorts[k].name or k,
                             "relationship": model.cohorts[k].relationship}
                            for k in sorted(cohorts) if k in model.cohorts],
        "c_personal_data": [{"category": k, "name": model.categories[k].name,
                             "special": model.categories[k].special}
                            for k in sorted(categories) if k in model.categories
                            and model.categories[k].personal],
        "d_recipients": rec_rows,
        "e_transfers": _transfer_rows(model, my_transfers, assessments),
        "f_erasure": [{"flow": fid, "retention": r} for fid, r in erasure] +
                     [{"system": sid, "retention": r} for sid, r in sys_ret],
        "g_security": _security(model, mine.values()),
        "art30_5": {"exemption_possible": not (special or systematic_flows),
                    "reason": ("special-category data" if special else
                               "processing is not occasional" if systematic_flows else
                               "only if fewer than 250 employees and no risk"),
                    "pending": "Omnibus IV proposal (May 2025) would raise the threshold to "
                    "750 employees; not adopted as far as sources show [U]"},
    }


def _processor_entry(model: ResolvedModel, p: str, by_controller: Mapping[str, list[Any]],
                     my_transfers: list[Transfer], assessments: Mapping[str, Assessment]
                     ) -> dict[str, Any]:
    processing = []
    used = []
    controllers = sorted(by_controller)
    for c in controllers:
        fl = by_controller[c]
        used.extend(fl)
        processing.append({"controller": c, "name": model.entity_name(c),
                           "purposes": sorted({f.purpose for f in fl if f.purpose}),
                           "categories": sorted({x for f in fl for x in f.categories})})
    return {
        "kind": "processor", "article": "30(2)", "entity": p,
        "a_processor": _party(model, p),
        "a_controllers": [_party(model, c) for c in controllers],
        "b_processing": processing,
        "c_transfers": _transfer_rows(model, my_transfers, assessments),
        "d_security": _security(model, used),
    }
