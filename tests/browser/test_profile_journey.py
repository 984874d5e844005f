"""A police analyst opens the problem profile, finds the planted hotspot and network, drills
into the place and downloads the PDF; a board member sees only the aggregate version."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.test_case_journey import refused

HOTEL = "Seeded Hotspot Hotel"


def test_analyst_finds_the_hotspot_and_network_and_downloads_the_pdf(
    page: Page, live_site: str
) -> None:
    base = live_site
    sign_in(page, base, "analyst1")
    page.get_by_role("link", name="CSE problem profile").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("CSE problem profile")
    assert_accessible(page)

    hotspots = page.get_by_test_id("table-hotspots")
    expect(hotspots.locator("tbody tr").first).to_contain_text(HOTEL)
    expect(page.get_by_test_id("figure-locations").locator("svg")).to_be_visible()
    network = page.get_by_test_id("figure-networks")
    expect(network.locator("svg")).to_be_visible()
    expect(page.get_by_test_id("table-communities").locator("tbody tr").first).to_be_visible()
    expect(page.get_by_test_id("table-central-figures")).to_contain_text("Person of interest")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the profile (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")

    hotspots.get_by_role("link", name=re.compile(HOTEL)).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(HOTEL)
    assert_accessible(page)


def test_board_member_sees_only_the_aggregate_profile(page: Page, live_site: str) -> None:
    base = live_site
    sign_in(page, base, "board2")
    page.get_by_role("link", name="CSE problem profile").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("CSE problem profile")
    expect(page.locator("main")).to_contain_text("aggregate version")
    expect(page.locator("main")).not_to_contain_text(HOTEL)
    expect(page.get_by_test_id("figure-networks")).to_have_count(0)
    assert_accessible(page)
    refused(page, base + "/profile/network.graphml")
    refused(page, base + "/intelligence/")
