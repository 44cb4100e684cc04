"""The ``adoptsim`` command line (DESIGN section 7).

Exit codes: 0 ok, 2 bad input (one paragraph on stderr, no traceback), 1 internal error.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from scenarios import (
    Scenario,
    builtin_names,
    late_interventions,
    load_org_chart,
    load_scenario,
    scenario_to_toml,
)
from simulation import (
    ENGINES,
    STATES,
    AdoptsimError,
    ConfigError,
    Organization,
    estimated_seconds,
    resolve_engine,
)

from . import outputs, report, serve
from .compare import CompareInterrupted
from .compare import compare as run_compare
from .runner import DEFAULT_SEED, RunSpec, run_one

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="adoptsim: how a social way of working spreads through an organization.",
)
scenarios_app = typer.Typer(
    add_completion=False, invoke_without_command=True, help="List, show and validate scenarios."
)
app.add_typer(scenarios_app, name="scenarios")

# plain consoles: a user's text (file names, scenario names, CSV values) is printed as it is,
# never read as markup or emoji codes
out_console = outputs.plain_console()
err_console = outputs.plain_console(stderr=True)


Engine = Annotated[str, typer.Option("--engine", help=" | ".join(ENGINES))]
Seed = Annotated[
    int,
    typer.Option(
        "--seed", min=0, max=2**63 - 1, help="Seed, 0 <= S < 2**63 (root seed of the replicates)."
    ),
]
Weeks = Annotated[int | None, typer.Option("--weeks", help="Horizon in weeks.")]
Employees = Annotated[
    int | None, typer.Option("--employees", help="Head count of the synthetic organization.")
]
Sets = Annotated[
    list[str] | None,
    typer.Option("--set", help="Override a scenario field: dotted.path=value (repeatable)."),
]
OrgCsv = Annotated[
    Path | None,
    typer.Option(
        "--org-csv", help="Org chart CSV: employee_id,manager_id,department[,role][,tenure_years]."
    ),
]
TiesCsv = Annotated[
    Path | None, typer.Option("--ties-csv", help="Informal ties CSV: source,target[,weight].")
]
Out = Annotated[Path | None, typer.Option("--out", help="Directory for CSV tables and a plot.")]
JsonOut = Annotated[
    Path | None, typer.Option("--json", help="Write results as JSON ('-' for standard output).")
]
AllowLate = Annotated[
    bool,
    typer.Option(
        "--allow-late-interventions",
        help="Run a plan whose interventions start at or after the horizon (a warning, not "
        "an error).",
    ),
]
Scheduler = Annotated[
    str | None,
    typer.Option("--scheduler", help="Dask scheduler address (tcp://host:8786) or scheduler file."),
]


def _fail(message: str, code: int = 2) -> None:
    outputs.print_error(message, console=err_console)
    raise typer.Exit(code)


@contextlib.contextmanager
def _nothing_written_on_ctrl_c():
    """Ctrl-C (which typer would turn into a silent exit 130) says that nothing was written:
    outputs are written only at the end."""
    try:
        yield
    except KeyboardInterrupt:
        err_console.print("interrupted: nothing was written")
        raise typer.Exit(130) from None


def _overrides(sets: list[str] | None, weeks: int | None, employees: int | None) -> list[str]:
    extra = list(sets or [])
    for option, key, value in (
        ("--weeks", "weeks", weeks),
        ("--employees", "organization.employees", employees),
    ):
        if value is None:
            continue
        given = [t for t in extra if t.split("=", 1)[0].strip() == key]
        if given:
            raise ConfigError(
                f"{option} {value} and --set {given[0]!r} both set {key}; give one of them"
            )
        extra.append(f"{key}={value}")
    return extra


def _load(ref: str, overrides: list[str], allow_late: bool) -> Scenario:
    """A scenario; with ``allow_late``, its interventions that would never act are shown."""
    sc = load_scenario(ref, overrides, allow_late=allow_late)
    for late in late_interventions(sc):
        outputs.print_error(f"{sc.name}: {late}", console=err_console, label="warning",
                            style="bold yellow")
    return sc


def _check_engine(engine: str) -> None:
    if engine not in ENGINES:
        raise ConfigError(f"--engine {engine!r}: choose one of {', '.join(ENGINES)}")


def _load_org(
    org_csv: Path | None,
    ties_csv: Path | None,
    scenario: Scenario,
    employees: int | None,
    seed: int,
) -> Organization | None:
    if ties_csv is not None and org_csv is None:
        raise ConfigError("--ties-csv needs --org-csv (ties refer to the org chart's ids)")
    if org_csv is None:
        return None
    if employees is not None:
        raise ConfigError(
            "--employees sets the size of a synthetic organization; it cannot be "
            "combined with --org-csv (the org chart sets the head count)"
        )
    return load_org_chart(org_csv, ties_csv, scenario.organization, np.random.default_rng(seed))


def _prepare_outputs(
    out: Path | None, json_path: Path | None, out_bytes: int = 0, json_bytes: int = 0
) -> None:
    """Fail before any work if the outputs cannot be written or lack room (nothing is
    created: ``--out`` appears, complete, when the results are written)."""
    if out is not None:
        outputs.check_dir(out, out_bytes, option="--out")
    if json_path is not None:
        outputs.check_file(json_path, json_bytes, option="--json")


def _emit_json(json_path: Path | None, payload: dict) -> None:
    if json_path is not None:
        outputs.write_file(json_path, report.to_json(payload), option="--json")


def _save_results(
    out: Path | None, write_out: Callable[[], object], json_path: Path | None, payload: dict
) -> None:
    """Write ``--out`` (``write_out``), then ``--json``, after the results were shown. A write
    that fails names the file and says which outputs hold the results shown above and which
    do not, exit 2 (the results on screen are not thrown away, and nothing claims they were
    saved)."""
    try:
        if out is not None:
            write_out()
        _emit_json(json_path, payload)
    except outputs.OutputError as e:
        if e.option == "--json":
            held = f"; --out {out} holds them" if out is not None else ""
            _fail(f"{e}. The results above were not saved to --json {json_path}{held}")
        unsaved = " or ".join(f"{o} {p}" for o, p in (("--out", out), ("--json", json_path)) if p)
        _fail(f"{e}. The results above were not saved: nothing was written to {unsaved}")


def _progress(transient: bool = True, remaining: bool = False) -> Progress:
    """A bar on stderr: done/total and time elapsed (and, with ``remaining``, time left)."""
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn()]
    if remaining:
        columns += [TextColumn("remaining"), TimeRemainingColumn()]
    return Progress(*columns, console=err_console, transient=transient)


# -- scenarios ------------------------------------------------------------------------------
@scenarios_app.callback()
def scenarios_list(ctx: typer.Context) -> None:
    """List the built-in scenarios with one-line descriptions."""
    if ctx.invoked_subcommand is not None:
        return
    table = Table(show_header=True, header_style="bold", box=None)
    table.add_column("scenario")
    table.add_column("what it demonstrates")
    for name in builtin_names():
        s = load_scenario(name)
        first = s.description.split(". ")[0].rstrip(".") + "."
        table.add_row(name, first)
    out_console.print(table)


@scenarios_app.command("show")
def scenarios_show(
    name: str, full: Annotated[bool, typer.Option("--full", help="Include every default.")] = False
):
    """Print a scenario as TOML."""
    sys.stdout.write(scenario_to_toml(load_scenario(name), full=full))


@scenarios_app.command("validate")
def scenarios_validate(files: list[Path], allow_late: AllowLate = False):
    """Exit 0 if every file is a valid scenario, else 2 with file, field and hint."""
    problems = []
    for f in files:
        try:
            if not f.is_file():
                raise ConfigError(f"{f}: no such file")
            _load(str(f), [], allow_late)
            out_console.print(f"{f}: ok")
        except AdoptsimError as e:
            problems.append(str(e))
    if problems:
        _fail("\n".join(problems))


# -- run ------------------------------------------------------------------------------------
def _print_run(scenario: str, seed: int, r) -> None:
    m = r.metrics
    table = Table(
        title=f"{scenario} (seed {seed}, {r.n_employees} employees, {r.weeks} weeks, "
        f"{r.engine} engine)",
        box=None,
        show_header=False,
    )
    table.add_column(justify="left")
    table.add_column(justify="right")
    table.add_row("success", "yes" if r.success else "no")
    for s in STATES:
        table.add_row(f"final {s}", f"{m['final_share'][s]:.1%}")
    for lvl in (10, 25, 50):
        w = m[f"weeks_to_{lvl}"]
        table.add_row(f"weeks to {lvl}% active", "never" if w is None else str(w))
    table.add_row("engagement depth", f"{m['engagement_depth']:.2f}")
    table.add_row("hours saved: meetings / reuse / across depts",
                  f"{m['hours_saved_meetings']:,.0f} / {m['hours_saved_reuse']:,.0f} / "
                  f"{m['hours_saved_cross_department_reuse']:,.0f}")
    table.add_row("value / cost", f"{m['value']:,.0f} / {m['cost']:,.0f}")
    table.add_row("ROI", "n/a" if m["roi"] is None else f"{m['roi']:.2f}")
    table.add_row("build / run", f"{r.timing['build_s']:.2f} s / {r.timing['run_s']:.2f} s")
    _console().print(table)


_json_to_stdout = False


def _console() -> Console:
    """Where tables go: stderr when JSON goes to standard output."""
    return err_console if _json_to_stdout else out_console


@app.command()
def run(
    scenario: str,
    seed: Seed = DEFAULT_SEED,
    engine: Engine = "auto",
    weeks: Weeks = None,
    employees: Employees = None,
    set_: Sets = None,
    org_csv: OrgCsv = None,
    ties_csv: TiesCsv = None,
    out: Out = None,
    json_path: JsonOut = None,
    allow_late: AllowLate = False,
):
    """Run one scenario once and report its outcomes."""
    global _json_to_stdout
    _json_to_stdout = outputs.is_stdout(json_path)
    _check_engine(engine)
    sc = _load(scenario, _overrides(set_, weeks, employees), allow_late)
    org = _load_org(org_csv, ties_csv, sc, employees, seed)
    departments = org.n_departments if org is not None else sc.organization.departments
    _prepare_outputs(out, json_path, *report.run_bytes(sc.weeks, departments))
    n = org.n if org is not None else sc.organization.employees
    with _nothing_written_on_ctrl_c(), _week_progress(sc, engine, n) as tick:
        result = run_one(RunSpec(sc, seed, engine, org), progress=tick)
    _print_run(sc.name, seed, result)
    _save_results(out, lambda: report.write_run_outputs(out, result, sc.name, seed),
                  json_path, report.run_json(result, sc.name, seed))


@contextlib.contextmanager
def _week_progress(sc: Scenario, engine: str, n_employees: int):
    """A progress bar over weeks for runs expected to take more than about three seconds:
    yields the callback for ``run_one`` (None for a short run)."""
    name = resolve_engine(engine, n_employees, sc.weeks)
    if estimated_seconds(name, n_employees, sc.weeks) < 3.0:
        yield None
        return
    with _progress() as bar:
        task = bar.add_task("weeks", total=sc.weeks)
        yield lambda week: bar.update(task, completed=week)


# -- compare ---------------------------------------------------------------------------------
def _print_compare(summaries, seed: int, replicates: int) -> None:
    table = Table(
        title=f"{replicates} replicate organizations per scenario (root seed {seed})",
        header_style="bold",
    )
    for col in (
        "scenario",
        "success (95% CI)",
        "active",
        "engaged",
        "wk to 25%",
        "wk to 50%",
        "value",
        "cost",
        "net value",
        "ROI",
    ):
        table.add_column(col, justify="left" if col == "scenario" else "right")
    for s in summaries:
        d = s.as_dict()
        lo, hi = d["success_ci"]
        fs = d["final_share"]
        table.add_row(
            d["name"],
            f"{d['success_rate']:.0%} ({lo:.0%}-{hi:.0%})",
            f"{fs['adopted'] + fs['engaged']:.0%}",
            f"{fs['engaged']:.0%}",
            "-" if d["weeks_to_25"] is None else f"{d['weeks_to_25']:.0f}",
            "-" if d["weeks_to_50"] is None else f"{d['weeks_to_50']:.0f}",
            f"{d['value']:,.0f}",
            f"{d['cost']:,.0f}",
            f"{d['value'] - d['cost']:,.0f}",
            "-" if d["roi"] is None else f"{d['roi']:.1f}",
        )
    _console().print(table)
    err_console.print(
        "value and cost are means over the replicate organizations (money); net value = value - "
        "cost; ROI = net value / cost. A cheap plan that rarely works can show a high ROI on a "
        "small net value: read ROI together with the success rate and the net value."
    )


@app.command()
def compare(
    scenario: list[str],
    replicates: Annotated[
        int, typer.Option("--replicates", min=1, max=100_000, help="Organizations per scenario.")
    ] = 20,
    seed: Seed = DEFAULT_SEED,
    engine: Engine = "auto",
    weeks: Weeks = None,
    employees: Employees = None,
    set_: Sets = None,
    org_csv: OrgCsv = None,
    ties_csv: TiesCsv = None,
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, help="Local processes.")
    ] = None,
    scheduler: Scheduler = None,
    out: Out = None,
    json_path: JsonOut = None,
    allow_late: AllowLate = False,
):
    """Compare scenarios over replicate organizations: success rate with a 95% interval,
    median weeks to 25% and 50% active, value, cost and ROI. Runs go to local processes
    (--workers) or the workers of a Dask scheduler (--scheduler)."""
    global _json_to_stdout
    _json_to_stdout = outputs.is_stdout(json_path)
    _check_engine(engine)
    _check_workers_scheduler(workers, scheduler)
    dupes = {s for s in scenario if scenario.count(s) > 1}
    if dupes:
        raise ConfigError(f"scenario given more than once: {', '.join(sorted(dupes))}")
    loaded = [_load(s, _overrides(set_, weeks, employees), allow_late) for s in scenario]
    names = [s.name for s in loaded]
    if len(set(names)) < len(names):
        raise ConfigError("two scenarios share a name; give them distinct `name` fields")
    org = _load_org(org_csv, ties_csv, loaded[0], employees, seed)
    total = replicates * len(loaded)
    _prepare_outputs(out, json_path, *report.compare_bytes(max(s.weeks for s in loaded), total))
    client = _dask_client(scheduler) if scheduler is not None else None
    bar = _progress()
    task = bar.add_task("replicates", total=total)
    try:
        with bar:
            summaries = run_compare(
                loaded,
                replicates=replicates,
                seed=seed,
                engine=engine,
                organization=org,
                workers=workers,
                executor=client,
                progress=lambda k: bar.advance(task, k),
                log=lambda m: err_console.print(m, highlight=False),
            )
    except CompareInterrupted as stop:
        _compare_interrupted(stop, seed, out, json_path)
    finally:
        if client is not None:
            client.close()
    _print_compare(summaries, seed, replicates)

    def write_out() -> None:
        report.write_compare_outputs(out, summaries)
        _console().print(f"wrote tables and compare.png to {out}")

    _save_results(out, write_out, json_path, report.compare_json(summaries, seed, replicates))


def _with_replicates(argv: list[str], k: int) -> str:
    """This command line with ``--replicates k``."""
    args, skip = [], False
    for a in argv:
        if skip:
            skip = False
        elif a == "--replicates":
            skip = True
        elif not a.startswith("--replicates="):
            args.append(a)
    return shlex.join(["adoptsim", *args, "--replicates", str(k)])


def _compare_interrupted(stop, seed: int, out: Path | None, json_path: Path | None) -> None:
    """Ctrl-C in compare: what finished, the comparison of the replicates every scenario
    finished, and the commands that give results as files; exit 130."""
    counts = ", ".join(
        f"{name} {len(reps)} of {stop.total // len(stop.names)}"
        for name, reps in stop.finished.items()
    )
    lines = [f"interrupted after {stop.done} of {stop.total} runs ({counts} replicates)."]
    k = stop.prefix
    if k:
        _print_compare(stop.partial(), seed, k)
        which = "replicate 1" if k == 1 else f"replicates 1-{k}"
        lines.append(
            f"The table above compares {which}, finished for every scenario (the same seeds "
            f"as --replicates {k})."
        )
    written = " or ".join(f"{o} {p}" for o, p in (("--out", out), ("--json", json_path)) if p)
    if written:
        lines.append(f"Nothing was written to {written}.")
    if k:
        lines.append(f"To get these results as files, run:\n  {_with_replicates(sys.argv[1:], k)}")
    lines.append(
        "Run the command again for the full comparison; `adoptsim sweep` keeps finished runs "
        "and resumes (docs/SWEEPS.md)."
    )
    _fail("\n".join(lines), code=130)


# -- sweep -----------------------------------------------------------------------------------
class _SweepBar:
    """The progress bar, started at the first report (so nothing shows for bad input), at
    the runs already stored without counting them into the rate."""

    def __init__(self) -> None:
        self.bar: Progress | None = None
        self.task = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            # a terminal clears the bar at the end; a log keeps the final one
            self.bar = _progress(transient=err_console.is_terminal, remaining=True)
            self.bar.start()
            self.task = self.bar.add_task("runs", total=total, completed=done)
        else:
            self.bar.update(self.task, completed=done)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def _dask_client(address: str):
    """A client of the Dask scheduler at ``address`` (or named by a scheduler file)."""
    from distributed import Client

    target = {"scheduler_file": address} if Path(address).is_file() else {"address": address}
    try:
        client = Client(**target, timeout="10s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as e:
        raise ConfigError(
            f"--scheduler {address}: cannot connect to a Dask scheduler ({e}). Start one with "
            "`dask scheduler --scheduler-file sched.json` and workers with `dask worker "
            "--scheduler-file sched.json --nthreads 1`, then pass the file or its address"
        ) from None
    if not client.scheduler_info().get("workers"):
        err_console.print(f"waiting for Dask workers to join {client.scheduler.address} ...")
        client.wait_for_workers(1)
    return client


def _check_workers_scheduler(workers: int | None, scheduler: str | None) -> None:
    if workers is not None and scheduler is not None:
        raise ConfigError(
            "--workers and --scheduler exclude each other: local processes, or "
            "the workers of a Dask scheduler"
        )


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def _sweep_summary(report, elapsed: float) -> None:
    if report.new == 0 and not report.failures:
        done = f"nothing to run: all {report.total} runs were stored already"
    else:
        rate = report.new / elapsed if elapsed > 0 else 0.0
        done = (
            f"sweep {report.status}: {report.stored} of {report.total} runs stored "
            f"({report.new} new in {elapsed:.1f} s, {rate:.1f} runs/s; {report.executor})"
        )
    # the datasets this folder holds (a sweep stored before groups/ existed has none)
    held = [f"{d}/" for d in ("metrics", "series", "groups")
            if any((report.out / d).glob("part-*.parquet"))]
    listed = ", ".join(["manifest.json", *held[:-1]]) + (f" and {held[-1]}" if held else "")
    groups = ", groups=True" if "groups/" in held else ""
    _console().print(
        f"{done}\nresults in {report.out}: {listed}{' (Parquet)' if held else ''}; read them "
        f"with experiments.sweep.load_sweep({str(report.out)!r}{groups})",
        highlight=False,
    )


@app.command()
def sweep(
    spec: Annotated[Path, typer.Argument(help="Sweep spec, a TOML file (docs/SWEEPS.md).")],
    out: Annotated[
        Path,
        typer.Option("--out", help="Directory for manifest.json, metrics/, series/ and groups/."),
    ],
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers", min=1, help="Local processes (default: CPUs, at most 8; 1: this one)."
        ),
    ] = None,
    scheduler: Scheduler = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Run only the runs DIR does not hold yet.")
    ] = False,
    engine: Annotated[
        str | None,
        typer.Option("--engine", help=f"{' | '.join(ENGINES)} (default: the spec's)."),
    ] = None,
    org_csv: OrgCsv = None,
    ties_csv: TiesCsv = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Run a design of more runs than the documented limit."),
    ] = False,
):
    """Run every design point x replicate of a sweep spec and store one Parquet row per run
    (metrics/), per run and week (series/) and per run, week, role and department (groups/).
    Exit 0 when every run is stored, 1 if runs failed (--resume retries them), 2 for bad
    input, 130 when interrupted (--resume goes on)."""
    from .sweep import run_sweep
    from .sweep_spec import load_spec

    if engine is not None:
        _check_engine(engine)
    _check_workers_scheduler(workers, scheduler)
    loaded = load_spec(spec)
    resume_cmd = shlex.join(["adoptsim", "sweep", str(spec), "--out", str(out), "--resume"])
    # a batch system's stop (SIGTERM) is handled like Ctrl-C
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    client = None
    bar = _SweepBar()
    t0 = time.perf_counter()
    try:
        if scheduler is not None:
            client = _dask_client(scheduler)
        report = run_sweep(
            loaded,
            out,
            workers=workers,
            executor=client,
            resume=resume,
            engine=engine,
            progress=bar,
            log=err_console.print,
            flush_seconds=_flush_seconds(),
            org_csv=org_csv,
            ties_csv=ties_csv,
            force=force,
        )
    except KeyboardInterrupt:
        bar.stop()
        _fail(
            f"interrupted; {_stored_count(out)} runs are stored in {out}. Resume with:\n  "
            f"{resume_cmd}",
            code=130,
        )
    except outputs.OutputError as e:  # a full disk mid-sweep: what is stored stays
        bar.stop()
        if _stored_count(out) == "no":  # refused before it started
            raise
        _fail(
            f"{e}. {_stored_count(out)} runs are stored in {out}; make room, then resume "
            f"with:\n  {resume_cmd}"
        )
    finally:
        bar.stop()
        signal.signal(signal.SIGTERM, previous)
        if client is not None:
            client.close()
    _sweep_summary(report, time.perf_counter() - t0)
    if report.failures:
        shown = "\n  ".join(
            f"run {f['run_id']} (point {f['point']}, replicate {f['replicate']}): {f['error']}"
            for f in report.failures[:5]
        )
        more = f"\n  ... and {len(report.failures) - 5} more" if len(report.failures) > 5 else ""
        then = (
            "These points cannot run: change the parameters and start a new sweep"
            if report.bad_input
            else f"Run them again (the stored runs are kept) with:\n  {resume_cmd}"
        )
        _fail(
            f"{len(report.failures)} runs failed and were not stored (see the manifest):\n"
            f"  {shown}{more}\n{then}",
            code=2 if report.bad_input else 1,
        )


def _flush_seconds() -> float:
    """How often finished runs are written (``ADOPTSIM_SWEEP_FLUSH_SECONDS``, default 5)."""
    raw = os.environ.get("ADOPTSIM_SWEEP_FLUSH_SECONDS", "5")
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value >= 0:
        raise ConfigError(f"ADOPTSIM_SWEEP_FLUSH_SECONDS={raw!r}: give a number of seconds >= 0")
    return value


def _stored_count(out: Path) -> str:
    from .storage import MANIFEST, read_manifest

    try:
        runs = read_manifest(out)["runs"] if (out / MANIFEST).is_file() else None
    except (OSError, ValueError, KeyError):
        runs = None
    return "no" if runs is None else f"{runs['stored']} of {runs['total']}"


# -- dashboard -------------------------------------------------------------------------------
app.command("dashboard")(serve.dashboard)


# -- validate --------------------------------------------------------------------------------
def _print_validation(results) -> None:
    table = Table(title="Reproductions of the classic diffusion models", header_style="bold")
    for col in ("validation", "check", "published", "measured", "tolerance", ""):
        table.add_column(col, overflow="fold")
    for r in results:
        for c in r.checks:
            ok = Text("pass", "green") if c.passed else Text("FAIL", "bold red")
            table.add_row(r.name, c.what, c.published, c.measured, c.tolerance, ok)
    _console().print(table)


@app.command()
def validate(
    name: Annotated[
        list[str] | None,
        typer.Argument(help="bass | granovetter | watts | complex-contagion (default: all)."),
    ] = None,
    replicates: Annotated[
        int | None,
        typer.Option(
            "--replicates",
            min=1,
            max=100_000,
            help="Runs per point (default: each validation's own, see docs/VALIDATION.md).",
        ),
    ] = None,
    seed: Seed = DEFAULT_SEED,
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, help="Local processes.")
    ] = None,
    out: Annotated[
        Path, typer.Option("--out", help="Directory for VALIDATION.md and validation/*.png.")
    ] = Path("validation-report"),
):
    """Reproduce Bass, Granovetter, Watts cascades and complex contagion from their published
    results and write a report. Exit 0 if every check passes, 1 if a reproduction falls
    outside its tolerance, 2 for bad input."""
    from .validation import resolve_names, run_validations, write_report

    names = resolve_names(name)
    _prepare_outputs(out, None, 5_000_000)  # a report and a dozen figures
    results = []
    with _nothing_written_on_ctrl_c(), _progress() as bar:
        task = bar.add_task("validations", total=len(names))
        for n in names:
            bar.update(task, description=n)
            results += run_validations([n], replicates=replicates, seed=seed, workers=workers)
            bar.advance(task)
    _print_validation(results)
    write_report(results, out, seed)
    _console().print(f"wrote {out / 'VALIDATION.md'} and figures in {out / 'validation'}")
    if not all(r.passed for r in results):
        _fail("a reproduction is outside its tolerance (see the report)", code=1)


def main() -> None:
    """Console entry point: user errors exit 2 with a message, never a traceback."""
    try:
        app()  # usage errors exit 2 with typer's message; typer.Exit codes are honoured
    except AdoptsimError as e:
        outputs.print_error(str(e), console=err_console)
        sys.exit(2)
    except KeyboardInterrupt:
        err_console.print("interrupted: nothing was written")
        sys.exit(130)
    except MemoryError as e:  # the size guard's estimate was low, or memory went to others
        outputs.print_error(
            f"out of memory ({e or 'MemoryError'}); nothing was written. Run a smaller "
            "organization or fewer processes (--workers), or free memory",
            console=err_console,
        )
        sys.exit(2)
    except Exception as e:  # an internal error: short message, traceback only on request
        if os.environ.get("ADOPTSIM_DEBUG"):
            raise
        outputs.print_error(
            f"{type(e).__name__}: {e}\nPlease report it (set ADOPTSIM_DEBUG=1 for the "
            "traceback).",
            console=err_console,
            label="internal error",
        )
        sys.exit(1)


# -- analyze (experiments/analyze_cli.py) ----------------------------------------------------
from .analyze_cli import analyze as _analyze  # noqa: E402  (the command module imports cli)

app.command("analyze")(_analyze)

# -- lessons (experiments/lessons_cli.py) ----------------------------------------------------
from .lessons_cli import lessons_app as _lessons_app  # noqa: E402

app.add_typer(_lessons_app, name="lessons")

# -- animate (experiments/animate_cli.py) ----------------------------------------------------
from .animate_cli import animate_command as _animate  # noqa: E402

app.command("animate")(_animate)
