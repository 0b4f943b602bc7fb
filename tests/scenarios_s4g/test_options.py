"""docs/cli.md lists every option of every command, and `--help` shows exactly those.

Read at test time: for each `## command` section of docs/cli.md, the options it names (tables,
synopsis and prose); plus the options shared by the commands that load a model (cli.md
'Conventions': --as-of, --max-file-size, --no-cache, -q/--quiet, -v/--verbose), -h/--help on
every command, and -o as the short form of --output. Every documented option must be in
`dataflow COMMAND --help` and every option of --help must be documented."""

from __future__ import annotations

import re

import pytest

from .helpers import ROOT, run

CLI_MD = (ROOT / "docs/cli.md").read_text(encoding="utf-8")
OPT = re.compile(r"(?<![\w-])(--[a-z][a-z-]*[a-z]|-[a-zA-Z])(?![\w-])")
SECTIONS = {m.group(1): m.group(2) for m in re.finditer(r"^## (\w+)\n(.*?)(?=^## |\Z)", CLI_MD,
                                                         re.M | re.S)}
COMMANDS = ["validate", "transfers", "check", "why", "explain", "diagram", "build", "report",
            "diff", "export", "import", "schema", "init", "serve"]
LOADS_A_MODEL = {"validate", "transfers", "check", "why", "diagram", "build", "report", "diff",
                 "export", "serve"}
SHARED = {"--as-of", "--max-file-size", "--no-cache", "-q", "--quiet", "-v", "--verbose"}


def _documented(cmd: str) -> set[str]:
    opts = set(OPT.findall(SECTIONS[cmd])) | {"-h", "--help"}
    if cmd in LOADS_A_MODEL:
        opts |= SHARED
    if "-o" in opts or "--output" in opts:
        opts |= {"-o", "--output"}
    return opts


def _help(cmd: str) -> set[str]:
    out = run(cmd, "--help")
    assert out.rc == 0, out.stderr
    text = out.stdout.split("Options:", 1)[1]
    return set(OPT.findall(text))


def test_cli_md_has_a_section_per_command_of_the_table() -> None:
    table = re.findall(r"^\| \[`(\w+)`\]\(#\w+\) \|", CLI_MD, re.M)
    assert sorted(table) == sorted(COMMANDS)
    assert set(COMMANDS) <= set(SECTIONS)


def test_top_level_help_lists_the_commands_and_version() -> None:
    out = run("--help")
    assert out.rc == 0
    listed = set(re.findall(r"^  (\w+)\s", out.stdout, re.M))
    assert set(COMMANDS) <= listed, set(COMMANDS) - listed
    v = run("--version")
    assert v.rc == 0 and re.search(r"\d+\.\d+", v.stdout)


@pytest.mark.parametrize("cmd", COMMANDS)
def test_documented_options_exist(cmd: str) -> None:
    missing = {o for o in OPT.findall(SECTIONS[cmd]) if o != "--version"} - _help(cmd)
    assert not missing, missing


@pytest.mark.parametrize("cmd", COMMANDS)
def test_every_help_option_is_documented(cmd: str) -> None:
    extra = _help(cmd) - _documented(cmd)
    assert not extra, extra


@pytest.mark.parametrize(("cmd", "option", "choices"), [
    ("validate", "--format", {"human", "json", "github"}),
    ("transfers", "--format", {"human", "json", "csv"}),
    ("check", "--format", {"human", "json", "sarif", "github"}),
    ("check", "--fail-on", {"error", "warning"}),
    ("why", "--format", {"human", "json"}),
    ("diagram", "--format", {"svg", "png", "pdf", "dot", "mmd"}),
    ("diagram", "--level", {"system", "entity", "jurisdiction"}),
    ("report", "--format", {"md", "html", "csv", "xlsx", "all"}),
    ("report", "--lang", {"zh", "en"}),
    ("build", "--format", {"human", "json"}),
    ("diff", "--format", {"human", "json"}),
    ("export", "--format", {"yaml", "json", "graphml", "gexf"}),
    ("import", "--format", {"human", "json"}),
])
def test_documented_choices_are_the_help_choices(cmd: str, option: str, choices: set[str]) -> None:
    text = run(cmd, "--help").stdout
    m = re.search(rf"{option} \[([^\]]+)\]", text)
    assert m, (cmd, option, text)
    assert set(m.group(1).split("|")) == choices
