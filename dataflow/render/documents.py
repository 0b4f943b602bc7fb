"""Filing-ready documents: the context a template sees, and rendering it with Jinja2.

A pure library: it reads a :class:`~dataflow.check.CheckResult` and the templates, and returns the
rendered files as bytes (the CLI writes them). Nothing here changes a result.

Honest blanks
    Where the model has no such fact, the context holds a :class:`Blank` (never an invented
    value). Rendering a blank prints a numbered marker (``【待补充 3】`` / ``[TO COMPLETE 3]``) and
    records it; ``end()`` closes every document with the "待补充事项" / "To complete" list naming
    each blank and the YAML field that would fill it (or saying that it is a signature, a seal or
    a fact the model format has no field for).

Formats
    Built-in templates are format-neutral: they call the helpers (``h``, ``p``, ``kv``, ``table``,
    ``ul`` ...) which emit Markdown or HTML. The HTML environment autoescapes; the Markdown
    environment escapes every value through ``finalize`` (no raw HTML, no table breaks, no
    injected headings). CSV and XLSX exist for ``transfer-inventory`` and are built from
    ``inventory.columns`` / ``inventory.rows`` with spreadsheet-formula protection.
"""

from __future__ import annotations

import contextvars
import dataclasses
import datetime as dt
import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox
from markupsafe import Markup, escape

from .. import __version__
from .. import check as check_module
from ..api import envelope
from ..check import CheckResult, check_json
from ..counting import CohortFamily
from ..loader import suggest
from ..model import Contact, is_valid_id
from ..regimes.base import Assessment
from ..regimes.pipl import filing_deadline
from ..resolve import ResolvedModel
from ..transfers import Transfer, transfer_json
from .tables import TRANSFER_COLUMNS, to_csv, transfer_row

__all__ = [
    "TEMPLATES", "Blank", "BlankItem", "RenderedFile", "ReportError", "TemplateInfo",
    "build_context", "list_templates", "render_report", "templates_dir",
]


class ReportError(ValueError):
    """A usage problem (unknown template, entity or format) or a template that fails to render."""


# --------------------------------------------------------------------------- template registry

@dataclasses.dataclass(frozen=True)
class TemplateInfo:
    name: str
    title_zh: str
    title_en: str
    scope: str  # model | exporter | pair  (one document per model, exporter, exporter+recipient)
    regime: str | None
    formats: tuple[str, ...]
    langs: tuple[str, ...]
    description: str

    @property
    def default_lang(self) -> str:
        return self.langs[0]


TEMPLATES: dict[str, TemplateInfo] = {t.name: t for t in [
    TemplateInfo("transfer-inventory", "数据出境清单", "Transfer inventory", "model", None,
                 ("md", "html", "csv", "xlsx"), ("en", "zh"),
                 "every transfer: parties, path, data, people, purpose, legal basis, mechanism, "
                 "declared safeguard, duties, gap"),
    TemplateInfo("pipl-standard-contract", "个人信息出境标准合同备案材料",
                 "PIPL standard contract filing pack", "pair", "pipl", ("md", "html"),
                 ("zh", "en"), "per exporter and overseas recipient: parties, Annex I "
                 "(个人信息出境说明), PIPIA report draft (I-IV), filing with the provincial CAC"),
    TemplateInfo("pipl-security-assessment", "数据出境安全评估申报材料",
                 "PIPL security assessment declaration", "exporter", "pipl", ("md", "html"),
                 ("zh", "en"), "per exporter: declaration summary and the data-export risk "
                 "self-assessment report draft (数据出境风险自评估报告)"),
    TemplateInfo("pipl-notice", "个人信息出境告知及单独同意", "PIPL notice and separate consent",
                 "exporter", "pipl", ("md", "html"), ("zh", "en"),
                 "per exporter: the Art. 39 notice and separate-consent text for each overseas "
                 "recipient"),
    TemplateInfo("gdpr-ropa", "Records of processing activities", "Records of processing "
                 "activities (GDPR Art. 30)", "model", "gdpr", ("md", "html"), ("en",),
                 "Art. 30(1) a-g for controllers and 30(2) a-d for processors established in the "
                 "EEA"),
    TemplateInfo("gdpr-scc-annexes", "SCC annexes", "Standard contractual clauses: annexes",
                 "pair", "gdpr", ("md", "html"), ("en",),
                 "per exporter and importer: Annex I.A parties, I.B description, I.C supervisory "
                 "authority, II measures, III sub-processors"),
    TemplateInfo("gdpr-tia", "Transfer impact assessment", "Transfer impact assessment (EDPB "
                 "Recommendations 01/2020)", "pair", "gdpr", ("md", "html"), ("en",),
                 "the EDPB six steps for each SCC transfer"),
]}

FORMATS = ("md", "html", "csv", "xlsx")


def list_templates() -> list[TemplateInfo]:
    return [TEMPLATES[k] for k in sorted(TEMPLATES)]


def templates_dir() -> Path:
    """``dataflow/templates`` in an installed wheel, ``<repo>/templates`` in a checkout."""
    pkg = Path(__file__).resolve().parent.parent
    for cand in (pkg / "templates", pkg.parent / "templates"):
        if (cand / "transfer-inventory.j2").is_file():
            return cand
    raise ReportError(f"built-in templates not found (looked in {pkg / 'templates'} and "
                      f"{pkg.parent / 'templates'})")


# --------------------------------------------------------------------------- blanks and state

BLANK_KINDS = ("model", "signature", "seal", "no-field")


@dataclasses.dataclass(frozen=True)
class Blank:
    """A fact the document needs and the model does not hold.

    ``field`` is the YAML path that would fill it (``entities.frontier.contact.phone``), or None
    when the format has no such field; ``kind`` is ``model`` (a YAML field), ``signature``,
    ``seal`` or ``no-field``. A blank is falsy; rendering it prints a numbered marker and lists it
    under "To complete".
    """

    field: str | None
    label_zh: str
    label_en: str
    kind: str = "model"
    hint: str = ""

    def __bool__(self) -> bool:
        return False

    def __str__(self) -> str:
        return str(_placeholder(self, plain=True))

    def __html__(self) -> str:
        return str(_placeholder(self))


@dataclasses.dataclass(frozen=True)
class BlankItem:
    number: int
    field: str | None
    label: str
    kind: str
    hint: str

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "field": self.field, "label": self.label,
                "kind": self.kind, "hint": self.hint}


class MdSafe(str):
    """Markdown that is already escaped (the Markdown counterpart of markupsafe.Markup)."""

    __slots__ = ()


@dataclasses.dataclass
class _State:
    lang: str
    fmt: str  # md | html | text
    numbers: dict[tuple[str, str, str], int] = dataclasses.field(default_factory=dict)
    blanks: list[tuple[int, Blank]] = dataclasses.field(default_factory=list)

    def number(self, b: Blank) -> int:
        key = (b.kind, b.field or "", b.label_en)
        n = self.numbers.get(key)
        if n is None:
            n = len(self.numbers) + 1
            self.numbers[key] = n
            self.blanks.append((n, b))
        return n

    def items(self) -> list[BlankItem]:
        return [BlankItem(n, b.field, b.label_zh if self.lang == "zh" else b.label_en, b.kind,
                          b.hint) for n, b in self.blanks]


_STATE: contextvars.ContextVar[_State | None] = contextvars.ContextVar("dataflow_render_state",
                                                                        default=None)


def _state() -> _State:
    st = _STATE.get()
    return st if st is not None else _State("en", "text")


@contextmanager
def _rendering(lang: str, fmt: str) -> Iterator[_State]:
    st = _State(lang, fmt)
    token = _STATE.set(st)
    try:
        yield st
    finally:
        _STATE.reset(token)


def _placeholder(b: Blank, plain: bool = False) -> str:
    st = _STATE.get()
    if st is None:
        return f"[TO COMPLETE: {b.label_en}]"
    n = st.number(b)
    text = f"【待补充 {n}】" if st.lang == "zh" else f"[TO COMPLETE {n}]"
    if plain or st.fmt == "text":
        return text
    if st.fmt == "html":
        return Markup('<a class="blank" href="#tc-{}">{}</a>').format(n, text)
    return MdSafe(text)


# --------------------------------------------------------------------------- escaping

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~&])")
_LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x85\u2028\u2029]+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_MD_LEADING = re.compile(r"^(\s*)([-+*=]|\d+[.)])(?=\s|$)")


def md_escape(text: str, leading: bool = True) -> str:
    """Plain text as Markdown that renders as the same text: no HTML, links, emphasis, tables,
    headings or line breaks can be injected by a value (``leading``: also a list marker at the
    start, for text that may begin a line)."""
    text = _CONTROL.sub("\ufffd", _LINE_BREAKS.sub(" ", text))
    text = _MD_SPECIAL.sub(r"\\\1", text)
    m = _MD_LEADING.match(text) if leading else None
    if m:
        text = text[: m.end(2) - 1] + "\\" + text[m.end(2) - 1:]
    return text


def _safe(text: str) -> str:
    """Mark produced markup as safe for the current format."""
    return Markup(text) if _state().fmt == "html" else MdSafe(text)


def _esc(text: str, leading: bool = True) -> str:
    st = _state()
    if st.fmt == "html":
        return escape(_CONTROL.sub("\ufffd", text))
    if st.fmt == "md":
        return MdSafe(md_escape(text, leading))
    return text


def _sep() -> str:
    return "；" if _state().lang == "zh" else "; "


class Cat(tuple):  # type: ignore[type-arg]
    """Parts shown next to each other (text and blanks), unlike a list, which is joined by '; '."""

    __slots__ = ()


def _text(v: Any, sep: str | None = None, leading: bool = True) -> str:
    """One value as safe text for the current format (blanks become their markers)."""
    st = _state()
    if isinstance(v, Blank):
        return _placeholder(v)
    if isinstance(v, Markup):
        return v if st.fmt != "md" else MdSafe(str(v))
    if isinstance(v, MdSafe):
        return v if st.fmt != "html" else escape(str(v))
    if v is None:
        return _safe("—")
    if isinstance(v, bool):
        return _esc(L("是", "yes") if v else L("否", "no"))
    if isinstance(v, Cat):
        return _safe("".join(_text(x, leading=leading and i == 0) for i, x in enumerate(v)))
    if isinstance(v, (list, tuple)):
        if not v:
            return _safe("—")
        return _safe((sep or _sep()).join(_text(x, leading=leading and i == 0)
                                          for i, x in enumerate(v)))
    if isinstance(v, dt.date):
        return _esc(v.isoformat(), leading)
    return _esc(str(v), leading)


def _cell(v: Any) -> str:
    t = _text(v, leading=False)
    if _state().fmt == "md":
        return MdSafe(re.sub(r"(?<!\\)\|", r"\\|", _LINE_BREAKS.sub(" ", t)))
    return t


def _finalize(v: Any) -> Any:
    return _text(v)


# --------------------------------------------------------------------------- template helpers

def L(zh: str, en: str) -> str:
    """The Chinese or the English text, by the document's language."""
    return zh if _state().lang == "zh" else en


def h(level: int, *parts: Any) -> str:
    text = "".join(_text(x, leading=False) for x in parts)
    level = max(1, min(int(level), 6))
    if _state().fmt == "html":
        return Markup(f"<h{level}>{text}</h{level}>\n")
    return MdSafe(f"{'#' * level} {text}\n\n")


def p(*parts: Any) -> str:
    text = "".join(_text(x, leading=i == 0) for i, x in enumerate(parts))
    if _state().fmt == "html":
        return Markup(f"<p>{text}</p>\n")
    return MdSafe(f"{text}\n\n")


def b(*parts: Any) -> str:
    text = "".join(_text(x, leading=False) for x in parts)
    core = text.strip()
    before, after = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    if _state().fmt == "html":
        return Markup(f"{before}<strong>{core}</strong>{after}")
    return MdSafe(f"{before}**{core}**{after}")


