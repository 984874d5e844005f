"""The front door in a real browser: a referrer screening "Kay Brierly-Test" is offered the
child Safehub already knows (Katherine Brierley-Test, also known as Kay, seeded by
`seed_search`), chooses her, and the screening is hers; the police record a missing child new
to Safehub. Every page passes the axe-core checks."""

from __future__ import annotations

from datetime import datetime, timedelta

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.test_case_journey import LONDON, fill_when


def test_a_referrer_screening_kay_brierly_test_is_offered_katherine(
    page: Page, live_site: str
) -> None:
    sign_in(page, live_site, "referrer5")
    page.goto(live_site + "/screening/")
    page.get_by_label("West Midlands regional CSE screening tool").check()
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("First name").fill("Kay")
    page.get_by_label("Last name").fill("Brierly-Test")
    page.get_by_label("Day").fill("12")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2011")
    page.get_by_label("Female").check()
    page.get_by_role("button", name="Continue").click()

    # "Is this the child?": her name, date of birth and why, then "or", then none of these.
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Is this the child you are screening?")
    kay = page.get_by_label("Katherine Brierley-Test, born 12 March 2011")
    expect(kay).to_have_count(1)
    expect(page.locator(".govuk-radios__hint").first).to_have_text(
        "Family name differs by one letter; Kay is a recorded also-known-as; date of birth matches"
    )
    expect(page.locator(".govuk-radios__divider")).to_have_text("or")
    expect(page.get_by_label("None of these: this is a child new to Safehub")).to_be_visible()
    expect(page.get_by_text("Zinnia")).to_have_count(0)  # born the same day, not offered
    assert_accessible(page)

    # No answer is an error, shown accessibly, and nothing moves on.
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the child")
    expect(heading).to_have_text("Is this the child you are screening?")
    assert_accessible(page)

    kay.check()
    page.get_by_role("button", name="Continue").click()
    expect(heading).to_have_text("Disclosure")
    page.locator("#disclosed_exploitation-no").check()
    page.get_by_role("button", name="Continue").click()
    for part, value in (("Part A", "not_present"), ("Part B", "no")):
        expect(heading).to_contain_text(part)
        for radio in page.locator(f"input[type=radio][value={value}]").all():
            radio.check()
        page.get_by_role("button", name="Continue").click()
    expect(heading).to_have_text("Check your answers before submitting")
    page.get_by_role("button", name="Submit screening").click()

    # The screening is hers: her record's name, not the one typed.
    expect(page.locator("main")).to_contain_text("Screening of Katherine Brierley-Test")
    page.get_by_role("link", name="My submissions").first.click()
    table = page.get_by_role("table")
    expect(table).to_contain_text("Katherine Brierley-Test")
    expect(table).not_to_contain_text("Kay Brierly-Test")
    assert_accessible(page)


def test_the_police_record_a_missing_child_new_to_safehub(page: Page, live_site: str) -> None:
    sign_in(page, live_site, "police2")
    page.goto(live_site + "/missing/record/")
    page.get_by_label("First name").fill("Tamsin")
    page.get_by_label("Last name").fill("Orchardleigh")
    page.get_by_label("Day").fill("21")
    page.get_by_label("Month").fill("8")
    page.get_by_label("Year").fill("2012")
    page.get_by_role("button", name="Find the child").click()

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Add the child and record the episode")
    expect(page.locator(".govuk-inset-text")).to_contain_text("No child with these details")
    expect(page.get_by_label("Last name")).to_have_value("Orchardleigh")
    assert_accessible(page)
    page.get_by_label("Female").check()
    now = datetime.now(LONDON)
    page.check("input[name=missing_from][value=home]")
    page.check("input[name=category][value=missing]")
    page.check("input[name=risk][value=high]")
    fill_when(page, "went_missing_at", now - timedelta(hours=6))
    fill_when(page, "reported_at", now - timedelta(hours=5))
    page.fill("[name=reported_by]", "Mother")
    page.get_by_role("button", name="Add the child and record the episode").click()

    expect(page.locator("main")).to_contain_text("The child was added and the episode recorded")
    expect(page.locator("main")).to_contain_text("Tamsin Orchardleigh")
    assert_accessible(page)
