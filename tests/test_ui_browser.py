"""A real browser opens the lineage pages after a real nightly run: the published assets show.

GraphQL tests cannot see whether the UI bundle actually renders this code location's graph and
the run's materialisations; a headless Chromium can. Screenshots are kept under tests/artifacts/
for a person to look at.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import dagster as dg
import pytest

from tests.conftest import PipelineRun
from tests.ui_support import (
    ARTIFACTS_DIR,
    CHROMIUM,
    LOCATION_NAME,
    DevToolsPage,
    Webserver,
    headless_chromium,
    running_webserver,
)
from tpps.config import LOCAL_TIMEZONE

INSTALL_SCRIPT = Path(__file__).parent / "install_chromium.sh"
PUBLISHED = dg.AssetKey(["published", "marts"])


@pytest.fixture(scope="module")
def browser() -> Iterator[DevToolsPage]:
    """A headless Chromium tab; installs Debian's chromium first if it is missing."""
    if not CHROMIUM.exists():
        installed = subprocess.run(
            ["bash", str(INSTALL_SCRIPT)], capture_output=True, text=True, timeout=900
        )
        if not CHROMIUM.exists():
            pytest.skip(f"no Chromium at {CHROMIUM}: {installed.stdout}{installed.stderr}"[-1000:])
    with headless_chromium() as page:
        yield page


@pytest.fixture(scope="module")
def webserver(published_run: PipelineRun) -> Iterator[Webserver]:
    with running_webserver(published_run) as server:
        # A first visit to a local UI opens a newsletter dialog over the graph; mark it as seen.
        server.graphql("mutation { setNuxSeen }")
        yield server


def _show(
    browser: DevToolsPage, url: str, ready: Callable[[list[str]], bool], screenshot: str
) -> None:
    """Open ``url`` until its graph nodes are ``ready``, keep a screenshot, then assert."""
    nodes = browser.open_graph(url, ready)
    path = browser.screenshot(ARTIFACTS_DIR / screenshot)
    assert ready(nodes), (
        f"unexpected asset graph on {url} (see {path}): nodes {nodes}; "
        f"page text:\n{browser.page_text()[:3000]}"
    )


def test_global_lineage_shows_every_layer(webserver: Webserver, browser: DevToolsPage) -> None:
    """Every asset group (raw -> staging -> marts -> publish) is drawn as a node of the graph."""
    from orchestration.definitions import defs

    groups = {spec.group_name for spec in defs.resolve_all_asset_specs()}
    assert {"ingest", "staging", "marts", "publish"} <= groups
    _show(
        browser,
        f"{webserver.url}/asset-groups",
        lambda nodes: groups <= set(nodes),
        "ui_global_asset_lineage.png",
    )


def test_publish_group_shows_this_runs_publication(
    webserver: Webserver, browser: DevToolsPage, published_run: PipelineRun
) -> None:
    """The published asset's node shows it materialised when the nightly run published it."""
    with dg.DagsterInstance.from_config(str(published_run.dagster_home)) as instance:
        event = instance.get_latest_materialization_event(PUBLISHED)
    assert event is not None, "the nightly run published nothing"
    published_at = datetime.fromtimestamp(event.timestamp, LOCAL_TIMEZONE)
    expected = [PUBLISHED.path[-1], "Materialized", f"{published_at:%b %-d, %-I:%M %p}"]
    _show(
        browser,
        f"{webserver.url}/locations/{LOCATION_NAME}/asset-groups/publish",
        lambda nodes: any(all(text in node for text in expected) for node in nodes),
        "ui_publish_group.png",
    )
