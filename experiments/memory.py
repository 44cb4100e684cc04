"""Size guards: a run's memory, estimated from its organization's size before anything is
allocated, against the memory this process can still get.

The figures are peak resident memory above a warmed-up process, measured with
``benchmarks/bench_memory.py`` (goal-led-communities, 104 weeks, degree 13 and 33 to separate
the two terms) and rounded up:

============  ====================  ==================  =================================
engine        bytes per employee    bytes per tie       measured (per employee, per tie)
============  ====================  ==================  =================================
numba         200                   40                  186 and 36.9 at 1,000,000 people
agents        900                   20                  754 and 18.5 at 20,000 people
============  ====================  ==================  =================================

A tie joins two people and is stored both ways. The generator's ties per person are the team
(span of control + 1), ``ties_within_department`` and ``ties_across_departments``; a classic
rule's network has ``mean_degree`` or ``k``. A run that would not fit is refused with
:class:`ConfigError` (exit 2) naming the figure; runs in parallel are limited to what fits
(:func:`fitting_workers`).
"""

from __future__ import annotations

import contextlib
import resource
from pathlib import Path

import psutil

from scenarios import Scenario
from simulation import ConfigError, Organization, resolve_engine

__all__ = [
    "BYTES_PER_EMPLOYEE",
    "BYTES_PER_TIE",
    "available_bytes",
    "check_memory",
    "estimate_bytes",
    "expected_ties",
    "fitting_workers",
    "run_bytes",
]

BYTES_PER_EMPLOYEE = {"numba": 200, "agents": 900}
BYTES_PER_TIE = {"numba": 40, "agents": 20}
#: what a worker process takes before its model (Python, numpy, numba, Mesa, pandas loaded)
WORKER_BYTES = 350 * 2**20


def expected_ties(scenario: Scenario, organization: Organization | None = None) -> int:
    """Undirected ties of the run's network (an imported organization's own count)."""
    if organization is not None:
        return int(organization.indices.size // 2)
    n, org = scenario.organization.employees, scenario.organization
    if scenario.rule == "threshold" and scenario.classic.network == "erdos-renyi":
        per_person = scenario.classic.mean_degree
    elif scenario.rule == "threshold" and scenario.classic.network == "watts-strogatz":
        per_person = scenario.classic.k
    elif scenario.rule in ("bass", "granovetter"):
        per_person = 0.0  # fully mixed: no network
    else:
        per_person = org.span_of_control + 1 + org.ties_within_department
        per_person += org.ties_across_departments
    return int(n * per_person / 2)


def estimate_bytes(n_employees: int, ties: int, engine: str) -> int:
    """Peak memory of one run (``engine``: agents or numba)."""
    return n_employees * BYTES_PER_EMPLOYEE[engine] + ties * BYTES_PER_TIE[engine]


def _cgroup_room() -> int | None:
    """What the cgroup (v2) this process runs in still allows, if it sets a limit."""
    base = Path("/sys/fs/cgroup")
    with contextlib.suppress(OSError, ValueError):
        limit = (base / "memory.max").read_text().strip()
        if limit != "max":
            return int(limit) - int((base / "memory.current").read_text())
    return None


def available_bytes() -> int:
    """Memory this process can still use: the system's available memory, less if a cgroup
    limit or an address-space limit (``ulimit -v``) is tighter."""
    room = [psutil.virtual_memory().available]
    cgroup = _cgroup_room()
    if cgroup is not None:
        room.append(cgroup)
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft != resource.RLIM_INFINITY:
        room.append(soft - psutil.Process().memory_info().vms)
    return max(0, min(room))


def _gb(n: float) -> str:
    return f"{n / 2**30:,.1f} GB" if n >= 2**30 else f"{n / 2**20:,.0f} MB"


def run_bytes(scenario: Scenario, engine: str, organization: Organization | None = None) -> int:
    """The estimated peak memory of one run of ``scenario`` on ``engine`` (bytes)."""
    n = organization.n if organization is not None else scenario.organization.employees
    name = resolve_engine(engine, n, scenario.weeks)
    return estimate_bytes(n, expected_ties(scenario, organization), name)


def check_memory(scenario: Scenario, engine: str, organization: Organization | None = None) -> int:
    """The estimated peak memory of one run of ``scenario`` (bytes); :class:`ConfigError`
    naming the figure if it exceeds :func:`available_bytes`."""
    n = organization.n if organization is not None else scenario.organization.employees
    name = resolve_engine(engine, n, scenario.weeks)
    ties = expected_ties(scenario, organization)
    need, room = estimate_bytes(n, ties, name), available_bytes()
    if need > room:
        fits = int(room / (BYTES_PER_EMPLOYEE[name] + BYTES_PER_TIE[name] * ties / max(n, 1)))
        what = "the imported organization" if organization else "organization.employees"
        raise ConfigError(
            f"{what} = {n:,} would need about {_gb(need)} of memory ({name} engine: "
            f"{BYTES_PER_EMPLOYEE[name]} bytes per employee and {BYTES_PER_TIE[name]} per tie, "
            f"about {ties:,} ties), but {_gb(room)} is available. Use fewer employees (about "
            f"{fits:,} fit) or fewer ties per person, or free memory"
        )
    return need


def fitting_workers(workers: int, per_run: int) -> int:
    """How many of ``workers`` processes fit in memory, each with one run of ``per_run``
    bytes (at least one: a run that does not fit is refused by :func:`check_memory`)."""
    return max(1, min(workers, available_bytes() // max(1, per_run + WORKER_BYTES)))
