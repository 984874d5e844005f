"""Missing reports imported from the police extract raise the same alerts as episodes recorded
by hand, when they are recent; last year's reports are history, not a queue of stale alerts."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from safehub.audit.models import AccessEvent, AuditAction
from safehub.missing.choices import Trigger
from safehub.missing.models import Alert, MissingEpisode
from safehub.policy.roles import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PERSONS = (
    "police_id,given_name,family_name,date_of_birth,sex,address_line1,town,postcode,"
    "ethnic_appearance",
    "PN910000001,Tayla,Testrecent,04/02/2011,F,2 Oak Road,Safehub,SH1 1AA,IC1",
    "PN910000002,Mason,Testhistory,04/02/2010,M,3 Oak Road,Safehub,SH1 1AA,IC1",
)
HEADER = (
    "report_ref,police_id,missing_from,reported_at,found_at,duration_hours,found_location_id,"
    "found_description,risk_level"
)


def stamp(days_ago: float) -> str:
    return (timezone.localtime() - timedelta(days=days_ago)).strftime("%d/%m/%Y %H:%M")


def reports() -> list[str]:
    rows = [HEADER]
    # Tayla: three episodes in the last three weeks, the last graded high.
    for n, (days, risk) in enumerate(((20, "medium"), (12, "medium"), (3, "high")), start=1):
        rows.append(
            f"MISS/91/00000{n},PN910000001,home,{stamp(days)},{stamp(days - 0.5)},12.0,,"
            f"with an older male,{risk}"
        )
    # Mason: the same pattern, a year ago.
    for n, days in enumerate((380, 372, 365), start=4):
        rows.append(
            f"MISS/91/00000{n},PN910000002,home,{stamp(days)},{stamp(days - 0.5)},12.0,,,high"
        )
    return rows


@pytest.fixture(autouse=True)
def imports_dir(settings: Any, tmp_path: Path) -> Path:
    settings.SAFEHUB_IMPORTS_DIR = str(tmp_path / "imports")
    settings.SAFEHUB_IMPORTS_INLINE = True
    return tmp_path


def run(*args: str) -> None:
    call_command("import", *args, "--no-progress", stdout=StringIO())


def load(tmp_path: Path, user: str) -> None:
    persons = tmp_path / "persons.csv"
    persons.write_text("\n".join(PERSONS) + "\n")
    missing = tmp_path / "missing_reports.csv"
    missing.write_text("\n".join(reports()) + "\n")
    run("police_persons", str(persons), "--user", user)
    run("police_missing_reports", str(missing), "--user", user)


def test_recent_imported_episodes_raise_the_missing_alerts(tmp_path: Path) -> None:
    importer = make_user(Role.DATA_OFFICER)
    load(tmp_path, importer.username)
    assert MissingEpisode.objects.count() == 6
    raised = {(a.person.family_name, a.trigger) for a in Alert.objects.select_related("person")}
    assert raised == {
        ("Testrecent", Trigger.REPEAT_EPISODES),
        ("Testrecent", Trigger.HIGH_RISK),
    }
    # Each alert is on the access log, raised by the person who ran the import.
    assert (
        AccessEvent.objects.filter(
            user_id=importer.pk, action=AuditAction.CREATE, object_type="missing_alert"
        ).count()
        == Alert.objects.count()
    )


def test_importing_the_same_file_again_raises_nothing_new(tmp_path: Path) -> None:
    importer = make_user(Role.DATA_OFFICER)
    load(tmp_path, importer.username)
    before = set(Alert.objects.values_list("pk", flat=True))
    load(tmp_path, importer.username)
    assert set(Alert.objects.values_list("pk", flat=True)) == before


def test_the_window_for_imported_alerts_can_be_set(tmp_path: Path, settings: Any) -> None:
    settings.SAFEHUB_MISSING_IMPORT_ALERT_DAYS = 400
    load(tmp_path, make_user(Role.DATA_OFFICER).username)
    people = set(Alert.objects.values_list("person__family_name", flat=True))
    assert people == {"Testrecent", "Testhistory"}
