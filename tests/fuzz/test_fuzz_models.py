"""Mutated valid models: start from the corpus and the examples, break them one to four ways
(dropped keys, wrong types, unknown or cross-collection references, random Unicode in names and
ids, duplicate ids, random locations, odd dates and counts, reference cycles, garbage catalogue
overlays...) and lay them out as one file or a folder. Every case answers with diagnostics only;
valid ones are analysed and checked. Benign mutations (free text, valid locations, key order,
file layout) must keep a model valid, and layout must not change what it means."""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from dataflow.api import envelope
from dataflow.loader import load_raw
from dataflow.model import MAX_COUNT, MODEL_FOR_COLLECTION
from dataflow.transfers import analyse, analysis_json
from dataflow.yamlparse import parse_yaml

from .support import (
    CORPUS_DIR,
    EXAMPLES_DIR,
    dump_yaml,
    exercise_files,
    exercise_text,
    fuzz_settings,
    run_path,
    write_files,
)

pytestmark = pytest.mark.slow

MANIFEST = json.loads((CORPUS_DIR / "MANIFEST.json").read_text("utf-8"))


def _bases() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for name, m in sorted(MANIFEST.items()):
        if m["expect"] != "valid":
            continue
        path = CORPUS_DIR / m.get("path", name)
        if path.is_file():
            out.append((name, parse_yaml(path.read_text("utf-8")).data))
        else:
            data = load_raw(path).data
            out.append((name, {k: v for k, v in data.items()
                               if k not in ("include", "include_roots")}))
    for ex in sorted(EXAMPLES_DIR.iterdir()):
        if (ex / "dataflow.yaml").is_file():
            data = load_raw(ex).data
            out.append((f"examples/{ex.name}", {k: v for k, v in data.items()
                                                if k not in ("include", "include_roots")}))
    return out


BASES = _bases()

# ----------------------------------------------------------------------------- value pools

BIDI_ETC = ["\u202e", "\u202d", "\u2066", "\u2069", "\u200f", "\u200b", "\ufeff", "\u0085",
            "\u2028", "\x00", "\x07", "\x1b[31m", "\t", "\n", "\r\n", "\x7f"]
TEXTS = ["<script>alert(1)</script>", "\" onmouseover=alert(1) x=\"", "}|{", "]]>",
         "=HYPERLINK(\"http://evil\")", "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3", "a|b",
         "line1\nline2", "杭州阿克米科技有限公司", "\u202etxt.exe", "'; DROP TABLE x; --",
         "{{ 7*7 }}", "${HOME}", "%s%n", "\\", "\"", "'", "`", "#", "x" * 2000, "", " ",
         "null", "🚀" * 10, "\U0001f1e8\U0001f1f3", "e\u0301", "Ω≈ç√∫", "ﷺ", "\u0000end"]
LOCATIONS = ["CN", "US", "HK", "MO", "TW", "SG", "DE", "GB", "UK", "EU", "EEA", "NO", "CH",
             "CN-ZJ", "CN-HK", "US-CA", "FR-NC", "aws:us-east-1", "aws:cn-north-1",
             "alibaba:cn-hangzhou", "tencent:eu-moscow", "huawei:ru-moscow-1", "io:epo",
             "unknown", "cn", "XX", "CN-XX", "aws:nowhere", "io:nope", "", " CN", "CN ",
             "CN\u200b", "ＣＮ", "aws:", ":us-east-1", "unknown:x", ["CN", "US"], [], ["unknown"],
             ["CN", "CN"], None, 86, True]
VALID_LOCATIONS = ["CN", "US", "HK", "MO", "TW", "SG", "DE", "GB", "UK", "EU", "NO", "CH", "RU",
                   "IN", "VN", "ID", "SA", "JP", "KR", "CN-ZJ", "CN-HK", "US-CA", "FR-NC",
                   "aws:us-east-1", "aws:cn-north-1", "alibaba:cn-hangzhou", "azure:chinaeast3",
                   "tencent:eu-moscow", "io:epo", "unknown", ["CN", "US"], ["SG", "HK", "DE"]]
