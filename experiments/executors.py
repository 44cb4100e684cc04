"""The one execution layer: where runs execute, for every multi-run path (compare, the claim
checks, sweeps, validations): this process, a local process pool (workers that exit with their
parent; a worker that dies has its unfinished tasks rerun on a new pool), any
``concurrent.futures.Executor``, or a Dask ``distributed.Client`` (which reruns a lost worker's
tasks itself).

:func:`results` runs ``fn(task)`` for every task and yields ``(task, result or the exception
that lost it)`` as tasks finish; :func:`run_all` returns the results in task order;
:func:`execute` runs :class:`~experiments.runner.RunSpec` s (one task each) into ``RunResult``
s. Outside this process every task runs on one numba thread (parallelism comes from the
workers). A sweep's unit of work is a batch of runs (:class:`Batch`): one task per batch keeps
the scheduling cost small against the runs (a Dask task costs about 2 ms of CPU). A batch
carries the raw scenario data and each run's parameter values, seed and engine; the worker builds
each point's scenario through the same override path as ``--set`` and returns compact outcomes
(a metrics row and the weekly head counts), not whole ``RunResult`` objects.
"""

from __future__ import annotations

import copy
import functools
import json
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

import numpy as np

from scenarios import Scenario, set_value, validate_data
from simulation import STATES, AdoptsimError, Organization

from .runner import RunSpec, run_one

__all__ = [
    "Batch",
    "Outcome",
    "dask_results",
    "default_workers",
    "execute",
    "executor_results",
    "inline_results",
    "is_dask_client",
    "local_pool",
    "local_results",
    "one_thread",
    "point_scenario",
    "results",
    "run_all",
    "run_batch",
    "stop_pool",
]

#: a local pool that breaks (a worker process killed) is replaced this many times
POOL_RESTARTS = 3


def one_thread() -> None:
    """Worker processes run one model at a time on one numba thread: parallelism comes from
    the processes, and threads would only oversubscribe the cores (results do not depend on
    the thread count)."""
    import numba

    numba.set_num_threads(1)


def default_workers() -> int:
    """Local processes when none are asked for: the CPUs, at most 8."""
    return max(1, min(os.cpu_count() or 1, 8))


def point_scenario(
    data: dict[str, Any], names: Sequence[str], values: Sequence[Any], where: str
) -> Scenario:
    """The scenario at one design point: the parameters set on a copy of the raw scenario
    data exactly as ``--set`` sets them, then validated like the file."""
    d = copy.deepcopy(data)
    for n, v in zip(names, values, strict=True):
        set_value(d, n, copy.deepcopy(v), f"{where}: parameter {n!r}")
    return validate_data(d, where)


@dataclass(frozen=True)
class Batch:
    """Runs for one task: ``runs`` holds (run_id, scenario index, values, seed, engine);
    ``organization``: an imported org chart every run meets (None: synthetic ones)."""

    bases: dict[int, dict[str, Any]]
    names: tuple[str, ...]
    runs: tuple[tuple[int, int, tuple, int, str], ...]
    one_thread: bool = True
    organization: Organization | None = None


@dataclass
class Outcome:
    """One run's result as stored (``row``: metrics columns, ``series``: weekly columns), or
    its error (``bad_input`` when it is the user's: an :class:`AdoptsimError`). ``groups``:
    the head counts per state by role and by department (columns of the groups dataset)."""

    run_id: int
    row: dict[str, Any] | None = None
    series: dict[str, np.ndarray] | None = None
    groups: dict[str, np.ndarray] | None = None
    error: str | None = None
    bad_input: bool = False


