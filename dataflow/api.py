"""The public entry points: load a model, validate it. The CLI is a thin layer over these."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from .catalog import Catalogue, load_catalogue
from .diagnostics import Diagnostic, InvalidModel, cap_diagnostics, sort_diagnostics
from .loader import DEFAULT_MAX_FILE_BYTES, load_raw
from .parsecache import ParseCache
from .parsecache import enabled as cache_enabled
from .resolve import ResolvedModel, resolve
from .validate import validate_shapes


@dataclass
class Validation:
    model: ResolvedModel | None
    diagnostics: list[Diagnostic]
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.model is not None and not any(d.severity == "error" for d in self.diagnostics)


def validate_model(path: str | os.PathLike[str], *, as_of: dt.date | None = None,
                   max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
                   catalogue: Catalogue | None = None,
                   cache: bool | str | os.PathLike[str] | ParseCache = False,
                   compact: bool = True) -> Validation:
    """Load and check a model; never raises for bad input.

    ``cache``: keep parse results by file content (``dataflow.parsecache``): True for the default
    folder, a folder, or a ``ParseCache``; ignored when ``DATAFLOW_CACHE=0``. ``compact=False``
    skips sharing equal strings between the objects: for a caller that only reads the
    diagnostics (the memory it saves matters only to a model that is kept)."""
    with paused_gc():
        return _validate_model(path, as_of, max_file_bytes, catalogue, _cache(cache), compact)


def _cache(cache: bool | str | os.PathLike[str] | ParseCache) -> ParseCache | None:
    if cache is False or not cache_enabled():
        return None
    if isinstance(cache, ParseCache):
        return cache
    return ParseCache(None if cache is True else cache)


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Building many small objects: the cyclic GC would rescan them again and again for nothing
    (loading creates no reference cycles worth collecting)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _validate_model(path: str | os.PathLike[str], as_of: dt.date | None, max_file_bytes: int,
                    catalogue: Catalogue | None, cache: ParseCache | None = None,
                    compact: bool = True) -> Validation:
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    raw = load_raw(path, max_file_bytes=max_file_bytes, cache=cache)
    t1 = time.perf_counter()
    timings["parse"] = t1 - t0
    diags = list(raw.diagnostics)
    model = None
    if not any(d.severity == "error" for d in diags) or raw.data:
        info, objects, overlay, shape_diags = validate_shapes(raw, compact=compact)
        t2 = time.perf_counter()
        timings["schema"] = t2 - t1
        diags.extend(shape_diags)
        cat = catalogue or load_catalogue()
        model, ref_diags = resolve(raw, info, objects, cat, overlay, as_of)
        timings["references"] = time.perf_counter() - t2
        diags.extend(ref_diags)
        if any(d.severity == "error" for d in diags):
            model = None
    return Validation(model, cap_diagnostics(sort_diagnostics(diags)), timings)


def load(path: str | os.PathLike[str], *, as_of: dt.date | None = None,
         max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
         catalogue: Catalogue | None = None) -> ResolvedModel:
    """Load a valid model or raise :class:`InvalidModel` with every diagnostic."""
    result = validate_model(path, as_of=as_of, max_file_bytes=max_file_bytes, catalogue=catalogue)
    if result.model is None:
        raise InvalidModel(result.diagnostics)
    return result.model


SCHEMA_VERSION = "1"


def envelope(model: ResolvedModel) -> dict[str, object]:
    """The head every JSON output starts with (no clock time: dates come from the model)."""
    from . import __version__

    return {
        "schema_version": SCHEMA_VERSION,
        "tool_version": __version__,
        "catalogue_version": model.catalogue.version,
        "catalogue_as_of": model.catalogue.as_of,
        "catalogue_overlays": list(model.catalogue.overlays_used),
        "model": {"name": model.name, "digest": model.digest},
        "evaluation_date": model.evaluation_date.isoformat(),
        "reporting_year": model.reporting_year,
    }
