#!/usr/bin/env python3
"""Generate a large, valid dataflow model (format v1) for benchmarks.

    python benchmarks/generate.py --systems 10000 --out DIR [--seed 1] [--check]
    python benchmarks/generate.py --systems 100000 --flows-per-system 5 --out DIR
    python benchmarks/generate.py --check-only DIR

The output is deterministic for (systems, flows per system, seed): one ``random.Random(seed)``
drives every choice, nothing reads the clock, and no set or hash order reaches the output.
Flows are written file by file as they are drawn, so memory stays proportional to the
number of systems, entities and cohorts, never to the number of flows.

Layout (see benchmarks/README.md): ``dataflow.yaml`` (model + ``include: ["teams/**/*.yaml"]``),
``teams/<team>/part-NN.yaml`` with ~50 systems each and the flows whose ``from`` is one of
them, and ``teams/governance/*.yaml`` with the entities, categories, cohorts and access grants.

``--check`` re-reads the model with PyYAML's CSafeLoader (independently of dataflow) and
verifies id uniqueness, every reference, the cohort family and the layout.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import hashlib
import itertools
import json
import math
import random
import re
import shutil
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

STAMP_NAME = ".bench-stamp.json"
SYSTEMS_PER_FILE = 50
EVALUATION_DATE = "2026-10-01"
INCLUDE_GLOB = "teams/**/*.yaml"
GOVERNANCE_DIR = "teams/governance"

# ---------------------------------------------------------------------------------------------
# Reference data
# ---------------------------------------------------------------------------------------------

JURISDICTIONS: tuple[str, ...] = (
    "CN", "HK", "MO", "TW", "SG", "US", "JP", "KR", "DE", "FR", "NL", "IE", "NO", "GB", "CH",
    "IN", "VN", "RU", "BR", "AU", "CA", "AE", "SA", "ID", "MY", "TH", "PH", "IL", "ES", "SE",
)  # fmt: skip
assert len(JURISDICTIONS) == 30

# Mainland provinces (ISO 3166-2, 2017 letter codes) with a city for names.
CN_PROVINCES: dict[str, tuple[str, str]] = {
    "CN-ZJ": ("Hangzhou", "杭州"),
    "CN-GD": ("Shenzhen", "深圳"),
    "CN-BJ": ("Beijing", "北京"),
    "CN-SH": ("Shanghai", "上海"),
    "CN-JS": ("Nanjing", "南京"),
    "CN-SC": ("Chengdu", "成都"),
    "CN-HB": ("Wuhan", "武汉"),
    "CN-FJ": ("Xiamen", "厦门"),
    "CN-SD": ("Qingdao", "青岛"),
}
# Cloud regions used (all present in the reviewed catalogue seed with a settled jurisdiction).
PROVINCE_REGIONS: dict[str, tuple[str, ...]] = {
    "CN-ZJ": ("alibaba:cn-hangzhou",),
    "CN-SH": ("alibaba:cn-shanghai",),
    "CN-BJ": ("alibaba:cn-beijing", "aws:cn-north-1"),
    "CN-GD": ("alibaba:cn-shenzhen",),
}
CN_ANYWHERE: tuple[str, ...] = ("CN", "aws:cn-northwest-1")
JURISDICTION_REGIONS: dict[str, tuple[str, ...]] = {
    "HK": ("aws:ap-east-1",),
    "SG": ("aws:ap-southeast-1",),
    "US": ("aws:us-east-1", "aws:us-west-2"),
    "JP": ("aws:ap-northeast-1",),
    "DE": ("aws:eu-central-1",),
    "IE": ("aws:eu-west-1",),
}
CLOUD_REGIONS: frozenset[str] = frozenset(
    r for group in (*PROVINCE_REGIONS.values(), *JURISDICTION_REGIONS.values()) for r in group
) | {"aws:cn-northwest-1"}
VALID_LOCATIONS: frozenset[str] = (
    frozenset(JURISDICTIONS) | frozenset(CN_PROVINCES) | CLOUD_REGIONS | {"unknown"}
)

KINDS: tuple[str, ...] = (
    "service", "database", "storage", "saas", "analytics",
    "ai-model", "relay", "gateway", "client", "other",
)  # fmt: skip
KIND_WEIGHTS: tuple[int, ...] = (30, 14, 8, 8, 6, 4, 8, 6, 10, 6)
KIND_LABELS: dict[str, tuple[str, str]] = {
    "service": ("API", "服务"),
    "database": ("DB", "数据库"),
    "storage": ("bucket", "存储"),
    "saas": ("SaaS", "外部服务"),
    "analytics": ("warehouse", "数仓"),
    "ai-model": ("model", "模型"),
    "relay": ("relay", "中转"),
    "gateway": ("gateway", "网关"),
    "client": ("app", "客户端"),
    "other": ("job", "任务"),
}
SERVICE_KIND, DATABASE_KIND, STORAGE_KIND, SAAS_KIND, ANALYTICS_KIND = range(5)
AI_KIND, RELAY_KIND, GATEWAY_KIND, CLIENT_KIND, OTHER_KIND = range(5, 10)
HUB_KINDS = (DATABASE_KIND, STORAGE_KIND, ANALYTICS_KIND)

TEAM_WORDS: tuple[str, ...] = (
    "payments", "identity", "search", "orders", "catalog", "logistics", "support", "marketing",
    "risk", "ads", "maps", "messaging", "video", "health", "people", "finance", "crm", "growth",
    "security", "platform", "data", "ml", "devices", "iot", "travel", "insurance", "loans",
    "wallet", "rewards", "reviews", "booking", "pricing", "inventory", "billing", "compliance",
    "content", "social", "games", "education", "retail",
)  # fmt: skip
BRANDS: tuple[str, ...] = (
    "Acme", "Nimbus", "Vela", "Orbis", "Lumen", "Kestrel", "Quanta", "Helix", "Cobalt", "Aster",
    "Borealis", "Cinder", "Delta", "Ember", "Fjord", "Granite", "Harbor", "Iris", "Juniper",
    "Kite", "Lattice", "Meridian", "Nova", "Onyx", "Pioneer", "Quill", "Raven", "Sable", "Tundra",
    "Umber", "Vertex", "Willow", "Xenon", "Yarrow", "Zephyr",
)  # fmt: skip
BRANDS_ZH: tuple[str, ...] = (
    "云图",
    "星河",
    "海纳",
    "北辰",
    "易联",
    "天衡",
    "瑞思",
    "青禾",
)
LEGAL_SUFFIX: dict[str, str] = {
    "US": "Inc.", "DE": "GmbH", "CH": "AG", "FR": "SAS", "NL": "B.V.", "GB": "Ltd", "JP": "K.K.",
    "KR": "Co., Ltd.", "BR": "Ltda.", "SE": "AB", "NO": "AS", "ES": "S.L.", "AU": "Pty Ltd",
}  # fmt: skip
PURPOSES: tuple[str, ...] = (
    "Order fulfilment", "Customer support", "Fraud screening", "Personalised recommendations",
    "Payroll processing", "Product analytics", "Model inference", "Backup and disaster recovery",
    "Marketing campaigns", "Identity verification", "Log aggregation", "Regulatory reporting",
    "Search ranking", "Delivery tracking", "Credit scoring", "Content moderation",
)  # fmt: skip
PRACTICES: tuple[str, ...] = (
    "weekly full-table queries",
    "on-call debugging, read replicas only",
    "monthly export of aggregates",
    "ad-hoc support lookups by ticket",
)
RELATIONSHIPS: tuple[str, ...] = (
    "customer", "user", "employee", "applicant", "patient", "student", "other",
)  # fmt: skip
METHODS: tuple[str, ...] = (
    "api",
    "sftp",
    "replication",
    "message-queue",
    "batch-export",
)
FREQUENCIES: tuple[str, ...] = ("continuous", "daily", "weekly", "monthly", "one-off")
TRANSFORMATIONS: tuple[str, ...] = (
    "pseudonymised",
    "encrypted",
    "aggregated",
    "anonymised",
)
SERIES_DATES: tuple[str, ...] = ("2026-01-10", "2026-05-20", "2026-09-15")

# (id, name, flags): 40 categories under bench.*; several parents are only implied.
CATEGORIES: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("bench.user.id", "User identifier", {}),
    ("bench.user.name", "Full name", {}),
    ("bench.user.contact", "Contact details", {}),
    ("bench.user.contact.email", "Email address", {}),
    ("bench.user.contact.phone", "Phone number", {}),
    ("bench.user.contact.address", "Postal address", {}),
    ("bench.user.account.credentials", "Login credentials", {"sensitive": True}),
    ("bench.user.account.profile", "Account profile", {}),
    ("bench.user.content.message", "Messages", {}),
    ("bench.user.content.prompt", "Prompts", {}),
    ("bench.user.content.upload", "Uploaded files", {}),
    ("bench.device.id", "Device identifier", {"doj": "identifiers"}),
    ("bench.device.telemetry", "Device telemetry", {}),
    ("bench.device.location.precise", "Precise location",
     {"sensitive": True, "doj": "precise-geolocation"}),
    ("bench.device.location.coarse", "Coarse location", {}),
    ("bench.finance.payment.card", "Payment card", {"sensitive": True, "doj": "financial"}),
    ("bench.finance.account", "Bank account", {"sensitive": True, "doj": "financial"}),
    ("bench.finance.transaction", "Transactions", {"sensitive": True}),
    ("bench.health", "Health data", {"sensitive": True, "special": True, "doj": "health"}),
    ("bench.health.record", "Medical record", {"sensitive": True, "special": True}),
    ("bench.health.genomic", "Genomic data",
     {"sensitive": True, "special": True, "doj": "genomic"}),
    ("bench.biometric.face", "Face template",
     {"sensitive": True, "special": True, "doj": "biometric"}),
    ("bench.biometric.voice", "Voiceprint", {"sensitive": True, "special": True}),
    ("bench.identity.national-id", "National ID number", {"sensitive": True}),
    ("bench.identity.passport", "Passport", {"sensitive": True}),
    ("bench.hr.employee.record", "Employee record", {}),
    ("bench.hr.employee.payroll", "Payroll", {}),
    ("bench.hr.applicant.cv", "CV", {}),
    ("bench.behaviour.clickstream", "Clickstream", {}),
    ("bench.behaviour.search", "Search history", {}),
    ("bench.behaviour.purchase", "Purchase history", {}),
    ("bench.minor.profile", "Profile of a child", {"sensitive": True}),
    ("bench.beliefs.religion", "Religious beliefs", {"sensitive": True, "special": True}),
    ("bench.beliefs.politics", "Political opinions", {"special": True}),
    ("bench.legal.criminal-record", "Criminal record", {"sensitive": True, "special": True}),
    ("bench.marketing.segment", "Marketing segment", {}),
    ("bench.ops.logs", "Application logs", {}),
    ("bench.ops.metrics", "Service metrics", {"personal": False}),
    ("bench.business.contract", "Contracts", {"personal": False}),
    ("bench.business.pricing", "Price lists", {"personal": False}),
)  # fmt: skip
assert len(CATEGORIES) == 40
CATEGORY_IDS: tuple[str, ...] = tuple(c[0] for c in CATEGORIES)
BROAD_CATEGORIES: tuple[str, ...] = (
    "bench.user.contact",
    "bench.health",
    "bench.user.id",
)

ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")

# ---------------------------------------------------------------------------------------------
# YAML writing
# ---------------------------------------------------------------------------------------------


class Raw(str):
    """A scalar written verbatim (dates, ``250_000`` counts)."""

    __slots__ = ()


Value: TypeAlias = "str | int | bool | list[Any] | dict[str, Any]"

_YAML11_WORDS = frozenset({"", "~", "y", "n", "yes", "no", "true", "false", "on", "off", "null"})
_PLAIN = re.compile(r"[A-Za-z\u4e00-\u9fff][\w .()'/&\u4e00-\u9fff-]*\Z")
_REGION = re.compile(r"[a-z]+:[a-z0-9-]+\Z")


def scalar(value: str | int | bool) -> str:
    """One scalar as a human would write it, quoted where YAML 1.1 would misread it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Raw) or _REGION.match(value):
        return str(value)
    if value.lower() in _YAML11_WORDS or not _PLAIN.match(value) or value != value.strip():
        return json.dumps(value, ensure_ascii=False)
    return value


