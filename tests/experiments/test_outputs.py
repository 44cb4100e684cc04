"""Outputs never clobber, never half-write, and fail before the work when they cannot be
written (experiments.outputs, and the commands that use it)."""

from __future__ import annotations

import json
import os
import resource
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest

from experiments.outputs import OutputError, check_dir, check_file, write_file, write_folder

ADOPTSIM = str(Path(sys.executable).parent / "adoptsim")
SMALL = ["mandate", "--employees", "300", "--weeks", "30", "--engine", "agents"]


def cli(
    *args, limit_file_bytes: int | None = None, cpu_seconds: int | None = None, **kw
) -> subprocess.CompletedProcess:
    """The real command; ``limit_file_bytes``: the OS refuses to write a file past this size
    (RLIMIT_FSIZE, which binds root too): a real write failure; ``cpu_seconds``: the OS kills
    the command once it has used this much CPU time (RLIMIT_CPU: unlike wall time, not
    stretched by a busy machine)."""

    def limit():
        if limit_file_bytes is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_file_bytes, limit_file_bytes))
        if cpu_seconds is not None:
            resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))

    limited = limit_file_bytes is not None or cpu_seconds is not None
    return subprocess.run(
        [ADOPTSIM, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=900,  # a hang guard only
        preexec_fn=limit if limited else None,
        **kw,
    )


def _fifo_reader(path: Path) -> tuple[threading.Thread, list[bytes]]:
    got: list[bytes] = []

    def read():
        with open(path, "rb") as f:
            got.append(f.read())

    t = threading.Thread(target=read, daemon=True)
    t.start()
    return t, got


def _device(tmp_path: Path, name: str, minor: int) -> Path:
    """A character device node like /dev/null (minor 3) or /dev/full (7), made here so that a
    regression could only replace this copy, never the machine's."""
    path = tmp_path / name
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    except PermissionError:
        pytest.skip("making a device node needs root (CAP_MKNOD)")
    return path


# -- single files -----------------------------------------------------------------------------
def test_a_regular_file_is_replaced_whole_keeping_its_permissions(tmp_path):
    target = tmp_path / "out.json"
    write_file(target, "old\n")
    os.chmod(target, 0o640)
    write_file(target, "new\n")
    assert target.read_text() == "new\n" and stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]  # no temporary files


