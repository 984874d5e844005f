"""Each role's main journey in a real browser, with an axe-core check on every page."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in


def screen_a_child(page: Page, base: str, family_name: str, username: str) -> None:
    sign_in(page, base, username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your tasks")
    assert_accessible(page)
    page.get_by_role("button", name="Screen a child").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Screen a child for risk of sexual exploitation"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Start now").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the screening tool")
    assert_accessible(page)
    page.get_by_label("West Midlands regional CSE screening tool").check()
    page.get_by_role("button", name="Start now").click()

    # Bad input first: the error summary names the field and nothing is kept.
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the child's first name")
    assert_accessible(page)

    page.get_by_label("First name").fill("Ottilie")
    page.get_by_label("Last name").fill(family_name)
    page.get_by_label("Day").fill("9")
    page.get_by_label("Month").fill("10")
    page.get_by_label("Year").fill("2011")
    page.get_by_label("Female").check()
    page.get_by_role("button", name="Continue").click()

    # Disclosure page
    expect(page.get_by_role("heading", level=1)).to_have_text("Disclosure")
    assert_accessible(page)
    page.locator("#disclosed_exploitation-no").check()
    page.get_by_role("button", name="Continue").click()

    # Part A: one current indicator, the rest not present
    expect(page.get_by_role("heading", level=1)).to_contain_text("Part A")
    assert_accessible(page)
    for radio in page.locator("input[type=radio][value=not_present]").all():
        radio.check()
    page.locator("#missing_repeat-current").check()
    page.locator("#missing_repeat__mark-evidence").check()
    page.get_by_role("button", name="Continue").click()

    # Part B
    expect(page.get_by_role("heading", level=1)).to_contain_text("Part B")
    assert_accessible(page)
    for radio in page.locator("input[type=radio][value=no]").all():
        radio.check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before submitting"
    )
    assert_accessible(page)
    page.get_by_label("Anything else the MASH should know (optional)").fill("Collected by cars.")
    # These answers refer the child: the MASH needs the sharing basis and the family's knowledge.
    page.check("input[name=sharing_basis][value=safeguarding]")
    page.check("input[name=family_aware][value=yes]")
    page.get_by_role("button", name="Submit screening").click()

    # A significant-risk result is a plain heading with a red tag, not the green panel.
    expect(page.get_by_test_id("result-heading")).to_have_text("Significant risk")
    expect(page.locator(".govuk-panel--confirmation")).to_have_count(0)
    expect(page.get_by_text("A referral has gone to the MASH")).to_be_visible()
    assert_accessible(page)


def test_referrer_screens_a_child_and_follows_the_submission(page: Page, live_site: str) -> None:
    screen_a_child(page, live_site, "Fennimore", "referrer1")
    page.get_by_role("link", name="My submissions").first.click()
    expect(page.get_by_role("table")).to_contain_text("Ottilie Fennimore")
    expect(page.get_by_role("table")).to_contain_text("awaiting triage")
    assert_accessible(page)


def test_mash_officer_sees_the_referral_and_the_childs_record(
    browser_page_pair: tuple[Page, Page], live_site: str
) -> None:
    referrer_page, mash_page = browser_page_pair
    screen_a_child(referrer_page, live_site, "Quillfeather", "referrer2")
    sign_in(mash_page, live_site, "mash1")
    expect(mash_page.get_by_role("heading", level=1)).to_have_text("Your tasks")
    assert_accessible(mash_page)
    mash_page.get_by_role("link", name="Referral queue").first.click()
    expect(mash_page.get_by_role("heading", level=1)).to_have_text("Referral queue")
    assert_accessible(mash_page)
    mash_page.get_by_role("link", name="newest first").click()
    row = mash_page.get_by_role("row").filter(has_text="Ottilie Quillfeather")
    expect(row).to_contain_text("Significant risk")
    expect(row).to_contain_text(re.compile(r"\d+ minutes?"))
    row.get_by_role("link").click()
    expect(mash_page.get_by_role("heading", level=1)).to_have_text("Ottilie Quillfeather")
    assert_accessible(mash_page)
    mash_page.get_by_role("link", name="Open the child's record").click()
    expect(mash_page.get_by_test_id("access-log")).to_contain_text("mash1")
    assert_accessible(mash_page)


def test_screening_works_on_a_phone(phone_page: Page, live_site: str) -> None:
    screen_a_child(phone_page, live_site, "Marchbanks", "referrer3")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"page scrolls sideways on a 360px phone: {width}px"


def test_board_member_cannot_reach_case_pages(page: Page, live_site: str) -> None:
    sign_in(page, live_site, "board1")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your tasks")
    assert_accessible(page)
    page.goto(live_site + "/referrals/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot see this page")
    assert_accessible(page)
