"""Coverage indicators (S1-S3, S9, N1, N3-N8, N10, N11, PAUD) and the village convergence
scorecard: real dbt builds on a temporary DuckDB.

Two warehouses, each built once: the sample generator's fault-free tiny delivery, ingested by the
real ingestion and checked against the generator's ground truth (true numerators and
denominators per desa and period), and a hand-made fixture whose every indicator value is worked
out in the comments below.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests._zscore_helpers import dbt_command
from tpps.ingest import SOURCES, ingest_source, load_wilayah
from tpps.privacy import Pseudonymiser
from tpps.sample_data.config import PRESETS
from tpps.sample_data.generate import generate

FAMILIES = ("kia", "remaja", "imunisasi", "catin", "krs", "social_protection", "wash", "paud")
MODELS = [f"int_indicator__{family}" for family in FAMILIES] + [
    "mart_village_convergence_scorecard"
]
# The truth's indicators a perfect pipeline reproduces exactly from fault-free records.
EXACT = ("S1", "S2", "N1", "S3", "S9", "N3", "N4", "N5", "N11", "N7")
# Denominators from the simulated population, which the registers only approximate.
APPROXIMATE = ("N6", "N8", "N10", "PAUD")
LAST_MONTH = PRESETS["tiny"].end_month  # the last data month of the sample
UNION = " union all ".join(f"select * from intermediate.{m}" for m in MODELS[:-1])


def build(database: Path, work_dir: Path) -> duckdb.DuckDBPyConnection:
    selection = ["indicator_catalogue", *(f"+{model}" for model in MODELS)]
    result = dbt_command(
        "build",
        "--select",
        *selection,
        "--indirect-selection",
        "cautious",
        duckdb_path=database,
        work_dir=work_dir,
    )
    assert result.returncode == 0, result.stdout[-6000:]
    return duckdb.connect(database, read_only=True)


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list:
    return con.execute(sql, params or []).fetchall()


# --------------------------------------------------------------------------------------------
# The sample generator's delivery, ingested for real
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, dict]]:
    root = tmp_path_factory.mktemp("coverage_sample")
    generate(PRESETS["tiny"].replace(fault_rate=0.0), root)
    database = root / "warehouse.duckdb"
    with duckdb.connect(database) as con:
        load_wilayah(con)
        for source in SOURCES:
            ingest_source(con, source, root / "raw", Pseudonymiser.from_env())
    with (root / "ground_truth" / "coverage.csv").open() as handle:
        truth = {
            (r["indicator_code"], r["desa_code"], r["period"]): (
                float(r["numerator"]),
                float(r["denominator"]),
            )
            for r in csv.DictReader(handle)
        }
    con = build(database, root)
    yield con, truth
    con.close()


def desa_cells(con: duckdb.DuckDBPyConnection) -> dict:
    return {
        (code, desa, period): (numerator, denominator)
        for code, desa, period, numerator, denominator in rows(
            con,
            f"""
            select indicator_code, wilayah_code,
                case period_type when 'year' then strftime(period_start, '%Y')
                    else strftime(period_start, '%Y-%m') end,
                numerator, denominator
            from ({UNION}) where wilayah_level = 'desa'
            """,
        )
    }


@pytest.mark.parametrize("code", EXACT)
def test_indicator_reproduces_the_true_numerators_and_denominators(sample, code: str) -> None:
    con, truth = sample
    mine = {key: value for key, value in desa_cells(con).items() if key[0] == code}
    # The truth also counts catin whose wedding lies after the export; the pipeline waits until
    # the register reaches the wedding month (int_indicator__catin).
    expected = {
        key: value for key, value in truth.items() if key[0] == code and key[2] <= LAST_MONTH
    }
    assert expected, f"the ground truth has no {code}"
    assert mine == expected


@pytest.mark.parametrize("code", APPROXIMATE)
def test_approximate_denominators_keep_the_true_numerators(sample, code: str) -> None:
    con, truth = sample
    mine = {key: value for key, value in desa_cells(con).items() if key[0] == code}
    expected = {key: value for key, value in truth.items() if key[0] == code}
    assert mine.keys() == expected.keys()
    for key, (numerator, denominator) in mine.items():
        true_numerator, true_denominator = expected[key]
        assert numerator == true_numerator, key
        # Registers see part of the population, never more than all of it.
        assert numerator <= denominator <= true_denominator, key
    # The 1000-HPK families: Verval KRS lists nearly all of them.
    if code != "PAUD":
        found = sum(d for _, d in mine.values())
        assert found >= 0.98 * sum(d for _, d in expected.values())


def test_roll_ups_equal_the_sum_of_their_parts(sample) -> None:
    con, _ = sample
    mismatches = rows(
        con,
        f"""
        with cells as ({UNION}),
        desa as (
            select desa.indicator_code, desa.period_type, desa.period_start, desa.wilayah_code,
                desa.numerator, desa.denominator, puskesmas.puskesmas_code
            from cells as desa
            left join staging.stg_master__puskesmas_desa as puskesmas
                on puskesmas.desa_code = desa.wilayah_code
            where desa.wilayah_level = 'desa'
        ),
        expected as (
            select indicator_code, period_type, period_start, 'kecamatan' as wilayah_level,
                substr(wilayah_code, 1, 8) as wilayah_code,
                sum(numerator) as n, sum(denominator) as d
            from desa group by all
            union all
            select indicator_code, period_type, period_start, 'kabupaten',
                substr(wilayah_code, 1, 5), sum(numerator), sum(denominator)
            from desa group by all
            union all
            select indicator_code, period_type, period_start, 'puskesmas',
                puskesmas_code, sum(numerator), sum(denominator)
            from desa where puskesmas_code is not null group by all
        )
        select *
        from expected
        full outer join (select * from cells where wilayah_level <> 'desa') as rolled
            using (indicator_code, period_type, period_start, wilayah_level, wilayah_code)
        where rolled.numerator is distinct from expected.n
            or rolled.denominator is distinct from expected.d
        """,
    )
    assert mismatches == []
    levels = {r[0] for r in rows(con, f"select distinct wilayah_level from ({UNION})")}
    assert levels == {"desa", "puskesmas", "kecamatan", "kabupaten"}


def test_scorecard_bumil_rows_match_the_deliveries_of_s2(sample) -> None:
    con, _ = sample
    mismatches = rows(
        con,
        """
        with s2 as (
            select wilayah_code as desa_code,
                cast(date_trunc('quarter', period_start) as date) as quarter_start,
                sum(numerator) as received, sum(denominator) as expected
            from intermediate.int_indicator__kia
            where indicator_code = 'S2' and wilayah_level = 'desa'
            group by all
        )
        select * from s2
        full outer join intermediate.int_scorecard__desa_quarterly as scorecard
            using (desa_code, quarter_start)
        where coalesce(scorecard.ttd_90_expected, 0) <> coalesce(s2.expected, 0)
            or coalesce(scorecard.ttd_90_received, 0) <> coalesce(s2.received, 0)
        """,
    )
    assert mismatches == []


def test_published_scorecard_hides_small_cells_and_their_totals(sample) -> None:
    con, _ = sample
    leaks = rows(
        con,
        """
        select * from marts.mart_village_convergence_scorecard
        where anc_4_expected between 1 and 9 or basic_immunisation_expected between 1 and 9
            or paud_enrolment_expected between 1 and 9
            or (anc_4_suppression is not null and services_expected is not null)
        """,
    )
    assert leaks == []
    suppressed = rows(
        con,
        "select count(*) from marts.mart_village_convergence_scorecard "
        "where anc_4_suppression = 'primary'",
    )[0][0]
    assert suppressed > 0  # the tiny sample's desa have few deliveries per quarter


# --------------------------------------------------------------------------------------------
# A hand-made fixture: every value below is worked out by hand
# --------------------------------------------------------------------------------------------

DESA_A, DESA_B = "73.17.05.2001", "73.17.05.2002"  # rural desa of Bua Ponrang
KELURAHAN = "73.17.05.1001"  # a kelurahan: goose-neck to a pit is not improved there
MONTH = {"jan": date(2025, 1, 1), "mar": date(2025, 3, 1), "jun": date(2025, 6, 1)}


class Fixture:
    """Inserts rows into the raw tables exactly as tpps.ingest creates them."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.count = 0

    def add(self, table: str, **values: Any) -> None:
        self.count += 1
        values = {"row_key": f"{table}-{self.count}", "source_file": "hand.csv"} | values
        columns = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        self.con.execute(
            f"insert into raw.{table} ({columns}) values ({marks})", list(values.values())
        )


