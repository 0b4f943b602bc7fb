"""Architecture and transfer diagrams: Graphviz DOT (and images rendered by ``dot``) and Mermaid.

One *scene* is built from the model and its transfer analysis — the view's systems and edges,
aggregated to a level, capped, with a title, notes and a legend — and then written either as DOT
or as Mermaid, so both formats always show the same thing.

Rules that shape the code:

* Deterministic bytes: everything is sorted, node and cluster ids are hashes of stable keys, and
  no clock or hash order reaches the output (golden files compare DOT and Mermaid byte for byte).
* All user text is cleaned (control characters dropped, newlines folded) and escaped for the
  place it lands: HTML-like labels, DOT quoted strings, Mermaid quoted labels.
* Meaning is never carried by colour alone: exits are red *and* heavy, fail-over is dashed,
  remote access dotted with a round arrowhead, onward a double line; every edge class also has
  words in its label, and the legend draws real samples of what the picture uses.
* ``dot`` with clusters slows down steeply with size, so large views are aggregated (entity or
  jurisdiction level) and capped; a cap always says how much it left out and which view shows it.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import graphviz

from ..graph import accessor_node
from ..loader import suggest
from ..resolve import ResolvedModel
from ..transfers import Analysis, Transfer, analyse, areas_touched, canonical_area

__all__ = [
    "FONT", "IMAGE_FORMATS", "LEVELS", "VIEW_KINDS", "DiagramError", "GraphvizFailed",
    "GraphvizMissing", "Scene",
    "View", "build_scene", "default_area", "parse_view", "render_dot", "render_image",
    "render_mermaid",
]

FONT = "Noto Sans CJK SC"  # Debian fonts-noto-cjk: Latin and Chinese in one face
VIEW_KINDS = ("overview", "transfers", "system", "jurisdiction", "category", "transfer")
LEVELS = ("system", "entity", "jurisdiction")
IMAGE_FORMATS = ("svg", "png", "pdf")
INSTALL_HINT = ("install Graphviz: `apt-get install graphviz` (Debian/Ubuntu), "
                "`brew install graphviz` (macOS), or see https://graphviz.org/download/")

# Views with at most this many systems are drawn system by system unless --level says otherwise.
SYSTEM_LEVEL_MAX = 200
# Caps per level, measured on Debian's Graphviz 2.43 so that the largest default view of the
# 10,000-system benchmark lays out in well under 5 s (see benchmarks/bench_diagram.py).
MAX_NODES = {"system": 200, "entity": 80, "jurisdiction": 60}
MAX_EDGES = {"system": 260, "entity": 100, "jurisdiction": 100}
CONTEXT_MAX = 24  # domestic routes drawn beside the transfers view
COMPACT_EDGES = 50  # above this many edges, labels take one line each
DECORATE_MAX = 40  # label-to-line connectors help small pictures and clutter big ones
MAX_LABEL_CATEGORIES = 3
MAX_TRANSFER_ROWS = 24
NAME_LIMIT = 44

AREA_TITLES = {"CN": "mainland China (PIPL)", "EEA": "the EEA (GDPR)", "EU": "the EU (GDPR)",
               "UK": "the United Kingdom (UK GDPR)"}

# ---------------------------------------------------------------------------------------------
# Errors and view parsing
# ---------------------------------------------------------------------------------------------


class DiagramError(ValueError):
    """A view, level or area that cannot be drawn for this model (a usage error, exit 2)."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint

    def __str__(self) -> str:
        base = super().__str__()
        return f"{base} ({self.hint})" if self.hint else base


class GraphvizMissing(RuntimeError):
    """The Graphviz ``dot`` program is not installed (or not on PATH)."""


class GraphvizFailed(RuntimeError):
    """``dot`` ran but failed (its message is in the exception text)."""


@dataclass(frozen=True)
class View:
    kind: str
    target: str | None = None

    def __str__(self) -> str:
        return self.kind if self.target is None else f"{self.kind}:{self.target}"


def parse_view(text: str) -> View:
    """``overview``, ``transfers``, ``system:ID``, ``jurisdiction:CODE``, ``category:ID`` or
    ``transfer:ID``."""
    kind, sep, target = text.partition(":")
    kind = kind.strip().lower()
    if kind not in VIEW_KINDS:
        guess = suggest(kind, VIEW_KINDS)
        raise DiagramError(f"unknown view '{text}'", f"did you mean '{guess}'?" if guess else
                           "views: " + ", ".join(_VIEW_SYNTAX))
    needs_target = kind not in ("overview", "transfers")
    if needs_target and not (sep and target):
        raise DiagramError(f"view '{kind}' needs a target", f"write {kind}:<id>")
    if not needs_target and sep:
        raise DiagramError(f"view '{kind}' takes no target", f"write {kind}")
    return View(kind, target if needs_target else None)


_VIEW_SYNTAX = ("overview", "transfers", "system:ID", "jurisdiction:CODE", "category:ID",
                "transfer:ID")

# ---------------------------------------------------------------------------------------------
# Text safety
# ---------------------------------------------------------------------------------------------

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff\ud800-\udfff]")
_SPACES = re.compile(r"\s+")


def clean(text: str | None, limit: int | None = None) -> str:
    """One line of printable text: control characters (XML forbids most) become spaces."""
    if not text:
        return ""
    out = _SPACES.sub(" ", _CONTROL.sub(" ", str(text))).strip()
    if limit is not None and len(out) > limit:
        out = out[: limit - 1].rstrip() + "…"
    return out


def h(text: str | None, limit: int | None = None) -> str:
    """Text for a Graphviz HTML-like label (an XML fragment)."""
    return html.escape(clean(text, limit), quote=True)


def dot_string(text: str | None, limit: int | None = None) -> str:
    """A DOT quoted-string value: backslash escapes and ``<...>`` lose their special meaning."""
    return graphviz.escape(clean(text, limit))


_MERMAID_SPECIAL = frozenset('"#&<>|`\\%{}')


def mermaid_text(text: str | None, limit: int | None = None) -> str:
    """Text inside a quoted Mermaid label: characters that could end the label, start markup
    or an entity become entity codes (``#34;``); everything else is kept as given."""
    return "".join(f"#{ord(ch)};" if ch in _MERMAID_SPECIAL else ch for ch in clean(text, limit))


def stable_id(prefix: str, *parts: str) -> str:
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:10]
    return f"{prefix}_{digest}"


# ---------------------------------------------------------------------------------------------
# The base graph: systems and accessors, flows and access grants
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Node:
    id: str
    accessor: bool
    name: str
    name_zh: str | None
    kind: str
    entity: str
    jurisdiction: str  # where it is clustered: a place inside the area first
    jurisdictions: tuple[str, ...]
    subdivisions: tuple[str, ...]
    location: str  # as written, for the label


@dataclass(frozen=True)
class _Edge:
    key: str
    kind: str  # flow | access
    source: str
    target: str
    categories: tuple[str, ...]
    routing: str


# Roles decide the drawing; the order is the priority when a cap has to choose.
ROLE_ORDER = ("exit", "possible", "onward", "border", "context", "plain")


@dataclass
class SNode:
    id: str
    key: tuple[str, ...]
    level: str
    title: str
    title_zh: str | None
    kind: str  # a system kind, accessor, entity, entity-accessor or jurisdiction
    detail: str
    cluster: tuple[tuple[str, ...], ...]
    jurisdiction: str
    members: set[str] = field(default_factory=set)
    within: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    focus: bool = False
    tooltip: str = ""


@dataclass
class SEdge:
    source: str
    target: str
    role: str
    kind: str
    routing: str
    keys: list[str] = field(default_factory=list)
    categories: set[str] = field(default_factory=set)
    transfers: set[int] = field(default_factory=set)
    areas: set[str] = field(default_factory=set)
    routings: Counter[str] = field(default_factory=Counter)

    @property
    def style_key(self) -> tuple[str, str, str]:
        return (self.role, self.kind, self.routing)


