"""Shared fixtures: a real pipeline run into a temporary data folder, shared by the e2e tests."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tpps.config import DBT_PROJECT_DIR, PROJECT_ROOT

VENV_BIN = Path(sys.executable).parent
SHARED_DIR = PROJECT_ROOT.parent / "shared"


@pytest.fixture(scope="session", autouse=True)
def dbt_manifest() -> Path:
    """The dbt manifest Dagster loads; built once if the test command did not build it."""
    manifest = DBT_PROJECT_DIR / "target" / "manifest.json"
    if not manifest.exists():
        subprocess.run([str(VENV_BIN / "dbt"), "parse", "--quiet"], cwd=DBT_PROJECT_DIR, check=True)
    return manifest


@dataclass(frozen=True)
class PipelineRun:
    """A data folder and Dagster home that real `dagster job execute` runs write into."""

    data_dir: Path
    dagster_home: Path

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TPPS_")}
        return {
            **env,
            "TPPS_DATA_DIR": str(self.data_dir),
            "DAGSTER_HOME": str(self.dagster_home),
            "PYTHONPATH": str(PROJECT_ROOT),
        }

    def generate_sample(self, *extra: str) -> None:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "tpps.sample_data",
                "--data-dir",
                str(self.data_dir),
                "--preset",
                "tiny",
                *extra,
            ],
            cwd=PROJECT_ROOT,
            env=self.env,
            check=True,
            capture_output=True,
        )

    def run_nightly(self, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        """Launch the nightly job as a real Dagster run on this run's instance."""
        return subprocess.run(
            [
                str(VENV_BIN / "dagster"),
                "job",
                "execute",
                "-m",
                "orchestration.definitions",
                "-j",
                "nightly",
            ],
            cwd=PROJECT_ROOT,
            env={**self.env, **(extra_env or {})},
            capture_output=True,
            text=True,
            timeout=900,
        )


def new_pipeline(root: Path) -> PipelineRun:
    run = PipelineRun(data_dir=root / "data", dagster_home=root / "dagster_home")
    run.dagster_home.mkdir(parents=True)
    (run.dagster_home / "dagster.yaml").write_text(
        (PROJECT_ROOT / "orchestration" / "instance" / "dagster.yaml").read_text()
    )
    return run


@pytest.fixture(scope="session")
def published_run(tmp_path_factory: pytest.TempPathFactory) -> PipelineRun:
    """One successful nightly run on the tiny sample, shared by read-only tests."""
    run = new_pipeline(tmp_path_factory.mktemp("published_run"))
    run.generate_sample()
    result = run.run_nightly()
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return run
