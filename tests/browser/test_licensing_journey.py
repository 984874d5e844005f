"""A licensing officer renews a driver whose CSE training has expired and is refused with the
reason; a workforce administrator produces the DBS and training coverage report. Neither
reaches the other's records."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.test_case_journey import refused


def test_licensing_officer_is_refused_a_renewal_with_the_reason(page: Page, live_site: str) -> None:
    base = live_site
    sign_in(page, base, "licensing1")
    page.get_by_role("link", name="Drivers").first.click()
    assert_accessible(page)
    page.get_by_label("Name or badge number").fill("Demo-Arkwright")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("link", name=re.compile("Demo-Arkwright")).click()
    assert_accessible(page)
    driver_url = page.url

    page.get_by_role("link", name=re.compile("Renew a licence")).click()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Renew the licence")).click()
    expect(page.get_by_test_id("refusal-reasons")).to_contain_text("training")
    assert_accessible(page)

    # A plain officer cannot override; staff records are not theirs.
    expect(page.get_by_label(re.compile("Why the licence is granted"))).to_have_count(0)
    refused(page, base + "/workforce/")
    refused(page, base + "/workforce/coverage/")
    page.goto(driver_url)
    expect(page.locator("main")).to_contain_text("Demo-Arkwright")


def test_a_renewal_after_a_changed_status_check_is_refused(page: Page, live_site: str) -> None:
    """Demo-Harcourt's certificate is a year old, but its Update Service check found a change."""
    sign_in(page, live_site, "licensing1")
    page.get_by_role("link", name="Drivers").first.click()
    page.get_by_label("Name or badge number").fill("Demo-Harcourt")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("link", name=re.compile("Demo-Harcourt")).click()
    page.get_by_role("link", name=re.compile("Renew a licence")).click()
    page.get_by_role("button", name=re.compile("Renew the licence")).click()
    expect(page.get_by_test_id("refusal-reasons")).to_contain_text(
        "found a change: a new certificate is needed"
    )
    assert_accessible(page)


def test_an_unknown_address_is_a_govuk_page(page: Page, live_site: str) -> None:
    sign_in(page, live_site, "licensing1")
    response = page.goto(live_site + "/no-such-page/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.locator("header.govuk-generic-header")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Traceback")
    assert_accessible(page)


def test_workforce_administrator_produces_the_coverage_report(page: Page, live_site: str) -> None:
    base = live_site
    sign_in(page, base, "workforce1")
    page.get_by_role("link", name="DBS and CSE training coverage").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("coverage")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("CSV")).first.click()
    assert download.value.suggested_filename.endswith(".csv")
    refused(page, base + "/licensing/")
    refused(page, base + "/referrals/")
