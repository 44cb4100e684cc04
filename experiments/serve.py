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


def dashboard(host: Host = "127.0.0.1", port: Port = 8765, workers: Workers = None) -> None:
    """Serve the strategist dashboard (compare plans, network view, sweep results) on
    http://HOST:PORT/. It needs no internet access. Ctrl-C stops it."""
    for module in ("solara", "dashboard"):
        if importlib.util.find_spec(module) is None:
            raise ConfigError(
                f"the dashboard needs the {module!r} package: run `bash scripts/setup.sh`"
            )
    check_address(host, port)
    cmd = server_command(host, port, workers)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(cmd[0], cmd)
