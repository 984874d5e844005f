"""Staff account administration and the password change, through the pages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub.accounts.models import User
from safehub.audit.models import AccessEvent
from safehub.policy.roles import Role
from tests.conftest import sign_in
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin() -> User:
    return make_user(Role.SYSTEM_ADMIN, username="sys.admin")


@pytest.fixture
def admin_client(admin: User) -> Client:
    return sign_in(Client(), admin)


def new_account_form(**overrides: object) -> dict[str, object]:
    agency = make_agency()
    return {
        "username": "j.okoro",
        "first_name": "Jade",
        "last_name": "Okoro",
        "email": "",
        "job_title": "Education welfare officer",
        "agency": str(agency.pk),
        "roles": [Role.EDUCATION_WELFARE],
        **overrides,
    }


def test_an_administrator_adds_an_account_and_sees_its_password_once(
    admin_client: Client, admin: User
) -> None:
    response = admin_client.post(reverse("accounts:user_new"), new_account_form())

    assert response.status_code == 200
    account = User.objects.get(username="j.okoro")
    password = response.context["password"]
    assert account.check_password(password)
    assert account.must_change_password
    assert account.role_set() == {Role.EDUCATION_WELFARE}
    assert "no-store" in response["Cache-Control"]
    event = AccessEvent.objects.get(object_type="user_account", action="create")
    assert event.username == admin.username
    assert event.object_id == str(account.public_id)
    assert password not in event.reason
    code = response.context["enrolment"].code
    assert code.encode() in response.content
    assert account.enrolment_code.digest != code and code not in account.enrolment_code.digest


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"username": "J Okoro"}, "username"),
        ({"username": "sys.admin"}, "username"),
        ({"roles": []}, "roles"),
        ({"roles": ["emperor"]}, "roles"),
        ({"first_name": " "}, "first_name"),
        ({"agency": "999999"}, "agency"),
    ],
)
def test_a_bad_new_account_is_refused_and_nothing_is_created(
    admin_client: Client, overrides: dict[str, object], field: str
) -> None:
    before = User.objects.count()
    response = admin_client.post(reverse("accounts:user_new"), new_account_form(**overrides))

    assert response.status_code == 400
    assert field in response.context["field_errors"]
    assert User.objects.count() == before
    assert not AccessEvent.objects.filter(object_type="user_account").exists()


def test_an_administrator_changes_roles_and_agency(admin_client: Client) -> None:
    account = make_user(Role.REFERRER)
    other = make_agency()
    url = reverse("accounts:user_edit", kwargs={"public_id": account.public_id})
    form = new_account_form(agency=str(other.pk), roles=[Role.MASH_OFFICER, Role.REFERRER])
    form.pop("username")

    response = admin_client.post(url, form)

    assert response.status_code == 302
    account.refresh_from_db()
    assert account.agency == other
    assert User.objects.get(pk=account.pk).role_set() == {Role.MASH_OFFICER, Role.REFERRER}
    event = AccessEvent.objects.get(object_type="user_account", action="change")
    assert "mash_officer" in event.reason


def test_an_administrator_cannot_remove_their_own_admin_role(
    admin_client: Client, admin: User
) -> None:
    url = reverse("accounts:user_edit", kwargs={"public_id": admin.public_id})
    form = new_account_form(roles=[Role.REFERRER])
    form.pop("username")

    response = admin_client.post(url, form)

    assert response.status_code == 400
    assert User.objects.get(pk=admin.pk).role_set() == {Role.SYSTEM_ADMIN}


def test_suspending_needs_a_reason_and_stops_sign_in(admin_client: Client) -> None:
    account = make_user(Role.REFERRER)
    account.set_password("a-long-enough-password")
    account.save()
    url = reverse("accounts:user_active", kwargs={"public_id": account.public_id})

    refused = admin_client.post(url, {"active": "no", "reason": ""})
    assert refused.status_code == 400
    assert User.objects.get(pk=account.pk).is_active

    done = admin_client.post(url, {"active": "no", "reason": "Left the council (ticket 42)"})
    assert done.status_code == 302
    assert not User.objects.get(pk=account.pk).is_active
    assert not Client().login(username=account.username, password="a-long-enough-password")

    admin_client.post(url, {"active": "yes", "reason": "Returned"})
    assert User.objects.get(pk=account.pk).is_active


def test_an_administrator_cannot_suspend_themselves(admin_client: Client, admin: User) -> None:
    url = reverse("accounts:user_active", kwargs={"public_id": admin.public_id})
    response = admin_client.post(url, {"active": "no", "reason": "testing"})
    assert response.status_code == 400
    assert User.objects.get(pk=admin.pk).is_active


def test_two_factor_reset_removes_the_authenticator(admin_client: Client) -> None:
    account = make_user(Role.REFERRER)
    TOTPDevice.objects.create(user=account, name="phone", confirmed=True)
    url = reverse("accounts:user_reset_two_factor", kwargs={"public_id": account.public_id})

    response = admin_client.post(url, {"reason": "Lost phone (ticket 7)"})

    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert response.context["enrolment"].code.encode() in response.content
    assert not TOTPDevice.objects.filter(user=account).exists()
    assert AccessEvent.objects.filter(reason__contains="two-factor reset").exists()


def test_a_new_password_replaces_the_old_and_must_be_changed(admin_client: Client) -> None:
    account = make_user(Role.REFERRER)
    account.set_password("the-old-password-123")
    account.save()
    url = reverse("accounts:user_reset_password", kwargs={"public_id": account.public_id})

    response = admin_client.post(url, {"reason": "Forgotten (ticket 9)"})

    account.refresh_from_db()
    assert account.check_password(response.context["password"])
    assert not account.check_password("the-old-password-123")
    assert account.must_change_password


def test_the_list_filters_by_name_role_and_status(admin_client: Client) -> None:
    make_user(Role.LICENSING_OFFICER, username="l.quartermaine")
    gone = make_user(Role.REFERRER, username="r.gone")
    User.objects.filter(pk=gone.pk).update(is_active=False)

    by_role = admin_client.get(reverse("accounts:users"), {"role": Role.LICENSING_OFFICER})
    names = [row["account"].username for row in by_role.context["rows"]]
    assert names == ["l.quartermaine"]
    suspended = admin_client.get(reverse("accounts:users"), {"status": "suspended"})
    assert [row["account"].username for row in suspended.context["rows"]] == ["r.gone"]
    by_name = admin_client.get(reverse("accounts:users"), {"q": "quarter"})
    assert by_name.context["page"].paginator.count == 1


def test_account_pages_need_two_factor_even_for_an_administrator(admin: User) -> None:
    client = Client()
    client.force_login(admin)  # password only: not verified

    response = client.get(reverse("accounts:users"))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor")


def test_a_user_with_an_issued_password_must_choose_their_own_first() -> None:
    user = make_user(Role.REFERRER)
    user.set_password("issued-by-admin-1")
    user.must_change_password = True
    user.save()
    client = sign_in(Client(), user)

    assert client.get(reverse("home"))["Location"] == reverse("accounts:password_change")

    wrong = client.post(
        reverse("accounts:password_change"),
        {"old_password": "nope", "new_password1": "x", "new_password2": "x"},
    )
    assert wrong.status_code == 400
    assert User.objects.get(pk=user.pk).must_change_password

    done = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "issued-by-admin-1",
            "new_password1": "violet-harbour-lantern-9",
            "new_password2": "violet-harbour-lantern-9",
        },
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert user.check_password("violet-harbour-lantern-9")
    assert client.get(reverse("home")).status_code == 200


def test_a_refused_action_shows_the_reason_error_beside_the_field(admin_client: Client) -> None:
    account = make_user(Role.REFERRER)
    TOTPDevice.objects.create(user=account, name="phone", confirmed=True)
    url = reverse("accounts:user_reset_two_factor", kwargs={"public_id": account.public_id})

    response = admin_client.post(url, {"reason": ""})

    assert response.status_code == 400
    assert "reason" in response.context["field_errors"]
    assert response.context["has_two_factor"]  # the page still tells the truth
    assert TOTPDevice.objects.filter(user=account).exists()
