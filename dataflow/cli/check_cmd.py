"""`dataflow check`, `dataflow why`, `dataflow explain`: the CI gate and its explanations."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import click
from rich._emoji_replace import _emoji_replace
from rich.console import Console

from .. import __version__
from ..api import envelope
from ..check import REGIMES, CheckResult, all_finding_codes, check, check_document
from ..codes import LOADER_CODES
from ..diagnostics import Diagnostic
from ..interpretations import INTERPRETATIONS
from ..jsonio import Lazy, iter_json
from ..loader import suggest
from ..progress import Progress
from ..regimes.base import CheckOptions, Finding
from ..render.sarif import sarif_document
from ..transfers import UnknownArea, analyse, canonical_area, transfer_json
from .common import EXIT_FINDINGS, EXIT_INVALID, EXIT_OK, load_or_exit, model_options, new_progress
from .output import _clean, atomic_write, dumps_json, format_github, write_text


def _areas(areas: tuple[str, ...]) -> tuple[str, ...] | None:
    out = tuple(dict.fromkeys(canonical_area(a) for a in areas))
    return out or None


def run_check(path: str, areas: tuple[str, ...], as_of: str | None, max_file_size: str,
              quiet: bool, verbose: bool, options: CheckOptions, diag_format: str = "human",
              progress: Progress | None = None) -> CheckResult:
    model = load_or_exit(path, as_of, max_file_size, quiet=quiet, verbose=verbose,
                         diag_format=diag_format, progress=progress)
    # the checks read the typed model; the raw objects would stay alive to the end for nothing
    model.raw.release_objects()
    progress = progress or Progress(None)
    progress.stage("analysis", "analysing")
    try:
        analysis = analyse(model, _areas(areas))
    except UnknownArea as exc:
        progress.clear()
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_INVALID)
    progress.stage("regimes", "checking")
    return check(model, analysis, options=options)


def check_options(f: Any) -> Any:
    f = click.option("--warn-expiring", default=90, show_default=True, type=int,
                     help="Warn when a covering safeguard expires within this many days.")(f)
    f = click.option("--count-exempt", is_flag=True, help="[U] Count exempt transfers toward "
                     "PIPL volume tiers (default: left out, with a warning).")(f)
    f = click.option("--split-sa", is_flag=True, help="[U] Security assessment only for the "
                     "transfers that trigger it (default: all the exporter's transfers).")(f)
    return f


@click.command("check")
@click.argument("path", type=click.Path())
@click.option("--area", "areas", multiple=True, metavar="AREA", help="Limit to these areas.")
@click.option("--format", "fmt", type=click.Choice(["human", "json", "sarif", "github"]),
              default="human", show_default=True)
@click.option("--fail-on", type=click.Choice(["error", "warning"]), default="error",
              show_default=True)
@click.option("-o", "--output", default=None, help="Write to a file instead of stdout.")
@check_options
@model_options
def check_cmd(path: str, areas: tuple[str, ...], fmt: str, fail_on: str, output: str | None,
              warn_expiring: int, count_exempt: bool, split_sa: bool, as_of: str | None,
              max_file_size: str, verbose: bool, quiet: bool) -> None:
    """Decide what each transfer requires, compare with the declared safeguards and duties,
    and exit 1 on gaps (the CI gate)."""
    opts = CheckOptions(count_exempt=count_exempt, split_sa=split_sa,
                        warn_expiring_days=warn_expiring)
    progress = new_progress(quiet, verbose)
    result = run_check(path, areas, as_of, max_file_size, quiet or fmt != "human", verbose, opts,
                       "github" if fmt == "github" else "human", progress)
    progress.stage("output", "writing")
    if output is None or output == "-":
        progress.clear()  # the progress line must not mix with the output on a terminal
    if fmt == "json":
        # streamed: the document is never held whole (hundreds of MB at 10,000 systems)
        write_chunks(output, iter_json(check_document(result, envelope(result.model))))
    elif fmt == "sarif":
        write_chunks(output, iter_json(sarif_document(result.findings, all_finding_codes(),
                                                      __version__)))
    elif fmt == "github":
        diags = [_as_diag(f) for f in result.findings if not f.waived_by]
        text = format_github(diags)
        write_text(output, text + ("\n" if text else ""))
    else:
        # streamed like JSON: the same text, never held whole
        write_text_chunks(output, iter_check_human(check_document(result,
                                                                  envelope(result.model))))
    progress.done()
    sys.exit(EXIT_FINDINGS if result.failing(fail_on) else EXIT_OK)


def write_chunks(path: str | None, chunks: Iterable[bytes]) -> None:
    """Write pieces to stdout, or atomically to a file: the pieces go to a temporary sibling
    renamed over the target once the last is written, so a failure half-way (a bug while
    converting an item, a full disk) leaves any old file untouched and no temporary behind.
    The same rules as ``output.atomic_write``: a device or pipe is written through."""
    if path is None or path == "-":
        sys.stdout.flush()
        out = getattr(sys.stdout, "buffer", None)
        for piece in chunks:
            if out is not None:
                out.write(piece)
            else:  # a text-only stream (tests replacing sys.stdout)
                sys.stdout.write(piece.decode("utf-8"))
        (out or sys.stdout).flush()
        return
    atomic_write(Path(path), chunks)


def _as_diag(f: Finding) -> Diagnostic:
    msg = f.message + (f" [{f.citation.text()}]" if f.citation else "")
    return Diagnostic(f.code, f.severity, msg, f.file, f.line, f.col, f.hint)  # type: ignore[arg-type]


def render_check_human(doc: dict[str, Any]) -> str:
    return "".join(iter_check_human(doc))


_HUMAN_LINES = 2048  # lines rendered per piece: the document is never held whole


def _items(value: Any) -> Iterable[Any]:
    return value.items if isinstance(value, Lazy) else value


def iter_check_human(doc: dict[str, Any]) -> Iterator[str]:
    """The human check report in pieces of whole lines, from a document whose long lists may
    be ``Lazy`` (as ``check_document`` makes them): at 100,000 systems the whole text and the
    materialised document were gigabytes. Each piece is what ``rich`` printed for its lines,
    right-stripped line by line, exactly as the whole text was."""
    buf = io.StringIO()
    c = Console(file=buf, width=100, color_system=None, force_terminal=False)
    out: list[str] = []

    def p(text: str = "") -> None:
        # _clean escapes every control, line-break and bidi character (and is slow per
        # character: almost every line is printable as it is)
        line = text if text.isprintable() else _clean(text)
        if ":" in line and _emoji_replace(line) != line:
            # rich would print an emoji for a :code:, let it (rare)
            c.print(line, markup=False, highlight=False, soft_wrap=True)
            printed = buf.getvalue()
            buf.seek(0)
            buf.truncate()
            out.extend(x.rstrip() + "\n" for x in printed.splitlines())
        else:
            # what rich prints for any other clean line (no wrapping, no markup): the line
            # itself; rich's per-line rendering was ~9 s of CPU for a 10,000-system check
            out.append(line.rstrip() + "\n")

    def piece() -> str:
        text = "".join(out)
        out.clear()
        return text

    s = doc["summary"]
    p(f"{doc['model']['name']} — as of {doc['evaluation_date']} — areas: "
      f"{', '.join(doc['areas'])}")
    p(f"{s['transfers']} transfer(s), {s['possible_transfers']} possible; {s['errors']} "
      f"error(s), {s['warnings']} warning(s), {s['waived']} waived")
    p()
    p("Filing plan")
    for r in _items(doc["exporters"]):
        line = (f"  [{r['regime']}] {r['exporter']} ({r['name']}), {r['year']}: ordinary "
                f"{r['ordinary']:,}, sensitive {r['sensitive']:,} -> tier {r['tier']}")
        if r.get("tier_crossed_on"):
            line += f" (reached {r['tier_crossed_on']})"
        p(line)
        if r.get("authority"):
            p(f"      file with: {r['authority']} ({r.get('authority_en') or ''})")
        elif r["regime"] == "pipl" and r["tier"] != "exempt" and not r.get("province"):
            p(f"      file with: the provincial CAC where {r['exporter']} is located (set "
              "`province` on the entity to name it)")
        if len(out) >= _HUMAN_LINES:
            yield piece()
    for a in _items(doc["assessments"]):
        if a["status"] == "ok":
            mark = "ok "
        elif a["status"] in ("exempt", "not-required"):
            mark = "ex "
        else:
            mark = "GAP"
        req = " or ".join(a["required"]) or "-"
        p(f"  {mark} {a['transfer']} [{a['regime']}] requires {req}"
          + (f"; declared {', '.join(a['declared'])}" if a["declared"] else ""))
        if a.get("filing", {}).get("rule"):
            p(f"      {a['filing']['rule']}")
        for w in a.get("warnings") or ():  # [U] readings that decide the outcome, never hidden
            p(f"      [U] {w['code']}: {w['message']}; alternative: {w['alternative']}")
        if len(out) >= _HUMAN_LINES:
            yield piece()
    p()
    p("Findings")
    for f in _items(doc["findings"]):
        where = f"{f['file']}:{f['line']}:{f['col']}: " if f.get("file") else ""
        waived = f" (waived by {f['waived_by']})" if f.get("waived_by") else ""
        p(f"  {where}{f['severity']} {f['code']} {f['message']}{waived}")
        if f.get("citation"):
            p(f"      citation: {f['citation']}")
        if f.get("hint"):
            p(f"      hint: {f['hint']}")
        if len(out) >= _HUMAN_LINES:
            yield piece()
    yield piece()


def write_text_chunks(path: str | None, pieces: Iterable[str]) -> None:
    """``write_text`` of the joined pieces, without joining them (atomic for a file)."""
    if path is None or path == "-":
        for text in pieces:
            sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_chunks(path, (text.encode("utf-8") for text in pieces))


@click.command("why")
@click.argument("path", type=click.Path())
@click.argument("transfer_id")
@click.option("--format", "fmt", type=click.Choice(["human", "json"]), default="human")
@check_options
@model_options
def why_cmd(path: str, transfer_id: str, fmt: str, warn_expiring: int, count_exempt: bool,
            split_sa: bool, as_of: str | None, max_file_size: str, verbose: bool,
            quiet: bool) -> None:
    """Print the decision trace for one transfer: each step, the counts behind it, the
    exemptions considered and why they were rejected."""
    opts = CheckOptions(count_exempt=count_exempt, split_sa=split_sa,
                        warn_expiring_days=warn_expiring)
    result = run_check(path, (), as_of, max_file_size, True, verbose, opts)
    model = result.model
    mine = [a for a in result.assessments if a.transfer.id == transfer_id]
    found = mine[0].transfer if mine else result.analysis.by_id(transfer_id)
    if found is None:
        ids = sorted({a.transfer.id for a in result.assessments} |
                     {t.id for t in [*result.analysis.transfers, *result.analysis.possible]})
        guess = suggest(transfer_id, ids)
        click.echo(f"no transfer '{transfer_id}'" + (f"; did you mean '{guess}'?" if guess
                                                       else "") + "\nknown: " + ", ".join(ids),
                   err=True)
        sys.exit(EXIT_INVALID)
    # a transfer the analysis found but no regime assesses (e.g. a US exit to India): its trace
    # is what the analysis found and which regimes cover its area, never "no transfer"
    unassessed = None if mine else _unassessed(found.area)
    if fmt == "json":
        doc: dict[str, Any] = envelope(model)
        doc.update({"transfer": transfer_id, "assessments": [a.to_json(model) for a in mine],
                    "found": transfer_json(model, found)})
        if unassessed is not None:
            doc["not_assessed"] = {"area": found.area, "regimes_of_area": unassessed[0],
                                   "reason": unassessed[1]}
        write_text(None, dumps_json(doc))
        sys.exit(EXIT_OK)
    t = found
    out = [f"{t.id}", f"  path: {' > '.join(t.path)}  (via {', '.join(t.path_flows)})",
           f"  exporter {t.exporter}, sender {t.sender} ({t.sender_role}), recipient "
           f"{t.recipient} ({t.recipient_role}, {','.join(t.recipient_jurisdictions)})",
           f"  people: {t.individuals['total']:,} ({t.individuals['sensitive']:,} sensitive)"]
    if unassessed is not None:
        regimes, reason = unassessed
        out.append(f"\nno regime assesses this transfer (regimes of area {t.area}: "
                   f"{', '.join(regimes) or 'none'}): {reason}")
    for a in mine:
        out.append(f"\n[{a.regime}] requires {' or '.join(a.required) or 'nothing'} — status "
                   f"{a.status}")
        for st in a.trace:
            out.append(f"  {st.step}: {st.result}")
            if st.detail:
                out.append(f"      {st.detail}")
        for d in a.duties:
            out.append(f"  duty {d.id}: {'declared' if d.declared else 'NOT declared'} "
                       f"({d.basis.text()})")
        for w in a.warnings:
            out.append(f"  [U] {w.message}\n      alternative: {w.alternative}")
        out.append("  basis: " + "; ".join(c.text() for c in a.basis))
    write_text(None, "\n".join(out) + "\n")
    sys.exit(EXIT_OK)


# the area each regime assesses the exits of (check.REGIMES order)
_REGIME_AREAS = {"pipl": "CN", "gdpr": "EEA", "uk-gdpr": "UK", "us-doj-dsp": "US",
                 "us-padfa": "US"}


def _unassessed(area: str) -> tuple[list[str], str]:
    """The regimes of a transfer's area, and why none of them assessed it."""
    regimes = [rid for rid, _, _ in REGIMES if _REGIME_AREAS.get(rid, rid.upper()) == area]
    if area == "US":
        reason = ("the US DOJ rule assesses only recipients that are covered persons or lie in a "
                  "country of concern (28 CFR Part 202), PADFA only data brokers' sales to "
                  "foreign-adversary countries; neither applies to this transfer (docs/regimes.md)")
    elif regimes:
        reason = "none of them found it in its scope (docs/regimes.md)"
    else:
        reason = f"no regime of dataflow covers exits from {area} (docs/regimes.md)"
    return regimes, reason


