"""Writing results so that a user never loses data to a half-written or clobbered output.

The one place every command (``run``, ``compare``, ``validate``, ``sweep``, ``analyze``,
dashboard exports) writes its files through:

- :func:`write_file` writes one file. A regular file (or a new path) is written atomically: a
  temporary file in the same folder, synced, then renamed over the path, so a reader sees the
  old file or the new one, never half of one. A path that is not a regular file is written
  *through*, never replaced: ``-`` is standard output, a FIFO or a device (``/dev/stdout``,
  ``/dev/null``) is opened and written, and a symbolic link stays a link (its target is
  written, atomically if it is a regular file).
- :func:`write_folder` writes a set of files into a folder: they are staged in a temporary
  folder beside it and moved into place at the end (:func:`staged_dir`), so a failure leaves
  neither a half-written folder nor an empty one.
- :func:`check_dir` and :func:`check_file` are the pre-flight checks a command runs before
  its work starts: the place can be written (a probe file is created and removed: this catches
  read-only file systems, permissions and file-size limits alike) and its file system has room
  for the expected size. They create nothing.
- Every failure is an :class:`OutputError` (a user error: exit code 2) naming the option, the
  file and the operating system's reason.
- :func:`plain_console` and :func:`print_error` print text as it is: a user's file name,
  scenario name or CSV value is never read as rich markup (``[bold]``) or an emoji code
  (``:x:``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from rich.console import Console
from rich.text import Text

from simulation import AdoptsimError

__all__ = [
    "STDOUT",
    "OutputError",
    "check_dir",
    "check_file",
    "free_bytes",
    "is_stdout",
    "plain_console",
    "print_error",
    "staged_dir",
    "write_file",
    "write_folder",
]

#: the path that means standard output
STDOUT = "-"
#: room kept free beyond a command's estimate (file-system blocks and metadata), besides a
#: quarter of the estimate (estimates run low)
RESERVE_BYTES = 4096


class OutputError(AdoptsimError):
    """An output cannot be written: names the option, the path and the reason (exit 2)."""

    def __init__(self, option: str, path: Path | str, reason: str):
        self.option, self.path, self.reason = option, Path(path), reason
        where = f"{option} {self.path}" if option else str(self.path)
        super().__init__(f"{where}: {reason}")

    def moved(self, staging: Path, final: Path) -> OutputError:
        """The same error naming the final path instead of the staging folder's."""
        try:
            path = final / self.path.relative_to(staging)
        except ValueError:
            path = self.path
        return OutputError(self.option, path, self.reason)


def _reason(e: OSError) -> str:
    return f"cannot write ({e.strerror or e})"


# -- printing --------------------------------------------------------------------------------
def plain_console(*, stderr: bool = False, width: int | None = None) -> Console:
    """A rich console that prints strings as they are: no markup, no emoji codes, no
    highlighting (styled output uses :class:`rich.text.Text`)."""
    stream = sys.stderr if stderr else sys.stdout
    if width is None and not stream.isatty():
        width = 140  # wide enough for tables when output goes to a file or a CI log
    return Console(stderr=stderr, width=width, markup=False, emoji=False, highlight=False)


def print_error(
    message: str, *, console: Console | None = None, label: str = "error", style: str = "bold red"
) -> None:
    """``label: message`` on ``console`` (default: a plain console on standard error), the
    message as plain text whatever it holds."""
    console = console or plain_console(stderr=True)
    console.print(Text.assemble((f"{label}:", style), " ", message), soft_wrap=True)


def is_stdout(path: Path | str | None) -> bool:
    """Whether writing ``path`` writes standard output (``-``, ``/dev/stdout``, or the file or
    pipe standard output is): then tables belong on standard error."""
    if path is None:
        return False
    if str(path) == STDOUT:
        return True
    try:
        a, b = os.stat(path), os.fstat(sys.stdout.fileno())
    except (OSError, ValueError):
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


# -- pre-flight checks -----------------------------------------------------------------------
def _existing_ancestor(path: Path) -> Path:
    """``path`` itself or its nearest ancestor that exists."""
    p = path.absolute()
    while not p.exists() and p != p.parent:
        p = p.parent
    return p