def _flat(d: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Nested dicts as dotted columns: final_share.engaged, rogers.laggards."""
    for k, v in d.items():
        if isinstance(v, dict):
            yield from _flat(v, f"{prefix}{k}.")
        else:
            yield f"{prefix}{k}", v.item() if isinstance(v, np.generic) else v


def _outcome(run_id: int, result) -> Outcome:
    row: dict[str, Any] = {
        "engine": result.engine,
        "success": bool(result.success),
        "n_employees": result.n_employees,
        "n_weeks": result.weeks,
    }
    row.update(_flat(result.metrics))
    row.update(_flat(result.conditions, "drawn."))
    row["build_s"] = result.timing.get("build_s")
    row["run_s"] = result.timing.get("run_s")
    weeks = len(result.series["week"])
    series = {"run_id": np.full(weeks, run_id, np.int64)}
    for col in ("week", *STATES, "signups"):
        if col in result.series:
            series[col] = np.asarray(result.series[col], np.int64)
    return Outcome(run_id, row, series, _groups(run_id, weeks, result))


def _groups(run_id: int, weeks: int, result) -> dict[str, np.ndarray]:
    """One row per week and group (each role, each department): its head count per state."""
    groups = [("role", k, v) for k, v in result.by_role.items()]
    groups += [("department", k, v) for k, v in result.by_department.items()]
    n = len(groups)
    out = {
        "run_id": np.full(n * weeks, run_id, np.int64),
        "week": np.tile(np.arange(weeks, dtype=np.int32), n),
        "kind": np.repeat(np.array([g[0] for g in groups], dtype=object), weeks),
        "group": np.repeat(np.array([g[1] for g in groups], dtype=object), weeks),
    }
    for state in STATES:
        out[state] = np.concatenate([np.asarray(g[2][state], np.int32) for g in groups])
    return out


def run_batch(batch: Batch) -> list[Outcome]:
    """Run a batch (in a worker): one outcome per run; an error is recorded with its run and
    the batch goes on (a resumed sweep retries it)."""
    if batch.one_thread:
        one_thread()
    scenarios: dict[tuple, Scenario] = {}
    outcomes = []
    for run_id, s, values, seed, engine in batch.runs:
        try:
            key = (s, json.dumps(list(values), sort_keys=True))
            if key not in scenarios:
                scenarios[key] = point_scenario(batch.bases[s], batch.names, values, "sweep")
            spec = RunSpec(scenarios[key], seed, engine, batch.organization)
            outcomes.append(_outcome(run_id, run_one(spec)))
        except Exception as e:
            outcomes.append(
                Outcome(
                    run_id, error=f"{type(e).__name__}: {e}", bad_input=isinstance(e, AdoptsimError)
                )
            )
    return outcomes


Results = Iterator[tuple[Any, Any]]


def _on_one_thread(fn: Callable, task: Any) -> Any:
    one_thread()
    return fn(task)


def results(
    fn: Callable,
    tasks: Sequence,
    *,
    workers: int | None = None,
    executor: Executor | Any | None = None,
    log: Callable[[str], None] | None = None,
) -> Results:
    """``fn(task)`` for every task, yielded as ``(task, result or exception)`` as they finish:
    in this process (``workers`` 1, or a single task), on ``workers`` local processes (default
    :func:`default_workers`), on any ``concurrent.futures.Executor`` or on a Dask client
    (``executor``). ``fn`` must be picklable (a module-level function) outside this process."""
    if executor is None:
        workers = default_workers() if workers is None else workers
        if workers <= 1 or len(tasks) <= 1:
            return inline_results(tasks, fn)
        return local_results(tasks, workers, log or (lambda m: None), fn)
    if is_dask_client(executor):
        return dask_results(executor, tasks, fn)
    return executor_results(executor, tasks, fn)


def _numbered(fn: Callable, item: tuple[int, Any]) -> Any:
    return fn(item[1])


def run_all(
    fn: Callable,
    tasks: Sequence,
    *,
    workers: int | None = None,
    executor: Executor | Any | None = None,
    progress: Callable[[int], None] | None = None,
    log: Callable[[str], None] | None = None,
    into: list | None = None,
) -> list:
    """``[fn(task) for task in tasks]`` through :func:`results`, in task order whatever the
    completion order; ``progress(1)`` as each finishes. A task's exception is raised (the
    others are cancelled). ``into`` (a list of ``len(tasks)`` Nones), if given, receives the
    results as they arrive, so a caller interrupted by Ctrl-C knows what had finished."""
    out: list = [None] * len(tasks) if into is None else into
    it = results(functools.partial(_numbered, fn), list(enumerate(tasks)), workers=workers,
                 executor=executor, log=log)
    try:
        for (i, _), result in it:
            if isinstance(result, BaseException):
                raise result
            out[i] = result
            if progress:
                progress(1)
    finally:
        it.close()
    return out


def execute(
    specs: Sequence[RunSpec],
    *,
    workers: int | None = None,
    executor: Executor | Any | None = None,
    progress: Callable[[int], None] | None = None,
    log: Callable[[str], None] | None = None,
    finished: list | None = None,
) -> list:
    """Run all specs (one task each); ``RunResult`` s in spec order whatever the executor or
    completion order (``finished``: see ``into`` of :func:`run_all`)."""
    return run_all(run_one, specs, workers=workers, executor=executor, progress=progress,
                   log=log, into=finished)


def inline_results(batches: Sequence, fn: Callable = run_batch) -> Results:
    """In this process, one task after another."""
    for b in batches:
        yield b, fn(b)


#: how often a worker checks that its parent still runs (when the OS cannot tell it at once)
PARENT_CHECK_SECONDS = 1.0


def _exit_with_parent() -> None:
    """Exit this worker process as soon as the process that started it is gone, however it
    ended (a SIGKILL runs no clean-up in the parent, and a worker left behind holds its
    memory, about 340 MB, until killed by hand). A daemon thread waits on the parent's
    sentinel, a pipe that closes when the parent dies, and also checks the parent's pid
    every second (a pool started by fork shares the sentinel's pipe with its siblings)."""
    parent = multiprocessing.parent_process()
    # the pid of the process that started this one (not getppid() now: it may be gone already)
    parent_pid = parent.pid if parent is not None else os.getppid()
    sentinel = parent.sentinel if parent is not None else None

    def watch() -> None:
        while os.getppid() == parent_pid:
            if sentinel is None:
                threading.Event().wait(PARENT_CHECK_SECONDS)
            elif multiprocessing.connection.wait([sentinel], timeout=PARENT_CHECK_SECONDS):
                break
        os._exit(1)  # no clean-up: nobody is left to receive a result

    threading.Thread(target=watch, name="adoptsim-exit-with-parent", daemon=True).start()


def _worker_init(then: Callable | None = None, args: tuple = ()) -> None:
    """Local worker processes: exit with their parent, one numba thread each, and Ctrl-C is
    left to the parent, which stops the pool (so workers print no tracebacks); then
    ``then(*args)`` if given."""
    _exit_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    one_thread()
    if then is not None:
        then(*args)


def local_pool(
    workers: int, initializer: Callable | None = None, initargs: tuple = ()
) -> ProcessPoolExecutor:
    """A pool of ``workers`` local processes started fresh (spawn) with :func:`_worker_init`
    (and ``initializer(*initargs)`` after it): every local path (sweeps, ``compare``, the
    dashboard's warm pool) uses it."""
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),  # what Mesa sets at import anyway
        initializer=_worker_init,
        initargs=(initializer, initargs),
    )


