"""Run the worked example of docs/ANALYSIS.md and regenerate its quoted output and figures.

    python scripts/analysis_example.py [--out results/analysis-example] [--workers 2] [--print]

Two sweeps of the built-in plans (experiments/examples/sobol-goal-led.toml and
lhs-plans.toml), each followed by ``adoptsim analyze``, exactly as the doc shows them. The
printed summaries replace the text between the ``<!-- example:NAME -->`` markers of
docs/ANALYSIS.md, and the plots are copied to docs/analysis/. Re-run it whenever the model's
behaviour changes (a recalibration): the sweeps start afresh in ``--out``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "ANALYSIS.md"
FIGURES = ROOT / "docs" / "analysis"
ADOPTSIM = str(Path(sys.executable).parent / "adoptsim")

#: (marker, spec, sweep folder name, analyze options, analysis folder, figures to copy)
EXAMPLES = [
    ("sobol", "sobol-goal-led.toml", "sobol-goal-led", [], "sobol-success", ["sobol.png"]),
    (
        "prim",
        "lhs-plans.toml",
        "lhs-plans",
        ["--method", "prim"],
        "prim-success",
        ["prim_tradeoff.png", "prim_boxes.png", "feature_scores.png"],
    ),
]


def run(args: list[str]) -> str:
    """Run ``adoptsim ARGS`` from the repository root; its standard output."""
    done = subprocess.run([ADOPTSIM, *args], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"adoptsim {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return done.stdout


def example(out: Path, workers: int, marker: str, spec: str, name: str, options, folder, figs):
    sweep_dir = out / name
    shutil.rmtree(ROOT / sweep_dir, ignore_errors=True)  # afresh: the model may have changed
    t = time.perf_counter()
    sweep_cmd = [
        "sweep",
        f"experiments/examples/{spec}",
        "--out",
        str(sweep_dir),
        "--workers",
        str(workers),
    ]
    run(sweep_cmd)
    sweep_s = time.perf_counter() - t
    load = os.getloadavg()[0]
    analyze_cmd = ["analyze", str(sweep_dir), *options]
    printed = run(analyze_cmd)
    FIGURES.mkdir(parents=True, exist_ok=True)
    for fig in figs:
        shutil.copyfile(ROOT / sweep_dir / "analysis" / folder / fig, FIGURES / f"{marker}-{fig}")
    block = (
        f"```bash\nadoptsim {' '.join(sweep_cmd)}\n"
        f"adoptsim {' '.join(analyze_cmd)}\n```\n\n"
        f"The sweep took {sweep_s:.0f} s with {workers} worker processes (load average "
        f"{load:.1f} on {os.cpu_count()} cores when it ended)."
        " `analyze` prints (and writes to "
        f"`{sweep_dir}/analysis/{folder}/summary.md`):\n\n````markdown\n{printed.rstrip()}\n"
        "````\n"
    )
    return block + "".join(f"\n![{fig}](analysis/{marker}-{fig})\n" for fig in figs)


def replace(doc: str, marker: str, text: str) -> str:
    pattern = re.compile(
        rf"(<!-- example:{marker} -->\n)(?:.*?\n)?(<!-- /example:{marker} -->)", re.S
    )
    if not pattern.search(doc):
        raise SystemExit(f"{DOC} has no <!-- example:{marker} --> ... markers")
    return pattern.sub(lambda m: m.group(1) + text + m.group(2), doc)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=Path("results/analysis-example"))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--print", action="store_true", help="print only, do not write the doc")
    args = ap.parse_args()
    doc = DOC.read_text()
    for marker, *rest in EXAMPLES:
        text = example(args.out, args.workers, marker, *rest)
        print(text)
        doc = replace(doc, marker, text)
    if not args.print:
        DOC.write_text(doc)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
