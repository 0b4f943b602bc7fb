"""The built-in catalogue: loading, location resolution, areas, suggestions and model overlays."""

from __future__ import annotations

import datetime as _dt
import difflib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from importlib import resources
from types import MappingProxyType
from typing import Any, cast

from .closematch import CloseMatcher
from .models import (
    CONFIDENCE_LEVELS,
    CategoryDef,
    CloudRegion,
    Jurisdiction,
    ProcessingScope,
    Provider,
    ResolvedLocation,
    weakest,
)

__all__ = ["Catalogue", "CatalogueError", "catalogue_age_warning", "load_catalogue"]

_DATA_FILES = (
    "catalogue",
    "jurisdictions",
    "regions",
    "providers",
    "authorities",
    "taxonomy",
    "adequacy",
)
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
_SUBDIVISION_RE = re.compile(r"^([A-Z]{2})-[A-Z0-9]{1,3}$")
_REGION_ID_RE = re.compile(r"^([a-z0-9][a-z0-9._-]*):([a-z0-9][a-z0-9._-]*)$")
_IO_RE = re.compile(r"^io:[a-z0-9][a-z0-9._-]*$")
_PROCESSING_KEYWORDS = frozenset({"EU", "unknown", "by-region", "by-geography", "upstream"})
_AREA_ALIASES = {"UK": "GB"}
_OVERLAY_SECTIONS = ("jurisdictions", "regions", "providers")


class CatalogueError(ValueError):
    """A catalogue file or a model overlay is invalid; the message names the entry and field."""


JsonDict = dict[str, Any]


def _ro(mapping: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping or {}))


