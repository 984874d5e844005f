"""The licensing pages' own forms (safehub.govuk_forms): adding a driver, a national register
check, granting or renewing a licence, refusing or revoking. A DBS check, a status check and
a training record use the register's forms (`workforce.forms`, `workforce.record_forms`)."""

from __future__ import annotations

from typing import Any

from safehub.govuk_forms import DateField, ServiceChoiceField, text
from safehub.licensing.choices import BadgeType, RegisterResult
from safehub.licensing.services import DriverDetails
from safehub.workforce.forms import RegisterForm


class DriverForm(RegisterForm):
    badge_number = text("Badge number")
    given_name = text("First name")
    family_name = text("Last name")
    date_of_birth = DateField(label="Date of birth")
    badge_type = ServiceChoiceField(label="Badge type", options=BadgeType.choices)
    address_line1 = text("Address")
    postcode = text("Postcode")

    def details(self) -> DriverDetails:
        data: dict[str, Any] = self.cleaned_data
        return DriverDetails(
            badge_number=data["badge_number"].upper(),
            given_name=data["given_name"],
            family_name=data["family_name"],
            badge_type=data["badge_type"],
            date_of_birth=data["date_of_birth"],
            address_line1=data["address_line1"],
            postcode=data["postcode"].upper(),
        )


class RegisterCheckForm(RegisterForm):
    checked_on = DateField(label="Date of the check")
    result = ServiceChoiceField(label="Result", options=RegisterResult.choices)


class GrantForm(RegisterForm):
    badge_type = ServiceChoiceField(label="Badge type", options=BadgeType.choices)
    override_reason = text("Why the licence is granted although conditions are not met", rows=4)


class DecisionForm(RegisterForm):
    reason = text("Reasons for the decision", rows=5)
