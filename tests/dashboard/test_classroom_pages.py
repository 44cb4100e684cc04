"""The classroom pages in a real headless Chromium: a lesson stepped live with its ticker, two
teams playing in two sessions, the debrief and the scoreboard, the animation exported."""

from __future__ import annotations

import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from experiments.classroom import LiveRun, intervention_name, narrate
from scenarios import load_lesson

from .conftest import game_settings
from .ui import choose, download, join_team, pick_offers

pytestmark = pytest.mark.browser


def test_a_lesson_stepped_live_is_narrated(open_page):
    page = open_page("live")
    step = page.get_by_role("button", name="Step a week")
    expect(step).to_be_visible(timeout=180_000)  # the lesson's organization is built first
    for week in range(1, 4):
        step.click()
        expect(page.locator(".live-week")).to_contain_text(f"week {week} of")
    lesson = load_lesson("provide-and-pray")
    run = LiveRun(lesson.load_side(0), lesson.live.seed)
    run.run_to(3)
    expected = [narrate(e) for e in run.events]
    assert expected, "the first weeks of a launch have events"
    expect(page.locator(".ticker-line")).to_have_count(len(expected))
    assert page.locator(".ticker-line").all_inner_texts() == expected[::-1]  # latest first
    tops = [line.bounding_box()["y"] for line in page.locator(".ticker-line").all()]
    assert tops == sorted(set(tops))  # a line each, not one run-on paragraph
    expect(page.locator(".chart-network")).to_be_visible()
    expect(page.locator(".chart-curves")).to_be_visible()
    page.get_by_role("button", name="Play").click()  # at the normal speed
    expect(page.locator(".live-week")).to_contain_text(re.compile(r"week ([5-9]|\d\d+) of"))
    page.get_by_role("button", name="Pause").click(timeout=10_000)  # the bar is not redrawn
    expect(page.get_by_role("button", name="Play")).to_be_visible()
    paused = page.locator(".live-week").inner_text()
    page.wait_for_timeout(2000)
    assert page.locator(".live-week").inner_text() == paused  # paused: the weeks stop
    page.get_by_role("button", name="Reset").click()
    expect(page.locator(".live-week")).to_contain_text("week 0 of")
    expect(page.locator(".ticker-line")).to_have_count(0)


def _week(page) -> int:
    return int(re.search(r"week (\d+) of", page.locator(".live-week").inner_text()).group(1))


def test_two_sessions_each_run_their_own_lesson(open_page):
    """One trainer's Play, Step, speed and lesson leave another session's run as it was."""
    a, b = open_page("live"), open_page("live")
    for page in (a, b):
        expect(page.get_by_role("button", name="Step a week")).to_be_visible(timeout=180_000)
    choose(b, "Speed", "fast (8 weeks/s)")
    b.get_by_role("button", name="Step a week").click()
    expect(b.locator(".live-week")).to_contain_text("week 1 of")
    a.get_by_role("button", name="Play").click()
    expect(a.locator(".live-week")).to_contain_text(re.compile(r"week ([4-9]|\d\d+) of"))
    expect(b.locator(".live-week")).to_contain_text("week 1 of")  # b is not playing
    expect(b.get_by_role("button", name="Play")).to_be_enabled()
    expect(b.get_by_role("button", name="Pause")).to_have_count(0)
    a.get_by_role("button", name="Pause").click()
    expect(a.get_by_role("button", name="Play")).to_be_visible()
    a.wait_for_timeout(1500)  # a week being drawn when Pause was pressed is still shown
    week_a = _week(a)
    b.get_by_role("button", name="Step a week").click()
    expect(b.locator(".live-week")).to_contain_text("week 2 of")
    choose(b, "Lesson", "veterans-and-newcomers")
    expect(b.locator(".lesson")).to_contain_text(load_lesson("veterans-and-newcomers").title)
    a.wait_for_timeout(1000)
    assert _week(a) == week_a  # b's step and lesson did not move a
    expect(a.locator(".lesson")).to_contain_text(load_lesson("provide-and-pray").title)
    expect(a.locator(".v-select").filter(has=a.get_by_label("Speed", exact=True))).to_contain_text(
        "normal (3 weeks/s)")
    expect(b.locator(".v-select").filter(has=b.get_by_label("Speed", exact=True))).to_contain_text(
        "fast (8 weeks/s)")


def test_the_animation_is_exported_from_the_page(open_page, tmp_path):
    page = open_page("live")
    make = page.get_by_role("button", name="Make an animation (GIF)")
    expect(make).to_be_visible(timeout=180_000)
    make.click()
    button = page.get_by_role("button", name="Download the GIF")
    expect(button).to_be_visible(timeout=300_000)
    path = download(page, button, tmp_path / "run.gif")
    lesson = load_lesson("provide-and-pray")
    with Image.open(path) as im:
        assert im.n_frames == lesson.live.weeks + 1


def _quarter(page, quarter: int, offers: list[str]) -> None:
    pick_offers(page, offers)
    page.get_by_role("button", name=f"Run quarter {quarter}").click()
    card = page.locator(".quarter-events")
    expect(card).to_contain_text(f"Quarter {quarter}", timeout=240_000)
    start = (quarter - 1) * game_settings().weeks_per_quarter
    for tag in offers:  # told in the quarter it starts in, dated the quarter's first week
        expect(card).to_contain_text(f"Week {start}: {intervention_name(tag)} started")
    weeks = [int(w) for w in re.findall(r"Week (\d+):", card.inner_text())]
    assert all(start <= w <= start + game_settings().weeks_per_quarter for w in weeks), weeks


def test_two_teams_play_see_their_own_plan_then_debrief(open_page):
    alpha, beta = open_page("play"), open_page("play")
    join_team(alpha, "Alpha")
    join_team(beta, "Beta")
    _quarter(alpha, 1, ["education"])
    _quarter(beta, 1, ["communities"])
    expect(alpha.locator(".team-plan")).to_contain_text("Quarter 1: Education")
    expect(beta.locator(".team-plan")).to_contain_text("Quarter 1: Communities")
    alpha.get_by_role("button", name="Refresh").click()
    board = alpha.locator(".scoreboard")
    expect(board).to_contain_text("Beta")
    expect(board).to_contain_text("plan hidden until your debrief")
    assert "Communities" not in board.inner_text() + alpha.locator(".team-plan").inner_text()

    _quarter(beta, 2, [])
    _quarter(alpha, 2, ["manager_engagement"])  # the test game has two quarters: its end
    debrief = alpha.locator(".debrief")
    expect(debrief).to_contain_text("best plan found", timeout=600_000)
    expect(alpha.locator(".debrief-line").first).to_contain_text("your plan succeeds on")
    alpha.get_by_role("button", name="Refresh").click()
    expect(alpha.locator(".scoreboard")).to_contain_text("Communities q1")  # Beta's, now
    expect(beta.locator(".debrief")).to_be_visible()
