"""The search page, and the data officer's merge of two results.

The words searched for are posted, never put in the page's address, so they stay out of
browser history and server logs. Thin: parse, call `search_people`, render.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from safehub.accounts.services import signed_in_user
from safehub.audit.models import AuditObjectType
from safehub.linkage import decisions
from safehub.linkage.access import require_each
from safehub.linkage.selectors import cluster_by_public_id
from safehub.policy import Action, allows, require
from safehub.refusals import NON_FIELD, Refused
from safehub.search.forms import MergeForm, SearchForm
from safehub.search.selectors import SearchOutcome, search_people


def _merge_options(outcome: SearchOutcome) -> list[tuple[str, str]]:
    options = []
    for number, result in enumerate(outcome.results, start=1):
        if result.person is None:
            continue
        for cluster in result.clusters:
            reference = str(cluster)[:8].upper()
            options.append(
                (str(cluster), f"Result {number}: {result.person.full_name}, records {reference}")
            )
    return options


def _page(
    request: HttpRequest,
    form: SearchForm,
    outcome: SearchOutcome | None = None,
    merge_form: MergeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    may_merge = allows(request.user, Action.LINKAGE_CLUSTER_MANAGE)
    if merge_form is None and outcome is not None and may_merge:
        options = _merge_options(outcome)
        merge_form = MergeForm(options=options) if len(options) > 1 else None
    errors = form.error_list
    if merge_form is not None and outcome is None:
        # A refused merge: the results are not kept (the words searched for are not), so
        # its messages say what to do without linking to a form that is not on the page.
        errors = [
            *errors,
            *((NON_FIELD, f"{m}. Search again to choose them.") for _, m in merge_form.error_list),
        ]
        merge_form = None
    if outcome is not None and outcome.problem:
        errors = [*errors, ("id_q", outcome.problem)]
    return render(
        request,
        "search/search.html",
        {
            "form": form,
            "outcome": outcome,
            "merge_form": merge_form,
            "errors": errors,
            "broad": allows(request.user, Action.PERSON_SEARCH_BROAD),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.PERSON_SEARCH)
    if request.method == "GET":
        return _page(request, SearchForm())
    form = SearchForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    outcome = search_people(
        signed_in_user(request), form.cleaned_data["q"], today=timezone.localdate()
    )
    if outcome.problem:
        form.add_error("q", outcome.problem)
        return _page(request, form, status=400)
    return _page(request, form, outcome)


@login_required
@require_POST
def merge(request: HttpRequest) -> HttpResponse:
    """Join two results' linked records as one child: recorded as a data officer's decision,
    which later linkage runs obey (the same as merging on the linkage pages)."""
    require(request.user, Action.LINKAGE_CLUSTER_MANAGE)
    form = MergeForm(request.POST, options=[])
    if not form.is_valid():
        return _page(request, SearchForm(), merge_form=form, status=400)
    first = cluster_by_public_id(form.cleaned_data["first"])
    second = cluster_by_public_id(form.cleaned_data["second"])
    if first is None or second is None:
        raise Http404("No such records")
    for cluster in (first, second):
        require_each(
            request, Action.LINKAGE_CLUSTER_MANAGE, cluster, AuditObjectType.LINKAGE_CLUSTER
        )
    try:
        decisions.merge_clusters(
            first, second, user=signed_in_user(request), note=form.cleaned_data["note"] or ""
        )
    except Refused as refused:
        form.refuse(refused)
        if not form.errors:
            form.add_error("second", str(refused))
        return _page(request, SearchForm(), merge_form=form, status=400)
    messages.success(request, "Records merged: later linkage runs keep them together.")
    return redirect("linkage:cluster", public_id=first.public_id)
