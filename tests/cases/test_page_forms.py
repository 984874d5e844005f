"""The cases pages on the one form system: the checks about the input itself (real dates,
times, whole numbers, a choice from the list) keep their words, a stale save is shown with
the version now saved, and nothing is written while the input is wrong."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safehub.accounts.models import User
from safehub.cases import services
from safehub.cases.models import Case, Intervention, Meeting, Review
from safehub.policy.roles import Role
from tests.cases.helpers import open_case_for
from tests.factories import make_user

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]


def test_a_date_that_is_not_real_is_named_in_plain_words(client_for: ClientFor) -> None:
    worker = make_user(Role.CSE_PRACTITIONER)
    case = open_case_for(worker=worker)
    response = client_for(worker).post(
        reverse("cases:intervention", args=[case.public_id]),
        {"kind": "direct_work", "date-day": "31", "date-month": "2", "date-year": "2026"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert "The date must be a real date" in page and 'href="#date-day"' in page
    assert 'name="date-day" type="text" inputmode="numeric" value="31"' in page
    assert not Intervention.objects.exists()


def test_a_date_missing_its_month_says_so(client_for: ClientFor) -> None:
    worker = make_user(Role.CSE_PRACTITIONER)
    case = open_case_for(worker=worker)
    response = client_for(worker).post(
        reverse("cases:review", args=[case.public_id]),
        {"held_on-day": "3", "held_on-year": "2026", "summary": "Going well"},
    )
    assert "The date must include a month" in response.content.decode()
    assert not Review.objects.exists()


def test_missing_episodes_must_be_a_whole_number_of_zero_or_more(
    client_for: ClientFor,
) -> None:
    manager = make_user(Role.CSE_MANAGER)
    case = open_case_for(manager=manager)
    url = reverse("cases:close", args=[case.public_id])
    for typed in ("-1", "2.5", "lots"):
        response = client_for(manager).post(
            url, {"version": str(case.version), "missing_episodes": typed}
        )
        page = response.content.decode()
        assert "Enter the number of missing episodes as a whole number" in page, typed
        assert 'href="#missing_episodes"' in page
    assert Case.objects.get(pk=case.pk).status == "open"


def test_the_nrm_page_asks_whether_a_referral_was_made(client_for: ClientFor) -> None:
    worker = make_user(Role.CSE_PRACTITIONER)
    case = open_case_for(worker=worker)
    url = reverse("cases:nrm", args=[case.public_id])
    response = client_for(worker).post(url, {"version": str(case.version), "referred": "maybe"})
    assert "Select yes if an NRM referral has been made" in response.content.decode()
    assert not Case.objects.get(pk=case.pk).nrm_referred


def test_a_meeting_time_must_be_a_time(client_for: ClientFor) -> None:
    manager = make_user(Role.CSE_MANAGER)
    case = open_case_for(manager=manager)
    day = timezone.localdate() - timedelta(days=1)
    response = client_for(manager).post(
        reverse("cases:meeting_new"),
        {
            "kind": "strategy",
            "held_on-day": day.day,
            "held_on-month": day.month,
            "held_on-year": day.year,
            "held_time": "half ten",
            "agenda": [str(case.public_id)],
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the time like 14:30" in page and 'value="half ten"' in page
    assert not Meeting.objects.exists()


def test_an_empty_post_is_refused_by_the_service_not_shown_as_a_new_form(
    client_for: ClientFor,
) -> None:
    worker = make_user(Role.CSE_PRACTITIONER)
    case = open_case_for(worker=worker)
    response = client_for(worker).post(reverse("cases:risk", args=[case.public_id]), {})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "Select the risk level" in page
    assert Case.objects.get(pk=case.pk).risk_level == case.risk_level


def test_a_stale_save_carries_the_version_now_saved_so_saving_again_works(
    client_for: ClientFor,
) -> None:
    worker, manager = make_user(Role.CSE_PRACTITIONER), make_user(Role.CSE_MANAGER)
    case = open_case_for(worker=worker, manager=manager)
    read_at = case.version
    services.change_risk_level(
        actor=manager, case=case, read_version=read_at, level="high", reason="New intelligence"
    )
    saved = Case.objects.get(pk=case.pk)
    client = client_for(worker)
    url = reverse("cases:risk", args=[case.public_id])
    answers = {"level": "low", "reason": "Engaging well"}
    stale = client.post(url, {**answers, "version": str(read_at)})
    page = stale.content.decode()
    assert stale.status_code == 409
    assert f'<input type="hidden" name="version" value="{saved.version}">' in page
    assert "Engaging well" in page  # what the user typed is kept
    again = client.post(url, {**answers, "version": str(saved.version)})
    assert again.status_code == 302
    assert Case.objects.get(pk=case.pk).risk_level == "low"


def test_the_chronology_filter_names_a_date_that_is_not_real(client_for: ClientFor) -> None:
    worker = make_user(Role.CSE_PRACTITIONER)
    case = open_case_for(worker=worker)
    url = reverse("cases:chronology", args=[case.public_id])
    response = client_for(worker).get(
        url,
        {
            "kind": ["note", "not-a-kind"],
            "since-day": "40",
            "since-month": "1",
            "since-year": "2026",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Chronology" in page
    assert "The date must be a real date" in page and 'href="#since-day"' in page
    assert 'value="note" checked' in page
