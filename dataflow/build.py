"""``dataflow build``: everything a user needs about a model, in one folder.

:func:`build` is pure: it runs the analysis and the check once and renders every output in
memory — the diagrams (DOT, and SVG when Graphviz is installed), the transfer inventory, each
filing pack that applies, the HTML report (and PDFs with ``pdf=True``), ``transfers.json`` and
``check.json`` (the same bytes as ``dataflow transfers --format json`` and ``dataflow check
--format json``). :func:`write_folder` then puts the folder in place in one step: the files are
written into a temporary sibling folder that is renamed over the target, so a failure never
leaves a half-written folder, and a previous build is replaced whole (no stale files).

Layout::

    DIR/report.html            the self-contained HTML report (report.pdf with pdf=True)
    DIR/check.json             dataflow check --format json
    DIR/transfers.json         dataflow transfers --format json
    DIR/transfers.csv          dataflow transfers --format csv
    DIR/diagrams/              overview.dot/.svg, transfers.dot/.svg
    DIR/documents/             transfer-inventory.{md,html,csv,xlsx} and the filing packs
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from .api import envelope
from .check import CheckResult, check, check_json
from .jsonio import dumps_json
from .regimes.base import CheckOptions, Finding
from .render.diagram import render_dot
from .render.documents import (
    TEMPLATES,
    RenderedFile,
    ReportError,
    name_collisions,
    render_report,
    safe_name,
)
from .render.html_report import (
    MAX_TRANSFER_DIAGRAMS,
    Diagram,
    DocumentLink,
    GraphvizDrawer,
    render_html_report,
)
from .render.tables import transfers_csv
from .resolve import ResolvedModel
from .transfers import analyse, analysis_json

__all__ = ["BuildError", "BuildOptions", "BuildResult", "OutputFile", "build", "check_folder",
           "write_folder"]

MARKERS = ("report.html", "check.json", "transfers.json")  # what makes a folder a dataflow build




class BuildError(RuntimeError):
    """The output folder cannot be used (exists as a file, holds other files, holds the model)."""


@dataclass(frozen=True)
class BuildOptions:
    areas: tuple[str, ...] | None = None
    check: CheckOptions = field(default_factory=CheckOptions)
    pdf: bool = False
    max_transfer_diagrams: int = MAX_TRANSFER_DIAGRAMS


@dataclass(frozen=True)
class OutputFile:
    path: str  # relative, POSIX separators
    data: bytes
    kind: str  # report | data | diagram | document | pdf
    label: str
    group: str = "other"  # where the report lists it: data | diagrams | inventory | pipl | gdpr

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class BuildResult:
    result: CheckResult
    files: list[OutputFile]
    warnings: list[str]
    check_doc: dict[str, Any]
    transfers_doc: dict[str, Any]

    def failing(self, fail_on: str = "error") -> list[Finding]:
        return self.result.failing(fail_on)

    def file(self, path: str) -> OutputFile | None:
        return next((f for f in self.files if f.path == path), None)


# --------------------------------------------------------------------------- documents

def _wanted_documents(result: CheckResult) -> dict[str, set[str] | None]:
    """Template name → the file stems that apply (``None``: the whole template applies).

    The inventory always applies. PIPL packs follow the PIPL assessments that are not exempt:
    the standard contract per exporter and recipient that may use it, the security assessment
    per exporter that needs it; the notice per exporter owing a notice or separate consent,
    exempt exports included (the Art. 39 notice is owed for every export, docs/templates.md).
    GDPR: the records of processing whenever GDPR assesses a transfer; the SCC annexes and the
    transfer impact assessment per exporter and importer relying on SCCs."""
    want: dict[str, set[str] | None] = {"transfer-inventory": None}
    model = result.model
    for a in result.assessments:
        t = a.transfer
        if a.regime == "pipl" and any(d.id in ("pipl.notice", "pipl.separate-consent")
                                      for d in a.duties):
            _add(want, "pipl-notice", f"pipl-notice_{safe_name(t.exporter)}")
        if a.regime == "pipl" and a.status not in ("exempt", "not-required"):
            pair = f"{safe_name(t.exporter)}_{safe_name(t.recipient)}"
            if "pipl.standard-contract" in a.required:
                _add(want, "pipl-standard-contract", f"pipl-standard-contract_{pair}")
            if "pipl.security-assessment" in a.required:
                _add(want, "pipl-security-assessment",
                     f"pipl-security-assessment_{safe_name(t.exporter)}")
        elif a.regime == "gdpr":
            want["gdpr-ropa"] = None
            declared = {model.safeguards[s].mechanism for s in a.declared
                        if s in model.safeguards}
            if "gdpr.scc" in a.required or "gdpr.scc" in declared:
                pair = f"{safe_name(t.exporter)}_{safe_name(t.recipient)}"
                _add(want, "gdpr-scc-annexes", f"gdpr-scc-annexes_{pair}")
                _add(want, "gdpr-tia", f"gdpr-tia_{pair}")
    return {k: want[k] for k in want if k in TEMPLATES}


def _add(want: dict[str, set[str] | None], template: str, stem: str) -> None:
    have = want.setdefault(template, set())
    if have is not None:
        have.add(stem)


def _documents(result: CheckResult, warnings: list[str]) -> list[RenderedFile]:
    out: list[RenderedFile] = []
    for template, stems in _wanted_documents(result).items():
        try:
            files = render_report(result, template)
        except ReportError as exc:
            warnings.append(f"document {template} not written: {exc}")
            continue
        if stems is None:
            out.extend(files)
            continue
        kept = [f for f in files if f.name.rsplit(".", 1)[0] in stems]
        missing = sorted(stems - {f.name.rsplit(".", 1)[0] for f in kept})
        if missing:
            warnings.append(f"document {template}: no file for {', '.join(missing)}")
        out.extend(kept)
    return out


def _doc_label(f: RenderedFile) -> str:
    info = TEMPLATES.get(f.template)
    title = info.title_en if info else f.template
    parts = f.name.rsplit(".", 1)[0].split("_")[1:]
    return f"{title}: {' → '.join(parts)}" if parts else title


def _doc_group(f: RenderedFile) -> str:
    if f.template == "transfer-inventory":
        return "inventory"
    info = TEMPLATES.get(f.template)
    return info.regime if info is not None and info.regime in ("pipl", "gdpr") else "other"


# --------------------------------------------------------------------------- build

def build(model: ResolvedModel, options: BuildOptions | None = None) -> BuildResult:
    """Every output of a build, in memory. Raises :class:`~dataflow.render.diagram.DiagramError`
    or :class:`~dataflow.render.documents.ReportError` for usage problems, and
    :class:`~dataflow.render.pdf.PdfUnavailable` when ``pdf`` is asked without WeasyPrint."""
    options = options or BuildOptions()
    if options.pdf:
        from .render.pdf import ensure_available
        ensure_available()  # fail before the work, not after it
    analysis = analyse(model, options.areas)
    result = check(model, analysis, options=options.check)
    head = envelope(model)
    transfers_doc = analysis_json(analysis, head)
    check_doc = check_json(result, envelope(model))
    warnings: list[str] = []
    files: list[OutputFile] = [
        OutputFile("check.json", dumps_json(check_doc).encode("utf-8"), "data",
                   "check results (dataflow check --format json)", "data"),
        OutputFile("transfers.json", dumps_json(transfers_doc).encode("utf-8"), "data",
                   "transfers (dataflow transfers --format json)", "data"),
        OutputFile("transfers.csv", transfers_csv(transfers_doc).encode("utf-8"), "data",
                   "transfers, one row each (CSV)", "data"),
    ]

    drawer = GraphvizDrawer()
    diagrams: list[Diagram] = []
    views = (("overview", "Overview: systems, flows and where data leaves"),
             ("transfers", "Transfers: every exit and the paths that lead to it"))
    dots = [(key, title, render_dot(model, analysis, view=key)) for key, title in views]
    svgs = drawer([dot for _, _, dot in dots])
    for (key, title, dot), svg in zip(dots, svgs, strict=True):
        links = [DocumentLink(f"diagrams/{key}.dot", f"{key} diagram", "diagrams", "dot")]
        files.append(OutputFile(f"diagrams/{key}.dot", dot.encode("utf-8"), "diagram",
                                links[0].label, "diagrams"))
        if svg is not None:
            links.insert(0, DocumentLink(f"diagrams/{key}.svg", f"{key} diagram", "diagrams",
                                         "svg"))
            files.append(OutputFile(f"diagrams/{key}.svg", svg.encode("utf-8"), "diagram",
                                    links[0].label, "diagrams"))
        diagrams.append(Diagram(key, title, dot, tuple(links)))

    documents = _documents(result, warnings)
    for d in documents:
        files.append(OutputFile(f"documents/{d.name}", d.data, "document", _doc_label(d),
                                _doc_group(d)))
    pdf_docs: list[tuple[OutputFile, str]] = []
    if options.pdf:
        from .render.pdf import html_to_pdf
        for d in documents:
            if d.format == "html":
                path = f"documents/{d.name[:-len('.html')]}.pdf"
                pdf_docs.append((OutputFile(path, b"", "pdf", _doc_label(d), _doc_group(d)),
                                 d.data.decode("utf-8")))
    links = _links([*files, *(f for f, _ in pdf_docs)], options.pdf)
    html = render_html_report(result, check_doc=check_doc, transfers_doc=transfers_doc,
                              documents=links, diagrams=diagrams, draw=drawer,
                              max_transfer_diagrams=options.max_transfer_diagrams,
                              notes=warnings)
    files.insert(0, OutputFile("report.html", html.encode("utf-8"), "report", "the HTML report",
                               "report"))

    if drawer.missing:
        warnings.append(f"diagrams written as DOT only: {drawer.missing}")
    warnings.extend(dict.fromkeys(drawer.errors))

    if options.pdf:
        printable = render_html_report(result, check_doc=check_doc, transfers_doc=transfers_doc,
                                       documents=links, diagrams=diagrams, draw=drawer,
                                       max_transfer_diagrams=options.max_transfer_diagrams,
                                       notes=warnings, print_mode=True)
        files.insert(1, OutputFile("report.pdf", html_to_pdf(printable), "pdf",
                                   "this report as PDF", "report"))
        for f, source in pdf_docs:
            files.append(OutputFile(f.path, html_to_pdf(source), "pdf", f.label, f.group))
    return BuildResult(result, files, warnings, check_doc, transfers_doc)


def _links(files: Sequence[OutputFile], pdf: bool) -> list[DocumentLink]:
    out = [DocumentLink("report.pdf", "this report as PDF", "report", "pdf")] if pdf else []
    for f in files:
        if f.kind != "report":
            out.append(DocumentLink(f.path, f.label, f.group, f.path.rsplit(".", 1)[-1]))
    return sorted(out, key=lambda d: (d.group, d.path))


# --------------------------------------------------------------------------- writing

def check_folder(out: Path, model_path: Path | None = None, *, force: bool = False) -> Path:
    """The folder a build may replace, resolved; :class:`BuildError` when it may not."""
    target = out.resolve() if out.is_symlink() else out.absolute()
    if target.exists() and not target.is_dir():
        raise BuildError(f"{out} exists and is not a folder")
    tgt = target.resolve()
    if model_path is not None:
        model = model_path.resolve()
        if model == tgt or tgt in model.parents:
            raise BuildError(f"{out} holds the model itself; choose another output folder")
    here = Path.cwd().resolve()
    if tgt == here or tgt in here.parents:
        raise BuildError(f"{out} is the current folder or one above it; choose a new folder")
    if target.is_dir() and not force:
        entries = [p.name for p in target.iterdir()]
        if entries and not all((target / m).exists() for m in MARKERS):
            raise BuildError(f"{out} holds files that are not a dataflow build; choose an empty "
                             "or new folder (or pass --force to replace it)")
    return target


def write_folder(files: Sequence[OutputFile], out: Path) -> None:
    """Write the files into a temporary sibling of ``out`` and rename it into place; a
    previous folder is swapped out and removed only once the new one is there."""
    clash = name_collisions(f.path for f in files)
    if clash:  # never let one output overwrite another
        raise BuildError(f"two outputs would be written to one file ({clash[0]}); nothing "
                         "written")
    target = out.absolute()
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent))
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)
        for f in files:
            rel = PurePosixPath(f.path)
            if rel.is_absolute() or ".." in rel.parts:
                raise BuildError(f"refusing to write outside the folder: {f.path}")
            dest = tmp.joinpath(*rel.parts)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(f.data)
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=parent))
            os.rmdir(old)
            os.rename(target, old)
            try:
                os.rename(tmp, target)
            except BaseException:
                os.rename(old, target)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
