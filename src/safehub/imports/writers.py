"""Helpers for writers: the `SourceRecord` bookkeeping most sources share.

A writer for a source that stores rows in models it does not own subclasses
`SourceRecordWriter`, implements `write`, and calls `remember` for the rows it stored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from safehub.imports.models import SourceRecord
from safehub.imports.registry import ParsedRow, RowProblem

if TYPE_CHECKING:
    from safehub.imports.models import ImportRun


class SourceRecordWriter:
    """Keeps one SourceRecord per source key: its row hash, run, file row and record made."""

    source_name = ""

    def existing(self, keys: Sequence[str]) -> dict[str, str]:
        """The stored row hash of each of these keys that was imported before."""
        return dict(
            SourceRecord.objects.filter(source=self.source_name, source_key__in=keys).values_list(
                "source_key", "row_hash"
            )
        )

    def problems(self, rows: Sequence[ParsedRow]) -> dict[int, RowProblem]:
        """Checks that need the database; none by default."""
        return {}

    def records(self, keys: Sequence[str]) -> dict[str, SourceRecord]:
        """The SourceRecords already kept for these keys."""
        found = SourceRecord.objects.filter(source=self.source_name, source_key__in=keys)
        return {r.source_key: r for r in found}

    def remember(
        self,
        rows: Sequence[ParsedRow],
        run: ImportRun,
        *,
        persons: Mapping[str, int | None] | None = None,
        objects: Mapping[str, int | None] | None = None,
        created: Mapping[str, bool] | None = None,
    ) -> None:
        """Create or update the SourceRecord of each stored row, pointing at this run and row.

        `persons` / `objects` / `created` map a row's key to the person id, the other record's
        id and whether this source created the person; keys left out keep what is stored.
        """
        persons = persons or {}
        objects = objects or {}
        created = created or {}
        stored = self.records([r.key for r in rows])
        new: list[SourceRecord] = []
        changed: list[SourceRecord] = []
        for row in rows:
            record = stored.get(row.key)
            fields: dict[str, Any] = {
                "row_hash": row.row_hash,
                "import_run": run,
                "source_row": row.number,
            }
            if row.key in persons:
                fields["person_id"] = persons[row.key]
            if row.key in objects:
                fields["object_id"] = objects[row.key]
            if row.key in created:
                fields["created_person"] = created[row.key]
            if record is None:
                new.append(SourceRecord(source=self.source_name, source_key=row.key, **fields))
            else:
                for name, value in fields.items():
                    setattr(record, name, value)
                changed.append(record)
        SourceRecord.objects.bulk_create(new, batch_size=500)
        if changed:
            SourceRecord.objects.bulk_update(
                changed,
                ["row_hash", "import_run", "source_row", "person", "object_id", "created_person"],
                batch_size=500,
            )