def add_kohort(f: Fixture) -> None:
    # Desa A. S1 (January, month of K1): p1 and p2 have KEK, p1 got PMT -> 1/2.
    # S2 (March, delivery): p1 90 tablets, p2 60, p4 120 -> 2/3. N1 (March): p1 Suntik, p2 Tidak,
    # p4 not yet known -> 1/2. Scorecard Q1: ANC >= 4 p1 (4), p4 (6), not p2 (2) -> 2/3;
    # TTD 2/3; nifas >= 3 only p1 -> 1/3 (the register reaches 30 June: all 42 days passed).
    day = timedelta(days=1)
    pregnancies = [
        ("p1", "fam-p1", date(2025, 1, 10), 22.0, date(2025, 1, 15), date(2025, 3, 5), 90,
         "Suntik", 4, 3),
        ("p2", "fam-p2", date(2025, 1, 20), 22.5, None, date(2025, 3, 20), 60, "Tidak", 2, 1),
        ("p3", "fam-p3", date(2025, 2, 1), 25.0, None, None, 30, None, 1, 0),
        ("p4", "fam-p4", date(2025, 2, 3), 26.0, None, date(2025, 3, 25), 120, None, 6, 2),
    ]  # fmt: skip
    for mother, family, k1, muac, pmt, delivery, tablets, kb, visits, nifas in pregnancies:
        f.add(
            "kohort_ibu",
            mother_key=mother,
            family_key=family,
            desa_code=DESA_A,
            lmp_date=k1 - 60 * day,
            muac_cm=muac,
            pmt_start_date=pmt,
            delivery_date=delivery,
            ttd_tablets=tablets,
            postpartum_contraception=kb,
            **{f"anc_k{k}_date": k1 + 7 * (k - 1) * day for k in range(1, visits + 1)},
            **{f"nifas_kf{k}_date": delivery + 5 * k * day for k in range(1, nifas + 1)},
            ttd_30_date=date(2025, 6, 30) if mother == "p3" else None,
        )


