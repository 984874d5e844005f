"""Reading a source file and checking each row against the source's declaration.

Pure functions apart from reading the file: no database. A rejected row gets one
`RowProblem` per bad column; the reasons never repeat the value (rows hold personal data).
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from safehub.imports.registry import Column, ColumnKind, ParsedRow, RowProblem, Source
from safehub.people.validators import (
    nhs_number_problem,
    normalise_nhs_number,
    normalise_postcode,
    normalise_upn,
    postcode_problem,
    upn_problem,
)
from safehub.refusals import Refused

LONDON = ZoneInfo("Europe/London")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
FORMATS = {".csv": "csv", ".xlsx": "xlsx"}
# Human forms of the strftime formats the sources use, for reasons users read.
_FORMAT_WORDS = {"%Y": "yyyy", "%m": "mm", "%d": "dd", "%H": "HH", "%M": "MM", "%S": "SS"}


class FileProblem(Refused):
    """The file as a whole cannot be read as this source (wrong type, missing columns).

    A refusal not about one field; its own kind because running a file fails the run with it,
    where any other refusal is not the file's fault."""


def format_words(fmt: str) -> str:
    for code, word in _FORMAT_WORDS.items():
        fmt = fmt.replace(code, word)
    return fmt


def _text_of(raw: Any, column: Column) -> str:
    """A cell as text. Spreadsheet cells arrive typed; render dates in the declared format."""
    if raw is None:
        return ""
    if isinstance(raw, datetime):
        if column.kind == ColumnKind.DATE:
            return raw.date().strftime(column.fmt)
        return raw.strftime(column.fmt) if column.fmt else raw.isoformat()
    if isinstance(raw, date):
        return raw.strftime(column.fmt) if column.fmt else raw.isoformat()
    if isinstance(raw, float) and raw.is_integer() and column.kind != ColumnKind.DECIMAL:
        return str(int(raw))
    return str(raw).strip()


def parse_value(column: Column, raw: Any) -> tuple[Any, str | None]:
    """The parsed value of one cell, or a reason it is not acceptable."""
    text = _text_of(raw, column)
    if text == "":
        if column.required:
            return None, "is required but empty"
        empty: Any = "" if column.kind in _TEXTUAL else None
        return empty, None
    kind = column.kind
    if kind == ColumnKind.TEXT:
        if column.max_length is not None and len(text) > column.max_length:
            return None, f"is longer than {column.max_length} characters"
        if column.pattern and not re.fullmatch(column.pattern, text):
            return None, column.pattern_words or "is not in the expected form"
        if column.check is not None and (problem := column.check(text)):
            return None, problem
        return text, None
    if kind == ColumnKind.INTEGER:
        if not re.fullmatch(r"-?\d{1,18}", text):
            return None, "is not a whole number"
        return int(text), None
    if kind == ColumnKind.DECIMAL:
        try:
            value = Decimal(text)
        except InvalidOperation:
            return None, "is not a number"
        if not value.is_finite():
            return None, "is not a number"
        return value, None
    if kind == ColumnKind.DATE:
        if column.fmt == "%Y-%m-%d" and _ISO_DATE.fullmatch(text):
            try:  # the common case, ten times faster than strptime
                return date.fromisoformat(text), None
            except ValueError:
                return None, f"is not a date in the form {format_words(column.fmt)}"
        try:
            return datetime.strptime(text, column.fmt).date(), None
        except ValueError:
            return None, f"is not a date in the form {format_words(column.fmt)}"
    if kind == ColumnKind.DATETIME:
        try:
            return datetime.strptime(text, column.fmt).replace(tzinfo=LONDON), None
        except ValueError:
            return None, f"is not a date and time in the form {format_words(column.fmt)}"
    if kind == ColumnKind.CODE:
        if text not in column.codes:
            return None, "is not one of: " + ", ".join(c for c in column.codes)
        return text, None
    if kind in _IDENTIFIERS:
        return _identifier(kind, text)
    raise ValueError(f"unknown column kind {kind}")


_IDENTIFIERS = {ColumnKind.UPN, ColumnKind.NHS_NUMBER, ColumnKind.POSTCODE}


@lru_cache(maxsize=65536)
def _identifier(kind: str, text: str) -> tuple[str | None, str | None]:
    """Validated identifiers, cached: a pupil's UPN is on every one of their ~38 weeks."""
    if kind == ColumnKind.UPN:
        problem = upn_problem(text)
        return (None, "is not a valid UPN") if problem else (normalise_upn(text), None)
    if kind == ColumnKind.NHS_NUMBER:
        problem = nhs_number_problem(text)
        return (
            (None, "is not a valid NHS number") if problem else (normalise_nhs_number(text), None)
        )
    problem = postcode_problem(text)
    return (None, "is not a UK postcode") if problem else (normalise_postcode(text), None)


_TEXTUAL = {ColumnKind.TEXT, ColumnKind.CODE, ColumnKind.UPN, ColumnKind.NHS_NUMBER}
_TEXTUAL |= {ColumnKind.POSTCODE}


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