def code(value: Any) -> str:
    raw = _CONTROL.sub("\ufffd", _LINE_BREAKS.sub(" ", str(value)))
    if _state().fmt == "html":
        return Markup("<code>{}</code>").format(raw)
    ticks = "`" * (max((len(m) for m in re.findall(r"`+", raw)), default=0) + 1)
    pad = " " if raw.startswith("`") or raw.endswith("`") else ""
    return MdSafe(f"{ticks}{pad}{raw}{pad}{ticks}")


def join(items: Iterable[Any], sep: str | None = None) -> str:
    return _text(list(items), sep)


def cat(*parts: Any) -> Cat:
    return Cat(parts)


def note(*parts: Any) -> str:
    text = "".join(_text(x) for x in parts)
    if _state().fmt == "html":
        return Markup(f'<div class="note">{text}</div>\n')
    return MdSafe(f"> {text}\n\n")


def table(headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> str:
    rows = [list(r) for r in rows]
    if not rows:
        return p(L("（无）", "(none)"))
    if _state().fmt == "html":
        head = "".join(f"<th>{_text(x)}</th>" for x in headers)
        body = "".join("<tr>" + "".join(f"<td>{_cell(c)}</td>" for c in r) + "</tr>\n"
                       for r in rows)
        return Markup(f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n"
                      "</table>\n")
    out = ["| " + " | ".join(_cell(x) for x in headers) + " |",
           "|" + "|".join(" --- " for _ in headers) + "|"]
    out += ["| " + " | ".join(_cell(c) for c in r) + " |" for r in rows]
    return MdSafe("\n".join(out) + "\n\n")


def kv(rows: Iterable[Sequence[Any]]) -> str:
    """A two-column table: (label, value) rows."""
    return table([L("项目", "Item"), L("内容", "Details")], rows)


def ul(items: Iterable[Any]) -> str:
    return _list(items, ordered=False)


def ol(items: Iterable[Any]) -> str:
    return _list(items, ordered=True)


def _list(items: Iterable[Any], ordered: bool) -> str:
    items = list(items)
    if not items:
        return p(L("（无）", "(none)"))
    if _state().fmt == "html":
        tag = "ol" if ordered else "ul"
        body = "".join(f"<li>{_text(x)}</li>\n" for x in items)
        return Markup(f"<{tag}>\n{body}</{tag}>\n")
    lines = [(f"{i}. " if ordered else "- ") + _LINE_BREAKS.sub(" ", _text(x))
             for i, x in enumerate(items, 1)]
    return MdSafe("\n".join(lines) + "\n\n")


def pagebreak() -> str:
    if _state().fmt == "html":
        return Markup('<div class="page-break"></div>\n')
    return MdSafe("---\n\n")


def blank(label_zh: str, label_en: str, kind: str = "no-field", field: str | None = None,
          hint: str = "") -> Blank:
    """A blank for a template: a signature, a seal, or a fact the model format has no field for
    (``kind``); with ``field`` a YAML path, a model blank."""
    if kind not in BLANK_KINDS:
        raise ReportError(f"blank kind '{kind}' is not one of {', '.join(BLANK_KINDS)}")
    return Blank(field, label_zh, label_en, "model" if field else kind, hint)


def num(n: Any) -> str:
    if isinstance(n, bool) or not isinstance(n, int):
        return _text(n)
    return _esc(f"{n:,}")


def checkbox() -> str:
    return _safe("☐")


_CSS = """
@page { size: A4; margin: 18mm 16mm; }
:root { --ink: #1a1a1a; --muted: #555; --rule: #9a9a9a; }
html { font-size: 10.5pt; }
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC",
  "Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans", "Helvetica Neue",
  Arial, sans-serif; color: var(--ink); line-height: 1.55; max-width: 68rem; margin: 1.5rem auto;
  padding: 0 1rem; }
h1 { font-size: 1.6rem; border-bottom: 2px solid var(--ink); padding-bottom: .3rem; }
h2 { font-size: 1.3rem; margin-top: 1.8rem; border-bottom: 1px solid var(--rule); }
h3 { font-size: 1.1rem; margin-top: 1.3rem; }
h4 { font-size: 1rem; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; }
th, td { border: 1px solid var(--rule); padding: .3rem .45rem; vertical-align: top;
  text-align: left; overflow-wrap: break-word; }
th { background: #eee; white-space: nowrap; }
tr { break-inside: avoid; }
thead { display: table-header-group; }
code { font-family: "Noto Sans Mono CJK SC", "DejaVu Sans Mono", monospace; font-size: .92em;
  background: #f3f3f3; padding: 0 .2em; }
.note { border-left: 4px solid #c77d00; background: #fff7e6; padding: .5rem .8rem;
  margin: .8rem 0; }
.meta { color: var(--muted); font-size: .9rem; }
a.blank { background: #ffe98a; color: #6b3d00; text-decoration: none; font-weight: bold;
  white-space: nowrap;
  padding: 0 .15em; border-radius: 2px; }
.page-break { break-before: page; page-break-before: always; }
@media print {
  body { max-width: none; margin: 0; padding: 0; }
  a.blank { background: none; border-bottom: 1px solid #6b3d00; }
  h2, h3 { break-after: avoid; }
}
"""


def _meta_rows() -> list[tuple[str, Any]]:
    m = _META.get()
    rows: list[tuple[str, Any]] = [
        (L("模型", "Model"), m["model_display"]),
        (L("模型摘要", "Model digest"), code(m["model_digest"])),
        (L("评估日期", "Evaluation date"), m["evaluation_date"]),
        (L("报告年度", "Reporting year"), str(m["reporting_year"])),
        (L("工具版本", "Tool version"), f"dataflow {m['tool_version']}"),
        (L("目录版本", "Catalogue version"),
         f"{m['catalogue_version']} ({L('截至', 'as of')} {m['catalogue_as_of']})"),
    ]
    if m["catalogue_overlays"]:
        rows.append((L("目录覆盖项", "Catalogue overlays"), list(m["catalogue_overlays"])))
    rows.append((L("模板", "Template"), m["template"]))
    return rows


_META: contextvars.ContextVar[dict[str, Any]] = contextvars.ContextVar("dataflow_render_meta")


def begin(*title: Any) -> str:
    """Document head: title, the provenance block (digest, versions, evaluation date), the draft
    notice; for HTML the whole <head> with the printable stylesheet."""
    st = _state()
    text = "".join(_text(x) for x in title)
    meta = kv(_meta_rows())
    disclaimer = note(L(
        "本文件由 dataflow 依据上列模型自动生成，为草稿，不构成法律意见。标有“【待补充 n】”之处为模型中"
        "没有的事实，须人工补充，清单见文末“待补充事项”。",
        "Generated by dataflow from the model above: a draft, not legal advice. Each "
        "\"[TO COMPLETE n]\" marks a fact the model does not hold; the list at the end says "
        "what to supply and where."))
    if st.fmt == "html":
        lang = "zh-CN" if st.lang == "zh" else "en"
        plain = re.sub(r"<[^>]*>", "", str(text))
        return Markup(f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
                      f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                      f"<title>{plain}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
                      f"<main>\n<h1>{text}</h1>\n<div class=\"meta\">\n{meta}</div>\n"
                      f"{disclaimer}")
    return MdSafe(f"# {text}\n\n{meta}{disclaimer}")


def to_complete() -> str:
    """The closing list: every blank rendered so far, with the YAML field that would fill it."""
    st = _state()
    rows = []
    for item in st.items():
        if item.kind == "model":
            how: Any = cat(L("YAML 字段 ", "YAML field "), code(item.field or ""))
            if item.hint:
                how = cat(how, L("，并填写 ", "; fill in "), code(item.hint))
        elif item.kind == "signature":
            how = L("签字（模型格式不含此项）", "signature (not part of the model format)")
        elif item.kind == "seal":
            how = L("盖章（模型格式不含此项）", "seal (not part of the model format)")
        else:
            how = L("模型格式中没有对应字段，请在文件中直接填写",
                    "no field in the model format: fill in by hand")
        anchor = (Markup('<span id="tc-{}">{}</span>').format(item.number, item.number)
                  if st.fmt == "html" else str(item.number))
        rows.append((anchor, item.label, how))
    head = h(2, L("待补充事项", "To complete"))
    if not rows:
        return _safe(str(head) + str(p(L("（无）", "(none)"))))
    return _safe(str(head) + str(table([L("编号", "No."), L("待补充内容", "What is missing"),
                                        L("如何补充", "How to complete")], rows)))


def end() -> str:
    text = to_complete()
    if _state().fmt == "html":
        return Markup(f"{text}</main>\n</body>\n</html>\n")
    return text


# --------------------------------------------------------------------------- vocabulary

_ROLE = {"controller": ("个人信息处理者", "controller"), "processor": ("受托人", "processor"),
         "entrusted": ("受托人", "entrusted party")}
_KIND = {"service": ("服务", "service"), "database": ("数据库", "database"),
         "storage": ("存储", "storage"), "saas": ("SaaS 服务", "SaaS"),
         "analytics": ("分析系统", "analytics"), "ai-model": ("AI 模型", "AI model"),
         "relay": ("中转服务", "relay"), "gateway": ("网关", "gateway"),
         "client": ("客户端", "client"), "other": ("其他", "other")}
_METHOD_ZH = {"api": "API 接口调用", "sftp": "SFTP 文件传输", "replication": "数据库复制",
              "email": "电子邮件", "upload": "文件上传", "https": "HTTPS 传输",
              "remote-access": "远程访问"}
_FREQ_ZH = {"continuous": "持续", "real-time": "实时", "realtime": "实时", "hourly": "每小时",
            "daily": "每日", "weekly": "每周", "monthly": "每月", "quarterly": "每季度",
            "yearly": "每年", "annual": "每年", "one-off": "一次性", "on-demand": "按需",
            "ad-hoc": "不定期"}
_STATUS = {"ok": ("已满足", "satisfied"), "gap": ("存在缺口", "gap"), "exempt": ("豁免", "exempt"),
           "not-required": ("无需", "not required"), "blocked": ("受阻", "blocked")}
_MECH = {
    "pipl.standard-contract": ("个人信息出境标准合同", "PIPL standard contract"),
    "pipl.security-assessment": ("数据出境安全评估", "CAC security assessment"),
    "pipl.certification": ("个人信息保护认证", "PI protection certification"),
    "pipl.gba-contract": ("粤港澳大湾区个人信息跨境流动标准合同", "GBA standard contract"),
    "pipl.exempt": ("豁免", "exempt"),
    "gdpr.scc": ("标准合同条款（2021/914）", "standard contractual clauses (Decision 2021/914)"),
    "gdpr.adequacy": ("充分性认定", "adequacy decision (Art. 45)"),
    "gdpr.bcr": ("有约束力的公司规则", "binding corporate rules (Art. 47)"),
    "gdpr.derogation": ("第49条例外", "derogation (Art. 49)"),
    "uk-gdpr.idta": ("IDTA", "UK IDTA"), "uk-gdpr.addendum": ("UK Addendum", "UK Addendum"),
    "uk-gdpr.adequacy": ("英国充分性规定", "UK adequacy regulations"),
    "none": ("无", "none"),
}
_DUTY = {
    "pipl.pipia": ("个人信息保护影响评估", "PI protection impact assessment (PIPIA)"),
    "pipl.notice": ("向个人告知（第三十九条）", "notice to individuals (Art. 39)"),
    "pipl.separate-consent": ("取得个人单独同意", "separate consent"),
    "pipl.entrustment-agreement": ("委托处理协议（第二十一条）", "entrustment agreement (Art. 21)"),
    "pipl.guardian-consent": ("父母或监护人同意", "parent or guardian consent"),
    "gdpr.tia": ("传输影响评估", "transfer impact assessment"),
    "gdpr.dpa": ("数据处理协议", "data processing agreement (Art. 28)"),
    "gdpr.ropa-entry": ("处理活动记录", "record of processing (Art. 30)"),
}
_TIER = {"security-assessment": ("安全评估档", "security-assessment tier"),
         "standard-contract": ("标准合同/认证档", "standard-contract / certification tier"),
         "exempt": ("豁免档（不满10万人且无敏感个人信息）", "exempt tier (under 100,000, no sensitive PI)")}
_FLAG = {"failover": ("备用线路", "fail-over"), "conditional": ("条件路由", "conditional"),
         "remote-access": ("远程访问", "remote access"),
         "direct-collection": ("境外直接收集", "collected directly abroad"),
         "via-transit": ("经境外中转节点", "via a transit hop"),
         "onward": ("再转移", "onward transfer"),
         "round-trip": ("回流境内", "round trip"), "possible": ("可能出境（位置未知）",
                                                            "possible (location unknown)"),
         "anonymised": ("已匿名化", "anonymised")}
_RETENTION = re.compile(r"^\s*(\d+)\s*(day|days|week|weeks|month|months|year|years)\s*$", re.I)
_UNIT_ZH = {"day": "天", "week": "周", "month": "个月", "year": "年"}


def _pick(table_: dict[str, tuple[str, str]], key: str | None, lang: str) -> str:
    if key is None:
        return "—"
    zh, en = table_.get(key, (key, key))
    return zh if lang == "zh" else en


def _vocab(kind: str) -> Callable[[str | None], str]:
    tables = {"role": _ROLE, "kind": _KIND, "status": _STATUS, "mechanism": _MECH,
              "duty": _DUTY, "tier": _TIER, "flag": _FLAG}

    def fn(key: str | None) -> str:
        return _pick(tables[kind], key, _state().lang)
    return fn


def _method_text(value: str, lang: str) -> str:
    return _METHOD_ZH.get(value.lower(), value) if lang == "zh" else value


def _freq_text(value: str, lang: str) -> str:
    return _FREQ_ZH.get(value.lower(), value) if lang == "zh" else value


def _retention_text(value: str, lang: str) -> str:
    m = _RETENTION.match(value)
    if lang == "zh" and m:
        unit = m.group(2).lower().rstrip("s")
        return f"{m.group(1)} {_UNIT_ZH[unit]}"
    return value


HELPERS: dict[str, Any] = {
    "L": L, "h": h, "p": p, "b": b, "code": code, "join": join, "cat": cat, "note": note,
    "table": table, "kv": kv, "ul": ul, "ol": ol, "pagebreak": pagebreak, "blank": blank,
    "num": num, "checkbox": checkbox, "begin": begin, "end": end, "to_complete": to_complete,
    "role_name": _vocab("role"), "kind_name": _vocab("kind"), "status_name": _vocab("status"),
    "mechanism_name": _vocab("mechanism"), "duty_name": _vocab("duty"),
    "tier_name": _vocab("tier"), "flag_name": _vocab("flag"),
}


# --------------------------------------------------------------------------- context: parties

def _fb(field: str, zh: str, en: str, hint: str = "") -> Blank:
    return Blank(field, zh, en, "model", hint)


def _manual(zh: str, en: str, kind: str = "no-field") -> Blank:
    return Blank(None, zh, en, kind)


def _jname(model: ResolvedModel, code_: str, lang: str) -> str:
    if code_ == "unknown":
        return "未知" if lang == "zh" else "unknown"
    j = model.catalogue.jurisdictions.get(code_)
    if j is None:
        return code_
    if lang == "zh":
        return j.name_zh or j.name_en
    return j.name_en


def _place_text(model: ResolvedModel, raw: str, lang: str) -> str:
    r = model.catalogue.resolve_location(raw)
    if r is None:
        return raw
    if r.jurisdiction == "unknown":
        return "位置未知（unknown）" if lang == "zh" else "location unknown"
    name = _jname(model, r.jurisdiction, lang)
    if raw == r.jurisdiction:
        return name
    if raw == r.subdivision:
        sub = model.catalogue.jurisdictions.get(raw)
        sub_name = (sub.name_zh if lang == "zh" else sub.name_en) if sub is not None else None
        if not sub_name:
            return f"{name}（{raw}）" if lang == "zh" else f"{name} ({raw})"
        return f"{name}{sub_name}" if lang == "zh" else f"{sub_name}, {name}"
    region = model.catalogue.regions.get(raw) if r.region else None
    detail = raw + (f", {region.name}" if region is not None and region.name else "")
    return f"{name}（{detail}）" if lang == "zh" else f"{name} ({detail})"


def _party(model: ResolvedModel, eid: str, lang: str) -> dict[str, Any]:
    ent = model.entities.get(eid)
    jur = model.entity_jurisdiction(eid)
    mainland = model.catalogue.in_area(jur, "CN") if jur != "unknown" else False
    name = (ent.name if ent and ent.name else eid)
    name_zh = ent.name_zh if ent else None
    display = (name_zh or name) if lang == "zh" else name
    who_zh, who_en = name_zh or name, name

    def f(value: Any, path: str, zh: str, en: str) -> Any:
        if value not in (None, ""):
            return value
        return _fb(f"entities.{eid}.{path}", f"{who_zh}的{zh}", f"{en} of {who_en}")

    contact = (ent.contact if ent and ent.contact else None) or Contact()
    province = ent.province if ent else None
    cac = model.catalogue.provincial_cac(province) if province else None
    authority: dict[str, Any]
    if cac:
        authority = {"zh": cac.get("cac_name_zh"), "en": cac.get("cac_name_en"),
                     "display": cac.get("cac_name_zh") if lang == "zh" else
                     f"{cac.get('cac_name_en')} ({cac.get('cac_name_zh')})"}
    elif mainland:
        missing = _fb(f"entities.{eid}.province", f"{who_zh} 所在省份（决定备案的省级网信部门）",
                      f"province of {who_en} (decides the provincial CAC)")
        authority = {"zh": None, "en": None, "display": missing}
    else:
        # a PI processor outside the mainland files with "the provincial CAC where the processor
        # is located" (regulatory.md §2.8), which the model cannot name: an honest blank
        authority = {"zh": None, "en": None, "display": _manual(
            f"备案机关：{who_zh} 位于中国大陆境外，应向哪一省级网信部门备案须向网信部门确认"
            "（标准合同办法第7条：个人信息处理者所在地省级网信部门）",
            f"filing authority: {who_en} is located outside mainland China; confirm with the CAC "
            "which provincial CAC receives its filing (SCC Measures Art. 7: the provincial CAC "
            "where the PI processor is located)")}
    parent = ent.parent if ent else None
    return {
        "id": eid, "name": name, "name_zh": name_zh, "display": display,
        "legal_name_zh": name_zh if (name_zh or not mainland) else f(None, "name_zh",
                                                                      "中文名称", "Chinese name"),
        "legal_display": ((name_zh or (Cat((name, f(None, "name_zh", "中文名称", "Chinese name")))
                                       if mainland else name)) if lang == "zh" else
                          (f"{name} ({name_zh})" if name_zh else name)),
        "jurisdiction": jur, "jurisdiction_name": _jname(model, jur, lang),
        "mainland": mainland, "province": province,
        "province_name": _jname(model, province, lang) if province else None,
        "address": f(ent.address if ent else None, "address", "地址", "address"),
        "contact": {
            "name": f(contact.name, "contact.name", "联系人", "contact person"),
            "title": f(contact.title, "contact.title", "联系人职务", "contact person's title"),
            "email": f(contact.email, "contact.email", "电子邮箱", "email"),
            "phone": f(contact.phone, "contact.phone", "联系电话", "phone"),
        },
        "credit_code": f(ent.credit_code if ent else None, "credit_code", "统一社会信用代码",
                         "unified social credit code"),
        "legal_representative": f(ent.legal_representative if ent else None,
                                  "legal_representative", "法定代表人", "legal representative"),
        "dpo": f(ent.dpo if ent else None, "dpo", "个人信息保护负责人", "data protection officer"),
        "processor_for": list(ent.processor_for) if ent else [],
        "parent": ({"id": parent, "display": _display(model, parent, lang)} if parent else None),
        "sector": ent.sector if ent else None,
        "description": ent.description if ent else None,
        "authority": authority,
        "ciio": bool(ent and ent.ciio and ent.ciio.notified),
        "dpf": (ent.dpf.model_dump(mode="json") if ent and ent.dpf else None),
    }


def _display(model: ResolvedModel, eid: str, lang: str) -> str:
    ent = model.entities.get(eid)
    if ent is None:
        return eid
    return (ent.name_zh or ent.name or eid) if lang == "zh" else (ent.name or eid)


def _system(model: ResolvedModel, node: str, lang: str) -> dict[str, Any]:
    s = model.systems.get(node)
    if s is None:  # an accessor node: accessor:<entity>@<location>
        ent, _, loc = node.removeprefix("accessor:").partition("@")
        return {"id": node, "name": (f"{_display(model, ent, lang)} 远程访问" if lang == "zh" else
                                     f"remote access by {_display(model, ent, lang)}"),
                "kind": "accessor", "kind_name": _pick(_FLAG, "remote-access", lang),
                "operator": ent, "operator_name": _display(model, ent, lang),
                "locations": [loc], "place": _place_text(model, loc, lang), "retention": None,
                "jurisdictions": []}
    name = (s.spec.name_zh or s.name) if lang == "zh" else s.name
    return {"id": node, "name": name, "kind": s.kind, "kind_name": _pick(_KIND, s.kind, lang),
            "operator": s.operator, "operator_name": _display(model, s.operator, lang),
            "locations": [pl.raw for pl in s.places],
            "place": [_place_text(model, pl.raw, lang) for pl in s.places],
            "retention": s.spec.retention, "jurisdictions": list(s.jurisdictions)}


# --------------------------------------------------------------------------- context: transfers

def _category(model: ResolvedModel, cid: str, lang: str) -> dict[str, Any]:
    info = model.categories.get(cid)
    name = info.name if info else cid
    name_zh = info.name_zh if info else None
    if lang == "zh":
        shown: Any = name_zh if name_zh else Cat((name, _fb(
            f"categories.{cid}.name_zh", f"数据类别 {cid} 的中文名称",
            f"Chinese name of category {cid}")))
    else:
        shown = name
    return {"id": cid, "name": name, "name_zh": name_zh, "display": shown,
            "label": Cat((shown, f"（{cid}）" if lang == "zh" else f" ({cid})")),
            "personal": bool(info and info.personal), "sensitive": bool(info and info.sensitive),
            "special": bool(info and info.special),
            "important_data": bool(info and info.important_data),
            "core_data": bool(info and info.core_data), "doj": info.doj if info else None}


def _cohort(model: ResolvedModel, cid: str, lang: str) -> dict[str, Any]:
    c = model.cohorts[cid]
    name = (c.name_zh or c.name or cid) if lang == "zh" else (c.name or cid)
    count = c.count if isinstance(c.count, int) else max(c.count.values())
    return {"id": cid, "name": name, "count": count, "unit": c.unit,
            "relationship": c.relationship, "minors_under_14": c.minors_under_14,
            "subset_of": c.subset_of, "series": None if isinstance(c.count, int) else
            dict(c.count)}


def _text_field(value: str | None, value_zh: str | None, base: str, key: str, lang: str,
                zh: str, en: str, has_zh: bool = True) -> Any:
    """A free-text fact with an optional Chinese version (purpose / purpose_zh).

    ``has_zh`` says whether the object has a ``<key>_zh`` field at all (flows do, access grants
    do not): a blank must only ever name a field the model format accepts."""
    if lang == "zh":
        if value_zh:
            return value_zh
        if value and has_zh:
            return Cat((value, _fb(f"{base}.{key}_zh", f"{zh}的中文表述（{base}）",
                                   f"Chinese wording of the {en} ({base})")))
        if value:
            return Cat((value, _fb(f"{base}.{key}", f"{zh}的中文表述（可直接以中文填写 {base}.{key}）",
                                   f"Chinese wording of the {en} (write {base}.{key} in "
                                   f"Chinese)")))
    elif value:
        return value
    elif value_zh:
        return value_zh
    return _fb(f"{base}.{key}", f"{zh}（{base}）", f"{en} ({base})")


def _legal_basis(model: ResolvedModel, t: Transfer, regime: str) -> list[Any]:
    key = {"pipl": "pipl", "gdpr": "gdpr", "uk-gdpr": "uk_gdpr"}.get(regime)
    if key is None:
        return []
    out = []
    for fid in t.path_flows:
        f = model.flows.get(fid)
        lb = f.legal_basis if f is not None else None
        if f is None:
            acc = model.access.get(fid.split("@", 1)[0])
            lb = acc.legal_basis if acc is not None else None
        value = getattr(lb, key) if lb is not None else None
        if value:
            out.append(f"{value} ({fid})")
    return out


@dataclasses.dataclass
class _Ctx:
    """What the context builder shares while building one language's context."""

    result: CheckResult
    lang: str
    family: CohortFamily
    parties: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)

    @property
    def model(self) -> ResolvedModel:
        return self.result.model

    def party(self, eid: str) -> dict[str, Any]:
        if eid not in self.parties:
            self.parties[eid] = _party(self.model, eid, self.lang)
        return self.parties[eid]


