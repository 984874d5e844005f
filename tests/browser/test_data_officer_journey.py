"""A data officer's journey: the linkage review queue, a pair side by side with the evidence,
a decision (none without a choice), and the data-quality report; case work out of reach."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.test_case_journey import refused


def test_data_officer_resolves_a_review_pair(page: Page, live_site: str) -> None:
    base = live_site
    sign_in(page, base, "data1")
    page.get_by_role("link", name="Record linkage").first.click()
    assert_accessible(page)
    page.goto(base + "/linkage/review/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Review pair")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Are these the same person?")
    expect(page.get_by_test_id("pair-records")).to_contain_text("Becky")
    expect(page.get_by_test_id("evidence-for")).to_contain_text("nickname")
    assert_accessible(page)

    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("The same person").check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator("main")).to_contain_text("Decision recorded")
    expect(page.locator("main")).to_contain_text("Nothing to review")

    page.goto(base + "/linkage/quality/")
    assert_accessible(page)
    for path in ("/referrals/", "/cases/team/", "/attendance/alerts/"):
        refused(page, base + path)
