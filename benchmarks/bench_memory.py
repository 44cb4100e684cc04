"""Memory per employee and per tie, the figures behind the size guard (experiments/memory.py).

    python benchmarks/bench_memory.py            # numba at 1,000,000 and agents at 20,000
    python benchmarks/bench_memory.py --quick    # numba at 200,000 and agents at 10,000

Each measurement runs in a fresh process: it warms up (imports, the numba cache) and then
builds and runs goal-led-communities for 104 weeks; the figure is the peak resident memory
(``VmHWM``) above the warmed-up process. Two tie densities per engine (degree 13, the default,
and 33: ``ties_within_department`` 3 and 23) separate the two terms: bytes per tie = the
difference over the difference in ties, bytes per employee = the rest. Printed beside the
figures the guard uses (which should be a little above the measured ones).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

HERE = __file__


def _hwm() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status (Linux only)")


def measure(engine: str, n: int, within: float, weeks: int) -> dict:
    import numpy as np

    from scenarios import load_scenario
    from simulation import AdoptionModel

    warm = load_scenario("goal-led-communities", ["organization.employees=300", "weeks=3"])
    AdoptionModel(warm, rng=1, engine=engine).run()
    base = _hwm()
    sc = load_scenario("goal-led-communities", [f"organization.employees={n}", f"weeks={weeks}",
                                                f"organization.ties_within_department={within}"])
    model = AdoptionModel(sc, rng=np.random.default_rng(1), engine=engine).run()
    return {"engine": engine, "n": n, "ties": int(model.org.indices.size // 2),
            "bytes": _hwm() - base}


def _child(engine: str, n: int, within: float, weeks: int) -> dict:
    done = subprocess.run([sys.executable, HERE, "--child", engine, str(n), str(within),
                           str(weeks)], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--weeks", type=int, default=104)
    ap.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        e, n, within, weeks = a.child
        print(json.dumps(measure(e, int(n), float(within), int(weeks))))
        return 0
    from experiments.memory import BYTES_PER_EMPLOYEE, BYTES_PER_TIE

    sizes = {"numba": 200_000 if a.quick else 1_000_000, "agents": 10_000 if a.quick else 20_000}
    print(f"{'engine':>7} {'employees':>11} {'ties':>12} {'peak MB':>9}")
    for engine, n in sizes.items():
        lo, hi = (_child(engine, n, w, a.weeks) for w in (3.0, 23.0))
        for r in (lo, hi):
            print(f"{engine:>7} {n:>11,} {r['ties']:>12,} {r['bytes'] / 2**20:>9.0f}")
        per_tie = (hi["bytes"] - lo["bytes"]) / (hi["ties"] - lo["ties"])
        per_emp = (lo["bytes"] - per_tie * lo["ties"]) / n
        print(f"  measured: {per_emp:.0f} bytes per employee, {per_tie:.1f} per tie; the guard "
              f"uses {BYTES_PER_EMPLOYEE[engine]} and {BYTES_PER_TIE[engine]}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
