"""Interchange: the model as one canonical YAML or JSON file, and as a graph for graph tools.

A pure library (no file system, no CLI). The canonical YAML/JSON is the merged model data
(``RawModel.data``) without ``include``: reloading it gives the same merged data and so the same
``digest`` (:func:`dataflow.resolve.model_digest`). Every emitted document is parsed back and
compared before it is returned, so an export that would not reload identically is never written.

GraphML and GEXF carry the graph of :func:`dataflow.graph.build_graph` with every attribute
converted to a string, plus a ``label`` on nodes and edges and, on each exit edge, the ids of the
transfers it carries (``transfers``), for Gephi, yEd, Cytoscape and networkx users.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
from collections.abc import Mapping
from typing import Any, get_args

import networkx as nx
import yaml
from pydantic import BaseModel

from .graph import build_graph
from .model import (
    TOP_LEVEL_KEYS,
    Access,
    CatalogueOverlay,
    Category,
    Ciio,
    Cohort,
    Contact,
    Dpf,
    Duty,
    Entity,
    Exemption,
    Flow,
    GenAi,
    ImportantData,
    LegalBasis,
    ModelInfo,
    Period,
    Safeguard,
    System,
    UsStatus,
    Waiver,
)
from .resolve import ResolvedModel, model_digest
from .transfers import Analysis, analyse
from .yamlparse import parse_yaml, plain_scalar

FORMATS = ("yaml", "json", "graphml", "gexf")
EXTENSIONS = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".graphml": "graphml",
              ".gexf": "gexf"}
SCHEMA_URL = ("https://raw.githubusercontent.com/dataflow-xborder/dataflow/main/schemas/"
              "model.schema.json")


class ExportError(RuntimeError):
    """The export would not reload to the same model (a bug: please report it)."""


# --------------------------------------------------------------------------- canonical data

_COLLECTION_CLASS: dict[str, type[BaseModel]] = {
    "entities": Entity, "systems": System, "categories": Category, "cohorts": Cohort,
    "flows": Flow, "access": Access, "safeguards": Safeguard, "duties": Duty,
    "exemptions": Exemption, "waivers": Waiver,
}
# nested objects whose keys follow their schema class
_NESTED_CLASS: dict[tuple[type[BaseModel], str], type[BaseModel]] = {
    (Entity, "contact"): Contact, (Entity, "ciio"): Ciio, (Entity, "dpf"): Dpf,
    (Entity, "us"): UsStatus, (System, "genai"): GenAi, (Category, "important_data"):
    ImportantData, (Flow, "period"): Period, (Flow, "legal_basis"): LegalBasis,
    (Access, "period"): Period, (Access, "legal_basis"): LegalBasis,
}


def _field_order(cls: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in cls.model_fields.items()]


class _Date(str):
    """Text at a place the schema reads as a date: the only YYYY-MM-DD text written plain
    (YAML 1.1 tools read it as a date, as intended); elsewhere such text is quoted."""

    __slots__ = ()


def _has_date(annotation: Any) -> bool:
    return annotation is dt.date or any(_has_date(a) for a in get_args(annotation))


_DATE_FIELDS: dict[type[BaseModel], frozenset[str]] = {}


def _date_fields(cls: type[BaseModel]) -> frozenset[str]:
    found = _DATE_FIELDS.get(cls)
    if found is None:
        found = _DATE_FIELDS[cls] = frozenset(
            f.alias or name for name, f in cls.model_fields.items() if _has_date(f.annotation))
    return found


def _ordered(obj: Mapping[Any, Any], order: list[str]) -> dict[Any, Any]:
    """Keys in schema order first, then any others sorted (deterministic either way)."""
    rank = {k: i for i, k in enumerate(order)}
    keys = sorted(obj, key=lambda k: (rank.get(k, len(rank)), str(k)))
    return {k: obj[k] for k in keys}


def _plain(value: Any, cls: type[BaseModel] | None = None, date: bool = False) -> Any:
    """Dates become YYYY-MM-DD strings; mappings get a deterministic key order. Text where
    the schema expects a date (``date``) is marked as one (``_Date``) for the emitter."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return _Date(value.isoformat())
    if isinstance(value, Mapping):
        if cls is not None:
            ordered = _ordered(value, _field_order(cls))
            dates = _date_fields(cls)
            out = {k: _plain(v, _NESTED_CLASS.get((cls, str(k))), str(k) in dates)
                   for k, v in ordered.items()}
            count = out.get("count")
            if cls is Cohort and isinstance(count, dict):  # a dated series: keys are dates
                out["count"] = {_Date(k) if type(k) is str else k: v for k, v in count.items()}
            return out
        return {k: _plain(value[k]) for k in sorted(value, key=str)}
    if isinstance(value, (list, tuple)):
        return [_plain(v, cls, date) for v in value]
    if date and type(value) is str:
        return _Date(value)
    return value