def add_ttd_remaja(f: Fixture) -> None:
    # S3 March, desa A: (40 + 20) taking of (100 + 50) enrolled -> 60/150.
    for npsn, enrolled, taking in (("401", 100, 40), ("402", 50, 20)):
        f.add(
            "ttd_remaja",
            school_npsn=npsn,
            desa_code=DESA_A,
            report_year=2025,
            report_month=3,
            girls_enrolled=enrolled,
            girls_given_ttd=taking,
            girls_taking_ttd=taking,
        )


SCHEDULE = [
    (0, "HB0"), (30, "BCG"), (30, "Polio 1"), (60, "DPT-HB-Hib 1"), (60, "Polio 2"),
    (90, "DPT-HB-Hib 2"), (90, "Polio 3"), (120, "DPT-HB-Hib 3"), (120, "Polio 4"),
    (120, "IPV"), (270, "MR"),
]  # fmt: skip


def add_imunisasi(f: Fixture) -> None:
    # Desa B. The register runs from January 2024 (c0) to March 2025 (c3), so children turning one
    # from January to March 2025 are judged. c1 (born 1 Feb 2024) has all 11 antigens, the first
    # four under a surrogate key (no NIK yet): S9 January 2025 1/1. c2 (born 1 Mar 2024) lacks MR:
    # S9 March 2025 0/1. c0 and c3 turn one outside the register's window.
    def dose(child: str, birth: date, age: int, vaccine: str, surrogate: bool = False) -> None:
        f.add(
            "imunisasi",
            child_key=child,
            child_key_is_surrogate=surrogate,
            sex=2,
            age_days=age,
            desa_code=DESA_B,
            vaccine=vaccine,
            vaccination_date=birth + timedelta(days=age),
        )

    dose("c0", date(2023, 9, 27), 100, "IPV")
    for i, (age, vaccine) in enumerate(SCHEDULE):
        dose("c1-nik" if i >= 4 else "c1-surrogate", date(2024, 2, 1), age, vaccine, i < 4)
    for age, vaccine in SCHEDULE[:-1]:
        dose("c2", date(2024, 3, 1), age, vaccine)
    dose("c3", date(2025, 3, 1), 14, "HB0")


