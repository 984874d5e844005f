"""The JSON API (OpenAPI at /api/v1/docs). Same policy, audit and validation as the web."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.responses import Status
from ninja.security import HttpBearer

from safehub.accounts.services import signed_in_user, user_for_api_token
from safehub.api.description import signed_in_only
from safehub.api.idempotency import IdempotencyConflict, run_once
from safehub.api.schemas import (
    AnswerOptionOut,
    CategoryOut,
    ErrorOut,
    GroupOut,
    IndicatorOut,
    MessageOut,
    ReferralCreatedOut,
    ReferralIn,
    ScreeningIn,
    ScreeningOut,
    SearchIn,
    SearchOut,
    ToolOut,
    ToolSummaryOut,
)
from safehub.audit.models import AuditObjectType
from safehub.audit.reads import audited_list
from safehub.people.selectors import find_existing_person
from safehub.people.services import validate_person_details
from safehub.policy import Action, require
from safehub.referrals.services import make_referral, referral_details_problems
from safehub.refusals import NON_FIELD, Refused
from safehub.screening import registry
from safehub.screening.definitions import ScreeningTool
from safehub.screening.models import Screening
from safehub.screening.registry import UnknownTool
from safehub.screening.rules import InvalidAnswers, validate_answers
from safehub.screening.selectors import submissions_of
from safehub.screening.services import submit_screening, validate_marks
from safehub.search.selectors import SearchOutcome, search_people

log = logging.getLogger(__name__)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_api_token(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Safehub API",
    version="1",
    description="Screenings and submissions for partner systems. Bearer-token authentication.",
    auth=TokenAuth(),
    docs_url="/docs",
    docs_decorator=signed_in_only,
    urls_namespace="api",
)


def _error_body(errors: list[tuple[str, str]]) -> dict[str, Any]:
    return {"detail": [{"field": f, "message": m} for f, m in errors]}


@api.exception_handler(Refused)
def _refused(request: HttpRequest, exc: Refused) -> HttpResponse:
    """Any refusal, from the API's own checks or a service: the documented 422, each problem
    with its field ("body" for one about the request as a whole, as for a schema error)."""
    errors = [("body" if f == NON_FIELD else f, m) for f, m in exc.error_list()]
    return api.create_response(request, _error_body(errors), status=422)


@api.exception_handler(ValidationError)
def _schema_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "payload", "query", "path")]
        errors.append((".".join(loc) or "body", str(err.get("msg", "invalid value"))))
    return api.create_response(request, _error_body(errors), status=422)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": "Your role does not allow this."}, status=403)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "A valid API token is required."}, status=401)


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(request, {"detail": "The request body is too large."}, status=413)


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Any other failure: the error shape, never a traceback (even with DEBUG on)."""
    # Only the kind: an exception's text may quote what was sent (personal data).
    log.error("API %s %s failed: %s", request.method, request.path, type(exc).__name__)
    body = {"detail": "Sorry, there is a problem with the service. Try again later."}
    return api.create_response(request, body, status=500)


def _tool_summary(tool: ScreeningTool) -> dict[str, Any]:
    return {
        "id": tool.id,
        "version": tool.version,
        "title": tool.title,
        "description": tool.description,
    }


def _tool_full(tool: ScreeningTool) -> dict[str, Any]:
    data = _tool_summary(tool)
    data["groups"] = [
        GroupOut(
            id=g.id,
            title=g.title,
            guidance=g.guidance,
            indicators=[
                IndicatorOut(
                    id=i.id,
                    label=i.label,
                    guidance=i.guidance,
                    options=[AnswerOptionOut(id=o.id, label=o.label) for o in i.options],
                )
                for i in g.indicators
            ],
        )
        for g in tool.groups
    ]
    data["categories"] = [
        CategoryOut(
            id=c.id,
            label=c.label,
            meaning=c.meaning,
            next_step=c.next_step,
            creates_referral=c.creates_referral,
        )
        for c in tool.categories
    ]
    return data


