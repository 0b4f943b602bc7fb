"""The self-contained HTML report: one file a DPO, an architect or a regulator can open anywhere.

Everything is inline — CSS, a little vanilla JavaScript and the diagrams as SVG drawn by
Graphviz — and a Content-Security-Policy forbids the page to load anything at all. The page reads
the JSON documents of ``dataflow transfers`` and ``dataflow check`` (the stable contracts), never
changes a result, escapes every text that comes from the model, and is byte-identical for the same
model, catalogue and options: no clock time; the footer names the model digest, the tool and
catalogue versions and the evaluation date.

Drawing is injected: ``draw`` turns DOT texts into SVG texts (or ``None`` where a diagram cannot
be drawn), so a golden test can replace each picture by the digest of its DOT.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import subprocess
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from .. import __version__
from ..api import envelope
from ..check import REGIMES, CheckResult, check_json
from ..transfers import analysis_json
from .diagram import DiagramError, GraphvizMissing, render_dot, render_image

__all__ = ["MAX_TRANSFER_DIAGRAMS", "Diagram", "DocumentLink", "Draw", "GraphvizDrawer",
           "dot_digest", "inline_svg", "render_html_report"]

ASSETS = Path(__file__).resolve().parent / "report_assets"
MAX_TRANSFER_DIAGRAMS = 50

#: DOT texts in, one SVG text (or ``None``: not drawn) per DOT out, in the same order.
Draw = Callable[[Sequence[str]], list[str | None]]


@dataclass(frozen=True)
class DocumentLink:
    """A file of the build folder the report links to (``path`` relative, POSIX separators)."""

    path: str
    label: str
    group: str  # report | data | diagrams | inventory | pipl | gdpr | other
    format: str


@dataclass(frozen=True)
class Diagram:
    """A whole-model view drawn in the report (and written beside it as DOT and SVG)."""

    key: str  # overview | transfers
    title: str
    dot: str
    files: tuple[DocumentLink, ...] = ()


@dataclass
class GraphvizDrawer:
    """Draws DOT with Graphviz's ``dot`` into SVG, several at a time, remembering each result.

    When Graphviz is missing every picture is ``None`` and :attr:`missing` holds the reason;
    a DOT that Graphviz rejects is ``None`` too, with the reason in :attr:`errors`."""

    workers: int = max(1, min(4, os.cpu_count() or 1))
    missing: str | None = None
    errors: list[str] = field(default_factory=list)
    _cache: dict[str, str | None] = field(default_factory=dict)

    def __call__(self, dots: Sequence[str]) -> list[str | None]:
        todo = [d for d in dict.fromkeys(dots) if d not in self._cache]
        if todo and self.missing is None:
            if len(todo) == 1 or self.workers == 1:
                results = [self._one(d) for d in todo]
            else:
                with ThreadPoolExecutor(max_workers=self.workers) as pool:
                    results = list(pool.map(self._one, todo))
            for d, r in zip(todo, results, strict=True):
                self._cache[d] = r
        return [self._cache.get(d) for d in dots]

    def _one(self, dot: str) -> str | None:
        if self.missing is not None:
            return None
        try:
            return render_image(dot, "svg").decode("utf-8")
        except GraphvizMissing as exc:
            self.missing = str(exc)
        except (subprocess.CalledProcessError, DiagramError, OSError, UnicodeDecodeError) as exc:
            self.errors.append(f"Graphviz could not draw a diagram: {type(exc).__name__}: {exc}")
        return None


def dot_digest(dot: str) -> str:
    return hashlib.sha256(dot.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- inline SVG

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_DANGEROUS_ELEMENTS = re.compile(r"<(script|foreignObject|iframe|object|embed|style)\b.*?"
                                 r"(</\1\s*>|/>)", re.S | re.I)
_EVENT_ATTR = re.compile(r"""\s+on[a-z]+\s*=\s*("[^"]*"|'[^']*')""", re.I)
_HREF = re.compile(r"""(\s(?:xlink:)?href\s*=\s*)("[^"]*"|'[^']*')""", re.I)
_ID = re.compile(r'(\sid=")([^"]+)(")')
_URL_REF = re.compile(r"url\(#([^)]+)\)")
_SVG_OPEN = re.compile(r"<svg\b([^>]*)>", re.S)