ODD_VALUES: list[Any] = [None, True, False, 0, -1, 1.5, float("nan"), float("inf"), "", "x",
                         [], {}, [None], {"a": 1}, "2026-13-01", 10**20, -(10**20), "yes",
                         ["CN"], [[]], [{}], {"": None}, "=1+1", "\u202e", 2**63, [1, 2]]
DATES = ["2026-02-30", "2026-13-01", "20260101", "2026-1-1", 2026, "0000-01-01", "0001-01-01",
         "9999-12-31", "2026-01-01T00:00:00Z", True, None, "", "tomorrow", "2026-01-01 ",
         "1999-12-31", "2100-01-01", "2026-06-15"]
COUNTS: list[Any] = [-1, 0, 1, 10**15, 10**30, "1_000", "1__000", "1,000", 1.5, "", None,
                     {"2026-01-01": -1}, {}, {"bad": 1}, {"2026-01-01": 10**25},
                     {"2026-01-01": 5, "2026-01-01 ": 6}, "0x10", True, [1], "١٢٣"]
IDS = ["nope", "", "App", "a b", "../../x", "..", "x/y", "a" * 300, "数据", "-x", ".x", "x.",
       "con", "nul", "x\u202e", "x\x00", "0", "a..b", "user.contact", "CN"]
ENUM_FIELDS = ["kind", "routing", "recipient_role", "unit", "relationship", "doj", "claim",
               "mechanism", "duty", "status", "transformations", "rights", "overlays",
               "doj_transaction", "basis", "module"]
DATE_FIELDS = ["evaluation_date", "effective", "expires", "filed_on", "done_on", "since"]
TEXT_FIELDS = ["name", "name_zh", "description", "purpose", "purpose_zh", "retention", "address",
               "practice", "reference", "authority", "frequency", "method", "sector",
               "legal_representative", "dpo", "credit_code"]
REF_FIELDS = {
    "entities": {"processor_for": "entities", "parent": "entities"},
    "systems": {"operator": "entities"},
    "cohorts": {"subset_of": "cohorts"},
    "flows": {"from": "systems", "to": "systems", "cohorts": "cohorts",
              "on_behalf_of": "entities", "primary": "flows", "categories": "categories"},
    "access": {"system": "systems", "accessor": "entities", "cohorts": "cohorts",
               "categories": "categories"},
    "safeguards": {"exporter": "entities", "recipients": "entities", "categories": "categories"},
    "duties": {"exporter": "entities", "recipients": "entities"},
    "exemptions": {"flows": "flows"},
}
LOCATION_FIELDS = {"entities": ["jurisdiction", "province"], "systems": ["location"],
                   "cohorts": ["residence"], "flows": ["storage_location"], "access": ["from"]}
OVERLAYS: list[Any] = [
    {"regions": {"acme:cn-x": {"name": "X", "jurisdiction": "CN"}}},
    {"regions": {"acme:cn-x": {"name": "X"}}},
    {"regions": {"ACME:X": {"name": "X", "jurisdiction": "CN"}}},
    {"regions": {"acme:x": {"name": 5, "jurisdiction": ["CN"]}}},
    {"regions": {"aws:us-east-1": {"jurisdiction": "CN"}}},
    {"regions": {"aws:us-east-1": {"jurisdiction": "XX", "subdivision": "CN-ZJ"}}},
    {"regions": {"aws:us-east-1": None}},
    {"jurisdictions": {"CN": {"groups": ["EU"]}}},
    {"jurisdictions": {"CN": {"groups": "EU"}}},
    {"jurisdictions": {"XX": {"name_en": "Nowhere"}}},
    {"jurisdictions": {"XX-YY": {"name_en": "Sub", "parent": "XX"}}},
    {"jurisdictions": {"io:new": {"name_en": "New org"}}},
    {"jurisdictions": {"bad code": {"name_en": "x"}}},
    {"jurisdictions": {"SG": {"as_of": "yesterday"}}},
    {"jurisdictions": {"SG": {"confidence": "Z"}}},
    {"jurisdictions": {"SG": {"cac": "x"}}},
    {"jurisdictions": {"SG": {"field_confidence": {"name_en": "Q"}}}},
    {"jurisdictions": {"HK": {"kind": "country", "parent": None}}},
    {"providers": {"newai": {"name": "New AI", "jurisdiction": "US"}}},
    {"providers": {"newai": {"name": "New AI"}}},
    {"providers": {"openai": {"jurisdiction": "CN-ZJ"}}},
    {"providers": {"openai": {"processing_jurisdictions": "US"}}},
    {"providers": {"openai": {"processing_jurisdictions": [{"scope": "x",
                                                            "jurisdictions": ["XX"]}]}}},
    {"providers": {"openai": {"processing_jurisdictions": [None]}}},
    {"nonsense": {}}, [], "x", None, {"regions": []}, {"regions": {"a:b": []}},
]

