"""Finding, diagnostic and interpretation-warning codes: the docs and `dataflow explain` agree.

docs/cli.md 'explain': every diagnostic (DF...) and finding code (PIPL..., GDPR..., CHK..., ...)
is explained, a finding id works too, an unknown code exits 2; outputs.md 'Stable ids': codes are
stable and documented by `dataflow explain CODE`. docs/regimes.md documents the generic findings
as a `<P>100..110` table for every regime prefix and lists the [U] interpretation warnings
(regulatory.md: [U] items must be visible warnings). The other direction: a code `explain` knows
must be documented somewhere a user reads (README, docs/, examples' READMEs) — otherwise a user who
meets it in `check` output cannot find it in the docs. Codes the docs never mention are bugs of the
docs ('docs wrong'): the tool's explanation exists, the docs lack it."""

from __future__ import annotations

import re

import pytest

from .codes_reference import HEADING
from .helpers import ROOT, run

DOC_FILES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")),
             *sorted((ROOT / "examples").glob("*/README.md"))]
DOCS = "\n".join(p.read_text(encoding="utf-8") for p in DOC_FILES)

PREFIXES = "DF|PIPL|GDPR|UKGDPR|CHK|DOJ|PADFA|RU|IN|VN|ID|SA|SG|JP|KR|HK"
DOC_CODES = sorted(set(re.findall(rf"\b(?:{PREFIXES})\d{{3}}\b", DOCS)))
DOC_WARNINGS = sorted(set(re.findall(r"\b[A-Z]+-U-[A-Z0-9-]*[A-Z0-9]\b", DOCS)))
# regimes.md: the generic findings `<P>100`..`<P>110` "with the regime's prefix"
GENERIC = re.findall(r"^\| `<P>(\d{3})` \|", (ROOT / "docs/regimes.md").read_text(encoding="utf-8"),
                     re.M)
GENERIC_PREFIXES = ["PIPL", "GDPR", "UKGDPR", "DOJ", "PADFA", "RU", "IN", "VN", "ID", "SA", "SG",
                    "JP", "KR", "HK"]


def _known_to_explain() -> list[str]:
    # enumeration only (the expected answer is decided from the docs): the tables behind explain
    from dataflow.check import all_finding_codes
    from dataflow.codes import LOADER_CODES
    from dataflow.interpretations import INTERPRETATIONS
    return sorted({*LOADER_CODES, *INTERPRETATIONS, *all_finding_codes()})


KNOWN = _known_to_explain()


def _documented(code: str) -> bool:
    if re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", DOCS):
        return True
    m = re.fullmatch(r"([A-Z]+)(\d{3})", code)
    return bool(m) and m.group(1) in GENERIC_PREFIXES and m.group(2) in GENERIC


def test_the_docs_name_codes_and_the_generic_table() -> None:
    assert GENERIC == ["100", "101", "102", "103", "104", "110"]
    assert len(DOC_CODES) > 50 and len(DOC_WARNINGS) > 15


@pytest.mark.parametrize("code", DOC_CODES + DOC_WARNINGS)
def test_every_documented_code_is_explained(code: str) -> None:
    out = run("explain", code)
    assert out.rc == 0, out.stderr
    assert out.stdout.startswith(code)


@pytest.mark.parametrize("prefix", GENERIC_PREFIXES)
def test_generic_findings_are_explained_for_every_prefix(prefix: str) -> None:
    for n in GENERIC:
        out = run("explain", f"{prefix}{n}")
        assert out.rc == 0, (prefix, n, out.stderr)


def test_finding_id_works_and_unknown_code_exits_2() -> None:
    out = run("explain", "PIPL100/CN/acme/relay-to-us")
    assert out.rc == 0 and out.stdout.startswith("PIPL100")
    bad = run("explain", "PIPL999")
    assert bad.rc == 2
    assert "Traceback" not in bad.stderr


def test_every_known_code_is_documented() -> None:
    # the 23 codes found undocumented on 2026-11-26 are now in regimes.md's code reference
    assert [c for c in KNOWN if not _documented(c)] == []


@pytest.mark.parametrize("code", KNOWN)
def test_explained_code_is_documented(code: str) -> None:
    assert _documented(code)


def _reference_rows() -> dict[str, str]:
    """regimes.md 'Finding and interpretation-warning codes': code -> documented severity."""
    text = (ROOT / "docs/regimes.md").read_text(encoding="utf-8")
    section = text.split(HEADING + "\n", 1)[1].split("\n## ", 1)[0]
    return dict(re.findall(r"^\| `([A-Z0-9-]+)` \| (error|warning|info) \|", section, re.M))


def test_code_reference_lists_every_finding_and_interpretation_code() -> None:
    # every code check can report, each once, with explain's severity; regenerate the section
    # with `python -m tests.scenarios_s4g.codes_reference` when this fails
    from dataflow.check import all_finding_codes
    from dataflow.interpretations import INTERPRETATIONS
    rows = _reference_rows()
    expected = {c: fc.severity for c, fc in all_finding_codes().items()}
    expected |= {c: "warning" for c in INTERPRETATIONS}
    assert rows == expected


SEVERITY_CLAIMS = sorted(set(re.findall(
    rf"\b(error|warning|info)\s+`?((?:{PREFIXES})\d{{3}})\b", DOCS)))


@pytest.mark.parametrize(("severity", "code"), SEVERITY_CLAIMS)
def test_documented_severity_is_the_explained_one(severity: str, code: str) -> None:
    head = run("explain", code).stdout.splitlines()[0]
    assert head.endswith((f"({severity})", f", {severity})")), head


@pytest.mark.parametrize("prefix", GENERIC_PREFIXES)
def test_generic_table_severities(prefix: str) -> None:
    rows = dict(re.findall(r"^\| `<P>(\d{3})` \| (\w+) \|",
                           (ROOT / "docs/regimes.md").read_text(encoding="utf-8"), re.M))
    for n, severity in rows.items():
        head = run("explain", f"{prefix}{n}").stdout.splitlines()[0]
        assert head.endswith(f"({severity})"), head


def test_df_table_of_model_format_matches_explain() -> None:
    rows = re.findall(r"^\| (DF\d{3}) \| ([a-z0-9-]+) \| (\w+) \|",
                      (ROOT / "docs/model-format.md").read_text(encoding="utf-8"), re.M)
    assert len(rows) > 30
    for code, name, severity in rows:
        assert run("explain", code).stdout.splitlines()[0] == f"{code} ({name}, {severity})"
