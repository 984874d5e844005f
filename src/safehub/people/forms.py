"""Reading a child's details from a GOV.UK form (shared validation with the API)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from safehub.govuk_forms import date_from_parts
from safehub.people.services import PersonDetails, validate_person_details
from safehub.refusals import Refused

PERSON_FIELDS = (
    "given_name",
    "family_name",
    "known_as",
    "sex",
    "ethnicity",
    "nhs_number",
    "upn",
    "address_line1",
    "postcode",
    "school_id",
)


def person_details_from_post(
    post: Mapping[str, Any], *, today: date
) -> tuple[PersonDetails | None, dict[str, str], dict[str, Any]]:
    """Validate the child-details form. Returns (details or None, errors, values to re-show)."""
    values: dict[str, Any] = {f: str(post.get(f, "")).strip() for f in PERSON_FIELDS}
    for part in ("day", "month", "year"):
        values[f"date_of_birth_{part}"] = str(post.get(f"date_of_birth-{part}", "")).strip()
    dob, dob_error = date_from_parts(post, "date_of_birth")
    data = dict(values, date_of_birth=dob)
    try:
        details = validate_person_details(data, today=today)
    except Refused as exc:
        errors = dict(exc.errors)
        if dob_error:
            errors["date_of_birth"] = dob_error
        return None, errors, values
    if dob_error:
        return None, {"date_of_birth": dob_error}, values
    return details, {}, values