def canonical_data(data: Mapping[str, Any]) -> dict[str, Any]:
    """The merged model data in canonical form: no ``include``, top-level keys in format order,
    ids sorted, fields in schema order, dates as strings. Values are never changed otherwise
    (``100_000`` written as text stays text), so the digest is the same."""
    out: dict[str, Any] = {}
    for key in TOP_LEVEL_KEYS:
        if key in ("include", "include_roots") or key not in data:
            continue
        value = data[key]
        if key == "model":
            out[key] = _plain(value, ModelInfo) if isinstance(value, Mapping) else _plain(value)
        elif key == "catalogue":
            out[key] = (_plain(value, CatalogueOverlay) if isinstance(value, Mapping)
                        else _plain(value))
        elif isinstance(value, Mapping):
            cls = _COLLECTION_CLASS.get(key)
            out[key] = {oid: _plain(value[oid], cls) for oid in sorted(value, key=str)}
        else:
            out[key] = _plain(value)
    for key in sorted((k for k in data if k not in TOP_LEVEL_KEYS), key=str):
        out[key] = _plain(data[key])  # not valid in a model; kept so nothing is lost
    return out


# --------------------------------------------------------------------------- YAML emitter

_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
_FLOW_UNSAFE = set(",[]{}")
_YAML11 = yaml.resolver.Resolver()
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


def _yaml11_tag(text: str) -> str:
    return str(_YAML11.resolve(yaml.ScalarNode, text, (True, False)))


def _plain_ok(text: str, flow: bool) -> bool:
    """May ``text`` be written unquoted, reading back as the same string under the YAML 1.2
    core schema (dataflow's parser) and under YAML 1.1 (PyYAML, older editors)?"""
    if not text or text != text.strip() or text[0] in _INDICATORS:
        return False
    if any(not (c.isprintable() and c not in "\u2028\u2029\ufeff") for c in text):
        return False
    if ": " in text or " #" in text or text.endswith(":") or "\t" in text:
        return False
    if flow and any(c in _FLOW_UNSAFE for c in text):
        return False
    if plain_scalar(text) != text or not isinstance(plain_scalar(text), str):
        return False
    tag = _yaml11_tag(text)
    if tag == "tag:yaml.org,2002:str":
        return True
    # a plain calendar date reads as text in YAML 1.2 and as a date in YAML 1.1 tools: right
    # for a date field, a misreading for text (a dpo written "2026-01-01")
    return tag == "tag:yaml.org,2002:timestamp" and isinstance(text, _Date) and \
        bool(_DATE_RE.match(text))


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0",
            "\x07": "\\a", "\b": "\\b", "\x0b": "\\v", "\f": "\\f", "\x1b": "\\e",
            "\x85": "\\N", "\xa0": "\\_", "\u2028": "\\L", "\u2029": "\\P"}


