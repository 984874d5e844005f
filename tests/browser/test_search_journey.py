"""Finding a child: a MASH officer by date of birth alone and by part of a family name; a
restricted child is only an access message; a board member cannot search at all."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in


def search(page: Page, words: str) -> None:
    page.get_by_label("Name, date of birth, NHS number, UPN or reference").fill(words)
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_test_id("results-heading")).to_be_visible()


def test_mash_officer_finds_kay_by_date_of_birth_and_by_part_of_her_name(
    page: Page, live_site: str
) -> None:
    base = live_site
    sign_in(page, base, "mash6")
    page.get_by_role("link", name="Find a child").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a child")
    assert_accessible(page)

    search(page, "12/03/2011")
    results = page.get_by_test_id("search-result")
    expect(results.filter(has_text="Katherine Brierley-Test")).to_have_count(1)
    expect(results.filter(has_text="Zinnia Okonkwo-Sample")).to_have_count(1)
    assert "12%2F03" not in page.url and "2011" not in page.url  # never in the address
    assert_accessible(page)

    search(page, "brierley")
    first = results.first
    expect(first).to_contain_text("Katherine Brierley-Test")
    expect(first.get_by_test_id("match-reasons")).to_contain_text(
        "Matches one half of the double-barrelled family name"
    )
    expect(first.get_by_test_id("match-sources")).to_contain_text("Children's social care")
    expect(first.get_by_test_id("match-sources")).to_contain_text("Education")
    first.get_by_role("link", name="Katherine Brierley-Test").click()
    expect(page.locator("main")).to_contain_text("Brierley-Test")


def test_a_restricted_child_is_only_an_access_message(page: Page, live_site: str) -> None:
    sign_in(page, live_site, "practitioner6")
    page.goto(live_site + "/search/")
    search(page, "Rhiannon Quillfeather")
    result = page.get_by_test_id("search-results")
    expect(result.get_by_test_id("restricted-match")).to_contain_text("A restricted record matches")
    expect(result).not_to_contain_text("Quillfeather")
    expect(result).not_to_contain_text("2012")
    assert_accessible(page)


def test_a_board_member_cannot_search_for_children(page: Page, live_site: str) -> None:
    sign_in(page, live_site, "board6")
    expect(page.get_by_role("link", name="Find a child")).to_have_count(0)
    response = page.goto(live_site + "/search/")
    assert response is not None and response.status == 403
    expect(page.locator("main")).not_to_contain_text("Brierley")
