"""Loading the small city into the database: row counts, refusal to load twice, replace."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safehub.accounts.models import Agency, User
from safehub.demo.city.load import CityAlreadyLoaded, load_city
from safehub.people.models import Person
from safehub.referrals.models import Referral
from safehub.screening.models import Screening


@pytest.mark.django_db
def test_load_city_loads_the_small_city_and_counts_rows() -> None:
    counts = load_city("small", 5)
    assert (
        counts["people"]
        == 2000
        == Person.objects.filter(created_by__username="synthetic-city").count()
    )
    assert counts["addresses"] == 2 * counts["people"]
    assert counts["screenings"] == Screening.objects.count() > 0
    assert counts["referrals"] == Referral.objects.count() > 0
    assert Agency.objects.filter(agency_type="school").count() == 10
    assert Person.objects.filter(school__isnull=False).count() > 1000
    assert Referral.objects.filter(status="awaiting_triage").count() >= 3
    manager = User.objects.get(username="cse.service.manager")
    assert not manager.has_usable_password()
    assert {"cse_manager", "mash_officer"} <= set(
        manager.role_assignments.values_list("role", flat=True)
    )


@pytest.mark.django_db
def test_load_city_refuses_to_load_twice_unless_replacing() -> None:
    load_city("small", 5)
    with pytest.raises(CityAlreadyLoaded):
        load_city("small", 5)
    assert Person.objects.count() == 2000
    users = User.objects.count()
    counts = load_city("small", 6, replace=True)
    assert Person.objects.count() == counts["people"] == 2000
    assert Screening.objects.count() == counts["screenings"]
    assert User.objects.count() == users


@pytest.mark.django_db
def test_command_refuses_a_second_load_with_a_clear_message() -> None:
    call_command("build_city", "--size", "small", "--seed", "2", "--load")
    with pytest.raises(CommandError, match="already loaded"):
        call_command("build_city", "--size", "small", "--seed", "2", "--load")