def _safe_href(m: re.Match[str], prefix: str) -> str:
    value = m.group(2)[1:-1].strip()
    if value.startswith("#"):
        return f'{m.group(1)}"#{prefix}{value[1:]}"'
    if re.match(r"(?i)https?://", value):
        return f"{m.group(1)}{m.group(2)}"
    return ""  # javascript:, data:, file: ... never reach the page


def inline_svg(svg: str, prefix: str, label: str) -> str:
    """Graphviz's SVG made fit for inlining: no XML prolog, DOCTYPE or comments; no scripts,
    event handlers or non-http links; ids prefixed so that several pictures can share a page;
    scaled to the page width; labelled for assistive technology."""
    start = svg.find("<svg")
    if start < 0:
        return ""
    body = svg[start:]
    body = _COMMENT.sub("", body)
    body = _DANGEROUS_ELEMENTS.sub("", body)
    body = _EVENT_ATTR.sub("", body)
    body = _HREF.sub(lambda m: _safe_href(m, prefix), body)
    body = _ID.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}{m.group(3)}", body)
    body = _URL_REF.sub(lambda m: f"url(#{prefix}{m.group(1)})", body)
    label_attr = escape(label)
    body = _SVG_OPEN.sub(lambda m: f'<svg{m.group(1)} role="img" aria-label="{label_attr}" '
                                   'focusable="false">', body, count=1)
    return body.strip()


# --------------------------------------------------------------------------- vocabulary

MECHANISMS: dict[str, str] = {
    "pipl.security-assessment": "CAC security assessment",
    "pipl.standard-contract": "PIPL standard contract",
    "pipl.certification": "PI protection certification",
    "pipl.gba-contract": "Greater Bay Area standard contract",
    "pipl.exempt": "exempt (no mechanism)",
    "gdpr.adequacy": "adequacy decision",
    "gdpr.scc": "standard contractual clauses",
    "gdpr.bcr": "binding corporate rules",
    "gdpr.derogation": "Art. 49 derogation",
    "uk-gdpr.adequacy": "UK adequacy regulations",
    "uk-gdpr.idta": "UK IDTA",
    "uk-gdpr.addendum": "UK Addendum to the SCCs",
    "none": "nothing",
}
DUTIES: dict[str, str] = {
    "pipl.pipia": "PI protection impact assessment",
    "pipl.notice": "notice to individuals",
    "pipl.separate-consent": "separate consent",
    "pipl.entrustment-agreement": "entrustment agreement",
    "gdpr.tia": "transfer impact assessment",
    "gdpr.dpa": "Art. 28 processing agreement",
    "gdpr.ropa-entry": "record of processing entry",
}
STATUS_ORDER = ("blocked", "gap", "ok", "exempt", "not-required", "unassessed")
STATUS_LABEL = {"blocked": "blocked", "gap": "gap", "ok": "ok", "exempt": "exempt",
                "not-required": "not required", "unassessed": "not assessed"}
AREA_LABEL = {"CN": "mainland China", "EEA": "EEA", "EU": "EU", "UK": "United Kingdom"}
GROUPS = (("report", "Report"), ("data", "Machine-readable results"),
          ("diagrams", "Diagrams"), ("inventory", "Transfer inventory"),
          ("pipl", "PIPL filing packs"), ("gdpr", "GDPR documents"), ("other", "Other files"))


def mechanism_label(mid: str) -> str:
    return MECHANISMS.get(mid, mid)


def _num(n: Any) -> str:
    return f"{n:,}" if isinstance(n, int) and not isinstance(n, bool) else str(n)


def _pick(d: dict[str, Any], *keys: str) -> dict[str, Any]:
    """The keys a template reads, present even where a document leaves them out."""
    return {k: d.get(k) for k in keys}


def _worst(statuses: Iterable[str]) -> str:
    have = set(statuses)
    return next((s for s in STATUS_ORDER if s in have), "unassessed")


_SLUG = re.compile(r"[^A-Za-z0-9_-]+")


