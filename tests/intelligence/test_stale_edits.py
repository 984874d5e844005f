"""Two officers edit one person of interest, or one disruption's outcome, at once: the second
save, from the version both read, is refused showing what the first changed (in plain words,
who and when), with the second officer's typed text kept; the first's change stands. A save
from the current version works."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import User
from safehub.intelligence import disruptions, status_changes
from safehub.intelligence.choices import PoiStatus
from safehub.intelligence.models import Disruption, PersonOfInterest
from safehub.versioning import FieldChange, StaleEdit
from tests.intelligence.helpers import make_disruption, make_poi, police_user

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]


def page_of(poi: PersonOfInterest) -> str:
    return reverse("intelligence:person", args=[poi.public_id])


def test_a_stale_reason_edit_is_refused_on_the_page_keeping_what_was_typed(
    client_for: ClientFor,
) -> None:
    ann, ben = police_user(), police_user()
    poi = make_poi()
    read = poi.version
    for user in (ann, ben):
        page = client_for(user).get(page_of(poi)).content.decode()
        assert page.count(f'name="version" value="{read}"') == 2  # the reason and status forms
    reason_url = reverse("intelligence:person_reason", args=[poi.public_id])
    first = client_for(ann).post(reason_url, {"version": read, "reason": "Seen at the arcade"})
    assert first.status_code == 302
    second = client_for(ben).post(reason_url, {"version": read, "reason": "Drives a grey Astra"})
    page = second.content.decode()
    assert second.status_code == 409
    assert "<title>Error:" in page and 'class="govuk-error-summary"' in page
    assert "Someone else changed this after you opened it" in page
    assert ann.get_full_name() in page
    assert "Why they are of interest: from “Seen with children” to “Seen at the arcade”" in page
    assert "reason:" not in page  # plain words, not the internal field name
    assert "Drives a grey Astra" in page  # what Ben typed is still in the form
    assert page.count(f'name="version" value="{read + 1}"') == 2
    poi.refresh_from_db()
    assert poi.reason == "Seen at the arcade"
    again = client_for(ben).post(
        reason_url, {"version": poi.version, "reason": "Drives a grey Astra"}
    )
    assert again.status_code == 302
    poi.refresh_from_db()
    assert (poi.reason, poi.version) == ("Drives a grey Astra", read + 2)


def test_a_close_from_a_stale_page_is_refused_showing_the_close_and_the_reopening() -> None:
    ann, ben, cat = police_user(), police_user(), police_user()
    poi = make_poi()
    read = poi.version
    status_changes.change_status(
        actor=ann,
        person_of_interest=poi,
        to_status="closed",
        reason="Moved away",
        read_version=read,
    )
    status_changes.change_status(
        actor=cat,
        person_of_interest=poi,
        to_status="active",
        reason="Back in the city",
        read_version=poi.version,
    )
    stale = PersonOfInterest.objects.get(pk=poi.pk)
    with pytest.raises(StaleEdit) as exc:
        status_changes.change_status(
            actor=ben,
            person_of_interest=stale,
            to_status="closed",
            reason="No intelligence for a year",
            read_version=read,
        )
    closed, reopened = exc.value.changes
    assert closed.who == ann.get_full_name() and reopened.who == cat.get_full_name()
    assert closed.fields == (FieldChange("Status", "Active", "No longer of interest"),)
    assert reopened.fields == (FieldChange("Status", "No longer of interest", "Active"),)
    poi.refresh_from_db()
    assert poi.status == PoiStatus.ACTIVE and poi.status_changes.count() == 2


def test_a_stale_status_change_on_the_page_is_refused(client_for: ClientFor) -> None:
    ann, ben = police_user(), police_user()
    poi = make_poi()
    read = poi.version
    client_for(ann).post(
        reverse("intelligence:person_reason", args=[poi.public_id]),
        {"version": read, "reason": "Seen at the arcade"},
    )
    refused = client_for(ben).post(
        reverse("intelligence:person_status", args=[poi.public_id]),
        {"version": read, "status": "closed", "status_reason": "No intelligence for a year"},
    )
    page = refused.content.decode()
    assert refused.status_code == 409 and "Seen at the arcade" in page
    assert "No intelligence for a year" in page  # the close form keeps the typed reason
    poi.refresh_from_db()
    assert poi.status == PoiStatus.ACTIVE and not poi.status_changes.exists()


def test_a_record_saved_before_it_kept_history_still_shows_what_changed() -> None:
    ann, ben = police_user(), police_user()
    poi = make_poi()
    PersonOfInterest.history.all().delete()  # type: ignore[attr-defined]
    read = poi.version
    status_changes.edit_reason(
        actor=ann, person_of_interest=poi, reason="Seen at the arcade", read_version=read
    )
    with pytest.raises(StaleEdit) as exc:
        status_changes.edit_reason(
            actor=ben, person_of_interest=poi, reason="Something else", read_version=read
        )
    [change] = exc.value.changes
    assert change.fields == (
        FieldChange("Why they are of interest", "Seen with children", "Seen at the arcade"),
    )


def test_a_stale_outcome_is_refused_with_what_changed_and_nothing_written(
    client_for: ClientFor,
) -> None:
    ann, ben = police_user(), police_user()
    done = make_disruption(kind="sexual_risk_order", notes="Applied for")
    read = done.version
    url = reverse("intelligence:disruption_outcome", args=[done.public_id])
    for user in (ann, ben):
        assert f'name="version" value="{read}"' in client_for(user).get(url).content.decode()
    first = client_for(ann).post(url, {"version": read, "outcome": "granted", "note": "2 years"})
    assert first.status_code == 302
    second = client_for(ben).post(
        url, {"version": read, "outcome": "refused", "note": "Court refused"}
    )
    page = second.content.decode()
    assert second.status_code == 409
    assert "<title>Error:" in page and "Someone else changed this after you opened it" in page
    assert ann.get_full_name() in page
    assert "Outcome: from “Pending” to “Order granted”" in page
    assert "Court refused" in page  # the typed note is kept
    assert 'value="refused" checked' in page  # and the chosen outcome
    assert f'name="version" value="{read + 1}"' in page
    done.refresh_from_db()
    assert done.outcome == "granted" and "Court refused" not in done.notes
    # From the version now saved, the change goes through.
    disruptions.update_disruption_outcome(
        actor=ben, disruption=done, outcome="breached", read_version=done.version
    )
    done = Disruption.objects.get(pk=done.pk)
    assert (done.outcome, done.ends_on, done.version) == ("breached", None, read + 2)
    assert done.occurred_on == date(2026, 2, 1)
