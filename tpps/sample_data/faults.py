"""The catalogue of planted faults, and the planter that puts them into exports.

Every fault seen in real deliveries (FACTS §2) that the pipeline must survive has a code here.
Which file and line carries which fault is written to ``ground_truth/faults.csv`` by the export
writers, never into the exports themselves. ``docs/sample_data.md`` documents the same catalogue.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tpps.sample_data.exports import (
    EXCEL_EPOCH,
    Cell,
    Decorations,
    ExtraRow,
    FaultLog,
    FileRecord,
    Form,
    Frame,
    Kind,
    Planted,
    has_value,
)


@dataclass(frozen=True)
class FaultType:
    code: str
    scope: str  # cell | row | file | delivery
    looks_like: str
    pipeline_should: str


CATALOGUE: tuple[FaultType, ...] = (
    FaultType(
        "swapped_day_month",
        "cell",
        "a date written mm/dd/yyyy: 08/12/2024 for 12 Aug, or an impossible 03/25/2024",
        "reject the row as invalid_date when impossible; "
        "otherwise flag a measurement date outside the file's month",
    ),
    FaultType(
        "indonesian_month_date",
        "cell",
        "a date as text with an Indonesian month name: 12 Agustus 2024",
        "parse it (Januari..Desember, also Agu/Agt/Okt/Des)",
    ),
    FaultType(
        "excel_serial_date",
        "cell",
        "XLSX only: a date cell holding the bare serial number (45516) without a date format",
        "read it as days since 1899-12-30",
    ),
    FaultType(
        "nik_scientific",
        "cell",
        "NIK or No KK mangled by a spreadsheet: 7,31701E+15 in "
        "CSV, a number cell (15 significant digits) in XLSX",
        "treat the identifier as invalid (never guess the lost digits); fall back to the "
        "surrogate key",
    ),
    FaultType(
        "nik_15_digits",
        "cell",
        "NIK or No KK with its last digit lost (15 digits)",
        "treat the identifier as invalid; fall back to the surrogate key",
    ),
    FaultType(
        "unknown_desa",
        "cell",
        "a desa name with a typo (letter dropped, swapped or "
        "doubled) that matches no desa of the kecamatan",
        "reject the row as unknown_desa (names are never fuzzy-matched)",
    ),
    FaultType(
        "trailing_space",
        "cell",
        "a name, posyandu or desa with trailing spaces ('Pammanu ')",
        "trim; the row is fine",
    ),
    FaultType(
        "lost_decimal",
        "cell",
        "a decimal value with its separator lost: weight 11,5 written 115, LiLA 14,2 written 142",
        "reject the row as out_of_range",
    ),
    FaultType(
        "height_mm",
        "cell",
        "length/height in millimetres: 875 for 87,5 cm",
        "reject as out_of_range (never rescale silently)",
    ),
    FaultType(
        "weight_grams", "cell", "weight in grams: 11500 for 11,5 kg", "reject as out_of_range"
    ),
    FaultType(
        "birth_after_event",
        "cell",
        "a birth date after the measurement / event date of the same row",
        "reject the row as birth_after_event",
    ),
    FaultType(
        "position_age_mismatch",
        "cell",
        "Cara Ukur inconsistent with age: Berdiri under "
        "24 months or Terlentang from 24 months. The value is a real measurement in that "
        "position (the ground truth holds it)",
        "keep the row, flag it, and apply WHO's "
        "+-0.7 cm adjustment (none when standing under 9 months)",
    ),
    FaultType(
        "duplicate_exact",
        "row",
        "a second, identical copy of a data row",
        "keep one copy (skip the other as duplicate_exact)",
    ),
    FaultType(
        "duplicate_conflict",
        "row",
        "a second row for the same child and date (same "
        "natural key) whose weight or height differs; the first row is the true one",
        "reject both as duplicate_conflict, listing the differing fields",
    ),
    FaultType(
        "blank_row", "row", "an empty line (only delimiters) or empty sheet row", "skip it (blank)"
    ),
    FaultType(
        "repeated_header",
        "row",
        "a copy of the header row among the data",
        "skip it (repeated_header)",
    ),
    FaultType(
        "jumlah_footer",
        "row",
        "a last row 'Jumlah' with the number of rows",
        "skip it and anything after it (footer)",
    ),
    FaultType(
        "invisible_header_char",
        "file",
        "a header label with an invisible character "
        "appended (zero-width space U+200B, BOM U+FEFF or no-break space U+00A0)",
        "remove invisible characters before matching labels",
    ),
    FaultType(
        "cp1252_encoding",
        "file",
        "a CSV encoded in Windows-1252 instead of UTF-8 "
        "(non-ASCII characters such as the en dash in the title)",
        "detect and transcode; the rows are fine",
    ),
    FaultType(
        "empty_file",
        "delivery",
        "a zero-byte file (only with --file-faults)",
        "reject the file (empty_file)",
    ),
    FaultType(
        "header_only",
        "delivery",
        "title and header but no data rows (only with --file-faults)",
        "reject the file (header_only)",
    ),
    FaultType(
        "truncated_file",
        "delivery",
        "a copy of an export cut off in the middle of a "
        "record (only with --file-faults); the line is the cut one",
        "reject the whole file (truncated_file)",
    ),
)
CODES = {fault.code: fault for fault in CATALOGUE}

# Faults that every row-grain source can carry; targets follow from the column kinds.
GENERIC_ROW_FAULTS = (
    "swapped_day_month",
    "indonesian_month_date",
    "excel_serial_date",
    "nik_scientific",
    "nik_15_digits",
    "unknown_desa",
    "trailing_space",
    "lost_decimal",
    "duplicate_exact",
)
_KIND_TARGETS = {
    "swapped_day_month": {Kind.DATE},
    "indonesian_month_date": {Kind.DATE},
    "excel_serial_date": {Kind.DATE},
    "nik_scientific": {Kind.NIK},
    "nik_15_digits": {Kind.NIK},
    "unknown_desa": {Kind.DESA},
    "trailing_space": {Kind.NAME, Kind.DESA},
}
# fmt: off
BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
         "Oktober", "November", "Desember")
# fmt: on
_INVISIBLE = ("\u200b", "\ufeff", "\u00a0")
_WHOLE_ROW = frozenset({"duplicate_exact"})  # row faults that target no column
_ROW_INSERT_SHARE = 0.1  # blank rows and repeated headers: each at rate x this, per data row
_FILE_FAULT_FACTOR = 5  # footer, encoding, invisible header character: each at rate x this


def default_targets(form: Form, code: str) -> tuple[str, ...]:
    """The columns ``code`` may hit: the form's explicit list, else by column kind."""
    if code in form.targets:
        return form.targets[code]
    if code == "lost_decimal":
        return tuple(c.label for c in form.columns if c.kind is Kind.NUMBER and c.decimals)
    kinds = _KIND_TARGETS.get(code, set())
    return tuple(c.label for c in form.columns if c.kind in kinds)


