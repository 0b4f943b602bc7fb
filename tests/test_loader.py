"""Reading models from disk (dataflow.loader): files and folders, include/include_roots, UTF-8,
BOM and CRLF, size limits, symlinks, merging of collections and duplicate ids, positions."""

from __future__ import annotations

import os
import time
from pathlib import Path

from dataflow import validate_model
from dataflow.loader import DEFAULT_MAX_FILE_BYTES, RawModel, load_raw

MODEL = "model: {name: T, evaluation_date: 2026-10-01}\n"


def write(base: Path, rel: str, text: str | bytes) -> Path:
    p = base / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return p


def codes(raw: RawModel) -> list[tuple[str, str | None, int | None, int | None]]:
    return [(d.code, d.file, d.line, d.col) for d in raw.diagnostics]


def rel_files(raw: RawModel, base: Path) -> list[str]:
    return [Path(os.path.relpath(f, base)).as_posix() for f in raw.files]


# --- files and folders

def test_single_file(tmp_path: Path) -> None:
    p = write(tmp_path, "m.yaml", MODEL + "entities:\n  acme: {jurisdiction: CN}\n")
    raw = load_raw(p)
    assert raw.diagnostics == []
    assert raw.files == [str(p)]
    assert raw.data["entities"] == {"acme": {"jurisdiction": "CN"}}
    assert raw.data["model"] == {"name": "T", "evaluation_date": "2026-10-01"}
    origin = raw.origins[("entities", "acme")]
    assert (origin.file, origin.line, origin.col) == (str(p), 3, 3)


def test_folder_without_root_reads_every_yaml_and_yml_outside_hidden_folders(tmp_path: Path
                                                                              ) -> None:
    write(tmp_path, "a.yaml", MODEL)
    write(tmp_path, "teams/b.yml", "entities:\n  b: {jurisdiction: CN}\n")
    write(tmp_path, "teams/deep/c.yaml", "entities:\n  c: {jurisdiction: HK}\n")
    write(tmp_path, ".hidden/d.yaml", "entities:\n  d: {jurisdiction: US}\n")
    write(tmp_path, "teams/.e.yaml", "entities:\n  e: {jurisdiction: US}\n")
    write(tmp_path, "notes.txt", "entities: {f: {}}\n")
    write(tmp_path, "f.json", "{}\n")
    raw = load_raw(tmp_path)
    assert raw.diagnostics == []
    assert rel_files(raw, tmp_path) == ["a.yaml", "teams/b.yml", "teams/deep/c.yaml"]
    assert sorted(raw.data["entities"]) == ["b", "c"]


def test_root_file_reads_only_itself_and_its_includes(tmp_path: Path) -> None:
    write(tmp_path, "dataflow.yaml", MODEL + "include: [teams/*.yaml, 'shared/**/*.yml']\n")
    write(tmp_path, "teams/app.yaml", "entities:\n  acme: {jurisdiction: CN}\n")
    write(tmp_path, "shared/x/y/common.yml", "cohorts:\n  users: {count: 10}\n")
    write(tmp_path, "scratch/ignored.yaml", "entities:\n  ignored: {jurisdiction: CN}\n")
    raw = load_raw(tmp_path)
    assert raw.diagnostics == []
    assert rel_files(raw, tmp_path) == ["dataflow.yaml", "teams/app.yaml",
                                        "shared/x/y/common.yml"]
    assert "ignored" not in raw.data["entities"]
    assert raw.data["cohorts"] == {"users": {"count": 10}}


def test_include_as_a_single_string(tmp_path: Path) -> None:
    write(tmp_path, "dataflow.yaml", MODEL + "include: app.yaml\n")
    write(tmp_path, "app.yaml", "entities:\n  acme: {jurisdiction: CN}\n")
    raw = load_raw(tmp_path)
    assert raw.diagnostics == []
    assert "acme" in raw.data["entities"]


