"""XLSX workbooks with openpyxl: text stays text (no formula injection), bytes are reproducible.

Every string is stored as a string cell (``t="inlineStr"``), never as a formula; a string that a
spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@`` ...) also gets the quote-prefix
style, so editing the cell keeps it text. Workbook properties (created, modified) come from the
model's evaluation date, and the zip entries carry that date too: the same model gives the same
bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")
# characters XML 1.0 cannot carry (openpyxl refuses them)
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
MAX_CELL = 32_767  # Excel's limit on characters in a cell


def _put(ws: Worksheet, row: int, col: int, value: Any) -> None:
    cell = ws.cell(row=row, column=col)
    if value is None:
        return
    if isinstance(value, bool):
        cell.value = "true" if value else "false"
        cell.data_type = "s"
        return
    if isinstance(value, (int, float)):
        cell.value = value
        return
    text = _ILLEGAL.sub("\ufffd", str(value))[:MAX_CELL]
    cell.value = text
    cell.data_type = "s"  # never a formula, whatever the text starts with
    if text.startswith(_FORMULA_START):
        cell.quotePrefix = True


def _sheet(ws: Worksheet, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    bold = Font(bold=True)
    for c, name in enumerate(header, 1):
        _put(ws, 1, c, name)
        ws.cell(row=1, column=c).font = bold
    for r, row in enumerate(rows, 2):
        for c, value in enumerate(row, 1):
            _put(ws, r, c, value)
    ws.freeze_panes = "A2"
    for c, name in enumerate(header, 1):
        longest = max([len(str(name)), *(len(str(row[c - 1])) for row in rows
                                         if c - 1 < len(row) and row[c - 1] is not None)])
        ws.column_dimensions[get_column_letter(c)].width = min(max(10, longest + 2), 60)
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"


def workbook_bytes(sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Any]]]],
                   day: dt.date, title: str = "") -> bytes:
    """A workbook with one sheet per (name, header, rows), reproducible for a given ``day``."""
    wb = Workbook()
    first = True
    for name, header, rows in sheets:
        ws = wb.active if first else wb.create_sheet()
        assert ws is not None
        ws.title = _sheet_title(name)
        _sheet(ws, header, rows)
        first = False
    stamp = dt.datetime(day.year, day.month, day.day)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "dataflow"
    wb.properties.lastModifiedBy = "dataflow"
    wb.properties.title = _ILLEGAL.sub("\ufffd", title)[:255] or None
    buf = io.BytesIO()
    wb.save(buf)
    return _normalise_zip(buf.getvalue(), stamp)


def _sheet_title(name: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "Sheet"


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _normalise_zip(data: bytes, stamp: dt.datetime) -> bytes:
    """Rewrite the package: fixed entry dates, the modified property from ``stamp`` (openpyxl
    sets it to the clock on save), entries in their original order."""
    when = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + iso + rb"\g<2>", content)
            zi = zipfile.ZipInfo(info.filename, date_time=when)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, content, compresslevel=6)
    return out.getvalue()


def inventory_workbook(columns: Sequence[str], rows: Sequence[Sequence[Any]],
                       meta: dict[str, Any]) -> bytes:
    """The transfer inventory: sheet ``transfers`` (the CSV columns) and sheet ``about`` (model,
    digest, versions, evaluation date)."""
    about = [
        ("model", meta["model_name"]),
        ("model_digest", meta["model_digest"]),
        ("evaluation_date", meta["evaluation_date"]),
        ("reporting_year", meta["reporting_year"]),
        ("tool_version", f"dataflow {meta['tool_version']}"),
        ("catalogue_version", meta["catalogue_version"]),
        ("catalogue_as_of", meta["catalogue_as_of"]),
        ("catalogue_overlays", ";".join(meta["catalogue_overlays"])),
        ("template", meta["template"]),
        ("exporter_filter", meta.get("exporter_filter") or ""),
        ("recipient_filter", meta.get("recipient_filter") or ""),
    ]
    data = workbook_bytes([("transfers", list(columns), [list(r) for r in rows]),
                           ("about", ["key", "value"], about)],
                          dt.date.fromisoformat(meta["evaluation_date"]),
                          f"Transfer inventory: {meta['model_name']}")
    return data


__all__ = ["inventory_workbook", "workbook_bytes"]
