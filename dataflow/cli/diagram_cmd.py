"""`dataflow diagram`: architecture and transfer diagrams (DOT, SVG, PNG, PDF, Mermaid)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from ..render.diagram import (
    LEVELS,
    DiagramError,
    GraphvizFailed,
    GraphvizMissing,
    build_scene,
    parse_view,
    render_image,
    scene_dot,
    scene_mermaid,
)
from .common import EXIT_INVALID, EXIT_OK, load_or_exit, model_options, report_timings
from .output import atomic_write

FORMATS = ("svg", "png", "pdf", "dot", "mmd")
EXTENSIONS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".dot": "dot", ".gv": "dot",
              ".mmd": "mmd", ".mermaid": "mmd"}


def pick_format(fmt: str | None, output: str | None) -> str:
    """--format wins; else the -o extension; else DOT (on stdout)."""
    if fmt:
        return fmt
    if output is None or output == "-":
        return "dot"
    ext = Path(output).suffix.lower()
    if ext not in EXTENSIONS:
        raise click.BadParameter(
            f"cannot tell the format from '{output}'; use an extension "
            f"({', '.join(sorted(EXTENSIONS))}) or --format", param_hint="-o/--output")
    return EXTENSIONS[ext]


def dot_beside(output: Path) -> Path:
    """Where the DOT of an image goes: same folder and stem, `.dot`."""
    beside = output.with_suffix(".dot")
    return beside if beside != output else output.with_name(output.name + ".dot")


@click.command("diagram")
@click.argument("path", type=click.Path())
@click.option("--view", "view_text", default="overview", show_default=True, metavar="VIEW",
              help="overview | transfers | system:ID | jurisdiction:CODE | category:ID | "
              "transfer:ID")
@click.option("--level", type=click.Choice(LEVELS), default=None,
              help="Draw systems, entities or jurisdictions (parallel flows merged with a "
              "count); default: by size (system level up to 200 systems).")
@click.option("--area", default=None, metavar="AREA",
              help="Area whose exits are drawn: CN, EEA, UK, a jurisdiction code, or all; "
              "default: CN when the model touches mainland China, else the first area it "
              "touches.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format; default: from the -o extension, else DOT.")
@click.option("-o", "--output", default=None,
              help="Write to a file (the .dot is always written beside an image).")
@model_options
def diagram_cmd(path: str, view_text: str, level: str | None, area: str | None, fmt: str | None,
                output: str | None, as_of: str | None, max_file_size: str, verbose: bool,
                quiet: bool) -> None:
    """Draw the model with Graphviz: nested boundaries (area, jurisdiction, entity), systems
    shaped by kind, flows labelled with their data, exits in red and heavy.

    Exit 0 when drawn; 2 for an invalid model, a view that does not exist, or missing Graphviz.
    """
    out_format = pick_format(fmt, output)
    try:
        view = parse_view(view_text)
    except DiagramError as exc:
        raise click.BadParameter(str(exc), param_hint="--view") from exc
    t0 = time.perf_counter()
    model = load_or_exit(path, as_of, max_file_size, quiet=quiet, verbose=False)
    t1 = time.perf_counter()
    try:
        scene = build_scene(model, None, view, level, area)
    except DiagramError as exc:
        hint = "--area" if str(exc).startswith("unknown area") else "--view"
        raise click.BadParameter(str(exc), param_hint=hint) from exc
    t2 = time.perf_counter()
    text = scene_mermaid(scene) if out_format == "mmd" else scene_dot(scene)
    timings = {"load": t1 - t0, "analyse+scene": t2 - t1}
    if out_format in ("dot", "mmd"):
        _write(output, text.encode("utf-8"))
    else:
        image_path = Path(output) if output and output != "-" else None
        if image_path is not None:
            atomic_write(dot_beside(image_path), text.encode("utf-8"))
        t3 = time.perf_counter()
        try:
            data = render_image(text, out_format)
        except (GraphvizMissing, GraphvizFailed) as exc:
            where = (f"; the DOT is written to {dot_beside(image_path)}" if image_path
                     else "; write the DOT with --format dot")
            sys.stderr.write(f"dataflow diagram: {exc}{where}\n")
            sys.exit(EXIT_INVALID)
        timings["layout+render"] = time.perf_counter() - t3
        _write(output, data)
    if verbose:
        report_timings(timings)
    if not quiet:
        for note in scene.notes:
            sys.stderr.write(f"note: {note}\n")
    sys.exit(EXIT_OK)


def _write(output: str | None, data: bytes) -> None:
    if output is None or output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    atomic_write(Path(output), data)