# ----------------------------------------------------------------------------- mutations

Mutation = Callable[[random.Random, dict[str, Any]], None]


def _objects(d: dict[str, Any], colls: Any = None) -> list[tuple[str, str, dict[str, Any]]]:
    out = []
    for coll in sorted(colls or MODEL_FOR_COLLECTION):
        objs = d.get(coll)
        if isinstance(objs, dict):
            out.extend((coll, oid, obj) for oid, obj in objs.items() if isinstance(obj, dict))
    return out


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = []
    if isinstance(node, dict):
        for k, v in node.items():
            out.append((*prefix, k))
            out.extend(_paths(v, (*prefix, k)))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.append((*prefix, i))
            out.extend(_paths(v, (*prefix, i)))
    return out


def _get_parent(d: Any, path: tuple[Any, ...]) -> Any:
    for p in path[:-1]:
        d = d[p]
    return d


def _set_path(r: random.Random, d: dict[str, Any], value_of: Callable[[], Any]) -> None:
    paths = _paths(d)
    if paths:
        path = r.choice(paths)
        _get_parent(d, path)[path[-1]] = value_of()


def m_drop_key(r: random.Random, d: dict[str, Any]) -> None:
    paths = _paths(d)
    if paths:
        path = r.choice(paths)
        parent = _get_parent(d, path)
        del parent[path[-1]]


def m_retype(r: random.Random, d: dict[str, Any]) -> None:
    _set_path(r, d, lambda: copy.deepcopy(r.choice(ODD_VALUES)))


def m_unknown_ref(r: random.Random, d: dict[str, Any]) -> None:
    objs = [o for o in _objects(d, REF_FIELDS)]
    if not objs:
        return
    coll, _, obj = r.choice(objs)
    field = r.choice(sorted(REF_FIELDS[coll]))
    other = [oid for c in MODEL_FOR_COLLECTION if c != REF_FIELDS[coll][field]
             for oid in (d.get(c) or {})] if isinstance(d, dict) else []
    value: Any = r.choice(IDS + other[:5] if other else IDS)
    if r.random() < 0.4:
        value = [value]
    if r.random() < 0.1:
        value = [r.choice(IDS), {"x": 1}] if r.random() < 0.5 else [[value]]
    obj[field] = value


def _safe_chr(r: random.Random) -> str:
    c = chr(r.randint(0x20, 0x2FFFF))
    return "?" if 0xD800 <= ord(c) <= 0xDFFF else c


def random_text(r: random.Random) -> str:
    if r.random() < 0.5:
        return r.choice(TEXTS)
    return "".join(r.choice(BIDI_ETC + list("aZ9 -_.:|<>&\"'数据") + [_safe_chr(r)])
                   for _ in range(r.randint(0, 12)))


def m_unicode_text(r: random.Random, d: dict[str, Any]) -> None:
    """Benign: free text fields accept any text."""
    objs = _objects(d)
    if isinstance(d.get("model"), dict):
        objs.append(("model", "", d["model"]))
    if not objs:
        return
    coll, _, obj = r.choice(objs)
    fields = {"model": ["name", "name_zh", "description"],
              "exemptions": ["evidence", "owner"], "waivers": ["justification", "owner"]}.get(
        coll, [f for f in TEXT_FIELDS if f in _fields(coll)])
    field = r.choice(fields)
    text = random_text(r)
    if field in ("evidence", "justification", "owner") and coll in ("exemptions", "waivers"):
        text = text or "x"  # required non-empty
    obj[field] = text


