"""A system administrator adds a member of staff, then suspends the account; the new member of
staff signs in with the one-time password, sets up two-factor with the enrolment code, and
must choose their own password."""

from __future__ import annotations

import base64

from django_otp.oath import totp
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in


def test_administrator_adds_and_suspends_an_account(
    browser_page_pair: tuple[Page, Page], live_site: str
) -> None:
    admin, newcomer = browser_page_pair
    base = live_site
    sign_in(admin, base, "admin1")
    admin.get_by_role("link", name="Staff accounts").first.click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Staff accounts")
    assert_accessible(admin)

    admin.get_by_role("button", name="Add an account").click()
    assert_accessible(admin)
    admin.get_by_role("button", name="Add the account").click()
    expect(admin.locator(".govuk-error-summary")).to_contain_text("Enter a username")
    assert_accessible(admin)

    admin.get_by_label("Username").fill("e.welfare")
    admin.get_by_label("First name").fill("Esme")
    admin.get_by_label("Last name").fill("Welford")
    admin.get_by_label("Agency").select_option(label="Test City Council")
    admin.get_by_label("Education welfare officer").check()
    admin.get_by_role("button", name="Add the account").click()
    expect(admin.locator(".govuk-panel__title")).to_have_text("Account added")
    assert_accessible(admin)
    password = admin.get_by_test_id("one-time-password").inner_text().strip()
    enrolment_code = admin.get_by_test_id("enrolment-code").inner_text().strip()

    # The newcomer signs in with it; two-factor set-up comes first, so the rest of Safehub is
    # not reachable, and the set-up itself needs the enrolment code as well as the password.
    newcomer.goto(base + "/accounts/sign-in/")
    newcomer.get_by_label("Username").fill("e.welfare")
    newcomer.get_by_label("Password").fill(password)
    newcomer.get_by_role("button", name="Sign in").click()
    newcomer.wait_for_url("**/two-factor/")
    newcomer.goto(base + "/")
    expect(newcomer).to_have_url(base + "/accounts/two-factor/")
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Enter your enrolment code")
    assert_accessible(newcomer)
    newcomer.get_by_label("Enrolment code").fill("ABCD-EFGH-JKLM")
    newcomer.get_by_role("button", name="Continue").click()
    expect(newcomer.locator(".govuk-error-summary")).to_contain_text("not right")
    assert_accessible(newcomer)
    newcomer.get_by_label("Enrolment code").fill(enrolment_code)
    newcomer.get_by_role("button", name="Continue").click()
    expect(newcomer.get_by_role("heading", level=1)).to_have_text(
        "Set up two-factor authentication"
    )
    assert_accessible(newcomer)
    key = newcomer.locator("code.safehub-nowrap").inner_text().replace(" ", "")
    secret = base64.b32decode(key + "=" * (-len(key) % 8))
    newcomer.get_by_label("Security code").fill(f"{totp(secret):06d}")
    newcomer.get_by_role("button", name="Continue").click()
    # Then they choose their own password before anything else.
    newcomer.wait_for_url("**/accounts/password/")

    # The administrator suspends the account, with a reason.
    admin.get_by_role("link", name="Go to the account").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Esme Welford")
    assert_accessible(admin)
    admin.get_by_role("button", name="Suspend the account").click()
    expect(admin.locator(".govuk-error-summary")).to_contain_text("Enter the reason")
    admin.get_by_label("Reason").fill("Started in error (ticket 1001)")
    admin.get_by_role("button", name="Suspend the account").click()
    expect(admin.locator("main")).to_contain_text("Suspended")
    assert_accessible(admin)
