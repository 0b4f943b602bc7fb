"""Cross-object checks and resolution against the catalogue: the typed, resolved model.

References are checked on the raw data, so an object with a schema mistake still has its
references checked (one run reports every mistake).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import orjson

from .catalog import Catalogue, ResolvedLocation, catalogue_age_warning
from .diagnostics import (
    FIELD_CAP,
    Diagnostic,
    SuggestBudget,
    a_kind,
    field_text,
    group_path,
    summary,
)
from .loader import Origin, RawModel, singular, suggest
from .model import (
    KNOWN_DUTIES,
    KNOWN_MECHANISMS,
    OTHER_REGIME_PREFIXES,
    Access,
    CatalogueOverlay,
    Category,
    Cohort,
    Duty,
    Entity,
    Exemption,
    Flow,
    ImportantData,
    ModelInfo,
    Safeguard,
    System,
    Waiver,
)
from .validate import Objects, positioned


@dataclass(frozen=True)
class SystemInfo:
    id: str
    spec: System
    places: tuple[ResolvedLocation, ...]

    @property
    def operator(self) -> str:
        return self.spec.operator

    @property
    def kind(self) -> str:
        return self.spec.kind

    @property
    def name(self) -> str:
        return self.spec.name or self.id

    @cached_property
    def jurisdictions(self) -> tuple[str, ...]:
        return tuple(sorted({p.jurisdiction for p in self.places}))

    @property
    def unknown(self) -> bool:
        return any(p.jurisdiction == "unknown" for p in self.places)


@dataclass(frozen=True)
class CategoryInfo:
    id: str
    name: str
    name_zh: str | None
    personal: bool
    sensitive: bool
    special: bool
    doj: str | None
    important_data: ImportantData | None
    core_data: bool
    overlays: tuple[str, ...]
    defined_in: str  # model | taxonomy | implied


@dataclass
class ResolvedModel:
    info: ModelInfo
    evaluation_date: dt.date
    reporting_year: int
    catalogue: Catalogue
    raw: RawModel
    entities: dict[str, Entity]
    systems: dict[str, SystemInfo]
    categories: dict[str, CategoryInfo]
    cohorts: dict[str, Cohort]
    flows: dict[str, Flow]
    access: dict[str, Access]
    safeguards: dict[str, Safeguard]
    duties: dict[str, Duty]
    exemptions: dict[str, Exemption]
    waivers: dict[str, Waiver]
    flow_controller: dict[str, str]
    entity_places: dict[str, ResolvedLocation]
    digest: str
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.info.name

    def position(self, path: tuple[Any, ...]) -> Origin | None:
        return self.raw.position(path)

    def entity_name(self, eid: str) -> str:
        ent = self.entities.get(eid)
        return (ent.name if ent and ent.name else eid)

    def entity_jurisdiction(self, eid: str) -> str:
        place = self.entity_places.get(eid)
        return place.jurisdiction if place else "unknown"

    def controller_of(self, eid: str) -> str:
        """The controller behind an entity: itself, or the one it is processor for by default."""
        ent = self.entities.get(eid)
        if ent is not None and len(ent.processor_for) == 1:
            return ent.processor_for[0]
        return eid

    def covers(self, parent: str, child: str) -> bool:
        """A category covers itself and its descendants (dotted ids)."""
        return child == parent or child.startswith(parent + ".")


def accessor_node(entity: str, location: str) -> str:
    """Node id of an accessor: an entity reaching a system from one location."""
    return f"accessor:{entity}@{location}"


def model_digest(data: dict[str, Any]) -> str:
    """sha256 of the merged data in canonical JSON: independent of file layout and order."""
    canonical = {k: v for k, v in data.items() if k not in ("include", "include_roots")}
    try:
        blob = orjson.dumps(canonical, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS,
                            default=str)
    except (TypeError, orjson.JSONEncodeError):  # integers beyond 64 bits in free-form data
        blob = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                          default=str).encode("utf-8")
    return "sha256:" + hashlib.sha256(blob).hexdigest()


class _Fold:
    """Caps the diagnostics of one ``code`` about one field (one list of references, locations
    or categories) before they are positioned: the first FIELD_CAP are made as usual, the rest
    only counted, then one summary at the first left out — what ``cap_diagnostics`` would make
    of them all (a list's items are written in order, so the first FIELD_CAP by position are the
    first FIELD_CAP by index), without positioning 100,000 of them first."""

    __slots__ = ("_code", "_count", "_diags", "_first", "_raw")

    def __init__(self, raw: RawModel, diags: list[Diagnostic], code: str) -> None:
        self._raw, self._diags, self._code = raw, diags, code
        self._count = 0
        self._first: tuple[Any, ...] = ()

    def shown(self, path: tuple[Any, ...]) -> bool:
        self._count += 1
        if self._count == FIELD_CAP + 1:
            self._first = path
        return self._count <= FIELD_CAP

    def close(self) -> None:
        if self._count > FIELD_CAP:
            first = positioned(self._raw, self._code, "", self._first)
            where = f"in {field_text(group_path(self._code, self._first))}"
            self._diags.append(summary(first, self._count - FIELD_CAP, where))


def resolve(raw: RawModel, info: ModelInfo | None, objects: Objects, base: Catalogue,
            overlay: Any, as_of: dt.date | None = None) -> tuple[ResolvedModel | None,
                                                                 list[Diagnostic]]:
    diags: list[Diagnostic] = []
    budget = SuggestBudget()  # "did you mean" searches are bounded (hostile lists)
    catalogue = base
    data = raw.data
    overlays = (overlay.model_dump(exclude_defaults=True) if overlay is not None
                else _well_formed_overlays(data.get("catalogue")))
    if overlays:
        # each invalid entry is reported at its own place and left out; the valid ones are kept
        errors: list[tuple[str, str, str]] = []
        catalogue = base.with_overlays(overlays, errors=errors)
        for section, key, message in errors:
            where = ("catalogue", section, key) if key else (
                ("catalogue", section) if section else ("catalogue",))
            diags.append(positioned(raw, "DF203", f"catalogue overlay: {message}", where))
    ids = _all_ids(data)
    category_ids = _known_categories(data, catalogue)
    entity_ids = set(_coll(data, "entities"))
    system_ids = set(_coll(data, "systems"))
    cohort_ids = set(_coll(data, "cohorts"))
    flow_ids = set(_coll(data, "flows"))
    access_ids = set(_coll(data, "access"))
    providers = set(catalogue.providers)

    known_locations: set[str] = set()

    def located(value: Any) -> bool:
        # locations repeat a lot: resolve each distinct one once
        values = value if isinstance(value, list) else [value]
        for v in values:
            if not isinstance(v, str):
                return False
            if v in known_locations:
                continue
            if catalogue.resolve_location(v) is None:
                return False
            known_locations.add(v)
        return True

    def ref(path: tuple[Any, ...], value: Any, targets: set[str], kind: str) -> None:
        fold = _Fold(raw, diags, "DF300")
        for i, v in _each(value):
            if not isinstance(v, str) or v in targets:
                continue
            p = path if i is None else (*path, i)
            if not fold.shown(p):
                budget.allow("DF300", p, v)  # the budget as if searched
                continue
            guess = suggest(v, targets) if budget.allow("DF300", p, v) else None
            other = ids.get(v)
            hint: str | None
            if other:
                hint = f"'{v}' is {a_kind(singular(other))}, not {a_kind(kind)}"
            else:
                hint = f"did you mean '{guess}'?" if guess else None
            diags.append(positioned(raw, "DF300", f"unknown {kind} '{v}'", p, hint))
        fold.close()

    def loc(path: tuple[Any, ...], value: Any) -> None:
        fold = _Fold(raw, diags, "DF301")
        for i, v in _each(value):
            if not isinstance(v, str):
                continue
            p = path if i is None else (*path, i)
            if catalogue.resolve_location(v) is None:
                if not fold.shown(p):
                    budget.allow("DF301", p, v)  # the budget as if searched
                    continue
                guess = catalogue.suggest("location", v) if budget.allow("DF301", p, v) else []
                hint = (f"did you mean '{guess[0]}'?" if guess else
                        "use an ISO 3166 code (CN, HK, NO), a subdivision (CN-ZJ), a cloud region "
                        "(aws:us-east-1), io:epo or unknown")
                diags.append(positioned(raw, "DF301", f"unknown location '{v}'", p, hint))
        fold.close()

    def cat(path: tuple[Any, ...], value: Any) -> None:
        fold = _Fold(raw, diags, "DF303")
        for i, v in _each(value):
            if isinstance(v, str) and v not in category_ids:
                p = path if i is None else (*path, i)
                if not fold.shown(p):
                    budget.allow("DF303", p, v)  # the budget as if searched
                    continue
                guess = (catalogue.suggest("category", v) or (
                    [g] if (g := suggest(v, category_ids)) else [])) \
                    if budget.allow("DF303", p, v) else []
                hint = (f"did you mean '{guess[0]}'?" if guess else
                        "define it under `categories:` or use a built-in taxonomy id")
                diags.append(positioned(raw, "DF303", f"unknown category '{v}'", p, hint))
        fold.close()

    model_block = data.get("model")
    if isinstance(model_block, dict) and isinstance(model_block.get("owner"), str):
        ref(("model", "owner"), model_block["owner"], entity_ids, "entity")
    for eid, e in _coll(data, "entities").items():
        if not isinstance(e, dict):
            continue
        base_path = ("entities", eid)
        loc((*base_path, "jurisdiction"), e.get("jurisdiction"))
        ref((*base_path, "processor_for"), e.get("processor_for"), entity_ids, "entity")
        ref((*base_path, "parent"), e.get("parent"), entity_ids, "entity")
        prov = e.get("province")
        if isinstance(prov, str):
            place = catalogue.resolve_location(prov)
            if place is None or place.subdivision != prov:
                diags.append(positioned(raw, "DF301", f"unknown province '{prov}'",
                                        (*base_path, "province"),
                                        "use an ISO 3166-2 code such as CN-ZJ or CN-GD"))
        gba = e.get("gba_city")
        if isinstance(gba, str) and _gba_id(gba) not in catalogue.gba_cities:
            guess = suggest(gba, [g.split(":", 1)[-1] for g in catalogue.gba_cities])
            diags.append(positioned(raw, "DF300", f"unknown GBA city '{gba}'",
                                    (*base_path, "gba_city"),
                                    f"did you mean '{guess}'?" if guess else None))
    for sid, s in _coll(data, "systems").items():
        if not isinstance(s, dict):
            continue
        if _known(s.get("operator"), entity_ids) and located(s.get("location")) \
                and not s.get("genai"):
            continue
        ref(("systems", sid, "operator"), s.get("operator"), entity_ids, "entity")
        loc(("systems", sid, "location"), s.get("location"))
        genai = s.get("genai")
        for i, g in _each(genai):
            if isinstance(g, dict):
                p: tuple[Any, ...] = (("systems", sid, "genai") if i is None
                                      else ("systems", sid, "genai", i))
                m = g.get("model")
                if isinstance(m, str) and m not in system_ids and m not in providers:
                    guess = suggest(m, system_ids | providers)
                    diags.append(positioned(raw, "DF311", f"genai model '{m}' is neither a system "
                                            "nor a catalogue AI provider", (*p, "model"),
                                            f"did you mean '{guess}'?" if guess else None))
                statuses = [k for k in ("filing", "registration") if g.get(k)]
                if g.get("unfiled") is True:
                    statuses.append("unfiled: true")
                if not statuses:
                    diags.append(positioned(raw, "DF311", "genai entry states no filing status",
                                            p, "add filing: <number>, registration: <number> or "
                                            "unfiled: true"))
                elif len(statuses) > 1:
                    # two statuses contradict each other: picking one would be a silent choice
                    diags.append(positioned(raw, "DF311", "genai entry states more than one "
                                            f"status ({', '.join(statuses)})", p,
                                            "keep one of filing, registration or unfiled: true"))
                if s.get("kind") == "ai-model" and m is not None:
                    diags.append(positioned(raw, "DF311", f"genai entry of ai-model system "
                                            f"'{sid}' names a model: on an ai-model system genai "
                                            "is the model's own status", (*p, "model"),
                                            "drop model: (the system is the model)"))
                elif s.get("kind") != "ai-model" and m is None:
                    diags.append(positioned(raw, "DF311", "genai entry of a service names no "
                                            "model", p, "add model: <system id or provider id>"))
    for cid, c in _coll(data, "cohorts").items():
        if not isinstance(c, dict):
            continue
        ref(("cohorts", cid, "subset_of"), c.get("subset_of"), cohort_ids, "cohort")
        if isinstance(c.get("overlaps"), dict):
            for other in c["overlaps"]:
                ref(("cohorts", cid, "overlaps", other), other, cohort_ids, "cohort")
        if c.get("residence") is not None:
            loc(("cohorts", cid, "residence"), c.get("residence"))
    for fid, f in _coll(data, "flows").items():
        if not isinstance(f, dict):
            continue
        # fast path: every reference resolves (the common case on large models)
        if (_known(f.get("from"), system_ids) and _known(f.get("to"), system_ids)
                and _all_known(_listed(f.get("categories")), category_ids)
                and _all_known(_listed(f.get("cohorts")), cohort_ids)
                and (f.get("on_behalf_of") is None or _known(f.get("on_behalf_of"), entity_ids))
                and (f.get("primary") is None or _known(f.get("primary"), flow_ids))
                and (f.get("storage_location") is None or located(f.get("storage_location")))):
            continue
        p = ("flows", fid)
        ref((*p, "from"), f.get("from"), system_ids, "system")
        ref((*p, "to"), f.get("to"), system_ids, "system")
        cat((*p, "categories"), f.get("categories"))
        ref((*p, "cohorts"), f.get("cohorts"), cohort_ids, "cohort")
        ref((*p, "on_behalf_of"), f.get("on_behalf_of"), entity_ids, "entity")
        ref((*p, "primary"), f.get("primary"), flow_ids, "flow")
        if f.get("storage_location") is not None:
            loc((*p, "storage_location"), f.get("storage_location"))
    diags.extend(_unowned_flows(raw, data))
    for aid, a in _coll(data, "access").items():
        if not isinstance(a, dict):
            continue
        p = ("access", aid)
        ref((*p, "system"), a.get("system"), system_ids, "system")
        ref((*p, "accessor"), a.get("accessor"), entity_ids, "entity")
        loc((*p, "from"), a.get("from"))
        cat((*p, "categories"), a.get("categories"))
        ref((*p, "cohorts"), a.get("cohorts"), cohort_ids, "cohort")
    for gid, g in _coll(data, "safeguards").items():
        if not isinstance(g, dict):
            continue
        p = ("safeguards", gid)
        ref((*p, "exporter"), g.get("exporter"), entity_ids, "entity")
        ref((*p, "recipients"), g.get("recipients"), entity_ids, "entity")
        cat((*p, "categories"), g.get("categories"))
        mech = g.get("mechanism")
        if isinstance(mech, str) and mech not in KNOWN_MECHANISMS and not _other_regime(mech):
            guess = suggest(mech, KNOWN_MECHANISMS)
            diags.append(positioned(raw, "DF202", f"unknown mechanism '{mech}'",
                                    (*p, "mechanism"), f"did you mean '{guess}'?" if guess else
                                    "mechanism ids: " + ", ".join(KNOWN_MECHANISMS)))
    for did, d in _coll(data, "duties").items():
        if not isinstance(d, dict):
            continue
        p = ("duties", did)
        ref((*p, "exporter"), d.get("exporter"), entity_ids, "entity")
        ref((*p, "recipients"), d.get("recipients"), entity_ids, "entity")
        duty = d.get("duty")
        if isinstance(duty, str) and duty not in KNOWN_DUTIES and not _other_regime(duty):
            guess = suggest(duty, KNOWN_DUTIES)
            diags.append(positioned(raw, "DF202", f"unknown duty '{duty}'", (*p, "duty"),
                                    f"did you mean '{guess}'?" if guess else
                                    "duty ids: " + ", ".join(KNOWN_DUTIES)))
    for xid, x in _coll(data, "exemptions").items():
        if isinstance(x, dict):
            ref(("exemptions", xid, "flows"), x.get("flows"), flow_ids | access_ids,
                "flow or access grant")

    # each object's own period, whatever else is wrong: every mistake in one run
    for coll in ("flows", "access"):
        for oid, obj in objects[coll].items():
            per = obj.period  # type: ignore[attr-defined]
            if per and per.from_ and per.to and per.to < per.from_:
                diags.append(positioned(raw, "DF308", f"period of {singular(coll)} '{oid}' ends "
                                        "before it starts", (coll, oid, "period")))
    # the cohort and routing checks run on every well-formed object, beside any other mistake
    # (model-format.md 'YAML rules'): a broken object is skipped, never the whole check
    diags.extend(_check_cohorts(raw, objects.get("cohorts", {})))  # type: ignore[arg-type]
    diags.extend(_check_flows(raw, objects.get("flows", {})))  # type: ignore[arg-type]
    if info is None or _has_errors(diags) or _invalid_objects(raw, objects):
        return None, diags

    # --- everything is well formed and every reference resolves: build the resolved model
    entities: dict[str, Entity] = objects["entities"]  # type: ignore[assignment]
    systems_spec: dict[str, System] = objects["systems"]  # type: ignore[assignment]
    cohorts: dict[str, Cohort] = objects["cohorts"]  # type: ignore[assignment]
    flows: dict[str, Flow] = objects["flows"]  # type: ignore[assignment]
    systems: dict[str, SystemInfo] = {}
    for sid, s in systems_spec.items():
        places = tuple(catalogue.resolve_location(x) for x in s.location)
        systems[sid] = SystemInfo(sid, s, places)  # type: ignore[arg-type]
        for pl in places:
            if pl is not None and pl.jurisdiction == "unknown":
                diags.append(positioned(raw, "DF302", f"system '{sid}' has location `unknown`: "
                                        "flows into it are possible transfers",
                                        ("systems", sid, "location"), severity="warning",
                                        hint="find out where it runs"))
            elif pl is not None and pl.confidence == "U":
                diags.append(positioned(raw, "DF310", f"location '{pl.raw}' of system '{sid}' "
                                        f"rests on an unverified catalogue entry ({pl.source})",
                                        ("systems", sid, "location"), severity="warning"))
    entity_places = {eid: catalogue.resolve_location(e.jurisdiction)
                     for eid, e in entities.items()}
    categories = _resolve_categories(objects["categories"], catalogue)  # type: ignore[arg-type]
    cohorts = _inherit_cohort_traits(cohorts)
    flow_controller: dict[str, str] = {}
    for fid, f in flows.items():
        if f.on_behalf_of:
            flow_controller[fid] = f.on_behalf_of
        else:
            op = systems[f.from_].operator
            ent = entities[op]
            # (DF307, a processor for several controllers, is found with the references)
            flow_controller[fid] = ent.processor_for[0] if len(ent.processor_for) == 1 else op
    evaluation_date = as_of or info.evaluation_date
    stale = catalogue_age_warning(catalogue, evaluation_date)
    if stale:
        diags.append(positioned(raw, "DF309", stale, ("model",), severity="warning"))
    if _has_errors(diags):
        return None, diags
    resolved = ResolvedModel(
        info=info, evaluation_date=evaluation_date,
        reporting_year=info.reporting_year or evaluation_date.year, catalogue=catalogue, raw=raw,
        entities=entities, systems=systems, categories=categories, cohorts=cohorts, flows=flows,
        access=objects["access"],  # type: ignore[arg-type]
        safeguards=objects["safeguards"],  # type: ignore[arg-type]
        duties=objects["duties"],  # type: ignore[arg-type]
        exemptions=objects["exemptions"],  # type: ignore[arg-type]
        waivers=objects["waivers"],  # type: ignore[arg-type]
        flow_controller=flow_controller, entity_places=entity_places,  # type: ignore[arg-type]
        digest=model_digest(raw.data), diagnostics=diags)
    return resolved, diags


def _well_formed_overlays(value: Any) -> dict[str, dict[str, Any]]:
    """The overlay entries of a ``catalogue:`` block that failed its schema (an unknown section,
    an entry that is not a mapping): those mistakes are reported by the schema, and the entries
    that are mappings still go to the catalogue so their own mistakes are reported too."""
    if not isinstance(value, dict):
        return {}
    out: dict[str, dict[str, Any]] = {}
    for section in CatalogueOverlay.model_fields:
        entries = value.get(section)
        if isinstance(entries, dict):
            kept = {k: v for k, v in entries.items() if isinstance(k, str) and isinstance(v, dict)
                    and all(isinstance(f, str) for f in v)}
            if kept:
                out[section] = kept
    return out


def _known(value: Any, ids: set[str]) -> bool:
    return isinstance(value, str) and value in ids


def _all_known(values: list[Any], ids: set[str]) -> bool:
    return all(isinstance(v, str) for v in values) and ids.issuperset(values)


def _other_regime(mechanism: str) -> bool:
    prefix = mechanism.split(".", 1)[0]
    return "." in mechanism and prefix in OTHER_REGIME_PREFIXES


def _gba_id(value: str) -> str:
    return value if value.startswith("gba:") else "gba:" + value


def _has_errors(diags: list[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diags)


def _invalid_objects(raw: RawModel, objects: Objects) -> bool:
    return any(len(objects.get(c, {})) != len(raw.data.get(c) or {}) for c in objects)


def _coll(data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name)
    return value if isinstance(value, dict) else {}


def _each(value: Any) -> Iterator[tuple[int | None, Any]]:
    if isinstance(value, list):
        yield from enumerate(value)
    elif value is not None:
        yield None, value


def _all_ids(data: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for coll in ("entities", "systems", "categories", "cohorts", "flows", "access", "safeguards",
                 "duties", "exemptions", "waivers"):
        for oid in _coll(data, coll):
            out.setdefault(oid, coll)
    return out


def _known_categories(data: dict[str, Any], catalogue: Catalogue) -> set[str]:
    known = set(catalogue.categories)
    for cid in _coll(data, "categories"):
        parts = cid.split(".")
        for i in range(1, len(parts) + 1):
            known.add(".".join(parts[:i]))
    return known


def _resolve_categories(model_cats: dict[str, Category], catalogue: Catalogue
                        ) -> dict[str, CategoryInfo]:
    ids = set(catalogue.categories) | set(model_cats)
    for cid in list(ids):
        parts = cid.split(".")
        ids.update(".".join(parts[:i]) for i in range(1, len(parts)))

    def flag(cid: str, name: str) -> bool | None:
        mine = model_cats.get(cid)
        if mine is not None and getattr(mine, name) is not None:
            return bool(getattr(mine, name))
        base = catalogue.categories.get(cid)
        if base is not None:
            return bool(getattr(base, name))
        return None

    def inherited(cid: str, name: str, default: bool) -> bool:
        parts = cid.split(".")
        for i in range(len(parts), 0, -1):
            v = flag(".".join(parts[:i]), name)
            if v is not None:
                return v
        return default

    out: dict[str, CategoryInfo] = {}
    for cid in sorted(ids):
        mine = model_cats.get(cid)
        base = catalogue.categories.get(cid)
        name = (mine.name if mine and mine.name else None) or (base.name if base else None) or cid
        name_zh = (mine.name_zh if mine and mine.name_zh else None) or (base.name_zh if base
                                                                         else None)
        doj = (mine.doj if mine and mine.doj else None) or (base.doj if base else None)
        out[cid] = CategoryInfo(
            id=cid, name=name, name_zh=name_zh, personal=inherited(cid, "personal", True),
            sensitive=inherited(cid, "sensitive", False), special=inherited(cid, "special", False),
            doj=doj, important_data=mine.important_data if mine else None,
            core_data=bool(mine.core_data) if mine else False,
            overlays=tuple(mine.overlays) if mine else (),
            defined_in="model" if mine else ("taxonomy" if base else "implied"))
    return out


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else ([] if value is None else [value])


def _unowned_flows(raw: RawModel, data: dict[str, Any]) -> list[Diagnostic]:
    """DF307: a flow from a system run by a processor for several controllers, with no
    on_behalf_of, carrying a category that no incoming flow brings there, has no controller
    (data passing through keeps its controllers; only data that starts at the system needs
    one). Found on the raw data, beside the reference errors, so it is reported in the same run
    as every other mistake."""
    systems, entities = _coll(data, "systems"), _coll(data, "entities")
    serving = {eid: e["processor_for"] for eid, e in entities.items() if isinstance(e, dict)
               and isinstance(e.get("processor_for"), list) and len(e["processor_for"]) > 1
               and all(isinstance(x, str) for x in e["processor_for"])}
    run_by = {sid: s["operator"] for sid, s in systems.items()
              if isinstance(s, dict) and s.get("operator") in serving} if serving else {}
    if not run_by:  # the common case: no processor serves several controllers
        return []
    brought: dict[Any, list[str]] = {}  # system -> categories its incoming flows name
    starting: list[tuple[str, dict[str, Any]]] = []  # flows from those systems, no on_behalf_of
    for fid, f in _coll(data, "flows").items():
        if not isinstance(f, dict):
            continue
        if f.get("to") in run_by:
            brought.setdefault(f["to"], []).extend(
                c for c in _listed(f.get("categories")) if isinstance(c, str))
        if f.get("from") in run_by and f.get("on_behalf_of") is None:
            starting.append((fid, f))

    def arrives(src: Any, category: Any) -> bool:
        return isinstance(category, str) and any(
            c == category or category.startswith(c + ".") or c.startswith(category + ".")
            for c in brought.get(src, ()))

    out = []
    for fid, f in starting:
        src = f["from"]
        op = run_by[src]
        serves = serving[op]
        if not all(arrives(src, c) for c in _listed(f.get("categories"))):
            out.append(positioned(
                raw, "DF307", f"flow '{fid}' leaves '{src}', run by '{op}', a processor for "
                f"several controllers ({', '.join(serves)}); whose data is it?",
                ("flows", fid), "set on_behalf_of on the flow"))
    return out


def _inherit_cohort_traits(cohorts: dict[str, Cohort]) -> dict[str, Cohort]:
    """A sub-cohort's people are people of its parent: what it does not state about them
    (residence, relationship) comes from the nearest ancestor that does, and if any ancestor is
    under 14 or US persons, so are they (PIPL Art. 28 makes all their PI sensitive: a subset of
    pupils sent abroad must not lose that)."""
    out = dict(cohorts)
    for cid, c in cohorts.items():
        chain: list[Cohort] = []
        seen = {cid}
        cur = c.subset_of
        while cur is not None and cur in cohorts and cur not in seen:  # cycles: DF3xx already
            seen.add(cur)
            chain.append(cohorts[cur])
            cur = cohorts[cur].subset_of
        if not chain:
            continue
        update: dict[str, Any] = {}
        if c.residence is None:
            residence = next((a.residence for a in chain if a.residence is not None), None)
            if residence is not None:
                update["residence"] = residence
        if c.relationship is None:
            relationship = next((a.relationship for a in chain if a.relationship is not None),
                                None)
            if relationship is not None:
                update["relationship"] = relationship
        if not c.minors_under_14 and any(a.minors_under_14 for a in chain):
            update["minors_under_14"] = True
        if not c.us_persons and any(a.us_persons for a in chain):
            update["us_persons"] = True
        if update:
            out[cid] = c.model_copy(update=update)
    return out


def _check_flows(raw: RawModel, flows: dict[str, Flow]) -> list[Diagnostic]:
    """DF312 (a flow to itself) and DF306 (routing) on the well-formed flows. A ``primary``
    naming no well-formed flow is skipped: it is unknown (DF300) or broken (its own error)."""
    diags: list[Diagnostic] = []
    for fid, f in flows.items():
        if f.from_ == f.to:
            diags.append(positioned(raw, "DF312", f"flow '{fid}' goes from '{f.from_}' to itself",
                                    ("flows", fid), severity="warning"))
        if f.routing != "primary":
            if not f.primary:
                diags.append(positioned(raw, "DF306", f"{f.routing} flow '{fid}' names no primary "
                                        "flow", ("flows", fid, "routing"),
                                        "add primary: <id of the flow it stands in for>"))
                continue
            prim = flows.get(f.primary)
            if prim is not None and prim.routing != "primary":
                diags.append(positioned(raw, "DF306", f"flow '{fid}' names '{f.primary}' as its "
                                        "primary, but that flow is itself "
                                        f"{prim.routing}", ("flows", fid, "primary")))
        elif f.primary:
            diags.append(positioned(raw, "DF306", f"flow '{fid}' is a primary flow but names a "
                                    "primary", ("flows", fid, "primary"),
                                    "set routing: failover or conditional, or drop primary"))
    return diags


def _check_cohorts(raw: RawModel, cohorts: dict[str, Cohort]) -> list[Diagnostic]:
    """DF304/DF305 on the well-formed cohorts; one naming a broken or unknown cohort is not
    compared with it (that cohort has its own diagnostic)."""
    diags: list[Diagnostic] = []

    def peak(c: Cohort) -> int:
        return c.count if isinstance(c.count, int) else max(c.count.values())

    def ancestors(cid: str) -> list[str]:
        seen: list[str] = []
        cur = cohorts[cid].subset_of
        while cur is not None and cur in cohorts:
            if cur in seen or cur == cid:
                return [*seen, "<cycle>"]
            seen.append(cur)
            cur = cohorts[cur].subset_of
        return seen

    for cid, c in cohorts.items():
        anc = ancestors(cid)
        if "<cycle>" in anc:
            diags.append(positioned(raw, "DF305", f"cohort '{cid}' is part of a subset_of cycle",
                                    ("cohorts", cid, "subset_of")))
            continue
        if c.subset_of in cohorts and peak(c) > peak(cohorts[c.subset_of]):
            diags.append(positioned(raw, "DF305", f"cohort '{cid}' ({peak(c):,}) is larger than "
                                    f"'{c.subset_of}' ({peak(cohorts[c.subset_of]):,}), of which "
                                    "it is a subset", ("cohorts", cid, "count")))
        for other, n in c.overlaps.items():
            if other not in cohorts:
                continue
            if other == cid or other in anc or cid in ancestors(other):
                diags.append(positioned(raw, "DF304", f"cohorts '{cid}' and '{other}' are nested; "
                                        "`overlaps` is only for cohorts that are not subsets of "
                                        "each other", ("cohorts", cid, "overlaps", other)))
            elif n > min(peak(c), peak(cohorts[other])):
                diags.append(positioned(raw, "DF305", f"overlap of '{cid}' and '{other}' "
                                        f"({n:,}) exceeds the smaller cohort",
                                        ("cohorts", cid, "overlaps", other)))
            back = cohorts[other].overlaps.get(cid)
            if back is not None and back != n:
                diags.append(positioned(raw, "DF305", f"'{cid}' and '{other}' declare different "
                                        f"overlaps ({n:,} and {back:,})",
                                        ("cohorts", cid, "overlaps", other)))
    return diags