def test_root_file_given_directly_reads_its_includes(tmp_path: Path) -> None:
    root = write(tmp_path, "dataflow.yaml", MODEL + "include: [app.yaml]\n")
    write(tmp_path, "app.yaml", "entities:\n  acme: {jurisdiction: CN}\n")
    raw = load_raw(root)
    assert raw.diagnostics == []
    assert "acme" in raw.data["entities"]


def test_include_may_not_leave_the_folder(tmp_path: Path) -> None:
    model = tmp_path / "model"
    write(model, "dataflow.yaml", MODEL + "include:\n  - app.yaml\n  - ../outside/*.yaml\n")
    write(model, "app.yaml", "entities:\n  acme: {jurisdiction: CN}\n")
    write(tmp_path, "outside/secret.yaml", "entities:\n  stranger: {jurisdiction: US}\n")
    raw = load_raw(model)
    assert [d.code for d in raw.diagnostics] == ["DF111"]
    assert "outside the model folder" in raw.diagnostics[0].message
    assert "stranger" not in raw.data["entities"]


def test_absolute_include_outside_the_folder_is_refused(tmp_path: Path) -> None:
    model = tmp_path / "model"
    outside = write(tmp_path, "elsewhere/x.yaml", "entities:\n  x: {jurisdiction: US}\n")
    write(model, "dataflow.yaml", MODEL + f"include: ['{outside}']\n")
    raw = load_raw(model)
    assert [d.code for d in raw.diagnostics] == ["DF111"]
    assert "x" not in raw.data.get("entities", {})


def test_symlink_inside_the_folder_pointing_outside_is_refused(tmp_path: Path) -> None:
    model = tmp_path / "model"
    outside = write(tmp_path, "elsewhere/x.yaml", "entities:\n  x: {jurisdiction: US}\n")
    write(model, "dataflow.yaml", MODEL + "include: ['*.yaml']\n")
    (model / "link.yaml").symlink_to(outside)
    raw = load_raw(model)
    assert [d.code for d in raw.diagnostics] == ["DF111"]
    assert "x" not in raw.data.get("entities", {})


def test_include_roots_allow_a_listed_folder(tmp_path: Path) -> None:
    model = tmp_path / "model"
    write(model, "dataflow.yaml",
          MODEL + "include: ['../shared/*.yaml']\ninclude_roots: [../shared]\n")
    write(tmp_path, "shared/common.yaml", "entities:\n  acme: {jurisdiction: CN}\n")
    write(tmp_path, "other/x.yaml", "entities:\n  x: {jurisdiction: US}\n")
    raw = load_raw(model)
    assert raw.diagnostics == []
    assert list(raw.data["entities"]) == ["acme"]
    # a root only opens its own folder
    write(model, "dataflow.yaml", MODEL + "include: ['../other/*.yaml']\n"
          "include_roots: [../shared]\n")
    assert [d.code for d in load_raw(model).diagnostics] == ["DF111"]


def test_include_matching_nothing(tmp_path: Path) -> None:
    write(tmp_path, "dataflow.yaml", MODEL + "include: [teams/*.yaml]\n")
    raw = load_raw(tmp_path)
    assert [d.code for d in raw.diagnostics] == ["DF111"]
    assert "matches no YAML file" in raw.diagnostics[0].message


def test_include_without_root_file_is_reported(tmp_path: Path) -> None:
    write(tmp_path, "main.yaml", MODEL + "include: [other.yaml]\n")
    write(tmp_path, "other.yaml", "entities:\n  acme: {jurisdiction: CN}\n")
    raw = load_raw(tmp_path)
    assert [d.code for d in raw.diagnostics] == ["DF111"]
    # every file is read anyway
    assert "acme" in raw.data["entities"]


