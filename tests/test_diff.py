"""`dataflow diff`: what changed between two model versions and which filing it triggers."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dataflow.cli import main  # noqa: E402
from dataflow.diff import compare_retention  # noqa: E402

FIX = ROOT / "tests" / "fixtures" / "workflow"
V1 = FIX / "game-publisher-v1"
V2 = FIX / "game-publisher-v2"


def run(*args: Any) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.stdout


def diff_json(old: Any, new: Any, *extra: str) -> tuple[int, dict[str, Any]]:
    code, out = run("diff", str(old), str(new), "--format", "json", *extra)
    return code, json.loads(out)


def test_more_players_and_a_new_onward_recipient_require_filings() -> None:
    code, doc = diff_json(V1, V2)
    assert code == 1
    assert doc["summary"]["filing_required"] is True
    kinds = {(c["kind"], c["transfer"] or c["exporter"]) for c in doc["changes"]}
    # the tier crossing: 86,000 -> 131,000 ordinary individuals crossed 100,000 (Art. 8)
    crossing = [c for c in doc["changes"] if c["kind"] == "threshold-crossed"]
    assert len(crossing) == 1
    assert crossing[0]["exporter"] == "tianfu-games"
    assert crossing[0]["old"] == {"ordinary": 86_000}
    assert crossing[0]["new"] == {"ordinary": 131_000, "threshold": 100_000,
                                  "crossed_on": "2026-01-01"}
    assert "crossed 100,000 on 2026-01-01" in crossing[0]["message"]
    assert crossing[0]["filing_required"] is True
    assert "Art. 8" in crossing[0]["citation"]
    # the ordinary-PI transfer that was exempt under Art. 5(4) now needs a standard contract
    assert ("mechanism-changed", "CN/tianfu-games/events-to-metricly") in kinds
    mech = next(c for c in doc["changes"] if c["kind"] == "mechanism-changed")
    assert mech["old"] == {"pipl": ["pipl.exempt"]}
    assert "pipl.standard-contract" in mech["new"]["pipl"]
    assert mech["trigger"] == "pipl.scc-file"
    # the new onward recipient behind the Singapore host: re-file (SCC Measures Art. 8)
    onward = [c for c in doc["changes"] if c["kind"] == "onward-added"]
    assert [c["new"]["entity"] for c in onward] == ["sentinel-ac"]
    assert onward[0]["transfer"] == "CN/tianfu-games/accounts-to-league"
    assert onward[0]["trigger"] == "pipl.scc-refile"
    assert "SCC" in onward[0]["citation"] and "Art. 8" in onward[0]["citation"]
    assert doc["transfers_added"] == ["SG/tianfu-games/league-to-anticheat"]
    assert doc["transfers_removed"] == []
    assert doc["old"]["digest"] != doc["new"]["digest"]
    assert doc["schema_version"] == "1"


def test_human_output_names_the_crossing_and_the_recipient() -> None:
    code, out = run("diff", V1, V2)
    assert code == 1
    assert "crossed 100,000" in out
    assert "sentinel-ac" in out
    assert "SCC Measures" in out or "Standard Contract" in out
    assert out.rstrip().endswith("exit 1")


def test_no_change_exits_0() -> None:
    code, doc = diff_json(V1, V1)
    assert code == 0
    assert doc["changes"] == []
    code, out = run("diff", V1, ROOT / "examples" / "game-publisher")
    assert code == 0, out


def test_output_is_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    run("diff", V1, V2, "--format", "json", "-o", a)
    run("diff", V1, V2, "--format", "json", "-o", b)
    assert a.read_bytes() == b.read_bytes()


def test_invalid_model_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("model: {name: x}\nsystems: {a: {operator: nobody}}\n", encoding="utf-8")
    code, _ = run("diff", V1, bad)
    assert code == 2
    code, _ = run("diff", V1, tmp_path / "missing")
    assert code == 2


def _variant(tmp_path: Path, name: str, edits: dict[str, list[tuple[str, str]]]) -> Path:
    dest = tmp_path / name
    shutil.copytree(V1, dest)
    for fname, pairs in edits.items():
        text = (dest / fname).read_text(encoding="utf-8")
        for old, new in pairs:
            assert old in text, (fname, old)
            text = text.replace(old, new, 1)
        (dest / fname).write_text(text, encoding="utf-8")
    return dest


def test_extended_retention_and_new_storage_location_trigger_refiling(tmp_path: Path) -> None:
    v = _variant(tmp_path, "longer", {"flows.yaml": [
        ("    retention: end of the league season plus 180 days\n",
         "    retention: end of the league season plus 365 days\n"
         "    storage_location: aws:ap-northeast-1\n")]})
    code, doc = diff_json(V1, v)
    assert code == 1
    by_kind = {c["kind"]: c for c in doc["changes"]}
    ret = by_kind["retention-changed"]
    assert ret["transfer"] == "CN/tianfu-games/accounts-to-league"
    assert ret["trigger"] == "pipl.scc-refile" and ret["filing_required"]
    assert "extended" in ret["message"]
    loc = by_kind["storage-location-changed"]
    assert loc["new"] == ["aws:ap-northeast-1"] and loc["filing_required"]


def test_shorter_retention_needs_no_filing(tmp_path: Path) -> None:
    v = _variant(tmp_path, "shorter", {"flows.yaml": [
        ("    retention: 3 years (tax records)\n", "    retention: 2 years (tax records)\n")]})
    code, doc = diff_json(V1, v)
    assert code == 0
    assert [c["kind"] for c in doc["changes"]] == ["retention-changed"]
    assert doc["changes"][0]["filing_required"] is False


def test_new_category_on_a_contract_transfer(tmp_path: Path) -> None:
    v = _variant(tmp_path, "newcat", {"flows.yaml": [
        ("    categories: [user.account.id, user.account.profile]\n    cohorts: [apac-adults",
         "    categories: [user.account.id, user.account.profile, user.device.id]\n"
         "    cohorts: [apac-adults")]})
    code, doc = diff_json(V1, v)
    assert code == 1
    cat = [c for c in doc["changes"] if c["kind"] == "category-added"]
    assert [c["new"] for c in cat] == ["user.device.id"]
    assert cat[0]["trigger"] == "pipl.scc-refile"


def test_changes_to_exempt_transfers_need_no_filing(tmp_path: Path) -> None:
    v = _variant(tmp_path, "exempt", {"flows.yaml": [
        ("    retention: 25 months\n", "    retention: 36 months\n")]})
    code, doc = diff_json(V1, v)
    assert code == 0
    assert doc["changes"][0]["kind"] == "retention-changed"
    assert doc["changes"][0]["trigger"] == "none"


SMALL = """\
model: {{name: Small shop, evaluation_date: 2026-10-01, owner: shop}}
entities:
  shop: {{name: "Shop (Shanghai) Co., Ltd.", jurisdiction: CN, province: CN-SH}}
  vendor: {{name: Vendor Inc., jurisdiction: US}}
