"""Urgent work first, and risk carried through the hand-off, in a real browser.

The seed (tests/browser/seed.py, `seed_tasks`) leaves an unrated significant-risk referral three
days old and return home interviews overdue by 5, 120, 200 and 400 days. The CSE manager's
first task must be the triage, naming the child; the long-overdue interviews come last, in
their own group. The MASH then rates the referral Red and decides a strategy discussion: the
case opens at High risk, with its six-week review, and shows the RAG and the screening result.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import assert_accessible, sign_in

CHILD = "Primrose Urgentfirst"


def test_the_managers_first_task_is_the_most_urgent_and_red_opens_a_high_risk_case(
    page: Page, live_site: str, browser: Browser
) -> None:
    base = live_site
    sign_in(page, base, "manager5")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your tasks")
    first = page.get_by_test_id("task").first
    expect(first).to_contain_text("Triage referral")
    expect(first).to_contain_text(CHILD)
    expect(first).to_contain_text("High risk")
    expect(page.get_by_test_id("task-group-long_overdue")).to_contain_text("Long overdue")
    groups = page.locator("h2[data-testid^=task-group-]")
    expect(groups.first).to_contain_text("MASH triage")
    expect(groups.last).to_contain_text("Long overdue")
    assert_accessible(page)

    # Filtering to return home interviews leaves the triage out.
    page.get_by_label(re.compile("Return home interviews")).check()
    page.get_by_role("button", name="Apply filter").click()
    expect(page.get_by_label(re.compile("Return home interviews"))).to_be_checked()
    expect(page.get_by_test_id("task").first).to_contain_text("Return home interview")
    expect(page.locator("main")).not_to_contain_text(CHILD)
    assert_accessible(page)

    # The MASH queue puts the unrated significant-risk referral first, marked to look at now.
    mash = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(mash, base, "mash5")
    mash.goto(base + "/referrals/")
    first_row = mash.get_by_test_id("referral-queue").locator("tbody tr").first
    expect(first_row).to_contain_text(CHILD)
    expect(first_row.get_by_test_id("look-now")).to_have_text("Significant risk: look now")
    assert_accessible(mash)
    first_row.get_by_role("link").first.click()
    mash.check("input[name=rating][value=red]")
    mash.fill("#reason", "Current missing episodes; collected by cars")
    mash.get_by_role("button", name="Save rating").click()
    expect(mash.get_by_text("Rating history")).to_be_visible()
    mash.check("input[name=decision][value=strategy_discussion]")
    mash.fill("#rationale", "Significant harm suspected: strategy discussion with police")
    mash.get_by_role("button", name="Record decision").click()
    expect(
        mash.get_by_role("heading", name=re.compile("Decision: Strategy discussion"))
    ).to_be_visible()

    # The case opens at the risk the MASH decided, with that risk's review interval.
    page.goto(base + "/cases/team/")
    page.get_by_role("row").filter(has_text=CHILD).get_by_role(
        "link", name=CHILD, exact=True
    ).click()
    details = page.get_by_test_id("case-summary")
    expect(details).to_contain_text("High")
    expect(details).to_contain_text("Red")
    expect(details).to_contain_text("Significant risk")
    review = date.today() + timedelta(weeks=6)
    expect(details).to_contain_text(f"{review.day} {review:%B %Y}")
    assert_accessible(page)
