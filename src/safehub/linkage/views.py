"""Record linkage pages for the data officer: runs, the review queue, a pair side by side,
a cluster (merge, split), and the data-quality report. Thin: parse, ask the policy, call a
service or selector."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safehub.accounts.services import signed_in_user
from safehub.audit.models import AuditObjectType
from safehub.audit.reads import audited_read
from safehub.govuk_forms import is_uuid
from safehub.linkage import config, decisions, features, selectors, services
from safehub.linkage.access import require_each
from safehub.linkage.choices import Engine, ReviewStatus
from safehub.linkage.forms import MergeForm, PairForm, RunForm, SplitForm
from safehub.linkage.models import IdentityRecord, LinkageRun, PersonCluster, ReviewPair
from safehub.policy import Action, allows, require
from safehub.refusals import Refused

RECORD_ROWS = (
    ("Source", "source"),
    ("Source's id", "source_key"),
    ("Given name", "given_name"),
    ("Family name", "family_name"),
    ("Date of birth", "date_of_birth"),
    ("Sex", "sex"),
    ("Postcode", "postcode"),
    ("NHS number", "nhs_number"),
    ("Unique Pupil Number", "upn"),
    ("School URN", "school_urn"),
)


def pair_or_404(public_id: object) -> ReviewPair:
    found = selectors.pair_by_public_id(public_id)
    if found is None:
        raise Http404("No such pair")
    return found


def cluster_or_404(public_id: object) -> PersonCluster:
    found = selectors.cluster_by_public_id(public_id)
    if found is None:
        raise Http404("No such cluster")
    return found


def audit_view(
    request: HttpRequest, what: AuditObjectType, object_id: object, records: Any
) -> None:
    """A data officer looking at records is on the log, per Safehub person where known."""
    people: list[int | None] = list(
        sorted({r.person_id for r in records if r.person_id is not None})
    )
    for person_id in people or [None]:
        audited_read(request.user, what, object_id=object_id, person_id=person_id)


def dispatch(run: LinkageRun) -> None:
    """Do the run outside the web request (a detached `safehub link --run`), or inline in
    tests (SAFEHUB_LINKAGE_INLINE)."""
    if config.run_inline():
        services.run_linkage(run.engine, run=run)
        return
    command = [str(Path(sys.executable).parent / "safehub"), "link", "--run", str(run.public_id)]
    child = subprocess.Popen(  # noqa: S603 - our own command, no shell, no user input
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env=dict(os.environ),
    )
    threading.Thread(target=child.wait, daemon=True).start()


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Linkage runs so far, and what is waiting for review."""
    require(request.user, Action.LINKAGE_REVIEW)
    context = {
        "runs": selectors.latest_runs(),
        "records": IdentityRecord.objects.count(),
        "pending": selectors.review_queue().count(),
        "may_run": allows(request.user, Action.LINKAGE_RUN),
        "link_threshold": config.link_threshold(),
        "review_threshold": config.review_threshold(),
    }
    return render(request, "linkage/index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """Start a linkage run. Asks which kind; nothing starts without a valid choice."""
    require(request.user, Action.LINKAGE_RUN)
    form = RunForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.start_run(
                engine_name=Engine.DUCKDB,
                user=signed_in_user(request),
                channel="web",
                mode=form.cleaned_data["mode"],
            )
        except Refused as refused:
            form.add_error("mode", str(refused))
        else:
            dispatch(run)
            messages.success(request, "Linkage has started. This page shows when it ends.")
            return redirect("linkage:index")
    status = 400 if form.error_list else 200
    return render(request, "linkage/run.html", {"form": form}, status=status)


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """Pairs between the thresholds, waiting for a decision."""
    require(request.user, Action.LINKAGE_REVIEW)
    page = Paginator(selectors.review_queue(), 50).get_page(request.GET.get("page"))
    rows = [
        {
            "pair": p,
            "source_a": selectors.source_label(p.record_a.source),
            "source_b": selectors.source_label(p.record_b.source),
        }
        for p in page
    ]
    return render(request, "linkage/queue.html", {"rows": rows, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def pair(request: HttpRequest, public_id: str) -> HttpResponse:
    """Two records side by side with the evidence; the data officer decides."""
    found = pair_or_404(public_id)
    require_each(request, Action.LINKAGE_REVIEW, found, AuditObjectType.LINKAGE_REVIEW_PAIR)
    form = PairForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            decisions.decide_pair(
                found,
                user=signed_in_user(request),
                same_person=form.cleaned_data["decision"] == "same",
                note=form.cleaned_data["note"][:1000],
            )
        except Refused as refused:
            form.add_error("decision", str(refused))
        else:
            messages.success(request, "Decision recorded.")
            nxt = next(
                (
                    p
                    for p in selectors.review_queue()[:50]
                    if all(
                        allows(request.user, Action.LINKAGE_REVIEW, t) for t in p.access_targets()
                    )
                ),
                None,
            )
            if nxt is not None:
                return redirect("linkage:pair", public_id=nxt.public_id)
            return redirect("linkage:queue")
    a, b = found.record_a, found.record_b
    audit_view(request, AuditObjectType.LINKAGE_REVIEW_PAIR, found.public_id, [a, b])
    rows = [
        (
            label,
            _shown(a, field),
            _shown(b, field),
            None if field in ("source", "source_key") else _shown(a, field) == _shown(b, field),
        )
        for label, field in RECORD_ROWS
    ]
    rows.append(("Problems found", _problems(a), _problems(b), None))
    evidence_for, evidence_against = selectors.describe_evidence(found.evidence)
    context = {
        "pair": found,
        "rows": rows,
        "evidence": found.evidence,
        "evidence_for": evidence_for,
        "evidence_against": evidence_against,
        "form": form,
        "decided": found.status in (ReviewStatus.CONFIRMED, ReviewStatus.REJECTED),
        "cluster_a": getattr(getattr(a, "membership", None), "cluster", None),
        "cluster_b": getattr(getattr(b, "membership", None), "cluster", None),
    }
    status = 400 if form.error_list else 200
    return render(request, "linkage/pair.html", context, status=status)


def _problems(record: IdentityRecord) -> str:
    found = [features.PROBLEMS.get(code, code) for code in record.problems or []]
    return "; ".join(found) or "None"


def _shown(record: IdentityRecord, field: str) -> str:
    if field == "source":
        return selectors.source_label(record.source)
    value = getattr(record, field)
    if field == "date_of_birth":
        return value.strftime("%-d %B %Y") if value else ""
    if field == "sex":
        return {"F": "Female", "M": "Male"}.get(value, "")
    return str(value or "")


@login_required
@require_GET
def cluster(request: HttpRequest, public_id: str) -> HttpResponse:
    """The records believed to be one person; merge with another cluster or split."""
    found = cluster_or_404(public_id)
    require_each(request, Action.LINKAGE_CLUSTER_MANAGE, found, AuditObjectType.LINKAGE_CLUSTER)
    return _cluster_page(request, found)


def _split_options(linked: Any) -> list[tuple[str, str]]:
    return [
        (str(item.record.public_id), f"{item.source} {item.record.source_key}") for item in linked
    ]


def _merge_options(neighbours: Any) -> list[tuple[str, str]]:
    return [
        (str(n.public_id), f"Cluster {str(n.public_id)[:8].upper()} ({n.members.count()} records)")
        for n in neighbours
    ]


def _cluster_page(
    request: HttpRequest,
    found: PersonCluster,
    split_form: SplitForm | None = None,
    merge_form: MergeForm | None = None,
) -> HttpResponse:
    """The cluster page, with the split or the merge form's problems when one was refused."""
    linked = selectors.cluster_records(found)
    audit_view(
        request, AuditObjectType.LINKAGE_CLUSTER, found.public_id, [item.record for item in linked]
    )
    neighbours = selectors.neighbouring_clusters(found)
    split_form = split_form or SplitForm(options=[])
    split_form.fields["records"].set_options(_split_options(linked))  # type: ignore[attr-defined]
    merge_form = merge_form or MergeForm(options=[])
    merge_form.fields["other"].set_options(_merge_options(neighbours))  # type: ignore[attr-defined]
    errors = split_form.error_list + merge_form.error_list
    context = {
        "cluster": found,
        "linked_records": linked,
        "neighbours": neighbours,
        "split_form": split_form,
        "merge_form": merge_form,
        "errors": errors,
    }
    return render(request, "linkage/cluster.html", context, status=400 if errors else 200)


@login_required
@require_POST
def merge(request: HttpRequest, public_id: str) -> HttpResponse:
    """Merge another cluster (chosen by its reference) into this one."""
    found = cluster_or_404(public_id)
    require_each(request, Action.LINKAGE_CLUSTER_MANAGE, found, AuditObjectType.LINKAGE_CLUSTER)
    form = MergeForm(request.POST, options=[])
    form.is_valid()
    reference = str(form.cleaned_data.get("other") or "").strip()
    other = selectors.cluster_by_public_id(reference) if is_uuid(reference) else None
    if other is None:
        form.add_error("other", "Choose a cluster to merge with")
        return _cluster_page(request, found, merge_form=form)
    require_each(request, Action.LINKAGE_CLUSTER_MANAGE, other, AuditObjectType.LINKAGE_CLUSTER)
    try:
        decisions.merge_clusters(
            found, other, user=signed_in_user(request), note=str(request.POST.get("note", ""))
        )
    except Refused as refused:
        form.add_error("other", str(refused))
        return _cluster_page(request, found, merge_form=form)
    messages.success(request, "Clusters merged.")
    return redirect("linkage:cluster", public_id=found.public_id)


@login_required
@require_POST
def split(request: HttpRequest, public_id: str) -> HttpResponse:
    """Move the ticked records out of this cluster into a new one."""
    found = cluster_or_404(public_id)
    require_each(request, Action.LINKAGE_CLUSTER_MANAGE, found, AuditObjectType.LINKAGE_CLUSTER)
    form = SplitForm(request.POST, options=[])
    form.is_valid()
    chosen = [r for r in form.cleaned_data.get("records", []) if is_uuid(r)]
    ids = list(
        IdentityRecord.objects.filter(public_id__in=chosen, membership__cluster=found).values_list(
            "pk", flat=True
        )
    )
    if not ids or len(ids) != len(chosen):
        form.add_error("records", "Choose records of this cluster")
        return _cluster_page(request, found, split_form=form)
    try:
        new = decisions.split_cluster(
            found, ids, user=signed_in_user(request), note=str(request.POST.get("note", ""))
        )
    except Refused as refused:
        form.add_error("records", str(refused))
        return _cluster_page(request, found, split_form=form)
    messages.success(request, "The chosen records now form a cluster of their own.")
    return redirect("linkage:cluster", public_id=new.public_id)


@login_required
@require_GET
def quality(request: HttpRequest) -> HttpResponse:
    """Data quality per source: completeness, invalid identifiers, duplicates, unlinked."""
    require(request.user, Action.LINKAGE_QUALITY_VIEW)
    return render(request, "linkage/quality.html", {"report": selectors.quality_report()})


@login_required
@require_GET
def quality_csv(request: HttpRequest) -> HttpResponse:
    """The data-quality report as CSV: one row per source and measure (counts only)."""
    require(request.user, Action.LINKAGE_QUALITY_VIEW)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="linkage-data-quality.csv"'
    writer = csv.writer(response)
    writer.writerow(["source", "measure", "records", "percentage"])
    for item in selectors.quality_report():
        writer.writerow([item.source, "records", item.records, ""])
        for label, filled, percentage in item.completeness:
            writer.writerow([item.source, f"{label} recorded", filled, percentage])
        for problem, n in item.problems:
            writer.writerow([item.source, problem, n, _pct(n, item.records)])
        writer.writerow(
            [
                item.source,
                "Possible duplicates within the source",
                item.duplicate_records,
                _pct(item.duplicate_records, item.records),
            ]
        )
        writer.writerow(
            [item.source, "Linked to no one", item.unlinked, _pct(item.unlinked, item.records)]
        )
        writer.writerow([item.source, "Not yet linked", item.not_yet_linked, ""])
    return response


def _pct(n: int, total: int) -> float | str:
    return round(100 * n / total, 1) if total else ""
