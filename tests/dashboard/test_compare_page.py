"""The Compare page in a real browser: a comparison runs, shows its numbers (those of
`adoptsim compare`), charts and words; bad input gets a message in place."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .ui import choose, compare, download, fill, small

pytestmark = pytest.mark.browser
ADOPTSIM = str(Path(sys.executable).parent / "adoptsim")


def test_every_page_loads_offline(open_page):
    page = open_page()
    expect(page.get_by_text("Plans to compare")).to_be_visible()
    expect(page.get_by_role("button", name="Compare", exact=True)).to_be_enabled()
    page.get_by_role("tab", name="Network").click()
    expect(page.get_by_text("Run a comparison on the")).to_be_visible()
    page.get_by_role("tab", name="Sweep results").click()
    expect(page.locator(".sweep-path")).to_be_visible()
    page.get_by_role("tab", name="Compare plans").click()
    expect(page.get_by_text("Plans to compare")).to_be_visible()


def test_a_comparison_equals_the_command_line_and_changes_with_the_plans(open_page, tmp_path):
    page = open_page()
    small(page)
    compare(page)
    rows = page.locator(".summary tbody tr")
    expect(rows).to_have_count(3)
    curves = page.locator(".chart-adoption-by-state img")
    expect(curves).to_be_visible()
    first_png = curves.get_attribute("src")
    expect(page.locator(".why")).to_contain_text("did best")
    csv = download(page, page.locator(".summary").get_by_role("button", name="CSV"),
                   tmp_path / "page-summary.csv").read_text()
    proc = subprocess.run(
        [ADOPTSIM, "compare", "provide-and-pray", "goal-led-communities", "bootstrap",
         "--replicates", "4", "--weeks", "30", "--employees", "200", "--out",
         str(tmp_path / "cli")], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert csv == (tmp_path / "cli" / "summary.csv").read_text()

    choose(page, "Plan 1", "mandate")
    compare(page, 2)
    expect(rows.first).to_contain_text("mandate")
    expect(curves).not_to_have_attribute("src", first_png)


def test_the_result_tabs_show_groups_risk_money_and_distributions(open_page, tmp_path):
    page = open_page()
    small(page)
    compare(page)
    # a long table is made when downloaded: 3 plans x 6 states x the weeks
    csv = download(page, page.locator(".chart-adoption-by-state").get_by_role("button", name="CSV"),
                   tmp_path / "curves.csv").read_text().splitlines()
    assert csv[0] == "plan,state,week,median,p10,p90"
    assert len(csv) > 3 * 6 * 30
    for tab, chart in [("Roles & departments", "active-by-department"),
                       ("Risk", "success"), ("Money", "value-and-cost"),
                       ("Distributions", "outcome-distributions")]:
        page.get_by_role("tab", name=tab).click()
        expect(page.locator(f".chart-{chart} img")).to_be_visible()
    page.get_by_role("tab", name="Risk").click()
    expect(page.locator(".paired")).to_contain_text("provide-and-pray")
    card = page.locator(".chart-success")
    png = download(page, card.get_by_role("button", name="PNG"), tmp_path / "s.png")
    assert png.read_bytes()[:4] == b"\x89PNG"
    csv = download(page, card.get_by_role("button", name="CSV"), tmp_path / "s.csv").read_text()
    assert csv.splitlines()[0] == "plan,successes,organizations,success_rate,ci_low,ci_high"
    assert len(csv.splitlines()) == 4


def test_bad_input_gets_a_message_in_place_and_the_session_goes_on(open_page):
    page = open_page()
    fill(page, "Replicate organizations", "abc")
    expect(page.get_by_text("Replicate organizations: 'abc' is not a number")).to_be_visible()
    fill(page, "Replicate organizations", "5000")
    expect(page.get_by_text("allowed from 1 to 1000")).to_be_visible()
    fill(page, "Employees", "5")
    expect(page.get_by_text("Employees = 5: allowed from 10")).to_be_visible()
    small(page)  # good values again
    # wait until the server took them (the last one clears its message): typing into Weeks
    # while the server still answers small()'s own Weeks value would have that answer
    # overwrite what is typed (seen on a busy machine: the comparison then ran 30 weeks)
    expect(page.get_by_text("Employees = 5: allowed from 10")).to_have_count(0)
    expect(page.get_by_text("allowed from 1 to 1000")).to_have_count(0)
    fill(page, "Weeks", "20")  # bootstrap launches its platform in week 26: as the CLI refuses
    page.get_by_role("button", name="Compare", exact=True).click()
    expect(page.locator(".run-error")).to_contain_text("(launch_platform) starts in week 26")
    small(page)
    compare(page, 2)  # the refused comparison was the session's first
    expect(page.locator(".summary tbody tr")).to_have_count(3)


def test_the_network_page_draws_an_organization_week_by_week(open_page):
    page = open_page()
    small(page)
    compare(page)
    page.get_by_role("tab", name="Network").click()
    image = page.locator(".chart-network img")
    expect(image).to_be_visible()
    before = image.get_attribute("src")
    slider = page.get_by_role("slider")
    slider.focus()
    slider.press("Home")  # week 0: everyone unaware
    expect(image).not_to_have_attribute("src", before)
    expect(page.locator(".chart-network")).to_contain_text("week 0")
    choose(page, "Plan", "bootstrap")
    expect(page.locator(".chart-network")).to_contain_text("bootstrap, organization 1")
