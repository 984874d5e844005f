"""A police intelligence officer's journey: a child reported missing, recorded, found, and the
Philomena profile read; everything outside the police's need-to-know refused."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.test_case_journey import LONDON, fill_when, refused
from tests.browser.test_journeys import screen_a_child


def test_police_record_a_missing_episode_and_read_the_profile(
    browser_page_pair: tuple[Page, Page], live_site: str
) -> None:
    school, police = browser_page_pair
    base = live_site

    # The child is known to the partnership: a school screened her.
    screen_a_child(school, base, "Quenby", "referrer5")
    school.get_by_role("link", name="My submissions").first.click()
    submission_url = school.url

    sign_in(police, base, "police1")
    expect(police.get_by_role("heading", level=1)).to_have_text("Your tasks")
    assert_accessible(police)
    police.get_by_role("link", name="Missing episodes").first.click()
    expect(police.get_by_role("heading", level=1)).to_contain_text("missing")
    assert_accessible(police)

    # Bad input first: the search needs a name.
    police.get_by_role("button", name="Find the child").click()
    expect(police.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(police)

    police.fill("[name=family_name]", "Quenby")
    fill_when(police, "date_of_birth", datetime(2011, 10, 9, tzinfo=LONDON))
    police.get_by_role("button", name="Find the child").click()
    expect(police.get_by_role("table")).to_contain_text("Ottilie Quenby")
    assert_accessible(police)

    now = datetime.now(LONDON)
    police.get_by_role("link", name=re.compile("Record an episode")).click()
    assert_accessible(police)
    police.check("input[name=missing_from][value=home]")
    police.check("input[name=category][value=missing]")
    police.check("input[name=risk][value=high]")
    fill_when(police, "went_missing_at", now - timedelta(hours=10))
    fill_when(police, "reported_at", now - timedelta(hours=9))
    police.fill("[name=reported_by]", "Mother")
    police.get_by_role("button", name="Record the episode").click()
    expect(police.locator("main")).to_contain_text("High")
    assert_accessible(police)
    history_url = police.url

    police.get_by_role("link", name=re.compile("Record the return")).click()
    assert_accessible(police)
    fill_when(police, "found_at", now - timedelta(hours=1))
    police.fill("[name=found_place]", "Retail park car park")
    police.get_by_role("button", name="Record the return").click()
    expect(police.locator("main")).to_contain_text("Retail park car park")

    # The Philomena profile exists to be handed to the police: they may read it...
    police.get_by_role("link", name="View the profile").click()
    expect(police.locator("main")).to_contain_text("Philomena Protocol")
    expect(police.get_by_role("link", name=re.compile("profile"))).to_have_count(0)
    assert_accessible(police)

    # ...but return interviews, referrals, cases and the plan are not theirs.
    expect(police.get_by_role("link", name="Record the return interview")).to_have_count(0)
    for path in ("/referrals/", "/cases/team/", "/cases/", "/missing/return-interviews/"):
        refused(police, base + path)
    # The school sees its own submission, never the police's record of the episode.
    refused(school, history_url)
    school.goto(submission_url)
    expect(school.locator("main")).not_to_contain_text("Retail park car park")
