"""Closing and reopening a person of interest, editing why they are of interest: who may, what
is refused, the history kept and the audit written."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from safehub.accounts.models import User
from safehub.audit.models import AccessEvent, AuditAction
from safehub.intelligence.choices import PoiStatus
from safehub.intelligence.models import PersonOfInterest, PersonOfInterestStatusChange
from safehub.intelligence.status_changes import status_change_problems
from safehub.policy.roles import Role
from tests.conftest import sign_in
from tests.factories import make_user
from tests.intelligence.helpers import make_adult, make_poi, police_user

pytestmark = pytest.mark.django_db

REFUSED = [r for r in Role if r != Role.POLICE_INTELLIGENCE]
CLOSING = "No further intelligence for 12 months"


def status_url(poi: PersonOfInterest) -> str:
    return reverse("intelligence:person_status", args=[poi.public_id])


def reason_url(poi: PersonOfInterest) -> str:
    return reverse("intelligence:person_reason", args=[poi.public_id])


def current(poi: PersonOfInterest, post: dict[str, str]) -> dict[str, str | int]:
    """The form as the person's page posts it: with the version the page was read at."""
    return {"version": PersonOfInterest.objects.get(pk=poi.pk).version, **post}


def changes_audited(poi: PersonOfInterest) -> int:
    return AccessEvent.objects.filter(
        action=AuditAction.CHANGE, object_type="person_of_interest", object_id=str(poi.public_id)
    ).count()


def test_the_officer_closes_a_person_of_interest_with_a_reason(
    client_for: Callable[[User], Client],
) -> None:
    officer = police_user()
    poi = make_poi()
    client = client_for(officer)
    done = client.post(
        status_url(poi), current(poi, {"status": "closed", "status_reason": f"  {CLOSING} "})
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("intelligence:person", args=[poi.public_id])
    poi.refresh_from_db()
    assert poi.status == PoiStatus.CLOSED
    change = PersonOfInterestStatusChange.objects.get(person_of_interest=poi)
    assert (change.from_status, change.to_status) == (PoiStatus.ACTIVE, PoiStatus.CLOSED)
    assert change.reason == CLOSING
    assert change.changed_by == officer
    event = AccessEvent.objects.get(action=AuditAction.CHANGE, object_id=str(poi.public_id))
    assert event.user_id == officer.pk
    assert event.object_type == "person_of_interest"
    assert event.person_id == poi.person_id
    assert CLOSING not in event.reason  # the free text stays out of the log
    page = client.get(reverse("intelligence:person", args=[poi.public_id])).content.decode()
    history = page.split('data-testid="status-history"')[1].split("</table>")[0]
    assert CLOSING in history and "Active to no longer of interest" in history
    assert "Reopen this person of interest" in page


def test_the_officer_reopens_and_the_history_is_newest_first(
    client_for: Callable[[User], Client],
) -> None:
    poi = make_poi()
    client = client_for(police_user())
    client.post(status_url(poi), current(poi, {"status": "closed", "status_reason": CLOSING}))
    reopened = client.post(
        status_url(poi),
        current(poi, {"status": "active", "status_reason": "New intelligence from patrol"}),
    )
    assert reopened.status_code == 302
    poi.refresh_from_db()
    assert poi.status == PoiStatus.ACTIVE
    assert list(poi.status_changes.values_list("to_status", flat=True)) == [
        PoiStatus.ACTIVE,
        PoiStatus.CLOSED,
    ]
    assert changes_audited(poi) == 2
    page = client.get(reverse("intelligence:person", args=[poi.public_id])).content.decode()
    history = page.split('data-testid="status-history"')[1].split("</table>")[0]
    assert history.index("New intelligence from patrol") < history.index(CLOSING)
    assert "Close this person of interest" in page


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"status": "closed"}, "Say why you are closing this person of interest"),
        ({"status": "closed", "status_reason": "   "}, "Say why you are closing"),
        ({"status": "closed", "status_reason": "x" * 501}, "500 characters or fewer"),
        ({"status": "active", "status_reason": "Reopen it"}, "already active"),
        ({"status": "archived", "status_reason": "Why not"}, "Choose whether to close"),
        ({}, "Choose whether to close"),
    ],
)
def test_bad_input_shows_an_error_summary_and_changes_nothing(
    post: dict[str, str], message: str, client_for: Callable[[User], Client]
) -> None:
    poi = make_poi()
    page = client_for(police_user()).post(status_url(poi), current(poi, post))
    assert page.status_code == 400
    body = page.content.decode()
    summary = body.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert message in summary and 'href="#status_reason"' in summary
    assert 'id="status_reason-error"' in body
    poi.refresh_from_db()
    assert poi.status == PoiStatus.ACTIVE
    assert not PersonOfInterestStatusChange.objects.exists()
    assert changes_audited(poi) == 0


def test_a_reason_of_exactly_500_characters_is_accepted(
    client_for: Callable[[User], Client],
) -> None:
    poi = make_poi()
    done = client_for(police_user()).post(
        status_url(poi), current(poi, {"status": "closed", "status_reason": "y" * 500})
    )
    assert done.status_code == 302
    assert PersonOfInterestStatusChange.objects.get().reason == "y" * 500


