"""Never lose typed work, in a real browser: a signed-out user gets their referral back after
signing in again, the timeout warning is an accessible dialog, and a screening answer can be
changed back from "Yes" after choosing an evidence mark."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, next_code, sign_in
from tests.browser.seed import PASSWORD

CONCERNS = "Seen twice this week getting into a silver car outside the school gates."


def sign_in_again(page: Page, username: str) -> None:
    """Sign in on the sign-in page the browser is on (keeping its `next`), with a code that is
    not a replay of the first sign-in's."""
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/two-factor/**")
    page.get_by_label("Security code").fill(next_code(username))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


def test_an_expired_session_keeps_the_referrals_text(page: Page, live_site: str) -> None:
    sign_in(page, live_site, "referrer6")
    page.goto(live_site + "/referrals/new/")
    page.get_by_label("First name").fill("Rosalind")
    page.get_by_label("Last name").fill("Achterberg")
    with page.expect_response(lambda r: r.url.endswith("/accounts/drafts/") and r.ok):
        page.get_by_label("What are you worried about?").fill(CONCERNS)

    # The cookies go (the session ended): sending now fails, but nothing typed is lost.
    page.context.clear_cookies()
    page.get_by_role("button", name="Send referral").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your form was not sent")
    expect(page.get_by_text("CSRF")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name="Sign in again").click()
    sign_in_again(page, "referrer6")

    # Back on the form, with what was typed, and a message saying so.
    page.wait_for_url("**/referrals/new/")
    expect(page.get_by_text("We kept what you typed on this page")).to_be_visible()
    expect(page.get_by_label("Last name")).to_have_value("Achterberg")
    expect(page.get_by_label("What are you worried about?")).to_have_value(CONCERNS)
    assert_accessible(page)


def test_the_timeout_warning_is_an_accessible_dialog(page: Page, live_site: str) -> None:
    # The page's clock, not the test, is moved on: no waiting for real time.
    page.clock.install()
    sign_in(page, live_site, "board5")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your tasks")
    dialog = page.get_by_role("dialog", name="You are about to be signed out")
    expect(dialog).to_be_hidden()
    page.clock.fast_forward("28:30")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("What you have typed is kept")
    stay = dialog.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()
    expect(dialog.get_by_role("button", name="Sign out")).to_be_visible()
    assert_accessible(page)
    with page.expect_response(lambda r: r.url.endswith("/stay-signed-in/") and r.ok):
        stay.click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your tasks")


def test_a_screening_answer_can_be_changed_back(page: Page, live_site: str) -> None:
    sign_in(page, live_site, "practitioner6")
    page.goto(live_site + "/screening/")
    page.get_by_label("West Midlands regional CSE screening tool").check()
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("First name").fill("Ottoline")
    page.get_by_label("Last name").fill("Pemberthy")
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("4")
    page.get_by_label("Year").fill("2011")
    page.get_by_label("Female").check()
    page.get_by_role("button", name="Continue").click()
    page.locator("#disclosed_exploitation-no").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Part A")
    for radio in page.locator("input[type=radio][value=not_present]").all():
        radio.check()
    # "Yes", an evidence mark, then back to "Not present".
    page.locator("#missing_repeat-current").check()
    page.locator("#missing_repeat__mark-evidence").check()
    page.locator("#missing_repeat").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Part B")
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page.get_by_text("missing_repeat")).to_have_count(0)
    assert_accessible(page)
