"""A real `adoptsim dashboard` server and Debian's headless Chromium (through pytest-playwright).

The server's asset proxy points at a closed port, so any front-end file not installed by
`scripts/setup.sh` fails to load; every page is also stopped from reaching anything but the
server. Each test then checks that no request failed: the dashboard works offline.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_EXECUTABLE", "/usr/bin/chromium")
ADOPTSIM = str(Path(sys.executable).parent / "adoptsim")
#: the test server accepts uploads up to this size (the limit test uploads more)
UPLOAD_MB = 3


def pytest_collection_modifyitems(config, items):
    """Browser tests skip, saying why, only when Chromium is truly not there."""
    reason = os.environ.get("ADOPTSIM_NO_CHROMIUM")
    if not reason and not os.access(CHROMIUM, os.X_OK):
        reason = (f"no Chromium at {CHROMIUM} (scripts/test.sh installs Debian's chromium with "
                  "apt-get; set CHROMIUM_EXECUTABLE to use another)")
    if reason:
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(pytest.mark.skip(reason=f"browser tests: {reason}"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # pytest-playwright has no option for the executable: Debian's Chromium, never a download
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"],
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def game_settings():
    """The play page's game: a short game on a small organization (two quarters)."""
    from experiments.classroom import GameSettings

    return GameSettings(name="browser-test", employees=120, quarters=2, weeks_per_quarter=8,
                        replicates=2, search_quarters=(0, 1))


def classroom_game(tmp_path_factory) -> Path:
    """The play page's game folder (:func:`game_settings`)."""
    from experiments.classroom import GameStore

    folder = tmp_path_factory.mktemp("classroom") / "game"
    GameStore(folder, game_settings())
    return folder


@contextlib.contextmanager
def dashboard(game: Path, log_path: Path, *args: str):
    """`adoptsim dashboard` on a free port with ``game`` as its classroom folder (and ``args``);
    yields (url, process), stops it after."""
    port = free_port()
    env = {**os.environ, "SOLARA_ASSETS_CDN": "http://127.0.0.1:9/",
           "ADOPTSIM_DASHBOARD_MAX_UPLOAD_MB": str(UPLOAD_MB),
           "ADOPTSIM_CLASSROOM_DIR": str(game)}
    log = open(log_path, "w+")  # noqa: SIM115 (kept open while the server runs)
    proc = subprocess.Popen([ADOPTSIM, "dashboard", "--port", str(port), "--workers", "2", *args],
                            stdout=log, stderr=subprocess.STDOUT, env=env,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                log.seek(0)
                pytest.fail(f"the dashboard exited early:\n{log.read()}")
            try:
                with urllib.request.urlopen(url, timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("the dashboard did not start within 90 s")
            time.sleep(0.3)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        log.seek(0)
        text = log.read()
        log.close()
        assert "Could not load URL" not in text, text[-3000:]


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """`adoptsim dashboard` on a free port; yields (url, process)."""
    # numba compiles the kernels once per checkout (then loads them from its cache): do it
    # here, so that the tests' time limits measure the app, not a first compilation
    subprocess.run([ADOPTSIM, "run", "bootstrap", "--weeks", "30", "--employees", "100",
                    "--engine", "numba", "--json", "-"], capture_output=True, timeout=900,
                   check=True)
    log_path = tmp_path_factory.mktemp("dashboard") / "server.log"
    with dashboard(classroom_game(tmp_path_factory), log_path) as running:
        yield running


class Offline:
    """Requests a page made that left the machine or failed."""

    def __init__(self, page, host: str):
        self.left, self.failed = [], []
        local = (f"http://{host}", f"ws://{host}", "data:", "blob:", "about:")

        def route(r):
            if r.request.url.startswith(local):
                r.continue_()
            else:
                self.left.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.on("response", lambda resp: self.failed.append((resp.status, resp.url))
                if resp.status >= 400 else None)

    def check(self) -> None:
        assert not self.left, f"requests left the machine: {self.left[:5]}"
        assert not self.failed, f"requests failed: {self.failed[:5]}"


@pytest.fixture
def open_page(browser, server):
    """open_page() -> a page of a new browser session on the dashboard (checked offline)."""
    url, _ = server
    opened = []

    def make(path: str = ""):
        context = browser.new_context(viewport={"width": 1500, "height": 1000},
                                      accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(60_000)
        guard = Offline(page, url.split("//")[1].rstrip("/"))
        page.goto(url + path)
        opened.append((context, guard))
        return page

    yield make
    for context, guard in opened:
        guard.check()
        context.close()


@pytest.fixture(scope="session", autouse=True)
def _patient_expect():
    """Pages wait on a busy 2-core machine: expectations wait up to a minute."""
    from playwright.sync_api import expect

    expect.set_options(timeout=60_000)
