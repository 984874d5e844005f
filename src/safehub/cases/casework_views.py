"""Recording work on a case: interventions, reviews, the NRM flag, assessment factors and
hand-written chronology entries. Each page is a form over one service (see views.case_form)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from safehub.accounts.models import User
from safehub.cases import casework, services
from safehub.cases.factors import FACTORS
from safehub.cases.page_forms import (
    ChronologyEntryForm,
    FactorsForm,
    InterventionForm,
    NrmForm,
    ReviewForm,
    as_datetime,
)
from safehub.cases.views import case_form, case_or_404, posted
from safehub.policy import Action, require


@login_required
@require_http_methods(["GET", "POST"])
def intervention(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Record direct work, youth work, health or family work."""
    case = case_or_404(public_id)
    require(request.user, Action.CASE_EDIT, case)
    form = InterventionForm(posted(request), initial={"version": case.version})

    def submit(answers: dict[str, Any], actor: User) -> None:
        casework.record_intervention(
            actor=actor,
            case=case,
            kind=answers["kind"],
            on=answers["date"],
            worker=actor,
            notes=answers["notes"],
        )

    return case_form(
        request,
        case,
        title="Record work with the child",
        form=form,
        submit=submit,
        done="The work has been recorded",
    )


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Record a review; the next is scheduled from it."""
    case = case_or_404(public_id)
    require(request.user, Action.CASE_EDIT, case)
    form = ReviewForm(posted(request), initial={"version": case.version})

    def submit(answers: dict[str, Any], actor: User) -> None:
        casework.record_review(
            actor=actor, case=case, held_on=answers["held_on"], summary=answers["summary"]
        )

    return case_form(
        request,
        case,
        title="Record a review",
        form=form,
        submit=submit,
        done="The review has been recorded",
    )


@login_required
@require_http_methods(["GET", "POST"])
def nrm(request: HttpRequest, public_id: Any) -> HttpResponse:
    """The National Referral Mechanism (trafficking / modern slavery) referral and outcome."""
    case = case_or_404(public_id)
    require(request.user, Action.CASE_EDIT, case)
    initial = {
        "referred": "yes" if case.nrm_referred else "no",
        "outcome": case.nrm_outcome,
        "referral_date": case.nrm_referral_date,
        "outcome_date": case.nrm_outcome_date,
        "version": case.version,
    }
    form = NrmForm(posted(request), initial=initial)

    def submit(answers: dict[str, Any], actor: User) -> None:
        services.update_nrm(
            actor=actor,
            case=case,
            read_version=answers["version"],
            referred=answers["referred"] == "yes",
            referral_date=answers["referral_date"],
            outcome=answers["outcome"],
            outcome_date=answers["outcome_date"],
        )

    return case_form(
        request,
        case,
        title="National Referral Mechanism",
        form=form,
        submit=submit,
        done="The NRM record has been saved",
    )


@login_required
@require_http_methods(["GET", "POST"])
def factors(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Assessment factors, recorded with their DfE Children in Need census codes."""
    case = case_or_404(public_id)
    require(request.user, Action.CASE_EDIT, case)
    initial = {"codes": list(case.factors.values_list("code", flat=True)), "version": case.version}
    form = FactorsForm(posted(request), initial=initial, factors=FACTORS)

    def submit(answers: dict[str, Any], actor: User) -> None:
        services.set_assessment_factors(
            actor=actor, case=case, read_version=answers["version"], codes=answers["codes"]
        )

    return case_form(
        request,
        case,
        title="Assessment factors",
        form=form,
        submit=submit,
        done="The assessment factors have been saved",
    )


@login_required
@require_http_methods(["GET", "POST"])
def chronology_entry(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Add a contact, visit, piece of direct work or note to the chronology by hand."""
    case = case_or_404(public_id)
    require(request.user, Action.CASE_EDIT, case)
    form = ChronologyEntryForm(posted(request), initial={"version": case.version})

    def submit(answers: dict[str, Any], actor: User) -> None:
        marks = answers["marks"]
        casework.add_chronology_entry(
            actor=actor,
            case=case,
            kind=answers["kind"],
            occurred_at=as_datetime(answers["occurred_at"]),
            title=answers["title"],
            detail=answers["detail"],
            police_only="police_only" in marks,
            third_party="third_party" in marks,
        )

    return case_form(
        request,
        case,
        title="Add to the chronology",
        form=form,
        submit=submit,
        done="The entry has been added to the chronology",
    )
