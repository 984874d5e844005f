"""The MASH referral queue fits a 1280 px window: no sideways scrolling, the whole table in view.

The seed (tests/browser/seed.py, `seed_queue`) adds referrals of children with long names from a
school with a long name, beside the other journeys' referrals.
"""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.seed import QUEUE_CHILDREN, QUEUE_SCHOOL


def test_the_referral_queue_fits_a_1280_pixel_window(browser: Browser, live_site: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        sign_in(page, live_site, "mash3")
        page.goto(live_site + "/referrals/?order=newest")
        queue = page.get_by_test_id("referral-queue")
        rows = queue.locator("tbody tr")
        for given, family in QUEUE_CHILDREN:
            expect(rows.filter(has_text=f"{given} {family}")).to_have_count(1)
        expect(queue).to_contain_text(QUEUE_SCHOOL)
        expect(queue).to_contain_text("Green")
        assert rows.count() >= len(QUEUE_CHILDREN)

        page_width, window_width = page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert page_width <= window_width, f"the page scrolls sideways: {page_width}px"
        box = queue.bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= window_width
        # Nor does the table scroll inside its own box.
        inner, shown = queue.evaluate(
            "t => [t.parentElement.scrollWidth, t.parentElement.clientWidth]"
        )
        assert inner <= shown, f"the table scrolls inside its box: {inner}px in {shown}px"
        assert_accessible(page)
    finally:
        context.close()
