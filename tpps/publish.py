"""Publish checked marts as Parquet for BI tools: write beside, then swap in atomically.

A publication is prepared completely in a staging folder on the same filesystem (Parquet files,
catalog), and only then moved into ``published/`` with ``os.replace`` (atomic on POSIX), the
manifest last. If anything fails before the swap, the previous publication is untouched; a reader
never sees a partial or temporary file in ``published/``.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from tpps.checksums import file_sha256
from tpps.config import LOCAL_TIMEZONE

MANIFEST_NAME = "manifest.json"
CATALOG_NAME = "catalog.duckdb"


@dataclass(frozen=True)
class PublishedMart:
    """One mart as written to Parquet: enough for the manifest and for Dagster metadata."""

    name: str
    file_name: str
    rows: int
    sha256: str
    columns: list[dict[str, str]]


def export_marts(
    con: duckdb.DuckDBPyConnection, tables: dict[str, str], staging_dir: Path
) -> list[PublishedMart]:
    """Write each ``name -> schema.table`` to ``staging_dir/<name>.parquet``, deterministically.

    Rows are sorted on every column and written by one thread, so the same mart content always
    gives the same bytes (and the same sha256 in the manifest).
    """
    if staging_dir.exists():
        shutil.rmtree(staging_dir)
    staging_dir.mkdir(parents=True)
    con.execute("set threads = 1")
    marts = []
    for name, table in sorted(tables.items()):
        target = staging_dir / f"{name}.parquet"
        con.execute(
            f"copy (select * from {table} order by all) to '{target}' "
            "(format parquet, compression zstd)"
        )
        described = con.execute(f"describe select * from {table}").fetchall()
        rows = con.execute(f"select count(*) from '{target}'").fetchone()[0]
        marts.append(
            PublishedMart(
                name=name,
                file_name=target.name,
                rows=int(rows),
                sha256=file_sha256(target),
                columns=[{"name": col[0], "type": col[1]} for col in described],
            )
        )
    return marts


def build_manifest(
    marts: list[PublishedMart],
    previous: dict | None,
    *,
    run_id: str,
    code_version: str,
    extra: dict | None = None,
) -> dict:
    """The publication's manifest; a mart's ``schema_version`` rises on a breaking change.

    Breaking = a column removed or its type changed (BI reports built on it would break).
    Added columns are not breaking.
    """
    previous_marts = (previous or {}).get("marts", {})
    entries = {}
    for mart in marts:
        before = previous_marts.get(mart.name)
        version = before["schema_version"] if before else 1
        if before and _is_breaking(before["columns"], mart.columns):
            version += 1
        entries[mart.name] = {
            "file": mart.file_name,
            "rows": mart.rows,
            "sha256": mart.sha256,
            "schema_version": version,
            "columns": mart.columns,
        }
    return {
        "run_id": run_id,
        "code_version": code_version,
        "generated_at": datetime.now(LOCAL_TIMEZONE).isoformat(timespec="seconds"),
        "marts": entries,
        **(extra or {}),
    }


def _is_breaking(before: list[dict[str, str]], after: list[dict[str, str]]) -> bool:
    after_types = {col["name"]: col["type"] for col in after}
    return any(after_types.get(col["name"]) != col["type"] for col in before)


def read_manifest(published_dir: Path) -> dict | None:
    path = published_dir / MANIFEST_NAME
    return json.loads(path.read_text()) if path.exists() else None


def swap_in(
    staging_dir: Path, published_dir: Path, marts: list[PublishedMart], manifest: dict
) -> None:
    """Move a fully prepared publication into place, the manifest last.

    Each ``os.replace`` is atomic, so a reader sees either the old or the new version of every
    file. The catalog is built once the new Parquet files are in place (DuckDB binds a view to its
    file when the view is created); the manifest, written last, marks the publication complete.
    Marts no longer produced are removed only after that.
    """
    published_dir.mkdir(parents=True, exist_ok=True)
    for mart in marts:
        _replace(staging_dir / mart.file_name, published_dir / mart.file_name)
    _write_catalog(staging_dir / CATALOG_NAME, published_dir, marts)
    _replace(staging_dir / CATALOG_NAME, published_dir / CATALOG_NAME)
    (staging_dir / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    _replace(staging_dir / MANIFEST_NAME, published_dir / MANIFEST_NAME)
    current = {m.file_name for m in marts}
    for stale in published_dir.glob("*.parquet"):
        if stale.name not in current:
            stale.unlink()
    shutil.rmtree(staging_dir, ignore_errors=True)


def _replace(prepared: Path, target: Path) -> None:
    """Flush ``prepared`` to disk, then atomically put it where ``target`` is."""
    with prepared.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(prepared, target)


def _write_catalog(path: Path, published_dir: Path, marts: list[PublishedMart]) -> None:
    """A DuckDB file with one view per mart, so a BI tool opens a single file."""
    with duckdb.connect(str(path)) as catalog:
        for mart in marts:
            location = (published_dir / mart.file_name).resolve()
            catalog.execute(
                f"create or replace view {mart.name} as select * from read_parquet('{location}')"
            )