def _date(value: np.datetime64) -> dt.date:
    return value.astype("datetime64[D]").item()


class Planter:
    """Draws which rows and files carry faults, from its own random stream, at a fixed rate."""

    def __init__(
        self, rate: float, rng: np.random.Generator, known_desa: frozenset[str] = frozenset()
    ) -> None:
        self.rate = rate
        self.rng = rng
        self.known_desa = known_desa  # letters_only() of the names a typo must not hit

    def file_plan(self, form: Form, xlsx: bool) -> tuple[Decorations, str]:
        """Decorations of a new file and, for CSV, its encoding."""
        chance = min(1.0, self.rate * _FILE_FAULT_FACTOR)
        draws = self.rng.random(4)
        encoding = "cp1252" if not xlsx and draws[0] < chance else "utf-8"
        invisible = None
        if draws[1] < chance:
            label = form.labels[self.rng.integers(len(form.labels))]
            character = "\u00a0" if encoding == "cp1252" else _INVISIBLE[int(draws[3] * 3)]
            invisible = (label, character)
        return Decorations(invisible=invisible, footer=bool(draws[2] < chance)), encoding

    def draw(self, form: Form, n: int, xlsx: bool) -> np.ndarray:
        """A fault code per row ("" for none), uniform over the form's row faults."""
        codes = [
            c
            for c in form.faults
            if (xlsx or c != "excel_serial_date") and (c in _WHOLE_ROW or default_targets(form, c))
        ]
        out = np.full(n, "", dtype=object)
        if not codes or not self.rate:
            return out
        faulty = self.rng.random(n) < self.rate
        out[faulty] = np.array(codes, dtype=object)[self.rng.integers(0, len(codes), faulty.sum())]
        return out

    def apply(
        self, form: Form, frame: Frame, codes: np.ndarray, *, xlsx: bool, decimal: str
    ) -> Planted:
        """Turn drawn codes into overrides, extra rows and fault records for one chunk."""
        planted = Planted()
        n = len(codes)
        present: dict[str, np.ndarray] = {}
        for row in np.flatnonzero(codes != ""):
            code = codes[row]
            targets = default_targets(form, code)
            for label in targets:
                if label not in present:
                    present[label] = has_value(frame[label])
            labels = [label for label in targets if present[label][row]]
            if not labels and code not in _WHOLE_ROW:
                continue  # nothing to damage in this row (e.g. no NIK yet)
            label = labels[self.rng.integers(len(labels))] if labels else ""
            self._plant(planted, form, frame, int(row), code, label, n, xlsx, decimal)
        if self.rate:
            for kind in ("blank", "header"):
                for row in np.flatnonzero(self.rng.random(n) < self.rate * _ROW_INSERT_SHARE):
                    code = "blank_row" if kind == "blank" else "repeated_header"
                    planted.extra.append(ExtraRow(int(row), kind, fault=code))
        return planted

    def _plant(
        self,
        planted: Planted,
        form: Form,
        frame: Frame,
        row: int,
        code: str,
        label: str,
        n: int,
        xlsx: bool,
        decimal: str,
    ) -> None:
        value = frame[label][row] if label else None
        override: Cell = None
        detail = ""
        if code in {"duplicate_exact", "duplicate_conflict"}:
            changes: dict[str, Cell] = {}
            if code == "duplicate_conflict":
                decimals = form.column(label).decimals
                change = self.rng.uniform(0.03, 0.12) * self.rng.choice([-1, 1])
                changed = round(float(value) * (1 + change), decimals)
                if changed == round(float(value), decimals):  # too small to show: one step more
                    changed += 10.0**-decimals
                changes[label] = changed
            after = int(self.rng.integers(row, n))
            planted.extra.append(
                ExtraRow(after, "copy", row, changes, code, label, "copy of line {line}")
            )
            return
        if code == "position_age_mismatch":
            planted.faults.append((row, code, label, ""))
            return
        if code == "swapped_day_month":
            date = _date(value)
            if date.day == date.month:
                return
            override = (
                dt.date(date.year, date.day, date.month)
                if date.day <= 12
                else f"{date.month:02d}/{date.day:02d}/{date.year}"
            )
        elif code == "indonesian_month_date":
            date = _date(value)
            override = f"{date.day} {BULAN[date.month - 1]} {date.year}"
        elif code == "excel_serial_date":
            override = int((value.astype("datetime64[D]") - EXCEL_EPOCH).astype(int))
        elif code == "birth_after_event":
            event = frame[form.event][row]
            if np.isnat(event):
                return
            override = _date(event + np.timedelta64(int(self.rng.integers(1, 60)), "D"))
        elif code == "nik_scientific":
            number = int(value)
            override = (
                float(f"{number:.15g}")
                if xlsx
                else f"{number / 1e15:.5f}E+15".replace(".", decimal)
            )
        elif code == "nik_15_digits":
            override = str(value)[:15]
        elif code == "unknown_desa":
            override = self._typo(str(value))
            detail = f"true {value}"
        elif code == "trailing_space":
            override = str(value) + " " * int(self.rng.integers(1, 3))
        elif code in {"lost_decimal", "height_mm", "weight_grams"}:
            factor = {"height_mm": 10, "weight_grams": 1000}.get(
                code, 10 ** form.column(label).decimals
            )
            if not value:
                return
            override = round(float(value) * factor)
            detail = f"true {float(value):g}"
        planted.overrides.setdefault(label, {})[row] = override
        planted.faults.append((row, code, label, detail))

    def _typo(self, name: str) -> str:
        """A misspelling of the letters (never of spaces or apostrophes) that stays unknown
        even to a reader that ignores case, spaces and punctuation."""
        positions = [i for i, c in enumerate(name) if c.isalpha()][1:]
        for _ in range(20):
            letters = list(name)
            at = positions[int(self.rng.integers(len(positions)))]
            how = self.rng.integers(3)
            if how == 0:
                del letters[at]
            elif how == 1 and at + 1 < len(letters) and letters[at + 1].isalpha():
                letters[at], letters[at + 1] = letters[at + 1], letters[at]
            else:
                letters.insert(at, letters[at])
            typo = "".join(letters)
            if letters_only(typo) not in self.known_desa:
                return typo
        return name + "X"


