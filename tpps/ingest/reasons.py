"""The closed list of reason codes a file or row can be given (documented in docs/ingestion.md).

Codes are stable identifiers the data officer can filter on; every code has a readable sentence.
A code outside this list is a programming error, caught by ``reason``.
"""

from __future__ import annotations

from enum import StrEnum


class Scope(StrEnum):
    FILE = "file"  # the whole file is rejected (raw.ingest_log.reason_code)
    ROW = "row"  # the row is rejected (raw.rejects.reason_code)
    SKIP = "skip"  # the row is not data and is only counted (raw.ingest_log.skipped_*)


REASONS: dict[str, tuple[Scope, str]] = {
    # file level
    "empty_file": (Scope.FILE, "The file has zero bytes."),
    "unsupported_format": (
        Scope.FILE,
        "Not a CSV or XLSX export (e.g. PDF, old .xls, Word): export the data as CSV or XLSX.",
    ),
    "wrong_extension": (
        Scope.FILE,
        "The content does not match the file name's extension (e.g. a workbook named .csv).",
    ),
    "unreadable_text": (
        Scope.FILE,
        "The text is not UTF-8, UTF-16 or Windows-1252, contains control characters, or has a "
        "line longer than the reader accepts.",
    ),
    "corrupt_workbook": (Scope.FILE, "The XLSX workbook cannot be opened (damaged or not XLSX)."),
    "no_header": (
        Scope.FILE,
        "No row among the first 20 of any sheet looks like this source's header.",
    ),
    "missing_required_column": (
        Scope.FILE,
        "The header lacks a required column (the message names it and its accepted labels).",
    ),
    "header_only": (Scope.FILE, "The file has a header but no data rows."),
    "truncated_file": (
        Scope.FILE,
        "The last record is cut off (fewer fields than the header, or an unclosed quote): the "
        "export or copy was interrupted; deliver the complete file again.",
    ),
    # skipped rows: not data, counted but not stored
    "blank": (Scope.SKIP, "An empty row (only spaces, dashes or delimiters)."),
    "repeated_header": (Scope.SKIP, "A copy of the header row inside the data."),
    "footer": (
        Scope.SKIP,
        'A total ("Jumlah"/"Total") or signature row below the data, and everything after it.',
    ),
    "duplicate_exact": (
        Scope.SKIP,
        "The same record (natural key and every value) already accepted from this or an earlier "
        "file; kept once.",
    ),
    # rejected rows: stored in raw.rejects with the field names involved
    "wrong_field_count": (
        Scope.ROW,
        "The row has fewer fields than the header, or values beyond the last header column.",
    ),
    "missing_required": (Scope.ROW, "A required value is empty."),
    "invalid_date": (
        Scope.ROW,
        "A date that cannot be read or does not exist (e.g. 31 Juni).",
    ),
    "invalid_number": (
        Scope.ROW,
        "A number that cannot be read (or a whole number with decimals).",
    ),
    "invalid_code": (
        Scope.ROW,
        "A value outside the allowed codes (sex, measuring position, yes/no, coded answers).",
    ),
    "out_of_range": (
        Scope.ROW,
        "A number no real record can have, usually a unit slip (height in mm, weight in grams).",
    ),
    "date_in_future": (Scope.ROW, "A date after the day the file was ingested."),
    "birth_after_event": (Scope.ROW, "The birth date is after the date of the event measured."),
    "age_out_of_range": (
        Scope.ROW,
        "The age at the event is outside the source's population (e.g. 0-1856 days for balita).",
    ),
    "unknown_desa": (
        Scope.ROW,
        "The desa cannot be resolved: unknown code, or no unique desa of that name inside the "
        "named kecamatan (names alone are never used: they repeat in Luwu).",
    ),
    "duplicate_conflict": (
        Scope.ROW,
        "Another row for the same natural key (e.g. child and measurement date) has different "
        "values; fields lists the columns that differ.",
    ),
}


def reason(code: str) -> str:
    """``code`` itself, after checking it belongs to the closed list."""
    if code not in REASONS:
        raise KeyError(f"unknown reason code {code!r}")
    return code


def codes(scope: Scope) -> tuple[str, ...]:
    return tuple(code for code, (s, _) in REASONS.items() if s is scope)
