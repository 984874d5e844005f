"""Code lists for missing episodes and return home interviews (DOMAIN.md section 3)."""

from __future__ import annotations

from django.db import models


class MissingFrom(models.TextChoices):
    HOME = "home", "Home"
    CARE = "care", "Care (a looked-after child)"


class PoliceCategory(models.TextChoices):
    """The police distinction (APP 2017): 'absent' is the no-apparent-risk category."""

    MISSING = "missing", "Missing"
    ABSENT = "absent", "Absent"


class DfECode(models.TextChoices):
    """SSDA903 coding for looked-after children's episodes."""

    MISSING = "M", "M: missing (whereabouts unknown)"
    AWAY = "A", "A: away from placement without authorisation"


class RiskGrading(models.TextChoices):
    NO_APPARENT_RISK = "no_apparent_risk", "No apparent risk"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class InterviewResponse(models.TextChoices):
    NOT_YET = "not_yet", "Not answered yet"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class PushFactor(models.TextChoices):
    """Why the child left: what pushed them away from home or placement."""

    CONFLICT = "conflict", "Conflict or arguments at home or placement"
    PLACEMENT = "placement", "Unhappy with placement or placement breakdown"
    ABUSE = "abuse_neglect", "Abuse or neglect"
    BOUNDARIES = "boundaries", "Rules and boundaries"
    SCHOOL = "school", "Problems at school, including bullying"
    MENTAL_HEALTH = "mental_health", "Emotional or mental health"
    SUBSTANCES = "substances", "Alcohol or drug use at home"
    LOSS = "loss", "Bereavement or loss"
    OTHER = "other", "Something else"


class PullFactor(models.TextChoices):
    """What drew the child away: people, places and things outside."""

    FRIENDS = "friends", "Spending time with friends"
    PARTNER = "partner", "A boyfriend or girlfriend"
    OLDER_PEOPLE = "older_people", "Older people or adults"
    FAMILY = "family", "Wanting to be with family members"
    GIFTS = "gifts", "Gifts, money, alcohol or drugs"
    PARTIES = "parties", "Parties"
    GANGS = "gangs", "Gangs or criminal exploitation"
    ONLINE = "online", "Someone met online"
    OTHER = "other", "Something else"


class Trigger(models.TextChoices):
    """The rules in rules.py that raise an alert for the CSE team."""

    REPEAT_EPISODES = "repeat_episodes", "Repeat missing episodes"
    FLAGGED_LOCATION = "flagged_location", "Found at a flagged location"
    HIGH_RISK = "high_risk", "Graded high risk"
    RHI_EXPLOITATION = "rhi_exploitation", "Exploitation concerns in a return interview"


class MentionKind(models.TextChoices):
    PLACE = "place", "Place"
    ASSOCIATE = "associate", "Person (associate)"
