"""Machine tables: CSV rows for transfers, safe against spreadsheet formula injection."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")


def safe_cell(value: Any) -> str:
    """Text a spreadsheet shows as text: a leading formula character is escaped with a quote
    (OWASP CSV-injection guidance); numbers written by us stay numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for row in rows:
        w.writerow([safe_cell(v) for v in row])
    return buf.getvalue()


TRANSFER_COLUMNS = (
    "id", "area", "exporter", "exporter_name", "sender", "sender_role", "recipient",
    "recipient_name", "recipient_role", "recipient_jurisdiction", "recipient_node", "exit_edge",
    "exit_type", "origin", "onward", "categories", "sensitive_categories", "cohorts",
    "individuals_total", "individuals_sensitive", "individuals_method", "period_from",
    "period_to", "path", "path_flows", "flags", "possible", "purpose",
)


def transfer_row(t: dict[str, Any], possible: bool = False) -> list[Any]:
    rec = t["recipient"]
    return [
        t["id"], t["area"], t["exporter"]["entity"], t["exporter"]["name"],
        t["sender"]["entity"], t["sender"]["role"], rec["entity"], rec["name"], rec["role"],
        rec["jurisdiction"], rec.get("system") or rec.get("accessor"), t["exit_edge"]["id"],
        t["exit_edge"]["type"], ";".join(t["origin"]),
        ";".join(f"{o['entity']}/{o['system']}/{o['jurisdiction']}" for o in t["onward"]),
        ";".join(c["id"] for c in t["categories"]),
        ";".join(c["id"] for c in t["categories"] if c["sensitive"]),
        ";".join(c["id"] for c in t["cohorts"]),
        t["individuals"]["total"], t["individuals"]["sensitive"], t["individuals"]["method"],
        t["period"]["from"], t["period"]["to"], " > ".join(t["path"]), ";".join(t["path_flows"]),
        ";".join(t["flags"]), possible, t.get("purpose") or "",
    ]


def transfers_csv(doc: dict[str, Any]) -> str:
    rows = [transfer_row(t) for t in doc["transfers"]]
    rows += [transfer_row(t, True) for t in doc["possible_transfers"]]
    return to_csv(TRANSFER_COLUMNS, rows)
