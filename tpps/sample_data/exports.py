"""Write exports the way programme systems deliver them: one CSV writer and one XLSX writer.

A source describes its export as a ``Form`` (columns, header, which faults it can carry); rows
arrive as a ``Frame`` of typed numpy columns, chunk by chunk, and are rendered set-wise (pyarrow
compute) so millions of rows stream through bounded memory. Both writers share the row layout:
data rows, planted copies and inserted rows (blank, repeated header) are numbered as they land
in the file, so every data row's line (CSV) or sheet row (XLSX) is known for the ground truth.

XLSX is written directly as SpreadsheetML (inline strings, one date style) into a zip whose
entries carry a fixed date and fixed document properties: the same rows give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

Frame = Mapping[str, np.ndarray]  # column label -> values (object str/None, datetime64[D], float)
Cell = str | int | float | dt.date | None  # a single value written instead of the frame's
EXCEL_EPOCH = np.datetime64("1899-12-30", "D")
ZIP_DATE = (2000, 1, 1, 0, 0, 0)  # fixed entry date: reproducible archives
DOCUMENT_DATE = "2000-01-01T00:00:00Z"
# Office software puts an en dash in titles; it is what makes a Windows-1252 file differ from
# UTF-8 (cp1252_encoding fault).
EN_DASH = "\u2013"


class Kind(StrEnum):
    """What a column holds; decides its rendering and which faults can target it."""

    TEXT = "text"
    NAME = "name"  # typed by a person (people, posyandu): may carry trailing spaces
    DESA = "desa"  # a desa/kelurahan name
    NIK = "nik"  # NIK or No KK, 16 digits, written as text
    DATE = "date"
    NUMBER = "number"


@dataclass(frozen=True)
class Column:
    label: str
    kind: Kind = Kind.TEXT
    decimals: int = 0  # NUMBER only: digits after the decimal separator
    group: str = ""  # upper label of a two-row header, merged over consecutive columns


@dataclass(frozen=True)
class Form:
    """The layout of one source's export and the faults its rows can carry."""

    source: str
    columns: tuple[Column, ...]
    faults: tuple[str, ...] = ()
    # Columns a fault may target, where the default by column kind does not fit
    # (see faults.default_targets).
    targets: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # The event date a birth date must precede (birth_after_event faults).
    event: str = ""

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(c.label for c in self.columns)

    @property
    def two_row_header(self) -> bool:
        return any(c.group for c in self.columns)

    def column(self, label: str) -> Column:
        return next(c for c in self.columns if c.label == label)


DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


@dataclass(frozen=True)
class CsvStyle:
    delimiter: str = ";"
    decimal: str = ","
    newline: str = "\r\n"
    encoding: str = "utf-8"  # "cp1252" is a planted fault
    bom: bool = False
    date_format: str = "%d/%m/%Y"  # one of DATE_FORMATS


@dataclass(frozen=True)
class ExtraRow:
    """A row written after data row ``after`` of a chunk: a copy of a row, blank, or header."""

    after: int
    kind: str  # "copy" | "blank" | "header"
    source_row: int = -1
    overrides: Mapping[str, Cell] = field(default_factory=dict)
    fault: str = ""
    field: str = ""
    detail: str = ""


