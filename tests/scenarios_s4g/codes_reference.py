"""The reference section 'Finding and interpretation-warning codes' of docs/regimes.md, rendered
from the tables `dataflow explain` reads (the regimes' finding tables, CHECK_CODES, the analysis
diagnostics reported as findings, dataflow/interpretations.py), so the docs list every code.

Regenerate after adding or renaming a code, and paste the output over the section:
    .venv/bin/python -m tests.scenarios_s4g.codes_reference
test_codes.py fails while a code is missing from the section or its severity differs."""

from __future__ import annotations

import textwrap

HEADING = "## Finding and interpretation-warning codes"


def _cell(text: str) -> str:
    # one table cell: a single line, no unescaped pipe
    return " ".join(text.split()).replace("|", "\\|")


def _first_sentence(text: str) -> str:
    line = " ".join(text.split())
    head, dot, _ = line.partition(". ")
    return head + ("." if dot else "")


def _para(text: str) -> str:
    return textwrap.fill(text, width=100, break_on_hyphens=False, break_long_words=False)


def render() -> str:
    from dataflow.check import all_finding_codes
    from dataflow.codes import LOADER_CODES
    from dataflow.interpretations import INTERPRETATIONS

    codes = all_finding_codes()
    out = [
        HEADING, "",
        _para("Every code `check` can report, generated from the tables `dataflow explain` reads "
        "(regenerate with `python -m tests.scenarios_s4g.codes_reference`; "
        "`tests/scenarios_s4g/test_codes.py` fails when a code is missing here). "
        "`dataflow explain CODE` gives the full explanation, the fix and the citation. The "
        "loader's diagnostics (`DF...`) are listed in model-format.md; `DF313`, `DF314` and "
        "`DF400` are also reported as findings."), "",
        "### Findings", "",
        "| code | severity | meaning | citation |", "|---|---|---|---|",
    ]
    for code in sorted(codes):
        fc = codes[code]
        meaning = fc.title
        if code in LOADER_CODES:  # an analysis diagnostic: its title is the short name
            meaning = f"{fc.title}: {_first_sentence(LOADER_CODES[code].summary)}"
        cite = fc.citation.text() if fc.citation else ""
        out.append(f"| `{code}` | {fc.severity} | {_cell(meaning)} | {_cell(cite)} |")
    out += [
        "", "### Interpretation warnings", "",
        _para("Each is a [U] reading of the rules: an assessment carries it in `warnings` with the "
        "alternative outcome computed on the model; where it decides an outcome the regime's "
        "`<R>207` warning finding reports it too."), "",
        "| code | severity | regime | the unsettled point | what dataflow does |",
        "|---|---|---|---|---|",
    ]
    for code in sorted(INTERPRETATIONS):
        it = INTERPRETATIONS[code]
        out.append(f"| `{code}` | warning | `{it.regime}` | {_cell(it.point)} | "
                   f"{_cell(it.default)} |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(render(), end="")
