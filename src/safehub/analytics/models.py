"""Published comparator figures (DfE and ONS): aggregates for every English authority.

No personal data: counts and populations by area and year, imported unchanged from the files
in `analytics/data/dfe/` (or newer releases in the same layout) through the import framework.
Every figure keeps the import run that last wrote it, so a rate can say which file it used.
"""

from __future__ import annotations

from django.db import models


class Level(models.TextChoices):
    NATIONAL = "national", "England"
    REGIONAL = "regional", "Region"
    AUTHORITY = "authority", "Local authority"


class FigureStatus(models.TextChoices):
    """Why a published cell holds no number. A zero is a number, never one of these."""

    PUBLISHED = "", "Published"
    SUPPRESSED = "c", "Suppressed (small number)"
    NOT_COLLECTED = "x", "Not collected or not available"
    LOW_RELIABILITY = "u", "Low reliability"
    NOT_APPLICABLE = "z", "Not applicable"


class Factor(models.TextChoices):
    """Assessment factors (Children in Need census table C3) Safehub keeps."""

    CSE = "cse", "Child sexual exploitation"
    CCE = "cce", "Child criminal exploitation"
    MISSING = "missing", "Going missing"
    TRAFFICKING = "trafficking", "Trafficking"
    GANGS = "gangs", "Gangs"
    ANY = "any", "Episodes with any assessment factor"


class NeedMeasure(models.TextChoices):
    """Children in need counts (table B1) Safehub keeps."""

    ANYPOINT_EPISODES = "anypoint_episodes", "Episodes at any point in the year"
    ANYPOINT_CHILDREN = "anypoint_children", "Children in need at any point in the year"
    STARTED_EPISODES = "started_episodes", "Episodes started in the year"
    STARTED_CHILDREN = "started_children", "Children starting an episode in the year"
    ENDED_EPISODES = "ended_episodes", "Episodes ended in the year"
    ENDED_CHILDREN = "ended_children", "Children ending an episode in the year"
    AT_31_MARCH = "at31_episodes", "Episodes open at 31 March"
    AWAITING_ASSESSMENT = "awaiting_assessment", "Awaiting assessment at 31 March"


class Closeness(models.TextChoices):
    EXTREMELY_CLOSE = "extremely close", "Extremely close"
    VERY_CLOSE = "very close", "Very close"
    CLOSE = "close", "Close"
    SOMEWHAT_CLOSE = "somewhat close", "Somewhat close"
    NOT_CLOSE = "not close", "Not close"
    NOT_STATED = "", "Not stated in the file"


class PublishedAuthority(models.Model):
    """An English local authority as the DfE files name it (by its old three-digit code)."""

    old_la_code = models.CharField(max_length=3, unique=True)
    new_la_code = models.CharField(max_length=9, blank=True)  # the latest E-code seen
    name = models.CharField(max_length=120)
    region_code = models.CharField(max_length=9, blank=True)
    region_name = models.CharField(max_length=60, blank=True)
    # The reporting or mid-year of the row these names came from: a newer year's names win.
    named_in = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "published authorities"

    def __str__(self) -> str:
        return f"{self.name} ({self.old_la_code})"


class PublishedFigure(models.Model):
    """One published cell: an area (England, a region or an authority), a year, a value."""

    level = models.CharField(max_length=10, choices=Level.choices)
    # Old three-digit code for an authority, the E12/E13 code for a region, E92000001 England.
    area_code = models.CharField(max_length=9)
    area_name = models.CharField(max_length=120)
    year = models.PositiveSmallIntegerField()
    value = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=1, choices=FigureStatus.choices, default=FigureStatus.PUBLISHED, blank=True
    )
    import_run = models.ForeignKey("imports.ImportRun", on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.area_code} {self.year}: {self.shown}"

    @property
    def shown(self) -> str:
        """The value as the publication shows it: a number, or its letter (c, x, u, z)."""
        return str(self.value) if self.value is not None else self.status


class ChildPopulation(PublishedFigure):
    """Children aged 0-17, ONS mid-year estimate for `year` (the mid-year, 30 June)."""

    # Which estimate series this is (ONS revises back-series, e.g. after Census 2021).
    vintage = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area_code", "year"], name="one_population_per_year")
        ]


class AssessmentFactorCount(PublishedFigure):
    """Table C3: assessment episodes ending in the reporting year (to 31 March `year`) in which
    the factor was recorded. Episodes, not children."""

    factor = models.CharField(max_length=12, choices=Factor.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["area_code", "year", "factor"], name="one_factor_count_per_year"
            )
        ]
        indexes = [models.Index(fields=["factor", "year", "level"])]


class ChildrenInNeedCount(PublishedFigure):
    """Table B1: children in need counts for the reporting year to 31 March `year`."""

    measure = models.CharField(max_length=20, choices=NeedMeasure.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["area_code", "year", "measure"], name="one_need_count_per_year"
            )
        ]


class StatisticalNeighbour(models.Model):
    """One of an authority's ten DfE statistical neighbours in one model (2021, 2025...)."""

    model_year = models.PositiveSmallIntegerField()
    authority_code = models.CharField(max_length=3)  # old three-digit code
    rank = models.PositiveSmallIntegerField()  # 1 = closest
    neighbour_code = models.CharField(max_length=3)
    closeness = models.CharField(max_length=20, choices=Closeness.choices, blank=True)
    import_run = models.ForeignKey("imports.ImportRun", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["model_year", "authority_code", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["model_year", "authority_code", "rank"], name="one_neighbour_per_rank"
            )
        ]

    def __str__(self) -> str:
        return f"SN {self.model_year} {self.authority_code} #{self.rank}: {self.neighbour_code}"
