"""`safehub restrict_record PUBLIC_ID --reason ...`: restrict (or open) a person's record."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehub.audit.models import AuditAction, AuditObjectType
from safehub.audit.services import record_access
from safehub.people.models import Person


class Command(BaseCommand):
    help = (
        "Restrict a person's record (e.g. a member of staff's child) so only people with an "
        "explicit grant see it; --lift opens it again. Needs --reason; audited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("public_id", help="the record's id, as in its web address")
        parser.add_argument("--reason", required=True)
        parser.add_argument("--lift", action="store_true", help="remove the restriction")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            public_id = uuid.UUID(options["public_id"])
        except ValueError:
            raise CommandError("That is not a record id.") from None
        person = Person.objects.filter(public_id=public_id).first()
        if person is None:
            raise CommandError("No record with that id.")
        if len(options["reason"].strip()) < 5:
            raise CommandError("Give a reason.")
        person.is_restricted = not options["lift"]
        person.save(update_fields=["is_restricted"])
        record_access(
            user=None,
            action=AuditAction.CHANGE,
            object_type=AuditObjectType.PERSON,
            object_id=person.public_id,
            person_id=person.pk,
            reason=("restriction lifted: " if options["lift"] else "restricted: ")
            + options["reason"].strip(),
            channel="cli",
        )
        state = "open to the roles that may see it" if options["lift"] else "restricted"
        self.stdout.write(f"The record is now {state}.")
