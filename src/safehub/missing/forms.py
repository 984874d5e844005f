"""Reading the missing-children forms from a POST: dates with times, lists and checkboxes.

Parsing only; what the values must satisfy is checked by the services, with the same messages
whichever channel is used.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from django.utils import timezone

from safehub.missing.services import EpisodeDetails, FoundDetails, InterviewDetails
from safehub.missing.team_services import PROFILE_FIELDS, ProfileDetails

TIME_RE = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$", re.IGNORECASE)


def _text(post: Mapping[str, Any], name: str) -> str:
    return str(post.get(name, "")).strip()


def parse_time(raw: str) -> time | None:
    """'21:30', '9.30pm', '9pm' or '09:05' as a time; None if it is not one."""
    match = TIME_RE.match(raw.strip())
    if not match:
        return None
    hour, minute, half = int(match[1]), int(match[2] or 0), (match[3] or "").lower()
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def datetime_from_post(
    post: Mapping[str, Any], name: str, label: str, *, required: bool = True
) -> tuple[datetime | None, str | None, dict[str, str]]:
    """A GOV.UK date input (NAME-day/-month/-year) plus a time box (NAME-time), local time.

    Returns (value, error, raw values to show again).
    """
    raw = {p: _text(post, f"{name}-{p}") for p in ("day", "month", "year", "time")}
    if not any(raw.values()):
        return None, (f"Enter {label}" if required else None), raw
    missing = [p for p in ("day", "month", "year", "time") if not raw[p]]
    if missing:
        return None, f"{label.capitalize()} must include a {' and a '.join(missing)}", raw
    try:
        day, month, year = int(raw["day"]), int(raw["month"]), int(raw["year"])
        if year < 1000:
            return None, "Year must include 4 numbers", raw
        on = date(year, month, day)
    except (ValueError, OverflowError):  # OverflowError: a year too long for a date
        return None, f"{label.capitalize()} must be a real date", raw
    at = parse_time(raw["time"])
    if at is None:
        return None, "Enter the time like 21:30 or 9:30pm", raw
    return timezone.make_aware(datetime.combine(on, at)), None, raw


def episode_from_post(post: Mapping[str, Any]) -> tuple[EpisodeDetails, dict[str, str], dict]:
    """The new-episode form: (details, parsing errors, values to show again)."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {
        n: _text(post, n)
        for n in (
            "missing_from",
            "category",
            "dfe_code",
            "risk",
            "reported_by",
            "reported_by_agency",
            "police_reference",
        )
    }
    times: dict[str, datetime | None] = {}
    for name, label in (
        ("went_missing_at", "when the child was last seen"),
        ("reported_at", "when the child was reported missing"),
    ):
        times[name], error, values[name] = datetime_from_post(post, name, label)
        if error:
            errors[name] = error
    details = EpisodeDetails(
        missing_from=values["missing_from"],
        category=values["category"],
        risk=values["risk"],
        dfe_code=values["dfe_code"] if values["missing_from"] == "care" else "",
        went_missing_at=times["went_missing_at"],
        reported_at=times["reported_at"],
        reported_by=values["reported_by"],
        reported_by_agency=values["reported_by_agency"],
        police_reference=values["police_reference"],
    )
    return details, errors, values


def found_from_post(post: Mapping[str, Any]) -> tuple[FoundDetails, dict[str, str], dict]:
    """The found/return form: (details, parsing errors, values to show again)."""
    values: dict[str, Any] = {n: _text(post, n) for n in ("found_place", "found_postcode")}
    values["found_with"] = _text(post, "found_with")
    found_at, error, values["found_at"] = datetime_from_post(
        post, "found_at", "when the child was found or returned"
    )
    details = FoundDetails(
        found_at=found_at,
        found_place=values["found_place"],
        found_postcode=values["found_postcode"],
        found_with=values["found_with"],
    )
    return details, ({"found_at": error} if error else {}), values


def lines(raw: str) -> list[str]:
    """Non-empty lines of a textarea."""
    return [line.strip() for line in raw.splitlines() if line.strip()]


def place_and_postcode(line: str) -> tuple[str, str]:
    """'Name, CV1 2AB' -> ('Name', 'CV1 2AB'); a line without a trailing postcode has none."""
    name, _, tail = line.rpartition(",")
    if name and re.fullmatch(r"[A-Za-z]{1,2}\d[A-Za-z\d]?\s*\d[A-Za-z]{2}", tail.strip()):
        return name.strip(), tail.strip()
    return line.strip(), ""


def interview_from_post(post: Any) -> tuple[InterviewDetails, dict[str, str], dict]:
    """The return interview form: (details, parsing errors, values to show again)."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {
        n: _text(post, n)
        for n in ("response", "interviewer", "outcome", "concerns_detail", "places", "associates")
    }
    values["push_factors"] = list(post.getlist("push_factors"))
    values["pull_factors"] = list(post.getlist("pull_factors"))
    values["exploitation_concerns"] = _text(post, "exploitation_concerns")
    offered_at, error, values["offered_at"] = datetime_from_post(
        post, "offered_at", "when the interview was offered"
    )
    if error:
        errors["offered_at"] = error
    completed_at, error, values["completed_at"] = datetime_from_post(
        post, "completed_at", "when the interview took place", required=False
    )
    if error:
        errors["completed_at"] = error
    interviewer_id = None
    if values["interviewer"]:
        if values["interviewer"].isdecimal() and len(values["interviewer"]) < 19:
            interviewer_id = int(values["interviewer"])
        else:
            errors["interviewer"] = "Select an interviewer from the list"
    if values["exploitation_concerns"] not in ("yes", "no"):
        errors["exploitation_concerns"] = "Select yes if the child disclosed exploitation concerns"
    details = InterviewDetails(
        offered_at=offered_at,
        response=values["response"],
        completed_at=completed_at,
        interviewer_id=interviewer_id,
        outcome=values["outcome"],
        push_factors=tuple(values["push_factors"]),
        pull_factors=tuple(values["pull_factors"]),
        exploitation_concerns=values["exploitation_concerns"] == "yes",
        concerns_detail=values["concerns_detail"],
        places=tuple(place_and_postcode(line) for line in lines(values["places"])),
        associates=tuple(lines(values["associates"])),
    )
    return details, errors, values


def profile_from_post(post: Mapping[str, Any]) -> ProfileDetails:
    """The Philomena profile form."""
    return ProfileDetails(**{n: _text(post, n) for n in PROFILE_FIELDS})
