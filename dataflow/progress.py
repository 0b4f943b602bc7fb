"""A tiny progress reporter for long runs: stage messages on stderr and a timing breakdown.

One :class:`Progress` serves one command run. ``stage(key, message)`` ends the running stage
(its time is recorded under its key) and starts the next:

* on a terminal (the stream's ``isatty()``) and without ``quiet``, one transient line shows the
  stages so far and the elapsed time — ``dataflow: 206 files · analysing · checking… 3.1s`` —
  rewritten in place and erased by :meth:`Progress.clear` (before anything else is printed) and by
  :meth:`Progress.done`; nothing at all is written when the stream is a pipe or a file;
* with ``verbose``, :meth:`Progress.done` writes one line, TTY or not: ``timing: imports=0.412s
  parse=0.120s schema=0.050s references=0.031s analysis=0.010s regimes=0.021s output=0.004s
  total=0.648s`` (the stages that ran, in the order of :data:`STAGES`, then any others).

Nothing is global: the stream, the clock and the start-up time are passed in (``process_age()``
measures the last one where the platform allows), so tests drive it with a fake stream and
clock. The reporter starts no thread: the line changes at stage boundaries only.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from typing import Protocol

__all__ = ["STAGES", "Progress", "process_age"]

#: The stages of a run in the order the breakdown lists them. ``imports`` is the time from the
#: start of the process to the start of the command (interpreter start-up and imports);
#: ``parse``, ``schema`` and ``references`` come from :attr:`dataflow.api.Validation.timings`.
STAGES = ("imports", "parse", "schema", "references", "analysis", "regimes", "build", "output")

ERASE = "\r\x1b[K"  # carriage return, then erase to the end of the line
DEFAULT_WIDTH = 80


class Stream(Protocol):
    def write(self, text: str, /) -> int: ...

    def flush(self) -> None: ...


def _isatty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if callable(isatty) else False
    except (OSError, ValueError):  # a closed or detached stream
        return False


def _width(stream: object) -> int:
    fileno = getattr(stream, "fileno", None)
    try:
        columns = os.get_terminal_size(fileno()).columns if callable(fileno) else 0
    except (OSError, ValueError, AttributeError):
        return DEFAULT_WIDTH
    return max(20, columns) if columns else DEFAULT_WIDTH  # a new pty may say 0


class Progress:
    """Stage messages on a terminal, a timing breakdown with ``verbose``.

    ``stream`` ``None`` makes a silent reporter that still keeps the timings. ``width`` defaults
    to the terminal's; the line is cut to fit so that ``\\r`` can always erase it."""

    def __init__(self, stream: Stream | None, *, quiet: bool = False, verbose: bool = False,
                 startup: float | None = None, clock: Callable[[], float] = time.perf_counter,
                 prefix: str = "dataflow: ", width: int | None = None) -> None:
        self.stream = stream
        self.show = stream is not None and not quiet and _isatty(stream)
        self.verbose = verbose and stream is not None
        self._clock = clock
        self._start = clock()
        self._prefix = prefix
        self._width = width if width is not None else (_width(stream) if self.show else 0)
        self._timings: dict[str, float] = {}
        if startup is not None:
            self._timings["imports"] = max(0.0, startup)
        self._current: str | None = None
        self._since = self._start
        self._crumbs: list[str] = []
        self._shown = False
        self._done = False
        self._total = 0.0

    # ------------------------------------------------------------------ stages

    def stage(self, key: str, message: str) -> None:
        """End the running stage and start ``key``; show ``message`` on a terminal."""
        self.end()
        if self._done:
            return
        self._current = key
        self._since = self._clock()
        self._crumbs.append(message)
        if self.show:
            self._draw()

    def end(self, parts: Mapping[str, float] | None = None, *, label: str | None = None) -> None:
        """End the running stage. ``parts`` records finer timings measured inside it instead of
        its own time (e.g. parse/schema/references for a load); ``label`` replaces its message
        in the line (e.g. ``206 files`` once a model is loaded)."""
        if self._current is None:
            return
        spent = self._clock() - self._since
        if parts:
            for k, v in parts.items():
                self.add(k, v)
        else:
            self.add(self._current, spent)
        if label is not None and self._crumbs:
            self._crumbs[-1] = label
        self._current = None

    def add(self, key: str, seconds: float) -> None:
        """Record time spent on ``key`` (added to what is already there)."""
        self._timings[key] = self._timings.get(key, 0.0) + max(0.0, seconds)

    def clear(self) -> None:
        """Erase the progress line (call it before printing anything else on the terminal)."""
        if self._shown and self.stream is not None:
            self.stream.write(ERASE)
            self.stream.flush()
        self._shown = False

    def done(self) -> None:
        """End the run: erase the line; with ``verbose`` write the breakdown. Idempotent."""
        if self._done:
            return
        self.end()
        self.clear()
        self._done = True
        self._total = self._clock() - self._start
        if self.verbose and self.stream is not None:
            self.stream.write(self.breakdown() + "\n")
            self.stream.flush()

    # ------------------------------------------------------------------ reading

    @property
    def timings(self) -> dict[str, float]:
        """The recorded seconds per stage, in the order of :data:`STAGES` then any others."""
        known = [k for k in STAGES if k in self._timings]
        other = [k for k in self._timings if k not in STAGES]
        return {k: self._timings[k] for k in (*known, *other)}

    def elapsed(self) -> float:
        """Seconds since the reporter was made (frozen once :meth:`done`)."""
        return self._total if self._done else self._clock() - self._start

    def breakdown(self) -> str:
        """``timing: imports=…s parse=…s … total=…s``; total counts the imports too."""
        timings = self.timings
        total = self.elapsed() + timings.get("imports", 0.0)
        parts = [f"{k}={v:.3f}s" for k, v in timings.items()]
        parts.append(f"total={total:.3f}s")
        return "timing: " + " ".join(parts)

    def line(self) -> str:
        """The text of the progress line as it would be drawn now."""
        if not self._crumbs:
            return ""
        crumbs = list(self._crumbs)
        if self._current is not None:
            crumbs[-1] += "…"
        text = f"{self._prefix}{' · '.join(crumbs)} {self.elapsed():.1f}s"
        limit = self._width - 1 if self._width else 0
        if limit and len(text) > limit:
            text = "…" + text[len(text) - limit + 1:]
        return text

    def _draw(self) -> None:
        assert self.stream is not None
        self.stream.write(ERASE + self.line())
        self.stream.flush()
        self._shown = True


def process_age() -> float | None:
    """Seconds since this process started: wall time on Linux (``/proc``), else the CPU time
    used so far (start-up and imports are CPU-bound, so close to it); ``None`` if neither works."""
    try:
        with open("/proc/self/stat", "rb") as f:
            stat = f.read()
        fields = stat.rsplit(b")", 1)[1].split()
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")  # field 22: starttime, in ticks
        age = time.clock_gettime(time.CLOCK_BOOTTIME) - started
        if 0.0 <= age < 365 * 86400:
            return age
    except (OSError, ValueError, IndexError, AttributeError):
        pass
    try:
        return time.process_time()
    except OSError:
        return None