def test_json_goes_through_a_fifo_a_symlink_and_a_device_without_replacing_them(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader, got = _fifo_reader(fifo)
    target = tmp_path / "target.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target.name)
    null, stdout_link = _device(tmp_path, "null", 3), tmp_path / "stdout"
    stdout_link.symlink_to("/proc/self/fd/1")  # what /dev/stdout is
    for path in (fifo, link, null):
        proc = cli("run", *SMALL, "--json", path)
        assert proc.returncode == 0, proc.stderr
    reader.join(10)
    assert json.loads(got[0])["scenario"] == "mandate" and stat.S_ISFIFO(fifo.lstat().st_mode)
    assert link.is_symlink() and json.loads(target.read_text())["scenario"] == "mandate"
    assert stat.S_ISCHR(null.stat().st_mode)
    proc = cli("run", *SMALL, "--json", stdout_link)  # a pipe, through a link
    assert proc.returncode == 0 and json.loads(proc.stdout)["scenario"] == "mandate"
    assert stdout_link.is_symlink() and "success" in proc.stderr  # the table went to stderr


def test_a_full_device_fails_naming_the_file(tmp_path, assert_user_error):
    """The run finished, so its table is shown; then the error names the file and says that
    the results shown were not saved there, and which output holds them (exit 2)."""
    full = _device(tmp_path, "full", 7)
    proc = cli("run", *SMALL, "--json", full)
    assert_user_error(proc, f"--json {full}", "No space left",
                      f"The results above were not saved to --json {full}")
    assert "success" in proc.stdout and "holds them" not in proc.stderr
    assert stat.S_ISCHR(full.stat().st_mode)
    out = tmp_path / "r"
    proc = cli("run", *SMALL, "--out", out, "--json", full)
    assert_user_error(proc, f"not saved to --json {full}; --out {out} holds them")
    assert "success" in proc.stdout and (out / "series.csv").is_file()


def test_compare_says_which_outputs_hold_its_results_when_a_write_fails(tmp_path, adoptsim_cli):
    full, out = _device(tmp_path, "full", 7), tmp_path / "c"
    code, stdout, err = adoptsim_cli("compare", "mandate", "--replicates", 2, "--employees", 100,
                                     "--weeks", 8, "--engine", "agents", "--workers", 1,
                                     "--out", out, "--json", full)
    assert code == 2 and "Traceback" not in err, err
    flat = " ".join(err.split())
    assert f"--json {full}: cannot write (No space left" in flat, flat
    assert f"not saved to --json {full}; --out {out} holds them" in flat, flat
    assert "mandate" in stdout and (out / "summary.csv").is_file()


# -- folders ----------------------------------------------------------------------------------
def test_a_folder_appears_whole_and_keeps_what_was_there(tmp_path):
    out = tmp_path / "a" / "b"
    paths = write_folder(out, {"x.csv": "1\n", "sub/y.txt": "2\n"})
    assert paths == [out / "x.csv", out / "sub" / "y.txt"]
    assert stat.S_IMODE(out.stat().st_mode) == 0o777 & ~_umask()
    (out / "mine.txt").write_text("keep")
    write_folder(out, {"x.csv": "3\n"})
    assert (out / "x.csv").read_text() == "3\n" and (out / "mine.txt").read_text() == "keep"
    assert [p.name for p in tmp_path.rglob(".*")] == []  # no staging folder left


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def test_a_write_failure_at_the_end_names_the_file_and_leaves_nothing(tmp_path, assert_user_error):
    out, js = tmp_path / "runs" / "r", tmp_path / "r.json"
    # 10 KB per file: the pre-flight probe and the tables fit, the 45 KB plot does not
    proc = cli("run", *SMALL, "--out", out, "--json", js, limit_file_bytes=10_000)
    assert_user_error(proc, f"--out {out / 'adoption.png'}", "File too large",
                      f"The results above were not saved: nothing was written to --out {out} "
                      f"or --json {js}")
    assert "success" in proc.stdout  # the run itself finished before the write failed
    assert list(tmp_path.iterdir()) == []  # no folder, no staging folder, no JSON
    existing = tmp_path / "kept"
    existing.mkdir()
    (existing / "series.csv").write_text("old")
    proc = cli("run", *SMALL, "--out", existing, limit_file_bytes=10_000)
    assert proc.returncode == 2 and (existing / "series.csv").read_text() == "old"
    assert [p.name for p in existing.iterdir()] == ["series.csv"]


#: a run of several CPU minutes (agents engine), far more than REFUSED_CPU_S
LONG_RUN = ["mandate", "--employees", "3000", "--weeks", "400", "--engine", "agents"]
#: CPU seconds a refused command may use (starting Python and the imports take a few); a
#: command that ran LONG_RUN before refusing would be killed by the OS (RLIMIT_CPU), not exit 2
REFUSED_CPU_S = 60


def test_unwritable_outputs_fail_before_the_run(tmp_path, assert_user_error):
    """Refused before the run, measured in CPU time (which a busy machine does not stretch):
    each command gets less CPU time than LONG_RUN needs, so only a refusal before the run
    can exit 2 with its message."""
    def refused(*args, **kw):
        proc = cli("run", *LONG_RUN, *args, cpu_seconds=REFUSED_CPU_S, **kw)
        assert proc.returncode >= 0, f"killed at {REFUSED_CPU_S} CPU s: it ran before refusing"
        assert "success" not in proc.stdout  # no table: no run
        return proc

    out = tmp_path / "r"
    proc = refused("--out", out, limit_file_bytes=0)  # no byte can be written
    assert_user_error(proc, f"--out {out}", "File too large")
    assert not out.exists()
    a_file = tmp_path / "file"
    a_file.write_text("x")
    assert_user_error(refused("--out", a_file / "sub"), "is not a folder")
    assert_user_error(refused("--out", a_file), "exists and is not a folder")
    assert_user_error(refused("--json", tmp_path / "no" / "x.json"), "does not exist")
    assert_user_error(refused("--json", tmp_path), "is a folder")


def test_out_dash_is_refused_not_a_folder_named_dash(tmp_path, assert_user_error):
    """``-`` is standard output for --json; a folder of files cannot go there."""
    for command in (["run", *SMALL], ["compare", *SMALL]):
        proc = subprocess.run([ADOPTSIM, *command, "--out", "-"], capture_output=True,
                              text=True, cwd=tmp_path, timeout=300)
        assert_user_error(proc, "--out -: is a folder of files", "'-' (standard output) is for")
        assert "success" not in proc.stdout and list(tmp_path.iterdir()) == []


@pytest.fixture
def tiny_disk(tmp_path):
    """A 64 KB file system (tmpfs), mounted for the test: a real disk that is nearly full."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], check=True)


def test_a_full_disk_is_refused_before_the_run_naming_the_path(tiny_disk, assert_user_error):
    out = tiny_disk / "r"
    proc = cli("run", *SMALL, "--out", out)
    assert_user_error(proc, f"--out {out}", "not enough free space", "free")
    assert "success" not in proc.stdout and list(tiny_disk.iterdir()) == []
    with pytest.raises(OutputError, match="not enough free space"):
        check_file(tiny_disk / "x.json", 100_000)
    check_dir(tiny_disk / "x", 1_000)  # small enough: fine


# -- no empty folders -------------------------------------------------------------------------
def test_bad_input_and_ctrl_c_leave_no_folder(tmp_path, assert_user_error):
    out = tmp_path / "deep" / "out"
    assert_user_error(cli("run", "mandate", "--set", "weeks=0", "--out", out), "weeks = 0")
    proc = subprocess.Popen(
        [ADOPTSIM, "run", "mandate", "--employees", "3000", "--weeks", "400", "--engine",
         "agents", "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    ps = psutil.Process(proc.pid)
    while sum(ps.cpu_times()[:2]) < 5 and proc.poll() is None:  # past the imports, running
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "nothing was written" in err, err
    assert list(tmp_path.iterdir()) == []
