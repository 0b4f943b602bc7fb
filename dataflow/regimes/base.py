"""What every regime produces: assessments per transfer, exporter rows, findings.

A rule follows yamllint's small contract: an id, and a function yielding positioned problems.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..resolve import ResolvedModel
from ..transfers import Analysis, Transfer

# The date the rules and catalogue entries were last reviewed: every citation carries it.
RULES_AS_OF = "2026-11-26"


@dataclass(frozen=True)
class Citation:
    instrument: str
    article: str
    confidence: str = "K"  # V | K | U as in regulatory.md
    as_of: str = "2026-11-26"

    @cached_property
    def _text(self) -> str:  # a few hundred citations are written hundreds of thousands of times
        return f"{self.instrument} {self.article}".strip()

    def text(self) -> str:
        return self._text

    @cached_property
    def _json(self) -> dict[str, str]:
        return {"instrument": self.instrument, "article": self.article,
                "confidence": self.confidence, "as_of": self.as_of, "text": self._text}

    def to_json(self) -> dict[str, str]:
        """The same dict every time (callers only serialise it): one per citation instead
        of one per finding, duty and assessment."""
        return self._json


# basis list (as a tuple of citations) -> its "basis" text and "citations" list: a few dozen
# distinct lists, written once per assessment
_BASIS_JSON: dict[tuple[Citation, ...], tuple[str, list[dict[str, str]]]] = {}


def _basis_json(basis: list[Citation]) -> tuple[str, list[dict[str, str]]]:
    key = tuple(basis)
    got = _BASIS_JSON.get(key)
    if got is None:
        got = ("; ".join(c.text() for c in basis), [c.to_json() for c in basis])
        if len(_BASIS_JSON) < 4096:  # bounded: a long-running server sees many models
            _BASIS_JSON[key] = got
    return got


def cite(instrument: str, article: str, confidence: str = "K") -> Citation:
    """A citation as of the last review of the rules (confidence V, K or U)."""
    return Citation(instrument, article, confidence, RULES_AS_OF)


@dataclass(slots=True)  # no per-instance dict: hundreds of thousands at scale
class DutyReq:
    id: str
    basis: Citation
    note: str = ""
    declared: bool = False
    declared_by: list[str] = field(default_factory=list)
    party: str | None = None  # the other party the duty concerns (e.g. the entrusted relay)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "basis": self.basis.text(), "citation": self.basis.to_json(),
                "note": self.note, "declared": self.declared, "declared_by": self.declared_by,
                "party": self.party}


@dataclass(slots=True)
class Warning_:
    code: str
    message: str
    alternative: str
    citation: Citation | None = None

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "alternative": self.alternative,
                "citation": self.citation.text() if self.citation else None}


@dataclass(slots=True)
class Step:
    step: str
    result: str
    detail: str = ""

    def to_json(self) -> dict[str, str]:
        return {"step": self.step, "result": self.result, "detail": self.detail}


@dataclass(slots=True)
class Assessment:
    transfer: Transfer
    regime: str
    required: list[str]
    basis: list[Citation]
    mechanism_details: dict[str, Any] = field(default_factory=dict)
    duties: list[DutyReq] = field(default_factory=list)
    declared: list[str] = field(default_factory=list)
    status: str = "gap"  # ok | gap | exempt | not-required | blocked
    warnings: list[Warning_] = field(default_factory=list)
    trace: list[Step] = field(default_factory=list)
    exemption: str | None = None
    filing: dict[str, Any] = field(default_factory=dict)
    # mechanisms that need no declared safeguard (adequacy, computed exemptions)
    self_executing: bool = False

    @property
    def id(self) -> str:
        return f"{self.regime}:{self.transfer.id}"

    def parties_json(self, model: ResolvedModel) -> tuple[dict[str, Any], dict[str, Any]]:
        """The "exporter" and "recipient" objects: the same for every regime's assessment of
        a transfer, so ``to_json`` can be given them once per transfer."""
        t = self.transfer
        return ({"entity": t.exporter, "name": model.entity_name(t.exporter)},
                {"entity": t.recipient, "name": model.entity_name(t.recipient),
                 "role": t.recipient_role, "jurisdiction": ",".join(t.recipient_jurisdictions),
                 "node": t.recipient_node})

    def to_json(self, model: ResolvedModel,
                parties: tuple[dict[str, Any], dict[str, Any]] | None = None) -> dict[str, Any]:
        t = self.transfer
        basis, citations = _basis_json(self.basis)
        exporter, recipient = parties or self.parties_json(model)
        return {
            "transfer": t.id, "regime": self.regime, "area": t.area,
            "exporter": exporter, "recipient": recipient,
            "path": list(t.path), "required": list(self.required),
            "mechanism_details": self.mechanism_details,
            "duties": [d.to_json() for d in self.duties],
            "basis": basis, "citations": citations,
            "declared": sorted(self.declared), "status": self.status,
            "exemption": self.exemption, "filing": self.filing,
            "warnings": [w.to_json() for w in self.warnings],
            "trace": [s.to_json() for s in self.trace],
        }


@dataclass(slots=True)
class ExporterRow:
    exporter: str
    regime: str
    year: int
    ordinary: int
    sensitive: int
    tier: str
    tier_crossed_on: str | None
    basis: list[Citation]
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self, model: ResolvedModel) -> dict[str, Any]:
        out = {"exporter": self.exporter, "name": model.entity_name(self.exporter),
               "regime": self.regime, "year": self.year, "ordinary": self.ordinary,
               "sensitive": self.sensitive, "tier": self.tier,
               "tier_crossed_on": self.tier_crossed_on,
               "basis": "; ".join(c.text() for c in self.basis)}
        out.update(self.extra)
        return out


@dataclass(slots=True)
class Finding:
    code: str
    severity: str  # error | warning | info
    message: str
    citation: Citation | None
    transfer: str | None = None
    object_id: str | None = None
    path: list[str] = field(default_factory=list)
    file: str | None = None
    line: int | None = None
    col: int | None = None
    hint: str | None = None
    regime: str | None = None
    waived_by: str | None = None
    # set by check when one code fires more than once with different messages for the same
    # transfer or object, so that every finding id names one finding (waivers, SARIF, diff)
    qualifier: str | None = None
    # what tells this finding apart from others of its code on the same transfer when they
    # clash (a missing duty's id); the object id when not set
    tag: str | None = None

    @property
    def base_id(self) -> str:
        return f"{self.code}/{self.transfer or self.object_id or 'model'}"

    @property
    def id(self) -> str:
        base = f"{self.code}/{self.transfer or self.object_id or 'model'}"
        return base if self.qualifier is None else f"{base}#{self.qualifier}"

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "code": self.code, "severity": self.severity,
                "message": self.message,
                "citation": self.citation.text() if self.citation else None,
                "citation_detail": self.citation.to_json() if self.citation else None,
                "transfer": self.transfer, "object": self.object_id, "path": self.path,
                "file": self.file, "line": self.line, "col": self.col, "hint": self.hint,
                "regime": self.regime, "waived_by": self.waived_by}


@dataclass
class RegimeResult:
    assessments: list[Assessment] = field(default_factory=list)
    exporters: list[ExporterRow] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


@dataclass(frozen=True)
class CheckOptions:
    count_exempt: bool = False  # [U] count exempt transfers toward PIPL tiers
    split_sa: bool = False  # [U] security assessment only for what triggered it
    warn_expiring_days: int = 90


@dataclass(frozen=True)
class FindingCode:
    code: str
    severity: str
    title: str
    explanation: str
    fix: str
    citation: Citation | None = None


RegimeFn = Callable[[ResolvedModel, Analysis, CheckOptions], RegimeResult]


def working_days_after(start: dt.date, n: int) -> dt.date:
    """The n-th working day after ``start`` (Mon-Fri; public holidays are not modelled)."""
    d = start
    left = n
    while left > 0:
        d += dt.timedelta(days=1)
        if d.weekday() < 5:
            left -= 1
    return d


def working_days_before(end: dt.date, n: int) -> dt.date:
    d = end
    left = n
    while left > 0:
        d -= dt.timedelta(days=1)
        if d.weekday() < 5:
            left -= 1
    return d


def transfers_for(analysis: Analysis, area: str) -> Iterator[Transfer]:
    for t in [*analysis.transfers, *analysis.possible]:
        if t.area == area:
            yield t
