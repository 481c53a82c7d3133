"""The nutrition counts against the sample generator's ground truth, on fault-free exports.

The generator knows, for every desa and month, how many children were measured, how many had a
usable HAZ and how many were stunted (from the true values); after real ingestion and a real dbt
build, the desa totals of the nutrition roll-up must be exactly those numbers.
"""

from __future__ import annotations

import csv

import duckdb
import pytest

from tests._zscore_helpers import dbt_command
from tpps.ingest import SOURCES, ingest_source, load_wilayah
from tpps.privacy import Pseudonymiser
from tpps.sample_data.config import PRESETS
from tpps.sample_data.generate import generate
from tpps.who_tables import load_who_lms_tables


@pytest.fixture(scope="module")
def desa_months(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict]:
    root = tmp_path_factory.mktemp("nutrition_truth")
    generate(PRESETS["tiny"].replace(fault_rate=0.0), root)
    database = root / "warehouse.duckdb"
    with duckdb.connect(database) as con:
        load_wilayah(con)
        load_who_lms_tables(con)
        for source in SOURCES:
            ingest_source(con, source, root / "raw", Pseudonymiser.from_env())
    result = dbt_command(
        "build",
        "--select",
        "+int_nutrition_status__rolled_up",
        "--indirect-selection",
        "cautious",
        duckdb_path=database,
        work_dir=root,
    )
    assert result.returncode == 0, result.stdout[-6000:]
    with duckdb.connect(database, read_only=True) as con:
        built = {
            (desa, month): (measured, with_haz, stunted)
            for desa, month, measured, with_haz, stunted in con.execute(
                "select wilayah_code, strftime(measurement_month, '%Y-%m'), children_measured, "
                "children_haz_valid, children_stunted from "
                "intermediate.int_nutrition_status__rolled_up "
                "where wilayah_level = 'desa' and breakdown_type = 'total'"
            ).fetchall()
        }
    with (root / "ground_truth" / "children_monthly.csv").open() as handle:
        truth = {
            (r["desa_code"], r["month"]): (
                int(r["children_measured"]),
                int(r["children_with_haz"]),
                int(r["children_stunted"]),
            )
            for r in csv.DictReader(handle)
        }
    return built, truth


def test_every_true_desa_month_is_reproduced(desa_months: tuple[dict, dict]) -> None:
    built, truth = desa_months
    assert truth, "the generator wrote no ground truth"
    differences = {
        key: (built.get(key), value) for key, value in truth.items() if built.get(key) != value
    }
    assert not differences, (
        f"{len(differences)} desa-months differ, e.g. {list(differences.items())[:5]}"
    )


def test_no_desa_month_appears_that_the_truth_does_not_know(desa_months: tuple[dict, dict]) -> None:
    built, truth = desa_months
    assert set(built) <= set(truth)
