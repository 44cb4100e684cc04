"""The sweep page in a real browser: a folder written by `adoptsim sweep` is plotted metric
against parameter, analysed with `experiments.analyze`, and the analysis saved with it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .ui import choose, fill

pytestmark = pytest.mark.browser
ADOPTSIM = str(Path(sys.executable).parent / "adoptsim")
SPEC = """
scenario = ["provide-and-pray", "goal-led-communities"]
weeks = 20
replicates = 2
seed = 5
design = "lhs"
samples = 12
engine = "numba"
[parameters]
"conditions.trust" = { low = 0.1, high = 0.7 }
"conditions.manager_attitude" = { low = -0.6, high = 0.4 }
"organization.employees" = [150]
"""


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("sweep")
    (root / "spec.toml").write_text(SPEC)
    proc = subprocess.run([ADOPTSIM, "sweep", str(root / "spec.toml"), "--out",
                           str(root / "lhs"), "--workers", "2"],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    return root / "lhs"


def _open(page, path, ok: bool = True) -> None:
    fill(page, "Sweep folder (written by `adoptsim sweep --out DIR`)", str(path))
    page.get_by_role("button", name="Open").click()
    if ok:
        expect(page.locator(".sweep-analysis")).to_be_visible()


def test_a_sweep_is_plotted_analysed_and_the_analysis_saved(open_page, sweep_dir):
    page = open_page("sweep")
    _open(page, sweep_dir / "missing", ok=False)
    expect(page.get_by_text("missing: no such folder")).to_be_visible()
    _open(page, sweep_dir)
    expect(page.locator(".sweep-info")).to_contain_text("48 runs of goal-led-communities, "
                                                        "provide-and-pray")
    chart = page.locator(".adoptsim-chart img").first
    expect(chart).to_be_visible()
    before = chart.get_attribute("src")
    choose(page, "Metric", "active_share")
    expect(chart).not_to_have_attribute("src", before)
    expect(page.locator(".adoptsim-chart").first).to_contain_text(
        "active share against conditions.trust")

    analysis = page.locator(".sweep-analysis")
    expect(analysis).to_contain_text("No analysis is stored")
    analysis.get_by_role("button", name="Analyse", exact=True).click()
    expect(analysis).to_contain_text("Where the plans fail", timeout=300_000)
    analysis.get_by_role("button", name="Save with the sweep (prim-success)").click()
    expect(analysis).to_contain_text("stored: prim-success")
    assert (sweep_dir / "analysis" / "prim-success" / "summary.md").is_file()


def test_a_bad_analysis_request_gets_a_message(open_page, sweep_dir):
    page = open_page("sweep")
    _open(page, sweep_dir)
    analysis = page.locator(".sweep-analysis")
    choose(page, "Method", "sobol")
    analysis.get_by_role("button", name="Analyse", exact=True).click()
    expect(page.locator(".analysis-error")).to_contain_text("sobol")
