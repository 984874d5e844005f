"""The roles a Safehub user can hold (DESIGN.md, "Users, agencies and need-to-know")."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    REFERRER = "referrer", "Referrer"
    MASH_OFFICER = "mash_officer", "MASH officer"
    CSE_PRACTITIONER = "cse_practitioner", "CSE practitioner"
    CSE_MANAGER = "cse_manager", "CSE manager"
    POLICE_INTELLIGENCE = "police_intelligence", "Police intelligence officer"
    POLICE_ANALYST = "police_analyst", "Police analyst"
    EDUCATION_WELFARE = "education_welfare_officer", "Education welfare officer"
    LICENSING_OFFICER = "licensing_officer", "Licensing officer"
    WORKFORCE_ADMIN = "workforce_admin", "Workforce administrator"
    ACTION_OWNER = "action_owner", "Action owner"
    # Runs imports and record linkage and resolves the clerical review queue; sees source
    # records for that purpose, not case work.
    DATA_OFFICER = "data_officer", "Data officer"
    BOARD_MEMBER = "board_member", "Board member"
    SYSTEM_ADMIN = "system_admin", "System administrator"


class AgencyType(models.TextChoices):
    COUNCIL = "council", "Council"
    POLICE = "police", "Police"
    SCHOOL = "school", "School"
    HEALTH = "health", "Health"
    YOUTH_SERVICE = "youth_service", "Youth service"
    VOLUNTARY = "voluntary", "Voluntary sector"
    LICENSING = "licensing", "Licensing"
