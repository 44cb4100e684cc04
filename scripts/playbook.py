"""Measure the domain claims and the distributions of outcomes over replicate organizations and
regenerate their sections of docs/PLAYBOOK.md (between the ``<!-- claims -->`` and the
``<!-- distributions -->`` markers).

    python scripts/playbook.py [--replicates 300] [--seed 2026] [--workers 2] [--print]
                               [--sections claims,distributions] [--doc docs/PLAYBOOK.md]

One collection of runs serves both sections (every built-in plan on the same organizations;
the claims add two motivation variants, which the distributions leave out).
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

from experiments import DEFAULT_SEED
from experiments.claims import CHECKS, collect, motivation_variants
from experiments.distributions import describe, markdown

DOC = Path(__file__).resolve().parent.parent / "docs" / "PLAYBOOK.md"
SECTIONS = ("claims", "distributions")


def table(data) -> tuple[str, bool]:
    rows = ["| claim | statement | tolerance | measured | result |", "|---|---|---|---|---|"]
    all_ok = True
    for c in CHECKS:
        out = c.evaluate(data)
        all_ok &= out.passed
        rows.append(f"| {c.claim} | {c.statement} | {c.tolerance} | {out.measured} | "
                    f"{'pass' if out.passed else '**FAIL**'} |")
    return "\n".join(rows), all_ok


def distributions(data, variants) -> str:
    """The distributions section's tables: every plan of ``data`` but the ``variants``."""
    plans = {n: runs for n, runs in data.runs.items() if n not in variants}
    return markdown(describe(plans))


def replace_section(doc: str, name: str, text: str) -> str:
    """``doc`` with what lies between ``<!-- name -->`` and ``<!-- /name -->`` replaced by
    ``text``."""
    pattern = re.compile(rf"(<!-- {name} -->\n)(?:.*?\n)?(<!-- /{name} -->)", re.S)
    if not pattern.search(doc):
        raise SystemExit(f"the document has no <!-- {name} --> ... <!-- /{name} --> markers")
    return pattern.sub(lambda m: m.group(1) + text + "\n" + m.group(2), doc)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--replicates", type=int, default=300)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--print", action="store_true", help="print only, do not write the doc")
    ap.add_argument("--sections", default=",".join(SECTIONS),
                    help=f"which sections to measure and write (of {', '.join(SECTIONS)})")
    ap.add_argument("--doc", type=Path, default=DOC, help="the playbook to write")
    args = ap.parse_args(argv)
    sections = [s for s in args.sections.split(",") if s]
    if not sections or set(sections) - set(SECTIONS):
        ap.error(f"--sections: some of {', '.join(SECTIONS)}")
    t = time.perf_counter()
    variants = motivation_variants() if "claims" in sections else {}
    data = collect(args.replicates, args.seed, variants=variants, workers=args.workers)
    secs = time.perf_counter() - t
    texts, ok = {}, True
    if "claims" in sections:
        text, ok = table(data)
        texts["claims"] = (
            f"Measured with `python scripts/playbook.py --replicates {args.replicates} "
            f"--seed {args.seed}`: {args.replicates} replicate organizations per scenario, "
            f"{len(data.runs)} scenarios, {secs:.0f} s.\n\n" + text)
    if "distributions" in sections:
        texts["distributions"] = (
            f"Measured with `python scripts/playbook.py --replicates {args.replicates} "
            f"--seed {args.seed}` ({time.strftime('%Y-%m-%d', time.gmtime())}): "
            f"{args.replicates} replicate organizations per plan, the same organizations for "
            f"every plan.\n\n" + distributions(data, variants))
    for text in texts.values():
        print(text + "\n")
    if not args.print:
        doc = args.doc.read_text()
        for name, text in texts.items():
            doc = replace_section(doc, name, text)
        args.doc.write_text(doc)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
