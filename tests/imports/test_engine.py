"""The engine's own rules: repeated keys within a file, and the audit of a dry run."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from safehub.audit.models import AccessEvent
from safehub.imports.models import ImportRun
from tests.imports.conftest import SCHOOLS, write

pytestmark = pytest.mark.django_db


def test_schools_sharing_a_name_are_told_apart_by_urn(tmp_path: Path) -> None:
    from safehub.accounts.models import Agency

    text = SCHOOLS + "900002,Moorlands Primary School,primary,Other Road,SH1 1AA\n"
    call_command(
        "import",
        "schools",
        str(write(tmp_path / "s.csv", text)),
        "--no-progress",
        stdout=StringIO(),
    )
    names = set(Agency.objects.filter(urn__startswith="9000").values_list("name", flat=True))
    assert names == {
        "Moorlands Primary School",
        "Brookside Academy",
        "Moorlands Primary School (URN 900002)",
    }


def test_a_key_repeated_in_one_file_rejects_the_later_row(tmp_path: Path) -> None:
    lines = SCHOOLS.splitlines()
    path = write(tmp_path / "s.csv", "\n".join([*lines, lines[1]]) + "\n")
    call_command("import", "schools", str(path), "--dry-run", "--no-progress", stdout=StringIO())
    run = ImportRun.objects.get()
    assert (run.new, run.rejected) == (2, 1)
    assert run.rejections == [
        {"row": 4, "column": "", "reason": "repeats the identifier of an earlier row"}
    ]
    event = AccessEvent.objects.get(object_type="import_run")
    assert event.action == "view" and event.channel == "cli" and "checked schools" in event.reason
