"""Regenerate docs/VALIDATION.md and docs/validation/*.png (the classic-model reproductions).

    python scripts/validation.py                 the report's replicate counts (a few minutes)
    python scripts/validation.py --workers 4     more local processes
    python scripts/validation.py --quick         each validation's default counts (about 1 min)

Exit code 0 when every reproduction is within its tolerance, 1 otherwise (the report is written
either way and marks what failed).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from experiments import DEFAULT_SEED
from experiments.validation import VALIDATIONS, run_validations, write_report

DOCS = Path(__file__).resolve().parent.parent / "docs"

#: runs per point in the published report (the CLI's defaults are smaller, for speed)
REPORT_REPLICATES = {"bass": 50, "granovetter": 1, "watts": 500, "complex-contagion": 200}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--quick", action="store_true", help="default replicate counts")
    args = parser.parse_args()
    results = []
    for name in VALIDATIONS:
        t0 = time.perf_counter()
        reps = None if args.quick else REPORT_REPLICATES[name]
        results += run_validations([name], replicates=reps, seed=args.seed, workers=args.workers)
        status = "pass" if results[-1].passed else "FAIL"
        print(f"{name}: {status} ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    for path in write_report(results, DOCS, args.seed):
        print(f"wrote {path}", file=sys.stderr)
    return 0 if all(r.passed for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
