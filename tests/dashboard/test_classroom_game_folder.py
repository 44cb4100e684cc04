"""The play mode's game folder, in a real headless Chromium: two teams play a quarter, the
server stops, a new server on the same game folder shows the scoreboard again from the stored
choices, and a team that joins again under its name resumes where it was. A quarter runs in
the background, with a visible sign that it runs."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from experiments.classroom import GameSettings, GameStore

from .conftest import Offline, dashboard
from .ui import join_team, pick_offers

pytestmark = pytest.mark.browser

#: set in the page before a click: did the element ever appear, even for a moment?
_WATCH = """selector => {
    window.__seen = false;
    new MutationObserver(() => {
        if (document.querySelector(selector)) window.__seen = true;
    }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


@pytest.fixture
def game(tmp_path):
    folder = tmp_path / "game"
    GameStore(folder, GameSettings(name="restart-test", employees=120, quarters=2,
                                   weeks_per_quarter=8, replicates=2, search_quarters=(0, 1)))
    return folder


class Pages:
    """New browser sessions on one server, each checked to have stayed offline."""

    def __init__(self, browser, url: str):
        self.browser, self.url, self.opened = browser, url, []

    def open(self, path: str = "play"):
        context = self.browser.new_context(viewport={"width": 1500, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(60_000)
        guard = Offline(page, self.url.split("//")[1].rstrip("/"))
        page.goto(self.url + path)
        self.opened.append((context, guard))
        return page

    def close(self) -> None:
        for context, guard in self.opened:
            guard.check()
            context.close()


def _run_quarter(page, quarter: int, offers: list[str]) -> None:
    pick_offers(page, offers)
    page.evaluate(_WATCH, ".quarter-running")
    page.get_by_role("button", name=f"Run quarter {quarter}").click()
    expect(page.locator(".quarter-events")).to_contain_text(f"Quarter {quarter}",
                                                            timeout=240_000)
    assert page.evaluate("window.__seen"), "no sign that the quarter was running"


def _rows(page) -> list[str]:
    page.get_by_role("button", name="Refresh").click()
    rows = page.locator(".score-row")
    expect(rows).to_have_count(2)
    return rows.all_inner_texts()


def test_a_restarted_server_shows_the_scoreboard_and_teams_resume(browser, game, tmp_path):
    with dashboard(game, tmp_path / "first.log") as (url, _):
        pages = Pages(browser, url)
        gamma, delta = pages.open(), pages.open()
        join_team(gamma, "Gamma")
        join_team(delta, "Delta")
        _run_quarter(gamma, 1, ["education"])
        _run_quarter(delta, 1, [])
        expect(gamma.get_by_role("button", name="Run quarter 2")).to_be_enabled()
        before = _rows(pages.open())  # a session that has not joined
        quarter_one = gamma.locator(".quarter-events").inner_text()
        pages.close()
    assert any("Gamma: 1 quarters" in r for r in before)
    assert all("plan hidden until your debrief" in r for r in before)

    with dashboard(game, tmp_path / "second.log") as (url, _):
        pages = Pages(browser, url)
        viewer = pages.open()
        expect(viewer.locator(".join")).to_be_visible()
        assert _rows(viewer) == before  # the same standings, from the stored choices
        again = pages.open()
        join_team(again, "Gamma")
        expect(again.locator(".menu")).to_contain_text("Quarter 2 of 2")
        expect(again.locator(".team-plan")).to_contain_text("Quarter 1: Education")
        # the quarter played before the restart is shown again, the same run
        expect(again.locator(".quarter-events")).to_contain_text("Quarter 1", timeout=240_000)
        assert again.locator(".quarter-events").inner_text() == quarter_one
        pages.close()


def test_a_wrong_game_json_is_a_message_on_the_play_page(browser, tmp_path):
    """A game.json spoilt after the server started is a message in place; once mended, the
    next visit opens the game (no restart)."""
    folder = tmp_path / "game"
    with dashboard(folder, tmp_path / "server.log") as (url, _):
        (folder / "game.json").write_text('{"employes": 300}')
        pages = Pages(browser, url)
        page = pages.open()
        message = page.locator(".play-message")
        expect(message).to_contain_text("game.json")
        expect(message).to_contain_text("Did you mean 'employees'")
        expect(page.locator(".join")).to_have_count(0)
        (folder / "game.json").write_text('{"employees": 100, "quarters": 2}')
        page = pages.open()
        expect(page.locator(".join")).to_be_visible(timeout=240_000)
        expect(page.locator(".play-message")).to_have_count(0)
        pages.close()
