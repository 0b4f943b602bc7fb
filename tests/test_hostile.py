"""Hostile files through the CLI: each answers exit 2 with ONE clear diagnostic (code and
position) — or, for inputs that are legitimate (BOM, CRLF, long lines, big lists), is accepted —
within bounded time and memory, and never prints a traceback.

Every case runs ``python -m dataflow validate`` in a fresh process under a small wrapper that
reports the child's wall time, CPU time (user+sys) and peak RSS (``getrusage(RUSAGE_CHILDREN)``)
and caps its address space. Bounds (see docs/limits.md): CPU < 5 s and peak RSS < 500 MB per
case; wall time < 30 s only catches hangs, because a shared 2-core CI box can be busy. Set
``DATAFLOW_HOSTILE_REPORT=path.jsonl`` to append every measurement to a file (docs/limits.md
quotes such a run).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent

CPU_LIMIT_S = 5.0
RSS_LIMIT_MB = 500.0
WALL_LIMIT_S = 30.0
ADDRESS_SPACE_CAP = 3 * 1024**3  # a runaway case dies with MemoryError instead of swapping

_WRAPPER = r"""
import json, os, resource, subprocess, sys, time
args, cap, timeout, out, err = json.loads(sys.argv[1])
def limit():
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
t0 = time.perf_counter()
with open(out, "wb") as o, open(err, "wb") as e:
    try:
        rc = subprocess.run(args, stdout=o, stderr=e, timeout=timeout, preexec_fn=limit).returncode
        timed_out = False
    except subprocess.TimeoutExpired:
        rc, timed_out = None, True
wall = time.perf_counter() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": rc, "timed_out": timed_out, "wall": wall,
                  "cpu": ru.ru_utime + ru.ru_stime, "rss_mb": ru.ru_maxrss / 1024}))
"""


@dataclass
class Run:
    rc: int | None
    timed_out: bool
    wall: float
    cpu: float
    rss_mb: float
    stdout: str
    stderr: str

    def json(self) -> dict[str, Any]:
        return json.loads(self.stdout)

    def errors(self) -> list[dict[str, Any]]:
        return [d for d in self.json()["diagnostics"] if d["severity"] == "error"]


def run_cli(args: list[str], tmp: Path, *, timeout: float = WALL_LIMIT_S,
            cwd: Path | None = None, label: str = "") -> Run:
    out, err = tmp / "cli.out", tmp / "cli.err"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    payload = json.dumps([[sys.executable, "-m", "dataflow", *args], ADDRESS_SPACE_CAP, timeout,
                          str(out), str(err)])
    proc = subprocess.run([sys.executable, "-c", _WRAPPER, payload], capture_output=True,
                          text=True, cwd=cwd or tmp, env=env, timeout=timeout + 60)
    assert proc.returncode == 0, proc.stderr
    m = json.loads(proc.stdout)
    run = Run(m["rc"], m["timed_out"], m["wall"], m["cpu"], m["rss_mb"],
              out.read_text("utf-8", "replace")[:50_000_000],
              err.read_text("utf-8", "replace")[:2_000_000])
    report = os.environ.get("DATAFLOW_HOSTILE_REPORT")
    if report and label:
        with open(report, "a", encoding="utf-8") as fh:
            first = None
            if run.rc is not None and run.stdout.lstrip().startswith("{"):
                errs = run.errors()
                if errs:
                    d = errs[0]
                    first = f"{d['code']} {d['line']}:{d['col']} {d['message'][:90]}"
            fh.write(json.dumps({"case": label, "rc": run.rc, "timed_out": run.timed_out,
                                 "wall": round(run.wall, 2), "cpu": round(run.cpu, 2),
                                 "rss_mb": round(run.rss_mb), "first_error": first},
                                ensure_ascii=False) + "\n")
    return run


def assert_bounded(run: Run, *, cpu: float = CPU_LIMIT_S, rss: float = RSS_LIMIT_MB) -> None:
    assert not run.timed_out, f"no answer within {WALL_LIMIT_S} s (a hang)"
    assert "Traceback" not in run.stderr and "Traceback" not in run.stdout[:100_000], run.stderr
    assert run.cpu < cpu, f"took {run.cpu:.1f} s of CPU (bound {cpu} s)"
    assert run.rss_mb < rss, f"peaked at {run.rss_mb:.0f} MB (bound {rss} MB)"


def assert_one_error(run: Run, code: str, *, positioned: bool = True) -> dict[str, Any]:
    assert_bounded(run)
    assert run.rc == 2, (run.rc, run.stderr[-2000:])
    errors = run.errors()
    assert [d["code"] for d in errors] == [code], [
        f"{d['code']} {d['line']}:{d['col']} {d['message'][:200]}" for d in errors[:10]]
    d = errors[0]
    assert d["file"], d
    if positioned:
        assert d["line"] and d["col"], d
    return d


# ----------------------------------------------------------------------------- the cases


def laughs(n: int = 9) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, n + 1)]
    return "model: {name: lol, evaluation_date: 2026-01-01}\n" + "\n".join(lines) + "\n"


HEAD = "model: {name: x, evaluation_date: 2026-01-01}\n"
VALID = HEAD + """entities:
  acme: {jurisdiction: CN}
