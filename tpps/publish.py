"""Publish checked marts as Parquet for BI tools: write beside, then swap in atomically.

A publication is prepared completely in a staging folder on the same filesystem (Parquet files,
catalog), and only then moved into ``published/`` with ``os.replace`` (atomic on POSIX), the
manifest last. If anything fails before the swap, the previous publication is untouched; a reader
never sees a partial or temporary file in ``published/``.

A large mart is a folder of Hive partitions (``year=YYYY/part-0.parquet``). Several files cannot be
replaced in one atomic step, so each version of such a mart is an immutable folder
``.versions/<mart>/<content id>`` and ``published/<mart>`` is a symlink that one ``os.replace``
repoints. The catalog's views name the version folder itself, so a query never mixes two versions;
the previous version is kept for readers still on it, older ones are removed.
"""

from __future__ import annotations

import hashlib
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
VERSIONS_DIR = ".versions"
PARTITION_KEY = "year"
PARTITION_FILE = "part-0.parquet"


@dataclass(frozen=True)
class PublishedFile:
    """One Parquet file of a mart; ``path`` is relative to the mart's location."""

    path: str
    rows: int
    sha256: str


@dataclass(frozen=True)
class PublishedMart:
    """One mart as written to Parquet: enough for the manifest and for Dagster metadata.

    ``file_name`` is ``<name>.parquet`` for a single-file mart and ``<name>`` (the symlink to the
    current version folder) for a partitioned one. ``sha256`` identifies the content either way:
    the file's hash, or the hash of the partition list with each file's hash.
    """

    name: str
    file_name: str
    rows: int
    sha256: str
    columns: list[dict[str, str]]
    files: list[PublishedFile]
    partitioned_by: str | None = None

    @property
    def version_path(self) -> str | None:
        """Where the partitioned mart's files live, relative to ``published/``."""
        if self.partitioned_by is None:
            return None
        return f"{VERSIONS_DIR}/{self.name}/{self.sha256[:16]}"


def export_marts(
    con: duckdb.DuckDBPyConnection,
    tables: dict[str, str],
    staging_dir: Path,
    partitioned: dict[str, str] | None = None,
) -> list[PublishedMart]:
    """Write each ``name -> schema.table`` under ``staging_dir``, deterministically.

    Marts named in ``partitioned`` (name -> month column) become
    ``<name>/year=YYYY/part-0.parquet``, the others ``<name>.parquet``. Rows are sorted on every
    column and written by one thread, and each partition is its own ``copy``, so the same content
    always gives the same bytes (and the same sha256 in the manifest).
    """
    if staging_dir.exists():
        shutil.rmtree(staging_dir)
    staging_dir.mkdir(parents=True)
    con.execute("set threads = 1")
    marts = []
    for name, table in sorted(tables.items()):
        month_column = (partitioned or {}).get(name)
        if month_column is None:
            files = [_write_parquet(con, f"select * from {table}", staging_dir, f"{name}.parquet")]
            location, content_id = f"{name}.parquet", files[0].sha256
        else:
            files = _write_partitions(con, table, month_column, staging_dir / name)
            location = name
            content_id = hashlib.sha256(
                json.dumps([[f.path, f.sha256] for f in files]).encode()
            ).hexdigest()
        described = con.execute(f"describe select * from {table}").fetchall()
        marts.append(
            PublishedMart(
                name=name,
                file_name=location,
                rows=sum(f.rows for f in files),
                sha256=content_id,
                columns=[{"name": col[0], "type": col[1]} for col in described],
                files=files,
                partitioned_by=month_column,
            )
        )
    return marts


def _write_parquet(
    con: duckdb.DuckDBPyConnection, query: str, root: Path, relative: str
) -> PublishedFile:
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    con.execute(f"copy ({query} order by all) to '{target}' (format parquet, compression zstd)")
    rows = con.execute(f"select count(*) from '{target}'").fetchone()[0]
    return PublishedFile(path=relative, rows=int(rows), sha256=file_sha256(target))


