"""Workforce administrators' pages: the staff register, DBS checks, training and sessions.

Thin: parse, ask the policy, call one service or selector. Opening a person's record is
written to the access log. Coverage reports are in `report_views`, awareness raising in
`awareness_views`.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from safehub.accounts.services import signed_in_user
from safehub.audit.models import AuditAction, AuditObjectType
from safehub.audit.reads import audited_read
from safehub.policy import Action, require
from safehub.refusals import Refused
from safehub.workforce import forms, record_forms, selectors, services
from safehub.workforce.choices import (
    DbsLevel,
)
from safehub.workforce.forms import AttendanceForm, CourseForm, SessionForm, StaffForm
from safehub.workforce.models import DbsCheck, StaffMember
from safehub.workforce.record_forms import posted
from safehub.workforce.rules import GROUP_LABELS


def member_or_404(public_id: Any) -> StaffMember:
    member = selectors.staff_by_public_id(public_id)
    if member is None:
        raise Http404("No such person on the register")
    return member


@login_required
@require_http_methods(["GET", "POST"])
def find(request: HttpRequest) -> HttpResponse:
    """Find someone on the register by name or staff number (posted: no names in URLs)."""
    require(request.user, Action.WORKFORCE_STAFF_FIND)
    query = forms.text(request.POST, "q")
    found = selectors.find_staff(query) if query else []
    if query:
        audited_read(
            request.user,
            AuditObjectType.STAFF_MEMBER,
            action=AuditAction.SEARCH,
            reason=f"staff search: {len(found)} found",
        )
    return render(request, "workforce/find.html", {"query": query, "found": found})


def _staff_form(request: HttpRequest, existing: StaffMember | None) -> HttpResponse:
    initial = StaffForm.initial_of(existing) if existing is not None else {}
    form = StaffForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.save_staff_member(
                actor=signed_in_user(request), details=form.details(), existing=existing
            )
        except Refused as exc:
            form.refuse(exc)
        else:
            messages.success(request, "Register updated")
            return redirect("workforce:staff", public_id=member.public_id)
    return render(request, "workforce/staff_form.html", {"member": existing, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def staff_new(request: HttpRequest) -> HttpResponse:
    """Add a member of staff or a councillor to the register."""
    require(request.user, Action.WORKFORCE_STAFF_RECORD)
    return _staff_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def staff_edit(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Change someone's details, such as whether their role works with children."""
    member = member_or_404(public_id)
    require(request.user, Action.WORKFORCE_STAFF_RECORD, member)
    return _staff_form(request, member)


@login_required
@require_GET
def staff(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Someone's record: group, the DBS level it needs, DBS checks, training and what is missing."""
    member = member_or_404(public_id)
    require(request.user, Action.WORKFORCE_STAFF_VIEW, member)
    audited_read(request.user, AuditObjectType.STAFF_MEMBER, object_id=member.public_id)
    standing = selectors.staff_standing(member.public_id, timezone.localdate())
    assert standing is not None
    context = {
        "member": standing.member,
        "standing": standing,
        "group_label": GROUP_LABELS[standing.group],
        "required_label": DbsLevel(standing.required_level).label
        if standing.required_level
        else "",
    }
    return render(request, "workforce/staff.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def dbs_new(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Record a DBS check: the result only, never what was disclosed."""
    member = member_or_404(public_id)
    require(request.user, Action.WORKFORCE_STAFF_RECORD, member)
    return record_forms.dbs_check_page(
        request,
        _record_holder(member),
        partial(services.record_staff_dbs, staff=member),
    )


@login_required
@require_http_methods(["GET", "POST"])
def status_check(request: HttpRequest, public_id: Any, check_id: Any) -> HttpResponse:
    """Record a DBS Update Service status check of one of the person's certificates."""
    member = member_or_404(public_id)
    require(request.user, Action.WORKFORCE_STAFF_RECORD, member)
    check = DbsCheck.objects.filter(staff=member, public_id=check_id).first()
    if check is None:
        raise Http404("No such DBS check")
    return record_forms.status_check_page(
        request,
        _record_holder(member),
        check,
        partial(services.record_staff_status_check, check=check),
    )


@login_required
@require_http_methods(["GET", "POST"])
def training_new(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Record a course the person completed."""
    member = member_or_404(public_id)
    require(request.user, Action.WORKFORCE_STAFF_RECORD, member)
    return record_forms.training_page(
        request, _record_holder(member), partial(services.record_staff_training, staff=member)
    )


def _record_holder(member: StaffMember) -> record_forms.RecordHolder:
    done_url = reverse("workforce:staff", kwargs={"public_id": member.public_id})
    return record_forms.RecordHolder("member", member, done_url)


@login_required
@require_http_methods(["GET", "POST"])
def courses(request: HttpRequest) -> HttpResponse:
    """The list of courses, and adding one."""
    require(request.user, Action.WORKFORCE_TRAINING_MANAGE)
    form = CourseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.create_course(**form.cleaned_data)
        except Refused as exc:
            form.refuse(exc)
        else:
            messages.success(request, "Course added")
            return redirect("workforce:courses")
    context = {"form": form, "courses": selectors.courses()}
    return render(request, "workforce/courses.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def sessions(request: HttpRequest) -> HttpResponse:
    """Training sessions, and arranging a new one."""
    require(request.user, Action.WORKFORCE_TRAINING_MANAGE)
    form = SessionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.create_training_session(
                actor=signed_in_user(request),
                course_id=data["course"],
                held_on=data["held_on"],
                venue=data["venue"],
                trainer=data["trainer"],
            )
        except Refused as exc:
            form.refuse(exc)
        else:
            messages.success(request, "Session added")
            return redirect("workforce:session", public_id=session.public_id)
    context = {"form": form, "sessions": selectors.sessions()}
    return render(request, "workforce/sessions.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def session(request: HttpRequest, public_id: Any) -> HttpResponse:
    """A session and its attendees; find people and record that they attended."""
    found = selectors.session_by_public_id(public_id)
    if found is None:
        raise Http404("No such session")
    require(request.user, Action.WORKFORCE_TRAINING_MANAGE, found)
    query = forms.text(request.POST, "q")
    candidates = selectors.find_staff(query) if query else []
    recording = request.method == "POST" and "record" in request.POST
    form = AttendanceForm(request.POST if recording else None, candidates=candidates)
    if recording and form.is_valid():
        chosen = list(StaffMember.objects.filter(public_id__in=form.cleaned_data["attendee"]))
        try:
            if not chosen:
                raise Refused({"attendee": "Select who attended"})
            added = services.record_attendance(
                actor=signed_in_user(request),
                session=found,
                staff=chosen,
                today=timezone.localdate(),
            )
        except Refused as exc:
            form.refuse(exc)
        else:
            messages.success(request, f"{added} attendance{'s' if added != 1 else ''} recorded")
            return redirect("workforce:session", public_id=found.public_id)
    context = {
        "session": found,
        "attendees": found.attendees.all(),
        "query": query,
        "candidates": candidates,
        "form": form,
    }
    return render(request, "workforce/session.html", context)
