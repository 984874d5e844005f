"""Break-glass access that ends: by itself after the configured hours, at once when a manager
ends it, or on the date a manager confirms it until. Time is set through the services' clock."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings
from django.utils import timezone

from safehub.accounts.models import User
from safehub.audit.models import AccessEvent
from safehub.people.config import break_glass_periods
from safehub.people.grant_selectors import grants_on_person
from safehub.people.models import AccessGrant, Person
from safehub.people.services import (
    break_glass,
    confirm_break_glass,
    create_person,
    end_break_glass,
)
from safehub.policy import Action, decide
from safehub.policy.roles import Role
from safehub.refusals import Refused
from tests.factories import child_details, make_user

pytestmark = pytest.mark.django_db
REASON = "Child reported missing tonight, police need the history"


@pytest.fixture
def officer() -> User:
    return make_user(Role.MASH_OFFICER)


@pytest.fixture
def manager() -> User:
    return make_user(Role.CSE_MANAGER)


@pytest.fixture
def child() -> Person:
    person = create_person(actor=make_user(Role.REFERRER), details=child_details())
    Person.objects.filter(pk=person.pk).update(is_restricted=True)
    person.refresh_from_db()
    return person


def may_see(user: User, person: Person) -> bool:
    return decide(User.objects.get(pk=user.pk), Action.PERSON_VIEW, person).allowed


def end_of(day: object) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))  # type: ignore[arg-type]


def test_break_glass_gives_access_for_the_configured_hours(officer: User, child: Person) -> None:
    assert not may_see(officer, child)
    now = timezone.now()
    grant = break_glass(actor=officer, person=child, reason=REASON, now=now)
    assert may_see(officer, child)
    assert grant.granted_at == now and grant.expires_at == now + timedelta(hours=72)
    with override_settings(SAFEHUB_BREAK_GLASS_HOURS=4):
        other = break_glass(actor=make_user(Role.MASH_OFFICER), person=child, reason=REASON)
    assert other.expires_at is not None
    assert other.expires_at - other.granted_at == timedelta(hours=4)


def test_access_is_refused_once_the_break_glass_has_run_out(
    officer: User, child: Person, client_for
) -> None:
    taken = timezone.now() - timedelta(hours=72, seconds=1)
    break_glass(actor=officer, person=child, reason=REASON, now=taken)
    assert not may_see(officer, child)
    page = client_for(officer).get(f"/people/{child.public_id}/")
    assert page.status_code == 302 and page["Location"].endswith("/break-glass/")


def test_a_manager_ending_the_access_stops_it_at_once(
    officer: User, manager: User, child: Person
) -> None:
    grant = break_glass(actor=officer, person=child, reason=REASON)
    assert may_see(officer, child)
    end_break_glass(actor=manager, grant=grant, note="Not justified: no emergency")
    assert not may_see(officer, child)
    grant.refresh_from_db()
    assert not grant.needs_review and grant.review_outcome == "ended" and grant.was_ended
    assert grant.reviewed_by == manager
    event = AccessEvent.objects.get(object_type="break_glass_review", action="change")
    assert event.user_id == manager.pk and event.person_id == child.pk
    assert event.reason == "access ended: Not justified: no emergency"


def test_confirming_sets_a_fixed_end(officer: User, manager: User, child: Person) -> None:
    grant = break_glass(actor=officer, person=child, reason=REASON)
    until = timezone.localdate() + timedelta(days=10)
    confirm_break_glass(actor=manager, grant=grant, note="Justified; case open", until=until)
    grant.refresh_from_db()
    assert grant.expires_at == end_of(until) and grant.review_outcome == "confirmed"
    assert may_see(officer, child)
    # On the day after the confirmed end the access has gone.
    assert not grant.is_current(end_of(until) + timedelta(seconds=1))
    event = AccessEvent.objects.get(object_type="break_glass_review")
    assert f"access confirmed until {until.day} {until:%B %Y}" in event.reason


def test_confirming_without_a_date_takes_the_default(
    officer: User, manager: User, child: Person
) -> None:
    grant = break_glass(actor=officer, person=child, reason=REASON)
    with override_settings(SAFEHUB_BREAK_GLASS_CONFIRM_DEFAULT_DAYS=3):
        confirm_break_glass(actor=manager, grant=grant, note="Justified")
    grant.refresh_from_db()
    assert grant.expires_at == end_of(timezone.localdate() + timedelta(days=3))


def test_a_manager_cannot_review_their_own_break_glass(manager: User, child: Person) -> None:
    grant = break_glass(actor=manager, person=child, reason=REASON)
    for review in (end_break_glass, confirm_break_glass):
        with pytest.raises(Refused) as caught:
            review(actor=manager, grant=grant, note="Fine")
        assert caught.value.errors["grant"] == "Another manager must review your own access"
    grant.refresh_from_db()
    assert grant.needs_review and grant.expires_at is not None
    assert not AccessEvent.objects.filter(object_type="break_glass_review").exists()


def test_a_confirmed_end_beyond_the_maximum_is_refused(
    officer: User, manager: User, child: Person
) -> None:
    grant = break_glass(actor=officer, person=child, reason=REASON)
    before = grant.expires_at
    today = timezone.localdate()
    latest = today + timedelta(days=28)
    with pytest.raises(Refused) as caught:
        confirm_break_glass(actor=manager, grant=grant, note="Ok", until=latest + timedelta(days=1))
    assert caught.value.errors["until"] == (
        f"The end date must be {latest.day} {latest:%B %Y} or sooner: at most 28 days from today"
    )
    with pytest.raises(Refused) as caught:
        confirm_break_glass(actor=manager, grant=grant, note="Ok", until=today - timedelta(days=1))
    assert caught.value.errors["until"] == "The end date must be today or in the future"
    grant.refresh_from_db()
    assert grant.needs_review and grant.expires_at == before
    confirm_break_glass(actor=manager, grant=grant, note="Ok", until=latest)  # the maximum is fine


def test_a_reviewed_access_cannot_be_reviewed_again(
    officer: User, manager: User, child: Person
) -> None:
    grant = break_glass(actor=officer, person=child, reason=REASON)
    end_break_glass(actor=manager, grant=grant, note="Ended")
    with pytest.raises(Refused) as caught:
        confirm_break_glass(actor=make_user(Role.CSE_MANAGER), grant=grant, note="Reopen")
    assert caught.value.errors["grant"] == "This access has been reviewed already"
    assert not may_see(officer, child)


def test_an_expired_grant_no_longer_shows_as_current(
    officer: User, child: Person, client_for
) -> None:
    now = timezone.now()
    old = break_glass(actor=officer, person=child, reason=REASON, now=now - timedelta(days=4))
    colleague = make_user(Role.MASH_OFFICER)
    live = break_glass(actor=colleague, person=child, reason=REASON, now=now)
    grants = grants_on_person(child.pk, at=now)
    assert grants.current == [live] and grants.finished == [old]

    page = client_for(colleague).get(f"/people/{child.public_id}/")
    html = page.content.decode()
    current = html.split('data-testid="current-grants"')[1].split("</table>")[0]
    assert colleague.last_name in current and officer.last_name not in current
    assert "Not reviewed yet" in current and "Break-glass" in current
    ended = html.split('data-testid="finished-grants"')[1].split("</ul>")[0]
    assert officer.last_name in ended and "ran out" in ended


def review(grant: AccessGrant, **answers: object) -> dict[str, object]:
    """A review form as posted: which access, and the answers in that access's own form
    (`until_day` is the box named until-day)."""
    prefix = f"review-{grant.pk}-"
    return {"grant": grant.pk} | {
        prefix + name.replace("_", "-"): value for name, value in answers.items()
    }


def test_the_review_page_shows_each_expiry_and_records_both_decisions(
    officer: User, child: Person, client_for
) -> None:
    first = break_glass(actor=officer, person=child, reason=REASON)
    second = break_glass(actor=make_user(Role.MASH_OFFICER), person=child, reason=REASON)
    manager = client_for(make_user(Role.CSE_MANAGER))
    page = manager.get("/people/break-glass-reviews/")
    assert page.status_code == 200
    assert first.expires_at is not None
    shown = timezone.localtime(first.expires_at).strftime("%d %b %Y %H:%M").lstrip("0")
    assert f'data-testid="expires-{first.pk}">{shown}' in page.content.decode()

    no_choice = manager.post("/people/break-glass-reviews/", review(first, note="Looked at it"))
    assert no_choice.status_code == 400
    assert b"Choose whether to end or confirm the access" in no_choice.content
    too_late = timezone.localdate() + timedelta(days=60)
    refused = manager.post(
        "/people/break-glass-reviews/",
        review(
            first,
            action="confirm",
            note="Justified",
            until_day=too_late.day,
            until_month=too_late.month,
            until_year=too_late.year,
        ),
    )
    assert refused.status_code == 400 and b"at most 28 days from today" in refused.content
    assert AccessGrant.objects.get(pk=first.pk).needs_review

    until = timezone.localdate() + timedelta(days=5)
    done = manager.post(
        "/people/break-glass-reviews/",
        review(
            first,
            action="confirm",
            note="Justified",
            until_day=until.day,
            until_month=until.month,
            until_year=until.year,
        ),
    )
    assert done.status_code == 302
    assert AccessGrant.objects.get(pk=first.pk).expires_at == end_of(until)
    manager.post("/people/break-glass-reviews/", review(second, action="end", note="No need"))
    assert AccessGrant.objects.get(pk=second.pk).review_outcome == "ended"
    assert (
        b"No break-glass access is waiting for review"
        in manager.get("/people/break-glass-reviews/").content
    )


def test_each_review_form_on_the_page_has_its_own_ids_and_keeps_its_own_answers(
    officer: User, child: Person, client_for
) -> None:
    first = break_glass(actor=officer, person=child, reason=REASON)
    second = break_glass(actor=make_user(Role.MASH_OFFICER), person=child, reason=REASON)
    manager = client_for(make_user(Role.CSE_MANAGER))

    page = manager.get("/people/break-glass-reviews/").content.decode()
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    for grant in (first, second):
        assert f'id="review-{grant.pk}-action" name="review-{grant.pk}-action"' in page
        assert f'id="review-{grant.pk}-until-day" name="review-{grant.pk}-until-day"' in page
        assert f'<textarea class="govuk-textarea" id="review-{grant.pk}-note"' in page

    refused = manager.post(
        "/people/break-glass-reviews/",
        review(second, action="confirm", note="Justified", until_day="31", until_month="2"),
    )
    assert refused.status_code == 400
    html = refused.content.decode()
    assert f'<a href="#review-{second.pk}-until-day">The end date must include a year</a>' in html
    assert f'id="review-{second.pk}-until-error"' in html
    assert f'id="review-{first.pk}-until-error"' not in html
    assert f'id="review-{second.pk}-note" name="review-{second.pk}-note" rows="2"' in html
    assert ">Justified</textarea>" in html and html.count(">Justified</textarea>") == 1
    assert AccessGrant.objects.get(pk=second.pk).needs_review


def test_ending_an_access_ignores_the_date_meant_for_confirming_it(
    officer: User, child: Person, client_for
) -> None:
    grant = break_glass(actor=officer, person=child, reason=REASON)
    manager = client_for(make_user(Role.CSE_MANAGER))

    done = manager.post(
        "/people/break-glass-reviews/",
        review(grant, action="end", note="No need", until_day="99"),
    )

    assert done.status_code == 302
    assert AccessGrant.objects.get(pk=grant.pk).review_outcome == "ended"


def test_reviewing_your_own_access_is_refused_above_the_form(
    manager: User, child: Person, client_for
) -> None:
    grant = break_glass(actor=manager, person=child, reason=REASON)

    refused = client_for(manager).post(
        "/people/break-glass-reviews/", review(grant, action="end", note="Mine")
    )

    assert refused.status_code == 400
    html = refused.content.decode()
    assert "<li>Another manager must review your own access</li>" in html
    assert (
        '<p class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ' in html
    )
    assert AccessGrant.objects.get(pk=grant.pk).needs_review


def test_an_unknown_access_is_not_found(client_for) -> None:
    manager = client_for(make_user(Role.CSE_MANAGER))
    for grant in ("", "abc", "99999999", "9" * 30):
        response = manager.post("/people/break-glass-reviews/", {"grant": grant})
        assert response.status_code == 404


@pytest.mark.parametrize(
    "overrides",
    [
        {"SAFEHUB_BREAK_GLASS_HOURS": 0},
        {"SAFEHUB_BREAK_GLASS_HOURS": "72"},
        {"SAFEHUB_BREAK_GLASS_HOURS": True},
        {"SAFEHUB_BREAK_GLASS_HOURS": 24 * 365},
        {"SAFEHUB_BREAK_GLASS_CONFIRM_MAX_DAYS": -1},
        {"SAFEHUB_BREAK_GLASS_CONFIRM_MAX_DAYS": 5, "SAFEHUB_BREAK_GLASS_CONFIRM_DEFAULT_DAYS": 6},
    ],
)
def test_nonsense_break_glass_settings_are_refused(overrides: dict[str, object]) -> None:
    with override_settings(**overrides), pytest.raises(ImproperlyConfigured):
        break_glass_periods()


def test_the_defaults_are_three_days_and_at_most_four_weeks() -> None:
    periods = break_glass_periods()
    assert (periods.hours, periods.confirm_max_days, periods.confirm_default_days) == (72, 28, 7)


def test_the_break_glass_page_says_how_long_the_access_lasts(officer: User, child: Person) -> None:
    from tests.conftest import sign_in

    page = sign_in(Client(), officer).get(f"/people/{child.public_id}/break-glass/")
    assert b"Your access ends after 72 hours" in page.content
