"""``dataflow serve``: a live preview of the HTML report, on loopback only.

:class:`ModelPreview` loads a model, runs the analysis and the check and renders the report of
:mod:`dataflow.render.html_report`; it keeps the last good report and the current diagnostics in
a :class:`PreviewState`. :class:`PreviewServer` serves it from a small
:class:`http.server.ThreadingHTTPServer` bound to a loopback address (any other host is refused
with :class:`NotLoopback`) while a watcher thread polls the model files (modification time, size
and inode; no extra dependency) and reloads the model when one changes.

Routes:

* ``/`` — the last good report with a small status banner and a script injected; the script
  polls ``/state`` every second and reloads the page when the version changes. While the model
  is invalid the banner lists the diagnostics (escaped, with file:line:col) above the last good
  report; before any good load the page holds the banner alone.
* ``/state`` — JSON: ``version`` (a counter that grows whenever the page would change),
  ``report`` (a counter of the report alone), ``ok``, ``has_report``, ``errors``, ``warnings``,
  ``files`` (how many files are watched) and ``diagnostics``.

The report's Content-Security-Policy stays in force: the served copy only adds the hash of the
injected script to ``script-src`` and ``connect-src 'self'`` (for the polling). Requests whose
``Host`` header is not the server's own address are refused (no DNS rebinding), and every
response says ``Cache-Control: no-store``.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import datetime as dt
import hashlib
import html
import ipaddress
import json
import os
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .api import validate_model
from .check import check
from .diagnostics import Diagnostic
from .loader import DEFAULT_MAX_FILE_BYTES
from .regimes.base import CheckOptions
from .render.html_report import Draw, GraphvizDrawer, render_html_report
from .transfers import analyse

__all__ = ["DEFAULT_PORT", "LIVE_HASH", "ModelPreview", "NotLoopback", "PreviewOptions",
           "PreviewServer", "PreviewState", "ReloadEvent", "Snapshot", "banner", "compose_page",
           "live_csp", "loopback_address"]

DEFAULT_PORT = 8765
POLL_INTERVAL = 0.5  # seconds between two looks at the model files
SETTLE = 0.1  # after a change, wait this long for the editor to finish writing


class NotLoopback(ValueError):
    """The preview is served on loopback only."""


def loopback_address(host: str) -> str:
    """The IPv4 address to bind for ``host`` (``localhost`` is ``127.0.0.1``); raises
    :class:`NotLoopback` for any address that is not IPv4 loopback."""
    name = host.strip()
    if name.lower() == "localhost":
        return "127.0.0.1"
    try:
        ip = ipaddress.ip_address(name)
    except ValueError:
        raise NotLoopback(f"'{host}' is not a loopback address; the preview is served on "
                          "127.0.0.1 only") from None
    if ip.version != 4 or not ip.is_loopback:
        raise NotLoopback(f"'{host}' is not a loopback address; the preview is served on "
                          "127.0.0.1 only (the report describes your data flows: it is not "
                          "published on the network)")
    return str(ip)


# --------------------------------------------------------------------------- state

@dataclass(frozen=True)
class Snapshot:
    """What the server hands out at one moment; replaced whole, never changed."""

    version: int = 0
    report_version: int = 0
    ok: bool = False
    report: str | None = None  # the last good report HTML
    diagnostics: tuple[dict[str, Any], ...] = ()
    files: int = 0
    page: bytes = b""

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.get("severity") == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.diagnostics if d.get("severity") == "warning")

    def state_json(self) -> dict[str, Any]:
        return {"version": self.version, "report": self.report_version, "ok": self.ok,
                "has_report": self.report is not None, "errors": self.errors,
                "warnings": self.warnings, "files": self.files,
                "diagnostics": list(self.diagnostics)}


class PreviewState:
    """The last good report and the current diagnostics, shared by the watcher and the request
    threads. :meth:`update` bumps ``version`` only when something the page shows changed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._snap = Snapshot(page=compose_page(Snapshot()))

    def snapshot(self) -> Snapshot:
        with self._lock:
            return self._snap

    def update(self, report: str | None, ok: bool, diagnostics: Sequence[dict[str, Any]],
               files: int = 0) -> Snapshot:
        """A new load: ``report`` is the new report (``None``: keep the last good one)."""
        with self._lock:
            old = self._snap
            new_report = report if report is not None else old.report
            diags = tuple(diagnostics)
            if new_report == old.report and ok == old.ok and diags == old.diagnostics \
                    and old.version > 0:
                if files != old.files:
                    self._snap = dataclasses.replace(old, files=files)
                return self._snap
            snap = Snapshot(version=old.version + 1,
                            report_version=old.report_version + (new_report != old.report),
                            ok=ok, report=new_report, diagnostics=diags, files=files)
            self._snap = dataclasses.replace(snap, page=compose_page(snap))
            return self._snap


