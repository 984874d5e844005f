"""Named actions that write missing-children records. Each is one transaction and audited.

Every action validates everything first and raises `Refused` (field -> message)
before writing anything, so a refused form leaves nothing half-stored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from safehub.accounts.models import User
from safehub.audit.models import AuditAction, AuditObjectType
from safehub.audit.services import record_access
from safehub.cases.selectors import is_allocated
from safehub.missing import config, rules
from safehub.missing.choices import (
    DfECode,
    InterviewResponse,
    MentionKind,
    MissingFrom,
    PoliceCategory,
    PullFactor,
    PushFactor,
    RiskGrading,
)
from safehub.missing.models import (
    Alert,
    InterviewMention,
    MissingEpisode,
    ReturnInterview,
)
from safehub.missing.selectors import flagged_places, interviewer_by_id
from safehub.people.models import Person
from safehub.people.services import (
    MatchAnswer,
    PersonDetails,
    create_person,
    record_match_check,
)
from safehub.people.validators import normalise_postcode, postcode_problem
from safehub.refusals import Refused


@dataclass(frozen=True)
class EpisodeDetails:
    missing_from: str
    category: str
    risk: str
    went_missing_at: datetime | None
    reported_at: datetime | None
    reported_by: str
    reported_by_agency: str = ""
    police_reference: str = ""
    dfe_code: str = ""


@dataclass(frozen=True)
class FoundDetails:
    found_at: datetime | None
    found_place: str
    found_postcode: str = ""
    found_with: str = ""


@dataclass(frozen=True)
class InterviewDetails:
    offered_at: datetime | None
    response: str
    completed_at: datetime | None = None
    interviewer_id: int | None = None
    outcome: str = ""
    push_factors: tuple[str, ...] = ()
    pull_factors: tuple[str, ...] = ()
    exploitation_concerns: bool = False
    concerns_detail: str = ""
    places: tuple[tuple[str, str], ...] = ()  # (name, postcode)
    associates: tuple[str, ...] = ()


@dataclass
class InterviewResult:
    interview: ReturnInterview
    new_alerts: list[Alert] = field(default_factory=list)


def _choice_problem(value: str, choices: type, message: str) -> str | None:
    return None if value in choices.values else message  # type: ignore[attr-defined]


def too_long(errors: dict[str, str], name: str, value: str, limit: int, label: str) -> None:
    if len(value) > limit and name not in errors:
        errors[name] = f"{label} must be {limit} characters or fewer"


def validate_episode(details: EpisodeDetails, *, now: datetime) -> dict[str, str]:
    """Problems with a new episode: choices, required fields, lengths and the timeline."""
    errors: dict[str, str] = {}
    for name, value, choices, message in (
        (
            "missing_from",
            details.missing_from,
            MissingFrom,
            "Select where the child went missing from",
        ),
        ("category", details.category, PoliceCategory, "Select missing or absent"),
        ("risk", details.risk, RiskGrading, "Select the risk grading"),
    ):
        problem = _choice_problem(value, choices, message)
        if problem:
            errors[name] = problem
    if details.dfe_code and details.dfe_code not in DfECode.values:
        errors["dfe_code"] = "Select M or A"
    if details.went_missing_at is None:
        errors["went_missing_at"] = "Enter when the child was last seen"
    if details.reported_at is None:
        errors["reported_at"] = "Enter when the child was reported missing"
    if not details.reported_by.strip():
        errors["reported_by"] = "Enter who reported the child missing"
    too_long(errors, "reported_by", details.reported_by, 200, "Who reported")
    too_long(errors, "reported_by_agency", details.reported_by_agency, 200, "Their organisation")
    too_long(errors, "police_reference", details.police_reference, 40, "The police reference")
    for name, message in rules.classification_problems(
        missing_from=details.missing_from,
        category=details.category,
        risk=details.risk,
        dfe_code=details.dfe_code,
    ).items():
        errors.setdefault(name, message)
    for name, message in rules.episode_timeline_problems(
        went_missing_at=details.went_missing_at,
        reported_at=details.reported_at,
        found_at=None,
        now=now,
    ).items():
        errors.setdefault(name, message)
    return errors


def _facts(episode: MissingEpisode) -> rules.EpisodeFacts:
    return rules.EpisodeFacts(
        ref=episode.reference,
        went_missing_at=episode.went_missing_at,
        risk=episode.risk,
        found_place=episode.found_place,
        found_postcode=episode.found_postcode,
    )


def _raise_alerts(
    actor: User, episode: MissingEpisode, hits: list[rules.TriggerHit]
) -> list[Alert]:
    created = []
    for hit in hits:
        if Alert.objects.filter(episode=episode, trigger=hit.trigger).exists():
            continue
        alert = Alert.objects.create(
            person=episode.person, episode=episode, trigger=hit.trigger, explanation=hit.explanation
        )
        record_access(
            user=actor,
            action=AuditAction.CREATE,
            object_type=AuditObjectType.MISSING_ALERT,
            object_id=alert.public_id,
            person_id=episode.person_id,
            reason=hit.explanation,
        )
        created.append(alert)
    return created


def _check_episode_triggers(actor: User, episode: MissingEpisode) -> list[Alert]:
    others = MissingEpisode.objects.filter(person_id=episode.person_id).exclude(pk=episode.pk)
    hits = rules.episode_triggers(
        _facts(episode), [_facts(e) for e in others], flagged_places(), config.thresholds()
    )
    return _raise_alerts(actor, episode, hits)


# Imported episodes raise alerts only when they are recent: an import of last year's reports
# is history (it still counts towards a later episode's repeat rule), not a queue of stale
# alerts. Days since the child went missing; settings may override.
IMPORT_ALERT_DAYS = 28


def check_imported_episodes(
    *, actor: User, episode_ids: Sequence[int], now: datetime | None = None
) -> list[Alert]:
    """Run the episode triggers for episodes an import created or changed, as recording them by
    hand would, for those that went missing in the last IMPORT_ALERT_DAYS days. Each alert is
    raised once per episode and trigger, however often the file is imported."""
    days = int(getattr(settings, "SAFEHUB_MISSING_IMPORT_ALERT_DAYS", IMPORT_ALERT_DAYS))
    since = (now or timezone.now()) - timedelta(days=days)
    episodes = list(MissingEpisode.objects.filter(pk__in=episode_ids, went_missing_at__gte=since))
    if not episodes:
        return []
    history: dict[int, list[MissingEpisode]] = defaultdict(list)
    for other in MissingEpisode.objects.filter(person_id__in={e.person_id for e in episodes}):
        history[other.person_id].append(other)
    flagged, thresholds = flagged_places(), config.thresholds()
    created: list[Alert] = []
    for episode in episodes:
        others = [_facts(e) for e in history[episode.person_id] if e.pk != episode.pk]
        hits = rules.episode_triggers(_facts(episode), others, flagged, thresholds)
        created += _raise_alerts(actor, episode, hits)
    return created


@transaction.atomic
def record_episode(
    *,
    actor: User,
    person: Person,
    details: EpisodeDetails,
    match_answer: MatchAnswer | None = None,
) -> MissingEpisode:
    """Record a new missing or absent episode for a known child, then check the triggers.

    Refuses (Refused, nothing stored) unknown codes, a missing reporter or time,
    an 'absent' child graded above no apparent risk, a care episode without its DfE code, and
    impossible or future times. Alerts raised by the repeat and high-risk rules are stored in
    the same transaction, and so is the front door's answer when the child was chosen from
    the likely matches (`match_answer`).
    """
    errors = validate_episode(details, now=timezone.now())
    if errors:
        raise Refused(errors)
    if match_answer is not None:
        if not match_answer.chosen:
            raise ValueError("a child chosen from the likely matches is needed")
        record_match_check(actor=actor, answer=match_answer, person=person)
    assert details.went_missing_at is not None and details.reported_at is not None
    episode = MissingEpisode.objects.create(
        person=person,
        missing_from=details.missing_from,
        category=details.category,
        dfe_code=details.dfe_code,
        went_missing_at=details.went_missing_at,
        reported_at=details.reported_at,
        reported_by=details.reported_by.strip(),
        reported_by_agency=details.reported_by_agency.strip(),
        police_reference=details.police_reference.strip(),
        risk=details.risk,
        recorded_by=actor,
        recorded_by_agency_id=actor.agency_id,
    )
    record_access(
        user=actor,
        action=AuditAction.CREATE,
        object_type=AuditObjectType.MISSING_EPISODE,
        object_id=episode.public_id,
        person_id=person.pk,
    )
    _check_episode_triggers(actor, episode)
    return episode


@transaction.atomic
def record_episode_for_new_child(
    *,
    actor: User,
    child: PersonDetails,
    details: EpisodeDetails,
    match_answer: MatchAnswer,
) -> MissingEpisode:
    """The police's first notification of a child Safehub does not know: add the child, record
    the front door's "none of these" (or that nothing matched), and record the episode, all in
    one transaction.

    Refuses (Refused, nothing stored) what `record_episode` refuses, and an unknown school
    (`create_person`); a `match_answer` that chose an existing child is a caller's mistake
    (ValueError)."""
    if match_answer.chosen:
        raise ValueError("a child chosen from the likely matches is not a new child")
    errors = validate_episode(details, now=timezone.now())
    if errors:
        raise Refused(errors)
    person = create_person(actor=actor, details=child)
    record_match_check(actor=actor, answer=match_answer, person=person)
    return record_episode(actor=actor, person=person, details=details)


@transaction.atomic
def record_found(*, actor: User, episode: MissingEpisode, details: FoundDetails) -> MissingEpisode:
    """Record when and where the child was found or returned, then check the triggers.

    Refuses a second return, a time before the child went missing or was reported, a future
    time, no place, or a malformed postcode. Being found at a flagged location raises an alert.
    """
    errors: dict[str, str] = {}
    if episode.found_at is not None:
        errors["found_at"] = "This episode already has a return recorded"
    if details.found_at is None:
        errors.setdefault("found_at", "Enter when the child was found or returned")
    if not details.found_place.strip():
        errors["found_place"] = "Enter where the child was found, or 'returned home'"
    too_long(errors, "found_place", details.found_place, 200, "Where found")
    if details.found_postcode.strip() and postcode_problem(details.found_postcode):
        errors["found_postcode"] = "Enter a full UK postcode, like CV1 5RR, or leave it blank"
    for name, message in rules.episode_timeline_problems(
        went_missing_at=episode.went_missing_at,
        reported_at=episode.reported_at,
        found_at=details.found_at,
        now=timezone.now(),
    ).items():
        errors.setdefault(name, message)
    if errors:
        raise Refused(errors)
    episode.found_at = details.found_at
    episode.found_place = details.found_place.strip()
    postcode = details.found_postcode.strip()
    episode.found_postcode = normalise_postcode(postcode) if postcode else ""
    episode.found_with = details.found_with.strip()
    episode.save(update_fields=["found_at", "found_place", "found_postcode", "found_with"])
    record_access(
        user=actor,
        action=AuditAction.CHANGE,
        object_type=AuditObjectType.MISSING_EPISODE,
        object_id=episode.public_id,
        person_id=episode.person_id,
        reason="recorded the return",
    )
    _check_episode_triggers(actor, episode)
    return episode


def validate_interview(
    episode: MissingEpisode, details: InterviewDetails, *, now: datetime
) -> dict[str, str]:
    """Problems with a return interview record (see `record_return_interview`)."""
    errors: dict[str, str] = {}
    if details.response not in InterviewResponse.values:
        errors["response"] = "Select whether the child accepted the interview"
    if details.offered_at is None:
        errors["offered_at"] = "Enter when the interview was offered"
    if details.completed_at is not None and details.response != InterviewResponse.ACCEPTED:
        errors["completed_at"] = "Only an accepted interview can have taken place"
    if details.completed_at is not None:
        if details.interviewer_id is None:
            errors["interviewer"] = "Select who did the interview"
        if not details.outcome.strip():
            errors["outcome"] = "Enter what the interview found and what happens next"
    if details.interviewer_id is not None:
        interviewer = interviewer_by_id(details.interviewer_id)
        if interviewer is None:
            errors["interviewer"] = "Select an interviewer from the list"
        elif interviewer.pk == episode.recorded_by_id:
            errors["interviewer"] = (
                "The interviewer must be independent: not the person who recorded the episode"
            )
        elif is_allocated(user_id=interviewer.pk, person_id=episode.person_id):
            errors["interviewer"] = (
                "The interviewer must be independent: not the child's allocated worker"
            )
    bad_push = [c for c in details.push_factors if c not in PushFactor.values]
    bad_pull = [c for c in details.pull_factors if c not in PullFactor.values]
    if bad_push:
        errors["push_factors"] = "Select push factors from the list"
    if bad_pull:
        errors["pull_factors"] = "Select pull factors from the list"
    if details.exploitation_concerns and not details.concerns_detail.strip():
        errors["concerns_detail"] = "Describe the exploitation concerns"
    for name, postcode in details.places:
        if postcode and postcode_problem(postcode):
            errors["places"] = f"'{postcode}' (for {name or 'a place'}) is not a full UK postcode"
        if len(name) > 200:
            errors["places"] = "Each place must be 200 characters or fewer"
    if any(len(a) > 200 for a in details.associates):
        errors["associates"] = "Each name must be 200 characters or fewer"
    for name, message in rules.interview_timeline_problems(
        found_at=episode.found_at,
        offered_at=details.offered_at,
        completed_at=details.completed_at,
        now=now,
    ).items():
        errors.setdefault(name, message)
    return errors


@transaction.atomic
def record_return_interview(
    *, actor: User, episode: MissingEpisode, details: InterviewDetails
) -> InterviewResult:
    """Record (or update) the return home interview for an episode.

    Refuses an interview before the child's return, an interview held before it was offered
    or in the future, a completed interview without interviewer or outcome, the episode's
    recorder or the child's allocated worker as interviewer (it must be independent), unknown
    push/pull codes, and concerns without detail. Disclosed exploitation concerns raise an
    alert and record that a screening was prompted.
    """
    now = timezone.now()
    errors = validate_interview(episode, details, now=now)
    if errors:
        raise Refused(errors)
    assert details.offered_at is not None
    interview, created = ReturnInterview.objects.get_or_create(
        episode=episode,
        defaults={"offered_at": details.offered_at, "recorded_by": actor},
    )
    interview.offered_at = details.offered_at
    interview.response = details.response
    interview.completed_at = details.completed_at
    interview.interviewer_id = details.interviewer_id  # type: ignore[assignment]
    interview.outcome = details.outcome.strip()
    interview.push_factors = list(details.push_factors)
    interview.pull_factors = list(details.pull_factors)
    interview.exploitation_concerns = details.exploitation_concerns
    interview.concerns_detail = details.concerns_detail.strip()
    if details.exploitation_concerns and interview.screening_prompted_at is None:
        interview.screening_prompted_at = now
    interview.save()
    interview.mentions.all().delete()
    InterviewMention.objects.bulk_create(
        [
            InterviewMention(
                interview=interview,
                kind=MentionKind.PLACE,
                text=name.strip(),
                postcode=normalise_postcode(postcode) if postcode else "",
            )
            for name, postcode in details.places
            if name.strip() or postcode
        ]
        + [
            InterviewMention(interview=interview, kind=MentionKind.ASSOCIATE, text=a.strip())
            for a in details.associates
            if a.strip()
        ]
    )
    record_access(
        user=actor,
        action=AuditAction.CREATE if created else AuditAction.CHANGE,
        object_type=AuditObjectType.RETURN_INTERVIEW,
        object_id=interview.public_id,
        person_id=episode.person_id,
    )
    hit = rules.exploitation_disclosed(episode.reference, details.exploitation_concerns)
    alerts = _raise_alerts(actor, episode, [hit] if hit else [])
    return InterviewResult(interview=interview, new_alerts=alerts)
