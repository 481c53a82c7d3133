"""Look for personal values from the raw exports in everything the pipeline wrote.

Compressed stores (DuckDB, Parquet) are queried, not byte-scanned, since compression would hide a
leak from a byte search; every other file is searched as text.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path

import duckdb
import openpyxl

MIN_NAME_LENGTH = 6  # shorter strings ("ANI") occur by chance inside other text
# Sixteen digits standing alone, as a NIK or No KK would: not inside a hex pseudonym and not the
# fraction of a published rate (a double printed to 16 decimals).
NIK_LIKE = r"(^|[^0-9a-fA-F.])[0-9]{16}([^0-9a-fA-F.]|$)"


def personal_values_in_exports(raw_dir: Path, column: str) -> set[str]:
    """All non-trivial values of ``column`` in every e-PPGBM export (CSV or XLSX)."""
    values: set[str] = set()
    for path in sorted((raw_dir / "eppgbm").glob("*")):
        index: int | None = None
        for row in _rows(path):
            cells = [str(c).strip() if c is not None else "" for c in row]
            if index is None:
                index = cells.index(column) if column in cells else None
                continue
            if (
                index < len(cells)
                and len(cells[index]) >= MIN_NAME_LENGTH
                and cells[index] != column
            ):
                values.add(cells[index])
    return values


def _rows(path: Path) -> list[list[object]]:
    if path.suffix.lower() == ".xlsx":
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        return [list(r) for sheet in book.worksheets for r in sheet.iter_rows(values_only=True)]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    delimiter = ";" if text.count(";") > text.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def scan_for_values(roots: list[Path], values: set[str]) -> set[str]:
    """Paths (with table.column for databases) in which any of ``values`` occurs."""

    def needles(con: duckdb.DuckDBPyConnection) -> tuple[str, list[str]]:
        con.execute("create or replace temp table needles(needle varchar)")
        con.executemany("insert into needles values (?)", [[v] for v in values])
        return "join needles on contains(v, needle)", []

    pattern = "|".join(re.escape(v) for v in sorted(values, key=len, reverse=True))
    return _scan(roots, re.compile(pattern), needles)


def scan_for_pattern(roots: list[Path], pattern: str) -> set[str]:
    """Paths (with table.column for databases) with text matching the regular expression."""
    return _scan(roots, re.compile(pattern), lambda _: ("where regexp_matches(v, ?)", [pattern]))


# Given a connection, the SQL clause that keeps a text value ``v`` with a hit, and its parameters.
Matcher = Callable[[duckdb.DuckDBPyConnection], tuple[str, list[str]]]


def _scan(roots: list[Path], text: re.Pattern[str], matcher: Matcher) -> set[str]:
    leaks: set[str] = set()
    files = [p for root in roots for p in ([root] if root.is_file() else root.rglob("*"))]
    for path in files:
        if not path.is_file() or path.suffix in {".wal"}:
            continue
        if path.suffix == ".duckdb":
            leaks |= {f"{path}:{where}" for where in _scan_duckdb(path, matcher)}
        elif path.suffix == ".parquet":
            relation = f"read_parquet('{path}')"
            leaks |= {f"{path}:{where}" for where in _scan_relation(relation, matcher)}
        elif text.search(path.read_bytes().decode("utf-8", errors="ignore")):
            leaks.add(str(path))
    return leaks


def _scan_duckdb(path: Path, matcher: Matcher) -> list[str]:
    found = []
    with duckdb.connect(str(path), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables"
        ).fetchall()
        for schema, table in tables:
            found += [
                f"{schema}.{table}.{col}"
                for col in _scan_relation(f'"{schema}"."{table}"', matcher, con)
            ]
    return found


def _scan_relation(
    relation: str, matcher: Matcher, con: duckdb.DuckDBPyConnection | None = None
) -> list[str]:
    """Columns of ``relation`` (cast to text) holding a value the matcher keeps."""
    con = con or duckdb.connect()
    clause, params = matcher(con)
    columns = [row[0] for row in con.execute(f"describe select * from {relation}").fetchall()]
    hits = []
    for column in columns:
        hit = con.execute(
            f'select 1 from (select distinct cast("{column}" as varchar) as v from {relation}) '
            f"{clause} limit 1",
            params,
        ).fetchone()
        if hit:
            hits.append(column)
    return hits
