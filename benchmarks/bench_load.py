"""Runs on a busy machine (DESIGN section 5): the same run alone and beside one busy process.

    python benchmarks/bench_load.py                     # 1,000, 10,000 and 1,000,000 employees
    python benchmarks/bench_load.py --sizes 1000 10000  # just these sizes
    python benchmarks/bench_load.py --crossover         # where threads pay: 1 vs 2 by size

Self-contained: for each size a fresh process builds the scenario (``goal-led-communities``,
104 weeks, numba engine, the compile cached by a warm-up run) and times the weekly loop of a new
model ``--rounds`` times, each round once idle and once while the benchmark's own busy process
(a Python loop on one core, in a session of its own as another program would be) runs; it is
started before and stopped after each loaded run. Printed: the load average before and after,
idle and loaded run times (median and range), and the ratio loaded / idle of the medians (and
the worst round), against the target: the loaded run at most 2x the idle one, and the idle
1M x 104-week run at most 3 s.

``--crossover`` times the same runs on one thread and on all of numba's threads, idle and
loaded, at sizes from 1,000 to 1,000,000: the size above which the parallel pass wins is
``simulation.kernels.threads.PARALLEL_FROM``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

HERE = __file__
TARGET_RATIO = 2.0
TARGET_1M_S = 3.0
BUSY = "while True:\n    pass\n"


def _uptime() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def _busy() -> subprocess.Popen:
    """One busy process, started as another program would be: in its own session (so that
    where the kernel groups CPU time by session, autogroup, it is a group of its own and does
    not share this benchmark's)."""
    return subprocess.Popen([sys.executable, "-c", BUSY], start_new_session=True)


def _stop(proc: subprocess.Popen) -> None:
    proc.kill()
    proc.wait()


def _timed_run(sc, seed: int, threads: int | None) -> float:
    from simulation import AdoptionModel
    from simulation.kernels import threads as policy

    if threads is not None:  # force the thread count whatever the size and the load
        policy.PARALLEL_FROM = 0 if threads > 1 else sys.maxsize
        policy.free_cpus = lambda: threads
    model = AdoptionModel(sc, rng=np.random.default_rng(seed), engine="numba")
    t = time.perf_counter()
    while model.week < sc.weeks:
        model.step()
    return time.perf_counter() - t


def measure(n: int, weeks: int, rounds: int, seed: int, threads: int | None) -> dict:
    """Idle and loaded run times of one size, ``rounds`` of each, interleaved."""
    from scenarios import load_scenario
    from simulation import AdoptionModel

    sc = load_scenario("goal-led-communities", [f"organization.employees={n}", f"weeks={weeks}"])
    warm = load_scenario("goal-led-communities", ["organization.employees=500", "weeks=3"])
    AdoptionModel(warm, rng=1, engine="numba").run()  # compile or load the cache
    _timed_run(sc, seed, threads)  # first touch of this size's code paths
    idle, loaded = [], []
    for _ in range(rounds):
        idle.append(_timed_run(sc, seed, threads))
        busy = _busy()
        try:
            time.sleep(0.3)  # the busy process is running before the run starts
            loaded.append(_timed_run(sc, seed, threads))
        finally:
            _stop(busy)
    return {"n": n, "threads": threads, "idle": idle, "loaded": loaded}


def _child(n: int, weeks: int, rounds: int, seed: int, threads: int | None) -> dict:
    cmd = [sys.executable, HERE, "--child", str(n), str(weeks), str(rounds), str(seed),
           str(threads or 0)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"benchmark child for {n} employees failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _fmt(times: list[float]) -> str:
    med = float(np.median(times))
    unit, k = ("ms", 1e3) if med < 1 else ("s", 1.0)
    return f"{med * k:7.1f} {unit} ({min(times) * k:.1f}-{max(times) * k:.1f})"


def report(rows: list[dict]) -> bool:
    head = (f"{'employees':>11} {'idle (median, range)':>26} {'loaded':>26} {'ratio':>6} "
            f"{'worst':>6}")
    print(head)
    print("-" * len(head))
    ok = True
    for r in rows:
        idle, loaded = np.array(r["idle"]), np.array(r["loaded"])
        ratio = float(np.median(loaded) / np.median(idle))
        worst = float(loaded.max() / np.median(idle))
        r["ratio"] = ratio
        ok &= ratio <= TARGET_RATIO
        print(f"{r['n']:>11,} {_fmt(r['idle']):>26} {_fmt(r['loaded']):>26} {ratio:>5.2f}x "
              f"{worst:>5.2f}x", flush=True)
    print(f"\ntargets (DESIGN section 5): loaded / idle <= {TARGET_RATIO:g}x")
    for r in rows:
        met = r["ratio"] <= TARGET_RATIO
        print(f"  {r['n']:>9,} employees: {r['ratio']:.2f}x {'met' if met else 'NOT met'}")
        if r["n"] == 1_000_000:
            med = float(np.median(r["idle"]))
            ok &= med <= TARGET_1M_S
            print(f"  1M x 104 weeks idle run <= {TARGET_1M_S:g} s: {med:.2f} s "
                  f"{'met' if med <= TARGET_1M_S else 'NOT met'}")
    return ok


def crossover(sizes: list[int], weeks: int, rounds: int, seed: int) -> None:
    import numba

    print(f"one thread vs {numba.get_num_threads()} threads (median of {rounds} rounds):")
    head = (f"{'employees':>11} {'1 thread idle':>14} {'N idle':>14} {'1 thread loaded':>16} "
            f"{'N loaded':>14}")
    print(head)
    print("-" * len(head))
    for n in sizes:
        one = _child(n, weeks, rounds, seed, 1)
        many = _child(n, weeks, rounds, seed, numba.get_num_threads())
        cells = [float(np.median(x)) for x in
                 (one["idle"], many["idle"], one["loaded"], many["loaded"])]
        print(f"{n:>11,} " + " ".join(f"{c * 1e3:>13.1f}ms" if i < 2 else f"{c * 1e3:>15.1f}ms"
                                      for i, c in enumerate(cells)), flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 1_000_000])
    ap.add_argument("--weeks", type=int, default=104)
    ap.add_argument("--rounds", type=int, default=0,
                    help="rounds per size (default: 9 below 100,000 employees, else 3)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--crossover", action="store_true")
    ap.add_argument("--child", nargs=5, type=int, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        n, weeks, rounds, seed, threads = a.child
        print(json.dumps(measure(n, weeks, rounds, seed, threads or None)))
        return 0

    import numba

    policy = os.environ.get("OMP_WAIT_POLICY", "PASSIVE (set by adoptsim)")
    print(f"adoptsim load check: goal-led-communities, {a.weeks} weeks, numba engine; "
          f"{os.cpu_count()} CPUs, numba {numba.__version__}, OMP_WAIT_POLICY={policy}")
    print(f"before: {_uptime()}\n")
    if a.crossover:
        sizes = [1_000, 3_000, 10_000, 30_000, 100_000, 300_000, 1_000_000]
        crossover(sizes if a.sizes == ap.get_default("sizes") else a.sizes, a.weeks,
                  a.rounds or 3, a.seed)
        print(f"\nafter: {_uptime()}")
        return 0
    rows = []
    for n in sorted(a.sizes):
        rounds = a.rounds or (9 if n < 100_000 else 3)
        rows.append(_child(n, a.weeks, rounds, a.seed, None))
    ok = report(rows)
    print(f"\nafter: {_uptime()}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
