"""PDF from HTML through WeasyPrint — the optional extra ``pdf`` (``pip install
'dataflow-xborder[pdf]'``).

Any HTML that dataflow writes (the report, the filing documents) prints to PDF with its print
styles; Chinese text uses "Noto Sans CJK SC" found through fontconfig (Debian:
``fonts-noto-cjk``). Nothing is fetched: only ``data:`` URLs may be loaded, so a PDF never depends
on the network or on files beside the HTML. The same HTML gives the same PDF bytes (WeasyPrint
writes no clock time unless the HTML asks for it).
"""

from __future__ import annotations

import importlib.util
import logging
from typing import Any

__all__ = ["INSTALL_HINT", "PdfUnavailable", "ensure_available", "html_to_pdf", "pdf_available"]

INSTALL_HINT = ("install the pdf extra: pip install 'dataflow-xborder[pdf]' (WeasyPrint; it needs "
                "Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0, and for Chinese text "
                "fonts-noto-cjk)")


class PdfUnavailable(RuntimeError):
    """WeasyPrint (or the Pango library it needs) is not installed."""


def _weasyprint() -> Any:
    if importlib.util.find_spec("weasyprint") is None:
        raise PdfUnavailable(f"PDF output needs WeasyPrint; {INSTALL_HINT}")
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: Pango or its friends are missing
        raise PdfUnavailable(f"WeasyPrint cannot start ({type(exc).__name__}: {exc}); "
                             f"{INSTALL_HINT}") from exc
    return weasyprint


def ensure_available() -> None:
    """Raise :class:`PdfUnavailable` (with the install command) unless PDFs can be made."""
    _weasyprint()


def pdf_available() -> bool:
    try:
        _weasyprint()
    except PdfUnavailable:
        return False
    return True


def _fetcher(weasyprint: Any) -> Any:
    """A URL fetcher that loads ``data:`` URLs only (WeasyPrint >= 66 takes a fetcher object,
    older releases a function)."""
    cls = getattr(getattr(weasyprint, "urls", None), "URLFetcher", None)
    if cls is not None:
        return cls(allowed_protocols=("data",))

    def fetch(url: str, *args: Any, **kwargs: Any) -> Any:
        if url.startswith("data:"):
            return weasyprint.default_url_fetcher(url, *args, **kwargs)
        raise ValueError(f"dataflow PDF output loads nothing from outside: refused {url}")

    return fetch


def html_to_pdf(html: str | bytes, *, base_url: str | None = None) -> bytes:
    """The PDF of one HTML text, printed with its ``@media print`` and ``@page`` styles.

    ``base_url`` only resolves relative links (they stay links in the PDF; nothing is loaded).
    Raises :class:`PdfUnavailable` when WeasyPrint cannot be used."""
    weasyprint = _weasyprint()
    text = html.decode("utf-8") if isinstance(html, bytes) else html
    log = logging.getLogger("weasyprint")
    level = log.level
    log.setLevel(logging.ERROR)  # unsupported screen-only CSS is expected, not news
    try:
        doc = weasyprint.HTML(string=text, base_url=base_url or "about:blank",
                              url_fetcher=_fetcher(weasyprint), media_type="print")
        data = doc.write_pdf()
    finally:
        log.setLevel(level)
    if not isinstance(data, bytes):
        raise RuntimeError("WeasyPrint returned no PDF bytes")
    return data