@dataclass
class SCluster:
    key: tuple[str, ...]
    id: str
    label: str
    label_zh: str | None
    style: str  # area | jurisdiction | jurisdiction-inside | unknown | entity


@dataclass
class TransferRow:
    number: int
    transfer: Transfer


@dataclass
class Scene:
    """What a diagram shows, independent of the output format."""

    model_name: str
    model_name_zh: str | None
    evaluation_date: str
    view: View
    level: str
    periphery_level: str
    areas: tuple[str, ...]
    area_label: str
    nodes: dict[str, SNode]
    edges: list[SEdge]
    clusters: dict[tuple[str, ...], SCluster]
    notes: list[str]
    transfers: list[TransferRow]
    transfers_total: int
    transfers_numbered: bool
    category_names: dict[str, tuple[str, bool]]  # id -> (name, sensitive)
    compact: bool = False  # one-line edge labels for big pictures

    @property
    def title(self) -> str:
        return self.model_name

    @property
    def subtitle(self) -> str:
        v = self.view
        what = {
            "overview": "Overview",
            "transfers": f"Transfers out of {self.area_label}",
            "system": f"Around system {v.target}",
            "jurisdiction": f"Jurisdiction {v.target}",
            "category": f"Where {v.target} goes",
            "transfer": f"Transfer {v.target}",
        }[v.kind]
        if v.kind != "transfers":
            what += f" · exits from {self.area_label}" if self.areas else " · no area chosen"
        return f"{what} · evaluated {self.evaluation_date}"

    @property
    def caption(self) -> str:
        lv = self.level if self.level == self.periphery_level else (
            f"{self.level} (neighbours by {self.periphery_level})")
        return f"view {self.view} · level {lv}"


class _Base:
    """Nodes and edges of the whole model at system level, with roles for the chosen areas."""

    def __init__(self, model: ResolvedModel, analysis: Analysis, areas: tuple[str, ...],
                 transfers: list[Transfer]) -> None:
        self.model = model
        self.areas = areas
        cat = model.catalogue
        self._area_of: dict[str, str | None] = {}
        self._groups: dict[tuple[str, str], tuple[str, ...]] = {}
        self.nodes: dict[str, _Node] = {}
        self.edges: dict[str, _Edge] = {}
        # The same nodes and edge keys as graph.build_graph, read straight from the model:
        # building the networkx graph costs a second at 10,000 systems and adds nothing here.
        for sid in sorted(model.systems):
            s = model.systems[sid]
            places = s.places
            juris = tuple(sorted({p.jurisdiction for p in places}))
            subs = tuple(sorted({p.subdivision for p in places if p.subdivision}))
            loc = ", ".join(_place_text(p.raw, p.jurisdiction, p.subdivision) for p in places)
            self.nodes[sid] = _Node(sid, False, s.name, s.spec.name_zh, s.kind, s.operator,
                                    self._home(juris), juris, subs, loc)
        for fid in sorted(model.flows):
            f = model.flows[fid]
            self.edges[fid] = _Edge(fid, "flow", f.from_, f.to, tuple(f.categories), f.routing)
        for aid in sorted(model.access):
            a = model.access[aid]
            for place in a.from_:
                node = accessor_node(a.accessor, place)
                if node not in self.nodes:
                    r = cat.resolve_location(place)
                    juris = (r.jurisdiction if r is not None else "unknown",)
                    subs = (r.subdivision,) if r is not None and r.subdivision else ()
                    ent = model.entities.get(a.accessor)
                    self.nodes[node] = _Node(
                        node, True, model.entity_name(a.accessor), ent.name_zh if ent else None,
                        "accessor", a.accessor, self._home(juris), juris, subs,
                        _place_text(place, juris[0], subs[0] if subs else None))
                key = aid if len(a.from_) == 1 else f"{aid}@{place}"
                self.edges[key] = _Edge(key, "access", a.system, node, tuple(a.categories),
                                        "primary")
        # roles for the chosen areas, once per edge
        self.exits: dict[str, list[Transfer]] = defaultdict(list)
        onward: set[str] = set()
        for t in transfers:
            self.exits[t.exit_edge.key].append(t)
            onward.update(t.onward_edges)
        self.exit_categories = {k: {c for t in ts for c in t.categories}
                                for k, ts in self.exits.items()}
        border = {n.edge for n in analysis.not_transfers if n.area in areas}
        self.roles: dict[str, str] = {}
        for k in self.edges:
            ts = self.exits.get(k)
            if ts:
                self.roles[k] = "possible" if all(t.possible for t in ts) else "exit"
            else:
                self.roles[k] = ("onward" if k in onward else "border" if k in border
                                 else "plain")

    def group(self, nid: str, level: str) -> tuple[str, ...]:
        key = (nid, level)
        g = self._groups.get(key)
        if g is None:
            g = self._groups[key] = _group_key(self.nodes[nid], level)
        return g

    def _home(self, juris: tuple[str, ...]) -> str:
        for j in juris:
            if self.area_of(j) is not None:
                return j
        known = [j for j in juris if j != "unknown"]
        return known[0] if known else (juris[0] if juris else "unknown")

    def area_of(self, jurisdiction: str) -> str | None:
        if jurisdiction not in self._area_of:
            found = None
            if jurisdiction != "unknown":
                for a in self.areas:
                    try:
                        if self.model.catalogue.in_area(jurisdiction, a):
                            found = a
                            break
                    except ValueError:
                        continue
            self._area_of[jurisdiction] = found
        return self._area_of[jurisdiction]

    def role(self, e: _Edge) -> str:
        return self.roles[e.key]


def _place_text(raw: str, jurisdiction: str, subdivision: str | None) -> str:
    if raw in (jurisdiction, subdivision) or raw == "unknown":
        return raw
    return f"{raw} ({subdivision or jurisdiction})"


# ---------------------------------------------------------------------------------------------
# Areas
# ---------------------------------------------------------------------------------------------


def default_area(model: ResolvedModel) -> str | None:
    """The area a diagram highlights by default: CN when the model touches mainland China,
    else the first area it touches (EEA, UK, ...), else none."""
    touched = areas_touched(model)
    return touched[0] if touched else None


def _resolve_areas(model: ResolvedModel, area: str | Sequence[str] | None, view: View
                   ) -> tuple[str, ...]:
    if view.kind == "transfer" and area is None and view.target:
        area = view.target.split("/", 1)[0]
    if area is None:
        d = default_area(model)
        return (d,) if d else ()
    wanted = [area] if isinstance(area, str) else list(area)
    if any(a.lower() == "all" for a in wanted):
        return areas_touched(model)
    out: list[str] = []
    for a in wanted:
        code = canonical_area(a)
        try:
            model.catalogue.in_area("CN", code)
        except ValueError as exc:
            guess = suggest(code, areas_touched(model))
            raise DiagramError(f"unknown area '{a}'", f"did you mean '{guess}'?" if guess else
                               "use CN, EEA, UK, a jurisdiction code, or all") from exc
        if code not in out:
            out.append(code)
    return tuple(out)


def _area_label(model: ResolvedModel, areas: tuple[str, ...]) -> str:
    if not areas:
        return "no area"
    return ", ".join(AREA_TITLES.get(a) or f"{_jur_name(model, a)[0]} ({a})" for a in areas)


def _jur_name(model: ResolvedModel, code: str) -> tuple[str, str | None]:
    if code == "unknown":
        return ("Location unknown", "位置未知")
    j = model.catalogue.jurisdictions.get(code)
    if j is None:
        return (code, None)
    return (j.name_en, j.name_zh)


# ---------------------------------------------------------------------------------------------
# Building a scene
# ---------------------------------------------------------------------------------------------


