"""The self-contained HTML report: golden bytes, escaping, self-containment, accessibility
basics, the diagram cap, inline SVG hygiene, and the PDF helper (compared by extracted text)."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from dataflow.api import load
from dataflow.check import CheckResult, check
from dataflow.render.html_report import DocumentLink, dot_digest, inline_svg, render_html_report
from dataflow.transfers import analyse

from .conftest import compare_golden

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "report"
CI = bool(os.environ.get("CI"))

# a fixed list of build-folder files, so that the golden covers the documents section without
# depending on which documents another module renders today
LINKS = (
    DocumentLink("report.pdf", "this report as PDF", "report", "pdf"),
    DocumentLink("check.json", "check results", "data", "json"),
    DocumentLink("transfers.json", "transfers", "data", "json"),
    DocumentLink("diagrams/overview.svg", "overview diagram", "diagrams", "svg"),
    DocumentLink("diagrams/overview.dot", "overview diagram", "diagrams", "dot"),
    DocumentLink("documents/transfer-inventory.html", "Transfer inventory", "inventory", "html"),
    DocumentLink("documents/transfer-inventory.xlsx", "Transfer inventory", "inventory", "xlsx"),
    DocumentLink("documents/pipl-standard-contract_acme_frontier.html",
                 "PIPL standard contract: acme → frontier", "pipl", "html"),
)


def digest_draw(dots: Sequence[str]) -> list[str | None]:
    """Each picture replaced by the sha256 of its DOT: the golden does not depend on the fonts
    or the Graphviz build of the machine."""
    return [f'<svg xmlns="http://www.w3.org/2000/svg" width="10pt" height="10pt">'
            f"<text>dot-sha256:{dot_digest(d)}</text></svg>" for d in dots]


def no_draw(dots: Sequence[str]) -> list[str | None]:
    return [None for _ in dots]


def _result(path: str | Path) -> CheckResult:
    model = load(path)
    return check(model, analyse(model))


@pytest.fixture(scope="module")
def relay() -> CheckResult:
    old = Path.cwd()
    os.chdir(ROOT)  # findings name files relative to the working folder
    try:
        return _result("examples/ai-relay")
    finally:
        os.chdir(old)


@pytest.fixture(scope="module")
def relay_html(relay: CheckResult) -> str:
    return render_html_report(relay, documents=LINKS, draw=digest_draw)


def test_golden_report(relay_html: str, update_golden: bool) -> None:
    compare_golden(GOLDEN / "ai-relay.html", relay_html, update_golden)


def test_each_picture_is_the_digest_of_its_dot(relay: CheckResult, relay_html: str) -> None:
    from dataflow.render.diagram import render_dot

    figures = re.findall(r'<figure class="diagram[^"]*"[^>]*data-dot-sha256="([0-9a-f]{64})"'
                         r".*?dot-sha256:([0-9a-f]{64})", relay_html, re.S)
    assert len(figures) == 2 + len(relay.analysis.transfers) + len(relay.analysis.possible)
    assert all(a == b for a, b in figures)
    want = dot_digest(render_dot(relay.model, relay.analysis, view="overview"))
    assert want in {a for a, _ in figures}


def test_deterministic(relay: CheckResult, relay_html: str) -> None:
    assert render_html_report(relay, documents=LINKS, draw=digest_draw) == relay_html
    assert not re.search(r"\d{2}:\d{2}:\d{2}", relay_html)  # no clock time


def test_self_contained(relay_html: str) -> None:
    assert not re.search(r"<script[^>]+src=", relay_html, re.I)
    assert not re.search(r"<link\b", relay_html, re.I)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", relay_html, re.I)
    assert "@import" not in relay_html and "url(http" not in relay_html
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', relay_html)
    assert csp and "default-src &#39;none&#39;" in csp.group(1)
    script = re.search(r"<script>(.*?)</script>", relay_html, re.S)
    assert script is not None
    digest = base64.b64encode(hashlib.sha256(script.group(1).encode()).digest()).decode()
    assert f"sha256-{digest}" in csp.group(1), "the CSP must allow exactly the report's script"
    assert len(re.findall(r"<script\b", relay_html)) == 1


def test_content(relay: CheckResult, relay_html: str) -> None:
    html = relay_html
    for t in relay.analysis.transfers:
        assert f'data-id="{t.id}"' in html
        assert f">{t.id}</span>" in html  # its detail
    assert "浙江省互联网信息办公室" in html  # where to file
    assert "reached 2026-01-01" in html  # when the tier was crossed
    assert "Decision trace" in html and "5. volume" in html
    assert "examples/ai-relay/platform-team.yaml:61:3" in html  # file:line of a finding
    assert relay.model.digest in html and "catalogue 2026." in html
    assert "Noto Sans CJK SC" in html
    assert 'href="documents/pipl-standard-contract_acme_frontier.html"' in html


def test_accessibility_basics(relay_html: str) -> None:
    html = relay_html
    assert '<html lang="en"' in html
    for landmark in ("<header", "<nav", "<main", "<footer"):
        assert landmark in html
    assert html.count("<h1") == 1
    assert '<th scope="col" aria-sort="ascending"><button type="button"' in html
    assert "<caption>" in html and 'scope="row"' in html
    for control in ("f-text", "f-area", "f-regime", "f-status"):
        assert f'<label for="{control}">' in html
    assert 'aria-live="polite"' in html
    assert 'role="img" aria-label="path of transfer' in html


def test_print_mode_opens_every_detail(relay: CheckResult) -> None:
    html = render_html_report(relay, draw=digest_draw, print_mode=True)
    details = re.findall(r"<details[^>]*>", html)
    assert details and all(" open" in d for d in details)


def test_diagram_cap(relay: CheckResult) -> None:
    html = render_html_report(relay, draw=digest_draw, max_transfer_diagrams=1)
    assert html.count("path of transfer") == 1
    assert "draws the paths of the first 1 only" in html
    assert html.count("dataflow diagram MODEL --view transfer:") >= 2


def test_without_graphviz(relay: CheckResult) -> None:
    html = render_html_report(relay, draw=no_draw)
    assert "<svg" not in html
    assert "Graphviz is not installed" in html


def test_user_text_is_escaped(tmp_path: Path) -> None:
    model_dir = tmp_path / "m"
    shutil.copytree(ROOT / "examples" / "ai-relay", model_dir)
    main = model_dir / "dataflow.yaml"
    evil = '"<script>alert(1)</script> & <img src=x onerror=alert(2)>"'
    main.write_text(main.read_text(encoding="utf-8").replace(
        "name: Writing assistant", f"name: {evil}"), encoding="utf-8")
    for f in model_dir.glob("*.yaml"):
        text = f.read_text(encoding="utf-8")
        f.write_text(text.replace("Frontier AI Inc.", "Frontier <b onclick=x()>AI</b>"),
                     encoding="utf-8")
    html = render_html_report(_result(model_dir), draw=digest_draw)
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x" in html
    assert "<b onclick" not in html and "&lt;b onclick=x()&gt;" in html


def test_inline_svg_hygiene() -> None:
    svg = ('<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "x" "http://www.w3.org/x.dtd">\n'
           '<!-- made by graphviz -->\n<svg width="10pt" height="5pt" viewBox="0 0 10 5" '
           'onload="alert(1)"><g id="graph0"><a xlink:href="javascript:alert(2)">'
           '<path id="e1" fill="url(#grad)"/></a><a xlink:href="https://example.org/x">'
           '<text>ok</text></a><script>alert(3)</script><use href="#e1"/></g></svg>')
    out = inline_svg(svg, "p1-", 'label "x"')
    assert out.startswith("<svg") and "<?xml" not in out and "DOCTYPE" not in out
    assert "<!--" not in out and "onload" not in out and "javascript:" not in out
    assert "<script" not in out
    assert 'id="p1-graph0"' in out and 'id="p1-e1"' in out and "url(#p1-grad)" in out
    assert 'href="#p1-e1"' in out and 'xlink:href="https://example.org/x"' in out
    assert 'role="img" aria-label="label &#34;x&#34;"' in out


# --------------------------------------------------------------------------- PDF


def _pdf_or_skip() -> None:
    from dataflow.render.pdf import pdf_available

    if not pdf_available():
        if CI:
            pytest.fail("CI must be able to make PDFs: install the pdf extra (WeasyPrint)")
        pytest.skip("WeasyPrint is not installed (pip install '.[pdf]')")


def pdf_text(data: bytes, tmp_path: Path) -> str:
    """The text of a PDF through poppler's pdftotext, or pypdf when that is installed."""
    path = tmp_path / "x.pdf"
    path.write_bytes(data)
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                              capture_output=True).stdout.decode("utf-8")
    try:
        from pypdf import PdfReader
    except ImportError:
        if CI:
            pytest.fail("CI needs pdftotext (apt-get install poppler-utils) to read PDFs")
        pytest.skip("no pdftotext (poppler-utils) or pypdf to read the PDF")
    return "\n".join(p.extract_text() or "" for p in PdfReader(str(path)).pages)