@api.get(
    "/screening-tools",
    response={200: list[ToolSummaryOut], 401: MessageOut, 403: MessageOut, 422: ErrorOut},
    summary="List the screening tools in use (latest version of each)",
)
def list_screening_tools(request: HttpRequest) -> list[dict[str, Any]]:
    require(request.user, Action.TOOL_VIEW)
    return [_tool_summary(t) for t in registry.list_tools()]


@api.get(
    "/screening-tools/{tool_id}",
    response={200: ToolOut, 401: MessageOut, 403: MessageOut, 404: MessageOut, 422: ErrorOut},
    summary="A screening tool's full definition: groups, indicators, options, categories",
)
def get_screening_tool(request: HttpRequest, tool_id: str, version: int | None = None) -> Any:
    require(request.user, Action.TOOL_VIEW)
    try:
        tool = registry.get_tool(tool_id, version)
    except UnknownTool:
        return Status(404, {"detail": "No screening tool with that id and version."})
    return _tool_full(tool)


def _screening_out(screening: Screening) -> dict[str, Any]:
    tool = registry.get_tool(screening.tool_id, screening.tool_version)
    category = tool.category(screening.final_category)
    rule = next((r for r in tool.rules if r.id == screening.computed_rule), None)
    referral = getattr(screening, "referral", None)
    return {
        "id": screening.public_id,
        "tool": screening.tool_id,
        "tool_version": screening.tool_version,
        "screening_date": screening.screening_date,
        "category": category.id,
        "category_label": category.label,
        "rule": screening.computed_rule,
        "rule_description": rule.description if rule else "",
        "indicators": list(screening.computed_indicators),
        "next_step": category.next_step,
        "referral": (
            {
                "reference": str(referral.public_id)[:8].upper(),
                "status": referral.status,
                "outcome": referral.outcome_for_referrer,
            }
            if referral is not None
            else None
        ),
        "submitted_at": screening.submitted_at,
    }


@api.exception_handler(IdempotencyConflict)
def _idempotency_conflict(request: HttpRequest, exc: IdempotencyConflict) -> HttpResponse:
    return api.create_response(request, _error_body([("Idempotency-Key", str(exc))]), status=422)


def _child_details(payload_child: Any, errors: dict[str, str]) -> Any:
    try:
        return validate_person_details(payload_child.dict(), today=date.today())
    except Refused as exc:
        errors.update({f"child.{k}": v for k, v in exc.errors.items()})
        return None


def _answers_field(field: str) -> str:
    """Where a screening refusal's field is in the request: answers are under `answers`."""
    on_its_own = ("child_date_of_birth", "sharing_basis", "family_aware")
    return field if field in on_its_own else f"answers.{field}"


def _existing(details: Any) -> Any:
    return find_existing_person(
        given_name=details.given_name,
        family_name=details.family_name,
        date_of_birth=details.date_of_birth,
        nhs_number=details.nhs_number,
        upn=details.upn,
    )


IDEMPOTENCY_HELP = (
    " Send an `Idempotency-Key` header to retry safely: the same key and body return the "
    "first response instead of creating a second record."
)


@api.post(
    "/screenings",
    response={201: ScreeningOut, 400: MessageOut, 401: MessageOut, 403: MessageOut, 422: ErrorOut},
    summary="Submit a completed screening; refers to the MASH where the tool says so",
    description=IDEMPOTENCY_HELP,
)
def post_screening(request: HttpRequest, payload: ScreeningIn) -> Any:
    require(request.user, Action.API_USE)
    require(request.user, Action.SCREENING_CREATE)
    user = signed_in_user(request)
    errors: dict[str, str] = {}
    try:
        tool = registry.get_tool(payload.tool, payload.tool_version)
    except UnknownTool:
        raise Refused.one("tool", f"Unknown screening tool: {payload.tool}") from None
    details = _child_details(payload.child, errors)
    try:
        screening_date = date.fromisoformat(payload.screening_date)
        if screening_date > date.today():
            errors["screening_date"] = "screening_date: must not be in the future"
    except ValueError:
        errors["screening_date"] = "screening_date: must be a real date, YYYY-MM-DD"
    for p in validate_answers(tool, payload.answers):
        errors.setdefault(f"answers.{p.indicator_id}", p.message)
    for p in validate_marks(tool, payload.answers, payload.marks):
        errors.setdefault(f"marks.{p.indicator_id}", p.message)
    if errors:
        raise Refused(errors)

    def act() -> tuple[int, Any]:
        person = _existing(details)
        try:
            submission = submit_screening(
                actor=user,
                tool=tool,
                answers=payload.answers,
                marks=payload.marks,
                screening_date=screening_date,
                person=person,
                new_person=None if person is not None else details,
                notes=payload.notes,
                channel="api",
                sharing_basis=payload.sharing_basis,
                family_aware=payload.family_aware,
            )
        except InvalidAnswers as exc:
            raise Refused({_answers_field(f): m for f, m in exc.errors.items()}) from None
        return 201, ScreeningOut(**_screening_out(submission.screening)).dict()

    status, body = run_once(request, user, "post_screening", act)
    return Status(status, body)


