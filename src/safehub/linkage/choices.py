"""Code lists for record linkage."""

from __future__ import annotations

from django.db import models


class Source(models.TextChoices):
    """The agencies whose people records are linked (their extract's name)."""

    SOCIAL_CARE = "social_care", "Children's social care"
    POLICE = "police", "Police"
    EDUCATION = "education", "Education"
    HEALTH = "health", "Health"


class Engine(models.TextChoices):
    DUCKDB = "duckdb", "DuckDB (this machine)"
    SPARK = "spark", "Apache Spark"


class RunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Finished"
    FAILED = "failed", "Failed"


class RunMode(models.TextChoices):
    FULL = "full", "All records"
    INCREMENTAL = "incremental", "New records against existing clusters"


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "To review"
    CONFIRMED = "confirmed", "Same person"
    REJECTED = "rejected", "Different people"
    # The pair is no longer between the thresholds after a later run, and nobody decided it.
    WITHDRAWN = "withdrawn", "No longer in doubt"


class DecisionVia(models.TextChoices):
    REVIEW = "review", "Clerical review of a pair"
    MERGE = "merge", "Clusters merged"
    SPLIT = "split", "Cluster split"


class LinkBasis(models.TextChoices):
    AUTOMATIC = "automatic", "Linked automatically"
    DECIDED = "decided", "Confirmed by a data officer"
    ALONE = "alone", "Linked to no other record"
