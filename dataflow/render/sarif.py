"""SARIF 2.1.0 for code-scanning UIs, and GitHub workflow annotations."""

from __future__ import annotations

from typing import Any

from ..jsonio import Lazy, materialise
from ..regimes.base import Finding, FindingCode

_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def to_sarif(findings: list[Finding], codes: dict[str, FindingCode], tool_version: str
             ) -> dict[str, Any]:
    doc: dict[str, Any] = materialise(sarif_document(findings, codes, tool_version))
    return doc


def sarif_document(findings: list[Finding], codes: dict[str, FindingCode], tool_version: str
                   ) -> dict[str, Any]:
    """The SARIF log with its results lazy (``jsonio.Lazy``), built while it is written."""
    used = sorted({f.code for f in findings})
    rules = []
    for code in used:
        fc = codes.get(code)
        rules.append({
            "id": code,
            "name": (fc.title if fc else code).replace(" ", ""),
            "shortDescription": {"text": fc.title if fc else code},
            "fullDescription": {"text": fc.explanation if fc else code},
            "help": {"text": fc.fix if fc else "", "markdown": fc.fix if fc else ""},
            "properties": {"citation": fc.citation.text() if fc and fc.citation else None},
        })
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "dataflow", "version": tool_version,
                                "informationUri": "https://github.com/dataflow-xborder/dataflow",
                                "rules": rules}},
            "results": Lazy(_result(f) for f in findings),
        }],
    }


def _result(f: Finding) -> dict[str, Any]:
    r: dict[str, Any] = {
        "ruleId": f.code,
        "level": _LEVEL.get(f.severity, "note"),
        "message": {"text": f.message + (f" [{f.citation.text()}]" if f.citation else "")},
        "partialFingerprints": {"findingId": f.id},
        "properties": {"findingId": f.id, "transfer": f.transfer, "path": f.path},
    }
    if f.file:
        region: dict[str, int] = {}
        if f.line:
            region["startLine"] = f.line
        if f.col:
            region["startColumn"] = f.col
        loc: dict[str, Any] = {"artifactLocation": {"uri": f.file}}
        if region:
            loc["region"] = region
        r["locations"] = [{"physicalLocation": loc}]
    if f.waived_by:
        r["suppressions"] = [{"kind": "inSource", "justification": f"waiver {f.waived_by}"}]
    return r