@api.post(
    "/referrals",
    response={
        201: ReferralCreatedOut,
        400: MessageOut,
        401: MessageOut,
        403: MessageOut,
        422: ErrorOut,
    },
    summary="Refer a child to the MASH without a screening",
    description=IDEMPOTENCY_HELP,
)
def post_referral(request: HttpRequest, payload: ReferralIn) -> Any:
    require(request.user, Action.API_USE)
    require(request.user, Action.REFERRAL_CREATE)
    user = signed_in_user(request)
    errors: dict[str, str] = {}
    details = _child_details(payload.child, errors)
    errors.update(
        referral_details_problems(
            concerns=payload.concerns,
            sharing_basis=payload.sharing_basis,
            family_aware=payload.family_aware,
        )
    )
    if errors:
        raise Refused(errors)

    def act() -> tuple[int, Any]:
        person = _existing(details)
        referral = make_referral(
            actor=user,
            concerns=payload.concerns,
            sharing_basis=payload.sharing_basis,
            family_aware=payload.family_aware,
            person=person,
            new_person=None if person is not None else details,
            channel="api",
        )
        return 201, {
            "reference": str(referral.public_id)[:8].upper(),
            "status": referral.status,
            "outcome": referral.outcome_for_referrer,
            "received_at": referral.received_at,
        }

    status, body = run_once(request, user, "post_referral", act)
    return Status(status, body)


@api.get(
    "/submissions",
    response={200: list[ScreeningOut], 401: MessageOut, 403: MessageOut, 422: ErrorOut},
    summary="The caller's own submitted screenings and where each referral is now",
)
def list_submissions(request: HttpRequest) -> list[dict[str, Any]]:
    require(request.user, Action.SUBMISSIONS_LIST_OWN)
    screenings = list(submissions_of(signed_in_user(request).pk)[:200])
    audited_list(
        request.user, AuditObjectType.OWN_SUBMISSIONS, summary=len(screenings), channel="api"
    )
    return [_screening_out(s) for s in screenings]


def _search_out(outcome: SearchOutcome) -> dict[str, Any]:
    results: list[dict[str, Any]] = []
    for result in outcome.results:
        if result.masked or result.person is None or result.match is None:
            results.append({"restricted": True})
            continue
        person = result.person
        results.append(
            {
                "restricted": False,
                "person_id": person.public_id,
                "given_name": person.given_name,
                "family_name": person.family_name,
                "known_as": person.known_as,
                "date_of_birth": person.date_of_birth,
                "score": result.match.score,
                "strength": result.strength,
                "reasons": result.match.reasons,
                "sources": [{"agency": a, "records": n} for a, n in result.sources],
                "also_recorded_as": [other.public_id for other in result.others],
            }
        )
    return {"results": results, "more": outcome.more}


@api.post(
    "/people/search",
    response={200: SearchOut, 400: MessageOut, 401: MessageOut, 403: MessageOut, 422: ErrorOut},
    summary="Find a child across every agency's records, best match first",
)
def post_search(request: HttpRequest, payload: SearchIn) -> dict[str, Any]:
    outcome = search_people(
        signed_in_user(request), payload.query, today=timezone.localdate(), channel="api"
    )
    if outcome.problem:
        raise Refused({"query": outcome.problem})
    return _search_out(outcome)
