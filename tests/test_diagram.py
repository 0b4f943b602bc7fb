"""`dataflow diagram`: DOT and Mermaid goldens, views, levels, caps, escaping, determinism and
the missing-Graphviz path."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.dom.minidom
from pathlib import Path

import pytest
from click.testing import CliRunner

from dataflow.api import load
from dataflow.cli import main
from dataflow.render import diagram as D
from dataflow.resolve import ResolvedModel
from dataflow.transfers import analyse

from .conftest import compare_golden

REPO = Path(__file__).resolve().parent.parent
RELAY = REPO / "examples" / "ai-relay"
GOLDEN = REPO / "tests" / "golden" / "diagram"
HAS_DOT = shutil.which("dot") is not None
needs_dot = pytest.mark.skipif(not HAS_DOT, reason="Graphviz `dot` is not installed")

RELAY_VIEWS = ["overview", "transfers", "system:relay", "system:us-llm", "jurisdiction:CN",
               "jurisdiction:sg", "jurisdiction:CN-GD", "category:user.health.details",
               "category:user.content.prompt", "transfer:CN/acme/relay-to-us",
               "transfer:CN/acme/relay-to-sg"]

HOSTILE_YAML = r'''
model:
  name: "Evil <b>\"&}| model\nsecond line"
  name_zh: "恶意 <i>模型</i>"
  evaluation_date: 2026-10-01
entities:
  evil:
    name: "Evil <evil> \"quoted\" & {braces} | pipe\\N\nnewline ]]> %% #35; `tick`"
    name_zh: "恶意公司 <b>粗体</b> \"引号\""
    jurisdiction: CN
  far:
    name: "Far </table>> ]; digraph x { a -> b } \u0007bell"
    jurisdiction: US
systems:
  src:
    name: "<script>alert(1)</script> \"src\" & co"
    name_zh: "源系统 | 竖线 }"
    operator: evil
    location: CN
    kind: service
  dst:
    name: "dst\"];\n  evil -> pwn [label=\"x"
    operator: far
    location: US
    kind: ai-model
categories:
  x.evil: {name: "Hostile <category> \"&}|\nx", personal: true, sensitive: true}
flows:
  out:
    from: src
    to: dst
    categories: [x.evil]
    recipient_role: controller
'''


@pytest.fixture(scope="module")
def relay() -> ResolvedModel:
    return load(RELAY)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    (root / "dataflow.yaml").write_text(HOSTILE_YAML, encoding="utf-8")
    return root


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dataflow", "diagram", *args], cwd=REPO,
                          capture_output=True, text=True, env=env, timeout=120)


# --- goldens -----------------------------------------------------------------------------------

@pytest.mark.parametrize("view", ["overview", "transfers"])
def test_golden_dot(relay: ResolvedModel, view: str, update_golden: bool) -> None:
    compare_golden(GOLDEN / f"ai-relay-{view}.dot", D.render_dot(relay, view=view),
                   update_golden)


@pytest.mark.parametrize("view", ["overview", "transfers"])
def test_golden_mermaid(relay: ResolvedModel, view: str, update_golden: bool) -> None:
    compare_golden(GOLDEN / f"ai-relay-{view}.mmd", D.render_mermaid(relay, view=view),
                   update_golden)


# --- what the pictures say -------------------------------------------------------------------

def test_transfers_view_shows_both_exports_and_the_domestic_route(relay: ResolvedModel) -> None:
    scene = D.build_scene(relay, None, "transfers")
    assert scene.areas == ("CN",) and scene.level == "system"
    titles = {n.title for n in scene.nodes.values()}
    assert {"Assistant app and web client", "Assistant backend", "Relay gateway",
            "Frontier model API", "Singapore mirror", "DeepModel chat model"} <= titles
    roles = sorted((e.role, e.routing, tuple(e.keys)) for e in scene.edges)
    assert ("exit", "primary", ("relay-to-us",)) in roles
    assert ("exit", "failover", ("relay-to-sg",)) in roles
    assert ("onward", "primary", ("sg-to-us",)) in roles
    assert ("context", "primary", ("relay-to-domestic",)) in roles
    assert [r.transfer.id for r in scene.transfers] == ["CN/acme/relay-to-sg",
                                                         "CN/acme/relay-to-us"]


def test_dot_conventions(relay: ResolvedModel) -> None:
    dot = D.render_dot(relay, view="transfers")
    for attr in ("graph", "node", "edge"):
        assert re.search(rf'\t{attr} \[[^\n]*fontname="Noto Sans CJK SC"', dot), attr
    assert "subgraph cluster_" in dot
    assert "Inside mainland China (PIPL)" in dot and "United States (US)" in dot
    assert "2026-10-01" in dot and "Writing assistant" in dot and "智能写作助手" in dot
    # exits: colour and width and a word, never colour alone
    exit_line = next(line for line in dot.splitlines() if "leaves CN" in line
                     and "fail-over" not in line)
    assert 'color="#c62828"' in exit_line and "penwidth=3" in exit_line
    failover = next(line for line in dot.splitlines() if "leaves CN · fail-over" in line)
    assert "style=dashed" in failover
    onward = next(line for line in dot.splitlines() if ">onward<" in line)
    assert ":invis:" in onward  # a double line
    assert "⚠ Health details written into prompts (S)" in dot
    assert "shape=cds" in dot and "shape=doubleoctagon" in dot
    assert "Legend" in dot and "Transfers out of mainland China (PIPL): 2" in dot


@pytest.mark.parametrize("view", RELAY_VIEWS)
def test_every_view_renders(relay: ResolvedModel, view: str) -> None:
    dot = D.render_dot(relay, view=view)
    mmd = D.render_mermaid(relay, view=view)
    assert dot.startswith("digraph dataflow {") and mmd.startswith("---\n")
    if HAS_DOT:
        svg = D.render_image(dot, "svg")
        xml.dom.minidom.parseString(svg)


def test_views_select_what_they_name(relay: ResolvedModel) -> None:
    around = D.build_scene(relay, None, "system:relay")
    assert {n.title for n in around.nodes.values() if n.focus} == {"Relay gateway"}
    assert len(around.nodes) == 5  # the relay, the backend and three models/mirrors
    health = D.build_scene(relay, None, "category:user.health.details")
    assert sorted(k for e in health.edges for k in e.keys) == [
        "collect-health", "prompts-to-relay", "relay-to-us"]
    one = D.build_scene(relay, None, "transfer:CN/acme/relay-to-sg")
    assert sorted(k for e in one.edges for k in e.keys) == [
        "collect-prompts", "prompts-to-relay", "relay-to-sg", "sg-to-us"]
    sg = D.build_scene(relay, None, "jurisdiction:sg")
    assert sg.view.target == "SG"


@pytest.mark.parametrize("level,node_count", [("entity", 5), ("jurisdiction", 3)])
def test_levels_merge_with_counts(relay: ResolvedModel, level: str, node_count: int) -> None:
    scene = D.build_scene(relay, None, "overview", level)
    assert scene.level == level and len(scene.nodes) == node_count
    if level == "jurisdiction":
        china = next(n for n in scene.nodes.values() if n.jurisdiction == "CN")
        assert china.within == 4  # the four domestic flows: counted, not lost
        assert "4 flows within" in D.scene_dot(scene)
    else:
        acme = next(n for n in scene.nodes.values() if n.title.startswith("Acme"))
        assert "2 systems" in acme.detail and acme.within == 2
        assert "2 flows within" in D.scene_dot(scene)


def test_area_choice(relay: ResolvedModel) -> None:
    assert D.default_area(relay) == "CN"
    every = D.build_scene(relay, None, "overview", area="all")
    assert every.areas[0] == "CN" and len(every.areas) > 1
    sg = D.build_scene(relay, None, "transfers", area="sg")
    assert sg.areas == ("SG",)
    assert {k for e in sg.edges if e.role == "exit" for k in e.keys} == {"sg-to-us"}


@pytest.mark.parametrize("view,message", [
    ("systems:relay", "did you mean 'system'"),
    ("system:rely", "did you mean 'system:relay'"),
    ("jurisdiction:XX", "no jurisdiction 'XX'"),
    ("category:user.helth", "did you mean 'category:user.health.details'"),
    ("transfer:CN/acme/relay-to-u", "did you mean 'transfer:CN/acme/relay-to-us'"),
    ("system", "needs a target"),
    ("overview:x", "takes no target"),
])
def test_unknown_view_targets(relay: ResolvedModel, view: str, message: str) -> None:
    with pytest.raises(D.DiagramError, match=re.escape(message)):
        D.render_dot(relay, view=view)


def test_unknown_area_and_level(relay: ResolvedModel) -> None:
    with pytest.raises(D.DiagramError, match="unknown area 'XX'"):
        D.render_dot(relay, area="XX")
    with pytest.raises(D.DiagramError, match="did you mean 'entity'"):
        D.render_dot(relay, level="entities")


# --- scale: aggregation and caps -------------------------------------------------------------

@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> ResolvedModel:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import generate
    finally:
        sys.path.pop(0)
    out = tmp_path_factory.mktemp("big") / "model"
    generate.generate(out, 300, 5.0, 1)
    return load(out)


def test_large_views_aggregate_and_cap_loudly(big: ResolvedModel) -> None:
    analysis = analyse(big, ["CN"])
    overview = D.build_scene(big, analysis, "overview")
    assert overview.level in ("entity", "jurisdiction")  # 300 systems: not system level
    forced = D.build_scene(big, analysis, "overview", "system")
    assert len(forced.nodes) <= D.MAX_NODES["system"]
    assert len(forced.edges) <= D.MAX_EDGES["system"]
    notes = " ".join(forced.notes)
    assert "flows not drawn" in notes and "--view jurisdiction:" in notes
    dot = D.scene_dot(forced)
    assert "flows not drawn" in dot
    mmd = D.scene_mermaid(forced)
    assert "not drawn" in mmd


def test_cap_counts_everything_left_out(big: ResolvedModel, monkeypatch: pytest.MonkeyPatch
                                        ) -> None:
    monkeypatch.setitem(D.MAX_EDGES, "jurisdiction", 5)
    scene = D.build_scene(big, None, "overview", "jurisdiction")
    drawn = sum(len(e.keys) for e in scene.edges)
    within = sum(n.within for n in scene.nodes.values())
    dropped = int(re.search(r"([\d,]+) flows not drawn", " ".join(scene.notes))
                  .group(1).replace(",", ""))  # type: ignore[union-attr]
    edges = len(big.flows) + sum(len(a.from_) for a in big.access.values())
    assert drawn + within + dropped == edges
    assert len(scene.edges) == 5


def test_system_view_aggregates_neighbours_of_a_hub(big: ResolvedModel,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    degree: dict[str, int] = {}
    for f in big.flows.values():
        degree[f.to] = degree.get(f.to, 0) + 1
    hub = max(sorted(degree), key=lambda s: degree[s])
    monkeypatch.setitem(D.MAX_NODES, "system", 10)
    scene = D.build_scene(big, None, f"system:{hub}")
    assert scene.level == "system" and scene.periphery_level != "system"
    assert sum(1 for n in scene.nodes.values() if n.focus) == 1


# --- safety ------------------------------------------------------------------------------------

def test_escaping_helpers() -> None:
    assert D.h('<b>"&</b>') == "&lt;b&gt;&quot;&amp;&lt;/b&gt;"
    assert D.clean("a\nb\tc\x00d\u2028e") == "a b c d e"
    assert D.clean("x" * 50, 10) == "x" * 9 + "…"
    text = D.mermaid_text('a"b<c>d&e|f}g{h#i%j`k\\l\nm 中文')
    assert re.fullmatch(r"[a-m #0-9;中文]+", text), text
    assert "中文" in text
    assert str(D.dot_string(r"a\N\l")) == r"a\\N\\l"


def test_hostile_names_cannot_break_dot(hostile: Path) -> None:
    model = load(hostile)
    dot = D.render_dot(model, view="overview")
    for raw in ("<evil>", "<script>", "</table>> ]", "pwn [label=\"", "\x07"):
        assert raw not in dot
    assert "&lt;evil&gt;" in dot and "恶意公司" in dot
    if HAS_DOT:
        svg = D.render_image(dot, "svg").decode("utf-8")
        xml.dom.minidom.parseString(svg)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
        assert svg.count("<g id=\"node") == 2  # no injected node


def test_hostile_names_cannot_break_mermaid(hostile: Path) -> None:
    model = load(hostile)
    mmd = D.render_mermaid(model, view="overview")
    body = mmd.split("---\n", 2)[2]
    labels = re.findall(r'"((?:[^"\n])*)"', body)
    assert labels
    for label in labels:
        for ch in '<>&|`{}':
            assert ch not in label.replace("<br/>", ""), (ch, label)
    assert "pwn" not in "".join(line for line in body.splitlines()
                                if not line.strip().startswith(("n_", "subgraph", "%%")))
    assert "恶意公司" in body
    # every line is one statement: no name opened a new line
    starts = ("flowchart", "%%", "subgraph", "end", "n_", "legend_", "direction", "linkStyle",
              "classDef", "class ")
    for line in body.splitlines():
        assert line.strip().startswith(starts), line


def test_determinism_across_hash_seeds(tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        for ext in ("dot", "mmd"):
            out = tmp_path / f"{seed}.{ext}"
            r = run_cli(str(RELAY), "--view", "transfers", "-o", str(out), env=env)
            assert r.returncode == 0, r.stderr
        outputs.append(((tmp_path / f"{seed}.dot").read_bytes(),
                        (tmp_path / f"{seed}.mmd").read_bytes()))
    assert outputs[0] == outputs[1]


# --- CLI ---------------------------------------------------------------------------------------

def test_cli_stdout_dot_and_formats(tmp_path: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(main, ["diagram", str(RELAY), "--view", "transfers"])
    assert r.exit_code == 0 and r.output.startswith("digraph dataflow {")
    mmd = tmp_path / "x.mmd"
    r = runner.invoke(main, ["diagram", str(RELAY), "-o", str(mmd)])
    assert r.exit_code == 0 and mmd.read_text(encoding="utf-8").startswith("---\n")
    forced = tmp_path / "forced.txt"
    r = runner.invoke(main, ["diagram", str(RELAY), "--format", "mmd", "-o", str(forced)])
    assert r.exit_code == 0 and "flowchart LR" in forced.read_text(encoding="utf-8")


@needs_dot
@pytest.mark.parametrize("fmt,magic", [("svg", b"<?xml"), ("png", b"\x89PNG"), ("pdf", b"%PDF")])
def test_cli_images_with_dot_beside(tmp_path: Path, fmt: str, magic: bytes) -> None:
    out = tmp_path / "out" / f"relay.{fmt}"
    r = CliRunner().invoke(main, ["diagram", str(RELAY), "--view", "transfers", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert out.read_bytes().startswith(magic)
    assert (tmp_path / "out" / "relay.dot").read_text(encoding="utf-8").startswith("digraph")


@pytest.mark.parametrize("args,message", [
    (["--view", "system:rely"], "did you mean 'system:relay'"),
    (["--area", "XX"], "unknown area"),
    (["-o", "x.txt"], "cannot tell the format"),
    (["--level", "galaxy"], "Invalid value for '--level'"),
])
def test_cli_usage_errors_exit_2(args: list[str], message: str) -> None:
    r = CliRunner().invoke(main, ["diagram", str(RELAY), *args])
    assert r.exit_code == 2
    assert message in r.output


def test_cli_invalid_model_exits_2(tmp_path: Path) -> None:
    (tmp_path / "dataflow.yaml").write_text("model: {name: x}\n", encoding="utf-8")
    r = run_cli(str(tmp_path), "-o", str(tmp_path / "x.svg"))
    assert r.returncode == 2 and not (tmp_path / "x.svg").exists()


def test_missing_graphviz_names_the_install_and_keeps_the_dot(tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    env = {**os.environ, "PATH": str(empty)}
    out = tmp_path / "relay.svg"
    r = run_cli(str(RELAY), "--view", "transfers", "-o", str(out), env=env)
    assert r.returncode == 2
    assert "apt-get install graphviz" in r.stderr and "Traceback" not in r.stderr
    assert (tmp_path / "relay.dot").read_text(encoding="utf-8").startswith("digraph")
    assert not out.exists()
