"""The model schema (format v1): the single source of truth for keys, types and enums.

``schemas/model.schema.json`` is generated from these classes. Cross-object rules (references,
cohort family, locations) live in ``validate.py``; this module only knows shapes.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, WithJsonSchema

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
_ID_RE = re.compile(ID_PATTERN)
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_COUNT_RE = re.compile(r"^[0-9]+(_[0-9]{3})*$")


MAX_COUNT = 10**13  # people or devices: far above any real cohort, far below 64 bits


def _parse_date(value: Any) -> Any:
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str) and _DATE_RE.match(value):
        try:
            return _dt.date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"'{value}' is not a calendar date") from exc
    raise ValueError(f"expected a date written YYYY-MM-DD, got {value!r}")


def _parse_count(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(f"expected a whole number of people or devices, got {value!r}")
    if isinstance(value, str) and _COUNT_RE.match(value.strip()):
        digits = value.strip().replace("_", "")
        if len(digits) > 15:
            raise ValueError(f"more than any cohort can hold (at most {MAX_COUNT:,})")
        value = int(digits)
    if isinstance(value, int):
        if value < 0:
            raise ValueError("a count cannot be negative")
        if value > MAX_COUNT:
            raise ValueError(f"more than any cohort can hold (at most {MAX_COUNT:,})")
        return value
    shown = repr(value) if len(repr(value)) <= 80 else repr(value)[:80] + "…"
    raise ValueError(f"expected a whole number (e.g. 250000 or 250_000), got {shown}")


def _parse_count_or_series(value: Any) -> Any:
    if isinstance(value, dict):
        if not value:
            raise ValueError("a dated count series needs at least one date")
        out = {}
        for key, count in value.items():
            day = _parse_date(key)
            out[day.isoformat()] = _parse_count(count)
        return dict(sorted(out.items()))
    return _parse_count(value)


def _one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, (str, dict)) else value


class _OneOrManySchema:
    """JSON Schema of a one-or-many field: the format accepts a single value as well as a list
    (``_one_or_many``), so editors must too: ``anyOf: [item, array of items]``."""

    @staticmethod
    def __get_pydantic_json_schema__(core_schema: Any, handler: Any) -> dict[str, Any]:
        js = dict(handler(core_schema))
        items = js.get("items")
        if js.get("type") != "array" or not isinstance(items, dict):
            return js
        return {"anyOf": [items, js]}


# put after the BeforeValidator and any Field() of the list, so the array schema is complete
OneOrManySchema = _OneOrManySchema()


# What editors see (schemas/model.schema.json) for what the parsers above accept: a count is a
# whole number or, as YAML 1.2 reads 250_000 and "250000", text of digits; a dated series maps
# YYYY-MM-DD dates to counts.
_COUNT_JSON: dict[str, Any] = {"anyOf": [
    {"type": "integer", "minimum": 0, "maximum": MAX_COUNT},
    {"type": "string", "pattern": r"^\s*[0-9]+(_[0-9]{3})*\s*$"}]}
_SERIES_JSON: dict[str, Any] = {"type": "object", "minProperties": 1,
                                "propertyNames": {"pattern": _DATE_RE.pattern},
                                "additionalProperties": _COUNT_JSON}

Date = Annotated[_dt.date, BeforeValidator(_parse_date)]
Count = Annotated[int, BeforeValidator(_parse_count), WithJsonSchema(_COUNT_JSON)]
Id = Annotated[str, Field(pattern=ID_PATTERN)]
# A location string: ISO 3166-1/2 code, provider:region, io:xxx or "unknown" (checked against
# the catalogue in validate.py, where "did you mean" hints are possible).
Location = Annotated[str, Field(min_length=1)]
Locations = Annotated[list[Location], BeforeValidator(_one_or_many), Field(min_length=1),
                      OneOrManySchema]
IdList = Annotated[list[Id], BeforeValidator(_one_or_many), OneOrManySchema]
StrList = Annotated[list[str], BeforeValidator(_one_or_many), OneOrManySchema]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class ModelInfo(_Strict):
    name: str
    name_zh: str | None = None
    evaluation_date: Date
    reporting_year: Annotated[int, Field(ge=2000, le=2100)] | None = None
    owner: Id | None = None
    description: str | None = None


class Contact(_Strict):
    name: str | None = None
    title: str | None = None
    email: str | None = None
    phone: str | None = None


class Ciio(_Strict):
    notified: StrictBool
    sector: str | None = None
    notice: str | None = None


class Dpf(_Strict):
    status: Literal["active", "inactive"]
    hr: StrictBool = False
    since: Date | None = None


class UsStatus(_Strict):
    covered_person: StrictBool = False
    data_broker: StrictBool = False


class Entity(_Strict):
    name: str | None = None
    name_zh: str | None = None
    jurisdiction: Location
    province: str | None = None
    address: str | None = None
    contact: Contact | None = None
    credit_code: str | None = None
    legal_representative: str | None = None
    dpo: str | None = None
    processor_for: IdList = Field(default_factory=list)
    ciio: Ciio | None = None
    ftz: str | None = None
    gba_city: str | None = None
    dpf: Dpf | None = None
    us: UsStatus | None = None
    public_authority: StrictBool = False
    sector: str | None = None
    parent: Id | None = None
    serves_mainland_china: StrictBool | None = None
    description: str | None = None


SystemKind = Literal["service", "database", "storage", "saas", "analytics", "ai-model", "relay",
                     "gateway", "client", "other"]


class GenAi(_Strict):
    model: str | None = None  # catalogue provider id or system id (services); omitted on ai-model
    filing: str | None = None
    registration: str | None = None
    unfiled: StrictBool = False


class System(_Strict):
    name: str | None = None
    name_zh: str | None = None
    operator: Id
    location: Locations
    kind: SystemKind
    description: str | None = None
    retention: str | None = None
    public_service: StrictBool = False
    genai: Annotated[list[GenAi], BeforeValidator(_one_or_many), OneOrManySchema] = Field(
        default_factory=list)


class ImportantData(_Strict):
    basis: Literal["notified", "catalogue"]
    ref: str | None = None


DojClass = Literal["genomic", "omic", "biometric", "precise-geolocation", "health", "financial",
                   "identifiers", "government"]
Overlay = Literal["human-genetic-resources", "surveying-mapping", "finance", "automotive",
                  "state-secret"]


class Category(_Strict):
    name: str | None = None
    name_zh: str | None = None
    personal: StrictBool | None = None
    sensitive: StrictBool | None = None
    special: StrictBool | None = None
    important_data: ImportantData | None = None
    core_data: StrictBool = False
    doj: DojClass | None = None
    overlays: list[Overlay] = Field(default_factory=list)


class Cohort(_Strict):
    name: str | None = None
    name_zh: str | None = None
    count: Annotated[int | dict[str, int], BeforeValidator(_parse_count_or_series),
                     WithJsonSchema({"anyOf": [_COUNT_JSON, _SERIES_JSON]})]
    unit: Literal["persons", "devices"] = "persons"
    residence: Location | None = None
    relationship: Literal["customer", "user", "employee", "applicant", "patient", "student",
                          "other"] | None = None
    minors_under_14: StrictBool = False
    us_persons: StrictBool = False
    subset_of: Id | None = None
    overlaps: dict[str, Count] = Field(default_factory=dict)


class Period(_Strict):
    from_: Date | None = Field(default=None, alias="from")
    to: Date | None = None


class LegalBasis(_Strict):
    pipl: str | None = None
    gdpr: str | None = None
    uk_gdpr: str | None = Field(default=None, alias="uk-gdpr")


Transformation = Literal["anonymised", "aggregated", "pseudonymised", "encrypted"]


class Flow(_Strict):
    from_: Id = Field(alias="from")
    to: Id
    categories: Annotated[list[str], BeforeValidator(_one_or_many), Field(min_length=1),
                          OneOrManySchema]
    cohorts: IdList = Field(default_factory=list)
    purpose: str | None = None
    purpose_zh: str | None = None
    legal_basis: LegalBasis | None = None
    on_behalf_of: Id | None = None
    recipient_role: Literal["controller", "processor", "entrusted"] | None = None
    period: Period | None = None
    frequency: str | None = None
    method: str | None = None
    routing: Literal["primary", "failover", "conditional"] = "primary"
    primary: Id | None = None
    transformations: list[Transformation] = Field(default_factory=list)
    transit_only: StrictBool = False
    retention: str | None = None
    storage_location: Location | None = None
    doj_transaction: Literal["brokerage", "vendor", "employment", "investment"] | None = None


class Access(_Strict):
    system: Id
    accessor: Id
    from_: Locations = Field(alias="from")
    categories: StrList = Field(default_factory=list)
    cohorts: IdList = Field(default_factory=list)
    rights: list[Literal["read", "write", "admin"]] = Field(default_factory=list)
    purpose: str | None = None
    period: Period | None = None
    practice: str | None = None
    legal_basis: LegalBasis | None = None


# Mechanism and duty ids (checked in resolve.py, which gives DF202 with a "did you mean"); the
# other regimes' ids are <regime>.<name> with one of these prefixes.
KNOWN_MECHANISMS = (
    "pipl.security-assessment", "pipl.standard-contract", "pipl.certification",
    "pipl.gba-contract", "pipl.exempt", "gdpr.adequacy", "gdpr.scc", "gdpr.bcr",
    "gdpr.derogation", "uk-gdpr.adequacy", "uk-gdpr.idta", "uk-gdpr.addendum", "uk-gdpr.bcr",
    "uk-gdpr.derogation", "none",
)
KNOWN_DUTIES = ("pipl.pipia", "pipl.notice", "pipl.separate-consent",
                "pipl.entrustment-agreement", "pipl.guardian-consent", "gdpr.tia", "gdpr.dpa",
                "gdpr.ropa-entry", "uk-gdpr.tra")
OTHER_REGIME_PREFIXES = ("us-doj-dsp", "us-padfa", "ru", "vn", "in", "id", "sa", "sg", "jp", "kr",
                         "hk")
_OTHER_REGIME_JSON = {"type": "string",
                      "pattern": r"^(" + "|".join(OTHER_REGIME_PREFIXES) + r")\."}
MechanismId = Annotated[str, WithJsonSchema(
    {"anyOf": [{"enum": list(KNOWN_MECHANISMS)}, _OTHER_REGIME_JSON]})]
DutyId = Annotated[str, WithJsonSchema(
    {"anyOf": [{"enum": list(KNOWN_DUTIES)}, _OTHER_REGIME_JSON]})]


class Safeguard(_Strict):
    mechanism: MechanismId
    module: Annotated[int, Field(ge=1, le=4)] | None = None
    exporter: Id
    recipients: Annotated[IdList, Field(min_length=1)]
    categories: StrList = Field(default_factory=list)
    effective: Date | None = None
    expires: Date | None = None
    filed_on: Date | None = None
    authority: str | None = None
    reference: str | None = None


class Duty(_Strict):
    duty: DutyId
    exporter: Id
    recipients: IdList = Field(default_factory=list)
    done_on: Date | None = None
    reference: str | None = None


ExemptionClaim = Literal["pipl.art3", "pipl.art4", "pipl.art5-1", "pipl.art5-2", "pipl.art5-3",
                         "pipl.art6"]


class Exemption(_Strict):
    claim: ExemptionClaim
    flows: Annotated[IdList, Field(min_length=1)]
    evidence: Annotated[str, Field(min_length=1)]
    owner: str | None = None


class Waiver(_Strict):
    finding: Annotated[str, Field(min_length=1)]
    justification: Annotated[str, Field(min_length=1)]
    owner: Annotated[str, Field(min_length=1)]
    expires: Date


class CatalogueOverlay(_Strict):
    jurisdictions: dict[str, dict[str, Any]] = Field(default_factory=dict)
    regions: dict[str, dict[str, Any]] = Field(default_factory=dict)
    providers: dict[str, dict[str, Any]] = Field(default_factory=dict)


class Model(_Strict):
    """A whole model after all files are merged (``include`` keys are consumed by the loader)."""

    model: ModelInfo
    include: StrList = Field(default_factory=list)  # a glob, or a list of globs
    include_roots: StrList = Field(default_factory=list)
    entities: dict[Id, Entity] = Field(default_factory=dict)
    systems: dict[Id, System] = Field(default_factory=dict)
    categories: dict[str, Category] = Field(default_factory=dict)
    cohorts: dict[Id, Cohort] = Field(default_factory=dict)
    flows: dict[Id, Flow] = Field(default_factory=dict)
    access: dict[Id, Access] = Field(default_factory=dict)
    safeguards: dict[Id, Safeguard] = Field(default_factory=dict)
    duties: dict[Id, Duty] = Field(default_factory=dict)
    exemptions: dict[Id, Exemption] = Field(default_factory=dict)
    waivers: dict[Id, Waiver] = Field(default_factory=dict)
    catalogue: CatalogueOverlay | None = None


COLLECTIONS: tuple[str, ...] = ("entities", "systems", "categories", "cohorts", "flows", "access",
                                "safeguards", "duties", "exemptions", "waivers")
TOP_LEVEL_KEYS: tuple[str, ...] = ("model", "include", "include_roots", *COLLECTIONS, "catalogue")

MODEL_FOR_COLLECTION: dict[str, type[BaseModel]] = {
    "entities": Entity, "systems": System, "categories": Category, "cohorts": Cohort,
    "flows": Flow, "access": Access, "safeguards": Safeguard, "duties": Duty,
    "exemptions": Exemption, "waivers": Waiver,
}

AnyObject = Union[Entity, System, Category, Cohort, Flow, Access, Safeguard, Duty, Exemption, Waiver]


def is_valid_id(value: str) -> bool:
    return bool(_ID_RE.match(value))


def json_schema() -> dict[str, Any]:
    """The JSON Schema users' editors validate against (yaml-language-server)."""
    schema = Model.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://github.com/dataflow-xborder/dataflow/schemas/model.schema.json"
    schema["title"] = "dataflow model (format v1)"
    # Partial files of a folder model need not carry `model:`; editors must accept them.
    schema["required"] = []
    _closed_id_maps(schema)
    return schema


def _closed_id_maps(node: Any) -> None:
    """An id-keyed map (``patternProperties`` on the id pattern) accepts no other key: without
    ``additionalProperties: false`` an id such as 'Bad_Id' would pass the editor (DF204)."""
    if isinstance(node, dict):
        pattern = node.get("patternProperties")
        if isinstance(pattern, dict) and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for value in node.values():
            _closed_id_maps(value)
    elif isinstance(node, list):
        for value in node:
            _closed_id_maps(value)