@click.command("explain")
@click.argument("code")
def explain_cmd(code: str) -> None:
    """Explain a diagnostic or finding code (e.g. DF200, PIPL100) and how to fix it."""
    key = code.split("/", 1)[0].upper()
    loader = LOADER_CODES.get(key)
    if loader is not None:
        click.echo(f"{loader.code} ({loader.name}, {loader.severity})\n\n{loader.summary}\n\n"
                   f"Fix: {loader.fix}")
        sys.exit(EXIT_OK)
    reading = INTERPRETATIONS.get(key)
    if reading is not None:
        click.echo(f"{reading.code} — interpretation warning ({reading.regime})\n\n"
                   f"Unsettled: {reading.point}\n\nDefault: {reading.default}\n\n"
                   f"Shown beside it: {reading.alternative} (each assessment computes it on "
                   "the model)")
        sys.exit(EXIT_OK)
    codes = all_finding_codes()
    fc = codes.get(key)
    if fc is None:
        guess = suggest(key, [*codes, *LOADER_CODES, *INTERPRETATIONS])
        click.echo(f"unknown code '{code}'" + (f"; did you mean {guess}?" if guess else ""),
                   err=True)
        sys.exit(EXIT_INVALID)
    cite = f"\n\nCitation: {fc.citation.text()}" if fc.citation else ""
    click.echo(f"{fc.code} — {fc.title} ({fc.severity})\n\n{fc.explanation}\n\nFix: {fc.fix}"
               f"{cite}")
    sys.exit(EXIT_OK)
