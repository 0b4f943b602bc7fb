"""Typed, immutable records of the built-in catalogue.

Every record carries ``source`` (citation), ``confidence`` (``"V"`` verified against the source,
``"K"`` known but not re-verified, ``"U"`` uncertain) and ``as_of`` (ISO date).  Field-level tags
live in ``field_confidence``; ``uncertain_fields`` lists the fields tagged ``"U"``.  A record is
uncertain when ``confidence == "U"`` or ``uncertain_fields`` is non-empty (see
``has_uncertainty``): callers must surface such records as warnings when they use them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

Confidence = Literal["V", "K", "U"]
CONFIDENCE_LEVELS: tuple[str, ...] = ("V", "K", "U")


_EMPTY: Mapping[str, Any] = MappingProxyType({})


def _empty() -> Mapping[str, Any]:
    return _EMPTY  # immutable, so one shared instance is safe


def weakest(*levels: str) -> str:
    """The weakest of the given confidence tags (U < K < V)."""
    order = {"U": 0, "K": 1, "V": 2}
    return min(levels, key=lambda c: order[c])


def _uncertain(field_confidence: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(sorted(k for k, v in field_confidence.items() if v == "U"))


@dataclass(frozen=True)
class Jurisdiction:
    """A country (ISO 3166-1), subdivision (ISO 3166-2), group (EU, EEA) or international org.

    ``kind`` is ``"country"``, ``"subdivision"``, ``"group"`` or ``"io"``.  ``parent`` is the
    country of a subdivision.  ``groups`` lists the groups (``"EU"``, ``"EEA"``) the place belongs
    to; subdivisions inherit their country's groups.  Groups carry ``members`` / ``territories``.
    Mainland-China provinces (``CN-xx``) carry ``cac``: their provincial cyberspace administration.
    """

    code: str
    name_en: str
    name_zh: str | None
    kind: str
    parent: str | None
    groups: tuple[str, ...]
    source: str
    confidence: str
    as_of: str
    name_iso: str | None = None
    name_zh_formal: str | None = None
    members: tuple[str, ...] = ()
    territories: tuple[str, ...] = ()
    cac: Mapping[str, Any] | None = field(default=None, compare=False)
    notes: str | None = None
    field_confidence: Mapping[str, str] = field(default_factory=_empty, compare=False)
    extra: Mapping[str, Any] = field(default_factory=_empty, compare=False)
    overlaid_fields: tuple[str, ...] = ()

    @property
    def uncertain_fields(self) -> tuple[str, ...]:
        return _uncertain(self.field_confidence)

    @property
    def has_uncertainty(self) -> bool:
        return self.confidence == "U" or bool(self.uncertain_fields)


@dataclass(frozen=True)
class CloudRegion:
    """A public cloud region ``provider:region`` and where it physically is.

    ``jurisdiction`` is the ISO 3166-1 code of the country where the region is (a mainland-China
    region run by a local licensee is ``"CN"``; ``operator_note`` names the licensee).
    ``status`` is set for closed or doubtful regions; ``access`` for restricted ones.
    ``name_derived`` is true where the seed gave no display name and ``name`` was built from the
    city.
    """

    id: str
    provider: str
    region: str
    name: str
    jurisdiction: str
    subdivision: str | None
    city: str | None
    operator_note: str | None
    source: str
    confidence: str
    as_of: str
    uncertain_fields: tuple[str, ...] = ()
    name_zh: str | None = None
    notes: str | None = None
    status: str | None = None
    access: str | None = None
    name_derived: bool = False
    field_confidence: Mapping[str, str] = field(default_factory=_empty, compare=False)
    extra: Mapping[str, Any] = field(default_factory=_empty, compare=False)
    overlaid_fields: tuple[str, ...] = ()

    @property
    def has_uncertainty(self) -> bool:
        return self.confidence == "U" or bool(self.uncertain_fields)


@dataclass(frozen=True)
class CategoryDef:
    """A built-in data category (dotted id; ``parent`` is the id one level up, or None).

    ``sensitive``: PIPL Art. 28 sensitive personal information; ``special``: GDPR Art. 9/10 data;
    ``doj``: the US DOJ rule class (``genomic``, ``omic``, ``biometric``, ``precise-geolocation``,
    ``health``, ``financial``, ``identifiers``, ``government``) or None.  ``pipl_class`` names the
    Art. 28 class (for Annex I of the standard contract).  Flags describe the category itself; a
    flow naming a parent covers its descendants (``Catalogue.category_descendants``).
    """

    id: str
    name: str
    name_zh: str
    personal: bool
    sensitive: bool
    special: bool
    doj: str | None
    source: str
    confidence: str
    parent: str | None = None
    pipl_class: str | None = None
    overlays: tuple[str, ...] = ()
    note: str | None = None
    as_of: str = ""

    @property
    def uncertain_fields(self) -> tuple[str, ...]:
        return ()

    @property
    def has_uncertainty(self) -> bool:
        return self.confidence == "U"


@dataclass(frozen=True)
class ProcessingScope:
    """One row of a provider's processing locations.

    ``jurisdictions`` items are ISO codes or ``"EU"``, ``"unknown"``, ``"by-region"`` (resolve from
    the deployment's cloud region), ``"by-geography"`` or ``"upstream"`` (model the upstream hop).
    """

    scope: str
    jurisdictions: tuple[str, ...]


@dataclass(frozen=True)
class Provider:
    """An AI model / platform / relay provider.

    ``serves_mainland_china`` is None where not established.  ``cn_genai_filed`` is ``True``,
    ``"unknown"`` (Chinese providers whose filing was not established) or None (not applicable).
    """

    id: str
    name: str
    name_zh: str | None
    jurisdiction: str
    serves_mainland_china: bool | None
    cn_genai_filed: bool | str | None
    processing_jurisdictions: tuple[ProcessingScope, ...]
    source: str
    confidence: str
    as_of: str
    kind: str = ""
    operator_entity: str | None = None
    operator_subdivision: str | None = None
    api_hosts: tuple[str, ...] = ()
    notes: str | None = None
    uncertain_fields: tuple[str, ...] = ()
    field_confidence: Mapping[str, str] = field(default_factory=_empty, compare=False)
    field_confidence_notes: Mapping[str, str] = field(default_factory=_empty, compare=False)
    overlaid_fields: tuple[str, ...] = ()

    @property
    def has_uncertainty(self) -> bool:
        return self.confidence == "U" or bool(self.uncertain_fields)


@dataclass(frozen=True)
class ResolvedLocation:
    """What a location string means.

    ``jurisdiction`` is an ISO 3166-1 alpha-2 code, ``"io:<org>"``, a group (``"EU"``, ``"EEA"``:
    somewhere in the group) or ``"unknown"``.  ``subdivision`` is an ISO 3166-2 code where known;
    ``region`` the ``provider:region`` id where the location was a cloud region.  ``confidence`` is
    the weakest tag of the facts this resolution states (the entry, its jurisdiction and its
    subdivision); ``uncertain_fields`` lists every U-tagged field of the entry (e.g. a region's
    ``subdivision``).  ``kind`` is
    ``country``, ``subdivision``, ``region``, ``group``, ``io`` or ``unknown``.
    """

    raw: str
    jurisdiction: str
    subdivision: str | None
    region: str | None
    confidence: str
    source: str
    kind: str = "country"
    uncertain_fields: tuple[str, ...] = ()

    @property
    def is_unknown(self) -> bool:
        return self.jurisdiction == "unknown"
