"""Diagnostics: the one shape every problem takes, from YAML syntax to regulatory findings."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]

SEVERITY_RANK: dict[str, int] = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Related:
    """A second place a diagnostic points at (e.g. the first definition of a duplicate id)."""

    message: str
    file: str | None = None
    line: int | None = None
    col: int | None = None


@dataclass(frozen=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str
    file: str | None = None
    line: int | None = None
    col: int | None = None
    hint: str | None = None
    related: tuple[Related, ...] = ()
    # Path inside the model (e.g. ("systems", "app", "kind")); used to position lazily.
    path: tuple[str | int, ...] = field(default=(), compare=False)
    # > 0 for a summary standing for that many diagnostics left out (see cap_diagnostics)
    hidden: int = field(default=0, compare=False)

    def sort_key(self) -> tuple[Any, ...]:
        return (
            self.file or "",
            self.line or 0,
            self.col or 0,
            SEVERITY_RANK[self.severity],
            self.code,
            self.message,
        )

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "hint": self.hint,
        }
        if self.related:
            out["related"] = [dataclasses.asdict(r) for r in self.related]
        return out

    def location(self) -> str:
        if not self.file:
            return "<model>"
        if self.line is None:
            return self.file
        if self.col is None:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.col}"


def sort_diagnostics(diags: list[Diagnostic]) -> list[Diagnostic]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for d in sorted(diags, key=Diagnostic.sort_key):
        key = (d.code, d.file, d.line, d.col, d.message)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


# Caps on repeated diagnostics, so that a hostile or generated file (a list of 100,000 unknown
# categories, a million include patterns) answers in bounded time and size. Both are far above
# what distinct mistakes in a hand-written model produce: every mistake of an ordinary model is
# still reported on its own (docs/limits.md).
FIELD_CAP = 20      # diagnostics of one code about one field (one list, one mapping's keys)
TOTAL_CAP = 1000    # diagnostics in one answer, the most severe first
SUGGEST_CAP = 50       # "did you mean" searches in one run (each object field, each reference)
SUGGEST_MAX_LEN = 100  # no "did you mean" search for longer values (difflib is quadratic)


def group_path(code: str, path: tuple[Any, ...]) -> tuple[Any, ...]:
    """The field a diagnostic is about, for counting repeats: its model path without trailing
    list indices, and without the key itself for an unknown key (DF200, DF206: the unknown
    keys of one mapping count together)."""
    if code in ("DF200", "DF206") and path:
        path = path[:-1]
    while path and isinstance(path[-1], int):
        path = path[:-1]
    return path


def field_key(d: Diagnostic) -> tuple[Any, ...]:
    return (d.code, d.file, group_path(d.code, d.path))


def field_text(path: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in path if not isinstance(p, int)) or "the model"


def summary(first_hidden: Diagnostic, hidden: Sequence[Diagnostic] | int, where: str
            ) -> Diagnostic:
    """One diagnostic standing for ``hidden`` (the diagnostics left out, or their number when
    they are all like ``first_hidden``), positioned at the first of them."""
    from .codes import LOADER_CODES

    if isinstance(hidden, int):
        count, worst, codes = hidden, first_hidden.severity, [first_hidden.code]
    else:
        count = sum(d.hidden or 1 for d in hidden)
        worst = min((d.severity for d in hidden), key=SEVERITY_RANK.__getitem__)
        codes = sorted({d.code for d in hidden})
    names = "/".join(f"{c} ({LOADER_CODES[c].name})" if c in LOADER_CODES else c
                     for c in codes) if len(codes) <= 3 else "diagnostics"
    return Diagnostic(first_hidden.code, worst,
                      f"… and {count:,} more {names} {where} (not shown)",
                      file=first_hidden.file, line=first_hidden.line, col=first_hidden.col,
                      hint=f"dataflow shows at most {FIELD_CAP} diagnostics of one code per "
                      f"field and {TOTAL_CAP:,} in all; fix these and run again",
                      path=first_hidden.path, hidden=count)


class SuggestBudget:
    """Bounds the "did you mean" searches of one run (a location search costs ~50 ms): at most
    FIELD_CAP per field (the rest are capped away), SUGGEST_CAP in all, none for values longer
    than SUGGEST_MAX_LEN. Past the budget a diagnostic keeps its generic hint."""

    def __init__(self) -> None:
        self._counts: dict[tuple[Any, ...], int] = {}
        self._total = 0

    def allow(self, code: str, path: tuple[Any, ...], value: object) -> bool:
        if not isinstance(value, str) or len(value) > SUGGEST_MAX_LEN:
            return False
        key = (code, group_path(code, path))
        n = self._counts.get(key, 0)
        if n >= FIELD_CAP or self._total >= SUGGEST_CAP:
            return False
        self._counts[key] = n + 1
        self._total += 1
        return True


def cap_diagnostics(diags: list[Diagnostic], field_cap: int = FIELD_CAP,
                    total_cap: int = TOTAL_CAP) -> list[Diagnostic]:
    """Sorted diagnostics with repeats capped: the first ``field_cap`` of one code about one
    field, then one summary ("… and 99,980 more DF303 in flows.f.categories"); then, past
    ``total_cap``, the most severe ones and one summary of the rest. Summaries keep the worst
    severity of what they stand for, so an invalid model stays invalid."""
    groups: dict[tuple[Any, ...], list[Diagnostic]] = {}
    for d in diags:
        if not d.hidden:
            groups.setdefault(field_key(d), []).append(d)
    if all(len(g) <= field_cap for g in groups.values()) and len(diags) <= total_cap:
        return diags
    kept: list[Diagnostic] = [d for d in diags if d.hidden]
    for (_code, _file, path), group in groups.items():
        kept.extend(group[:field_cap])
        if len(group) > field_cap:
            rest = group[field_cap:]
            kept.append(summary(rest[0], rest, f"in {field_text(path)}"))
    kept = sort_diagnostics(kept)
    if len(kept) > total_cap:
        ranked = sorted(kept, key=lambda d: SEVERITY_RANK[d.severity])  # stable: keeps order
        shown, rest = ranked[:total_cap - 1], ranked[total_cap - 1:]
        rest = sort_diagnostics(rest)
        last = summary(rest[0], rest, "in all")
        kept = sort_diagnostics([*shown, last])
    return kept


def a_kind(kind: str) -> str:
    """The kind of an object with its article: "an entity", "a system", "an access grant"."""
    return ("an " if kind[:1].lower() in "aeiou" else "a ") + kind


def has_errors(diags: list[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diags)


class InvalidModel(Exception):
    """Raised by the API when a model cannot be loaded; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = sort_diagnostics(diagnostics)
        first = self.diagnostics[0] if self.diagnostics else None
        summary = f"{first.location()}: {first.code} {first.message}" if first else "invalid model"
        super().__init__(f"{len(self.diagnostics)} problem(s); first: {summary}")
