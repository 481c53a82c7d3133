"""Nutrition status, indicator and priority marts: a real dbt build on hand-made e-PPGBM rows.

Each indicator has its own desa whose expected value is known by construction (children built at
chosen z-scores from the WHO tables); a random kecamatan checks that every level is the sum of
its parts; two identical desa check that the priority ranking breaks ties by desa code.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from tests._marts_helpers import (
    MARTS,
    RawRows,
    build_marts,
    months_later,
    open_fixture,
    wilson,
)
from tests._zscore_helpers import dbt_command
from tpps.who_tables import load_who_lms_tables

MARCH = date(2024, 3, 1)
STUNTING_DESA = "73.17.01.2001"
WASTING_DESA = "73.17.01.2002"
UNDERWEIGHT_DESA = "73.17.01.2003"
SMALL_DESA, COMPLEMENT_DESA, PUBLISHED_DESA = "73.17.02.2001", "73.17.02.2002", "73.17.02.2003"
RANDOM_KECAMATAN = "73.17.03"
TWIN_DESA = ("73.17.04.2001", "73.17.04.2002")
UNWEIGHED_DESA = "73.17.04.2003"  # a sasaran, nobody weighed
# Ages of the underweight desa: both sides of every age-group boundary (days / 30.4375).
AGE_CASES = {
    182: "0-5",
    183: "6-11",
    365: "6-11",
    366: "12-23",
    730: "12-23",
    731: "24-35",
    1095: "24-35",
    1096: "36-47",
    1461: "48-59",
    1826: "48-59",
}


def add_hand_made_desa(rows: RawRows) -> None:
    day = MARCH.replace(day=10)
    # Stunting: 3 stunted of 20 valid (one severely), plus one WHO-flagged HAZ (-7) that must
    # leave numerator and denominator; one child is stunted early in the month and normal later:
    # only the latest measurement counts.
    for i, haz in enumerate([-2.5, -2.5, -3.5] + [0.0] * 17):
        rows.measure(f"st{i}", STUNTING_DESA, day, haz=haz, sex=1 + i % 2)
    rows.measure("st_flagged", STUNTING_DESA, day, haz=-7.0)
    rows.measure("st3", STUNTING_DESA, MARCH.replace(day=2), haz=-2.5, sex=2)
    # Wasting: 3 wasted of 20 valid (one severely), 1 overweight, one WHO-flagged WHZ (+5.5).
    for i, whz in enumerate([-2.5, -2.5, -3.5, 2.5] + [0.0] * 16):
        rows.measure(f"wa{i}", WASTING_DESA, day, whz=whz)
    rows.measure("wa_flagged", WASTING_DESA, day, whz=5.5)
    # Underweight: 5 of 25 at WAZ -2.5, over every age group; one child over five is left out.
    ages = list(AGE_CASES) + [400] * 15
    for i, age in enumerate(ages):
        rows.measure(f"uw{i}", UNDERWEIGHT_DESA, day, age_days=age, waz=-2.5 if i % 5 == 0 else 0.0)
    rows.measure(
        "uw_over_five", UNDERWEIGHT_DESA, day, age_days=1830, length_cm=110.0, weight_kg=18.0
    )
    # Suppression: 5 children (primary), 12 (the smallest sibling: complementary), 15 (published).
    for desa, children in ((SMALL_DESA, 5), (COMPLEMENT_DESA, 12), (PUBLISHED_DESA, 15)):
        for i in range(children):
            rows.measure(f"{desa}-{i}", desa, day, haz=-2.5 if i < 2 else 0.0)
    # Two identical desa for the priority ranking, and a desa where nobody is weighed.
    for desa in TWIN_DESA:
        for i in range(12):
            rows.measure(f"{desa}-{i}", desa, day, haz=-2.5 if i < 3 else 0.5, age_days=300 + i)
    rows.sasaran.append((UNWEIGHED_DESA, 2024, 30))


def add_random_kecamatan(rows: RawRows) -> None:
    """Three months of three desa with two posyandu each: what the roll-up tests sum."""
    rng = random.Random(6)
    start = date(2024, 1, 1)
    for d in range(1, 4):
        desa = f"{RANDOM_KECAMATAN}.200{d}"
        for c in range(30):
            age = rng.randint(10, 1600)
            for month in range(3):
                if rng.random() < 0.8:
                    rows.measure(
                        f"{desa}-r{c}",
                        desa,
                        months_later(start, month, rng.randint(0, 27)),
                        age_days=age + 31 * month,
                        sex=rng.choice([1, 2]),
                        haz=rng.choice([-3.5, -2.5, -1.0, 0.0, 1.5]),
                        whz=rng.choice([-3.5, -2.5, -0.5, 0.5, 2.5]),
                        posyandu=rng.choice(["Mawar", "Melati"]),
                    )
    # Puskesmas serve desa lists that cross kecamatan boundaries; one desa has no puskesmas.
    rows.puskesmas += [
        (f"{RANDOM_KECAMATAN}.2001", "P01"),
        (f"{RANDOM_KECAMATAN}.2002", "P01"),
        (STUNTING_DESA, "P01"),
        (f"{RANDOM_KECAMATAN}.2003", "P02"),
    ]
    # The data reach the last day of March, so March is the latest complete month.
    rows.measure("last-day", f"{RANDOM_KECAMATAN}.2001", date(2024, 3, 31))


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    work_dir = tmp_path_factory.mktemp("marts_nutrition")
    database = work_dir / "marts_nutrition.duckdb"
    rows = open_fixture(database)
    add_hand_made_desa(rows)
    add_random_kecamatan(rows)
    con = build_marts(rows, database, work_dir)
    yield con
    con.close()


def one(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> dict:
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    assert len(rows) == 1, f"{len(rows)} rows for {sql} {params}"
    return dict(zip(names, rows[0], strict=True))


def desa_total(con: duckdb.DuckDBPyConnection, desa: str) -> dict:
    return one(
        con,
        "select * from marts.mart_nutrition_status where wilayah_level = 'desa' "
        "and wilayah_code = ? and measurement_month = ? and breakdown_type = 'total'",
        [desa, MARCH],
    )


def assert_prevalence(row: dict, prefix: str, numerator: int, denominator: int) -> None:
    low, high = wilson(numerator, denominator)
    assert row[f"{prefix}_pct"] == pytest.approx(100 * numerator / denominator)
    assert row[f"{prefix}_ci_low"] == pytest.approx(low)
    assert row[f"{prefix}_ci_high"] == pytest.approx(high)


# --- one indicator, one hand-made desa ----------------------------------------------------------


def test_stunting_is_3_of_20_with_the_flagged_child_left_out(warehouse) -> None:
    row = desa_total(warehouse, STUNTING_DESA)
    assert row["children_measured"] == 21
    assert row["children_haz_flagged"] == 1
    assert (row["children_haz_valid"], row["children_stunted"]) == (20, 3)
    assert row["children_severely_stunted"] == 1
    assert row["stunting_pct"] == pytest.approx(15.0)
    assert_prevalence(row, "stunting", 3, 20)
    assert_prevalence(row, "severe_stunting", 1, 20)


def test_wasting_overweight_and_the_flagged_whz(warehouse) -> None:
    row = desa_total(warehouse, WASTING_DESA)
    assert (row["children_measured"], row["children_whz_flagged"]) == (21, 1)
    assert (row["children_whz_valid"], row["children_wasted"]) == (20, 3)
    assert_prevalence(row, "wasting", 3, 20)
    assert_prevalence(row, "severe_wasting", 1, 20)
    assert_prevalence(row, "overweight", 1, 20)


def test_underweight_is_5_of_25_and_children_over_five_are_left_out(warehouse) -> None:
    row = desa_total(warehouse, UNDERWEIGHT_DESA)
    assert row["children_measured"] == 25
    assert (row["children_waz_valid"], row["children_underweight"]) == (25, 5)
    assert row["underweight_pct"] == pytest.approx(20.0)
    assert_prevalence(row, "underweight", 5, 25)


def test_the_latest_measurement_of_the_month_counts_once(warehouse) -> None:
    row = one(
        warehouse,
        "select measurements_in_month, measurement_date, is_stunted "
        "from intermediate.int_child_monthly_status where child_key = 'st3'",
    )
    assert row == {
        "measurements_in_month": 2,
        "measurement_date": date(2024, 3, 10),
        "is_stunted": False,
    }


def test_age_groups_follow_unrounded_months(warehouse) -> None:
    groups = dict(
        warehouse.execute(
            "select age_days, age_group from intermediate.int_child_monthly_status "
            "where desa_code = ? and age_days <> 400",
            [UNDERWEIGHT_DESA],
        ).fetchall()
    )
    assert groups == AGE_CASES


def test_indicator_rows_carry_value_interval_target_and_gap(warehouse) -> None:
    row = one(
        warehouse,
        "select * from marts.mart_indicator where indicator_code = 'STUNTING' "
        "and wilayah_level = 'desa' and wilayah_code = ? and period_start = ?",
        [STUNTING_DESA, MARCH],
    )
    low, high = wilson(3, 20)
    assert (row["numerator"], row["denominator"]) == (3, 20)
    assert row["value"] == pytest.approx(15.0)
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(low), pytest.approx(high))
    # Lower is better for stunting, national target 14%: 1 point still to go.
    assert (row["target"], row["better_when"]) == (14.0, "lower")
    assert row["gap_to_target"] == pytest.approx(1.0)
    assert (row["period_type"], row["source_type"]) == ("month", "administrative")


# --- roll-ups -------------------------------------------------------------------------------------

LEVEL_PAIRS = [("posyandu", "desa"), ("desa", "kecamatan"), ("kecamatan", "kabupaten")]
NUTRITION_COUNTS = [
    "children_measured",
    "children_haz_flagged",
    "children_haz_valid",
    "children_stunted",
    "children_severely_stunted",
    "children_whz_valid",
    "children_wasted",
    "children_overweight",
    "children_waz_valid",
    "children_underweight",
]


@pytest.mark.parametrize(("child", "parent"), LEVEL_PAIRS)
def test_nutrition_levels_are_sums_of_their_parts(warehouse, child: str, parent: str) -> None:
    keys = ["measurement_month", "breakdown_type", "breakdown_value"]
    sums = ", ".join(f"sum({m}) as {m}" for m in NUTRITION_COUNTS)
    mismatches = warehouse.execute(
        f"""
        with rolled as (select * from intermediate.int_nutrition_status__rolled_up),
        parents as (select * from rolled where wilayah_level = ?),
        parts as (
            select parent_wilayah_code as wilayah_code, {", ".join(keys)}, {sums}
            from rolled
            where wilayah_level = ?
            group by all
        )
        select wilayah_code, {", ".join(keys)}
        from parents
        full join parts using (wilayah_code, {", ".join(keys)})
        where {" or ".join(f"parents.{m} is distinct from parts.{m}" for m in NUTRITION_COUNTS)}
        """,
        [parent, child],
    ).fetchall()
    assert mismatches == []
    assert (
        warehouse.execute(
            "select count(*) from intermediate.int_nutrition_status__rolled_up "
            "where wilayah_level = ?",
            [parent],
        ).fetchone()[0]
        > 0
    )


def test_puskesmas_sum_the_desa_they_serve(warehouse) -> None:
    rows = warehouse.execute(
        """
        with rolled as (
            select * from intermediate.int_nutrition_status__rolled_up
            where breakdown_type = 'total' and measurement_month = '2024-03-01'
        )
        select p.wilayah_code, p.parent_wilayah_code, p.children_measured, p.children_stunted,
            (select sum(d.children_measured) from rolled d
             where d.wilayah_level = 'desa' and d.wilayah_code in (
                select desa_code from staging.stg_master__puskesmas_desa m
                where m.puskesmas_code = p.wilayah_code)) as desa_children
        from rolled p
        where p.wilayah_level = 'puskesmas'
        order by p.wilayah_code
        """
    ).fetchall()
    assert [r[0] for r in rows] == ["P01", "P02"]
    assert all(r[1] == "73.17" and r[2] == r[4] for r in rows)
    # P01 includes the hand-made stunting desa of another kecamatan: its 3 stunted children.
    published = desa_total(warehouse, STUNTING_DESA)["children_measured"]
    assert rows[0][2] > published


def test_breakdowns_add_up_to_the_total(warehouse) -> None:
    mismatches = warehouse.execute(
        """
        with sums as (
            select wilayah_code, measurement_month, breakdown_type,
                sum(children_measured) as children, sum(children_stunted) as stunted
            from marts.mart_nutrition_status
            where wilayah_level in ('kecamatan', 'kabupaten')
            group by all
        )
        select part.*
        from sums as part
        join sums as total
            on total.wilayah_code = part.wilayah_code
            and total.measurement_month = part.measurement_month
            and total.breakdown_type = 'total'
        where (part.children, part.stunted) <> (total.children, total.stunted)
        """
    ).fetchall()
    assert mismatches == []
    types = {
        r[0]
        for r in warehouse.execute(
            "select distinct breakdown_type from marts.mart_nutrition_status "
            "where wilayah_level = 'kecamatan'"
        ).fetchall()
    }
    assert types == {"total", "sex", "age_group"}


@pytest.mark.parametrize(("child", "parent"), LEVEL_PAIRS)
def test_indicator_levels_sum_numerators_and_denominators(warehouse, child, parent) -> None:
    mismatches = warehouse.execute(
        """
        with parts as (
            select indicator_code, parent_wilayah_code, period_start,
                sum(numerator) as numerator, sum(denominator) as denominator
            from intermediate.int_indicators__unioned
            where wilayah_level = ?
            group by all
        )
        select p.indicator_code, p.wilayah_code, p.period_start
        from intermediate.int_indicators__unioned as p
        join parts
            on parts.indicator_code = p.indicator_code
            and parts.parent_wilayah_code = p.wilayah_code
            and parts.period_start = p.period_start
        where p.wilayah_level = ?
            and (p.numerator <> parts.numerator or p.denominator <> parts.denominator)
        """,
        [child, parent],
    ).fetchall()
    assert mismatches == []


def test_published_higher_levels_equal_the_unsuppressed_sums(warehouse) -> None:
    """Kecamatan and kabupaten rows are never masked and equal the sum of all their desa."""
    differences = warehouse.execute(
        """
        select m.wilayah_code, m.measurement_month
        from marts.mart_nutrition_status m
        join (
            select parent_wilayah_code, measurement_month, sum(children_stunted) as stunted,
                sum(children_haz_valid) as valid
            from intermediate.int_nutrition_status__rolled_up
            where wilayah_level = 'desa' and breakdown_type = 'total'
            group by all
        ) d on d.parent_wilayah_code = m.wilayah_code and d.measurement_month = m.measurement_month
        where m.wilayah_level = 'kecamatan' and m.breakdown_type = 'total'
            and (m.children_stunted is distinct from d.stunted
                 or m.children_haz_valid is distinct from d.valid)
        """
    ).fetchall()
    assert differences == []


def test_trend_is_the_change_from_the_previous_month(warehouse) -> None:
    rows = warehouse.execute(
        "select period_start, value, trend_vs_previous from marts.mart_indicator "
        "where indicator_code = 'STUNTING' and wilayah_level = 'kecamatan' and wilayah_code = ? "
        "order by period_start",
        [RANDOM_KECAMATAN],
    ).fetchall()
    assert [r[0] for r in rows] == [date(2024, 1, 1), date(2024, 2, 1), MARCH]
    assert rows[0][2] is None
    for previous, current in itertools.pairwise(rows):
        assert current[2] == pytest.approx(current[1] - previous[1])


# --- suppression ----------------------------------------------------------------------------------


def test_small_desa_and_its_smallest_sibling_are_suppressed(warehouse) -> None:
    small, complement, published = (
        desa_total(warehouse, d) for d in (SMALL_DESA, COMPLEMENT_DESA, PUBLISHED_DESA)
    )
    assert (small["suppression"], complement["suppression"]) == ("primary", "complementary")
    for row in (small, complement):
        masked = {k: v for k, v in row.items() if k.startswith(("children_", "stunting", "severe"))}
        assert set(masked.values()) == {None}
    assert published["suppression"] is None
    assert (published["children_measured"], published["children_stunted"]) == (15, 2)
    # The kecamatan total stays published: 5 + 12 + 15 children.
    kecamatan = one(
        warehouse,
        "select children_measured from marts.mart_nutrition_status where wilayah_code = '73.17.02' "
        "and measurement_month = ? and breakdown_type = 'total'",
        [MARCH],
    )
    assert kecamatan["children_measured"] == 32


def test_desa_rows_are_published_as_totals_only(warehouse) -> None:
    assert warehouse.execute(
        "select distinct breakdown_type from marts.mart_nutrition_status "
        "where wilayah_level = 'desa'"
    ).fetchall() == [("total",)]


@pytest.mark.parametrize(
    ("table", "level_filter", "base", "group"),
    [
        (
            "mart_nutrition_status",
            "wilayah_level = 'desa'",
            "children_measured",
            "parent_wilayah_code, measurement_month, breakdown_type, breakdown_value",
        ),
        (
            "mart_indicator",
            "wilayah_level in ('desa', 'posyandu')",
            "denominator",
            "indicator_code, wilayah_level, parent_wilayah_code, period_type, period_start",
        ),
        ("mart_skdn_posyandu_monthly", "true", "children_target", "desa_code, measurement_month"),
        (
            "mart_measurement_quality_posyandu_monthly",
            "true",
            "children",
            "desa_code, measurement_month",
        ),
        ("mart_priority_villages", "true", "children_measured", "kecamatan_code, period_start"),
    ],
)
def test_no_published_small_cell_and_no_lonely_suppression(
    warehouse, table: str, level_filter: str, base: str, group: str
) -> None:
    small = warehouse.execute(
        f"select count(*) from marts.{table} where {level_filter} and {base} between 1 and 9"
    ).fetchone()[0]
    assert small == 0
    lonely = warehouse.execute(
        f"""
        select {group} from marts.{table}
        where {level_filter}
        group by {group}
        having count(suppression) = 1 and count(*) filter (where {base} > 0) > 0
        """
    ).fetchall()
    assert lonely == []


# --- priority villages ------------------------------------------------------------------------


def priority(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    sql = "select * from marts.mart_priority_villages order by priority_rank"
    return con.execute(sql).fetchall()


def test_identical_desa_tie_and_are_ordered_by_code(warehouse) -> None:
    rows = {
        r[0]: r[1:]
        for r in warehouse.execute(
            "select desa_code, priority_score, priority_rank from marts.mart_priority_villages "
            "where desa_code in (?, ?)",
            list(TWIN_DESA),
        ).fetchall()
    }
    (score_a, rank_a), (score_b, rank_b) = rows[TWIN_DESA[0]], rows[TWIN_DESA[1]]
    assert score_a == score_b
    assert rank_b == rank_a + 1


def test_priority_score_is_the_weighted_mean_of_component_scores(warehouse) -> None:
    weights = {
        "stunted_children": 0.30,
        "stunting_prevalence": 0.30,
        "weighing_participation": 0.25,
        "measurement_problems": 0.15,
    }
    columns = ", ".join(f"{c}_score" for c in weights)
    rows = warehouse.execute(
        f"select priority_score, components_scored, period_start, {columns} "
        "from marts.mart_priority_villages"
    ).fetchall()
    assert {r[2] for r in rows} == {MARCH}
    for score, scored, _, *components in rows:
        assert scored == sum(s is not None for s in components)
        # A missing component counts as the middle score, 50.
        pairs = zip(weights.values(), components, strict=True)
        expected = sum(w * (50 if s is None else s) for w, s in pairs)
        assert score == pytest.approx(expected, abs=1e-4)
    ranked = warehouse.execute(
        "select priority_score from marts.mart_priority_villages order by priority_rank"
    ).fetchall()
    assert ranked == sorted(ranked, reverse=True)


def test_a_desa_nobody_weighs_is_ranked_on_participation_with_unknowns_at_50(warehouse) -> None:
    row = one(
        warehouse,
        "select * from marts.mart_priority_villages where desa_code = ?",
        [UNWEIGHED_DESA],
    )
    assert (row["weighing_participation_value"], row["weighing_participation_score"]) == (0, 100)
    assert (row["components_scored"], row["stunting_prevalence_score"]) == (1, None)
    assert row["priority_score"] == pytest.approx(0.30 * 50 + 0.30 * 50 + 0.25 * 100 + 0.15 * 50)
    assert row["children_measured"] == 0


def test_ranking_is_the_same_when_the_rows_arrive_in_another_order(
    warehouse, tmp_path: Path
) -> None:
    first = priority(warehouse)
    copy = tmp_path / "reversed.duckdb"
    with duckdb.connect(copy) as con:
        load_who_lms_tables(con)
        tables = warehouse.sql(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_schema = 'raw' or table_name = 'wilayah_desa'"
        ).fetchall()
        for (table,) in tables:
            rows = warehouse.sql(f"select * from {table} order by all desc").to_arrow_table()
            con.execute(f"create schema if not exists {table.split('.')[0]}")
            con.register("reversed_rows", rows)
            con.execute(f"create table {table} as select * from reversed_rows")
            con.unregister("reversed_rows")
    result = dbt_command(
        "build",
        "--select",
        "+mart_priority_villages",
        "--exclude",
        "test_type:data",
        duckdb_path=copy,
        work_dir=tmp_path,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    with duckdb.connect(copy, read_only=True) as con:
        assert priority(con) == first


# --- Great Expectations suites ----------------------------------------------------------------


def test_published_marts_pass_their_suites_and_a_small_cell_fails(warehouse, tmp_path) -> None:
    from tpps.quality import suite_parameter_queries, validate_dataframe

    for mart in MARTS:
        frame = warehouse.execute(f"select * from marts.{mart}").df()
        parameters = {
            n: warehouse.execute(q).fetchone()[0] for n, q in suite_parameter_queries(mart).items()
        }
        outcome = validate_dataframe(frame, mart, tmp_path / "quality", parameters)
        assert outcome.failed_critical == [], mart
        if mart == "mart_nutrition_status":
            leaked = frame.copy()
            desa = leaked.index[leaked["suppression"].eq("primary")][0]
            leaked.loc[desa, "children_measured"] = 5
            outcome = validate_dataframe(leaked, mart, tmp_path / "quality", parameters)
            failed = outcome.failed_critical
            assert "expect_column_values_to_be_between(children_measured)" in failed