def _write_partitions(
    con: duckdb.DuckDBPyConnection, table: str, month_column: str, root: Path
) -> list[PublishedFile]:
    """One file per year of ``month_column``; the year lives only in the folder name (Hive)."""
    years = [
        row[0]
        for row in con.execute(
            f"select distinct year({month_column}) from {table} order by 1"
        ).fetchall()
    ]
    if None in years:
        raise ValueError(f"{table}.{month_column} has nulls: rows without a partition")
    root.mkdir(parents=True)
    return [
        _write_parquet(
            con,
            f"select * from {table} where year({month_column}) = {year}",
            root,
            f"{PARTITION_KEY}={year}/{PARTITION_FILE}",
        )
        for year in years
    ]


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
            "files": [
                {"path": _file_path(mart, f), "rows": f.rows, "sha256": f.sha256}
                for f in mart.files
            ],
        }
        if mart.partitioned_by:
            entries[mart.name]["partitioning"] = {
                "style": "hive",
                "key": PARTITION_KEY,
                "derived_from": f"year({mart.partitioned_by})",
                "version_path": mart.version_path,
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
    file or partitioned mart. The catalog is built once the new files are in place (DuckDB binds a
    view to its files when the view is created); the manifest, written last, marks the publication
    complete. Marts no longer produced and superseded versions are removed only after that.
    """
    published_dir.mkdir(parents=True, exist_ok=True)
    kept_versions: dict[str, set[str]] = {}
    for mart in marts:
        if mart.partitioned_by is None:
            _replace(staging_dir / mart.file_name, published_dir / mart.file_name)
            continue
        link = published_dir / mart.file_name
        previous = os.readlink(link) if link.is_symlink() else None
        version_dir = published_dir / mart.version_path
        # An unchanged mart keeps its folder: the folder is named after the content.
        if not version_dir.exists():
            for f in mart.files:
                _fsync(staging_dir / mart.name / f.path)
            version_dir.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging_dir / mart.name, version_dir)
        new_link = staging_dir / f"{mart.name}.link"
        os.symlink(mart.version_path, new_link)
        os.replace(new_link, link)
        kept_versions[mart.name] = {Path(mart.version_path).name} | (
            {Path(previous).name} if previous else set()
        )
    _write_catalog(staging_dir / CATALOG_NAME, published_dir, marts)
    _replace(staging_dir / CATALOG_NAME, published_dir / CATALOG_NAME)
    (staging_dir / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    _replace(staging_dir / MANIFEST_NAME, published_dir / MANIFEST_NAME)
    _remove_stale(published_dir, marts, kept_versions)
    shutil.rmtree(staging_dir, ignore_errors=True)


def _remove_stale(
    published_dir: Path, marts: list[PublishedMart], kept_versions: dict[str, set[str]]
) -> None:
    """Remove marts no longer published and versions older than the previous one."""
    current = {m.file_name for m in marts}
    for entry in published_dir.iterdir():
        is_mart_file = entry.suffix == ".parquet" or entry.is_symlink()
        if is_mart_file and entry.name not in current:
            entry.unlink()
    versions_root = published_dir / VERSIONS_DIR
    if not versions_root.exists():
        return
    for mart_versions in versions_root.iterdir():
        for version in mart_versions.iterdir():
            if version.name not in kept_versions.get(mart_versions.name, set()):
                shutil.rmtree(version)
        if not any(mart_versions.iterdir()):
            mart_versions.rmdir()
    if not any(versions_root.iterdir()):
        versions_root.rmdir()


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _replace(prepared: Path, target: Path) -> None:
    """Flush ``prepared`` to disk, then atomically put it where ``target`` is."""
    _fsync(prepared)
    os.replace(prepared, target)


def _file_path(mart: PublishedMart, published: PublishedFile) -> str:
    """A file's path relative to ``published/``: through the version folder, never the symlink."""
    return f"{mart.version_path}/{published.path}" if mart.partitioned_by else published.path


def _write_catalog(path: Path, published_dir: Path, marts: list[PublishedMart]) -> None:
    """A DuckDB file with one view per mart, so a BI tool opens a single file.

    A partitioned mart's view reads its version folder, not the symlink, so one query always sees
    one version (the partition key comes back as a column through ``hive_partitioning``).
    """
    with duckdb.connect(str(path)) as catalog:
        for mart in marts:
            if mart.partitioned_by is None:
                source = f"read_parquet('{(published_dir / mart.file_name).resolve()}')"
            else:
                pattern = (published_dir / mart.version_path).resolve() / "*" / "*.parquet"
                source = f"read_parquet('{pattern}', hive_partitioning = true)"
            catalog.execute(f"create or replace view {mart.name} as select * from {source}")
