"""How a user works the dashboard's controls (Vuetify widgets) in Playwright."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

SMALL = {"Replicate organizations": "4", "Weeks": "30", "Employees": "200"}


def fill(page: Page, label: str, value: str) -> None:
    """Type into a text field and press Enter (fields take a value on Enter or on leaving)."""
    field = page.get_by_label(label, exact=True)
    field.fill(value)
    field.press("Enter")


def choose(page: Page, label: str, option: str) -> None:
    """Pick an option of a drop-down list."""
    field = page.locator(".v-select").filter(has=page.get_by_label(label, exact=True))
    field.locator(".v-input__slot").click()  # the list's button (it holds the hidden input)
    page.get_by_role("option", name=option, exact=True).click()


def small(page: Page, settings: dict[str, str] = SMALL) -> None:
    for label, value in settings.items():
        fill(page, label, value)


def compare(page: Page, number: int = 1) -> None:
    """Press Compare and wait for this session's comparison ``number`` to finish."""
    page.get_by_role("button", name="Compare", exact=True).click()
    expect(page.locator(".run-done")).to_contain_text(f"comparison #{number}:",
                                                      timeout=240_000)
    expect(page.locator(".summary")).to_be_visible()


def download(page: Page, button, path: Path) -> Path:
    """Click a download button; the file as saved."""
    with page.expect_download() as dl:
        button.click()
    dl.value.save_as(path)
    return path


def join_team(page: Page, name: str) -> None:
    """Join the classroom game on the play page as team ``name``."""
    fill(page, "Team name", name)
    page.get_by_role("button", name="Join", exact=True).click()
    expect(page.locator(".menu")).to_be_visible()


def pick_offers(page: Page, offers: list[str]) -> None:
    """Tick this quarter's offers (intervention type tags) on the play page."""
    for tag in offers:
        page.locator(f".offer-{tag} label").click()
        expect(page.locator(f".offer-{tag} input")).to_be_checked()
