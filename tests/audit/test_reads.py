"""Audited reads: views write the access log only through safehub.audit.reads, and the rows a
page writes through it are the rows it always wrote."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

import safehub
from safehub.accounts.models import User
from safehub.audit.models import AccessEvent, AuditAction, AuditObjectType
from safehub.audit.reads import audited_list, audited_read
from safehub.policy.roles import Role
from tests.cases.helpers import open_case_for
from tests.factories import make_user

ClientFor = Callable[[User], Client]
SRC = Path(safehub.__file__).parent
# What a view module may not name: the log is written through safehub.audit.reads.
FORBIDDEN = {"record_access", "record_list_access", "AccessEvent"}


def view_modules() -> list[Path]:
    """views.py and *_views.py in every app, and the API's modules."""
    found = [p for p in SRC.rglob("*.py") if p.name == "views.py" or p.name.endswith("_views.py")]
    return sorted(found + list((SRC / "api").glob("*.py")))


def direct_audit_writes(source: str) -> list[str]:
    """Each name in FORBIDDEN that `source` uses or imports, and any import of the audit
    services, as "line: name"."""
    found = []
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Name):
            names = [node.id]
        elif isinstance(node, ast.Attribute):
            names = [node.attr]
        elif isinstance(node, ast.ImportFrom):
            names = [alias.name for alias in node.names]
            if node.module == "safehub.audit.services":
                names.append("safehub.audit.services")
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        found += [
            f"{node.lineno}: {name}"
            for name in names
            if name in FORBIDDEN or name == "safehub.audit.services"
        ]
    return found


def test_the_scan_catches_a_view_that_writes_the_log_itself() -> None:
    assert direct_audit_writes("from safehub.audit.services import record_access\n")
    assert direct_audit_writes("import safehub.audit.services\n")
    assert direct_audit_writes("services.record_list_access(user=u, object_type=t)\n")
    assert direct_audit_writes("AccessEvent.objects.create(username='x')\n")
    assert not direct_audit_writes("audited_read(request.user, AuditObjectType.CASE)\n")


def test_no_view_module_writes_the_access_log_except_through_audited_reads() -> None:
    modules = view_modules()
    assert len(modules) > 20  # the scan really found the views
    offenders = {
        str(path.relative_to(SRC)): hits
        for path in modules
        if (hits := direct_audit_writes(path.read_text()))
    }
    assert offenders == {}


@pytest.mark.django_db
def test_audited_read_refuses_an_unknown_object_type_and_an_action_that_changes_data() -> None:
    user = make_user()
    with pytest.raises(ValueError):
        audited_read(user, "gossip")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="service"):
        audited_read(user, AuditObjectType.CASE, action=AuditAction.CHANGE)
    with pytest.raises(ValueError):
        audited_list(user, "gossip", summary=3, person_ids=[1])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="service"):
        audited_list(user, AuditObjectType.CASELOAD, summary=3, action=AuditAction.CREATE)
    assert not AccessEvent.objects.exists()


@pytest.mark.django_db
def test_a_record_page_writes_its_row_through_audited_read(client_for: ClientFor) -> None:
    worker = make_user(Role.CSE_PRACTITIONER)
    case = open_case_for(worker=worker)
    assert client_for(worker).get(reverse("cases:detail", args=[case.public_id])).status_code == 200
    rows = AccessEvent.objects.filter(user_id=worker.pk)
    assert list(rows.values_list("action", "object_type", "object_id", "person_id")) == [
        ("view", "case", str(case.public_id), case.person_id)
    ]


@pytest.mark.django_db
def test_a_refused_record_writes_its_row_through_audited_read(client_for: ClientFor) -> None:
    case = open_case_for(worker=make_user(Role.CSE_PRACTITIONER))
    board = make_user(Role.BOARD_MEMBER)
    response = client_for(board).get(f"/people/{case.person.public_id}/")
    assert response.status_code == 403
    event = AccessEvent.objects.get(user_id=board.pk)
    assert (event.action, event.object_type, event.person_id) == (
        "denied",
        "person",
        case.person_id,
    )
    assert event.reason


@pytest.mark.django_db
def test_a_list_page_writes_its_rows_through_audited_list(client_for: ClientFor) -> None:
    worker = make_user(Role.CSE_PRACTITIONER)
    case = open_case_for(worker=worker)
    assert client_for(worker).get(reverse("cases:my_caseload")).status_code == 200
    rows = AccessEvent.objects.filter(user_id=worker.pk).order_by("id")
    assert list(rows.values_list("action", "object_type", "object_id", "person_id", "reason")) == [
        ("view", "caseload", "1", None, ""),
        ("view", "caseload", "", case.person_id, "shown in the worker's caseload"),
    ]


@pytest.mark.django_db
def test_who_has_looked_shows_each_object_type_by_its_label(client_for, mash_officer) -> None:
    case = open_case_for(worker=make_user(Role.CSE_PRACTITIONER))
    page = client_for(mash_officer).get(f"/people/{case.person.public_id}/").content.decode()
    assert "Person&#x27;s record: viewed" in page
    assert "Viewed person" not in page
