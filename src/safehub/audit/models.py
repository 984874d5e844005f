"""The append-only access log.

Rows are only ever inserted. The model refuses updates and deletes, and a database trigger
(PostgreSQL and SQLite alike, see the migrations) refuses them even from raw SQL.
"""

from __future__ import annotations

from typing import Any

from django.db import models


class AuditAction(models.TextChoices):
    VIEW = "view", "Viewed"
    SEARCH = "search", "Searched"
    CREATE = "create", "Created"
    CHANGE = "change", "Changed"
    EXPORT = "export", "Exported"
    BREAK_GLASS = "break_glass", "Break-glass access"
    DENIED = "denied", "Access refused"


class AuditObjectType(models.TextChoices):
    """What an access-log row is about: a closed set, so every row can be read and reported.

    The stored values are the strings the log has always held; add a member here (and a
    migration) before recording a new kind of object.
    """

    ACTION_TRACKER = "action_tracker", "Meeting action tracker"
    ASSOCIATION = "association", "Intelligence association"
    ATTENDANCE_ALERT = "attendance_alert", "Attendance alert"
    ATTENDANCE_ALERTS = "attendance_alerts", "Attendance alerts list"
    ATTENDANCE_RULES_REVIEW = "attendance_rules_review", "Attendance rules review"
    BREAK_GLASS_REVIEW = "break_glass_review", "Break-glass review"
    CASE = "case", "Case"
    CASE_FORM = "case_form", "Case form"
    CASELOAD = "caseload", "Caseload"
    CHRONOLOGY = "chronology", "Chronology"
    CHRONOLOGY_CSV = "chronology_csv", "Chronology spreadsheet"
    CHRONOLOGY_SAFE_DOCUMENT = "chronology_safe_document", "Chronology safe document"
    DELIVERY_PLAN_CSV = "delivery_plan_csv", "Delivery plan spreadsheet (CSV)"
    DELIVERY_PLAN_XLSX = "delivery_plan_xlsx", "Delivery plan spreadsheet (Excel)"
    DISRUPTION = "disruption", "Disruption"
    DRIVER = "driver", "Licensed driver"
    FLAGGED_LOCATION = "flagged_location", "Flagged location"
    FORWARD_PLAN_ITEM = "forward_plan_item", "Forward plan item"
    GOVERNANCE_MEETING = "governance_meeting", "Governance meeting"
    IMPORT_REJECTED_ROWS = "import_rejected_rows", "Rejected rows of an import"
    IMPORT_RUN = "import_run", "Import"
    INTEL_LOCATION = "intel_location", "Intelligence location"
    INTEL_VEHICLE = "intel_vehicle", "Intelligence vehicle"
    INTELLIGENCE = "intelligence", "Intelligence"
    JUDGEMENT_APPROVALS = "judgement_approvals", "Judgements awaiting approval"
    LICENCE_OVERRIDE = "licence_override", "Licence override"
    LICENSING_DECISION = "licensing_decision", "Licensing decision"
    LINKAGE = "linkage", "Record linkage decision"
    LINKAGE_CLUSTER = "linkage_cluster", "Linked records"
    LINKAGE_REVIEW_PAIR = "linkage_review_pair", "Possible match for review"
    MEETING = "meeting", "Meeting"
    MEETING_ACTION = "meeting_action", "Meeting action"
    MEETINGS = "meetings", "Meetings list"
    MISSING_ALERT = "missing_alert", "Missing alert"
    MISSING_ALERTS = "missing_alerts", "Missing alerts list"
    MISSING_EPISODE = "missing_episode", "Missing episode"
    MISSING_EPISODE_FORM = "missing_episode_form", "Missing episode form"
    MISSING_FINDINGS = "missing_findings", "Missing findings"
    MISSING_FOUND_FORM = "missing_found_form", "Found form"
    MISSING_HISTORY = "missing_history", "Missing history"
    MISSING_PROFILE = "missing_profile", "Missing profile"
    MISSING_RECORD = "missing_record", "Missing record"
    NATIONAL_REGISTER_ENTRY = "national_register_entry", "National register entry"
    OWN_SUBMISSIONS = "own_submissions", "Own submissions"
    PERSON = "person", "Person's record"
    PERSON_OF_INTEREST = "person_of_interest", "Person of interest"
    PERSON_SEARCH = "person_search", "Person search"
    PLAN_ACTION = "plan_action", "Plan action"
    PLAN_EVIDENCE = "plan_evidence", "Plan evidence"
    PLAN_MEASURE = "plan_measure", "Plan measure"
    PLAN_MEASURE_READING = "plan_measure_reading", "Plan measure reading"
    PROBLEM_PROFILE = "problem_profile", "Problem profile"
    PROGRESS_REPORT = "progress_report", "Progress report"
    PROGRESS_REPORT_HTML = "progress_report_html", "Progress report page"
    PROGRESS_REPORT_PDF = "progress_report_pdf", "Progress report (PDF)"
    REFERRAL = "referral", "Referral"
    REFERRAL_QUEUE = "referral_queue", "MASH referral queue"
    RESOLUTION = "resolution", "Resolution"
    RETURN_INTERVIEW = "return_interview", "Return home interview"
    RETURN_INTERVIEWS_DUE = "return_interviews_due", "Return home interviews due"
    SCHOOL_ASSIGNMENT = "school_assignment", "School assignment"
    SCREENING = "screening", "Screening"
    SENIOR_LICENSING_OFFICER = "senior_licensing_officer", "Senior licensing officer"
    STAFF_MEMBER = "staff_member", "Staff member"
    TASK_LIST = "task_list", "Task list"
    TEAM_CASELOAD = "team_caseload", "Team caseload"
    TWO_FACTOR_ENROLMENT = "two_factor_enrolment", "Two-factor enrolment"
    USER_ACCOUNT = "user_account", "User account"
    WORKFORCE_GAPS = "workforce_gaps", "Workforce gaps"


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an access-log row."""


class AccessEventQuerySet(models.QuerySet["AccessEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("the access log is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("the access log is append-only")


class AccessEvent(models.Model):
    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # No foreign keys: the log must outlive the rows it describes and never cascade.
    user_id = models.BigIntegerField(null=True)
    username = models.CharField(max_length=150)
    agency_name = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(max_length=60, choices=AuditObjectType.choices)
    object_id = models.CharField(max_length=64, blank=True)
    person_id = models.BigIntegerField(null=True, db_index=True)
    reason = models.TextField(blank=True)
    request_id = models.CharField(max_length=32, blank=True)
    channel = models.CharField(max_length=10, default="web")

    objects = AccessEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["person_id", "-occurred_at"])]

    def __str__(self) -> str:
        did, what = self.get_action_display(), self.get_object_type_display()
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.username} {did} {what}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("the access log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("the access log is append-only")
