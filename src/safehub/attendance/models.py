"""School attendance as the schools' systems export it, one row per pupil per school week."""

from __future__ import annotations

from django.db import models


class AttendanceWeek(models.Model):
    """A pupil's ten sessions in one school week (DfE attendance codes, Monday AM first).

    Keyed as the source keys it: UPN, school and week. `person` is the pupil's record when
    the UPN is known to Safehub. Each row knows the import and the file row it came from.
    """

    upn = models.CharField("Unique Pupil Number", max_length=13)
    school = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    week_commencing = models.DateField()
    sessions = models.CharField(max_length=10)
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attendance_weeks",
    )
    import_run = models.ForeignKey(
        "imports.ImportRun", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_row = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["upn", "school", "week_commencing"], name="attendance_week_unique"
            )
        ]
        indexes = [models.Index(fields=["school", "week_commencing"])]

    def __str__(self) -> str:
        return f"{self.week_commencing}: {self.sessions}"
