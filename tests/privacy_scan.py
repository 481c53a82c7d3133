"""Look for personal values from the raw exports in everything the pipeline wrote.

Compressed stores (DuckDB, Parquet) are queried, not byte-scanned, since compression would hide a
leak from a byte search; every other file is searched as text.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import duckdb
import openpyxl

MIN_NAME_LENGTH = 6  # shorter strings ("ANI") occur by chance inside other text


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
    pattern = re.compile("|".join(re.escape(v) for v in sorted(values, key=len, reverse=True)))
    leaks: set[str] = set()
    files = [p for root in roots for p in ([root] if root.is_file() else root.rglob("*"))]
    for path in files:
        if not path.is_file() or path.suffix in {".wal"}:
            continue
        if path.suffix == ".duckdb":
            leaks |= {f"{path}:{where}" for where in _scan_duckdb(path, values)}
        elif path.suffix == ".parquet":
            leaks |= {
                f"{path}:{where}" for where in _scan_relation(f"read_parquet('{path}')", values)
            }
        elif pattern.search(path.read_bytes().decode("utf-8", errors="ignore")):
            leaks.add(str(path))
    return leaks


def _scan_duckdb(path: Path, values: set[str]) -> list[str]:
    found = []
    with duckdb.connect(str(path), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables"
        ).fetchall()
        for schema, table in tables:
            found += [
                f"{schema}.{table}.{col}"
                for col in _scan_relation(f'"{schema}"."{table}"', values, con)
            ]
    return found


def _scan_relation(
    relation: str, values: set[str], con: duckdb.DuckDBPyConnection | None = None
) -> list[str]:
    """Columns of ``relation`` (cast to text) containing any of ``values`` as a substring."""
    con = con or duckdb.connect()
    con.execute("create or replace temp table needles(needle varchar)")
    con.executemany("insert into needles values (?)", [[v] for v in values])
    columns = [row[0] for row in con.execute(f"describe select * from {relation}").fetchall()]
    hits = []
    for column in columns:
        hit = con.execute(
            f'select 1 from (select distinct cast("{column}" as varchar) as v from {relation}) '
            "join needles on contains(v, needle) limit 1"
        ).fetchone()
        if hit:
            hits.append(column)
    return hits