def build_scene(model: ResolvedModel, analysis: Analysis | None = None,
                view: View | str = "overview", level: str | None = None,
                area: str | Sequence[str] | None = None) -> Scene:
    """The scene of one view. ``level`` None picks the level by size; ``area`` None picks
    :func:`default_area` (``"all"`` for every area the model touches)."""
    v = parse_view(view) if isinstance(view, str) else view
    if level is not None and level not in LEVELS:
        guess = suggest(level, LEVELS)
        raise DiagramError(f"unknown level '{level}'",
                           f"did you mean '{guess}'?" if guess else "levels: " + ", ".join(LEVELS))
    areas = _resolve_areas(model, area, v)
    if analysis is None or any(a not in analysis.areas for a in areas):
        analysis = analyse(model, areas or None) if areas else Analysis(model, (), [], [], [])
    in_areas = [t for t in (*analysis.transfers, *analysis.possible) if t.area in areas]
    if v.kind == "transfer":
        t = next((t for t in in_areas if t.id == v.target), None)
        if t is None:
            ids = sorted(x.id for x in (*analysis.transfers, *analysis.possible))
            guess = suggest(v.target or "", ids)
            raise DiagramError(f"no transfer '{v.target}'" + (
                f" out of {', '.join(areas)}" if areas else ""),
                f"did you mean 'transfer:{guess}'?" if guess else
                "list them with `dataflow transfers`")
        in_areas = [t]
    base = _Base(model, analysis, areas, in_areas)
    if v.kind == "jurisdiction":
        v = View(v.kind, _jurisdiction_code(base, v.target or ""))
    node_ids, edge_keys, focus, context = _select(base, v, in_areas)
    # the transfers this view is about: all of them, or those whose exit it draws
    view_transfers = in_areas if v.kind in ("overview", "transfers", "transfer") else [
        t for t in in_areas if t.exit_edge.key in edge_keys]
    numbers = {t.id: i for i, t in enumerate(sorted(view_transfers, key=lambda t: t.id), 1)}
    focus_level, peri_level = _choose_levels(base, v, node_ids, edge_keys, focus, level)
    scene = Scene(
        model_name=model.name, model_name_zh=model.info.name_zh,
        evaluation_date=model.evaluation_date.isoformat(), view=v, level=focus_level,
        periphery_level=peri_level, areas=areas, area_label=_area_label(model, areas),
        nodes={}, edges=[], clusters={}, notes=[], transfers=[],
        transfers_total=len(view_transfers), category_names={},
        transfers_numbered=len(view_transfers) <= MAX_TRANSFER_ROWS)
    _aggregate(scene, base, node_ids, edge_keys, focus, context, numbers)
    _cap(scene, base)
    shown = {n for e in scene.edges for n in e.transfers}
    if scene.transfers_numbered:
        scene.transfers = [TransferRow(numbers[t.id], t) for t in
                           sorted(view_transfers, key=lambda t: t.id) if numbers[t.id] in shown]
    elif view_transfers:
        scene.notes.append(
            f"{len(view_transfers):,} transfers out of {', '.join(areas)} in this view: list them "
            f"with `dataflow transfers --area {','.join(areas)}`, draw one with "
            "--view transfer:ID")
    if (scene.transfers_numbered and v.kind in ("overview", "transfers")
            and len(scene.transfers) < len(view_transfers)):
        hidden = len(view_transfers) - len(scene.transfers)
        scene.notes.append(f"{hidden:,} transfer(s) of this area are on flows not drawn; "
                           f"list them with: dataflow transfers --area {','.join(areas)}")
    if v.kind == "transfers" and not view_transfers:
        scene.notes.append(f"nothing leaves {scene.area_label}: no transfers to draw")
    _clusters(scene, base)
    scene.compact = len(scene.edges) > COMPACT_EDGES
    for cid in sorted({c for e in scene.edges for c in e.categories}):
        info = model.categories.get(cid)
        scene.category_names[cid] = (info.name if info else cid,
                                     bool(info and (info.sensitive or info.special)))
    return scene


def _select(base: _Base, v: View, transfers: list[Transfer]
            ) -> tuple[set[str], set[str], set[str], set[str]]:
    """System-level nodes and edge keys of a view, its focus nodes and its context edges."""
    model = base.model
    edges: set[str] = set()
    focus: set[str] = set()
    context: set[str] = set()
    if v.kind == "overview":
        edges = set(base.edges)
        nodes = set(base.nodes)
        return nodes, edges, nodes, context
    if v.kind in ("transfers", "transfer"):
        for t in transfers:
            edges.update(k for k in (*t.path_flows, t.exit_edge.key, *t.onward_edges)
                         if k in base.edges)
        if v.kind == "transfers":
            # the routes that stay inside, from the systems data leaves: the contrast a reviewer
            # needs to see ("this tier stays in CN"), kept small
            sources = {t.exit_edge.source for t in transfers}
            extra = sorted(k for k, e in base.edges.items()
                           if e.source in sources and k not in edges and e.kind == "flow"
                           and base.area_of(base.nodes[e.target].jurisdiction) is not None)
            if len(extra) <= CONTEXT_MAX:
                context = set(extra)
                edges |= context
    elif v.kind == "system":
        target = v.target or ""
        if target not in base.nodes:
            raise _unknown_target("system", target, [k for k in base.nodes])
        focus = {target}
        edges = {k for k, e in base.edges.items() if target in (e.source, e.target)}
    elif v.kind == "jurisdiction":
        match = v.target or ""
        focus = {n.id for n in base.nodes.values()
                 if match in n.jurisdictions or match in n.subdivisions}
        edges = {k for k, e in base.edges.items() if e.source in focus or e.target in focus}
    elif v.kind == "category":
        cid = v.target or ""
        used = {c for e in base.edges.values() for c in e.categories}
        if cid not in model.categories and cid not in used:
            raise _unknown_target("category", cid, used)
        related = {c for c in used | set(model.categories)
                   if model.covers(cid, c) or model.covers(c, cid)}
        for k, e in base.edges.items():
            if not related.isdisjoint(e.categories) or not related.isdisjoint(
                    base.exit_categories.get(k, ())):
                edges.add(k)
    nodes = {n for k in edges for n in (base.edges[k].source, base.edges[k].target)} | focus
    if v.kind in ("transfers", "transfer", "category"):
        focus = set(nodes)
    return nodes, edges, focus, context


def _jurisdiction_code(base: _Base, code: str) -> str:
    """The jurisdiction (or subdivision) code as the model has it: `sg` is SG."""
    codes = {j for n in base.nodes.values() for j in (*n.jurisdictions, *n.subdivisions)}
    code = code.strip()
    for candidate in (code, code.upper()):
        if candidate in codes:
            return candidate
    raise _unknown_target("jurisdiction", code, codes)


def _unknown_target(kind: str, value: str, choices: Iterable[str]) -> DiagramError:
    pool = sorted(choices)
    guess = suggest(value, pool)
    if guess:
        hint = f"did you mean '{kind}:{guess}'?"
    else:
        sample = ", ".join(pool[:8]) + (", ..." if len(pool) > 8 else "")
        hint = f"known: {sample}" if pool else f"the model has no {kind}"
    return DiagramError(f"no {kind} '{value}' in this model", hint)


def _group_key(n: _Node, level: str) -> tuple[str, ...]:
    if level == "system":
        return ("s", n.id)
    if level == "entity":
        return ("a" if n.accessor else "e", n.entity, n.jurisdiction)
    return ("j", n.jurisdiction)


def _choose_levels(base: _Base, view: View, nodes: set[str], edges: set[str], focus: set[str],
                   level: str | None) -> tuple[str, str]:
    """Focus level and periphery level (the neighbours around a system or jurisdiction).

    The finest pair at which the view fits its caps without dropping anything; a view of one
    jurisdiction keeps its own systems at entity level at least (one merged node would say
    nothing) and a view of one system keeps that system.
    """
    focused = view.kind in ("system", "jurisdiction")
    if level is not None:
        candidates = [(level, p) for p in LEVELS[LEVELS.index(level):]] if focused else [
            (level, level)]
    elif view.kind == "system":
        candidates = [("system", p) for p in LEVELS]
    elif focused:
        candidates = [(f, p) for f in LEVELS for p in LEVELS[LEVELS.index(f):]]
    else:
        candidates = [(lv, lv) for lv in LEVELS]
    for f, p in candidates:
        if f == "system" and level is None and len(focus) > SYSTEM_LEVEL_MAX:
            continue
        n_nodes, n_edges = _count(base, nodes, edges, focus, f, p)
        if n_nodes <= MAX_NODES[f] and n_edges <= MAX_EDGES[f]:
            return f, p
    if level is not None:
        return candidates[-1]
    if view.kind == "system":
        return ("system", "jurisdiction")
    if view.kind == "jurisdiction":
        return ("entity", "jurisdiction")
    return ("jurisdiction", "jurisdiction")


