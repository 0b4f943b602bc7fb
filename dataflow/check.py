"""The gate: what each regime requires, compared with what the model declares, as findings.

Regimes are listed here explicitly (no registration by import side effect). A regime that
crashes becomes a finding instead of aborting the run.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from .codes import LOADER_CODES
from .jsonio import Lazy, materialise
from .regimes import gdpr, others, pipl, uk_gdpr, us_doj, us_padfa
from .regimes.base import (
    Assessment,
    CheckOptions,
    Citation,
    ExporterRow,
    Finding,
    FindingCode,
    RegimeFn,
    RegimeResult,
)
from .resolve import ResolvedModel
from .transfers import Analysis, Transfer, analyse, areas_touched

REGIMES: tuple[tuple[str, str, RegimeFn], ...] = (
    ("pipl", "PIPL", pipl.assess),
    ("gdpr", "GDPR Chapter V", gdpr.assess),
    ("uk-gdpr", "UK GDPR", uk_gdpr.assess),
    ("us-doj-dsp", "US DOJ Data Security Program (28 CFR Part 202)", us_doj.assess),
    ("us-padfa", "US PADFA", us_padfa.assess),
    ("ru", "Russia (152-FZ)", others.assess_ru),
    ("in", "India (DPDP Act 2023)", others.assess_in),
    ("vn", "Vietnam (PDPL 2025)", others.assess_vn),
    ("id", "Indonesia (PDP Law 27/2022)", others.assess_id),
    ("sa", "Saudi Arabia (PDPL)", others.assess_sa),
    ("sg", "Singapore (PDPA)", others.assess_sg),
    ("jp", "Japan (APPI)", others.assess_jp),
    ("kr", "Korea (PIPA)", others.assess_kr),
    ("hk", "Hong Kong (PDPO)", others.assess_hk),
)

REGIME_CODES: dict[str, dict[str, FindingCode]] = {
    "pipl": pipl.FINDING_CODES,
    "gdpr": gdpr.FINDING_CODES,
    "uk-gdpr": uk_gdpr.FINDING_CODES,
    "us-doj-dsp": us_doj.FINDING_CODES,
    "us-padfa": us_padfa.FINDING_CODES,
    "ru": others.RU_CODES,
    "in": others.IN_CODES,
    "vn": others.VN_CODES,
    "id": others.ID_CODES,
    "sa": others.SA_CODES,
    "sg": others.SG_CODES,
    "jp": others.JP_CODES,
    "kr": others.KR_CODES,
    "hk": others.HK_CODES,
}

CHECK_CODES: dict[str, FindingCode] = {c.code: c for c in [
    FindingCode("CHK001", "warning", "Safeguard covers no transfer",
                "A declared safeguard matches no transfer of the model (wrong exporter, recipient "
                "or categories, or the transfer no longer exists). Not reported with --area: the "
                "safeguard may cover a transfer of an area not analysed.",
                "Fix or remove the safeguard."),
    FindingCode("CHK002", "error", "Waiver matches nothing",
                "A waiver names a finding that does not occur; stale waivers hide future "
                "problems.", "Remove the waiver or correct its finding pattern."),
    FindingCode("CHK003", "error", "Waiver expired",
                "A waiver's expiry date is before the evaluation date.",
                "Renew it with a fresh justification, or fix the finding."),
    FindingCode("CHK004", "error", "Regime crashed",
                "A regime's rules raised an internal error on this model; its conclusions are "
                "missing.", "Report the bug with the model; the message holds the error."),
    FindingCode("CHK005", "warning", "Duty declared for nothing",
                "A declared duty matches no duty any transfer requires. Not reported with "
                "--area: the duty may be required by a transfer of an area not analysed.",
                "Check the exporter and recipients, or remove it."),
    FindingCode("CHK006", "warning", "Exemption claims nothing",
                "A PIPL exemption names flows or access grants none of which is the exit edge "
                "of a transfer out of the mainland, so the claim decides nothing.",
                "Name the exit edge (the flow or grant whose recipient is abroad), not a "
                "domestic hop before it."),
]}


@dataclass
class CheckResult:
    model: ResolvedModel
    analysis: Analysis
    assessments: list[Assessment]
    exporters: list[ExporterRow]
    findings: list[Finding]
    options: CheckOptions = field(default_factory=CheckOptions)

    def failing(self, fail_on: str = "error") -> list[Finding]:
        levels = ("error",) if fail_on == "error" else ("error", "warning")
        return [f for f in self.findings if f.severity in levels and not f.waived_by]


# the transfer analysis' warnings that check reports as findings (never silent at the gate)
ANALYSIS_CODES = ("DF313", "DF314", "DF400")


def all_finding_codes() -> dict[str, FindingCode]:
    out = dict(CHECK_CODES)
    for codes in REGIME_CODES.values():
        out.update(codes)
    for code in ANALYSIS_CODES:
        info = LOADER_CODES[code]
        out[code] = FindingCode(code, info.severity, info.name, info.summary, info.fix)
    return out


_ANALYSIS_TRANSFER = re.compile(r"^transfer (\S+?):?\s")


def _analysis_findings(analysis: Analysis) -> list[Finding]:
    """DF313 (a tier resting on bounds), DF314 (personal data counted for nobody) and DF400
    (transit only) as findings, at the positions the analysis found."""
    out = []
    for d in analysis.diagnostics:
        if d.code not in ANALYSIS_CODES:
            continue
        m = _ANALYSIS_TRANSFER.match(d.message)  # "transfer <id>: ..." (transfers.py's text)
        obj = str(d.path[1]) if len(d.path) > 1 else None
        out.append(Finding(d.code, d.severity, d.message, None,
                           transfer=m.group(1) if m else None, object_id=obj,
                           file=d.file, line=d.line, col=d.col, hint=d.hint))
    return out


def check(model: ResolvedModel, analysis: Analysis | None = None, *,
          areas: tuple[str, ...] | None = None,
          options: CheckOptions | None = None) -> CheckResult:
    options = options or CheckOptions()
    analysis = analysis or analyse(model, areas)
    assessments: list[Assessment] = []
    exporters: list[ExporterRow] = []
    findings: list[Finding] = []
    for regime_id, _, fn in REGIMES:
        try:
            res: RegimeResult = fn(model, analysis, options)
        except Exception as exc:  # a crashing rule is a finding, not a traceback
            findings.append(Finding(
                "CHK004", "error", f"regime {regime_id} failed: {type(exc).__name__}: {exc}",
                None, object_id=regime_id, regime=regime_id,
                hint="".join(traceback.format_exception_only(type(exc), exc)).strip()))
            continue
        assessments.extend(res.assessments)
        exporters.extend(res.exporters)
        findings.extend(res.findings)
    try:
        # with --area, a safeguard or duty may serve a transfer of an area not analysed: CHK001
        # and CHK005 are only decided on the full analysis (docs/cli.md check)
        findings.extend(_compare(model, assessments, options,
                                 orphans=tuple(analysis.areas) == areas_touched(model)))
    finally:  # the regimes' per-model lookups and memos end with this run
        gdpr.release(model)
    findings.extend(_analysis_findings(analysis))
    findings.extend(_idle_exemptions(model, analysis))
    where = _Where(model)
    for f in findings:
        where.place(f)
    # each finding's id (an f-string property) once, for the waivers, the dedupe and the sort
    ids = _qualified_ids(findings)
    extra = _apply_waivers(model, findings, ids)
    findings.extend(extra)
    ids.extend(f.id for f in extra)
    assessments.sort(key=attrgetter("transfer.id", "regime"))
    exporters.sort(key=lambda r: (r.regime, r.exporter, r.year))
    findings = _dedupe_sorted(findings, ids)
    return CheckResult(model, analysis, assessments, exporters, findings, options)


_SEVERITY_ORDER = {"error": 0, "warning": 1}


def _qualified_ids(findings: list[Finding]) -> list[str]:
    """Each finding's id, made unique: when one code says different things about the same
    transfer or object (two rejected exemption claims on one transfer), each gets
    ``#<tag>`` (a missing duty's id) or ``#<object id>``, else ``#<n>`` in message order when
    neither tells them apart. A lone finding keeps its plain id. Equal (id, message) pairs
    keep one id: ``_dedupe_sorted`` collapses them."""
    ids = [f.id for f in findings]
    groups: dict[str, set[str]] = {}
    for f, fid in zip(findings, ids, strict=True):
        groups.setdefault(fid, set()).add(f.message)
    clashes = {fid for fid, messages in groups.items() if len(messages) > 1}
    if not clashes:
        return ids
    members: dict[str, list[Finding]] = {}
    for f, fid in zip(findings, ids, strict=True):
        if fid in clashes:
            members.setdefault(fid, []).append(f)
    for group in members.values():
        by_message: dict[str, str | None] = {}
        for f in group:
            by_message.setdefault(f.message, f.tag or (
                f.object_id if f.object_id != f.transfer else None))
        objects = list(by_message.values())
        if None not in objects and len(set(objects)) == len(objects):
            qualifier = {m: str(o) for m, o in by_message.items()}
        else:
            qualifier = {m: str(n) for n, m in enumerate(sorted(by_message), 1)}
        for f in group:
            f.qualifier = qualifier[f.message]
    return [f.id for f in findings]


def _dedupe_sorted(findings: list[Finding], ids: list[str]) -> list[Finding]:
    """``_dedupe`` (the first of equal (id, message) stays), then sorted by severity, id and
    message, with each id given instead of recomputed. The kept keys are distinct, so the
    trailing position only breaks no tie; it keeps Finding objects out of the comparison."""
    seen: set[tuple[str, str]] = set()
    keyed: list[tuple[int, str, str, int]] = []
    order = _SEVERITY_ORDER
    for i, f in enumerate(findings):
        key = (ids[i], f.message)
        if key not in seen:
            seen.add(key)
            keyed.append((order.get(f.severity, 2), key[0], key[1], i))
    keyed.sort()
    return [findings[k[3]] for k in keyed]


_PREFIXES = {"pipl": "PIPL", "gdpr": "GDPR", "uk-gdpr": "UKGDPR", "us-doj-dsp": "DOJ",
             "us-padfa": "PADFA"}


def _prefix(regime: str) -> str:
    return _PREFIXES.get(regime) or regime.upper().replace("-", "")


_COLLECTIONS = ("safeguards", "duties", "waivers", "exemptions", "systems", "entities", "flows",
                "access")


def _object_path(model: ResolvedModel, transfer: str | None, object_id: str | None
                 ) -> tuple[str, str] | None:
    """The model path a finding points at: its transfer's exit flow or grant, else its
    object."""
    path: tuple[str, str] | None = None
    if transfer:
        path = _exit_object(model, transfer)
    if path is None and object_id:
        data = model.raw.data
        for coll in _COLLECTIONS:
            if object_id in (data.get(coll) or {}):
                path = (coll, object_id)
                break
    return path


class _Where:
    """Positions of one check's findings. A flow is the exit of many transfers, each with
    several findings, and a position is computed from the file text: each (transfer, object)
    pair is resolved once, each path positioned once."""

    def __init__(self, model: ResolvedModel) -> None:
        self.model = model
        self.by_path: dict[tuple[str, str], Any] = {}
        self.by_ref: dict[tuple[str | None, str | None], Any] = {}

    def place(self, f: Finding) -> None:
        if f.file is not None:
            return
        ref = (f.transfer, f.object_id)
        try:
            where = self.by_ref[ref]
        except KeyError:
            path = _object_path(self.model, f.transfer, f.object_id)
            where = None
            if path is not None:
                where = self.by_path.get(path, _UNSET)
                if where is _UNSET:
                    where = self.by_path[path] = self.model.position(path)
            self.by_ref[ref] = where
        if where is not None:
            f.file, f.line, f.col = where.file, where.line, where.col


_UNSET: Any = object()


def _position(model: ResolvedModel, f: Finding, memo: dict[Any, Any] | None = None) -> None:
    """Point a finding at its transfer's exit flow or grant, else at its object (``memo``:
    positions by path, shared between findings)."""
    if f.file is not None:
        return
    memo = {} if memo is None else memo
    path = _object_path(model, f.transfer, f.object_id)
    if path is not None:
        if path not in memo:
            memo[path] = model.position(path)
        where = memo[path]
        if where is not None:
            f.file, f.line, f.col = where.file, where.line, where.col


def _exit_object(model: ResolvedModel, transfer_id: str) -> tuple[str, str] | None:
    """The flow or access grant a transfer leaves through (its id ends the transfer id)."""
    edge = transfer_id.rsplit("/", 1)[-1]
    if edge in model.flows:
        return ("flows", edge)
    base = edge.split("@", 1)[0]
    return ("access", base) if base in model.access else None


def _covers_categories(model: ResolvedModel, declared: list[str], carried: tuple[str, ...]
                       ) -> list[str]:
    """Carried categories the declared list does not cover (empty list: all covered)."""
    if not declared:
        return []
    return [c for c in carried if not any(model.covers(d, c) for d in declared)]


def _compare(model: ResolvedModel, assessments: list[Assessment],
             options: CheckOptions, *, orphans: bool = True) -> list[Finding]:
    today = model.evaluation_date
    out: list[Finding] = []
    used_safeguards: set[str] = set()
    used_duties: set[str] = set()
    # per-model lookups, built once instead of scanning every safeguard and duty per assessment
    mechs_memo: dict[str, list[str]] = {}
    candidates_memo: dict[tuple[str, str, str, str], list[str]] = {}
    duties_of: dict[tuple[str, str], list[tuple[str, Any]]] = {}
    for did, x in sorted(model.duties.items()):
        duties_of.setdefault((x.duty, x.exporter), []).append((did, x))
    # findings share path lists with the regimes' findings (gdpr.finding_path), and equal
    # hints share one string (hints repeat per exporter and recipient)
    hints: dict[str, str] = {}
    # texts that depend on the parties, not on the transfer: built once per key
    duty_hints: dict[tuple[str, str, str | None], str] = {}
    gap_texts: dict[tuple[str, str, tuple[str, ...], tuple[str, ...]], tuple[str, str]] = {}
    # per regime: its finding-code prefix and code table (a few regimes, many assessments)
    regime_info: dict[str, tuple[str, dict[str, FindingCode]]] = {}
    safeguards = model.safeguards
    for a in assessments:
        t = a.transfer
        regime = a.regime
        info = regime_info.get(regime)
        if info is None:
            info = regime_info[regime] = (_prefix(regime), REGIME_CODES.get(regime, {}))
        prefix, codes = info
        t_path = gdpr.finding_path(model, t)
        # the citation of a finding about this assessment: its first basis, else the code's
        first_basis = a.basis[0] if a.basis else None

        ckey = (regime, t.exporter, t.sender, t.recipient)
        candidates = candidates_memo.get(ckey)
        if candidates is None:
            regime_mechs = mechs_memo.get(regime)
            if regime_mechs is None:
                regime_mechs = mechs_memo[regime] = [
                    sid for sid, s in sorted(safeguards.items())
                    if s.mechanism.split(".", 1)[0] == regime.split("-")[0]
                    or s.mechanism.startswith(regime + ".")]
            # the controller declares it, or the sender that signs it (SCC modules 3 and 4);
            # a PIPL contract or assessment is the PI processor's own (SCC Measures Art. 6,
            # PIPL Art. 38): an entrusted relay's cannot stand in for it
            signers = (t.exporter,) if regime == "pipl" else (t.exporter, t.sender)
            candidates = candidates_memo[ckey] = [
                sid for sid in regime_mechs
                if safeguards[sid].exporter in signers
                and t.recipient in safeguards[sid].recipients]
        if a.self_executing or not a.required:
            if a.status == "gap":
                a.status = "ok"
            # a fallback declared beside adequacy or an exemption is not "unused"
            used_safeguards.update(candidates)
            a.declared = list(candidates)
        elif not candidates:  # the common case: nothing declared for these parties
            a.status = "gap"
            code = f"{prefix}100"
            gkey = (t.exporter, t.recipient, t.recipient_jurisdictions, tuple(a.required))
            texts = gap_texts.get(gkey)
            if texts is None:
                gap_hint = (f"declare a safeguard: mechanism {a.required[0]}, exporter "
                            f"{t.exporter}, recipients [{t.recipient}]")
                if t.recipient == t.exporter:
                    # its own staff or system abroad: no counterparty to sign a contract with
                    gap_hint += (f" ({t.exporter} is its own recipient abroad: a contract needs the "
                             "overseas entity that receives the data as the other party; "
                             "certification covers exports within one organisation)")
                texts = gap_texts[gkey] = (
                    f": {model.entity_name(t.exporter)} → {model.entity_name(t.recipient)} "
                    f"({','.join(t.recipient_jurisdictions)}) requires "
                    f"{' or '.join(a.required)}; none is declared", _shared(hints, gap_hint))
            out.append(_transfer_finding(
                code, t.id + texts[0], first_basis or _code_citation(codes, code), t.id,
                t_path, regime, texts[1]))
        else:
            good: list[str] = []
            problems: list[tuple[str, str, str]] = []
            for sid in candidates:
                s = safeguards[sid]
                if s.mechanism not in a.required:
                    problems.append((f"{prefix}101", sid, f"safeguard '{sid}' is "
                                     f"{s.mechanism}, but the transfer requires "
                                     f"{' or '.join(a.required)}"))
                    continue
                if s.effective and s.effective > today:
                    problems.append((f"{prefix}102", sid, f"safeguard '{sid}' takes effect on "
                                     f"{s.effective.isoformat()}, after the evaluation date"))
                    continue
                expires, derived = pipl.safeguard_expiry(s)
                if expires and expires < today:
                    problems.append((f"{prefix}102", sid, f"safeguard '{sid}' expired on "
                                     f"{expires.isoformat()}{derived}"))
                    continue
                missing = _covers_categories(model, s.categories, t.categories)
                if missing:
                    problems.append((f"{prefix}104", sid, f"safeguard '{sid}' does not cover "
                                     f"{', '.join(missing)}"))
                    continue
                if s.module is not None and _wrong_module(a, s.mechanism, s.module):
                    # meant for this transfer (no CHK001), but not cover: the regime's own
                    # finding (GDPR211) says which module is due
                    used_safeguards.add(sid)
                    continue
                good.append(sid)
            if good:
                a.declared = good
                a.status = "ok"
                used_safeguards.update(good)
                for sid in good:
                    s = safeguards[sid]
                    expires, derived = pipl.safeguard_expiry(s)
                    # a certificate is re-applied for 6 months before expiry (§2.9): past
                    # that day it warns whatever --warn-expiring says
                    reapply = pipl.reapply_by(s, expires)
                    if expires and ((expires - today).days <= options.warn_expiring_days
                                    or (reapply is not None and reapply <= today)):
                        code = f"{prefix}103"
                        due = (f"; re-application due 6 months before expiry, by "
                               f"{reapply.isoformat()} (Certification Measures)"
                               if reapply is not None and reapply <= today else "")
                        out.append(Finding(
                            code, "warning", f"{t.id}: safeguard '{sid}' expires on "
                            f"{expires.isoformat()}{derived} ({(expires - today).days} days "
                            f"after the evaluation date){due}",
                            first_basis or _code_citation(codes, code),
                            transfer=t.id, object_id=sid, path=t_path, regime=regime))
                    filing = pipl.filing_problem(s, today)
                    if filing is not None:
                        code, severity, msg = filing
                        out.append(Finding(
                            code, severity, f"{t.id}: safeguard '{sid}' {msg}", pipl.CIT_SCC7,
                            transfer=t.id, object_id=sid, path=t_path, regime=regime))
                    if s.mechanism == "pipl.standard-contract" and len(s.recipients) > 1:
                        out.append(Finding(
                            "PIPL208", "warning", f"safeguard '{sid}' is a PIPL standard "
                            f"contract listing {len(s.recipients)} recipients; one contract per "
                            "overseas recipient", pipl.CIT_SCC7, object_id=sid, regime="pipl"))
            else:
                a.status = "gap"
                used_safeguards.update(sid for _, sid, _ in problems)
                for code, sid, msg in problems:
                    out.append(Finding(code, "error", f"{t.id}: {msg}",
                                       first_basis or _code_citation(codes, code),
                                       transfer=t.id, object_id=sid, path=t_path,
                                       regime=regime))
        undeclared = False
        # a duty counts when declared by whoever may sign the safeguard: the exporter, or for
        # the non-PIPL regimes the sender that signs the clauses (SCC modules 3 and 4: the
        # Clause 14 assessment and the Art. 28(4) contract are that processor's papers)
        duty_signers = (t.exporter,) if regime == "pipl" or t.sender == t.exporter else (
            t.exporter, t.sender)
        for d in a.duties:
            declared = duties_of.get((d.id, t.exporter))
            if len(duty_signers) > 1 and (by_sender := duties_of.get((d.id, t.sender))):
                declared = [*(declared or ()), *by_sender]
            match = [did for did, x in declared
                     if not x.recipients or (d.party or t.recipient) in x.recipients
                     or t.recipient in x.recipients] if declared else None
            if match:
                d.declared = True
                d.declared_by = match
                used_duties.update(match)
                continue
            if not d.declared:
                undeclared = True
            hkey = (d.id, t.exporter, d.party)
            hint = duty_hints.get(hkey)
            if hint is None:
                hint = duty_hints[hkey] = _shared(
                    hints, f"declare it under duties: duty {d.id}, exporter {t.exporter}"
                    + (f", recipients [{d.party}]" if d.party else ""))
            # one finding per missing duty: the duty (and its party) tells them apart
            out.append(_transfer_finding(
                f"{prefix}110", f"{t.id}: duty {d.id} not declared ({d.note})", d.basis, t.id,
                t_path, regime, hint, d.id if d.party is None else f"{d.id}@{d.party}"))
        if undeclared and a.status == "ok":
            a.status = "gap"
    for sid in sorted(set(safeguards) - used_safeguards if orphans else ()):
        out.append(Finding("CHK001", "warning", f"safeguard '{sid}' "
                           f"({safeguards[sid].mechanism}) covers no transfer",
                           None, object_id=sid))
    for did in sorted(set(model.duties) - used_duties if orphans else ()):
        out.append(Finding("CHK005", "warning", f"duty '{did}' ({model.duties[did].duty}) "
                           "matches no duty a transfer requires", None, object_id=did))
    return out


def _transfer_finding(code: str, message: str, citation: Citation | None, transfer: str,
                      path: list[str], regime: str, hint: str,
                      tag: str | None = None) -> Finding:
    """An error about a transfer, built with positional arguments: a dataclass' keyword
    arguments cost about twice as much, and the gate builds tens of thousands of these."""
    return Finding(code, "error", message, citation, transfer, None, path, None, None, None,
                   hint, regime, None, None, tag)


def _wrong_module(a: Assessment, mechanism: str, module: int) -> bool:
    """The assessment names the SCC module the parties call for, and it is another one."""
    details = a.mechanism_details.get(mechanism)
    due = details.get("module") if isinstance(details, dict) else None
    return due is not None and due != module


def _idle_exemptions(model: ResolvedModel, analysis: Analysis) -> list[Finding]:
    """CHK006 for PIPL exemptions that name no exit edge out of the mainland (only when the
    mainland was analysed: with --area EEA nothing is known about CN exits)."""
    if "CN" not in analysis.areas or not model.exemptions:
        return []
    exits = {t.exit_edge.object_id for t in [*analysis.transfers, *analysis.possible]
             if t.area == "CN"}
    out = []
    for xid in sorted(model.exemptions):
        x = model.exemptions[xid]
        if not exits.intersection(x.flows):
            out.append(Finding("CHK006", "warning", f"exemption '{xid}' ({x.claim}) names "
                               f"{', '.join(x.flows)}, none of which is the exit edge of a "
                               "transfer out of the mainland: it claims nothing", None,
                               object_id=xid))
    return out


def _code_citation(codes: dict[str, FindingCode], code: str) -> Citation | None:
    fc = codes.get(code)
    return fc.citation if fc else None


def _shared(memo: dict[str, str], text: str) -> str:
    """One string object for equal texts (the duplicate is freed at once)."""
    return memo.setdefault(text, text)


def _apply_waivers(model: ResolvedModel, findings: list[Finding],
                   ids: list[str] | None = None) -> list[Finding]:
    extra: list[Finding] = []
    today = model.evaluation_date
    ids = [f.id for f in findings] if ids is None else ids
    for wid, w in sorted(model.waivers.items()):
        pattern = w.finding
        match = _pattern(pattern)  # fnmatch.fnmatchcase's own compiled pattern, looked up once
        # a waiver of the unqualified id covers each of its qualified findings
        hits = [f for f, fid in zip(findings, ids, strict=True)
                if match(fid) is not None or fid == pattern
                or (f.qualifier is not None and (match(f.base_id) is not None
                                                 or f.base_id == pattern))]
        if w.expires < today:
            extra.append(Finding("CHK003", "error", f"waiver '{wid}' expired on "
                                 f"{w.expires.isoformat()}", None, object_id=wid))
            continue
        if not hits:
            extra.append(Finding("CHK002", "error", f"waiver '{wid}' ({pattern}) matches no "
                                 "finding", None, object_id=wid,
                                 hint="finding ids look like PIPL200/app or PIPL100/CN/acme/*"))
            continue
        for f in hits:
            if f.waived_by is None:
                f.waived_by = wid
    for f in extra:
        _position(model, f)
    return extra


def _pattern(pattern: str) -> Callable[[str], re.Match[str] | None]:
    """What ``fnmatch.fnmatchcase(name, pattern)`` tests: ``re.compile(translate(pattern))``
    matched at the start of the name."""
    return re.compile(fnmatch.translate(pattern)).match


def check_document(result: CheckResult, base: dict[str, Any]) -> dict[str, Any]:
    """The check JSON document with its three long lists lazy (``jsonio.Lazy``): each item is
    converted to JSON only while ``jsonio.iter_json`` writes it."""
    model = result.model
    findings = result.findings
    doc = dict(base)
    doc["areas"] = list(result.analysis.areas)
    doc["assessments"] = Lazy(_assessments_json(model, result.assessments))
    doc["exporters"] = Lazy(r.to_json(model) for r in result.exporters)
    doc["findings"] = Lazy(f.to_json() for f in findings)
    # every transfer check assessed, the supplementary analysis' too (US DOJ / PADFA / HK: e.g.
    # a US company's system in Canada), as the transfer inventory and report.html count them
    known = {t.id for t in [*result.analysis.transfers, *result.analysis.possible]}
    extra = {a.transfer.id: a.transfer.possible for a in result.assessments
             if a.transfer.id not in known}
    n_possible = sum(extra.values())
    doc["summary"] = {
        "transfers": len(result.analysis.transfers) + len(extra) - n_possible,
        "possible_transfers": len(result.analysis.possible) + n_possible,
        "errors": sum(1 for f in findings if f.severity == "error" and not f.waived_by),
        "warnings": sum(1 for f in findings if f.severity == "warning" and not f.waived_by),
        "waived": sum(1 for f in findings if f.waived_by),
    }
    return doc


def _assessments_json(model: ResolvedModel, assessments: list[Assessment]
                      ) -> Iterator[dict[str, Any]]:
    """Each assessment's JSON; a transfer's assessments (adjacent: sorted by transfer) share
    one exporter and one recipient object."""
    last: Transfer | None = None
    parties: tuple[dict[str, Any], dict[str, Any]] | None = None
    for a in assessments:
        if a.transfer is not last or parties is None:
            last = a.transfer
            parties = a.parties_json(model)
        yield a.to_json(model, parties)


def check_json(result: CheckResult, base: dict[str, Any]) -> dict[str, Any]:
    doc: dict[str, Any] = materialise(check_document(result, base))
    return doc


def evaluation_day(model: ResolvedModel) -> dt.date:
    return model.evaluation_date