systems:
  a: {operator: acme, location: CN, kind: service}
  b: {operator: acme, location: CN, kind: service}
flows:
  f: {from: a, to: b, categories: [user.contact]}
"""


@dataclass(frozen=True)
class Case:
    name: str
    write: Callable[[Path], Path]  # builds the input in a temp folder, returns the path to load
    code: str
    positioned: bool = True
    args: tuple[str, ...] = ()
    where: tuple[int, int] | None = None  # expected (line, col)


def _file(name: str, content: str | bytes) -> Callable[[Path], Path]:
    def write(tmp: Path) -> Path:
        p = tmp / name
        p.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return p
    return write


def _sparse(size: int, name: str = "big.yaml") -> Callable[[Path], Path]:
    def write(tmp: Path) -> Path:
        p = tmp / name
        with open(p, "wb") as fh:  # sparse: no disk space used, st_size says 200 MB
            fh.truncate(size)
        return p
    return write


def _streamed(size: int) -> Callable[[Path], Path]:
    """A real (non-sparse) file of ``size`` bytes of valid YAML comments, written in chunks."""
    def write(tmp: Path) -> Path:
        p = tmp / "big-real.yaml"
        line = b"# " + b"x" * 1021 + b"\n"
        with open(p, "wb") as fh:
            fh.write(HEAD.encode())
            for _ in range(size // len(line)):
                fh.write(line)
        return p
    return write


def _deep_seq(depth: int) -> str:
    return "model: " + "[" * depth + "]" * depth + "\n"


def _deep_map(depth: int) -> str:
    return "model: " + "{a: " * depth + "x" + "}" * depth + "\n"


LONG = 10 * 1024 * 1024
CASES = [
    Case("billion-laughs", _file("laughs.yaml", laughs()), "DF106", where=(5, 38)),
    Case("deep-10k-sequences", _file("deep.yaml", _deep_seq(10_000)), "DF107", where=(1, 71)),
    Case("deep-100k-sequences", _file("deep.yaml", _deep_seq(100_000)), "DF107", where=(1, 71)),
    Case("deep-10k-mappings", _file("deep.yaml", _deep_map(10_000)), "DF107"),
    Case("file-200MB-sparse", _sparse(200 * 1024**2), "DF101", positioned=False),
    Case("max-file-size-1M", _streamed(2 * 1024**2), "DF101", positioned=False,
         args=("--max-file-size", "1M")),
    Case("invalid-utf8", _file("bad.yaml", HEAD.encode() + b"entities:\n  acme: {name: \xff\xfe, "
                               b"jurisdiction: CN}\n"), "DF102", where=(3, 16)),
    Case("utf16-file", _file("utf16.yaml", HEAD.encode("utf-16")), "DF102"),
    Case("tab-indentation", _file("tabs.yaml", HEAD + "entities:\n\tacme: {jurisdiction: CN}\n"),
         "DF103", where=(3, 1)),
    Case("nul-byte", _file("nul.yaml", HEAD.encode() + b"entities:\n  ac\x00me: {}\n"), "DF103",
         where=(3, 5)),
    Case("control-character", _file("ctl.yaml", HEAD + "entities:\n  acme: {name: a\x1bb}\n"),
         "DF103", where=(3, 17)),
    Case("python-object-apply", _file("py.yaml", HEAD + "entities: !!python/object/apply:"
                                      "os.system ['touch pwned']\n"), "DF105", where=(2, 11)),
    Case("python-name-as-key", _file("py.yaml", HEAD + "entities:\n  ? !!python/name:os.system\n"
                                     "  : {}\n"), "DF105", where=(3, 5)),
    Case("python-object-new", _file("py.yaml", HEAD + "x: !!python/object/new:os.system "
                                    "[touch pwned]\n"), "DF105", where=(2, 4)),
    Case("yaml-binary-tag", _file("bin.yaml", HEAD + "x: !!binary aGVsbG8=\n"), "DF105",
         where=(2, 4)),
    Case("two-documents", _file("docs.yaml", HEAD + "---\n" + HEAD), "DF108", where=(2, 1)),
    Case("duplicate-key", _file("dup.yaml", HEAD + "entities:\n  acme: {jurisdiction: CN}\n"
                                "  acme: {jurisdiction: US}\n"), "DF104", where=(4, 3)),
    Case("long-line-10MB", _file("long.yaml", "model: {name: " + "x" * LONG
                                 + ", evaluation_date: 2026-01-01, bogus: 1}\n"), "DF200",
         where=(1, LONG + 46)),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_file(tmp_path: Path, case: Case) -> None:
    path = case.write(tmp_path)
    run = run_cli(["validate", "--format", "json", str(path), *case.args], tmp_path,
                  label=case.name)
    d = assert_one_error(run, case.code, positioned=case.positioned)
    if case.where is not None:
        # libyaml >= 0.2.6 (PyYAML 6.0.4 wheels) bounds flow nesting itself at 1,000 levels while
        # scanning ahead of our events, so it may stop first: the same DF107, a later column
        if case.code == "DF107" and d["col"] == 1007:
            return
        assert (d["line"], d["col"]) == case.where, d
    assert not (tmp_path / "pwned").exists()


@pytest.mark.parametrize("case", [c for c in CASES if c.name in (
    "billion-laughs", "deep-100k-sequences", "file-200MB-sparse", "invalid-utf8",
    "python-object-apply", "long-line-10MB")], ids=lambda c: c.name)
def test_hostile_file_human_output(tmp_path: Path, case: Case) -> None:
    """The terminal format too: exit 2, one error line with its code, no traceback, and never
    the 10 MB source line echoed back."""
    path = case.write(tmp_path)
    run = run_cli(["validate", str(path), *case.args], tmp_path)
    assert_bounded(run)
    assert run.rc == 2
    lines = [ln for ln in run.stdout.splitlines() if " error " in ln]
    assert len(lines) == 1 and case.code in lines[0], run.stdout[:3000]
    assert len(run.stdout) < 10_000, "the human output echoes a huge line"


def test_200mb_file_with_a_raised_limit(tmp_path: Path) -> None:
    """--max-file-size 300M lets a 200 MB file through: it is read (one copy of the bytes, one
    of the text), refused at its first NUL byte. Looser bounds: this is the user's choice."""
    path = _sparse(200 * 1024**2)(tmp_path)
    run = run_cli(["validate", "--format", "json", "--max-file-size", "300M", str(path)],
                  tmp_path, label="file-200MB-sparse --max-file-size 300M")
    assert_bounded(run, cpu=20, rss=1200)
    assert run.rc == 2 and [d["code"] for d in run.errors()] == ["DF103"]


