"""Diagnostics: the one shape every problem takes, from YAML syntax to regulatory findings."""

from __future__ import annotations

import dataclasses
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


def has_errors(diags: list[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diags)


class InvalidModel(Exception):
    """Raised by the API when a model cannot be loaded; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = sort_diagnostics(diagnostics)
        first = self.diagnostics[0] if self.diagnostics else None
        summary = f"{first.location()}: {first.code} {first.message}" if first else "invalid model"
        super().__init__(f"{len(self.diagnostics)} problem(s); first: {summary}")