systems:
  app: {{operator: shop, location: CN-SH, kind: service}}
  crm: {{operator: vendor, location: aws:us-east-1, kind: saas}}
cohorts:
  customers: {{count: {count}, residence: CN, relationship: customer}}
flows:
  to-crm: {{from: app, to: crm, categories: [user.contact.email], cohorts: [customers],
           recipient_role: processor}}
"""


def test_exporter_tier_change(tmp_path: Path) -> None:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(SMALL.format(count=90_000), encoding="utf-8")
    new.write_text(SMALL.format(count=150_000), encoding="utf-8")
    code, doc = diff_json(old, new)
    assert code == 1
    tier = next(c for c in doc["changes"] if c["kind"] == "tier-changed")
    assert tier["old"]["tier"] == "exempt" and tier["new"]["tier"] == "standard-contract"
    assert tier["filing_required"] and tier["trigger"] == "pipl.scc-file"
    # and back down: reported, no filing
    code, doc = diff_json(new, old)
    assert code == 0
    assert {c["kind"] for c in doc["changes"]} >= {"tier-changed", "threshold-crossed"}


def test_added_and_removed_transfers(tmp_path: Path) -> None:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(SMALL.format(count=150_000), encoding="utf-8")
    new.write_text(SMALL.format(count=150_000).replace("to-crm:", "crm-sync:"),
                   encoding="utf-8")
    code, doc = diff_json(old, new)
    assert code == 1
    assert doc["transfers_added"] == ["CN/shop/crm-sync"]
    assert doc["transfers_removed"] == ["CN/shop/to-crm"]
    added = next(c for c in doc["changes"] if c["kind"] == "transfer-added")
    assert added["trigger"] == "pipl.scc-file" and added["filing_required"]


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_git_revisions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(V1, repo / "model")
    (repo / "single.yaml").write_text(SMALL.format(count=90_000), encoding="utf-8")

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "v1")
    shutil.rmtree(repo / "model")
    shutil.copytree(V2, repo / "model")
    (repo / "single.yaml").write_text(SMALL.format(count=150_000), encoding="utf-8")
    monkeypatch.chdir(repo)
    code, doc = diff_json("HEAD:model", "model")
    assert code == 1
    assert any(c["kind"] == "onward-added" for c in doc["changes"])
    assert doc["old"]["path"] == "HEAD:model"
    code, doc = diff_json("HEAD:single.yaml", "single.yaml")
    assert code == 1 and any(c["kind"] == "tier-changed" for c in doc["changes"])
    monkeypatch.chdir(repo / "model")
    code, doc = diff_json("HEAD:./", ".")
    assert code == 1
    code, _ = run("diff", "HEAD:no-such-path", ".")
    assert code == 2


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("30 days", "30 days", "same"),
    ("30 days", "90 days", "longer"),
    ("3 years (tax records)", "2 years (tax records)", "shorter"),
    ("12 months", "1 year", "same"),
    ("account lifetime plus 3 years", "account lifetime plus 5 years", "longer"),
    ("30 days", "until deletion is requested", "changed"),
    (None, "30 days", "changed"),
])
def test_compare_retention(old: str | None, new: str | None, expected: str) -> None:
    assert compare_retention(old, new) == expected


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_git_revision_of_a_file_that_includes(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A single-file model at REV reads its includes (and include_roots) as at REV, not only
    the file itself: the old side is valid and equal to the working tree."""
    repo = tmp_path / "repo"
    (repo / "m" / "teams").mkdir(parents=True)
    (repo / "shared").mkdir()
    (repo / "m" / "main.yaml").write_text(
        "model: {name: Inc, evaluation_date: 2026-10-01}\n"
        "include: [teams/*.yaml, ../shared/*.yaml]\ninclude_roots: ../shared\n",
        encoding="utf-8")
    (repo / "m" / "teams" / "a.yaml").write_text(
        "entities: {acme: {jurisdiction: CN}}\n"
        "systems: {app: {operator: acme, location: CN, kind: service}}\n", encoding="utf-8")
    (repo / "shared" / "cats.yaml").write_text(
        "categories: {corp.notes: {name: Notes, personal: true}}\n", encoding="utf-8")

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "v1")
    monkeypatch.chdir(repo)
    code, doc = diff_json("HEAD:m/main.yaml", "m/main.yaml")
    assert code == 0 and doc["changes"] == []
    assert doc["old"]["digest"] == doc["new"]["digest"]
