"""What the Dagster UI shows of the code location, asked from the real webserver over GraphQL.

The data officer operates the pipeline from the UI: every asset and check the code defines must be
there (a definition the webserver cannot load or serialise would be missing), the nightly schedule
must fire at 01:00 WITA, and both sensors must be listed. The server starts once for the module, on
an empty temporary instance and data folder, exactly as ``make ui`` starts it from workspace.yaml.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import dagster as dg
import pytest

from tests.conftest import new_pipeline
from tests.ui_support import REPOSITORY_SELECTOR, Webserver, running_webserver
from tpps.config import LOCAL_TIMEZONE


@pytest.fixture(scope="module")
def webserver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Webserver]:
    with running_webserver(new_pipeline(tmp_path_factory.mktemp("ui_webserver"))) as server:
        yield server


@pytest.fixture(scope="module")
def defs() -> dg.Definitions:
    """The same definitions, loaded in-process: what the UI must show."""
    from orchestration.definitions import defs

    return defs


def _repository(server: Webserver, fields: str) -> dict[str, Any]:
    """``fields`` of the code location's repository, as the UI queries them."""
    query = (
        "query ($selector: RepositorySelector!) { repositoryOrError(repositorySelector: $selector)"
        " { __typename ... on PythonError { message } ... on Repository { " + fields + " } } }"
    )
    repository = server.graphql(query, {"selector": REPOSITORY_SELECTOR})["repositoryOrError"]
    assert repository["__typename"] == "Repository", repository
    return repository


def test_every_asset_is_in_the_ui(webserver: Webserver, defs: dg.Definitions) -> None:
    nodes = _repository(webserver, "assetNodes { assetKey { path } isMaterializable }")
    shown = {
        dg.AssetKey(node["assetKey"]["path"]): node["isMaterializable"]
        for node in nodes["assetNodes"]
    }
    asset_graph = defs.resolve_asset_graph()

    assert shown.get(dg.AssetKey(["published", "marts"])) is True
    assert set(shown) == set(asset_graph.get_all_asset_keys())
    assert {key for key, yes in shown.items() if yes} == set(asset_graph.materializable_asset_keys)


def test_every_asset_check_is_in_the_ui(webserver: Webserver, defs: dg.Definitions) -> None:
    """Same checks, same blocking flags: the UI is where a blocked publication is explained."""
    nodes = _repository(
        webserver,
        "assetNodes { assetKey { path } assetChecksOrError {"
        " __typename ... on AssetChecks { checks { name blocking } } } }",
    )["assetNodes"]
    assert all(node["assetChecksOrError"]["__typename"] == "AssetChecks" for node in nodes)
    shown = {
        dg.AssetCheckKey(dg.AssetKey(node["assetKey"]["path"]), check["name"]): check["blocking"]
        for node in nodes
        for check in node["assetChecksOrError"]["checks"]
    }
    asset_graph = defs.resolve_asset_graph()
    defined = {
        key: asset_graph.get_check_spec(key).blocking for key in asset_graph.asset_check_keys
    }

    assert {key.name for key in shown} >= {"rows_reconcile", "gx_errors", "gx_warnings"}
    assert shown == defined


def test_nightly_schedule_fires_at_0100_wita(webserver: Webserver) -> None:
    schedules = _repository(
        webserver,
        "schedules { name cronSchedule executionTimezone pipelineName"
        " futureTicks(limit: 3) { results { timestamp } } }",
    )["schedules"]
    (schedule,) = (s for s in schedules if s["name"] == "nightly_at_0100_wita")

    assert schedule["cronSchedule"] == "0 1 * * *"
    assert schedule["executionTimezone"] == "Asia/Makassar"
    assert schedule["pipelineName"] == "nightly"
    # The next ticks the UI lists are 01:00 on the WITA clock, not 01:00 UTC (09:00 WITA).
    ticks = [
        datetime.fromtimestamp(tick["timestamp"], LOCAL_TIMEZONE)
        for tick in schedule["futureTicks"]["results"]
    ]
    assert len(ticks) == 3
    assert all((tick.hour, tick.minute) == (1, 0) for tick in ticks)


def test_sensors_are_in_the_ui(webserver: Webserver) -> None:
    sensors = _repository(
        webserver, "sensors { name sensorType minIntervalSeconds targets { pipelineName } }"
    )["sensors"]
    shown = {
        sensor["name"]: (
            sensor["sensorType"],
            [target["pipelineName"] for target in sensor["targets"] or []],
        )
        for sensor in sensors
    }

    assert shown == {
        "new_raw_files_sensor": ("STANDARD", ["nightly"]),
        "run_failure_alert_sensor": ("RUN_STATUS", []),
    }
    (new_files,) = (s for s in sensors if s["name"] == "new_raw_files_sensor")
    assert new_files["minIntervalSeconds"] == 300


def test_webserver_log_has_no_errors(webserver: Webserver) -> None:
    """The UI loaded the location without tracebacks (a warning still lets the UI work)."""
    assert "Traceback" not in webserver.log_tail(200_000), webserver.log_tail()
