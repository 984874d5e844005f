"""Asking the policy about a review pair or a cluster: one check per restricted child it links.

Used by the linkage pages and by person search's merge (data officers)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from safehub.audit.models import AuditAction, AuditObjectType
from safehub.audit.reads import audited_read
from safehub.linkage.models import PersonCluster, ReviewPair
from safehub.policy import Action, decide


def require_each(
    request: HttpRequest,
    action: Action,
    found: ReviewPair | PersonCluster,
    what: AuditObjectType,
) -> None:
    """`require` on a pair or cluster, once per restricted child it links (a grant is needed
    for each). A refusal goes on the access log first, naming the restricted child."""
    for target in found.access_targets():
        decision = decide(request.user, action, target)
        if not decision.allowed:
            facts = target.access_facts()
            audited_read(
                request.user,
                what,
                action=AuditAction.DENIED,
                object_id=found.public_id,
                person_id=facts.person_id if facts.restricted else None,
                reason=decision.reason,
            )
            raise PermissionDenied(decision.reason)
