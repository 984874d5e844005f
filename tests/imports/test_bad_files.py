"""Files that are not what their name says: each gets a clear FileProblem, never a crash.

A text file renamed .xlsx, a zip that is no workbook, an empty file and a truncated workbook,
through the parser, the web upload (the run page shows the reason) and `safehub import`.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from safehub.imports.models import ImportRun, SourceRecord
from safehub.imports.parsing import FileProblem, count_rows, read_rows_with_header
from safehub.policy.roles import AgencyType, Role
from tests.conftest import sign_in
from tests.factories import make_agency, make_user
from tests.imports.conftest import SCHOOLS


def _workbook_bytes() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for line in csv.reader(io.StringIO(SCHOOLS)):
        sheet.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _text() -> bytes:
    return SCHOOLS.encode()


def _zip_of_nothing() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")
    return buffer.getvalue()


def _empty() -> bytes:
    return b""


def _truncated() -> bytes:
    whole = _workbook_bytes()
    return whole[: len(whole) // 2]


BAD_FILES: dict[str, Callable[[], bytes]] = {
    "text renamed .xlsx": _text,
    "zip that is not a workbook": _zip_of_nothing,
    "empty file": _empty,
    "truncated workbook": _truncated,
}


@pytest.mark.parametrize("make", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_the_parser_refuses_a_bad_workbook_with_a_file_problem(
    tmp_path: Path, make: Callable[[], bytes]
) -> None:
    path = tmp_path / "schools.xlsx"
    path.write_bytes(make())
    with pytest.raises(FileProblem, match=r"Excel|empty"):
        count_rows(path, "xlsx")
    with pytest.raises(FileProblem, match=r"Excel|empty"):
        list(read_rows_with_header(path, "xlsx"))


def test_a_csv_too_wide_to_count_is_a_file_problem(tmp_path: Path) -> None:
    path = tmp_path / "schools.csv"
    path.write_text("urn\n" + '"' + "x" * 200_000 + '"\n')
    with pytest.raises(FileProblem, match="could not be read"):
        count_rows(path, "csv")


@pytest.mark.django_db
@pytest.mark.parametrize("make", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_the_web_check_shows_the_reason_and_imports_nothing(
    make: Callable[[], bytes],
) -> None:
    officer = make_user(Role.DATA_OFFICER, agency=make_agency(AgencyType.COUNCIL))
    client = sign_in(Client(), officer)
    upload = SimpleUploadedFile("schools.xlsx", make(), content_type="application/octet-stream")
    response = client.post(reverse("imports:new"), {"source": "schools", "file": upload})
    if make is _empty:  # the upload form refuses an empty file itself
        assert response.status_code == 200 and "The selected file is empty" in str(response.content)
        assert not ImportRun.objects.exists()
        return
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    assert "Excel" in run.error or "empty" in run.error
    page = client.get(response.url)
    assert page.status_code == 200
    assert run.error in page.content.decode().replace("&#x27;", "'")
    assert not SourceRecord.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("make", BAD_FILES.values(), ids=BAD_FILES.keys())
@pytest.mark.parametrize("dry_run", [True, False], ids=["dry run", "import"])
def test_the_command_says_what_is_wrong_with_the_file(
    tmp_path: Path, make: Callable[[], bytes], dry_run: bool
) -> None:
    path = tmp_path / "schools.xlsx"
    path.write_bytes(make())
    args: list[Any] = ["schools", str(path), "--no-progress"] + (["--dry-run"] if dry_run else [])
    with pytest.raises(CommandError, match=r"Excel|empty"):
        call_command("import", *args, stdout=StringIO())
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED
    assert not SourceRecord.objects.exists()