# ----------------------------------------------------------------------------- accepted inputs


def test_bom_is_accepted(tmp_path: Path) -> None:
    p = _file("bom.yaml", b"\xef\xbb\xbf" + VALID.encode())(tmp_path)
    run = run_cli(["validate", "--format", "json", str(p)], tmp_path, label="bom")
    assert_bounded(run)
    assert run.rc == 0 and run.json()["valid"], run.stdout


def test_bom_does_not_shift_columns(tmp_path: Path) -> None:
    p = _file("bom.yaml", b"\xef\xbb\xbf" + b"model: {name: x, evaluation_date: 2026-01-01, "
              b"bogus: 1}\n")(tmp_path)
    d = assert_one_error(run_cli(["validate", "--format", "json", str(p)], tmp_path), "DF200")
    assert (d["line"], d["col"]) == (1, 47), d


def test_crlf_is_accepted(tmp_path: Path) -> None:
    p = _file("crlf.yaml", VALID.replace("\n", "\r\n").encode())(tmp_path)
    run = run_cli(["validate", "--format", "json", str(p)], tmp_path, label="crlf")
    assert_bounded(run)
    assert run.rc == 0 and run.json()["valid"], run.stdout


def test_crlf_positions_count_lines_once(tmp_path: Path) -> None:
    text = VALID.replace("kind: service}\n  b:", "kind: servce}\n  b:", 1).replace("\n", "\r\n")
    p = _file("crlf.yaml", text.encode())(tmp_path)
    d = assert_one_error(run_cli(["validate", "--format", "json", str(p)], tmp_path), "DF202")
    assert d["line"] == 5, d


