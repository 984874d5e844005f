"""Import pages: upload and check a file, follow its progress, import or abandon it, and the
history. Thin: parse, ask the policy, call a service or selector."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safehub.accounts.services import signed_in_user
from safehub.audit.models import AuditAction, AuditObjectType
from safehub.audit.reads import audited_read
from safehub.imports import selectors, services
from safehub.imports.access import SourceTarget
from safehub.imports.forms import UploadForm
from safehub.imports.models import ImportRun
from safehub.imports.registry import UnknownSource, get_source, sources
from safehub.policy import Action, require
from safehub.refusals import Refused


def run_or_404(public_id: str) -> ImportRun:
    run = selectors.run_by_public_id(public_id)
    if run is None:
        raise Http404("No such import")
    return run


@login_required
@require_GET
def history(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    require(user, Action.IMPORT_HISTORY_VIEW)
    return render(
        request,
        "imports/history.html",
        {
            "runs": selectors.history(user),
            "can_import": bool(selectors.importable_sources(user)),
            # Sources by their titles: the list never shows a source's internal name.
            "titles": {source.name: source.title for source in sources()},
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    require(user, Action.IMPORT_RUN)
    allowed = selectors.importable_sources(user)
    posted = request.method == "POST"
    form = UploadForm(
        request.POST if posted else None, request.FILES if posted else None, sources=allowed
    )
    if form.is_bound and form.is_valid():
        source = get_source(form.cleaned_data["source"])
        require(user, Action.IMPORT_RUN, SourceTarget.for_user(source, user))
        upload = form.cleaned_data["file"]
        path = services.store_upload(services.Upload(upload.name, upload))
        try:
            run = services.start_run(
                user=user,
                source=source,
                path=path,
                file_name=upload.name,
                channel="web",
                stored=True,
            )
        except Refused as exc:
            path.unlink(missing_ok=True)
            form.add_error("file", str(exc))
        else:
            services.dispatch(run)
            return redirect("imports:run", public_id=run.public_id)
    return render(request, "imports/new.html", {"form": form})


@login_required
@require_GET
def run_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    user = signed_in_user(request)
    run = run_or_404(public_id)
    require(user, Action.IMPORT_RUN_VIEW, run)
    try:
        source = get_source(run.source, run.source_version)
    except UnknownSource:
        source = None
    rejected_kept = bool(run.rejected_file) and Path(run.rejected_file).exists()
    return render(
        request,
        "imports/run.html",
        {
            "run": run,
            "source": source,
            "progress": selectors.run_progress(run),
            "rejected_kept": rejected_kept,
            "file_kept": bool(run.stored_file) and Path(run.stored_file).exists(),
            "good_rows": run.new + run.changed + run.unchanged,
        },
    )


@login_required
@require_GET
def run_progress(request: HttpRequest, public_id: str) -> JsonResponse:
    user = signed_in_user(request)
    run = run_or_404(public_id)
    require(user, Action.IMPORT_RUN_VIEW, run)
    return JsonResponse(selectors.run_progress(run))


@login_required
@require_POST
def act(request: HttpRequest, public_id: str) -> HttpResponse:
    """Import the checked file (all rows, or only the good ones), abandon it, or retry it."""
    user = signed_in_user(request)
    run = run_or_404(public_id)
    require(user, Action.IMPORT_RUN_ACT, run)
    choice = request.POST.get("action", "")
    try:
        if choice == "import":
            services.request_apply(run, skip_rejected=request.POST.get("skip_rejected") == "yes")
        elif choice == "abandon":
            services.abandon_run(run)
            messages.success(
                request, "Import abandoned: nothing was imported and the file is deleted."
            )
        elif choice == "retry":
            services.retry_run(run)
        else:
            messages.error(request, "Choose what to do with this file.")
    except Refused as exc:
        messages.error(request, str(exc))
    return redirect("imports:run", public_id=run.public_id)


@login_required
@require_GET
def rejected_rows(request: HttpRequest, public_id: str) -> FileResponse:
    """The rejected rows as a CSV with a reason column (personal data: logged as an export)."""
    user = signed_in_user(request)
    run = run_or_404(public_id)
    require(user, Action.IMPORT_RUN_VIEW, run)
    path = Path(run.rejected_file) if run.rejected_file else None
    if path is None or not path.exists():
        raise Http404("The rejected rows are no longer kept")
    audited_read(
        user,
        AuditObjectType.IMPORT_REJECTED_ROWS,
        action=AuditAction.EXPORT,
        object_id=run.public_id,
        reason=f"{run.rejected} rejected rows of {run.source}",
    )
    stem = Path(run.file_name).stem
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"{stem}-rejected.csv",
        content_type="text/csv",
    )
    response["Cache-Control"] = "no-store"
    return response