def _transfer_view(c: _Ctx, t: Transfer, assessments: list[Assessment]) -> dict[str, Any]:
    model, lang = c.model, c.lang
    e = t.exit_edge
    flow = model.flows.get(e.object_id) if e.kind == "flow" else None
    acc = model.access.get(e.object_id) if e.kind == "access" else None
    base = f"flows.{e.object_id}" if flow is not None else f"access.{e.object_id}"
    src = flow if flow is not None else acc
    purpose = _text_field(src.purpose if src else None, flow.purpose_zh if flow else None, base,
                          "purpose", lang, "出境目的", "purpose", has_zh=flow is not None)
    rec_sys = _system(model, t.recipient_node, lang)
    if flow is not None:
        method: Any = (_method_text(flow.method, lang) if flow.method else
                       _fb(f"{base}.method", f"传输方式（{base}）", f"transfer method ({base})"))
        frequency: Any = (_freq_text(flow.frequency, lang) if flow.frequency else
                          _fb(f"{base}.frequency", f"传输频率（{base}）",
                              f"transfer frequency ({base})"))
        if flow.retention:
            retention: Any = _retention_text(flow.retention, lang)
        elif rec_sys.get("retention"):
            retention = Cat((_retention_text(rec_sys["retention"], lang),
                             f"（接收系统 {rec_sys['id']} 的保存期限）" if lang == "zh" else
                             f" (retention of the receiving system {rec_sys['id']})"))
        else:
            retention = _fb(f"{base}.retention", f"境外接收方的保存期限（{base}）",
                            f"retention at the recipient ({base})")
        storage: Any = (_place_text(model, flow.storage_location, lang) if flow.storage_location
                        else rec_sys["place"])
        transformations = list(flow.transformations)
    else:
        loc = t.recipient_node.rsplit("@", 1)[-1]
        method = (f"自{_place_text(model, loc, lang)}远程访问" if lang == "zh" else
                  f"remote access from {_place_text(model, loc, lang)}")
        frequency = (acc.practice if acc is not None and acc.practice else
                     _fb(f"{base}.practice", f"远程访问的频率与做法（{base}）",
                         f"access practice and frequency ({base})"))
        retention = ("不在境外留存副本（远程访问）" if lang == "zh" else
                     "no copy kept abroad (remote access)")
        storage = model.systems[e.source].places and [
            _place_text(model, pl.raw, lang) for pl in model.systems[e.source].places]
        transformations = []
    path_transformations = sorted({x for fid in t.path_flows if (f := model.flows.get(fid))
                                   for x in f.transformations})
    cats = [_category(model, cid, lang) for cid in t.categories]
    minors = any(tok.cohort and model.cohorts[tok.cohort].minors_under_14 for tok in t.tokens)
    individuals = dict(t.individuals)
    people: Any = individuals["total"]
    if individuals.get("_unnamed"):
        people = Cat((f"{individuals['total']:,}", _fb(
            f"{base}.cohorts", f"未归入人群的数据所涉人数（{base} 未指明 cohorts）",
            f"the people behind data that names no cohort ({base} lists no cohorts)")))
    onward = []
    for ent, sysid, jur in t.onward:
        onward.append({"entity": ent, "display": _display(model, ent, lang), "system": sysid,
                       "system_name": _system(model, sysid, lang)["name"],
                       "jurisdiction": jur, "jurisdiction_name": _jname(model, jur, lang),
                       "outside_area": not model.catalogue.in_area(jur, t.area)})
    views = [_assessment_view(c, a) for a in assessments]
    # the GDPR SCC signatory: the controller for Modules 1-2, the sending processor for 3-4
    scc = next((a.mechanism_details.get("gdpr.scc") for a in assessments
                if a.regime == "gdpr" and a.mechanism_details.get("gdpr.scc")), None) or {}
    scc_exporter = scc.get("data_exporter") or t.sender
    scc_exporter_role = scc.get("data_exporter_role") or t.sender_role
    findings = [f.to_json() for f in c.result.findings if f.transfer == t.id]
    lb = {r: (_legal_basis(model, t, r) or _fb(
        f"{base}.legal_basis.{r}", f"{r.upper()} 合法性基础（{base}）",
        f"{r.upper()} legal basis ({base})")) for r in ("pipl", "gdpr", "uk-gdpr")}
    return {
        "id": t.id, "area": t.area, "possible": t.possible, "flags": list(t.flags),
        "flag_names": [_pick(_FLAG, x, lang) for x in t.flags],
        "exporter": c.party(t.exporter), "sender": c.party(t.sender), "sender_role": t.sender_role,
        "scc_exporter": c.party(scc_exporter), "scc_exporter_role": scc_exporter_role,
        "recipient": c.party(t.recipient), "recipient_role": t.recipient_role,
        "recipient_system": rec_sys, "sender_system": _system(model, e.source, lang),
        "jurisdictions": list(t.recipient_jurisdictions),
        "jurisdiction_names": [_jname(model, j, lang) for j in t.recipient_jurisdictions],
        "exit_edge": {"id": e.key, "type": e.kind, "object": e.object_id, "routing": e.routing,
                      "from": e.source, "to": e.target, "yaml": base},
        "path": [_system(model, n, lang) for n in t.path], "path_ids": list(t.path),
        "path_flows": list(t.path_flows),
        "categories": cats, "sensitive_categories": [x for x in cats if x["sensitive"]],
        "minors_under_14": minors,
        "cohorts": [_cohort(model, cid, lang) for cid in t.cohorts],
        "individuals": individuals, "people": people,
        "period": {"from": e.period[0].isoformat(), "to": e.period[1].isoformat()},
        "purpose": purpose, "method": method, "frequency": frequency, "retention": retention,
        "storage": storage, "transformations": transformations,
        "path_transformations": path_transformations,
        "legal_basis": lb, "onward": onward,
        "onward_outside": [o for o in onward if o["outside_area"]],
        "onward_flows": list(t.onward_edges),
        "assessments": views, "findings": findings,
        "adequacy": [_adequacy(model, j) for j in t.recipient_jurisdictions],
        "json": transfer_json(model, t),
    }


