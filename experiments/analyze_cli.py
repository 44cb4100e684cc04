"""``adoptsim analyze``: the command-line face of :func:`experiments.analyze` (docs/ANALYSIS.md).

Registered in :mod:`experiments.cli`; the analysis (pyarrow, SALib, the EMA Workbench) is
imported when the command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["analyze"]


def analyze(
    sweep_dir: Annotated[
        Path, typer.Argument(metavar="DIR", help="A sweep folder (adoptsim sweep --out DIR).")
    ],
    method: Annotated[
        str,
        typer.Option(
            "--method",
            help="sobol | morris | prim | auto (auto: sobol or morris when the sweep's design "
            "is one, else prim).",
        ),
    ] = "auto",
    metric: Annotated[
        str, typer.Option("--metric", help="A column of metrics/: success, roi, weeks_to_50...")
    ] = "success",
    threshold: Annotated[
        str | None,
        typer.Option(
            "--threshold",
            help="Cases of interest for a numeric metric: a number or '<x' (below), '>x' "
            "(above), '<=x', '>=x'.",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Folder for summary.md, CSV tables and PNG plots "
            "(default DIR/analysis/<method>-<metric>).",
        ),
    ] = None,
    json_path: Annotated[
        Path | None, typer.Option("--json", help="Write the results as JSON ('-': stdout).")
    ] = None,
    boxes: Annotated[
        int, typer.Option("--boxes", min=1, max=10, help="prim: at most this many boxes.")
    ] = 3,
):
    """Which parameters matter (Sobol', Morris) and where a plan fails (PRIM scenario
    discovery) in a stored sweep: the findings in plain words, tables, plots and JSON."""
    from . import cli
    from .analysis import analyze as run_analysis
    from .analysis import check_out

    cli._json_to_stdout = json_path is not None and str(json_path) == "-"
    if out is not None:
        check_out(out)
    cli._prepare_outputs(None, json_path)
    result = run_analysis(
        sweep_dir, method=method, metric=metric, threshold=threshold, max_boxes=boxes
    )
    target = out if out is not None else result.default_out()
    files = result.write(target)
    _print(cli._console(), result.summary)
    cli._console().print(
        f"wrote {', '.join(f.name for f in files)} to {target}",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )
    cli._emit_json(json_path, result.as_json())


def _print(console, text: str) -> None:
    """Markdown rendered on a terminal; the plain markdown in a file or a log."""
    if console.is_terminal:
        from rich.markdown import Markdown

        console.print(Markdown(text))
    else:
        console.file.write(text if text.endswith("\n") else text + "\n")
