"""Compile the real `who_zscores` dbt macro, for the z-score tests and the benchmark.

dbt renders the macro once (`dbt compile --inline`) against a DuckDB file; the SQL then runs
directly in DuckDB. The file's name matters: dbt-duckdb names the catalog after the file stem, and
the compiled SQL reads `"<stem>"."reference"."who_lms_age"`, so the SQL must run on that same file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb

from tpps.config import DBT_PROJECT_DIR
from tpps.who_tables import load_who_lms_tables

DBT = Path(sys.executable).parent / "dbt"


def dbt_command(*args: str, duckdb_path: Path, work_dir: Path) -> subprocess.CompletedProcess:
    """Run dbt on the project against `duckdb_path`, keeping targets and logs in `work_dir`."""
    return subprocess.run(
        [
            str(DBT),
            *args,
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(work_dir / "target"),
            "--log-path",
            str(work_dir / "logs"),
        ],
        env={
            **os.environ,
            "TPPS_DUCKDB_PATH": str(duckdb_path),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        },
        capture_output=True,
        text=True,
        check=False,
    )


def compile_who_zscores(relation: str, duckdb_path: Path, work_dir: Path) -> str:
    """SQL of `who_zscores(relation)`, with the WHO LMS tables loaded into `duckdb_path`."""
    with duckdb.connect(duckdb_path) as con:
        load_who_lms_tables(con)
    result = dbt_command(
        "compile",
        "--inline",
        f"{{{{ who_zscores('{relation}') }}}}",
        "--quiet",
        "--output",
        "json",
        duckdb_path=duckdb_path,
        work_dir=work_dir,
    )
    if result.returncode != 0:
        raise RuntimeError(f"dbt compile failed:\n{result.stdout}\n{result.stderr}")
    return json.loads(result.stdout)["compiled"]