def _adequacy(model: ResolvedModel, j: str) -> dict[str, Any]:
    """The catalogue's EU adequacy entry for a destination (GDPR Art. 45), if any."""
    entry = model.catalogue.adequacy.get(j)
    out: dict[str, Any] = {"jurisdiction": j, "name": _jname(model, j, "en"),
                           "decision": None, "scope_note": None, "note": None,
                           "pending_challenge": None, "adopted": None, "as_of": None}
    if entry:
        out.update({k: entry.get(k) for k in ("decision", "scope_note", "note",
                                               "pending_challenge", "adopted", "as_of")})
    return out


def _assessment_view(c: _Ctx, a: Assessment) -> dict[str, Any]:
    model, lang = c.model, c.lang
    j = a.to_json(model)
    duties = []
    for d in a.duties:
        declared = [model.duties[x] for x in d.declared_by if x in model.duties]
        done = [x.done_on.isoformat() for x in declared if x.done_on]
        refs = [x.reference for x in declared if x.reference]
        missing = None
        if not d.declared:
            party = f", recipients: [{d.party}]" if d.party else ""
            missing = _fb("duties.<id>", f"{_pick(_DUTY, d.id, 'zh')}（{a.transfer.exporter}"
                          + (f" → {d.party}" if d.party else "") + "）未在模型中声明",
                          f"{_pick(_DUTY, d.id, 'en')} ({a.transfer.exporter}"
                          + (f" → {d.party}" if d.party else "") + ") is not declared",
                          f"duty: {d.id}, exporter: {a.transfer.exporter}{party}, done_on, "
                          "reference")
        duties.append({"id": d.id, "name": _pick(_DUTY, d.id, lang), "basis": d.basis.text(),
                       "note": d.note, "declared": d.declared, "declared_by": list(d.declared_by),
                       "done_on": done, "reference": refs, "party": d.party,
                       "party_name": _display(model, d.party, lang) if d.party else None,
                       "missing": missing})
    safeguards = []
    for sid, s in sorted(model.safeguards.items()):
        if s.exporter != a.transfer.exporter or a.transfer.recipient not in s.recipients:
            continue
        if not s.mechanism.startswith(a.regime.split("-")[0] + ".") and \
                not s.mechanism.startswith(a.regime + "."):
            continue
        safeguards.append(_safeguard_view(c, sid))
    labels = [f"{d['id']} ({d['party']})" if d["party"] else str(d["id"]) for d in duties]
    return {**j, "required_names": [_pick(_MECH, m, lang) for m in a.required],
            "status_name": _pick(_STATUS, a.status, lang), "duty_views": duties,
            "duty_labels": labels,
            "duty_missing_labels": [x for x, d in zip(labels, duties, strict=True)
                                    if not d["declared"]],
            "safeguards": safeguards, "covering": [x for x in safeguards
                                                   if x["id"] in a.declared]}


def _safeguard_view(c: _Ctx, sid: str) -> dict[str, Any]:
    s = c.model.safeguards[sid]
    deadline = None
    if s.mechanism in ("pipl.standard-contract", "pipl.gba-contract") and s.effective:
        deadline = filing_deadline(s.effective).isoformat()
    return {"id": sid, "mechanism": s.mechanism, "name": _pick(_MECH, s.mechanism, c.lang),
            "module": s.module, "exporter": s.exporter, "recipients": list(s.recipients),
            "categories": list(s.categories),
            "effective": s.effective.isoformat() if s.effective else None,
            "expires": s.expires.isoformat() if s.expires else None,
            "filed_on": s.filed_on.isoformat() if s.filed_on else None,
            "authority": s.authority, "reference": s.reference, "filing_deadline": deadline,
            "yaml": f"safeguards.{sid}"}


# --------------------------------------------------------------------------- context: PIPL