def letters_only(name: str) -> str:
    """ "To'long " -> "TOLONG": the form in which two spellings count as the same name."""
    return "".join(c for c in name.upper() if c.isalpha())


def plant_broken_files(
    written: list[FileRecord], raw_dir: Path, log: FaultLog, rng: np.random.Generator
) -> list[FileRecord]:
    """Zero-byte, header-only and truncated siblings of three CSV exports (--file-faults).

    They are extra files (``<name>_susulan.csv``, a late re-delivery), so every true record
    still sits in a complete file; nothing in them should be loaded.
    """
    csv_files = [
        r for r in written if r.format == "csv" and r.data_rows >= 3 and r.source != "master"
    ]
    if len(csv_files) < 3:
        return []
    chosen = [csv_files[i] for i in rng.choice(len(csv_files), 3, replace=False)]
    made = []
    for record, code in zip(chosen, ("empty_file", "header_only", "truncated_file"), strict=True):
        source = raw_dir / record.file
        target = source.with_name(f"{source.stem}_susulan{source.suffix}")
        data = source.read_bytes()
        line: int | None = None
        header_end = int(record.header_rows.split("-")[-1])
        if code == "empty_file":
            data = b""
        elif code == "header_only":
            data = b"".join(data.splitlines(keepends=True)[:header_end])
        else:
            lines = data.splitlines(keepends=True)
            line = header_end + 1 + int(rng.integers(1, record.data_rows))
            kept = b"".join(lines[: line - 1])
            data = kept + lines[line - 1][: max(1, len(lines[line - 1]) // 2)]
        target.write_bytes(data)
        relative = target.relative_to(raw_dir).as_posix()
        log.record(relative, "", line, code, "", f"copy of {record.file}")
        made.append(
            dataclasses.replace(record, file=relative, data_rows=0, lines=len(data.splitlines()))
        )
    return made
