"""Progress reports and exports, built from the plan's history.

A report is rebuilt from the version history as the plan stood at the end of its period, so a
report issued last quarter reads the same today. It holds the partnership's work only: action
titles, staff owners and agencies, dates, ratings, measures and resolutions; never progress
notes or evidence (free text where someone might name a child), never a child's details.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from safehub.plans import charts, rules
from safehub.plans.models import DeliveryPlan, ForwardPlanItem, Measure, ProgressReport
from safehub.plans.rules import ActionSnapshot, PlanChanges, Rag, Status
from safehub.plans.selectors import (
    ActionRow,
    ResolutionState,
    end_of,
    plan_at,
    resolution_states,
)
from safehub.spreadsheets import safe_cell


@dataclass(frozen=True)
class MeasureTrend:
    name: str
    action: str
    figure: str
    target: str
    readings: list[tuple[date, float]]
    direction: str
    chart: SafeString

    @property
    def latest(self) -> str:
        return f"{self.readings[-1][1]:g}" if self.readings else ""


@dataclass(frozen=True)
class ReportContents:
    report: ProgressReport
    since: date  # "what changed" is measured from the end of this day
    since_report: ProgressReport | None
    actions: list[ActionSnapshot]
    counts: dict[Rag, int]
    chart: SafeString
    changes: PlanChanges
    overdue: list[ActionSnapshot]
    measures: list[MeasureTrend]
    resolutions: list[ResolutionState]
    forward: list[ForwardPlanItem]

    @property
    def total(self) -> int:
        return len(self.actions)


def _measures(plan: DeliveryPlan, upto: date) -> list[MeasureTrend]:
    trends = []
    measures = Measure.objects.filter(action__objective__plan=plan).select_related("action")
    for m in measures.prefetch_related("readings"):
        points = [(r.taken_on, float(r.value)) for r in m.readings.all() if r.taken_on <= upto]
        trends.append(
            MeasureTrend(
                name=m.name,
                action=m.action.title,
                figure=m.figure,
                target=f"{m.target:g}" if m.target is not None else "",
                readings=points,
                direction=rules.trend([v for _, v in points]),
                chart=mark_safe(charts.trend_line(points, title=m.name)),  # noqa: S308 - escaped
            )
        )
    return trends


def build_report(report: ProgressReport) -> ReportContents:
    """The contents of a progress report, as the plan stood at the end of the period.

    "What changed" runs from the end of the previous report to the same body (or the day
    before the period, for the first) to the end of this one.
    """
    plan, end = report.plan, report.period_end
    previous = (
        plan.reports.filter(body=report.body, period_end__lt=end)
        .order_by("-period_end", "-issued_at")
        .first()
    )
    since = previous.period_end if previous else report.period_start - timedelta(days=1)
    snapshot = plan_at(plan, end_of(end))
    actions = sorted(
        snapshot.values(), key=lambda a: (a.objective, rules.deadline_order(a.due_date), a.title)
    )
    counts = rules.rag_counts(a.rating for a in actions)
    changes = rules.compare(plan_at(plan, end_of(since)), snapshot)
    # An action with no deadline is never overdue.
    overdue = [
        a
        for a in actions
        if a.status != Status.COMPLETE and a.due_date is not None and a.due_date < end
    ]
    return ReportContents(
        report=report,
        since=since,
        since_report=previous,
        actions=actions,
        counts=counts,
        chart=mark_safe(charts.rag_bars(counts)),  # noqa: S308 - built from numbers and labels
        changes=changes,
        overdue=overdue,
        measures=_measures(plan, end),
        resolutions=[
            s for s in resolution_states(body=report.body, at=end_of(end)) if s.outstanding
        ],
        forward=list(
            report.body.forward.filter(received=False, expected_on__gt=end).order_by("expected_on")[
                :5
            ]
        ),
    )


def report_pdf(contents: ReportContents) -> bytes:
    """The report as a PDF (WeasyPrint), from the same template as the web page."""
    from weasyprint import HTML

    html = render_to_string("plans/report_document.html", {"r": contents})
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


EXPORT_COLUMNS = [
    "Objective",
    "Action",
    "Owner",
    "Agency",
    "Start date",
    "Due date",
    "Status",
    "Progress (%)",
    "RAG",
    "RAG rule",
    "Override reason",
    "Last update",
    "Resolution",
    "Success measure",
]


def export_rows(rows: list[ActionRow]) -> list[list[object]]:
    """The plan as rows for a spreadsheet, one per action, formula-like text quoted; an
    action with no deadline says "No deadline set" in the due date column."""
    out = []
    for row in rows:
        a, rag = row.action, row.rag
        resolution = a.resolution
        cells: list[object] = [
            a.objective.title,
            a.title,
            a.owner.get_full_name() or a.owner.username,
            a.owner_agency.name,
            a.start_date,
            a.due_date or rules.NO_DEADLINE,
            Status(a.status).label,
            a.progress,
            rag.rating.label + (" (overridden)" if rag.overridden else ""),
            rag.rule,
            rag.override_reason,
            row.last_update or "",
            f"{resolution.body.name}: {resolution.text}" if resolution else "",
            a.success_measure,
        ]
        out.append([safe_cell(c) for c in cells])
    return out


def plan_csv(rows: list[ActionRow]) -> str:
    """The plan as CSV text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    for cells in export_rows(rows):
        writer.writerow([c.isoformat() if isinstance(c, date) else c for c in cells])
    return buffer.getvalue()


def plan_xlsx(plan: DeliveryPlan, rows: list[ActionRow]) -> bytes:
    """The plan as an Excel workbook (one sheet, a header row, dates as dates)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Delivery plan"
    sheet.append(EXPORT_COLUMNS)
    for cells in export_rows(rows):
        sheet.append(cells)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
