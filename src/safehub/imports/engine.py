"""The import engine: one file of one source, checked (dry run) or applied, all or nothing.

Every source goes through `run_file`: rows are read in chunks, checked against the source's
declaration and the writer's database checks, classified new / changed / unchanged /
rejected by comparing row hashes with what the writer has stored under each key, and (when
applying) the new and changed rows are written — all inside one transaction, so a failure or
a killed process leaves nothing behind. Progress goes to a file (progress.py) that is
readable while the transaction is open.
"""

from __future__ import annotations

import csv
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from safehub.imports import progress
from safehub.imports.models import ImportRun
from safehub.imports.parsing import (
    FileProblem,
    check_header,
    count_rows,
    parse_row,
    read_rows_with_header,
)
from safehub.imports.registry import ParsedRow, RowProblem, Source, Writer
from safehub.refusals import Refused
from safehub.spreadsheets import safe_cell

log = logging.getLogger(__name__)

CHUNK_ROWS = 1000
# How many rejected rows the run keeps to show (all of them go to the rejected-rows file).
REJECTIONS_KEPT = 20

ProgressCallback = Callable[[int, int], None]


@dataclass
class Tally:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    rejected: int = 0
    rows_done: int = 0
    rows_total: int = 0
    rejections: list[dict[str, Any]] = field(default_factory=list)


class RejectedRowsRefused(Refused):
    """Rows were rejected and the user did not choose to import only the good ones; `tally`
    is the count and the rejections, for the run to show."""

    def __init__(self, tally: Tally) -> None:
        super().__init__("Some rows were rejected: choose to import only the good rows.")
        self.tally = tally


def _chunks(rows: Iterator[tuple[int, dict[str, Any]]]) -> Iterator[list[tuple[int, dict]]]:
    while chunk := list(islice(rows, CHUNK_ROWS)):
        yield chunk


def describe(problems: list[RowProblem]) -> str:
    return "; ".join(f"{p.column} {p.reason}" if p.column else p.reason for p in problems)


class RejectedRowsFile:
    """The rejected rows as they were in the file, plus `row` and `reason` columns (0600).

    Every cell goes through `safe_cell`: the file is opened in a spreadsheet, and an uploaded
    cell starting with = + - @ must not run there as a formula.
    """

    def __init__(self, path: Path, header: list[str]) -> None:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        self.handle = os.fdopen(fd, "w", newline="", encoding="utf-8")
        self.header = header
        self.writer = csv.writer(self.handle)
        self.writer.writerow([safe_cell(h) for h in [*header, "row", "reason"]])

    def add(self, number: int, raw: dict[str, Any], problems: list[RowProblem]) -> None:
        cells = ["" if raw.get(h) is None else str(raw.get(h)) for h in self.header]
        self.writer.writerow([safe_cell(c) for c in [*cells, number, describe(problems)]])

    def close(self) -> None:
        self.handle.close()


def _process_chunk(
    source: Source,
    writer: Writer,
    chunk: list[tuple[int, dict[str, Any]]],
    seen: set[int],
    tally: Tally,
    rejected_file: RejectedRowsFile | None,
    run: ImportRun | None,
) -> None:
    accepted: list[ParsedRow] = []
    raws: dict[int, dict[str, Any]] = {}
    rejected: dict[int, list[RowProblem]] = {}
    for number, raw in chunk:
        raws[number] = raw
        row, problems = parse_row(source, raw, number)
        if row is None:
            rejected[number] = problems
        elif hash(row.key) in seen:
            rejected[number] = [RowProblem("", "repeats the identifier of an earlier row")]
        else:
            # Hashes, not keys: a city's attendance has millions of keys. (Two keys sharing
            # a 64-bit hash in one file is vanishingly unlikely.)
            seen.add(hash(row.key))
            accepted.append(row)
    checks = getattr(writer, "problems", None)
    if checks is not None and accepted:
        found: dict[int, RowProblem] = checks(accepted)
        for number, problem in found.items():
            rejected[number] = [problem]
        accepted = [row for row in accepted if row.number not in found]
    stored = writer.existing([row.key for row in accepted]) if accepted else {}
    to_write: list[ParsedRow] = []
    for row in accepted:
        before = stored.get(row.key)
        if before is None:
            tally.new += 1
            to_write.append(row)
        elif before != row.row_hash:
            tally.changed += 1
            to_write.append(row)
        else:
            tally.unchanged += 1
    for number in sorted(rejected):
        tally.rejected += 1
        if len(tally.rejections) < REJECTIONS_KEPT:
            for problem in rejected[number]:
                tally.rejections.append(
                    {"row": number, "column": problem.column, "reason": problem.reason}
                )
        if rejected_file is not None:
            rejected_file.add(number, raws[number], rejected[number])
    if run is not None and to_write:
        writer.write(to_write, run)
    tally.rows_done += len(chunk)


