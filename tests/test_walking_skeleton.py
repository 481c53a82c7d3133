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
import pyarrow.dataset as pads
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
    """Every file under ``published/`` by relative path, and where each symlink points."""
    hashes = {}
    for path in sorted(published.rglob("*")):
        name = str(path.relative_to(published))
        if path.is_symlink():
            hashes[name] = f"-> {os.readlink(path)}"
        elif path.is_file():
            hashes[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def test_publication_is_readable_by_bi_tools(published_run: PipelineRun) -> None:
    published = published_run.data_dir / "published"
    manifest = json.loads((published / "manifest.json").read_text())
    assert manifest["marts"], "nothing was published"
    assert any("partitioning" in entry for entry in manifest["marts"].values())
    for name, entry in manifest["marts"].items():
        for listed in entry["files"]:
            path = published / listed["path"]
            assert hashlib.sha256(path.read_bytes()).hexdigest() == listed["sha256"]
            assert pq.read_table(path).num_rows == listed["rows"]
        assert sum(f["rows"] for f in entry["files"]) == entry["rows"]
        # What a BI tool points at: the file, or the folder of Hive partitions.
        location = published / entry["file"]
        if "partitioning" in entry:
            source = f"read_parquet('{location}/*/*.parquet', hive_partitioning = true)"
            pyarrow_rows = pads.dataset(location, partitioning="hive").count_rows()
        else:
            source = f"'{location}'"
            pyarrow_rows = pq.read_table(location).num_rows
        assert pyarrow_rows == entry["rows"]
        assert len(pd.read_parquet(location)) == entry["rows"]
        assert duckdb.sql(f"select count(*) from {source}").fetchall()[0][0] == entry["rows"]
        with duckdb.connect(str(published / "catalog.duckdb"), read_only=True) as catalog:
            assert catalog.execute(f"select count(*) from {name}").fetchone()[0] == entry["rows"]
    assert not list(published.rglob("*.tmp*")), "temporary files left where BI tools look"
    loaded = manifest["input_files"]
    assert loaded and all(len(f["sha256"]) == 64 for f in loaded)
    assert {f["source"] for f in loaded} >= {"eppgbm", "master_posyandu"}


def test_children_measured_counts_every_accepted_child(published_run: PipelineRun) -> None:
    """D per desa x month equals the distinct children accepted at ingest, where published."""
    published = published_run.data_dir / "published" / "children_measured_monthly" / "*/*.parquet"
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
    data = [name for name in before if name.endswith(".parquet") or before[name][:2] == "->"]
    assert data and all(before[name] == after[name] for name in data)


def _suite_the_data_breaks(expectations: Path, suite: str, expectation: dict) -> None:
    path = expectations / "expectations" / f"{suite}.json"
    content = json.loads(path.read_text())
    content["expectations"].append({**expectation, "severity": "critical"})
    path.write_text(json.dumps(content))


def test_failing_suite_blocks_publication_and_keeps_the_previous_one(tmp_path: Path) -> None:
    run = new_pipeline(tmp_path)
    run.generate_sample()
    assert run.run_nightly().returncode == 0
    published = run.data_dir / "published"
    before = _published_hashes(published)
    instance = dg.DagsterInstance.from_config(str(run.dagster_home))

    # Suites the (unchanged) models cannot meet: a staging profile and a mart.
    breaking = {
        ("staging", "stg_eppgbm__measurements"): {
            "type": "expect_column_values_to_be_between",
            "kwargs": {"column": "rows", "max_value": 0},
        },
        ("marts", "mart_children_measured_monthly"): {
            "type": "expect_column_values_to_be_between",
            "kwargs": {"column": "children_measured", "max_value": 0},
        },
    }
    for (layer, suite), expectation in breaking.items():
        strict = tmp_path / f"strict_{suite}"
        shutil.copytree(EXPECTATIONS_DIR, strict)
        _suite_the_data_breaks(strict, suite, expectation)

        result = run.run_nightly({"TPPS_EXPECTATIONS_DIR": str(strict)})
        assert result.returncode != 0, suite
        assert _published_hashes(published) == before, suite

        failed = instance.get_runs(limit=1)[0]
        assert failed.status == dg.DagsterRunStatus.FAILURE
        evaluations = [
            entry.dagster_event.event_specific_data
            for entry in instance.all_logs(
                failed.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
            )
        ]
        failed_checks = {(e.asset_key, e.check_name) for e in evaluations if not e.passed}
        assert (dg.AssetKey([layer, suite]), "gx_errors") in failed_checks, suite
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


def test_no_nik_pattern_in_published_files_or_quality_reports(published_run: PipelineRun) -> None:
    """Nothing that looks like a NIK in what BI tools, Data Docs or GX results expose."""
    from tests.privacy_scan import NIK_LIKE, scan_for_pattern

    roots = [published_run.data_dir / "published", published_run.data_dir / "quality"]
    assert (published_run.data_dir / "quality" / "data_docs" / "index.html").exists()
    leaks = scan_for_pattern(roots, NIK_LIKE)
    assert not leaks, f"NIK-like values found in: {sorted(leaks)[:10]}"
