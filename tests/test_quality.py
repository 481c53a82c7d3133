"""The quality gate on hand-made data: report completeness, and staging suites on their profiles.

A real dbt build on a few e-PPGBM rows and a hand-written posyandu master list, so the expected
completeness of every desa-month is known by hand; the GX suites run exactly as the checks run them.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from tests._marts_helpers import open_fixture
from tests._zscore_helpers import dbt_command
from tests.privacy_scan import scan_for_values
from tpps.quality import SuiteOutcome, gx_validation, suite_frame_query, validate_model

DESA_A, DESA_B = "73.17.05.2001", "73.17.05.2002"
JAN, FEB, MAR = date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)
# Posyandu that sent at least one measurement, by desa and month. Anggrek is not on the list.
REPORTS = {
    (DESA_A, "Mawar"): [JAN, FEB, MAR],
    (DESA_A, "Melati"): [JAN],
    (DESA_A, "Anggrek"): [FEB],
    (DESA_B, "Kenanga"): [JAN, MAR],
}
# The master list: (code, name as listed, desa, ingested at). Names are matched trimmed and
# case-blind; code P3's older version (another name) is superseded by its newer one.
LISTED = [
    ("P1", " MAWAR", DESA_A, datetime(2024, 1, 1)),
    ("P2", "Melati", DESA_A, datetime(2024, 1, 1)),
    ("P3", "Kenanga Lama", DESA_B, datetime(2023, 1, 1)),
    ("P3", "Kenanga", DESA_B, datetime(2024, 1, 1)),
]
# (desa, month): expected, reported, missing, unlisted, completeness %.
EXPECTED = {
    (DESA_A, JAN): (2, 2, 0, 0, 100.0),
    (DESA_A, FEB): (2, 1, 1, 1, 50.0),
    (DESA_A, MAR): (2, 1, 1, 0, 50.0),
    (DESA_B, JAN): (1, 1, 0, 0, 100.0),
    (DESA_B, FEB): (1, 0, 1, 0, 0.0),
    (DESA_B, MAR): (1, 1, 0, 0, 100.0),
}
# A child key as distinctive as a pseudonym, to look for in GX results and Data Docs.
CHILD_KEY_PREFIX = "pseudonym-7f3a9c"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    work_dir = tmp_path_factory.mktemp("quality")
    database = work_dir / "quality.duckdb"
    rows = open_fixture(database)
    for (desa, posyandu), months in REPORTS.items():
        for month in months:
            for child in range(3):
                key = f"{CHILD_KEY_PREFIX}-{desa}-{posyandu}-{child}"
                rows.measure(key, desa, month.replace(day=12), posyandu=posyandu)
    rows.write()
    rows.con.executemany(
        "insert into raw.master_posyandu (row_key, source_file, source_line, posyandu_code, "
        "posyandu_name, desa_code, ingested_at) values (?, 'posyandu.csv', ?, ?, ?, ?, ?)",
        [[f"m{line}", line, *listed] for line, listed in enumerate(LISTED, start=2)],
    )
    rows.con.close()
    result = dbt_command(
        "build",
        "--select",
        "+mart_report_completeness_desa_monthly",
        "--indirect-selection",
        "cautious",
        duckdb_path=database,
        work_dir=work_dir,
    )
    assert result.returncode == 0, result.stdout[-6000:]
    return database


def _validate(database: Path, suite: str, relation: str, quality_dir: Path) -> SuiteOutcome:
    """One suite exactly as the Dagster check runs it."""
    with duckdb.connect(str(database), read_only=True) as con:
        return validate_model(con, suite, relation, quality_dir)


def test_report_completeness_per_desa_and_month(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select desa_code, measurement_month, posyandu_expected, posyandu_reported, "
            "posyandu_missing, posyandu_unlisted, report_completeness_pct "
            "from marts.mart_report_completeness_desa_monthly"
        ).fetchall()
    assert {(desa, month): tuple(rest) for desa, month, *rest in rows} == EXPECTED


def test_completeness_below_the_threshold_warns_without_blocking(
    warehouse: Path, tmp_path: Path
) -> None:
    """Half the desa-months under 80 % is reported; a mean of 67 % is no lost delivery."""
    outcome = _validate(
        warehouse,
        "mart_report_completeness_desa_monthly",
        "marts.mart_report_completeness_desa_monthly",
        tmp_path,
    )
    assert outcome.blocking_passed, outcome.failed_critical
    assert "expect_column_values_to_be_between(report_completeness_pct)" in outcome.failed_warning
    assert "expect_column_values_to_be_between(posyandu_unlisted)" in outcome.failed_warning


def test_staging_profile_passes_on_clean_rows_and_blocks_on_broken_ones(
    warehouse: Path, tmp_path: Path
) -> None:
    suite, relation = "stg_eppgbm__measurements", "staging.stg_eppgbm__measurements"
    clean = _validate(warehouse, suite, relation, tmp_path / "clean")
    assert clean.blocking_passed, clean.failed_critical

    broken = tmp_path / "broken.duckdb"
    shutil.copy(warehouse, broken)
    with duckdb.connect(str(broken)) as con:
        con.execute("update raw.eppgbm set sex = 3 where row_key = 'r00001'")
        con.execute("insert into raw.eppgbm select * from raw.eppgbm where row_key = 'r00002'")
    outcome = _validate(broken, suite, relation, tmp_path / "broken")
    assert not outcome.blocking_passed
    assert set(outcome.failed_critical) == {
        "expect_column_values_to_be_between(rows_sex_invalid)",
        "expect_column_values_to_be_between(duplicate_keys)",
    }


def test_staging_profiles_keep_keys_out_of_gx(warehouse: Path, tmp_path: Path) -> None:
    """The frame GX sees has counts per desa and month, never a pseudonymised key."""
    suite, relation = "stg_eppgbm__measurements", "staging.stg_eppgbm__measurements"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        frame = con.execute(suite_frame_query(suite, relation)).df()
        child_keys = {row[0] for row in con.execute("select child_key from raw.eppgbm").fetchall()}
    assert not [column for column in frame.columns if column.endswith("_key")]
    assert len(frame) == len(
        {(desa, month) for (desa, _), months in REPORTS.items() for month in months}
    )
    _validate(warehouse, suite, relation, tmp_path)
    assert all(key.startswith(CHILD_KEY_PREFIX) for key in child_keys)
    assert not scan_for_values([tmp_path], child_keys)


def test_frames_hold_text_once_and_keep_values(monkeypatch: pytest.MonkeyPatch) -> None:
    """Frames read in several batches: text columns are categoricals with the same values (nulls
    included) as DuckDB's own DataFrame, numbers unchanged, dates as timestamps. An empty result
    (a source not delivered) is an empty frame with the columns, for GX to judge."""
    monkeypatch.setattr(gx_validation, "FRAME_BATCH_ROWS", 3)
    query = (
        "select case when i % 4 = 0 then null else 'desa_' || (i % 3) end as desa_code, "
        "cast(i as double) / 2 as value, date '2024-01-01' + cast(i as integer) as month "
        "from range(10) t(i) order by i"
    )
    with duckdb.connect() as con:
        expected = con.execute(query).df()
        frame = gx_validation.read_frame(con, query)
        empty = gx_validation.read_frame(con, f"select * from ({query}) where false")
    assert empty.empty and list(empty.columns) == ["desa_code", "value", "month"]
    assert isinstance(frame["desa_code"].dtype, pd.CategoricalDtype)
    assert set(frame["desa_code"].cat.categories) == {"desa_0", "desa_1", "desa_2"}
    assert frame["desa_code"].astype(object).where(frame["desa_code"].notna(), None).tolist() == (
        expected["desa_code"].astype(object).where(expected["desa_code"].notna(), None).tolist()
    )
    assert frame["value"].tolist() == expected["value"].tolist()
    assert pd.api.types.is_datetime64_any_dtype(frame["month"])
    assert frame["month"].tolist() == expected["month"].tolist()
