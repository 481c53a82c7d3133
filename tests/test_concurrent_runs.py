"""Two nightly runs started at the same moment on one instance and one data folder.

DuckDB admits a single writer process, so every step that opens the warehouse is in the pool
``duckdb_warehouse``, limited to 1 by the instance's dagster.yaml. The runs are launched as
``make run`` launches them (``dagster job execute``: no daemon, no run queue), so the only thing
keeping them apart is the executor claiming pool slots, step by step, in the SQLite storage.
"""

from __future__ import annotations

import itertools
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import dagster as dg
import pytest

from orchestration.resources import WAREHOUSE_POOL
from tests.conftest import new_pipeline

STEP_ENDS = {dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE}


@dataclass(frozen=True)
class ConcurrentRuns:
    """The two ``dagster job execute`` processes and the instance both ran on."""

    results: list[subprocess.CompletedProcess]
    instance: dg.DagsterInstance

    @property
    def records(self) -> list[dg.RunRecord]:
        return list(self.instance.get_run_records())


@dataclass(frozen=True)
class StepSpan:
    """One step of one run, from its start event to its success or failure event."""

    run_id: str
    step_key: str
    start: float
    end: float


@pytest.fixture(scope="module")
def concurrent_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConcurrentRuns]:
    pipeline = new_pipeline(tmp_path_factory.mktemp("concurrent_runs"))
    pipeline.generate_sample()
    # Create the SQLite storage first: two processes creating it at once race on stamping its
    # schema version (IntegrityError on alembic_version), a first-use problem, not this test's.
    dg.DagsterInstance.from_config(str(pipeline.dagster_home)).dispose()
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda _: pipeline.run_nightly(), range(2)))
    with dg.DagsterInstance.from_config(str(pipeline.dagster_home)) as instance:
        yield ConcurrentRuns(results, instance)


def _warehouse_steps() -> set[str]:
    """Step keys of the nightly job whose op is in the warehouse pool."""
    from orchestration.definitions import defs

    job = defs.resolve_job_def("nightly")
    return {node.name for node in job.graph.nodes if node.definition.pool == WAREHOUSE_POOL}


def _step_spans(instance: dg.DagsterInstance, run_id: str, steps: set[str]) -> list[StepSpan]:
    starts: dict[str, float] = {}
    spans = []
    for record in instance.all_logs(run_id):
        event_type = record.dagster_event_type
        if record.step_key not in steps or event_type is None:
            continue
        if event_type == dg.DagsterEventType.STEP_START:
            starts[record.step_key] = record.timestamp
        elif event_type in STEP_ENDS:
            spans.append(
                StepSpan(run_id, record.step_key, starts.pop(record.step_key), record.timestamp)
            )
    assert not starts, f"steps of run {run_id} that started and never ended: {sorted(starts)}"
    return spans


def _failures(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    return [
        f"{record.step_key}: {record.dagster_event.step_failure_data.error.message.strip()}"
        for record in instance.all_logs(run_id, of_type=dg.DagsterEventType.STEP_FAILURE)
        if record.dagster_event and record.dagster_event.step_failure_data.error
    ]


def test_warehouse_steps_of_concurrent_runs_never_overlap(concurrent_runs: ConcurrentRuns) -> None:
    """The pool limit holds across two CLI-launched runs: one warehouse step at a time."""
    records = concurrent_runs.records
    instance = concurrent_runs.instance
    assert len(records) == 2
    # The test proves nothing unless the two runs really were in flight at the same time.
    assert max(r.start_time for r in records) < min(r.end_time for r in records)

    warehouse_steps = _warehouse_steps()
    assert warehouse_steps, f"no step of the nightly job is in the pool {WAREHOUSE_POOL}"
    spans = sorted(
        (
            span
            for r in records
            for span in _step_spans(instance, r.dagster_run.run_id, warehouse_steps)
        ),
        key=lambda span: span.start,
    )
    assert {span.run_id for span in spans} == {r.dagster_run.run_id for r in records}
    overlaps = [(a, b) for a, b in itertools.pairwise(spans) if b.start < a.end]
    assert not overlaps, f"warehouse steps ran at the same time: {overlaps}"

    retried = [
        record.step_key
        for r in records
        for record in instance.all_logs(
            r.dagster_run.run_id, of_type=dg.DagsterEventType.STEP_UP_FOR_RETRY
        )
    ]
    assert not retried, f"steps retried (a locked warehouse?): {retried}"


def test_both_concurrent_runs_succeed(concurrent_runs: ConcurrentRuns) -> None:
    instance = concurrent_runs.instance
    failures = {
        r.dagster_run.run_id: _failures(instance, r.dagster_run.run_id)
        for r in concurrent_runs.records
        if r.dagster_run.status != dg.DagsterRunStatus.SUCCESS
    }
    assert not failures, f"runs that did not succeed: {failures}"
    assert all(r.returncode == 0 for r in concurrent_runs.results), [
        r.stderr[-2000:] for r in concurrent_runs.results if r.returncode
    ]


def test_each_run_publishes_the_marts_its_own_checks_validated(
    concurrent_runs: ConcurrentRuns,
) -> None:
    """Write-audit-publish per run: the other run's dbt build never lands between this run's
    first GX check and its publish (the pool orders steps, it does not keep runs whole)."""
    from orchestration.assets.dbt import tpps_dbt_models
    from orchestration.assets.publish import published_marts
    from orchestration.assets.quality import gx_checks

    audit_steps = {check.op.name for check in gx_checks} | {published_marts.op.name}
    build_step = tpps_dbt_models.op.name
    spans = {
        r.dagster_run.run_id: _step_spans(
            concurrent_runs.instance, r.dagster_run.run_id, audit_steps | {build_step}
        )
        for r in concurrent_runs.records
    }
    for run_id, own in spans.items():
        audited = [span for span in own if span.step_key in audit_steps]
        assert audited, f"run {run_id} validated and published nothing"
        start, end = min(s.start for s in audited), max(s.end for s in audited)
        rebuilt = [
            span
            for other_id, other in spans.items()
            if other_id != run_id
            for span in other
            if span.step_key == build_step and span.start < end and span.end > start
        ]
        assert not rebuilt, f"run {run_id} published marts another run rebuilt: {rebuilt}"