def _count(base: _Base, nodes: set[str], edges: set[str], focus: set[str], focus_level: str,
           peri_level: str) -> tuple[int, int]:
    """Nodes and merged edges a scene would have at these levels (before any cap)."""

    groups = {nid: base.group(nid, focus_level if nid in focus else peri_level)
              for nid in nodes}
    n_nodes = len(set(groups.values()))
    if n_nodes > MAX_NODES[focus_level]:
        return n_nodes, -1  # too many already: no need to count the edges
    roles = base.roles
    pairs = set()
    for k in edges:
        e = base.edges[k]
        a, b = groups[e.source], groups[e.target]
        if a != b or a[0] == "s":
            pairs.add((a, b, e.kind, roles[k], e.routing if a[0] == b[0] == "s" else ""))
    return n_nodes, len(pairs)


def _aggregate(scene: Scene, base: _Base, node_ids: set[str], edge_keys: set[str],
               focus: set[str], context: set[str], numbers: dict[str, int]) -> None:
    model = base.model
    group_of: dict[str, str] = {}
    ids: dict[tuple[str, ...], str] = {}
    for nid in sorted(node_ids):
        n = base.nodes[nid]
        lv = scene.level if nid in focus else scene.periphery_level
        key = base.group(nid, lv)
        sid = ids.get(key)
        if sid is None:
            sid = ids[key] = stable_id("n", *key)
        group_of[nid] = sid
        sn = scene.nodes.get(sid)
        if sn is None:
            sn = _new_snode(model, base, n, key, lv, sid)
            scene.nodes[sid] = sn
        sn.members.add(nid)
        sn.kinds[n.kind] += 1
        sn.focus = sn.focus or (nid in focus and scene.view.kind == "system")
    for sn in scene.nodes.values():
        if sn.level != "system":
            sn.detail = _group_detail(sn)
    merged: dict[tuple[str, ...], SEdge] = {}
    for k in sorted(edge_keys):
        e = base.edges[k]
        src, dst = group_of[e.source], group_of[e.target]
        role = "context" if k in context else base.roles[k]
        ts = base.exits.get(k)
        if src == dst and scene.nodes[src].level != "system":
            scene.nodes[src].within += 1  # drawn as a count on the node, never silently lost
            continue
        # systems keep fail-over apart; merged levels count routings in the label instead, or a
        # country pair would get one labelled edge per routing (dot slows down with each)
        system_pair = scene.nodes[src].level == "system" and scene.nodes[dst].level == "system"
        mk = (src, dst, role, e.kind, e.routing if system_pair else "")
        se = merged.get(mk)
        if se is None:
            se = merged[mk] = SEdge(src, dst, role, e.kind, e.routing)
        se.keys.append(k)
        se.routings[e.routing] += 1
        if ts:
            se.categories.update(base.exit_categories[k])
            se.transfers.update(numbers[t.id] for t in ts if t.id in numbers)
            se.areas.update(t.area for t in ts)
        else:
            se.categories.update(e.categories)
            if role == "context":
                se.areas.add(base.area_of(base.nodes[e.target].jurisdiction) or "")
    for se in merged.values():
        se.routing = next(iter(se.routings)) if len(se.routings) == 1 else "mixed"
    scene.edges = [merged[k] for k in sorted(merged)]


def _new_snode(model: ResolvedModel, base: _Base, n: _Node, key: tuple[str, ...], lv: str,
               sid: str) -> SNode:
    area = base.area_of(n.jurisdiction)
    area_part: tuple[tuple[str, ...], ...] = (("area", area),) if area else ()
    if lv == "system":
        cluster = (*area_part, ("jur", n.jurisdiction), ("ent", n.jurisdiction, n.entity))
        return SNode(sid, key, lv, n.name, n.name_zh if n.name_zh != n.name else None, n.kind,
                     f"{n.kind} · {n.location}", cluster, n.jurisdiction,
                     tooltip=f"{'accessor' if n.accessor else 'system'} {n.id}")
    if lv == "entity":
        ent = model.entities.get(n.entity)
        title = model.entity_name(n.entity)
        zh = ent.name_zh if ent is not None and ent.name_zh != title else None
        kind = "entity-accessor" if n.accessor else "entity"
        return SNode(sid, key, lv, title, zh, kind, "", (*area_part, ("jur", n.jurisdiction)),
                     n.jurisdiction, tooltip=f"entity {n.entity} in {n.jurisdiction}")
    name, zh = _jur_name(model, n.jurisdiction)
    return SNode(sid, key, lv, name, zh, "jurisdiction", "", area_part, n.jurisdiction,
                 tooltip=f"jurisdiction {n.jurisdiction}")


def _group_detail(sn: SNode) -> str:
    if sn.kind == "entity-accessor":
        return f"remote access from {sn.jurisdiction}"
    systems = sum(c for k, c in sn.kinds.items() if k != "accessor")
    kinds = sorted(((c, k) for k, c in sn.kinds.items() if k != "accessor"),
                   key=lambda x: (-x[0], x[1]))
    shown = ", ".join(f"{c} {k}" for c, k in kinds[:3]) + (", …" if len(kinds) > 3 else "")
    head = f"{sn.jurisdiction} · " if sn.kind == "jurisdiction" else ""
    text = f"{head}{systems:,} system{'s' if systems != 1 else ''}"
    if shown:
        text += f" ({shown})"
    accessors = sn.kinds.get("accessor", 0)
    if accessors:
        text += f" · {accessors} accessor{'s' if accessors != 1 else ''}"
    return text


def _edge_rank(e: SEdge) -> tuple[int, int]:
    return (ROLE_ORDER.index(e.role), -len(e.keys))


def _cap(scene: Scene, base: _Base) -> None:
    """Keep the most telling nodes and edges; count and point to everything left out."""
    max_nodes = MAX_NODES[scene.level]
    max_edges = MAX_EDGES[scene.level]
    if len(scene.nodes) <= max_nodes and len(scene.edges) <= max_edges:
        return
    # Greedy by importance (exits first, then onward, ..., heavier edges first): an edge is kept
    # with its two ends while both caps allow, so no kept node is left without its edges.
    keep: set[str] = {n.id for n in scene.nodes.values()
                      if n.focus and scene.view.kind == "system"}
    kept: list[SEdge] = []
    dropped: list[SEdge] = []
    for e in sorted(scene.edges, key=lambda e: (_edge_rank(e), e.source, e.target, e.style_key)):
        new = {e.source, e.target} - keep
        if len(kept) < max_edges and len(keep) + len(new) <= max_nodes:
            kept.append(e)
            keep |= new
        else:
            dropped.append(e)
    weight: Counter[str] = Counter()
    for e in scene.edges:
        weight[e.source] += len(e.keys)
        weight[e.target] += len(e.keys)
    for n in sorted(scene.nodes.values(), key=lambda n: (-weight[n.id] - n.within, n.key)):
        if len(keep) >= max_nodes:
            break
        keep.add(n.id)  # nodes cost little without their edges; their own counts still show
    dropped_nodes = sorted((n for n in scene.nodes.values() if n.id not in keep),
                           key=lambda n: n.key)
    scene.nodes = {k: n for k, n in scene.nodes.items() if k in keep}
    scene.edges = sorted(kept, key=lambda e: (e.source, e.target, e.style_key))
    if dropped_nodes:
        systems = sum(len(n.members) for n in dropped_nodes)
        unit = {"system": "systems/accessors", "entity": "entity groups",
                "jurisdiction": "jurisdictions"}[scene.level]
        members = f" ({systems:,} systems and accessors)" if scene.level != "system" else ""
        scene.notes.append(f"{len(dropped_nodes):,} {unit} not drawn{members} — caps of "
                           f"{max_nodes} nodes and {max_edges} edges at {scene.level} level")
    lost_within = sum(n.within for n in dropped_nodes)
    if dropped or lost_within:
        flows = sum(len(e.keys) for e in dropped) + lost_within
        exits = sum(len(e.keys) for e in dropped if e.role in ("exit", "possible"))
        where: Counter[str] = Counter()
        for n in dropped_nodes:
            if n.within:
                where[f"jurisdiction:{n.jurisdiction}"] += n.within
        for e in dropped:
            for k in e.keys:
                where[_suggest_view(scene, base, base.edges[k])] += 1
        views = sorted(where.items(), key=lambda x: (-x[1], x[0]))
        shown = "; ".join(f"{n:,} in --view {v}" for v, n in views[:3])
        more = f"; {len(views) - 3:,} more views" if len(views) > 3 else ""
        scene.notes.append(f"{flows:,} flows not drawn ({exits:,} of them exits) — see {shown}"
                           f"{more}")