# --------------------------------------------------------------------------- the page

LIVE_JS = """(function () {
  "use strict";
  var box = document.getElementById("dataflow-live");
  if (!box || !window.fetch) { return; }
  var version = box.getAttribute("data-version");
  var note = document.getElementById("dataflow-live-note");
  function poll() {
    fetch("/state", {cache: "no-store"}).then(function (r) {
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return r.json();
    }).then(function (s) {
      box.classList.remove("offline");
      if (String(s.version) !== version) { window.location.reload(); return; }
      window.setTimeout(poll, 1000);
    }).catch(function () {
      box.classList.add("offline");
      if (note) { note.textContent = "the preview server is not answering"; }
      window.setTimeout(poll, 2000);
    });
  }
  window.setTimeout(poll, 1000);
})();"""

LIVE_CSS = """
#dataflow-live{position:sticky;top:0;z-index:1000;font:14px/1.4 system-ui,sans-serif;
 background:#e8f5e9;color:#1b3a1f;border-bottom:1px solid #9ccc9f;padding:.35rem 1rem}
#dataflow-live.invalid{background:#fdecea;color:#5f1111;border-bottom:2px solid #d9534f}
#dataflow-live.offline{background:#eee;color:#444}
#dataflow-live ul{margin:.3rem 0 .2rem;padding-left:1.2rem;max-height:40vh;overflow:auto}
#dataflow-live li{margin:.15rem 0}
#dataflow-live code{font:12px/1.3 ui-monospace,monospace}
#dataflow-live pre{margin:.1rem 0 .3rem;font:12px/1.3 ui-monospace,monospace;white-space:pre-wrap}
#dataflow-live .sev-error{font-weight:bold;color:#a11}
#dataflow-live .sev-warning{font-weight:bold;color:#8a5a00}
@media print{#dataflow-live{display:none}}
"""


def _script_hash(script: str) -> str:
    return base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


LIVE_SCRIPT = f"\n{LIVE_JS}\n"  # the exact text of the <script> element, as hashed
LIVE_HASH = f"'sha256-{_script_hash(LIVE_SCRIPT)}'"
PLACEHOLDER_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                   f"script-src {LIVE_HASH}; connect-src 'self'; base-uri 'none'; "
                   "form-action 'none'")

_CSP_META = re.compile(r'(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")',
                       re.I)
_BODY_OPEN = re.compile(r"<body\b[^>]*>", re.I)


def live_csp(policy: str) -> str:
    """``policy`` with the injected script and the polling allowed, nothing else relaxed."""
    directives: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives.setdefault(words[0].lower(), words[1:])
    script = directives.setdefault("script-src", [])
    if "'none'" in script:
        script.remove("'none'")
    if LIVE_HASH not in script:
        script.append(LIVE_HASH)
    connect = directives.setdefault("connect-src", [])
    if "'none'" in connect:
        connect.remove("'none'")
    if "'self'" not in connect:
        connect.append("'self'")
    return "; ".join(" ".join([k, *v]) for k, v in directives.items())


