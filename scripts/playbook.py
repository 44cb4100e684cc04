"""Measure the domain claims over replicate organizations and regenerate the results table in
docs/PLAYBOOK.md (between the ``<!-- claims -->`` markers).

    python scripts/playbook.py [--replicates 300] [--seed 2026] [--workers 2] [--print]
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

from experiments import DEFAULT_SEED
from experiments.claims import CHECKS, collect, motivation_variants

DOC = Path(__file__).resolve().parent.parent / "docs" / "PLAYBOOK.md"


def table(data) -> tuple[str, bool]:
    rows = ["| claim | statement | tolerance | measured | result |", "|---|---|---|---|---|"]
    all_ok = True
    for c in CHECKS:
        out = c.evaluate(data)
        all_ok &= out.passed
        rows.append(f"| {c.claim} | {c.statement} | {c.tolerance} | {out.measured} | "
                    f"{'pass' if out.passed else '**FAIL**'} |")
    return "\n".join(rows), all_ok


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--replicates", type=int, default=300)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--print", action="store_true", help="print only, do not write the doc")
    args = ap.parse_args()
    t = time.perf_counter()
    data = collect(args.replicates, args.seed, variants=motivation_variants(),
                   workers=args.workers)
    text, ok = table(data)
    header = (f"Measured with `python scripts/playbook.py --replicates {args.replicates} "
              f"--seed {args.seed}`: {args.replicates} replicate organizations per scenario, "
              f"{len(data.runs)} scenarios, {time.perf_counter() - t:.0f} s.\n\n")
    print(header + text)
    if not args.print:
        doc = DOC.read_text()
        pattern = re.compile(r"(<!-- claims -->\n)(?:.*?\n)?(<!-- /claims -->)", re.S)
        if not pattern.search(doc):
            raise SystemExit(f"{DOC} has no <!-- claims --> ... <!-- /claims --> markers")
        new = pattern.sub(lambda m: m.group(1) + header + text + "\n" + m.group(2), doc)
        DOC.write_text(new)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