def _suggest_view(scene: Scene, base: _Base, e: _Edge) -> str:
    """A narrower view that draws this edge."""
    src, dst = base.nodes[e.source], base.nodes[e.target]
    if scene.view.kind == "system" or (scene.level == "system"
                                       and scene.view.kind == "jurisdiction"):
        other = dst if scene.view.target in (src.id, src.jurisdiction) else src
        return f"system:{other.id}" if not other.accessor else f"system:{src.id}"
    target = scene.view.target
    j = src.jurisdiction if src.jurisdiction != target else dst.jurisdiction
    if scene.view.kind == "jurisdiction" and j == target:
        return f"system:{src.id}"
    return f"jurisdiction:{j}"


def _clusters(scene: Scene, base: _Base) -> None:
    model = base.model
    for n in scene.nodes.values():
        for i in range(len(n.cluster)):
            key = n.cluster[i]
            if key in scene.clusters:
                continue
            path = n.cluster[: i + 1]
            cid = stable_id("cluster", *(p for part in path for p in part))
            if key[0] == "area":
                label = f"Inside {AREA_TITLES.get(key[1]) or _jur_name(model, key[1])[0]}"
                scene.clusters[key] = SCluster(key, cid, label, None, "area")
            elif key[0] == "jur":
                name, zh = _jur_name(model, key[1])
                style = ("unknown" if key[1] == "unknown" else
                         "jurisdiction-inside" if base.area_of(key[1]) else "jurisdiction")
                label = f"{name} ({key[1]})" if key[1] != "unknown" else name
                if key[1] == "unknown":
                    label += " — possible transfers"
                scene.clusters[key] = SCluster(key, cid, label, zh if zh != name else None, style)
            else:
                ent = model.entities.get(key[2])
                title = model.entity_name(key[2])
                zh = ent.name_zh if ent is not None and ent.name_zh != title else None
                scene.clusters[key] = SCluster(key, cid, title, zh, "entity")


# ---------------------------------------------------------------------------------------------
# Drawing conventions
# ---------------------------------------------------------------------------------------------

RED, PURPLE, ORANGE, SLATE, GREY = "#c62828", "#6a1b9a", "#e65100", "#455a64", "#9e9e9e"

# shape, extra style, fill, border width
NODE_STYLE: dict[str, tuple[str, str, str, str]] = {
    "service": ("box", "rounded,filled", "#ffffff", "1.2"),
    "database": ("cylinder", "filled", "#ffffff", "1.2"),
    "storage": ("folder", "filled", "#ffffff", "1.2"),
    "saas": ("component", "filled", "#ffffff", "1.2"),
    "analytics": ("box3d", "filled", "#ffffff", "1.2"),
    "ai-model": ("doubleoctagon", "filled", "#ede7f6", "1.6"),
    "relay": ("cds", "filled", "#fff3e0", "2"),
    "gateway": ("hexagon", "filled", "#e0f2f1", "2"),
    "client": ("box", "filled,diagonals", "#e3f2fd", "1.2"),
    "other": ("box", "filled", "#ffffff", "1.2"),
    "accessor": ("ellipse", "dashed,filled", "#fafafa", "1.5"),
    "entity": ("tab", "filled", "#ffffff", "1.4"),
    "entity-accessor": ("ellipse", "dashed,filled", "#fafafa", "1.5"),
    "jurisdiction": ("box3d", "filled", "#ffffff", "1.4"),
}
# polygons grow with their label: tight margins for octagons, room for the relay's arrow point
NODE_MARGIN = {"ai-model": "0.02,0.02", "relay": "0.22,0.1", "gateway": "0.05,0.04",
               "client": "0.16,0.07"}
SHAPE_WORDS = {
    "service": "rounded box", "database": "cylinder", "storage": "folder", "saas": "component",
    "analytics": "3-D box", "ai-model": "double octagon, violet", "relay": "arrow box, orange",
    "gateway": "hexagon, teal", "client": "box with cut corners, blue",
    "other": "plain box", "accessor": "dashed ellipse", "entity": "tab",
    "entity-accessor": "dashed ellipse", "jurisdiction": "3-D box",
}
KIND_WORDS = {
    "service": "service", "database": "database", "storage": "storage", "saas": "SaaS",
    "analytics": "analytics", "ai-model": "AI model", "relay": "relay (forwards data)",
    "gateway": "gateway", "client": "client (users' devices)", "other": "other system",
    "accessor": "remote accessor (staff)", "entity": "entity (its systems merged)",
    "entity-accessor": "entity's remote accessors", "jurisdiction": "jurisdiction (merged)",
}
CLUSTER_STYLE = {  # style, fill, border colour, pen width
    "area": ("rounded,filled,bold", "#f1f6fd", "#1565c0", "2"),
    "jurisdiction-inside": ("rounded,filled", "#ffffff", "#5c85c5", "1.2"),
    "jurisdiction": ("rounded,filled", "#f7f7f7", "#757575", "1.2"),
    "unknown": ("rounded,filled,dashed", "#fffde7", "#f9a825", "1.5"),
    "entity": ("rounded,dashed", "", "#9e9e9e", "1"),
}


@dataclass(frozen=True)
class EdgeLook:
    color: str
    penwidth: str
    style: str
    arrowhead: str
    word: str  # what the label and the legend call it


def edge_look(role: str, kind: str, routing: str) -> EdgeLook:
    color = {"exit": RED, "possible": PURPLE, "onward": f"{ORANGE}:invis:{ORANGE}",
             "border": GREY, "context": GREY, "plain": SLATE}[role]
    width = {"exit": "3", "possible": "3", "onward": "1.6"}.get(role, "1.2")
    style = ("dotted" if kind == "access" else "solid" if routing in ("primary", "mixed")
             else "dashed")
    if role in ("exit", "possible") and style == "solid":
        style = "bold"
    arrowhead = "odot" if kind == "access" else "empty" if routing == "conditional" else "normal"
    words = {"exit": "exit: leaves the area (a transfer)",
             "possible": "possible exit: destination unknown",
             "onward": "onward: after the exit, abroad",
             "border": "crosses the border but not a transfer",
             "context": "route that stays inside the area", "plain": "flow"}
    word = words[role]
    if kind == "access":
        word = ("remote access — " + word) if role != "plain" else "remote access"
    elif routing == "mixed":
        word += " (merged flows of several routings: see label)"
    elif routing != "primary":
        tag = "fail-over" if routing == "failover" else "conditional"
        word = f"{tag} — {word}" if role != "plain" else f"{tag} flow"
    return EdgeLook(color, width, style, arrowhead, word)


