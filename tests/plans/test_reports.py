"""Progress reports: correct counts, what changed, overdue and outstanding, no child's data;
the PDF and the plan's CSV and Excel exports."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from safehub.accounts.models import User
from safehub.demo.city.names import NamePicker
from safehub.people.models import Person
from safehub.plans import governance_services, reports, services
from safehub.plans.rules import Rag
from safehub.policy.roles import Role
from safehub.refusals import Refused
from tests.factories import make_screening, make_user
from tests.plans.helpers import ago, make_action, make_body, make_lead, make_owner, make_plan

pytestmark = pytest.mark.django_db


def build_plan() -> tuple[object, User, User]:
    """A plan with one action of each rating, a resolution outstanding and a measure."""
    lead, owner = make_lead(), make_owner()
    plan = make_plan(lead=lead)
    today = timezone.localdate()
    make_action(plan, owner, lead=lead, title="Green one", start=today, now=ago(20))
    late = make_action(
        plan,
        owner,
        lead=lead,
        title="Late one",
        start=today - timedelta(days=60),
        due=today - timedelta(days=3),
        now=ago(60),
    )
    services.record_update(
        actor=owner,
        action=late,
        read_version=late.version,
        note="Behind",
        progress=30,
        status="in_progress",
        now=ago(2),
    )
    done = make_action(plan, owner, lead=lead, title="Done one", now=ago(40))
    services.record_update(
        actor=owner,
        action=done,
        read_version=done.version,
        note="Finished",
        progress=100,
        status="complete",
        now=ago(1),
    )
    make_action(
        plan, owner, lead=lead, title="Stale one", start=today - timedelta(days=90), now=ago(90)
    )
    measure = services.add_measure(actor=lead, action=done, name="Schools using the tool")
    for days, value in ((60, "4"), (30, "9"), (1, "15")):
        services.add_reading(
            actor=lead, measure=measure, taken_on=today - timedelta(days=days), value=value
        )
    return plan, lead, owner


def issue(plan: object, lead: User, body: object = None) -> object:
    today = timezone.localdate()
    return governance_services.issue_report(
        actor=lead,
        plan=plan,  # type: ignore[arg-type]
        body=body or make_body("Test Scrutiny Board"),  # type: ignore[arg-type]
        period_start=today - timedelta(days=30),
        period_end=today,
    )


def test_report_counts_changes_overdue_measures_and_resolutions() -> None:
    plan, lead, owner = build_plan()
    body = make_body("Test Scrutiny Board")
    governance_services.record_resolution(
        actor=lead,
        body=body,
        text="Write to all school governors",
        resolved_on=timezone.localdate() - timedelta(days=10),
        objective=plan.objectives.first(),  # type: ignore[attr-defined]
        owner=owner,
        due_date=timezone.localdate() + timedelta(days=30),
        now=ago(10),
    )
    contents = reports.build_report(issue(plan, lead, body))  # type: ignore[arg-type]
    # Late: red. Stale, and the resolution's action not started 10 days in: amber.
    assert contents.counts == {Rag.RED: 1, Rag.AMBER: 2, Rag.GREEN: 1, Rag.BLUE: 1}
    assert contents.total == 5
    assert [a.title for a in contents.overdue] == ["Late one"]
    assert "Test User" in contents.overdue[0].owner
    assert [c.current.title for c in contents.changes.closed] == ["Done one"]
    assert sorted(c.current.title for c in contents.changes.added) == [
        "Green one",
        "Write to all school governors",
    ]
    assert [s.resolution.text for s in contents.resolutions] == ["Write to all school governors"]
    [measure] = contents.measures
    assert measure.direction == "up" and measure.latest == "15"


def test_report_holds_no_child_data(client_for: Callable[[User], Client]) -> None:
    plan, lead, _ = build_plan()
    # Children of the synthetic city are in the database, screened and referred.
    screener = make_user(Role.REFERRER)
    names = NamePicker(random.Random(2015))
    for sex in ("female", "male") * 4:
        ethnicity = names.ethnicity()
        given, family = names.given(ethnicity, sex), names.family(ethnicity)
        submission = make_screening(screener, missing_repeat="current")
        Person.objects.filter(pk=submission.screening.person_id).update(
            given_name=given, family_name=family
        )
    report = issue(plan, lead)
    board = make_user(Role.BOARD_MEMBER)
    html = client_for(board).get(reverse("plans:report", args=[report.public_id])).content
    text = html.decode()
    for person in Person.objects.all():
        assert f"{person.given_name} {person.family_name}" not in text
        assert str(person.public_id) not in text
        assert person.date_of_birth.strftime("%d/%m/%Y") not in text
    # Progress notes (free text) are never in a report.
    assert "Behind" not in text and "Finished" not in text


def test_report_pdf_and_web_page(client_for: Callable[[User], Client]) -> None:
    plan, lead, _ = build_plan()
    report = issue(plan, lead)
    board = client_for(make_user(Role.BOARD_MEMBER))
    page = board.get(reverse("plans:report", args=[report.public_id]))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'data-rag="red">1<' in text and 'data-rag="amber">1<' in text
    assert "<svg" in text and "style=" not in text.split("<main", 1)[1]
    pdf = board.get(reverse("plans:report_pdf", args=[report.public_id]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_exports_have_a_row_per_action_and_quote_formulas(
    client_for: Callable[[User], Client],
) -> None:
    plan, lead, owner = build_plan()
    make_action(plan, owner, lead=lead, title='=HYPERLINK("http://example.invalid")')
    client = client_for(make_user(Role.BOARD_MEMBER))
    body = client.get(reverse("plans:export_csv", args=[plan.public_id])).content.decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["Objective", "Action", "Owner"]
    assert len(rows) == 1 + 5
    assert '\'=HYPERLINK("http://example.invalid")' in [r[1] for r in rows]
    xlsx = client.get(reverse("plans:export_xlsx", args=[plan.public_id]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None and sheet.max_row == 1 + 5


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (None, 0, "period_start"),
        (0, None, "period_end"),
        (0, -5, "period_end"),
        (0, 3, "period_end"),
    ],
)
def test_issuing_a_report_refuses_bad_periods(
    start: int | None, end: int | None, field: str
) -> None:
    plan, lead, _ = build_plan()
    today = timezone.localdate()
    with pytest.raises(Refused) as refused:
        governance_services.issue_report(
            actor=lead,
            plan=plan,  # type: ignore[arg-type]
            body=make_body(),
            period_start=None if start is None else today + timedelta(days=start),
            period_end=None if end is None else today + timedelta(days=end),
        )
    assert field in refused.value.errors
    assert not plan.reports.exists()  # type: ignore[attr-defined]


def test_an_action_with_no_deadline_is_reported_but_never_overdue(
    client_for: Callable[[User], Client],
) -> None:
    plan, lead, owner = build_plan()
    make_action(
        plan,
        owner,
        lead=lead,
        title="Undated one",
        start=timezone.localdate() - timedelta(days=200),
        no_deadline=True,
        now=ago(200),
    )
    report = issue(plan, lead)
    contents = reports.build_report(report)  # type: ignore[arg-type]
    assert [a.title for a in contents.overdue] == ["Late one"]
    [undated] = [a for a in contents.actions if a.title == "Undated one"]
    assert undated.due_date is None and undated.rating is Rag.AMBER
    # Within its objective it comes after every dated action.
    assert contents.actions[-1] is undated
    board = client_for(make_user(Role.BOARD_MEMBER))
    text = board.get(reverse("plans:report", args=[report.public_id])).content.decode()
    assert "No deadline set" in text and ">None<" not in text
    pdf = board.get(reverse("plans:report_pdf", args=[report.public_id]))
    assert pdf.content.startswith(b"%PDF")
    body = board.get(reverse("plans:export_csv", args=[plan.public_id])).content.decode()
    rows = {r[1]: r for r in csv.reader(io.StringIO(body))}
    due_column = rows["Action"].index("Due date")
    assert rows["Undated one"][due_column] == "No deadline set"
    assert rows["Undated one"][rows["Action"].index("RAG rule")].startswith("No deadline set: ")
    xlsx = board.get(reverse("plans:export_xlsx", args=[plan.public_id]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    values = {row[1]: row for row in sheet.iter_rows(values_only=True)}
    assert values["Undated one"][due_column] == "No deadline set"
