"""Actions on person records. Every one validates completely before it writes anything."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from safehub.accounts.models import Agency, User
from safehub.audit.models import AuditAction, AuditObjectType
from safehub.audit.services import record_access
from safehub.people.choices import Ethnicity, Sex
from safehub.people.config import break_glass_periods
from safehub.people.models import AccessGrant, Address, MatchCheck, Person
from safehub.people.validators import (
    nhs_number_problem,
    normalise_nhs_number,
    normalise_postcode,
    normalise_upn,
    postcode_problem,
    upn_problem,
)
from safehub.refusals import Refused

# Safehub serves children and young people up to 25 (care leavers); older is a typing error.
OLDEST_AGE = 25


@dataclass(frozen=True)
class PersonDetails:
    given_name: str
    family_name: str
    date_of_birth: date
    sex: str
    known_as: str = ""
    ethnicity: str = Ethnicity.NOT_STATED
    nhs_number: str = ""
    upn: str = ""
    address_line1: str = ""
    postcode: str = ""
    school_id: int | None = None


def _parse_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def validate_person_details(data: Mapping[str, Any], *, today: date) -> PersonDetails:
    """Check a child's details as typed on a form or sent to the API.

    Refuses (Refused, every problem at once): missing names, a missing, malformed
    or future date of birth or one more than 25 years ago, an unknown sex or ethnicity code,
    an NHS number failing its check digit, a UPN failing its check letter, a malformed postcode.
    """
    errors: dict[str, str] = {}
    given = str(data.get("given_name") or "").strip()
    family = str(data.get("family_name") or "").strip()
    if not given:
        errors["given_name"] = "Enter the child's first name"
    if not family:
        errors["family_name"] = "Enter the child's last name"
    for field in ("given_name", "family_name"):
        if len(str(data.get(field) or "")) > 100:
            errors[field] = "Names must be 100 characters or fewer"

    dob = _parse_date(data.get("date_of_birth"))
    if data.get("date_of_birth") in (None, ""):
        errors["date_of_birth"] = "Enter the child's date of birth"
    elif dob is None:
        errors["date_of_birth"] = "Date of birth must be a real date"
    elif dob > today:
        errors["date_of_birth"] = "Date of birth must be today or in the past"
    elif (today.year - dob.year) > OLDEST_AGE + 1 or (
        today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day)) > OLDEST_AGE
    ):
        errors["date_of_birth"] = f"Date of birth must be within the last {OLDEST_AGE} years"

    sex = str(data.get("sex") or "")
    if sex not in Sex.values:
        errors["sex"] = "Select the child's sex"
    ethnicity = str(data.get("ethnicity") or Ethnicity.NOT_STATED)
    if ethnicity not in Ethnicity.values:
        errors["ethnicity"] = "Select an ethnic group from the list"

    nhs = str(data.get("nhs_number") or "").strip()
    if nhs and (problem := nhs_number_problem(nhs)):
        errors["nhs_number"] = problem
    upn = str(data.get("upn") or "").strip()
    if upn and (problem := upn_problem(upn)):
        errors["upn"] = problem
    postcode = str(data.get("postcode") or "").strip()
    if postcode and (problem := postcode_problem(postcode)):
        errors["postcode"] = problem

    school_id = data.get("school_id")
    if school_id not in (None, ""):
        try:
            school_id = int(school_id)
        except (TypeError, ValueError):
            errors["school_id"] = "Select a school from the list"
    else:
        school_id = None

    if errors:
        raise Refused(errors)
    assert dob is not None
    return PersonDetails(
        given_name=given,
        family_name=family,
        date_of_birth=dob,
        sex=sex,
        known_as=str(data.get("known_as") or "").strip()[:200],
        ethnicity=ethnicity,
        nhs_number=normalise_nhs_number(nhs),
        upn=normalise_upn(upn),
        address_line1=str(data.get("address_line1") or "").strip()[:200],
        postcode=normalise_postcode(postcode) if postcode else "",
        school_id=school_id,
    )


@transaction.atomic
def create_person(*, actor: User, details: PersonDetails, channel: str = "web") -> Person:
    """Add a person to the index and write the audit event. Refuses an unknown school."""
    school = None
    if details.school_id is not None:
        school = Agency.objects.filter(pk=details.school_id, agency_type="school").first()
        if school is None:
            raise Refused({"school_id": "Select a school from the list"})
    person = Person.objects.create(
        given_name=details.given_name,
        family_name=details.family_name,
        known_as=details.known_as,
        date_of_birth=details.date_of_birth,
        sex=details.sex,
        ethnicity=details.ethnicity,
        nhs_number=details.nhs_number,
        upn=details.upn,
        school=school,
        created_by=actor,
    )
    if details.postcode or details.address_line1:
        Address.objects.create(
            person=person, line1=details.address_line1 or "(not given)", postcode=details.postcode
        )
    record_access(
        user=actor,
        action=AuditAction.CREATE,
        object_type=AuditObjectType.PERSON,
        object_id=person.public_id,
        person_id=person.pk,
        channel=channel,
    )
    return person


@dataclass(frozen=True)
class MatchAnswer:
    """The answer to the front door's "is this the child?": the journey, how many likely
    matches the user was offered, and whether they chose one of them (`chosen`) or said none
    of them was the child. The service that records the screening, referral or episode records
    it with the person chosen or added (`record_match_check`)."""

    journey: str
    shown: int
    chosen: bool


@transaction.atomic
def record_match_check(*, actor: User, answer: MatchAnswer, person: Person) -> MatchCheck:
    """Record a front-door check: who answered it, in which journey, how many children were
    offered, and the child chosen or added (`person`). Names and what was typed are never kept.

    Called by the service that attaches the record to `person` or adds `person`, in its
    transaction. Refuses (ValueError, a caller's mistake) an unknown journey, a negative count,
    and a child chosen when none was offered."""
    if answer.journey not in MatchCheck.Journey.values:
        raise ValueError(f"unknown journey {answer.journey!r}")
    if answer.shown < 0 or (answer.chosen and answer.shown == 0):
        raise ValueError("a child can be chosen only from the children offered")
    return MatchCheck.objects.create(
        checked_by=actor,
        journey=answer.journey,
        candidates_shown=answer.shown,
        outcome=MatchCheck.Outcome.CHOSEN if answer.chosen else MatchCheck.Outcome.NEW,
        person=person,
    )


@transaction.atomic
def break_glass(
    *, actor: User, person: Person, reason: str, now: datetime | None = None
) -> AccessGrant:
    """Give the actor emergency access to a restricted record, flagged for a manager's review.

    The access ends by itself after SAFEHUB_BREAK_GLASS_HOURS unless a manager confirms it
    until a date. Refuses an empty or token reason (fewer than 10 characters).
    """
    now = now or timezone.now()
    reason = reason.strip()
    if len(reason) < 10:
        raise Refused({"reason": "Explain why you need to see this record now"})
    grant = AccessGrant.objects.create(
        person=person,
        user=actor,
        kind=AccessGrant.Kind.BREAK_GLASS,
        reason=reason,
        granted_at=now,
        expires_at=now + timedelta(hours=break_glass_periods().hours),
        needs_review=True,
    )
    record_access(
        user=actor,
        action=AuditAction.BREAK_GLASS,
        object_type=AuditObjectType.PERSON,
        object_id=person.public_id,
        person_id=person.pk,
        reason=reason,
    )
    return grant


def _reviewable(actor: User, grant: AccessGrant, note: str) -> dict[str, str]:
    """What stops this manager reviewing this break-glass access now (empty if nothing)."""
    if grant.kind != AccessGrant.Kind.BREAK_GLASS or not grant.needs_review:
        return {"grant": "This access has been reviewed already"}
    if grant.user_id == actor.pk:
        return {"grant": "Another manager must review your own access"}
    if not note.strip():
        return {"note": "Record what you concluded"}
    return {}


def _record_review(
    actor: User, grant: AccessGrant, outcome: str, note: str, now: datetime, summary: str
) -> AccessGrant:
    grant.needs_review = False
    grant.reviewed_by = actor
    grant.reviewed_at = now
    grant.review_outcome = outcome
    grant.review_note = note.strip()
    grant.save(
        update_fields=[
            "needs_review",
            "reviewed_by",
            "reviewed_at",
            "review_outcome",
            "review_note",
            "expires_at",
        ]
    )
    record_access(
        user=actor,
        action=AuditAction.CHANGE,
        object_type=AuditObjectType.BREAK_GLASS_REVIEW,
        object_id=grant.pk,
        person_id=grant.person_id,
        reason=f"{summary}: {grant.review_note}",
    )
    return grant


@transaction.atomic
def end_break_glass(
    *, actor: User, grant: AccessGrant, note: str, now: datetime | None = None
) -> AccessGrant:
    """A manager reviews a break-glass access and ends it: it stops at once.

    Refuses a grant already reviewed, one the manager took themselves, and an empty note.
    """
    now = now or timezone.now()
    grant = AccessGrant.objects.select_for_update().get(pk=grant.pk)
    if errors := _reviewable(actor, grant, note):
        raise Refused(errors)
    assert grant.expires_at is not None  # a break-glass grant always has an end
    grant.expires_at = min(grant.expires_at, now)
    return _record_review(actor, grant, AccessGrant.ReviewOutcome.ENDED, note, now, "access ended")


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def confirmed_end_limits(now: datetime) -> tuple[date, date]:
    """The default and the latest end date a manager may confirm break-glass access until."""
    periods = break_glass_periods()
    today = timezone.localdate(now)
    return (
        today + timedelta(days=periods.confirm_default_days),
        today + timedelta(days=periods.confirm_max_days),
    )


@transaction.atomic
def confirm_break_glass(
    *,
    actor: User,
    grant: AccessGrant,
    note: str,
    until: date | None = None,
    now: datetime | None = None,
) -> AccessGrant:
    """A manager reviews a break-glass access and confirms it until the end of `until` (by
    default SAFEHUB_BREAK_GLASS_CONFIRM_DEFAULT_DAYS from today); then it stops.

    Refuses a grant already reviewed, one the manager took themselves, an empty note, and an
    end date in the past or more than SAFEHUB_BREAK_GLASS_CONFIRM_MAX_DAYS from today.
    """
    now = now or timezone.now()
    grant = AccessGrant.objects.select_for_update().get(pk=grant.pk)
    default_end, latest = confirmed_end_limits(now)
    errors = _reviewable(actor, grant, note)
    until = until or default_end
    if until < timezone.localdate(now):
        errors.setdefault("until", "The end date must be today or in the future")
    elif until > latest:
        errors.setdefault(
            "until",
            f"The end date must be {_long_date(latest)} or sooner: at most "
            f"{(latest - timezone.localdate(now)).days} days from today",
        )
    if errors:
        raise Refused(errors)
    # Access lasts to the end of the chosen day, local time.
    grant.expires_at = timezone.make_aware(datetime.combine(until, time(23, 59, 59)))
    return _record_review(
        actor,
        grant,
        AccessGrant.ReviewOutcome.CONFIRMED,
        note,
        now,
        f"access confirmed until {_long_date(until)}",
    )
