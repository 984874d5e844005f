"""Code lists for the DBS and training register and awareness raising (DOMAIN.md section 7)."""

from __future__ import annotations

from django.db import models


class DbsLevel(models.TextChoices):
    """DBS certificate levels, lowest first: a higher level satisfies a lower requirement."""

    BASIC = "basic", "Basic"
    STANDARD = "standard", "Standard"
    ENHANCED = "enhanced", "Enhanced"
    ENHANCED_BARRED = "enhanced_barred_lists", "Enhanced with barred lists"


DBS_ORDER = [DbsLevel.BASIC, DbsLevel.STANDARD, DbsLevel.ENHANCED, DbsLevel.ENHANCED_BARRED]


class DbsResult(models.TextChoices):
    """What Safehub keeps of a certificate's content: never the disclosed information itself."""

    CLEAR = "clear", "Clear"
    DISCLOSED = "disclosed", "Information disclosed — decision recorded"


class StatusCheckResult(models.TextChoices):
    """The answer of a DBS Update Service status check."""

    NO_CHANGE = "no_change", "No change: the certificate is current"
    CHANGED = "changed", "Changed: a new certificate is needed"


class CourseKind(models.TextChoices):
    CSE_AWARENESS = "cse_awareness", "CSE awareness"
    SAFEGUARDING_1 = "safeguarding_1", "Safeguarding level 1"
    SAFEGUARDING_2 = "safeguarding_2", "Safeguarding level 2"
    SAFEGUARDING_3 = "safeguarding_3", "Safeguarding level 3"
    OTHER = "other", "Other"


# Courses that meet the "CSE/safeguarding training" condition (licences and coverage).
CSE_COURSE_KINDS = frozenset(
    {
        CourseKind.CSE_AWARENESS,
        CourseKind.SAFEGUARDING_1,
        CourseKind.SAFEGUARDING_2,
        CourseKind.SAFEGUARDING_3,
    }
)


class StaffKind(models.TextChoices):
    STAFF = "staff", "Council staff"
    COUNCILLOR = "councillor", "Councillor"


class Audience(models.TextChoices):
    """Who an awareness-raising session was for."""

    PARENTS = "parents_carers", "Parents and carers"
    SCHOOLS = "young_people_schools", "Young people in schools"
    HOTELS = "hotels", "Hotels"
    TAXI_FIRMS = "taxi_firms", "Taxi firms"
    FAST_FOOD = "fast_food", "Fast-food outlets"
    GOVERNORS = "governors_heads", "School governors and heads"
