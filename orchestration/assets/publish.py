"""The publish step: checked marts -> Parquet + manifest + catalog in ``published/``."""

import subprocess
from datetime import timedelta

import dagster as dg

from orchestration.assets.dbt import tpps_dbt_models
from orchestration.assets.quality import VALIDATED_ASSETS
from orchestration.resources import WAREHOUSE_POOL, PipelineStorage
from tpps import publish
from tpps.config import PROJECT_ROOT
from tpps.quality import suite_names
from tpps.quality.outcomes import read_outcome

MART_SCHEMA = "marts"
# Published nightly at 01:00 WITA: older than a day and a bit means a night was missed.
PUBLICATION_FRESHNESS = dg.FreshnessPolicy.time_window(
    fail_window=timedelta(hours=27), warn_window=timedelta(hours=25)
)


def _published_marts() -> dict[str, dg.AssetKey]:
    """Published name -> asset key for every model of the marts layer; each must have a suite."""
    marts = {
        key.path[-1].removeprefix("mart_"): key
        for key in tpps_dbt_models.keys
        if key.path[0] == MART_SCHEMA
    }
    unchecked = sorted(key.path[-1] for key in marts.values() if key.path[-1] not in suite_names())
    if unchecked:
        raise ValueError(f"Marts without a GX suite cannot be published: {unchecked}")
    return marts


PUBLISHED_MARTS = _published_marts()
# Marts large enough to be published as Hive partitions by year of their month column, so a BI
# tool filtering on a period reads only that year's file. The layout is part of the publication
# contract, hence fixed here rather than decided from each night's row count.
PARTITIONED_MARTS = {
    "children_measured_monthly": "measurement_month",
    "nutrition_status": "measurement_month",
    "skdn_posyandu_monthly": "measurement_month",
    "measurement_quality_posyandu_monthly": "measurement_month",
    "indicator": "period_start",
}


def _code_version() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _dbt_invocation_id(context: dg.AssetExecutionContext, key: dg.AssetKey) -> str | None:
    """The dbt invocation that built ``key`` in this run (dagster-dbt records it as metadata)."""
    event = context.instance.get_latest_materialization_event(key)
    if event is None or event.run_id != context.run.run_id:
        return None
    value = event.asset_materialization.metadata.get("invocation_id")
    return str(value.value) if value is not None else None


@dg.asset(
    key=["published", "marts"],
    # The validated staging models are dependencies too: Dagster then makes this step wait for
    # their blocking checks and skips it if one failed, as it does for the marts' checks.
    deps=list(dict.fromkeys([*PUBLISHED_MARTS.values(), *VALIDATED_ASSETS.values()])),
    group_name="publish",
    kinds={"parquet"},
    owners=["team:tpps-data"],
    pool=WAREHOUSE_POOL,
    freshness_policy=PUBLICATION_FRESHNESS,
    description=(
        "Checked marts as Parquet in data/published/ with manifest.json and catalog.duckdb. "
        "Runs only after the blocking GX checks of this run (staging models and marts) passed; "
        "swapped in atomically."
    ),
)
def published_marts(
    context: dg.AssetExecutionContext, storage: PipelineStorage
) -> dg.MaterializeResult:
    settings = storage.settings
    validations = {}
    for suite in VALIDATED_ASSETS:
        outcome = read_outcome(settings.quality_dir, suite, context.run.run_id)
        if not outcome or not outcome["blocking_passed"]:
            raise dg.Failure(
                description=f"Model '{suite}' was not validated and passed in this run; "
                "refusing to publish. Run the whole 'nightly' job.",
            )
        validations[suite] = {
            k: outcome[k] for k in ("evaluated", "successful", "success_percent", "failed_warning")
        }

    dbt_invocations = sorted(
        {_dbt_invocation_id(context, key) for key in PUBLISHED_MARTS.values()} - {None}
    )
    staging = settings.publish_staging_dir / context.run.run_id
    with storage.connect(read_only=True) as con:
        tables = {name: ".".join(key.path) for name, key in PUBLISHED_MARTS.items()}
        marts = publish.export_marts(con, tables, staging, PARTITIONED_MARTS)
        input_files = [
            {"source": source, "file": name, "sha256": sha}
            for source, name, sha in con.execute(
                "select source, file_name, file_sha256 from raw.ingest_log "
                "where status = 'loaded' order by source, file_name"
            ).fetchall()
        ]
    manifest = publish.build_manifest(
        marts,
        publish.read_manifest(settings.published_dir),
        run_id=context.run.run_id,
        code_version=_code_version(),
        extra={
            "validation": validations,
            "dbt_invocation_ids": dbt_invocations,
            "input_files": input_files,
        },
    )
    publish.swap_in(staging, settings.published_dir, marts, manifest)
    return dg.MaterializeResult(
        metadata={
            "published_dir": dg.MetadataValue.path(str(settings.published_dir)),
            "marts": len(marts),
            "dagster/row_count": sum(m.rows for m in marts),
            **{f"rows/{m.name}": m.rows for m in marts},
            **{f"sha256/{m.name}": m.sha256 for m in marts},
        }
    )
