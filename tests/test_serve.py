"""`dataflow serve`: the live preview on loopback. A temp copy of examples/ai-relay is served on
port 0 in a thread; the tests edit its files and watch /state and the page follow: a renamed
system appears, a bad key shows its diagnostic (escaped, file:line:col) above the last good
report, the fix brings the banner back to normal. Non-loopback hosts and foreign Host headers are
refused; the command stops cleanly on Ctrl-C and SIGTERM."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dataflow.cli import main
from dataflow.serve import (
    LIVE_HASH,
    ModelPreview,
    NotLoopback,
    PreviewServer,
    PreviewState,
    compose_page,
    live_csp,
    loopback_address,
)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "ai-relay"
PLATFORM = "platform-team.yaml"
OLD_NAME = "name: Relay gateway\n"
NEW_NAME = "name: Relay gateway Mk2\n"
BAD_KEY = '    "<img src=x onerror=alert(1)>": 1\n'
TIMEOUT = 10.0


def no_pictures() -> Callable[[Sequence[str]], list[str | None]]:
    """A drawer that draws nothing: the server tests need no Graphviz (the browser test does)."""
    return lambda dots: [None] * len(dots)


def get(server: PreviewServer, path: str = "/", host: str | None = None,
        method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        conn.putrequest(method, path, skip_host=True)
        conn.putheader("Host", host if host is not None else f"127.0.0.1:{server.port}")
        conn.endheaders()
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def state(server: PreviewServer) -> dict[str, Any]:
    status, headers, body = get(server, "/state")
    assert status == 200 and headers["content-type"] == "application/json"
    return json.loads(body)


def page(server: PreviewServer) -> str:
    status, headers, body = get(server, "/")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    return body.decode("utf-8")


def wait_for(server: PreviewServer, test: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    deadline = time.monotonic() + TIMEOUT
    while True:
        s = state(server)
        if test(s):
            return s
        assert time.monotonic() < deadline, f"state did not follow the edit within {TIMEOUT}s: {s}"
        time.sleep(0.05)


def banner(html: str) -> str:
    m = re.search(r'<div id="dataflow-live".*?</div>', html, re.S)
    assert m, "no live banner in the page"
    return m.group(0)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def model(tmp_path: Path) -> Path:
    dest = tmp_path / "ai-relay"
    shutil.copytree(EXAMPLE, dest)
    return dest


@pytest.fixture
def server(model: Path) -> Iterator[PreviewServer]:
    srv = PreviewServer(ModelPreview(model, draw=no_pictures), port=0, interval=0.05)
    with srv:
        srv.start()
        yield srv


# --------------------------------------------------------------------------- serving


def test_serves_the_report_and_state(server: PreviewServer) -> None:
    assert server.port != 0 and server.url == f"http://127.0.0.1:{server.port}/"
    html = page(server)
    assert "<title>Cross-border transfer report: Writing assistant</title>" in html
    assert "Relay gateway" in html
    b = banner(html)
    assert 'class="ok"' in b and 'data-version="1"' in b
    # the report's CSP stays, widened for the injected script and the polling only
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html)
    assert csp
    policy = csp.group(1).replace("&#x27;", "'")
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy
    assert LIVE_HASH in policy and policy.count("'sha256-") == 2
    assert html.count("<script>") == 2 and html.index(b) < html.index("<header")

    s = state(server)
    assert s["version"] == 1 and s["report"] == 1
    assert s["ok"] is True and s["has_report"] is True and s["errors"] == 0
    assert s["files"] == 3

    status, headers, _ = get(server, "/")
    assert headers["cache-control"] == "no-store"
    assert headers["x-content-type-options"] == "nosniff"
    status, headers, body = get(server, "/", method="HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 10_000
    assert get(server, "/index.html?x=1")[0] == 200
    assert get(server, "/nope")[0] == 404
    assert get(server, "/", method="POST")[0] == 501


def test_edit_break_fix(server: PreviewServer, model: Path) -> None:
    first = state(server)
    assert "Relay gateway Mk2" not in page(server)

    # rename a system: the version and the report move on, the page shows the new name
    edit(model / PLATFORM, OLD_NAME, NEW_NAME)
    s = wait_for(server, lambda s: s["version"] > first["version"])
    assert s["ok"] is True and s["report"] == first["report"] + 1
    html = page(server)
    assert "Relay gateway Mk2" in html and 'class="ok"' in banner(html)

    # a bad key: ok is false, the diagnostic has its place; the last good report stays
    edit(model / PLATFORM, "    kind: relay\n", "    kind: relay\n" + BAD_KEY)
    s = wait_for(server, lambda s: not s["ok"])
    assert s["has_report"] is True and s["errors"] >= 1
    assert s["report"] == first["report"] + 1  # the report itself did not change
    (d,) = [d for d in s["diagnostics"] if d["severity"] == "error"]
    assert d["code"] == "DF200" and "<img src=x onerror=alert(1)>" in d["message"]
    assert Path(d["file"]).name == PLATFORM
    line = (model / PLATFORM).read_text(encoding="utf-8").splitlines().index(BAD_KEY.rstrip("\n"))
    assert (d["line"], d["col"]) == (line + 1, 5)
    assert d["location"] == f"{d['file']}:{d['line']}:{d['col']}"

    html = page(server)
    b = banner(html)
    assert 'class="invalid"' in b and "last good" in b
    assert f"{PLATFORM}:{d['line']}:{d['col']}" in b and "DF200" in b
    assert "&lt;img src=x onerror=alert(1)&gt;" in b  # escaped ...
    assert "<img" not in b  # ... never markup
    assert "Relay gateway Mk2" in html and "<header" in html  # the last good report is there

    # fixed again: ok, no diagnostics, the same report as before the break
    edit(model / PLATFORM, BAD_KEY, "")
    s = wait_for(server, lambda s: s["ok"])
    assert s["diagnostics"] == [] and s["report"] == first["report"] + 1
    html = page(server)
    assert 'class="ok"' in banner(html) and "Relay gateway Mk2" in html


def test_saving_the_same_text_changes_nothing(server: PreviewServer, model: Path) -> None:
    before = state(server)
    f = model / PLATFORM
    f.write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    os.utime(f, ns=(time.time_ns(), time.time_ns() + 10**9))
    time.sleep(1.0)  # several looks of the watcher
    assert state(server)["version"] == before["version"]


def test_invalid_from_the_start_then_fixed(model: Path) -> None:
    edit(model / PLATFORM, "    kind: relay\n", "    kind: relay\n" + BAD_KEY)
    with PreviewServer(ModelPreview(model, draw=no_pictures), port=0, interval=0.05) as srv:
        srv.start()
        s = state(srv)
        assert s["ok"] is False and s["has_report"] is False and s["report"] == 0
        html = page(srv)
        assert "has not loaded yet" in banner(html) and "DF200" in banner(html)
        assert "<header" not in html
        edit(model / PLATFORM, BAD_KEY, "")
        s = wait_for(srv, lambda s: s["ok"])
        assert s["report"] == 1 and "Writing assistant" in page(srv)


def test_a_new_file_in_a_folder_model_is_watched(tmp_path: Path) -> None:
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "a.yaml").write_text((EXAMPLE / "app-team.yaml").read_text(encoding="utf-8"),
                                   encoding="utf-8")
    (folder / "model.yaml").write_text("model:\n  name: Split\n  evaluation_date: 2026-10-01\n",
                                       encoding="utf-8")
    with PreviewServer(ModelPreview(folder, draw=no_pictures), port=0, interval=0.05) as srv:
        srv.start()
        first = state(srv)
        shutil.copy(EXAMPLE / PLATFORM, folder / "b.yaml")
        s = wait_for(srv, lambda s: s["version"] > first["version"])
        assert s["files"] == 3


def test_diagrams_are_kept_while_the_model_is_invalid(model: Path) -> None:
    if shutil.which("dot") is None:
        pytest.skip("Graphviz is not installed")
    with PreviewServer(ModelPreview(model), port=0, interval=0.05) as srv:
        srv.start()
        good = page(srv)
        assert good.count("<svg") >= 2
        edit(model / PLATFORM, "    kind: relay\n", "    kind: relay\n" + BAD_KEY)
        wait_for(srv, lambda s: not s["ok"])
        assert page(srv).count("<svg") == good.count("<svg")


# --------------------------------------------------------------------------- loopback only


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "10.0.0.1", "example.com", "::1",
                                  "::", "", "127.0.0.1.nip.io"])
def test_non_loopback_host_refused(host: str, model: Path) -> None:
    with pytest.raises(NotLoopback):
        loopback_address(host)
    with pytest.raises(NotLoopback):
        PreviewServer(ModelPreview(model, draw=no_pictures), host=host, port=0)


def test_loopback_names() -> None:
    assert loopback_address("127.0.0.1") == "127.0.0.1"
    assert loopback_address("localhost") == "127.0.0.1"
    assert loopback_address("127.0.0.2") == "127.0.0.2"


def test_foreign_host_header_refused(server: PreviewServer) -> None:
    for host in ("evil.example", f"evil.example:{server.port}", "127.0.0.1:1", ""):
        status, _, body = get(server, "/state", host=host)
        assert status == 403 and b"diagnostics" not in body
    assert get(server, "/state", host=f"localhost:{server.port}")[0] == 200


def test_close_stops_everything(model: Path) -> None:
    srv = PreviewServer(ModelPreview(model, draw=no_pictures), port=0, interval=0.05)
    srv.start()
    port = srv.port
    assert get(srv, "/state")[0] == 200
    srv.close()
    srv.close()  # idempotent
    assert not any(t.is_alive() for t in srv._threads)
    with pytest.raises(OSError):
        http.client.HTTPConnection("127.0.0.1", port, timeout=2).connect()


def test_close_without_start(model: Path) -> None:
    srv = PreviewServer(ModelPreview(model, draw=no_pictures), port=0)
    srv.close()


# --------------------------------------------------------------------------- page and state


def test_state_counts_changes_only() -> None:
    st = PreviewState()
    a = st.update("<html><head></head><body>A</body></html>", True, [])
    assert (a.version, a.report_version) == (1, 1)
    assert st.update("<html><head></head><body>A</body></html>", True, []).version == 1
    diag = {"code": "DF200", "severity": "error", "message": "m", "location": "f.yaml:1:2"}
    b = st.update(None, False, [diag])
    assert (b.version, b.report_version, b.report) == (2, 1, a.report)
    c = st.update("<html><head></head><body>A</body></html>", True, [])
    assert (c.version, c.report_version) == (3, 1)


def test_live_csp_adds_only_what_the_preview_needs() -> None:
    policy = live_csp("default-src 'none'; script-src 'sha256-abc'; form-action 'none'")
    assert policy == (f"default-src 'none'; script-src 'sha256-abc' {LIVE_HASH}; "
                      "form-action 'none'; connect-src 'self'")
    assert live_csp("script-src 'none'; connect-src 'none'") == \
        f"script-src {LIVE_HASH}; connect-src 'self'"


def test_placeholder_page_escapes() -> None:
    st = PreviewState()
    snap = st.update(None, False, [{"code": "DF100", "severity": "error",
                                   "message": "no such file: <script>x</script>",
                                   "location": "<b>f</b>.yaml", "text": "a\n<i>src</i>"}])
    html = compose_page(snap).decode("utf-8")
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>x" not in html
    assert "&lt;b&gt;f&lt;/b&gt;.yaml" in html and "&lt;i&gt;src&lt;/i&gt;" in html
    assert "connect-src 'self'" in html


# --------------------------------------------------------------------------- the command


def test_cli_refuses_non_loopback(model: Path) -> None:
    r = CliRunner().invoke(main, ["serve", str(model), "--host", "0.0.0.0"])
    assert r.exit_code == 2
    assert "not a loopback address" in r.stderr


def test_cli_help_lists_serve() -> None:
    r = CliRunner().invoke(main, ["--help"])
    assert "serve" in r.stdout
    r = CliRunner().invoke(main, ["serve", "--help"])
    assert r.exit_code == 0 and "--port" in r.stdout and "--host" in r.stdout


def test_cli_busy_port(model: Path) -> None:
    with PreviewServer(ModelPreview(model, draw=no_pictures), port=0) as busy:
        r = CliRunner().invoke(main, ["serve", str(model), "--port", str(busy.port)])
    assert r.exit_code == 2 and "cannot listen" in r.stderr


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_cli_serves_and_stops(model: Path, sig: signal.Signals) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "dataflow", "serve", str(model), "--port",
                             "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        m = re.search(r"at (http://127\.0\.0\.1:(\d+)/) \(Ctrl-C stops\)", line)
        assert m, line
        conn = http.client.HTTPConnection("127.0.0.1", int(m.group(2)), timeout=10)
        conn.request("GET", "/state")
        assert json.loads(conn.getresponse().read())["ok"] is True
        conn.close()
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert "report ready" in err and err.rstrip().endswith("stopped")
