"""The publisher on its own: atomic swap, what a polling reader sees, schema versions."""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from tpps import publish


def _warehouse(path: Path, rows: int) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    con.execute("create schema if not exists marts")
    con.execute(
        "create or replace table marts.mart_a as select range as id, "
        f"'desa-' || (range % 227) as desa_code, random() as value from range({rows})"
    )
    return con


def _publish_once(con: duckdb.DuckDBPyConnection, root: Path, run_id: str) -> dict:
    staging, published = root / ".staging" / run_id, root / "published"
    marts = publish.export_marts(con, {"a": "marts.mart_a"}, staging)
    manifest = publish.build_manifest(
        marts, publish.read_manifest(published), run_id=run_id, code_version="test"
    )
    publish.swap_in(staging, published, marts, manifest)
    return manifest


def test_a_polling_reader_never_sees_a_partial_or_temporary_file(tmp_path: Path) -> None:
    con = _warehouse(tmp_path / "w.duckdb", 300_000)
    _publish_once(con, tmp_path, "first")
    published = tmp_path / "published"
    allowed = {"a.parquet", "manifest.json", "catalog.duckdb"}
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
            except OSError as error:  # a truncated file fails to parse
                seen_problems.append(f"unreadable a.parquet: {error}")

    reader = threading.Thread(target=poll)
    reader.start()
    try:
        for run in range(5):
            con.execute("update marts.mart_a set value = value + 1")
            _publish_once(con, tmp_path, f"run-{run}")
    finally:
        stop.set()
        reader.join()
    assert not seen_problems, seen_problems[:5]


def test_same_content_gives_the_same_bytes(tmp_path: Path) -> None:
    con = _warehouse(tmp_path / "w.duckdb", 10_000)
    first = _publish_once(con, tmp_path / "one", "r1")["marts"]["a"]["sha256"]
    second = _publish_once(con, tmp_path / "two", "r2")["marts"]["a"]["sha256"]
    assert first == second


def test_a_removed_or_retyped_column_raises_the_schema_version(tmp_path: Path) -> None:
    con = _warehouse(tmp_path / "w.duckdb", 100)
    assert _publish_once(con, tmp_path, "r1")["marts"]["a"]["schema_version"] == 1
    con.execute("alter table marts.mart_a add column extra integer")
    assert _publish_once(con, tmp_path, "r2")["marts"]["a"]["schema_version"] == 1
    con.execute("alter table marts.mart_a drop column value")
    assert _publish_once(con, tmp_path, "r3")["marts"]["a"]["schema_version"] == 2
