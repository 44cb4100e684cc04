"""Two browser sessions do not share plans or results; a cancelled comparison, or one whose
page closes, stops its runs (the worker processes go idle)."""

from __future__ import annotations

import re
import time

import psutil
import pytest
from playwright.sync_api import expect

from .ui import choose, compare, fill, small

pytestmark = pytest.mark.browser
BIG = {"Replicate organizations": "300", "Weeks": "104", "Employees": "3000"}


def _worker_seconds(server_pid: int, seconds: float = 1.0) -> float:
    """CPU seconds the busiest simulation worker used in the next ``seconds`` (a measure of
    work done, whatever else loads the machine: an idle worker waits on a queue)."""
    workers = psutil.Process(server_pid).children(recursive=True)

    def used(w):
        try:
            t = w.cpu_times()
            return t.user + t.system
        except psutil.NoSuchProcess:
            return 0.0

    before = [used(w) for w in workers]
    time.sleep(seconds)
    return max((used(w) - b for w, b in zip(workers, before, strict=True)), default=0.0)


def _wait(server_pid: int, busy: bool, timeout: float) -> float:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        work = _worker_seconds(server_pid)
        if (work > 0.05) if busy else (work < 0.01):
            return time.monotonic() - t0
    pytest.fail(f"the workers did not become {'busy' if busy else 'idle'} in {timeout} s")


def _start_big(page) -> None:
    small(page, BIG)
    page.get_by_role("button", name="Compare", exact=True).click()
    expect(page.locator(".run-progress")).to_be_visible()


def test_two_sessions_keep_their_own_plans_and_results(open_page):
    a, b = open_page(), open_page()
    small(a)
    choose(a, "Plan 1", "mandate")
    compare(a)
    expect(a.locator(".summary tbody tr").first).to_contain_text("mandate")
    expect(b.locator(".plan-slot-0")).to_contain_text("provide-and-pray")
    expect(b.locator(".summary")).to_have_count(0)
    expect(b.get_by_label("Replicate organizations", exact=True)).to_have_value("40")
    small(b)
    compare(b)
    expect(b.locator(".summary tbody tr").first).to_contain_text("provide-and-pray")
    expect(a.locator(".summary tbody tr").first).to_contain_text("mandate")


def test_cancel_stops_the_runs_and_the_session_goes_on(open_page, server):
    _, proc = server
    page = open_page()
    _start_big(page)
    _wait(proc.pid, busy=True, timeout=60)
    # the progress is updated in place as runs finish (not by re-rendering the page)
    expect(page.locator(".run-status")).to_have_text(re.compile(r"running: [1-9]"),
                                                     timeout=120_000)
    page.get_by_role("button", name="Cancel").click()
    expect(page.locator(".run-cancelled")).to_be_visible()
    assert _wait(proc.pid, busy=False, timeout=15) < 15
    small(page)
    compare(page, 2)


def test_closing_the_page_stops_its_runs(open_page, server):
    _, proc = server
    page = open_page()
    _start_big(page)
    _wait(proc.pid, busy=True, timeout=60)
    page.close(run_before_unload=True)
    assert _wait(proc.pid, busy=False, timeout=20) < 20
    fill(open_page(), "Replicate organizations", "4")  # the server still serves
