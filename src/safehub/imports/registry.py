"""The import registry: every source Safehub accepts files from, declared once.

A *source* is one kind of file from one partner system, in one version: its columns (with
types, required flags and code lists), the columns that make the source's own identifier
(its key), and a *writer* that stores accepted rows. The import engine (`engine.py`) does the
rest for every source alike: reading CSV or XLSX, checking each row against the declaration,
the dry run (new / changed / unchanged / rejected), the rejected-rows file, one transaction
per import, progress and history.

Registering a source from another app (do it in that app's `AppConfig.ready()`)::

    from safehub.imports.registry import Column, Source, register
    from safehub.imports.writers import SourceRecordWriter

    class DriverWriter(SourceRecordWriter):
        source_name = "licensing_drivers"

        def write(self, rows, run):
            ...  # create or update your own models for new and changed rows,
            # then self.remember(rows, run, objects={row.key: obj.pk ...})

    register(Source(
        name="licensing_drivers",           # what `safehub import NAME FILE` takes
        version=1,                          # bump when the columns change; keep the old one
        title="Licensed drivers",
        file_name="drivers.csv",
        columns=(
            Column.text("badge_number", required=True, max_length=20),
            Column.date("date_of_birth", fmt="%Y-%m-%d"),
            Column.code("sex", codes=("F", "M", "U"), required=True),
            ...
        ),
        key=("badge_number",),
        writer=DriverWriter,                # a class (or any callable) returning a Writer
        agency_types=("licensing",),        # whose data this is, for the data roles' access
    ))

A writer is anything with two methods (see `Writer`):

- `existing(keys) -> {key: row_hash}`: for the given source keys, the row hash of what is
  stored now (keys not stored are left out). The engine compares it with each row's hash to
  tell new, changed and unchanged rows.
- `write(rows, run)`: store the new and changed rows (a list of `ParsedRow`), recording
  `run` and each row's `number` on what it stores. Called inside the import's transaction,
  in chunks; it must not commit or catch database errors.

and optionally `problems(rows) -> {row number: RowProblem}` for checks that need the
database (an unknown school URN, say); those rows are rejected like any other.

Checks that need no database belong in the declaration: a text column's `check` (a function
returning why a value is wrong, or None) and the source's `row_check` (across a row's
columns, once each has parsed; it may normalise the values before the key is taken).

`SourceRecordWriter` (writers.py) implements `existing` for sources that write into shared
models (`people.Person`, `accounts.Agency`...): it keeps one `SourceRecord` per source key
with the row hash, the import run, the file row and the record it made.

Row values reach the writer parsed: `str` (stripped; "" when empty), `int`, `Decimal`,
`date`, `datetime` (aware, Europe/London), or the normalised identifier (UPN upper-case, NHS
number digits only, postcode with one space). Empty optional values are "" or None (dates,
numbers).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from safehub.imports.models import ImportRun


class ColumnKind:
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    DATETIME = "datetime"
    CODE = "code"
    UPN = "upn"
    NHS_NUMBER = "nhs_number"
    POSTCODE = "postcode"


@dataclass(frozen=True)
class Column:
    """One column of a source file, as declared. Build with the class methods below."""

    name: str
    kind: str
    required: bool = False
    max_length: int | None = None
    fmt: str = ""  # strftime format of dates and date-times
    codes: tuple[str, ...] = ()
    description: str = ""
    # Text columns: a regular expression the whole value must match, and how to say it.
    pattern: str = ""
    pattern_words: str = ""
    # Text columns: why a value is not acceptable (None when it is), for rules a pattern
    # cannot state precisely (attendance: which session holds which unknown code).
    check: Callable[[str], str | None] | None = None

    @classmethod
    def text(cls, name: str, *, required: bool = False, max_length: int = 200, **kw: Any) -> Column:
        return cls(name, ColumnKind.TEXT, required=required, max_length=max_length, **kw)

    @classmethod
    def integer(cls, name: str, *, required: bool = False, **kw: Any) -> Column:
        return cls(name, ColumnKind.INTEGER, required=required, **kw)

    @classmethod
    def decimal(cls, name: str, *, required: bool = False, **kw: Any) -> Column:
        return cls(name, ColumnKind.DECIMAL, required=required, **kw)

    @classmethod
    def date(cls, name: str, *, fmt: str, required: bool = False, **kw: Any) -> Column:
        return cls(name, ColumnKind.DATE, required=required, fmt=fmt, **kw)

    @classmethod
    def datetime(cls, name: str, *, fmt: str, required: bool = False, **kw: Any) -> Column:
        return cls(name, ColumnKind.DATETIME, required=required, fmt=fmt, **kw)

    @classmethod
    def code(cls, name: str, *, codes: Iterable[str], required: bool = False, **kw: Any) -> Column:
        return cls(name, ColumnKind.CODE, required=required, codes=tuple(codes), **kw)

    @classmethod
    def upn(cls, name: str = "upn", *, required: bool = False, **kw: Any) -> Column:
        return cls(name, ColumnKind.UPN, required=required, **kw)

    @classmethod
    def nhs_number(cls, name: str = "nhs_number", *, required: bool = False, **kw: Any) -> Column:
        return cls(name, ColumnKind.NHS_NUMBER, required=required, **kw)

    @classmethod
    def postcode(cls, name: str = "postcode", *, required: bool = False, **kw: Any) -> Column:
        return cls(name, ColumnKind.POSTCODE, required=required, **kw)


@dataclass(frozen=True)
class RowProblem:
    """Why a row was rejected: the column (or "" for the whole row) and a reason in words.

    Reasons never repeat the value itself: rows hold personal data and reasons reach logs.
    """

    column: str
    reason: str


@dataclass
class ParsedRow:
    """One accepted row: its file row number (the header is row 1), key, values and hash."""

    number: int
    key: str
    values: dict[str, Any]
    row_hash: str


class Writer(Protocol):
    def existing(self, keys: Sequence[str]) -> dict[str, str]: ...

    def write(self, rows: Sequence[ParsedRow], run: ImportRun) -> None: ...


@dataclass(frozen=True)
class Source:
    """A declared source: one file layout from one partner system, in one version."""

    name: str
    version: int
    title: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    writer: Callable[[], Writer]
    file_name: str = ""
    description: str = ""
    # Whose data this is (AgencyType values): users of these agencies with a data role may
    # import it. System administrators may import every source.
    agency_types: tuple[str, ...] = ()
    # Sources that must be imported first (names), for the documentation and the city loader.
    after: tuple[str, ...] = ()
    # Whether the writer records who imported (e.g. as `recorded_by`): a run needs a user.
    needs_user: bool = False
    # A check across a row's columns, once each has parsed: returns the values to store (it
    # may normalise them: attendance stores a week under its Monday) and the problems found.
    # The key and the row hash are taken from the values it returns.
    row_check: Callable[[dict[str, Any]], tuple[dict[str, Any], list[RowProblem]]] | None = None
    column_names: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        names = tuple(c.name for c in self.columns)
        object.__setattr__(self, "column_names", names)
        if len(set(names)) != len(names):
            raise ValueError(f"{self.name}: a column is declared twice")
        unknown = set(self.key) - set(names)
        if unknown or not self.key:
            raise ValueError(f"{self.name}: key columns must be declared columns")
        for column in self.columns:
            if column.name in self.key and not column.required:
                raise ValueError(f"{self.name}: key column {column.name} must be required")

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


class UnknownSource(KeyError):
    pass


_SOURCES: dict[tuple[str, int], Source] = {}


def register(source: Source) -> Source:
    """Add a source (or replace the same name and version, so reloading is harmless)."""
    _SOURCES[(source.name, source.version)] = source
    return source


def get_source(name: str, version: int | None = None) -> Source:
    """The source of that name: the given version, or the newest. Raises UnknownSource."""
    versions = [s for (n, _), s in _SOURCES.items() if n == name]
    if version is not None:
        versions = [s for s in versions if s.version == version]
    if not versions:
        raise UnknownSource(name)
    return max(versions, key=lambda s: s.version)


def sources() -> list[Source]:
    """The newest version of every registered source, by name."""
    names = sorted({name for name, _ in _SOURCES})
    return [get_source(name) for name in names]
