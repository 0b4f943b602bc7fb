"""`dataflow build` on every example: exit codes like `check`, the folder's files, the same JSON
bytes as `transfers`/`check`, nothing written on invalid input, a previous build replaced whole."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from dataflow.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p.name for p in (ROOT / "examples").iterdir()
                  if (p / "dataflow.yaml").is_file())
HAVE_DOT = shutil.which("dot") is not None
CI = bool(os.environ.get("CI"))


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return r.exit_code, r.stdout, r.stderr


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # findings name the model files relative to the working folder


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, str, str, Path]]:
    out: dict[str, tuple[int, str, str, Path]] = {}
    old = Path.cwd()
    os.chdir(ROOT)
    try:
        for name in EXAMPLES:
            folder = tmp_path_factory.mktemp("build") / name
            code, stdout, stderr = run("build", f"examples/{name}", "-o", str(folder))
            out[name] = (code, stdout, stderr, folder)
    finally:
        os.chdir(old)
    return out


def test_examples_exist() -> None:
    assert "ai-relay" in EXAMPLES and len(EXAMPLES) >= 2


@pytest.mark.parametrize("name", EXAMPLES)
def test_build_exits_like_check(name: str, builds: dict[str, tuple[int, str, str, Path]]
                                ) -> None:
    code, stdout, stderr, _ = builds[name]
    check_code, _, _ = run("check", f"examples/{name}", "--format", "json")
    assert code == check_code, stderr
    assert "Traceback" not in stderr
    assert "report.html" in stdout and "transfer(s)" in stdout


@pytest.mark.parametrize("name", EXAMPLES)
def test_build_folder(name: str, builds: dict[str, tuple[int, str, str, Path]]) -> None:
    _, _, stderr, folder = builds[name]
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    for f in ("report.html", "check.json", "transfers.json", "transfers.csv",
              "diagrams/overview.dot", "diagrams/transfers.dot"):
        assert f in files, f
    if HAVE_DOT:
        assert {"diagrams/overview.svg", "diagrams/transfers.svg"} <= files
    for fmt in ("md", "html", "csv", "xlsx"):
        assert f"documents/transfer-inventory.{fmt}" in files, stderr
    assert not [n for n in files if n.startswith(".") or ".tmp" in n]
    check = json.loads((folder / "check.json").read_text(encoding="utf-8"))
    regimes = {a["regime"] for a in check["assessments"]}
    pipl_sc = any(a["regime"] == "pipl" and "pipl.standard-contract" in a["required"]
                  and a["status"] not in ("exempt", "not-required")
                  for a in check["assessments"])
    assert any(f.startswith("documents/pipl-standard-contract_") for f in files) == pipl_sc
    if "gdpr" in regimes:
        assert any(f.startswith("documents/gdpr-ropa") for f in files), stderr
    else:
        assert not any(f.startswith("documents/gdpr-") for f in files)
    html = (folder / "report.html").read_text(encoding="utf-8")
    for f in files - {"report.html"}:
        assert f'href="{f}"' in html, f"the report does not link {f}"


@pytest.mark.parametrize("name", EXAMPLES)
def test_json_is_the_same_bytes(name: str, builds: dict[str, tuple[int, str, str, Path]]
                                ) -> None:
    folder = builds[name][3]
    _, check_json, _ = run("check", f"examples/{name}", "--format", "json")
    _, transfers_json, _ = run("transfers", f"examples/{name}", "--format", "json")
    _, transfers_csv, _ = run("transfers", f"examples/{name}", "--format", "csv")
    assert (folder / "check.json").read_text(encoding="utf-8") == check_json
    assert (folder / "transfers.json").read_text(encoding="utf-8") == transfers_json
    assert (folder / "transfers.csv").read_text(encoding="utf-8") == transfers_csv


def test_report_is_self_contained(builds: dict[str, tuple[int, str, str, Path]]) -> None:
    html = (builds["ai-relay"][3] / "report.html").read_text(encoding="utf-8")
    assert "<svg" in html if HAVE_DOT else "Graphviz is not installed" in html
    assert 'src="http' not in html and "<link" not in html
    assert 'href="documents/pipl-standard-contract_acme_frontier.html"' in html


def test_build_is_deterministic(tmp_path: Path,
                                builds: dict[str, tuple[int, str, str, Path]]) -> None:
    first = builds["ai-relay"][3]
    run("build", "examples/ai-relay", "-o", str(tmp_path / "again"))
    for p in first.rglob("*"):
        if p.is_file():
            assert (tmp_path / "again" / p.relative_to(first)).read_bytes() == p.read_bytes(), p


def test_invalid_model_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "dataflow.yaml").write_text("model:\n  name: x\n  evaluation_date: 2026-01-01\n"
                                       "systems:\n  a: {operator: nobody}\n", encoding="utf-8")
    out = tmp_path / "out"
    code, _, stderr = run("build", str(bad), "-o", str(out))
    assert code == 2
    assert "nothing written" in stderr
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad"]  # no temporary left either


def test_invalid_model_keeps_the_previous_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("build", "examples/ai-relay", "-o", str(out))[0] == 1
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    bad = tmp_path / "bad.yaml"
    bad.write_text("model: [unclosed\n", encoding="utf-8")
    assert run("build", str(bad), "-o", str(out))[0] == 2
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_previous_build_is_replaced_whole(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("build", "examples/ai-relay", "-o", str(out))[0] == 1
    (out / "documents" / "stale.md").write_text("old", encoding="utf-8")
    assert run("build", "examples/ai-relay", "-o", str(out), "-q")[0] == 1
    assert not (out / "documents" / "stale.md").exists()
    assert (out / "report.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_refuses_a_folder_of_other_files(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    code, _, stderr = run("build", "examples/ai-relay", "-o", str(out))
    assert code == 2 and "not a dataflow build" in stderr
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert run("build", "examples/ai-relay", "-o", str(out), "--force", "-q")[0] == 1
    assert not (out / "notes.txt").exists()


def test_refuses_to_replace_the_model(tmp_path: Path) -> None:
    model = tmp_path / "model"
    shutil.copytree(ROOT / "examples" / "ai-relay", model)
    code, _, stderr = run("build", str(model), "-o", str(tmp_path), "--force")
    assert code == 2 and "holds the model" in stderr
    assert (model / "dataflow.yaml").is_file()


def test_output_is_a_file(tmp_path: Path) -> None:
    f = tmp_path / "report"
    f.write_text("x", encoding="utf-8")
    code, _, stderr = run("build", "examples/ai-relay", "-o", str(f))
    assert code == 2 and "not a folder" in stderr


def test_without_graphviz_dot_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    out = tmp_path / "out"
    code, _, stderr = run("build", "examples/ai-relay", "-o", str(out))
    assert code == 1
    assert "DOT only" in stderr and "graphviz" in stderr.lower()
    assert (out / "diagrams" / "overview.dot").is_file()
    assert not list(out.rglob("*.svg"))
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<svg" not in html and "Graphviz is not installed" in html


def test_json_summary(tmp_path: Path) -> None:
    code, stdout, _ = run("build", "examples/ai-relay", "-o", str(tmp_path / "o"), "--format",
                          "json")
    doc = json.loads(stdout)
    assert code == doc["exit_code"] == 1
    paths = {f["path"] for f in doc["files"]}
    assert {"report.html", "check.json", "transfers.json"} <= paths
    assert doc["summary"]["errors"] > 0 and doc["model"]["name"] == "Writing assistant"


def test_fail_on_warning(tmp_path: Path) -> None:
    ok = [n for n in EXAMPLES if run("check", f"examples/{n}", "--format", "json")[0] == 0]
    for name in ok:
        code, _, _ = run("check", f"examples/{name}", "--fail-on", "warning", "--format", "json")
        assert run("build", f"examples/{name}", "-o", str(tmp_path / name), "--fail-on",
                   "warning", "-q")[0] == code


def test_pdf_unavailable_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataflow.render import pdf

    def missing() -> None:
        raise pdf.PdfUnavailable("PDF output needs WeasyPrint; " + pdf.INSTALL_HINT)

    monkeypatch.setattr(pdf, "_weasyprint", missing)
    out = tmp_path / "out"
    code, _, stderr = run("build", "examples/ai-relay", "-o", str(out), "--pdf")
    assert code == 2 and "pip install" in stderr
    assert not out.exists()


def test_build_pdf(tmp_path: Path) -> None:
    from dataflow.render.pdf import pdf_available

    if not pdf_available():
        if CI:
            pytest.fail("CI must be able to make PDFs: install the pdf extra (WeasyPrint)")
        pytest.skip("WeasyPrint is not installed (pip install '.[pdf]')")
    from .test_html_report import pdf_text

    out = tmp_path / "out"
    code, stdout, _ = run("build", "examples/ai-relay", "-o", str(out), "--pdf")
    assert code == 1 and "report.pdf" in stdout
    text = pdf_text((out / "report.pdf").read_bytes(), tmp_path)
    assert "Writing assistant" in text and "智能写作助手" in text
    html_docs = sorted(p.stem for p in (out / "documents").glob("*.html"))
    assert html_docs and html_docs == sorted(p.stem for p in (out / "documents").glob("*.pdf"))
    assert 'href="report.pdf"' in (out / "report.html").read_text(encoding="utf-8")


def test_diagram_cap_in_build(tmp_path: Path) -> None:
    from dataflow.api import load
    from dataflow.build import BuildOptions, build

    res = build(load("examples/ai-relay"), BuildOptions(max_transfer_diagrams=1))
    html = res.files[0].data.decode("utf-8")
    assert res.files[0].path == "report.html"
    assert "draws the paths of the first 1 only" in html


def test_unknown_area_is_a_usage_error(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _, stderr = run("build", "examples/ai-relay", "-o", str(out), "--area", "XX")
    assert code == 2 and "unknown area" in stderr and "Traceback" not in stderr
    assert not out.exists()
