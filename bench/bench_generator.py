"""Sample generator throughput and peak memory at 1 M and 10 M e-PPGBM measurement rows.

    python -m bench.bench_generator [--rows 1000000 10000000] [--months 6] [--work-dir DIR]

Each size runs in a fresh process (so peak RSS is that run's own), with every source generated
and the default fault rate; the kabupaten count is the smallest prefix of
``regions.kabupaten_near("73.17")`` whose desa give the target rows over the months. The files are
deleted after each run unless ``--keep``.

Recorded 2026-11-29 on 2 vCPU shared with other jobs (load 4-5, so wall time is about twice
the CPU time), Python 3.11, seed 2024, 6 months, every source:

    target  kabupaten  e-PPGBM rows  all data rows  files   wall s  CPU s  all rows/s CPU  RSS
    1 M     18          1,043,885     3,182,302     2,813    103     47     68,000        266 MB
    10 M    131         9,980,989    30,344,378    21,778    861    417     72,900        353 MB

Throughput is per CPU second over all rows written (e-PPGBM is a third of them: imunisasi,
DTKS, KRS, STBM and the other registers make up the rest), 7.2 GB on disk for 10 M. Memory grows
by less than 100 MB from 1 M to 10 M rows: it is bounded by one puskesmas area and the open
files of one kabupaten, not by the size of the run.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from tpps import regions
from tpps.config import PROJECT_ROOT
from tpps.sample_data import PRESETS, generate

ROWS_PER_DESA_MONTH = 74  # e-PPGBM rows per desa and month at the default 110 children per desa


def kabupaten_for(rows: int, months: int) -> int:
    """The smallest number of kabupaten (Luwu first) expected to give ``rows`` measurements."""
    desa = 0
    for count, code in enumerate(regions.kabupaten_near("73.17"), start=1):
        desa += len(regions.desa_of(code))
        if desa * ROWS_PER_DESA_MONTH * months >= rows:
            return count
    raise ValueError(f"{rows} rows need more than all kabupaten over {months} months")


def _child(kabupaten: int, months: int, data_dir: Path) -> None:
    """Generate once and print the measurements as JSON (runs in its own process)."""
    started = time.perf_counter()
    summary = generate(PRESETS["default"].replace(kabupaten=kabupaten, months=months), data_dir)
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    files = [p for p in data_dir.rglob("*") if p.is_file()]
    print(
        json.dumps(
            {
                "kabupaten": kabupaten,
                "months": months,
                "eppgbm_rows": summary["data_rows"]["eppgbm"],
                "all_rows": sum(summary["data_rows"].values()),
                "files": sum(summary["files"].values()),
                "wall_s": round(wall, 1),
                "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
                "peak_rss_mb": round(usage.ru_maxrss / 1024),  # Linux reports KiB
                "disk_gb": round(sum(p.stat().st_size for p in files) / 1e9, 2),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--months", type=int, default=6)
    parser.add_argument("--work-dir", type=Path, default=PROJECT_ROOT / "bench" / "work")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument(
        "--child", nargs=2, type=int, metavar=("KABUPATEN", "MONTHS"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        _child(*args.child, args.work_dir)
        return

    results = []
    for rows in args.rows:
        kabupaten = kabupaten_for(rows, args.months)
        work = args.work_dir / f"rows_{rows}"
        shutil.rmtree(work, ignore_errors=True)
        completed = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.bench_generator",
                "--child",
                str(kabupaten),
                str(args.months),
                "--work-dir",
                str(work),
            ],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        result = json.loads(completed.stdout.strip().splitlines()[-1])
        result["target_rows"] = rows
        results.append(result)
        print(json.dumps(result), flush=True)
        if not args.keep:
            shutil.rmtree(work)

    print(
        "\n| target | kabupaten | e-PPGBM rows | all data rows | files | wall s | CPU s "
        "| e-PPGBM rows/s (CPU) | all rows/s (CPU) | peak RSS MB | on disk GB |"
    )
    print("|---" * 11 + "|")
    for r in results:
        print(
            f"| {r['target_rows']:,} | {r['kabupaten']} | {r['eppgbm_rows']:,} | "
            f"{r['all_rows']:,} | {r['files']:,} | {r['wall_s']} | {r['cpu_s']} | "
            f"{r['eppgbm_rows'] / r['cpu_s']:,.0f} | {r['all_rows'] / r['cpu_s']:,.0f} | "
            f"{r['peak_rss_mb']} | {r['disk_gb']} |"
        )


if __name__ == "__main__":
    main()