def _quoted(text: str) -> str:
    out = []
    for c in text:
        if c in _ESCAPES:
            out.append(_ESCAPES[c])
        elif c.isprintable() and c != "\ufeff":
            out.append(c)
        elif ord(c) <= 0xFF:
            out.append(f"\\x{ord(c):02x}")
        elif ord(c) <= 0xFFFF:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(f"\\U{ord(c):08x}")
    return '"' + "".join(out) + '"'


def _scalar(value: Any, flow: bool = False, quote_all: bool = False) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        text = repr(value)
        return text if isinstance(plain_scalar(text), float) else f"{value:.17g}"
    text = value if isinstance(value, _Date) else str(value)
    if not quote_all and _plain_ok(text, flow):
        return text
    return _quoted(text)


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


class _Emitter:
    def __init__(self, quote_all: bool, width: int = 100) -> None:
        self.lines: list[str] = []
        self.quote_all = quote_all
        self.width = width

    def key(self, k: Any) -> str:
        return _scalar(k, quote_all=self.quote_all)

    def inline(self, value: Any) -> str | None:
        """A one-line rendering of a value (scalar, empty or flat list), or None."""
        if _is_scalar(value):
            return _scalar(value, quote_all=self.quote_all)
        if isinstance(value, dict) and not value:
            return "{}"
        if isinstance(value, list):
            if not value:
                return "[]"
            if all(_is_scalar(v) for v in value):
                return "[" + ", ".join(_scalar(v, flow=True, quote_all=self.quote_all)
                                       for v in value) + "]"
        return None

    def mapping(self, obj: dict[Any, Any], indent: int) -> None:
        pad = " " * indent
        for k, v in obj.items():
            head = f"{pad}{self.key(k)}:"
            one = self.inline(v)
            if one is not None and (len(head) + 1 + len(one) <= self.width
                                    or not isinstance(v, list)):
                self.lines.append(f"{head} {one}")
            elif isinstance(v, dict):
                self.lines.append(head)
                self.mapping(v, indent + 2)
            else:
                self.lines.append(head)
                self.sequence(v, indent + 2)

    def sequence(self, items: list[Any], indent: int) -> None:
        pad = " " * indent
        for item in items:
            one = self.inline(item)
            if one is not None:
                self.lines.append(f"{pad}- {one}")
            elif isinstance(item, dict):
                start = len(self.lines)
                self.mapping(item, indent + 2)
                first = self.lines[start]
                self.lines[start] = f"{pad}- {first[indent + 2:]}"
            else:
                self.lines.append(f"{pad}-")
                self.sequence(item, indent + 2)


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True,
                                                                      default=str)


def _emit(data: dict[str, Any], header: str, quote_all: bool) -> str:
    em = _Emitter(quote_all)
    first = True
    for key, value in data.items():
        if not first:
            em.lines.append("")
        first = False
        em.mapping({key: value}, 0)
    return header + "\n".join(em.lines) + "\n"


def dump_yaml(data: Mapping[str, Any], *, header: str = "") -> str:
    """Canonical YAML for model data; raises :class:`ExportError` if it would not read back
    identically with dataflow's parser."""
    canon = canonical_data(data)
    for quote_all in (False, True):
        text = _emit(canon, header, quote_all)
        parsed = parse_yaml(text)
        if not parsed.problems and _same(parsed.data or {}, canon):
            return text
    raise ExportError("the canonical YAML does not read back to the same data")


def model_yaml(model: ResolvedModel) -> str:
    """The whole model as one canonical YAML file (same digest as the original)."""
    header = (f"# yaml-language-server: $schema={SCHEMA_URL}\n"
              f"# {_one_line(model.name)}: canonical single-file export by `dataflow export`.\n"
              f"# Same model as the source ({model.digest}); edit the source, not this file.\n")
    text = dump_yaml(model.raw.data, header=header)
    reloaded = parse_yaml(text).data or {}
    if model_digest(reloaded) != model.digest:
        raise ExportError("the exported YAML has a different digest")
    return text