def add_elsimil(f: Fixture) -> None:
    # N3, June 2025 (planned wedding 15 June), desa A: r1 registered 106 days before and examined
    # -> yes; r2 registered 45 days before -> no; r3 not examined -> no: 1/3. The register ends
    # in July (r4's check): r4's December wedding is not judged yet.
    for person, registered, wedding, exam in (
        ("r1", date(2025, 3, 1), date(2025, 6, 15), date(2025, 3, 10)),
        ("r2", date(2025, 5, 1), date(2025, 6, 15), date(2025, 5, 2)),
        ("r3", date(2025, 2, 1), date(2025, 6, 15), None),
        ("r4", date(2025, 7, 1), date(2025, 12, 1), date(2025, 7, 5)),
    ):
        f.add(
            "elsimil",
            person_key=person,
            sex=2,
            desa_code=DESA_A,
            registration_date=registered,
            planned_marriage_date=wedding,
            exam_date=exam,
        )


def add_stbm(f: Fixture) -> None:
    # 2025. Desa A: N4 Ledeng and Air Hujan improved -> 2/4; N5 fam-p1 (septic) and fam-x3
    # (goose-neck to a pit, rural) -> 2/4; N11 fam-x4 defecates in the open -> 0/1.
    # Kelurahan: N4 1/1, N5 0/1 (a pit does not count in a kelurahan), N11 1/1.
    # Scorecard Q1, desa A: of the deliveries only p1 and p2 have a household visit: safe water
    # 1/2 (fam-p1), latrine 1/2 (fam-p1).
    semi, goose_neck, pit = "Jamban Sehat Semi Permanen", "Leher Angsa", "Lubang Tanah"
    households = [
        ("fam-p1", DESA_A, "Ledeng/PAM", "Jamban Sehat Permanen", goose_neck, "Tangki Septik"),
        ("fam-p2", DESA_A, "Sumur Tidak Terlindung", semi, "Cemplung", pit),
        ("fam-x3", DESA_A, "Air Hujan", semi, goose_neck, pit),
        ("fam-x4", DESA_A, "Air Sungai/Danau", "BABS", None, None),
        ("fam-x5", KELURAHAN, "Sumur Bor/Pompa", semi, goose_neck, pit),
    ]
    for family, desa, water, access, closet, disposal in households:
        f.add(
            "stbm",
            family_key=family,
            desa_code=desa,
            drinking_water_source=water,
            latrine_access=access,
            closet_type=closet,
            final_disposal=disposal,
            verification_date=date(2025, 2, 1),
        )


