"""Ingest assets: one per source, raw export files -> typed, pseudonymised ``raw.<source>``.

Thin wiring over ``tpps.ingest``: contracts, readers, normalisation and quarantine live there and
are tested without Dagster. Each asset carries a blocking check that every row of every file is
accounted for (rows in = accepted + rejected + skipped), so nothing is dropped silently.
"""

from collections.abc import Iterator

import dagster as dg

from orchestration.assets.reference import WILAYAH_KEY
from orchestration.resources import WAREHOUSE_POOL, PipelineStorage
from tpps.ingest import SOURCES, ingest_source, reconcile
from tpps.privacy import Pseudonymiser

# A locked warehouse or a file still being copied in is worth another try; bad data is not
# (it is quarantined, never retried).
TRANSIENT_RETRY = dg.RetryPolicy(max_retries=3, delay=2, backoff=dg.Backoff.EXPONENTIAL)


def _build_ingest_asset(source: str) -> dg.AssetsDefinition:
    key = dg.AssetKey(["raw", source])
    contract = SOURCES[source]

    @dg.asset(
        key=key,
        deps=[WILAYAH_KEY],
        group_name="ingest",
        kinds={"csv", "xlsx", "duckdb"},
        owners=["team:tpps-data"],
        description=f"{contract.description} Files: data/raw/{contract.folder}/.",
        pool=WAREHOUSE_POOL,
        retry_policy=TRANSIENT_RETRY,
        check_specs=[
            dg.AssetCheckSpec(
                "rows_reconcile",
                asset=key,
                blocking=True,
                description="Every file: rows in = accepted + rejected + skipped.",
            )
        ],
    )
    def _ingest(
        context: dg.AssetExecutionContext, storage: PipelineStorage
    ) -> Iterator[dg.MaterializeResult]:
        settings = storage.settings
        with storage.connect() as con:
            report = ingest_source(con, source, settings.raw_dir, Pseudonymiser.from_env())
            violations = reconcile(con, source)
            columns = con.execute(f"describe raw.{source}").fetchall()
            [(table_rows,)] = con.execute(f"select count(*) from raw.{source}").fetchall()
        for problem in report.file_problems():
            context.log.warning(problem)
        yield dg.MaterializeResult(
            metadata={
                **report.metadata(),
                "dagster/row_count": table_rows,
                "dagster/column_schema": dg.TableSchema(
                    columns=[dg.TableColumn(name=col[0], type=col[1]) for col in columns]
                ),
            },
            check_results=[
                dg.AssetCheckResult(
                    check_name="rows_reconcile",
                    passed=not violations,
                    metadata={"files_not_reconciled": len(violations)},
                    description="; ".join(violations[:20]) or None,
                )
            ],
        )

    return _ingest


ingest_assets = [_build_ingest_asset(source) for source in sorted(SOURCES)]
