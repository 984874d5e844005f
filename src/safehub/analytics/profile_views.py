"""The problem profile in the browser, as CSV and as a PDF; the network as GraphML and SVG.

Police analysts and intelligence officers get the full profile (Action.PROFILE_VIEW); board
members and the CSE manager get the aggregate version (Action.PROFILE_AGGREGATE_VIEW), with
small numbers suppressed and no places, schools or network members. Every view and export is
written to the access log; the records a drill-down link opens audit themselves.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from safehub.analytics import snapshot
from safehub.analytics.profile import Audience, Profile, ScaleFigures, build_profile
from safehub.audit.models import AuditAction, AuditObjectType
from safehub.audit.reads import audited_read
from safehub.policy import Action, allows, require
from safehub.spreadsheets import safe_cell

# The periods a profile can cover, in months back from today.
PERIODS = (3, 6, 12, 24)
DEFAULT_PERIOD = 12

# Drill-down: which page opens each kind of key (analysts only; those pages check access
# and audit the read themselves). Children are not linked: a child's record is the CSE
# team's and the MASH's, not the police's (the policy would refuse them).
DRILL_DOWN = {
    "location": "intelligence:location",
    "vehicle": "intelligence:vehicle",
    "person_of_interest": "intelligence:person",
}


@dataclass(frozen=True)
class Request:
    audience: Audience
    months: int
    start_on: date
    end_on: date


def audience_for(user: object) -> Audience:
    """The full profile for the police; the aggregate one for the board and CSE manager."""
    if allows(user, Action.PROFILE_VIEW):
        return Audience.FULL
    require(user, Action.PROFILE_AGGREGATE_VIEW)
    return Audience.AGGREGATE


def parse(request: HttpRequest) -> Request:
    audience = audience_for(request.user)
    raw = request.GET.get("months", str(DEFAULT_PERIOD))
    offered = raw.isdecimal() and len(raw) < 4 and int(raw) in PERIODS
    months = int(raw) if offered else DEFAULT_PERIOD
    end_on = timezone.localdate()
    year, month = end_on.year, end_on.month - months
    while month < 1:
        month += 12
        year -= 1
    start_on = date(year, month, min(end_on.day, 28))
    return Request(audience, months, start_on, end_on)


def link(kind: str, key: str) -> str | None:
    name = DRILL_DOWN.get(kind)
    if name is None or not key:
        return None
    try:
        return reverse(name, kwargs={"public_id": key})
    except NoReverseMatch:
        return None


def scale_figures(on: date | None = None) -> ScaleFigures | None:
    """The published comparators for the profile's scale section, if they are imported."""
    from safehub.analytics.scale_summary import profile_scale

    return profile_scale(on)


def make_profile(req: Request) -> Profile:
    snap = snapshot.from_database(as_of=req.end_on)
    return build_profile(
        snap,
        start_on=req.start_on,
        end_on=req.end_on,
        audience=req.audience,
        scale=scale_figures(req.end_on),
        link=link,
    )


def _audit(request: HttpRequest, req: Request, action: AuditAction, what: str) -> None:
    audited_read(
        request.user,
        AuditObjectType.PROBLEM_PROFILE,
        action=action,
        object_id=f"{req.audience}:{req.months}m:{what}",
    )


@login_required
@require_GET
def profile(request: HttpRequest) -> HttpResponse:
    req = parse(request)
    result = make_profile(req)
    _audit(request, req, AuditAction.VIEW, "page")
    return render(
        request,
        "analytics/profile.html",
        {
            "p": result,
            "months": req.months,
            "periods": PERIODS,
            "full": req.audience == Audience.FULL,
        },
    )


def _csv_bytes(columns: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return out.getvalue()


@login_required
@require_GET
def table_csv(request: HttpRequest, table_id: str) -> HttpResponse:
    req = parse(request)
    table = make_profile(req).table(table_id)
    if table is None:
        raise Http404("No such table in the profile")
    _audit(request, req, AuditAction.EXPORT, f"csv:{table_id}")
    response = HttpResponse(_csv_bytes(table.columns, table.rows), content_type="text/csv")
    response["Content-Disposition"] = (
        f'attachment; filename="problem-profile-{table_id}-{req.end_on:%Y%m%d}.csv"'
    )
    return response


@login_required
@require_GET
def tables_zip(request: HttpRequest) -> HttpResponse:
    """Every table of the profile as CSV files in one zip."""
    req = parse(request)
    result = make_profile(req)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in result.tables():
            archive.writestr(f"{table.id}.csv", _csv_bytes(table.columns, table.rows))
    _audit(request, req, AuditAction.EXPORT, "csv-all")
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="problem-profile-{req.end_on:%Y%m%d}.zip"'
    )
    return response


@login_required
@require_GET
def profile_pdf(request: HttpRequest) -> HttpResponse:
    from weasyprint import HTML

    req = parse(request)
    result = make_profile(req)
    html = render_to_string(
        "analytics/profile_pdf.html",
        {"p": result, "months": req.months, "full": req.audience == Audience.FULL},
    )
    pdf = HTML(string=html).write_pdf()
    _audit(request, req, AuditAction.EXPORT, "pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="problem-profile-{req.end_on:%Y%m%d}.pdf"'
    )
    return response


def _network_profile(request: HttpRequest) -> tuple[Request, Profile]:
    require(request.user, Action.PROFILE_VIEW)
    req = parse(request)
    return req, make_profile(req)


EMPTY_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 400 60">'
    "<title>No intelligence network</title>"
    '<text x="10" y="35" font-size="14">No intelligence links people, places or vehicles.</text>'
    "</svg>"
)


@login_required
@require_GET
def network_graphml(request: HttpRequest) -> HttpResponse:
    import networkx as nx

    from safehub.analytics.networks import to_graphml

    req, result = _network_profile(request)
    if result.network is None:
        buffer = io.BytesIO()
        nx.write_graphml(nx.Graph(), buffer)
        data = buffer.getvalue()
    else:
        data = to_graphml(result.network_nodes, result.network_edges, result.network)
    _audit(request, req, AuditAction.EXPORT, "graphml")
    response = HttpResponse(data, content_type="application/graphml+xml")
    response["Content-Disposition"] = (
        f'attachment; filename="cse-network-{req.end_on:%Y%m%d}.graphml"'
    )
    return response


@login_required
@require_GET
def network_svg(request: HttpRequest) -> HttpResponse:
    req, result = _network_profile(request)
    svg = result.section("networks").figure or EMPTY_SVG
    _audit(request, req, AuditAction.EXPORT, "svg")
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Content-Disposition"] = f'attachment; filename="cse-network-{req.end_on:%Y%m%d}.svg"'
    return response