def _union_people(c: _Ctx, transfers: Sequence[Transfer]) -> dict[str, Any]:
    model = c.model
    persons: set[str] = set()
    sens: set[str] = set()
    for t in transfers:
        for tok in t.tokens:
            info = model.categories.get(tok.category)
            if not (info and info.personal) or tok.anonymised or tok.cohort is None:
                continue
            if model.cohorts[tok.cohort].unit != "persons":
                continue
            persons.add(tok.cohort)
            if info.sensitive or model.cohorts[tok.cohort].minors_under_14:
                sens.add(tok.cohort)
    total = c.family.union(persons, None)
    s = c.family.union(sens, None)
    return {"total": total.total, "sensitive": s.total, "lower": total.lower,
            "upper": total.upper, "method": "bounds" if "bounds" in (total.method, s.method)
            else "exact", "unnamed": any(t.individuals.get("_unnamed") for t in transfers)}


def _per_transfer(views: list[dict[str, Any]], key: str, lang: str) -> Any:
    """One value per transfer; labelled by exit flow when a pair has several transfers."""
    if len(views) == 1:
        return views[0][key]
    sep = "：" if lang == "zh" else ": "
    return [Cat((v["exit_edge"]["id"], sep, v[key])) for v in views]


def _pipl_pair(c: _Ctx, exporter: str, recipient: str, items: list[tuple[Transfer, Assessment]],
               views: dict[str, dict[str, Any]], exporter_row: dict[str, Any] | None
               ) -> dict[str, Any]:
    model, lang = c.model, c.lang
    tv = [views[t.id] for t, _ in items]
    av = [next(x for x in views[t.id]["assessments"] if x["regime"] == "pipl") for t, _ in items]
    people = _union_people(c, [t for t, _ in items])
    cats: dict[str, dict[str, Any]] = {}
    for v in tv:
        for x in v["categories"]:
            cats[x["id"]] = x
    cat_list = [cats[k] for k in sorted(cats)]
    sensitive = [x for x in cat_list if x["sensitive"]]
    minors = any(v["minors_under_14"] for v in tv)
    onward: dict[tuple[str, str, str], dict[str, Any]] = {}
    for v in tv:
        for o in v["onward"]:
            if not model.catalogue.in_area(o["jurisdiction"], "CN"):
                onward[(o["entity"], o["system"], o["jurisdiction"])] = o
    onward_list = [onward[k] for k in sorted(onward)]
    required = list(dict.fromkeys(m for a in av for m in a["required"]))
    statuses = {a["status"] for a in av}
    status = next((s for s in ("blocked", "gap", "ok", "exempt", "not-required")
                   if s in statuses), "gap")
    rec = c.party(recipient)
    exp = c.party(exporter)
    # safeguards naming this exporter and recipient
    sgs = [_safeguard_view(c, sid) for sid, s in sorted(model.safeguards.items())
           if s.exporter == exporter and recipient in s.recipients
           and s.mechanism.startswith("pipl.")]
    sc = [s for s in sgs if s["mechanism"] == "pipl.standard-contract"]
    hint = f"mechanism: pipl.standard-contract, exporter: {exporter}, recipients: [{recipient}]"
    if sc:
        s0 = sc[0]
        effective: Any = s0["effective"] or _fb(
            f"safeguards.{s0['id']}.effective", "标准合同生效日期", "date the contract takes "
            "effect")
        deadline: Any = s0["filing_deadline"] or _fb(
            f"safeguards.{s0['id']}.effective", "标准合同生效日期", "date the contract takes "
            "effect")
        filed: Any = (s0["filed_on"] and Cat((s0["filed_on"], (
            ("（在备案时限内）" if lang == "zh" else " (within the deadline)")
            if s0["filing_deadline"] and s0["filed_on"] <= s0["filing_deadline"] else
            ("（晚于备案截止日期）" if lang == "zh" else " (after the deadline)")
            if s0["filing_deadline"] else "")))) or _fb(
            f"safeguards.{s0['id']}.filed_on", "备案日期（尚未备案的，备案后填写）",
            "filing date (once filed)")
        reference: Any = s0["reference"] or _fb(
            f"safeguards.{s0['id']}.reference", "标准合同编号或名称", "contract reference")
    else:
        missing = _fb("safeguards.<id>", f"与 {rec['display']} 的标准合同（生效日期等）未在模型中声明",
                      f"the standard contract with {rec['name']} (effective date etc.) is not "
                      "declared", hint + ", effective, filed_on, reference")
        effective = deadline = filed = reference = missing
    authority = exp["authority"]["display"]
    duties: dict[tuple[str, str | None], dict[str, Any]] = {}
    for a in av:
        for d in a["duty_views"]:
            duties.setdefault((d["id"], d["party"]), d)
    warnings = [w for a in av for w in a["warnings"]]
    findings = [f for v in tv for f in v["findings"]]
    sep = "：" if lang == "zh" else ": "

    def both(zh: str, en: str) -> str:
        return zh if lang == "zh" else en

    processing = []
    for v in tv:
        part: list[Any] = [
            both(f"境外接收方作为{_pick(_ROLE, v['recipient_role'], 'zh')}处理",
                 f"the recipient processes as {_pick(_ROLE, v['recipient_role'], 'en')}"),
            both(f"接收系统：{v['recipient_system']['name']}（{v['recipient_system']['kind_name']}）",
                 f"receiving system: {v['recipient_system']['name']} "
                 f"({v['recipient_system']['kind_name']})")]
        if v["path_transformations"]:
            part.append(both("传输链路上的处理：", "applied on the path: ")
                        + ", ".join(v["path_transformations"]))
        processing.append(Cat((v["exit_edge"]["id"], sep, part)) if len(tv) > 1 else part)
    scale: list[Any] = [both(f"{people['total']:,} 人（不重复计数）",
                             f"{people['total']:,} individuals (distinct)")]
    if people["method"] == "bounds":
        scale.append(both(f"区间 {people['lower']:,}–{people['upper']:,} 人，按上限计",
                          f"between {people['lower']:,} and {people['upper']:,}; the upper "
                          "bound is used"))
    scale.append(both(f"其中敏感个人信息 {people['sensitive']:,} 人",
                      f"of whom {people['sensitive']:,} with sensitive PI"))
    periods = sorted({(v["period"]["from"], v["period"]["to"]) for v in tv})
    scale.append(both("统计期间：", "period: ") + ", ".join(f"{a} – {b_}" for a, b_ in periods))
    if people["unnamed"]:
        scale.append(_fb(f"flows.{tv[0]['exit_edge']['object']}.cohorts",
                         "部分数据未指明所涉人群（cohorts），人数不完整",
                         "some data names no cohort: the count is incomplete"))
    sens_value: Any
    if sensitive or minors:
        sens_value = [x["label"] for x in sensitive]
        if minors:
            sens_value.append(both("不满十四周岁未成年人的个人信息（全部视为敏感个人信息）",
                                   "PI of minors under 14 (all sensitive)"))
    else:
        sens_value = both("无", "none")
    onward_value: Any = ([Cat((o["display"], f"（{o['jurisdiction_name']}，系统 {o['system_name']}）"
                               if lang == "zh" else
                               f" ({o['jurisdiction_name']}, system {o['system_name']})"))
                          for o in onward_list] or
                         both("无（模型中境外接收方未向中华人民共和国境外第三方提供）",
                              "none (the model shows no onward provision outside the PRC)"))
    transfer_method = []
    for v in tv:
        tm = Cat((v["method"], both("；频率：", "; frequency: "), v["frequency"]))
        transfer_method.append(Cat((v["exit_edge"]["id"], sep, tm)) if len(tv) > 1 else tm)
    other: list[Any] = []
    for v in tv:
        route = " → ".join(f"{s['name']}（{s['operator_name']}）" if lang == "zh" else
                           f"{s['name']} ({s['operator_name']})" for s in v["path"])
        other.append(both(f"传输路径：{route}", f"path: {route}"))
        if v["sender"]["id"] != exporter:
            other.append(both(
                f"实际发送方：{v['sender']['display']}（{_pick(_ROLE, v['sender_role'], 'zh')}）",
                f"sent by {v['sender']['display']} ({_pick(_ROLE, v['sender_role'], 'en')})"))
        for fl in v["flags"]:
            other.append(both("标记：", "flag: ") + _pick(_FLAG, fl, lang))
    annex_values: list[Any] = [
        _per_transfer(tv, "purpose", lang), processing if len(tv) > 1 else processing[0],
        scale, [x["label"] for x in cat_list], sens_value, onward_value,
        transfer_method if len(tv) > 1 else transfer_method[0],
        _per_transfer(tv, "retention", lang), _per_transfer(tv, "storage", lang), other]
    annex = [{"no": i, "name_zh": zh, "name_en": en, "label": zh if lang == "zh" else
              f"{en}（{zh}）", "value": val}
             for i, ((zh, en), val) in enumerate(zip(ANNEX_I_FIELDS, annex_values, strict=True), 1)]
    return {
        "key": f"{exporter}/{recipient}", "exporter": exp, "recipient": rec,
        "transfers": tv, "assessments": av, "required": required,
        "required_names": [_pick(_MECH, m, lang) for m in required],
        "status": status, "status_name": _pick(_STATUS, status, lang),
        "standard_contract_available": "pipl.standard-contract" in required,
        "security_assessment_required": "pipl.security-assessment" in required,
        "people": people, "exporter_row": exporter_row, "categories": cat_list,
        "sensitive_categories": sensitive, "minors_under_14": minors, "onward": onward_list,
        "annex": annex, "safeguards": sgs, "standard_contracts": sc,
        "filing": {"authority": authority, "authority_zh": exp["authority"]["zh"],
                   "authority_en": exp["authority"]["en"], "effective": effective,
                   "deadline": deadline, "filed_on": filed, "reference": reference,
                   "rule": both(FILING_RULE_ZH, FILING_RULE_EN)},
        "duties": [duties[k] for k in sorted(duties, key=lambda k: (k[0], k[1] or ""))],
        "warnings": warnings, "findings": findings,
        "purposes": [v["purpose"] for v in tv],
        "recipient_roles": sorted({_pick(_ROLE, v["recipient_role"], lang) for v in tv}),
        "category_names": [x["display"] for x in cat_list],
        "sensitive_names": [x["display"] for x in sensitive],
    }


ANNEX_I_FIELDS: tuple[tuple[str, str], ...] = (
    ("处理目的", "Purpose of processing"),
    ("处理方式", "Method of processing"),
    ("出境个人信息的规模", "Scale of the personal information exported"),
    ("出境个人信息种类", "Categories of personal information exported"),
    ("出境敏感个人信息种类", "Categories of sensitive personal information exported"),
    ("境外接收方只向以下中华人民共和国境外第三方提供个人信息",
     "Third parties outside the PRC to which alone the overseas recipient provides the PI"),
    ("传输方式", "Transfer method"),
    ("出境后保存期限", "Retention period after export"),
    ("出境后保存地点", "Storage location after export"),
    ("其他事项", "Other matters"),
)

FILING_RULE_ZH = ("自标准合同生效之日起10个工作日内，向个人信息处理者所在地省级网信部门备案"
                  "（提交标准合同及个人信息保护影响评估报告）（《个人信息出境标准合同办法》第七条）")
FILING_RULE_EN = ("within 10 working days of the contract taking effect, file the contract and the "
                  "PIPIA report with the provincial CAC where the exporter is located (SCC "
                  "Measures Art. 7)")


