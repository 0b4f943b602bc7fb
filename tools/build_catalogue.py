#!/usr/bin/env python3
"""Regenerate dataflow's built-in catalogue (``dataflow/catalog/data/*.json``).

Inputs
  * ``dataflow/catalog/sources/catalog-seed.yaml`` -- the reviewed seed (a verbatim copy of the
    steering reference ``shared/reference/catalog-seed.yaml``; ``--seed`` builds from another copy);
  * ``dataflow/catalog/sources/jurisdictions.yaml``, ``taxonomy.yaml`` and ``adequacy.yaml`` --
    curated lists kept in the repo;
  * ``pycountry`` (ISO 3166-1 / 3166-2) and ``babel`` (CLDR Chinese territory names).

``pycountry`` and ``babel`` are build-time only: ``pip install pycountry==26.2.16 babel==2.19.0``.
The runtime loader (``dataflow.catalog``) reads only the JSON files written here.

Output is deterministic: JSON with sorted keys, ``indent=1``, ``ensure_ascii=False`` and a trailing
newline, no timestamps (the catalogue date is ``AS_OF`` below).  ``--check`` rebuilds in memory and
exits 1 if a data file differs from what is committed.

Usage::

    python tools/build_catalogue.py            # write dataflow/catalog/data/*.json
    python tools/build_catalogue.py --check    # verify the committed files are up to date

To take a new seed, copy it over ``dataflow/catalog/sources/catalog-seed.yaml`` and rebuild (the
seed's sha256 is recorded in ``data/catalogue.json``); bump ``AS_OF``/``VERSION`` when the
catalogue's facts are re-checked.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import json
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

AS_OF = "2026-11-26"
VERSION = "2026.11.26"
EXPECTED_VERSIONS = {"pycountry": "26.2.16", "babel": "2.19.0"}

REPO = Path(__file__).resolve().parent.parent
CATALOG_DIR = REPO / "dataflow" / "catalog"
SOURCES = CATALOG_DIR / "sources"
DATA = CATALOG_DIR / "data"

CONFIDENCE = ("V", "K", "U")
_RANK = {"U": 0, "K": 1, "V": 2}

# EU member states (ISO codes; Greece is GR, not the EU's "EL") and the EEA-EFTA states.
# fmt: off
EU27 = (
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
)
# fmt: on
EEA_EFTA = ("IS", "LI", "NO")

PROCESSING_KEYWORDS = ("EU", "unknown", "by-region", "by-geography", "upstream")
DOJ_CLASSES = (
    "genomic",
    "omic",
    "biometric",
    "precise-geolocation",
    "health",
    "financial",
    "identifiers",
    "government",
)
OVERLAYS = ("human-genetic-resources", "surveying-mapping", "finance", "automotive", "state-secret")
PIPL_CLASSES = ("生物识别", "宗教信仰", "特定身份", "医疗健康", "金融账户", "行踪轨迹", "其他")
CATEGORY_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*$")


class BuildError(Exception):
    """The inputs are inconsistent; the message says where."""


# ----------------------------------------------------------------------------------------------
# helpers


def _load_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return _plain(yaml.safe_load(fh))


def _plain(value: Any) -> Any:
    """Turn YAML dates into ISO strings, recursively (YAML 1.1 parses unquoted dates)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return value


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _dump(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def _conf(value: Any, where: str) -> str:
    if value not in CONFIDENCE:
        raise BuildError(f"{where}: confidence must be one of V/K/U, got {value!r}")
    return str(value)


def _weakest(values: Iterable[str]) -> str:
    return min(values, key=lambda v: _RANK[v])


def _field_confidence(
    raw: Mapping[str, Any] | None, where: str
) -> tuple[dict[str, str], dict[str, str]]:
    """Normalise seed field tags such as ``"V (.cn) / K (.com)"`` to the weakest letter.

    Returns (letters, notes): notes keep the original text where it said more than a letter.
    """
    letters: dict[str, str] = {}
    notes: dict[str, str] = {}
    for key, text in (raw or {}).items():
        tags = re.findall(r"(?<![A-Za-z])([VKU])(?![A-Za-z])", str(text))
        if not tags:
            raise BuildError(f"{where}: field_confidence[{key}] has no V/K/U tag: {text!r}")
        letters[key] = _weakest(tags)
        if str(text).strip() != letters[key]:
            notes[key] = str(text)
    return letters, notes


def _uncertain(field_conf: Mapping[str, str]) -> list[str]:
    return sorted(k for k, v in field_conf.items() if v == "U")


# ----------------------------------------------------------------------------------------------
# jurisdictions


def build_jurisdictions(
    seed: Mapping[str, Any],
    curated: Mapping[str, Any],
    pycountry: Any,
    zh_names: Mapping[str, str],
    versions: Mapping[str, str],
) -> dict[str, Any]:
    eu_territories: Mapping[str, str] = curated["eu_territories"]
    outside_notes: Mapping[str, str] = curated["outside_notes"]
    alias_defs: Mapping[str, Mapping[str, str]] = curated["aliases"]
    subdivision_aliases = {k for k in alias_defs if "-" in k}
    zh_overrides: Mapping[str, Mapping[str, str]] = curated["name_zh_overrides"]
    io_name_zh: Mapping[str, str] = curated["io_name_zh"]
    iso_source = (
        f"ISO 3166-1 via pycountry {versions['pycountry']}; name_zh: Unicode CLDR via babel "
        f"{versions['babel']} (zh_Hans_CN territory names)"
    )
    seed_eea = {e["code"]: e["area"] for e in seed["eea_supervisory_authorities"]}
    for code in EU27:
        if seed_eea.get(code) != "EU":
            raise BuildError(f"seed eea_supervisory_authorities: {code} is not marked area EU")
    for code in EEA_EFTA:
        if seed_eea.get(code) != "EEA-EFTA":
            raise BuildError(
                f"seed eea_supervisory_authorities: {code} is not marked area EEA-EFTA"
            )
    extra = sorted(
        c for c, a in seed_eea.items() if a in ("EU", "EEA-EFTA") and c not in EU27 + EEA_EFTA
    )
    if extra:
        raise BuildError(f"seed lists EU/EEA authorities for unexpected codes: {extra}")
    membership_source = (
        "EU/EEA membership: catalog-seed.yaml eea_supervisory_authorities (area EU / EEA-EFTA)"
    )

    countries: dict[str, Any] = {}
    for c in pycountry.countries:
        code = c.alpha_2
        entry: dict[str, Any] = {
            "code": code,
            "kind": "country",
            "name_en": getattr(c, "common_name", None) or c.name,
            "name_iso": c.name,
            "name_zh": zh_names[code],
            "groups": [],
            "source": iso_source,
            "confidence": "V",
            "as_of": AS_OF,
        }
        if code in zh_overrides:
            entry["name_zh"] = zh_overrides[code]["short"]
            entry["name_zh_formal"] = zh_overrides[code]["formal"]
            entry["notes"] = (
                "Outside the mainland for PRC data-export rules (regulatory.md §2.2); name_zh "
                "is the short form, name_zh_formal the form used in PRC filing documents"
            )
        if code in EU27:
            entry["groups"] = ["EEA", "EU"]
        elif code in EEA_EFTA:
            entry["groups"] = ["EEA"]
        elif code in eu_territories:
            entry["groups"] = ["EEA", "EU"]
            entry["notes"] = eu_territories[code]
        elif code in outside_notes:
            entry["notes"] = outside_notes[code]
        if entry["groups"]:
            entry["source"] = f"{iso_source}; {membership_source}"
            entry["field_confidence"] = {"groups": "K"}
        countries[code] = entry
    if len(countries) < 249:
        raise BuildError(f"only {len(countries)} ISO 3166-1 countries")

    groups = {
        "EU": {
            "code": "EU",
            "kind": "group",
            "name_en": "European Union",
            "name_zh": "欧盟",
            "members": sorted(EU27),
            "territories": sorted(eu_territories),
            "groups": [],
            "source": membership_source + "; territories: TFEU Art. 349, 355",
            "confidence": "K",
            "as_of": AS_OF,
            "notes": (
                "Also usable as a location meaning 'somewhere in the EU' (e.g. an EU "
                "data-residency option); territories lists parts of member states with their own "
                "ISO code where EU law applies"
            ),
        },
        "EEA": {
            "code": "EEA",
            "kind": "group",
            "name_en": "European Economic Area",
            "name_zh": "欧洲经济区",
            "members": sorted(EU27 + EEA_EFTA),
            "territories": sorted(eu_territories),
            "groups": [],
            "source": membership_source + "; EEA Agreement Art. 126 and Protocol 40",
            "confidence": "K",
            "as_of": AS_OF,
            "notes": "EU27 plus Iceland, Liechtenstein and Norway (Svalbard excluded)",
        },
    }

    # mainland China provincial-level divisions with their cyberspace administrations
    cn_subdivisions: dict[str, Any] = {}
    seen_cn: set[str] = set()
    for p in seed["cn_provincial_cac"]:
        code = p["code"]
        iso = pycountry.subdivisions.get(code=code)
        if iso is None or iso.country_code != "CN":
            raise BuildError(f"seed cn_provincial_cac: {code} is not an ISO 3166-2:CN code")
        if iso.name != p["name_iso"]:
            raise BuildError(
                f"seed cn_provincial_cac: {code} name_iso {p['name_iso']!r} != ISO {iso.name!r}"
            )
        seen_cn.add(code)
        cac = {
            k: p[k]
            for k in ("cac_name_zh", "cac_name_en", "cac_short_zh", "role", "source", "confidence")
        }
        cac["confidence"] = _conf(cac["confidence"], f"cn_provincial_cac {code}")
        if p.get("notes"):
            cac["notes"] = p["notes"]
        cn_subdivisions[code] = {
            "code": code,
            "kind": "subdivision",
            "parent": "CN",
            "name_en": p["name_en"],
            "name_iso": p["name_iso"],
            "name_zh": p["name_zh"],
            "division_type": p["type"],
            "groups": [],
            "cac": cac,
            "source": (
                f"ISO 3166-2:CN via pycountry {versions['pycountry']}; names and cyberspace "
                "administration: catalog-seed.yaml cn_provincial_cac"
            ),
            "confidence": "V",
            "as_of": AS_OF,
        }
    iso_cn = {s.code for s in pycountry.subdivisions.get(country_code="CN")}
    missing = sorted(iso_cn - seen_cn - subdivision_aliases)
    if missing or len(cn_subdivisions) != 31:
        raise BuildError(
            f"cn_provincial_cac must cover the 31 mainland divisions; missing {missing}"
        )

    subdivision_names: dict[str, str] = {}
    for s in pycountry.subdivisions:
        if s.code in cn_subdivisions or s.code in subdivision_aliases:
            continue
        if s.country_code not in countries:
            raise BuildError(f"subdivision {s.code} has no country")
        subdivision_names[s.code] = s.name

    aliases: dict[str, Any] = {}
    for raw, alias in sorted(alias_defs.items()):
        target = alias["to"]
        if target not in countries:
            raise BuildError(f"alias {raw} -> {target}: unknown target")
        if raw in subdivision_aliases and pycountry.subdivisions.get(code=raw) is None:
            raise BuildError(
                f"alias {raw}: not an ISO 3166-2 code in pycountry {versions['pycountry']}"
            )
        if raw not in subdivision_aliases and raw in countries:
            raise BuildError(f"alias {raw} is itself an ISO 3166-1 code")
        aliases[raw] = {
            "to": target,
            "confidence": _conf(alias["confidence"], f"alias {raw}"),
            "source": alias["source"],
        }

    ios: dict[str, Any] = {}
    for io in seed["international_organisations"]:
        code = io["id"]
        if not code.startswith("io:"):
            raise BuildError(f"international organisation id must start with 'io:': {code}")
        fc, fc_notes = _field_confidence(io.get("field_confidence"), code)
        entry = {
            "code": code,
            "kind": "io",
            "name_en": io["name_en"],
            "name_zh": io_name_zh.get(code),
            "groups": [],
            "acronym": io.get("acronym"),
            "name_original": io.get("name_original"),
            "seat": io.get("seat"),
            "other_sites": io.get("other_sites"),
            "contracting_states": io.get("contracting_states"),
            "gdpr_adequacy": io.get("gdpr_adequacy"),
            "notes": io.get("notes"),
            "source": io["source"],
            "confidence": _conf(io["confidence"], code),
            "as_of": AS_OF,
        }
        if code in io_name_zh:
            fc.setdefault("name_zh", "K")
        if fc:
            entry["field_confidence"] = fc
        if fc_notes:
            entry["field_confidence_notes"] = fc_notes
        ios[code] = {k: v for k, v in entry.items() if v is not None}

    return {
        "version": VERSION,
        "as_of": AS_OF,
        "countries": countries,
        "groups": groups,
        "subdivisions": cn_subdivisions,
        "subdivision_names": subdivision_names,
        "subdivision_source": (
            f"ISO 3166-2 via pycountry {versions['pycountry']} (English/ISO names only)"
        ),
        "subdivision_confidence": "V",
        "aliases": aliases,
        "international_organisations": ios,
    }


# ----------------------------------------------------------------------------------------------
# regions


def _known_location_code(code: str, jur: Mapping[str, Any]) -> bool:
    return code in jur["countries"]


def _known_subdivision(code: str, jur: Mapping[str, Any]) -> bool:
    return code in jur["subdivisions"] or code in jur["subdivision_names"]


_REGION_KEYS = {
    "id",
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
    "partition",
    "cloud",
    "realm",
    "region_key",
    "source",
    "confidence",
    "city_confidence",
    "subdivision_confidence",
    "field_confidence",
}


def build_regions(
    seed: Mapping[str, Any], curated: Mapping[str, Any], jur: Mapping[str, Any]
) -> dict[str, Any]:
    cloud_providers: Mapping[str, Any] = curated["cloud_providers"]
    regions: dict[str, Any] = {}
    for r in seed["cloud_regions"]:
        rid = r["id"]
        unknown_keys = sorted(set(r) - _REGION_KEYS)
        if unknown_keys:
            raise BuildError(f"region {rid}: unexpected keys {unknown_keys}")
        if rid != f"{r['provider']}:{r['region']}":
            raise BuildError(f"region {rid}: id is not provider:region")
        if rid in regions:
            raise BuildError(f"region {rid}: duplicate")
        if r["provider"] not in cloud_providers:
            raise BuildError(f"region {rid}: unknown provider family {r['provider']}")
        code = r["jurisdiction"]
        if not isinstance(code, str) or not _known_location_code(code, jur):
            raise BuildError(f"region {rid}: unknown jurisdiction {code!r}")
        sub = r.get("subdivision")
        if sub is not None and (not _known_subdivision(sub, jur) or not sub.startswith(code + "-")):
            raise BuildError(
                f"region {rid}: subdivision {sub!r} is not an ISO 3166-2 code of {code}"
            )
        fc, fc_notes = _field_confidence(r.get("field_confidence"), rid)
        for key in ("city", "subdivision"):
            if f"{key}_confidence" in r:
                fc[key] = _conf(r[f"{key}_confidence"], f"region {rid} {key}_confidence")
        name = r.get("name")
        derived = name is None
        if derived:
            country = jur["countries"][code]["name_en"]
            name = f"{r['city']}, {country}" if r.get("city") else f"{country} ({r['region']})"
        entry: dict[str, Any] = {
            "id": rid,
            "provider": r["provider"],
            "region": r["region"],
            "name": name,
            "jurisdiction": code,
            "subdivision": sub,
            "city": r.get("city"),
            "operator_note": r.get("operator_note"),
            "source": r["source"],
            "confidence": _conf(r["confidence"], f"region {rid}"),
            "as_of": AS_OF,
            "uncertain_fields": _uncertain(fc),
        }
        for key in ("name_zh", "notes", "status", "access"):
            if r.get(key) is not None:
                entry[key] = r[key]
        extra = {k: r[k] for k in ("partition", "cloud", "realm", "region_key") if k in r}
        if extra:
            entry["extra"] = extra
        if derived:
            entry["name_derived"] = True
        if fc:
            entry["field_confidence"] = fc
        if fc_notes:
            entry["field_confidence_notes"] = fc_notes
        regions[rid] = entry
    for must, (j, s) in {
        "alibaba:cn-hangzhou": ("CN", "CN-ZJ"),
        "aws:us-east-1": ("US", "US-VA"),
        "aws:cn-north-1": ("CN", "CN-BJ"),
        "aws:cn-northwest-1": ("CN", "CN-NX"),
    }.items():
        got = regions.get(must)
        if got is None or (got["jurisdiction"], got["subdivision"]) != (j, s):
            raise BuildError(f"region {must} must map to {j}/{s}")
    families = {r["provider"] for r in regions.values()}
    if families != set(cloud_providers):
        raise BuildError(
            f"provider families missing from the seed: {sorted(set(cloud_providers) - families)}"
        )
    if not any(r["provider"] == "azure" and r["jurisdiction"] == "CN" for r in regions.values()):
        raise BuildError("no Azure China region in the seed")
    return {
        "version": VERSION,
        "as_of": AS_OF,
        "cloud_providers": dict(cloud_providers),
        "regions": regions,
    }


# ----------------------------------------------------------------------------------------------
# providers


def build_providers(seed: Mapping[str, Any], jur: Mapping[str, Any]) -> dict[str, Any]:
    providers: dict[str, Any] = {}
    for p in seed["ai_providers"]:
        pid = p["id"]
        if pid in providers:
            raise BuildError(f"provider {pid}: duplicate")
        code = p["jurisdiction"]
        if code != "unknown" and code not in jur["countries"]:
            raise BuildError(f"provider {pid}: unknown jurisdiction {code!r}")
        osub = p.get("operator_subdivision")
        if osub is not None and (
            not _known_subdivision(osub, jur) or not osub.startswith(code + "-")
        ):
            raise BuildError(f"provider {pid}: bad operator_subdivision {osub!r}")
        rows = []
        for row in p["processing_jurisdictions"]:
            for j in row["jurisdictions"]:
                if j not in jur["countries"] and j not in PROCESSING_KEYWORDS:
                    raise BuildError(f"provider {pid}: unknown processing jurisdiction {j!r}")
            rows.append({"scope": row["scope"], "jurisdictions": list(row["jurisdictions"])})
        serves = p["serves_mainland_china"]
        if serves not in (True, False, None, "unknown"):
            raise BuildError(f"provider {pid}: serves_mainland_china {serves!r}")
        filed = p["cn_genai_filed"]
        if filed not in (True, False, None, "unknown"):
            raise BuildError(f"provider {pid}: cn_genai_filed {filed!r}")
        fc, fc_notes = _field_confidence(p.get("field_confidence"), pid)
        entry: dict[str, Any] = {
            "id": pid,
            "name": p["name"],
            "name_zh": p.get("name_zh"),
            "kind": p["kind"],
            "operator_entity": p["operator_entity"],
            "jurisdiction": code,
            "operator_subdivision": osub,
            "processing_jurisdictions": rows,
            "api_hosts": list(p.get("api_hosts") or []),
            "serves_mainland_china": None if serves == "unknown" else serves,
            "cn_genai_filed": filed,
            "notes": p.get("notes"),
            "source": p["source"],
            "confidence": _conf(p["confidence"], f"provider {pid}"),
            "as_of": AS_OF,
            "uncertain_fields": _uncertain(fc),
        }
        if fc:
            entry["field_confidence"] = fc
        if fc_notes:
            entry["field_confidence_notes"] = fc_notes
        providers[pid] = entry
    return {"version": VERSION, "as_of": AS_OF, "providers": providers}


# ----------------------------------------------------------------------------------------------
# authorities


def build_authorities(seed: Mapping[str, Any], jur: Mapping[str, Any]) -> dict[str, Any]:
    eea: dict[str, Any] = {}
    for a in seed["eea_supervisory_authorities"]:
        code = a["code"]
        if code not in jur["countries"]:
            raise BuildError(f"authority {code}: unknown country")
        entry = dict(a)
        entry["confidence"] = _conf(a["confidence"], f"authority {code}")
        entry["as_of"] = AS_OF
        for sub in entry.get("subnational", []):
            if not _known_subdivision(sub["subdivision"], jur):
                raise BuildError(f"authority {code}: unknown subdivision {sub['subdivision']}")
            sub["confidence"] = _conf(sub["confidence"], f"authority {code} {sub['subdivision']}")
        eea[code] = entry
    if set(EU27 + EEA_EFTA + ("GB", "CH")) - set(eea):
        raise BuildError("eea_supervisory_authorities must cover EU27, IS, LI, NO, GB and CH")
    gba: dict[str, Any] = {}
    for city in seed["gba_cities"]:
        cid = city["id"]
        if city["jurisdiction"] not in jur["countries"]:
            raise BuildError(f"gba city {cid}: unknown jurisdiction")
        if city.get("province") and city["province"] not in jur["subdivisions"]:
            raise BuildError(f"gba city {cid}: unknown province {city['province']}")
        entry = dict(city)
        entry["confidence"] = _conf(city["confidence"], f"gba city {cid}")
        entry["as_of"] = AS_OF
        gba[cid] = entry
    return {"version": VERSION, "as_of": AS_OF, "eea": eea, "gba_cities": gba}


# ----------------------------------------------------------------------------------------------
# taxonomy


_CATEGORY_KEYS = {
    "name",
    "name_zh",
    "personal",
    "sensitive",
    "special",
    "doj",
    "pipl_class",
    "overlays",
    "source",
    "confidence",
    "note",
}


def build_taxonomy(raw: Mapping[str, Any]) -> dict[str, Any]:
    cats: dict[str, Any] = {}
    for cid, c in raw.items():
        if not CATEGORY_ID.match(cid):
            raise BuildError(f"category {cid}: bad id")
        unknown_keys = sorted(set(c) - _CATEGORY_KEYS)
        if unknown_keys:
            raise BuildError(f"category {cid}: unexpected keys {unknown_keys}")
        for key in ("name", "name_zh", "source"):
            if not isinstance(c.get(key), str) or not c[key].strip():
                raise BuildError(f"category {cid}: {key} is required")
        if not re.search(r"[\u4e00-\u9fff]", c["name_zh"]):
            raise BuildError(f"category {cid}: name_zh has no Chinese characters")
        flags = {}
        for key, default in (("personal", None), ("sensitive", False), ("special", False)):
            value = c.get(key, default)
            if not isinstance(value, bool):
                raise BuildError(f"category {cid}: {key} must be true/false")
            flags[key] = value
        if not flags["personal"] and (flags["sensitive"] or flags["special"]):
            raise BuildError(f"category {cid}: sensitive/special data must be personal")
        doj = c.get("doj")
        if doj is not None and doj not in DOJ_CLASSES:
            raise BuildError(f"category {cid}: doj {doj!r} not in {DOJ_CLASSES}")
        if doj is not None and not flags["personal"]:
            raise BuildError(f"category {cid}: a DOJ class implies personal data")
        pipl = c.get("pipl_class")
        if pipl is not None and (pipl not in PIPL_CLASSES or not flags["sensitive"]):
            raise BuildError(
                f"category {cid}: pipl_class {pipl!r} needs sensitive: true and one of "
                f"{PIPL_CLASSES}"
            )
        if flags["sensitive"] and pipl is None:
            raise BuildError(f"category {cid}: sensitive categories need a pipl_class")
        overlays = list(c.get("overlays") or [])
        bad = [o for o in overlays if o not in OVERLAYS]
        if bad:
            raise BuildError(f"category {cid}: unknown overlays {bad}")
        conf = _conf(c["confidence"], f"category {cid}")
        if conf == "U" and not c.get("note"):
            raise BuildError(f"category {cid}: a U entry must explain itself in note")
        parent = cid.rsplit(".", 1)[0] if "." in cid else None
        cats[cid] = {
            "id": cid,
            "parent": parent,
            "name": c["name"],
            "name_zh": c["name_zh"],
            **flags,
            "doj": doj,
            "pipl_class": pipl,
            "overlays": sorted(overlays),
            "note": c.get("note"),
            "source": c["source"],
            "confidence": conf,
            "as_of": AS_OF,
        }
    for cid, c in cats.items():
        if c["parent"] is not None and c["parent"] not in cats:
            raise BuildError(f"category {cid}: parent {c['parent']} is missing")
    if len(cats) < 70:
        raise BuildError(f"taxonomy has only {len(cats)} categories (need >= 70)")
    return {"version": VERSION, "as_of": AS_OF, "categories": cats}


# ----------------------------------------------------------------------------------------------
# adequacy and US country lists


def _destinations(section: Mapping[str, Any], jur: Mapping[str, Any], where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for code, d in section["destinations"].items():
        if not isinstance(code, str) or (
            code not in jur["countries"] and code not in jur["international_organisations"]
        ):
            raise BuildError(f"{where}: unknown destination {code!r}")
        entry = dict(d)
        entry["code"] = code
        entry.setdefault("source", section["source"])
        entry["confidence"] = _conf(d["confidence"], f"{where} {code}")
        entry["as_of"] = AS_OF
        if "field_confidence" in entry:
            entry["uncertain_fields"] = _uncertain(entry["field_confidence"])
        for key in ("adopted", "renewed", "valid_until", "published", "in_force"):
            if key in entry:
                _dt.date.fromisoformat(entry[key])
        out[code] = entry
    return out


def build_adequacy(raw: Mapping[str, Any], jur: Mapping[str, Any]) -> dict[str, Any]:
    eu = {k: v for k, v in raw["eu_adequacy"].items() if k != "destinations"}
    eu["destinations"] = _destinations(raw["eu_adequacy"], jur, "eu_adequacy")
    for must in (
        "AD",
        "AR",
        "BR",
        "CA",
        "CH",
        "FO",
        "GB",
        "GG",
        "IL",
        "IM",
        "JE",
        "JP",
        "KR",
        "NZ",
        "US",
        "UY",
        "io:epo",
    ):
        if must not in eu["destinations"]:
            raise BuildError(f"eu_adequacy: {must} missing")
    us = eu["destinations"]["US"]
    if us.get("requires") != "dpf-active" or "C-703/25 P" not in us.get("pending_challenge", ""):
        raise BuildError("eu_adequacy US: requires dpf-active and the pending C-703/25 P appeal")
    if eu["destinations"]["GB"].get("valid_until") != "2031-12-27":
        raise BuildError("eu_adequacy GB: valid_until must be 2031-12-27")

    uk_raw = raw["uk_adequacy"]
    uk = {k: v for k, v in uk_raw.items() if k not in ("destinations", "eea_states")}
    uk_dest = _destinations(uk_raw, jur, "uk_adequacy")
    eea_basis = uk_raw["eea_states"]
    for code in EU27 + EEA_EFTA:
        if code in uk_dest:
            raise BuildError(f"uk_adequacy: {code} is an EEA state; listed automatically")
        uk_dest[code] = {
            "code": code,
            "name": jur["countries"][code]["name_en"],
            "scope": "general",
            "basis": eea_basis["basis"],
            "source": uk_raw["source"],
            "confidence": _conf(eea_basis["confidence"], "uk_adequacy eea_states"),
            "as_of": AS_OF,
        }
    uk["destinations"] = uk_dest

    lists = {}
    for key in ("doj_countries_of_concern", "padfa_foreign_adversaries"):
        section = dict(raw[key])
        codes = section["codes"]
        if any(not isinstance(c, str) or c not in jur["countries"] for c in codes):
            raise BuildError(f"{key}: unknown codes in {codes}")
        section["codes"] = sorted(codes)
        section["confidence"] = _conf(section["confidence"], key)
        section["as_of"] = AS_OF
        if "field_confidence" in section:
            section["uncertain_fields"] = _uncertain(section["field_confidence"])
        lists[key] = section
    if lists["doj_countries_of_concern"]["codes"] != sorted(
        ["CN", "HK", "MO", "CU", "IR", "KP", "RU", "VE"]
    ):
        raise BuildError("doj_countries_of_concern must be CN (incl. HK, MO), CU, IR, KP, RU, VE")
    if lists["padfa_foreign_adversaries"]["codes"] != sorted(["CN", "IR", "KP", "RU"]):
        raise BuildError("padfa_foreign_adversaries must be CN, IR, KP, RU")
    return {"version": VERSION, "as_of": AS_OF, "eu_adequacy": eu, "uk_adequacy": uk, **lists}


# ----------------------------------------------------------------------------------------------
# driver


def build(seed_path: Path) -> dict[str, str]:
    """Return {file name: JSON text} for every data file."""
    try:
        import babel
        import pycountry
        from babel import Locale
    except ImportError as exc:  # pragma: no cover - build-time dependency
        raise BuildError("pip install pycountry babel (build-time only)") from exc
    versions = {"pycountry": _pkg_version("pycountry"), "babel": babel.__version__}
    for name, want in EXPECTED_VERSIONS.items():
        if versions[name] != want:
            print(
                f"warning: {name} {versions[name]} differs from the pinned {want}; "
                "output may change",
                file=sys.stderr,
            )

    seed = _load_yaml(seed_path)
    taxonomy_path = SOURCES / "taxonomy.yaml"
    curated_path = SOURCES / "jurisdictions.yaml"
    curated = _load_yaml(curated_path)
    adequacy_path = SOURCES / "adequacy.yaml"
    zh = Locale.parse("zh_Hans_CN").territories

    jur = build_jurisdictions(seed, curated, pycountry, zh, versions)
    regions = build_regions(seed, curated, jur)
    providers = build_providers(seed, jur)
    authorities = build_authorities(seed, jur)
    taxonomy = build_taxonomy(_load_yaml(taxonomy_path))
    adequacy = build_adequacy(_load_yaml(adequacy_path), jur)

    per_provider: dict[str, int] = {}
    for r in regions["regions"].values():
        per_provider[r["provider"]] = per_provider.get(r["provider"], 0) + 1

    def rel(p: Path) -> str:
        try:
            return p.resolve().relative_to(REPO).as_posix()
        except ValueError:
            return p.name

    catalogue = {
        "version": VERSION,
        "as_of": AS_OF,
        "generator": "tools/build_catalogue.py",
        "inputs": {
            "seed": {"path": rel(seed_path), "sha256": _sha256(seed_path)},
            "taxonomy": {"path": rel(taxonomy_path), "sha256": _sha256(taxonomy_path)},
            "jurisdictions": {"path": rel(curated_path), "sha256": _sha256(curated_path)},
            "adequacy": {"path": rel(adequacy_path), "sha256": _sha256(adequacy_path)},
            "pycountry": versions["pycountry"],
            "babel": versions["babel"],
        },
        "counts": {
            "countries": len(jur["countries"]),
            "cn_subdivisions": len(jur["subdivisions"]),
            "other_subdivisions": len(jur["subdivision_names"]),
            "aliases": len(jur["aliases"]),
            "international_organisations": len(jur["international_organisations"]),
            "regions": len(regions["regions"]),
            "regions_per_provider": dict(sorted(per_provider.items())),
            "providers": len(providers["providers"]),
            "categories": len(taxonomy["categories"]),
            "eea_authorities": len(authorities["eea"]),
            "gba_cities": len(authorities["gba_cities"]),
            "eu_adequacy": len(adequacy["eu_adequacy"]["destinations"]),
            "uk_adequacy": len(adequacy["uk_adequacy"]["destinations"]),
        },
        "files": [
            "adequacy.json",
            "authorities.json",
            "jurisdictions.json",
            "providers.json",
            "regions.json",
            "taxonomy.json",
        ],
    }
    return {
        "jurisdictions.json": _dump(jur),
        "regions.json": _dump(regions),
        "providers.json": _dump(providers),
        "authorities.json": _dump(authorities),
        "taxonomy.json": _dump(taxonomy),
        "adequacy.json": _dump(adequacy),
        "catalogue.json": _dump(catalogue),
    }


def _pkg_version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--seed",
        type=Path,
        default=SOURCES / "catalog-seed.yaml",
        help="catalog-seed.yaml to build from (default: the copy in dataflow/catalog/sources)",
    )
    ap.add_argument(
        "--out", type=Path, default=DATA, help="output folder (default: dataflow/catalog/data)"
    )
    ap.add_argument(
        "--check", action="store_true", help="do not write; exit 1 if a file would change"
    )
    args = ap.parse_args(argv)
    try:
        files = build(args.seed)
    except BuildError as exc:
        print(f"build_catalogue: {exc}", file=sys.stderr)
        return 2
    stale = []
    for name, text in sorted(files.items()):
        path = args.out / name
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(name)
        if not args.check:
            args.out.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
    if args.check:
        if stale:
            print(f"build_catalogue: out of date: {', '.join(stale)}", file=sys.stderr)
            return 1
        print("build_catalogue: data files are up to date")
        return 0
    print(f"build_catalogue: wrote {', '.join(stale) or 'nothing (up to date)'} in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