def _fields(coll: str) -> set[str]:
    cls = MODEL_FOR_COLLECTION.get(coll)
    return {f.alias or n for n, f in cls.model_fields.items()} if cls else set()


def m_unicode_id(r: random.Random, d: dict[str, Any]) -> None:
    objs = _objects(d)
    if not objs:
        return
    coll, oid, obj = r.choice(objs)
    new = r.choice(IDS) if r.random() < 0.5 else random_text(r)
    d[coll].pop(oid)
    d[coll][new] = obj


def m_duplicate_id(r: random.Random, d: dict[str, Any]) -> None:
    objs = _objects(d)
    if not objs:
        return
    coll, oid, obj = r.choice(objs)
    other = r.choice([c for c in MODEL_FOR_COLLECTION if c != coll])
    target = d.get(other)
    if not isinstance(target, dict):
        target = d[other] = {}
    target[oid] = copy.deepcopy(obj)


def m_location(r: random.Random, d: dict[str, Any]) -> None:
    objs = _objects(d, LOCATION_FIELDS)
    if objs:
        coll, _, obj = r.choice(objs)
        obj[r.choice(LOCATION_FIELDS[coll])] = copy.deepcopy(r.choice(LOCATIONS))


def m_valid_location(r: random.Random, d: dict[str, Any]) -> None:
    """Benign: any catalogue location (or unknown) is a valid system location."""
    objs = _objects(d, ["systems"])
    if objs:
        _, _, obj = r.choice(objs)
        obj["location"] = copy.deepcopy(r.choice(VALID_LOCATIONS))


def m_unknown_key(r: random.Random, d: dict[str, Any]) -> None:
    objs = _objects(d)
    if objs:
        _, _, obj = r.choice(objs)
        key = r.choice(["nmae", "Name", "kind ", "from_", "str", "list[int]", "[", "", "数据",
                        "<<", "model", random_text(r)])
        obj[key] = copy.deepcopy(r.choice(ODD_VALUES))


def m_enum(r: random.Random, d: dict[str, Any]) -> None:
    objs = _objects(d)
    if objs:
        _, _, obj = r.choice(objs)
        field = r.choice(ENUM_FIELDS)
        obj[field] = r.choice(["servce", "SERVICE", "Controller", "failover ", "", "x" * 200,
                               "pipl.standard_contract", "gdpr.scc.module1", "read,write",
                               ["read", "delete"], ["anonymized"], 5, None, random_text(r)])


def m_date(r: random.Random, d: dict[str, Any]) -> None:
    objs = _objects(d)
    if isinstance(d.get("model"), dict):
        objs.append(("model", "", d["model"]))
    if objs:
        _, _, obj = r.choice(objs)
        if r.random() < 0.3:
            obj["period"] = {r.choice(["from", "to", "start"]): r.choice(DATES),
                             "to": r.choice(DATES)}
        else:
            obj[r.choice(DATE_FIELDS)] = copy.deepcopy(r.choice(DATES))


def m_count(r: random.Random, d: dict[str, Any]) -> None:
    objs = _objects(d, ["cohorts"])
    if objs:
        _, _, obj = r.choice(objs)
        if r.random() < 0.3:
            others = list(d["cohorts"])
            obj["overlaps"] = {r.choice(others + IDS): copy.deepcopy(r.choice(COUNTS))}
        else:
            obj["count"] = copy.deepcopy(r.choice(COUNTS))


def m_cycle(r: random.Random, d: dict[str, Any]) -> None:
    cohorts = d.get("cohorts")
    if isinstance(cohorts, dict) and cohorts:
        ids = list(cohorts)
        a = r.choice(ids)
        b = r.choice(ids)
        if isinstance(cohorts[a], dict) and isinstance(cohorts[b], dict):
            cohorts[a]["subset_of"] = b
            cohorts[b]["subset_of"] = a
    flows = d.get("flows")
    if isinstance(flows, dict) and flows and r.random() < 0.5:
        ids = list(flows)
        a, b = r.choice(ids), r.choice(ids)
        if isinstance(flows[a], dict) and isinstance(flows[b], dict):
            flows[a].update(routing="failover", primary=b)
            flows[b].update(routing=r.choice(["failover", "conditional", "primary"]), primary=a)


