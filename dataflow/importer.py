"""Import a spreadsheet inventory (CSV or XLSX) of systems and flows into a model folder.

One sheet, one header row, one record per row; the ``type`` column says what a row is:
``model``, ``entity``, ``system``, ``category``, ``cohort``, ``flow`` or ``access``. Only
``system`` and ``flow`` rows are needed: operators named by systems become entities (their
jurisdiction taken from the ``jurisdiction`` cell or the system's location), and categories
outside the built-in taxonomy become personal-data categories to review. The columns are
documented in ``docs/cli.md`` (``dataflow import``) and in :data:`COLUMNS`.

Every problem is reported with its row and column (``inventory.csv:7:F (to): ...``); nothing
is produced while any error remains.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .catalog import Catalogue, load_catalogue
from .export import SCHEMA_URL, dump_yaml
from .model import is_valid_id

ROW_TYPES = ("model", "entity", "system", "category", "cohort", "flow", "access")

# column -> (row types it applies to, what it holds)
COLUMNS: dict[str, tuple[tuple[str, ...], str]] = {
    "type": (ROW_TYPES, "what the row is: model, entity, system, category, cohort, flow, access"),
    "id": (ROW_TYPES[1:], "the object's id (lower case, digits, '.', '-', '_'); "
           "a category id is a dotted path"),
    "name": (ROW_TYPES, "display name"),
    "name_zh": (ROW_TYPES[1:], "Chinese name"),
    "description": (("model", "entity", "system"), "free text"),
    "evaluation_date": (("model",), "the 'as of' date, YYYY-MM-DD"),
    "owner": (("model",), "entity id of the model's owner"),
    "jurisdiction": (("entity", "system"), "where the entity is established (ISO code); on a "
                     "system row: its operator's, when the operator has no entity row"),
    "province": (("entity", "system"), "ISO 3166-2 subdivision of a mainland entity (CN-SC)"),
    "processor_for": (("entity",), "controller entity ids it processes for (list)"),
    "operator": (("system",), "entity id of the operator"),
    "operator_name": (("system",), "legal name of the operator (creates its entity)"),
    "location": (("system",), "country, subdivision or provider:region (list for several)"),
    "kind": (("system",), "service, database, storage, saas, analytics, ai-model, relay, "
             "gateway, client, other (default service)"),
    "retention": (("system", "flow"), "how long data is kept (free text)"),
    "personal": (("category",), "yes/no"),
    "sensitive": (("category",), "yes/no (PIPL Art. 28)"),
    "special": (("category",), "yes/no (GDPR Art. 9/10)"),
    "count": (("cohort",), "number of people (100000, 100,000 or 100_000)"),
    "unit": (("cohort",), "persons or devices"),
    "residence": (("cohort",), "where they live (location)"),
    "relationship": (("cohort",), "customer, user, employee, applicant, patient, student, other"),
    "subset_of": (("cohort",), "parent cohort id"),
    "minors_under_14": (("cohort",), "yes/no"),
    "from": (("flow", "access"), "flow: source system id; access: location the access "
             "happens from"),
    "to": (("flow",), "target system id"),
    "system": (("access",), "system id being accessed"),
    "accessor": (("access",), "entity id of who accesses"),
    "rights": (("access",), "read, write, admin (list)"),
    "categories": (("flow", "access"), "category ids (list)"),
    "cohorts": (("flow", "access"), "cohort ids (list)"),
    "purpose": (("flow", "access"), "why"),
    "recipient_role": (("flow",), "controller, processor or entrusted"),
    "on_behalf_of": (("flow",), "controller entity id"),
    "frequency": (("flow",), "continuous, daily, one-off, ..."),
    "method": (("flow",), "api, sftp, replication, ..."),
    "transformations": (("flow",), "anonymised, aggregated, pseudonymised, encrypted (list)"),
    "storage_location": (("flow",), "where the recipient stores it, if not its system's "
                         "location"),
    "legal_basis_pipl": (("flow", "access"), 'PIPL legal basis, e.g. 13(1)(2)'),
    "legal_basis_gdpr": (("flow", "access"), 'GDPR legal basis, e.g. 6(1)(b)'),
    "period_from": (("flow", "access"), "first day, YYYY-MM-DD"),
    "period_to": (("flow", "access"), "last day, YYYY-MM-DD"),
}
ALIASES = {"source": "from", "target": "to", "destination": "to", "vendor": "operator_name",
           "country": "jurisdiction", "data_categories": "categories",
           "data_subjects": "cohorts", "subjects": "cohorts", "region": "location",
           "kind_of_system": "kind", "role": "recipient_role", "record": "type"}
IGNORED_PREFIXES = ("note", "comment", "#", "x_")
REQUIRED = {"system": ("id", "operator", "location"), "flow": ("id", "from", "to", "categories"),
            "entity": ("id", "jurisdiction"), "cohort": ("id", "count"), "category": ("id",),
            "access": ("id", "system", "accessor", "from"), "model": ()}
LIST_COLUMNS = {"location", "processor_for", "rights", "categories", "cohorts",
                "transformations"}
BOOL_COLUMNS = {"personal", "sensitive", "special", "minors_under_14"}
DATE_COLUMNS = {"evaluation_date", "period_from", "period_to"}
CHOICES = {
    "kind": ("service", "database", "storage", "saas", "analytics", "ai-model", "relay",
             "gateway", "client", "other"),
    "recipient_role": ("controller", "processor", "entrusted"),
    "unit": ("persons", "devices"),
    "relationship": ("customer", "user", "employee", "applicant", "patient", "student", "other"),
    "rights": ("read", "write", "admin"),
    "transformations": ("anonymised", "aggregated", "pseudonymised", "encrypted"),
}
_TRUE = {"true", "yes", "y", "1", "x", "ja", "是"}
_FALSE = {"false", "no", "n", "0", "nein", "否"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_COUNT = re.compile(r"\d{1,3}(?:[,_ \u00a0\u202f]\d{3})+\Z|\d+\Z")


@dataclass(frozen=True)
class ImportIssue:
    severity: str  # error | warning
    message: str
    row: int | None = None  # 1-based spreadsheet row (the header is row 1)
    column: str | None = None  # header name
    letter: str | None = None  # spreadsheet column letter
    hint: str | None = None

    def location(self, source: str) -> str:
        where = source
        if self.row is not None:
            where += f":{self.row}"
            if self.letter:
                where += f":{self.letter}"
        return where

    def text(self, source: str) -> str:
        col = f" ({self.column})" if self.column else ""
        hint = f"\n        = hint: {self.hint}" if self.hint else ""
        return f"{self.location(source)}{col}: {self.severity} {self.message}{hint}"

    def to_json(self, source: str) -> dict[str, Any]:
        return {"severity": self.severity, "message": self.message, "file": source,
                "row": self.row, "column": self.column, "letter": self.letter,
                "hint": self.hint}


@dataclass
class ImportResult:
    files: dict[str, str] = field(default_factory=dict)  # file name -> YAML text
    issues: list[ImportIssue] = field(default_factory=list)
    # (collection, id) -> (row, {field: (column, letter)}), to point validation errors at cells
    origins: dict[tuple[str, str], tuple[int, dict[str, tuple[str, str]]]] = field(
        default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not any(i.severity == "error" for i in self.issues)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    out = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def _norm_header(text: str) -> str:
    h = re.sub(r"[\s\-/]+", "_", str(text).strip().lower()).strip("_")
    return ALIASES.get(h, h)


# --------------------------------------------------------------------------- reading

def read_table(path: str | Path, sheet: str | None = None) -> list[list[Any]]:
    """The rows of a CSV (UTF-8, delimiter , ; or tab, sniffed) or of an XLSX sheet."""
    p = Path(path)
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(p, sheet)
    data = p.read_bytes()
    text = data.decode("utf-8-sig")
    return read_csv_text(text)


def read_csv_text(text: str) -> list[list[Any]]:
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [list(r) for r in csv.reader(io.StringIO(text), dialect)]


def _read_xlsx(path: Path, sheet: str | None) -> list[list[Any]]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb[sheet] if sheet else wb.worksheets[0]
        return [list(r) for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


# --------------------------------------------------------------------------- building

class _Builder:
    def __init__(self, catalogue: Catalogue) -> None:
        self.cat = catalogue
        self.issues: list[ImportIssue] = []
        self.data: dict[str, dict[str, Any]] = {k: {} for k in (
            "entities", "systems", "categories", "cohorts", "flows", "access")}
        self.model: dict[str, Any] = {}
        self.origins: dict[tuple[str, str], tuple[int, dict[str, tuple[str, str]]]] = {}
        self.ids: dict[str, tuple[str, int]] = {}
        self.auto_categories: list[str] = []
        self.auto_entities: list[str] = []

    def ok_so_far(self) -> bool:
        return not any(i.severity == "error" for i in self.issues)

    def err(self, message: str, row: int | None = None, col: tuple[str, str] | None = None,
            hint: str | None = None, severity: str = "error") -> None:
        self.issues.append(ImportIssue(severity, message, row, col[0] if col else None,
                                       col[1] if col else None, hint))


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _split(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[;,\n]", text) if p.strip()]


def build(rows: Sequence[Sequence[Any]], *, name: str | None = None,
          evaluation_date: dt.date | None = None,
          catalogue: Catalogue | None = None) -> ImportResult:
    """Turn spreadsheet rows (the first is the header) into model files."""
    b = _Builder(catalogue or load_catalogue())
    result = ImportResult()
    if not rows or not any(_cell_text(c) for c in rows[0]):
        b.err("the sheet is empty: the first row must be a header (type, id, name, ...)", 1)
        result.issues = b.issues
        return result
    header = [_norm_header(_cell_text(c)) for c in rows[0]]
    columns: dict[str, int] = {}
    for i, h in enumerate(header):
        letter = column_letter(i)
        if not h or h.startswith(IGNORED_PREFIXES):
            continue
        if h not in COLUMNS:
            guess = difflib.get_close_matches(h, list(COLUMNS) + list(ALIASES), n=1,
                                              cutoff=0.75)
            b.err(f"unknown column '{_cell_text(rows[0][i])}'", 1, (h, letter),
                  f"did you mean '{ALIASES.get(guess[0], guess[0])}'?" if guess else
                  "columns: " + ", ".join(COLUMNS) + "; prefix a column with 'note' to keep "
                  "it out of the model")
            continue
        if h in columns:
            b.err(f"column '{h}' appears twice (also column {column_letter(columns[h])})", 1,
                  (h, letter))
            continue
        columns[h] = i
    if "type" not in columns:
        b.err("no 'type' column: every row needs a type (system, flow, entity, cohort, "
              "category, access, model)", 1, hint="add a column named type")
        result.issues = b.issues
        return result
    records: list[tuple[int, str, dict[str, tuple[str, tuple[str, str]]]]] = []
    for r, raw in enumerate(rows[1:], start=2):
        cells = {h: (_cell_text(raw[i]) if i < len(raw) else "", (h, column_letter(i)))
                 for h, i in columns.items()}
        if not any(v for v, _ in cells.values()):
            continue
        rtype = cells["type"][0].lower()
        if rtype not in ROW_TYPES:
            guess = difflib.get_close_matches(rtype, ROW_TYPES, n=1)
            b.err(f"unknown row type '{cells['type'][0]}'", r, cells["type"][1],
                  f"did you mean '{guess[0]}'?" if guess else "types: " + ", ".join(ROW_TYPES))
            continue
        records.append((r, rtype, {h: v for h, v in cells.items() if v[0] and h != "type"}))
    for r, rtype, cells in records:
        _record(b, r, rtype, cells)
    _complete(b, name, evaluation_date)
    result.issues = b.issues
    result.origins = b.origins
    result.counts = {k: len(v) for k, v in b.data.items()}
    if result.ok:
        result.files = _files(b)
    return result


_COLLECTION = {"entity": "entities", "system": "systems", "category": "categories",
               "cohort": "cohorts", "flow": "flows", "access": "access"}


def _record(b: _Builder, r: int, rtype: str,
            cells: dict[str, tuple[str, tuple[str, str]]]) -> None:
    for h, (_, col) in cells.items():
        if rtype not in COLUMNS[h][0]:
            b.err(f"column '{h}' does not apply to a {rtype} row (it is for "
                  f"{', '.join(COLUMNS[h][0])} rows)", r, col,
                  "leave the cell empty on this row", severity="warning")
    for need in REQUIRED[rtype]:
        if need not in cells:
            b.err(f"a {rtype} row needs '{need}'", r, None,
                  f"fill the '{need}' column (add it to the header if it is missing)")
    if any(need not in cells for need in REQUIRED[rtype]):
        return
    obj: dict[str, Any] = {}
    fields: dict[str, tuple[str, str]] = {}
    for h, (value, col) in cells.items():
        if h in ("id", "type") or rtype not in COLUMNS[h][0]:
            continue
        parsed = _value(b, r, h, value, col, rtype)
        if parsed is None:
            continue
        key, val = _key_for(rtype, h, parsed)
        if key == "legal_basis" or key == "period":
            obj.setdefault(key, {}).update(val)
        else:
            obj[key] = val
        fields[key] = col
        fields[h] = col
    if rtype == "model":
        if b.model:
            b.err("a second model row", r, cells.get("name", ("", None))[1])
            return
        b.model = obj
        b.origins[("model", "model")] = (r, fields)
        return
    oid, idcol = cells["id"]
    if not (is_valid_id(oid) or (rtype == "category" and re.match(r"^[a-z0-9][a-z0-9._-]*$",
                                                                   oid))):
        slug = re.sub(r"[^a-z0-9._-]+", "-", oid.lower()).strip("-._") or "id"
        b.err(f"'{oid}' is not a valid id", r, idcol,
              f"ids are lower case with digits, '.', '-', '_'; e.g. '{slug}'")
        return
    if oid in b.ids:
        first_type, first_row = b.ids[oid]
        b.err(f"duplicate id '{oid}' (already a {first_type} on row {first_row})", r, idcol,
              "ids are unique across all rows")
        return
    b.ids[oid] = (rtype, r)
    fields["id"] = idcol
    if rtype == "system":
        obj.setdefault("kind", "service")
    b.data[_COLLECTION[rtype]][oid] = obj
    b.origins[(_COLLECTION[rtype], oid)] = (r, fields)


def _value(b: _Builder, r: int, h: str, value: str, col: tuple[str, str], rtype: str) -> Any:
    if h in BOOL_COLUMNS:
        low = value.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        b.err(f"'{value}' is not yes/no", r, col, "write yes or no (true/false, 1/0)")
        return None
    if h in DATE_COLUMNS:
        if _DATE.match(value):
            try:
                dt.date.fromisoformat(value)
                return value
            except ValueError:
                pass
        b.err(f"'{value}' is not a date written YYYY-MM-DD", r, col)
        return None
    if h == "count":
        if _COUNT.match(value):
            return int(re.sub(r"\D", "", value))
        b.err(f"'{value}' is not a whole number of people", r, col,
              "write 250000, 250,000 or 250_000")
        return None
    if h in LIST_COLUMNS:
        items = _split(value)
        choices = CHOICES.get(h)
        for it in items:
            if choices and it not in choices:
                b.err(f"'{it}' is not one of {', '.join(choices)}", r, col)
                return None
        if h == "location" and rtype == "system":
            for it in items:
                if b.cat.resolve_location(it) is None:
                    b.err(f"DF301 unknown location '{it}'", r, col, _location_hint(
                        b, it, "use an ISO code (CN, SG, CN-SC), a cloud region "
                        "(aws:ap-southeast-1) or 'unknown'"))
                    return None
        return items
    choices = CHOICES.get(h)
    if choices:
        low = value.lower()
        if low not in choices:
            guess = difflib.get_close_matches(low, choices, n=1)
            b.err(f"'{value}' is not one of {', '.join(choices)}", r, col,
                  f"did you mean '{guess[0]}'?" if guess else None)
            return None
        return low
    is_location = h in ("jurisdiction", "residence", "storage_location") or (
        h == "from" and rtype == "access")
    if is_location and b.cat.resolve_location(value) is None:
        b.err(f"DF301 unknown location '{value}'", r, col, _location_hint(
            b, value, "use an ISO code such as CN, SG, US or CN-SC"))
        return None
    return value


def _location_hint(b: _Builder, value: str, default: str) -> str:
    """Codes are case-sensitive (docs/model-format.md): 'cn' -> did you mean 'CN'?"""
    for guess in (value.upper(), value.lower()):
        if guess != value and b.cat.resolve_location(guess) is not None:
            return f"did you mean '{guess}'?"
    return default


def _key_for(rtype: str, h: str, value: Any) -> tuple[str, Any]:
    if h == "legal_basis_pipl":
        return "legal_basis", {"pipl": value}
    if h == "legal_basis_gdpr":
        return "legal_basis", {"gdpr": value}
    if h == "period_from":
        return "period", {"from": value}
    if h == "period_to":
        return "period", {"to": value}
    if rtype == "system" and h in ("jurisdiction", "province", "operator_name"):
        return f"_{h}", value  # kept for the operator's entity, removed later
    if rtype == "access" and h == "from":
        return "from", [value]
    return h, value


def _complete(b: _Builder, name: str | None, evaluation_date: dt.date | None) -> None:
    """Entities for operators, references checked, auto categories, the model block."""
    ents, systems = b.data["entities"], b.data["systems"]
    for sid, s in systems.items():
        row, fields = b.origins[("systems", sid)]
        juris = s.pop("_jurisdiction", None)
        province = s.pop("_province", None)
        op_name = s.pop("_operator_name", None)
        op = s["operator"]
        if not is_valid_id(op):
            b.err(f"operator '{op}' is not a valid entity id", row, fields.get("operator"))
            continue
        if op in ents:
            continue
        if "location" not in s:
            continue  # its location cell was rejected (DF301, reported at the cell)
        if op in b.ids and b.ids[op][0] != "entity":
            b.err(f"operator '{op}' is a {b.ids[op][0]} (row {b.ids[op][1]}), not an entity",
                  row, fields.get("operator"))
            continue
        place = b.cat.resolve_location(s["location"][0])
        if juris is None and place is not None and place.jurisdiction != "unknown":
            juris = place.jurisdiction
        if province is None and juris == "CN" and place is not None and \
                place.jurisdiction == "CN" and place.subdivision:
            province = place.subdivision  # the filing authority's province
        if juris is None:
            b.err(f"cannot tell where operator '{op}' is established", row,
                  fields.get("location"), "add an entity row for it, or fill 'jurisdiction'")
            continue
        ent: dict[str, Any] = {"name": op_name or op, "jurisdiction": juris}
        if province and juris == "CN":
            ent["province"] = province
        ents[op] = ent
        b.ids[op] = ("entity", row)
        b.auto_entities.append(op)
        b.origins[("entities", op)] = (row, {"name": fields.get("_operator_name") or
                                             fields["operator"],
                                             "jurisdiction": fields.get("_jurisdiction") or
                                             fields["location"],
                                             **({"province": fields["_province"]}
                                                if "_province" in fields else {})})
    # references
    cats = b.data["categories"]
    for coll, refs in (("flows", (("from", "systems"), ("to", "systems"),
                                  ("on_behalf_of", "entities"))),
                       ("access", (("system", "systems"), ("accessor", "entities"))),
                       ("entities", ()), ("cohorts", (("subset_of", "cohorts"),))):
        for oid, obj in b.data[coll].items():
            row, fields = b.origins[(coll, oid)]
            for key, target in refs:
                val = obj.get(key)
                if val is not None and val not in b.data[target]:
                    guess = difflib.get_close_matches(val, list(b.data[target]), n=1)
                    b.err(f"unknown {target[:-1] if target != 'entities' else 'entity'} "
                          f"'{val}'", row, fields.get(key),
                          f"did you mean '{guess[0]}'?" if guess else
                          f"add a row for it (type {_singular(target)})")
            for c in obj.get("cohorts", []):
                if c not in b.data["cohorts"]:
                    b.err(f"unknown cohort '{c}'", row, fields.get("cohorts"),
                          "add a cohort row (type cohort, id, count)")
            for c in obj.get("categories", []):
                if c in cats or _known_category(b.cat, c):
                    continue
                if not re.match(r"^[a-z0-9][a-z0-9._-]*$", c):
                    b.err(f"'{c}' is not a valid category id", row, fields.get("categories"),
                          "category ids are dotted paths such as customer.contact.email")
                    continue
                parent = _known_ancestor(b.cat, c, cats)
                cats[c] = {"name": c.rsplit(".", 1)[-1].replace("_", " ").capitalize()}
                if parent is None:
                    cats[c]["personal"] = True
                b.auto_categories.append(c)
                b.origins[("categories", c)] = (row, {"name": fields["categories"]})
                b.err(f"category '{c}' is not in the built-in taxonomy: created "
                      + (f"under '{parent}' (inherits its flags)" if parent else
                         "as personal data") + "; check it", row, fields.get("categories"),
                      severity="warning")
            for k in ("processor_for",):
                for e in obj.get(k, []):
                    if e not in b.data["entities"]:
                        b.err(f"unknown entity '{e}'", row, fields.get(k))
    model = dict(b.model)
    if "name" not in model:
        model["name"] = name or "Imported inventory"
    if "evaluation_date" not in model:
        model["evaluation_date"] = (evaluation_date or dt.date.today()).isoformat()
    owner = model.get("owner")
    if owner is not None and owner not in b.data["entities"]:
        origin = b.origins.get(("model", "model"))
        b.err(f"unknown owner '{owner}'", origin[0] if origin else None,
              origin[1].get("owner") if origin else None)
    b.model = {k: model[k] for k in ("name", "name_zh", "evaluation_date", "owner",
                                      "description") if k in model}


def _known_category(cat: Catalogue, cid: str) -> bool:
    return cid in cat.categories


def _known_ancestor(cat: Catalogue, cid: str, defined: Iterable[str]) -> str | None:
    parts = cid.split(".")
    mine = set(defined)
    for i in range(len(parts) - 1, 0, -1):
        parent = ".".join(parts[:i])
        if parent in cat.categories or parent in mine:
            return parent
    return None


def _singular(collection: str) -> str:
    return {"entities": "entity", "systems": "system", "cohorts": "cohort",
            "categories": "category", "flows": "flow"}.get(collection, collection)


MODELINE = f"# yaml-language-server: $schema={SCHEMA_URL}\n"


def _files(b: _Builder) -> dict[str, str]:
    parts = [("entities.yaml", "Legal persons. Entities created for system operators: "
              + (", ".join(b.auto_entities) or "none") + ".", {"entities": b.data["entities"]}),
             ("systems.yaml", "Where data lives.", {"systems": b.data["systems"]}),
             ("data.yaml", "What the data is and whom it is about."
              + (" Categories created from the sheet, to check (personal? sensitive?): "
                 + ", ".join(b.auto_categories) + "." if b.auto_categories else ""),
              {"categories": b.data["categories"], "cohorts": b.data["cohorts"]}),
             ("flows.yaml", "Data moving between systems, and remote access.",
              {"flows": b.data["flows"], "access": b.data["access"]})]
    files: dict[str, str] = {}
    include = []
    for fname, comment, content in parts:
        content = {k: v for k, v in content.items() if v}
        if not content:
            continue
        include.append(fname)
        files[fname] = dump_yaml(content, header=MODELINE + _comment(comment))
    text = dump_yaml({"model": b.model}, header=MODELINE + _comment(
        "Imported by `dataflow import`; check it with: dataflow validate ."))
    text += "include:\n" + "".join(f"  - {f}\n" for f in include)
    files["dataflow.yaml"] = text
    return dict(sorted(files.items()))


def _comment(text: str) -> str:
    import textwrap

    return "".join(f"# {line}\n" for line in textwrap.wrap(text, 96))


def issues_text(issues: Iterable[ImportIssue], source: str) -> str:
    return "\n".join(i.text(source) for i in sorted(
        issues, key=lambda i: (i.row or 0, i.letter or "", i.severity, i.message)))
