"""Writing people from an agency's extract into `people.Person`, remembering the source key.

Each source row is one agency's record of a person. A new key is linked to a person Safehub
already knows when an identifier matches exactly (which identifiers depends on the source:
UPN, NHS number, or the normalised name and date of birth); otherwise a person is created.
Record linkage proper (fuzzy names, swapped dates, duplicates) is a later piece of work.

Only the source that created a person updates their names, date of birth, sex and address
on later imports; a source that merely linked adds identifiers the person lacks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from safehub.imports.registry import ParsedRow
from safehub.imports.writers import SourceRecordWriter
from safehub.people.choices import Sex
from safehub.people.models import Address, Person

if TYPE_CHECKING:
    from safehub.imports.models import ImportRun

SEX = {"F": Sex.FEMALE, "M": Sex.MALE, "U": Sex.NOT_KNOWN}
IDENTITY_FIELDS = ("given_name", "family_name", "date_of_birth", "sex", "ethnicity")
IDENTIFIER_FIELDS = ("upn", "nhs_number", "school_id")


def name_key(given: str, family: str, born: date | None) -> str | None:
    """Exact-match key: letters of the names, lower-cased, and the date of birth."""
    if born is None:
        return None

    def letters(text: str) -> str:
        return re.sub(r"[^a-z]", "", text.lower())

    return f"name:{letters(given)}|{letters(family)}|{born.isoformat()}"


class PersonRowWriter(SourceRecordWriter):
    """Base writer for sources whose rows are people. Subclasses say how to map and link."""

    def person_fields(self, values: dict[str, Any]) -> dict[str, Any]:
        """Person model fields from a row (identity and identifiers)."""
        return {
            "given_name": values["given_name"],
            "family_name": values["family_name"],
            "date_of_birth": values["date_of_birth"],
            "sex": SEX.get(values["sex"], Sex.NOT_KNOWN),
        }

    def identifiers(self, values: dict[str, Any]) -> list[str]:
        """The link keys of a row, strongest first ("upn:...", "nhs:...", "name:...")."""
        return []

    def known(self, idents: set[str]) -> dict[str, int]:
        """Existing people matching any of these link keys: {link key: person id}."""
        found: dict[str, int] = {}
        upns = {i[4:] for i in idents if i.startswith("upn:")}
        nhs = {i[4:] for i in idents if i.startswith("nhs:")}
        if upns:
            for pk, upn in (
                Person.objects.filter(upn__in=upns).order_by("pk").values_list("pk", "upn")
            ):
                found.setdefault(f"upn:{upn}", pk)
        if nhs:
            for pk, number in (
                Person.objects.filter(nhs_number__in=nhs)
                .order_by("pk")
                .values_list("pk", "nhs_number")
            ):
                found.setdefault(f"nhs:{number}", pk)
        names = {i for i in idents if i.startswith("name:")}
        if names:
            born = {date.fromisoformat(i.rsplit("|", 1)[1]) for i in names}
            people = Person.objects.filter(date_of_birth__in=born).order_by("pk")
            for pk, given, family, dob in people.values_list(
                "pk", "given_name", "family_name", "date_of_birth"
            ):
                key = name_key(given, family, dob)
                if key in names:
                    found.setdefault(key, pk)
        return found

    def write(self, rows: Sequence[ParsedRow], run: ImportRun) -> None:
        records = self.records([r.key for r in rows])
        persons: dict[str, int | None] = {}
        created: dict[str, bool] = {}
        updates: list[ParsedRow] = []
        fresh: list[ParsedRow] = []
        for row in rows:
            record = records.get(row.key)
            if record is not None and record.person_id is not None:
                updates.append(row)
            else:
                fresh.append(row)
        self._update(updates, records)
        self._link_or_create(fresh, run, persons, created)
        self.remember(rows, run, persons=persons, created=created)

    def _update(self, rows: Sequence[ParsedRow], records: dict[str, Any]) -> None:
        if not rows:
            return
        people = Person.objects.in_bulk([records[r.key].person_id for r in rows])
        changed: list[Person] = []
        moves: list[tuple[Person, dict[str, Any]]] = []
        for row in rows:
            record = records[row.key]
            person = people[record.person_id]
            fields = self.person_fields(row.values)
            for name in IDENTIFIER_FIELDS:
                if name in fields and fields[name] and not getattr(person, name):
                    setattr(person, name, fields[name])
            if record.created_person:
                for name in IDENTITY_FIELDS + ("school_id",):
                    if name in fields:
                        setattr(person, name, fields[name])
                moves.append((person, row.values))
            changed.append(person)
        Person.objects.bulk_update(
            changed, [*IDENTITY_FIELDS, "upn", "nhs_number", "school"], batch_size=500
        )
        self._move(moves)

    def _move(self, moves: list[tuple[Person, dict[str, Any]]]) -> None:
        """A changed address: the old one ends today and the new one starts."""
        if not moves:
            return
        current = {
            a.person_id: a
            for a in Address.objects.filter(
                person_id__in=[p.pk for p, _ in moves], moved_out__isnull=True
            )
        }
        today = timezone.localdate()
        ended: list[Address] = []
        added: list[Address] = []
        for person, values in moves:
            new = self._address(person, values)
            old = current.get(person.pk)
            if new is None or (
                old is not None
                and (old.line1, old.town, old.postcode) == (new.line1, new.town, new.postcode)
            ):
                continue
            if old is not None:
                old.moved_out = today
                ended.append(old)
            new.moved_in = today
            added.append(new)
        Address.objects.bulk_update(ended, ["moved_out"], batch_size=500)
        Address.objects.bulk_create(added, batch_size=500)

    def _address(self, person: Person, values: dict[str, Any]) -> Address | None:
        line1 = values.get("address_line1", "")
        postcode = values.get("postcode", "")
        if not (line1 or postcode):
            return None
        return Address(
            person=person,
            line1=line1 or "(not given)",
            town=values.get("town", "")[:100],
            postcode=postcode,
        )

    def _link_or_create(
        self,
        rows: Sequence[ParsedRow],
        run: ImportRun,
        persons: dict[str, int | None],
        created: dict[str, bool],
    ) -> None:
        if not rows:
            return
        idents = {row.key: self.identifiers(row.values) for row in rows}
        known = self.known({i for ids in idents.values() for i in ids})
        # Rows of one chunk naming the same person share the first row's new record.
        leaders: dict[str, ParsedRow] = {}
        to_create: list[ParsedRow] = []
        follows: dict[str, str] = {}
        for row in rows:
            match = next((known[i] for i in idents[row.key] if i in known), None)
            if match is not None:
                persons[row.key] = match
                created[row.key] = False
                continue
            leader = next((leaders[i] for i in idents[row.key] if i in leaders), None)
            if leader is not None:
                follows[row.key] = leader.key
                continue
            for ident in idents[row.key]:
                leaders[ident] = row
            to_create.append(row)
        # No created_by: the importing user did not record these people and must not stand
        # in the "own" relationship to them (the SourceRecord names the run and its user).
        new_people = [Person(**self.person_fields(row.values)) for row in to_create]
        Person.objects.bulk_create(new_people, batch_size=500)
        addresses = []
        for row, person in zip(to_create, new_people, strict=True):
            persons[row.key] = person.pk
            created[row.key] = True
            address = self._address(person, row.values)
            if address is not None:
                addresses.append(address)
        Address.objects.bulk_create(addresses, batch_size=500)
        for key, leader_key in follows.items():
            persons[key] = persons[leader_key]
            created[key] = False
