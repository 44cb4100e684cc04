"""Uploads and built plans in a real browser: an org chart's problems are shown in place with
the import's message, an oversized file is refused, and a plan built in the page exports as a
scenario `adoptsim run` accepts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from scenarios import load_scenario

from .conftest import UPLOAD_MB
from .ui import choose, compare, download, fill

pytestmark = pytest.mark.browser
ADOPTSIM = str(Path(sys.executable).parent / "adoptsim")


def org_chart(path: Path, *, bad_row: bool = False, departments: int = 4, per: int = 50):
    rows = ["employee_id,manager_id,department", "ceo,,Board"]
    rows += [f"m{d},ceo,Dept {d}" for d in range(departments)]
    rows += [f"e{d}_{i},m{d},Dept {d}" for d in range(departments) for i in range(per)]
    if bad_row:
        rows.insert(10, "x1,nobody,Dept 1")
    path.write_text("\n".join(rows) + "\n")
    return path


def upload(page, path: Path, which: str = "org-chart") -> None:
    page.locator(f".upload-{which} input[type=file]").set_input_files(str(path))


def test_a_malformed_org_chart_shows_the_import_message_in_place(open_page, tmp_path):
    page = open_page()
    page.get_by_role("button", name="upload").click()
    upload(page, org_chart(tmp_path / "my-org.csv", bad_row=True))
    error = page.locator(".upload-error")
    expect(error).to_contain_text("my-org.csv, row 11, column 'manager_id'")
    expect(error).to_contain_text("unknown manager 'nobody'")
    expect(error).not_to_contain_text("adoptsim-session")  # no server path shown
    (tmp_path / "ties.csv").write_text("source,target\ne0_1\n")
    upload(page, org_chart(tmp_path / "fixed.csv"))
    expect(page.locator(".upload-ok")).to_contain_text("205 people in 5 departments")
    upload(page, tmp_path / "ties.csv", "ties")
    expect(page.locator(".upload-error")).to_contain_text("ties.csv")


def test_an_upload_over_the_limit_is_refused(open_page, tmp_path):
    page = open_page()
    page.get_by_role("button", name="upload").click()
    big = tmp_path / "huge.csv"
    big.write_bytes(b"employee_id,manager_id,department\n" + b"x" * (UPLOAD_MB + 1) * 10**6)
    upload(page, big)
    expect(page.locator(".upload-error")).to_contain_text(f"more than the dashboard accepts "
                                                          f"({UPLOAD_MB} MB")


def test_the_three_plans_on_an_uploaded_org_chart(open_page, tmp_path):
    """What a strategist does: their org chart, the three headline plans, the curves, the
    risk, the money and the words."""
    page = open_page()
    fill(page, "Replicate organizations", "4")
    fill(page, "Weeks", "30")
    page.get_by_role("button", name="upload").click()
    upload(page, org_chart(tmp_path / "acme.csv", departments=5, per=60))
    expect(page.locator(".upload-ok")).to_contain_text("306 people in 6 departments")
    compare(page)
    summary = page.locator(".summary")
    for plan in ("provide-and-pray", "goal-led-communities", "bootstrap"):
        expect(summary).to_contain_text(plan)
    expect(page.locator(".chart-adoption-by-state img")).to_be_visible()
    expect(page.locator(".why")).to_contain_text("did best")
    expect(page.locator(".why")).to_contain_text("McNemar")
    page.get_by_role("tab", name="Money").click()
    expect(page.locator(".chart-value-and-cost img")).to_be_visible()
    page.get_by_role("tab", name="Roles & departments").click()
    expect(page.locator(".chart-active-by-department")).to_be_visible()


def test_a_plan_built_in_the_page_runs_with_adoptsim_run(open_page, tmp_path):
    page = open_page()
    page.get_by_text("Build a plan of your own").click()
    choose(page, "Start from a built-in plan", "bootstrap")
    builder = page.locator(".plan-builder")
    expect(builder.locator(".plan-item-4")).to_be_visible()  # five interventions
    item = builder.locator(".plan-item-0")
    goal_fit = item.get_by_label("Goal fit", exact=True)
    goal_fit.fill("1.5")
    goal_fit.press("Enter")
    expect(item).to_contain_text("Goal fit = 1.5: allowed from 0 to 1")
    goal_fit.fill("0.65")
    goal_fit.press("Enter")
    fill(page, "Plan name", "our-bootstrap")
    expect(builder.locator(".plan-ok")).to_contain_text("our-bootstrap: a valid plan")
    toml = download(page, builder.get_by_role("button", name="Download TOML"),
                    tmp_path / "our-bootstrap.toml")
    sc = load_scenario(toml)
    assert sc.name == "our-bootstrap" and sc.plan[0].goal_fit == 0.65
    assert [p.type for p in sc.plan] == [p.type for p in load_scenario("bootstrap").plan]
    out = tmp_path / "run.json"
    proc = subprocess.run([ADOPTSIM, "run", str(toml), "--weeks", "30", "--employees", "150",
                           "--json", str(out)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(out.read_text())["scenario"] == "our-bootstrap"
    builder.get_by_role("button", name="Use in the comparison").click()
    expect(page.locator(".plan-slot-3")).to_contain_text("our-bootstrap")  # a fourth plan
