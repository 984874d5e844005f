"""Submitting a screening: score it, store it, refer it, audit it — all or nothing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from safehub.accounts.models import User
from safehub.audit.models import AuditAction, AuditObjectType
from safehub.audit.services import record_access
from safehub.people.models import Person
from safehub.people.services import (
    MatchAnswer,
    PersonDetails,
    create_person,
    record_match_check,
)
from safehub.referrals.models import FamilyAware, Referral, SharingBasis
from safehub.referrals.services import create_referral_from_screening
from safehub.screening.definitions import ScreeningTool
from safehub.screening.models import Screening
from safehub.screening.rules import AnswerError, InvalidAnswers, ScreeningResult, score

MARKS = ("evidence", "concern")


@dataclass(frozen=True)
class Submission:
    screening: Screening
    result: ScreeningResult
    referral: Referral | None


def validate_marks(
    tool: ScreeningTool, answers: Mapping[str, str], marks: Mapping[str, str]
) -> list[AnswerError]:
    """Marks (evidence/concern) are only for answered indicators with a positive answer."""
    problems = []
    negative = {"no", "not_present"}
    for indicator_id, mark in marks.items():
        if mark not in MARKS:
            problems.append(
                AnswerError(indicator_id, f"{indicator_id}: mark must be evidence or concern")
            )
        elif indicator_id not in answers:
            problems.append(
                AnswerError(indicator_id, f"{indicator_id}: is not an indicator of this tool")
            )
        elif answers[indicator_id] in negative:
            problems.append(
                AnswerError(indicator_id, f"{indicator_id}: only a positive answer can be marked")
            )
    return problems


SHARING_BASIS_MISSING = "Select the basis on which you are sharing this information"
SHARING_BASIS_UNKNOWN = "Select one of the listed bases for sharing this information"
FAMILY_AWARE_MISSING = "Say whether the child's family knows you are sharing this"
FAMILY_AWARE_UNKNOWN = "Say yes, no or not known for whether the family knows"


def referral_sharing_problems(
    *, refers: bool, sharing_basis: str, family_aware: str
) -> list[AnswerError]:
    """What is wrong with the information-sharing answers: an unknown value always, and a
    missing one when the screening's result refers the child to the MASH."""
    problems: list[AnswerError] = []
    if sharing_basis and sharing_basis not in SharingBasis.values:
        problems.append(AnswerError("sharing_basis", SHARING_BASIS_UNKNOWN))
    elif refers and not sharing_basis:
        problems.append(AnswerError("sharing_basis", SHARING_BASIS_MISSING))
    if family_aware and family_aware not in FamilyAware.values:
        problems.append(AnswerError("family_aware", FAMILY_AWARE_UNKNOWN))
    elif refers and not family_aware:
        problems.append(AnswerError("family_aware", FAMILY_AWARE_MISSING))
    return problems


@transaction.atomic
def submit_screening(
    *,
    actor: User,
    tool: ScreeningTool,
    answers: Mapping[str, str],
    screening_date: date,
    person: Person | None = None,
    new_person: PersonDetails | None = None,
    marks: Mapping[str, str] | None = None,
    notes: str = "",
    channel: str = "web",
    sharing_basis: str = "",
    family_aware: str = "",
    match_answer: MatchAnswer | None = None,
) -> Submission:
    """Score and store a completed screening for an existing or a new child.

    At a category the tool marks for referral, a MASH referral is created in the same
    transaction, and so is the front door's answer (`match_answer`, from the web journey:
    the child chosen, or "none of these" and the child added). Refuses (InvalidAnswers,
    nothing stored) unknown, missing or invalid answers, bad marks, a screening date in the
    future, an unknown sharing basis or family answer, and — when the result refers to the
    MASH — a missing sharing basis or family answer (the MASH must always know both); exactly
    one of person/new_person is needed.
    """
    if (person is None) == (new_person is None):
        raise ValueError("give exactly one of person or new_person")
    if match_answer is not None and match_answer.chosen != (person is not None):
        raise ValueError("the front door's answer does not say which child this is")
    date_of_birth = person.date_of_birth if person is not None else new_person.date_of_birth  # type: ignore[union-attr]
    marks = dict(marks or {})
    mark_problems = validate_marks(tool, answers, marks)
    if mark_problems:
        raise InvalidAnswers(mark_problems)
    if screening_date > date.today():
        raise InvalidAnswers(
            [AnswerError("screening_date", "screening_date: must not be in the future")]
        )
    result = score(tool, answers, screening_date=screening_date, date_of_birth=date_of_birth)
    sharing_problems = referral_sharing_problems(
        refers=result.category.creates_referral,
        sharing_basis=sharing_basis,
        family_aware=family_aware,
    )
    if sharing_problems:
        raise InvalidAnswers(sharing_problems)

    if person is None:
        assert new_person is not None
        person = create_person(actor=actor, details=new_person, channel=channel)
    if match_answer is not None:
        record_match_check(actor=actor, answer=match_answer, person=person)
    screening = Screening.objects.create(
        person=person,
        tool_id=tool.id,
        tool_version=tool.version,
        screening_date=screening_date,
        age_at_screening=result.age_at_screening,
        answers=dict(answers),
        marks=marks,
        notes=notes,
        computed_category=result.category.id,
        computed_rule=result.rule_id,
        computed_indicators=list(result.indicators),
        final_category=result.category.id,
        submitted_by=actor,
        submitted_by_agency_id=actor.agency_id,
        channel=channel,
    )
    record_access(
        user=actor,
        action=AuditAction.CREATE,
        object_type=AuditObjectType.SCREENING,
        object_id=screening.public_id,
        person_id=person.pk,
        channel=channel,
    )
    referral = None
    if result.category.creates_referral:
        referral = create_referral_from_screening(
            screening=screening,
            actor=actor,
            concerns=notes,
            channel=channel,
            sharing_basis=sharing_basis,
            family_aware=family_aware,
        )
    return Submission(screening=screening, result=result, referral=referral)
