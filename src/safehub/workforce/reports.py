"""The coverage report as data, CSV and PDF. Counts only: no names leave through these."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string

from safehub.spreadsheets import safe_cell
from safehub.workforce import selectors
from safehub.workforce.rules import CoverageRow


@dataclass(frozen=True)
class CoverageReport:
    on: date
    rows: list[CoverageRow]
    trend: list[selectors.TrendPoint]


def build(on: date, *, trend: bool = True) -> CoverageReport:
    """Today's coverage by group and section, and (optionally) at recent quarter ends."""
    return CoverageReport(
        on, selectors.coverage_on(on), selectors.coverage_trend(on) if trend else []
    )


def _share(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def as_csv(report: CoverageReport) -> str:
    """One line per date, group and section (section "All" is the group's total)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "as_at",
            "group",
            "section",
            "people",
            "valid_dbs",
            "valid_dbs_percent",
            "valid_cse_training",
            "valid_cse_training_percent",
            "both",
            "both_percent",
        ]
    )
    points = report.trend or [selectors.TrendPoint(report.on, report.rows)]
    for point in points:
        for row in point.rows:
            for section in [row, *row.sections.values()]:
                writer.writerow(
                    [
                        point.on.isoformat(),
                        safe_cell(row.label),
                        "All" if section is row else safe_cell(section.label),
                        section.people,
                        section.dbs,
                        _share(section.dbs_share),
                        section.training,
                        _share(section.training_share),
                        section.both,
                        _share(section.both_share),
                    ]
                )
    return out.getvalue()


def as_pdf(report: CoverageReport) -> bytes:
    """The report as a PDF for committee papers (WeasyPrint, no external resources)."""
    from weasyprint import HTML

    html = render_to_string("workforce/coverage_pdf.html", {"r": report})
    return bytes(HTML(string=html).write_pdf())
