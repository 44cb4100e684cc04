"""A sweep's folder: checked before anything is created, locked while a sweep writes it, and,
when a sweep is resumed, matched against its manifest and its stored parts checked.

A new sweep is refused before anything exists on disk when its design has more than
:data:`MAX_RUNS` runs (unless forced), when ``--out`` cannot be written or lacks room for it
(:func:`experiments.outputs.check_dir`), or when any point is bad input
(:func:`experiments.sweep_plan.plan_sweep`). While it runs, the folder is locked
(:class:`experiments.locks.FolderLock`): a second writer is refused naming the first. A folder
this call created is removed again if the sweep never started (no empty folders left behind).
"""

from __future__ import annotations

import contextlib
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from simulation import ROLES, ConfigError

from .design import Design, count_points
from .locks import LOCK_NAME, FolderLock
from .outputs import check_dir
from .storage import MANIFEST, read_manifest
from .sweep_check import check_parts
from .sweep_org import OrgSource, resume_org_source
from .sweep_plan import SweepPlan, plan_sweep
from .sweep_spec import SweepSpec

__all__ = [
    "FORMAT",
    "MAX_RUNS",
    "check_new_sweep",
    "json_data",
    "locked_folder",
    "open_out",
    "resume_plan",
]

FORMAT = "adoptsim-sweep/1"
#: a new sweep of more runs than this is refused unless forced (docs/SWEEPS.md): about five
#: hours of the default scenario on two processes, and a design that fits in memory
MAX_RUNS = 1_000_000


def json_data(data: Any) -> Any:
    """``data`` as JSON reads it back (tuples as lists): what a manifest records."""
    return json.loads(json.dumps(data))


# -- a new sweep -----------------------------------------------------------------------------
def check_new_sweep(
    spec: SweepSpec,
    out: Path,
    resume: bool,
    engine: str | None,
    force: bool,
    org: OrgSource | None = None,
) -> SweepPlan | None:
    """Everything a new sweep into ``out`` needs checked before anything is created: the
    folder, the design's size, every point, the room on disk. Returns the plan, or None when
    ``out`` holds a sweep already (then :func:`open_out` decides)."""
    if (out / MANIFEST).is_file():
        return None
    open_out(out, resume)
    _check_run_count(spec, force)
    plan = plan_sweep(spec, engine, org=org)
    check_dir(out, plan.total * _bytes_per_run(plan))
    return plan


def _check_run_count(spec: SweepSpec, force: bool) -> None:
    """Refuse a design beyond ``MAX_RUNS`` runs before it is built (a grid of 10^8 points
    would take minutes to build and then run out of memory)."""
    points = count_points(spec)
    runs = len(spec.scenarios) * points * spec.replicates
    if runs > MAX_RUNS and not force:
        raise ConfigError(
            f"{spec.source}: {runs:,} runs ({len(spec.scenarios)} scenarios x {points:,} "
            f"design points x {spec.replicates} replicates), more than {MAX_RUNS:,} (about "
            "five hours of 1,000-employee runs on two processes). Sample fewer points or "
            "replicates, or pass --force to run it anyway"
        )


#: bytes of one stored run, for the free-space check, measured on a sweep that writes a part
#: per run (the most overhead): its metrics, series and groups parts take about 17, 3 and 4 KB
#: besides their rows (Parquet schemas and footers), rounded up to leave room for more
#: columns; then per week a series row and a groups row per role and department
PART_BYTES_PER_RUN = 28_000
SERIES_BYTES_PER_WEEK = 40
GROUP_BYTES_PER_WEEK = 10


def _bytes_per_run(plan: SweepPlan) -> int:
    """About how many bytes one stored run takes at most (its metrics row, its weekly series
    and group rows, a share of its parts' overhead), for the free-space check: at the longest
    horizon and the most departments of any design point (or the org chart's)."""
    groups = len(ROLES) + plan.max_departments
    return PART_BYTES_PER_RUN + (plan.max_weeks + 1) * (SERIES_BYTES_PER_WEEK
                                                        + GROUP_BYTES_PER_WEEK * groups)


