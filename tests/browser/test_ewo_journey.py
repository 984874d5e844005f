"""An education welfare officer's journey: the attendance alerts for their schools, why one
fired, a dismissal that needs a reason, and an escalation into a pre-filled screening."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.test_case_journey import refused


def test_ewo_sees_why_an_alert_fired_and_escalates_it(page: Page, live_site: str) -> None:
    base = live_site
    sign_in(page, base, "ewo1")
    page.get_by_role("link", name="Attendance alerts").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Attendance alerts")
    assert_accessible(page)
    # Only the officer's own schools' pupils.
    expect(page.locator("main")).to_contain_text("Esther Falloway")
    expect(page.locator("main")).not_to_contain_text("Outerbridge")

    page.get_by_role("link", name=re.compile("Esther Falloway")).click()
    alert_url = page.url
    expect(page.locator("main")).to_contain_text("afternoon")
    expect(page.get_by_test_id("attendance-weeks")).to_be_visible()
    assert_accessible(page)

    # Dismissing needs a reason; nothing changes without one.
    page.get_by_role("link", name="Dismiss with a reason").click()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Dismiss")).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.goto(alert_url)
    expect(page.locator("main")).to_contain_text("Open")

    # Escalating opens a screening with the child already chosen.
    page.get_by_role("button", name="Escalate: start a screening").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Disclosure")
    expect(page.locator("main")).to_contain_text("Screening started from the attendance alert")
    assert_accessible(page)
    page.goto(alert_url)
    expect(page.locator("main")).to_contain_text("Escalated")

    # Case work stays out of reach.
    for path in ("/referrals/", "/cases/team/", "/missing/record/"):
        refused(page, base + path)