def _edge_header(scene: Scene, e: SEdge) -> str:
    parts: list[str] = []
    if e.transfers and not scene.transfers_numbered:
        parts.append(f"{len(e.transfers):,} transfer{'s' if len(e.transfers) != 1 else ''}")
    elif e.transfers:
        nums = sorted(e.transfers)
        tags = ", ".join(f"T{n}" for n in nums[:4]) + (f" +{len(nums) - 4}" if len(nums) > 4
                                                       else "")
        parts.append(tags)
    areas = ",".join(sorted(e.areas)) or ",".join(scene.areas)
    if e.role == "exit":
        parts.append(f"leaves {areas}")
    elif e.role == "possible":
        parts.append(f"may leave {areas} (location unknown)")
    elif e.role == "onward":
        parts.append("onward")
    elif e.role == "border":
        parts.append("crosses border, not a transfer")
    elif e.role == "context":
        parts.append(f"stays in {areas}")
    if e.kind == "access":
        parts.append("remote access")
    elif e.routing in ("failover", "conditional"):
        parts.append("fail-over" if e.routing == "failover" else "conditional")
    n = len(e.keys)
    if n > 1:
        text = f"×{n} {'grants' if e.kind == 'access' else 'flows'}"
        if e.routing == "mixed":
            text += " (" + ", ".join(
                f"{c} {ROUTING_WORDS[r]}" for r, c in sorted(e.routings.items(),
                                                             key=lambda x: (-x[1], x[0]))) + ")"
        parts.append(text)
    return " · ".join(parts)


ROUTING_WORDS = {"primary": "primary", "failover": "fail-over", "conditional": "conditional"}


def _edge_categories(scene: Scene, e: SEdge) -> list[tuple[str, bool]]:
    """(name, sensitive), sensitive first; at most MAX_LABEL_CATEGORIES plus a '+N more'."""
    items = sorted(((scene.category_names.get(c, (c, False))[0],
                     scene.category_names.get(c, (c, False))[1]) for c in e.categories),
                   key=lambda x: (not x[1], x[0]))
    if not items and e.kind == "access":
        return [("all data held there", False)]
    if scene.compact and len(items) > 1:
        sens = sum(1 for _, s in items if s)
        out = [(f"{len(items)} categories", False)]
        if sens:
            out.append((f"{sens} sensitive", True))
        return out
    out = items[:MAX_LABEL_CATEGORIES]
    if len(items) > MAX_LABEL_CATEGORIES:
        rest = items[MAX_LABEL_CATEGORIES:]
        sens = sum(1 for _, s in rest if s)
        more = f"+{len(rest)} more" + (f" ({sens} sensitive)" if sens else "")
        out.append((more, sens > 0))
    return out


def _people(t: Transfer) -> str:
    ind = t.individuals
    total = ind.get("total", 0) or 0
    text = f"{total:,}"
    if ind.get("sensitive"):
        text += f" ({ind['sensitive']:,} S)"
    return text


# ---------------------------------------------------------------------------------------------
# DOT
# ---------------------------------------------------------------------------------------------


def render_dot(model: ResolvedModel, analysis: Analysis | None = None,
               view: View | str = "overview", level: str | None = None,
               area: str | Sequence[str] | None = None) -> str:
    """DOT text of one view (deterministic: the same model gives the same bytes)."""
    return scene_dot(build_scene(model, analysis, view, level, area))


def scene_dot(scene: Scene) -> str:
    g = graphviz.Digraph("dataflow")
    g.attr("graph", fontname=FONT, fontsize="11", rankdir="LR", newrank="true",
           labelloc="t", labeljust="l", nodesep="0.3", ranksep="0.55", pad="0.3",
           bgcolor="white", outputorder="edgesfirst", label=_title_html(scene),
           tooltip=dot_string(scene.title))
    g.attr("node", fontname=FONT, fontsize="10", shape="box", style="rounded,filled",
           fillcolor="white", color="#37474f", margin="0.1,0.05")
    g.attr("edge", fontname=FONT, fontsize="9", arrowsize="0.8", color=SLATE)
    tree: dict[tuple[tuple[str, ...], ...], list[SNode]] = defaultdict(list)
    for n in scene.nodes.values():
        tree[n.cluster].append(n)
    _emit_clusters(g, scene, (), tree)

    def inside(node: str) -> bool:
        n = scene.nodes[node]
        return bool(n.cluster) and n.cluster[0][0] == "area"

    for e in scene.edges:
        look = edge_look(e.role, e.kind, e.routing)
        attrs = {"label": _edge_html(scene, e), "color": look.color,
                 "penwidth": look.penwidth, "style": look.style, "arrowhead": look.arrowhead,
                 "tooltip": dot_string(_edge_tooltip(scene, e), 900)}
        if e.role in ("exit", "possible"):
            attrs["weight"] = "2"
        if inside(e.target) and not inside(e.source):
            # data coming into the area must not rank the area after the world: the area stays
            # on the left and its exits read left to right
            attrs["constraint"] = "false"
        if e.role in ("exit", "possible") and len(scene.edges) <= DECORATE_MAX:
            attrs["decorate"] = "true"  # ties the label to its line: exits must not be misread
            attrs["fontcolor"] = look.color  # colours that tie line (label text sets its own)
        g.edge(e.source, e.target, **attrs)
    return g.source


def _sorted_children(scene: Scene, prefix: tuple[tuple[str, ...], ...],
                     tree: dict[tuple[tuple[str, ...], ...], list[SNode]]
                     ) -> list[tuple[str, ...]]:
    kids = {path[len(prefix)] for path in tree if len(path) > len(prefix)
            and path[: len(prefix)] == prefix}

    def order(key: tuple[str, ...]) -> tuple[int, int, tuple[str, ...]]:
        if key[0] == "area":
            return (0, scene.areas.index(key[1]) if key[1] in scene.areas else 99, key)
        if key[0] == "jur":
            return (1, 1 if key[1] == "unknown" else 0, key)
        return (2, 0, key)

    return sorted(kids, key=order)


def _emit_clusters(g: graphviz.Digraph, scene: Scene, prefix: tuple[tuple[str, ...], ...],
                   tree: dict[tuple[tuple[str, ...], ...], list[SNode]]) -> None:
    for n in sorted(tree.get(prefix, []), key=lambda n: n.key):
        _emit_node(g, n)
    for child in _sorted_children(scene, prefix, tree):
        c = scene.clusters[child]
        style, fill, border, width = CLUSTER_STYLE[c.style]
        with g.subgraph(name=c.id) as sub:
            attrs = {"label": _cluster_html(c), "style": style, "color": border,
                     "penwidth": width, "fontsize": "12" if c.style == "area" else "10",
                     "margin": "10"}
            if fill:
                attrs["fillcolor"] = fill
            sub.attr("graph", **attrs)
            _emit_clusters(sub, scene, (*prefix, child), tree)


def _emit_node(g: graphviz.Digraph, n: SNode) -> None:
    shape, style, fill, width = NODE_STYLE.get(n.kind, NODE_STYLE["other"])
    color = RED if n.focus else "#37474f"
    extra = NODE_MARGIN.get(n.kind)
    attrs = {"margin": extra} if extra else {}
    g.node(n.id, label=_node_html(n), shape=shape, style=style, fillcolor=fill,
           penwidth="2.5" if n.focus else width, color=color,
           tooltip=dot_string(n.tooltip, 300), **attrs)


def _node_html(n: SNode) -> str:
    rows = [f'<tr><td><b>{h(n.title, NAME_LIMIT)}</b></td></tr>']
    if n.title_zh:
        rows.append(f"<tr><td>{h(n.title_zh, NAME_LIMIT)}</td></tr>")
    detail = n.detail
    if n.within:
        detail += f" · {n.within:,} flow{'s' if n.within != 1 else ''} within"
    rows.append(f'<tr><td><font point-size="8" color="#546e7a">{h(detail, 90)}</font></td></tr>')
    return ('<<table border="0" cellborder="0" cellspacing="0" cellpadding="1">'
            + "".join(rows) + "</table>>")


def _cluster_html(c: SCluster) -> str:
    text = f"<b>{h(c.label, 60)}</b>" if c.style != "entity" else h(c.label, 60)
    if c.label_zh:
        text += f" {h(c.label_zh, 40)}"
    return f"<{text}>"