def _opt_str(value: Any, where: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise CatalogueError(f"{where}: expected a string, got {value!r}")


def _req_str(value: Any, where: str) -> str:
    if isinstance(value, str) and value:
        return value
    raise CatalogueError(f"{where}: a non-empty string is required, got {value!r}")


def _str_tuple(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise CatalogueError(f"{where}: expected a list of strings, got {value!r}")


def _confidence(value: Any, where: str) -> str:
    if value in CONFIDENCE_LEVELS:
        return cast(str, value)
    raise CatalogueError(f"{where}: confidence must be V, K or U, got {value!r}")


def _field_confidence(value: Any, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise CatalogueError(f"{where}: field_confidence must be a mapping")
    return {str(k): _confidence(v, f"{where}.field_confidence.{k}") for k, v in value.items()}


def _opt_bool(value: Any, where: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise CatalogueError(f"{where}: expected true, false or null, got {value!r}")


# ------------------------------------------------------------------------------------------------
# record <-> mapping


def _jurisdiction(d: Mapping[str, Any], where: str) -> Jurisdiction:
    cac = d.get("cac")
    if cac is not None and not isinstance(cac, Mapping):
        raise CatalogueError(f"{where}.cac: expected a mapping")
    known = {
        "code",
        "name_en",
        "name_zh",
        "kind",
        "parent",
        "groups",
        "source",
        "confidence",
        "as_of",
        "name_iso",
        "name_zh_formal",
        "members",
        "territories",
        "cac",
        "notes",
        "field_confidence",
        "overlaid_fields",
        "extra",
    }
    extra = dict(d.get("extra") or {})
    extra.update({k: v for k, v in d.items() if k not in known})
    kind = _req_str(d.get("kind"), f"{where}.kind")
    if kind not in ("country", "subdivision", "group", "io"):
        raise CatalogueError(
            f"{where}.kind: must be country, subdivision, group or io, got {kind!r}"
        )
    return Jurisdiction(
        code=_req_str(d.get("code"), f"{where}.code"),
        name_en=_req_str(d.get("name_en"), f"{where}.name_en"),
        name_zh=_opt_str(d.get("name_zh"), f"{where}.name_zh"),
        kind=kind,
        parent=_opt_str(d.get("parent"), f"{where}.parent"),
        groups=tuple(sorted(_str_tuple(d.get("groups"), f"{where}.groups"))),
        source=_req_str(d.get("source"), f"{where}.source"),
        confidence=_confidence(d.get("confidence"), where),
        as_of=_req_str(d.get("as_of"), f"{where}.as_of"),
        name_iso=_opt_str(d.get("name_iso"), f"{where}.name_iso"),
        name_zh_formal=_opt_str(d.get("name_zh_formal"), f"{where}.name_zh_formal"),
        members=_str_tuple(d.get("members"), f"{where}.members"),
        territories=_str_tuple(d.get("territories"), f"{where}.territories"),
        cac=_ro(cac) if cac is not None else None,
        notes=_opt_str(d.get("notes"), f"{where}.notes"),
        field_confidence=_ro(_field_confidence(d.get("field_confidence"), where)),
        extra=_ro(extra),
        overlaid_fields=_str_tuple(d.get("overlaid_fields"), f"{where}.overlaid_fields"),
    )


def _region(d: Mapping[str, Any], where: str) -> CloudRegion:
    fc = _field_confidence(d.get("field_confidence"), where)
    return CloudRegion(
        id=_req_str(d.get("id"), f"{where}.id"),
        provider=_req_str(d.get("provider"), f"{where}.provider"),
        region=_req_str(d.get("region"), f"{where}.region"),
        name=_req_str(d.get("name"), f"{where}.name"),
        jurisdiction=_req_str(d.get("jurisdiction"), f"{where}.jurisdiction"),
        subdivision=_opt_str(d.get("subdivision"), f"{where}.subdivision"),
        city=_opt_str(d.get("city"), f"{where}.city"),
        operator_note=_opt_str(d.get("operator_note"), f"{where}.operator_note"),
        source=_req_str(d.get("source"), f"{where}.source"),
        confidence=_confidence(d.get("confidence"), where),
        as_of=_req_str(d.get("as_of"), f"{where}.as_of"),
        uncertain_fields=tuple(sorted(k for k, v in fc.items() if v == "U")),
        name_zh=_opt_str(d.get("name_zh"), f"{where}.name_zh"),
        notes=_opt_str(d.get("notes"), f"{where}.notes"),
        status=_opt_str(d.get("status"), f"{where}.status"),
        access=_opt_str(d.get("access"), f"{where}.access"),
        name_derived=bool(d.get("name_derived", False)),
        field_confidence=_ro(fc),
        extra=_ro(d.get("extra")),
        overlaid_fields=_str_tuple(d.get("overlaid_fields"), f"{where}.overlaid_fields"),
    )


def _provider(d: Mapping[str, Any], where: str) -> Provider:
    rows = d.get("processing_jurisdictions")
    if not isinstance(rows, (list, tuple)):
        raise CatalogueError(
            f"{where}.processing_jurisdictions: expected a list of {{scope, jurisdictions}}"
        )
    scopes = []
    for i, row in enumerate(rows):
        if isinstance(row, ProcessingScope):
            scopes.append(row)
            continue
        if not isinstance(row, Mapping):
            raise CatalogueError(f"{where}.processing_jurisdictions[{i}]: expected a mapping")
        scopes.append(
            ProcessingScope(
                scope=_req_str(row.get("scope"), f"{where}.processing_jurisdictions[{i}].scope"),
                jurisdictions=_str_tuple(
                    row.get("jurisdictions"), f"{where}.processing_jurisdictions[{i}].jurisdictions"
                ),
            )
        )
    filed = d.get("cn_genai_filed")
    if not (filed is None or isinstance(filed, (bool, str))):
        raise CatalogueError(f"{where}.cn_genai_filed: expected true, false, 'unknown' or null")
    fc = _field_confidence(d.get("field_confidence"), where)
    notes = d.get("field_confidence_notes") or {}
    return Provider(
        id=_req_str(d.get("id"), f"{where}.id"),
        name=_req_str(d.get("name"), f"{where}.name"),
        name_zh=_opt_str(d.get("name_zh"), f"{where}.name_zh"),
        jurisdiction=_req_str(d.get("jurisdiction"), f"{where}.jurisdiction"),
        serves_mainland_china=_opt_bool(
            d.get("serves_mainland_china"), f"{where}.serves_mainland_china"
        ),
        cn_genai_filed=filed,
        processing_jurisdictions=tuple(scopes),
        source=_req_str(d.get("source"), f"{where}.source"),
        confidence=_confidence(d.get("confidence"), where),
        as_of=_req_str(d.get("as_of"), f"{where}.as_of"),
        kind=_opt_str(d.get("kind"), f"{where}.kind") or "",
        operator_entity=_opt_str(d.get("operator_entity"), f"{where}.operator_entity"),
        operator_subdivision=_opt_str(
            d.get("operator_subdivision"), f"{where}.operator_subdivision"
        ),
        api_hosts=_str_tuple(d.get("api_hosts"), f"{where}.api_hosts"),
        notes=_opt_str(d.get("notes"), f"{where}.notes"),
        uncertain_fields=tuple(sorted(k for k, v in fc.items() if v == "U")),
        field_confidence=_ro(fc),
        field_confidence_notes=_ro(notes),
        overlaid_fields=_str_tuple(d.get("overlaid_fields"), f"{where}.overlaid_fields"),
    )


def _category(d: Mapping[str, Any]) -> CategoryDef:
    return CategoryDef(
        id=d["id"],
        name=d["name"],
        name_zh=d["name_zh"],
        personal=d["personal"],
        sensitive=d["sensitive"],
        special=d["special"],
        doj=d["doj"],
        source=d["source"],
        confidence=d["confidence"],
        parent=d["parent"],
        pipl_class=d["pipl_class"],
        overlays=tuple(d["overlays"]),
        note=d["note"],
        as_of=d["as_of"],
    )


def _as_mapping(record: Jurisdiction | CloudRegion | Provider) -> JsonDict:
    """The mapping form of a record (inverse of the parsers above), for field-by-field merges."""
    out: JsonDict = {}
    for name in record.__dataclass_fields__:
        value = getattr(record, name)
        if isinstance(value, tuple) and value and isinstance(value[0], ProcessingScope):
            value = [{"scope": s.scope, "jurisdictions": list(s.jurisdictions)} for s in value]
        elif isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, MappingProxyType):
            value = dict(value)
        out[name] = value
    if isinstance(record, Jurisdiction):
        # ``extra`` keys are flattened back so that an overlay may change them too
        out.update(out.pop("extra"))
    out.pop("uncertain_fields", None)
    return out


# ------------------------------------------------------------------------------------------------
# the catalogue


_OVERLAY_FIELDS: dict[str, frozenset[str]] = {
    "jurisdictions": frozenset(
        {
            "name_en",
            "name_zh",
            "name_zh_formal",
            "name_iso",
            "kind",
            "parent",
            "groups",
            "source",
            "confidence",
            "as_of",
            "notes",
            "cac",
            "field_confidence",
        }
    ),
    "regions": frozenset(
        {
            "provider",
            "region",
            "name",
            "name_zh",
            "jurisdiction",
            "subdivision",
            "city",
            "operator_note",
            "notes",
            "status",
            "access",
            "source",
            "confidence",
            "as_of",
            "field_confidence",
        }
    ),
    "providers": frozenset(
        {
            "name",
            "name_zh",
            "kind",
            "operator_entity",
            "jurisdiction",
            "operator_subdivision",
            "processing_jurisdictions",
            "api_hosts",
            "serves_mainland_china",
            "cn_genai_filed",
            "notes",
            "source",
            "confidence",
            "as_of",
            "field_confidence",
        }
    ),
}
_OVERLAY_REQUIRED: dict[str, tuple[str, ...]] = {
    "jurisdictions": ("name_en",),
    "regions": ("name", "jurisdiction"),
    "providers": ("name", "jurisdiction"),
}


@dataclass(frozen=True, eq=False)
class Catalogue:
    """The built-in catalogue (immutable; ``with_overlays`` returns a new one).

    Locations (``resolve_location``): an ISO 3166-1 alpha-2 code (``"CN"``, ``"HK"``, ``"NO"``);
    an ISO 3166-2 code (``"CN-ZJ"``, ``"US-CA"``); a cloud region ``"provider:region"``; an
    international organisation ``"io:epo"``; a group ``"EU"``/``"EEA"`` (somewhere inside it); or
    ``"unknown"``.
    Codes are case-sensitive like ISO (``"cn"`` is not a location; ``suggest`` proposes ``"CN"``).

    Aliases (documented decisions):
      * ``"UK"`` and ``"EL"`` (exceptionally reserved ISO codes) resolve to ``GB`` and ``GR``;
      * ``CN-HK``, ``CN-MO``, ``CN-TW`` (listed in ISO 3166-2:CN) resolve to ``HK``, ``MO``,
        ``TW`` - outside the mainland for PRC export rules - and ISO 3166-2 codes of overseas
        countries and territories with their own ISO 3166-1 code (``FR-NC``, ``NL-AW``, ``NO-21``
        Svalbard ...) resolve to that code; the resolution's ``source`` says so.

    ``adequacy`` / ``uk_adequacy`` map a destination code (``"JP"``, ``"US"``, ``"io:epo"``) to its
    EU (GDPR Art. 45) / UK entry; ``adequacy_meta`` holds the legal bases and notes of those lists
    and of ``doj_countries_of_concern`` / ``padfa_countries``.
    """

    version: str
    as_of: str
    jurisdictions: Mapping[str, Jurisdiction]
    regions: Mapping[str, CloudRegion]
    categories: Mapping[str, CategoryDef]
    providers: Mapping[str, Provider]
    eea_authorities: Mapping[str, dict[str, Any]]
    gba_cities: Mapping[str, dict[str, Any]]
    adequacy: Mapping[str, dict[str, Any]]
    uk_adequacy: Mapping[str, dict[str, Any]]
    doj_countries_of_concern: frozenset[str]
    padfa_countries: frozenset[str]
    overlays_used: tuple[str, ...] = ()
    cloud_providers: Mapping[str, dict[str, Any]] = field(default_factory=dict, repr=False)
    adequacy_meta: Mapping[str, dict[str, Any]] = field(default_factory=dict, repr=False)
    aliases: Mapping[str, dict[str, Any]] = field(default_factory=dict, repr=False)

    # -- locations ------------------------------------------------------------------------------

    def resolve_location(self, loc: str) -> ResolvedLocation | None:
        """Resolve a location string; None when it is not a known location (see the class doc)."""
        if not isinstance(loc, str):
            return None
        if loc == "unknown":
            return ResolvedLocation(
                raw=loc,
                jurisdiction="unknown",
                subdivision=None,
                region=None,
                confidence="U",
                source="explicit 'unknown' location: treat as a possible transfer",
                kind="unknown",
            )
        j = self.jurisdictions.get(loc)
        if j is not None:
            return self._resolved_jurisdiction(loc, j)
        if ":" in loc:
            r = self.regions.get(loc)
            if r is None:
                return None
            conf = weakest(r.confidence, r.field_confidence.get("jurisdiction", r.confidence))
            if r.subdivision is not None:
                conf = weakest(conf, r.field_confidence.get("subdivision", conf))
            if r.jurisdiction == "unknown":
                conf = "U"
            return ResolvedLocation(
                raw=loc,
                jurisdiction=r.jurisdiction,
                subdivision=r.subdivision,
                region=r.id,
                confidence=conf,
                source=r.source,
                kind="region",
                uncertain_fields=r.uncertain_fields,
            )
        alias = self.aliases.get(loc)
        if alias is not None:
            target = self.jurisdictions.get(str(alias["to"]))
            if target is None:
                return None
            return ResolvedLocation(
                raw=loc,
                jurisdiction=target.code,
                subdivision=None,
                region=None,
                confidence=weakest(str(alias["confidence"]), target.confidence),
                source=str(alias["source"]),
                kind=target.kind,
            )
        return None

    def _resolved_jurisdiction(self, raw: str, j: Jurisdiction) -> ResolvedLocation:
        subdivision = j.code if j.kind == "subdivision" else None
        return ResolvedLocation(
            raw=raw,
            jurisdiction=(j.parent or raw.split("-", 1)[0]) if subdivision else j.code,
            subdivision=subdivision,
            region=None,
            confidence=j.confidence,
            source=j.source,
            kind=j.kind,
            uncertain_fields=j.uncertain_fields,
        )

    def _jurisdiction_code(self, loc: str) -> tuple[str, str | None]:
        if loc == "unknown":
            return "unknown", None
        res = self.resolve_location(loc)
        if res is None:
            raise CatalogueError(
                f"not a known location: {loc!r}" + _hint(self.suggest("location", loc))
            )
        return res.jurisdiction, res.subdivision

    def in_area(self, jurisdiction: str, area: str) -> bool:
        """Whether a location lies inside an area.

        ``jurisdiction`` may be any location string ``resolve_location`` accepts.  ``area`` is
        ``"CN"`` (mainland China only: HK, MO and TW are outside), ``"EEA"`` (EU27 + IS, LI, NO),
        ``"EU"``, ``"UK"`` (= ``"GB"``; Crown dependencies and Gibraltar are outside), or any single
        country, subdivision or ``io:`` code.  ``"unknown"`` is inside no area (treat it as a
        possible transfer).  A group location (``"EU"``) is inside an area only if every member is.
        Raises CatalogueError for an unknown location or area.
        """
        code, subdivision = self._jurisdiction_code(jurisdiction)
        area = _AREA_ALIASES.get(area, area)
        if code == "unknown":
            if area not in self.jurisdictions:
                raise CatalogueError(f"unknown area {area!r}")
            return False
        target = self.jurisdictions.get(area)
        if target is None:
            raise CatalogueError(f"unknown area {area!r}" + _hint(self.suggest("location", area)))
        if target.kind == "group":
            if code == area:
                return True
            j = self.jurisdictions[code]
            if j.kind == "group":
                return set(j.members) <= set(target.members)
            return area in j.groups
        if target.kind == "subdivision":
            return subdivision == area
        return code == area

    def areas_of(self, loc: str) -> frozenset[str]:
        """The areas a location is inside: country (and subdivision), groups, ``"UK"`` for GB."""
        code, subdivision = self._jurisdiction_code(loc)
        if code == "unknown":
            return frozenset()
        out = {code}
        if subdivision:
            out.add(subdivision)
        j = self.jurisdictions[code]
        out.update(j.groups)
        if j.kind == "group":
            out.update(g for g in ("EU", "EEA") if g != code and self.in_area(code, g))
        if code == "GB":
            out.add("UK")
        return frozenset(out)

    def provincial_cac(self, province: str) -> dict[str, Any] | None:
        """The provincial cyberspace administration of a mainland province (``"CN-ZJ"``), or None.

        Keys: code, name_zh, name_en, cac_name_zh, cac_name_en, cac_short_zh, role, source,
        confidence (and notes where the seed has them).
        """
        j = self.jurisdictions.get(province)
        if j is None or j.kind != "subdivision" or j.parent != "CN" or j.cac is None:
            return None
        return {"code": j.code, "name_zh": j.name_zh, "name_en": j.name_en, **dict(j.cac)}

    # -- categories ------------------------------------------------------------------------------

    def category_descendants(self, category_id: str) -> tuple[str, ...]:
        """The built-in ids below ``category_id`` (not including it), sorted."""
        prefix = category_id + "."
        return tuple(sorted(c for c in self.categories if c.startswith(prefix)))

    def category_ancestors(self, category_id: str) -> tuple[str, ...]:
        """The ids above ``category_id``, nearest first (whether or not they are built in)."""
        parts = category_id.split(".")
        return tuple(".".join(parts[:i]) for i in range(len(parts) - 1, 0, -1))

    # -- suggestions ------------------------------------------------------------------------------

    def suggest(self, kind: str, value: str) -> list[str]:
        """Close matches for a 'did you mean' hint; ``kind`` is location, category or provider."""
        if kind == "location":
            candidates = self._location_candidates
            names = self._location_names
        elif kind == "category":
            candidates = tuple(self.categories)
            names = {}
        elif kind == "provider":
            candidates = tuple(self.providers)
            names = self._provider_names
        else:
            raise ValueError(f"suggest: kind must be location, category or provider, not {kind!r}")
        out: list[str] = []

        def add(items: Iterable[str]) -> None:
            for item in items:
                if item not in out:
                    out.append(item)

        low = value.strip().lower()
        lowered, matcher = self._matcher(kind, candidates)
        if low in lowered:
            add([lowered[low]])
        if low in names:
            add(names[low])
        if kind == "location" and ":" not in low:
            add(sorted(r for r in self.regions if r.split(":", 1)[1] == low))
        if kind == "category":
            add(sorted(c for c in candidates if c.rsplit(".", 1)[-1] == low))
        add(lowered[m] for m in matcher.get(low, n=5, cutoff=0.6))
        return out[:8]

    def _matcher(self, kind: str, candidates: tuple[str, ...]
                 ) -> tuple[dict[str, str], CloseMatcher]:
        """The lower-cased candidates of ``kind`` and their close-match index, built once."""
        memo: dict[str, tuple[tuple[str, ...], dict[str, str], CloseMatcher]] = \
            self.__dict__.setdefault("_matchers", {})
        known = memo.get(kind)
        if known is None or (known[0] is not candidates and known[0] != candidates):
            lowered = {c.lower(): c for c in candidates}
            known = memo[kind] = (candidates, lowered, CloseMatcher(lowered))
        return known[1], known[2]

    @cached_property
    def _location_candidates(self) -> tuple[str, ...]:
        return (*self.jurisdictions, *self.regions, *self.aliases, "unknown")

    @cached_property
    def _location_names(self) -> dict[str, list[str]]:
        names: dict[str, list[str]] = {}
        for code, j in self.jurisdictions.items():
            if j.kind == "subdivision" and j.parent != "CN":
                continue
            for n in (j.name_en, j.name_zh, j.name_iso, j.name_zh_formal):
                if n:
                    names.setdefault(n.lower(), []).append(code)
        for rid, r in self.regions.items():
            for n in (r.name, r.name_zh):
                if n:
                    names.setdefault(n.lower(), []).append(rid)
        return names

    @cached_property
    def _provider_names(self) -> dict[str, list[str]]:
        names: dict[str, list[str]] = {}
        for pid, p in self.providers.items():
            for n in (p.name, p.name_zh):
                if n:
                    names.setdefault(n.lower(), []).append(pid)
        return names

    # -- overlays ---------------------------------------------------------------------------------

    def with_overlays(
        self,
        overlays: Mapping[str, Mapping[str, Mapping[str, Any]]],
        errors: list[tuple[str, str, str]] | None = None,
    ) -> Catalogue:
        """A new catalogue with the model's ``catalogue:`` overlays merged field by field.

        ``overlays`` = ``{"jurisdictions": {code: {field: value}}, "regions": {id: {...}},
        "providers": {id: {...}}}``.  Existing entries keep the fields not named; new entries must
        give the required fields (jurisdictions: ``name_en``; regions: ``name``, ``jurisdiction``;
        providers: ``name``, ``jurisdiction``).  An overlay without ``confidence`` leaves an
        existing entry's tag and marks the overlaid fields ``K`` in ``field_confidence`` (asserted
        by the model, not verified by dataflow - this also clears an earlier ``U`` on those
        fields); a new entry defaults to ``K``.  Each overlaid entry is recorded in
        ``overlays_used`` as ``"<section>:<id>"`` (e.g. ``"regions:acme:cn-x"``) and lists its
        ``overlaid_fields``.
        Raises CatalogueError naming the entry and field on any invalid value.  With ``errors``
        given, nothing is raised: each invalid entry is left out and recorded there as
        ``(section, id, message)`` (``id`` empty for a whole section) and the valid entries are
        kept, so one mistake neither hides another nor drops a good entry.
        """

        def fail(section: str, key: str, exc: Exception) -> None:
            if errors is None:
                raise exc
            errors.append((section, key, str(exc)))

        if not isinstance(overlays, Mapping):
            fail("", "", CatalogueError(
                "catalogue: expected a mapping with jurisdictions, regions and/or providers"
            ))
            return self
        bad = [k for k in overlays if k not in _OVERLAY_SECTIONS]
        if bad:
            msg = f"catalogue: unknown section(s) {bad}; allowed: {', '.join(_OVERLAY_SECTIONS)}"
            fail(str(bad[0]), "", CatalogueError(msg))
        for name in _OVERLAY_SECTIONS:
            if not isinstance(overlays.get(name) or {}, Mapping):
                fail(name, "", CatalogueError(f"catalogue.{name}: expected a mapping of entries"))
        used = list(self.overlays_used)
        jurisdictions = dict(self.jurisdictions)
        regions = dict(self.regions)
        providers = dict(self.providers)
        # malformed values inside an entry may surface as ValueError/KeyError/TypeError too
        entry_errors = (CatalogueError, ValueError, KeyError, TypeError)

        for code, fields in _section(overlays, "jurisdictions"):
            where = f"catalogue.jurisdictions.{code}"
            try:
                base = jurisdictions.get(code)
                merged = self._merge("jurisdictions", code, base, fields, where)
                if base is None:
                    merged.setdefault("code", code)
                    merged.setdefault("kind", _kind_of_code(code, where))
                    if merged["kind"] == "subdivision":
                        merged.setdefault("parent", code.split("-", 1)[0])
                jurisdictions[code] = _jurisdiction(merged, where)
            except entry_errors as exc:
                fail("jurisdictions", code, exc)
                continue
            _note_used(used, f"jurisdictions:{code}")
        for code, j in list(jurisdictions.items()):
            try:
                self._check_jurisdiction(j, jurisdictions, f"catalogue.jurisdictions.{code}")
            except entry_errors as exc:
                fail("jurisdictions", code, exc)
                # the entry goes back to what it was before this overlay (or away if new)
                if code in self.jurisdictions:
                    jurisdictions[code] = self.jurisdictions[code]
                else:
                    del jurisdictions[code]
                if f"jurisdictions:{code}" not in self.overlays_used:
                    used = [u for u in used if u != f"jurisdictions:{code}"]

        for rid, fields in _section(overlays, "regions"):
            where = f"catalogue.regions.{rid}"
            try:
                m = _REGION_ID_RE.match(rid)
                if m is None:
                    raise CatalogueError(f"{where}: a region id is 'provider:region' in lower case")
                base_r = regions.get(rid)
                merged = self._merge("regions", rid, base_r, fields, where)
                if base_r is None:
                    merged.update(
                        id=rid,
                        provider=merged.get("provider", m.group(1)),
                        region=merged.get("region", m.group(2)),
                    )
                if (merged["provider"], merged["region"]) != (m.group(1), m.group(2)):
                    raise CatalogueError(f"{where}: provider/region must match the id")
                region = _region(merged, where)
                self._check_location_code(
                    region.jurisdiction, jurisdictions, f"{where}.jurisdiction"
                )
                self._check_subdivision(
                    region.subdivision, region.jurisdiction, jurisdictions, f"{where}.subdivision"
                )
            except entry_errors as exc:
                fail("regions", rid, exc)
                continue
            regions[rid] = region
            _note_used(used, f"regions:{rid}")

        for pid, fields in _section(overlays, "providers"):
            where = f"catalogue.providers.{pid}"
            try:
                base_p = providers.get(pid)
                merged = self._merge("providers", pid, base_p, fields, where)
                if base_p is None:
                    merged["id"] = pid
                    merged.setdefault("processing_jurisdictions", [])
                provider = _provider(merged, where)
                self._check_location_code(
                    provider.jurisdiction, jurisdictions, f"{where}.jurisdiction"
                )
                self._check_subdivision(
                    provider.operator_subdivision,
                    provider.jurisdiction,
                    jurisdictions,
                    f"{where}.operator_subdivision",
                )
                for row in provider.processing_jurisdictions:
                    for code in row.jurisdictions:
                        if code not in _PROCESSING_KEYWORDS:
                            self._check_location_code(
                                code, jurisdictions, f"{where}.processing_jurisdictions"
                            )
            except entry_errors as exc:
                fail("providers", pid, exc)
                continue
            providers[pid] = provider
            _note_used(used, f"providers:{pid}")

        return replace(
            self,
            jurisdictions=MappingProxyType(jurisdictions),
            regions=MappingProxyType(regions),
            providers=MappingProxyType(providers),
            overlays_used=tuple(used),
        )

    def _merge(
        self,
        section: str,
        key: str,
        base: Jurisdiction | CloudRegion | Provider | None,
        fields: Mapping[str, Any],
        where: str,
    ) -> JsonDict:
        if not isinstance(fields, Mapping):
            raise CatalogueError(f"{where}: expected a mapping of fields")
        allowed = _OVERLAY_FIELDS[section]
        for name in fields:
            if name not in allowed:
                hint = _hint(difflib.get_close_matches(str(name), sorted(allowed), n=3))
                raise CatalogueError(f"{where}.{name}: not a field that can be overlaid{hint}")
        names = sorted(str(n) for n in fields)
        fields = {
            str(k): v.isoformat() if isinstance(v, _dt.date) else v for k, v in fields.items()
        }
        if "as_of" in fields:
            try:
                _dt.date.fromisoformat(str(fields["as_of"]))
            except ValueError:
                raise CatalogueError(f"{where}.as_of: expected a YYYY-MM-DD date") from None
        if base is None:
            missing = [f for f in _OVERLAY_REQUIRED[section] if f not in fields]
            if missing:
                raise CatalogueError(f"{where}: a new entry must give {', '.join(missing)}")
            merged: JsonDict = {
                "source": "model catalogue overlay",
                "confidence": "K",
                "as_of": self.as_of,
            }
            merged.update(fields)
            merged["overlaid_fields"] = names
            return merged
        merged = _as_mapping(base)
        old_source = merged.get("source", "")
        fc = dict(merged.get("field_confidence") or {})
        if "confidence" not in fields:
            for name in names:
                if name not in ("source", "as_of", "notes", "field_confidence"):
                    fc[name] = "K"
        merged.update(fields)
        if "name" in fields and "name_derived" in merged:
            merged["name_derived"] = False
        if "field_confidence" in fields:
            fc.update(_field_confidence(fields["field_confidence"], where))
        merged["field_confidence"] = fc
        suffix = f" ; model overlay ({', '.join(names)})"
        if "source" in fields:
            suffix += f": {fields['source']}"
        merged["source"] = f"{old_source}{suffix}"
        merged["overlaid_fields"] = sorted({*base.overlaid_fields, *names})
        return merged

    def _check_location_code(
        self, code: str, jurisdictions: Mapping[str, Jurisdiction], where: str
    ) -> None:
        if code == "unknown":
            return
        j = jurisdictions.get(code)
        if j is None or j.kind not in ("country", "io"):
            options = difflib.get_close_matches(
                code, [c for c, x in jurisdictions.items() if x.kind == "country"], n=3
            )
            raise CatalogueError(
                f"{where}: {code!r} is not an ISO 3166-1 code or 'unknown'{_hint(options)}"
            )

    def _check_subdivision(
        self, sub: str | None, country: str, jurisdictions: Mapping[str, Jurisdiction], where: str
    ) -> None:
        if sub is None:
            return
        j = jurisdictions.get(sub)
        if j is None or j.kind != "subdivision" or j.parent != country:
            raise CatalogueError(f"{where}: {sub!r} is not an ISO 3166-2 subdivision of {country}")

    def _check_jurisdiction(
        self, j: Jurisdiction, jurisdictions: Mapping[str, Jurisdiction], where: str
    ) -> None:
        if not j.overlaid_fields:
            return
        for g in j.groups:
            if g not in jurisdictions or jurisdictions[g].kind != "group":
                raise CatalogueError(f"{where}.groups: {g!r} is not a group")
        if j.kind == "subdivision":
            parent = jurisdictions.get(j.parent or "")
            if parent is None or parent.kind != "country":
                raise CatalogueError(f"{where}.parent: {j.parent!r} is not a country")


def _kind_of_code(code: str, where: str) -> str:
    if _COUNTRY_RE.match(code):
        return "country"
    if _SUBDIVISION_RE.match(code):
        return "subdivision"
    if _IO_RE.match(code):
        return "io"
    raise CatalogueError(f"{where}: a new jurisdiction code must be XX, XX-YYY or io:name")


def _section(overlays: Mapping[str, Any], name: str) -> list[tuple[str, Any]]:
    """The entries of one overlay section (``with_overlays``); an absent section has none."""
    value = overlays.get(name) or {}
    return list(value.items()) if isinstance(value, Mapping) else []


def _note_used(used: list[str], item: str) -> None:
    if item not in used:
        used.append(item)


def _hint(options: Iterable[str]) -> str:
    opts = list(options)
    return f" (did you mean {', '.join(repr(o) for o in opts)}?)" if opts else ""


# ------------------------------------------------------------------------------------------------
# loading


def _read(name: str) -> Any:
    path = resources.files(__package__ or "dataflow.catalog") / "data" / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _parse(raw: Mapping[str, Any]) -> Catalogue:
    meta = raw["catalogue"]
    version, as_of = meta["version"], meta["as_of"]
    for name in _DATA_FILES[1:]:
        if raw[name].get("version") != version:
            raise CatalogueError(
                f"data/{name}.json is version {raw[name].get('version')}, expected {version}"
            )

    jd = raw["jurisdictions"]
    jurisdictions: dict[str, Jurisdiction] = {}
    for section in ("countries", "groups", "subdivisions", "international_organisations"):
        for code, entry in jd[section].items():
            jurisdictions[code] = _jurisdiction(entry, f"jurisdictions.{code}")
    sub_source, sub_conf = jd["subdivision_source"], jd["subdivision_confidence"]
    for code, name in jd["subdivision_names"].items():
        parent = code.split("-", 1)[0]
        jurisdictions[code] = Jurisdiction(
            code,
            name,
            None,
            "subdivision",
            parent,
            jurisdictions[parent].groups,
            sub_source,
            sub_conf,
            as_of,
        )

    regions = {rid: _region(r, f"regions.{rid}") for rid, r in raw["regions"]["regions"].items()}
    providers = {
        pid: _provider(p, f"providers.{pid}") for pid, p in raw["providers"]["providers"].items()
    }
    categories = {cid: _category(c) for cid, c in raw["taxonomy"]["categories"].items()}
    ad = raw["adequacy"]
    eu, uk = ad["eu_adequacy"], ad["uk_adequacy"]
    adequacy_meta = {
        "eu": {k: v for k, v in eu.items() if k != "destinations"},
        "uk": {k: v for k, v in uk.items() if k != "destinations"},
        "doj": ad["doj_countries_of_concern"],
        "padfa": ad["padfa_foreign_adversaries"],
    }
    return Catalogue(
        version=version,
        as_of=as_of,
        jurisdictions=MappingProxyType(jurisdictions),
        regions=MappingProxyType(regions),
        categories=MappingProxyType(categories),
        providers=MappingProxyType(providers),
        eea_authorities=MappingProxyType(raw["authorities"]["eea"]),
        gba_cities=MappingProxyType(raw["authorities"]["gba_cities"]),
        adequacy=MappingProxyType(eu["destinations"]),
        uk_adequacy=MappingProxyType(uk["destinations"]),
        doj_countries_of_concern=frozenset(ad["doj_countries_of_concern"]["codes"]),
        padfa_countries=frozenset(ad["padfa_foreign_adversaries"]["codes"]),
        cloud_providers=MappingProxyType(raw["regions"]["cloud_providers"]),
        adequacy_meta=MappingProxyType(adequacy_meta),
        aliases=MappingProxyType(jd["aliases"]),
    )


def load_catalogue() -> Catalogue:
    """Read the shipped JSON files (``dataflow/catalog/data``) into a new Catalogue.

    Not cached: callers keep the result.  Needs only the standard library.
    """
    return _parse({name: _read(name) for name in _DATA_FILES})


def _add_months(d: _dt.date, months: int) -> _dt.date:
    month0 = d.month - 1 + months
    year, month = d.year + month0 // 12, month0 % 12 + 1
    days = [
        31,
        29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ][month - 1]
    return _dt.date(year, month, min(d.day, days))


def catalogue_age_warning(cat: Catalogue, evaluation_date: _dt.date) -> str | None:
    """A warning when the catalogue is dated more than 6 months before ``evaluation_date``."""
    as_of = _dt.date.fromisoformat(cat.as_of)
    if evaluation_date <= _add_months(as_of, 6):
        return None
    months = (evaluation_date.year - as_of.year) * 12 + evaluation_date.month - as_of.month
    if evaluation_date.day < as_of.day:
        months -= 1
    return (
        f"The built-in catalogue (version {cat.version}) is dated {as_of.isoformat()}, "
        f"{months} months before the evaluation date {evaluation_date.isoformat()}: cloud regions, "
        "AI providers and adequacy decisions may have changed since. Update dataflow or check the "
        "catalogue entries the model relies on (override them under `catalogue:`)."
    )