def _diagnostic_items(diags: Sequence[dict[str, Any]]) -> str:
    items = []
    for d in diags:
        sev = str(d.get("severity") or "error")
        text = str(d.get("text") or "")
        detail = "\n".join(text.splitlines()[1:])  # the source line, the caret, the hint
        if not detail and d.get("hint"):
            detail = f"hint: {d['hint']}"
        items.append(
            f'<li><code>{html.escape(str(d.get("location") or "<model>"))}</code> '
            f'<span class="sev-{html.escape(sev)}">{html.escape(sev)}</span> '
            f'{html.escape(str(d.get("code") or ""))} {html.escape(str(d.get("message") or ""))}'
            + (f"<pre>{html.escape(detail)}</pre>" if detail else "") + "</li>")
    return "<ul>" + "".join(items) + "</ul>" if items else ""


def banner(snap: Snapshot) -> str:
    """The status banner of the served page (every model text escaped)."""
    if not snap.ok:
        cls = "invalid"
        if snap.report is not None:
            head = (f"The model has {snap.errors} error(s); the report below is the last good "
                    "one. Fix the files and save: the page follows.")
        else:
            head = ("The model has not loaded yet: fix the problems below and save; the report "
                    "appears as soon as it validates.")
    else:
        cls = "ok"
        head = "Live preview: up to date with the model files"
        if snap.warnings:
            head += f" ({snap.warnings} warning(s))"
    return (f'<div id="dataflow-live" class="{cls}" role="status" aria-live="polite" '
            f'data-version="{snap.version}" data-report="{snap.report_version}">'
            f'<strong id="dataflow-live-note">{html.escape(head)}</strong>'
            f"{_diagnostic_items(snap.diagnostics)}</div>")


def compose_page(snap: Snapshot) -> bytes:
    """The page served at ``/``: the last good report (or a placeholder) with the banner, its
    style and the polling script injected, and the CSP widened for that script only."""
    live_style = f"<style>{LIVE_CSS}</style>\n"
    live_script = f"<script>{LIVE_SCRIPT}</script>\n"
    if snap.report is None:
        page = ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                f'<meta http-equiv="Content-Security-Policy" content="{PLACEHOLDER_CSP}">\n'
                "<title>dataflow live preview</title>\n" + live_style + "</head>\n<body>\n"
                + banner(snap) + "\n" + live_script + "</body>\n</html>\n")
        return page.encode("utf-8")
    page = snap.report

    def widen(m: re.Match[str]) -> str:
        policy = live_csp(html.unescape(m.group(2)))
        return m.group(1) + html.escape(policy, quote=True) + m.group(3)

    page = _CSP_META.sub(widen, page, count=1)
    head_end = page.find("</head>")
    if head_end >= 0:
        page = page[:head_end] + live_style + page[head_end:]
    body = _BODY_OPEN.search(page)
    at = body.end() if body else 0
    page = page[:at] + "\n" + banner(snap) + page[at:]
    body_end = page.rfind("</body>")
    if body_end < 0:
        body_end = len(page)
    page = page[:body_end] + live_script + page[body_end:]
    return page.encode("utf-8")


# --------------------------------------------------------------------------- the model

@dataclass(frozen=True)
class PreviewOptions:
    areas: tuple[str, ...] | None = None
    as_of: dt.date | None = None
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    check: CheckOptions = field(default_factory=CheckOptions)


@dataclass(frozen=True)
class ReloadEvent:
    """One reload, for the caller's log: the new snapshot, the diagnostics, the seconds taken
    and whether the served page changed."""

    snapshot: Snapshot
    diagnostics: tuple[Diagnostic, ...]
    seconds: float
    changed: bool


class _Pictures:
    """Keeps the SVG of every DOT the last report drew, so an edit redraws only what changed.

    One :class:`_Drawing` per reload: it asks a fresh drawer for the DOTs not seen last time;
    :meth:`_Drawing.commit` then keeps exactly the pictures of this report."""

    def __init__(self, drawer: Callable[[], Draw]) -> None:
        self.drawer = drawer
        self.kept: dict[str, str] = {}