def _squash(text: str) -> str:
    """Compared without white space or case (print styles set some headings in capitals)."""
    return re.sub(r"\s+", "", text).lower()


def test_report_pdf_text(relay: CheckResult, tmp_path: Path) -> None:
    _pdf_or_skip()
    from dataflow.render.pdf import html_to_pdf

    html = render_html_report(relay, documents=LINKS, draw=no_draw, print_mode=True)
    data = html_to_pdf(html)
    assert data.startswith(b"%PDF-")
    text = _squash(pdf_text(data, tmp_path))
    for phrase in ("Writing assistant", "智能写作助手", "Filing plan", "浙江省互联网信息办公室",
                   "CN/acme/relay-to-us", "Decision trace", "PIPL100",
                   relay.model.digest):
        assert _squash(phrase) in text, phrase
    assert html_to_pdf(html) == data, "the same HTML gives the same PDF bytes"


def test_document_pdf_text(relay: CheckResult, tmp_path: Path) -> None:
    _pdf_or_skip()
    from dataflow.render.documents import render_report
    from dataflow.render.pdf import html_to_pdf

    doc = next(f for f in render_report(relay, "pipl-standard-contract", formats=["html"]))
    text = _squash(pdf_text(html_to_pdf(doc.data), tmp_path))
    assert "个人信息出境" in text  # Chinese text survives: a CJK font is embedded and mapped
    if shutil.which("pdffonts"):
        path = tmp_path / "doc.pdf"
        path.write_bytes(html_to_pdf(doc.data))
        fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True).stdout
        assert b"CJK" in fonts


def test_pdf_loads_nothing_from_outside(tmp_path: Path) -> None:
    _pdf_or_skip()
    from dataflow.render.pdf import html_to_pdf

    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }", encoding="utf-8")
    html = (f'<html><head><link rel="stylesheet" href="{secret.as_uri()}">'
            '<link rel="stylesheet" href="http://127.0.0.1:9/x.css"></head>'
            "<body><p>hello 你好</p></body></html>")
    text = _squash(pdf_text(html_to_pdf(html), tmp_path))
    assert "hello你好" in text


def test_via_transit_flag_is_listed() -> None:
    """The report lists each transfer's flags by id (as the diagram's transfer table does):
    tests/scenarios_s4b/transit-through's export behind a transit-only hop shows via-transit."""
    html = render_html_report(_result(ROOT / "tests" / "scenarios_s4b" / "transit-through"),
                              draw=no_draw)
    assert '<span class="flag">via-transit</span>' in html
