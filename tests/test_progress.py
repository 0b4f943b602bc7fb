"""The progress reporter: stage messages only on a terminal and never with --quiet, the timing
breakdown with --verbose (TTY or not), and its wiring into `check`, `transfers` and `build`."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dataflow.cli import main
from dataflow.progress import ERASE, STAGES, Progress, process_age

ROOT = Path(__file__).resolve().parent.parent
RELAY = str(ROOT / "examples" / "ai-relay")


class FakeStream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def tick(self, seconds: float) -> None:
        self.now += seconds


def run_stages(p: Progress, clock: FakeClock) -> None:
    p.stage("load", "loading model")
    clock.tick(2.0)
    p.end({"parse": 1.5, "schema": 0.25, "references": 0.25}, label="206 files")
    p.stage("analysis", "analysing")
    clock.tick(1.0)
    p.stage("regimes", "checking")
    clock.tick(0.5)
    p.stage("output", "writing")
    clock.tick(0.125)
    p.clear()
    p.done()


def test_silent_when_not_a_tty() -> None:
    stream, clock = FakeStream(tty=False), FakeClock()
    p = Progress(stream, startup=0.4, clock=clock)
    run_stages(p, clock)
    assert stream.getvalue() == ""
    assert p.timings["analysis"] == 1.0  # the timings are kept all the same


def test_messages_on_a_tty() -> None:
    stream, clock = FakeStream(tty=True), FakeClock()
    p = Progress(stream, startup=0.4, clock=clock, width=200)
    p.stage("load", "loading model")
    assert stream.getvalue() == ERASE + "dataflow: loading model… 0.0s"
    clock.tick(2.0)
    p.end({"parse": 2.0}, label="206 files")
    p.stage("analysis", "analysing")
    assert stream.getvalue().endswith(ERASE + "dataflow: 206 files · analysing… 2.0s")
    clock.tick(1.0)
    p.stage("regimes", "checking")
    assert stream.getvalue().endswith("dataflow: 206 files · analysing · checking… 3.0s")
    p.done()
    out = stream.getvalue()
    assert out.endswith(ERASE)  # the line is erased at the end
    assert "timing:" not in out  # not verbose
    assert "\n" not in out  # one line, rewritten in place


def test_quiet_is_silent_even_on_a_tty() -> None:
    stream, clock = FakeStream(tty=True), FakeClock()
    p = Progress(stream, quiet=True, startup=0.4, clock=clock)
    run_stages(p, clock)
    assert stream.getvalue() == ""


def test_verbose_breakdown_lists_the_stages() -> None:
    for tty in (False, True):
        stream, clock = FakeStream(tty=tty), FakeClock()
        p = Progress(stream, verbose=True, startup=0.4, clock=clock)
        run_stages(p, clock)
        lines = stream.getvalue().split(ERASE)[-1].splitlines()
        assert lines == ["timing: imports=0.400s parse=1.500s schema=0.250s references=0.250s "
                         "analysis=1.000s regimes=0.500s output=0.125s total=4.025s"]


def test_quiet_and_verbose_print_the_breakdown_only() -> None:
    stream, clock = FakeStream(tty=True), FakeClock()
    p = Progress(stream, quiet=True, verbose=True, clock=clock)
    run_stages(p, clock)
    assert stream.getvalue().startswith("timing: parse=")


def test_done_is_idempotent_and_ends_stages() -> None:
    stream, clock = FakeStream(tty=False), FakeClock()
    p = Progress(stream, verbose=True, clock=clock)
    p.stage("build", "building")
    clock.tick(1.0)
    p.done()
    p.done()
    p.stage("output", "late")  # after done: ignored
    assert stream.getvalue() == "timing: build=1.000s total=1.000s\n"
    assert list(p.timings) == ["build"]


def test_long_lines_are_cut_to_the_width() -> None:
    stream, clock = FakeStream(tty=True), FakeClock()
    p = Progress(stream, clock=clock, width=30)
    p.stage("load", "loading " + "x" * 100)
    shown = stream.getvalue()[len(ERASE):]
    assert len(shown) == 29 and shown.startswith("…") and shown.endswith("0.0s")


def test_null_stream() -> None:
    p = Progress(None, verbose=True)
    p.stage("analysis", "analysing")
    p.done()
    assert "analysis" in p.timings


def test_unknown_stages_come_last() -> None:
    p = Progress(None)
    p.add("zeta", 1.0)
    p.add("output", 1.0)
    p.add("imports", 1.0)
    assert list(p.timings) == ["imports", "output", "zeta"]
    assert list(STAGES[:4]) == ["imports", "parse", "schema", "references"]


def test_process_age_of_a_fresh_process() -> None:
    out = subprocess.run([sys.executable, "-c", "from dataflow.progress import process_age; "
                          "print(process_age())"], capture_output=True, text=True, cwd=ROOT,
                         check=True).stdout
    age = float(out)
    assert 0.0 < age < 60.0
    assert (process_age() or 0.0) > 0.0


# --------------------------------------------------------------------------- the commands


@pytest.mark.parametrize(("args", "stages"), [
    (["check", RELAY, "--format", "json"],
     ["imports", "parse", "schema", "references", "analysis", "regimes", "output"]),
    (["transfers", RELAY, "--format", "json"],
     ["imports", "parse", "schema", "references", "analysis", "output"]),
    (["validate", RELAY], ["parse", "schema", "references"]),
])
def test_cli_verbose_breakdown(args: list[str], stages: list[str]) -> None:
    r = CliRunner().invoke(main, [*args, "--verbose"])
    assert r.exit_code in (0, 1), r.stderr
    (line,) = [ln for ln in r.stderr.splitlines() if ln.startswith("timing: ")]
    names = re.findall(r"(\w[\w-]*)=\d+\.\d{3}s", line)
    assert names[:len(stages)] == stages and names[-1] == "total"
    assert "\r" not in r.stderr  # CliRunner's stderr is no terminal: no progress line
    json_out = r.stdout
    assert json_out.startswith("{") or args[0] == "validate"


def test_cli_build_verbose_breakdown(tmp_path: Path) -> None:
    r = CliRunner().invoke(main, ["build", RELAY, "-o", str(tmp_path / "out"), "-v", "-q"])
    assert r.exit_code == 1, r.stderr
    (line,) = [ln for ln in r.stderr.splitlines() if ln.startswith("timing: ")]
    assert re.findall(r"(\w+)=", line) == ["imports", "parse", "schema", "references", "build",
                                           "output", "total"]


def test_cli_no_breakdown_without_verbose() -> None:
    r = CliRunner().invoke(main, ["check", RELAY, "--format", "json"])
    assert "timing:" not in r.stderr and "\r" not in r.stderr


def _run_on_a_terminal(*args: str) -> tuple[int, str]:
    """Run the CLI with stderr on a pseudo-terminal; stdout is a pipe."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    try:
        proc = subprocess.run([sys.executable, "-m", "dataflow", *args], stderr=slave,
                              stdout=subprocess.PIPE, cwd=ROOT, timeout=120)
    finally:
        os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO once the pty is drained and closed
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return proc.returncode, b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_cli_progress_on_a_terminal() -> None:
    code, err = _run_on_a_terminal("check", RELAY, "--format", "json", "-o", os.devnull)
    assert code == 1
    assert "\r\x1b[Kdataflow: loading " in err
    assert "3 file(s) · analysing · checking" in err
    assert err.endswith("\r\x1b[K")  # erased: nothing left behind


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_cli_quiet_on_a_terminal() -> None:
    code, err = _run_on_a_terminal("transfers", RELAY, "--quiet", "--format", "json")
    assert code == 0
    assert err == ""