def test_mixed_bom_crlf_and_cjk(tmp_path: Path) -> None:
    text = VALID.replace("{jurisdiction: CN}", "{name: 杭州阿克米科技有限公司, jurisdiction: CN}")
    p = _file("mixed.yaml", b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())(tmp_path)
    run = run_cli(["validate", "--format", "json", str(p)], tmp_path)
    assert_bounded(run)
    assert run.rc == 0, run.stdout


def test_long_valid_line_is_accepted(tmp_path: Path) -> None:
    p = _file("long.yaml", "model: {name: " + "x" * LONG + ", evaluation_date: 2026-01-01}\n"
              )(tmp_path)
    run = run_cli(["validate", "--format", "json", str(p)], tmp_path, label="long-line-10MB valid")
    assert_bounded(run)
    assert run.rc == 0, run.stdout[:2000]


def _million_list(tmp: Path) -> Path:
    items = ",".join(["user.contact"] * 1_000_000)
    return _file("million.yaml", VALID.replace("categories: [user.contact]",
                                               f"categories: [{items}]"))(tmp)


def test_million_element_flow_list(tmp_path: Path) -> None:
    """A flow whose category list has 1,000,000 (repeated, valid) entries: accepted."""
    run = run_cli(["validate", "--format", "json", str(_million_list(tmp_path))], tmp_path,
                  label="1M-element flow list (valid)")
    assert_bounded(run)
    assert run.rc == 0, run.stdout[:2000]


# ----------------------------------------------------------------------------- folders


def test_symlink_loops_in_a_model_folder(tmp_path: Path) -> None:
    """Directory loops are not followed by the folder walk; a file symlink that points at itself
    is one DF100."""
    root = tmp_path / "model"
    root.mkdir()
    (root / "m.yaml").write_text(VALID, encoding="utf-8")
    (root / "sub").mkdir()
    os.symlink("..", root / "sub" / "up")
    os.symlink(".", root / "self-dir")
    os.symlink("loop-b.yaml", root / "loop-a.yaml")
    os.symlink("loop-a.yaml", root / "loop-b.yaml")
    run = run_cli(["validate", "--format", "json", str(root)], tmp_path, label="symlink loops")
    assert_bounded(run)
    assert run.rc == 2
    errors = run.errors()
    assert {d["code"] for d in errors} == {"DF100"}, errors
    assert sorted(Path(d["file"]).name for d in errors) == ["loop-a.yaml", "loop-b.yaml"]


def test_directory_loops_alone_are_harmless(tmp_path: Path) -> None:
    root = tmp_path / "model"
    root.mkdir()
    (root / "m.yaml").write_text(VALID, encoding="utf-8")
    os.symlink(".", root / "a")
    os.symlink(".", root / "b")
    os.symlink("..", root / "c")
    run = run_cli(["validate", "--format", "json", str(root)], tmp_path)
    assert_bounded(run)
    assert run.rc == 0, run.stdout


