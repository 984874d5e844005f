"""The web: upload -> check -> import -> history, progress, rejected rows, and refusals."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from safehub.audit.models import AccessEvent
from safehub.imports.models import ImportRun
from safehub.people.models import Person
from safehub.policy.roles import AgencyType, Role
from tests.conftest import sign_in
from tests.factories import make_agency, make_user
from tests.imports.conftest import SCHOOLS, pupils_csv

pytestmark = pytest.mark.django_db


def upload(client: Client, source: str, name: str, text: str) -> Any:
    file = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
    return client.post(reverse("imports:new"), {"source": source, "file": file})


def run_of(response: Any) -> ImportRun:
    return ImportRun.objects.get(public_id=response.url.rstrip("/").rsplit("/", 1)[-1])


@pytest.fixture
def council_officer() -> Any:
    return make_user(Role.DATA_OFFICER, agency=make_agency(AgencyType.COUNCIL))


def test_upload_check_import_and_history(council_officer: Any, imports_dir: Path) -> None:
    client = sign_in(Client(), council_officer)
    response = upload(client, "schools", "schools.csv", SCHOOLS)
    run = run_of(response)
    assert run.status == ImportRun.Status.CHECKED and run.new == 2
    stored = Path(run.stored_file)
    assert stored.parent == imports_dir and oct(stored.stat().st_mode & 0o777) == "0o600"
    page = client.get(response.url).content.decode()
    assert "What the check found" in page and "Import 2 rows" in page

    response = client.post(
        reverse("imports:act", kwargs={"public_id": run.public_id}), {"action": "import"}
    )
    run.refresh_from_db()
    assert run.status == ImportRun.Status.IMPORTED
    assert not stored.exists() and run.stored_file == ""
    page = client.get(response.url).content.decode()
    assert "What was imported" in page and "Import 2 rows" not in page
    history = client.get(reverse("imports:history")).content.decode()
    assert "schools.csv" in history and "Imported" in history and "Test User" in history


def test_rejected_rows_download_and_importing_only_the_good_rows(
    council_officer: Any,
) -> None:
    client = sign_in(Client(), council_officer)
    run = run_of(upload(client, "schools", "s.csv", SCHOOLS))
    client.post(reverse("imports:act", kwargs={"public_id": run.public_id}), {"action": "import"})
    bad = pupils_csv(3, bad={2: "2014-13-40"})
    run = run_of(upload(client, "school_census", "pupils.csv", bad))
    assert (run.new, run.rejected) == (2, 1)
    page = client.get(reverse("imports:run", kwargs={"public_id": run.public_id})).content
    assert b"date_of_birth" in page and b"2014-13-40" not in page
    assert b"Import the 2 good rows" in page

    download = client.get(reverse("imports:rejected", kwargs={"public_id": run.public_id}))
    rows = list(csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert [(r["pupil_id"], r["row"], r["reason"]) for r in rows] == [
        ("ED000000002", "3", "date_of_birth is not a date in the form yyyy-mm-dd")
    ]
    assert AccessEvent.objects.filter(object_type="import_rejected_rows").count() == 1

    # Importing without choosing to leave out the rejected rows is refused.
    act = reverse("imports:act", kwargs={"public_id": run.public_id})
    client.post(act, {"action": "import"})
    run.refresh_from_db()
    assert run.status == ImportRun.Status.CHECKED and not Person.objects.exists()
    client.post(act, {"action": "import", "skip_rejected": "yes"})
    run.refresh_from_db()
    assert run.status == ImportRun.Status.IMPORTED and Person.objects.count() == 2


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_rejected_rows_download_quotes_cells_a_spreadsheet_would_run(
    council_officer: Any, start: str
) -> None:
    client = sign_in(Client(), council_officer)
    formula = f'{start}HYPERLINK("http://evil.example/","x")'
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["urn", "name", "phase", "address_line1", "postcode"])
    writer.writerow(["900000", "Moorlands", "primary", "Wellington Close", "SH4 4TR"])
    writer.writerow([formula, formula, "primary", "Barley Street", "SH5 1XF"])
    run = run_of(upload(client, "schools", "s.csv", buffer.getvalue()))
    assert run.rejected == 1
    download = client.get(reverse("imports:rejected", kwargs={"public_id": run.public_id}))
    rows = list(csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert [(r["urn"], r["name"]) for r in rows] == [("'" + formula, "'" + formula)]
    assert not any(c[:1] in "=+-@\t\r" for r in rows for c in r.values() if c)


def test_abandoning_deletes_the_file_and_imports_nothing(council_officer: Any) -> None:
    client = sign_in(Client(), council_officer)
    run = run_of(upload(client, "schools", "s.csv", SCHOOLS))
    stored = Path(run.stored_file)
    client.post(reverse("imports:act", kwargs={"public_id": run.public_id}), {"action": "abandon"})
    run.refresh_from_db()
    assert run.status == ImportRun.Status.CANCELLED and not stored.exists()
    assert not Person.objects.exists()


def test_progress_page_and_endpoint_while_running(council_officer: Any, settings: Any) -> None:
    from safehub.imports import progress

    run = ImportRun.objects.create(
        source="schools",
        source_version=1,
        file_name="s.csv",
        file_sha256="0" * 64,
        status=ImportRun.Status.IMPORTING,
        started_by=council_officer,
        runner_pid=None,
    )
    progress.write_progress(run.public_id, phase="importing", rows_done=400, rows_total=1000)
    client = sign_in(Client(), council_officer)
    state = client.get(reverse("imports:progress", kwargs={"public_id": run.public_id})).json()
    assert state["running"] and (state["rows_done"], state["rows_total"]) == (400, 1000)
    page = client.get(reverse("imports:run", kwargs={"public_id": run.public_id})).content.decode()
    assert 'value="400"' in page and "imports/progress.js" in page and "Refresh this page" in page
    assert "nonce=" in page


def test_a_run_whose_runner_died_shows_as_failed(council_officer: Any) -> None:
    run = ImportRun.objects.create(
        source="schools",
        source_version=1,
        file_name="s.csv",
        file_sha256="0" * 64,
        status=ImportRun.Status.IMPORTING,
        started_by=council_officer,
        runner_pid=2**22 + 12345,
        runner_host="",
    )
    client = sign_in(Client(), council_officer)
    client.get(reverse("imports:history"))
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED and "nothing of it was saved" in run.error


def test_a_bad_upload_changes_nothing(council_officer: Any) -> None:
    client = sign_in(Client(), council_officer)
    response = client.post(reverse("imports:new"), {"source": "schools"})
    assert response.status_code == 200 and b"Select a file to check" in response.content
    file = SimpleUploadedFile("s.txt", b"urn\n", content_type="text/plain")
    response = client.post(reverse("imports:new"), {"source": "schools", "file": file})
    assert b"must be a CSV or an Excel" in response.content
    assert not ImportRun.objects.exists()


def test_a_data_officer_imports_only_their_own_agency_types_sources(
    council_officer: Any,
) -> None:
    client = sign_in(Client(), council_officer)
    page = client.get(reverse("imports:new")).content.decode()
    assert "School census" in page and "Police persons" not in page
    response = upload(client, "police_persons", "persons.csv", "police_id\n")
    assert response.status_code == 200 and not ImportRun.objects.exists()

    police = make_user(Role.DATA_OFFICER, agency=make_agency(AgencyType.POLICE))
    response = upload(
        sign_in(Client(), police), "police_persons", "persons.csv", "police_id,given_name\n"
    )
    assert response.status_code == 302


def test_others_cannot_see_or_continue_a_run(council_officer: Any) -> None:
    run = run_of(upload(sign_in(Client(), council_officer), "schools", "s.csv", SCHOOLS))
    other_agency = make_user(Role.DATA_OFFICER, agency=make_agency(AgencyType.COUNCIL))
    client = sign_in(Client(), other_agency)
    for name in ("run", "progress", "rejected"):
        assert (
            client.get(reverse(f"imports:{name}", kwargs={"public_id": run.public_id})).status_code
            == 403
        )
    act = reverse("imports:act", kwargs={"public_id": run.public_id})
    assert client.post(act, {"action": "import"}).status_code == 403
    run.refresh_from_db()
    assert run.status == ImportRun.Status.CHECKED
    # A colleague in the same agency may continue it; a referrer may not even list imports.
    colleague = make_user(Role.DATA_OFFICER, agency=council_officer.agency)
    assert sign_in(Client(), colleague).post(act, {"action": "import"}).status_code == 302
    referrer = sign_in(Client(), make_user(Role.REFERRER))
    assert referrer.get(reverse("imports:history")).status_code == 403
    assert upload(referrer, "schools", "s.csv", SCHOOLS).status_code == 403


def test_the_upload_form_is_shown_as_govuk_components_with_its_messages_linked(
    council_officer: Any,
) -> None:
    client = sign_in(Client(), council_officer)
    page = client.get(reverse("imports:new")).content.decode()
    assert 'class="govuk-radios__input" id="source" name="source" type="radio"' in page
    assert 'class="govuk-hint govuk-radios__hint"' in page  # each source's description
    assert 'id="file" name="file" type="file" accept=".csv,.xlsx"' in page

    refused = client.post(reverse("imports:new"), {}).content.decode()
    assert "<title>Error: " in refused
    assert '<a href="#source">Select what the file holds</a>' in refused
    assert '<a href="#file">Select a file to check</a>' in refused
