"""Code lists for police intelligence (DOMAIN.md sections 2.7, 2.8 and 5)."""

from __future__ import annotations

from django.db import models


class LocationKind(models.TextChoices):
    HOTEL = "hotel", "Hotel or B&B"
    TAKEAWAY = "takeaway", "Takeaway or restaurant"
    PARK = "park", "Park or open space"
    HOUSE = "house", "House or flat"
    SHOP = "shop", "Shop"
    SHOPPING_CENTRE = "shopping_centre", "Shopping centre"
    CAR_PARK = "car_park", "Car park"
    CHILDRENS_HOME = "childrens_home", "Children's home"
    TAXI_FIRM = "taxi_firm", "Taxi or private hire firm"
    LICENSED_PREMISES = "licensed_premises", "Pub, bar or club"
    OTHER = "other", "Other place"


class PoiStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    CLOSED = "closed", "No longer of interest"


class AssociationKind(models.TextChoices):
    SEEN_WITH = "seen_with", "Seen with"
    SEEN_AT_LOCATION = "seen_at_location", "Seen at a location"
    SEEN_ENTERING_VEHICLE = "seen_entering_vehicle", "Seen entering a vehicle"
    ASSOCIATE = "associate", "Known associate"
    USES_VEHICLE = "uses_vehicle", "Uses or keeps a vehicle"
    LIVES_AT = "lives_at", "Lives or stays at"
    WORKS_AT = "works_at", "Works at"
    CONTACT_ONLINE = "contact_online", "In contact online or by phone"


class SourceEvaluation(models.TextChoices):
    """The 3x5x2 model (College of Policing APP, intelligence management): the source."""

    RELIABLE = "1", "1 – Reliable"
    UNTESTED = "2", "2 – Untested"
    NOT_RELIABLE = "3", "3 – Not reliable"


class IntelligenceAssessment(models.TextChoices):
    """The 3x5x2 model: the information itself."""

    KNOWN_DIRECTLY = "A", "A – Known directly to the source"
    CORROBORATED = "B", "B – Known indirectly to the source, but corroborated"
    KNOWN_INDIRECTLY = "C", "C – Known indirectly to the source"
    NOT_KNOWN = "D", "D – Not known"
    SUSPECTED_FALSE = "E", "E – Suspected to be false"


class HandlingCode(models.TextChoices):
    """The 3x5x2 model: how the intelligence may be shared."""

    LAWFUL_SHARING = "P", "P – Lawful sharing permitted"
    WITH_CONDITIONS = "C", "C – Lawful sharing permitted with conditions"


class DisruptionKind(models.TextChoices):
    CAWN = "cawn", "Child abduction warning notice"
    LETTER_OF_CONCERN = "letter_of_concern", "Letter to a person of concern"
    SEXUAL_RISK_ORDER = "sexual_risk_order", "Sexual risk order"
    SHPO = "shpo", "Sexual harm prevention order"
    HOTEL_NOTICE = "hotel_notice", "Hotel information notice"
    CLOSURE_NOTICE = "closure_notice", "Closure notice or order"
    INJUNCTION = "injunction", "Civil injunction"
    ARREST = "arrest", "Arrest"
    CHARGE = "charge", "Charge"
    LICENSING_REVIEW = "licensing_review", "Licensing review"
    PREMISES_VISIT = "premises_visit", "Premises visit"
    AWARENESS_VISIT = "awareness_visit", "Awareness visit (hotel, takeaway, taxi firm)"


# Disruptions served on a person; those against a place; a CAWN also names a child.
PERSON_DISRUPTIONS = frozenset(
    {
        DisruptionKind.CAWN,
        DisruptionKind.LETTER_OF_CONCERN,
        DisruptionKind.SEXUAL_RISK_ORDER,
        DisruptionKind.SHPO,
        DisruptionKind.INJUNCTION,
        DisruptionKind.ARREST,
        DisruptionKind.CHARGE,
    }
)
PLACE_DISRUPTIONS = frozenset(
    {
        DisruptionKind.HOTEL_NOTICE,
        DisruptionKind.CLOSURE_NOTICE,
        DisruptionKind.PREMISES_VISIT,
        DisruptionKind.AWARENESS_VISIT,
    }
)
# A licensing review may be of a person (a driver) or a place (premises).
CHILD_NAMED = frozenset({DisruptionKind.CAWN})


class DisruptionOutcome(models.TextChoices):
    PENDING = "pending", "Pending"
    SERVED = "served", "Served or done"
    GRANTED = "granted", "Order granted"
    REFUSED = "refused", "Refused or not granted"
    BREACHED = "breached", "Breached"
    NO_FURTHER_ACTION = "nfa", "No further action"
    CHARGED = "charged", "Charged"
    CONVICTED = "convicted", "Convicted"
