"""The licensing officer's pages: the record, forms, the refusal shown, overrides, alerts."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safehub.accounts.models import User
from safehub.audit.models import AccessEvent
from safehub.licensing import services
from safehub.licensing.models import Driver, Licence, LicensingDecision
from safehub.policy.roles import Role
from tests.conftest import sign_in
from tests.factories import make_user
from tests.licensing.helpers import (
    compliant_driver,
    give_dbs,
    give_licence,
    give_register_check,
    give_training,
    make_driver,
)
from tests.workforce.helpers import make_course, make_staff

pytestmark = pytest.mark.django_db


def today() -> date:
    return timezone.localdate()


@pytest.fixture
def officer() -> User:
    return make_user(Role.LICENSING_OFFICER)


@pytest.fixture
def client(officer: User) -> Client:
    return sign_in(Client(), officer)


def expired_training_driver() -> Driver:
    """Licensed, DBS and register in order, CSE training expired yesterday."""
    driver = make_driver(given_name="Shahid", family_name="Arkwright")
    give_licence(driver, today() - timedelta(days=1000))
    give_dbs(driver, today() - timedelta(days=100))
    give_register_check(driver, today())
    completed = today().replace(year=today().year - 3)
    give_training(driver, completed)
    return driver


def test_find_a_driver_by_name_or_badge(client: Client) -> None:
    driver = make_driver(family_name="Quennell", badge_number="D7777777")
    for query in ("quennell", "D7777777"):
        response = client.post(reverse("licensing:find"), {"q": query})
        assert driver.given_name in response.content.decode()
        assert reverse("licensing:driver", args=[driver.public_id]) in response.content.decode()
    assert (
        "No driver matches"
        in client.post(reverse("licensing:find"), {"q": "Nobody"}).content.decode()
    )


def test_the_record_shows_the_standing_and_is_audited(client: Client, officer: User) -> None:
    driver = expired_training_driver()
    page = client.get(reverse("licensing:driver", args=[driver.public_id])).content.decode()
    assert "The licensing rules refuse a renewal" in page
    assert "CSE/safeguarding training" in page and "expired on" in page
    assert AccessEvent.objects.filter(
        user_id=officer.pk, object_type="driver", object_id=str(driver.public_id)
    ).exists()


def test_renewing_a_driver_with_expired_training_is_refused_with_the_reason(client: Client) -> None:
    driver = expired_training_driver()
    url = reverse("licensing:grant", args=[driver.public_id])
    assert "Only a senior licensing officer can override" in client.get(url).content.decode()
    response = client.post(url, {"badge_type": driver.badge_type})
    page = response.content.decode()
    assert response.status_code == 200
    assert "The renewal was refused by the licensing rules" in page
    assert "The CSE/safeguarding training" in page and "expired on" in page
    assert Licence.objects.filter(driver=driver).count() == 1


def test_a_plain_officer_cannot_override_by_posting_a_reason(client: Client) -> None:
    driver = expired_training_driver()
    response = client.post(
        reverse("licensing:grant", args=[driver.public_id]),
        {"badge_type": driver.badge_type, "override_reason": "trust me"},
    )
    assert "Only a senior licensing officer may override the rules" in response.content.decode()
    assert not LicensingDecision.objects.exists()


def test_a_senior_officer_overrides_and_it_is_reported() -> None:
    senior = make_user(Role.LICENSING_OFFICER)
    services.designate_senior_officer(user=senior, on=today())
    client = sign_in(Client(), senior)
    driver = expired_training_driver()
    url = reverse("licensing:grant", args=[driver.public_id])
    assert "Override the rules" in client.get(url).content.decode()
    response = client.post(
        url, {"badge_type": driver.badge_type, "override_reason": "Refresher booked for Monday"}
    )
    assert response.status_code == 302
    report = client.get(reverse("licensing:overrides")).content.decode()
    assert "Refresher booked for Monday" in report
    assert "CSE/safeguarding training expired" in report and "training_expired" not in report
    assert AccessEvent.objects.filter(user_id=senior.pk, object_type="licence_override").exists()


def test_the_driver_page_shows_the_licence_period_after_an_override_renewal() -> None:
    senior = make_user(Role.LICENSING_OFFICER)
    services.designate_senior_officer(user=senior, on=today())
    client = sign_in(Client(), senior)
    driver = expired_training_driver()
    old = Licence.objects.get(driver=driver)
    response = client.post(
        reverse("licensing:grant", args=[driver.public_id]),
        {"badge_type": driver.badge_type, "override_reason": "Refresher booked for Monday"},
    )
    assert response.status_code == 302
    new = Licence.objects.exclude(pk=old.pk).get(driver=driver)
    assert new.starts_on == old.expires_on + timedelta(days=1)
    page = client.get(response["Location"]).content.decode()
    period = f"{new.starts_on:%-d %B %Y} to {new.expires_on:%-d %B %Y}"
    assert period in page


def test_an_override_without_a_reason_of_substance_is_refused_on_the_page() -> None:
    senior = make_user(Role.LICENSING_OFFICER)
    services.designate_senior_officer(user=senior, on=today())
    client = sign_in(Client(), senior)
    driver = expired_training_driver()
    response = client.post(
        reverse("licensing:grant", args=[driver.public_id]),
        {"badge_type": driver.badge_type, "override_reason": "ok"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "in at least 20 characters" in page and "govuk-error-summary" in page
    assert not LicensingDecision.objects.exists()
    assert Licence.objects.filter(driver=driver).count() == 1


def test_a_renewal_after_a_changed_status_check_is_refused(client: Client, officer: User) -> None:
    driver = make_driver()
    give_licence(driver, today() - timedelta(days=1000))
    give_training(driver, today() - timedelta(days=100))
    give_register_check(driver, today())
    check = give_dbs(driver, today() - timedelta(days=200), update_service=True)
    response = client.post(
        reverse("licensing:status_check", args=[driver.public_id, check.public_id]),
        {
            "checked_on-day": str(today().day),
            "checked_on-month": str(today().month),
            "checked_on-year": str(today().year),
            "result": "changed",
        },
    )
    assert response.status_code == 302, response.content.decode()
    response = client.post(
        reverse("licensing:grant", args=[driver.public_id]), {"badge_type": driver.badge_type}
    )
    page = response.content.decode()
    assert "The renewal was refused by the licensing rules" in page
    assert "found a change: a new certificate is needed" in page
    assert Licence.objects.filter(driver=driver).count() == 1


def test_a_compliant_driver_is_granted(client: Client) -> None:
    driver = compliant_driver(today())
    url = reverse("licensing:grant", args=[driver.public_id])
    assert "All licensing conditions are met" in client.get(url).content.decode()
    response = client.post(url, {"badge_type": "hackney"})
    assert response.status_code == 302
    assert Licence.objects.get(driver=driver).starts_on == today()


def test_recording_a_dbs_check_training_and_register_check(client: Client, officer: User) -> None:
    driver = make_driver()
    course = make_course()
    issued, done = today() - timedelta(days=30), today() - timedelta(days=10)
    response = client.post(
        reverse("licensing:dbs_new", args=[driver.public_id]),
        {
            "level": "enhanced_barred_lists",
            "certificate_number": "0012 3456 7890",
            "issued_on-day": issued.day,
            "issued_on-month": issued.month,
            "issued_on-year": issued.year,
            "result": "disclosed",
            "update_service": "yes",
            "update_service_id": "C1112223",
        },
    )
    assert response.status_code == 302
    check = driver.dbs_checks.get()
    assert (check.certificate_number, check.result, check.update_service) == (
        "001234567890",
        "disclosed",
        True,
    )
    response = client.post(
        reverse("licensing:status_check", args=[driver.public_id, check.public_id]),
        {
            "checked_on-day": done.day,
            "checked_on-month": done.month,
            "checked_on-year": done.year,
            "result": "no_change",
        },
    )
    assert response.status_code == 302 and check.status_checks.count() == 1
    response = client.post(
        reverse("licensing:training_new", args=[driver.public_id]),
        {
            "course": course.pk,
            "completed_on-day": done.day,
            "completed_on-month": done.month,
            "completed_on-year": done.year,
        },
    )
    assert response.status_code == 302 and driver.training.count() == 1
    response = client.post(
        reverse("licensing:register_check", args=[driver.public_id]),
        {
            "checked_on-day": done.day,
            "checked_on-month": done.month,
            "checked_on-year": done.year,
            "result": "no_match",
        },
    )
    assert response.status_code == 302
    assert driver.national_register_checks.get().checked_by == officer


def test_bad_input_shows_errors_and_changes_nothing(client: Client) -> None:
    driver = make_driver()
    response = client.post(
        reverse("licensing:dbs_new", args=[driver.public_id]),
        {
            "level": "enhanced_barred_lists",
            "certificate_number": "12",
            "issued_on-day": "31",
            "issued_on-month": "2",
            "issued_on-year": "2026",
        },
    )
    page = response.content.decode()
    assert "There is a problem" in page
    assert "must be a real date" in page and "12-digit" in page
    assert 'href="#issued_on-day"' in page
    assert not driver.dbs_checks.exists()
    response = client.post(reverse("licensing:register_check", args=[driver.public_id]), {})
    assert "Enter the date of the check" in response.content.decode()
    assert not driver.national_register_checks.exists()


def test_refuse_revoke_and_mark_on_the_register(client: Client) -> None:
    driver = make_driver()
    give_licence(driver, today() - timedelta(days=10))
    assert (
        "Enter the reasons"
        in client.post(
            reverse("licensing:revoke", args=[driver.public_id]), {"reason": ""}
        ).content.decode()
    )
    client.post(reverse("licensing:revoke", args=[driver.public_id]), {"reason": "Conviction"})
    decision = LicensingDecision.objects.get(kind="revoke")
    page = client.get(reverse("licensing:register_pending")).content.decode()
    assert driver.badge_number in page
    client.post(reverse("licensing:register_pending"), {"decision": str(decision.public_id)})
    decision.refresh_from_db()
    assert decision.register_recorded_on == today()
    assert (
        driver.badge_number
        not in client.get(reverse("licensing:register_pending")).content.decode()
    )


def test_add_a_driver(client: Client) -> None:
    response = client.post(
        reverse("licensing:driver_new"),
        {
            "badge_number": "d5550001",
            "given_name": "Ada",
            "family_name": "Newcombe",
            "badge_type": "dual",
        },
    )
    assert response.status_code == 302
    assert Driver.objects.get(badge_number="D5550001").family_name == "Newcombe"
    response = client.post(reverse("licensing:driver_new"), {"badge_number": "D5550001"})
    assert "already registered" in response.content.decode()


def test_alerts_page_and_filter(client: Client) -> None:
    driver = expired_training_driver()
    page = client.get(reverse("licensing:alerts")).content.decode()
    assert driver.badge_number in page and "CSE/safeguarding training expired" in page
    filtered = client.get(reverse("licensing:alerts"), {"kind": "licence"}).content.decode()
    assert driver.badge_number not in filtered


def test_alerts_command() -> None:
    driver = make_driver()
    give_licence(driver, date(2023, 9, 1))
    give_training(driver, date(2023, 7, 1))
    out = StringIO()
    call_command("licensing_alerts", "--on", "2026-07-31", "--list", stdout=out)
    text = out.getvalue()
    assert "CSE/safeguarding training: 1 expired, 0 due" in text
    assert "Driver licence: 0 expired, 1 due" in text
    assert driver.badge_number in text and driver.family_name not in text


# --- access: licensing officers and workforce administrators keep to their own registers ---


def test_licensing_officers_do_not_see_staff_records(client: Client) -> None:
    member = make_staff()
    for url in (
        reverse("workforce:find"),
        reverse("workforce:staff", args=[member.public_id]),
        reverse("workforce:gaps"),
        reverse("workforce:coverage"),
    ):
        assert client.get(url).status_code == 403


def test_workforce_administrators_do_not_see_driver_records() -> None:
    client = sign_in(Client(), make_user(Role.WORKFORCE_ADMIN))
    driver = expired_training_driver()
    for url in (
        reverse("licensing:find"),
        reverse("licensing:driver", args=[driver.public_id]),
        reverse("licensing:alerts"),
    ):
        assert client.get(url).status_code == 403
    response = client.post(
        reverse("licensing:grant", args=[driver.public_id]), {"badge_type": "hackney"}
    )
    assert response.status_code == 403
    assert Licence.objects.filter(driver=driver).count() == 1


def test_marking_an_unknown_decision_is_not_found(client: Client) -> None:
    response = client.post(reverse("licensing:register_pending"), {"decision": "nonsense"})
    assert response.status_code == 404