def _edge_html(scene: Scene, e: SEdge) -> str:
    rows = []
    head = _edge_header(scene, e)
    if head:
        colour = {"exit": RED, "possible": PURPLE, "onward": ORANGE}.get(e.role, "#37474f")
        bold = e.role in ("exit", "possible")
        text = f"<b>{h(head)}</b>" if bold else h(head)
        rows.append(f'<tr><td><font color="{colour}">{text}</font></td></tr>')
    cats = []
    for name, sensitive in _edge_categories(scene, e):
        text = h(name, 36)
        cats.append(f'<font color="{RED}">⚠ {text} (S)</font>' if sensitive
                    else f'<font color="#263238">{text}</font>')
    if scene.compact:  # one line per edge: dozens of labelled edges stay legible
        rows.append(f"<tr><td>{', '.join(cats)}</td></tr>")
    else:
        rows.extend(f"<tr><td>{c}</td></tr>" for c in cats)
    return ('<<table border="0" cellborder="0" cellspacing="0" cellpadding="0">'
            + "".join(rows) + "</table>>")


def _edge_tooltip(scene: Scene, e: SEdge) -> str:
    keys = e.keys[:20]
    more = f" (+{len(e.keys) - 20} more)" if len(e.keys) > 20 else ""
    cats = ", ".join(scene.category_names.get(c, (c, False))[0] + (
        " (S)" if scene.category_names.get(c, (c, False))[1] else "")
        for c in sorted(e.categories))
    return ", ".join(keys) + more + (f" — {cats}" if cats else "")


def _title_html(scene: Scene) -> str:
    """The graph label: title, notes, legend and transfer table side by side. Kept out of the
    layout on purpose: a legend drawn with sample nodes and edges would stretch the ranks."""
    lines = [f'<font point-size="18"><b>{h(scene.title, 80)}</b></font>']
    if scene.model_name_zh and scene.model_name_zh != scene.model_name:
        lines[0] += f'  <font point-size="15">{h(scene.model_name_zh, 60)}</font>'
    lines.append(f'<font point-size="12">{h(scene.subtitle)}</font>')
    lines.append(f'<font point-size="9" color="#616161">{h(scene.caption)}</font>')
    for note in scene.notes:
        lines.append(f'<font point-size="10" color="{RED}">⚠ {_wrap(note, 100)}</font>')
    # one cell with line breaks: nested tables would be stretched to the legend's height
    title = '<br align="left"/>'.join(lines) + '<br align="left"/>'
    rows = [f'<tr><td align="left" valign="top" balign="left">{title}</td>'
            f'<td align="left" valign="top">{_legend_html(scene)}</td></tr>']
    if scene.transfers:
        rows.append(f'<tr><td colspan="2" align="left">{_transfer_table(scene)}</td></tr>')
    return ('<<table border="0" cellborder="0" cellspacing="10" cellpadding="0">'
            + "".join(rows) + "</table>>")


def _table(rows: list[str], extra: str = 'cellpadding="1"') -> str:
    return (f'<table border="0" cellborder="0" cellspacing="0" {extra}>' + "".join(rows)
            + "</table>")


def _wrap(text: str, width: int) -> str:
    """Escaped text broken into lines of about ``width`` characters."""
    words = clean(text).split(" ")
    lines: list[str] = []
    cur = ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    if cur:
        lines.append(cur)
    return '<br align="left"/>'.join(html.escape(line, quote=True) for line in lines)


ARROW_GLYPH = {"normal": "▶", "empty": "▷", "odot": "○"}


def _line_sample(look: EdgeLook) -> str:
    """A line drawn with table-cell borders: colour, width and dash as on the edges. Cells
    stretch to the row's height, so the line is the border between stacked cells, mid-row."""
    style = {"dashed": ' style="dashed"', "dotted": ' style="dotted"'}.get(look.style, "")
    width = "3" if look.penwidth == "3" else "1"
    colour = look.color.split(":")[0]
    rule = f'<td width="56" height="4" sides="b" border="{width}" color="{colour}"{style}></td>'
    pad = '<td width="56" height="4"></td>'
    stack = [pad, rule, rule, pad] if ":invis:" in look.color else [pad, rule, pad]
    line = ('<td><table border="0" cellspacing="0" cellpadding="0">'
            + "".join(f"<tr>{c}</tr>" for c in stack) + "</table></td>")
    return f'{line}<td><font color="{colour}">{ARROW_GLYPH[look.arrowhead]}</font></td>'


def _legend_html(scene: Scene) -> str:
    rows = ['<tr><td colspan="3" align="left"><b>Legend</b></td></tr>']
    for key in _legend_edges(scene):
        look = edge_look(*key)
        rows.append(f'<tr>{_line_sample(look)}<td align="left">{h(look.word)}</td></tr>')
    kinds = _legend_kinds(scene)
    if kinds:
        shapes = [f"{KIND_WORDS[k]}: {SHAPE_WORDS[k]}" for k in kinds]
        rows.append('<tr><td colspan="3" align="left" balign="left"><font point-size="9">'
                    f"{_wrap(' · '.join(shapes), 64)}</font></td></tr>")
    notes = [f'<font color="{RED}">⚠ … (S)</font> sensitive personal information<br align="left"/>'
             "(PIPL Art. 28) or special category data (GDPR Art. 9/10)"]
    if any(e.transfers for e in scene.edges) and scene.transfers_numbered:
        notes.append("T<i>n</i>: transfer number (table); one witness path per transfer")
    if any(len(e.keys) > 1 for e in scene.edges):
        notes.append("×<i>n</i>: parallel flows merged into one edge")
    if any(n.focus for n in scene.nodes.values()):
        notes.append(f'<font color="{RED}">red outline</font>: the system(s) this view is about')
    for note in notes:
        rows.append(f'<tr><td colspan="3" align="left" balign="left"><font point-size="9">{note}'
                    "</font></td></tr>")
    return ('<table border="1" cellborder="0" cellspacing="3" cellpadding="1" color="#bdbdbd" '
            'bgcolor="#fcfcfc">' + "".join(rows) + "</table>")


def _legend_kinds(scene: Scene) -> list[str]:
    present = {n.kind for n in scene.nodes.values()}
    return [k for k in NODE_STYLE if k in present]


def _legend_edges(scene: Scene) -> list[tuple[str, str, str]]:
    present = {e.style_key for e in scene.edges}
    return sorted(present, key=lambda s: (ROLE_ORDER.index(s[0]), s[1], s[2]))


def _transfer_table(scene: Scene) -> str:
    rows = ['<tr><td colspan="5" align="left"><b>Transfers out of '
            f"{h(scene.area_label)}: {scene.transfers_total:,}</b></td></tr>",
            '<tr><td align="left"><b>#</b></td><td align="left"><b>exporter → recipient</b></td>'
            '<td align="left"><b>path</b></td><td align="right"><b>people</b></td>'
            '<td align="left"><b>flags</b></td></tr>']
    model_rows = scene.transfers[:MAX_TRANSFER_ROWS]
    for row in model_rows:
        t = row.transfer
        rec = f"{t.recipient} ({','.join(t.recipient_jurisdictions)})"
        path = " → ".join(t.path)
        rows.append(
            f'<tr><td align="left">T{row.number}</td>'
            f'<td align="left">{h(t.exporter, 30)} → {h(rec, 40)}</td>'
            f'<td align="left">{h(path, 70)}</td>'
            f'<td align="right">{h(_people(t))}</td>'
            f'<td align="left">{h(", ".join(t.flags) or "-")}</td></tr>')
    if len(scene.transfers) > MAX_TRANSFER_ROWS:
        rows.append(f'<tr><td colspan="5" align="left">+{len(scene.transfers) - MAX_TRANSFER_ROWS:,}'
                    " more: dataflow transfers --area " + h(",".join(scene.areas)) + "</td></tr>")
    return ('<table border="1" cellborder="0" cellspacing="0" cellpadding="3" color="#bdbdbd" '
            'bgcolor="#ffffff">' + "".join(rows) + "</table>")


