"""Turn an export file into rows of text fields inside DuckDB, with their exact source lines.

One reader per format. Both produce ``Part``s: a located header and a DuckDB relation of
``(line_no, fields, open_quote)`` for every row below it, so everything after reading is the same
set-wise SQL for CSV and XLSX.

CSV: DuckDB's CSV parser silently drops blank lines and cannot report the line of an accepted
row, so the file is read one physical line per row (numbered in file order), lines
continued inside a quoted field are joined set-wise, and fields are split set-wise honouring
quotes. Python only decides the encoding and newline style (a streaming pass, transcoding to a
temporary UTF-8 copy when needed) and sniffs the delimiter from the first lines.

XLSX: calamine (Rust) reads each worksheet from cell A1, so row numbers are the sheet's own; the
sheets whose header matches the contract (instruction sheets are ignored) go into DuckDB through
Arrow, cells rendered as text the way Excel shows them, so a NIK stored as a number arrives as
``7.31701234567890e+15`` and is rejected as a NIK. Parsing a workbook is the slow part of reading
it and calamine does it without holding the GIL, so ``open_export`` is separate from
``read_parts``: the loader opens the next file in a thread while it loads the current one.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import itertools
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
from python_calamine import CalamineError, CalamineSheet, CalamineWorkbook, SheetTypeEnum

from tpps.ingest.contracts import Contract
from tpps.ingest.headers import HEADER_SEARCH_ROWS, HeaderMatch, find_header
from tpps.ingest.normalise import sql_literal

CSV_EXTENSIONS = frozenset({".csv", ".txt", ".tsv"})
XLSX_EXTENSIONS = frozenset({".xlsx", ".xlsm"})
DELIMITERS = (";", ",", "\t", "|")
# Used as the "delimiter" of the one-column line read and as a split marker; a text export never
# contains it (checked while reading).
UNIT_SEPARATOR = "\x1f"
MAX_LINE_BYTES = 8 * 1024 * 1024
_CHUNK = 1 << 20
_ARROW_BATCH_ROWS = 50_000
_ROW_TYPE = pa.list_(pa.string())
# What opening or reading a damaged workbook raises.
_DAMAGED_WORKBOOK = (CalamineError, zipfile.BadZipFile, OSError, ValueError)
# read_csv's new_line option takes escape sequences, not the characters themselves.
_LF, _CRLF = "\\n", "\\r\\n"


class FileFault(Exception):
    """The whole file is rejected; ``code`` is a file-scope reason from ``reasons.REASONS``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Part:
    """One table inside a file: the CSV itself, or one matching worksheet."""

    sheet: str | None
    header: HeaderMatch
    relation: str  # SQL relation of (line_no INTEGER, fields VARCHAR[], open_quote BOOLEAN)
    # CSV records must have every header field; worksheet rows simply omit empty trailing cells.
    fixed_width: bool
    titles: str = ""  # text of the rows above the header, one line per row


@dataclass(frozen=True)
class OpenedExport:
    """A delivered file whose format is known; a workbook's worksheets are already parsed."""

    path: Path
    # (index, name, parsed sheet) of every worksheet; None for a text export.
    worksheets: tuple[tuple[int, str, CalamineSheet], ...] | None


def open_export(path: Path) -> OpenedExport:
    """Detect the format and parse every worksheet of a workbook (FileFault if it cannot be).

    Safe to run in a thread: it touches no DuckDB connection.
    """
    if detect_format(path) == "csv":
        return OpenedExport(path, None)
    try:
        book = CalamineWorkbook.from_path(str(path))
    except _DAMAGED_WORKBOOK as error:
        raise FileFault(
            "corrupt_workbook", f"the workbook cannot be opened ({type(error).__name__})"
        ) from error
    try:
        worksheets = tuple(
            (index, sheet.name, book.get_sheet_by_index(index))
            for index, sheet in enumerate(book.sheets_metadata)
            if sheet.typ is SheetTypeEnum.WorkSheet
        )
    except _DAMAGED_WORKBOOK as error:
        raise _unreadable_workbook(error) from error
    finally:
        book.close()
    return OpenedExport(path, worksheets)


