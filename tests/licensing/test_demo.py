"""The demo: a licensing officer renews a driver with expired training and is refused; a
workforce administrator produces the coverage report."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import User
from safehub.demo.licensing import LICENSING_OFFICER, SENIOR_LICENSING_OFFICER, load_demo_licensing
from safehub.demo.workforce import WORKFORCE_ADMIN, load_demo_workforce
from safehub.licensing.models import Driver, Licence
from safehub.licensing.selectors import is_senior_officer
from safehub.workforce.models import StaffMember
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def test_the_demo_story() -> None:
    logins = load_demo_licensing() + load_demo_workforce()
    assert [login.username for login in logins] == [
        "licensing.officer",
        "licensing.senior",
        "workforce.admin",
    ]
    # Loading again changes nothing.
    load_demo_licensing()
    load_demo_workforce()
    assert Driver.objects.count() == 7 and StaffMember.objects.count() == 9
    officer = User.objects.get(username=LICENSING_OFFICER.username)
    assert not is_senior_officer(officer)
    assert is_senior_officer(User.objects.get(username=SENIOR_LICENSING_OFFICER.username))

    client = sign_in(Client(), officer)
    driver = Driver.objects.get(family_name="Demo-Arkwright")
    response = client.post(
        reverse("licensing:grant", args=[driver.public_id]), {"badge_type": driver.badge_type}
    )
    page = response.content.decode()
    assert "The renewal was refused by the licensing rules" in page
    assert "The CSE/safeguarding training" in page and "expired on" in page
    assert Licence.objects.filter(driver=driver).count() == 1

    # A certificate a year old whose status check found a change is no longer enough.
    changed = Driver.objects.get(family_name="Demo-Harcourt")
    page = client.post(
        reverse("licensing:grant", args=[changed.public_id]), {"badge_type": changed.badge_type}
    ).content.decode()
    assert "found a change: a new certificate is needed" in page
    assert Licence.objects.filter(driver=changed).count() == 1

    admin = sign_in(Client(), User.objects.get(username=WORKFORCE_ADMIN.username))
    report = admin.get(reverse("workforce:coverage")).content.decode()
    assert "Councillors" in report and "Hackney carriage and private hire drivers" in report
    assert admin.get(reverse("workforce:coverage_pdf")).content.startswith(b"%PDF")
