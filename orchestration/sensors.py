"""Sensors: start a run when new exports arrive; write an alert record when a run fails."""

import hashlib
import json
from datetime import datetime
from pathlib import Path

import dagster as dg

from orchestration.jobs import nightly_job
from tpps.config import LOCAL_TIMEZONE, Settings


def raw_files_fingerprint(raw_dir: Path) -> str:
    """A cheap fingerprint of what is in ``raw_dir`` (path, size, mtime), no file contents read.

    Ingestion itself deduplicates by checksum, so a touched-but-identical file costs one run that
    loads nothing, never duplicated rows.
    """
    digest = hashlib.sha256()
    for path in sorted(p for p in raw_dir.rglob("*") if p.is_file()):
        stat = path.stat()
        digest.update(f"{path.relative_to(raw_dir)}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


@dg.sensor(
    job=nightly_job,
    minimum_interval_seconds=300,
    description="Requests a nightly-job run when files in data/raw/ are added or changed.",
)
def new_raw_files_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
    raw_dir = Settings.from_env().raw_dir
    if not raw_dir.exists():
        return dg.SkipReason(f"{raw_dir} does not exist yet")
    fingerprint = raw_files_fingerprint(raw_dir)
    if fingerprint == context.cursor:
        return dg.SkipReason("no new or changed files in data/raw/")
    return dg.SensorResult(run_requests=[dg.RunRequest(run_key=fingerprint)], cursor=fingerprint)


@dg.run_failure_sensor(
    description="Appends one JSON line per failed run to data/alerts/run_failures.jsonl, "
    "for a notifier (e-mail, WhatsApp gateway) to pick up.",
)
def run_failure_alert_sensor(context: dg.RunFailureSensorContext) -> None:
    alerts = Settings.from_env().data_dir / "alerts"
    alerts.mkdir(parents=True, exist_ok=True)
    record = {
        "run_id": context.dagster_run.run_id,
        "job": context.dagster_run.job_name,
        "failed_at": datetime.now(LOCAL_TIMEZONE).isoformat(timespec="seconds"),
        "failed_steps": [event.step_key for event in context.get_step_failure_events()],
        "message": context.failure_event.message,
    }
    with (alerts / "run_failures.jsonl").open("a") as handle:
        handle.write(json.dumps(record) + "\n")
