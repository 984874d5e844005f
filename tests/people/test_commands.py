"""Restricting a record from the command line."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from safehub.audit.models import AccessEvent
from safehub.policy.roles import Role
from tests.factories import make_screening, make_user

pytestmark = pytest.mark.django_db


def test_restrict_and_lift_are_audited() -> None:
    person = make_screening(make_user(Role.REFERRER)).screening.person
    call_command("restrict_record", str(person.public_id), "--reason", "Staff member's child")
    person.refresh_from_db()
    assert person.is_restricted
    call_command("restrict_record", str(person.public_id), "--reason", "Left employment", "--lift")
    person.refresh_from_db()
    assert not person.is_restricted
    reasons = list(
        AccessEvent.objects.filter(channel="cli", person_id=person.pk).values_list(
            "reason", flat=True
        )
    )
    assert any(r.startswith("restricted:") for r in reasons)
    assert any(r.startswith("restriction lifted:") for r in reasons)


@pytest.mark.parametrize("public_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_unknown_records_are_refused(public_id: str) -> None:
    with pytest.raises(CommandError):
        call_command("restrict_record", public_id, "--reason", "some reason")
