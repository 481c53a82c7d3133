"""The publisher on its own: atomic swap, a polling reader, schema versions, Hive partitions."""

from __future__ import annotations

import os
import threading
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from tpps import publish

# Mart "b" is published as Hive partitions by the year of its month column.
PARTITIONED = {"b": "month"}


def _warehouse(path: Path, rows: int) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    con.execute("create schema if not exists marts")
    con.execute(
        "create or replace table marts.mart_a as select range as id, "
        f"'desa-' || (range % 227) as desa_code, random() as value from range({rows})"
    )
    # Three years of months; `version` says which publication a row belongs to.
    con.execute(
        "create or replace table marts.mart_b as select range as id, "
        "cast(date '2023-01-01' + to_months(cast(range % 36 as integer)) as date) as month, "
        f"0 as version from range({rows})"
    )
    return con


def _publish_once(con: duckdb.DuckDBPyConnection, root: Path, run_id: str) -> dict:
    staging, published = root / ".staging" / run_id, root / "published"
    tables = {"a": "marts.mart_a", "b": "marts.mart_b"}
    marts = publish.export_marts(con, tables, staging, PARTITIONED)
    manifest = publish.build_manifest(
        marts, publish.read_manifest(published), run_id=run_id, code_version="test"
    )
    publish.swap_in(staging, published, marts, manifest)
    return manifest


def test_a_polling_reader_never_sees_a_partial_temporary_or_mixed_publication(
    tmp_path: Path,
) -> None:
    con = _warehouse(tmp_path / "w.duckdb", 300_000)
    _publish_once(con, tmp_path, "first")
    published = tmp_path / "published"
    allowed = {"a.parquet", "b", "manifest.json", "catalog.duckdb", publish.VERSIONS_DIR}
    seen_problems: list[str] = []
    stop = threading.Event()

    def poll() -> None:
        while not stop.is_set():
            names = {p.name for p in published.iterdir()}
            if names - allowed:
                seen_problems.append(f"unexpected files {sorted(names - allowed)}")
            try:
                if pq.read_metadata(published / "a.parquet").num_rows != 300_000:
                    seen_problems.append("a.parquet with the wrong row count")
                # Resolve the symlink once, as the catalog does: one version, whole.
                version = os.path.realpath(published / "b")
                counts = duckdb.sql(
                    f"select count(*), count(distinct version) from '{version}/*/*.parquet'"
                ).fetchall()[0]
                if counts != (300_000, 1):
                    seen_problems.append(f"partitioned mart read as {counts}")
            except Exception as error:  # a truncated or vanished file fails to read
                seen_problems.append(f"unreadable publication: {error!r}")

    reader = threading.Thread(target=poll)
    reader.start()
    try:
        for run in range(5):
            con.execute("update marts.mart_a set value = value + 1")
            con.execute("update marts.mart_b set version = version + 1")
            _publish_once(con, tmp_path, f"run-{run}")
    finally:
        stop.set()
        reader.join()
    assert not seen_problems, seen_problems[:5]
    # The current version and the previous one (for readers still on it) are kept, no older.
    assert len(list((published / publish.VERSIONS_DIR / "b").iterdir())) == 2


def test_same_content_gives_the_same_bytes(tmp_path: Path) -> None:
    con = _warehouse(tmp_path / "w.duckdb", 10_000)
    first = _publish_once(con, tmp_path / "one", "r1")["marts"]
    second = _publish_once(con, tmp_path / "two", "r2")["marts"]
    for name in ("a", "b"):
        assert first[name]["sha256"] == second[name]["sha256"]
        assert first[name]["files"] == second[name]["files"]


def test_partitioned_mart_reads_back_whole_with_every_reader(tmp_path: Path) -> None:
    con = _warehouse(tmp_path / "w.duckdb", 10_000)
    entry = _publish_once(con, tmp_path, "r1")["marts"]["b"]
    published = tmp_path / "published"
    expected = con.execute("select * from marts.mart_b order by id").df()

    assert entry["partitioning"]["key"] == "year"
    assert [Path(f["path"]).parent.name for f in entry["files"]] == [
        "year=2023",
        "year=2024",
        "year=2025",
    ]
    for f in entry["files"]:
        path = published / f["path"]
        year = int(path.parent.name.removeprefix("year="))
        months = duckdb.sql(f"select distinct year(month) from '{path}'").fetchall()
        assert months == [(year,)] and pq.read_metadata(path).num_rows == f["rows"]
    assert sum(f["rows"] for f in entry["files"]) == entry["rows"] == 10_000

    through_link = published / "b"
    readers = {
        "duckdb": duckdb.sql(
            f"select * from read_parquet('{through_link}/*/*.parquet', hive_partitioning = true)"
        ).df(),
        "pyarrow": ds.dataset(through_link, format="parquet", partitioning="hive")
        .to_table()
        .to_pandas(),
        "pandas": pd.read_parquet(through_link),
    }
    with duckdb.connect(str(published / "catalog.duckdb"), read_only=True) as catalog:
        readers["catalog"] = catalog.execute("select * from b").df()
    for reader, frame in readers.items():
        assert frame["year"].astype(int).tolist() == [d.year for d in frame["month"]], reader
        got = frame.drop(columns="year").sort_values("id").reset_index(drop=True)
        got["month"] = pd.to_datetime(got["month"]).dt.date
        want = expected.assign(month=pd.to_datetime(expected["month"]).dt.date)
        pd.testing.assert_frame_equal(got, want, check_dtype=False, obj=reader)
    assert all(isinstance(d, date) for d in readers["catalog"]["month"])


def test_a_mart_that_stops_being_published_leaves_no_file_or_version(tmp_path: Path) -> None:
    con = _warehouse(tmp_path / "w.duckdb", 100)
    _publish_once(con, tmp_path, "r1")
    published = tmp_path / "published"
    staging = tmp_path / ".staging" / "r2"
    marts = publish.export_marts(con, {"a": "marts.mart_a"}, staging, PARTITIONED)
    manifest = publish.build_manifest(
        marts, publish.read_manifest(published), run_id="r2", code_version="test"
    )
    publish.swap_in(staging, published, marts, manifest)
    assert sorted(p.name for p in published.iterdir()) == [
        "a.parquet",
        "catalog.duckdb",
        "manifest.json",
    ]


def test_a_removed_or_retyped_column_raises_the_schema_version(tmp_path: Path) -> None:
    con = _warehouse(tmp_path / "w.duckdb", 100)
    assert _publish_once(con, tmp_path, "r1")["marts"]["a"]["schema_version"] == 1
    con.execute("alter table marts.mart_a add column extra integer")
    assert _publish_once(con, tmp_path, "r2")["marts"]["a"]["schema_version"] == 1
    con.execute("alter table marts.mart_a drop column value")
    assert _publish_once(con, tmp_path, "r3")["marts"]["a"]["schema_version"] == 2