class _Drawing:
    def __init__(self, pictures: _Pictures) -> None:
        self._pictures = pictures
        self._draw = pictures.drawer()
        self._used: dict[str, str] = {}

    def __call__(self, dots: Sequence[str]) -> list[str | None]:
        kept = self._pictures.kept
        todo = [d for d in dict.fromkeys(dots) if d not in kept and d not in self._used]
        fresh = dict(zip(todo, self._draw(todo), strict=True)) if todo else {}
        out: list[str | None] = []
        for d in dots:
            svg = self._used.get(d) or kept.get(d) or fresh.get(d)
            if svg is not None:
                self._used[d] = svg
            out.append(svg)
        return out

    def notes(self) -> list[str]:
        """Why pictures are missing (Graphviz not installed, a DOT it rejected)."""
        d = self._draw
        if not isinstance(d, GraphvizDrawer):
            return []
        return ([f"diagrams not drawn: {d.missing}"] if d.missing else []) \
            + list(dict.fromkeys(d.errors))

    def commit(self) -> None:
        self._pictures.kept = dict(self._used)


class ModelPreview:
    """Loads the model at ``path`` and renders its report into :attr:`state`.

    ``describe`` turns a diagnostic into the text shown under it in the banner (the CLI passes
    its terminal format, with the source line and a caret); ``draw`` makes the diagram drawer
    of one reload (default :class:`GraphvizDrawer`); ``on_reload`` hears of every reload."""

    def __init__(self, path: str | os.PathLike[str], options: PreviewOptions | None = None, *,
                 describe: Callable[[Diagnostic], str] | None = None,
                 draw: Callable[[], Draw] | None = None,
                 on_reload: Callable[[ReloadEvent], None] | None = None) -> None:
        self.path = Path(path)
        self.options = options or PreviewOptions()
        self.state = PreviewState()
        self._describe = describe
        self._pictures = _Pictures(draw or GraphvizDrawer)
        self._on_reload = on_reload
        self._known: set[Path] = set()  # the files of the last model that loaded
        #: the fingerprint of the files as the last reload began to read them (``None``: never)
        self.loaded: tuple[tuple[str, int, int, int], ...] | None = None
        self._lock = threading.Lock()  # one reload at a time

    # ---------------------------------------------------------------- files

    def watched_files(self) -> list[Path]:
        """The files whose change triggers a reload: for a folder every ``*.yaml``/``*.yml``
        below it (new files count), for a file that file; plus every file the last good model
        was read from (includes)."""
        found: set[Path] = set(self._known)
        root = self.path
        if root.is_dir():
            for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
                dirnames[:] = [d for d in dirnames if not d.startswith(".")]
                for name in filenames:
                    if name.endswith((".yaml", ".yml")) and not name.startswith("."):
                        found.add(Path(os.path.abspath(os.path.join(dirpath, name))))
        else:
            found.add(Path(os.path.abspath(root)))
        return sorted(found)

    def fingerprint(self) -> tuple[tuple[str, int, int, int], ...]:
        """(path, mtime in ns, size, inode) of every watched file; -1s for a missing one."""
        out = []
        for p in self.watched_files():
            try:
                st = p.stat()
            except OSError:
                out.append((str(p), -1, -1, -1))
            else:
                out.append((str(p), st.st_mtime_ns, st.st_size, st.st_ino))
        return tuple(out)

    # ---------------------------------------------------------------- loading

    def changed(self) -> bool:
        """Whether a watched file differs from what the last reload read."""
        return self.loaded is None or self.fingerprint() != self.loaded

    def reload(self) -> ReloadEvent:
        """Load, analyse, check and render once; never raises for a bad model."""
        with self._lock:
            t0 = time.perf_counter()
            # taken before reading: a change made while the model loads shows at the next look
            self.loaded = self.fingerprint()
            before = self.state.snapshot()
            diags: list[Diagnostic] = []
            report: str | None = None
            try:
                report = self._render(diags)
            except Exception as exc:  # the preview outlives any model
                diags.append(Diagnostic("serve", "error", "the report could not be made: "
                                        f"{type(exc).__name__}: {exc}"))
                report = None
            ok = report is not None and not any(d.severity == "error" for d in diags)
            if not ok:
                report = None
            snap = self.state.update(report, ok, [self._json(d) for d in diags],
                                     len(self.watched_files()))
            event = ReloadEvent(snap, tuple(diags), time.perf_counter() - t0,
                                snap.version != before.version)
        if self._on_reload is not None:
            self._on_reload(event)
        return event

    def _render(self, diags: list[Diagnostic]) -> str | None:
        opts = self.options
        result = validate_model(self.path, as_of=opts.as_of, max_file_bytes=opts.max_file_bytes)
        diags.extend(result.diagnostics)
        model = result.model
        if model is None:
            return None
        self._known = {Path(os.path.abspath(f)) for f in model.raw.files}
        analysis = analyse(model, opts.areas)
        diags.extend(analysis.diagnostics)
        checked = check(model, analysis, options=opts.check)
        drawing = _Drawing(self._pictures)
        report = render_html_report(checked, draw=drawing)
        drawing.commit()
        diags.extend(Diagnostic("serve", "warning", note) for note in drawing.notes())
        return report

    def _json(self, d: Diagnostic) -> dict[str, Any]:
        out = d.to_json()
        out["location"] = d.location()
        if self._describe is not None:
            with contextlib.suppress(Exception):
                out["text"] = self._describe(d)
        return out


