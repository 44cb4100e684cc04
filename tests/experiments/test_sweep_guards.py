"""A sweep folder has one writer, a resumed sweep trusts no part it has not checked, and
designs too large to run are refused (the folder lock, experiments.sweep_check, the run-count
and memory guards)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from experiments import sweep_folder
from experiments.locks import LOCK_NAME, FolderLock
from experiments.sweep import load_sweep, run_sweep
from simulation import ConfigError

ADOPTSIM = str(Path(sys.executable).parent / "adoptsim")
SMALL = (Path(__file__).parent / "specs" / "small.toml").read_text()  # 12 runs


def adoptsim(*args, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "ADOPTSIM_SWEEP_FLUSH_SECONDS": "0", **kw.pop("env", {})}
    return subprocess.run([ADOPTSIM, *map(str, args)], capture_output=True, text=True,
                          timeout=300, env=env, **kw)


@pytest.fixture(scope="module")
def stored(tmp_path_factory) -> tuple[Path, Path]:
    """SMALL run once, one part per run: (spec, folder)."""
    tmp = tmp_path_factory.mktemp("stored")
    spec = tmp / "spec.toml"
    spec.write_text(SMALL)
    run_sweep(spec, tmp / "out", workers=1, flush_seconds=0)
    return spec, tmp / "out"


def _copy(src: Path, dst: Path) -> Path:
    subprocess.run(["cp", "-a", str(src), str(dst)], check=True)
    return dst


# -- one writer -------------------------------------------------------------------------------
def test_a_second_writer_is_refused_naming_the_running_process(stored, tmp_path,
                                                               assert_user_error):
    spec, done = stored
    out = _copy(done, tmp_path / "out")
    with FolderLock(out, "adoptsim sweep"):  # this test process is the running sweep
        before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
        for extra in (["--resume"], []):
            proc = adoptsim("sweep", spec, "--out", out, "--workers", 1, *extra)
            assert_user_error(proc, f"--out {out}: in use by another adoptsim sweep",
                              f"process {os.getpid()}", "wait for it to finish")
        assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before  # untouched
    proc = adoptsim("sweep", spec, "--out", out, "--resume", "--workers", 1)  # lock released
    assert proc.returncode == 0 and "nothing to run" in proc.stdout, proc.stderr


def test_two_sweeps_started_together_store_every_run_once(tmp_path):
    spec, out = tmp_path / "spec.toml", tmp_path / "out"
    spec.write_text(SMALL)
    cmd = [ADOPTSIM, "sweep", str(spec), "--out", str(out), "--workers", "1"]
    env = {**os.environ, "ADOPTSIM_SWEEP_FLUSH_SECONDS": "0"}
    first = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, env=env)
    second = subprocess.Popen([*cmd, "--resume"], stderr=subprocess.PIPE, text=True, env=env)
    codes = sorted([first.wait(300), second.wait(300)])
    errors = first.stderr.read() + second.stderr.read()
    assert codes == [0, 2] and "in use by another adoptsim sweep" in errors, errors
    m, s = pd.read_parquet(out / "metrics"), pd.read_parquet(out / "series")  # plain readers
    assert sorted(m["run_id"]) == list(range(12))
    assert not s.duplicated(["run_id", "week"]).any() and len(s) == 12 * 13


# -- resume checks every part -----------------------------------------------------------------
def _damage(out: Path) -> dict[str, str]:
    """Damage the stored parts as a crash, a full disk or a bad disk would; returns what
    the resumed sweep must say about each."""
    parts = sorted(p.name for p in (out / "metrics").glob("part-*.parquet"))
    series = out / "series" / parts[0]
    series.write_bytes(series.read_bytes()[: series.stat().st_size // 2])  # truncated
    metrics = out / "metrics" / parts[1]
    metrics.write_bytes(metrics.read_bytes()[:200])  # truncated
    flipped = out / "series" / parts[2]  # a byte flipped inside a data page (a bad disk)
    col = pq.ParquetFile(flipped).metadata.row_group(0).column(1)
    start = col.dictionary_page_offset or col.data_page_offset
    raw = bytearray(flipped.read_bytes())
    raw[start + col.total_compressed_size - 3] ^= 0xFF  # the end of the chunk: page data
    flipped.write_bytes(bytes(raw))
    (out / "series" / parts[3]).unlink()  # a half missing
    for sub in ("metrics", "series"):  # a run stored twice (two writers before the lock)
        (out / sub / "part-009-000000.parquet").write_bytes((out / sub / parts[4]).read_bytes())
    return {parts[0]: "cannot be read", parts[1]: "cannot be read", parts[2]: "cannot be read",
            "part-009-000000.parquet": "repeats runs stored in an earlier part"}


def test_resume_checks_every_part_and_runs_the_damaged_ones_again(stored, tmp_path):
    spec, done = stored
    out = _copy(done, tmp_path / "out")
    expected = _damage(out)
    proc = adoptsim("sweep", spec, "--out", out, "--resume", "--workers", 1)
    assert proc.returncode == 0, proc.stderr
    err = proc.stderr.replace("\n", " ")
    for part, why in expected.items():
        assert part in err and why in err, err
    assert "removed 1 half-written files" in err
    assert "resuming: 8 of 12 runs already stored" in err  # 4 damaged runs run again
    reference, again = load_sweep(done), load_sweep(out)
    cols = [c for c in reference.metrics.columns if c not in ("build_s", "run_s")]
    pd.testing.assert_frame_equal(reference.metrics[cols], again.metrics[cols])
    pd.testing.assert_frame_equal(reference.series, again.series)
    m, s = pd.read_parquet(out / "metrics"), pd.read_parquet(out / "series")  # plain readers
    assert len(m) == 12 and not s.duplicated(["run_id", "week"]).any()


def test_a_damaged_part_is_named_by_load_sweep(stored, tmp_path):
    _, done = stored
    out = _copy(done, tmp_path / "out")
    part = sorted((out / "metrics").glob("part-*"))[0]
    part.write_bytes(b"PAR1 not really")
    with pytest.raises(ConfigError, match=rf"{part.name}: damaged.*--resume"):
        load_sweep(out)


# -- sizes ------------------------------------------------------------------------------------
def test_a_design_beyond_the_run_limit_is_refused_before_it_is_built(tmp_path,
                                                                     assert_user_error):
    grid = ", ".join(str(0.01 * i) for i in range(100))
    spec = tmp_path / "huge.toml"
    spec.write_text(
        'scenario = "mandate"\n[parameters]\n'
        + "".join(f'"{k}" = [{grid}]\n' for k in ("conditions.trust", "conditions.critics",
                                                  "conditions.tool_fit", "conditions.relevance"))
    )
    out = tmp_path / "out"
    proc = adoptsim("sweep", spec, "--out", out)  # 10^8 points: minutes, then MemoryError
    assert_user_error(proc, str(spec), "100,000,000 runs", f"more than {sweep_folder.MAX_RUNS:,}",
                      "--force")
    assert not out.exists()


def test_force_runs_a_design_beyond_the_limit(tmp_path, monkeypatch):
    spec = tmp_path / "spec.toml"
    spec.write_text(SMALL)
    monkeypatch.setattr(sweep_folder, "MAX_RUNS", 11)
    with pytest.raises(ConfigError, match="12 runs"):
        run_sweep(spec, tmp_path / "a", workers=1)
    assert not (tmp_path / "a").exists()
    assert run_sweep(spec, tmp_path / "b", workers=1, force=True).stored == 12


def test_a_point_too_large_for_memory_is_refused_naming_it(tmp_path, assert_user_error):
    from experiments.memory import available_bytes, estimate_bytes

    spec = tmp_path / "spec.toml"
    spec.write_text('scenario = "mandate"\nweeks = 4\n[parameters]\n'
                    '"organization.employees" = [200, 50000000]\n'
                    '"organization.ties_within_department" = [100.0]\n')
    need = estimate_bytes(50_000_000, 50_000_000 * 110 // 2, "numba")
    assert need > available_bytes()  # the premise: no machine of this project's size fits it
    proc = adoptsim("sweep", spec, "--out", tmp_path / "out")
    assert_user_error(proc, "design point 1", "organization.employees = 50,000,000",
                      "GB of memory", "is available")
    assert not (tmp_path / "out").exists()


def test_the_lock_file_is_the_only_thing_a_new_sweep_ignores(tmp_path, assert_user_error):
    out = tmp_path / "out"
    out.mkdir()
    (out / LOCK_NAME).write_text("{}")  # left by a sweep that failed before it started
    spec = tmp_path / "spec.toml"
    spec.write_text(SMALL.replace("replicates = 3", "replicates = 1"))
    proc = adoptsim("sweep", spec, "--out", out, "--workers", 1)
    assert proc.returncode == 0, proc.stderr
    assert np.array_equal(np.sort(load_sweep(out).metrics["run_id"]), np.arange(4))


def test_a_write_failure_mid_sweep_names_the_file_and_resume_completes(tmp_path,
                                                                      assert_user_error):
    import resource

    spec, out = tmp_path / "spec.toml", tmp_path / "out"
    spec.write_text(SMALL)

    def small_files():  # the manifest (2 KB) and a series part (3 KB) fit, a metrics part not
        resource.setrlimit(resource.RLIMIT_FSIZE, (8_000, 8_000))

    proc = adoptsim("sweep", spec, "--out", out, "--workers", 1, preexec_fn=small_files)
    assert_user_error(proc, f"{out / 'metrics' / 'part-000-000000.parquet'}: cannot write",
                      "File too large", "0 of 12 runs are stored", "--resume")
    assert [p.name for p in (out / "series").iterdir()] == []  # no half pair left
    proc = adoptsim("sweep", spec, "--out", out, "--workers", 1, "--resume")
    assert proc.returncode == 0, proc.stderr
    assert sorted(load_sweep(out).metrics["run_id"]) == list(range(12))


def test_the_free_space_check_expects_at_least_what_a_sweep_writes(stored, tmp_path):
    """The room a new sweep asks for before it starts covers what it then stores, metrics,
    series and groups parts included (at one part per run, the most overhead)."""
    from experiments.sweep_spec import load_spec

    spec, done = stored
    plan = sweep_folder.check_new_sweep(load_spec(spec), tmp_path / "new", False, None, False)
    stored_bytes = sum(p.stat().st_size for p in done.rglob("*") if p.is_file())
    asked = plan.total * sweep_folder._bytes_per_run(plan)
    assert stored_bytes <= asked <= 4 * stored_bytes, (stored_bytes, asked)


def _room_per_run(spec: Path, org_csv: Path | None = None) -> int:
    """The bytes per run a new sweep of ``spec`` asks the disk for before it starts."""
    from experiments.sweep_org import org_source
    from experiments.sweep_spec import load_spec

    loaded = load_spec(spec)
    plan = sweep_folder.check_new_sweep(loaded, spec.parent / f"{spec.stem}-out", False, None,
                                        False, org_source(loaded, org_csv))
    return sweep_folder._bytes_per_run(plan)


def _wide_scenario(folder: Path, departments: int) -> Path:
    """goal-led-communities with ``departments`` departments, as a scenario file."""
    import tomllib

    import tomli_w

    from scenarios import LIBRARY

    data = tomllib.loads((LIBRARY / "goal-led-communities.toml").read_text())
    data["name"] = "wide"
    data.setdefault("organization", {})["departments"] = departments
    path = folder / "wide.toml"
    path.write_text(tomli_w.dumps(data))
    return path


def test_the_free_space_check_counts_the_largest_design_point(tmp_path):
    """A design that varies the departments and the horizon asks for room for its largest
    point (each run writes a groups row per department and week): at least as much per run
    as a sweep whose scenario has that many departments and weeks."""
    _wide_scenario(tmp_path, 40)
    varied, alone = tmp_path / "varied.toml", tmp_path / "alone.toml"
    varied.write_text('scenario = "goal-led-communities"\nweeks = 10\n[parameters]\n'
                      '"organization.departments" = [2, 40]\n"weeks" = [5, 300]\n')
    alone.write_text('scenario = "wide.toml"\nweeks = 300\n[parameters]\n'
                     '"conditions.trust" = [0.5]\n')
    assert _room_per_run(varied) >= _room_per_run(alone)
    # and more than the base scenario alone would need: the design's points count
    base = tmp_path / "base.toml"
    base.write_text('scenario = "goal-led-communities"\nweeks = 10\n')
    assert _room_per_run(varied) > _room_per_run(base)


def test_the_free_space_check_counts_the_org_charts_departments(tmp_path):
    """On an org chart, the chart's departments are what each run's groups rows cover, not
    the scenario's synthetic department count."""
    from simulation import OrganizationConfig, generate_organization

    gen = generate_organization(OrganizationConfig(employees=600, departments=60),
                                np.random.default_rng(3))
    ids = np.array([f"E{i}" for i in range(gen.n)])
    org_csv = tmp_path / "org.csv"
    pd.DataFrame({"employee_id": ids,
                  "manager_id": np.where(gen.manager >= 0, ids[np.maximum(gen.manager, 0)], ""),
                  "department": [f"D{d}" for d in gen.department]}).to_csv(org_csv, index=False)
    _wide_scenario(tmp_path, 60)
    chart, alone = tmp_path / "chart.toml", tmp_path / "alone.toml"
    chart.write_text('scenario = "goal-led-communities"\nweeks = 20\n')
    alone.write_text('scenario = "wide.toml"\nweeks = 20\n')
    assert _room_per_run(chart, org_csv) >= _room_per_run(alone)