def add_krs_and_bansos(f: Fixture) -> None:
    # N7 2025, desa A: k1 (water '2', accompanied) and k3 (too close '2', not accompanied) are at
    # risk, k2 and k4 ('3' = not applicable) are not: 1/2.
    # 1000-HPK families 2025: k1 (baduta), k3 (pregnant), fam-p1, fam-p2, fam-p4 (delivered in
    # March: a child under two on 31 December), b9 (a DTKS child of 100 days); fam-p3 is not
    # (undelivered for over 300 days: the episode ended unrecorded) nor k2: 6 families.
    # N6 PBI-JKN: k1, b9 -> 2/6; N8 PKH: k1 -> 1/6; N10 BPNT: fam-p1 -> 1/6.
    ones = dict.fromkeys(
        ["drinking_water_code", "latrine_code", "too_young_code", "too_old_code",
         "too_close_code", "too_many_code"], "1",
    )  # fmt: skip
    for family, codes, accompanied, baduta, pregnant in (
        ("k1", {"drinking_water_code": "2"}, True, True, False),
        ("k2", {}, True, False, False),
        ("k3", {"too_close_code": "2"}, False, False, True),
        ("k4", {"too_young_code": "3"}, False, False, False),
    ):
        f.add(
            "krs",
            family_key=family,
            desa_code=DESA_A,
            has_baduta=baduta,
            is_pus_pregnant=pregnant,
            tpk_accompanied=accompanied,
            verification_date=date(2025, 8, 1),
            **(ones | codes),
        )
    for person, family, age, pbi, pkh, bpnt in (
        ("k1-wife", "k1", 9000, True, True, False),
        ("k2-wife", "k2", 9000, True, False, False),
        ("p1-wife", "fam-p1", 9000, False, False, True),
        ("b9-child", "b9", 100, True, False, False),
    ):
        f.add(
            "bansos",
            person_key=person,
            family_key=family,
            sex=2,
            age_days=age,
            desa_code=DESA_A,
            has_pbi_jkn=pbi,
            receives_pkh=pkh,
            receives_bpnt=bpnt,
            register_date=date(2025, 12, 31),
        )


def add_paud(f: Fixture) -> None:
    # PAUD 2025, desa A: e1 (1500 days) enrolled; e2 (3000 days) is too old; m1 is 3 years old
    # on 31 December by its e-PPGBM measurement and not enrolled: 1/2.
    for child, age in (("e1", 1500), ("e2", 3000)):
        f.add(
            "paud",
            child_key=child,
            sex=1,
            age_days=age,
            home_desa_code=DESA_A,
            unit_desa_code=DESA_B,
            unit_npsn="69001",
            register_date=date(2025, 12, 31),
        )
    f.add(
        "eppgbm",
        child_key="m1",
        sex=1,
        age_days=1000,
        desa_code=DESA_A,
        measurement_date=date(2025, 6, 1),
        weight_kg=12.0,
    )