# --------------------------------------------------------------------------- the server

class _Server(ThreadingHTTPServer):
    daemon_threads = True
    preview: ModelPreview
    allowed_hosts: frozenset[str]


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "dataflow-serve"
    sys_version = ""

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def _answer(self, body: bool) -> None:
        host = (self.headers.get("Host") or "").strip().lower()
        if host not in self.server.allowed_hosts:
            self._send(HTTPStatus.FORBIDDEN, b"this preview answers on its loopback address "
                       b"only\n", "text/plain; charset=utf-8", body)
            return
        route = self.path.split("?", 1)[0].split("#", 1)[0]
        snap = self.server.preview.state.snapshot()
        if route in ("/", "/index.html"):
            self._send(HTTPStatus.OK, snap.page, "text/html; charset=utf-8", body)
        elif route == "/state":
            data = json.dumps(snap.state_json(), ensure_ascii=False, sort_keys=True)
            self._send(HTTPStatus.OK, data.encode("utf-8"), "application/json", body)
        else:
            self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain; charset=utf-8", body)

    def _send(self, status: HTTPStatus, data: bytes, ctype: str, body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Content-Security-Policy", "frame-ancestors 'none'")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # requests are not logged: the page polls every second


class PreviewServer:
    """Serves a :class:`ModelPreview` on ``host:port`` (port 0: a free one) and reloads it when
    a model file changes. ``start()`` loads the model (if not done yet) and starts the server
    and watcher threads; ``close()`` stops both. Also a context manager."""

    def __init__(self, preview: ModelPreview, *, host: str = "127.0.0.1",
                 port: int = DEFAULT_PORT, interval: float = POLL_INTERVAL) -> None:
        address = loopback_address(host)
        self.preview = preview
        self.interval = interval
        self._httpd = _Server((address, port), _Handler, bind_and_activate=True)
        self._httpd.preview = preview
        self.host = address
        self.port = int(self._httpd.server_address[1])
        names = {address, "127.0.0.1", "localhost"}
        hosts = {f"{n}:{self.port}" for n in names}
        if self.port == 80:
            hosts |= names
        self._httpd.allowed_hosts = frozenset(hosts)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._closed = False

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def start(self) -> None:
        if self._threads:
            return
        if self.preview.loaded is None:
            self.preview.reload()
        serving = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.2},
                                   name="dataflow-serve-http", daemon=True)
        watching = threading.Thread(target=self._watch, name="dataflow-serve-watch", daemon=True)
        self._threads = [serving, watching]
        for t in self._threads:
            t.start()

    def wait(self) -> None:
        """Block until :meth:`close` (or Ctrl-C in the calling thread)."""
        while not self._stop.wait(0.5):
            pass

    def close(self) -> None:
        """Stop watching and serving, close the socket. Idempotent."""
        if self._closed:
            return
        self._closed = True
        self._stop.set()
        if self._threads:
            self._httpd.shutdown()
        self._httpd.server_close()
        for t in self._threads:
            t.join(timeout=10)

    def __enter__(self) -> PreviewServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _watch(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                if not self.preview.changed():
                    continue
                if self._stop.wait(SETTLE):  # let the editor finish writing
                    return
                self.preview.reload()
            except Exception:  # the watcher must not die; the next look retries
                continue
