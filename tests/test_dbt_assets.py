"""What the dbt step reports to Dagster after a real nightly run: row counts, read from DuckDB."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from tests.conftest import VENV_BIN, PipelineRun
from tpps.config import DBT_PROJECT_DIR


def test_dbt_tables_carry_their_row_counts_and_views_none(published_run: PipelineRun) -> None:
    instance = dg.DagsterInstance.from_config(str(published_run.dagster_home))
    warehouse = published_run.data_dir / "warehouse.duckdb"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ('intermediate', 'marts') and table_type = 'BASE TABLE' "
            "order by all"
        ).fetchall()
        assert len(tables) > 20
        for schema, name in tables:
            event = instance.get_latest_materialization_event(dg.AssetKey([schema, name]))
            assert event is not None and event.asset_materialization is not None, name
            reported = event.asset_materialization.metadata["dagster/row_count"].value
            [(rows,)] = con.execute(f'select count(*) from "{schema}"."{name}"').fetchall()
            assert reported == rows, name
    view = instance.get_latest_materialization_event(
        dg.AssetKey(["staging", "stg_eppgbm__measurements"])
    )
    assert view is not None and view.asset_materialization is not None
    assert "dagster/row_count" not in view.asset_materialization.metadata


def test_dbt_run_by_hand_sends_no_usage_events() -> None:
    """dagster-dbt turns dbt's telemetry off for its own runs, but `make` and people call dbt
    directly, and dbt Core then sends usage events to dbt Labs unless the project says no."""
    completed = subprocess.run(
        [str(VENV_BIN / "dbt"), "--log-format", "json", "--log-level", "debug", "parse"],
        cwd=DBT_PROJECT_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    events = [json.loads(line)["info"]["name"] for line in completed.stdout.splitlines()]
    assert "FlushEvents" in events  # debug events are seen: the tracker's would be too
    assert "SendingEvent" not in events


@pytest.mark.parametrize(("setting", "expected"), [(None, 2), ("1", 1)])
def test_dbt_threads_follow_tpps_dbt_threads(
    tmp_path: Path, setting: str | None, expected: int
) -> None:
    """Province-scale runs set one thread so models do not split the memory cap (profiles.yml)."""
    env = {key: value for key, value in os.environ.items() if key != "TPPS_DBT_THREADS"}
    env["TPPS_DATA_DIR"] = str(tmp_path)
    if setting is not None:
        env["TPPS_DBT_THREADS"] = setting
    completed = subprocess.run(
        [str(VENV_BIN / "dbt"), "compile", "--select", "stg_master__posyandu"],
        cwd=DBT_PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert f"Concurrency: {expected} threads" in completed.stdout
