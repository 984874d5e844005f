"""Named actions for the CSE team's records: Philomena profiles, alerts, flagged locations.

Each is one transaction and audited; refused input raises `Refused` first. A
profile save takes the version the form was read at and is refused (`StaleEdit`, from
safehub.versioning) if someone saved the profile since.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from django.db import IntegrityError, transaction
from django.utils import timezone

from safehub.accounts.models import User
from safehub.audit.models import AuditAction, AuditObjectType
from safehub.audit.services import record_access
from safehub.missing import rules
from safehub.missing.models import Alert, FlaggedLocation, MissingProfile
from safehub.missing.selectors import flagged_places
from safehub.missing.services import too_long
from safehub.people.models import Person
from safehub.people.validators import normalise_postcode, postcode_problem
from safehub.refusals import Refused
from safehub.versioning import Change, StaleEdit, history_since, save_if_current


@dataclass(frozen=True)
class ProfileDetails:
    description: str = ""
    photo_reference: str = ""
    associates: str = ""
    places_frequented: str = ""
    phone_numbers: str = ""
    social_media: str = ""
    medical: str = ""
    money_and_transport: str = ""


PROFILE_LIMITS = {"photo_reference": 200}
PROFILE_FIELDS = tuple(f.name for f in fields(ProfileDetails))
PROFILE_SAVED = "Philomena profile"


def profile_changes_since(profile_id: int, version: int) -> list[Change]:
    """Who saved the profile after `version` (0: before it existed), and what they changed."""
    return history_since(MissingProfile, profile_id, version, fields=PROFILE_FIELDS)


@transaction.atomic
def save_profile(
    *, actor: User, person: Person, details: ProfileDetails, read_version: int
) -> MissingProfile:
    """Create or update a child's Philomena profile from a form read at `read_version` (0 when
    the child had no profile yet).

    Refuses: an entirely empty profile, over-long fields (Refused); a save from a
    form read before someone else saved the profile, or created it (StaleEdit, carrying who
    changed what). Nothing is written when refused.
    """
    errors: dict[str, str] = {}
    values = {k: str(v).strip() for k, v in details.__dict__.items()}
    if not any(values.values()):
        errors["description"] = "Enter at least a description of the child"
    for name, value in values.items():
        too_long(errors, name, value, PROFILE_LIMITS.get(name, 5000), "This answer")
    if errors:
        raise Refused(errors)
    existing = MissingProfile.objects.filter(person=person).values_list("pk", flat=True).first()
    created = existing is None
    if existing is None:
        profile = MissingProfile(person=person, updated_by=actor, **values)
        profile._history_user = actor  # type: ignore[attr-defined]
        profile._change_reason = PROFILE_SAVED  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                profile.save()
        except IntegrityError:
            # Someone else created it a moment ago: theirs stands, and this user sees it.
            made = MissingProfile.objects.get(person=person)
            raise StaleEdit(profile_changes_since(made.pk, 0)) from None
    else:
        save_if_current(
            MissingProfile,
            pk=existing,
            read_version=read_version,
            fields={**values, "updated_by": actor, "updated_at": timezone.now()},
            actor=actor,
            what=PROFILE_SAVED,
            changes_since=lambda since: profile_changes_since(existing, since),
        )
        profile = MissingProfile.objects.get(pk=existing)
    record_access(
        user=actor,
        action=AuditAction.CREATE if created else AuditAction.CHANGE,
        object_type=AuditObjectType.MISSING_PROFILE,
        object_id=person.public_id,
        person_id=person.pk,
    )
    return profile


@transaction.atomic
def acknowledge_alert(*, actor: User, alert: Alert) -> Alert:
    """Mark an alert as seen by the CSE team. Refuses one already acknowledged."""
    if alert.acknowledged_at is not None:
        raise Refused({"alert": "This alert has already been acknowledged"})
    alert.acknowledged_by = actor
    alert.acknowledged_at = timezone.now()
    alert.save(update_fields=["acknowledged_by", "acknowledged_at"])
    record_access(
        user=actor,
        action=AuditAction.CHANGE,
        object_type=AuditObjectType.MISSING_ALERT,
        object_id=alert.public_id,
        person_id=alert.person_id,
        reason="acknowledged",
    )
    return alert


@transaction.atomic
def add_flagged_location(
    *, actor: User, name: str, postcode: str = "", note: str = ""
) -> FlaggedLocation:
    """Add a place to the CSE team's list. Refuses no name, a bad postcode, or a duplicate."""
    errors: dict[str, str] = {}
    name, postcode = name.strip(), postcode.strip()
    if not name:
        errors["name"] = "Enter the name of the place"
    too_long(errors, "name", name, 200, "The name")
    if postcode and postcode_problem(postcode):
        errors["postcode"] = "Enter a full UK postcode, like CV1 5RR, or leave it blank"
    elif name and rules.found_at_flagged_location(
        rules.EpisodeFacts(
            ref="", went_missing_at=timezone.now(), found_place=name, found_postcode=postcode
        ),
        flagged_places(),
    ):
        errors["name"] = "A place with this name or postcode is already on the list"
    if errors:
        raise Refused(errors)
    location = FlaggedLocation.objects.create(
        name=name,
        postcode=normalise_postcode(postcode) if postcode else "",
        note=note.strip(),
        added_by=actor,
    )
    record_access(
        user=actor,
        action=AuditAction.CREATE,
        object_type=AuditObjectType.FLAGGED_LOCATION,
        object_id=location.public_id,
    )
    return location


@transaction.atomic
def remove_flagged_location(*, actor: User, location: FlaggedLocation) -> FlaggedLocation:
    """Take a place off the list (kept, marked removed, so past alerts still make sense)."""
    if not location.active:
        raise Refused({"location": "This place is no longer on the list"})
    location.active = False
    location.removed_by = actor
    location.removed_at = timezone.now()
    location.save(update_fields=["active", "removed_by", "removed_at"])
    record_access(
        user=actor,
        action=AuditAction.CHANGE,
        object_type=AuditObjectType.FLAGGED_LOCATION,
        object_id=location.public_id,
        reason="removed from the list",
    )
    return location
