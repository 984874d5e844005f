"""The missing history reads as English: a return interview's status is not followed by
"due by" (which gave "Due due by")."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from safehub.policy.roles import Role
from tests.conftest import sign_in
from tests.factories import make_user
from tests.missing.helpers import make_child, make_episode

pytestmark = pytest.mark.django_db


def test_a_due_return_interview_is_not_due_due_by() -> None:
    officer = make_user(Role.MASH_OFFICER)
    child = make_child(officer)
    make_episode(officer, child, found_after=timedelta(hours=5))
    page = (
        sign_in(Client(), officer)
        .get(reverse("missing:person", kwargs={"public_id": child.public_id}))
        .content.decode()
    )
    text = " ".join(page.split())
    assert "Due</strong> deadline" in text
    assert "Due</strong> due by" not in text
