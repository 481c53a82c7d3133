"""The code location: assets, checks, the nightly job and its schedule."""

from __future__ import annotations

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.assets.dbt import dbt_project, tpps_dbt_models
from orchestration.assets.ingest import ingest_assets
from orchestration.assets.publish import published_marts
from orchestration.assets.quality import gx_checks
from orchestration.jobs import nightly_job, nightly_schedule
from orchestration.resources import PipelineStorage

defs = dg.Definitions(
    assets=[*ingest_assets, tpps_dbt_models, published_marts],
    asset_checks=gx_checks,
    jobs=[nightly_job],
    schedules=[nightly_schedule],
    resources={
        "dbt": DbtCliResource(project_dir=dbt_project),
        "storage": PipelineStorage.from_env(),
    },
)
