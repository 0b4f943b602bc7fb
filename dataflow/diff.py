"""What changed between two versions of a model, and which filing each change triggers.

A pure library: it compares two :class:`~dataflow.check.CheckResult` objects (transfers,
assessments and exporter rows) and maps every change to the re-filing / re-declaration trigger it
causes (regulatory.md §2.6-§2.8):

* a new transfer, or one whose mechanism moves up (exempt → standard contract → security
  assessment), needs a new filing: SCC Measures Art. 7 / SA Measures Arts 4, 7;
* an exporter's count crossing a threshold of Provisions Arts 5(4), 7, 8 changes what its
  transfers need from the crossing day;
* a change of categories, sensitivity, purpose, method, storage location, onward recipients or an
  extension of overseas retention on a transfer covered by a standard contract means re-filing
  (SCC Measures Art. 8); under a security assessment, re-declaration (SA Measures Art. 14);
* changes to exempt transfers, and GDPR changes (no filing regime: update the SCC annexes and
  re-evaluate the TIA), are reported without requiring a filing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .check import CheckResult
from .regimes.base import Assessment
from .transfers import Transfer

# thresholds of the 2024 Provisions (以上 includes the number)
N_THRESHOLDS = ((100_000, "standard-contract", "Art. 8"), (1_000_000, "security-assessment",
                                                           "Art. 7"))
S_THRESHOLDS = ((1, "standard-contract", "Art. 8"), (10_000, "security-assessment", "Art. 7"))
TIER_RANK = {"exempt": 0, "standard-contract": 1, "security-assessment": 2}

PROV = "Provisions on Promoting and Regulating Cross-Border Data Flows (CAC Order No. 16, 2024)"
SCCM = ("SCC Measures (Measures on the Standard Contract for Outbound Transfer of PI, CAC Order "
        "No. 13)")
SAM = ("SA Measures (Measures for Security Assessment of Outbound Data Transfers, CAC Order "
       "No. 11)")

CIT_SCC7 = f"{SCCM} Art. 7"
CIT_SCC8 = f"{SCCM} Art. 8"
CIT_SA4 = f"{SAM} Arts 4, 7"
CIT_SA14 = f"{SAM} Art. 14"
CIT_GDPR = ("Commission Implementing Decision (EU) 2021/914 Annex I.B and Clause 14; "
            "EDPB Recommendations 01/2020 step 6")

KIND_ORDER = ("tier-changed", "threshold-crossed", "transfer-added", "transfer-removed",
              "mechanism-changed", "recipient-changed", "category-added", "category-removed",
              "sensitivity-added", "onward-added", "onward-removed", "storage-location-changed",
              "retention-changed", "purpose-changed", "method-changed")


@dataclass
class Change:
    kind: str
    message: str
    transfer: str | None = None
    exporter: str | None = None
    regime: str | None = None
    old: Any = None
    new: Any = None
    trigger: str = "none"  # see TRIGGERS
    citation: str | None = None
    filing_required: bool = False
    action: str = ""

    def sort_key(self) -> tuple[Any, ...]:
        rank = KIND_ORDER.index(self.kind) if self.kind in KIND_ORDER else len(KIND_ORDER)
        return (self.exporter or "", self.transfer or "", rank, self.message)

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "message": self.message, "transfer": self.transfer,
                "exporter": self.exporter, "regime": self.regime, "old": self.old,
                "new": self.new, "trigger": self.trigger, "citation": self.citation,
                "filing_required": self.filing_required, "action": self.action}


TRIGGERS = {
    "none": "no filing",
    "pipl.scc-file": "sign a standard contract with the recipient and file it (or certify)",
    "pipl.scc-refile": "re-file / supplement the standard-contract filing",
    "pipl.sa-declare": "declare a security assessment",
    "pipl.sa-redeclare": "re-declare the security assessment",
    "gdpr.review": "update the SCC annexes / TIA (no filing)",
    "review": "review (no filing required by itself)",
}


@dataclass
class DiffResult:
    old: CheckResult
    new: CheckResult
    changes: list[Change] = field(default_factory=list)

    @property
    def filing_required(self) -> bool:
        return any(c.filing_required for c in self.changes)

    def to_json(self, base: dict[str, Any] | None = None) -> dict[str, Any]:
        doc = dict(base or {})
        doc["old"] = _side(self.old)
        doc["new"] = _side(self.new)
        doc["changes"] = [c.to_json() for c in self.changes]
        added = sorted(c.transfer for c in self.changes if c.kind == "transfer-added"
                       and c.transfer)
        removed = sorted(c.transfer for c in self.changes if c.kind == "transfer-removed"
                         and c.transfer)
        doc["transfers_added"] = added
        doc["transfers_removed"] = removed
        doc["summary"] = {
            "changes": len(self.changes),
            "filing_required": self.filing_required,
            "filings": sum(1 for c in self.changes if c.filing_required),
            "transfers_added": len(added), "transfers_removed": len(removed),
            "triggers": sorted({c.trigger for c in self.changes if c.filing_required}),
        }
        return doc


def _side(result: CheckResult) -> dict[str, Any]:
    m = result.model
    return {"name": m.name, "digest": m.digest, "evaluation_date": m.evaluation_date.isoformat(),
            "transfers": len(result.analysis.transfers) + len(result.analysis.possible)}


# --------------------------------------------------------------------------- helpers

def _transfers(result: CheckResult) -> dict[str, Transfer]:
    a = result.analysis
    return {t.id: t for t in [*a.transfers, *a.possible]}


def _assessments(result: CheckResult) -> dict[str, list[Assessment]]:
    out: dict[str, list[Assessment]] = {}
    for a in result.assessments:
        out.setdefault(a.transfer.id, []).append(a)
    return out


def _pipl_level(a: Assessment | None) -> str:
    """exempt | standard-contract | security-assessment for a PIPL assessment."""
    if a is None or not a.required or a.status in ("exempt", "not-required"):
        return "exempt"
    if "pipl.security-assessment" in a.required:
        return "security-assessment"
    return "standard-contract"


def _pipl(assessments: list[Assessment]) -> Assessment | None:
    return next((a for a in assessments if a.regime == "pipl"), None)


def _requirement(assessments: list[Assessment]) -> dict[str, list[str]]:
    return {a.regime: list(a.required) for a in sorted(assessments, key=lambda x: x.regime)}


def _req_text(req: dict[str, list[str]]) -> str:
    if not req:
        return "nothing assessed"
    return "; ".join(f"{r}: {' | '.join(m) or '-'}" for r, m in req.items())


def _refile(level: str) -> tuple[str, str, bool, str]:
    """(trigger, citation, filing required, action) for a change on a transfer at ``level``."""
    if level == "security-assessment":
        return ("pipl.sa-redeclare", CIT_SA14, True,
                "re-declare the security assessment before continuing the changed transfer")
    if level == "standard-contract":
        return ("pipl.scc-refile", CIT_SCC8, True,
                "supplement or re-sign the standard contract and re-file it with the PIPIA")
    return ("none", f"{PROV} Arts 3-6", False, "exempt transfer: update the notice and PIPIA")


def _new_filing(level: str) -> tuple[str, str, bool, str]:
    if level == "security-assessment":
        return ("pipl.sa-declare", f"{PROV} Art. 7; {CIT_SA4}", True,
                "declare a security assessment (self-assessment within 3 months before)")
    if level == "standard-contract":
        return ("pipl.scc-file", f"{PROV} Art. 8; {CIT_SCC7}", True,
                "sign a standard contract with the recipient and file it within 10 working "
                "days of it taking effect (or certify)")
    return ("none", f"{PROV} Arts 3-6", False, "no mechanism; notice, consent and PIPIA remain")


_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(day|week|month|year)s?\b", re.IGNORECASE)
_DAYS = {"day": 1.0, "week": 7.0, "month": 365.25 / 12, "year": 365.25}


def compare_retention(old: str | None, new: str | None) -> str:
    """'same', 'longer', 'shorter' or 'changed' (when the texts cannot be compared)."""
    if (old or "").strip() == (new or "").strip():
        return "same"
    if not old or not new:
        return "changed"

    def parse(text: str) -> tuple[str, float] | None:
        found = _DURATION.findall(text)
        if not found:
            return None
        total = sum(float(n) * _DAYS[u.lower()] for n, u in found)
        shape = _DURATION.sub("#", text.lower()).strip()
        return shape, total

    a, b = parse(old), parse(new)
    if a is None or b is None or a[0] != b[0]:
        return "changed"
    if b[1] > a[1]:
        return "longer"
    if b[1] < a[1]:
        return "shorter"
    return "same"


def _retention(result: CheckResult, t: Transfer) -> str | None:
    m = result.model
    e = t.exit_edge
    if e.kind == "flow":
        f = m.flows[e.object_id]
        if f.retention:
            return f.retention
    sysinfo = m.systems.get(t.recipient_node)
    return sysinfo.spec.retention if sysinfo else None


def _storage(result: CheckResult, t: Transfer) -> list[str]:
    m = result.model
    e = t.exit_edge
    if e.kind == "flow":
        f = m.flows[e.object_id]
        if f.storage_location:
            return [f.storage_location]
        return sorted(p.raw for p in m.systems[t.recipient_node].places)
    return [t.recipient_node.rsplit("@", 1)[-1]]


def _purpose_method(result: CheckResult, t: Transfer) -> tuple[str | None, str | None]:
    m = result.model
    e = t.exit_edge
    if e.kind == "flow":
        f = m.flows[e.object_id]
        return f.purpose, f.method
    a = m.access[e.object_id]
    return a.purpose, ",".join(a.rights) or None


def _sensitive_categories(result: CheckResult, t: Transfer) -> set[str]:
    m = result.model
    out = set()
    for tok in t.tokens:
        info = m.categories.get(tok.category)
        if info is None or not info.personal or tok.anonymised:
            continue
        minor = bool(tok.cohort and m.cohorts[tok.cohort].minors_under_14)
        if info.sensitive or minor:
            out.add(tok.category + (" (minors under 14)" if minor and not info.sensitive
                                    else ""))
    return out


# --------------------------------------------------------------------------- the diff

def diff_results(old: CheckResult, new: CheckResult) -> DiffResult:
    """Every change from ``old`` to ``new`` with the filing it triggers."""
    result = DiffResult(old, new)
    changes = result.changes
    _exporter_changes(old, new, changes)
    ot, nt = _transfers(old), _transfers(new)
    oa, na = _assessments(old), _assessments(new)
    for tid in sorted(set(nt) - set(ot)):
        t = nt[tid]
        req = _requirement(na.get(tid, []))
        if t.area == "CN":
            trig, cit, filing, action = _new_filing(_pipl_level(_pipl(na.get(tid, []))))
        elif "gdpr" in req or "uk-gdpr" in req:
            trig, cit, filing, action = ("gdpr.review", CIT_GDPR, False,
                                         "put the required mechanism in place; record it")
        else:
            trig, cit, filing, action = "review", None, False, "review the new transfer"
        changes.append(Change(
            "transfer-added", f"new transfer {tid}: {t.exporter} → {t.recipient} "
            f"({','.join(t.recipient_jurisdictions)}) via {t.exit_edge.key}; requires "
            f"{_req_text(req)}", tid, t.exporter, "pipl" if t.area == "CN" else None,
            None, {"recipient": t.recipient, "required": req}, trig, cit, filing, action))
    for tid in sorted(set(ot) - set(nt)):
        t = ot[tid]
        changes.append(Change(
            "transfer-removed", f"transfer {tid} no longer exists ({t.exporter} → "
            f"{t.recipient}, {','.join(t.recipient_jurisdictions)})", tid, t.exporter,
            "pipl" if t.area == "CN" else None, {"recipient": t.recipient}, None, "none", None,
            False, "withdraw or update the filing and the notice if the transfer has stopped"))
    for tid in sorted(set(ot) & set(nt)):
        _transfer_changes(old, new, ot[tid], nt[tid], oa.get(tid, []), na.get(tid, []),
                          changes)
    changes.sort(key=Change.sort_key)
    return result


def _exporter_changes(old: CheckResult, new: CheckResult, changes: list[Change]) -> None:
    rows_old = {(r.regime, r.exporter): r for r in old.exporters}
    rows_new = {(r.regime, r.exporter): r for r in new.exporters}
    for key in sorted(set(rows_old) | set(rows_new)):
        regime, exporter = key
        ro, rn = rows_old.get(key), rows_new.get(key)
        n0, s0 = (ro.ordinary, ro.sensitive) if ro else (0, 0)
        n1, s1 = (rn.ordinary, rn.sensitive) if rn else (0, 0)
        t0 = ro.tier if ro else "exempt"
        t1 = rn.tier if rn else "exempt"
        crossed_on = rn.tier_crossed_on if rn else None
        if regime != "pipl":
            if t0 != t1:
                changes.append(Change(
                    "tier-changed", f"{regime} {exporter}: tier {t0} → {t1}", None, exporter,
                    regime, t0, t1, "review", None, False, "review the exporter's transfers"))
            continue
        if t0 != t1:
            up = TIER_RANK.get(t1, 0) > TIER_RANK.get(t0, 0)
            if t1 == "security-assessment":
                trig, cit = "pipl.sa-declare", f"{PROV} Art. 7; {CIT_SA4}"
            elif t1 == "standard-contract":
                trig, cit = "pipl.scc-file", f"{PROV} Art. 8; {CIT_SCC7}"
            else:
                trig, cit = "none", f"{PROV} Art. 5(4)"
            changes.append(Change(
                "tier-changed", f"pipl {exporter}: tier {t0} → {t1} (ordinary {n0:,} → "
                f"{n1:,}, sensitive {s0:,} → {s1:,})"
                + (f"; reached {crossed_on}" if crossed_on and up else ""), None, exporter,
                "pipl", {"tier": t0, "ordinary": n0, "sensitive": s0},
                {"tier": t1, "ordinary": n1, "sensitive": s1, "tier_crossed_on": crossed_on},
                trig if up else "none", cit, up,
                "from the crossing day every non-exempt transfer of the year needs the new "
                "mechanism (keep counting after filing: CAC Q&A Oct 2025)" if up else
                "lower tier: existing filings stay valid until they expire"))
        for label, (a, b), thresholds in (("ordinary", (n0, n1), N_THRESHOLDS),
                                          ("sensitive", (s0, s1), S_THRESHOLDS)):
            for limit, tier, art in thresholds:
                if a < limit <= b:
                    trig = "pipl.sa-declare" if tier == "security-assessment" else \
                        "pipl.scc-file"
                    cite = f"{PROV} {art}; " + (CIT_SA4 if tier == "security-assessment"
                                                  else CIT_SCC7)
                    reached = (rn.extra.get("reached_on", {}).get(label, {}).get(str(limit))
                               if rn else None)
                    changes.append(Change(
                        "threshold-crossed", f"pipl {exporter}: {label} individuals {a:,} → "
                        f"{b:,} crossed {limit:,}" + (f" on {reached}" if reached else "")
                        + f" (Provisions {art}: {tier} "
                        f"{'for sensitive PI' if label == 'sensitive' else 'for ordinary PI'})",
                        None, exporter,
                        "pipl", {label: a}, {label: b, "threshold": limit, "crossed_on": reached},
                        trig, cite, True, "transfers carrying "
                        f"{label} PI need {tier.replace('-', ' ')} from the crossing day"
                        + (f", {reached}" if reached else "")))
                elif b < limit <= a:
                    changes.append(Change(
                        "threshold-crossed", f"pipl {exporter}: {label} individuals {a:,} → "
                        f"{b:,} fell below {limit:,}", None, exporter, "pipl", {label: a},
                        {label: b, "threshold": limit}, "none", f"{PROV} {art}", False,
                        "a lower tier may apply next reporting year"))


def _transfer_changes(old: CheckResult, new: CheckResult, t0: Transfer, t1: Transfer,
                      a0: list[Assessment], a1: list[Assessment], changes: list[Change]) -> None:
    tid = t1.id
    exporter = t1.exporter
    cn = t1.area == "CN"
    regime = "pipl" if cn else None
    req0, req1 = _requirement(a0), _requirement(a1)
    level0, level1 = _pipl_level(_pipl(a0)), _pipl_level(_pipl(a1))
    gdpr_like = any(r in req1 for r in ("gdpr", "uk-gdpr"))

    def trigger() -> tuple[str, str | None, bool, str]:
        if cn:
            return _refile(level0)  # what exists is re-filed; a new mechanism is its own change
        if gdpr_like:
            return ("gdpr.review", CIT_GDPR, False,
                    "update Annex I.B of the SCCs / the record and re-evaluate the TIA")
        return ("review", None, False, "review")

    def add(kind: str, message: str, old_v: Any, new_v: Any, *, material: bool = True) -> None:
        if material:
            trig, cit, filing, action = trigger()
        else:
            trig, cit, filing, action = "none", None, False, "no filing (scope reduced)"
        changes.append(Change(kind, f"{tid}: {message}", tid, exporter, regime, old_v, new_v,
                              trig, cit, filing, action))

    if req0 != req1:
        up = TIER_RANK[level1] > TIER_RANK[level0] if cn else False
        if cn and up:
            trig, cit, filing, action = _new_filing(level1)
        elif cn:
            trig, cit, filing, action = ("none", f"{PROV} Arts 5(4), 7, 8", False,
                                         "lower requirement: no new filing")
        elif gdpr_like:
            trig, cit, filing, action = ("gdpr.review", CIT_GDPR, False,
                                         "put the newly required mechanism in place")
        else:
            trig, cit, filing, action = "review", None, False, "review"
        changes.append(Change(
            "mechanism-changed", f"{tid}: requires {_req_text(req0)} → {_req_text(req1)}", tid,
            exporter, regime, req0, req1, trig, cit, filing, action))
    if t0.recipient != t1.recipient:
        trig, cit, filing, action = (_new_filing(level1) if cn else
                                     ("review", None, False, "review"))
        changes.append(Change(
            "recipient-changed", f"{tid}: recipient {t0.recipient} → {t1.recipient}", tid,
            exporter, regime, t0.recipient, t1.recipient, trig, cit, filing,
            "a new recipient needs its own contract or assessment; " + action))
    c0, c1 = set(t0.categories), set(t1.categories)
    for cat in sorted(c1 - c0):
        add("category-added", f"new category {cat}", None, cat)
    for cat in sorted(c0 - c1):
        add("category-removed", f"category {cat} no longer exported", cat, None, material=False)
    s0, s1 = _sensitive_categories(old, t0), _sensitive_categories(new, t1)
    for cat in sorted(s1 - s0):
        if cat.split(" ", 1)[0] in c0 or "minors" in cat:
            add("sensitivity-added", f"{cat} is now sensitive personal information", None, cat)
    o0, o1 = set(t0.onward), set(t1.onward)
    for ent, system, j in sorted(o1 - o0):
        add("onward-added", f"new onward recipient {ent} ({j}, system {system}) after "
            f"{t1.recipient}", None, {"entity": ent, "system": system, "jurisdiction": j})
    for ent, system, j in sorted(o0 - o1):
        add("onward-removed", f"onward recipient {ent} ({j}, system {system}) removed",
            {"entity": ent, "system": system, "jurisdiction": j}, None, material=False)
    st0, st1 = _storage(old, t0), _storage(new, t1)
    if st0 != st1:
        add("storage-location-changed", f"storage location {', '.join(st0)} → "
            f"{', '.join(st1)}", st0, st1)
    r0, r1 = _retention(old, t0), _retention(new, t1)
    how = compare_retention(r0, r1)
    if how != "same":
        add("retention-changed", f"retention at the recipient {r0 or 'not stated'} → "
            f"{r1 or 'not stated'} ({'extended' if how == 'longer' else how})",
            r0, r1, material=how != "shorter")
    p0, m0 = _purpose_method(old, t0)
    p1, m1 = _purpose_method(new, t1)
    if (p0 or "") != (p1 or ""):
        add("purpose-changed", f"purpose {p0 or 'not stated'!r} → {p1 or 'not stated'!r}",
            p0, p1)
    if (m0 or "") != (m1 or ""):
        add("method-changed", f"method {m0 or 'not stated'} → {m1 or 'not stated'}", m0, m1)


def exit_code(result: DiffResult) -> int:
    """1 when a change requires a new filing (or re-filing / re-declaration), else 0."""
    return 1 if result.filing_required else 0
