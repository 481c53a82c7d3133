"""Posyandu SKDN and measurement-quality marts: a real dbt build on hand-made e-PPGBM rows.

The SKDN posyandu follows thirteen children over three months with chosen weights, so S, D, N,
T, O and B are known by hand; the quality posyandu has chosen lengths, weights and positions.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterator
from datetime import date, timedelta

import duckdb
import pytest

from tests._marts_helpers import RawRows, build_marts, open_fixture

SKDN_DESA = "73.17.05.2001"
MAWAR, MELATI = f"{SKDN_DESA}|mawar", f"{SKDN_DESA}|melati"
QUALITY_DESA = "73.17.05.2002"
KENANGA = f"{QUALITY_DESA}|kenanga"
SMALL_POSYANDU_DESA = "73.17.05.2003"
SASARAN_DESA, SASARAN_ONLY_DESA = "73.17.05.2004", "73.17.05.2005"
OTHER_DESA = "73.17.06.2001"  # another kecamatan: its small cells have no sibling here
JAN, FEB, MAR = date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)

# Quality posyandu: (child, age_days, position, length_cm, weight_kg, day of March 2024).
QUALITY_ROWS = [
    ("k1", 400, "l", 75.0, 9.0, 2),
    ("k1", 410, "l", 75.5, 9.1, 12),
    ("k2", 400, "h", 74.3, 9.2, 12),  # standing under 24 months
    ("k3", 420, "h", 76.0, 9.5, 12),  # standing under 24 months
    ("k4", 800, "l", 85.5, 11.0, 12),  # lying from 24 months
    ("k5", 800, "h", 84.7, 11.3, 12),
    ("k6", 400, None, 75.2, 9.4, 12),  # no position
    ("k7", 400, "l", None, 9.0, 12),  # no length
    ("k8", 400, "l", None, 8.7, 12),  # no length
    ("k9", 400, "l", 50.0, 9.0, 12),  # HAZ about -9: WHO-flagged
    ("k10", 405, "l", 76.1, 9.6, 12),  # born on the 1st of a month
    ("k11", 400, "l", 74.9, 9.3, 12),
    ("k12", 400, "l", 77.0, 10.0, 12),
]


def add_skdn_posyandu(rows: RawRows) -> None:
    def weigh(child: str, when: date, weight: float, posyandu: str = "Mawar", age: int = 300):
        rows.measure(
            child,
            SKDN_DESA,
            when,
            posyandu=posyandu,
            age_days=age + (when - JAN).days,
            weight_kg=weight,
            length_cm=75.0,
            has_kia=child in {"a1", "a2", "a3"},
        )

    # Children last seen in January 2023 are no longer registered a year later (December 2023
    # is delivered too, from another desa). A lone row of June 2023 (day and month swapped) does
    # not make June a delivered month.
    for i in range(5):
        rows.measure(f"old{i}", SKDN_DESA, date(2023, 1, 15), posyandu="Mawar", age_days=400)
        rows.measure(f"dec{i}", OTHER_DESA, date(2023, 12, 15), posyandu="Lain", age_days=400)
    rows.measure("stray", OTHER_DESA, date(2023, 6, 12), posyandu="Lain", age_days=200)
    jan, feb, mar = JAN.replace(day=10), FEB.replace(day=10), MAR.replace(day=10)
    for i in range(1, 13):
        weigh(f"a{i}", jan, 9.0)
    for i in range(1, 11):  # a11 and a12 are not weighed in February
        weigh(f"a{i}", feb, 9.3 if i <= 6 else (9.0 if i <= 9 else 8.8))
    for i in range(1, 11):
        weigh(f"a{i}", mar, 9.6 if i <= 5 else (9.3 if i == 6 else (9.0 if i <= 9 else 8.8)))
    weigh("a11", mar, 9.5)  # weighed in January, not February: O
    weigh("a13", mar, 8.0)  # first weighing: B
    # Turns 60 months (1827 days) between February and March: in S for January and February only.
    rows.measure(
        "a15", SKDN_DESA, jan, posyandu="Mawar", age_days=1800, weight_kg=17.0, length_cm=108.0
    )
    # Moves from Melati (January) to Mawar (March).
    weigh("a14", jan, 9.0, posyandu="Melati")
    weigh("a14", mar, 9.4)
    for i in range(1, 11):
        weigh(f"b{i}", jan, 9.0, posyandu="Melati")


def add_quality_posyandu(rows: RawRows) -> None:
    for child, age, position, length, weight, day in QUALITY_ROWS:
        rows.measure(
            child,
            QUALITY_DESA,
            MAR.replace(day=day),
            posyandu="Kenanga",
            age_days=age,
            position=position,
            length_cm=length,
            weight_kg=weight,
        )
        if length is None:
            rows.rows[-1]["length_height_cm"] = None


def add_small_posyandu(rows: RawRows) -> None:
    for posyandu, children in (("P1", 5), ("P2", 11), ("P3", 14)):
        for i in range(children):
            rows.measure(
                f"{posyandu}-{i}", SMALL_POSYANDU_DESA, MAR.replace(day=5), posyandu=posyandu
            )


def add_sasaran(rows: RawRows) -> None:
    """Sasaran 40 for a desa with 12 + 6 registered children; 25 for a desa nobody weighs."""
    for posyandu, children in (("Anggrek", 12), ("Teratai", 6)):
        for i in range(children):
            rows.measure(f"{posyandu}-{i}", SASARAN_DESA, MAR.replace(day=5), posyandu=posyandu)
    rows.sasaran += [(SASARAN_DESA, 2024, 40), (SASARAN_ONLY_DESA, 2024, 25)]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    work_dir = tmp_path_factory.mktemp("marts_posyandu")
    database = work_dir / "marts_posyandu.duckdb"
    rows = open_fixture(database)
    add_skdn_posyandu(rows)
    add_quality_posyandu(rows)
    add_small_posyandu(rows)
    add_sasaran(rows)
    con = build_marts(rows, database, work_dir)
    yield con
    con.close()


def row(con: duckdb.DuckDBPyConnection, table: str, key: str, month: date) -> dict:
    cursor = con.execute(
        f"select * from {table} where posyandu_key = ? and measurement_month = ?", [key, month]
    )
    names = [d[0] for d in cursor.description]
    found = cursor.fetchall()
    assert len(found) == 1, (table, key, month, found)
    return dict(zip(names, found[0], strict=True))


SKDN = "marts.mart_skdn_posyandu_monthly"
SKDN_COLUMNS = (
    "children_target",
    "children_weighed",
    "children_weight_up",
    "children_weight_not_up",
    "children_not_weighed_last_month",
    "children_first_weighing",
)


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        # S, D, N, T, O, B. January: a1-a12 and a15, all new (B).
        (JAN, (13, 13, 0, 0, 0, 13)),
        # February: a15 is still under five; a11, a12 not weighed; 6 heavier, 3 equal, 1 lighter.
        (FEB, (13, 10, 6, 4, 0, 0)),
        # March: a15 aged out, a13 new, a14 moved in; a11 and a14 skipped February (O).
        (MAR, (14, 13, 5, 5, 2, 1)),
    ],
)
def test_skdn_counts_follow_the_weights(warehouse, month: date, expected: tuple) -> None:
    found = row(warehouse, SKDN, MAWAR, month)
    assert tuple(found[c] for c in SKDN_COLUMNS) == expected
    s, d, n = expected[:3]
    assert found["d_s_pct"] == pytest.approx(100 * d / s)
    assert found["n_d_pct"] == pytest.approx(100 * n / d)
    assert (found["target_source"], found["suppression"]) == ("registered", None)


def test_a_child_who_moves_is_registered_where_last_measured(warehouse) -> None:
    registered = {
        month: row(warehouse, "intermediate.int_skdn__posyandu_monthly", MELATI, month)[
            "children_target"
        ]
        for month in (JAN, FEB, MAR)
    }
    assert registered == {JAN: 11, FEB: 11, MAR: 10}


def test_a_child_unseen_for_a_year_leaves_s(warehouse) -> None:
    dec, jan = (
        row(warehouse, "intermediate.int_skdn__posyandu_monthly", MAWAR, m)["children_target"]
        for m in (date(2023, 12, 1), JAN)
    )
    assert (dec, jan) == (5, 13)


def test_a_few_misdated_rows_do_not_open_a_month(warehouse) -> None:
    months = {
        r[0]
        for r in warehouse.execute(
            "select distinct measurement_month from intermediate.int_skdn__posyandu_monthly"
        ).fetchall()
    }
    assert months == {date(2023, 1, 1), date(2023, 12, 1), JAN, FEB, MAR}


def test_k_counts_children_with_a_kia_book(warehouse) -> None:
    found = row(warehouse, SKDN, MAWAR, FEB)
    assert found["children_with_kia"] == 3
    assert found["k_s_pct"] == pytest.approx(300 / 13)


def test_skdn_indicators_roll_up_from_posyandu_to_desa(warehouse) -> None:
    values = dict(
        warehouse.execute(
            "select wilayah_level || ':' || indicator_code, value from marts.mart_indicator "
            "where period_start = ? and wilayah_code in (?, ?)",
            [FEB, MAWAR, SKDN_DESA],
        ).fetchall()
    )
    assert values["posyandu:SKDN_N_D"] == pytest.approx(60.0)
    assert values["posyandu:SKDN_D_S"] == pytest.approx(100 * 10 / 13)
    # Desa = Mawar + Melati: D 10 + 0, S 13 + 11.
    assert values["desa:SKDN_D_S"] == pytest.approx(100 * 10 / 24)


def test_sasaran_is_shared_among_posyandu_in_whole_children(warehouse) -> None:
    found = {
        key: (target, source, registered)
        for key, target, source, registered in warehouse.execute(
            "select posyandu_key, children_target, target_source, children_registered "
            "from intermediate.int_skdn__posyandu_monthly "
            "where desa_code in (?, ?) and measurement_month = ?",
            [SASARAN_DESA, SASARAN_ONLY_DESA, MAR],
        ).fetchall()
    }
    # 40 x 12/18 = 26.67 and 40 x 6/18 = 13.33: floors 26 + 13, the remaining child goes to the
    # larger fraction. A desa with sasaran and no registered child keeps its S under 'desa|'.
    assert found == {
        f"{SASARAN_DESA}|anggrek": (27, "sasaran", 12),
        f"{SASARAN_DESA}|teratai": (13, "sasaran", 6),
        f"{SASARAN_ONLY_DESA}|": (25, "sasaran", 0),
    }
    # Months without sasaran (2023) fall back to the registered children.
    assert row(warehouse, SKDN, MAWAR, MAR)["target_source"] == "registered"
    d_s = dict(
        warehouse.execute(
            "select wilayah_code, value from marts.mart_indicator where indicator_code = "
            "'SKDN_D_S' and wilayah_level = 'desa' and period_start = ? and wilayah_code in (?, ?)",
            [MAR, SASARAN_DESA, SASARAN_ONLY_DESA],
        ).fetchall()
    )
    assert d_s == {SASARAN_DESA: pytest.approx(100 * 18 / 40), SASARAN_ONLY_DESA: 0.0}


# --- measurement quality ----------------------------------------------------------------------


def digit_preference_score(digits: list[int]) -> float:
    expected = len(digits) / 10
    chi2 = sum((digits.count(d) - expected) ** 2 / expected for d in range(10))
    return 100 * math.sqrt(chi2 / (len(digits) * 9))


def tenths(values: list[float | None]) -> list[int]:
    return [round(v * 10) % 10 for v in values if v is not None]


def test_measurement_quality_indicators(warehouse) -> None:
    found = row(warehouse, "marts.mart_measurement_quality_posyandu_monthly", KENANGA, MAR)
    assert (found["measurements"], found["children"]) == (13, 12)
    assert (found["measurements_missing_length"], found["measurements_missing_position"]) == (2, 1)
    assert found["missing_length_pct"] == pytest.approx(100 * 2 / 13)
    assert found["measurements_position_mismatch"] == 3
    assert found["position_mismatch_pct"] == pytest.approx(100 * 3 / 12)
    assert found["haz_flagged_pct"] == pytest.approx(100 * 1 / 11)

    lengths = tenths([r[3] for r in QUALITY_ROWS])
    weights = tenths([r[4] for r in QUALITY_ROWS])
    assert found["length_digit_0_5_pct"] == pytest.approx(100 * 6 / 11)
    assert found["weight_digit_0_5_pct"] == pytest.approx(100 * 6 / 13)
    assert found["length_dps"] == pytest.approx(digit_preference_score(lengths))
    assert found["weight_dps"] == pytest.approx(digit_preference_score(weights))

    births = [MAR.replace(day=r[5]) - timedelta(days=r[1]) for r in QUALITY_ROWS]
    heaped = sum(b.day in (1, 15) for b in births)
    assert heaped >= 1
    assert found["birth_day_heaping_pct"] == pytest.approx(100 * heaped / 13)


def test_sd_of_haz_uses_the_plausible_values_only(warehouse) -> None:
    hazs = [
        r[0]
        for r in warehouse.execute(
            "select haz from intermediate.int_measurements__zscored "
            "where posyandu_key = ? and not coalesce(flag_haz, false) and haz is not null",
            [KENANGA],
        ).fetchall()
    ]
    assert len(hazs) == 10
    found = row(warehouse, "marts.mart_measurement_quality_posyandu_monthly", KENANGA, MAR)
    # Rounded to 0.001 so that parallel float sums cannot change the published bytes.
    assert found["haz_sd"] == pytest.approx(statistics.stdev(hazs), abs=0.0005)
    assert found["haz_sd"] == round(found["haz_sd"], 3)


# --- suppression of posyandu cells ------------------------------------------------------------


@pytest.mark.parametrize(
    "table",
    ["marts.mart_skdn_posyandu_monthly", "marts.mart_measurement_quality_posyandu_monthly"],
)
def test_small_posyandu_and_its_smallest_sibling_are_suppressed(warehouse, table: str) -> None:
    cells = {
        name: row(warehouse, table, f"{SMALL_POSYANDU_DESA}|{name.lower()}", MAR)
        for name in ("P1", "P2", "P3")
    }
    assert [cells[p]["suppression"] for p in ("P1", "P2", "P3")] == [
        "primary",
        "complementary",
        None,
    ]
    keys = {
        "posyandu_key",
        "desa_code",
        "kecamatan_code",
        "measurement_month",
        "suppression",
        "source_type",
        "target_source",
    }
    for name in ("P1", "P2"):
        assert {v for k, v in cells[name].items() if k not in keys} == {None}
    assert cells["P3"]["measurement_month"] == MAR


def test_posyandu_indicator_cells_are_suppressed_on_their_denominator(warehouse) -> None:
    suppression = dict(
        warehouse.execute(
            "select wilayah_code, suppression from marts.mart_indicator "
            "where indicator_code = 'SKDN_D_S' and wilayah_level = 'posyandu' "
            "and parent_wilayah_code = ? and period_start = ?",
            [SMALL_POSYANDU_DESA, MAR],
        ).fetchall()
    )
    prefix = SMALL_POSYANDU_DESA + "|"
    assert suppression == {
        prefix + "p1": "primary",
        prefix + "p2": "complementary",
        prefix + "p3": None,
    }
    published_small = warehouse.execute(
        "select count(*) from marts.mart_indicator where wilayah_level in ('desa', 'posyandu') "
        "and denominator between 1 and 9"
    ).fetchone()[0]
    assert published_small == 0
