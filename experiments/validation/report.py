"""The validation report: docs/VALIDATION.md (Markdown), figures (PNG) and measured figures
(JSON), written atomically."""

from __future__ import annotations

from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

from ..outputs import write_folder
from ..report import to_json
from .common import ValidationResult

__all__ = ["render_markdown", "write_report"]

FIGURES = "validation"  # figures and JSON go to DIR/validation/, the report to DIR/VALIDATION.md

SOURCES = """\
- Bass, F. M. (1969). A new product growth for model consumer durables. *Management Science*
  15(5), 215-227.
- Granovetter, M. (1978). Threshold models of collective behavior. *American Journal of
  Sociology* 83(6), 1420-1443.
- Watts, D. J. (2002). A simple model of global cascades on random networks. *PNAS* 99(9),
  5766-5771.
- Centola, D., & Macy, M. (2007). Complex contagions and the weakness of long ties. *American
  Journal of Sociology* 113(3), 702-734.
- Gleeson, J. P., & Cahalane, D. J. (2007). Seed size strongly affects cascades on random
  networks. *Physical Review E* 75, 056103.
- Watts, D. J., & Strogatz, S. H. (1998). Collective dynamics of 'small-world' networks.
  *Nature* 393, 440-442.
- Maslov, S., & Sneppen, K. (2002). Specificity and stability in topology of protein networks.
  *Science* 296, 910-913.
- Sultan, F., Farley, J. U., & Lehmann, D. R. (1990). A meta-analysis of applications of
  diffusion models. *Journal of Marketing Research* 27(1), 70-77.
- Janson, S., Łuczak, T., Turova, T., & Vallier, T. (2012). Bootstrap percolation on the random
  graph G(n,p). *Annals of Applied Probability* 22(5), 1989-2047.
- Whitney, D. E. Exploring Watts' cascade boundary. MIT Engineering Systems Division, working
  paper."""

INTRO = """\
The classic diffusion models are the limiting cases researchers check a simulator against.
`adoptsim` runs them as rules of the same engines (`rule = "bass" | "granovetter" |
"threshold"` in a scenario; `simulation/classic/`), and this report reproduces each from its
primary source. Every figure below is the numba engine; `tests/validation` proves the agents
engine gives the identical trajectory for every rule. Regenerate this file and its figures with
`python scripts/validation.py` (or `adoptsim validate --out DIR` for any subset); do not edit
it by hand.

The published figures themselves are not copied here: each table puts the published value
(or the analytic result the paper derives) next to ours, and each figure draws it in red over
our measurements in blue and green. Where a published value is read off a figure, or a
published result is qualitative, the table says so.

`adoptsim validate [NAME...] [--replicates R] [--seed S] [--workers N] [--out DIR]` runs one or
all validations (`bass`, `granovetter`, `watts`, `complex-contagion`) with smaller default
replicate counts (20, 1, 100 and 50 runs per point; this report uses the counts in the table
below) and writes `DIR/VALIDATION.md`, `DIR/validation/*.png` and
`DIR/validation/validation.json`. Exit code: 0 when every check passes, 1 when a reproduction
falls outside its tolerance (the report is still written and marks it), 2 for bad input (an
unknown validation name, a bad `--out`)."""


def _version() -> str:
    try:
        return metadata.version("adoptsim")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


def _section(i: int, r: ValidationResult) -> str:
    rows = ["| check | published | measured | tolerance | |", "|---|---|---|---|---|"]
    for c in r.checks:
        ok = "pass" if c.passed else "**FAIL**"
        cells = [c.what, c.published, c.measured, c.tolerance, ok]
        rows.append("| " + " | ".join(x.replace("|", "\\|") for x in cells) + " |")
    figures = "\n\n".join(f"![{r.name}: {name}]({FIGURES}/{name})" for name in r.plots)
    return (
        f"## {i}. {r.title}\n\n"
        f"Source: {r.source}. Validation `{r.name}`: {r.replicates} run(s) per point, "
        f"{r.seconds:.0f} s.\n\n"
        f"### Method\n\n{r.method}\n\n"
        f"### Published and measured\n\n" + "\n".join(rows) + "\n\n"
        f"{figures}\n\n"
        f"### Finite size and discretisation\n\n{r.notes}\n"
    )


def render_markdown(results: Sequence[ValidationResult], seed: int) -> str:
    """The whole report: summary, one section per validation, sources."""
    summary = ["| validation | source | runs per point | result |", "|---|---|---|---|"]
    for r in results:
        ok = "pass" if r.passed else "**FAIL**"
        summary.append(f"| `{r.name}` | {r.source} | {r.replicates} | {ok} |")
    sections = "\n".join(_section(i, r) for i, r in enumerate(results, start=1))
    return (
        "# Validation against the classic diffusion models\n\n"
        f"{INTRO}\n\n"
        f"Root seed {seed}, adoptsim {_version()}.\n\n" + "\n".join(summary) + "\n\n"
        f"{sections}\n"
        f"## Sources\n\n{SOURCES}\n"
    )


def write_report(results: Sequence[ValidationResult], out: Path, seed: int) -> list[Path]:
    """``out/VALIDATION.md``, ``out/validation/*.png`` and ``out/validation/validation.json``,
    written all at once (:func:`experiments.outputs.write_folder`)."""
    files: dict[str, bytes | str] = {
        f"{FIGURES}/{name}": data for r in results for name, data in r.plots.items()
    }
    payload = {
        "seed": seed,
        "passed": all(r.passed for r in results),
        "validations": [
            {
                "name": r.name,
                "source": r.source,
                "replicates": r.replicates,
                "passed": r.passed,
                "seconds": r.seconds,
                "checks": [c.__dict__ for c in r.checks],
                "figures": r.figures,
            }
            for r in results
        ],
    }
    files[f"{FIGURES}/validation.json"] = to_json(payload)
    files["VALIDATION.md"] = render_markdown(results, seed)
    return write_folder(out, files)
