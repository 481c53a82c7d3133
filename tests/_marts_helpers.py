"""Hand-made e-PPGBM rows and a real dbt build of the marts on them, for the mart tests.

Measurements are built from the WHO LMS tables themselves (inverse LMS), so the class of each
child is known by construction: a length at HAZ -2.5 is stunted whatever the z-score SQL does
right or wrong elsewhere. Values are kept at least 0.3 z away from every cut-off, so rounding the
length to 0.1 cm and the weight to 0.01 kg cannot move a child across one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from tests._zscore_helpers import dbt_command
from tests.test_who_zscores import measure_at
from tpps.ingest import SOURCES, ingest_source
from tpps.privacy import Pseudonymiser
from tpps.who_tables import AGE_TABLE, LENGTH_TABLE, load_who_lms_tables

MARTS = (
    "mart_nutrition_status",
    "mart_skdn_posyandu_monthly",
    "mart_measurement_quality_posyandu_monthly",
    "mart_indicator",
    "mart_priority_villages",
)
# raw.eppgbm as documented in dbt_project/models/staging/eppgbm/_eppgbm__sources.yml, plus the
# SKDN columns of the ingest contract (tpps/ingest/sources.py).
RAW_COLUMNS = {
    "row_key": "varchar",
    "source_file": "varchar",
    "source_line": "integer",
    "child_key": "varchar",
    "sex": "smallint",
    "age_days": "integer",
    "measurement_date": "date",
    "weight_kg": "double",
    "length_height_cm": "double",
    "measure_position": "varchar",
    "muac_cm": "double",
    "oedema": "boolean",
    "kecamatan_name": "varchar",
    "desa_code": "varchar",
    "desa_name": "varchar",
    "posyandu_name": "varchar",
    "puskesmas_name": "varchar",
    "growth_code": "varchar",
    "has_kia": "boolean",
    "pmt_received_kg": "double",
    "flag_measurement_date_outside_file_month": "boolean",
}
# Sources these fixtures fill by hand; every other raw table is created empty by ingestion.
FIXTURE_SOURCES = {"eppgbm", "master_puskesmas", "master_sasaran"}
# The Dinkes master tables as tpps.ingest writes them (contracts master_puskesmas, master_sasaran).
MASTER_LINEAGE = {"source_file": "varchar", "source_line": "integer", "ingested_at": "timestamp"}
PUSKESMAS_COLUMNS = {
    "desa_code": "varchar",
    "puskesmas_code": "varchar",
    "puskesmas_name": "varchar",
} | MASTER_LINEAGE
SASARAN_COLUMNS = (
    {"desa_code": "varchar", "year": "integer"}
    | dict.fromkeys(
        [
            "population",
            "target_infants",
            "target_under_two",
            "target_under_five",
            "target_pregnant",
            "target_deliveries",
            "target_adolescent_girls",
            "target_couples",
        ],
        "integer",
    )
    | MASTER_LINEAGE
)
INGESTED_AT = datetime(2024, 1, 1)
Z_CUTS = (-6, -5, -3, -2, 1, 2, 3, 5, 6)


def wilson(successes: int, trials: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval in percent, written out independently of the SQL macro."""
    p = successes / trials
    centre = (p + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z / (1 + z * z / trials) * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials**2))
    return 100 * max(0.0, centre - half), 100 * min(1.0, centre + half)


