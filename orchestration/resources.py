"""Dagster resources: where the pipeline's files are, and how to open the warehouse safely."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from tpps.config import Settings

# Every step that opens the DuckDB file shares this pool (limit 1 in dagster.yaml):
# DuckDB allows one writer process at a time.
WAREHOUSE_POOL = "duckdb_warehouse"
# Caps each DuckDB instance (this process's here, dbt's in profiles.yml): above it DuckDB spills
# to a folder beside the warehouse, so memory stays bounded however large the exports grow.
DUCKDB_MEMORY_LIMIT = os.environ.get("TPPS_DUCKDB_MEMORY_LIMIT", "4GB")


class PipelineStorage(dg.ConfigurableResource):
    """The data folder and the DuckDB warehouse file (defaults from ``tpps.config.Settings``)."""

    data_dir: str
    warehouse_path: str
    kabupaten_codes: list[str]

    @classmethod
    def from_env(cls) -> PipelineStorage:
        settings = Settings.from_env()
        return cls(
            data_dir=str(settings.data_dir),
            warehouse_path=str(settings.warehouse_path),
            kabupaten_codes=list(settings.kabupaten_codes),
        )

    @property
    def settings(self) -> Settings:
        return Settings(
            data_dir=Path(self.data_dir),
            warehouse_path=Path(self.warehouse_path),
            kabupaten_codes=tuple(self.kabupaten_codes),
        )

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator[PipelineStorage]:
        """Hold the data folder's run lock while the run uses the storage.

        The nightly job runs in one process, so this spans the whole run: a second run started
        meanwhile (`dagster job execute` bypasses the run queue) waits here, without spinning,
        instead of interleaving its steps, so no other run's dbt build can land between this
        run's checks and its publish.
        """
        lock = Path(self.data_dir) / ".run.lock"
        lock.parent.mkdir(parents=True, exist_ok=True)
        with lock.open("w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield self

    @contextmanager
    def connect(
        self, *, read_only: bool = False, attempts: int = 6
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        """Open the warehouse, waiting out a lock held by another process (a transient fault)."""
        path = self.settings.warehouse_path
        path.parent.mkdir(parents=True, exist_ok=True)
        for attempt in range(attempts):
            try:
                con = duckdb.connect(
                    str(path), read_only=read_only, config={"memory_limit": DUCKDB_MEMORY_LIMIT}
                )
                break
            except duckdb.IOException:
                if attempt == attempts - 1:
                    raise
                time.sleep(0.5 * 2**attempt)
        try:
            yield con
        finally:
            con.close()
