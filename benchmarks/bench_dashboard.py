"""Dashboard speed in a real browser (Debian's headless Chromium), offline.

    .venv/bin/python benchmarks/bench_dashboard.py [--repeat 3] [--workers N]

Starts ``adoptsim dashboard`` (warm worker processes, numba) and measures:

- time to first render: from opening the page to the Compare page's controls being shown
  (first visit, then a second session);
- compare to finished charts: from pressing Compare to the summary table, the adoption curves
  and the explanation being shown, for 3 plans x 40 replicate organizations x 104 weeks x 1,000
  employees (the DESIGN target is <= 2 s warm), repeated; the runs' share is the time the page
  reports for the comparison itself;
- the CPU time the server's own process (pages, charts, explanation), its worker processes
  (the runs) and the browser (Playwright's driver and Chromium) used per comparison: a figure
  the machine's load does not stretch;
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

import psutil
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


#: the finished comparison ``n`` as the browser shows it: the page's "done" line, the summary's
#: rows, the adoption curves' image (loaded) and the explanation
_FINISHED = """n => {
  const done = document.querySelector('.run-done');
  const img = document.querySelector('.chart-adoption-by-state img');
  const why = document.querySelector('.why');
  return !!(done && done.textContent.includes(`comparison #${n}:`)
    && document.querySelectorAll('.summary tbody tr').length === 3
    && img && img.complete && img.naturalWidth > 0
    && why && why.textContent.includes('did best')) && performance.now();
}"""


def _used(p: psutil.Process) -> float:
    try:
        t = p.cpu_times()
        return t.user + t.system
    except psutil.NoSuchProcess:
        return 0.0


def cpu_seconds(proc: psutil.Process) -> tuple[float, float, float]:
    """CPU seconds used so far by the server's process, by its worker processes, and by the
    browser (this process's other children: Playwright's driver and Chromium)."""
    server = {proc.pid, *(w.pid for w in proc.children(recursive=True))}
    browser = [p for p in psutil.Process().children(recursive=True) if p.pid not in server]
    return (_used(proc), sum(_used(w) for w in proc.children(recursive=True)),
            sum(_used(b) for b in browser))


def compare_to_charts(page, number: int, server: psutil.Process) -> dict[str, float]:
    """Seconds from the click to the finished page (``total``), to the page's "done" line
    (``done``), the runs as the page reports them (``runs``), and the CPU seconds the server
    (``server_cpu``), its workers (``workers_cpu``) and the browser (``browser_cpu``) used
    meanwhile. Timed in the browser on
    each animation frame (Playwright's ``expect`` polls once a second after its first)."""
    cpu0 = cpu_seconds(server)
    t0 = page.evaluate("performance.now()")
    page.get_by_role("button", name="Compare", exact=True).click()
    done = page.wait_for_function(
        "n => { const d = document.querySelector('.run-done');"
        " return !!(d && d.textContent.includes(`comparison #${n}:`)) && performance.now(); }",
        arg=number, polling="raf", timeout=600_000).json_value()
    end = page.wait_for_function(_FINISHED, arg=number, polling="raf",
                                 timeout=600_000).json_value()
    cpu1 = cpu_seconds(server)
    runs = float(re.search(r"in ([0-9.]+) s", page.locator(".run-done").inner_text()).group(1))
    return {"total": (end - t0) / 1000, "runs": runs, "done": (done - t0) / 1000,
            "server_cpu": cpu1[0] - cpu0[0], "workers_cpu": cpu1[1] - cpu0[1],
            "browser_cpu": cpu1[2] - cpu0[2]}


def cli_compare() -> float:
    t0 = time.perf_counter()
    subprocess.run([ADOPTSIM, "compare", *PLANS, "--replicates", "40"], check=True,
                   capture_output=True)
    return time.perf_counter() - t0


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--workers", type=int, default=None)
    p.add_argument("--no-cli", action="store_true", help="skip the `adoptsim compare` timing")
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
            server = psutil.Process(proc.pid)
            results = [compare_to_charts(page, k + 1, server) for k in range(args.repeat)]
            browser.close()
    finally:
        proc.terminate()
        proc.wait(30)
    cli = None if args.no_cli else cli_compare()
    totals = [r["total"] for r in results]
    warm = totals[1:] or totals
    print(f"server up (HTTP 200) after {started:.2f} s")
    print(f"time to first render: first session {renders[0]:.2f} s, second {renders[1]:.2f} s")
    print("compare -> finished charts, 3 plans x 40 organizations x 104 weeks x 1,000 employees:")
    for k, r in enumerate(results, 1):
        print(f"  comparison {k}: {r['total']:.2f} s (runs and explanation {r['runs']:.2f} s, "
              f"the rest {r['total'] - r['runs']:.2f} s: charts, page update; 'done' shown at "
              f"{r['done']:.2f} s); CPU: server process {r['server_cpu']:.2f} s, workers "
              f"{r['workers_cpu']:.2f} s, browser {r['browser_cpu']:.2f} s; {load()}")
    print(f"  warm median {statistics.median(warm):.2f} s (target <= 2 s)")
    if cli is not None:
        print(f"adoptsim compare (a new process, start-up included): {cli:.2f} s; "
              f"ratio {cli / statistics.median(warm):.1f}x")
    print(load())


if __name__ == "__main__":
    main()
