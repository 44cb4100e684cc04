"""Serve the dashboard: ``python -m dashboard [--host H] [--port P] [--workers N]
[--classroom-dir DIR]``.

``adoptsim dashboard`` checks its arguments and starts this. The server binds to 127.0.0.1
unless ``--host`` says otherwise, sends nothing anywhere (Solara's version check and usage
telemetry are off, and its front-end assets come from the local cache that
``scripts/setup.sh`` fills), and keeps ``--workers`` warm simulation processes for all
sessions (:mod:`dashboard.runs`).
"""

from __future__ import annotations

import argparse
import atexit
import ipaddress
import os
import socket
import sys

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765

#: settings read by Solara when it is imported: no calls home, our title, production mode
SOLARA_ENV = {
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    "SOLARA_THEME_TITLE": "adoptsim",
    "SOLARA_THEME_SHOW_BANNER": "False",
    "SOLARA_MODE": "production",
    # a session whose page closed is ended (and its runs stopped) at once by the page's close
    # message; one that just vanished (network lost) after this long
    "SOLARA_KERNEL_CULL_TIMEOUT": "5m",
}


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(socket.gethostbyname(host)).is_loopback
    except (OSError, ValueError):
        return False


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__.split("\n")[0])
    p.add_argument("--host", default=DEFAULT_HOST)
    p.add_argument("--port", type=int, default=DEFAULT_PORT)
    p.add_argument("--workers", type=int, default=None)
    p.add_argument("--classroom-dir", default=None, help="the classroom game's folder")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    if args.classroom_dir:  # `adoptsim dashboard --classroom-dir` checked it; this passes it on
        os.environ["ADOPTSIM_CLASSROOM_DIR"] = os.path.abspath(args.classroom_dir)
    for key, value in SOLARA_ENV.items():
        os.environ.setdefault(key, value)
    if not _loopback(args.host):  # others can reach the sweep page: only this folder and below
        os.environ.setdefault("ADOPTSIM_DASHBOARD_SWEEP_ROOT", os.getcwd())
    from solara.__main__ import cli

    from . import runs

    pool = runs.start_pool(args.workers)  # warm workers while the server starts
    atexit.register(pool.shutdown)
    sys.stderr.write(
        f"adoptsim dashboard on http://{args.host}:{args.port}/ "
        f"({pool.workers} worker processes); Ctrl-C stops it\n"
    )
    cli.main(
        [
            "run",
            "dashboard.app",
            "--host",
            args.host,
            "--port",
            str(args.port),
            "--production",
            "--no-open",
            "--no-check-version",
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        prog_name="adoptsim dashboard",
    )
