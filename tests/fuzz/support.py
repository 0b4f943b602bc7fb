"""Shared machinery of the fuzz suite: the guarded core call and the invariants every run keeps.

Every generated case goes through :func:`exercise` (or :func:`exercise_files`): the model is
written to disk, ``dataflow.validate_model`` reads it under a 20 s guard, the result must be a
list of well-formed diagnostics (never an exception), and a valid model is also analysed
(``dataflow.transfers.analyse``), checked (``dataflow.check.check``) and serialised the way the
CLI does (transfers JSON/CSV, check JSON, SARIF). A regime that crashes inside ``check`` is
turned into a ``CHK004`` finding by dataflow; here that counts as a crash too.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, event, settings

from dataflow import __version__, validate_model
from dataflow.api import Validation, envelope
from dataflow.catalog import load_catalogue
from dataflow.check import all_finding_codes, check, check_json
from dataflow.codes import LOADER_CODES
from dataflow.diagnostics import Diagnostic
from dataflow.render.sarif import to_sarif
from dataflow.render.tables import transfers_csv
from dataflow.transfers import analyse, analysis_json

FUZZ_DIR = Path(__file__).resolve().parent
CORPUS_DIR = FUZZ_DIR / "corpus"
ROOT = FUZZ_DIR.parent.parent
EXAMPLES_DIR = ROOT / "examples"

GUARD_SECONDS = 20
# Loading the built-in catalogue costs ~0.1 s per call; the fuzz cases share one copy (the
# catalogue is immutable: overlays return a new one, which test_corpus checks).
CATALOGUE = load_catalogue()
FINDING_CODES = all_finding_codes()
_CODE_RE = re.compile(r"^DF\d{3}$")


# DATAFLOW_FUZZ_SCALE=10 runs ten times as many cases (a longer local hunt); CI runs scale 1.
FUZZ_SCALE = float(os.environ.get("DATAFLOW_FUZZ_SCALE", "1"))


def fuzz_settings(max_examples: int) -> settings:
    """Reproducible in CI: derandomized, no example database, no deadline (the guard is ours)."""
    return settings(max_examples=max(1, round(max_examples * FUZZ_SCALE)), deadline=None,
                    derandomize=True, database=None, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much,
                                           HealthCheck.function_scoped_fixture])


class GuardTimeout(BaseException):
    """Raised by the guard; a BaseException so that no ``except Exception`` can swallow it."""


GUARD_MEMORY = 2 * 1024**3  # address space a case may add before it gets MemoryError


def _address_space() -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


@contextlib.contextmanager
def guard(seconds: float = GUARD_SECONDS, what: str = "case") -> Iterator[None]:
    """Abort the body after ``seconds`` (SIGALRM; the tests run in the main thread), and cap
    the memory it may add (RLIMIT_AS soft limit: a runaway case fails with MemoryError instead
    of taking the machine down; C code that ignores signals cannot outgrow it either)."""

    def on_alarm(signum: int, frame: Any) -> None:
        raise GuardTimeout(f"{what} took longer than {seconds} s (a hang?)")

    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    used = _address_space()
    capped = False
    if used is not None and soft == resource.RLIM_INFINITY:
        limit = used + GUARD_MEMORY
        if hard == resource.RLIM_INFINITY or limit < hard:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
            capped = True
    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
        if capped:
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


# ----------------------------------------------------------------------------- writing models

def dump_yaml(data: Any) -> str:
    """YAML text for plain data (unicode kept as written; control characters get escaped)."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100,
                          default_flow_style=None)


