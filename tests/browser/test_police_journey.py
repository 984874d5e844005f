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

    police.fill("[name=given_name]", "Ottilie")
    police.fill("[name=family_name]", "Quenby")
    fill_when(police, "date_of_birth", datetime(2011, 10, 9, tzinfo=LONDON))
    police.get_by_role("button", name="Find the child").click()
    expect(police.get_by_role("heading", level=1)).to_have_text("Is this the child who is missing?")
    assert_accessible(police)

    now = datetime.now(LONDON)
    police.get_by_label(re.compile("^Ottilie Quenby, born 9 October 2011")).check()
    police.get_by_role("button", name="Continue").click()
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
    # ...but not change it (the navigation's "CSE problem profile" is another page).
    expect(police.locator("main").get_by_role("link", name=re.compile("profile"))).to_have_count(0)
    assert_accessible(police)

    # ...but return interviews, referrals, cases and the plan are not theirs.
    expect(police.get_by_role("link", name="Record the return interview")).to_have_count(0)
    for path in ("/referrals/", "/cases/team/", "/cases/", "/missing/return-interviews/"):
        refused(police, base + path)
    # The school sees its own submission, never the police's record of the episode.
    refused(school, history_url)
    school.goto(submission_url)
    expect(school.locator("main")).not_to_contain_text("Retail park car park")


def test_police_search_intelligence_and_record_a_disruption(
    browser_page_pair: tuple[Page, Page], live_site: str
) -> None:
    police, other = browser_page_pair
    base = live_site

    sign_in(police, base, "police4")
    police.get_by_role("link", name="Police intelligence").first.click()
    expect(police.get_by_role("heading", level=1)).to_have_text("Police intelligence")
    assert_accessible(police)

    police.fill("[name=q]", "holloway")
    police.get_by_role("button", name="Search").click()
    results = police.get_by_test_id("search-results")
    expect(results).to_contain_text("Darren Holloway")
    assert_accessible(police)
    results.get_by_role("link", name="Darren Holloway").click()
    expect(police.get_by_role("heading", level=1)).to_have_text("Darren Holloway")
    expect(police.get_by_test_id("children")).to_contain_text("Keira Ashdown")
    expect(police.get_by_test_id("associations")).to_contain_text("Harbour View Lodge")
    assert_accessible(police)
    person_url = police.url

    police.get_by_role("link", name="Record a disruption").first.click()
    expect(police.locator("[name=subject_reference]")).to_have_value("PN800000001")
    assert_accessible(police)
    # Bad input first: a notice needs its kind, date and (for a CAWN) the child.
    police.check("input[name=kind][value=cawn]")
    police.get_by_role("button", name="Record the disruption").click()
    summary = police.locator(".govuk-error-summary")
    expect(summary).to_contain_text("the child the notice names")
    expect(summary).to_contain_text("Enter the date")
    assert_accessible(police)

    today = datetime.now(LONDON)
    police.fill("[name=child_reference]", "PN800000002")
    police.fill("[name=occurred_on-day]", str(today.day))
    police.fill("[name=occurred_on-month]", str(today.month))
    police.fill("[name=occurred_on-year]", str(today.year))
    police.check("input[name=outcome][value=served]")
    police.get_by_role("button", name="Record the disruption").click()
    expect(police.locator("main")).to_contain_text("Child abduction warning notice recorded")
    disruptions = police.get_by_test_id("disruptions")
    expect(disruptions).to_contain_text("Child abduction warning notice")
    expect(disruptions).to_contain_text("Keira Ashdown")
    assert police.url == person_url
    assert_accessible(police)

    # The hotel he was seen at: who else was seen there, and the disruption at the place.
    police.get_by_test_id("poi-locations").get_by_role("link", name="Harbour View Lodge").click()
    expect(police.get_by_role("heading", level=1)).to_have_text("Harbour View Lodge")
    expect(police.get_by_test_id("seen")).to_contain_text("Darren Holloway")
    assert_accessible(police)

    # Intelligence is the police's alone.
    sign_in(other, base, "licensing2")
    refused(other, person_url)
    refused(other, base + "/intelligence/")