def _pipl(c: _Ctx, transfers: list[Transfer], by_transfer: dict[str, list[Assessment]],
          views: dict[str, dict[str, Any]], flt: _Filter) -> dict[str, Any]:
    model = c.model
    rows = {r.exporter: r.to_json(model) for r in c.result.exporters if r.regime == "pipl"}
    pairs: dict[tuple[str, str], list[tuple[Transfer, Assessment]]] = defaultdict(list)
    # the Art. 39 notice is owed for every export of personal information, exempt ones too
    # (regulatory.md §2.6 step 6): every transfer whose assessment asks for pipl.notice
    notices: dict[tuple[str, str], list[tuple[Transfer, Assessment]]] = defaultdict(list)
    exempt: list[dict[str, Any]] = []
    for t in transfers:
        for a in by_transfer.get(t.id, []):
            if a.regime != "pipl":
                continue
            if any(d.id == "pipl.notice" for d in a.duties):
                notices[(t.exporter, t.recipient)].append((t, a))
            if a.status in ("exempt", "not-required"):
                exempt.append(views[t.id])
                continue
            pairs[(t.exporter, t.recipient)].append((t, a))
    pair_views = [_pipl_pair(c, e, r, pairs[(e, r)], views, rows.get(e))
                  for e, r in sorted(pairs)]
    by_key = {pv["key"]: pv for pv in pair_views}
    notice_views = [by_key[f"{e}/{r}"] if f"{e}/{r}" in by_key and [
                        id(a) for _, a in pairs[(e, r)]] == [id(a) for _, a in notices[(e, r)]]
                    else _pipl_pair(c, e, r, notices[(e, r)], views, rows.get(e))
                    for e, r in sorted(notices)]
    exporters = []
    for eid in sorted({e for e, _ in pairs}):
        mine = [pv for pv in pair_views if pv["exporter"]["id"] == eid]
        row = rows.get(eid)
        tier = row["tier"] if row else None
        sa = [_safeguard_view(c, sid) for sid, s in sorted(model.safeguards.items())
              if s.exporter == eid and s.mechanism == "pipl.security-assessment"]
        cats: dict[str, dict[str, Any]] = {}
        for pv in mine:
            for x in pv["categories"]:
                cats[x["id"]] = x
        important = sorted({x["id"] for x in cats.values() if x["important_data"]})
        pipia = [d for d in model.duties.values() if d.duty == "pipl.pipia" and d.exporter == eid]
        # whether a declaration is due comes from what the transfers' assessments require, not
        # from the head-count tier alone: important data and a CIIO need a security assessment
        # at any volume (Provisions Art. 7; regulatory.md §2.4, §2.5)
        sa_items = [(t, a) for e, _r in sorted(pairs) if e == eid for t, a in pairs[(e, _r)]
                    if "pipl.security-assessment" in a.required]
        sa_reasons: list[str] = []
        if sa_items:
            sa_cats = {x["id"] for t, _a in sa_items for x in views[t.id]["categories"]
                       if x["important_data"]}
            if sa_cats:
                sa_reasons.append("important-data")
            if c.party(eid).get("ciio"):
                sa_reasons.append("ciio")
            r = row or {}
            th = r.get("thresholds") or {}
            by_volume = (r.get("ordinary", 0) >= th.get("security_assessment_ordinary", 1_000_000)
                         or r.get("sensitive", 0) >= th.get("security_assessment_sensitive",
                                                            10_000))
            if by_volume or not sa_reasons:
                sa_reasons.append("volume")
        exporters.append({
            "exporter": c.party(eid), "row": row, "tier": tier,
            "tier_name": _pick(_TIER, tier, c.lang) if tier else None,
            "security_assessment_required": bool(sa_items),
            "security_assessment_reasons": sa_reasons,
            "security_assessment_transfers": [t.id for t, _a in sa_items],
            "pairs": mine, "transfers": [t for pv in mine for t in pv["transfers"]],
            "categories": [cats[k] for k in sorted(cats)],
            "important_data": important, "safeguards": sa,
            "pipia_done_on": sorted(d.done_on.isoformat() for d in pipia if d.done_on),
        })
    by_exporter = dict(zip(sorted({e for e, _ in pairs}), exporters, strict=True))
    notice_exporters: list[dict[str, Any]] = []
    notice_pairs: dict[str, list[dict[str, Any]]] = {}
    for eid in sorted({e for e, _ in notices}):
        notice_pairs[eid] = [pv for e, pv in zip(sorted(notices), notice_views, strict=True)
                             if e[0] == eid]
        base = by_exporter.get(eid) or {"exporter": c.party(eid), "row": rows.get(eid)}
        notice_exporters.append({**base, "notice_pairs": notice_pairs[eid]})
    for e, x in zip(sorted({e for e, _ in pairs}), exporters, strict=True):
        x["notice_pairs"] = notice_pairs.get(e, [])
    return {"pairs": pair_views, "exporters": exporters, "exempt_transfers": exempt,
            "notice_exporters": notice_exporters,
            "exporter_rows": [rows[k] for k in sorted(rows) if flt.exporter in (None, k)]}


# --------------------------------------------------------------------------- context: GDPR

def _gdpr_regime_available() -> bool:
    return any(r[0] == "gdpr" for r in check_module.REGIMES)


_MODULE_ROLES = {1: ("controller", "controller"), 2: ("controller", "processor"),
                 3: ("processor", "processor"), 4: ("processor", "controller")}


def _module_of(a: dict[str, Any], t: dict[str, Any]) -> int | None:
    det = (a.get("mechanism_details") or {}).get("gdpr.scc") or {}
    m = det.get("module")
    if isinstance(m, int):
        return m
    for s in a.get("covering") or a.get("safeguards") or []:
        if s.get("module"):
            return int(s["module"])
    exp_ctrl = t["sender_role"] == "controller"
    imp_ctrl = t["recipient_role"] == "controller"
    return {(True, True): 1, (True, False): 2, (False, False): 3, (False, True): 4}[
        (exp_ctrl, imp_ctrl)]


def _scc_exporter(a: dict[str, Any], t: dict[str, Any]) -> str:
    """The SCC data exporter (signatory) of a transfer view: the GDPR assessment's, else the
    sender."""
    det = (a.get("mechanism_details") or {}).get("gdpr.scc") or {}
    exp = det.get("data_exporter")
    return exp if isinstance(exp, str) and exp else str(t["sender"]["id"])


def _gdpr(c: _Ctx, transfers: list[Transfer], by_transfer: dict[str, list[Assessment]],
          views: dict[str, dict[str, Any]], flt: _Filter) -> dict[str, Any]:
    model = c.model
    assessed = []
    pairs: dict[tuple[str, str], list[tuple[dict[str, Any], dict[str, Any]]]] = defaultdict(list)
    for t in transfers:
        for a in by_transfer.get(t.id, []):
            if a.regime != "gdpr":
                continue
            v = views[t.id]
            av = next(x for x in v["assessments"] if x["regime"] == "gdpr")
            assessed.append((v, av))
            if "gdpr.scc" in a.required or "gdpr.scc" in {
                    model.safeguards[s].mechanism for s in a.declared if s in model.safeguards}:
                pairs[(t.exporter, t.recipient)].append((v, av))
    scc = []
    for (eid, rid), items in sorted(pairs.items()):
        modules = sorted({m for v, a in items if (m := _module_of(a, v)) is not None})
        # Annex I.A names the data exporter that signs: the controller for Modules 1 and 2
        # (also when its processor sends on its instructions), the processor for 3 and 4
        senders = sorted({_scc_exporter(a, v) for v, a in items})
        subs: dict[tuple[str, str], dict[str, Any]] = {}
        for v, _ in items:
            for o in v["onward"]:
                if o["entity"] in (rid, eid):
                    continue
                flows = [f for f in v["onward_flows"] if f in model.flows
                         and model.systems[model.flows[f].to].operator == o["entity"]]
                # an onward step can be an access grant (key `<id>` or `<id>@<location>`)
                grants = sorted({k.split("@", 1)[0] for k in v["onward_flows"]
                                 if k not in model.flows and k.split("@", 1)[0] in model.access
                                 and model.access[k.split("@", 1)[0]].accessor == o["entity"]})
                purposes = {_flow_purpose_en(model, f) for f in flows} | {
                    _access_purpose_en(model, g) for g in grants}
                fb_field = ("access.<id>.purpose" if grants or o["system"].startswith("accessor:")
                         else "flows.<id>.purpose")
                subs.setdefault((o["entity"], o["system"]), {
                    **o, "party": c.party(o["entity"]), "via": v["id"],
                    "purposes": sorted(purposes, key=str)
                    or [_fb(fb_field, f"purpose of the onward step to {o['display']}",
                            f"purpose of the onward step to {o['display']}")]})
        details = next((a["mechanism_details"].get("gdpr.scc") for _, a in items
                        if a["mechanism_details"].get("gdpr.scc")), None) or {}
        scc.append({
            "key": f"{eid}/{rid}", "exporter": c.party(eid), "recipient": c.party(rid),
            "senders": [c.party(s) for s in senders], "modules": modules,
            "module": modules[0] if len(modules) == 1 else None,
            "module_names": [f"Module {m} ({MODULE_NAMES.get(m, '?')})" for m in modules],
            "roles": [_MODULE_ROLES.get(m, ("?", "?")) for m in modules],
            "details": details,
            "transfers": [v for v, _ in items], "assessments": [a for _, a in items],
            "sub_processors": [subs[k] for k in sorted(subs)],
            "authority": _eea_authority(c, eid, senders),
            "measures": sorted({x for v, _ in items for x in v["path_transformations"]}),
        })
    return {"regime_available": _gdpr_regime_available(),
            "transfers": [v for v, _ in assessed], "assessments": [a for _, a in assessed],
            "scc": scc, "ropa": _ropa(c, transfers, by_transfer, flt)}


MODULE_NAMES = {1: "controller to controller", 2: "controller to processor",
                3: "processor to processor", 4: "processor to controller"}


def _eea_authority(c: _Ctx, exporter: str, senders: list[str]) -> Any:
    model = c.model
    # Clause 13(a): the authority competent for the data exporter, i.e. the signatory (the
    # sender; for module 3 the processor), then the controller it acts for
    for eid in [*senders, exporter]:
        place = c.model.entity_places.get(eid)
        j = place.jurisdiction if place is not None else "unknown"
        if j == "unknown" or not model.catalogue.in_area(j, "EEA"):
            continue
        auth = model.catalogue.eea_authorities.get(j)
        if not auth:
            continue
        out = {"country": auth.get("country"), "name": auth.get("name_en"),
               "acronym": auth.get("acronym"), "website": auth.get("website"),
               "original": list(auth.get("name_original") or []),
               "confidence": auth.get("confidence"), "as_of": auth.get("as_of"),
               "source": auth.get("source"), "entity": eid,
               "entity_name": model.entity_name(eid), "jurisdiction": j,
               "notes": auth.get("notes"), "regional": None}
        regional = auth.get("subnational") or []
        if regional:
            sub = place.subdivision if place is not None else None
            hit = next((r for r in regional if r.get("subdivision") == sub), None)
            if hit is not None:
                out["regional"] = {"name": hit.get("name_original"),
                                   "acronym": hit.get("acronym"),
                                   "subdivision": hit.get("subdivision"),
                                   "confidence": hit.get("confidence")}
            else:
                out["regional"] = _fb(
                    f"entities.{eid}.jurisdiction",
                    f"regional authority of {model.entity_name(eid)} (the state where it is "
                    "established)", f"regional authority of {model.entity_name(eid)} (the "
                    "state where it is established)",
                    f"a subdivision such as {regional[0].get('subdivision')}")
        return out
    return _manual("competent supervisory authority (the exporter is not established in the EEA: "
                   "the authority of the Member State of its Art. 27 representative)",
                   "competent supervisory authority (the exporter is not established in the EEA: "
                   "the authority of the Member State of its Art. 27 representative)")


def _ropa_source(c: _Ctx) -> tuple[str, list[dict[str, Any]]]:
    """Art. 30 entries from the GDPR regime (``ropa_entries``), or built here when the regime
    does not provide them."""
    try:
        from ..regimes import gdpr as gdpr_regime
        fn = getattr(gdpr_regime, "ropa_entries", None)
    except ImportError:
        fn = None
    if fn is not None:
        return "gdpr.ropa_entries", list(fn(c.model, c.result.analysis))
    return "dataflow.render.documents", _ropa_fallback(c)


