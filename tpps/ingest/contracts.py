"""What an export must look like: columns, aliases, types, ranges, keys — declared as data.

A contract describes one source. Readers use it to find the header row and map columns;
``tpps.ingest.staging`` turns it into the set-wise SQL that types, checks and pseudonymises the
rows.
Adding a source or an alias is an edit here, not new code.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """How a column's text is read; each kind has one normaliser in ``tpps.ingest.normalise``."""

    TEXT = "text"  # free text kept as exported (trimmed, invisible characters removed)
    NAME = "name"  # a person's name: only feeds surrogate keys, never stored
    NIK = "nik"  # 16-digit NIK or No KK: only feeds pseudonyms, never stored
    ID = "id"  # another person or family identifier (BKKBN family code, DTKS id): pseudonymised
    DATE = "date"
    DECIMAL = "decimal"
    INTEGER = "integer"
    SEX = "sex"  # -> 1 male, 2 female
    POSITION = "position"  # -> 'l' lying, 'h' standing
    BOOLEAN = "boolean"
    CODE = "code"  # one of Column.allowed (upper-cased)
    MONTH = "month"  # month name (Indonesian or English, full or short) or number -> 1..12
    DESA_CODE = "desa_code"  # Kemendagri desa code, dotted or not


PERSONAL_KINDS = frozenset({Kind.NAME, Kind.NIK, Kind.ID})


@dataclass(frozen=True)
class Column:
    """One column of an export, under its canonical English snake_case name."""

    name: str
    kind: Kind
    aliases: tuple[str, ...] = ()
    required: bool = False
    # Not written to DuckDB: personal values (NIK, names, birth dates) used only for derivations.
    stored: bool = True
    unit: str | None = None  # stripped from values such as "12,5 kg"; documents the scale
    valid: tuple[float, float] | None = None  # outside: the row is rejected (out_of_range)
    typical: tuple[float, float] | None = None  # outside: flag_<name>_unusual is set
    allowed: tuple[str, ...] = ()  # Kind.CODE only
    future_ok: bool = False  # Kind.DATE: planned dates (e.g. expected delivery) may lie ahead
    # When the header has no such column: (regex with one group, template) read from the title
    # rows above the header, e.g. the year of a yearly register ("... - Tahun 2025").
    from_title: tuple[str, str] | None = None

    def __post_init__(self) -> None:
        if self.kind in PERSONAL_KINDS and self.stored:
            raise ValueError(f"{self.name}: personal columns ({self.kind}) are never stored")


@dataclass(frozen=True)
class PseudonymKey:
    """A keyed pseudonym of an identifier column, with an optional surrogate when it is unusable.

    ``surrogate`` lists columns (input names, or ``desa_code``) whose normalised values are hashed
    when the identifier is missing or invalid; the row then gets ``<name>_is_surrogate`` = true.
    An invalid (present but malformed) identifier also sets ``flag_<identifier>_invalid``: it is
    never merged with a valid one by guessing.
    """

    name: str
    identifier: str
    surrogate: tuple[str, ...] = ()


@dataclass(frozen=True)
class AgeAt:
    """Age at an event, derived from a birth date that is itself never stored."""

    name: str
    birth: str
    event: str
    unit: str = "days"  # or "years" (completed years)
    valid: tuple[int, int] | None = None  # outside: rejected as age_out_of_range


@dataclass(frozen=True)
class DesaLookup:
    """How rows find their Kemendagri desa: by code, else by desa name inside the named
    kecamatan; unresolved rows are rejected (unknown_desa). A desa name alone is never enough:
    names repeat within a kabupaten."""

    output: str = "desa_code"  # the stored column holding the resolved code
    code: str | None = None
    name: str | None = None
    kecamatan: str | None = None

    @property
    def inputs(self) -> tuple[str, ...]:
        return tuple(c for c in (self.kecamatan, self.name, self.code) if c)


@dataclass(frozen=True)
class Rule:
    """A check across columns: rows where ``when`` holds are rejected or flagged.

    ``when`` is SQL with ``{column}`` placeholders naming contract columns or derived values
    (keys, ages, ``desa_code``). A rejecting rule's ``name`` is its reason code and ``fields``
    are reported with it; a flagging rule's ``name`` is the flag column. Files are checked in
    batches: a window over "the file" is ``OVER (PARTITION BY file_no)``.
    """

    name: str
    when: str
    description: str
    reject: bool = False
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Contract:
    """One source: where its files are, what their columns mean, and what makes a row unique."""

    name: str
    description: str
    folder: str
    columns: tuple[Column, ...]
    files: str = "*"  # glob of this source's files inside the folder (shared master folder)
    # Header labels known to appear and deliberately dropped (personal, or untrusted such as the
    # export's own z-scores and labels), so they are not reported as new columns.
    ignored: tuple[str, ...] = ()
    keys: tuple[PseudonymKey, ...] = ()
    ages: tuple[AgeAt, ...] = ()
    places: tuple[DesaLookup, ...] = ()
    # Stored columns naming one real-world record; repeats are collapsed or rejected.
    natural_key: tuple[str, ...] = ()
    # Reference lists re-delivered whole: a changed row in a later file is its newer version
    # (accepted; the latest ingested_at wins downstream) instead of a conflict.
    versioned: bool = False
    rules: tuple[Rule, ...] = ()

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)


# Characters that are invisible in a spreadsheet yet break equality: removed from labels and cells.
ZERO_WIDTH_CHARACTERS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
ZERO_WIDTH = dict.fromkeys(map(ord, ZERO_WIDTH_CHARACTERS))


@functools.lru_cache(maxsize=8192)
def label_key(label: str) -> str:
    """Loose form of a header label: "Tgl Lahir", "tgl_lahir" and "TGL LAHIR " all match."""
    return re.sub(r"[^0-9a-z]", "", label.lower())