def m_flow_shape(r: random.Random, d: dict[str, Any]) -> None:
    objs = _objects(d, ["flows"])
    if not objs:
        return
    _, fid, f = r.choice(objs)
    choice = r.randrange(6)
    if choice == 0:
        f["to"] = f.get("from")
    elif choice == 1:
        f["routing"] = r.choice(["failover", "conditional"])
        f.pop("primary", None)
    elif choice == 2:
        f["primary"] = fid
    elif choice == 3:
        f["period"] = {"from": "2026-12-31", "to": "2026-01-01"}
    elif choice == 4:
        f["transit_only"] = True
        f["transformations"] = ["anonymised", "aggregated", "pseudonymised", "encrypted"]
    else:
        f["cohorts"] = []
        f["categories"] = r.choice([["user"], ["system"], ["business.contract"], [],
                                    ["user.biometric.face", "user.genetic"]])


def m_delete_object(r: random.Random, d: dict[str, Any]) -> None:
    objs = _objects(d)
    if objs:
        coll, oid, _ = r.choice(objs)
        del d[coll][oid]


def m_collection_shape(r: random.Random, d: dict[str, Any]) -> None:
    coll = r.choice(sorted(MODEL_FOR_COLLECTION) + ["model", "catalogue", "include"])
    d[coll] = copy.deepcopy(r.choice([None, [], "x", 5, {}, [{"a": 1}], {"x": None},
                                      {"x": []}, {"x": "y"}]))


def m_overlay(r: random.Random, d: dict[str, Any]) -> None:
    d["catalogue"] = copy.deepcopy(r.choice(OVERLAYS))


def m_model_block(r: random.Random, d: dict[str, Any]) -> None:
    m = d.get("model")
    if not isinstance(m, dict):
        return
    key = r.choice(["owner", "reporting_year", "evaluation_date", "name"])
    m[key] = copy.deepcopy(r.choice([1999, 2101, 2026, "2026", "nope", None, "", ["x"],
                                     "1900-01-01", "2999-12-31", "2020-02-29", True]))


def m_genai(r: random.Random, d: dict[str, Any]) -> None:
    objs = _objects(d, ["systems"])
    if objs:
        _, _, s = r.choice(objs)
        s["genai"] = copy.deepcopy(r.choice([
            {"model": "openai"}, {"unfiled": True}, [], [None], {"model": "nope", "filing": "x"},
            {"model": s.get("operator"), "unfiled": "yes"}, [{"model": "openai",
                                                              "unfiled": True}] * 3,
            {"filing": "", "registration": ""}, "openai", {"model": ["openai"], "unfiled": True}]))


def m_waiver(r: random.Random, d: dict[str, Any]) -> None:
    d.setdefault("waivers", {})
    if isinstance(d["waivers"], dict):
        d["waivers"]["w-fuzz"] = {"finding": r.choice(["[", "**", "*", "PIPL*/*", "x" * 500,
                                                       "PIPL100/[a-", "数据/*", "?"]),
                                  "justification": random_text(r) or "x",
                                  "owner": "o", "expires": r.choice(["2000-01-01",
                                                                     "2999-01-01"])}


def m_exemption(r: random.Random, d: dict[str, Any]) -> None:
    flows = list(d.get("flows") or {}) if isinstance(d.get("flows"), dict) else []
    d["exemptions"] = {"x-fuzz": {"claim": r.choice(["pipl.art3", "pipl.art5-3", "pipl.art6",
                                                     "pipl.art7"]),
                                  "flows": r.sample(flows, min(len(flows), 2)) or ["nope"],
                                  "evidence": random_text(r) or "e"}}