def run_file(
    run: ImportRun,
    source: Source,
    path: Path,
    fmt: str,
    *,
    apply: bool,
    rejected_path: Path | None = None,
    on_progress: ProgressCallback | None = None,
) -> Tally:
    """Check (apply=False) or import (apply=True) the file for `run`; return the counts.

    Applying happens in one transaction, which is rolled back (RejectedRowsRefused) when rows
    were rejected and `run.skip_rejected` is not set, and on any error. Raises FileProblem
    for a file that is not this source's. Progress goes to the run's progress file.
    """
    total = count_rows(path, fmt)
    rows = read_rows_with_header(path, fmt)
    header_row = next(rows, None)
    if header_row is None:
        raise FileProblem("The file is empty: it has no header row.")
    header = list(header_row[1])
    check_header(source, header)
    writer = source.writer()
    tally = Tally(rows_total=total)
    seen: set[int] = set()
    phase = "importing" if apply else "checking"
    rejected_file = RejectedRowsFile(rejected_path, header) if rejected_path else None

    def report() -> None:
        progress.write_progress(
            run.public_id, phase=phase, rows_done=tally.rows_done, rows_total=total
        )
        if on_progress is not None:
            on_progress(tally.rows_done, total)

    try:
        report()
        if not apply:
            for chunk in _chunks(rows):
                _process_chunk(source, writer, chunk, seen, tally, rejected_file, None)
                report()
            return tally
        with transaction.atomic():
            for chunk in _chunks(rows):
                _process_chunk(source, writer, chunk, seen, tally, rejected_file, run)
                report()
            if tally.rejected and not run.skip_rejected:
                raise RejectedRowsRefused(tally)
            _finish(run, tally, ImportRun.Status.IMPORTED)
            _audit(run, tally)
        return tally
    finally:
        if rejected_file is not None:
            rejected_file.close()


def _finish(run: ImportRun, tally: Tally, status: str, error: str = "") -> None:
    run.status = status
    run.new, run.changed, run.unchanged = tally.new, tally.changed, tally.unchanged
    run.rejected, run.rows_done = tally.rejected, tally.rows_done
    run.rows_total = max(tally.rows_total, tally.rows_done)
    run.rejections = tally.rejections
    run.error = error
    run.finished_at = timezone.now()
    run.save()


def _audit(run: ImportRun, tally: Tally) -> None:
    """One access-log event per import or check: counts only, never row contents."""
    from safehub.audit.models import AuditAction, AuditObjectType
    from safehub.audit.services import record_access

    checked = run.status != ImportRun.Status.IMPORTED
    record_access(
        user=run.started_by,
        action=AuditAction.VIEW if checked else AuditAction.CREATE,
        object_type=AuditObjectType.IMPORT_RUN,
        object_id=run.public_id,
        reason=(
            f"{'checked' if checked else 'imported'} {run.source} v{run.source_version}: "
            f"{tally.new} new, {tally.changed} changed, {tally.unchanged} unchanged, "
            f"{tally.rejected} rejected"
        ),
        channel=run.channel,
    )


def finish_check(run: ImportRun, tally: Tally) -> None:
    """Record a dry run's counts and audit it."""
    _finish(run, tally, ImportRun.Status.CHECKED)
    _audit(run, tally)


def refuse_rejected(run: ImportRun, tally: Tally) -> None:
    """Record that nothing was imported because rows were rejected (the counts stand)."""
    _finish(
        run,
        tally,
        ImportRun.Status.CHECKED,
        error=(
            f"{tally.rejected} rows were rejected, so nothing was imported. Fix the file and "
            "import it again, or choose to import only the good rows."
        ),
    )
