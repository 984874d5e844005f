"""How a source stands to a user, for the policy: a source belongs to every agency of the
types it declares (`Source.agency_types`), so a data officer of such an agency imports it as
"own agency" data; anyone else's import of it is "other agency" (system administrators)."""

from __future__ import annotations

from dataclasses import dataclass

from safehub.imports.registry import Source
from safehub.policy import TargetFacts


@dataclass(frozen=True)
class SourceTarget:
    source: Source
    user_agency_id: int | None
    user_agency_type: str

    @classmethod
    def for_user(cls, source: Source, user: object) -> SourceTarget:
        agency = getattr(user, "agency", None)
        return cls(
            source,
            getattr(agency, "pk", None),
            str(getattr(agency, "agency_type", "") or ""),
        )

    def access_facts(self) -> TargetFacts:
        own = self.user_agency_type in self.source.agency_types
        return TargetFacts(
            kind="import_source", owner_agency_id=self.user_agency_id if own else None
        )
