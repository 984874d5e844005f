"""Named queries over missing-children records, including the shared timeline and tasks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from safehub.accounts.models import User
from safehub.missing import config, rules
from safehub.missing.models import (
    Alert,
    FlaggedLocation,
    InterviewMention,
    MissingEpisode,
    MissingProfile,
    ReturnInterview,
)
from safehub.people.matching import normalise_reference
from safehub.people.search import plain_key
from safehub.policy import Action, allows, users_who_may
from safehub.tasks import Task, about
from safehub.timeline import TimelineEvent


@dataclass(frozen=True)
class OutstandingInterview:
    episode: MissingEpisode
    clock: rules.RhiClock


def episodes_for_person(person_id: int) -> list[MissingEpisode]:
    """A child's episodes, most recent first, with their interviews and alerts."""
    return list(
        MissingEpisode.objects.filter(person_id=person_id)
        .select_related("person", "return_interview__interviewer", "recorded_by_agency")
        .prefetch_related("alerts", "return_interview__mentions")
        .order_by("-went_missing_at")
    )


def episode_by_public_id(public_id: uuid.UUID | str) -> MissingEpisode | None:
    """One episode with its child, or None."""
    return (
        MissingEpisode.objects.select_related("person", "recorded_by")
        .filter(public_id=public_id)
        .first()
    )


def interview_for(episode: MissingEpisode) -> ReturnInterview | None:
    """The episode's return interview, if one has been recorded."""
    return ReturnInterview.objects.filter(episode=episode).first()


def clock_for(episode: MissingEpisode, *, now: datetime | None = None) -> rules.RhiClock | None:
    """The 72-hour interview clock for a returned episode; None while the child is missing."""
    if episode.found_at is None:
        return None
    interview = getattr(episode, "return_interview", None) if has_interview(episode) else None
    return rules.rhi_clock(
        found_at=timezone.localtime(episode.found_at),
        now=now or timezone.now(),
        completed_at=interview.completed_at if interview else None,
        declined=bool(interview and interview.response == "declined"),
        hours=config.thresholds().rhi_due_hours,
    )


def has_interview(episode: MissingEpisode) -> bool:
    # The reverse one-to-one raises RelatedObjectDoesNotExist, an AttributeError, when absent.
    return hasattr(episode, "return_interview")


def rhi_outstanding(*, now: datetime | None = None) -> list[OutstandingInterview]:
    """Returned episodes whose interview is neither completed nor declined, soonest due first."""
    now = now or timezone.now()
    episodes = (
        MissingEpisode.objects.filter(found_at__isnull=False)
        .filter(
            Q(return_interview__isnull=True)
            | Q(return_interview__completed_at__isnull=True)
            & ~Q(return_interview__response="declined")
        )
        .select_related("person", "return_interview")
    )
    rows = []
    for episode in episodes:
        clock = clock_for(episode, now=now)
        if clock is not None and clock.status in (rules.RhiStatus.DUE, rules.RhiStatus.OVERDUE):
            rows.append(OutstandingInterview(episode=episode, clock=clock))
    return sorted(rows, key=lambda r: r.clock.due_at)


def rhi_overdue(*, now: datetime | None = None) -> list[OutstandingInterview]:
    """Interviews past their 72-hour due time and not completed or declined, oldest first."""
    return [r for r in rhi_outstanding(now=now) if r.clock.status == rules.RhiStatus.OVERDUE]


def interviewers() -> list[User]:
    """Active users who may hold return interviews (the CSE team)."""
    return list(
        User.objects.filter(users_who_may(Action.MISSING_RHI_CONDUCT))
        .select_related("agency")
        .distinct()
        .order_by("last_name", "first_name")
    )


def interviewer_by_id(user_id: int) -> User | None:
    """An active member of the CSE team by id, or None."""
    return (
        User.objects.filter(users_who_may(Action.MISSING_RHI_CONDUCT), pk=user_id)
        .distinct()
        .first()
    )


def flagged_locations() -> QuerySet[FlaggedLocation]:
    """The CSE team's current list of exploitation-linked places."""
    return FlaggedLocation.objects.filter(active=True).select_related("added_by")


def flagged_location_by_public_id(public_id: uuid.UUID | str) -> FlaggedLocation | None:
    """One flagged location (current or removed), or None."""
    return FlaggedLocation.objects.filter(public_id=public_id).first()


def flagged_places() -> list[rules.FlaggedPlace]:
    """The current list as plain data for the trigger rules."""
    return [rules.FlaggedPlace(name=f.name, postcode=f.postcode) for f in flagged_locations()]


def alerts(*, include_acknowledged: bool = False) -> QuerySet[Alert]:
    """Alerts for the CSE team, newest first; unacknowledged only unless asked."""
    queryset = Alert.objects.select_related("person", "episode", "acknowledged_by")
    if not include_acknowledged:
        queryset = queryset.filter(acknowledged_at__isnull=True)
    return queryset


def alert_by_public_id(public_id: uuid.UUID | str) -> Alert | None:
    """One alert with its child, or None."""
    return Alert.objects.select_related("person").filter(public_id=public_id).first()


def alerts_for_person(person_id: int) -> list[Alert]:
    """A child's alerts, newest first."""
    return list(Alert.objects.filter(person_id=person_id).select_related("acknowledged_by"))


def profile_for(person_id: int) -> MissingProfile | None:
    """A child's Philomena profile, if one has been filled in."""
    return MissingProfile.objects.select_related("updated_by").filter(person_id=person_id).first()


