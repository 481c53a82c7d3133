"""A small ledger of the latest validation outcome per suite, written by the checks.

The publish step reads it to refuse publishing any mart that was not validated, and passed, in the
same run (write, audit, publish), and copies it into the manifest. Counts and names only.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from tpps.quality.gx_validation import SuiteOutcome


def record_outcome(quality_dir: Path, outcome: SuiteOutcome, run_id: str) -> None:
    ledger = quality_dir / "outcomes"
    ledger.mkdir(parents=True, exist_ok=True)
    payload = {
        **asdict(outcome),
        "data_docs_index": str(outcome.data_docs_index) if outcome.data_docs_index else None,
        "success_percent": outcome.success_percent,
        "blocking_passed": outcome.blocking_passed,
        "run_id": run_id,
    }
    (ledger / f"{outcome.suite}.json").write_text(json.dumps(payload, indent=2, sort_keys=True))


def read_outcome(quality_dir: Path, suite: str) -> dict | None:
    path = quality_dir / "outcomes" / f"{suite}.json"
    return json.loads(path.read_text()) if path.exists() else None