def read_parts(
    con: duckdb.DuckDBPyConnection, export: OpenedExport, contract: Contract, workdir: Path
) -> list[Part]:
    """Load the export into temporary tables named ``ingest_*`` and return its parts."""
    if export.worksheets is None:
        return [_read_csv(con, export.path, contract, workdir)]
    return _read_workbook(con, export.worksheets, contract)


def detect_format(path: Path) -> str:
    """'csv' or 'xlsx' from the content, checked against the extension; FileFault otherwise."""
    with path.open("rb") as stream:
        head = stream.read(8192)
    if not head:
        raise FileFault("empty_file", "the file has zero bytes")
    extension = path.suffix.lower()
    content = _content_kind(head)
    if content in {"pdf", "xls", "binary"}:
        names = {"pdf": "a PDF document", "xls": "an old-style .xls/.doc file", "binary": "binary"}
        raise FileFault(
            "unsupported_format",
            f"the file is {names[content]}, not a CSV or XLSX export; export the data as "
            "CSV or XLSX",
        )
    expected = (
        "xlsx" if extension in XLSX_EXTENSIONS else "csv" if extension in CSV_EXTENSIONS else None
    )
    if expected is None:
        raise FileFault(
            "unsupported_format",
            f"files ending in {extension or '(no extension)'} are not read; deliver .csv or .xlsx",
        )
    if content != expected:
        actual = "an XLSX/ZIP workbook" if content == "xlsx" else "text (CSV)"
        raise FileFault(
            "wrong_extension",
            f"the file is named {extension} but contains {actual}; rename it to the right "
            "extension and deliver it again",
        )
    return content