def m_big_counts(r: random.Random, d: dict[str, Any]) -> None:
    """Benign: scale every count by the same large factor (subset and overlap order kept),
    up to the largest count the format allows (dataflow.model.MAX_COUNT)."""
    largest = max([_peak(c.get("count")) for _, _, c in _objects(d, ["cohorts"])] or [1])
    room = max(1, MAX_COUNT // max(largest, 1))
    factor = min(r.choice([10, 1000, 10**5, room]), room)

    def scaled(v: Any) -> Any:
        if isinstance(v, bool) or not isinstance(v, (int, str)):
            return v
        if isinstance(v, str):
            digits = v.replace("_", "")
            return int(digits) * factor if digits.isdigit() and digits.isascii() else v
        return v * factor

    for _, _, c in _objects(d, ["cohorts"]):
        count = c.get("count")
        c["count"] = ({k: scaled(v) for k, v in count.items()} if isinstance(count, dict)
                      else scaled(count))
        if isinstance(c.get("overlaps"), dict):
            c["overlaps"] = {k: scaled(v) for k, v in c["overlaps"].items()}


def _peak(count: Any) -> int:
    values = count.values() if isinstance(count, dict) else [count]
    out = 1
    for v in values:
        if isinstance(v, str) and v.replace("_", "").isdigit() and v.isascii():
            v = int(v.replace("_", ""))
        if isinstance(v, int) and not isinstance(v, bool):
            out = max(out, v)
    return out


def m_role(r: random.Random, d: dict[str, Any]) -> None:
    """Benign: any recipient role, frequency, method and booleans."""
    for _, _, f in _objects(d, ["flows"]):
        if r.random() < 0.5:
            f["recipient_role"] = r.choice(["controller", "processor", "entrusted"])
        if r.random() < 0.3:
            f["frequency"] = random_text(r)
    for _, _, s in _objects(d, ["systems"]):
        if r.random() < 0.3:
            s["public_service"] = r.choice([True, False])


def m_shuffle(r: random.Random, d: dict[str, Any]) -> None:
    """Benign: the order of keys and objects means nothing."""
    def shuffle(node: Any) -> Any:
        if isinstance(node, dict):
            items = list(node.items())
            r.shuffle(items)
            return {k: shuffle(v) for k, v in items}
        if isinstance(node, list):
            return [shuffle(v) for v in node]
        return node
    new = shuffle(d)
    d.clear()
    d.update(new)


BREAKING: dict[str, Mutation] = {
    "drop_key": m_drop_key, "retype": m_retype, "unknown_ref": m_unknown_ref,
    "unicode_id": m_unicode_id, "duplicate_id": m_duplicate_id, "location": m_location,
    "unknown_key": m_unknown_key, "enum": m_enum, "date": m_date, "count": m_count,
    "cycle": m_cycle, "flow_shape": m_flow_shape, "delete_object": m_delete_object,
    "collection_shape": m_collection_shape, "overlay": m_overlay, "model_block": m_model_block,
    "genai": m_genai, "waiver": m_waiver, "exemption": m_exemption,
}
BENIGN: dict[str, Mutation] = {
    "unicode_text": m_unicode_text, "valid_location": m_valid_location,
    "big_counts": m_big_counts, "role": m_role, "shuffle": m_shuffle,
}
ALL = {**BREAKING, **BENIGN}


# ----------------------------------------------------------------------------- layouts

def layout(r: random.Random, data: dict[str, Any], style: str) -> dict[str, str]:
    """Files for ``data``: one file, a folder with a root file, or a folder without one."""
    if style == "file":
        return {"model.yaml": dump_yaml(data)}
    keys = list(data)
    r.shuffle(keys)
    files: dict[str, dict[str, Any]] = {}
    n = r.randint(1, 4)
    for k in keys:
        value = data[k]
        if k != "model" and isinstance(value, dict) and len(value) > 1 and r.random() < 0.4:
            items = list(value.items())
            cut = r.randint(1, len(items) - 1)
            files.setdefault(f"part{r.randrange(n)}.yaml", {})[k] = dict(items[:cut])
            files.setdefault(f"sub/part{r.randrange(n)}.yml", {}).setdefault(k, {}).update(
                dict(items[cut:]))
        else:
            target = "root" if k == "model" and style == "root" else f"part{r.randrange(n)}.yaml"
            files.setdefault(target, {})[k] = value
    out: dict[str, str] = {}
    if style == "root":
        root = files.pop("root", {})
        root["include"] = ["*.yaml"] + (["sub/*.yml"] if any(f.startswith("sub/")
                                                              for f in files) else [])
        out["dataflow.yaml"] = dump_yaml(root)
    for name, content in files.items():
        out[name] = dump_yaml(content)
    return out


# ----------------------------------------------------------------------------- tests


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-models")


def _apply(base: int, ops: list[tuple[str, int]]) -> dict[str, Any]:
    data = copy.deepcopy(BASES[base][1])
    for name, seed in ops:
        ALL[name](random.Random(seed), data)
    return data


@fuzz_settings(max_examples=5000)
@given(base=st.integers(0, len(BASES) - 1),
       ops=st.lists(st.tuples(st.sampled_from(sorted(ALL)), st.integers(0, 2**32)),
                    min_size=1, max_size=4),
       style=st.sampled_from(["file", "file", "file", "root", "plain"]),
       seed=st.integers(0, 2**32))
def test_mutated_models(work: Path, base: int, ops: list[tuple[str, int]], style: str,
                        seed: int) -> None:
    note(f"base {BASES[base][0]}, mutations {ops}, layout {style}")
    data = _apply(base, ops)
    files = layout(random.Random(seed), data, style)
    (exercise_text(work / "m", files["model.yaml"]) if style == "file"
              else exercise_files(work / "m", files))


@fuzz_settings(max_examples=1500)
@given(base=st.integers(0, len(BASES) - 1),
       ops=st.lists(st.tuples(st.sampled_from(sorted(BENIGN)), st.integers(0, 2**32)),
                    min_size=1, max_size=4))
def test_benign_mutations_keep_models_valid(work: Path, base: int,
                                            ops: list[tuple[str, int]]) -> None:
    """Free text, any catalogue location, larger counts, roles and key order never make a
    valid model invalid, and the result still goes through analysis and check."""
    note(f"base {BASES[base][0]}, mutations {ops}")
    data = _apply(base, ops)
    text = dump_yaml(data)
    note(text)
    result = exercise_text(work / "b", text)
    if result is None:
        return
    errors = [f"{d.location()}: {d.code} {d.message}" for d in result.diagnostics
              if d.severity == "error"]
    assert result.ok, errors


def _meaning(result: Any) -> tuple[str, str]:
    model = result.model
    doc = analysis_json(analyse(model), envelope(model))
    return model.digest, json.dumps(doc["transfers"] + doc["possible_transfers"],
                                    sort_keys=True, ensure_ascii=False)


@fuzz_settings(max_examples=500)
@given(base=st.integers(0, len(BASES) - 1), seed=st.integers(0, 2**32),
       style=st.sampled_from(["root", "plain"]))
def test_file_layout_does_not_change_the_model(work: Path, base: int, seed: int,
                                               style: str) -> None:
    """One file or many, in any order: the same digest and the same transfers."""
    data = copy.deepcopy(BASES[base][1])
    single = exercise_text(work / "one", dump_yaml(data))
    assert single is not None and single.ok
    files = layout(random.Random(seed), data, style)
    note(repr(sorted(files)))
    split = exercise_files(work / "many", files)
    assert split is not None and split.ok, [d.message for d in split.diagnostics]
    assert _meaning(single) == _meaning(split)


def test_duplicate_id_across_files_names_both_places(tmp_path: Path) -> None:
    data = copy.deepcopy(BASES[0][1])
    sid = sorted(data["systems"])[0]
    write_files(tmp_path, {"a.yaml": dump_yaml(data),
                           "b.yaml": dump_yaml({"systems": {sid: data["systems"][sid]}})})
    result = run_path(tmp_path)
    assert result is not None and not result.ok
    dup = [d for d in result.diagnostics if d.code == "DF205"]
    assert len(dup) == 1 and dup[0].related, [d.message for d in result.diagnostics]
    assert {dup[0].file, dup[0].related[0].file} == {str(tmp_path / "a.yaml"),
                                                      str(tmp_path / "b.yaml")}