def _include_folder(tmp: Path, include: list[str], roots: list[str] | None = None) -> Path:
    root = tmp / "model"
    root.mkdir()
    (tmp / "outside").mkdir()
    (tmp / "outside" / "secret.yaml").write_text("entities:\n  evil: {jurisdiction: US}\n",
                                                 encoding="utf-8")
    text = VALID + f"include: {json.dumps(include)}\n"
    if roots:
        text += f"include_roots: {json.dumps(roots)}\n"
    (root / "dataflow.yaml").write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize("pattern", ["../outside/*.yaml", "../**/*.yaml", "{abs}/outside/*.yaml",
                                     "link/*.yaml"])
def test_include_escaping_the_model_folder(tmp_path: Path, pattern: str) -> None:
    root = _include_folder(tmp_path, [pattern.format(abs=tmp_path)])
    os.symlink(tmp_path / "outside", root / "link")
    run = run_cli(["validate", "--format", "json", str(root)], tmp_path,
                  label=f"include {pattern.format(abs='/abs')}")
    d = assert_one_error(run, "DF111")
    assert "outside the model folder" in d["message"] and d["line"] == 9, d


def test_include_roots_allow_an_outside_folder(tmp_path: Path) -> None:
    root = _include_folder(tmp_path, ["../outside/*.yaml"], roots=["../outside"])
    run = run_cli(["validate", "--format", "json", str(root)], tmp_path)
    assert_bounded(run)
    assert run.rc == 0, run.stdout


@pytest.mark.parametrize("loops", [1, 2])
def test_include_glob_with_symlink_loops(tmp_path: Path, loops: int) -> None:
    root = tmp_path / "model"
    root.mkdir()
    (root / "dataflow.yaml").write_text(HEAD + 'include: ["**/*.yaml"]\n', encoding="utf-8")
    (root / "parties.yaml").write_text("entities:\n  acme: {jurisdiction: CN}\n",
                                       encoding="utf-8")
    for name in "ab"[:loops]:
        os.symlink(".", root / name)
    run = run_cli(["validate", "--format", "json", str(root)], tmp_path, timeout=15,
                  label=f"include ** with {loops} symlink loop(s)")
    assert_bounded(run)
    # the loops add nothing: each file is read once
    errors = run.errors()
    assert run.rc == 0, [d["message"][:150] for d in errors[:5]]


def _loaded_files(root: Path) -> list[str]:
    from dataflow.loader import load_raw
    raw = load_raw(root)
    assert not [d for d in raw.diagnostics if d.severity == "error"], raw.diagnostics
    return [os.path.relpath(f, root) for f in raw.files]


def test_include_glob_reads_each_real_file_once(tmp_path: Path) -> None:
    """Loops, a second name for a folder and a symlink to a file: each real file once, under
    its own (not its symlinked) name, and the root file never a second time."""
    root = tmp_path / "model"
    (root / "teams").mkdir(parents=True)
    (root / "dataflow.yaml").write_text(HEAD + 'include: ["**/*.yaml", "teams/*.yaml"]\n',
                                        encoding="utf-8")
    (root / "teams" / "app.yaml").write_text("entities:\n  acme: {jurisdiction: CN}\n",
                                             encoding="utf-8")
    os.symlink(".", root / "a")
    os.symlink("..", root / "teams" / "up")
    os.symlink("teams", root / "alias")
    os.symlink("teams/app.yaml", root / "app-link.yaml")
    assert sorted(_loaded_files(root)) == ["dataflow.yaml", "teams/app.yaml"]


def test_include_symlink_to_a_file_inside_is_included(tmp_path: Path) -> None:
    root = tmp_path / "model"
    (root / "real").mkdir(parents=True)
    (root / "dataflow.yaml").write_text(HEAD + 'include: ["parts/*.yaml"]\n', encoding="utf-8")
    (root / "real" / "app.yaml").write_text("entities:\n  acme: {jurisdiction: CN}\n",
                                            encoding="utf-8")
    (root / "parts").mkdir()
    os.symlink("../real/app.yaml", root / "parts" / "app.yaml")
    assert _loaded_files(root) == ["dataflow.yaml", "parts/app.yaml"]


