"""A small ledger of validation outcomes per run and suite, written by the checks.

The publish step reads its own run's entries to refuse publishing any mart that was not
validated, and passed, in the same run (write, audit, publish), and copies them into the
manifest. Entries are kept per run so that two runs validating at the same time cannot read each
other's outcome. Counts and names only.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict
from pathlib import Path

from tpps.quality.gx_validation import SuiteOutcome

KEPT_RUNS = 30


def record_outcome(quality_dir: Path, outcome: SuiteOutcome, run_id: str) -> None:
    ledger = quality_dir / "outcomes" / run_id
    ledger.mkdir(parents=True, exist_ok=True)
    payload = {
        **asdict(outcome),
        "data_docs_index": str(outcome.data_docs_index) if outcome.data_docs_index else None,
        "success_percent": outcome.success_percent,
        "blocking_passed": outcome.blocking_passed,
        "run_id": run_id,
    }
    (ledger / f"{outcome.suite}.json").write_text(json.dumps(payload, indent=2, sort_keys=True))
    _prune_old_runs(quality_dir / "outcomes")


def read_outcome(quality_dir: Path, suite: str, run_id: str) -> dict | None:
    path = quality_dir / "outcomes" / run_id / f"{suite}.json"
    return json.loads(path.read_text()) if path.exists() else None


def _prune_old_runs(ledger_root: Path) -> None:
    runs = sorted((p for p in ledger_root.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime)
    for stale in runs[:-KEPT_RUNS]:
        shutil.rmtree(stale, ignore_errors=True)
