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
from safehub.cases.forms import Field, as_datetime, date_values, posted_date, posted_version
from safehub.cases.models import EntryKind, InterventionKind, NrmOutcome
from safehub.cases.views import YES_NO, case_form, case_or_404, raise_if
from safehub.policy import Action, require


@login_required
@require_http_methods(["GET", "POST"])
def intervention(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Record direct work, youth work, health or family work."""
    case = case_or_404(public_id)
    require(request.user, Action.CASE_EDIT, case)
    fields = [
        Field("kind", "What kind of work?", "radios", InterventionKind.choices),
        Field("date", "When was it?", "date"),
        Field("notes", "Notes", "textarea"),
    ]

    def submit(post: Any, errors: dict[str, str], actor: User) -> None:
        on = posted_date(post, "date", "The date", errors)
        raise_if(errors)
        casework.record_intervention(
            actor=actor,
            case=case,
            kind=str(post.get("kind", "")),
            on=on,
            worker=actor,
            notes=str(post.get("notes", "")),
        )

    return case_form(
        request,
        case,
        title="Record work with the child",
        fields=fields,
        initial={},
        submit=submit,
        done="The work has been recorded",
    )


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Record a review; the next is scheduled from it."""
    case = case_or_404(public_id)
    require(request.user, Action.CASE_EDIT, case)
    fields = [
        Field("held_on", "When was the review?", "date"),
        Field("summary", "Summary", "textarea"),
    ]

    def submit(post: Any, errors: dict[str, str], actor: User) -> None:
        held_on = posted_date(post, "held_on", "The date", errors)
        raise_if(errors)
        casework.record_review(
            actor=actor, case=case, held_on=held_on, summary=str(post.get("summary", ""))
        )

    return case_form(
        request,
        case,
        title="Record a review",
        fields=fields,
        initial={},
        submit=submit,
        done="The review has been recorded",
    )


@login_required
@require_http_methods(["GET", "POST"])
def nrm(request: HttpRequest, public_id: Any) -> HttpResponse:
    """The National Referral Mechanism (trafficking / modern slavery) referral and outcome."""
    case = case_or_404(public_id)
    require(request.user, Action.CASE_EDIT, case)
    fields = [
        Field("referred", "Has an NRM referral been made?", "radios", YES_NO),
        Field("referral_date", "Date of the referral", "date"),
        Field("outcome", "Outcome", "radios", [("", "No decision recorded"), *NrmOutcome.choices]),
        Field("outcome_date", "Date of the outcome", "date"),
    ]

    def submit(post: Any, errors: dict[str, str], actor: User) -> None:
        referral_date = posted_date(post, "referral_date", "The referral date", errors)
        outcome_date = posted_date(post, "outcome_date", "The outcome date", errors)
        if post.get("referred") not in ("yes", "no"):
            errors["referred"] = "Select yes if an NRM referral has been made"
        raise_if(errors)
        services.update_nrm(
            actor=actor,
            case=case,
            read_version=posted_version(post),
            referred=post.get("referred") == "yes",
            referral_date=referral_date,
            outcome=str(post.get("outcome", "")),
            outcome_date=outcome_date,
        )

    initial = {
        "referred": "yes" if case.nrm_referred else "no",
        "outcome": case.nrm_outcome,
        **date_values("referral_date", case.nrm_referral_date),
        **date_values("outcome_date", case.nrm_outcome_date),
    }
    return case_form(
        request,
        case,
        title="National Referral Mechanism",
        fields=fields,
        initial=initial,
        submit=submit,
        done="The NRM record has been saved",
    )


@login_required
@require_http_methods(["GET", "POST"])
def factors(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Assessment factors, recorded with their DfE Children in Need census codes."""
    case = case_or_404(public_id)
    require(request.user, Action.CASE_EDIT, case)
    options = [(f.code, f"{f.label} ({f.code})") for f in FACTORS]
    fields = [
        Field("codes", "Which factors apply?", "checkboxes", options, hint="Select all that apply")
    ]

    def submit(post: Any, errors: dict[str, str], actor: User) -> None:
        services.set_assessment_factors(
            actor=actor, case=case, read_version=posted_version(post), codes=post.getlist("codes")
        )

    initial = {"codes": list(case.factors.values_list("code", flat=True))}
    return case_form(
        request,
        case,
        title="Assessment factors",
        fields=fields,
        initial=initial,
        submit=submit,
        done="The assessment factors have been saved",
    )


@login_required
@require_http_methods(["GET", "POST"])
def chronology_entry(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Add a contact, visit, piece of direct work or note to the chronology by hand."""
    case = case_or_404(public_id)
    require(request.user, Action.CASE_EDIT, case)
    fields = [
        Field("kind", "What kind of entry?", "radios", EntryKind.choices),
        Field("occurred_at", "When did it happen?", "date"),
        Field("title", "Title", "text"),
        Field("detail", "Details", "textarea"),
        Field(
            "marks",
            "Sharing",
            "checkboxes",
            [
                ("police_only", "Police information: leave out of shared documents"),
                ("third_party", "Names or details of other people: leave out of shared documents"),
            ],
        ),
    ]

    def submit(post: Any, errors: dict[str, str], actor: User) -> None:
        occurred = posted_date(post, "occurred_at", "The date", errors)
        raise_if(errors)
        marks = post.getlist("marks")
        casework.add_chronology_entry(
            actor=actor,
            case=case,
            kind=str(post.get("kind", "")),
            occurred_at=as_datetime(occurred),
            title=str(post.get("title", "")),
            detail=str(post.get("detail", "")),
            police_only="police_only" in marks,
            third_party="third_party" in marks,
        )

    return case_form(
        request,
        case,
        title="Add to the chronology",
        fields=fields,
        initial={},
        submit=submit,
        done="The entry has been added to the chronology",
    )