# -- the folder ------------------------------------------------------------------------------
def _make_folder(out: Path) -> bool:
    """Create ``out`` if needed; True if this call created it."""
    if out.is_dir():
        return False
    try:
        out.mkdir(parents=True)
    except FileExistsError:
        return False
    except OSError as e:
        raise ConfigError(f"--out {out}: cannot create the folder ({e.strerror})") from None
    return True


@contextlib.contextmanager
def locked_folder(out: Path) -> Iterator[None]:
    """``out``, created if needed and locked for this process (refused naming the holder if
    another sweep writes it); removed again at the end if this call created it and no sweep
    started in it."""
    created = _make_folder(out)
    lock = FolderLock(out, "adoptsim sweep").acquire()  # refused: the folder is the holder's
    try:
        yield
    finally:
        if created and not (out / MANIFEST).exists():
            shutil.rmtree(out, ignore_errors=True)
        lock.release()


def open_out(out: Path, resume: bool) -> dict[str, Any] | None:
    """The manifest of the sweep to resume, or None for a new sweep (refusing to write into
    a directory that is not empty)."""
    if out.exists() and not out.is_dir():
        raise ConfigError(f"--out {out}: exists and is not a directory")
    if (out / MANIFEST).is_file():
        if not resume:
            raise ConfigError(
                f"--out {out}: holds a sweep already ({MANIFEST}); add --resume to run what "
                "it lacks, or choose another directory"
            )
        try:
            manifest = read_manifest(out)
        except (OSError, ValueError) as e:
            raise ConfigError(f"{out / MANIFEST}: cannot be read ({e})") from None
        if manifest.get("format") != FORMAT:
            raise ConfigError(f"{out / MANIFEST}: not an {FORMAT} manifest")
        return manifest
    if out.is_dir() and any(p.name != LOCK_NAME for p in out.iterdir()):
        raise ConfigError(
            f"--out {out}: the directory is not empty and holds no sweep; choose an empty or "
            "new directory (a sweep never writes among other files)"
        )
    return None


# -- resuming --------------------------------------------------------------------------------
def resume_plan(
    spec: SweepSpec,
    manifest: dict,
    engine: str | None,
    out: Path,
    log: Callable[[str], None],
    org: OrgSource | None = None,
) -> tuple[SweepPlan, np.ndarray]:
    """The plan of the sweep in ``out`` (on the org chart it was started with) and the runs
    stored in good parts (every part is checked; damaged ones are removed and their runs run
    again)."""
    engine = _resume_engine(spec, manifest, engine, out)
    org = resume_org_source(manifest.get("organization"), org, out)
    plan = plan_sweep(spec, engine, Design.from_json(manifest["design"]), org)
    _check_scenarios(plan, manifest, out)
    check = check_parts(out, plan.total)
    if check.half_written:
        log(f"removed {check.half_written} half-written files of an interrupted write")
    for line in check.removed:
        log(line)
    log(f"resuming: {len(check.stored)} of {plan.total} runs already stored in {out}")
    return plan, check.stored


def _resume_engine(spec: SweepSpec, manifest: dict, engine: str | None, out: Path) -> str:
    given, recorded = json_data(spec.data), manifest["spec"]
    if given != recorded:
        changed = sorted(k for k in set(given) | set(recorded) if given.get(k) != recorded.get(k))
        raise ConfigError(
            f"{spec.source}: differs from the spec the sweep in {out} was started with "
            f"(changed: {', '.join(changed)}). Resume with the same spec, or start a new sweep "
            "in another --out directory"
        )
    requested = manifest["engine"]["requested"]
    if engine is not None and engine != requested:
        raise ConfigError(
            f"--engine {engine}: the sweep in {out} was started with engine {requested!r}; "
            f"resume with --engine {requested} (or without --engine)"
        )
    return requested


def _check_scenarios(plan: SweepPlan, manifest: dict, out: Path) -> None:
    for b, rec in zip(plan.bases, manifest["scenarios"], strict=True):
        if b.digest != rec["sha256"]:
            raise ConfigError(
                f"scenario {b.ref}: changed since the sweep in {out} was started, so new runs "
                "would not match the stored ones. Restore it, or start a new sweep"
            )
