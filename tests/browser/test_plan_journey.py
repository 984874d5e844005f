"""The delivery plan in a real browser: an owner updates an action, the lead compares this
month with last, a board member downloads the Scrutiny progress report."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in


def open_the_plan(page: Page, base: str) -> None:
    page.goto(base + "/plans/")
    assert_accessible(page)
    page.locator("main a[href^='/plans/']").filter(has_text=re.compile("plan", re.I)).first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)


def test_owner_updates_lead_compares_board_downloads(
    browser_page_pair: tuple[Page, Page], live_site: str, browser
) -> None:
    owner, lead = browser_page_pair
    sign_in(owner, live_site, "plan.owner")
    open_the_plan(owner, live_site)
    owner.get_by_role("row").filter(has_text="Ruth Ellery").first.get_by_role("link").first.click()
    assert_accessible(owner)
    owner.get_by_role("link", name="Update progress").click()
    assert_accessible(owner)
    owner.fill("[name=note]", "Sessions held in ten of fifteen schools")
    owner.check("input[name=status][value=in_progress]")
    owner.fill("[name=progress]", "65")
    owner.get_by_role("button", name=re.compile("Save")).click()
    expect(owner.locator("main")).to_contain_text("Sessions held in ten of fifteen schools")

    sign_in(lead, live_site, "manager6")
    open_the_plan(lead, live_site)
    lead.get_by_role("link", name="Compare two dates").click()
    expect(lead.locator("main")).to_contain_text(re.compile("Slipped"))
    assert_accessible(lead)

    board = browser.new_context(accept_downloads=True).new_page()
    sign_in(board, live_site, "board6")
    open_the_plan(board, live_site)
    board.get_by_role("link", name="Progress reports").first.click()
    assert_accessible(board)
    board.locator("main a[href*='/reports/']").filter(has_text=re.compile(".")).first.click()
    assert_accessible(board)
    with board.expect_download() as download:
        board.get_by_role("link", name="Download as PDF").click()
    path = download.value.path()
    assert open(path, "rb").read(4) == b"%PDF"
    # Board members read the plan and its reports, never an action's notes and evidence.
    action_href = owner.url
    board.goto(action_href)
    expect(board.get_by_role("heading", level=1)).to_have_text("You cannot see this page")
