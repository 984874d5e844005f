"""Identity records point at the Safehub person their import made, so the person's page lists
every agency's record linked to them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safehub.imports.models import ImportRun, SourceRecord
from safehub.linkage.services import attach_imported_people
from safehub.policy.roles import Role
from tests.conftest import sign_in
from tests.factories import make_user
from tests.linkage.helpers import clustered, identity
from tests.missing.helpers import make_child

pytestmark = pytest.mark.django_db


def imported(source: str, key: str, person_id: int) -> None:
    run = ImportRun.objects.create(
        source=source, source_version=1, file_name="x.csv", file_sha256="0" * 64
    )
    SourceRecord.objects.create(
        source=source,
        source_key=key,
        row_hash="h",
        import_run=run,
        source_row=2,
        person_id=person_id,
    )


def test_the_persons_page_lists_the_agencies_records_linked_to_them(client) -> None:
    child = make_child()
    pupil = identity("education", source_key="ED000000001")
    care = identity("social_care", source_key="SC000000001")
    police = identity("police", source_key="PN000000009")
    clustered(pupil, care, police)
    imported("school_census", "ED000000001", child.pk)

    assert attach_imported_people() == 1
    assert attach_imported_people() == 0  # nothing left to change

    viewer = make_user(Role.MASH_OFFICER)
    response = sign_in(client, viewer).get(
        reverse("people:detail", kwargs={"public_id": child.public_id})
    )
    keys = {item.record.source_key for item in response.context["linked_records"]}
    assert keys == {"ED000000001", "SC000000001", "PN000000009"}


def test_records_of_an_unknown_source_or_key_are_left_alone() -> None:
    child = make_child()
    health = identity("health", source_key="HP000000001")
    imported("school_census", "ED999999999", child.pk)

    assert attach_imported_people() == 0
    health.refresh_from_db()
    assert health.person_id is None
