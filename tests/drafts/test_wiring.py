"""Every long form keeps a draft: it opts in with data-autosave, and its page offers the kept
draft back to the form after a sign-out."""

from __future__ import annotations

from pathlib import Path

import pytest

from safehub.accounts.models import User
from safehub.drafts.models import FormDraft
from tests.missing.helpers import make_child

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "safehub"
# The referral, each screening page, case notes, risk, safety plans, interventions, reviews,
# meeting records and actions (cases/form.html), missing episodes, return interviews and
# profiles, intelligence records, and plan updates (plans/form.html).
LONG_FORMS = [
    "referrals/templates/referrals/new.html",
    "screening/templates/screening/group.html",
    "screening/templates/screening/check.html",
    "screening/templates/screening/judgement.html",
    "cases/templates/cases/form.html",
    "missing/templates/missing/episode_form.html",
    "missing/templates/missing/rhi_form.html",
    "missing/templates/missing/profile_form.html",
    "intelligence/templates/intelligence/person_form.html",
    "intelligence/templates/intelligence/location_form.html",
    "intelligence/templates/intelligence/vehicle_form.html",
    "intelligence/templates/intelligence/association_form.html",
    "intelligence/templates/intelligence/disruption_form.html",
    "intelligence/templates/intelligence/outcome_form.html",
    "plans/templates/plans/form.html",
]


@pytest.mark.parametrize("template", LONG_FORMS)
def test_each_long_form_keeps_a_draft(template: str) -> None:
    assert "data-autosave" in (TEMPLATES / template).read_text()


@pytest.mark.django_db
def test_a_missing_episode_form_gets_its_draft_back(client_for, mash_officer: User) -> None:
    child = make_child()
    path = f"/missing/person/{child.public_id}/episodes/new/"
    client = client_for(mash_officer)
    saved = client.post(
        "/accounts/drafts/", {"draft_path": path, "circumstances": "Left after an argument"}
    )
    assert saved.status_code == 200
    html = client.get(path).content.decode()
    assert "data-autosave" in html and 'id="safehub-form-draft"' in html
    assert "Left after an argument" in html and "We kept what you typed" in html
    assert FormDraft.objects.get(user=mash_officer).path == path
