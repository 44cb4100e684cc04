"""Fit the rule's behavioural defaults jointly to the claim effects and the outcome shapes
(experiments/calibration.py) and write the record: docs/calibration.json and the ODD's
calibration section (between the ``<!-- calibration -->`` markers of docs/ODD.md).

    python scripts/calibrate.py [--organizations 30] [--screen 24] [--evaluations 80]
                                [--holdout 30] [--minutes 12]
                                [--params dynamics.engage_hurdle,...] [--prior-weight 0.1]
                                [--seed 2026] [--workers 2] [--print]
                                [--record docs/calibration.json] [--doc docs/ODD.md]
    python scripts/calibrate.py --smoke          # 3 organizations, 5 evaluations: seconds
    python scripts/calibrate.py --render         # the ODD section again from the record
    python scripts/calibrate.py --mark-adopted   # after copying the chosen values into
                                                 # simulation/config.py: record it

The fit proposes values; it does not change simulation/config.py. Adopting them is a
deliberate edit of the defaults (and a re-recording of the golden fingerprints), after which
``--mark-adopted`` checks that the configuration holds the fitted values and says so in the
record.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from playbook import replace_section  # scripts/playbook.py, beside this script
from pydantic import ValidationError

from experiments import DEFAULT_SEED
from experiments.calibration import (
    MARKER,
    Settings,
    calibrate,
    choose,
    default_of,
    read_record,
    render_section,
    write_record,
)
from experiments.claims import CHECKS

ROOT = Path(__file__).resolve().parent.parent
RECORD = ROOT / "docs" / "calibration.json"
DOC = ROOT / "docs" / "ODD.md"
#: --smoke: the smallest run that exercises every stage
SMOKE = {"organizations": 3, "screen": 2, "evaluations": 5, "holdout": 3}


def write_section(doc: Path, record: dict) -> None:
    """Replace the ODD's calibration section with the record's, atomically."""
    text = replace_section(doc.read_text(), MARKER, render_section(record))
    tmp = doc.with_suffix(doc.suffix + ".tmp")
    tmp.write_text(text)
    tmp.replace(doc)


def _errors(e: ValidationError) -> str:
    names = {"params": "parameters", "prior-weight": "prior_weight"}
    flags = {v: k for k, v in names.items()}
    out = []
    for err in e.errors():
        where = ".".join(str(x) for x in err["loc"] if not isinstance(x, int))
        flag = f"--{flags.get(where, where)}" if where else "the settings"
        out.append(f"{flag}: {err['msg']}")
    return "; ".join(out)


def mark_adopted(record_path: Path, doc: Path) -> int:
    record = choose(read_record(record_path))
    wrong = [f"{p['path']} is {default_of(p['path']):g}, the chosen value {p['chosen']:g}"
             for p in record["parameters"] if default_of(p["path"]) != p["chosen"]]
    if wrong:
        print("not adopted: the configuration's defaults differ from the chosen values: "
              + "; ".join(wrong), file=sys.stderr)
        return 1
    record["status"] = "adopted"
    write_record(record, record_path)
    write_section(doc, record)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--organizations", type=int, default=None,
                    help="seeded organizations per plan and evaluation (default 30)")
    ap.add_argument("--screen", type=int, default=None,
                    help="Latin hypercube points before the refinement (default 24)")
    ap.add_argument("--evaluations", type=int, default=None,
                    help="evaluations in all (default 80)")
    ap.add_argument("--holdout", type=int, default=None,
                    help="fresh organizations to check the fit on (default 30; 0: none)")
    ap.add_argument("--minutes", type=float, default=None,
                    help="stop the screen and the refinement after this long (then the "
                    "rounded fit and the fresh organizations run)")
    ap.add_argument("--params", default=None,
                    help="comma-separated free parameters (default: the documented set)")
    ap.add_argument("--prior-weight", type=float, default=None,
                    help="pull toward the values before the fit (default 0.1)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--workers", type=int, default=None, help="local processes (default: CPUs)")
    ap.add_argument("--smoke", action="store_true",
                    help=f"a seconds-long run of every stage: {SMOKE} unless given")
    ap.add_argument("--print", action="store_true", help="print; write neither record nor ODD")
    ap.add_argument("--render", action="store_true",
                    help="only rewrite the ODD section from the record (no runs)")
    ap.add_argument("--mark-adopted", action="store_true",
                    help="record that simulation/config.py now holds the chosen values (the fit, "
                    "or the values before it if the fit does no better on fresh organizations)")
    ap.add_argument("--record", type=Path, default=RECORD)
    ap.add_argument("--doc", type=Path, default=DOC)
    args = ap.parse_args(argv)
    if args.workers is not None and args.workers < 1:
        ap.error("--workers: at least 1")
    if args.render or args.mark_adopted:
        if not args.record.exists():
            ap.error(f"--record: {args.record} does not exist (run a calibration first)")
        if args.mark_adopted:
            return mark_adopted(args.record, args.doc)
        write_section(args.doc, read_record(args.record))
        return 0
    given = {"organizations": args.organizations, "screen": args.screen,
             "evaluations": args.evaluations, "prior_weight": args.prior_weight,
             "holdout": args.holdout, "minutes": args.minutes,
             "parameters": None if args.params is None else
             tuple(p.strip() for p in args.params.split(",") if p.strip())}
    if args.smoke:
        given = {**SMOKE, **{k: v for k, v in given.items() if v is not None}}
    try:
        settings = Settings(seed=args.seed, **{k: v for k, v in given.items() if v is not None})
    except ValidationError as e:
        ap.error(_errors(e))
    if not args.print:
        doc = args.doc.read_text()
        replace_section(doc, MARKER, "")  # no markers: stop before any run
    t0 = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - t0:6.0f} s] {message}", file=sys.stderr, flush=True)

    record = calibrate(settings, workers=args.workers, checks=CHECKS, log=log)
    section = render_section(record)
    print(section)
    if not args.print:
        write_record(record, args.record)
        write_section(args.doc, record)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
