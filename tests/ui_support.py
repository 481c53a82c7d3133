"""The real Dagster webserver and a headless Chromium, for the tests of operating from the UI.

Both run as separate processes in their own process groups, so a test that fails or times out
still ends them (and the code server the webserver spawns) in the context managers' teardown.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from websockets.sync.client import ClientConnection, connect

from tests.conftest import VENV_BIN, PipelineRun
from tpps.config import LOCAL_TIMEZONE, PROJECT_ROOT

LOCATION_NAME = "tpps_luwu"  # workspace.yaml
REPOSITORY_SELECTOR = {"repositoryLocationName": LOCATION_NAME, "repositoryName": "__repository__"}
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS_DIR = Path(__file__).parent / "artifacts"

# Root has no user namespaces for the sandbox; the rest keeps Chromium from calling home.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

_LOCATION_STATUS = """
{ workspaceOrError { ... on Workspace { locationEntries {
    name loadStatus
    locationOrLoadError { __typename ... on PythonError { message } }
} } } }
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(condition: Callable[[], bool], timeout: float, what: str, poll: float = 0.5) -> None:
    """Poll ``condition`` until it holds; fail after ``timeout`` seconds, never hang."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not within {timeout:.0f} s")
        time.sleep(poll)


def _stop_group(process: subprocess.Popen, grace: float = 20) -> None:
    """SIGTERM the process group (the webserver's code server too), SIGKILL if it lingers.

    The whole group, even when its leader already exited: its children may still be running.
    """
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(grace)


@dataclass(frozen=True)
class Webserver:
    """A running ``dagster-webserver``: its address, log file and GraphQL endpoint."""

    url: str
    log: Path

    def log_tail(self, chars: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-chars:]

    def graphql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """POST one GraphQL query as the UI does; the ``data`` of a response without errors."""
        request = urllib.request.Request(
            f"{self.url}/graphql",
            data=json.dumps({"query": query, "variables": variables or {}}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            body = json.load(response)
        if body.get("errors"):
            raise AssertionError(f"GraphQL errors: {body['errors']}")
        return body["data"]

    def answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/server_info", timeout=5) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def location_loaded(self) -> bool:
        """True once the code location is loaded; its load error, if any, fails at once."""
        entries = self.graphql(_LOCATION_STATUS)["workspaceOrError"]["locationEntries"]
        (entry,) = (e for e in entries if e["name"] == LOCATION_NAME)
        location = entry["locationOrLoadError"] or {}
        if location.get("__typename") == "PythonError":
            raise AssertionError(f"code location failed to load: {location['message']}")
        return entry["loadStatus"] == "LOADED" and location.get("__typename") is not None


@contextlib.contextmanager
def running_webserver(pipeline: PipelineRun, timeout: float = 180) -> Iterator[Webserver]:
    """``dagster-webserver -w workspace.yaml`` on a free port, on ``pipeline``'s instance and data.

    Yields once the server answers and the code location is loaded (the UI is usable then).
    """
    port = _free_port()
    server = Webserver(
        url=f"http://127.0.0.1:{port}", log=pipeline.dagster_home.parent / "webserver.log"
    )
    with server.log.open("w") as log:
        process = subprocess.Popen(
            [
                str(VENV_BIN / "dagster-webserver"),
                *("-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)),
            ],
            cwd=PROJECT_ROOT,
            env=pipeline.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:

        def up() -> bool:
            if process.poll() is not None:
                raise AssertionError(f"webserver exited early:\n{server.log_tail()}")
            return server.answers() and server.location_loaded()

        try:
            _wait_for(up, timeout, "webserver with the code location loaded")
        except TimeoutError as error:
            raise AssertionError(f"{error}\n{server.log_tail()}") from error
        yield server
    finally:
        _stop_group(process)


class DevToolsPage:
    """One Chromium tab driven over the DevTools protocol (only the calls these tests need)."""

    def __init__(self, socket_: ClientConnection) -> None:
        self._socket = socket_
        self._ids = itertools.count(1)

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send one command and return its result, skipping the events sent meanwhile."""
        command_id = next(self._ids)
        self._socket.send(json.dumps({"id": command_id, "method": method, "params": params}))
        while True:
            message = json.loads(self._socket.recv(timeout=60))
            if message.get("id") == command_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    def page_text(self) -> str:
        """The visible text of the page as a user reads it."""
        return self.evaluate("document.body ? document.body.innerText : ''")

    def graph_nodes(self) -> list[str]:
        """The text of each node of the asset graph (HTML in the graph's SVG foreignObjects)."""
        return self.evaluate(
            "Array.from(document.querySelectorAll('svg foreignObject'), n => n.textContent)"
        )

    def open_graph(
        self, url: str, ready: Callable[[list[str]], bool], timeout: float = 90
    ) -> list[str]:
        """Navigate to a page with an asset graph and poll its nodes until ``ready(nodes)``.

        The UI is a JavaScript app that draws after ``load``, so the drawn nodes are the only
        reliable signal. On timeout the last nodes are returned for the caller to report.
        """
        self.call("Page.navigate", url=url)
        nodes: list[str] = []

        def drawn() -> bool:
            nonlocal nodes
            nodes = self.graph_nodes()
            return ready(nodes)

        with contextlib.suppress(TimeoutError):
            _wait_for(drawn, timeout, f"asset graph of {url}")
        return nodes

    def screenshot(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        png = self.call("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(png))
        return path


@contextlib.contextmanager
def headless_chromium(width: int = 1600, height: int = 1000) -> Iterator[DevToolsPage]:
    """One tab of a fresh headless Chromium (new profile, DevTools on a free port), in WITA."""
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        port_file = Path(profile) / "DevToolsActivePort"
        log = Path(profile) / "chromium.log"
        with log.open("w") as log_handle:
            process = subprocess.Popen(
                [
                    str(CHROMIUM),
                    *CHROMIUM_FLAGS,
                    f"--user-data-dir={profile}",
                    "--remote-debugging-port=0",
                    f"--window-size={width},{height}",
                    "about:blank",
                ],
                stdout=log_handle,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:

            def listening() -> bool:
                if process.poll() is not None:
                    raise AssertionError(f"Chromium exited early:\n{log.read_text()[-3000:]}")
                return port_file.exists()

            _wait_for(listening, 30, "Chromium DevTools port", poll=0.1)
            port = port_file.read_text().split()[0]
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as r:
                (tab,) = (t for t in json.load(r) if t["type"] == "page")
            with connect(tab["webSocketDebuggerUrl"], max_size=None) as devtools:
                page = DevToolsPage(devtools)
                page.call(
                    "Emulation.setDeviceMetricsOverride",
                    width=width,
                    height=height,
                    deviceScaleFactor=1,
                    mobile=False,
                )
                # The UI shows times in the browser's zone; the team reads WITA.
                page.call("Emulation.setTimezoneOverride", timezoneId=LOCAL_TIMEZONE.key)
                yield page
        finally:
            _stop_group(process)