def test_root_file_included_twice_is_read_once(tmp_path: Path) -> None:
    write(tmp_path, "dataflow.yaml", MODEL + "include: ['*.yaml', 'app.yaml']\n")
    write(tmp_path, "app.yaml", "entities:\n  acme: {jurisdiction: CN}\n")
    raw = load_raw(tmp_path)
    assert raw.diagnostics == []
    assert rel_files(raw, tmp_path) == ["dataflow.yaml", "app.yaml"]


def test_missing_path(tmp_path: Path) -> None:
    raw = load_raw(tmp_path / "nope.yaml")
    assert codes(raw) == [("DF100", str(tmp_path / "nope.yaml"), None, None)]


def test_empty_folder(tmp_path: Path) -> None:
    write(tmp_path, "README.md", "# nothing\n")
    raw = load_raw(tmp_path)
    assert codes(raw) == [("DF112", str(tmp_path), None, None)]


def test_empty_file_contributes_nothing(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", MODEL)
    write(tmp_path, "b.yaml", "# to be filled in\n")
    raw = load_raw(tmp_path)
    assert raw.diagnostics == []
    assert set(raw.data) == {"model"}


# --- symlinks

def test_directory_symlink_loop_does_not_hang(tmp_path: Path) -> None:
    write(tmp_path, "m.yaml", MODEL)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "self").symlink_to(tmp_path, target_is_directory=True)
    t0 = time.perf_counter()
    raw = load_raw(tmp_path)
    assert time.perf_counter() - t0 < 2.0
    assert raw.diagnostics == []
    assert rel_files(raw, tmp_path) == ["m.yaml"]


def test_file_symlink_loop_is_unreadable_not_a_hang(tmp_path: Path) -> None:
    write(tmp_path, "m.yaml", MODEL)
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    raw = load_raw(tmp_path)
    assert [(d.code, Path(d.file).name) for d in raw.diagnostics] == [
        ("DF100", "a.yaml"), ("DF100", "b.yaml")]
    assert all("symbolic links" in d.message for d in raw.diagnostics)


def test_recursive_include_with_symlink_loop_reads_each_file_once(tmp_path: Path) -> None:
    write(tmp_path, "dataflow.yaml", MODEL + "include: ['**/*.yaml']\n")
    write(tmp_path, "teams/app.yaml", "entities:\n  acme: {jurisdiction: CN}\n")
    (tmp_path / "teams" / "up").symlink_to(tmp_path, target_is_directory=True)
    t0 = time.perf_counter()
    raw = load_raw(tmp_path)
    assert time.perf_counter() - t0 < 2.0
    assert raw.diagnostics == []
    assert rel_files(raw, tmp_path) == ["dataflow.yaml", "teams/app.yaml"]


# --- encodings