def _ropa_fallback(c: _Ctx) -> list[dict[str, Any]]:
    """Art. 30 entries from the model alone, in the shape of ``gdpr.ropa_entries``: controllers
    and processors established in the EEA."""
    model = c.model
    eea = [eid for eid in sorted(model.entities)
           if (j := model.entity_jurisdiction(eid)) != "unknown"
           and model.catalogue.in_area(j, "EEA")]
    gdpr_transfers = [a for a in c.result.assessments if a.regime == "gdpr"]

    def party(eid: str) -> dict[str, Any]:
        ent = model.entities.get(eid)
        return {"entity": eid, "name": model.entity_name(eid),
                "established_in_eea": eid in eea, "dpo": ent.dpo if ent else None}

    def rows(items: list[Assessment]) -> list[dict[str, Any]]:
        return [{"transfer": a.transfer.id, "recipient": a.transfer.recipient,
                 "recipient_name": model.entity_name(a.transfer.recipient),
                 "third_countries": list(a.transfer.recipient_jurisdictions),
                 "mechanisms": list(a.required),
                 "module": a.mechanism_details.get("gdpr.scc", {}).get("module"),
                 "declared": [{"safeguard": s, "mechanism": model.safeguards[s].mechanism,
                               "reference": model.safeguards[s].reference}
                              for s in a.declared if s in model.safeguards],
                 "art49_second_subparagraph_safeguards": None} for a in items]

    out: list[dict[str, Any]] = []
    for eid in eea:
        mine = {fid: f for fid, f in model.flows.items() if model.flow_controller[fid] == eid
                and _personal_flow(model, fid)}
        if mine:
            recipients: list[dict[str, Any]] = []
            for f in mine.values():
                op = model.systems[f.to].operator
                if op != eid:
                    js = list(model.systems[f.to].jurisdictions)
                    recipients.append({"entity": op, "name": model.entity_name(op),
                                       "role": f.recipient_role or "recipient",
                                       "jurisdictions": js,
                                       "third_country": any(not model.catalogue.in_area(j, "EEA")
                                                            for j in js)})
            uniq = {r["entity"]: r for r in recipients}
            out.append({
                "kind": "controller", "article": "30(1)", "entity": eid,
                "a_controller": party(eid), "a_joint_controllers": [],
                "b_purposes": sorted({f.purpose for f in mine.values() if f.purpose}),
                "c_data_subjects": [{"cohort": k, "name": model.cohorts[k].name or k,
                                     "relationship": model.cohorts[k].relationship}
                                    for k in sorted({x for f in mine.values() for x in f.cohorts})],
                "c_personal_data": [{"category": k, "name": model.categories[k].name,
                                     "special": model.categories[k].special}
                                    for k in sorted({x for f in mine.values()
                                                     for x in f.categories})
                                    if k in model.categories and model.categories[k].personal],
                "d_recipients": [uniq[k] for k in sorted(uniq)],
                "e_transfers": rows([a for a in gdpr_transfers if a.transfer.exporter == eid]),
                "f_erasure": [{"flow": fid, "retention": f.retention}
                              for fid, f in sorted(mine.items()) if f.retention],
                "g_security": {"measures_in_model": sorted({m for f in mine.values()
                                                             for m in f.transformations})},
            })
        ent = model.entities[eid]
        if ent.processor_for:
            processing = []
            for ctrl in ent.processor_for:
                fl = [f for fid, f in model.flows.items() if model.flow_controller[fid] == ctrl
                      and eid in (model.systems[f.to].operator, model.systems[f.from_].operator)]
                processing.append({"controller": ctrl, "name": model.entity_name(ctrl),
                                   "purposes": sorted({f.purpose for f in fl if f.purpose}),
                                   "categories": sorted({x for f in fl for x in f.categories})})
            out.append({
                "kind": "processor", "article": "30(2)", "entity": eid,
                "a_processor": party(eid),
                "a_controllers": [party(x) for x in ent.processor_for],
                "b_processing": processing,
                "c_transfers": rows([a for a in gdpr_transfers if a.transfer.sender == eid]),
                "d_security": {"measures_in_model": []},
            })
    return out


