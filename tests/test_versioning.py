"""The shared optimistic lock (safehub.versioning): the version a form carries, the conditional
save, and what a refused save says changed, in plain words."""

from __future__ import annotations

from datetime import date

import pytest

from safehub.cases.models import Case, Meeting, SafetyPlan
from safehub.policy.roles import Role
from safehub.versioning import (
    StaleEdit,
    field_label,
    history_since,
    plain_value,
    posted_version,
    save_if_current,
)
from tests.cases.helpers import meeting_with, open_case_for
from tests.factories import make_user


@pytest.mark.parametrize(
    ("post", "version"),
    [({"version": "3"}, 3), ({}, 0), ({"version": "three"}, 0), ({"version": "-2"}, 0)],
)
def test_the_posted_version_is_never_current_when_missing_or_garbled(
    post: dict[str, str], version: int
) -> None:
    assert posted_version(post) == version


@pytest.mark.django_db
def test_values_and_labels_are_in_plain_words() -> None:
    worker = make_user(Role.CSE_PRACTITIONER)
    assert field_label(Case, "next_review_due") == "Next review due"
    assert field_label(Case, "allocated_to_id") == "Allocated to"
    assert plain_value(Case, "risk_level", "exploited") == "Exploited"
    assert plain_value(Case, "next_review_due", "2026-03-01") == "1 March 2026"
    assert plain_value(Case, "next_review_due", date(2026, 3, 1)) == "1 March 2026"
    assert plain_value(Case, "nrm_referred", "True") == "Yes"
    assert plain_value(Case, "allocated_to_id", str(worker.pk)) == worker.get_full_name()
    assert plain_value(Case, "allocated_to", None) == ""


@pytest.mark.django_db
def test_a_stale_save_writes_nothing_and_a_current_one_moves_the_version_on() -> None:
    manager = make_user(Role.CSE_MANAGER)
    case = open_case_for(manager=manager)
    plan = SafetyPlan.objects.get(case=case)
    assert save_if_current(SafetyPlan, pk=plan.pk, read_version=1, fields={"risks": "A"}) == 2
    with pytest.raises(StaleEdit) as exc:
        save_if_current(SafetyPlan, pk=plan.pk, read_version=1, fields={"risks": "B"})
    assert exc.value.current_version == 2 and exc.value.changes == []
    plan.refresh_from_db()
    assert (plan.risks, plan.version) == ("A", 2)


@pytest.mark.django_db
def test_a_record_with_history_gets_who_saved_what_and_when() -> None:
    ann = make_user(Role.CSE_MANAGER)
    meeting = meeting_with(open_case_for(manager=ann), by=ann)
    save_if_current(
        Meeting,
        pk=meeting.pk,
        read_version=meeting.version,
        fields={"decisions": "Refer to the NRM"},
        actor=ann,
        what="the decisions",
    )
    [change] = history_since(Meeting, meeting.pk, 1, fields=["decisions"])
    assert (change.who, change.what) == (ann.get_full_name(), "the decisions")
    assert [(f.label, f.before, f.after) for f in change.fields] == [
        ("Decisions", "", "Refer to the NRM")
    ]
    assert history_since(Meeting, meeting.pk, 2) == []