@dataclass
class Planted:
    """Faults planted in one chunk: cell overrides, extra rows and the faults on data rows."""

    overrides: dict[str, dict[int, Cell]] = field(default_factory=dict)
    extra: list[ExtraRow] = field(default_factory=list)
    # (row, code, field, detail) of the faults sitting on data rows of the chunk
    faults: list[tuple[int, str, str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Decorations:
    """File-level faults, fixed when a file is opened."""

    invisible: tuple[str, str] | None = None  # (header label, character appended to it)
    footer: bool = False


class FaultLog(Protocol):
    def record(
        self, file: str, sheet: str, line: int | None, code: str, field: str, detail: str = ""
    ) -> None: ...


@dataclass(frozen=True)
class FileRecord:
    """What the ground truth says about one written file."""

    file: str
    source: str
    format: str
    encoding: str
    delimiter: str
    sheet: str
    header_rows: str
    data_rows: int
    lines: int


def has_value(values: np.ndarray) -> np.ndarray:
    """Which cells are filled: not NaT, not NaN, not None or ""."""
    if values.dtype.kind == "M":
        return ~np.isnat(values)
    if values.dtype.kind == "f":
        return ~np.isnan(values)
    return np.array([v is not None and v != "" for v in values], dtype=bool)


def numbered(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    """Codes such as "001" or "7317...000042": a prefix and a zero-padded number."""
    return np.array([f"{prefix}{number:0{width}d}" for number in numbers.tolist()], dtype=object)


def _quoted(text: str, delimiter: str) -> str:
    if delimiter in text or '"' in text or "\n" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def number_text(values: np.ndarray, decimals: int, decimal: str) -> pa.Array:
    """Fixed-decimal text ("12,5", "-0,05") set-wise; NaN -> null."""
    values = np.asarray(values, dtype=float)
    missing = np.isnan(values)
    scale = 10**decimals
    scaled = np.rint(np.abs(np.where(missing, 0, values)) * scale).astype(np.int64)
    whole = pa.array(scaled // scale).cast(pa.string())
    if decimals:
        fraction = pc.utf8_lpad(pa.array(scaled % scale).cast(pa.string()), decimals, "0")
        whole = pc.binary_join_element_wise(whole, fraction, decimal)
    sign = np.where((values < 0) & (scaled > 0), "-", "")
    text = pc.binary_join_element_wise(pa.array(sign), whole, "")
    return pc.if_else(pa.array(missing), pa.nulls(len(values), pa.string()), text)


def date_text(values: np.ndarray, date_format: str) -> pa.Array:
    """Dates as "dd/mm/yyyy" or ISO text set-wise ("" for NaT); Arrow's strftime is far slower."""
    if date_format not in DATE_FORMATS:
        raise ValueError(f"unsupported date format {date_format!r}")
    iso = pa.array(np.datetime_as_string(values.astype("datetime64[D]")))
    if date_format == "%d/%m/%Y":
        parts = [
            pc.utf8_slice_codeunits(iso, start, start + width)
            for start, width in ((8, 2), (5, 2), (0, 4))
        ]
        iso = pc.binary_join_element_wise(*parts, "/")
    return pc.if_else(pa.array(np.isnat(values)), "", iso)


def _scalar_number(value: float, decimals: int, decimal: str) -> str:
    return number_text(np.array([value]), decimals, decimal)[0].as_py()


class Export:
    """One export file being written; subclasses render cells and rows for their format.

    A chunk is rendered set-wise: every column to an Arrow array of cell texts, every row
    assembled from them in one call. Only rows carrying an override or inserted by a fault go
    through Python one by one.
    """

    format = ""
    decimal = "."

    def __init__(
        self,
        path: Path,
        raw_dir: Path,
        form: Form,
        log: FaultLog,
        titles: Sequence[str],
        decorations: Decorations | None,
        sheet: str,
    ) -> None:
        decorations = decorations or Decorations()
        self.path = path
        self.file = path.relative_to(raw_dir).as_posix()
        self.form = form
        self.log = log
        self.titles = tuple(titles)
        self.decorations = decorations
        self.sheet_name = sheet  # "" for CSV
        self.data_rows = 0
        self.header_labels = [
            label + decorations.invisible[1]
            if decorations.invisible and label == decorations.invisible[0]
            else label
            for label in form.labels
        ]
        path.parent.mkdir(parents=True, exist_ok=True)
        self.header_rows = 2 if form.two_row_header else 1
        self.first_header_line = len(self.titles) + 1
        self.next_line = self.first_header_line + self.header_rows
        if decorations.invisible:
            grouped = form.column(decorations.invisible[0]).group
            self.log.record(
                self.file,
                sheet,
                self.next_line - 1 if grouped or self.header_rows == 1 else self.first_header_line,
                "invisible_header_char",
                decorations.invisible[0],
                f"U+{ord(decorations.invisible[1]):04X}",
            )

    # -- format hooks ------------------------------------------------------------------------
    def _render(self, values: np.ndarray, column: Column) -> pa.Array:
        """Cell texts of a column ("" where empty)."""
        raise NotImplementedError

    def _assemble(self, cells: list[pa.Array], lines: np.ndarray) -> list[str]:
        """Whole rows from rendered columns."""
        raise NotImplementedError

    def _render_cell(self, value: Cell, column: Column) -> str:
        raise NotImplementedError

    def _row(self, cells: Sequence[str], line: int) -> str:
        raise NotImplementedError

    def _emit(self, text: str) -> None:
        raise NotImplementedError

    def _label_row(self, labels: Sequence[str], line: int) -> str:
        return self._row([self._render_cell(label, Column(label)) for label in labels], line)

    # -- shared layout -----------------------------------------------------------------------
    def write(self, frame: Frame, planted: Planted | None = None) -> np.ndarray:
        """Append a chunk; return the line (sheet row) of each of its data rows."""
        planted = planted or Planted()
        n = len(frame[self.form.columns[0].label])
        if not n:
            return np.empty(0, dtype=np.int64)
        after = np.array([e.after for e in planted.extra], dtype=np.int64)
        extra_count = np.bincount(after, minlength=n)
        lines = self.next_line + np.arange(n) + np.r_[0, np.cumsum(extra_count)[:-1]]
        cells = [self._render(frame[c.label], c) for c in self.form.columns]
        rows = self._assemble(cells, lines)
        patched: dict[int, list[str]] = {}
        for index, column in enumerate(self.form.columns):
            for row, value in planted.overrides.get(column.label, {}).items():
                if row not in patched:
                    patched[row] = [c[row].as_py() for c in cells]
                patched[row][index] = self._render_cell(value, column)
        for row, row_cells in patched.items():
            rows[row] = self._row(row_cells, int(lines[row]))

        following: dict[int, list[str]] = {}
        for extra in planted.extra:
            inserted = following.setdefault(extra.after, [])
            line = int(lines[extra.after]) + 1 + len(inserted)
            if extra.kind == "blank":
                inserted.append(self._row([""] * len(cells), line))
            elif extra.kind == "header":
                inserted.append(self._label_row(self.form.labels, line))
            else:
                row_cells = patched.get(extra.source_row) or [
                    c[extra.source_row].as_py() for c in cells
                ]
                row_cells = list(row_cells)
                for label, value in extra.overrides.items():
                    index = self.form.labels.index(label)
                    row_cells[index] = self._render_cell(value, self.form.columns[index])
                inserted.append(self._row(row_cells, line))
            detail = (
                extra.detail.format(line=lines[extra.source_row])
                if extra.source_row >= 0
                else extra.detail
            )
            self.log.record(self.file, self.sheet_name, line, extra.fault, extra.field, detail)
        for after in sorted(following, reverse=True):
            rows[after + 1 : after + 1] = following[after]
        for row, code, column, detail in planted.faults:
            self.log.record(self.file, self.sheet_name, int(lines[row]), code, column, detail)
        self.next_line = int(lines[-1]) + 1 + int(extra_count[-1])
        self.data_rows += n
        self._emit("".join(rows))
        return lines

    def _header_rows(self) -> list[list[str]]:
        """The header as rows of labels: groups above labels for a two-row header."""
        if not self.form.two_row_header:
            return [self.header_labels]
        upper, lower, previous = [], [], None
        for column, label in zip(self.form.columns, self.header_labels, strict=True):
            if column.group:
                upper.append(column.group if column.group != previous else "")
                lower.append(label)
            else:
                upper.append(label)
                lower.append("")
            previous = column.group or None
        return [upper, lower]

    def _footer(self) -> None:
        if not self.decorations.footer:
            return
        cells = [""] * len(self.form.columns)
        cells[0], cells[1] = "Jumlah", str(self.data_rows)
        line = self.next_line
        self._emit(self._label_row(cells, line))
        self.log.record(self.file, self.sheet_name, line, "jumlah_footer", "", "")
        self.next_line += 1

    def _record(self, encoding: str = "", delimiter: str = "") -> FileRecord:
        return FileRecord(
            self.file,
            self.form.source,
            self.format,
            encoding,
            delimiter,
            self.sheet_name,
            _span(self.first_header_line, self.header_rows),
            self.data_rows,
            self.next_line - 1,
        )

    def close(self) -> FileRecord:
        raise NotImplementedError


def _text(values: np.ndarray) -> pa.Array:
    """Text cells as Arrow strings ("" where empty); a list avoids pyarrow's pandas path."""
    return pc.fill_null(pa.array(values.tolist(), pa.string()), "")


class CsvExport(Export):
    """Delimited text: title lines, header, rows; decimal comma or point; chosen encoding."""

    format = "csv"

    def __init__(
        self,
        path: Path,
        raw_dir: Path,
        form: Form,
        log: FaultLog,
        titles: Sequence[str] = (),
        decorations: Decorations | None = None,
        style: CsvStyle = CsvStyle(),
    ) -> None:
        super().__init__(path, raw_dir, form, log, titles, decorations, sheet="")
        self.style = style
        self.decimal = style.decimal
        self.non_ascii = False
        self._needs_quotes = f'[{re.escape(style.delimiter)}"\n]'
        self._stream = path.open("wb")
        if style.bom:
            self._stream.write(b"\xef\xbb\xbf")
        for title in self.titles:
            self._emit(_quoted(title, style.delimiter) + style.newline)
        for labels in self._header_rows():
            self._emit(self._label_row(labels, 0))

    def _render(self, values: np.ndarray, column: Column) -> pa.Array:
        if column.kind is Kind.DATE:
            return date_text(values, self.style.date_format)
        if column.kind is Kind.NUMBER:
            return pc.fill_null(number_text(values, column.decimals, self.style.decimal), "")
        text = _text(values)
        needs = pc.match_substring_regex(text, self._needs_quotes)
        if pc.any(needs).as_py():
            quoted = pc.binary_join_element_wise(
                '"', pc.replace_substring(text, '"', '""'), '"', ""
            )
            text = pc.if_else(needs, quoted, text)
        return text

    def _assemble(self, cells: list[pa.Array], lines: np.ndarray) -> list[str]:
        joined = pc.binary_join_element_wise(*cells, self.style.delimiter)
        return pc.binary_join_element_wise(joined, self.style.newline, "").to_pylist()

    def _render_cell(self, value: Cell, column: Column) -> str:
        if value is None:
            return ""
        if isinstance(value, dt.date):
            return value.strftime(self.style.date_format)
        if isinstance(value, float):
            return _scalar_number(value, column.decimals, self.style.decimal)
        return _quoted(str(value), self.style.delimiter)

    def _row(self, cells: Sequence[str], line: int) -> str:
        return self.style.delimiter.join(cells) + self.style.newline

    def _emit(self, text: str) -> None:
        self.non_ascii = self.non_ascii or not text.isascii()
        self._stream.write(text.encode(self.style.encoding))

    def close(self) -> FileRecord:
        self._footer()
        self._stream.close()
        if self.style.encoding == "cp1252" and self.non_ascii:
            self.log.record(self.file, "", None, "cp1252_encoding", "", "")
        return self._record(self.style.encoding, self.style.delimiter)


def _span(first: int, count: int) -> str:
    return str(first) if count == 1 else f"{first}-{first + count - 1}"


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_XML_ENTITIES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
_XML_ESCAPES = str.maketrans(dict(_XML_ENTITIES))
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_INLINE_OPEN = ' t="inlineStr"><is><t xml:space="preserve">'
_INLINE_CLOSE = "</t></is>"


def _inline(text: str) -> str:
    return f"{_INLINE_OPEN}{text.translate(_XML_ESCAPES)}{_INLINE_CLOSE}"


def _wrapped(text: pa.Array, before: str, after: str) -> pa.Array:
    """``before + text + after`` where text is not empty, else ""."""
    wrapped = pc.binary_join_element_wise(before, text, after, "")
    return pc.if_else(pc.equal(text, ""), "", wrapped)


class XlsxExport(Export):
    """An XLSX workbook: optional instruction sheet, then one data sheet streamed row by row.

    Cells are rendered as what follows ``<c r="B7"``: dates are serial numbers with the
    dd/mm/yyyy style, numbers are numbers, everything else an inline string.
    """

    format = "xlsx"

    def __init__(
        self,
        path: Path,
        raw_dir: Path,
        form: Form,
        log: FaultLog,
        titles: Sequence[str] = (),
        decorations: Decorations | None = None,
        sheet: str = "Sheet1",
        notes: Sequence[str] = (),
    ) -> None:
        super().__init__(path, raw_dir, form, log, titles, decorations, sheet)
        self._letters = [column_letter(i) for i in range(len(form.columns))]
        self._zip = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED)
        sheets = (["Keterangan"] if notes else []) + [sheet]
        for name, content in _package_parts(sheets).items():
            self._zip.writestr(_entry(name), content)
        if notes:
            rows = "".join(
                f'<row r="{i}"><c r="A{i}"{_inline(note)}</c></row>'
                for i, note in enumerate(notes, start=1)
            )
            self._zip.writestr(_entry("xl/worksheets/sheet1.xml"), _sheet_xml(rows, len(notes)))
        self._sheet_name_in_zip = f"xl/worksheets/sheet{len(sheets)}.xml"
        # Rows go to a temporary file first: the <dimension> element readers use to pad rows
        # (openpyxl read-only) precedes them, and the last row is known only at the end.
        self._rows_file = tempfile.TemporaryFile()  # noqa: SIM115 (closed in close())
        width = self._letters[-1]
        self._merges = [f"A{i}:{width}{i}" for i in range(1, len(self.titles) + 1)]
        for line, title in enumerate(self.titles, start=1):
            self._emit(self._row([_inline(title)], line))
        header = self._header_rows()
        for offset, labels in enumerate(header):
            self._emit(self._label_row(labels, self.first_header_line + offset))
        if len(header) == 2:
            self._merges += self._header_merges()

    def _header_merges(self) -> list[str]:
        top, bottom = self.first_header_line, self.first_header_line + 1
        merges, start = [], 0
        columns = self.form.columns
        while start < len(columns):
            end = start
            group = columns[start].group
            if group:
                while end + 1 < len(columns) and columns[end + 1].group == group:
                    end += 1
                if end > start:
                    merges.append(f"{self._letters[start]}{top}:{self._letters[end]}{top}")
            else:
                merges.append(f"{self._letters[start]}{top}:{self._letters[start]}{bottom}")
            start = end + 1
        return merges

    def _render(self, values: np.ndarray, column: Column) -> pa.Array:
        if column.kind is Kind.DATE:
            serial = np.where(
                np.isnat(values),
                np.nan,
                (values - EXCEL_EPOCH).astype("timedelta64[D]").astype(float),
            )
            return _wrapped(pc.fill_null(number_text(serial, 0, "."), ""), ' s="1"><v>', "</v>")
        if column.kind is Kind.NUMBER:
            text = pc.fill_null(number_text(values, column.decimals, "."), "")
            return _wrapped(text, "><v>", "</v>")
        text = _text(values)
        for character, entity in _XML_ENTITIES:
            text = pc.replace_substring(text, character, entity)
        return _wrapped(text, _INLINE_OPEN, _INLINE_CLOSE)

    def _assemble(self, cells: list[pa.Array], lines: np.ndarray) -> list[str]:
        line = pa.array(lines).cast(pa.string())
        placed = [
            pc.if_else(
                pc.equal(body, ""),
                "",
                pc.binary_join_element_wise(f'<c r="{letter}', line, '"', body, "</c>", ""),
            )
            for letter, body in zip(self._letters, cells, strict=True)
        ]
        return pc.binary_join_element_wise(
            '<row r="', line, '">', *placed, "</row>", ""
        ).to_pylist()

    def _render_cell(self, value: Cell, column: Column) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, dt.date):
            return f' s="1"><v>{(np.datetime64(value, "D") - EXCEL_EPOCH).astype(int)}</v>'
        if isinstance(value, int):
            return f"><v>{value}</v>"
        if isinstance(value, float):
            return f"><v>{value:.15g}</v>"
        return _inline(value)

    def _row(self, cells: Sequence[str], line: int) -> str:
        body = "".join(
            f'<c r="{letter}{line}"{cell}</c>'
            for letter, cell in zip(self._letters, cells, strict=False)
            if cell
        )
        return f'<row r="{line}">{body}</row>'

    def _emit(self, text: str) -> None:
        self._rows_file.write(text.encode("utf-8"))

    def close(self) -> FileRecord:
        self._footer()
        merges = "".join(f'<mergeCell ref="{m}"/>' for m in self._merges)
        tail = f'<mergeCells count="{len(self._merges)}">{merges}</mergeCells>' if merges else ""
        dimension = f"A1:{self._letters[-1]}{self.next_line - 1}"
        with self._zip.open(_entry(self._sheet_name_in_zip), "w") as sheet:
            sheet.write(
                f'{_XML_HEAD}<worksheet xmlns="{_MAIN_NS}"><dimension ref="{dimension}"/>'
                "<sheetData>".encode()
            )
            self._rows_file.seek(0)
            shutil.copyfileobj(self._rows_file, sheet)
            sheet.write(f"</sheetData>{tail}</worksheet>".encode())
        self._rows_file.close()
        self._zip.close()
        return self._record()


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _sheet_xml(rows: str, last_row: int) -> str:
    return (
        f'{_XML_HEAD}<worksheet xmlns="{_MAIN_NS}"><dimension ref="A1:A{last_row}"/>'
        f"<sheetData>{rows}</sheetData></worksheet>"
    )


def _package_parts(sheets: list[str]) -> dict[str, str]:
    """The fixed parts of a workbook with the given sheet names (styles: 0 general, 1 date)."""
    sheet_types = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    sheet_entries = "".join(
        f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>'
        for i, name in enumerate(sheets, start=1)
    )
    sheet_rels = "".join(
        f'<Relationship Id="rId{i}" Type="{_REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    styles_id = len(sheets) + 1
    return {
        "[Content_Types].xml": (
            f'{_XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
            f'main+xml"/>{sheet_types}<Override PartName="/xl/styles.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/'
            'vnd.openxmlformats-package.core-properties+xml"/><Override PartName='
            '"/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'extended-properties+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'{_XML_HEAD}<Relationships xmlns="{_PKG_REL_NS}"><Relationship Id="rId1" '
            f'Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" '
            'Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
            'core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" '
            f'Type="{_REL_NS}/extended-properties" Target="docProps/app.xml"/></Relationships>'
        ),
        "docProps/core.xml": (
            f'{_XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/'
            '2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/'
            'XMLSchema-instance"><dc:creator>tpps.sample_data</dc:creator><dcterms:created '
            f'xsi:type="dcterms:W3CDTF">{DOCUMENT_DATE}</dcterms:created><dcterms:modified '
            f'xsi:type="dcterms:W3CDTF">{DOCUMENT_DATE}</dcterms:modified></cp:coreProperties>'
        ),
        "docProps/app.xml": (
            f'{_XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/'
            '2006/extended-properties"><Application>Microsoft Excel</Application></Properties>'
        ),
        "xl/workbook.xml": (
            f'{_XML_HEAD}<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}"><sheets>'
            f"{sheet_entries}</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'{_XML_HEAD}<Relationships xmlns="{_PKG_REL_NS}">{sheet_rels}<Relationship '
            f'Id="rId{styles_id}" Type="{_REL_NS}/styles" Target="styles.xml"/></Relationships>'
        ),
        "xl/styles.xml": (
            f'{_XML_HEAD}<styleSheet xmlns="{_MAIN_NS}"><numFmts count="1"><numFmt numFmtId="164" '
            'formatCode="dd/mm/yyyy"/></numFmts><fonts count="1"><font><sz val="11"/><name '
            'val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/>'
            '</fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1">'
            "<border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs "
            'count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" '
            'applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" '
            'xfId="0" builtinId="0"/></cellStyles></styleSheet>'
        ),
    }
