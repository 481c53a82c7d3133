"""Run the committed Great Expectations suites on a DataFrame and build Data Docs.

GX's SQL datasource over duckdb-engine is broken upstream (GX issue 11579), so frames are read from
DuckDB through Arrow into pandas and validated with GX's pandas datasource. Marts are aggregates
(desa x month at most) and are validated whole, their text as categoricals. Staging models hold
one row per person or visit (tens of millions at national scale), so their suites validate a
profile that DuckDB computes per desa and month (``expectations/frames/<suite>.sql``): memory
and time stay bounded by geography x time, and no pseudonymised key ever reaches pandas, GX
results or Data Docs.

The repository's ``expectations/`` folder is a GX file context whose suite JSON files are the single
source of truth. A run never writes into it: each validation uses a working copy of that context
under ``<data>/quality/gx`` (refreshed from the repository every time), and all results and Data
Docs land under ``<data>/quality``. Results keep counts only (``exclude_unexpected_values``), so no
value from the data, personal or not, reaches stored results or Data Docs.
"""

from __future__ import annotations

import json
import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from tpps.config import EXPECTATIONS_DIR

# Counts and percentages only: never the offending values themselves.
PRIVACY_SAFE_RESULT_FORMAT = {
    "result_format": "SUMMARY",
    "exclude_unexpected_values": True,
    "partial_unexpected_count": 0,
}
# Stored validation results kept per suite; older ones are pruned so Data Docs stay fast.
KEPT_RESULTS_PER_SUITE = 30
DATASOURCE_NAME = "published_marts"
# Profile queries of the suites that do not validate their model row by row.
FRAMES_DIR = "frames"
# Rows fetched from DuckDB at a time while a frame is built.
FRAME_BATCH_ROWS = 500_000


@dataclass(frozen=True)
class SuiteOutcome:
    """What one suite said about one table, free of data values."""

    suite: str
    evaluated: int
    successful: int
    failed_critical: list[str] = field(default_factory=list)
    failed_warning: list[str] = field(default_factory=list)
    data_docs_index: Path | None = None
    rows_validated: int = 0

    @property
    def blocking_passed(self) -> bool:
        """Critical expectations block publication; warnings only report."""
        return not self.failed_critical

    @property
    def success_percent(self) -> float:
        return round(100.0 * self.successful / self.evaluated, 2) if self.evaluated else 100.0


def suite_names(expectations_dir: Path = EXPECTATIONS_DIR) -> list[str]:
    """Names of the committed suites (one JSON file per suite)."""
    return sorted(p.stem for p in (expectations_dir / "expectations").glob("*.json"))


def suite_parameter_queries(suite_name: str, expectations_dir: Path = EXPECTATIONS_DIR) -> dict:
    """SQL queries giving the suite's runtime parameters (``meta.parameters`` in its JSON).

    Expectations that depend on other tables (row counts reconciled with the layer below, the
    latest month delivered) refer to ``{"$PARAMETER": name}``; the check runs each query on the
    warehouse and passes the single value it returns.
    """
    return _suite_meta(suite_name, expectations_dir).get("parameters", {})


def _suite_meta(suite_name: str, expectations_dir: Path) -> dict:
    suite = json.loads((expectations_dir / "expectations" / f"{suite_name}.json").read_text())
    return suite.get("meta", {})


def suite_frame_query(
    suite_name: str, relation: str, expectations_dir: Path = EXPECTATIONS_DIR
) -> str:
    """SQL giving the frame the suite validates: its profile if it has one, else the model.

    A profile is the suite's SQL file in ``expectations/frames`` (rule counts per desa and month),
    kept beside the suite JSON so that a rule (a count computed in DuckDB) and its threshold (the
    expectation) are reviewed together. Every profile also gets the number of keys held by more
    than one row (``meta.profile_key`` of the suite names the key) and, on its first row only, the
    model's columns and types.
    """
    profile = expectations_dir / FRAMES_DIR / f"{suite_name}.sql"
    if not profile.exists():
        return f"select * from {relation}"
    key = _suite_meta(suite_name, expectations_dir)["profile_key"]
    schema, name = relation.split(".")
    return (
        f"with profile as ({profile.read_text()}), "
        "duplicates as (select count(*) as duplicate_keys from "
        f"(select 1 from {relation} group by {key} having count(*) > 1)), "
        "model as (select string_agg(column_name || ' ' || data_type, ', ' "
        "order by ordinal_position) as model_schema from information_schema.columns "
        f"where table_schema = '{schema}' and table_name = '{name}') "
        "select profile.*, duplicate_keys, "
        "case when row_number() over () = 1 then model_schema end as model_schema "
        "from profile, duplicates, model"
    )


def validate_model(
    con: duckdb.DuckDBPyConnection,
    suite_name: str,
    relation: str,
    quality_dir: Path,
    expectations_dir: Path = EXPECTATIONS_DIR,
) -> SuiteOutcome:
    """Validate the warehouse relation against its suite, as the Dagster check does: the suite's
    frame (``suite_frame_query``) with its runtime parameters evaluated on the same connection."""
    frame = read_frame(con, suite_frame_query(suite_name, relation, expectations_dir))
    parameters = {
        # fetchall: a single value, and no unfinished result left on the connection.
        name: con.execute(query).fetchall()[0][0]
        for name, query in suite_parameter_queries(suite_name, expectations_dir).items()
    }
    return validate_dataframe(frame, suite_name, quality_dir, parameters, expectations_dir)


