"""The front door: before a screening, a referral or a missing episode adds a child, is the
child already in Safehub?

The three journeys ask the same question the same way:

- `offer` runs the matcher (`people.search.likely_matches`) on the child's details as typed,
  within the policy's search scope (no persons of interest outside the police), and masks the
  restricted children the user holds no grant for;
- `MatchForm` asks "Is this the child ...?" with each likely match as a radio (name, date of
  birth and the reasons, or for a masked child only "A restricted record matches") and, after
  an "or", "None of these: this is a child new to Safehub";
- `audit_offered` writes one access-log row per child shown, on that child's record, and
  `audit_chosen` one for the child chosen (never what was typed);
- the journey's service records the answer (`people.services.record_match_check`) with the
  record it attaches to the child chosen or added.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.http import QueryDict

from safehub.audit.models import AuditAction, AuditObjectType
from safehub.audit.reads import audited_list, audited_read
from safehub.govuk_forms import Choice, ChoiceField, GovukForm
from safehub.people.models import MatchCheck, Person
from safehub.people.search import FRONT_DOOR_LIMIT, likely_matches, query_for_child
from safehub.people.services import MatchAnswer, PersonDetails
from safehub.policy import mark_masked, person_scope, search_scope

NONE_OF_THESE = "none"
NONE_LABEL = "None of these: this is a child new to Safehub"
RESTRICTED_LABEL = "A restricted record matches: ask a CSE manager"
Journey = MatchCheck.Journey

QUESTIONS = {
    Journey.SCREENING: "Is this the child you are screening?",
    Journey.REFERRAL: "Is this the child you are referring?",
    Journey.MISSING: "Is this the child who is missing?",
}
# What choosing a restricted record does, in each journey.
RESTRICTED_HINTS = {
    Journey.SCREENING: "You cannot see who this is. Choose it if you are sure it is the child "
    "you are screening: your screening joins that record and you see only its outcome.",
    Journey.REFERRAL: "You cannot see who this is. Choose it if you are sure it is the child "
    "you are referring: your referral joins that record.",
    Journey.MISSING: "You cannot see who this is. Choose it if you are sure it is this child: "
    "a CSE manager must give you access before you can record the episode.",
}
# The access log's words for each journey (which list the child appeared in, never why).
DOING = {
    Journey.SCREENING: "screening",
    Journey.REFERRAL: "referring a child",
    Journey.MISSING: "recording a missing episode",
}
BEING = {
    Journey.SCREENING: "the child being screened",
    Journey.REFERRAL: "the child being referred",
    Journey.MISSING: "the child reported missing",
}


@dataclass
class Offered:
    """A likely match as the user sees it. `masked` (set by the policy's `mark_masked`):
    a restricted child shown only as "a restricted record matches"."""

    person: Person
    reasons: list[str]
    masked: bool = False


def offer(
    user: object,
    *,
    given_name: str,
    family_name: str,
    date_of_birth: date | None,
    nhs_number: str = "",
    upn: str = "",
) -> list[Offered]:
    """The likely matches for a child described on a form, best first, at most
    FRONT_DOOR_LIMIT, masked for `user`. Writes nothing: `audit_offered` does, when shown."""
    query = query_for_child(given_name, family_name, date_of_birth, nhs_number, upn)
    found = likely_matches(query, within=search_scope(user), limit=FRONT_DOOR_LIMIT)
    offered = [Offered(person=f.person, reasons=list(f.match.reasons)) for f in found]
    return mark_masked(offered, person_scope(user), lambda row: row.person)


def offer_for(user: object, details: PersonDetails) -> list[Offered]:
    """`offer` for a child's checked details."""
    return offer(
        user,
        given_name=details.given_name,
        family_name=details.family_name,
        date_of_birth=details.date_of_birth,
        nhs_number=details.nhs_number,
        upn=details.upn,
    )


def audit_offered(user: object, offered: Sequence[Offered], *, journey: str) -> None:
    """The access-log rows for the likely matches shown: one per child on that child's record
    (restricted children too, saying they were not shown)."""
    doing = DOING[Journey(journey)]
    audited_list(
        user,
        AuditObjectType.PERSON,
        action=AuditAction.SEARCH,
        person_ids=[o.person.pk for o in offered if not o.masked],
        reason=f"shown as a possible match when {doing}",
    )
    audited_list(
        user,
        AuditObjectType.PERSON,
        action=AuditAction.SEARCH,
        person_ids=[o.person.pk for o in offered if o.masked],
        reason=f"matched when {doing}; restricted, not shown",
    )


def audit_chosen(user: object, person: Person, *, journey: str) -> None:
    """The access-log row for the child the user chose as the one they are recording."""
    audited_read(
        user,
        AuditObjectType.PERSON,
        action=AuditAction.SEARCH,
        object_id=person.public_id,
        person_id=person.pk,
        reason=f"matched as {BEING[Journey(journey)]}",
    )


def _reasons(reasons: Sequence[str]) -> str:
    text = "; ".join(reasons)
    return text[:1].upper() + text[1:]


def option_for(offered: Offered, *, journey: str) -> Choice:
    """One likely match as a radio: the name and date of birth, the reasons as its hint; a
    masked child as the access message only."""
    value = str(offered.person.public_id)
    if offered.masked:
        return Choice(value, RESTRICTED_LABEL, RESTRICTED_HINTS[Journey(journey)])
    person = offered.person
    born = person.date_of_birth
    when = f", born {born.day} {born:%B %Y}" if born else ", no date of birth recorded"
    label = f"{person.given_name} {person.family_name}{when}"
    return Choice(value, label, _reasons(offered.reasons))


def _ids(text: str) -> list[str]:
    """The public ids in a posted list (anything else left out), at most FRONT_DOOR_LIMIT."""
    found = []
    for part in (text or "").split(","):
        try:
            found.append(str(uuid.UUID(part.strip())))
        except ValueError:
            continue
    return list(dict.fromkeys(found))[:FRONT_DOOR_LIMIT]


def shown_ids(offered: Sequence[Offered]) -> str:
    """The children offered, as the match form carries them (`shown`)."""
    return ",".join(str(o.person.public_id) for o in offered)


class MatchForm(GovukForm):
    """ "Is this the child ...?": one of the likely matches, or none of them.

    `shown` carries the children offered when the page was made: "None of these" is accepted
    only if every child offered now was among them (another child found since is asked about
    first). `answer` is the choice as the journey's service records it."""

    person = ChoiceField(
        label="Is this the child?",
        help_text="Safehub already knows a child with details like these. Choosing the right "
        "one keeps the partnership's picture of the child in one place.",
        widget=forms.RadioSelect(attrs={"heading": True}),
        error_messages={
            "required": "Select the child, or select ‘None of these’",
            "invalid_choice": "Select one of the children listed, or ‘None of these’",
        },
    )
    shown = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, offered: Sequence[Offered], journey: str, **kwargs: Any) -> None:
        kwargs["initial"] = {**kwargs.get("initial", {}), "shown": shown_ids(offered)}
        super().__init__(*args, **kwargs)
        self.offered = list(offered)
        self.journey = journey
        # The children offered when the user answered; the page shown again carries those
        # offered now.
        self.seen = _ids(str(self.data.get("shown", ""))) if self.is_bound else []
        if self.is_bound:
            data = QueryDict(mutable=True)
            data.update(self.data)
            data["shown"] = shown_ids(offered)
            self.data = data
        field = self.fields["person"]
        field.label = QUESTIONS[Journey(journey)]
        options = [option_for(o, journey=journey) for o in self.offered]
        options.append(Choice(NONE_OF_THESE, NONE_LABEL, divider="or"))
        field.set_options(options)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        offered_now = {str(o.person.public_id) for o in self.offered}
        if cleaned.get("person") == NONE_OF_THESE and not offered_now <= set(self.seen):
            self.add_error(
                "person",
                "Safehub has found another child who may be this one: check the children "
                "listed, then choose again",
            )
        return cleaned

    @property
    def chosen(self) -> Person | None:
        """The child chosen, or None for "None of these" (after `is_valid`)."""
        value = self.cleaned_data.get("person")
        return next((o.person for o in self.offered if str(o.person.public_id) == value), None)

    def answer(self) -> MatchAnswer:
        """The answer as recorded (after `is_valid`): how many children were offered, and
        whether one was chosen."""
        shown = max(len(self.offered), len(self.seen))
        return MatchAnswer(journey=self.journey, shown=shown, chosen=self.chosen is not None)


def answer_without_asking(*, journey: str, shown: int = 0) -> MatchAnswer:
    """The answer when the user was not asked (nothing offered), or had already said "None of
    these" to `shown` children on an earlier page."""
    return MatchAnswer(journey=journey, shown=shown, chosen=False)