def write_files(folder: Path, files: Mapping[str, str | bytes]) -> Path:
    """Replace ``folder``'s content by ``files`` (relative name -> text or bytes)."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name, content in files.items():
        p = folder / name
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            p.write_text(content, encoding="utf-8", errors="surrogatepass")
        else:
            p.write_bytes(content)
    return folder


# ----------------------------------------------------------------------------- invariants

def check_diagnostic(d: Any, texts: Mapping[str, str] | None = None) -> None:
    """A diagnostic has a known code, a severity, a message and, for errors, a position."""
    assert isinstance(d, Diagnostic), f"not a Diagnostic: {d!r}"
    assert _CODE_RE.match(d.code), f"unexpected diagnostic code {d.code!r}"
    assert d.code in LOADER_CODES, f"code {d.code} is not documented in dataflow/codes.py"
    assert d.severity in ("error", "warning", "info"), d
    assert isinstance(d.message, str) and d.message.strip(), d
    if d.severity == "error":
        assert d.file, f"error without a file: {d}"
    if d.line is not None:
        assert isinstance(d.line, int) and d.line >= 1, d
    if d.col is not None:
        assert d.line is not None and isinstance(d.col, int) and d.col >= 1, d
    json.dumps(d.to_json(), ensure_ascii=False)


def check_validation(result: Any) -> None:
    assert isinstance(result, Validation), type(result)
    assert isinstance(result.diagnostics, list)
    for d in result.diagnostics:
        check_diagnostic(d)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if result.model is not None:
        assert not errors, "a model came back together with errors"
    else:
        assert errors, "no model and no error: the user is told nothing"
    assert result.ok == (result.model is not None and not errors)


def exercise_model(result: Validation) -> dict[str, Any]:
    """Analyse and check a valid model, and serialise every machine output."""
    model = result.model
    assert model is not None
    analysis = analyse(model)
    for d in analysis.diagnostics:
        check_diagnostic(d)
    base = envelope(model)
    doc = analysis_json(analysis, base)
    json.dumps(doc, ensure_ascii=False, sort_keys=True)
    transfers_csv(doc)
    res = check(model, analysis)
    crashed = [f for f in res.findings if f.code == "CHK004"]
    assert not crashed, "a regime crashed: " + "; ".join(f"{f.message} ({f.hint})"
                                                         for f in crashed)
    for f in res.findings:
        assert f.code in FINDING_CODES, f"undocumented finding code {f.code}"
    cdoc = check_json(res, base)
    json.dumps(cdoc, ensure_ascii=False, sort_keys=True)
    json.dumps(to_sarif(res.findings, FINDING_CODES, __version__), ensure_ascii=False)
    return {"transfers": len(analysis.transfers), "findings": len(res.findings)}


# ----------------------------------------------------------------------------- known bugs
# Bugs the fuzzers found and that are not fixed yet. Each has a minimal reproducing test marked
# xfail(strict=True) (named in ``test``); while it fails, the fuzzers tolerate exactly that
# signature (exception type, message, innermost dataflow function) so that CI stays green and
# every *other* failure still stops the run. When a fix lands, the xfail test passes, strict
# xfail turns that into a failure, and the entry here must be deleted with the xfail marker.


@dataclass(frozen=True)
class KnownBug:
    name: str
    exc_type: type[BaseException]
    message: str  # a fragment of str(exc)
    functions: tuple[str, ...]  # the innermost frame under dataflow/ is one of these
    test: str


KNOWN_BUGS: tuple[KnownBug, ...] = (
    # Found by this suite and fixed since (their reproductions in test_known_bugs.py are now
    # regression tests): odd-key-in-object (IndexError in validate._translate),
    # unhashable-reference (TypeError in resolve), count-beyond-64-bit (orjson TypeError in
    # model_digest), duplicate-key-hang (yamlparse._first_key). Template for a new one:
    # KnownBug("name", TypeError, "message fragment", ("innermost_dataflow_function",),
    #          "tests/...::test_reproduction"),
)
KNOWN_BUG_HITS: Counter[str] = Counter()
_DATAFLOW_DIR = os.sep + "dataflow" + os.sep


def _innermost_dataflow_function(exc: BaseException) -> str | None:
    tb = exc.__traceback__
    name = None
    while tb is not None:
        if _DATAFLOW_DIR in tb.tb_frame.f_code.co_filename:
            name = tb.tb_frame.f_code.co_name
        tb = tb.tb_next
    return name


def known_bug(exc: BaseException) -> KnownBug | None:
    where = _innermost_dataflow_function(exc)
    for bug in KNOWN_BUGS:
        if isinstance(exc, bug.exc_type) and bug.message in str(exc) and where in bug.functions:
            return bug
    return None


def run_path(path: str | os.PathLike[str], *, max_file_bytes: int | None = None,
             full: bool = True) -> Validation | None:
    """The core call under the guard, with every invariant checked. Returns None when a known
    (xfail-tracked) bug struck instead."""
    kwargs: dict[str, Any] = {"catalogue": CATALOGUE}
    if max_file_bytes is not None:
        kwargs["max_file_bytes"] = max_file_bytes
    try:
        with guard(what=f"validate_model({os.fspath(path)!r})"):
            result = validate_model(path, **kwargs)
            check_validation(result)
            if full and result.model is not None:
                exercise_model(result)
    except (Exception, GuardTimeout) as exc:
        bug = known_bug(exc)
        if bug is None:
            raise
        KNOWN_BUG_HITS[bug.name] += 1
        with contextlib.suppress(Exception):
            event(f"known bug {bug.name}")
        return None
    with contextlib.suppress(Exception):  # statistics (pytest --hypothesis-show-statistics)
        first = next((d.code for d in result.diagnostics if d.severity == "error"), None)
        event("valid model" if result.ok else f"invalid, first error {first}")
    return result


def exercise_text(folder: Path, text: str | bytes, name: str = "model.yaml"
                  ) -> Validation | None:
    """One file holding ``text`` (rewritten in place: cheaper than a fresh folder per case)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    # unlink, then create: rewriting a file in place makes ext4 flush it (auto_da_alloc), ~10x
    # slower than a fresh file
    path.unlink(missing_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
    return run_path(path)


def exercise_files(folder: Path, files: Mapping[str, str | bytes]) -> Validation | None:
    """A folder model."""
    write_files(folder, files)
    return run_path(folder)


def error_codes(result: Validation | None) -> list[str]:
    assert result is not None, "a known bug struck"
    return sorted({d.code for d in result.diagnostics if d.severity == "error"})
