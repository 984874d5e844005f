"""Professional judgement: raising takes effect, lowering waits for another manager."""

from __future__ import annotations

import pytest

from safehub.audit.models import AccessEvent
from safehub.policy.roles import Role
from safehub.referrals.models import Referral
from safehub.refusals import Refused
from safehub.screening.judgement import decide_lowering, record_judgement
from tests.factories import make_screening, make_user

pytestmark = pytest.mark.django_db
REASON = "Disclosed to the school nurse this morning"


def test_raising_takes_effect_at_once_and_refers_to_the_mash(referrer) -> None:
    screening = make_screening(referrer).screening
    assert screening.final_category == "no_current_risk" and not Referral.objects.exists()
    record_judgement(
        actor=referrer,
        screening=screening,
        category_id="at_risk",
        reason=REASON,
        sharing_basis="safeguarding",
        family_aware="no",
    )
    screening.refresh_from_db()
    assert (screening.computed_category, screening.final_category) == ("no_current_risk", "at_risk")
    referral = Referral.objects.get()
    assert screening.judgement == "raised" and referral.screening == screening
    # The MASH gets the basis for sharing and whether the family knows, as from a referral form.
    assert (referral.sharing_basis, referral.family_aware) == ("safeguarding", "no")


def test_raising_to_a_referral_without_the_sharing_answers_is_refused(referrer) -> None:
    screening = make_screening(referrer).screening
    with pytest.raises(Refused) as caught:
        record_judgement(actor=referrer, screening=screening, category_id="at_risk", reason=REASON)
    assert set(caught.value.errors) == {"sharing_basis", "family_aware"}
    screening.refresh_from_db()
    assert screening.judgement == "none" and not Referral.objects.exists()


def test_the_judgement_page_asks_for_the_sharing_answers_and_refers(client_for, referrer) -> None:
    screening = make_screening(referrer).screening
    client = client_for(referrer)
    url = f"/screening/{screening.public_id}/judgement/"
    assert b"on what basis are you sharing it?" in client.get(url).content
    refused = client.post(url, {"category": "at_risk", "reason": REASON})
    assert b"Select the basis on which you are sharing this information" in refused.content
    assert not Referral.objects.exists()
    done = client.post(
        url,
        {
            "category": "at_risk",
            "reason": REASON,
            "sharing_basis": "safeguarding",
            "family_aware": "yes",
        },
    )
    assert done.status_code == 302
    assert Referral.objects.get().sharing_basis == "safeguarding"
    assert AccessEvent.objects.filter(action="change", object_type="screening").exists()


def test_lowering_waits_for_a_manager_and_the_computed_result_stands(referrer) -> None:
    screening = make_screening(referrer, missing_repeat="current").screening
    record_judgement(actor=referrer, screening=screening, category_id="at_risk", reason=REASON)
    screening.refresh_from_db()
    assert screening.final_category == "significant_risk"
    assert (screening.judgement, screening.requested_category) == ("lowering_pending", "at_risk")
    with pytest.raises(Refused):
        record_judgement(actor=referrer, screening=screening, category_id="at_risk", reason=REASON)
    manager = make_user(Role.CSE_MANAGER)
    decide_lowering(actor=manager, screening=screening, approve=True)
    screening.refresh_from_db()
    assert (screening.final_category, screening.judgement) == ("at_risk", "lowering_approved")
    assert screening.computed_category == "significant_risk"


def test_a_refused_lowering_keeps_the_computed_result(referrer) -> None:
    screening = make_screening(referrer, missing_repeat="current").screening
    record_judgement(
        actor=referrer, screening=screening, category_id="no_current_risk", reason=REASON
    )
    decide_lowering(actor=make_user(Role.CSE_MANAGER), screening=screening, approve=False)
    screening.refresh_from_db()
    assert (screening.final_category, screening.judgement) == (
        "significant_risk",
        "lowering_refused",
    )


@pytest.mark.parametrize(
    ("category", "reason", "field"),
    [
        ("at_risk", "", "reason"),
        ("bogus", REASON, "category"),
        ("no_current_risk", REASON, "category"),
    ],
)
def test_bad_judgements_are_refused_and_change_nothing(referrer, category, reason, field) -> None:
    screening = make_screening(referrer).screening
    with pytest.raises(Refused) as caught:
        record_judgement(actor=referrer, screening=screening, category_id=category, reason=reason)
    assert field in caught.value.errors
    screening.refresh_from_db()
    assert screening.judgement == "none" and screening.final_category == "no_current_risk"


def test_a_manager_cannot_approve_their_own_request() -> None:
    manager = make_user(Role.CSE_MANAGER, Role.REFERRER)
    screening = make_screening(manager, missing_repeat="current").screening
    record_judgement(actor=manager, screening=screening, category_id="at_risk", reason=REASON)
    with pytest.raises(Refused):
        decide_lowering(actor=manager, screening=screening, approve=True)


def test_the_web_journey_for_judgement_and_approval(client_for, referrer) -> None:
    screening = make_screening(referrer, missing_repeat="current").screening
    client = client_for(referrer)
    result = client.get(f"/screening/{screening.public_id}/")
    assert b"Record a different result" in result.content
    refused = client.post(f"/screening/{screening.public_id}/judgement/", {"category": "at_risk"})
    assert b"Explain why" in refused.content
    client.post(
        f"/screening/{screening.public_id}/judgement/", {"category": "at_risk", "reason": REASON}
    )
    assert b"Lower result awaiting" in client.get(f"/screening/{screening.public_id}/").content
    # Referrers cannot approve; a manager can.
    assert client.get("/screening/approvals/").status_code == 403
    manager_client = client_for(make_user(Role.CSE_MANAGER))
    page = manager_client.get("/screening/approvals/")
    assert screening.person.family_name.encode() in page.content
    manager_client.post(
        "/screening/approvals/", {"screening": str(screening.public_id), "decision": "approve"}
    )
    screening.refresh_from_db()
    assert screening.final_category == "at_risk"


def test_only_the_screener_records_a_judgement(client_for, referrer) -> None:
    screening = make_screening(make_user(Role.REFERRER)).screening
    assert (
        client_for(referrer).get(f"/screening/{screening.public_id}/judgement/").status_code == 403
    )
    mash = client_for(make_user(Role.MASH_OFFICER))
    assert mash.get(f"/screening/{screening.public_id}/judgement/").status_code == 403
