"""dbt models as Dagster assets: staging -> intermediate -> marts, dbt tests as asset checks."""

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from orchestration.resources import WAREHOUSE_POOL
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
def tpps_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """Build and test every selected dbt model in one `dbt build`."""
    yield from dbt.cli(["build"], context=context).stream().fetch_row_counts()
