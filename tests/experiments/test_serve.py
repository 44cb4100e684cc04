"""`adoptsim dashboard` refuses an address it cannot listen on, before starting anything."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

from experiments.serve import server_command

ADOPTSIM = str(Path(sys.executable).parent / "adoptsim")


def cli(*args):
    return subprocess.run([ADOPTSIM, "dashboard", *map(str, args)], capture_output=True,
                          text=True, timeout=120)


def test_a_busy_port_is_refused_with_a_message(assert_user_error):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert_user_error(cli("--port", port), f"--port {port}", "choose another --port")


def test_an_unknown_host_and_a_bad_port_are_refused(assert_user_error):
    assert_user_error(cli("--host", "no-such-host.invalid"), "--host 'no-such-host.invalid'")
    proc = cli("--port", "70000")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_the_server_binds_to_this_machine_unless_told_otherwise():
    cmd = server_command("127.0.0.1", 8765, None)
    assert cmd[1:] == ["-m", "dashboard", "--host", "127.0.0.1", "--port", "8765"]
    proc = subprocess.run([ADOPTSIM, "dashboard", "--help"], capture_output=True, text=True)
    assert "[default: 127.0.0.1]" in proc.stdout