def free_bytes(path: Path | str) -> int:
    """Free space (for an unprivileged user) on the file system holding ``path`` or, if it
    does not exist yet, its nearest existing ancestor."""
    return shutil.disk_usage(_existing_ancestor(Path(path))).free


def _probe(folder: Path, option: str, shown: Path) -> None:
    """Create, write one byte to and remove a file in ``folder``: the OS refuses here what it
    would refuse at the end (read-only file system, permissions, file-size limit, full disk)."""
    try:
        fd, name = tempfile.mkstemp(dir=folder, prefix=".adoptsim-probe-")
    except OSError as e:
        raise OutputError(option, shown, _reason(e)) from None
    try:
        os.write(fd, b"\0")
    except OSError as e:
        raise OutputError(option, shown, _reason(e)) from None
    finally:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(name)


def _check_room(folder: Path, needed: int, option: str, shown: Path) -> None:
    free = free_bytes(folder)
    if needed and free < needed + needed // 4 + RESERVE_BYTES:
        raise OutputError(
            option,
            shown,
            f"not enough free space: the output needs about {_size(needed)}, the file "
            f"system holding {folder} has {_size(free)} free",
        )


def _size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024
    return f"{n:,.1f} GB"


def check_dir(path: Path | str, needed_bytes: int = 0, *, option: str = "--out") -> None:
    """Fail (:class:`OutputError`) unless a folder can be written at ``path`` with
    ``needed_bytes`` of room: an existing folder, or a new one under an existing folder.
    Creates nothing (a probe file is created and removed)."""
    if str(path) == STDOUT:  # a folder of files cannot go to standard output
        raise OutputError(option, path, "is a folder of files, not one output: '-' (standard "
                          "output) is for --json; give a folder name")
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise OutputError(option, path, "exists and is not a folder")
    anchor = _existing_ancestor(path)
    if not anchor.is_dir():
        raise OutputError(option, path, f"cannot create the folder: {anchor} is not a folder")
    _probe(anchor, option, path)
    _check_room(anchor, needed_bytes, option, path)


def _kind(path: Path) -> str:
    """What is at ``path``, following symbolic links: ``new`` (nothing), ``folder``,
    ``regular`` or ``special`` (a FIFO, a device, a socket, /dev/stdout's pipe)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "new"
    except OSError as e:
        raise OutputError("", path, f"cannot use ({e.strerror or e})") from None
    if stat.S_ISDIR(mode):
        return "folder"
    return "regular" if stat.S_ISREG(mode) else "special"


def _target(path: Path) -> Path:
    """Where an atomic write of a regular ``path`` goes: the file a symbolic link points to
    (the link stays a link), or ``path``."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def check_file(path: Path | str, needed_bytes: int = 0, *, option: str = "--json") -> None:
    """Fail (:class:`OutputError`) unless a file can be written at ``path`` (``-``: standard
    output, always fine). Its folder must exist. Creates nothing."""
    if str(path) == STDOUT:
        return
    path = Path(path)
    kind = _kind(path)
    if kind == "folder":
        raise OutputError(option, path, "is a folder; give a file name")
    if kind == "special":  # written through: the node stays what it is
        if not os.access(path, os.W_OK):
            raise OutputError(option, path, "cannot write (permission denied)")
        return
    target = _target(path)
    if not target.parent.is_dir():
        raise OutputError(option, path, f"the folder {target.parent} does not exist")
    _probe(target.parent, option, path)
    _check_room(target.parent, needed_bytes, option, path)


# -- writing ---------------------------------------------------------------------------------
def _as_bytes(data: bytes | str) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _write_through(path: Path, raw: bytes) -> None:
    """Open and write a FIFO or device (no rename: the node stays what it is; a link to one,
    like /dev/stdout, is opened as such)."""
    with open(path, "wb") as f:
        f.write(raw)