def _slugs(ids: Iterable[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    used: set[str] = set()
    for tid in ids:
        base = "t-" + (_SLUG.sub("-", tid).strip("-") or "x")
        slug, n = base, 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        used.add(slug)
        out[tid] = slug
    return out


# --------------------------------------------------------------------------- the view model

class _Names:
    def __init__(self, result: CheckResult) -> None:
        self.model = result.model

    def jurisdiction(self, code: str) -> str:
        if code == "unknown":
            return "location unknown"
        j = self.model.catalogue.jurisdictions.get(code)
        return j.name_en if j is not None else code

    def node(self, nid: str) -> str:
        s = self.model.systems.get(nid)
        if s is not None:
            return s.name
        return self.model.entity_name(nid) if nid in self.model.entities else nid

    def category(self, cid: str) -> str:
        c = self.model.categories.get(cid)
        return c.name if c is not None and c.name else cid

    def area(self, code: str) -> str:
        return AREA_LABEL.get(code) or self.jurisdiction(code)


def _transfer_view(t: dict[str, Any], possible: bool, assessments: list[dict[str, Any]],
                   findings: list[dict[str, Any]], names: _Names, slug: str) -> dict[str, Any]:
    rec = t["recipient"]
    statuses = [a["status"] for a in assessments]
    status = _worst(statuses) if assessments else "unassessed"
    regimes = sorted({a["regime"] for a in assessments})
    ind = t["individuals"]
    people = _num(ind["total"])
    if ind.get("method") == "bounds":
        people += f" ({_num(ind['lower'])}–{_num(ind['upper'])})"
    cats = [{"id": c["id"], "name": c.get("name") or c["id"], "name_zh": c.get("name_zh"),
             "sensitive": bool(c.get("sensitive")), "special": bool(c.get("special")),
             "anonymised": bool(c.get("anonymised")), "important": bool(c.get("important_data")),
             "minors": bool(c.get("minors_under_14"))} for c in t["categories"]]
    text = " ".join([t["id"], t["exporter"]["entity"], t["exporter"].get("name") or "",
                     rec["entity"], rec.get("name") or "", rec.get("jurisdiction") or "",
                     names.jurisdiction(rec.get("jurisdiction") or ""), *t["path"],
                     *(c["id"] for c in cats), *(c["name"] for c in cats), *t["flags"],
                     *(f["code"] for f in findings)]).lower()
    return {
        "id": t["id"], "slug": slug, "possible": possible, "area": t["area"],
        "area_name": names.area(t["area"]),
        "exporter": _pick(t["exporter"], "entity", "name", "jurisdiction"),
        "sender": _pick(t["sender"], "entity", "name", "role", "system"),
        "recipient": _pick(rec, "entity", "name", "role", "system", "jurisdiction", "location"),
        "recipient_place": names.jurisdiction(rec.get("jurisdiction") or "unknown"),
        "exit_edge": _pick(t["exit_edge"], "id", "type", "from", "to", "routing"),
        "path": [{"id": p, "name": names.node(p)} for p in t["path"]],
        "path_flows": t["path_flows"], "categories": cats,
        "sensitive": any(c["sensitive"] or c["special"] for c in cats),
        "cohorts": [_pick(c, "id", "name", "count") for c in t["cohorts"]],
        "individuals": {k: _num(v) for k, v in ind.items()},
        "people": people, "people_sort": ind["total"], "flags": t["flags"],
        "period": t.get("period") or {}, "purpose": t.get("purpose"),
        "provenance": t.get("provenance") or {}, "onward": [
            {**o, "entity_name": names.model.entity_name(o["entity"]),
             "system_name": names.node(o["system"]),
             "place": names.jurisdiction(o["jurisdiction"])} for o in t["onward"]],
        "assessments": [_assessment_view(a, findings) for a in assessments],
        "findings": findings, "status": status, "status_label": STATUS_LABEL[status],
        "status_rank": STATUS_ORDER.index(status),
        "statuses": " ".join(sorted(set(statuses) or {"unassessed"})),
        "regimes": regimes, "regimes_attr": " ".join(regimes), "text": text,
        "svg": None, "svg_note": None, "dot_sha256": None,
    }


def _assessment_view(a: dict[str, Any], findings: list[dict[str, Any]]) -> dict[str, Any]:
    details = a.get("mechanism_details") or {}
    req = []
    for m in a["required"]:
        extra = details.get(m) or {}
        note = f"module {extra['module']}" if isinstance(extra, dict) and extra.get("module") \
            else None
        req.append({"id": m, "label": mechanism_label(m), "note": note})
    duties = [{**d, "label": DUTIES.get(d["id"], d["id"])} for d in a["duties"]]
    return {
        "regime": a["regime"], "regime_name": _regime_name(a["regime"]),
        "status": a["status"], "status_label": STATUS_LABEL.get(a["status"], a["status"]),
        "required": req, "declared": a["declared"], "exemption": a.get("exemption"),
        "basis": [c["text"] for c in a.get("citations") or []] or
                 ([a["basis"]] if a.get("basis") else []),
        "filing": _pick(a.get("filing") or {}, "authority", "authority_en", "rule"),
        "duties": duties, "warnings": a["warnings"],
        "trace": a["trace"],
        "findings": [f for f in findings if f.get("regime") in (None, a["regime"])],
    }


@lru_cache(maxsize=1)
def _regime_names() -> dict[str, str]:
    return {rid: name for rid, name, _ in REGIMES}


def _regime_name(rid: str) -> str:
    return _regime_names().get(rid, rid)


def _filing_plan(check_doc: dict[str, Any], names: _Names) -> list[dict[str, Any]]:
    """One row per (regime, exporter): tier and its crossing date, what to file for which
    recipients, where, by when, and how far the model is."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for a in check_doc["assessments"]:
        groups[(a["regime"], a["exporter"]["entity"])].append(a)
    rows_by_key: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in check_doc["exporters"]:
        rows_by_key[(r["regime"], r["exporter"])].append(r)
    out = []
    for key in sorted(set(groups) | set(rows_by_key)):
        regime, exporter = key
        items = groups.get(key, [])
        rows = sorted(rows_by_key.get(key, []), key=lambda r: r.get("year") or 0)
        row = rows[-1] if rows else None
        needs: dict[tuple[str, ...], list[str]] = defaultdict(list)
        where: dict[str, str] = {}
        when: list[str] = []
        for a in items:
            if a["status"] in ("exempt", "not-required") or a["required"] in ([], ["none"]):
                continue
            rec = a["recipient"]
            label = f"{rec.get('name') or rec['entity']} ({rec.get('jurisdiction') or '?'})"
            if label not in needs[tuple(a["required"])]:
                needs[tuple(a["required"])].append(label)
            f = a.get("filing") or {}
            if f.get("authority"):
                where[f["authority"]] = f.get("authority_en") or ""
            if f.get("rule") and f["rule"] not in when:
                when.append(f["rule"])
        if row is not None and row.get("authority") and not where \
                and row.get("tier") not in (None, "none", "below-threshold", "exempt"):
            where[row["authority"]] = row.get("authority_en") or ""
        statuses = [a["status"] for a in items]
        gaps = sum(1 for s in statuses if s in ("gap", "blocked"))
        out.append({
            "regime": regime, "regime_name": _regime_name(regime), "exporter": exporter,
            "exporter_name": names.model.entity_name(exporter),
            "year": row.get("year") if row else None,
            "ordinary": _num(row["ordinary"]) if row and "ordinary" in row else None,
            "sensitive": _num(row["sensitive"]) if row and "sensitive" in row else None,
            "tier": row.get("tier") if row else None,
            "crossed_on": row.get("tier_crossed_on") if row else None,
            "basis": row.get("basis") if row else None,
            "needs": [{"mechanisms": [{"id": m, "label": mechanism_label(m)} for m in req],
                       "recipients": recs} for req, recs in sorted(needs.items())],
            "where": [{"name": k, "name_en": v} for k, v in sorted(where.items())],
            "when": when, "transfers": len(items), "gaps": gaps,
            "status": _worst(statuses) if statuses else "unassessed",
            "status_label": STATUS_LABEL[_worst(statuses) if statuses else "unassessed"],
        })
    return out


def _finding_view(f: dict[str, Any], slugs: dict[str, str]) -> dict[str, Any]:
    where = None
    if f.get("file"):
        where = f["file"] + (f":{f['line']}" if f.get("line") else "") + \
            (f":{f['col']}" if f.get("line") and f.get("col") else "")
    return {**f, "where": where, "slug": slugs.get(f.get("transfer") or "")}


def _svg_for(svg: str | None, prefix: str, label: str) -> str | None:
    return inline_svg(svg, prefix, label) if svg else None


def _wbr(text: str) -> Markup:
    """Escaped text with a line-break opportunity after each "/" (long transfer ids)."""
    return Markup(str(escape(text)).replace("/", "/<wbr>"))  # the text is escaped first


@lru_cache(maxsize=4)
def _asset(name: str) -> str:
    text = (ASSETS / name).read_text(encoding="utf-8")
    return "\n".join(line.rstrip() for line in text.splitlines())


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(ASSETS)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["num"] = _num
    env.filters["wbr"] = _wbr
    env.filters["mech"] = mechanism_label
    return env


def render_html_report(result: CheckResult, *, check_doc: dict[str, Any] | None = None,
                       transfers_doc: dict[str, Any] | None = None,
                       documents: Sequence[DocumentLink] = (),
                       diagrams: Sequence[Diagram] | None = None, draw: Draw | None = None,
                       draw_note: str | None = None,
                       max_transfer_diagrams: int = MAX_TRANSFER_DIAGRAMS,
                       print_mode: bool = False, notes: Sequence[str] = ()) -> str:
    """The report as one HTML text.

    ``check_doc`` / ``transfers_doc`` default to the JSON documents of the result; ``diagrams``
    default to the overview and transfers views; ``draw`` defaults to a :class:`GraphvizDrawer`.
    ``print_mode`` opens every detail (for PDF engines that run no JavaScript). ``notes`` are
    shown at the top (e.g. documents that could not be rendered)."""
    model = result.model
    env_head = envelope(model)
    if check_doc is None:
        check_doc = check_json(result, env_head)
    if transfers_doc is None:
        transfers_doc = analysis_json(result.analysis, env_head)
    if draw is None:
        draw = GraphvizDrawer()
    names = _Names(result)
    by_transfer: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in check_doc["assessments"]:
        by_transfer[a["transfer"]].append(a)
    findings_by_transfer: dict[str, list[dict[str, Any]]] = defaultdict(list)
    all_transfers = [(t, False) for t in transfers_doc["transfers"]] + \
                    [(t, True) for t in transfers_doc["possible_transfers"]]
    all_transfers.sort(key=lambda x: x[0]["id"])
    slugs = _slugs(t["id"] for t, _ in all_transfers)
    findings = [_finding_view(f, slugs) for f in check_doc["findings"]]
    for f in findings:
        if f.get("transfer"):
            findings_by_transfer[f["transfer"]].append(f)
    views = [_transfer_view(t, possible, by_transfer.get(t["id"], []),
                            findings_by_transfer.get(t["id"], []), names, slugs[t["id"]])
             for t, possible in all_transfers]

    if diagrams is None:
        diagrams = default_diagrams(result)
    drawn_views = views[:max(0, max_transfer_diagrams)]
    detail_dots: list[str] = []
    for v in drawn_views:
        try:
            detail_dots.append(render_dot(model, result.analysis, view=f"transfer:{v['id']}"))
        except DiagramError as exc:
            detail_dots.append("")
            v["svg_note"] = f"not drawn: {exc}"
    wanted = [d.dot for d in diagrams] + [d for d in detail_dots if d]
    pictures = dict(zip(wanted, draw(wanted), strict=True)) if wanted else {}
    default_note = draw_note or ("not drawn: Graphviz is not installed here; the DOT source is "
                                 "in the build folder")
    diagram_views = []
    for i, d in enumerate(diagrams):
        svg = _svg_for(pictures.get(d.dot), f"d{i}-", d.title)
        diagram_views.append({"key": d.key, "title": d.title, "svg": svg,
                              "note": None if svg else default_note,
                              "dot_sha256": dot_digest(d.dot), "files": d.files})
    for i, (v, dot) in enumerate(zip(drawn_views, detail_dots, strict=True)):
        if not dot:
            continue
        v["dot_sha256"] = dot_digest(dot)
        v["svg"] = _svg_for(pictures.get(dot), f"t{i}-", f"path of transfer {v['id']}")
        if v["svg"] is None:
            v["svg_note"] = default_note
    for v in views[len(drawn_views):]:
        v["svg_note"] = (f"not drawn: the report draws the paths of the first "
                         f"{max_transfer_diagrams} transfers only; draw this one with "
                         f"`dataflow diagram MODEL --view transfer:{v['id']}`")
    capped = len(views) > len(drawn_views)

    summary = check_doc["summary"]
    groups: dict[str, list[DocumentLink]] = defaultdict(list)
    for doc in documents:
        groups[doc.group if doc.group in dict(GROUPS) else "other"].append(doc)
    doc_groups = [{"key": k, "title": title, "entries": _doc_items(groups[k])}
                  for k, title in GROUPS if groups.get(k)]
    area_codes = sorted({v["area"] for v in views})
    regime_codes = sorted({r for v in views for r in v["regimes"]})
    status_codes = [s for s in STATUS_ORDER if any(s in v["statuses"].split() for v in views)]
    failing = summary["errors"] > 0
    css = _asset("report.css")
    js = _asset("report.js")
    # the script element holds "\n" + js + "\n" (see report.html.j2); only that script may run
    script = f"\n{js}\n".encode()
    script_hash = base64.b64encode(hashlib.sha256(script).digest()).decode("ascii")
    csp = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
           f"script-src 'sha256-{script_hash}'; base-uri 'none'; form-action 'none'")
    ctx = {
        "model": {"name": model.info.name, "name_zh": model.info.name_zh,
                  "description": model.info.description,
                  "owner": model.entity_name(model.info.owner) if model.info.owner else None,
                  "digest": model.digest},
        "meta": {"tool_version": __version__, "catalogue_version": env_head["catalogue_version"],
                 "catalogue_as_of": env_head["catalogue_as_of"],
                 "catalogue_overlays": env_head["catalogue_overlays"],
                 "evaluation_date": env_head["evaluation_date"],
                 "reporting_year": env_head["reporting_year"],
                 "schema_version": env_head["schema_version"]},
        "areas": [{"code": a, "name": names.area(a)} for a in check_doc.get("areas") or []],
        "summary": summary, "failing": failing,
        "exporters": len({a["exporter"]["entity"] for a in check_doc["assessments"]}),
        "plan": _filing_plan(check_doc, names), "findings": findings,
        "transfers": views, "capped": capped, "max_transfer_diagrams": max_transfer_diagrams,
        "diagrams": diagram_views, "doc_groups": doc_groups,
        "not_transfers": transfers_doc.get("not_transfers") or [],
        "analysis_warnings": [
            {"code": w.get("code"), "message": w.get("message") or str(w)}
            if isinstance(w, dict) else {"code": None, "message": str(w)}
            for w in transfers_doc.get("warnings") or []],
        "filters": {"areas": [{"code": a, "name": names.area(a)} for a in area_codes],
                    "regimes": [{"code": r, "name": _regime_name(r)} for r in regime_codes],
                    "statuses": [{"code": s, "name": STATUS_LABEL[s]} for s in status_codes]},
        "print_mode": print_mode, "notes": list(notes), "css": css, "js": js, "csp": csp,
        "severity_counts": _severity_counts(findings),
    }
    html = _environment().get_template("report.html.j2").render(ctx)
    return "\n".join(line.rstrip() for line in html.splitlines()) + "\n"


FORMAT_ORDER = ("html", "pdf", "svg", "md", "csv", "xlsx", "json", "dot")


def _doc_items(links: Sequence[DocumentLink]) -> list[dict[str, Any]]:
    """One entry per document, with a link per format (HTML first)."""
    items: dict[str, list[DocumentLink]] = defaultdict(list)
    for d in links:
        items[d.label].append(d)

    def rank(d: DocumentLink) -> tuple[int, str]:
        fmt = d.format.lower()
        return (FORMAT_ORDER.index(fmt) if fmt in FORMAT_ORDER else len(FORMAT_ORDER), d.path)

    out: list[dict[str, Any]] = []
    for label, ds in items.items():
        ranked: list[DocumentLink] = sorted(ds, key=rank)
        out.append({"label": label, "links": ranked, "first": ranked[0].path})
    return sorted(out, key=lambda it: str(it["first"]))


def _severity_counts(findings: list[dict[str, Any]]) -> dict[str, int]:
    out = {"error": 0, "warning": 0, "info": 0, "waived": 0}
    for f in findings:
        if f.get("waived_by"):
            out["waived"] += 1
        else:
            out[f["severity"]] = out.get(f["severity"], 0) + 1
    return out


def default_diagrams(result: CheckResult,
                     files: dict[str, tuple[DocumentLink, ...]] | None = None) -> list[Diagram]:
    """The overview and transfers views of the model (DOT only; drawing happens later)."""
    files = files or {}
    out = []
    for key, title in (("overview", "Overview: systems, flows and where data leaves"),
                       ("transfers", "Transfers: every exit and the paths that lead to it")):
        dot = render_dot(result.model, result.analysis, view=key)
        out.append(Diagram(key, title, dot, files.get(key, ())))
    return out
