"""The access log can only grow: the model and the database both refuse changes."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from safehub.audit.models import AccessEvent, AppendOnlyError, AuditAction, AuditObjectType
from safehub.audit.services import record_access
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def an_event() -> AccessEvent:
    return record_access(
        user=make_user(),
        action=AuditAction.VIEW,
        object_type=AuditObjectType.PERSON,
        object_id="x",
        person_id=7,
    )


def test_record_access_writes_who_what_and_whom() -> None:
    event = an_event()
    assert event.username and event.agency_name and event.person_id == 7
    assert event.action == "view" and event.object_type == "person"


def test_the_model_refuses_update_and_delete() -> None:
    event = an_event()
    event.reason = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.filter(pk=event.pk).update(reason="tampered")
    with pytest.raises(AppendOnlyError):
        AccessEvent.objects.all().delete()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_accessevent SET reason = 'tampered'",
        "DELETE FROM audit_accessevent",
    ],
)
def test_the_database_trigger_refuses_raw_update_and_delete(statement: str) -> None:
    event = an_event()
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert AccessEvent.objects.get(pk=event.pk).reason == ""


def test_truncate_is_refused_on_postgresql() -> None:
    an_event()
    if connection.vendor != "postgresql":
        # SQLite has no TRUNCATE statement; DELETE is covered above.
        assert connection.vendor == "sqlite"
        return
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("TRUNCATE audit_accessevent")
    assert AccessEvent.objects.count() == 1
