"""Restricted children in the missing policy, and the app's settings."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from safehub.missing import config
from safehub.policy import Action, Subject, TargetFacts, evaluate
from safehub.policy.roles import Role

PERSON_ACTIONS = [
    Action.MISSING_EPISODE_RECORD,
    Action.MISSING_EPISODE_VIEW,
    Action.MISSING_RHI_RECORD,
    Action.MISSING_PROFILE_VIEW,
    Action.MISSING_PROFILE_EDIT,
    Action.MISSING_ALERT_ACKNOWLEDGE,
]


@pytest.mark.parametrize("action", PERSON_ACTIONS)
def test_restricted_children_need_a_grant_for_every_missing_record(action: Action) -> None:
    manager = Subject(user_id=1, agency_id=1, roles=frozenset({Role.CSE_MANAGER}))
    target = TargetFacts(kind="missing_episode", person_id=5, owner_user_id=2, restricted=True)
    assert not evaluate(manager, action, target).allowed
    assert evaluate(manager, action, target, has_grant=True).allowed


def test_default_thresholds() -> None:
    t = config.thresholds()
    assert (t.repeat_episodes, t.repeat_window_days, t.rhi_due_hours) == (3, 90, 72)


@pytest.mark.parametrize(
    "configured", [{"repeat_episode": 3}, {"repeat_episodes": 0}, {"rhi_due_hours": "72"}]
)
def test_bad_trigger_settings_are_refused(configured: dict) -> None:
    with override_settings(SAFEHUB_MISSING_TRIGGERS=configured):
        with pytest.raises(ImproperlyConfigured):
            config.thresholds()
