"""Input hardening for every request: text with control characters is refused before any view
runs, and every answer under /api/ is JSON in the API's documented error shape.

Control characters (C0 except tab, CR and LF, and DEL) have no place in anything a person types;
PostgreSQL refuses NUL outright, so without this check a NUL in a form or API field is a 500.
Lone surrogates in JSON strings are refused too: they cannot be stored as UTF-8.
Uploaded files are not text fields and are left to their own parsers.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string

log = logging.getLogger(__name__)

API_PREFIX = "/api/"
REFUSED_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
REFUSED_MESSAGE = "must not contain control characters (such as NUL) or invalid characters"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# The refusal page comes before the CSP middleware runs, so it carries its own strict policy.
REFUSAL_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "frame-ancestors 'none'; form-action 'none'; base-uri 'none'"
)
API_MESSAGES = {
    400: "The request could not be read.",
    401: "A valid API token is required.",
    403: "Your role does not allow this.",
    404: "There is nothing at this address in the API.",
    405: "This address does not accept that method.",
    413: "The request body is too large.",
    500: "Sorry, there is a problem with the service. Try again later.",
}


def has_refused_characters(text: str) -> bool:
    """Whether `text` holds a control character other than tab, CR and LF, or a lone surrogate."""
    return REFUSED_CHARACTERS.search(text) is not None


def _form_fields(request: HttpRequest) -> Iterator[str]:
    """Names of query and form fields (multipart text fields included) with refused text."""
    sources = [request.GET]
    if request.method not in ("GET", "HEAD") and request.content_type in FORM_TYPES:
        sources.append(request.POST)
    for data in sources:
        for name, values in data.lists():
            if has_refused_characters(name) or any(has_refused_characters(v) for v in values):
                yield _printable(name)


def _json_fields(value: Any, at: str = "") -> Iterator[str]:
    """Paths (e.g. "child.given_name") of JSON strings, keys included, with refused text."""
    if isinstance(value, str):
        if has_refused_characters(value):
            yield at or "body"
    elif isinstance(value, dict):
        for key, item in value.items():
            where = f"{at}.{_printable(key)}" if at else _printable(key)
            if has_refused_characters(key):
                yield where
            else:
                yield from _json_fields(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_fields(item, f"{at}.{index}" if at else str(index))


def _printable(name: str) -> str:
    """A field name safe to show back: refused characters replaced, at most 100 characters."""
    return REFUSED_CHARACTERS.sub("?", name)[:100]


def _json_body(request: HttpRequest) -> Any:
    """The body as JSON where it is meant to be (a JSON type, or any non-form API body); None
    when there is none or it does not parse (the API answers that itself)."""
    content_type = request.content_type or ""
    is_json = content_type == "application/json" or content_type.endswith("+json")
    api_body = request.path.startswith(API_PREFIX) and content_type not in FORM_TYPES
    if request.method in ("GET", "HEAD") or not (is_json or api_body):
        return None
    body = request.body
    if not body:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None


def refused_fields(request: HttpRequest) -> list[str]:
    """The fields of this request whose text is refused, in order, without repeats.

    Raises RequestDataTooBig for a body over DATA_UPLOAD_MAX_MEMORY_SIZE, and
    SuspiciousOperation or MultiPartParserError for a form Django cannot read.
    """
    found = [*_form_fields(request), *_json_fields(_json_body(request))]
    return list(dict.fromkeys(found))


def api_error(status: int, detail: Any = None) -> JsonResponse:
    """The API's error body: {"detail": message} or {"detail": [{field, message}, ...]}."""
    message = API_MESSAGES.get(status) or API_MESSAGES[500 if status >= 500 else 400]
    return JsonResponse({"detail": message if detail is None else detail}, status=status)


class InputHardeningMiddleware:
    """Refuses text with control characters (a 400 page, or the API's 422) before any view
    runs and changes nothing; a body too large is a 400 page or the API's 413. Turns any
    non-JSON error under /api/ (unknown path, wrong method, a crash) into the API's JSON
    error body, never a traceback."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        is_api = request.path.startswith(API_PREFIX)
        try:
            fields = refused_fields(request)
        except RequestDataTooBig:
            return api_error(413) if is_api else self._refusal(request, [], too_big=True)
        except (SuspiciousOperation, MultiPartParserError):
            return api_error(400) if is_api else self._refusal(request, [])
        if fields:
            log.info("refused a request: control characters in %d field(s)", len(fields))
            if is_api:
                return api_error(422, [{"field": f, "message": REFUSED_MESSAGE} for f in fields])
            return self._refusal(request, fields)
        response = self.get_response(request)
        if is_api and response.status_code >= 400 and not _is_json(response):
            return self._as_api_error(response)
        return response

    def _refusal(
        self, request: HttpRequest, fields: list[str], *, too_big: bool = False
    ) -> HttpResponse:
        html = render_to_string(
            "errors/400.html", {"fields": fields, "too_big": too_big}, request=None
        )
        response = HttpResponse(html, status=400)
        response["Content-Security-Policy"] = REFUSAL_CSP
        response["X-Frame-Options"] = "DENY"
        response["Cache-Control"] = "no-store"
        return response

    def _as_api_error(self, response: HttpResponse) -> HttpResponse:
        if response.status_code >= 500:
            log.error("API request failed with status %d", response.status_code)
        replacement = api_error(response.status_code)
        if response.has_header("Allow"):
            replacement["Allow"] = response["Allow"]
        return replacement


def _is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith("application/json")
