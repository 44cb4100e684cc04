"""Background work for the pages: comparisons and traced runs, on warm worker processes.

One :class:`experiments.pool.WarmPool` per server, shared by every session; each session's
work is a Solara task (``compare_task``, ``trace_task``: one value per session) whose runs are
one job of the pool. A task's runs stop when the user cancels, when a new comparison replaces
it, or when the browser session closes (the job's ``stop`` check polls all three). The
comparison is :func:`experiments.compare` itself, the function ``adoptsim compare`` runs, on
the job as its executor (:mod:`experiments.comparison`): same runs, same seeds, same numbers.
"""

from __future__ import annotations

import threading
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import solara
import solara.lab

from experiments import RunSpec, run_all
from experiments.comparison import (
    Comparison,
    build_scenarios,
    import_organization,
    run_comparison,
)
from experiments.explain import Explanation, explain
from experiments.pool import WarmPool
from experiments.trace import RunTrace, trace_run

from . import state
from .state import BuiltPlan, OrgChoice

__all__ = [
    "CompareOutcome",
    "CompareRequest",
    "compare_task",
    "current_request",
    "imported_organization",
    "live_progress",
    "settings",
    "pool",
    "start_pool",
    "trace",
]

_pool: WarmPool | None = None
_lock = threading.Lock()


def start_pool(workers: int | None = None) -> WarmPool:
    """Start the server's worker processes (they warm up in the background)."""
    global _pool
    with _lock:
        if _pool is None:
            _pool = WarmPool(workers)
        return _pool


def pool() -> WarmPool:
    return _pool if _pool is not None else start_pool()


class _Stop:
    """What the pool polls (from the task's thread: a Solara task knows whether it is current
    only there): stop when the task is cancelled or replaced, or the session closes."""

    def __init__(self, task: solara.lab.Task) -> None:
        from solara.lifecycle import kernel_closed_event

        self._task = task
        self._closed = kernel_closed_event()

    def is_set(self) -> bool:
        return self._closed.is_set() or not self._task.is_current()


@dataclass(frozen=True)
class CompareRequest:
    """Everything a comparison depends on (a snapshot of the page when Compare was clicked)."""

    plans: tuple[str | BuiltPlan, ...]
    settings: tuple[tuple[str, Any], ...]
    replicates: int
    seed: int
    org_chart: str | None = None  # paths of the session's uploaded files
    ties: str | None = None
    engine: str = "numba"  # the same numbers as any engine, the fastest to get them
    number: int = 0  # the session's count of comparisons (tells a new result from the last)


@dataclass(frozen=True)
class CompareOutcome:
    request: CompareRequest
    comparison: Comparison
    explanation: Explanation
    seconds: float
    #: the result's charts once drawn (by maker), kept with the result: a chart is drawn once
    #: per comparison, however often the panel showing it is rebuilt
    charts: dict = field(default_factory=dict, compare=False, repr=False)


#: settings of a synthetic organization that an imported org chart replaces
_SYNTHETIC_ONLY = ("employees", "departments", "span_of_control", "department_size_sd")


def settings(choice: OrgChoice, run: state.RunSettings) -> dict[str, Any]:
    """What the page sets on every plan, as ``--set`` would (dotted path -> value)."""
    out = {"weeks": run.weeks}
    for key, value in choice.values:
        if choice.source == "upload" and key.split(".")[-1] in _SYNTHETIC_ONLY:
            continue
        out[key] = value
    return out


def current_request() -> CompareRequest:
    """The comparison the page describes now."""
    choice, run = state.org.value, state.run_settings.value
    built = {b.name: b for b in state.built_plans.value}
    upload = choice.source == "upload"
    return CompareRequest(
        tuple(built.get(n, n) for n in state.plans.value),
        tuple(settings(choice, run).items()),
        run.replicates,
        run.seed,
        choice.org_chart.path if upload and choice.org_chart else None,
        choice.ties.path if upload and choice.ties else None,
    )


def imported_organization(choice: OrgChoice, seed: int | None = None):
    """The uploaded org chart (and tie list), imported as a comparison imports it."""
    seed = state.run_settings.value.seed if seed is None else seed
    (sc,) = build_scenarios(
        [state.DEFAULT_PLANS[0]], settings(choice, state.run_settings.value), allow_late=True
    )
    ties = choice.ties.path if choice.ties else None
    return import_organization(choice.org_chart.path, ties, sc, seed)


def _sources(request: CompareRequest) -> list[Any]:
    return [p if isinstance(p, str) else tomllib.loads(p.toml) for p in request.plans]


class LiveProgress:
    """How far each session's running comparison got, shown in two widgets (a bar and its
    text) that the task's thread updates in place. Setting the task's ``progress`` instead
    re-rendered the page once per finished run: Solara reconciles the whole widget tree, 0.1
    to 0.2 s of the server's CPU each time, up to 20 times a second, taken from the runs.
    Shown at most every :attr:`every` seconds: each change is a message to the browser and a
    repaint there, and on a 2-core machine the browser's CPU is the runs' CPU too."""

    every = 0.5

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._shown: dict[str, tuple[Any, Any]] = {}
        self._last: dict[str, float] = {}

    def attach(self, bar: Any, text: Any) -> Callable[[], None]:
        """Show this session's progress in ``bar`` and ``text``; returns the detach."""
        key, shown = solara.get_kernel_id(), (bar, text)
        with self._lock:
            self._shown[key] = shown
            self._last.pop(key, None)

        def detach() -> None:
            with self._lock:
                if self._shown.get(key) is shown:
                    del self._shown[key]

        return detach

    def show(self, percent: float) -> None:
        key, now = solara.get_kernel_id(), time.monotonic()
        with self._lock:  # not while the widgets are being detached
            shown = self._shown.get(key)
            if shown is None or now - self._last.get(key, -self.every) < self.every:
                return
            self._last[key] = now
            bar, text = shown
            bar.value = percent
            text.children = [f"running: {percent:.0f}%"]


live_progress = LiveProgress()


def _progress(total: int) -> Callable[[int], None]:
    def report(done: int) -> None:
        live_progress.show(100.0 * done / total)

    return report


def _compare(request: CompareRequest) -> CompareOutcome:
    t0 = time.perf_counter()
    scenarios = build_scenarios(_sources(request), dict(request.settings))
    org = None
    if request.org_chart is not None:
        org = import_organization(request.org_chart, request.ties, scenarios[0], request.seed)
    total = request.replicates * len(scenarios)
    comparison = pool().run(
        lambda job: run_comparison(
            scenarios,
            replicates=request.replicates,
            seed=request.seed,
            engine=request.engine,
            organization=org,
            executor=job,
        ),
        stop=_Stop(compare_task),
        progress=_progress(total),
    )
    runs = {name: comparison.runs(name) for name in comparison.names}
    return CompareOutcome(
        request, comparison, explain(comparison.scenarios, runs), time.perf_counter() - t0
    )


def trace(spec: RunSpec, task: solara.lab.Task) -> RunTrace:
    """A run with everyone's weekly state (in a worker; stops with ``task``)."""
    (result,) = pool().run(lambda job: run_all(trace_run, [spec], executor=job), stop=_Stop(task))
    return result


compare_task = solara.lab.task(_compare)
