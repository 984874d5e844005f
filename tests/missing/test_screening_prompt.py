"""The missing history asks for a screening only when nobody has screened since the alerts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safehub.cases import services as case_services
from safehub.missing.models import Alert
from safehub.missing.rules import ScreeningPrompt, screening_prompt
from safehub.policy.roles import Role
from tests.factories import make_screening, make_user
from tests.missing.helpers import make_child, make_episode

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1))


def test_no_alert_asks_nothing() -> None:
    assert screening_prompt(
        alerts_raised_on=[], screened_on=[date(2026, 1, 1)], open_case=True
    ) == (
        ScreeningPrompt.NONE,
        None,
    )


def test_a_screening_the_same_day_answers_the_alerts() -> None:
    day = date(2026, 11, 30)
    prompt = screening_prompt(alerts_raised_on=[day], screened_on=[day], open_case=True)
    assert prompt == (ScreeningPrompt.SCREENED, day)


def test_an_older_screening_does_not_answer_a_new_alert() -> None:
    prompt = screening_prompt(
        alerts_raised_on=[date(2026, 11, 30)], screened_on=[date(2026, 11, 29)], open_case=False
    )
    assert prompt == (ScreeningPrompt.SCREEN, None)


def test_an_open_case_sends_the_reader_to_the_worker_not_to_a_new_screening() -> None:
    prompt = screening_prompt(
        alerts_raised_on=[date(2026, 11, 30)], screened_on=[date(2026, 1, 2)], open_case=True
    )
    assert prompt == (ScreeningPrompt.OPEN_CASE, None)


@given(alerts=st.lists(days, min_size=1, max_size=5), screens=st.lists(days, max_size=5))
def test_screen_is_asked_exactly_when_no_screening_covers_the_first_alert(
    alerts: list[date], screens: list[date]
) -> None:
    prompt, on = screening_prompt(alerts_raised_on=alerts, screened_on=screens, open_case=False)
    covered = any(s >= min(alerts) for s in screens)
    assert (prompt is ScreeningPrompt.SCREEN) == (not covered)
    if covered:
        assert on == max(s for s in screens if s >= min(alerts))


@pytest.mark.django_db
def test_history_does_not_ask_to_screen_a_child_with_an_open_case_screened_today(
    client_for, mash_officer
) -> None:
    practitioner = make_user(Role.CSE_PRACTITIONER)
    child = make_child()
    make_episode(mash_officer, child, risk="high", found_after=timedelta(hours=5))
    assert Alert.objects.filter(person=child).exists()
    client = client_for(practitioner)
    before = client.get(f"/missing/person/{child.public_id}/")
    assert b"Complete a CSE screening" in before.content
    assert b"Start a CSE screening" in before.content

    make_screening(make_user(Role.REFERRER), person=child, missing_repeat="current")
    manager = make_user(Role.CSE_MANAGER)
    case_services.open_case(
        actor=manager, person=child, referral=None, reason="Strategy discussion"
    )
    after = client.get(f"/missing/person/{child.public_id}/")
    assert b"Complete a CSE screening" not in after.content
    assert b"Start a CSE screening" not in after.content
    assert b"was screened on" in after.content
    # The link to the case is offered only to those the policy lets read it.
    assert b"Open the CSE case" not in after.content
    assert (
        b"Open the CSE case"
        in client_for(manager).get(f"/missing/person/{child.public_id}/").content
    )


@pytest.mark.django_db
def test_history_sends_an_open_case_to_its_worker(client_for, mash_officer) -> None:
    child = make_child()
    case_services.open_case(
        actor=make_user(Role.CSE_MANAGER), person=child, referral=None, reason="Strategy discussion"
    )
    make_episode(mash_officer, child, risk="high", found_after=timedelta(hours=5))
    page = client_for(make_user(Role.CSE_PRACTITIONER)).get(f"/missing/person/{child.public_id}/")
    assert b"The child has an open CSE case" in page.content
    assert b"Start a CSE screening" not in page.content
