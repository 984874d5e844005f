"""Two-factor enrolment needs the code a system administrator issued, not just the password.
Time is set through the services' clock (`now=`), never by waiting."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub.accounts.enrolment import MOST_WRONG_TRIES, issue_enrolment_code
from safehub.accounts.models import EnrolmentCode, User
from safehub.audit.models import AccessEvent
from safehub.policy.roles import Role
from tests.conftest import sign_in
from tests.factories import PASSWORD, make_agency, make_user

pytestmark = pytest.mark.django_db
TWO_FACTOR = "/accounts/two-factor/"


def signed_in_with_password(user: User) -> Client:
    client = Client()
    response = client.post("/accounts/sign-in/", {"username": user.username, "password": PASSWORD})
    assert response["Location"] == TWO_FACTOR
    return client


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


def refusals(user: User) -> list[str]:
    return [
        e.reason
        for e in AccessEvent.objects.filter(
            user_id=user.pk, action="denied", object_type="two_factor_enrolment"
        ).order_by("pk")
    ]


def test_without_a_code_no_authenticator_can_be_set_up() -> None:
    user = make_user(Role.REFERRER)
    client = signed_in_with_password(user)

    page = client.get(TWO_FACTOR)
    assert b"Enter your enrolment code" in page.content and b"<svg" not in page.content
    assert not TOTPDevice.objects.filter(user=user).exists()  # no secret exists to be shown
    empty = client.post(TWO_FACTOR, {"enrolment_code": ""})
    assert empty.status_code == 400
    assert b"Enter the enrolment code your system administrator gave you" in empty.content
    none = client.post(TWO_FACTOR, {"enrolment_code": "ABCD-EFGH-JKLM"})
    assert none.status_code == 400 and b"No enrolment code has been issued to you" in none.content
    # A security code posted straight away is no way round it.
    client.post(TWO_FACTOR, {"token": "123456"})
    assert client.get("/screening/")["Location"] == TWO_FACTOR
    assert refusals(user) == ["enrolment code refused: none"]


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
def test_a_set_up_started_before_codes_existed_cannot_be_finished_without_one() -> None:
    user = make_user(Role.REFERRER)
    # An unconfirmed authenticator whose secret someone holding the password may have seen.
    old = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    client = signed_in_with_password(user)
    client.post(TWO_FACTOR, {"token": current_code(old)})
    assert client.get("/screening/")["Location"] == TWO_FACTOR
    old.refresh_from_db()
    assert not old.confirmed
    # With a code, the set-up starts afresh: the old secret is gone.
    code = issue_enrolment_code(user=user, issued_by=None).code
    client.post(TWO_FACTOR, {"enrolment_code": code})
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert TOTPDevice.objects.filter(user=user, confirmed=False).count() == 1


def test_an_expired_code_is_refused() -> None:
    user = make_user(Role.REFERRER)
    yesterday = timezone.now() - timedelta(hours=24, seconds=1)
    code = issue_enrolment_code(user=user, issued_by=None, now=yesterday).code
    client = signed_in_with_password(user)

    refused = client.post(TWO_FACTOR, {"enrolment_code": code})

    assert refused.status_code == 400
    assert b"This enrolment code has expired. Ask your system administrator" in refused.content
    assert b"<svg" not in refused.content
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert refusals(user) == ["enrolment code refused: expired"]


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
def test_a_valid_code_lets_the_user_set_up_their_authenticator() -> None:
    user = make_user(Role.REFERRER)
    code = issue_enrolment_code(user=user, issued_by=None).code
    client = signed_in_with_password(user)

    # Typed in lower case with spaces, as people do.
    accepted = client.post(
        TWO_FACTOR + "?next=/screening/", {"enrolment_code": code.lower().replace("-", " ")}
    )
    assert accepted.status_code == 302 and accepted["Location"] == TWO_FACTOR + "?next=/screening/"
    setup = client.get(TWO_FACTOR)
    assert b"Set up two-factor authentication" in setup.content and b"<svg" in setup.content
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post(TWO_FACTOR + "?next=/screening/", {"token": current_code(device)})
    assert done["Location"] == "/screening/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/screening/").status_code == 200
    reasons = list(
        AccessEvent.objects.filter(object_type="two_factor_enrolment", user_id=user.pk)
        .order_by("pk")
        .values_list("reason", flat=True)
    )
    assert reasons == ["enrolment code accepted", "authenticator app set up"]


def test_a_code_works_only_once() -> None:
    user = make_user(Role.REFERRER)
    code = issue_enrolment_code(user=user, issued_by=None).code
    first = signed_in_with_password(user)
    first.post(TWO_FACTOR, {"enrolment_code": code})
    assert b"<svg" in first.get(TWO_FACTOR).content

    # The same code again, from another sign-in, is refused and shows no secret.
    second = signed_in_with_password(user)
    again = second.post(TWO_FACTOR, {"enrolment_code": code})
    assert again.status_code == 400
    assert b"This enrolment code has been used already" in again.content
    assert b"<svg" not in again.content and b"<svg" not in second.get(TWO_FACTOR).content
    assert refusals(user) == ["enrolment code refused: used"]


def test_wrong_codes_are_refused_and_too_many_spend_the_code() -> None:
    user = make_user(Role.REFERRER)
    code = issue_enrolment_code(user=user, issued_by=None).code
    client = signed_in_with_password(user)
    for _ in range(MOST_WRONG_TRIES - 1):
        wrong = client.post(TWO_FACTOR, {"enrolment_code": "ZZZZ-ZZZZ-ZZZZ"})
        assert b"The enrolment code is not right. Check it and try again." in wrong.content
    last = client.post(TWO_FACTOR, {"enrolment_code": "ZZZZ-ZZZZ-ZZZZ"})
    assert b"Too many wrong codes: this enrolment code no longer works" in last.content
    right_too_late = client.post(TWO_FACTOR, {"enrolment_code": code})
    assert b"Too many wrong codes" in right_too_late.content
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert refusals(user) == ["enrolment code refused: wrong"] * MOST_WRONG_TRIES + [
        "enrolment code refused: too many wrong tries"
    ]


def test_a_reset_issues_a_new_code_and_the_old_one_stops_working() -> None:
    admin = make_user(Role.SYSTEM_ADMIN)
    user = make_user(Role.REFERRER)
    old = issue_enrolment_code(user=user, issued_by=admin).code
    # Someone redeemed the old code but had not finished when the administrator reset.
    halfway = signed_in_with_password(user)
    halfway.post(TWO_FACTOR, {"enrolment_code": old})
    url = reverse("accounts:user_reset_two_factor", kwargs={"public_id": user.public_id})

    reset = sign_in(Client(), admin).post(url, {"reason": "Lost phone (ticket 8)"})

    new = reset.context["enrolment"].code
    assert new != old and EnrolmentCode.objects.filter(user=user).count() == 1
    assert b"Enter your enrolment code" in halfway.get(TWO_FACTOR).content
    client = signed_in_with_password(user)
    refused = client.post(TWO_FACTOR, {"enrolment_code": old})
    assert b"The enrolment code is not right" in refused.content
    assert client.post(TWO_FACTOR, {"enrolment_code": new}).status_code == 302
    assert b"<svg" in client.get(TWO_FACTOR).content


def test_the_code_is_emailed_only_when_asked_and_only_to_the_registered_address(
    django_capture_on_commit_callbacks,
) -> None:
    admin = sign_in(Client(), make_user(Role.SYSTEM_ADMIN))
    user = make_user(Role.REFERRER)
    url = reverse("accounts:user_reset_two_factor", kwargs={"public_id": user.public_id})
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(url, {"reason": "Ticket 9"})
    assert mail.outbox == []
    User.objects.filter(pk=user.pk).update(email="r.person@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(url, {"reason": "Ticket 10", "email_code": "yes"})
    code = response.context["enrolment"].code
    assert b"also being emailed to r.person@example.org" in response.content
    [message] = mail.outbox
    assert message.to == ["r.person@example.org"] and code in message.body
    assert PASSWORD not in message.body and user.last_name not in message.body


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
def test_the_code_is_never_stored_in_clear_nor_written_to_a_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    admin = sign_in(Client(), make_user(Role.SYSTEM_ADMIN))
    response = admin.post(
        reverse("accounts:user_new"),
        {
            "username": "n.starter",
            "first_name": "New",
            "last_name": "Starter",
            "agency": str(make_agency().pk),
            "roles": [Role.REFERRER],
        },
    )
    code = response.context["enrolment"].code
    user = User.objects.get(username="n.starter")
    stored = EnrolmentCode.objects.get(user=user)
    bare = code.replace("-", "")
    near_miss = bare[:-1] + ("3" if bare.endswith("2") else "2")
    assert code not in stored.digest and bare not in stored.digest
    client = Client()
    client.post(
        "/accounts/sign-in/", {"username": "n.starter", "password": response.context["password"]}
    )
    client.post(TWO_FACTOR, {"enrolment_code": near_miss})
    client.post(TWO_FACTOR, {"enrolment_code": code})
    assert b"<svg" in client.get(TWO_FACTOR).content

    logged = "\n".join(r.getMessage() for r in caplog.records)
    for secret in (code, bare, near_miss):
        assert secret not in logged
        assert not AccessEvent.objects.filter(reason__contains=secret).exists()
    assert stored.issued_by is not None