def _content_kind(head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "csv"
    return "binary" if b"\x00" in head else "csv"


# --- CSV -----------------------------------------------------------------------------------------


def _read_csv(
    con: duckdb.DuckDBPyConnection, path: Path, contract: Contract, workdir: Path
) -> Part:
    readable, new_line = _utf8_text(path, workdir)
    try:
        con.execute(
            "create or replace temp table ingest_lines as "
            "select row_number() over () as line_no, line from read_csv("
            f"{sql_literal(str(readable))}, columns = {{'line': 'VARCHAR'}}, delim = chr(31), "
            "quote = '', escape = '', header = false, auto_detect = false, strict_mode = false, "
            f"new_line = {sql_literal(new_line)}, max_line_size = {MAX_LINE_BYTES})"
        )
    except duckdb.Error as error:
        # DuckDB's message may quote the offending line (personal data): name the error only.
        raise FileFault(
            "unreadable_text",
            f"the text cannot be read as lines ({type(error).__name__}); lines over "
            f"{MAX_LINE_BYTES // 2**20} MiB or broken quoting are the usual causes",
        ) from error
    top = [
        r[0] or ""
        for r in con.execute(
            f"select line from ingest_lines where line_no <= {HEADER_SEARCH_ROWS} order by line_no"
        ).fetchall()
    ]
    delimiter, header = _sniff(top, contract)
    records = _records_sql(con, header.last_row)
    relation = (
        f"(select line_no, {_split_sql('record', delimiter)} as fields, open_quote "
        f"from ({records}))"
    )
    titles = _titles(top, header)
    return Part(None, header, relation, fixed_width=True, titles=titles)


def _utf8_text(path: Path, workdir: Path) -> tuple[Path, str]:
    """A UTF-8 file DuckDB can read line by line, and its newline; transcodes only if needed.

    UTF-8 (with or without BOM) with one newline style is read in place. UTF-16, Windows-1252
    (any file that is not valid UTF-8) and mixed newlines are rewritten to a UTF-8 copy with
    ``\\n`` newlines, streaming.
    """
    with path.open("rb") as stream:
        head = stream.read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _transcode(path, workdir, "utf-16"), _LF
    decoder = codecs.getincrementaldecoder("utf-8")()
    counts = {b"\r\n": 0, b"\r": 0, b"\n": 0}
    previous = b""
    try:
        with path.open("rb") as stream:
            for chunk in iter(lambda: stream.read(_CHUNK), b""):
                _check_control_characters(chunk)
                decoder.decode(chunk)
                joined = previous + chunk  # a CRLF split across chunks is still counted once
                for newline in counts:
                    counts[newline] += joined.count(newline) - previous.count(newline)
                previous = chunk[-1:]
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return _transcode(path, workdir, "cp1252"), _LF
    if counts[b"\r"] == 0:
        return path, _LF
    if counts[b"\r"] == counts[b"\r\n"] == counts[b"\n"]:
        return path, _CRLF
    return _transcode(path, workdir, "utf-8-sig"), _LF


def _check_control_characters(chunk: bytes) -> None:
    if b"\x00" in chunk or UNIT_SEPARATOR.encode() in chunk:
        raise FileFault(
            "unreadable_text",
            "the file contains control characters (NUL or 0x1F): not a text export",
        )


def _transcode(path: Path, workdir: Path, encoding: str) -> Path:
    target = workdir / f"{path.stem}.utf8.csv"
    try:
        with (
            path.open("r", encoding=encoding, newline=None) as source,
            target.open("w", encoding="utf-8", newline="\n") as sink,
        ):
            for text in iter(lambda: source.read(_CHUNK), ""):
                _check_control_characters(text.encode("utf-8"))
                sink.write(text)
    except UnicodeError as error:
        raise FileFault(
            "unreadable_text", f"the text is neither UTF-8 nor {encoding} ({error.reason})"
        ) from error
    return target


def _sniff(top: list[str], contract: Contract) -> tuple[str, HeaderMatch]:
    """The delimiter under which the first lines contain the best header for the contract."""
    best: tuple[str, HeaderMatch] | None = None
    # A delimiter absent from every line cannot split a header better than one that occurs.
    text = "".join(top)
    for delimiter in [d for d in DELIMITERS if d in text] or DELIMITERS[:1]:
        rows = [next(csv.reader([line], delimiter=delimiter), []) for line in top]
        header = find_header(rows, contract)
        if header and (best is None or len(header.positions) > len(best[1].positions)):
            best = (delimiter, header)
    if best is None:
        raise FileFault("no_header", _no_header_message(contract))
    if best[1].missing_required(contract):
        raise _missing_columns(best[1], contract, where="")
    return best


def _records_sql(con: duckdb.DuckDBPyConnection, header_last_row: int) -> str:
    """Physical lines below the header grouped into records (a quoted field may span lines)."""
    body = f"select line_no, line from ingest_lines where line_no > {header_last_row}"
    quotes = "(length(line) - length(replace(line, '\"', ''))) % 2 = 1"
    [(has_multiline,)] = con.execute(
        f"select coalesce(bool_or({quotes}), false) from ({body})"
    ).fetchall()
    if not has_multiline:
        return f"select line_no, line as record, false as open_quote from ({body})"
    con.execute(
        "create or replace temp table ingest_records as "
        f"with odd as (select line_no, line, {quotes} as toggles from ({body})), "
        "state as (select *, coalesce(sum(toggles::int) over (order by line_no rows between "
        "unbounded preceding and 1 preceding), 0) % 2 = 1 as continues from odd), "
        "numbered as (select *, sum((not continues)::int) over (order by line_no) as record_no "
        "from state) "
        "select min(line_no) as line_no, string_agg(coalesce(line, ''), chr(10) order by line_no) "
        "as record, (sum(toggles::int) % 2 = 1) as open_quote from numbered group by record_no"
    )
    return "select * from ingest_records"


def _split_sql(record: str, delimiter: str) -> str:
    """Split a record into fields set-wise, honouring RFC 4180 quotes.

    Splitting on the quote character leaves text outside quotes at odd list positions; only
    delimiters there separate fields. Quoted fields are then unwrapped and "" unescaped.
    """
    sep = sql_literal(delimiter)
    marked = (
        f"array_to_string(list_transform(string_split({record}, '\"'), lambda s, i: "
        f"case when i % 2 = 1 then replace(s, {sep}, chr(31)) else s end), '\"')"
    )
    unquote = (
        "lambda f: case when starts_with(f, '\"') and ends_with(f, '\"') and strlen(f) >= 2 "
        "then replace(f[2:-2], '\"\"', '\"') else f end"
    )
    return (
        f"case when {record} is null then []::varchar[] "
        f"when not contains({record}, '\"') then string_split({record}, {sep}) "
        f"else list_transform(string_split({marked}, chr(31)), {unquote}) end"
    )


# --- XLSX ----------------------------------------------------------------------------------------


def _read_workbook(
    con: duckdb.DuckDBPyConnection,
    worksheets: tuple[tuple[int, str, CalamineSheet], ...],
    contract: Contract,
) -> list[Part]:
    """Every sheet whose header has all required columns is a part; other sheets are ignored."""
    parts: list[Part] = []
    near_misses: list[tuple[str, HeaderMatch]] = []
    for index, name, sheet in worksheets:
        try:
            # From A1 whatever the sheet's declared size (writers often get it wrong).
            rows = sheet.to_python(skip_empty_area=False)
        except _DAMAGED_WORKBOOK as error:
            raise _unreadable_workbook(error) from error
        top = [_cells(r) for r in rows[:HEADER_SEARCH_ROWS]]
        header = find_header(top, contract)
        if header is None:
            continue
        if header.missing_required(contract):
            near_misses.append((name, header))
            continue
        table = f"ingest_sheet_{index}"
        _load_sheet(con, table, rows, header.last_row)
        relation = f"(select line_no, fields, false as open_quote from {table})"
        titles = _titles([" ".join(c or "" for c in row) for row in top], header)
        parts.append(Part(name, header, relation, fixed_width=False, titles=titles))
    if parts:
        return parts
    if not near_misses:
        raise FileFault("no_header", _no_header_message(contract) + " in any sheet")
    title, header = max(near_misses, key=lambda miss: len(miss[1].positions))
    raise _missing_columns(header, contract, where=f" in sheet '{title}'")


def _unreadable_workbook(error: Exception) -> FileFault:
    return FileFault("corrupt_workbook", f"the workbook cannot be read ({type(error).__name__})")


def _load_sheet(
    con: duckdb.DuckDBPyConnection, table: str, rows: list[list[object]], header_last_row: int
) -> None:
    con.execute(f"create or replace temp table {table} (line_no integer, fields varchar[])")
    numbered = enumerate(rows[header_last_row:], start=header_last_row + 1)
    for batch in _batched(numbered, _ARROW_BATCH_ROWS):
        arrow = pa.table(
            {
                "line_no": pa.array([n for n, _ in batch], pa.int32()),
                "fields": pa.array([_cells(r) for _, r in batch], _ROW_TYPE),
            }
        )
        con.register("ingest_arrow_batch", arrow)
        con.execute(f"insert into {table} select line_no, fields from ingest_arrow_batch")
        con.unregister("ingest_arrow_batch")


def _batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _cells(row: Sequence[object]) -> list[str | None]:
    # Text cells (most of them) are handled inline, without a call per cell: an eighth less time
    # converting the 6.5M cells of the 1x workbooks (1.31 s to 1.14 s).
    return [(value or None) if type(value) is str else _cell_text(value) for value in row]


def _cell_text(value: object) -> str | None:
    """A cell that is not text as Excel displays it: dates ISO, numbers with at most 15
    significant digits."""
    if type(value) is float:  # the commonest one
        return f"{value:.15g}"
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"{value:.15g}"
    return str(value)


# --- shared --------------------------------------------------------------------------------------


def _titles(lines: Sequence[str], header: HeaderMatch) -> str:
    return "\n".join(line.strip() for line in lines[: header.first_row - 1])


def _missing_columns(header: HeaderMatch, contract: Contract, where: str) -> FileFault:
    described = "; ".join(
        f"{name} (accepted labels: {', '.join(contract.column(name).aliases) or name})"
        for name in header.missing_required(contract)
    )
    return FileFault(
        "missing_required_column",
        f"the header on row {header.first_row}{where} lacks required column(s): {described}",
    )


def _no_header_message(contract: Contract) -> str:
    labels = ", ".join(a for c in contract.required for a in c.aliases[:1])
    return (
        f"no row among the first {HEADER_SEARCH_ROWS} looks like a {contract.name} header "
        f"(expected labels such as {labels})"
    )
