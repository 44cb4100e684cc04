"""One writer per results folder: an operating-system file lock in the folder.

A sweep writes its folder for minutes or hours and a second writer (the same sweep started
twice, or ``--resume`` while the first still runs) would store every run twice. So the writer
holds an exclusive ``flock`` on ``DIR/.adoptsim.lock`` for as long as it runs: the kernel
releases it when the process ends, however it ends (SIGKILL included), so there is no stale
lock to clean up. The file holds the holder's pid, host, command line and start time, which a
refused writer names. The lock file stays in the folder (a dot file, which Parquet readers
skip); removing it while held would let a third writer lock a new file.

POSIX only (``fcntl``); on a network file system the lock is as good as its ``flock``.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from simulation import ConfigError

try:
    import fcntl
except ImportError:  # Windows: no advisory locks here; the folder is not guarded
    fcntl = None

__all__ = ["LOCK_NAME", "FolderLock"]

LOCK_NAME = ".adoptsim.lock"


def _holder() -> dict[str, Any]:
    return {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "command": " ".join(["adoptsim", *sys.argv[1:]]) if sys.argv else "",
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _describe(info: dict[str, Any]) -> str:
    if not info:
        return "another process"
    return (
        f"process {info.get('pid')} on {info.get('host')}, started {info.get('started')}: "
        f"{info.get('command')}"
    )


class FolderLock:
    """An exclusive lock on ``folder`` (which must exist) for ``what`` (named in messages).

    ``acquire`` raises :class:`ConfigError` naming the running holder when another process
    holds it; use as a context manager, or call :meth:`release`.
    """

    def __init__(self, folder: Path | str, what: str = "adoptsim", option: str = "--out"):
        self.folder, self.what, self.option = Path(folder), what, option
        self.path = self.folder / LOCK_NAME
        self.fd: int | None = None

    def acquire(self) -> FolderLock:
        if fcntl is None:
            return self
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            raise ConfigError(
                f"{self.option} {self.folder}: cannot create its lock file ({e.strerror})"
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            info = self._read(fd)
            os.close(fd)
            raise ConfigError(
                f"{self.option} {self.folder}: in use by another {self.what} "
                f"({_describe(info)}). Two writers would store every run twice: wait for it "
                "to finish (or stop it), then resume with --resume"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(_holder()) + "\n").encode(), 0)
        self.fd = fd
        return self

    @staticmethod
    def _read(fd: int) -> dict[str, Any]:
        with contextlib.suppress(OSError, ValueError):
            return json.loads(os.pread(fd, 65536, 0).decode() or "{}")
        return {}

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing the descriptor releases the lock
            self.fd = None

    def __enter__(self) -> FolderLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()