def stop_pool(pool: ProcessPoolExecutor, finished: bool) -> None:
    """Shut a local pool down: wait for it when its work finished, else terminate the
    workers (runs in progress are dropped: nothing of them was stored)."""
    if finished:
        pool.shutdown(wait=True)
        return
    procs = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        p.terminate()
    for p in procs:
        p.join(5)


def local_results(
    batches: Sequence,
    workers: int,
    log: Callable[[str], None] = lambda m: None,
    fn: Callable = run_batch,
) -> Results:
    """A local process pool. A worker process that dies (killed, out of memory) breaks
    Python's pool: the unfinished tasks then go to a new pool, up to ``POOL_RESTARTS``
    times. On Ctrl-C or an error the workers are terminated."""
    todo, restarts = list(batches), 0
    while todo:
        pool = local_pool(workers)
        broken: list[Batch] = []
        finished = False
        try:
            futures = {pool.submit(fn, b): b for b in todo}
            for fut in as_completed(futures):
                b = futures.pop(fut)
                try:
                    result = fut.result()
                except BrokenProcessPool:
                    broken.append(b)
                    continue
                except Exception as e:
                    result = e
                yield b, result
            finished = not broken
        finally:
            stop_pool(pool, finished)
        if not broken:
            return
        restarts += 1
        runs = sum(len(getattr(b, "runs", (b,))) for b in broken)
        if restarts > POOL_RESTARTS:
            for b in broken:
                yield b, RuntimeError(f"worker processes died {restarts} times")
            return
        log(f"a worker process died; {runs} unfinished runs go to a new pool")
        todo = broken


def executor_results(executor: Executor, batches: Sequence, fn: Callable = run_batch) -> Results:
    """Any ``concurrent.futures.Executor`` (left running: it is the caller's)."""
    futures = {executor.submit(_on_one_thread, fn, b): b for b in batches}
    try:
        for fut in as_completed(futures):
            b = futures.pop(fut)
            try:
                result = fut.result()
            except Exception as e:
                result = e
            yield b, result
    finally:
        for fut in futures:
            fut.cancel()


def dask_results(client, batches: Sequence, fn: Callable = run_batch) -> Results:
    """A ``distributed.Client``: one future per task. Dask reruns the tasks of a worker
    that dies (up to ``distributed.scheduler.allowed-failures`` times); a result leaves the
    cluster's memory as soon as it is here (no future is kept)."""
    from distributed import as_completed as dask_completed

    futures = {}
    for b in batches:
        fut = client.submit(_on_one_thread, fn, b, pure=False)
        futures[fut.key] = (fut, b)
    waiting = dask_completed([f for f, _ in futures.values()], loop=client.loop)
    try:
        for fut in waiting:
            _, b = futures.pop(fut.key)
            try:
                result = fut.result()
            except Exception as e:  # KilledWorker after too many lost workers, or a bug
                result = e
            del fut
            yield b, result
    finally:
        if futures:
            client.cancel([f for f, _ in futures.values()])


def is_dask_client(executor: Any) -> bool:
    return type(executor).__module__.startswith("distributed") and hasattr(
        executor, "scheduler_info"
    )