def _ropa(c: _Ctx, transfers: list[Transfer], by_transfer: dict[str, list[Assessment]],
          flt: _Filter) -> dict[str, Any]:
    """The Art. 30 records as the templates show them: missing facts become blanks."""
    model = c.model
    source, entries = _ropa_source(c)
    toms = _manual("general description of the technical and organisational security measures "
                   "(Art. 32(1))", "general description of the technical and organisational "
                   "security measures (Art. 32(1))")

    def rep(eid: str, entry_party: dict[str, Any]) -> Any:
        if entry_party.get("representative"):
            return entry_party["representative"]
        if entry_party.get("established_in_eea", True):
            return "not required (established in the EEA)"
        return _manual(f"Art. 27 representative of {model.entity_name(eid)}",
                       f"Art. 27 representative of {model.entity_name(eid)}")

    def transfer_rows(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for r in items:
            # Art. 30(1)(e) asks for the documentation of suitable safeguards only for
            # transfers under the second subparagraph of Art. 49(1) (compelling legitimate
            # interests): a blank there unless the model records it, "not applicable" elsewhere
            second = r.get("art49_second_subparagraph")
            if second is None:  # entries without the flag (the fallback)
                second = bool(r.get("art49_second_subparagraph_safeguards"))
            docs = r.get("art49_documentation")
            out.append({
                "transfer": r.get("transfer"),
                "recipient": _display(model, r.get("recipient") or "", "en"),
                "countries": [_jname(model, j, "en") for j in r.get("third_countries") or []],
                "mechanisms": [_pick(_MECH, m, "en") for m in r.get("mechanisms") or []],
                "module": r.get("module"),
                "declared": [f"{d.get('safeguard')} ({d.get('mechanism')}"
                             + (f": {d['reference']}" if d.get("reference") else "") + ")"
                             for d in r.get("declared") or []],
                "documentation": (docs or _manual(
                    f"documentation of suitable safeguards for {r.get('transfer')} (Art. 49(1) "
                    "second subparagraph)", f"documentation of suitable safeguards for "
                    f"{r.get('transfer')} (Art. 49(1) second subparagraph)")) if second else None,
            })
        return out

    def measures(sec: dict[str, Any] | None) -> dict[str, Any]:
        return {"in_model": list((sec or {}).get("measures_in_model") or []),
                "description": toms}

    controllers = []
    processors = []
    for e in entries:
        eid = e.get("entity")
        if not isinstance(eid, str) or eid not in model.entities:
            continue
        if e.get("kind") == "controller":
            if flt.exporter not in (None, eid):
                continue
            party = c.party(eid)
            hint = f"purpose on the flows {model.entity_name(eid)} controls"
            erasure = [f"{x.get('flow') or x.get('system')}: {x.get('retention')}"
                       for x in e.get("f_erasure") or []]
            controllers.append({
                "entity": party, "article": e.get("article", "30(1)"),
                "joint_controllers": [c.party(x["entity"]) if isinstance(x, dict) else c.party(x)
                                      for x in e.get("a_joint_controllers") or []],
                "representative": rep(eid, e.get("a_controller") or {}),
                "purposes": list(e.get("b_purposes") or []) or _fb(
                    "flows.<id>.purpose", f"purposes of {party['name']}",
                    f"purposes of {party['name']}", hint),
                "data_subjects": [f"{x.get('name')} ({x.get('relationship') or 'relationship not set'})"
                                  for x in e.get("c_data_subjects") or []] or _fb(
                    "flows.<id>.cohorts", f"categories of data subjects ({party['name']})",
                    f"categories of data subjects ({party['name']})"),
                "personal_data": [f"{x.get('name')} ({x.get('category')})"
                                  + (" [special category]" if x.get("special") else "")
                                  for x in e.get("c_personal_data") or []],
                "recipients": [f"{r.get('name')} ({r.get('role')}; "
                               f"{', '.join(_jname(model, j, 'en') for j in r.get('jurisdictions') or [])}"
                               + ("; third country" if r.get("third_country") else "") + ")"
                               for r in e.get("d_recipients") or []],
                "transfers": transfer_rows(e.get("e_transfers") or []),
                "erasure": erasure or _fb("flows.<id>.retention",
                                          f"time limits for erasure ({party['name']})",
                                          f"time limits for erasure ({party['name']})",
                                          "retention on the flows, or systems.<id>.retention"),
                "security": measures(e.get("g_security")),
                "art30_5": e.get("art30_5"),
            })
        elif e.get("kind") == "processor":
            ctrls = [x.get("entity") if isinstance(x, dict) else x
                     for x in e.get("a_controllers") or []]
            if flt.exporter not in (None, eid) and flt.exporter not in ctrls:
                continue
            party = c.party(eid)
            processing = []
            for x in e.get("b_processing") or []:
                ctrl = x.get("controller")
                processing.append({
                    "controller": c.party(ctrl) if ctrl in model.entities else {"name": ctrl},
                    "purposes": list(x.get("purposes") or []) or _fb(
                        "flows.<id>.purpose", f"processing {party['name']} carries out for {ctrl}",
                        f"processing {party['name']} carries out for {ctrl}"),
                    "categories": list(x.get("categories") or [])})
            processors.append({
                "entity": party, "article": e.get("article", "30(2)"),
                "controllers": [c.party(x) for x in ctrls if isinstance(x, str)
                                and x in model.entities],
                "representative": rep(eid, e.get("a_processor") or {}),
                "processing": processing,
                "transfers": transfer_rows(e.get("c_transfers") or []),
                "security": measures(e.get("d_security")),
            })
    return {"controllers": controllers, "processors": processors, "source": source}


def _personal_flow(model: ResolvedModel, fid: str) -> bool:
    f = model.flows[fid]
    return any((info := model.categories.get(cid)) is not None and info.personal
               for cid in f.categories)


def _flow_purpose_en(model: ResolvedModel, fid: str) -> Any:
    f = model.flows[fid]
    return f.purpose or _fb(f"flows.{fid}.purpose", f"purpose ({fid})", f"purpose ({fid})")


def _access_purpose_en(model: ResolvedModel, aid: str) -> Any:
    x = model.access[aid]
    return x.purpose or _fb(f"access.{aid}.purpose", f"purpose ({aid})", f"purpose ({aid})")


# --------------------------------------------------------------------------- context: inventory

ASSESSMENT_COLUMNS = ("regime", "legal_basis", "required", "declared", "status", "gap",
                      "duties_required", "duties_missing", "filing_authority", "basis")
META_COLUMNS = ("model_digest", "tool_version", "catalogue_version", "evaluation_date")


def _inventory(c: _Ctx, transfers: list[Transfer], by_transfer: dict[str, list[Assessment]],
               meta: dict[str, Any]) -> dict[str, Any]:
    model = c.model
    rows: list[list[Any]] = []
    meta_cells = [meta["model_digest"], meta["tool_version"], meta["catalogue_version"],
                  meta["evaluation_date"]]
    for t in transfers:
        base = transfer_row(transfer_json(model, t), t.possible)
        assessments: list[Assessment | None] = [*by_transfer.get(t.id, [])] or [None]
        for a in assessments:
            if a is None:
                extra: list[Any] = [""] * len(ASSESSMENT_COLUMNS)
            else:
                lb = _legal_basis(model, t, a.regime)
                missing = [d.id + (f"@{d.party}" if d.party else "") for d in a.duties
                           if not d.declared]
                auth = (a.filing or {}).get("authority") or ""
                extra = [a.regime, ";".join(lb), ";".join(a.required), ";".join(sorted(a.declared)),
                         a.status, a.status in ("gap", "blocked"),
                         ";".join(d.id + (f"@{d.party}" if d.party else "") for d in a.duties),
                         ";".join(missing), auth, "; ".join(x.text() for x in a.basis)]
            rows.append([*base, *extra, *meta_cells])
    return {"columns": [*TRANSFER_COLUMNS, *ASSESSMENT_COLUMNS, *META_COLUMNS], "rows": rows}


# --------------------------------------------------------------------------- the context

@dataclasses.dataclass(frozen=True)
class _Filter:
    exporter: str | None = None
    recipient: str | None = None

    def match(self, t: Transfer) -> bool:
        if self.exporter and self.exporter not in (t.exporter, t.sender):
            return False
        return not (self.recipient and self.recipient != t.recipient)


def build_context(result: CheckResult, *, lang: str = "en", template: str = "custom",
                  exporter: str | None = None, recipient: str | None = None) -> dict[str, Any]:
    """The documented context (docs/templates.md) every template receives, before ``doc`` (the
    unit a built-in template renders: a PIPL pair or exporter, an SCC pair) is set."""
    model = result.model
    _check_entity(model, exporter, "--exporter")
    _check_entity(model, recipient, "--recipient")
    flt = _Filter(exporter, recipient)
    c = _Ctx(result, lang, result.analysis.family or CohortFamily(model.cohorts))
    env = envelope(model)
    meta = {
        "template": template, "lang": lang,
        "model_name": model.info.name, "model_name_zh": model.info.name_zh,
        "model_display": (model.info.name_zh or model.info.name) if lang == "zh"
        else model.info.name,
        "model_digest": model.digest, "tool_version": __version__,
        "catalogue_version": env["catalogue_version"],
        "catalogue_as_of": env["catalogue_as_of"],
        "catalogue_overlays": list(env["catalogue_overlays"]),  # type: ignore[call-overload]
        "evaluation_date": model.evaluation_date.isoformat(),
        "reporting_year": model.reporting_year,
        "exporter_filter": exporter, "recipient_filter": recipient,
    }
    # every transfer `check` assessed: the default analysis and the supplementary one the US
    # DOJ / PADFA / Hong Kong rules add (exits of jurisdictions no regime area covers), so the
    # inventory lists what check reports
    found = {t.id: t for t in [*result.analysis.transfers, *result.analysis.possible]}
    by_transfer: dict[str, list[Assessment]] = defaultdict(list)
    for a in result.assessments:
        by_transfer[a.transfer.id].append(a)
        found.setdefault(a.transfer.id, a.transfer)
    transfers = sorted((t for t in found.values() if flt.match(t)), key=lambda t: t.id)
    views = {t.id: _transfer_view(c, t, by_transfer.get(t.id, [])) for t in transfers}
    check_doc = check_json(result, env)
    ids = {t.id for t in transfers}
    return {
        "meta": meta, "lang": lang,
        "model": {"name": model.info.name, "name_zh": model.info.name_zh,
                  "display": meta["model_display"], "description": model.info.description,
                  "owner": model.info.owner, "digest": model.digest,
                  "evaluation_date": meta["evaluation_date"],
                  "reporting_year": model.reporting_year},
        "entities": {eid: c.party(eid) for eid in sorted(model.entities)},
        "transfers": [views[t.id] for t in transfers],
        # the analysed areas plus those of the supplementary analysis' transfers (e.g. CA)
        "areas": list(check_doc.get("areas") or []) + sorted(
            {t.area for t in transfers} - set(check_doc.get("areas") or [])),
        "check": check_doc,
        "assessments": [a for a in check_doc["assessments"] if a["transfer"] in ids],
        "findings": [f for f in check_doc["findings"]
                     if f["transfer"] is None or f["transfer"] in ids],
        "exporter_rows": [r for r in check_doc["exporters"]
                          if exporter in (None, r["exporter"])],
        "pipl": _pipl(c, transfers, by_transfer, views, flt),
        "gdpr": _gdpr(c, transfers, by_transfer, views, flt),
        "inventory": _inventory(c, transfers, by_transfer, meta),
        "doc": None,
    }


def _check_entity(model: ResolvedModel, eid: str | None, option: str) -> None:
    if eid is None or eid in model.entities:
        return
    guess = suggest(eid, model.entities)
    raise ReportError(f"{option}: unknown entity '{eid}'" + (f"; did you mean '{guess}'?" if guess
                                                            else ""))


# --------------------------------------------------------------------------- rendering

@dataclasses.dataclass(frozen=True)
class RenderedFile:
    name: str  # a file name (no directories), safe to join to the output folder
    format: str
    data: bytes
    template: str
    lang: str
    blanks: tuple[BlankItem, ...] = ()


def _environment(loader: jinja2.BaseLoader, fmt: str) -> jinja2.Environment:
    env = jinja2.sandbox.SandboxedEnvironment(
        loader=loader, autoescape=(fmt == "html"), undefined=jinja2.StrictUndefined,
        finalize=_finalize, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.globals.update(HELPERS)
    env.tests["blank"] = lambda v: isinstance(v, Blank)
    env.filters["num"] = num
    env.filters["code"] = code
    return env


_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


NAME_PART_MAX = 80   # characters of one id in a document's file name
FILE_STEM_MAX = 200  # characters of a whole file name before its extension


def safe_name(part: str, limit: int = NAME_PART_MAX) -> str:
    """A file-name component from an id: no separators, no leading or trailing dots, at most
    ``limit`` characters. A short id is kept as it is; an id that had to be cut (or a valid id
    that lost a trailing '-', '.' or '_') gets 8 hex digits of its SHA-256, so that two ids
    sharing a long prefix, or ``recv`` and ``recv-``, never share a file name."""
    out = _SAFE_NAME.sub("_", part).strip("._-")
    if len(out) <= limit and (out == part or not is_valid_id(part)):
        return out or "_"
    digest = hashlib.sha256(part.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{out[:limit - 9].rstrip('._-') or '_'}-{digest}"


def safe_file_name(name: str) -> str:
    """A file name (stem and extension) safe to write: the stem through :func:`safe_name` with
    room for a whole document name, the extension kept (never cut)."""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ext = _SAFE_NAME.sub("", ext)[:16]
    stem = safe_name(stem, FILE_STEM_MAX)
    return f"{stem}.{ext}" if ext else stem


def name_collisions(names: Iterable[str]) -> list[str]:
    """Names that would land in one file (compared case-insensitively, as on macOS and
    Windows)."""
    seen: dict[str, str] = {}
    out: list[str] = []
    for n in names:
        key = n.casefold()
        if key in seen:
            out.append(f"{seen[key]} and {n}")
        else:
            seen[key] = n
    return out


def _units(info: TemplateInfo, ctx: dict[str, Any]) -> list[tuple[tuple[str, ...], Any]]:
    if info.scope == "model":
        return [((), None)]
    if info.name == "pipl-notice":  # every exporter of PI, exempt exports included
        items = ctx["pipl"]["notice_exporters"]
    elif info.regime == "pipl":
        items = ctx["pipl"]["pairs"] if info.scope == "pair" else ctx["pipl"]["exporters"]
    else:
        items = ctx["gdpr"]["scc"]
    out: list[tuple[tuple[str, ...], Any]] = []
    for it in items:
        if info.scope == "pair":
            out.append(((it["exporter"]["id"], it["recipient"]["id"]), it))
        else:
            out.append(((it["exporter"]["id"],), it))
    return out or [((), None)]


def _normalise(text: str, fmt: str) -> str:
    lines = [ln.rstrip() for ln in text.replace("\r\n", "\n").split("\n")]
    out = "\n".join(lines)
    out = re.sub(r"\n{3,}", "\n\n", out).strip("\n") + "\n"
    return out


def render_report(result: CheckResult, template: str | Path, *, lang: str | None = None,
                  formats: Sequence[str] | None = None, exporter: str | None = None,
                  recipient: str | None = None) -> list[RenderedFile]:
    """Render a built-in template (by name) or a custom template file, entirely in memory.

    Raises :class:`ReportError` for an unknown template, entity, language or format, and for a
    template that fails to render (nothing is returned then)."""
    custom = _custom_path(template)
    if custom is not None:
        info = TemplateInfo(safe_name(custom.name.split(".")[0]), custom.name, custom.name,
                            "model", None, ("md", "html"), ("en", "zh"), "custom template")
        loader: jinja2.BaseLoader = jinja2.FileSystemLoader([str(custom.parent),
                                                             str(templates_dir())])
        source_name = custom.name
        fmts = list(formats or [_custom_format(custom)])
    else:
        name = str(template)
        if name not in TEMPLATES:
            guess = suggest(name, TEMPLATES)
            raise ReportError(f"unknown template '{name}'" + (
                f"; did you mean '{guess}'?" if guess else "") + " (dataflow report --list)")
        info = TEMPLATES[name]
        loader = jinja2.FileSystemLoader(str(templates_dir()))
        source_name = f"{info.name}.j2"
        fmts = list(formats or info.formats)
    for f in fmts:
        if f not in info.formats:
            raise ReportError(f"template '{info.name}' has no {f} format (it renders "
                              f"{', '.join(info.formats)})")
    use_lang = lang or info.default_lang
    if use_lang not in info.langs:
        use_lang = info.default_lang
    ctx = build_context(result, lang=use_lang, template=info.name, exporter=exporter,
                        recipient=recipient)
    files: list[RenderedFile] = []
    used: set[str] = set()
    envs = {f: _environment(loader, f) for f in fmts if f in ("md", "html")}
    for key, unit in (_units(info, ctx) if custom is None else [((), None)]):
        stem = "_".join([info.name, *(safe_name(k) for k in key)])
        if stem.casefold() in used:
            raise ReportError(f"two documents of {info.name} would be written to one file "
                              f"'{stem}' (ids {', '.join(key)}); nothing written")
        used.add(stem.casefold())
        for fmt in fmts:
            if fmt in ("csv", "xlsx"):
                files.append(_table_file(ctx, info, stem, fmt, use_lang))
                continue
            data, items = _render_one(envs[fmt], source_name, {**ctx, "doc": unit, "fmt": fmt},
                                      use_lang, fmt)
            files.append(RenderedFile(f"{stem}.{fmt}", fmt, data.encode("utf-8"), info.name,
                                      use_lang, tuple(items)))
    return files


def _render_one(env: jinja2.Environment, source: str, ctx: dict[str, Any], lang: str,
                fmt: str) -> tuple[str, list[BlankItem]]:
    meta_token = _META.set(ctx["meta"])
    try:
        with _rendering(lang, fmt) as st:
            try:
                text = env.get_template(source).render(ctx)
            except jinja2.TemplateError as exc:
                line = getattr(exc, "lineno", None)
                where = f" (line {line})" if line else ""
                raise ReportError(f"template {source}{where}: {type(exc).__name__}: "
                                  f"{exc}") from exc
            return _normalise(text, fmt), st.items()
    finally:
        _META.reset(meta_token)


def _table_file(ctx: dict[str, Any], info: TemplateInfo, stem: str, fmt: str,
                lang: str) -> RenderedFile:
    inv = ctx["inventory"]
    if fmt == "csv":
        data = to_csv(inv["columns"], inv["rows"]).encode("utf-8")
    else:
        from .xlsx import inventory_workbook
        data = inventory_workbook(inv["columns"], inv["rows"], ctx["meta"])
    return RenderedFile(f"{stem}.{fmt}", fmt, data, info.name, lang)


def _custom_path(template: str | Path) -> Path | None:
    s = str(template)
    if isinstance(template, Path) or "/" in s or "\\" in s or s.endswith(".j2") or \
            s.endswith((".md", ".html", ".jinja", ".jinja2")):
        path = Path(s)
        if not path.is_file():
            raise ReportError(f"template file '{s}' not found")
        return path.resolve()
    return None


def _custom_format(path: Path) -> str:
    return "html" if ".html" in path.suffixes or ".htm" in path.suffixes else "md"
