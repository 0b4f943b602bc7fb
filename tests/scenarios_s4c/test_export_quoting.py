"""The canonical export of text that looks like something else (docs/cli.md 'export': "strings
that YAML 1.1 tools would misread (`NO`, `yes`, `on`, `1_000`, `0123`) quoted ... It reloads to
the same merged data, so ... the model digest are the same"; docs/model-format.md 'YAML rules').

`export-quoting/dataflow.yaml` fills text fields with `yes`, `NO`, `null`, `1_000`, `0123`, `~`,
`1:30`, `0x1F`, `.inf`, `true`, `Off`, a date-looking `2026-01-01`, YAML indicators, leading and
trailing spaces, an empty string, a newline; a dated count series with a quoted `"71_000"`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from .helpers import run, scenario

NAME = "export-quoting"


def _export(tmp_path: Path) -> Path:
    f = tmp_path / "model.yaml"
    out = run("export", scenario(NAME), "-o", str(f))
    assert out.rc == 0, out.stderr
    return f


def test_round_trip_keeps_the_digest_and_the_data(tmp_path: Path) -> None:
    f = _export(tmp_path)
    a = run("export", scenario(NAME), "--format", "json")
    b = run("export", str(f), "--format", "json")
    assert a.rc == b.rc == 0
    assert a.stdout == b.stdout
    da = run("transfers", scenario(NAME), "--format", "json").json()["model"]["digest"]
    db = run("transfers", str(f), "--format", "json").json()["model"]["digest"]
    assert da == db


def test_a_yaml_11_reader_keeps_the_tricky_texts(tmp_path: Path) -> None:
    data = yaml.safe_load(_export(tmp_path).read_text())     # PyYAML: a YAML 1.1 reader
    assert data["model"]["name"] == "yes"
    assert data["model"]["name_zh"] == "NO"
    assert data["model"]["description"] == "null"
    acme, other, third = (data["entities"][k] for k in ("acme", "other", "third"))
    assert (acme["name"], acme["address"], acme["sector"]) == ("1_000", "0123", "~")
    assert (acme["legal_representative"], acme["credit_code"]) == ("1:30", "0x1F")
    assert other["jurisdiction"] == "NO" and other["name"] == "true"
    assert third["name"] == "Off" and third["address"] == ""
    assert (third["sector"], third["dpo"]) == (" lead", "trail ")


def test_a_date_looking_text_is_quoted(tmp_path: Path) -> None:
    data = yaml.safe_load(_export(tmp_path).read_text())
    dpo = data["entities"]["acme"]["dpo"]
    assert not isinstance(dpo, dt.date)
    assert dpo == "2026-01-01"
