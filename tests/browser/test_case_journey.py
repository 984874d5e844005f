"""One child's journey through the partnership, in a real browser, as the different roles.

A school screens the child; the MASH rates, decides and holds a strategy discussion; the CSE
manager allocates the case; the practitioner works it; the child goes missing and comes back;
an independent worker holds the return interview; the practitioner re-screens; the manager
closes the case. At each step we check what each role can and cannot see, and run axe-core.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.test_journeys import screen_a_child

LONDON = ZoneInfo("Europe/London")


def fill_when(page: Page, name: str, when: datetime) -> None:
    local = when.astimezone(LONDON)
    page.fill(f"[name={name}-day]", str(local.day))
    page.fill(f"[name={name}-month]", str(local.month))
    page.fill(f"[name={name}-year]", str(local.year))
    time_box = page.locator(f"[name={name}-time]")
    if time_box.count():
        time_box.fill(local.strftime("%H:%M"))


def refused(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot see this page")


def test_a_child_from_screening_to_closure(
    browser_page_pair: tuple[Page, Page], live_site: str, browser
) -> None:
    school, staff = browser_page_pair
    base = live_site

    # 1. The school screens the child: significant risk, referred.
    screen_a_child(school, base, "Ravensworth", "referrer4")
    school.get_by_role("link", name="My submissions").first.click()
    expect(school.get_by_role("table")).to_contain_text("awaiting triage")

    # 2. The MASH officer rates, decides a strategy discussion, records it.
    sign_in(staff, base, "mash4")
    staff.goto(base + "/referrals/?order=newest")
    staff.get_by_role("row").filter(has_text="Ottilie Ravensworth").get_by_role("link").click()
    referral_url = staff.url
    expect(staff.get_by_test_id("deadlines")).to_contain_text("Decision (1 working day)")
    assert_accessible(staff)
    staff.check("input[name=rating][value=red]")
    staff.fill("#reason", "Current missing episodes and cars")
    staff.get_by_role("button", name="Save rating").click()
    expect(staff.get_by_text("Rating history")).to_be_visible()
    staff.check("input[name=decision][value=strategy_discussion]")
    staff.fill("#rationale", "Significant harm suspected: strategy discussion with police")
    staff.get_by_role("button", name="Record decision").click()
    expect(
        staff.get_by_role("heading", name=re.compile("Decision: Strategy discussion"))
    ).to_be_visible()
    staff.select_option("#milestone", "strategy_discussion_on")
    fill_when(staff, "on", datetime.now(LONDON))
    staff.get_by_role("button", name="Save").click()
    expect(staff.get_by_test_id("deadlines")).to_contain_text("Initial child protection conference")
    assert_accessible(staff)

    # The school sees the decision, and only the decision.
    school.reload()
    expect(school.get_by_role("table")).to_contain_text("a strategy discussion is being held")
    expect(school.get_by_role("table")).not_to_contain_text("Significant harm suspected")
    refused(school, referral_url)

    # 3. The CSE manager allocates the new case.
    manager = staff.context.browser.new_context().new_page()
    sign_in(manager, base, "manager4")
    manager.goto(base + "/cases/team/")
    assert_accessible(manager)
    manager.get_by_role("row").filter(has_text="Ottilie Ravensworth").get_by_role(
        "link", name=re.compile("Allocate")
    ).click()
    manager.get_by_label("Browser Practitioner4").check()
    manager.get_by_role("button", name="Save").click()
    manager.goto(base + "/cases/team/")
    manager.get_by_role("row").filter(has_text="Ottilie Ravensworth").get_by_role(
        "link", name="Ottilie Ravensworth", exact=True
    ).click()
    case_url = manager.url
    expect(manager.get_by_text("Browser Practitioner4", exact=True)).to_be_visible()

    # 4. The allocated practitioner sees the case and its chronology; another does not.
    practitioner = staff.context.browser.new_context().new_page()
    sign_in(practitioner, base, "practitioner4")
    practitioner.goto(base + "/cases/")
    expect(practitioner.get_by_role("link", name=re.compile("Ottilie Ravensworth"))).to_be_visible()
    assert_accessible(practitioner)
    practitioner.goto(case_url)
    assert_accessible(practitioner)
    practitioner.get_by_role("link", name="Chronology").first.click()
    expect(practitioner.locator("main")).to_contain_text("Screening")
    assert_accessible(practitioner)
    other = staff.context.browser.new_context().new_page()
    sign_in(other, base, "practitioner5")
    refused(other, case_url)

    # 5. The child goes missing: the MASH officer records it and the return.
    now = datetime.now(LONDON)
    staff.goto(base + "/missing/record/")
    staff.fill("[name=given_name]", "Ottilie")
    staff.fill("[name=family_name]", "Ravensworth")
    fill_when(staff, "date_of_birth", datetime(2011, 10, 9, tzinfo=LONDON))
    staff.get_by_role("button", name="Find the child").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Is this the child who is missing?")
    staff.get_by_label(re.compile("^Ottilie Ravensworth, born 9 October 2011")).check()
    staff.get_by_role("button", name="Continue").click()
    staff.check("input[name=missing_from][value=home]")
    staff.check("input[name=category][value=missing]")
    staff.check("input[name=risk][value=medium]")
    fill_when(staff, "went_missing_at", now - timedelta(hours=40))
    fill_when(staff, "reported_at", now - timedelta(hours=38))
    staff.fill("[name=reported_by]", "Parent")
    staff.get_by_role("button", name="Record the episode").click()
    assert_accessible(staff)
    staff.get_by_role("link", name=re.compile("Record the return")).click()
    fill_when(staff, "found_at", now - timedelta(hours=20))
    staff.fill("[name=found_place]", "Station Road flats")
    staff.get_by_role("button", name="Record the return").click()
    expect(staff.locator("main")).to_contain_text("Station Road flats")

    # The MASH officer who recorded it cannot hold the interview; the manager records it.
    manager.goto(staff.url)
    manager.get_by_role("link", name=re.compile("Record the return interview")).click()
    expect(manager.get_by_test_id("rhi-clock")).to_contain_text("due by")
    assert_accessible(manager)
    fill_when(manager, "offered_at", now - timedelta(hours=18))
    manager.check("input[name=response][value=accepted]")
    fill_when(manager, "completed_at", now - timedelta(hours=2))
    manager.select_option("#interviewer", label="Browser Manager4, Test City Council")
    manager.fill("[name=outcome]", "Child stayed with older friends; support agreed")
    manager.check("input[name=exploitation_concerns][value=yes]")
    manager.fill("[name=concerns_detail]", "Given a phone by an adult man")
    manager.get_by_role("button", name="Save the interview").click()
    expect(manager.locator("main")).to_contain_text("screening")
    assert_accessible(manager)

    # The school cannot see any of it.
    refused(school, manager.url)

    # 6. The practitioner re-screens the known child.
    practitioner.goto(base + "/screening/")
    practitioner.get_by_label("West Midlands regional CSE screening tool").check()
    practitioner.get_by_role("button", name="Start now").click()
    practitioner.fill("[name=given_name]", "Ottilie")
    practitioner.fill("[name=family_name]", "Ravensworth")
    fill_when(practitioner, "date_of_birth", datetime(2011, 10, 9, tzinfo=LONDON))
    practitioner.check("input[name=sex][value=female]")
    practitioner.get_by_role("button", name="Continue").click()
    expect(practitioner.get_by_role("heading", level=1)).to_contain_text("Is this the child")
    practitioner.locator("input[name=person]").first.check()
    practitioner.get_by_role("button", name="Continue").click()
    heading = practitioner.get_by_role("heading", level=1)
    expect(heading).to_have_text("Disclosure")
    practitioner.check("input[name=disclosed_exploitation][value=yes]")
    practitioner.get_by_role("button", name="Continue").click()
    # Wait for each page before answering it: a radio list read while the previous page is
    # still unloading belongs to the previous page.
    for part, value in (("Part A", "not_present"), ("Part B", "no")):
        expect(heading).to_contain_text(part)
        for radio in practitioner.locator(f"input[type=radio][value={value}]").all():
            radio.check()
        practitioner.get_by_role("button", name="Continue").click()
    expect(heading).to_have_text("Check your answers before submitting")
    practitioner.check("input[name=sharing_basis][value=safeguarding]")
    practitioner.check("input[name=family_aware][value=yes]")
    practitioner.get_by_role("button", name="Submit screening").click()
    expect(practitioner.get_by_test_id("result-heading")).to_have_text("Significant risk")

    # 7. The manager closes the case.
    manager.goto(case_url)
    manager.get_by_role("link", name="Close the case").click()
    manager.check("input[name=reason][value=step_up]")
    manager.check("input[name=risk_at_closure][value=high]")
    manager.check("input[name=in_education][value=yes]")
    manager.fill("[name=missing_episodes]", "1")
    manager.fill("[name=notes]", "Child protection plan made; CSE work continues there")
    manager.get_by_role("button", name="Save").click()
    manager.goto(case_url)
    expect(manager.locator("main")).to_contain_text("Closed")
    assert_accessible(manager)

    # A board member sees none of this.
    board = staff.context.browser.new_context().new_page()
    sign_in(board, base, "board4")
    refused(board, case_url)
    refused(board, referral_url)
