"""Dashboard speed in a real browser (Debian's headless Chromium), offline.

    .venv/bin/python benchmarks/bench_dashboard.py [--repeat 3] [--workers N]

Starts ``adoptsim dashboard`` (warm worker processes, numba) and measures:

- time to first render: from opening the page to the Compare page's controls being shown
  (first visit, then a second session);
- compare to finished charts: from pressing Compare to the summary table, the adoption curves
  and the explanation being shown, for 3 plans x 40 replicate organizations x 104 weeks x 1,000
  employees (the DESIGN target is <= 2 s warm), repeated; the runs' share is the time the page
  reports for the comparison itself;
- the same comparison through ``adoptsim compare`` (a fresh process: start-up included).

The load average is printed before and after: on a shared 2-core machine the figures move with it.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

ADOPTSIM = str(Path(sys.executable).parent / "adoptsim")
CHROMIUM = os.environ.get("CHROMIUM_EXECUTABLE", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run"]
PLANS = ["provide-and-pray", "goal-led-communities", "bootstrap"]


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(workers: int | None):
    port = free_port()
    env = {**os.environ, "SOLARA_ASSETS_CDN": "http://127.0.0.1:9/"}  # offline: no CDN
    cmd = [ADOPTSIM, "dashboard", "--port", str(port)]
    if workers:
        cmd += ["--workers", str(workers)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    t0 = time.perf_counter()
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return proc, url, time.perf_counter() - t0
        except OSError:
            if proc.poll() is not None or time.perf_counter() - t0 > 120:
                proc.kill()
                raise SystemExit("the dashboard did not start") from None
            time.sleep(0.1)


def first_render(browser, url: str) -> float:
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    t0 = time.perf_counter()
    page.goto(url)
    expect(page.get_by_role("button", name="Compare", exact=True)).to_be_enabled(timeout=120_000)
    dt = time.perf_counter() - t0
    page.close()
    return dt


def compare_to_charts(page, number: int) -> tuple[float, float]:
    """(seconds from the click to the finished charts, seconds the runs took)."""
    done = page.locator(".run-done")
    t0 = time.perf_counter()
    page.get_by_role("button", name="Compare", exact=True).click()
    expect(done).to_contain_text(f"comparison #{number}:", timeout=600_000)
    expect(page.locator(".chart-adoption-by-state img")).to_be_visible(timeout=600_000)
    expect(page.locator(".why")).to_contain_text("did best", timeout=600_000)
    expect(page.locator(".summary tbody tr")).to_have_count(3)
    total = time.perf_counter() - t0
    runs = float(re.search(r"in ([0-9.]+) s", done.inner_text()).group(1))
    return total, runs


def cli_compare() -> float:
    t0 = time.perf_counter()
    subprocess.run([ADOPTSIM, "compare", *PLANS, "--replicates", "40"], check=True,
                   capture_output=True)
    return time.perf_counter() - t0


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--workers", type=int, default=None)
    args = p.parse_args()
    print(f"adoptsim dashboard benchmark; {os.cpu_count()} CPUs; {load()}")
    proc, url, started = start_server(args.workers)
    try:
        time.sleep(3)  # the worker processes load numba's kernels in the background
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            renders = [first_render(browser, url) for _ in range(2)]
            page = browser.new_page(viewport={"width": 1500, "height": 1000})
            page.goto(url)
            expect(page.get_by_role("button", name="Compare", exact=True)).to_be_enabled(
                timeout=120_000)
            results = [compare_to_charts(page, k + 1) for k in range(args.repeat)]
            browser.close()
    finally:
        proc.terminate()
        proc.wait(30)
    cli = cli_compare()
    totals = [t for t, _ in results]
    warm = totals[1:] or totals
    print(f"server up (HTTP 200) after {started:.2f} s")
    print(f"time to first render: first session {renders[0]:.2f} s, second {renders[1]:.2f} s")
    print("compare -> finished charts, 3 plans x 40 organizations x 104 weeks x 1,000 employees:")
    for k, (total, runs) in enumerate(results, 1):
        print(f"  comparison {k}: {total:.2f} s (runs {runs:.2f} s, the rest "
              f"{total - runs:.2f} s: explanation, charts, page update)")
    print(f"  warm median {statistics.median(warm):.2f} s (target <= 2 s)")
    print(f"adoptsim compare (a new process, start-up included): {cli:.2f} s; "
          f"ratio {cli / statistics.median(warm):.1f}x")
    print(load())


if __name__ == "__main__":
    main()