def row_hash(source: Source, values: Mapping[str, Any]) -> str:
    """A fingerprint of a row's parsed values in declared column order (changed vs unchanged).

    Writers that keep no hash (attendance) recompute it from what they stored.
    """
    payload = json.dumps([_canonical(values.get(name)) for name in source.column_names])
    return hashlib.sha256(payload.encode()).hexdigest()


def key_of(source: Source, values: Mapping[str, Any]) -> str:
    return "|".join(str(_canonical(values[name])) for name in source.key)


def parse_row(
    source: Source, raw: Mapping[str, Any], number: int
) -> tuple[ParsedRow | None, list[RowProblem]]:
    """Check one file row against the declaration: a ParsedRow, or the problems found."""
    values: dict[str, Any] = {}
    problems: list[RowProblem] = []
    for column in source.columns:
        value, problem = parse_value(column, raw.get(column.name))
        if problem:
            problems.append(RowProblem(column.name, problem))
        values[column.name] = value
    if problems:
        return None, problems
    if source.row_check is not None:
        values, problems = source.row_check(values)
        if problems:
            return None, problems
    return ParsedRow(number, key_of(source, values), values, row_hash(source, values)), []


def check_header(source: Source, header: list[str]) -> None:
    """Refuse a file that lacks a declared column (extra columns are ignored)."""
    missing = [name for name in source.column_names if name not in header]
    if missing:
        raise FileProblem(
            f"The file has no column {', '.join(missing)}. A {source.title} file (version "
            f"{source.version}) has the columns: {', '.join(source.column_names)}."
        )


def file_format(name: str) -> str:
    fmt = FORMATS.get(Path(name).suffix.lower())
    if fmt is None:
        raise FileProblem("The file must be a CSV (.csv) or Excel (.xlsx) file.")
    return fmt


def read_rows_with_header(path: Path, fmt: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (1, {name: name}) for the header, then (file row number, {column: cell}) for
    every data row. Empty rows are skipped. Raises FileProblem for an unreadable file."""
    if fmt == "csv":
        yield from _read_csv(path, with_header=True)
    else:
        yield from _read_xlsx(path, with_header=True)


def unique_headers(header: list[str]) -> list[str]:
    """Header names made unique: a name repeated in the file gets "_2", "_3"... on its second,
    third... appearance ("SNP", "SNP", "SNP" -> "SNP", "SNP_2", "SNP_3"), so no column is lost."""
    seen: dict[str, int] = {}
    out = []
    for name in header:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 or not name else f"{name}_{seen[name]}")
    return out


def _read_csv(path: Path, with_header: bool = False) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = unique_headers([h.strip() for h in next(reader, [])])
            if not header:
                raise FileProblem("The file is empty: it has no header row.")
            if with_header:
                yield 1, {h: h for h in header}
            for number, cells in enumerate(reader, start=2):
                if not any(c.strip() for c in cells):
                    continue
                yield number, dict(zip(header, cells, strict=False))
    except UnicodeDecodeError as exc:
        raise FileProblem("The file is not a UTF-8 CSV file.") from exc
    except csv.Error as exc:
        raise FileProblem(f"The CSV file could not be read near line {reader.line_num}.") from exc


NOT_A_WORKBOOK = (
    "The file is not an Excel (.xlsx) workbook, or it is damaged: open it in Excel and save it "
    "again as an Excel workbook (.xlsx), or save it as a CSV file."
)


def _read_xlsx(path: Path, with_header: bool = False) -> Iterator[tuple[int, dict[str, Any]]]:
    """The workbook's first sheet. Refuses (FileProblem) a file that is not a workbook or is
    damaged, however openpyxl notices it: on opening, or later while reading a truncated sheet."""
    try:
        yield from _xlsx_rows(path, with_header)
    except FileProblem:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        # The exception's text may quote cell contents (personal data): only its kind is kept.
        raise FileProblem(NOT_A_WORKBOOK) from exc


def _xlsx_rows(path: Path, with_header: bool) -> Iterator[tuple[int, dict[str, Any]]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        if not book.worksheets:
            raise FileProblem("The file is empty: it has no header row.")
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        first = next(rows, None)
        if not first:
            raise FileProblem("The file is empty: it has no header row.")
        header = unique_headers([str(h).strip() if h is not None else "" for h in first])
        if with_header:
            yield 1, {h: h for h in header}
        for number, cells in enumerate(rows, start=2):
            if not any(c is not None and str(c).strip() for c in cells):
                continue
            yield number, dict(zip(header, cells, strict=False))
    finally:
        book.close()


def count_rows(path: Path, fmt: str) -> int:
    """How many data rows the file has (for the progress bar). Refuses (FileProblem) a file
    that cannot be read as its format."""
    if fmt == "csv":
        try:
            with path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
                return max(sum(1 for _ in csv.reader(handle)) - 1, 0)
        except csv.Error as exc:
            raise FileProblem("The CSV file could not be read.") from exc
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise FileProblem(NOT_A_WORKBOOK) from exc
    try:
        return max((book.worksheets[0].max_row or 1) - 1, 0) if book.worksheets else 0
    except Exception as exc:
        raise FileProblem(NOT_A_WORKBOOK) from exc
    finally:
        book.close()
