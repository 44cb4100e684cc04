"""``adoptsim dashboard``: check the address, then hand over to the dashboard's server.

The experiments layer does not import the dashboard (it sits above): this command replaces
itself with ``python -m dashboard`` once its arguments are known to be good, so Ctrl-C and the
exit code are the server's own.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import sys
from pathlib import Path
from typing import Annotated

import typer

from simulation import ConfigError

__all__ = ["dashboard", "server_command"]

Host = Annotated[
    str,
    typer.Option("--host", help="Address to listen on: 127.0.0.1 (default) is this machine only; "
                 "0.0.0.0 opens it to the network."),
]
Port = Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")]
Workers = Annotated[
    int | None,
    typer.Option("--workers", min=1, max=256,
                 help="Simulation processes kept warm for all sessions (default: CPUs, "
                 "at most 8)."),
]

ClassroomDir = Annotated[
    Path | None,
    typer.Option("--classroom-dir",
                 help="Folder of the classroom game (Classroom: play): its game.json settings "
                 "and the teams' choices; checked before the server starts, created if new. "
                 "Default: $ADOPTSIM_CLASSROOM_DIR, else ./classroom-game."),
]


def check_address(host: str, port: int) -> None:
    """Raise :class:`ConfigError` unless ``host:port`` can be listened on."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        raise ConfigError(
            f"--host {host!r}: not an address of this machine ({e.strerror})"
        ) from None
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(address)
        except OSError as e:
            raise ConfigError(
                f"--port {port}: cannot listen on {host}:{port} ({e.strerror}); another "
                "dashboard may be running there: choose another --port"
            ) from None


def server_command(host: str, port: int, workers: int | None) -> list[str]:
    cmd = [sys.executable, "-m", "dashboard", "--host", host, "--port", str(port)]
    return cmd + (["--workers", str(workers)] if workers else [])


def dashboard(host: Host = "127.0.0.1", port: Port = 8765, workers: Workers = None,
              classroom_dir: ClassroomDir = None) -> None:
    """Serve the dashboard (compare plans, network view, sweep results, the classroom) on
    http://HOST:PORT/. It needs no internet access. Ctrl-C stops it."""
    for module in ("solara", "dashboard"):
        if importlib.util.find_spec(module) is None:
            raise ConfigError(
                f"the dashboard needs the {module!r} package: run `bash scripts/setup.sh`"
            )
    check_address(host, port)
    game = classroom_dir or os.environ.get("ADOPTSIM_CLASSROOM_DIR")
    if game:  # a trainer's game: its settings are checked now, not in front of the class
        from .classroom import check_game_folder

        folder = Path(game).resolve()
        s = check_game_folder(folder)
        os.environ["ADOPTSIM_CLASSROOM_DIR"] = str(folder)
        sys.stderr.write(f"classroom game in {folder}: {s.employees} people, {s.quarters} "
                         f"quarters of {s.weeks_per_quarter} weeks\n")
    cmd = server_command(host, port, workers)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(cmd[0], cmd)