def _replace_atomically(target: Path, raw: bytes) -> None:
    """Write beside ``target`` under a temporary name, sync, and rename over it; an existing
    file's permissions are kept, a new file gets an ordinary file's."""
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()  # what open() would give (mkstemp makes 0600)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_file(path: Path | str, data: bytes | str, *, option: str = "") -> None:
    """Write ``data`` to ``path`` (see the module docstring): atomically for a regular file,
    through for ``-``, a FIFO, a device or a symbolic link's target. Raises
    :class:`OutputError` naming ``option`` and the path when the OS refuses."""
    raw = _as_bytes(data)
    if str(path) == STDOUT:
        _write_stdout(raw)
        return
    path = Path(path)
    kind = _kind(path)
    if kind == "folder":
        raise OutputError(option, path, "is a folder; give a file name")
    try:
        if kind == "special":
            _write_through(path, raw)
        else:
            target = _target(path)
            target.parent.mkdir(parents=True, exist_ok=True)
            _replace_atomically(target, raw)
    except OSError as e:
        raise OutputError(option, path, _reason(e)) from None


def _write_stdout(raw: bytes) -> None:
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(raw)
        sys.stdout.flush()
    except OSError as e:
        raise OutputError("", "standard output", _reason(e)) from None


# -- folders ---------------------------------------------------------------------------------
class Stage:
    """A folder being filled (``path``); its files appear in ``final`` when it is committed."""

    def __init__(self, path: Path, final: Path, option: str):
        self.path, self.final, self.option = path, final, option

    def write(self, name: str, data: bytes | str) -> Path:
        """Write ``name`` (may hold ``/``) into the stage; returns its final path."""
        write_file(self.path / name, data, option=self.option)
        return self.final / name


def _missing_parents(path: Path) -> list[Path]:
    """The ancestors of ``path`` that do not exist, outermost first."""
    missing = []
    p = path.absolute().parent
    while not p.exists() and p != p.parent:
        missing.append(p)
        p = p.parent
    return missing[::-1]


def _commit(stage: Path, final: Path) -> None:
    """Move the staged files into ``final``: the whole folder in one rename when ``final`` is
    new, else file by file (each rename atomic; files already there and not staged stay)."""
    for parent in _missing_parents(final):
        parent.mkdir()
    if not final.exists():
        os.rename(stage, final)
        return
    for src in sorted(stage.rglob("*")):
        dst = final / src.relative_to(stage)
        if src.is_dir():
            dst.mkdir(exist_ok=True)
        else:
            os.replace(src, dst)
    shutil.rmtree(stage)


@contextlib.contextmanager
def staged_dir(out: Path | str, *, option: str = "--out") -> Iterator[Stage]:
    """Fill a temporary folder beside ``out`` and move its files into ``out`` when the block
    ends without error; on an error the temporary folder is removed and ``out`` is left as it
    was (not created if it did not exist). Errors name the final paths."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise OutputError(option, out, "exists and is not a folder")
    anchor = _existing_ancestor(out)
    try:
        staging = Path(tempfile.mkdtemp(dir=anchor, prefix=f".{out.name or 'out'}.staging-"))
        os.chmod(staging, 0o777 & ~_umask())  # an ordinary folder's mode (mkdtemp makes 0700)
    except OSError as e:
        raise OutputError(option, out, _reason(e)) from None
    created = _missing_parents(out)
    try:
        yield Stage(staging, out, option)
        _commit(staging, out)
    except OutputError as e:
        raise e.moved(staging, out) from None
    except OSError as e:
        failed = Path(e.filename) if e.filename else staging
        raise OutputError(option, failed, _reason(e)).moved(staging, out) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        for parent in reversed(created):  # only the folders made for this output, if empty
            with contextlib.suppress(OSError):
                parent.rmdir()


def write_folder(
    out: Path | str, files: Mapping[str, bytes | str], *, option: str = "--out"
) -> list[Path]:
    """Write ``files`` (name -> content; names may hold ``/``) into the folder ``out``, all or
    nothing (:func:`staged_dir`). Returns the final paths."""
    with staged_dir(out, option=option) as stage:
        return [stage.write(name, data) for name, data in files.items()]