def test_include_glob_keeps_glob_semantics(tmp_path: Path) -> None:
    """`**` matches zero folders, `*` skips hidden names, a `.`-pattern reaches them, and the
    model folder's own name may hold glob characters."""
    root = tmp_path / "m[1]"
    (root / "a" / "b").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "dataflow.yaml").write_text(
        HEAD + 'include: ["**/x.yaml", ".hidden/*.yaml", "a/*/*.yml"]\n', encoding="utf-8")
    for rel, eid in (("x.yaml", "e1"), ("a/x.yaml", "e2"), ("a/b/x.yaml", "e3"),
                     (".hidden/x.yaml", "e4"), ("a/b/y.yml", "e5"), (".hidden/b/x.yaml", "e6")):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(f"entities:\n  {eid}: {{jurisdiction: CN}}\n", encoding="utf-8")
    assert sorted(_loaded_files(root)) == [".hidden/x.yaml", "a/b/x.yaml", "a/b/y.yml",
                                           "a/x.yaml", "dataflow.yaml", "x.yaml"]


def test_include_problems_are_capped(tmp_path: Path) -> None:
    from dataflow import validate_model
    globs = [f"missing-{i}.yaml" for i in range(100)] + ["again.yaml"] * 5
    p = _file("inc.yaml", HEAD + f"include: {json.dumps(globs)}\n")(tmp_path)
    diags = [d for d in validate_model(p).diagnostics if d.code == "DF111"]
    assert [d.message for d in diags[:2]] == ["include pattern 'missing-0.yaml' matches no YAML "
                                              "file", "include pattern 'missing-1.yaml' matches "
                                              "no YAML file"]
    assert len(diags) == 21 and all(d.line == 2 for d in diags), diags
    last = diags[-1]
    assert last.message == "… and 81 more DF111 (include-problem) in include (not shown)", last
    assert last.severity == "error" and last.col == diags[19].col + 19  # at "missing-20.yaml"
    p.write_text(HEAD + f"include: {json.dumps(['again.yaml'] * 5)}\n", encoding="utf-8")
    diags = validate_model(p).diagnostics
    assert [d.message for d in diags] == [
        "include pattern 'again.yaml' matches no YAML file (listed 5 times)"]


# ----------------------------------------------------------------------------- known bugs


def test_huge_integer(tmp_path: Path) -> None:
    p = _file("huge.yaml", HEAD + "cohorts:\n  users: {count: " + "9" * 100_000 + "}\n")(tmp_path)
    run = run_cli(["validate", "--format", "json", str(p)], tmp_path, label="huge integer")
    assert_one_error(run, run.errors()[0]["code"] if run.rc == 2 else "DF203")


@pytest.mark.parametrize("where", ["model: {name: 0x%s, evaluation_date: 2026-01-01}\n",
                                   HEAD + "cohorts:\n  users: {count: 0x%s}\n"],
                         ids=["name", "count"])
def test_huge_hex_integer(tmp_path: Path, where: str) -> None:
    p = _file("hex.yaml", where % ("f" * 5000))(tmp_path)
    run = run_cli(["validate", "--format", "json", str(p)], tmp_path, label="huge hex integer")
    assert_one_error(run, "DF203")


def test_flow_list_of_100k_unknown_categories(tmp_path: Path) -> None:
    items = ",".join(f"c{i}" for i in range(100_000))
    p = _file("unknown.yaml", VALID.replace("categories: [user.contact]",
                                            f"categories: [{items}]"))(tmp_path)
    run = run_cli(["validate", "--format", "json", str(p)], tmp_path, timeout=15,
                  label="flow list of 100k unknown categories")
    assert_bounded(run)
    errors = run.errors()
    assert run.rc == 2 and len(errors) == 21, len(errors)
    assert errors[-1]["message"] == ("… and 99,980 more DF303 (unknown-category) in "
                                     "flows.f.categories (not shown)"), errors[-1]
    assert errors[-1]["line"] == 8 and errors[-1]["col"] > errors[-2]["col"]


