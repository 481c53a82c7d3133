"""dbt models as Dagster assets: staging -> intermediate -> marts, dbt tests as asset checks."""

from collections.abc import Iterator, Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from orchestration.resources import WAREHOUSE_POOL, PipelineStorage
from tpps.config import DBT_PROJECT_DIR

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR)
# Only acts under `dagster dev`; everywhere else the manifest is built by `dbt parse` beforehand
# (Makefile, tests), never at import.
dbt_project.prepare_if_dev()


class LayeredTranslator(DagsterDbtTranslator):
    """Groups dbt models by their folder layer so the UI reads raw -> staging -> marts."""

    def get_asset_spec(
        self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None
    ) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = self.get_resource_props(manifest, unique_id)
        if props["resource_type"] == "model":
            layer = props["fqn"][1]
            return spec.replace_attributes(
                group_name=layer, owners=["team:tpps-data"]
            ).merge_attributes(kinds={"duckdb"})
        if props["resource_type"] == "seed":
            return spec.replace_attributes(group_name="reference").merge_attributes(
                kinds={"duckdb"}
            )
        return spec


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=LayeredTranslator(),
    pool=WAREHOUSE_POOL,
)
def tpps_dbt_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, storage: PipelineStorage
) -> Iterator[Any]:
    """Build and test every selected dbt model in one `dbt build`, then attach row counts.

    The dbt process holds the DuckDB file until it exits, so its events are collected first and
    the tables counted afterwards on one connection (dagster-dbt's ``fetch_row_counts`` opens one
    per model: about 20 s of a 1x run). A failed build still reports what it built.
    """
    invocation = dbt.cli(["build"], context=context, raise_on_error=False)
    events = list(invocation.stream())
    with storage.connect(read_only=True) as con:
        tables = set(
            con.execute(
                "select table_schema, table_name from information_schema.tables "
                "where table_type = 'BASE TABLE'"
            ).fetchall()
        )
        for event in events:
            key = (
                context.asset_key_for_output(event.output_name)
                if isinstance(event, dg.Output)
                else None
            )
            if key is not None and tuple(key.path) in tables:
                schema, name = key.path
                [(rows,)] = con.execute(f'select count(*) from "{schema}"."{name}"').fetchall()
                event = event.with_metadata({**event.metadata, "dagster/row_count": rows})
            yield event
    if not invocation.is_successful():
        raise invocation.get_error() or RuntimeError("dbt build failed")