def profile_needs_review(profile: MissingProfile, *, now: datetime | None = None) -> bool:
    """Whether the profile is older than the review period (SAFEHUB_MISSING_PROFILE_REVIEW_DAYS)."""
    age = (now or timezone.now()) - profile.updated_at
    return age > timedelta(days=config.profile_review_days())


def findings(*, start: date, end: date) -> list[rules.Finding]:
    """Places and people named across children between two dates (inclusive), collated.

    Sources: where children were found (episodes found in the period) and the places and
    associates named in return interviews held or offered in the period.
    """
    tz = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tzinfo=tz)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    mentions = [
        rules.Mention("place", e.found_place, e.person_id, e.found_postcode)
        for e in MissingEpisode.objects.filter(found_at__gte=since, found_at__lt=until).only(
            "found_place", "found_postcode", "person_id"
        )
    ]
    named = InterviewMention.objects.filter(
        interview__offered_at__gte=since, interview__offered_at__lt=until
    ).values_list("kind", "text", "postcode", "interview__episode__person_id")
    mentions += [rules.Mention(kind, text, pid, postcode) for kind, text, postcode, pid in named]
    return rules.collate(mentions)


def _history_url(person_public_id: uuid.UUID, anchor: str = "") -> str:
    url = reverse("missing:person", kwargs={"public_id": person_public_id})
    return f"{url}#{anchor}" if anchor else url


def timeline_for(person_id: int) -> list[TimelineEvent]:
    """A child's missing history as chronology entries.

    Reports, returns, interviews and alerts; the police reference is a separate entry marked
    police_only so it can be left out of documents shared with the family.
    """
    events: list[TimelineEvent] = []
    for e in episodes_for_person(person_id):
        url = _history_url(e.person.public_id, f"episode-{e.public_id}")
        kind_label = e.get_category_display()
        events.append(
            TimelineEvent(
                when=e.reported_at,
                kind="missing",
                title=f"Reported {kind_label.lower()} from {e.get_missing_from_display().lower()}",
                detail=f"Risk: {e.get_risk_display()}. Reported by {e.reported_by}"
                + (f" ({e.reported_by_agency})" if e.reported_by_agency else ""),
                source="missing",
                url=url,
            )
        )
        if e.police_reference:
            events.append(
                TimelineEvent(
                    when=e.reported_at,
                    kind="missing",
                    title="Police reference recorded",
                    detail=e.police_reference,
                    source="missing",
                    url=url,
                    police_only=True,
                )
            )
        if e.found_at is not None:
            events.append(
                TimelineEvent(
                    when=e.found_at,
                    kind="missing",
                    title="Found or returned",
                    detail=f"Found at {e.found_place}",
                    source="missing",
                    url=url,
                    third_party=bool(e.found_with),
                )
            )
        if has_interview(e):
            rhi = e.return_interview
            title = f"Return interview {rhi.get_response_display().lower()}"
            events.append(
                TimelineEvent(
                    when=rhi.completed_at or rhi.offered_at,
                    kind="missing",
                    title="Return interview held" if rhi.completed_at else title,
                    detail=rhi.outcome,
                    source="missing",
                    url=url,
                )
            )
    for a in alerts_for_person(person_id):
        events.append(
            TimelineEvent(
                when=a.created_at,
                kind="risk",
                title=f"Alert: {a.get_trigger_display()}",
                detail=a.explanation,
                source="missing",
                url=reverse("missing:alerts"),
            )
        )
    return sorted(events, key=lambda ev: ev.when)


def tasks_for(user: object) -> list[Task]:
    """Interviews due or overdue (for those who hold them) and unacknowledged alerts.

    Titles carry only the episode or alert reference, never a child's name.
    """
    tasks: list[Task] = []
    if allows(user, Action.MISSING_RHI_LIST):
        for row in rhi_outstanding():
            tasks.append(
                Task(
                    due=row.clock.due_at,
                    title=f"Return home interview {row.clock.label.lower()}: "
                    f"episode {row.episode.reference}",
                    url=reverse("missing:rhi", kwargs={"public_id": row.episode.public_id}),
                    kind="return_interview",
                    statutory=True,  # statutory guidance: within 72 hours of the return
                    **about(row.episode.person),
                )
            )
    if allows(user, Action.MISSING_ALERT_VIEW):
        for alert in alerts():
            tasks.append(
                Task(
                    due=alert.created_at,
                    title=f"Missing alert to acknowledge: {alert.get_trigger_display()}",
                    url=reverse("missing:alerts"),
                    kind="missing_alert",
                    **about(alert.person),
                )
            )
    return tasks


def count_episodes(*, start: datetime, end: datetime) -> int:
    """How many missing episodes were reported in the period. A count only."""
    return MissingEpisode.objects.filter(reported_at__range=(start, end)).count()


def people_with_missing_reference(reference: str) -> dict[int, str]:
    """Children with a missing episode whose reference (Safehub's short one, or the police
    reference recorded on it) is `reference`, compared without case, spaces or punctuation:
    {person id: the reference}."""
    plain = normalise_reference(reference)
    if len(plain) < 4:
        return {}
    found: dict[int, str] = {}
    if len(plain) == 8 and all(ch in "0123456789ABCDEF" for ch in plain):
        for episode in MissingEpisode.objects.filter(public_id__istartswith=plain.lower())[:20]:
            found.setdefault(episode.person_id, episode.reference)
    rows = (
        MissingEpisode.objects.exclude(police_reference="")
        .annotate(plain_key=plain_key("police_reference"))
        .filter(plain_key=plain)
        .values_list("person_id", "police_reference")[:20]
    )
    for person_id, police_reference in rows:
        found.setdefault(person_id, police_reference)
    return found