@pytest.fixture(scope="module")
def hand(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    root = tmp_path_factory.mktemp("coverage_hand")
    database = root / "warehouse.duckdb"
    with duckdb.connect(database) as con:
        load_wilayah(con)
        for source in SOURCES:  # an empty folder: the raw tables with their exact columns
            ingest_source(con, source, root / "nothing", Pseudonymiser.from_env())
        fixture = Fixture(con)
        for add in (add_kohort, add_ttd_remaja, add_imunisasi, add_elsimil, add_stbm,
                    add_krs_and_bansos, add_paud):  # fmt: skip
            add(fixture)
    con = build(database, root)
    yield con
    con.close()


HAND_EXPECTED = [
    ("S1", DESA_A, "month", MONTH["jan"], 1, 2),
    ("S2", DESA_A, "month", MONTH["mar"], 2, 3),
    ("N1", DESA_A, "month", MONTH["mar"], 1, 2),
    ("S3", DESA_A, "month", MONTH["mar"], 60, 150),
    ("S9", DESA_B, "month", MONTH["jan"], 1, 1),
    ("S9", DESA_B, "month", MONTH["mar"], 0, 1),
    ("N3", DESA_A, "month", MONTH["jun"], 1, 3),
    ("N4", DESA_A, "year", date(2025, 1, 1), 2, 4),
    ("N5", DESA_A, "year", date(2025, 1, 1), 2, 4),
    ("N11", DESA_A, "year", date(2025, 1, 1), 0, 1),
    ("N4", KELURAHAN, "year", date(2025, 1, 1), 1, 1),
    ("N5", KELURAHAN, "year", date(2025, 1, 1), 0, 1),
    ("N11", KELURAHAN, "year", date(2025, 1, 1), 1, 1),
    ("N11", "73.17", "year", date(2025, 1, 1), 1, 2),
    ("N7", DESA_A, "year", date(2025, 1, 1), 1, 2),
    ("N6", DESA_A, "year", date(2025, 1, 1), 2, 6),
    ("N8", DESA_A, "year", date(2025, 1, 1), 1, 6),
    ("N10", DESA_A, "year", date(2025, 1, 1), 1, 6),
    ("PAUD", DESA_A, "year", date(2025, 1, 1), 1, 2),
]


@pytest.mark.parametrize(
    ("code", "wilayah", "period_type", "period", "numerator", "denominator"),
    HAND_EXPECTED,
    ids=[f"{row[0]}-{row[1]}-{row[3]}" for row in HAND_EXPECTED],
)
def test_hand_fixture_indicator(hand, code, wilayah, period_type, period, numerator, denominator):
    found = rows(
        hand,
        f"select numerator, denominator from ({UNION}) where indicator_code = ? "
        "and wilayah_code = ? and period_type = ? and period_start = ?",
        [code, wilayah, period_type, period],
    )
    assert found == [(numerator, denominator)]


def test_hand_fixture_has_no_other_desa_cells(hand) -> None:
    cells = rows(
        hand,
        f"select indicator_code, wilayah_code, period_start from ({UNION}) "
        "where wilayah_level = 'desa'",
    )
    expected = {(c, w, p) for c, w, _, p, _, _ in HAND_EXPECTED if w != "73.17"}
    assert set(cells) == expected


def test_convergence_level_is_services_received_over_services_expected(hand) -> None:
    # Desa A, Q1 2025: ANC 2/3, TTD 2/3, nifas 1/3, water 1/2, latrine 1/2; no infant, child or
    # PAUD sasaran in Q1 -> 7 of 13 services = 53.85 %, sedang.
    scorecard = rows(
        hand,
        """
        select anc_4_received, anc_4_expected, ttd_90_received, ttd_90_expected,
            nifas_3_received, nifas_3_expected, bumil_safe_water_received,
            bumil_safe_water_expected, bumil_latrine_received, bumil_latrine_expected,
            indicators_available, services_received, services_expected, convergence_pct
        from intermediate.int_scorecard__desa_quarterly
        where desa_code = ? and quarter_start = ?
        """,
        [DESA_A, date(2025, 1, 1)],
    )
    assert scorecard == [(2, 3, 2, 3, 1, 3, 1, 2, 1, 2, 5, 7, 13, pytest.approx(700 / 13))]
    # Q4 holds the yearly PAUD list: 1 of 2.
    q4 = rows(
        hand,
        "select paud_enrolment_received, paud_enrolment_expected, convergence_pct "
        "from intermediate.int_scorecard__desa_quarterly where desa_code = ? and quarter_start = ?",
        [DESA_A, date(2025, 10, 1)],
    )
    assert q4 == [(1, 2, 50.0)]


def test_published_scorecard_suppresses_the_hand_fixture(hand) -> None:
    # Every sasaran count is 1-9: nothing but zeros may be published, and no convergence level.
    published = rows(
        hand,
        "select anc_4_received, anc_4_suppression, convergence_pct, convergence_band, "
        "convergence_suppressed from marts.mart_village_convergence_scorecard "
        "where desa_code = ? and quarter_start = ?",
        [DESA_A, date(2025, 1, 1)],
    )
    assert published == [(None, "primary", None, None, True)]


def test_convergence_band_follows_the_level(sample) -> None:
    con, _ = sample
    wrong = rows(
        con,
        """
        select convergence_pct, convergence_band
        from marts.mart_village_convergence_scorecard
        where convergence_band is distinct from case
            when convergence_pct < 50 then 'rendah'
            when convergence_pct <= 75 then 'sedang'
            when convergence_pct > 75 then 'tinggi'
        end
        """,
    )
    assert wrong == []
