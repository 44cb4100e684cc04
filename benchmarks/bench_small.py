"""Small runs: what one 1,000-employee x 104-week run costs in a warm process.

    python benchmarks/bench_small.py [--runs 20] [--plans provide-and-pray ...] [--employees 1000]

A comparison or a sweep is many small runs, one after another in each worker process, so the
per-run cost (not the kernel's throughput) sets how long the dashboard's "compare" takes (3 plans
x 40 organizations: DESIGN section 5). Each plan runs ``--runs`` replicate organizations through
``experiments.runner.run_one`` (what a worker runs: build, weeks, summary) on one numba thread,
as a worker process does, after a warm-up run. Printed per plan: the median and fastest wall time
per run, its CPU time, and the median split into build, weeks and summary; then the per-week
phases of the model (turnover and hiring, sync, decisions, the rest) in CPU time, measured by
timing the model's own step methods. The load average is printed before and after: on a shared
machine the figures move with it (CPU time less than wall time).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

PLANS = ["provide-and-pray", "goal-led-communities", "bootstrap"]


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def per_run(plan: str, runs: int, employees: int, weeks: int) -> dict:
    from experiments import RunSpec, replicate_seeds, run_one
    from scenarios import load_scenario

    sc = load_scenario(plan, [f"organization.employees={employees}", f"weeks={weeks}"])
    seeds = replicate_seeds(2026, runs)
    run_one(RunSpec(sc, seeds[0], "numba"))  # warm: kernels loaded, caches filled
    wall, cpu, build, weeks_s, summary = [], [], [], [], []
    for seed in seeds:
        t0, c0 = time.perf_counter(), time.process_time()
        result = run_one(RunSpec(sc, seed, "numba"))
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        build.append(result.timing["build_s"])
        weeks_s.append(result.timing["run_s"])
        summary.append(wall[-1] - build[-1] - weeks_s[-1])
    med = statistics.median
    return {"wall": med(wall), "fastest": min(wall), "cpu": med(cpu), "build": med(build),
            "weeks": med(weeks_s), "summary": med(summary)}


def phases(plan: str, runs: int, employees: int, weeks: int) -> dict[str, float]:
    """CPU seconds per run spent in the model's weekly phases (wrapping its methods)."""
    from experiments import RunSpec, build_model, replicate_seeds
    from scenarios import load_scenario
    from simulation import AdoptionModel

    spent: dict[str, float] = {}

    def timed(name: str, fn):
        def wrapper(*args, **kwargs):
            t0 = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.process_time() - t0
        return wrapper

    sc = load_scenario(plan, [f"organization.employees={employees}", f"weeks={weeks}"])
    seeds = replicate_seeds(7, runs)
    for seed in seeds:  # warm: a kernel's other specialisations (int64 exposure sums) loaded
        build_model(RunSpec(sc, seed, "numba")).run()
    total = 0.0
    for seed in seeds:
        model: AdoptionModel = build_model(RunSpec(sc, seed, "numba"))
        eng = model.engine
        model._turnover = timed("turnover and hiring", model._turnover)
        eng.sync = timed("sync (exposure, head counts)", eng.sync)
        eng.decide = timed("decisions (kernel, push)", eng.decide)
        eng.commit = timed("commit", eng.commit)
        t0 = time.process_time()
        model.run()
        total += time.process_time() - t0
    spent["everything else (plan, records, conditions)"] = total - sum(spent.values())
    return {k: v / runs for k, v in spent.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--plans", nargs="+", default=PLANS)
    ap.add_argument("--employees", type=int, default=1000)
    ap.add_argument("--weeks", type=int, default=104)
    args = ap.parse_args()
    import numba

    numba.set_num_threads(1)  # as in a worker process
    print(f"small runs: {args.employees:,} employees x {args.weeks} weeks, {args.runs} runs per "
          f"plan, one numba thread; {load()}")
    for plan in args.plans:
        r = per_run(plan, args.runs, args.employees, args.weeks)
        print(f"  {plan:22s} {1000 * r['wall']:6.1f} ms per run (fastest {1000 * r['fastest']:.1f},"
              f" CPU {1000 * r['cpu']:.1f}): build {1000 * r['build']:.1f}, weeks "
              f"{1000 * r['weeks']:.1f}, summary {1000 * r['summary']:.1f}")
    plan = args.plans[0]
    print(f"per-week phases of {plan}, CPU ms per run:")
    for name, s in phases(plan, max(3, args.runs // 2), args.employees, args.weeks).items():
        print(f"  {name:46s} {1000 * s:6.1f}")
    print(load())


if __name__ == "__main__":
    main()