def flow_style(value: Value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {flow_style(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow_style(v) for v in value) + "]"
    return scalar(value)


def block_style(out: list[str], key: str, value: Value, indent: int, dash_lists: bool) -> None:
    pad = " " * indent
    if isinstance(value, dict) and value:
        out.append(f"{pad}{key}:")
        for k, v in value.items():
            block_style(out, k, v, indent + 2, dash_lists)
    elif isinstance(value, list) and value and dash_lists:
        out.append(f"{pad}{key}:")
        out.extend(f"{pad}  - {flow_style(v)}" for v in value)
    else:
        out.append(f"{pad}{key}: {flow_style(value)}")


@dataclass
class Section:
    """One top-level collection written in one style."""

    block: bool
    dash_lists: bool = False

    def header(self, name: str) -> str:
        return f"{name}:\n"

    def entry(self, obj_id: str, obj: dict[str, Value]) -> str:
        if not self.block:
            return f"  {obj_id}: {flow_style(obj)}\n"
        out: list[str] = []
        block_style(out, obj_id, obj, 2, self.dash_lists)
        return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------
# The plan: everything except flows, drawn up front
# ---------------------------------------------------------------------------------------------


@dataclass
class Entity:
    id: str
    jurisdiction: str
    province: str | None
    role: str  # controller | processor | vendor
    processor_for: tuple[int, ...] = ()
    locations: tuple[str, ...] = ()
    body: dict[str, Value] = field(default_factory=dict)


@dataclass
class Team:
    id: str
    word: str
    operator: int
    start: int = 0  # the team's systems are start..end-1 (its files are contiguous)
    end: int = 0


@dataclass
class SystemFile:
    path: str
    team: int
    start: int
    end: int


@dataclass
class Plan:
    systems: int
    flows_per_system: float
    sys_width: int
    flow_width: int
    entities: list[Entity]
    teams: list[Team]
    files: list[SystemFile]
    sys_team: list[int]
    sys_kind: bytearray
    sys_operator: list[int]
    sys_location: list[str | tuple[str, str]]
    hubs: list[int]
    relay_next: dict[int, int]
    relay_loop: dict[int, int]
    relay_heads: list[int]
    regular_mean: float
    cohort_ids: list[str]
    cohorts: list[tuple[str, dict[str, Value]]]

    def sys_id(self, i: int) -> str:
        return f"sys-{i + 1:0{self.sys_width}d}"

    def flow_id(self, n: int) -> str:
        return f"fl-{n:0{self.flow_width}d}"


def entity_locations(jurisdiction: str, province: str | None) -> tuple[str, ...]:
    if jurisdiction == "CN":
        assert province is not None
        return (province, *PROVINCE_REGIONS.get(province, ()), *CN_ANYWHERE)
    return (jurisdiction, *JURISDICTION_REGIONS.get(jurisdiction, ()))


def plan_entities(rng: random.Random, n_entities: int) -> list[Entity]:
    width = max(4, len(str(n_entities)))
    entities: list[Entity] = []
    controllers: list[int] = []
    mainland_controllers: list[int] = []
    us_seen = 0
    for i in range(n_entities):
        # The first 30 cover every jurisdiction once; then 45% mainland.
        if i < len(JURISDICTIONS):
            juris = JURISDICTIONS[i]
        else:
            juris = "CN" if rng.random() < 0.45 else rng.choice(JURISDICTIONS[1:])
        province = rng.choice(tuple(CN_PROVINCES)) if juris == "CN" else None
        r = rng.random()
        role = "controller" if i == 0 or r < 0.55 else ("processor" if r < 0.8 else "vendor")
        brand = BRANDS[i % len(BRANDS)]
        body: dict[str, Value] = {}
        if province is not None:
            city, city_zh = CN_PROVINCES[province]
            kind = "Technology" if role != "processor" else "Information Services"
            body["name"] = f"{brand} ({city}) {kind} Co., Ltd. {i + 1}"
            zh_kind = "科技" if role != "processor" else "信息服务"
            body["name_zh"] = f"{city_zh}{rng.choice(BRANDS_ZH)}{zh_kind}有限公司{i + 1}"
            body["jurisdiction"] = juris
            body["province"] = province
        else:
            suffix = LEGAL_SUFFIX.get(juris, "Ltd.")
            body["name"] = f"{brand} {juris} {i + 1} {suffix}"
            body["jurisdiction"] = juris
        ent = Entity(
            id=f"ent-{i + 1:0{width}d}",
            jurisdiction=juris,
            province=province,
            role=role,
            locations=entity_locations(juris, province),
            body=body,
        )
        if role == "processor" and controllers:
            k = 2 if rng.random() < 0.15 and len(controllers) > 1 else 1
            ent.processor_for = tuple(sorted(rng.sample(controllers, k)))
            body["processor_for"] = [entities[c].id for c in ent.processor_for]
        elif role == "processor":
            ent.role = "controller"
        if ent.role == "controller":
            controllers.append(i)
            if juris == "CN":
                mainland_controllers.append(i)
                if rng.random() < 0.04 or len(mainland_controllers) == 1:
                    body["ciio"] = {"notified": True}
        if juris == "US" and ent.role != "processor":
            us_seen += 1
            if us_seen % 3 == 1:
                body["dpf"] = {"status": "active", "hr": False}
        if i >= len(JURISDICTIONS) and rng.random() < 0.05:
            body["parent"] = entities[rng.randrange(i)].id
        if rng.random() < 0.2:
            body["contact"] = {
                "name": "Privacy Office",
                "email": f"privacy{i + 1}@example.com",
            }
        entities.append(ent)
    return entities


def plan_cohorts(rng: random.Random, n_cohorts: int) -> list[tuple[str, dict[str, Value]]]:
    """A laminar family: a forest by ``subset_of`` (children's maxima fit in the parent's
    minimum), plus a few ``overlaps`` between cohorts of different trees."""
    width = max(3, len(str(n_cohorts)))
    ids = [f"coh-{i + 1:0{width}d}" for i in range(n_cohorts)]
    base: list[int] = []
    peak: list[int] = []
    room: list[int] = []  # what is left of a cohort's minimum for further children
    root: list[int] = []
    depth: list[int] = []
    out: list[tuple[str, dict[str, Value]]] = []
    for i in range(n_cohorts):
        parents = [p for p in range(i) if room[p] >= 3000 and depth[p] < 3]
        body: dict[str, Value] = {}
        if parents and rng.random() < 0.6:
            p = rng.choice(parents)
            hi = min(room[p] * 100 // 103, base[p] * 6 // 10)
            b = rng.randint(1000, max(1000, hi))
            body_parent: int | None = p
        else:
            b = int(math.exp(rng.uniform(math.log(20_000), math.log(480_000))))
            body_parent = None
        series = rng.random() < 0.15
        values = sorted(rng.randint(b, b * 103 // 100) for _ in SERIES_DATES) if series else [b]
        values[0] = b
        base.append(b)
        peak.append(max(values))
        room.append(b)
        if body_parent is not None:
            room[body_parent] -= peak[i]
            root.append(root[body_parent])
            depth.append(depth[body_parent] + 1)
        else:
            root.append(i)
            depth.append(0)
        rel = (
            rng.choice(RELATIONSHIPS)
            if body_parent is None
            else str(out[body_parent][1].get("relationship", "user"))
        )
        body["name"] = f"{rel.capitalize()} group {i + 1}"
        if series:
            body["count"] = {Raw(d): v for d, v in zip(SERIES_DATES, values, strict=True)}
        elif rng.random() < 0.1:
            body["count"] = Raw(f"{b:_d}")
        else:
            body["count"] = b
        if body_parent is None:
            body["residence"] = "CN" if rng.random() < 0.5 else rng.choice(JURISDICTIONS[1:])
            body["relationship"] = rel
            if rng.random() < 0.1:
                body["unit"] = "devices"
            if rng.random() < 0.05:
                body["minors_under_14"] = True
            if body["residence"] == "US":
                body["us_persons"] = True
        else:
            parent_body = out[body_parent][1]
            for key in ("residence", "relationship", "unit", "us_persons"):
                if key in parent_body:
                    body[key] = parent_body[key]
            body["subset_of"] = ids[body_parent]
        out.append((ids[i], body))
    # Pairwise overlaps between cohorts of different trees (never nested).
    declared: set[tuple[int, int]] = set()
    for _ in range(max(1, n_cohorts // 10)):
        a, b = sorted(rng.sample(range(n_cohorts), 2))
        if root[a] == root[b] or (a, b) in declared:
            continue
        declared.add((a, b))
        overlaps = out[a][1].setdefault("overlaps", {})
        assert isinstance(overlaps, dict)
        overlaps[ids[b]] = rng.randint(1, max(1, min(base[a], base[b]) // 10))
    return out


def make_plan(systems: int, flows_per_system: float, seed: int) -> tuple[random.Random, Plan]:
    rng = random.Random(seed)
    n = systems
    entities = plan_entities(rng, max(len(JURISDICTIONS) * 2, n // 20))
    controllers = [i for i, e in enumerate(entities) if e.role == "controller"]
    mainland = [i for i in controllers if entities[i].jurisdiction == "CN"]
    vendors = [i for i, e in enumerate(entities) if e.role == "vendor"] or controllers
    processors_of: dict[int, list[int]] = {}
    for i, e in enumerate(entities):
        for c in e.processor_for:
            processors_of.setdefault(c, []).append(i)
    all_processors = [i for i, e in enumerate(entities) if e.role == "processor"]

    # Teams of 1-5 files of ~50 systems.
    teams: list[Team] = []
    files: list[SystemFile] = []
    sys_team: list[int] = []
    start = 0
    while start < n:
        t = len(teams)
        word = TEAM_WORDS[t % len(TEAM_WORDS)]
        op = rng.choice(mainland if mainland and rng.random() < 0.6 else controllers)
        team = Team(f"{word}-{t // len(TEAM_WORDS) + 1:02d}", word, op, start=start)
        teams.append(team)
        for part in range(rng.randint(1, 5)):
            if start >= n:
                break
            end = min(n, start + SYSTEMS_PER_FILE)
            files.append(SystemFile(f"teams/{team.id}/part-{part + 1:02d}.yaml", t, start, end))
            sys_team.extend([t] * (end - start))
            start = team.end = end

    all_locations = sorted({loc for e in entities for loc in e.locations})
    sys_kind = bytearray(n)
    sys_operator: list[int] = []
    sys_location: list[str | tuple[str, str]] = []
    for i in range(n):
        kind = rng.choices(range(len(KINDS)), weights=KIND_WEIGHTS)[0]
        sys_kind[i] = kind
        home = teams[sys_team[i]].operator
        r = rng.random()
        if kind in (SAAS_KIND, AI_KIND):
            op = rng.choice(vendors)
        elif r < 0.12:
            op = rng.choice(processors_of.get(home) or all_processors or [home])
        elif r < 0.17:
            op = rng.randrange(len(entities))
        else:
            op = home
        sys_operator.append(op)
        r = rng.random()
        loc: str | tuple[str, str]
        if r < 0.01:
            loc = "unknown"
        elif kind == CLIENT_KIND:
            loc = rng.choice(JURISDICTIONS) if r < 0.5 else entities[op].jurisdiction
        elif r < 0.04 and kind in (DATABASE_KIND, STORAGE_KIND):
            a, b = rng.sample(all_locations, 2)
            loc = (a, b)
        elif r < 0.86:
            loc = rng.choice(entities[op].locations)
        else:
            loc = rng.choice(all_locations)
        sys_location.append(loc)

    hub_candidates = [i for i in range(n) if sys_kind[i] in HUB_KINDS]
    hubs = sorted(rng.sample(hub_candidates, min(len(hub_candidates), max(5, n // 200))))

    # Relay chains of 1-5 relays: source -> r1 -> ... -> r5 -> destination is 6 hops.
    relays = [i for i in range(n) if sys_kind[i] == RELAY_KIND]
    rng.shuffle(relays)
    relay_next: dict[int, int] = {}
    relay_loop: dict[int, int] = {}
    relay_heads: list[int] = []
    pos = 0
    while pos < len(relays):
        chain = relays[pos : pos + rng.randint(1, 5)]
        pos += len(chain)
        relay_heads.append(chain[0])
        for here, there in itertools.pairwise(chain):
            relay_next[here] = there
        if len(chain) > 1 and rng.random() < 0.05:
            relay_loop[chain[-1]] = chain[0]  # a cycle through relays
    relay_heads.sort()

    # Mean out-degree of the "regular" systems so that flows ~= flows_per_system * n.
    n_relay, n_ai, n_client = (
        len(relays),
        sys_kind.count(AI_KIND),
        sys_kind.count(CLIENT_KIND),
    )
    n_regular = max(1, n - n_relay - n_ai - n_client)
    special = 1.25 * n_relay + 0.5 * n_ai + 2.0 * n_client
    regular_mean = max(1.0, (flows_per_system * n - special) / n_regular)

    n_cohorts = max(5, n // 50)
    cohorts = plan_cohorts(rng, n_cohorts)
    plan = Plan(
        systems=n,
        flows_per_system=flows_per_system,
        sys_width=max(5, len(str(n))),
        flow_width=max(6, len(str(int(n * flows_per_system * 3)))),
        entities=entities,
        teams=teams,
        files=files,
        sys_team=sys_team,
        sys_kind=sys_kind,
        sys_operator=sys_operator,
        sys_location=sys_location,
        hubs=hubs,
        relay_next=relay_next,
        relay_loop=relay_loop,
        relay_heads=relay_heads,
        regular_mean=regular_mean,
        cohort_ids=[c[0] for c in cohorts],
        cohorts=cohorts,
    )
    return rng, plan


# ---------------------------------------------------------------------------------------------
# Drawing systems and flows, file by file
# ---------------------------------------------------------------------------------------------


def system_body(plan: Plan, rng: random.Random, i: int) -> dict[str, Value]:
    kind = KINDS[plan.sys_kind[i]]
    team = plan.teams[plan.sys_team[i]]
    op = plan.entities[plan.sys_operator[i]]
    label, label_zh = KIND_LABELS[kind]
    body: dict[str, Value] = {"name": f"{team.word.capitalize()} {label} {i + 1}"}
    if op.jurisdiction == "CN" and rng.random() < 0.15:
        body["name_zh"] = f"{label_zh}{i + 1}"
    loc = plan.sys_location[i]
    body["operator"] = op.id
    body["location"] = list(loc) if isinstance(loc, tuple) else loc
    body["kind"] = kind
    if kind == "service" and op.jurisdiction == "CN" and rng.random() < 0.1:
        body["public_service"] = True
    if rng.random() < 0.05:
        body["description"] = f"Owned by the {team.word} team"
    return body


def pick_target(plan: Plan, rng: random.Random, i: int, taken: set[int]) -> int | None:
    """A recipient for a flow from ``i``: mostly its own team, else a shared hub, the head of a
    relay chain or anyone. Never itself, a client, or a system it already sends to."""
    team = plan.teams[plan.sys_team[i]]
    lo, hi = team.start, team.end
    for _ in range(8):
        r = rng.random()
        if r < 0.5:
            t = rng.randrange(lo, hi)
        elif r < 0.65:
            t = rng.choice(plan.hubs)
        elif r < 0.77 and plan.relay_heads:
            t = rng.choice(plan.relay_heads)
        else:
            t = rng.randrange(plan.systems)
        if t != i and t not in taken and plan.sys_kind[t] != CLIENT_KIND:
            return t
    return None


def draw_categories(rng: random.Random, lo: int, hi: int, broad: bool = False) -> list[str]:
    cats = rng.sample(CATEGORY_IDS, rng.randint(lo, hi))
    if broad and rng.random() < 0.5:
        b = rng.choice(BROAD_CATEGORIES)
        if b not in cats:
            cats[0] = b
    return sorted(cats)


def draw_cohorts(plan: Plan, rng: random.Random, at_least_one: bool = False) -> list[str]:
    r = rng.random()
    k = 1 if at_least_one and r < 0.8 else (0 if r < 0.3 else (1 if r < 0.8 else 2))
    return sorted(rng.sample(plan.cohort_ids, k))


@dataclass
class FlowCounter:
    next_id: int = 1
    failover: int = 0
    conditional: int = 0


def flows_of(
    plan: Plan, rng: random.Random, i: int, counter: FlowCounter
) -> Iterable[tuple[str, dict[str, Value]]]:
    """The flows whose ``from`` is system ``i``, drawn on demand."""
    kind = plan.sys_kind[i]
    source = plan.sys_id(i)
    targets: list[int] = []
    taken: set[int] = set()
    if kind == RELAY_KIND:
        if i in plan.relay_next:
            targets.append(plan.relay_next[i])
        else:
            for _ in range(rng.randint(1, 2)):
                t = pick_target(plan, rng, i, taken)
                if t is not None and plan.sys_kind[t] != RELAY_KIND:
                    targets.append(t)
                    taken.add(t)
        if i in plan.relay_loop:
            targets.append(plan.relay_loop[i])
    elif kind == AI_KIND:
        if rng.random() < 0.5:
            t = pick_target(plan, rng, i, taken)
            targets.extend([] if t is None else [t])
    elif kind == CLIENT_KIND:
        team = plan.teams[plan.sys_team[i]]
        for _ in range(rng.randint(1, 3)):
            t = rng.randrange(team.start, team.end)
            if t != i and t not in taken and plan.sys_kind[t] != CLIENT_KIND:
                targets.append(t)
                taken.add(t)
        if not targets:
            targets.append(rng.choice(plan.hubs))
    else:
        m = plan.regular_mean
        for _ in range(max(1, round(rng.gauss(m, m / 3)))):
            t = pick_target(plan, rng, i, taken)
            if t is not None:
                targets.append(t)
                taken.add(t)

    op = plan.entities[plan.sys_operator[i]]
    primaries: list[tuple[str, list[str], list[str]]] = []
    for t in targets:
        fid = plan.flow_id(counter.next_id)
        counter.next_id += 1
        body: dict[str, Value] = {"from": source, "to": plan.sys_id(t)}
        r = rng.random()
        if primaries and kind not in (RELAY_KIND, CLIENT_KIND) and r < 0.1:
            p_id, p_cats, p_cohorts = rng.choice(primaries)
            if r < 0.08:
                counter.failover += 1
                body["categories"] = p_cats
                if p_cohorts and rng.random() < 0.5:
                    body["cohorts"] = p_cohorts
                body["routing"] = "failover"
            else:
                counter.conditional += 1
                body["categories"] = p_cats[: max(1, len(p_cats) - 1)]
                body["routing"] = "conditional"
            body["primary"] = p_id
        else:
            cats = draw_categories(rng, 1, 4, broad=kind == RELAY_KIND)
            cohorts = draw_cohorts(plan, rng, at_least_one=kind == CLIENT_KIND)
            body["categories"] = cats
            if cohorts:
                body["cohorts"] = cohorts
            primaries.append((fid, cats, cohorts))
        if len(op.processor_for) > 1:
            body["on_behalf_of"] = plan.entities[op.processor_for[0]].id
        if rng.random() < 0.6:
            body["purpose"] = rng.choice(PURPOSES)
        if rng.random() < 0.2:
            body["recipient_role"] = rng.choice(
                ("controller", "processor", "processor", "entrusted")
            )
        if rng.random() < 0.15:
            body["method"] = rng.choice(METHODS)
        if rng.random() < 0.15:
            body["frequency"] = rng.choice(FREQUENCIES)
        if rng.random() < 0.05:
            body["transformations"] = [rng.choice(TRANSFORMATIONS)]
        if rng.random() < 0.03:
            body["legal_basis"] = {"pipl": "13(1)(2)", "gdpr": "6(1)(b)"}
        if kind == RELAY_KIND and rng.random() < 0.03:
            body["transit_only"] = True
        yield fid, body


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------

HEADER = "# Generated by benchmarks/generate.py (systems={n}, flows_per_system={f}, seed={s})\n"


@dataclass
class Summary:
    files: int = 0
    bytes: int = 0
    systems: int = 0
    flows: int = 0
    failover: int = 0
    conditional: int = 0
    entities: int = 0
    categories: int = 0
    cohorts: int = 0
    access: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def write_file(root: Path, rel: str, text: str, summary: Summary) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    path.write_bytes(data)
    summary.files += 1
    summary.bytes += len(data)


def render(header: str, sections: Sequence[tuple[str, Section, Iterable[tuple[str, Any]]]]) -> str:
    parts = [header]
    for name, section, entries in sections:
        parts.append(section.header(name))
        parts.extend(section.entry(k, v) for k, v in entries)
    return "".join(parts)


def access_grants(plan: Plan, rng: random.Random) -> list[tuple[str, dict[str, Value]]]:
    candidates = [i for i in range(plan.systems) if plan.sys_kind[i] != CLIENT_KIND]
    k = min(len(candidates), max(1, plan.systems // 20))
    chosen = sorted(rng.sample(candidates, k))
    width = max(4, len(str(k)))
    grants: list[tuple[str, dict[str, Value]]] = []
    for n, i in enumerate(chosen):
        op = plan.entities[plan.sys_operator[i]]
        acc = rng.choice(plan.entities)
        if rng.random() < 0.6:  # mostly someone abroad
            for _ in range(10):
                if acc.jurisdiction != op.jurisdiction:
                    break
                acc = rng.choice(plan.entities)
        rights = [r for r, p in (("read", 0.9), ("write", 0.3), ("admin", 0.1)) if rng.random() < p]
        body: dict[str, Value] = {
            "system": plan.sys_id(i),
            "accessor": acc.id,
            "from": acc.jurisdiction if rng.random() < 0.85 else rng.choice(JURISDICTIONS),
            "rights": rights or ["read"],
        }
        if rng.random() < 0.7:
            body["purpose"] = rng.choice(PURPOSES)
        if rng.random() < 0.3:
            body["practice"] = rng.choice(PRACTICES)
        grants.append((f"acc-{n + 1:0{width}d}", body))
    return grants


def source_digest() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def stamp_params(systems: int, flows_per_system: float, seed: int) -> dict[str, Any]:
    return {
        "systems": systems,
        "flows_per_system": flows_per_system,
        "seed": seed,
        "generator": source_digest(),
    }


def read_stamp(out: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((out / STAMP_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def stamp_matches(out: Path, systems: int, flows_per_system: float, seed: int) -> bool:
    stamp = read_stamp(out)
    want = stamp_params(systems, flows_per_system, seed)
    return stamp is not None and all(stamp.get(k) == v for k, v in want.items())


def prepare_out(out: Path) -> None:
    """Empty ``out`` of a previous generation; refuse to touch a folder we did not write."""
    if out.exists() and any(out.iterdir()):
        if read_stamp(out) is None:
            raise SystemExit(f"{out} is not empty and holds no {STAMP_NAME}; refusing to overwrite")
        (out / STAMP_NAME).unlink()
        shutil.rmtree(out / "teams", ignore_errors=True)
        (out / "dataflow.yaml").unlink(missing_ok=True)
    out.mkdir(parents=True, exist_ok=True)


def generate(out: Path, systems: int, flows_per_system: float = 5.0, seed: int = 1) -> Summary:
    if systems < 1:
        raise SystemExit("--systems must be at least 1")
    started = time.perf_counter()
    prepare_out(out)
    rng, plan = make_plan(systems, flows_per_system, seed)
    summary = Summary(systems=systems, entities=len(plan.entities), categories=len(CATEGORIES))
    header = HEADER.format(n=systems, f=flows_per_system, s=seed)
    counter = FlowCounter()

    for sf in plan.files:
        block = rng.random() < 0.5
        style = Section(block=block, dash_lists=block and rng.random() < 0.4)
        parts = [header, style.header("systems")]
        parts.extend(
            style.entry(plan.sys_id(i), system_body(plan, rng, i)) for i in range(sf.start, sf.end)
        )
        parts.append(style.header("flows"))
        for i in range(sf.start, sf.end):
            parts.extend(style.entry(fid, body) for fid, body in flows_of(plan, rng, i, counter))
        write_file(out, sf.path, "".join(parts), summary)

    gov = GOVERNANCE_DIR
    mainland = [e for e in plan.entities if e.jurisdiction == "CN"]
    others = [e for e in plan.entities if e.jurisdiction != "CN"]
    for rel, ents, block in (
        (f"{gov}/entities-cn.yaml", mainland, True),
        (f"{gov}/entities-intl.yaml", others, False),
    ):
        text = render(header, [("entities", Section(block), ((e.id, e.body) for e in ents))])
        write_file(out, rel, text, summary)
    cat_entries = []
    for cid, name, flags in CATEGORIES:
        body: dict[str, Value] = {"name": name, "personal": flags.get("personal", True)}
        body.update({k: v for k, v in flags.items() if k != "personal"})
        cat_entries.append((cid, body))
    write_file(
        out,
        f"{gov}/categories.yaml",
        render(header, [("categories", Section(False), cat_entries)]),
        summary,
    )
    write_file(
        out,
        f"{gov}/cohorts.yaml",
        render(header, [("cohorts", Section(True), plan.cohorts)]),
        summary,
    )
    grants = access_grants(plan, rng)
    write_file(
        out,
        f"{gov}/access.yaml",
        render(header, [("access", Section(False), grants)]),
        summary,
    )

    root_text = (
        header
        + "model:\n"
        + f"  name: Benchmark estate with {systems} systems\n"
        + f"  evaluation_date: {EVALUATION_DATE}\n"
        + f"  owner: {plan.entities[0].id}\n"
        + f'include: ["{INCLUDE_GLOB}"]\n'
    )
    write_file(out, "dataflow.yaml", root_text, summary)

    summary.flows = counter.next_id - 1
    summary.failover = counter.failover
    summary.conditional = counter.conditional
    summary.cohorts = len(plan.cohorts)
    summary.access = len(grants)
    summary.seconds = time.perf_counter() - started
    # No clock time in the stamp: two generations with the same seed are byte-identical.
    counts = {k: v for k, v in summary.as_dict().items() if k != "seconds"}
    stamp = {**stamp_params(systems, flows_per_system, seed), "summary": counts}
    (out / STAMP_NAME).write_text(
        json.dumps(stamp, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    return summary


# ---------------------------------------------------------------------------------------------
# Independent check (PyYAML CSafeLoader only; no dataflow import)
# ---------------------------------------------------------------------------------------------

TOP_LEVEL_KEYS = frozenset(
    {"model", "include", "include_roots", "entities", "systems", "categories", "cohorts", "flows",
     "access", "safeguards", "duties", "exemptions", "waivers", "catalogue"}
)  # fmt: skip
COLLECTIONS = ("entities", "systems", "categories", "cohorts", "flows", "access")


def _load(path: Path) -> Any:
    import yaml

    with path.open("rb") as f:
        return yaml.load(f, Loader=yaml.CSafeLoader)


def _locations_ok(value: Any) -> bool:
    items = value if isinstance(value, list) else [value]
    return bool(items) and all(isinstance(v, str) and v in VALID_LOCATIONS for v in items)


def _count_values(count: Any) -> list[int]:
    if isinstance(count, dict):
        return [v for v in count.values() if isinstance(v, int)] if count else []
    return [count] if isinstance(count, int) and not isinstance(count, bool) else []


class Checker:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.errors: list[str] = []
        self.owner: dict[str, tuple[str, str]] = {}  # id -> (collection, file)
        self.entities: dict[str, dict[str, Any]] = {}
        self.categories: set[str] = set()
        self.cohorts: dict[str, dict[str, Any]] = {}
        self.systems: dict[str, tuple[str, str]] = {}  # id -> (file, kind)
        self.flows: dict[str, tuple[str, str]] = {}  # id -> (from, routing)
        self.access: dict[str, dict[str, Any]] = {}
        self.relay_edges: dict[str, list[str]] = {}
        self.stats: dict[str, int] = {}

    def error(self, msg: str) -> None:
        self.errors.append(msg)

    def bump(self, key: str, n: int = 1) -> None:
        self.stats[key] = self.stats.get(key, 0) + n

    def run(self) -> list[str]:
        files = self.layout()
        for rel, data in self.each(files):
            self.collect(rel, data)
        self.check_entities()
        self.check_cohorts()
        for rel, data in self.each(files):
            self.check_file(rel, data)
        self.check_access()
        return self.errors

    def each(self, files: list[str]) -> Iterable[tuple[str, dict[str, Any]]]:
        for rel in files:
            data = _load(self.root / rel)
            if not isinstance(data, dict):
                self.error(f"{rel}: top level is not a mapping")
                continue
            yield rel, data

    def layout(self) -> list[str]:
        root_file = self.root / "dataflow.yaml"
        if not root_file.is_file():
            self.error("no dataflow.yaml")
            return []
        data = _load(root_file)
        model = data.get("model") if isinstance(data, dict) else None
        if not isinstance(model, dict) or not isinstance(model.get("name"), str):
            self.error("dataflow.yaml: model.name missing")
        elif not isinstance(model.get("evaluation_date"), dt.date):
            self.error("dataflow.yaml: model.evaluation_date is not a date")
        includes = data.get("include", []) if isinstance(data, dict) else []
        matched: set[str] = set()
        for pattern in includes:
            matched.update(p.relative_to(self.root).as_posix() for p in self.root.glob(pattern))
        every = {p.relative_to(self.root).as_posix() for p in self.root.rglob("*.yaml")}
        every.discard("dataflow.yaml")
        for rel in sorted(every - matched):
            self.error(f"{rel}: not named by include")
        return ["dataflow.yaml", *sorted(matched)]

    def collect(self, rel: str, data: dict[str, Any]) -> None:
        for key in data:
            if key not in TOP_LEVEL_KEYS:
                self.error(f"{rel}: unknown top-level key {key!r}")
        for coll in COLLECTIONS:
            objects = data.get(coll)
            if objects is None:
                continue
            if not isinstance(objects, dict):
                self.error(f"{rel}: {coll} is not an id-keyed mapping")
                continue
            for oid, obj in objects.items():
                if not isinstance(oid, str) or not ID_RE.match(oid):
                    self.error(f"{rel}: bad id {oid!r}")
                    continue
                if oid in self.owner:
                    self.error(f"{rel}: id {oid} also in {self.owner[oid][1]}")
                self.owner[oid] = (coll, rel)
                if not isinstance(obj, dict):
                    self.error(f"{rel}: {oid} is not a mapping")
                    continue
                self.bump(coll)
                if coll == "entities":
                    self.entities[oid] = obj
                elif coll == "categories":
                    self.categories.add(oid)
                elif coll == "cohorts":
                    self.cohorts[oid] = obj
                elif coll == "systems":
                    self.systems[oid] = (rel, str(obj.get("kind")))
                elif coll == "flows":
                    self.flows[oid] = (
                        str(obj.get("from")),
                        str(obj.get("routing", "primary")),
                    )
                else:
                    self.access[oid] = obj

    def check_entities(self) -> None:
        jurisdictions: set[str] = set()
        for eid, e in self.entities.items():
            juris = e.get("jurisdiction")
            if juris not in JURISDICTIONS:
                self.error(f"entity {eid}: jurisdiction {juris!r}")
            jurisdictions.add(str(juris))
            if (juris == "CN") != (e.get("province") in CN_PROVINCES):
                self.error(f"entity {eid}: province {e.get('province')!r} for {juris}")
            for ref in [
                *e.get("processor_for", []),
                *([e["parent"]] if "parent" in e else []),
            ]:
                if ref not in self.entities or ref == eid:
                    self.error(f"entity {eid}: bad entity reference {ref!r}")
            for c in e.get("processor_for", []):
                if self.entities.get(c, {}).get("processor_for"):
                    self.error(f"entity {eid}: controller {c} is itself a processor")
            if "ciio" in e:
                self.bump("ciio")
                if e["ciio"].get("notified") is not True:
                    self.error(f"entity {eid}: ciio without notified: true")
            if "dpf" in e:
                self.bump("dpf")
            if "processor_for" in e:
                self.bump("processors")
            if "dpf" in e and (juris != "US" or e["dpf"].get("status") != "active"):
                self.error(f"entity {eid}: dpf on a non-US entity or not active")
        self.stats["jurisdictions"] = len(jurisdictions)
        if len(jurisdictions) != len(JURISDICTIONS):
            self.error(f"{len(jurisdictions)} jurisdictions, expected {len(JURISDICTIONS)}")

    def check_cohorts(self) -> None:
        lo_of: dict[str, int] = {}
        hi_of: dict[str, int] = {}
        for cid, c in self.cohorts.items():
            values = _count_values(c.get("count"))
            if not values or not all(1000 <= v <= 500_000 for v in values):
                self.error(f"cohort {cid}: count {c.get('count')!r} outside 1000..500000")
                values = values or [0]
            lo_of[cid], hi_of[cid] = min(values), max(values)
            if isinstance(c.get("count"), dict):
                self.bump("dated-series")
        ancestors: dict[str, list[str]] = {}
        for cid in self.cohorts:
            chain: list[str] = []
            cur = self.cohorts[cid].get("subset_of")
            while cur is not None:
                if cur not in self.cohorts or cur in chain or cur == cid:
                    self.error(f"cohort {cid}: subset_of chain broken or cyclic at {cur!r}")
                    break
                chain.append(cur)
                cur = self.cohorts[cur].get("subset_of")
            ancestors[cid] = chain
        used: dict[str, int] = {}
        for cid, c in self.cohorts.items():
            parent = c.get("subset_of")
            if parent in self.cohorts:
                used[parent] = used.get(parent, 0) + hi_of[cid]
                if hi_of[cid] > lo_of[parent]:
                    self.error(f"cohort {cid}: larger than its parent {parent}")
            for other, n in (c.get("overlaps") or {}).items():
                self.bump("overlaps")
                if other not in self.cohorts or other == cid:
                    self.error(f"cohort {cid}: overlaps unknown cohort {other!r}")
                elif other in ancestors[cid] or cid in ancestors[other]:
                    self.error(f"cohort {cid}: overlaps nested cohort {other}")
                elif not isinstance(n, int) or not 0 < n <= min(lo_of[cid], lo_of[other]):
                    self.error(f"cohort {cid}: overlap with {other} of {n!r}")
        for parent, total in used.items():
            if total > lo_of[parent]:
                self.error(f"cohort {parent}: children add up to {total} > {lo_of[parent]}")

    def check_file(self, rel: str, data: dict[str, Any]) -> None:
        for sid, s in (data.get("systems") or {}).items():
            if s.get("operator") not in self.entities:
                self.error(f"system {sid}: operator {s.get('operator')!r}")
            if not _locations_ok(s.get("location")):
                self.error(f"system {sid}: location {s.get('location')!r}")
            if s.get("location") == "unknown":
                self.bump("unknown-location")
            if s.get("kind") not in KINDS:
                self.error(f"system {sid}: kind {s.get('kind')!r}")
            self.bump(f"kind:{s.get('kind')}")
        for fid, f in (data.get("flows") or {}).items():
            src, dst = f.get("from"), f.get("to")
            if src not in self.systems or dst not in self.systems or src == dst:
                self.error(f"flow {fid}: from {src!r} to {dst!r}")
            elif self.systems[src][0] != rel:
                self.error(f"flow {fid}: from {src} is defined in another file")
            elif self.systems[src][1] == "relay" and self.systems[dst][1] == "relay":
                self.relay_edges.setdefault(src, []).append(dst)
            cats = f.get("categories")
            if not isinstance(cats, list) or not 1 <= len(cats) <= 4:
                self.error(f"flow {fid}: categories {cats!r}")
            elif any(c not in self.categories for c in cats):
                self.error(f"flow {fid}: unknown category in {cats}")
            cohorts = f.get("cohorts", [])
            if len(cohorts) > 2 or any(c not in self.cohorts for c in cohorts):
                self.error(f"flow {fid}: cohorts {cohorts!r}")
            routing = f.get("routing", "primary")
            if routing != "primary":
                self.bump(f"routing:{routing}")
                p = self.flows.get(str(f.get("primary")))
                if p is None or p[0] != src or p[1] != "primary":
                    self.error(f"flow {fid}: primary {f.get('primary')!r} not a primary from {src}")
            if "on_behalf_of" in f and f["on_behalf_of"] not in self.entities:
                self.error(f"flow {fid}: on_behalf_of {f['on_behalf_of']!r}")
            if f.get("recipient_role", "controller") not in (
                "controller",
                "processor",
                "entrusted",
            ):
                self.error(f"flow {fid}: recipient_role {f.get('recipient_role')!r}")

    def check_access(self) -> None:
        for aid, a in self.access.items():
            if a.get("system") not in self.systems or a.get("accessor") not in self.entities:
                self.error(f"access {aid}: system or accessor does not resolve")
            if not _locations_ok(a.get("from")):
                self.error(f"access {aid}: from {a.get('from')!r}")

    def longest_relay_path(self) -> int:
        """Hops of the longest source -> relay chain -> destination path (cycles cut)."""
        has_pred = {d for ds in self.relay_edges.values() for d in ds}
        best = 0
        for start in sorted(self.relay_edges):
            if start in has_pred:
                continue
            seen = [start]
            stack = [(start, 1)]
            while stack:
                node, length = stack.pop()
                best = max(best, length)
                for nxt in self.relay_edges.get(node, []):
                    if nxt not in seen:
                        seen.append(nxt)
                        stack.append((nxt, length + 1))
        return best + 1  # source -> first relay, plus the last relay -> destination


def check(root: Path) -> int:
    started = time.perf_counter()
    checker = Checker(root)
    gc.disable()  # two full reads of a large model; the cyclic GC only slows them down here
    try:
        errors = checker.run()
    finally:
        gc.enable()
    seconds = time.perf_counter() - started
    for msg in errors[:30]:
        print(f"  error: {msg}")
    if len(errors) > 30:
        print(f"  ... and {len(errors) - 30} more")
    stats = dict(sorted(checker.stats.items()))
    stats["longest-relay-path-hops"] = checker.longest_relay_path()
    print("check: " + ", ".join(f"{k}={v}" for k, v in stats.items()))
    verdict = "OK" if not errors else f"{len(errors)} errors"
    print(f"check: {verdict}: ids unique, references resolve ({seconds:.1f} s)")
    return 1 if errors else 0


# ---------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--systems", type=int, default=10_000, help="number of systems (default 10000)")
    ap.add_argument("--flows-per-system", type=float, default=5.0, help="mean flows per system (5)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--out", type=Path, help="folder to write (emptied if generated before)")
    ap.add_argument("--check", action="store_true", help="check the model after writing it")
    ap.add_argument("--check-only", type=Path, metavar="DIR", help="only check an existing model")
    args = ap.parse_args(argv)
    if args.check_only is not None:
        return check(args.check_only)
    if args.out is None:
        ap.error("--out is required (or --check-only DIR)")
    s = generate(args.out, args.systems, args.flows_per_system, args.seed)
    print(
        f"wrote {args.out}: {s.files} files, {s.bytes / 1e6:.1f} MB, {s.systems} systems, "
        f"{s.flows} flows ({s.failover} failover, {s.conditional} conditional), "
        f"{s.entities} entities, {s.categories} categories, {s.cohorts} cohorts, "
        f"{s.access} access grants in {s.seconds:.2f} s"
    )
    return check(args.out) if args.check else 0


if __name__ == "__main__":
    sys.exit(main())
