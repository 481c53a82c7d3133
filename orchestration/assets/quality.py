"""Great Expectations suites as blocking asset checks on the dbt models they are named after.

Each suite yields two checks from one validation: ``gx_errors`` (blocking: a failed critical
expectation stops publication in the same run) and ``gx_warnings`` (reported, never blocking).
Staging models are validated through their DuckDB profile (see ``tpps.quality``); the publish step
depends on them too, so a failed staging check also keeps the previous publication in place.
"""

from collections.abc import Iterable

import dagster as dg

from orchestration.assets.dbt import tpps_dbt_models
from orchestration.resources import WAREHOUSE_POOL, PipelineStorage
from tpps.quality import suite_names, validate_model
from tpps.quality.outcomes import record_outcome


def _validated_assets() -> dict[str, dg.AssetKey]:
    """dbt model name -> asset key, for every model that has a suite of the same name."""
    by_model = {key.path[-1]: key for key in tpps_dbt_models.keys}
    missing = sorted(set(suite_names()) - set(by_model))
    if missing:
        raise ValueError(f"GX suites without a dbt model of the same name: {missing}")
    return {name: by_model[name] for name in suite_names()}


def _build_gx_check(model: str, key: dg.AssetKey) -> dg.AssetChecksDefinition:
    @dg.multi_asset_check(
        name=f"gx_{model}",
        specs=[
            dg.AssetCheckSpec(
                "gx_errors",
                asset=key,
                blocking=True,
                description=f"Critical expectations of GX suite '{model}' (blocks publication).",
            ),
            dg.AssetCheckSpec(
                "gx_warnings",
                asset=key,
                description=f"Warning-level expectations of GX suite '{model}' (reported only).",
            ),
        ],
        pool=WAREHOUSE_POOL,
    )
    def _check(
        context: dg.AssetCheckExecutionContext, storage: PipelineStorage
    ) -> Iterable[dg.AssetCheckResult]:
        # The warehouse's own memory cap: a separate 1 GB cap ran out of memory at 100x Luwu
        # (a suite parameter counting 59M child-months, after the 6M-row mart_indicator frame).
        with storage.connect(read_only=True) as con:
            outcome = validate_model(con, model, ".".join(key.path), storage.settings.quality_dir)
        record_outcome(storage.settings.quality_dir, outcome, context.run.run_id)
        common = {
            "expectations_evaluated": outcome.evaluated,
            "expectations_successful": outcome.successful,
            "success_percent": outcome.success_percent,
            "rows_validated": outcome.rows_validated,
            "data_docs": dg.MetadataValue.path(str(outcome.data_docs_index)),
        }
        yield dg.AssetCheckResult(
            asset_key=key,
            check_name="gx_errors",
            passed=outcome.blocking_passed,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={
                **common,
                "failed_expectations": ", ".join(outcome.failed_critical) or "none",
            },
            description=None
            if outcome.blocking_passed
            else f"{len(outcome.failed_critical)} critical expectation(s) failed; not published.",
        )
        yield dg.AssetCheckResult(
            asset_key=key,
            check_name="gx_warnings",
            passed=not outcome.failed_warning,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={**common, "failed_expectations": ", ".join(outcome.failed_warning) or "none"},
        )

    return _check


VALIDATED_ASSETS = _validated_assets()
gx_checks = [_build_gx_check(model, key) for model, key in VALIDATED_ASSETS.items()]