def test_hundred_thousand_unknown_keys_in_one_mapping(tmp_path: Path) -> None:
    keys = ", ".join(f"k{i}: 1" for i in range(100_000))
    p = _file("keys.yaml", VALID.replace("acme: {jurisdiction: CN}",
                                         "acme: {jurisdiction: CN, " + keys + "}"))(tmp_path)
    run = run_cli(["validate", "--format", "json", str(p)], tmp_path,
                  label="100k unknown keys in one mapping")
    assert_bounded(run)
    errors = run.errors()
    assert run.rc == 2 and len(errors) == 21, len(errors)
    assert errors[-1]["message"] == ("… and 99,980 more DF200 (unknown-key) in entities.acme "
                                     "(not shown)"), errors[-1]


def test_hundred_thousand_entities_each_with_an_unknown_location(tmp_path: Path) -> None:
    """Every one of the 100,000 DF301 is positioned (the total cap orders by position), each by
    a dict hit in the file's key index: formerly each lookup scanned the file (no answer in
    200 s). docs/limits.md: ~3.7 s CPU, ~400 MB on the development machine."""
    ents = "".join(f"  e{i}: {{jurisdiction: zz{i}}}\n" for i in range(100_000))
    p = _file("ents.yaml", VALID.replace("  acme: {jurisdiction: CN}\n", ents)
              .replace("operator: acme", "operator: e0"))(tmp_path)
    run = run_cli(["validate", "--format", "json", str(p)], tmp_path, timeout=15,
                  label="100k entities, each with its own unknown location")
    assert_bounded(run, cpu=15, rss=1000)
    errors = run.errors()
    assert run.rc == 2 and len(errors) == 1000, len(errors)
    assert errors[0]["message"] == "unknown location 'zz0'" and \
        (errors[0]["line"], errors[0]["col"]) == (3, 8), errors[0]
    assert errors[-2]["message"] == "unknown location 'zz998'" and errors[-2]["line"] == 1001
    assert errors[-1]["message"] == ("… and 99,001 more DF301 (unknown-location) in all "
                                     "(not shown)"), errors[-1]


def _flows(cats: list[list[str]]) -> str:
    flows = "".join(f"  f{i}: {{from: a, to: b, categories: [{', '.join(c)}]}}\n"
                    for i, c in enumerate(cats))
    return VALID.split("flows:\n")[0] + "flows:\n" + flows


def test_distinct_mistakes_are_each_reported(tmp_path: Path) -> None:
    """Thirty typos across thirty flows, twenty in one list: every one on its own line, with
    its "did you mean"; the caps only fold repeats beyond that."""
    from dataflow import validate_model
    cats = [["user.contact.emial"]] * 30 + [[f"user.contact.emial{i}" for i in range(20)]]
    p = _file("typos.yaml", _flows(cats))(tmp_path)
    diags = validate_model(p).diagnostics
    assert len(diags) == 50 and all(d.code == "DF303" for d in diags), diags
    assert all(d.hint == "did you mean 'user.contact.email'?" for d in diags[:30]), diags[:30]
    assert not any(d.message.startswith("…") for d in diags)


def test_repeated_mistakes_are_capped_per_field_and_in_all(tmp_path: Path) -> None:
    from dataflow import validate_model
    from dataflow.diagnostics import TOTAL_CAP
    p = _file("typos.yaml", _flows([[f"nope{i}" for i in range(25)]]))(tmp_path)
    diags = validate_model(p).diagnostics
    assert [d.message for d in diags[19:]] == [
        "unknown category 'nope19'",
        "… and 5 more DF303 (unknown-category) in flows.f0.categories (not shown)"]
    assert diags[-1].hidden == 5 and diags[-1].severity == "error"
    p.write_text(_flows([[f"nope{i}"] for i in range(1500)]), encoding="utf-8")
    diags = validate_model(p).diagnostics
    assert len(diags) == TOTAL_CAP
    assert diags[-1].message == "… and 501 more DF303 (unknown-category) in all (not shown)"
    assert diags[-2].message == "unknown category 'nope998'"


def test_million_element_include_list(tmp_path: Path) -> None:
    p = _file("inc.yaml", HEAD + "include: [" + ",".join(["nothing.yaml"] * 1_000_000) + "]\n"
              )(tmp_path)
    run = run_cli(["validate", "--format", "json", str(p)], tmp_path, timeout=20,
                  label="include list of 1M patterns")
    assert_one_error(run, "DF111")