@given(reason=st.text(max_size=600), status=st.sampled_from(list(PoiStatus.values) + ["x", ""]))
def test_a_change_is_allowed_only_to_the_other_status_with_a_reason_of_500_or_fewer(
    reason: str, status: str
) -> None:
    poi = PersonOfInterest(status=PoiStatus.ACTIVE)
    allowed = status == PoiStatus.CLOSED and 0 < len(reason.strip()) <= 500
    assert (status_change_problems(poi, status, reason) == {}) is allowed


@pytest.mark.parametrize("role", REFUSED)
def test_everyone_but_the_officer_is_refused_and_nothing_changes(
    role: Role, client_for: Callable[[User], Client]
) -> None:
    user = police_user(role) if role == Role.POLICE_ANALYST else make_user(role)
    poi = make_poi()
    client = client_for(user)
    assert (
        client.post(
            status_url(poi), current(poi, {"status": "closed", "status_reason": CLOSING})
        ).status_code
        == 403
    )
    assert (
        client.post(reason_url(poi), current(poi, {"reason": "Something else"})).status_code == 403
    )
    poi.refresh_from_db()
    assert (poi.status, poi.reason) == (PoiStatus.ACTIVE, "Seen with children")
    assert not PersonOfInterestStatusChange.objects.exists()
    assert changes_audited(poi) == 0
    assert (
        AccessEvent.objects.filter(
            user_id=user.pk, action=AuditAction.DENIED, object_id=str(poi.public_id)
        ).count()
        == 2
    )


def test_the_analyst_reads_the_history_but_sees_no_forms(
    client_for: Callable[[User], Client],
) -> None:
    poi = make_poi()
    client_for(police_user()).post(
        status_url(poi), current(poi, {"status": "closed", "status_reason": CLOSING})
    )
    page = client_for(police_user(Role.POLICE_ANALYST)).get(
        reverse("intelligence:person", args=[poi.public_id])
    )
    body = page.content.decode()
    assert page.status_code == 200 and CLOSING in body
    assert 'data-testid="status-form"' not in body and 'data-testid="reason-form"' not in body


def test_the_change_urls_take_posts_only_and_need_the_csrf_token() -> None:
    poi = make_poi()
    client = sign_in(Client(enforce_csrf_checks=True), police_user())
    assert client.get(status_url(poi)).status_code == 405
    assert client.get(reason_url(poi)).status_code == 405
    refused = client.post(
        status_url(poi), current(poi, {"status": "closed", "status_reason": CLOSING})
    )
    assert refused.status_code == 403
    poi.refresh_from_db()
    assert poi.status == PoiStatus.ACTIVE


def test_the_officer_edits_why_they_are_of_interest(
    client_for: Callable[[User], Client],
) -> None:
    poi = make_poi()
    client = client_for(police_user())
    done = client.post(reason_url(poi), current(poi, {"reason": "Seen outside the school gates"}))
    assert done.status_code == 302
    poi.refresh_from_db()
    assert poi.reason == "Seen outside the school gates"
    assert changes_audited(poi) == 1
    assert AccessEvent.objects.get(action=AuditAction.CHANGE).person_id == poi.person_id
    # The same text again changes nothing and writes nothing.
    assert (
        client.post(
            reason_url(poi), current(poi, {"reason": "Seen outside the school gates"})
        ).status_code
        == 302
    )
    assert changes_audited(poi) == 1


@pytest.mark.parametrize(
    ("reason", "message"),
    [("", "Say why they are of interest"), ("z" * 501, "500 characters or fewer")],
)
def test_a_bad_reason_edit_is_refused_and_changes_nothing(
    reason: str, message: str, client_for: Callable[[User], Client]
) -> None:
    poi = make_poi()
    page = client_for(police_user()).post(reason_url(poi), current(poi, {"reason": reason}))
    assert page.status_code == 400
    summary = page.content.decode().split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert message in summary and 'href="#reason"' in summary
    poi.refresh_from_db()
    assert poi.reason == "Seen with children"
    assert changes_audited(poi) == 0


def test_the_list_shows_the_status_and_filters_by_it(
    client_for: Callable[[User], Client],
) -> None:
    make_poi(person=make_adult(family_name="Testactive"))
    make_poi(person=make_adult(family_name="Testclosed"), status=PoiStatus.CLOSED)
    client = client_for(police_user(Role.POLICE_ANALYST))

    def listed(query: str = "") -> str:
        page = client.get(reverse("intelligence:home") + query).content.decode()
        return page.split('data-testid="persons"')[1].split("</table>")[0]

    everyone = listed()
    assert "Testactive" in everyone and "Testclosed" in everyone
    assert "No longer of interest" in everyone and "Active" in everyone
    assert "Testclosed" not in listed("?status=active")
    closed = listed("?status=closed")
    assert "Testclosed" in closed and "Testactive" not in closed
    assert "Testclosed" in listed("?status=nonsense")  # an unknown filter shows everyone
    found = client.post(reverse("intelligence:home"), {"q": "testclosed"}).content.decode()
    results = found.split('data-testid="search-results"')[1].split("</ul>")[0]
    assert "No longer of interest" in results
