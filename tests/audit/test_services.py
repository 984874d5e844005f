"""record_access and record_list_access take only a member of the closed set of object types."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from safehub.audit.models import AccessEvent, AuditAction, AuditObjectType
from safehub.audit.services import record_access, record_list_access
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_an_object_type_outside_the_set_is_refused_and_nothing_is_written() -> None:
    user = make_user()
    with pytest.raises(ValueError, match="not an AuditObjectType"):
        record_access(user=user, action=AuditAction.VIEW, object_type="gossip")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not an AuditObjectType"):
        record_list_access(user=user, object_type="gossip", person_ids=[1, 2])  # type: ignore[arg-type]
    assert not AccessEvent.objects.exists()


def test_the_string_of_a_member_is_refused_too_so_callers_name_the_member() -> None:
    with pytest.raises(ValueError, match="AuditObjectType.PERSON"):
        record_access(user=make_user(), action=AuditAction.VIEW, object_type="person")  # type: ignore[arg-type]
    assert not AccessEvent.objects.exists()


def test_a_member_is_stored_as_the_string_the_log_has_always_held() -> None:
    record_list_access(
        user=make_user(), object_type=AuditObjectType.TEAM_CASELOAD, person_ids=[3, 3, 4]
    )
    assert sorted(AccessEvent.objects.values_list("object_type", "person_id")) == [
        ("team_caseload", 3),
        ("team_caseload", 4),
    ]
    event = AccessEvent.objects.first()
    assert event is not None and event.get_object_type_display() == "Team caseload"


def test_every_object_type_has_a_plain_english_label() -> None:
    for member in AuditObjectType:
        assert member.label and "_" not in member.label and member.label[0].isupper()


def test_the_migrations_hold_the_current_set_of_object_types() -> None:
    # --check exits non-zero when AuditObjectType changed without a migration.
    call_command("makemigrations", "audit", "--check", "--dry-run", verbosity=0)