@dataclass
class RawRows:
    """Builds raw.eppgbm rows whose z-scores are chosen, on a DuckDB file with the LMS tables.

    `puskesmas` (desa_code, puskesmas_code) and `sasaran` (desa_code, year, target_under_five)
    become the Dinkes master tables; empty by default, as before any master file is delivered.
    """

    con: duckdb.DuckDBPyConnection
    rows: list[dict[str, Any]] = field(default_factory=list)
    puskesmas: list[tuple[str, str]] = field(default_factory=list)
    sasaran: list[tuple[str, int, int]] = field(default_factory=list)

    def _lms(self, sql: str, params: list[Any]) -> tuple[float, float, float]:
        return self.con.execute(sql, params).fetchone()

    def measure(
        self,
        child: str,
        desa: str,
        when: date,
        *,
        age_days: int = 400,
        sex: int = 2,
        haz: float = 0.0,
        whz: float | None = 0.0,
        waz: float | None = None,
        posyandu: str | None = "Mawar",
        position: str | None = "natural",
        weight_kg: float | None = None,
        length_cm: float | None = None,
        has_kia: bool | None = None,
    ) -> dict[str, Any]:
        """One measurement; the weight follows `waz` if given, else `whz` (at the length)."""
        for z in (haz, whz, waz):
            assert z is None or all(abs(z - cut) >= 0.3 for cut in Z_CUTS), z
        if length_cm is None:
            lhfa = self._lms(
                f"select l, m, s from {AGE_TABLE} where indicator = 'lhfa' and sex = ? "
                "and age_days = ?",
                [sex, age_days],
            )
            length_cm = round(measure_at(haz, lhfa), 1)
        if weight_kg is None:
            if waz is not None:
                lms = self._lms(
                    f"select l, m, s from {AGE_TABLE} where indicator = 'wfa' and sex = ? "
                    "and age_days = ?",
                    [sex, age_days],
                )
                weight_kg = round(measure_at(waz, lms), 2)
            else:
                lms = self._lms(
                    f"select l, m, s from {LENGTH_TABLE} where table_name = ? and sex = ? "
                    "and length_mm = ?",
                    ["wfl" if age_days < 731 else "wfh", sex, round(length_cm * 10)],
                )
                weight_kg = round(measure_at(whz, lms), 2)
        if position == "natural":
            position = "l" if age_days < 731 else "h"
        row = {
            "row_key": f"r{len(self.rows) + 1:05d}",
            "source_file": "fixture.csv",
            "source_line": len(self.rows) + 2,
            "child_key": child,
            "sex": sex,
            "age_days": age_days,
            "measurement_date": when,
            "weight_kg": weight_kg,
            "length_height_cm": length_cm,
            "measure_position": position,
            "muac_cm": None,
            "oedema": False,
            "kecamatan_name": "Kec " + desa[:8],
            "desa_code": desa,
            "desa_name": "Desa " + desa,
            "posyandu_name": posyandu,
            "puskesmas_name": "Puskesmas " + desa[:8],
            "growth_code": None,
            "has_kia": has_kia,
        }
        self.rows.append(row)
        return row

    def write(self) -> None:
        self._create_empty_sources()
        self._table("raw.eppgbm", RAW_COLUMNS, self.rows)
        version = {"source_file": "master.csv", "source_line": 2, "ingested_at": INGESTED_AT}
        self._table(
            "raw.master_puskesmas",
            PUSKESMAS_COLUMNS,
            [
                {"desa_code": desa, "puskesmas_code": code, "puskesmas_name": f"PKM {code}"}
                | version
                for desa, code in self.puskesmas
            ],
        )
        self._table(
            "raw.master_sasaran",
            SASARAN_COLUMNS,
            [
                {"desa_code": desa, "year": year, "target_under_five": target} | version
                for desa, year, target in self.sasaran
            ],
        )

    def _create_empty_sources(self) -> None:
        """Every other raw table, empty, exactly as ingestion creates it (the indicator table
        unions all sources); ingesting a folder that does not exist loads no file."""
        nowhere = Path("/nonexistent-raw-exports")
        for source in sorted(set(SOURCES) - FIXTURE_SOURCES):
            ingest_source(self.con, source, nowhere, Pseudonymiser(b"fixture-key"))

    def _table(self, table: str, columns: dict[str, str], rows: list[dict[str, Any]]) -> None:
        select = ", ".join(f"unnest(?)::{kind} as {name}" for name, kind in columns.items())
        values = [[row.get(name) for row in rows] for name in columns]
        self.con.execute(f"create or replace table {table} as select {select}", values)


def months_later(start: date, months: int, days_after: int = 0) -> date:
    year, month = divmod(start.month - 1 + months, 12)
    return date(start.year + year, month + 1, 1) + timedelta(days=days_after)


def open_fixture(database: Path) -> RawRows:
    con = duckdb.connect(database)
    load_who_lms_tables(con)
    return RawRows(con)


def build_marts(rows: RawRows, database: Path, work_dir: Path) -> duckdb.DuckDBPyConnection:
    """Write the rows, run `dbt build` on the marts and their parents; a read connection."""
    rows.write()
    rows.con.close()
    selection = " ".join(f"+{mart}" for mart in MARTS)
    # Cautious: only tests whose every parent is selected (other engineers' models share seeds).
    result = dbt_command(
        "build",
        "--select",
        selection,
        "--indirect-selection",
        "cautious",
        duckdb_path=database,
        work_dir=work_dir,
    )
    assert result.returncode == 0, result.stdout[-6000:]
    return duckdb.connect(database, read_only=True)