def model_json(model: ResolvedModel) -> str:
    """The whole model as one canonical JSON document (JSON is YAML: it loads as a model)."""
    canon = canonical_data(model.raw.data)
    text = json.dumps(canon, ensure_ascii=False, indent=2, sort_keys=False,
                      allow_nan=True) + "\n"
    if model_digest(parse_yaml(text).data or {}) != model.digest:
        raise ExportError("the exported JSON has a different digest")
    return text


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------- graphs

def _attr(value: Any) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return ", ".join(_attr(v) for v in items)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return str(value)


def export_graph(model: ResolvedModel, analysis: Analysis | None = None) -> nx.MultiDiGraph:
    """The model graph with string attributes only, a ``label`` everywhere and the transfers
    each exit edge carries."""
    g = build_graph(model)
    analysis = analysis or analyse(model)
    by_edge: dict[str, list[str]] = {}
    recipients: dict[str, list[str]] = {}
    for t in [*analysis.transfers, *analysis.possible]:
        by_edge.setdefault(t.exit_edge.key, []).append(t.id)
        recipients.setdefault(t.recipient_node, []).append(t.id)
    out: nx.MultiDiGraph = nx.MultiDiGraph()
    out.graph.update({k: _attr(v) for k, v in g.graph.items()})
    out.graph["digest"] = model.digest
    for node, attrs in sorted(g.nodes(data=True), key=lambda x: str(x[0])):
        a = {k: _attr(v) for k, v in sorted(attrs.items())}
        a["label"] = a.get("name") or str(node)
        op = attrs.get("operator") or attrs.get("entity")
        if op:
            a["operator_name"] = model.entity_name(str(op))
            a["operator_jurisdiction"] = model.entity_jurisdiction(str(op))
        a["transfer_recipient_of"] = _attr(sorted(recipients.get(str(node), [])))
        out.add_node(str(node), **a)
    for u, v, key, attrs in sorted(g.edges(keys=True, data=True), key=lambda x: str(x[2])):
        a = {k: _attr(val) for k, val in sorted(attrs.items())}
        a["label"] = str(key)
        ids = sorted(by_edge.get(str(key), []))
        a["transfers"] = _attr(ids)
        a["exit_edge"] = _attr(bool(ids))
        out.add_edge(str(u), str(v), key=str(key), **a)
    return out


def model_graphml(model: ResolvedModel, analysis: Analysis | None = None) -> str:
    g = export_graph(model, analysis)
    buf = io.BytesIO()
    nx.write_graphml(g, buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue().decode("utf-8")


def model_gexf(model: ResolvedModel, analysis: Analysis | None = None) -> str:
    g = export_graph(model, analysis)
    for _, _, key, attrs in g.edges(keys=True, data=True):
        attrs["id"] = key  # GEXF edge ids: the flow or access id
    buf = io.BytesIO()
    nx.write_gexf(g, buf, encoding="utf-8", prettyprint=True)
    text = buf.getvalue().decode("utf-8")
    # no clock time in outputs: the "last modified" date is the model's evaluation date
    return re.sub(r'lastmodifieddate="[^"]*"',
                  f'lastmodifieddate="{model.evaluation_date.isoformat()}"', text, count=1)


def render(model: ResolvedModel, fmt: str) -> str:
    """The export of ``model`` in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "yaml":
        return model_yaml(model)
    if fmt == "json":
        return model_json(model)
    if fmt == "graphml":
        return model_graphml(model)
    if fmt == "gexf":
        return model_gexf(model)
    raise ValueError(f"unknown export format '{fmt}' (one of {', '.join(FORMATS)})")


def format_for(path: str | None, fmt: str | None) -> str:
    """The format asked for, else the one the output file's extension names, else YAML."""
    if fmt:
        return fmt
    if path:
        lower = path.lower()
        for ext, name in EXTENSIONS.items():
            if lower.endswith(ext):
                return name
    return "yaml"
