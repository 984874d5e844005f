"""Two people edit one child's Philomena profile: the second save, from the version both read, is
refused showing what the first changed (field labels, who and when), with the second person's
typed answers kept; the first's answers stand. A save from the current version works."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from safehub.accounts.models import User
from safehub.missing.models import MissingProfile
from safehub.missing.team_services import ProfileDetails, save_profile
from safehub.policy.roles import Role
from safehub.versioning import FieldChange, StaleEdit
from tests.factories import make_user
from tests.missing.helpers import make_child

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]


def edit_url(child: object) -> str:
    return f"/missing/person/{child.public_id}/profile/edit/"  # type: ignore[attr-defined]


def test_a_stale_profile_save_is_refused_with_what_changed_and_nothing_written() -> None:
    ann, ben = make_user(Role.MASH_OFFICER), make_user(Role.CSE_PRACTITIONER)
    child = make_child()
    made = save_profile(
        actor=ann, person=child, details=ProfileDetails(description="Tall"), read_version=0
    )
    read_by_both = made.version
    save_profile(
        actor=ann,
        person=child,
        details=ProfileDetails(description="Tall, red coat", phone_numbers="07700 900456"),
        read_version=read_by_both,
    )
    with pytest.raises(StaleEdit) as exc:
        save_profile(
            actor=ben,
            person=child,
            details=ProfileDetails(description="Short", medical="Asthma"),
            read_version=read_by_both,
        )
    [change] = exc.value.changes
    assert change.who == ann.get_full_name()
    assert set(change.fields) == {
        FieldChange("Physical description", "Tall", "Tall, red coat"),
        FieldChange("Phone numbers", "", "07700 900456"),
    }
    profile = MissingProfile.objects.get(person=child)
    assert (profile.description, profile.medical) == ("Tall, red coat", "")
    assert profile.version == read_by_both + 1
    # From the version now saved, Ben's change goes through.
    save_profile(
        actor=ben,
        person=child,
        details=ProfileDetails(description="Tall, red coat", medical="Asthma"),
        read_version=profile.version,
    )
    profile.refresh_from_db()
    assert (profile.medical, profile.updated_by, profile.version) == ("Asthma", ben, 3)


def test_two_people_filling_in_a_new_profile_the_second_sees_the_first() -> None:
    ann, ben = make_user(Role.MASH_OFFICER), make_user(Role.MASH_OFFICER)
    child = make_child()
    save_profile(
        actor=ann, person=child, details=ProfileDetails(associates="Jay, 19"), read_version=0
    )
    with pytest.raises(StaleEdit) as exc:
        save_profile(
            actor=ben, person=child, details=ProfileDetails(description="Slim"), read_version=0
        )
    [change] = exc.value.changes
    assert change.who == ann.get_full_name()
    assert change.fields == (FieldChange("Friends and associates", "", "Jay, 19"),)
    assert MissingProfile.objects.get(person=child).description == ""


def test_the_form_refuses_a_stale_save_keeping_what_was_typed(client_for: ClientFor) -> None:
    ann, ben = make_user(Role.MASH_OFFICER), make_user(Role.CSE_PRACTITIONER)
    child = make_child()
    save_profile(
        actor=ann, person=child, details=ProfileDetails(description="Tall"), read_version=0
    )
    for user in (ann, ben):
        assert 'name="version" value="1"' in client_for(user).get(edit_url(child)).content.decode()
    first = client_for(ann).post(
        edit_url(child), {"version": "1", "description": "Tall", "social_media": "snap: zq_2011"}
    )
    assert first.status_code == 302
    second = client_for(ben).post(
        edit_url(child), {"version": "1", "description": "Tall", "medical": "Inhaler for asthma"}
    )
    page = second.content.decode()
    assert second.status_code == 409
    assert "<title>Error:" in page and 'class="govuk-error-summary"' in page
    assert "Someone else changed this after you opened it" in page
    assert ann.get_full_name() in page
    assert "Social media: from “(blank)” to “snap: zq_2011”" in page
    assert "social_media:" not in page  # plain words, not the internal field name
    assert "Inhaler for asthma" in page  # what Ben typed is still in the form
    assert 'name="version" value="2"' in page
    profile = MissingProfile.objects.get(person=child)
    assert (profile.social_media, profile.medical) == ("snap: zq_2011", "")
    # Saved again from the page he was shown (with the other change copied in), it works.
    again = client_for(ben).post(
        edit_url(child),
        {
            "version": "2",
            "description": "Tall",
            "social_media": "snap: zq_2011",
            "medical": "Inhaler for asthma",
        },
    )
    assert again.status_code == 302
    profile.refresh_from_db()
    assert (profile.social_media, profile.medical) == ("snap: zq_2011", "Inhaler for asthma")


def test_a_post_without_the_version_never_overwrites_a_saved_profile(
    client_for: ClientFor,
) -> None:
    ann = make_user(Role.MASH_OFFICER)
    child = make_child()
    save_profile(
        actor=ann, person=child, details=ProfileDetails(description="Tall"), read_version=0
    )
    refused = client_for(ann).post(edit_url(child), {"description": "Short"})
    assert refused.status_code == 409
    assert MissingProfile.objects.get(person=child).description == "Tall"
