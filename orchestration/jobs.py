"""The one job users run: everything from raw files to the published Parquet."""

from __future__ import annotations

import dagster as dg

nightly_job = dg.define_asset_job(
    name="nightly",
    selection=dg.AssetSelection.all(),
    # One process for the whole run: every step writes the same DuckDB file one at a time anyway
    # (pool of 1), and a process per step would pay Python + Dagster + dbt start-up every time.
    executor_def=dg.in_process_executor,
    description=(
        "Ingest new exports, rebuild the dbt models, validate the marts with Great Expectations "
        "and publish them as Parquet only if the blocking checks passed."
    ),
)

nightly_schedule = dg.ScheduleDefinition(
    name="nightly_at_0100_wita",
    job=nightly_job,
    cron_schedule="0 1 * * *",
    execution_timezone="Asia/Makassar",
    description="Every night at 01:00 WITA (Asia/Makassar). Needs the Dagster daemon running.",
)
