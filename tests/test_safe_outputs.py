"""Safe outputs: names and purposes built to break CSV, JSON, SARIF, DOT, HTML, Markdown and
XLSX render as text; output paths never leave the chosen folder; writes are atomic (a failure
half-way leaves the existing file or folder untouched and no temporary file behind).

The commands run in-process through click's CliRunner (same bytes as the console script, a
tenth of the time); ``diagram``, ``report`` and ``build`` are tested when the CLI has them.
"""

from __future__ import annotations

import csv
import gc
import html.parser
import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from dataflow.cli import main

# ----------------------------------------------------------------------------- hostile text

HOSTILE = [
    "<script>alert(1)</script>", "\" onmouseover=alert(1) x=\"", "}|{", "]]>",
    "line one\nline two", "=HYPERLINK(\"http://evil\")", "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3",
    "\u202eevil\u202c txt", "杭州阿克米科技有限公司", "a | b | c", "# heading",
    "<img src=x onerror=alert(1)>", "{{ 7*7 }}", "\\\\server\\share", "`tick`",
    "</td></tr></table>", "\t=1+1", "x\r\ny",
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def hostile_model(k: int) -> dict[str, Any]:
    """A valid model with PIPL and GDPR transfers, remote access, safeguards, duties and a
    waiver, every free-text field holding one of the hostile strings (rotated by ``k``)."""
    def s(i: int) -> str:
        return HOSTILE[(i + k) % len(HOSTILE)]

    return {
        "model": {"name": s(0), "evaluation_date": "2026-10-01", "owner": "acme",
                  "description": s(1)},
        "entities": {
            "acme": {"name": s(2), "name_zh": s(10), "jurisdiction": "CN", "province": "CN-ZJ",
                     "address": s(3), "contact": {"name": s(4), "email": s(5), "phone": s(6)}},
            "evil-us": {"name": s(5), "jurisdiction": "US", "address": s(7)},
            "eu-co": {"name": s(6), "jurisdiction": "DE"},
            "sg-proc": {"name": s(7), "jurisdiction": "SG", "processor_for": ["acme"]}},
        "systems": {
            "app": {"name": s(8), "name_zh": s(9), "operator": "acme",
                    "location": "alibaba:cn-hangzhou", "kind": "service", "description": s(11)},
            "us-db": {"name": s(12), "operator": "evil-us", "location": "aws:us-east-1",
                      "kind": "database"},
            "eu-app": {"name": s(13), "operator": "eu-co", "location": "aws:eu-central-1",
                       "kind": "service"},
            "us-crm": {"name": s(14), "operator": "evil-us", "location": "US", "kind": "saas"},
            "sg-relay": {"name": s(15), "operator": "sg-proc", "location": "SG",
                         "kind": "relay"}},
        "categories": {"user.custom.x": {"name": s(16), "name_zh": s(17), "personal": True},
                       "user.custom.y": {"name": s(18), "personal": True, "sensitive": True}},
        "cohorts": {"users": {"name": s(19), "count": 200000, "residence": "CN"},
                    "eu-users": {"name": s(0), "count": 5000, "residence": "DE"}},
        "flows": {
            "f1": {"from": "app", "to": "us-db", "categories": ["user.contact.phone",
                                                                 "user.custom.x"],
                   "cohorts": ["users"], "purpose": s(1), "purpose_zh": s(2),
                   "recipient_role": "controller"},
            "f2": {"from": "eu-app", "to": "us-crm", "categories": ["user.contact.email",
                                                                     "user.custom.y"],
                   "cohorts": ["eu-users"], "purpose": s(3), "recipient_role": "processor"},
            "f3": {"from": "app", "to": "sg-relay", "categories": ["user.custom.y"],
                   "cohorts": ["users"], "purpose": s(4), "recipient_role": "entrusted",
                   "retention": s(5)}},
        "access": {"a1": {"system": "app", "accessor": "evil-us", "from": "US", "purpose": s(6),
                          "practice": s(7), "cohorts": ["users"],
                          "categories": ["user.custom.x"]}},
        "safeguards": {
            "scc1": {"mechanism": "pipl.standard-contract", "exporter": "acme",
                     "recipients": ["sg-proc"], "reference": s(8), "authority": s(9)},
            "scc2": {"mechanism": "gdpr.scc", "module": 2, "exporter": "eu-co",
                     "recipients": ["evil-us"], "reference": s(10)}},
        "duties": {"d1": {"duty": "pipl.notice", "exporter": "acme", "reference": s(11)}},
        "waivers": {"w1": {"finding": "PIPL1*/*", "justification": s(12), "owner": s(13),
                           "expires": "2027-01-01"}},
    }


ROTATIONS = [0, 7, 14]


def write_model(folder: Path, data: dict[str, Any], name: str = "model.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return p


# ----------------------------------------------------------------------------- running the CLI


class Out:
    def __init__(self, code: int, stdout: bytes, stderr: bytes,
                 exc: BaseException | None) -> None:
        self.code, self.stdout, self.stderr, self.exception = code, stdout, stderr, exc

    @property
    def text(self) -> str:
        return self.stdout.decode("utf-8")


def cli(*args: str, catch: bool = False) -> Out:
    runner = CliRunner(catch_exceptions=catch)
    try:
        r = runner.invoke(main, [str(a) for a in args])
    finally:
        gc.enable()  # the CLI pauses the cyclic GC for its short-lived process
    exc = r.exception if r.exception and not isinstance(r.exception, SystemExit) else None
    return Out(r.exit_code, r.stdout_bytes, r.stderr_bytes or b"", exc)


def available_commands() -> set[str]:
    """The commands `dataflow --help` lists and that import (the group loads them lazily)."""
    import click

    ctx = click.Context(main)
    names = main.list_commands(ctx) if hasattr(main, "list_commands") else list(main.commands)
    out = set()
    for name in names:
        try:
            if main.get_command(ctx, name) is not None:
                out.add(name)
        except ImportError:
            pass
    return out


COMMANDS = available_commands()


def needs(command: str) -> None:
    if command not in COMMANDS:
        pytest.skip(f"`dataflow {command}` does not exist yet (python -m dataflow --help)")


@pytest.fixture(scope="module", params=ROTATIONS, ids=[f"rot{k}" for k in ROTATIONS])
def model_path(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = write_model(tmp_path_factory.mktemp("hostile"), hostile_model(request.param))
    r = cli("validate", path)
    assert r.code == 0, r.text
    return path


# ----------------------------------------------------------------------------- checkers


class _Html(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.in_script = False
        self.bad: list[tuple[str, str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.in_script = True
            self.scripts.append("")
        if tag == "img" and ("src", "x") in attrs:
            self.bad.append((tag, "src", "x"))
        for a, v in attrs:
            if a.startswith("on") or (a in ("href", "src") and (v or "").strip().lower()
                                      .startswith("javascript:")):
                self.bad.append((tag, a, v))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script:
            self.scripts[-1] += data


def html_problems(text: str) -> list[str]:
    p = _Html()
    p.feed(text)
    out = [f"user text inside <script>: {s[:80]!r}" for s in p.scripts if "alert(1)" in s]
    if p.bad:
        out.append(f"attributes from user text: {p.bad[:3]}")
    return out


_PIPE = re.compile(r"(?<!\\)\|")


def markdown_problems(text: str) -> list[str]:
    out = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if lines[i].lstrip().startswith("|"):
            block = []
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                block.append(lines[i])
                i += 1
            widths = {len(_PIPE.findall(row)) for row in block}
            if len(widths) > 1:
                out.append(f"a table whose rows have {sorted(widths)} cell separators: "
                           f"{block[:3]}")
        else:
            i += 1
    for line in lines:
        if line.startswith("# heading"):
            out.append("user text became a heading")
        if re.search(r"(?<!\\)<(script|img)", line):
            out.append(f"raw HTML from user text: {line[:120]}")
    return out


def csv_problems(text: str) -> list[str]:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    widths = {len(r) for r in rows}
    out = [f"rows of different widths {sorted(widths)}"] if len(widths) > 1 else []
    out += [f"cell starts a formula: {c!r}" for r in rows for c in r if c.startswith(FORMULA_START)]
    return out


def xlsx_problems(data: bytes) -> list[str]:
    import openpyxl

    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and b"<f>" in z.read(name):
                out.append(f"a formula in {name}")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    out.append(f"{ws.title}!{c.coordinate} is a formula")
                elif isinstance(c.value, str) and c.value.startswith(FORMULA_START) \
                        and not c.quotePrefix:
                    out.append(f"{ws.title}!{c.coordinate} {c.value!r} lacks the quote prefix")
    return out


def file_problems(path: Path) -> list[str]:
    data = path.read_bytes()
    suffix = path.suffix
    if suffix in (".html", ".htm"):
        return html_problems(data.decode("utf-8"))
    if suffix == ".md":
        return markdown_problems(data.decode("utf-8"))
    if suffix == ".csv":
        return csv_problems(data.decode("utf-8-sig"))
    if suffix == ".xlsx":
        return xlsx_problems(data)
    if suffix == ".json":
        json.loads(data)
        return []
    if suffix == ".svg":
        return svg_problems(data)
    if suffix in (".dot", ".gv"):
        return dot_problems(data)
    return []


def svg_problems(data: bytes) -> list[str]:
    import xml.etree.ElementTree as ET

    root = ET.fromstring(data)
    out = []
    for e in root.iter():
        if e.tag.endswith("script") or e.tag.endswith("foreignObject"):
            out.append(f"<{e.tag}> in the SVG")
        out += [f"{e.tag} @{a}" for a in e.attrib if a.lower().startswith("on")]
    return out


def dot_problems(data: bytes) -> list[str]:
    if shutil.which("dot") is None:
        return []
    p = subprocess.run(["dot", "-Tsvg"], input=data, capture_output=True, timeout=60)
    if p.returncode != 0 or b"rror" in p.stderr:
        return [f"dot refuses it: {p.stderr.decode('utf-8', 'replace')[:300]}"]
    return svg_problems(p.stdout)


def all_files(folder: Path) -> Iterator[Path]:
    yield from sorted(p for p in folder.rglob("*") if p.is_file())


# ----------------------------------------------------------------------------- CSV / JSON / SARIF


def test_transfers_csv_escapes_formulas(model_path: Path) -> None:
    r = cli("transfers", model_path, "--format", "csv")
    assert r.code == 0, r.stderr
    assert csv_problems(r.text) == []
    rows = list(csv.DictReader(io.StringIO(r.text, newline="")))
    doc = json.loads(cli("transfers", model_path, "--format", "json").stdout)
    assert len(rows) == len(doc["transfers"]) + len(doc["possible_transfers"]) > 0
    # every formula-looking name is there, quoted, never altered otherwise
    names = {row["exporter_name"] for row in rows} | {row["recipient_name"] for row in rows}
    for t in doc["transfers"]:
        for name in (t["exporter"]["name"], t["recipient"]["name"]):
            shown = "'" + name if name.startswith(FORMULA_START) else name
            assert shown in names, (name, names)


def test_transfers_json_is_valid_and_exact(model_path: Path) -> None:
    r = cli("transfers", model_path, "--format", "json")
    assert r.code == 0
    doc = json.loads(r.stdout)
    data = yaml.safe_load(model_path.read_text("utf-8"))
    names = {e["name"] for e in data["entities"].values()}
    seen = {t[k]["name"] for t in doc["transfers"] for k in ("exporter", "recipient")}
    assert seen and seen <= names, "entity names must come back exactly as written"


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_check_json_and_sarif_are_valid(model_path: Path, fmt: str) -> None:
    r = cli("check", model_path, "--format", fmt)
    assert r.code in (0, 1), r.stderr
    doc = json.loads(r.stdout)
    if fmt == "sarif":
        assert doc["version"] == "2.1.0"
        for res in doc["runs"][0]["results"]:
            assert isinstance(res["message"]["text"], str) and res["ruleId"]


def test_validate_json_with_hostile_unknown_references(tmp_path: Path) -> None:
    data = hostile_model(0)
    for i, (_fid, f) in enumerate(data["flows"].items()):
        f["to"] = HOSTILE[i]  # unknown ids built to break things: the diagnostics quote them
    r = cli("validate", write_model(tmp_path, data), "--format", "json")
    assert r.code == 2
    doc = json.loads(r.stdout)
    assert any(HOSTILE[0] in d["message"] for d in doc["diagnostics"])


# ----------------------------------------------------------------------------- diagrams


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")
@pytest.mark.parametrize("view", ["overview", "transfers", "system:app"])
def test_dot_is_accepted_by_graphviz(model_path: Path, view: str) -> None:
    needs("diagram")
    r = cli("diagram", model_path, "--view", view, "--format", "dot")
    assert r.code == 0, r.stderr
    assert dot_problems(r.stdout) == []


def test_svg_has_no_active_content(model_path: Path, tmp_path: Path) -> None:
    needs("diagram")
    if shutil.which("dot") is None:
        pytest.skip("Graphviz `dot` is not installed")
    out = tmp_path / "d.svg"
    r = cli("diagram", model_path, "-o", out)
    assert r.code == 0, r.stderr
    assert svg_problems(out.read_bytes()) == []
    assert b"&lt;script&gt;" in out.read_bytes() or b"alert" not in out.read_bytes()


def test_mermaid_labels_hold(model_path: Path) -> None:
    needs("diagram")
    r = cli("diagram", model_path, "--view", "transfers", "--format", "mmd")
    assert r.code == 0, r.stderr
    lines = r.text.splitlines()
    if lines and lines[0] == "---":  # front matter: the title is one JSON-quoted YAML string
        end = lines.index("---", 1)
        for line in lines[1:end]:
            key, _, value = line.partition(": ")
            assert key == "title" and isinstance(json.loads(value), str), line
        lines = lines[end + 1:]
    for line in lines:
        # a label is one quoted string on its line: user quotes, brackets, pipes and newlines
        # must not end it early, start a new statement or open markup
        assert line.count('"') % 2 == 0, line
        for label in re.findall(r'"([^"]*)"', line):
            assert not set(label.replace("<br/>", "")) & set("<>`"), line


# ----------------------------------------------------------------------------- documents


def _templates() -> list[str]:
    if "report" not in COMMANDS:
        return []
    r = cli("report", "--list")
    return [ln.split()[0] for ln in r.text.splitlines()[1:] if ln and not ln.startswith(" ")
            and not ln.startswith("A custom")]


TEMPLATES = _templates()


@pytest.mark.parametrize("template", TEMPLATES or ["(none)"])
def test_report_documents_render_user_text_as_text(model_path: Path, tmp_path: Path,
                                                   template: str) -> None:
    needs("report")
    out = tmp_path / "docs"
    r = cli("report", model_path, "-t", template, "--format", "all", "-o", out)
    assert r.code == 0, (r.stderr, r.exception)
    files = list(all_files(out))
    assert files
    problems = {f.name: file_problems(f) for f in files}
    assert {k: v for k, v in problems.items() if v} == {}


def test_build_folder_renders_user_text_as_text(model_path: Path, tmp_path: Path) -> None:
    needs("build")
    out = tmp_path / "out"
    r = cli("build", model_path, "-o", out)
    assert r.code in (0, 1), (r.stderr, r.exception)
    files = list(all_files(out))
    assert any(f.suffix == ".html" for f in files)
    problems = {str(f.relative_to(out)): file_problems(f) for f in files}
    assert {k: v for k, v in problems.items() if v} == {}
    for f in files:
        assert out.resolve() in f.resolve().parents


# ----------------------------------------------------------------------------- terminal output

TERMINAL_HOSTILE = "Evil\x1b[2J\x1b[31mFAKE\nerror: none\u202eRTL"


def _terminal_model(tmp: Path) -> Path:
    data = hostile_model(0)
    data["entities"]["evil-us"]["name"] = TERMINAL_HOSTILE
    data["flows"]["f1"]["purpose"] = "p\x1b]0;title\x07\nok: all transfers approved"
    data["waivers"] = {}
    return write_model(tmp, data)


def _terminal_problems(text: str) -> list[str]:
    out = []
    if "\x1b" in text or "\x07" in text:
        out.append("raw ESC/BEL from user text (terminal escape injection)")
    if "\u202e" in text:
        out.append("raw bidi override from user text")
    if any(line.startswith(("error: none", "ok: all")) for line in text.splitlines()):
        out.append("a name's newline forged an output line")
    return out


@pytest.mark.parametrize("command", [("transfers",), ("validate",)])
def test_terminal_output_neutralises_control_characters(tmp_path: Path,
                                                        command: tuple[str, ...]) -> None:
    path = _terminal_model(tmp_path)
    r = cli(*command, path)
    assert _terminal_problems(r.text + r.stderr.decode("utf-8", "replace")) == []


def test_check_human_output_neutralises_control_characters(tmp_path: Path) -> None:
    r = cli("check", _terminal_model(tmp_path))
    assert _terminal_problems(r.text) == []


# ----------------------------------------------------------------------------- output paths


@pytest.mark.parametrize("bad_id", ["../../x", "..", "a/b", "/etc/passwd", ".hidden", "A",
                                    "x\\y", "x y", "x\x00y"])
def test_ids_that_could_escape_a_folder_are_refused(tmp_path: Path, bad_id: str) -> None:
    data = hostile_model(0)
    data["entities"][bad_id] = data["entities"].pop("evil-us")
    for s in data["systems"].values():
        if s["operator"] == "evil-us":
            s["operator"] = bad_id
    path = write_model(tmp_path / "m", data)
    r = cli("validate", path, "--format", "json")
    assert r.code == 2
    codes = {d["code"] for d in json.loads(r.stdout)["diagnostics"]}
    assert "DF204" in codes or "DF103" in codes, codes
    if "build" in COMMANDS:
        out = tmp_path / "deep" / "out"
        r = cli("build", path, "-o", out)
        assert r.code == 2
        assert not out.exists() and not (tmp_path / "x").exists()


def _long_id_model(tmp: Path, a: str, b: str) -> Path:
    """Two US recipients of GDPR SCC transfers whose ids differ only after 80 characters."""
    data = hostile_model(0)
    for rid, label in ((a, "A"), (b, "B")):
        data["entities"][rid] = {"name": f"Recipient {label}", "jurisdiction": "US"}
        data["systems"][f"crm-{label.lower()}"] = {"operator": rid, "location": "US",
                                                   "kind": "saas"}
        data["flows"][f"to-{label.lower()}"] = {
            "from": "eu-app", "to": f"crm-{label.lower()}", "categories": ["user.contact.email"],
            "cohorts": ["eu-users"], "recipient_role": "processor"}
        data["safeguards"][f"scc-{label.lower()}"] = {"mechanism": "gdpr.scc", "module": 2,
                                                      "exporter": "eu-co", "recipients": [rid]}
    return write_model(tmp, data)


LONG_A, LONG_B = "r" * 90 + "-a", "r" * 90 + "-b"


def _documents_for(folder: Path, template: str) -> dict[str, list[Path]]:
    """recipient label found in each document of ``template`` -> files."""
    out: dict[str, list[Path]] = {"A": [], "B": []}
    for f in all_files(folder):
        if f.name.startswith(template):
            text = f.read_text("utf-8", "replace")
            for label in ("A", "B"):
                if f"Recipient {label}" in text:
                    out[label].append(f)
    return out


def test_report_keeps_one_file_per_document_with_long_ids(tmp_path: Path) -> None:
    needs("report")
    path = _long_id_model(tmp_path / "m", LONG_A, LONG_B)
    out = tmp_path / "docs"
    r = cli("report", path, "-t", "gdpr-tia", "--format", "all", "-o", out)
    assert r.code == 0, r.stderr
    found = _documents_for(out, "gdpr-tia")
    assert all(f.suffix in (".md", ".html") for f in all_files(out))
    assert len(found["A"]) == 2 and len(found["B"]) == 2, found


def test_build_keeps_one_file_per_document_with_long_ids(tmp_path: Path) -> None:
    needs("build")
    path = _long_id_model(tmp_path / "m", LONG_A, LONG_B)
    out = tmp_path / "out"
    r = cli("build", path, "-o", out)
    assert r.code in (0, 1), r.stderr
    for template in ("gdpr-tia", "gdpr-scc-annexes"):
        found = _documents_for(out / "documents", template)
        assert found["A"] and found["B"], (template, found)
        assert not set(found["A"]) & set(found["B"])


def test_short_similar_ids_do_not_collide(tmp_path: Path) -> None:
    """Ids that differ only by a trailing '-' or '.' (both valid) keep separate documents."""
    needs("report")
    path = _long_id_model(tmp_path / "m", "recv", "recv-")
    out = tmp_path / "docs"
    r = cli("report", path, "-t", "gdpr-tia", "--format", "md", "-o", out)
    assert r.code == 0, r.stderr
    found = _documents_for(out, "gdpr-tia")
    assert len(found["A"]) == 1 and len(found["B"]) == 1 and found["A"] != found["B"], found


def test_safe_name_keeps_short_ids_and_hashes_cut_ones() -> None:
    from dataflow.render.documents import safe_file_name, safe_name
    assert safe_name("eu-co") == "eu-co" and safe_name("a" * 80) == "a" * 80
    a, b = safe_name("x" * 100 + "-a"), safe_name("x" * 100 + "-b")
    assert len(a) == len(b) == 80 and a != b and a[:71] == "x" * 71
    assert a == safe_name("x" * 100 + "-a")  # stable
    assert safe_name("recv-") != safe_name("recv") == "recv"
    assert safe_name("") == "_" and "/" not in safe_name("../../etc")
    assert safe_file_name("gdpr-tia_" + "r" * 150 + ".html").endswith("r.html")
    long_name = safe_file_name("t_" + "r" * 300 + ".md")
    assert long_name.endswith(".md") and len(long_name) == 203
    assert safe_file_name("transfer-inventory.xlsx") == "transfer-inventory.xlsx"


def test_report_keeps_documents_of_ids_sharing_100_characters(tmp_path: Path) -> None:
    needs("report")
    path = _long_id_model(tmp_path / "m", "q" * 100 + "-a", "q" * 100 + "-b")
    out = tmp_path / "docs"
    r = cli("report", path, "-t", "gdpr-tia", "--format", "md", "-o", out)
    assert r.code == 0, r.stderr
    found = _documents_for(out, "gdpr-tia")
    assert len(found["A"]) == 1 and len(found["B"]) == 1 and found["A"] != found["B"], found


def test_report_refuses_two_documents_in_one_file(tmp_path: Path) -> None:
    from dataflow.cli.report_cmd import write_files
    from dataflow.render.documents import RenderedFile, ReportError
    files = [RenderedFile(n, "md", b"x", "t", "en") for n in ("doc_a.md", "doc_A.md")]
    with pytest.raises(ReportError, match="one file"):
        write_files(files, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_build_refuses_two_outputs_in_one_file(tmp_path: Path) -> None:
    from dataflow.build import BuildError, OutputFile, write_folder
    files = [OutputFile(p, b"x", "document", "l", "g") for p in ("documents/a.md",
                                                                    "documents/A.md")]
    with pytest.raises(BuildError, match="one file"):
        write_folder(files, tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


# ----------------------------------------------------------------------------- atomic writes


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".")
                  or p.name.endswith((".tmp", ".old")))


class Boom(OSError):
    pass


def test_output_file_survives_a_failed_replace(model_path: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "transfers.json"
    target.write_text("OLD", encoding="utf-8")

    def fail(*a: Any, **k: Any) -> None:
        raise Boom(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    r = cli("transfers", model_path, "--format", "json", "-o", target, catch=True)
    assert r.code != 0
    assert target.read_text("utf-8") == "OLD"
    assert _leftovers(tmp_path) == []


def test_output_file_survives_a_write_failing_half_way(model_path: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "check.sarif"
    target.write_text("OLD", encoding="utf-8")
    real_fdopen = os.fdopen

    class HalfFile(io.RawIOBase):
        def __init__(self, fh: Any) -> None:
            self.fh = fh

        def write(self, data: Any) -> int:
            self.fh.write(bytes(data)[: len(data) // 2])
            self.fh.flush()
            raise Boom(28, "No space left on device")

        def __enter__(self) -> HalfFile:
            return self

        def __exit__(self, *a: Any) -> None:
            self.fh.close()

    monkeypatch.setattr(os, "fdopen", lambda fd, *a, **k: HalfFile(real_fdopen(fd, *a, **k)))
    r = cli("check", model_path, "--format", "sarif", "-o", target, catch=True)
    assert r.code != 0
    assert target.read_text("utf-8") == "OLD"
    assert _leftovers(tmp_path) == []


def test_report_folder_keeps_old_files_when_a_write_fails(model_path: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    needs("report")
    out = tmp_path / "docs"
    assert cli("report", model_path, "-t", "transfer-inventory", "-o", out).code == 0
    before = {p.name: p.read_bytes() for p in all_files(out)}
    for p in out.iterdir():
        p.write_bytes(b"OLD " + p.name.encode())
    real = os.replace
    calls = {"n": 0}

    def flaky(src: Any, dst: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise Boom(5, "I/O error")
        real(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    r = cli("report", model_path, "-t", "transfer-inventory", "-o", out, catch=True)
    assert r.code != 0
    after = {p.name: p.read_bytes() for p in all_files(out)}
    assert set(after) == set(before), "no file appears or disappears"
    new = [n for n, d in after.items() if d == before[n]]
    old = [n for n, d in after.items() if d == b"OLD " + n.encode()]
    assert len(new) == 1 and len(old) == len(before) - 1, (new, old)  # whole files only
    assert _leftovers(out) == []


def _build_twice(model_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                 patch: Any) -> tuple[dict[str, bytes], Path, Out]:
    out = tmp_path / "out"
    assert cli("build", model_path, "-o", out).code in (0, 1)
    (out / "transfers.json").write_bytes(b"OLD BUILD")
    before = {str(p.relative_to(out)): p.read_bytes() for p in all_files(out)}
    patch()
    r = cli("build", model_path, "-o", out, catch=True)
    monkeypatch.undo()
    return before, out, r


def test_build_failing_half_way_leaves_the_previous_build(model_path: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    needs("build")
    real = Path.write_bytes
    calls = {"n": 0}

    def flaky(self: Path, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] == 5:
            raise Boom(28, "No space left on device")
        return real(self, data)

    before, out, r = _build_twice(model_path, tmp_path, monkeypatch,
                                  lambda: monkeypatch.setattr(Path, "write_bytes", flaky))
    assert calls["n"] >= 5 and r.code != 0
    after = {str(p.relative_to(out)): p.read_bytes() for p in all_files(out)}
    assert after == before
    assert _leftovers(tmp_path) == []


def test_build_failing_at_the_swap_restores_the_previous_build(
        model_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    needs("build")
    real = os.rename

    def flaky(src: Any, dst: Any) -> None:
        if str(src).endswith(".tmp"):
            raise Boom(5, "I/O error")
        real(src, dst)

    before, out, r = _build_twice(model_path, tmp_path, monkeypatch,
                                  lambda: monkeypatch.setattr(os, "rename", flaky))
    assert r.code != 0
    after = {str(p.relative_to(out)): p.read_bytes() for p in all_files(out)}
    assert after == before
    assert _leftovers(tmp_path) == []


def test_diagram_image_survives_a_graphviz_failure(model_path: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    needs("diagram")
    import importlib

    diagram_cmd = importlib.import_module("dataflow.cli.diagram_cmd")  # the module, not the command

    target = tmp_path / "d.svg"
    target.write_bytes(b"OLD")

    def fail(*a: Any, **k: Any) -> bytes:
        raise Boom(5, "dot crashed")

    monkeypatch.setattr(diagram_cmd, "render_image", fail)
    r = cli("diagram", model_path, "-o", target, catch=True)
    assert r.code != 0
    assert target.read_bytes() == b"OLD"
    assert not any(p.name.endswith(".tmp") or p.name.startswith(".") for p in tmp_path.iterdir())