# ---------------------------------------------------------------------------------------------
# Mermaid
# ---------------------------------------------------------------------------------------------

MERMAID_SHAPES = {
    "service": ('(["', '"])'), "database": ('[("', '")]'), "storage": ('[["', '"]]'),
    "saas": ('["', '"]'), "analytics": ('[["', '"]]'), "ai-model": ('{{"', '"}}'),
    "relay": ('>"', '"]'), "gateway": ('[/"', '"\\]'), "client": ('[/"', '"/]'),
    "other": ('["', '"]'), "accessor": ('(("', '"))'), "entity": ('["', '"]'),
    "entity-accessor": ('(("', '"))'), "jurisdiction": ('[["', '"]]'),
}
MERMAID_CLASSES = {
    "relay": "fill:#fff3e0,stroke:#e65100,stroke-width:2px",
    "gateway": "fill:#e0f2f1,stroke:#00695c,stroke-width:2px",
    "aimodel": "fill:#ede7f6,stroke:#4527a0,stroke-width:2px",
    "client": "fill:#e3f2fd,stroke:#1565c0",
    "accessor": "fill:#fafafa,stroke:#616161,stroke-dasharray:4 3",
    "focus": "stroke:#c62828,stroke-width:3px",
}


def render_mermaid(model: ResolvedModel, analysis: Analysis | None = None,
                   view: View | str = "overview", level: str | None = None,
                   area: str | Sequence[str] | None = None) -> str:
    """Mermaid flowchart text of one view (for Markdown on GitHub and GitLab)."""
    return scene_mermaid(build_scene(model, analysis, view, level, area))


def _mermaid_arrow(e: SEdge) -> str:
    if e.kind == "access":
        return "-.-o"
    if e.routing in ("failover", "conditional"):
        return "-.->"
    if e.role in ("exit", "possible"):
        return "==>"
    return "-->"


def scene_mermaid(scene: Scene) -> str:
    title = f"{scene.title} — {scene.subtitle}"
    # front matter is YAML: a JSON string is a valid double-quoted YAML scalar on one line
    out = ["---", f"title: {json.dumps(clean(title, 200), ensure_ascii=False)}", "---",
           "flowchart LR"]
    out.append(f"  %% {mermaid_text(scene.caption)}")
    for note in scene.notes:
        out.append(f"  %% not drawn: {mermaid_text(note, 400)}")
    tree: dict[tuple[tuple[str, ...], ...], list[SNode]] = defaultdict(list)
    for n in scene.nodes.values():
        tree[n.cluster].append(n)
    _mermaid_clusters(out, scene, (), tree, 1)
    styles: list[str] = []
    index = 0
    for e in scene.edges:
        label = _edge_header(scene, e)
        cats = ", ".join(("⚠ " + n + " (S)") if s else n for n, s in _edge_categories(scene, e))
        text = " · ".join(x for x in (label, cats) if x)
        arrow = _mermaid_arrow(e)
        out.append(f'  {e.source} {arrow}|"{mermaid_text(text, 160)}"| {e.target}')
        look = edge_look(e.role, e.kind, e.routing)
        colour = look.color.split(":")[0]
        width = {"3": "3px", "1.6": "2px"}.get(look.penwidth, "1px")
        dash = ",stroke-dasharray:3 3" if look.style in ("dashed", "dotted") else ""
        styles.append(f"  linkStyle {index} stroke:{colour},stroke-width:{width}{dash}")
        index += 1
    if scene.notes or scene.edges or scene.nodes:
        out.append('  subgraph legend["Legend"]')
        out.append("    direction LR")
        for i, key in enumerate(_legend_edges(scene)):
            look = edge_look(*key)
            a, b = f"legend_e{i}a", f"legend_e{i}b"
            edge = SEdge("", "", key[0], key[1], key[2])
            out.append(f'    {a}[" "] {_mermaid_arrow(edge)}|"{mermaid_text(look.word)}"| '
                       f'{b}[" "]')
            colour = look.color.split(":")[0]
            width = {"3": "3px", "1.6": "2px"}.get(look.penwidth, "1px")
            dash = ",stroke-dasharray:3 3" if look.style in ("dashed", "dotted") else ""
            styles.append(f"  linkStyle {index} stroke:{colour},stroke-width:{width}{dash}")
            index += 1
        out.append('    legend_s["⚠ … (S): sensitive personal information"]')
        for row in scene.transfers[:MAX_TRANSFER_ROWS]:
            t = row.transfer
            text = (f"T{row.number}: {t.exporter} → {t.recipient} "
                    f"({','.join(t.recipient_jurisdictions)}) · {_people(t)} people")
            out.append(f'    legend_t{row.number}["{mermaid_text(text, 160)}"]')
        out.append("  end")
    out.extend(styles)
    for name, css in MERMAID_CLASSES.items():
        out.append(f"  classDef {name} {css}")
    members: dict[str, list[str]] = defaultdict(list)
    for n in sorted(scene.nodes.values(), key=lambda n: n.id):
        cls = {"ai-model": "aimodel", "entity-accessor": "accessor"}.get(n.kind, n.kind)
        if cls in MERMAID_CLASSES:
            members[cls].append(n.id)
        if n.focus:
            members["focus"].append(n.id)
    for cls in sorted(members):
        out.append(f"  class {','.join(members[cls])} {cls}")
    return "\n".join(out) + "\n"


def _mermaid_clusters(out: list[str], scene: Scene, prefix: tuple[tuple[str, ...], ...],
                      tree: dict[tuple[tuple[str, ...], ...], list[SNode]], depth: int) -> None:
    pad = "  " * depth
    for n in sorted(tree.get(prefix, []), key=lambda n: n.key):
        opening, closing = MERMAID_SHAPES.get(n.kind, MERMAID_SHAPES["other"])
        parts = [mermaid_text(n.title, NAME_LIMIT)]
        if n.title_zh:
            parts.append(mermaid_text(n.title_zh, NAME_LIMIT))
        detail = n.detail + (f" · {n.within:,} flows within" if n.within else "")
        parts.append(mermaid_text(detail, 90))
        out.append(f"{pad}{n.id}{opening}{'<br/>'.join(parts)}{closing}")
    for child in _sorted_children(scene, prefix, tree):
        c = scene.clusters[child]
        label = mermaid_text(c.label, 60) + (f" {mermaid_text(c.label_zh, 40)}"
                                             if c.label_zh else "")
        out.append(f'{pad}subgraph {c.id.replace("cluster_", "c_")}["{label}"]')
        _mermaid_clusters(out, scene, (*prefix, child), tree, depth + 1)
        out.append(f"{pad}end")


# ---------------------------------------------------------------------------------------------
# Images
# ---------------------------------------------------------------------------------------------


def render_image(dot_text: str, fmt: str, *, dpi: int = 144) -> bytes:
    """Lay out and render DOT with Graphviz's ``dot`` (svg, png or pdf).

    Raises :class:`GraphvizMissing` (with the install command) when ``dot`` is not installed.
    """
    if fmt not in IMAGE_FORMATS:
        raise DiagramError(f"cannot render format '{fmt}'", "use svg, png or pdf")
    text = dot_text
    if fmt == "png":
        # raster output only: SVG and PDF are resolution-independent
        text = text.replace("{\n", f"{{\n\tdpi={dpi}\n", 1)
    try:
        return graphviz.pipe("dot", fmt, text.encode("utf-8"), quiet=True)
    except graphviz.ExecutableNotFound as exc:
        raise GraphvizMissing(f"Graphviz's `dot` program was not found on PATH; "
                              f"{INSTALL_HINT}") from exc
    except graphviz.CalledProcessError as exc:
        err = exc.stderr.decode("utf-8", "replace") if isinstance(exc.stderr, bytes) else ""
        raise GraphvizFailed(f"Graphviz's `dot` failed ({exc.returncode}): "
                             f"{clean(err, 300) or 'no message'}") from exc
