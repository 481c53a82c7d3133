"""The code location: assets, checks, the nightly job, its schedule and the sensors."""

from __future__ import annotations

import sys
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.assets.dbt import dbt_project, tpps_dbt_models
from orchestration.assets.ingest import ingest_assets
from orchestration.assets.publish import published_marts
from orchestration.assets.quality import gx_checks
from orchestration.assets.reference import who_lms_tables, wilayah_desa
from orchestration.jobs import nightly_job, nightly_schedule
from orchestration.resources import PipelineStorage
from orchestration.sensors import new_raw_files_sensor, run_failure_alert_sensor

defs = dg.Definitions(
    assets=[who_lms_tables, wilayah_desa, *ingest_assets, tpps_dbt_models, published_marts],
    asset_checks=gx_checks,
    jobs=[nightly_job],
    schedules=[nightly_schedule],
    sensors=[new_raw_files_sensor, run_failure_alert_sensor],
    resources={
        # The dbt installed beside this interpreter (the pinned one), whatever PATH says.
        "dbt": DbtCliResource(
            project_dir=dbt_project, dbt_executable=str(Path(sys.executable).parent / "dbt")
        ),
        "storage": PipelineStorage.from_env(),
    },
)
