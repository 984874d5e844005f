"""Shared fixtures: users of each role, and clients signed in with two-factor verified."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, settings

from safehub.accounts.models import User
from safehub.policy.roles import Role
from tests.factories import make_user

# Property tests run the same examples on every machine and are never failed for being slow:
# CI must not go red because two workers shared a busy core (no timing is asserted anywhere).
settings.register_profile(
    "safehub", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("safehub")


def sign_in(client: Client, user: User) -> Client:
    """Sign a user in as if they had entered their password and a valid TOTP code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def client_for(db: None) -> Callable[[User], Client]:
    def make(user: User) -> Client:
        return sign_in(Client(), user)

    return make


@pytest.fixture
def referrer(db: None) -> User:
    return make_user(Role.REFERRER)


@pytest.fixture
def mash_officer(db: None) -> User:
    return make_user(Role.MASH_OFFICER)


@pytest.fixture
def board_member(db: None) -> User:
    return make_user(Role.BOARD_MEMBER)