def read_frame(con: duckdb.DuckDBPyConnection, query: str) -> pd.DataFrame:
    """The query's rows as a DataFrame whose text columns are categoricals.

    Marts repeat a few codes and names on every row (``mart_indicator``: 6.1M rows at 100x Luwu),
    and as plain strings that frame took gigabytes beside DuckDB's own cap. Encoded batch by
    batch, each distinct text is held once; dates become timestamps, as DuckDB's ``df()`` gives.
    """
    reader = con.sql(query).to_arrow_reader(FRAME_BATCH_ROWS)
    batches = [
        pa.RecordBatch.from_arrays(
            [
                column.dictionary_encode()
                if pa.types.is_string(column.type) or pa.types.is_large_string(column.type)
                else column
                for column in batch.columns
            ],
            names=batch.schema.names,
        )
        for batch in reader
    ]
    # No batch at all for an empty result (a source not delivered): its columns, no rows.
    table = pa.Table.from_batches(batches) if batches else reader.schema.empty_table()
    return table.to_pandas(date_as_object=False)


def validate_dataframe(
    frame: pd.DataFrame,
    suite_name: str,
    quality_dir: Path,
    parameters: dict | None = None,
    expectations_dir: Path = EXPECTATIONS_DIR,
) -> SuiteOutcome:
    """Validate `frame` against the committed suite `suite_name`; store results and Data Docs."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
    )

    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    context_dir = _refresh_working_context(expectations_dir, quality_dir)
    context = gx.get_context(
        mode="file",
        context_root_dir=str(context_dir),
        runtime_environment={"TPPS_QUALITY_DIR": str(quality_dir)},
    )
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)

    suite = context.suites.get(suite_name)
    datasource = context.data_sources.add_or_update_pandas(DATASOURCE_NAME)
    asset = datasource.add_dataframe_asset(suite_name)
    batch = asset.add_batch_definition_whole_dataframe("whole_table")
    validation = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=suite_name, data=batch, suite=suite)
    )
    result = validation.run(
        batch_parameters={"dataframe": frame},
        expectation_parameters=parameters or {},
        result_format=PRIVACY_SAFE_RESULT_FORMAT,
    )

    _prune_oldest(quality_dir / "validations" / suite_name, "*.json")
    # Render only this suite and its newest result (plus the index): rebuilding every page of
    # every suite after each check made the checks cost about as much as the dbt build.
    newest = max(
        (
            key
            for key in context.validation_results_store.list_keys()
            if key.expectation_suite_identifier.name == suite_name
        ),
        key=lambda key: key.run_id.run_time,
    )
    context.build_data_docs(
        resource_identifiers=[ExpectationSuiteIdentifier(name=suite_name), newest]
    )
    _prune_oldest(quality_dir / "data_docs" / "validations" / suite_name, "*.html")

    failed_critical: list[str] = []
    failed_warning: list[str] = []
    for expectation_result in result.results:
        if expectation_result.success:
            continue
        config = expectation_result.expectation_config
        target = failed_critical if config.severity.value == "critical" else failed_warning
        target.append(_describe(config.type, config.kwargs))
    stats = result.statistics
    return SuiteOutcome(
        suite=suite_name,
        evaluated=int(stats["evaluated_expectations"]),
        successful=int(stats["successful_expectations"]),
        failed_critical=failed_critical,
        failed_warning=failed_warning,
        data_docs_index=quality_dir / "data_docs" / "index.html",
        rows_validated=len(frame),
    )


def _describe(expectation_type: str, kwargs: dict) -> str:
    """Expectation type plus the column(s) it is about: names only, never data values."""
    columns = kwargs.get("column") or kwargs.get("column_list") or kwargs.get("column_A")
    if columns is None:
        return expectation_type
    shown = ",".join(columns) if isinstance(columns, list) else str(columns)
    return f"{expectation_type}({shown})"


def _refresh_working_context(expectations_dir: Path, quality_dir: Path) -> Path:
    """Copy the committed context (config + suites) into the run's working context."""
    context_dir = quality_dir / "gx"
    suites_dir = context_dir / "expectations"
    if suites_dir.exists():
        shutil.rmtree(suites_dir)
    suites_dir.mkdir(parents=True)
    shutil.copy2(
        expectations_dir / "great_expectations.yml", context_dir / "great_expectations.yml"
    )
    for suite_file in (expectations_dir / "expectations").glob("*.json"):
        shutil.copy2(suite_file, suites_dir / suite_file.name)
    return context_dir


def _prune_oldest(suite_dir: Path, pattern: str) -> None:
    """Keep only the newest results of a suite (GX never deletes them itself).

    GX names each run's folder by its UTC timestamp, so path order is age order.
    """
    if not suite_dir.exists():
        return
    runs = sorted(p for p in suite_dir.rglob(pattern) if p.is_file())
    for stale in runs[:-KEPT_RESULTS_PER_SUITE]:
        stale.unlink()