def test_bom_and_crlf_load_with_correct_positions(tmp_path: Path) -> None:
    text = MODEL + "entities:\n  acme: {jurisdiction: CN, nme: x}\n"
    p = write(tmp_path, "m.yaml", b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    raw = load_raw(p)
    assert raw.diagnostics == []
    assert raw.data["model"]["name"] == "T"  # the BOM is not part of the first key
    result = validate_model(p)
    assert [(d.code, d.line, d.col) for d in result.diagnostics] == [("DF200", 3, 28)]


def test_crlf_inside_block_scalars_is_normalised(tmp_path: Path) -> None:
    text = MODEL + "entities:\n  acme:\n    jurisdiction: CN\n    description: |\n      a\n      b\n"
    p = write(tmp_path, "m.yaml", text.replace("\n", "\r\n").encode())
    raw = load_raw(p)
    assert raw.data["entities"]["acme"]["description"] == "a\nb\n"


def test_chinese_text_round_trips(tmp_path: Path) -> None:
    text = ("model: {name: 智能写作助手, evaluation_date: 2026-10-01}\n"
            "entities:\n  acme: {name_zh: 杭州阿克米科技有限公司, jurisdiction: CN, "
            "address: 杭州市西湖区文三路 100 号}\n")
    p = write(tmp_path, "m.yaml", text)
    result = validate_model(p)
    assert result.ok, result.diagnostics
    assert result.model is not None
    assert result.model.name == "智能写作助手"
    acme = result.model.entities["acme"]
    assert acme.name_zh == "杭州阿克米科技有限公司"
    assert acme.address == "杭州市西湖区文三路 100 号"


def test_invalid_utf8_is_reported_with_its_position(tmp_path: Path) -> None:
    p = write(tmp_path, "m.yaml", MODEL.encode() + b"entities:\n  acme: {name: Soci\xe9t\xe9}\n")
    raw = load_raw(p)
    assert codes(raw) == [("DF102", str(p), 3, 20)]
    assert "0xe9" in raw.diagnostics[0].message


def test_invalid_utf8_column_counts_characters(tmp_path: Path) -> None:
    p = write(tmp_path, "m.yaml", MODEL.encode() + b"entities:\n  acme: {name_zh: "
              + "中文名称".encode() + b"\xff}\n")
    raw = load_raw(p)
    assert codes(raw) == [("DF102", str(p), 3, 23)]


def test_utf16_file_is_not_utf8(tmp_path: Path) -> None:
    p = write(tmp_path, "m.yaml", MODEL.encode("utf-16"))
    assert [d.code for d in load_raw(p).diagnostics] == ["DF102"]


# --- size limit

def test_size_limit(tmp_path: Path) -> None:
    p = write(tmp_path, "m.yaml", MODEL + "# " + "x" * 2000 + "\n")
    size = p.stat().st_size
    assert DEFAULT_MAX_FILE_BYTES == 64 * 1024 * 1024
    assert load_raw(p).diagnostics == []
    assert load_raw(p, max_file_bytes=size).diagnostics == []  # the limit itself is allowed
    raw = load_raw(p, max_file_bytes=size - 1)
    assert codes(raw) == [("DF101", str(p), None, None)]
    assert raw.data == {}


def test_size_limit_applies_to_included_files(tmp_path: Path) -> None:
    write(tmp_path, "dataflow.yaml", MODEL + "include: [big.yaml]\n")
    write(tmp_path, "big.yaml", "# " + "x" * 3000 + "\n")
    raw = load_raw(tmp_path, max_file_bytes=1024)
    assert [(d.code, Path(d.file).name) for d in raw.diagnostics] == [("DF101", "big.yaml")]


def test_size_limit_message_states_both_sizes(tmp_path: Path) -> None:
    p = write(tmp_path, "m.yaml", MODEL + "# " + "x" * 1400 + "\n")
    (d,) = load_raw(p, max_file_bytes=1024).diagnostics
    assert "0 MB" not in d.message and "0.0 MB" not in d.message


# --- merging and duplicate ids

def test_collections_merge_across_files_and_keep_their_origins(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", MODEL + "entities:\n  acme: {jurisdiction: CN}\n")
    write(tmp_path, "b.yaml", "\n\nentities:\n  frontier: {jurisdiction: US}\n"
          "systems:\n  app: {operator: acme, location: CN, kind: service}\n")
    raw = load_raw(tmp_path)
    assert raw.diagnostics == []
    assert list(raw.data["entities"]) == ["acme", "frontier"]
    o = raw.origins[("entities", "frontier")]
    assert (Path(o.file).name, o.line, o.col) == ("b.yaml", 4, 3)
    o = raw.origins[("systems", "app")]
    assert (Path(o.file).name, o.line, o.col) == ("b.yaml", 6, 3)


def test_duplicate_id_across_files_names_both_places(tmp_path: Path) -> None:
    a = write(tmp_path, "a.yaml", MODEL + "systems:\n  app: {operator: x, location: CN, "
              "kind: service}\n")
    b = write(tmp_path, "b.yaml", "cohorts:\n  app: {count: 3}\n")
    raw = load_raw(tmp_path)
    (d,) = raw.diagnostics
    assert (d.code, d.severity, d.file, d.line, d.col) == ("DF205", "error", str(b), 2, 3)
    assert f"{a}:3:3" in d.message
    assert [(r.file, r.line, r.col) for r in d.related] == [(str(a), 3, 3)]
    assert "app" not in raw.data.get("cohorts", {})  # the first definition wins


def test_duplicate_id_in_the_same_collection_across_files(tmp_path: Path) -> None:
    a = write(tmp_path, "a.yaml", MODEL + "entities:\n  acme: {jurisdiction: CN}\n")
    b = write(tmp_path, "b.yaml", "# the platform team's copy\nentities:\n"
              "  acme: {jurisdiction: HK}\n")
    (d,) = load_raw(tmp_path).diagnostics
    assert (d.code, d.file, d.line, d.col) == ("DF205", str(b), 3, 3)
    assert [(r.file, r.line, r.col) for r in d.related] == [(str(a), 3, 3)]


def test_no_model_block_and_two_model_blocks(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "entities:\n  acme: {jurisdiction: CN}\n")
    raw = load_raw(tmp_path)
    assert [(d.code, Path(d.file).name, d.line, d.col) for d in raw.diagnostics] == [
        ("DF110", "a.yaml", 1, 1)]
    write(tmp_path, "b.yaml", "# second\n" + MODEL)
    write(tmp_path, "c.yaml", MODEL)
    raw = load_raw(tmp_path)
    (d,) = raw.diagnostics
    assert (d.code, Path(d.file).name, d.line, d.col) == ("DF110", "c.yaml", 1, 1)
    assert [(Path(r.file).name, r.line, r.col) for r in d.related] == [("b.yaml", 2, 1)]


def test_a_bad_file_does_not_hide_the_others(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", MODEL + "entities:\n  acme: {jurisdiction: CN}\n")
    write(tmp_path, "b.yaml", "entities:\n  x: {a: 1, a: 2}\n")
    write(tmp_path, "c.yaml", "systems:\n  app: !!python/object:x {}\n")
    write(tmp_path, "d.yaml", "cohorts:\n  users: {count: 10}\n")
    raw = load_raw(tmp_path)
    assert [(d.code, Path(d.file).name) for d in raw.diagnostics] == [
        ("DF104", "b.yaml"), ("DF105", "c.yaml")]
    assert raw.data["cohorts"] == {"users": {"count": 10}}
    assert "acme" in raw.data["entities"]


# --- positions

POSITIONS = """\
model:
  name: T
  evaluation_date: 2026-10-01
flows:
  f1:
    from: app
    to: db
    categories:
      - user.contact
      - user.account
    period: {from: 2026-01-01, to: 2026-06-30}
"""


def test_position_of_nested_keys_items_and_missing_keys(tmp_path: Path) -> None:
    p = write(tmp_path, "m.yaml", POSITIONS)
    raw = load_raw(p)

    def at(*path: object) -> tuple[int, int]:
        o = raw.position(tuple(path))
        assert o is not None and o.file == str(p)
        return o.line, o.col

    assert at("flows") == (4, 1)
    assert at("flows", "f1") == (5, 3)
    assert at("flows", "f1", "to") == (7, 5)
    assert at("flows", "f1", "categories", 1) == (10, 9)
    assert at("flows", "f1", "period", "to") == (11, 32)
    # a key that is not written points at the nearest written ancestor
    assert at("flows", "f1", "purpose") == (5, 3)
    assert at("flows", "f1", "period", "nothing") == (11, 5)
    assert raw.position(("systems", "x")) is None


def test_position_inside_the_model_block(tmp_path: Path) -> None:
    p = write(tmp_path, "m.yaml", POSITIONS)
    o = load_raw(p).position(("model", "evaluation_date"))
    assert o is not None and (o.line, o.col) == (3, 3)
