"""Where the pipeline reads and writes, resolved once from the environment.

Every path has a working default for the embedded setup (everything under ``data/`` in the
repository); environment variables override them so tests, benchmarks and deployments can point the
same code at other folders without editing anything.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
EXPECTATIONS_DIR = Path(
    os.environ.get("TPPS_EXPECTATIONS_DIR", PROJECT_ROOT / "expectations")
).resolve()

# Kabupaten Luwu works in WITA; months and "generated at" stamps use the local calendar.
LOCAL_TIMEZONE = ZoneInfo("Asia/Makassar")


@dataclass(frozen=True)
class Settings:
    """Resolved locations of every layer of the pipeline."""

    data_dir: Path
    warehouse_path: Path
    # Kemendagri codes of the kabupaten/kota whose desa exports are resolved against.
    kabupaten_codes: tuple[str, ...] = ("73.17",)

    @classmethod
    def from_env(cls) -> Settings:
        data_dir = Path(os.environ.get("TPPS_DATA_DIR", PROJECT_ROOT / "data")).resolve()
        warehouse = os.environ.get("TPPS_DUCKDB_PATH")
        warehouse_path = Path(warehouse).resolve() if warehouse else data_dir / "warehouse.duckdb"
        kabupaten = os.environ.get("TPPS_KABUPATEN", "73.17")
        return cls(
            data_dir=data_dir,
            warehouse_path=warehouse_path,
            kabupaten_codes=tuple(code.strip() for code in kabupaten.split(",") if code.strip()),
        )

    @property
    def raw_dir(self) -> Path:
        """Exports exactly as delivered, one folder per source."""
        return self.data_dir / "raw"

    @property
    def published_dir(self) -> Path:
        """The only folder BI tools read: checked Parquet, manifest and catalog."""
        return self.data_dir / "published"

    @property
    def publish_staging_dir(self) -> Path:
        """Where a publication is prepared before it is swapped in (same filesystem)."""
        return self.data_dir / ".publish-staging"

    @property
    def quality_dir(self) -> Path:
        """Great Expectations working context, validation results and Data Docs."""
        return self.data_dir / "quality"

    @property
    def data_docs_index(self) -> Path:
        return self.quality_dir / "data_docs" / "index.html"
