"""Every source of the generated sample loads, and every planted fault ends where it should.

The sample generator (tpps.sample_data) writes exports as the real systems deliver them and
records each planted fault with its file and line in ground_truth/faults.csv; this test joins
that list to raw.*, raw.rejects and raw.ingest_log.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tpps.config import PROJECT_ROOT
from tpps.ingest import SOURCES, ingest_source, reconcile
from tpps.privacy import Pseudonymiser

ACCEPTED, SKIPPED = "accepted", "skipped"
# Where a planted fault must end: a reject reason, a file-level reason, accepted or skipped.
EXPECTED = {
    # Accepted when the swapped date exists, unless it then contradicts another date.
    "swapped_day_month": {
        "invalid_date",
        ACCEPTED,
        "birth_after_event",
        "date_in_future",
        "age_out_of_range",
    },
    "indonesian_month_date": {ACCEPTED},
    "excel_serial_date": {ACCEPTED},
    "nik_scientific": {ACCEPTED},  # with flag_<column>_invalid and a surrogate key
    "nik_15_digits": {ACCEPTED},
    "unknown_desa": {"unknown_desa", ACCEPTED},  # see test_misspelt_desa_is_never_guessed
    "trailing_space": {ACCEPTED},
    "lost_decimal": {"out_of_range"},
    "height_mm": {"out_of_range"},
    "weight_grams": {"out_of_range"},
    "birth_after_event": {"birth_after_event"},
    "position_age_mismatch": {ACCEPTED},  # with flag_position_age_mismatch
    "duplicate_exact": {SKIPPED},
    "duplicate_conflict": {"duplicate_conflict"},
    "blank_row": {SKIPPED},
    "repeated_header": {SKIPPED},
    "jumlah_footer": {SKIPPED},
    "invisible_header_char": {SKIPPED},  # recorded on the header row; the file loads
    "cp1252_encoding": {"file_loaded"},
    "empty_file": {"file:empty_file"},
    "header_only": {"file:header_only"},
    "truncated_file": {"file:truncated_file"},
}
# The stored desa code of a desa name column, where it is not desa_code.
DESA_OUTPUT = {
    "Desa/Kelurahan Satuan": "unit_desa_code",
    "Desa/Kelurahan Domisili": "home_desa_code",
}


PSEUDONYMISER = Pseudonymiser(b"sample-test-key")
MASTERS_FIRST = sorted(SOURCES, key=lambda source: not source.startswith("master"))


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("sample")
    subprocess.run(
        [sys.executable, "-m", "tpps.sample_data", "--data-dir", str(data_dir), "--preset",
         "tiny", "--file-faults"],
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
    )  # fmt: skip
    return data_dir


@pytest.fixture(scope="module")
def loaded(sample_dir: Path) -> duckdb.DuckDBPyConnection:
    """The sample ingested with the default batches (several files per transaction)."""
    data_dir = sample_dir
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"))
    for source in MASTERS_FIRST:
        ingest_source(con, source, data_dir / "raw", PSEUDONYMISER)
    con.execute(
        "create temp table faults as select * from read_csv(?, all_varchar = true)",
        [str(data_dir / "ground_truth" / "faults.csv")],
    )
    con.execute(
        "create temp table truth as select * from read_csv(?)",
        [str(data_dir / "ground_truth" / "measurements.csv")],
    )
    return con


def test_batches_give_the_same_tables_as_one_file_at_a_time(
    loaded: duckdb.DuckDBPyConnection, sample_dir: Path, tmp_path: Path
) -> None:
    """Duplicates across files, windows over a file and rejected files are judged per file in
    a batch exactly as when every file is its own transaction."""
    single = duckdb.connect(str(tmp_path / "one_file_per_batch.duckdb"))
    for source in MASTERS_FIRST:
        ingest_source(single, source, sample_dir / "raw", PSEUDONYMISER, batch_bytes=1)
    [(eppgbm_files,)] = loaded.execute(
        "select count(distinct file_sha256) from raw.ingest_log where source = 'eppgbm'"
    ).fetchall()
    assert eppgbm_files > 5  # one batch by default, one per file here
    single.close()
    loaded.execute(f"attach '{tmp_path / 'one_file_per_batch.duckdb'}' as single (read_only)")
    try:
        for table in [*SOURCES, "rejects", "ingest_log"]:
            columns = ", ".join(
                f'"{name}"'
                for name, *_ in loaded.execute(f"select * from raw.{table} limit 0").description
                if name != "ingested_at"
            )
            [(only_batched, only_single, rows)] = loaded.execute(
                f"select (select count(*) from (select {columns} from raw.{table} except all "
                f"select {columns} from single.raw.{table})), (select count(*) from (select "
                f"{columns} from single.raw.{table} except all select {columns} from "
                f"raw.{table})), (select count(*) from raw.{table})"
            ).fetchall()
            assert (only_batched, only_single) == (0, 0), table
            assert rows > 0, table
    finally:
        loaded.execute("detach single")


def test_every_source_loads_and_reconciles(loaded: duckdb.DuckDBPyConnection) -> None:
    for source in SOURCES:
        assert reconcile(loaded, source) == [], source
        [(accepted,)] = loaded.execute(f"select count(*) from raw.{source}").fetchall()
        assert accepted > 0, f"nothing accepted from {source}"
    new_columns = loaded.execute(
        "select source, file_name, new_columns from raw.ingest_log where new_columns <> []"
    ).fetchall()
    assert new_columns == []


def test_planted_faults_end_where_they_should(loaded: duckdb.DuckDBPyConnection) -> None:
    accepted = " union all ".join(
        f"select '{source}' as source, source_file, source_sheet, source_line, "
        f"'{ACCEPTED}' as outcome from raw.{source}"
        for source in SOURCES
    )
    outcomes = loaded.execute(
        f"with rows as ({accepted} union all select source, file_name, source_sheet, "
        "source_line, reason_code from raw.rejects) "
        "select f.source, f.fault_code, f.field, f.file, f.line, coalesce("
        "case when l.status = 'rejected' then 'file:' || l.reason_code end, r.outcome, "
        f"case when f.line is null then 'file_loaded' else '{SKIPPED}' end) "
        "from faults f "
        "left join raw.ingest_log l on f.file = l.source || '/' || l.file_name "
        "left join rows r on f.file = r.source || '/' || r.source_file "
        "and coalesce(f.sheet, '') = coalesce(r.source_sheet, '') "
        "and try_cast(f.line as integer) = r.source_line"
    ).fetchall()
    assert len(outcomes) > 100
    assert [row for row in outcomes if row[5] not in EXPECTED[row[1]]] == []


def test_misspelt_desa_is_never_guessed(loaded: duckdb.DuckDBPyConnection) -> None:
    """A planted misspelling is rejected, unless the row still reaches the true desa honestly:
    by its desa code (Verval KRS), or because the "typo" was a doubled space."""
    faults = loaded.execute(
        "select source, file, line, field, substr(detail, 6) from faults "
        "where fault_code = 'unknown_desa'"
    ).fetchall()
    assert faults
    for source, file, line, field, true_name in faults:
        output = DESA_OUTPUT.get(field, "desa_code")
        relation = f"raw.{source}"
        [(rejected,)] = loaded.execute(
            "select count(*) from raw.rejects where source = ? and source || '/' || file_name = ? "
            "and source_line = ? and reason_code = 'unknown_desa'",
            [source, file, int(line)],
        ).fetchall()
        resolved = loaded.execute(
            f"select w.desa_name from {relation} r left join reference.wilayah_desa w "
            f"on w.desa_code = r.{output} where '{source}/' || r.source_file = ? "
            "and r.source_line = ?",
            [file, int(line)],
        ).fetchall()
        assert rejected or resolved == [(true_name,)], (file, line, field)


def test_accepted_measurements_equal_the_true_values(loaded: duckdb.DuckDBPyConnection) -> None:
    """Rows without a planted fault: desa, sex, age, date and measurements exactly as true."""
    differences = loaded.execute(
        "select count(*), count(*) filter (where e.desa_code <> t.desa_code or e.sex <> t.sex "
        "or e.age_days <> t.age_days or e.measurement_date <> t.measurement_date "
        "or e.weight_kg <> t.weight_kg or e.length_height_cm <> t.length_height_cm "
        "or e.measure_position <> t.position) "
        "from raw.eppgbm e join truth t on t.file = 'eppgbm/' || e.source_file "
        "and coalesce(t.sheet, '') = coalesce(e.source_sheet, '') and t.line = e.source_line "
        "where not exists (select 1 from faults f where f.file = t.file "
        "and coalesce(f.sheet, '') = coalesce(t.sheet, '') "
        "and try_cast(f.line as integer) = t.line)"
    ).fetchall()
    [(compared, different)] = differences
    assert compared > 1000 and different == 0
