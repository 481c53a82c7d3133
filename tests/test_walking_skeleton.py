"""End to end: real Dagster runs of the nightly job into temporary data folders."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from tests.conftest import VENV_BIN, PipelineRun, new_pipeline
from tpps.config import EXPECTATIONS_DIR, PROJECT_ROOT


def test_definitions_load() -> None:
    from orchestration.definitions import defs

    dg.Definitions.validate_loadable(defs)
    schedule = defs.resolve_schedule_def("nightly_at_0100_wita")
    assert schedule.cron_schedule == "0 1 * * *"
    assert schedule.execution_timezone == "Asia/Makassar"
    assert schedule.job_name == "nightly"


def test_workspace_validates_with_the_dagster_cli(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(VENV_BIN / "dagster"), "definitions", "validate", "-w", "workspace.yaml"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DAGSTER_HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr[-3000:]


def _published_hashes(published: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(published.iterdir())}


def test_publication_is_readable_by_bi_tools(published_run: PipelineRun) -> None:
    published = published_run.data_dir / "published"
    manifest = json.loads((published / "manifest.json").read_text())
    assert manifest["marts"], "nothing was published"
    for name, entry in manifest["marts"].items():
        path = published / entry["file"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]
        assert pq.read_table(path).num_rows == entry["rows"]
        assert len(pd.read_parquet(path)) == entry["rows"]
        assert duckdb.sql(f"select count(*) from '{path}'").fetchall()[0][0] == entry["rows"]
        with duckdb.connect(str(published / "catalog.duckdb"), read_only=True) as catalog:
            assert catalog.execute(f"select count(*) from {name}").fetchone()[0] == entry["rows"]
    assert not list(published.glob("*.tmp*")), "temporary files left where BI tools look"
    loaded = manifest["input_files"]
    assert loaded and all(len(f["sha256"]) == 64 for f in loaded)
    assert {f["source"] for f in loaded} >= {"eppgbm", "master_posyandu"}


def test_children_measured_counts_every_accepted_child(published_run: PipelineRun) -> None:
    """D per desa x month equals the distinct children accepted at ingest, where published."""
    published = published_run.data_dir / "published" / "children_measured_monthly.parquet"
    warehouse = published_run.data_dir / "warehouse.duckdb"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        expected = dict(
            ((desa, month), n)
            for desa, month, n in con.execute(
                "select desa_code, cast(date_trunc('month', measurement_date) as date), "
                "count(distinct child_key) from raw.eppgbm group by all"
            ).fetchall()
        )
    rows = duckdb.sql(
        f"select desa_code, measurement_month, children_measured, suppression from '{published}'"
    ).fetchall()
    assert {(desa, month) for desa, month, _, _ in rows} == set(expected)
    shown = [(key, n) for *key, n, why in rows if why is None]
    assert shown, "every cell was suppressed"
    assert all(n == expected[tuple(key)] and n >= 10 for key, n in shown)


def test_second_run_publishes_identical_content(published_run: PipelineRun) -> None:
    published = published_run.data_dir / "published"
    before = _published_hashes(published)
    result = published_run.run_nightly()
    assert result.returncode == 0, result.stdout[-3000:]
    after = _published_hashes(published)
    parquet = [name for name in before if name.endswith(".parquet")]
    assert parquet and all(before[name] == after[name] for name in parquet)


def test_failing_suite_blocks_publication_and_keeps_the_previous_one(tmp_path: Path) -> None:
    run = new_pipeline(tmp_path)
    run.generate_sample()
    assert run.run_nightly().returncode == 0
    published = run.data_dir / "published"
    before = _published_hashes(published)

    # A suite the (unchanged) mart cannot meet: at most 0 children measured per desa-month.
    strict = tmp_path / "strict_expectations"
    shutil.copytree(EXPECTATIONS_DIR, strict)
    suite_path = strict / "expectations" / "mart_children_measured_monthly.json"
    suite = json.loads(suite_path.read_text())
    suite["expectations"].append(
        {
            "type": "expect_column_values_to_be_between",
            "kwargs": {"column": "children_measured", "max_value": 0},
            "severity": "critical",
        }
    )
    suite_path.write_text(json.dumps(suite))

    result = run.run_nightly({"TPPS_EXPECTATIONS_DIR": str(strict)})
    assert result.returncode != 0
    assert _published_hashes(published) == before

    instance = dg.DagsterInstance.from_config(str(run.dagster_home))
    failed = instance.get_runs(limit=1)[0]
    assert failed.status == dg.DagsterRunStatus.FAILURE
    published_events = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=dg.AssetKey(["published", "marts"])), limit=10
    ).records
    assert published_events and all(e.run_id != failed.run_id for e in published_events)


@pytest.mark.parametrize("personal_column", ["NIK", "Nama", "Nama Ortu"])
def test_no_personal_data_outside_raw(published_run: PipelineRun, personal_column: str) -> None:
    """Neither NIKs nor names from the exports appear in any file the pipeline wrote."""
    from tests.privacy_scan import personal_values_in_exports, scan_for_values

    values = personal_values_in_exports(published_run.data_dir / "raw", personal_column)
    assert values, f"the sample exports carry no {personal_column} values to look for"
    roots = [p for p in published_run.data_dir.iterdir() if p.name not in {"raw", "ground_truth"}]
    roots.append(published_run.dagster_home)
    leaks = scan_for_values(roots, values)
    assert not leaks, f"{personal_column} values found in: {sorted(leaks)[:10]}"
