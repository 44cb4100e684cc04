"""Uploaded files: size-limited, kept in a folder of the session's own, removed with it.

An upload larger than ``ADOPTSIM_DASHBOARD_MAX_UPLOAD_MB`` (default 200 MB, about a
two-million-employee org chart or ten million ties) is refused before any of it is read. Files
are stored as bytes under a fixed name and parsed only by the org-chart import (CSV, no eval, no
pickle); the user's file name is kept for messages.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import solara

from simulation import AdoptsimError

from .state import Upload

__all__ = ["MAX_UPLOAD_MB", "UploadError", "max_upload_bytes", "save_upload", "user_message"]

MAX_UPLOAD_MB = 200
_CHUNK = 1 << 20
_session_dir: solara.Reactive[str | None] = solara.reactive(None)


class UploadError(AdoptsimError):
    """An upload that cannot be used (too large, empty, unreadable)."""


def max_upload_bytes() -> int:
    raw = os.environ.get("ADOPTSIM_DASHBOARD_MAX_UPLOAD_MB", str(MAX_UPLOAD_MB))
    try:
        return int(float(raw) * 1e6)
    except ValueError:
        return MAX_UPLOAD_MB * 1_000_000


def session_dir() -> Path:
    """The session's folder for uploads: made at its first upload, removed when the session
    (Solara's virtual kernel) closes."""
    path = _session_dir.value
    if path is None or not Path(path).is_dir():
        from solara.server import kernel_context

        path = tempfile.mkdtemp(prefix="adoptsim-session-")
        _session_dir.set(path)
        kernel_context.get_current_context().on_close(
            lambda: shutil.rmtree(path, ignore_errors=True)
        )
    return Path(path)


def save_upload(info: Any, kind: str) -> Upload:
    """Store a dropped file (Solara's ``FileInfo``) as the session's ``kind`` file
    (``org_chart`` or ``ties``). Raises :class:`UploadError` with the reason."""
    name = Path(str(info["name"])).name or f"{kind}.csv"
    size = int(info["size"])
    limit = max_upload_bytes()
    if size > limit:
        raise UploadError(
            f"{name}: {size / 1e6:.1f} MB is more than the dashboard accepts "
            f"({limit / 1e6:.0f} MB; set ADOPTSIM_DASHBOARD_MAX_UPLOAD_MB to change it, or "
            "use `adoptsim compare --org-csv` on the command line)"
        )
    if size == 0:
        raise UploadError(f"{name}: the file is empty")
    dest = session_dir() / f"{kind}.csv"
    tmp = dest.with_suffix(".part")
    written = 0
    with open(tmp, "wb") as out:
        src = info["file_obj"]
        while chunk := src.read(_CHUNK):
            written += len(chunk)
            if written > limit:
                tmp.unlink(missing_ok=True)
                raise UploadError(f"{name}: larger than {limit / 1e6:.0f} MB")
            out.write(chunk)
    os.replace(tmp, dest)
    return Upload(name, str(dest), written)


def user_message(error: Exception, *uploads: Upload | None) -> str:
    """An error's message with the session's storage paths replaced by the user's file names."""
    text = str(error)
    for u in uploads:
        if u is not None:
            text = text.replace(u.path, u.name)
    return text
