"""Ingestion of e-PPGBM exports as they really arrive: one fixture per fault class.

Every test loads real files into a real DuckDB file under tmp_path and checks where each row went
(accepted / rejected with which reason and fields / skipped why) and that the tables reconcile.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Sequence
from pathlib import Path

import duckdb
import openpyxl
import pytest

from tpps.ingest import REASONS, SOURCES, IngestReport, ingest_source, reconcile
from tpps.ingest.report import ALREADY_LOADED, LOADED, REJECTED
from tpps.privacy import Pseudonymiser

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
PSEUDONYMISER = Pseudonymiser(b"test-key-for-ingest-fixtures")
SHORT_HEADER = [
    "NIK", "Nama", "JK", "Tgl Lahir", "Kec", "Desa/Kel", "Posyandu", "Tanggal Pengukuran",
    "Berat", "Tinggi", "Cara Ukur",
]  # fmt: skip


def ingest(
    tmp_path: Path, *files: Path, source: str = "eppgbm"
) -> tuple[duckdb.DuckDBPyConnection, IngestReport]:
    """Deliver ``files`` to a fresh raw folder and ingest them into tmp_path/warehouse.duckdb."""
    raw = tmp_path / "raw"
    folder = raw / SOURCES[source].folder
    folder.mkdir(parents=True, exist_ok=True)
    for file in files:
        shutil.copy(file, folder / file.name)
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    return con, ingest_source(con, source, raw, PSEUDONYMISER)


def only_file(report: IngestReport):
    assert len(report.files) == 1
    return report.files[0]


def rejects(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "select location, reason_code, fields from raw.rejects order by source_sheet, source_line"
    ).fetchall()


def counts(report: IngestReport) -> tuple[int, int, int, int]:
    return report.rows_in, report.accepted, report.rejected, report.skipped


def workbook(path: Path, sheets: dict[str, Sequence[Sequence[object]]], merged=()) -> Path:
    """A real XLSX written by openpyxl; ``merged`` = (sheet, range) pairs."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    for title, cells in merged:
        book[title].merge_cells(cells)
    book.save(path)
    return path


# --- file-level faults: the file is rejected with a readable reason ----------------------------


@pytest.mark.parametrize(
    ("fixture", "code", "words"),
    [
        ("zero_bytes.csv", "empty_file", "zero bytes"),
        ("header_only.csv", "header_only", "no data rows"),
        ("truncated_last_line.csv", "truncated_file", "line 4"),
        ("missing_required_column.csv", "missing_required_column", "Tanggal Pengukuran"),
        ("laporan_agustus.pdf", "unsupported_format", "PDF"),
    ],
)
def test_file_level_fault_rejects_the_file(
    tmp_path: Path, fixture: str, code: str, words: str
) -> None:
    con, report = ingest(tmp_path, FIXTURES / fixture)
    file = only_file(report)
    assert (file.status, file.reason_code) == (REJECTED, code)
    assert words in file.reason
    assert counts(report) == (0, 0, 0, 0)
    logged = con.execute("select status, reason_code, reason from raw.ingest_log").fetchall()
    assert logged == [(REJECTED, code, file.reason)]
    assert con.execute("select count(*) from raw.eppgbm").fetchall() == [(0,)]
    assert reconcile(con, "eppgbm") == []


def test_workbook_named_csv_is_a_wrong_extension(tmp_path: Path) -> None:
    disguised = workbook(tmp_path / "book.xlsx", {"Data": [SHORT_HEADER]})
    disguised = disguised.rename(tmp_path / "pengukuran.csv")
    _, report = ingest(tmp_path, disguised)
    file = only_file(report)
    assert (file.status, file.reason_code) == (REJECTED, "wrong_extension")
    assert "rename" in file.reason


def test_corrupt_workbook_is_rejected(tmp_path: Path) -> None:
    whole = workbook(tmp_path / "whole.xlsx", {"Data": [SHORT_HEADER]})
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(whole.read_bytes()[:300])
    _, report = ingest(tmp_path / "load", broken)
    assert only_file(report).reason_code == "corrupt_workbook"


def test_workbook_without_a_matching_sheet_has_no_header(tmp_path: Path) -> None:
    book = workbook(tmp_path / "petunjuk.xlsx", {"Petunjuk": [["Isi data di sheet berikut"]]})
    _, report = ingest(tmp_path / "load", book)
    assert only_file(report).reason_code == "no_header"


# --- readers: delimiters, encodings, titles, quotes, workbooks ----------------------------------


def test_facts_header_with_title_row_semicolons_and_decimal_commas(tmp_path: Path) -> None:
    con, report = ingest(tmp_path, FIXTURES / "clean_semicolon_title.csv")
    assert counts(report) == (3, 3, 0, 0)
    assert only_file(report).new_columns == ("Bulan Pengukuran",)
    rows = con.execute(
        "select source_line, sex, age_days, weight_kg, length_height_cm, measure_position, "
        "muac_cm, desa_code, desa_name, posyandu_name, puskesmas_name, growth_code, has_kia, "
        "vitamin_a_doses, birth_weight_kg, oedema from raw.eppgbm order by source_line"
    ).fetchall()
    assert rows[0] == (
        3, 2, 585, 9.8, 78.5, "l", 14.2, "73.17.07.1001", "TAMPUMIA RADDA", "MAWAR", "BELOPA",
        "N", True, 1, 2.9, None,
    )  # fmt: skip
    assert [r[5] for r in rows] == ["l", "h", "l"]
    assert [r[7] for r in rows] == ["73.17.07.1001", "73.17.07.1005", "73.17.07.2004"]


def test_comma_delimiter_bom_and_crlf(tmp_path: Path) -> None:
    con, report = ingest(tmp_path, FIXTURES / "comma_bom_crlf.csv")
    assert counts(report) == (2, 2, 0, 0)
    assert con.execute("select weight_kg from raw.eppgbm order by 1").fetchall() == [
        (9.8,),
        (11.4,),
    ]


def test_tab_delimited_windows_1252_is_transcoded(tmp_path: Path) -> None:
    con, report = ingest(tmp_path, FIXTURES / "tab_windows1252.csv")
    assert counts(report) == (1, 1, 0, 0)
    # 0x92 (typographic apostrophe) in "To'long" still resolves; 0xE9 becomes "é".
    assert con.execute("select desa_code, posyandu_name from raw.eppgbm").fetchall() == [
        ("73.17.01.2022", "Mélati")
    ]


def test_2025_register_header(tmp_path: Path) -> None:
    con, report = ingest(tmp_path, FIXTURES / "register_2025.csv")
    assert counts(report) == (2, 2, 0, 0)
    assert only_file(report).new_columns == ()
    rows = con.execute(
        "select sex, weight_kg, measure_position, birth_weight_kg, early_breastfeeding, "
        "receives_mbg, parent_key, family_key, child_key from raw.eppgbm order by sex"
    ).fetchall()
    assert [r[:6] for r in rows] == [
        (1, 12.9, "h", 3.1, False, True),
        (2, 10.2, "l", 2.9, True, False),
    ]
    # Siblings share the mother's and the family's pseudonym, and the mother's is her NIK's HMAC.
    assert rows[0][6] == rows[1][6] == PSEUDONYMISER.pseudonymise("7317075003950001")
    assert rows[0][7] == rows[1][7] == PSEUDONYMISER.pseudonymise("7317071002200001")
    assert rows[0][8] != rows[1][8]


def test_blank_lines_repeated_header_and_footer_are_skipped(tmp_path: Path) -> None:
    con, report = ingest(tmp_path, FIXTURES / "blank_repeated_header_footer.csv")
    assert counts(report) == (10, 2, 0, 8)
    assert report.reason_counts == {"blank": 3, "repeated_header": 1, "footer": 4}
    assert con.execute("select source_line from raw.eppgbm order by 1").fetchall() == [(2,), (6,)]
    assert con.execute(
        "select skipped_blank, skipped_repeated_header, skipped_footer from raw.ingest_log"
    ).fetchall() == [(3, 1, 4)]


def test_quoted_newlines_keep_line_numbers_exact(tmp_path: Path) -> None:
    con, report = ingest(tmp_path, FIXTURES / "quoted_newline.csv")
    assert counts(report) == (3, 2, 1, 0)
    # The first record spans lines 2-3, so the next ones are on lines 4 and 5.
    assert rejects(con) == [("4", "invalid_date", ["Tanggal Pengukuran"])]
    assert con.execute(
        "select source_line, posyandu_name from raw.eppgbm order by 1"
    ).fetchall() == [(2, "Mawar; RW 2"), (5, "Mawar")]


def test_ragged_rows_are_rejected_but_trailing_empty_fields_are_not(tmp_path: Path) -> None:
    con, report = ingest(tmp_path, FIXTURES / "ragged_rows.csv")
    assert counts(report) == (4, 2, 2, 0)
    assert rejects(con) == [("3", "wrong_field_count", []), ("5", "wrong_field_count", [])]


def test_invisible_characters_in_labels_and_values(tmp_path: Path) -> None:
    con, report = ingest(tmp_path, FIXTURES / "invisible_characters.csv")
    assert counts(report) == (1, 1, 0, 0)
    assert con.execute(
        "select desa_code, kecamatan_name, desa_name, posyandu_name, weight_kg, sex, "
        "child_key_is_surrogate from raw.eppgbm"
    ).fetchall() == [("73.17.07.1001", "Belopa", "Tampumia Radda", "Mawar", 9.8, 2, False)]


def test_workbook_with_titles_merged_header_instructions_and_footer(tmp_path: Path) -> None:
    book = workbook(
        tmp_path / "pengukuran.xlsx",
        {
            "Petunjuk": [["Isi data pada sheet Data"], ["Kolom NIK wajib 16 digit"]],
            "Data": [
                ["DATA PENGUKURAN BALITA"],
                ["Puskesmas Belopa, Agustus 2024"],
                ["Identitas Anak", None, None, None, "Wilayah", None, None, "Pengukuran"],
                [
                    "NIK",
                    "Nama",
                    "JK",
                    "Tgl Lahir",
                    "Kecamatan",
                    "Desa",
                    "Posyandu",
                    "Tanggal Pengukuran",
                    "Berat (kg)",
                    "Tinggi (cm)",
                    "Cara Ukur",
                ],
                [
                    "7317074501230001",
                    "SITI AISYAH",
                    "P",
                    dt.datetime(2023, 1, 5),
                    "Belopa",
                    "Tampumia Radda",
                    "Mawar",
                    dt.datetime(2024, 8, 12),
                    9.8,
                    78.5,
                    "Terlentang",
                ],
                [
                    7317071203220002,
                    "MUHAMMAD RIZKI",
                    "L",
                    "12/03/2022",
                    "Belopa",
                    "Senga",
                    "Mawar",
                    45516,
                    11.4,
                    86,
                    "Berdiri",
                ],
                [],
                [
                    "7317074106230003",
                    "NAYLA PUTRI",
                    "P",
                    "01/06/2023",
                    "Belopa",
                    "Atlantis",
                    "Mawar",
                    "13/08/2024",
                    8.1,
                    70.2,
                    "Terlentang",
                ],
                ["Jumlah", None, None, None, None, None, None, None, 29.3],
                [None, None, None, None, None, None, None, "Belopa, 31 Agustus 2024"],
                [None, None, None, None, None, None, None, "Kepala Puskesmas"],
            ],
        },
        merged=[("Data", "A3:D3"), ("Data", "E3:G3"), ("Data", "H3:K3")],
    )
    con, report = ingest(tmp_path, book)
    file = only_file(report)
    assert file.sheets == ("Data",)
    assert counts(report) == (7, 2, 1, 4)
    assert report.reason_counts == {"blank": 1, "footer": 3, "unknown_desa": 1}
    assert rejects(con) == [("Data!8", "unknown_desa", ["Desa", "Kecamatan"])]
    rows = con.execute(
        "select source_sheet, source_line, measurement_date, age_days, flag_nik_invalid, "
        "child_key_is_surrogate from raw.eppgbm order by source_line"
    ).fetchall()
    # A NIK stored as a number keeps only 15 significant digits in Excel: never trusted.
    assert rows == [
        ("Data", 5, dt.date(2024, 8, 12), 585, False, False),
        ("Data", 6, dt.date(2024, 8, 12), 884, True, True),
    ]


# --- normalisation and row-level reasons --------------------------------------------------------


def test_date_formats_and_impossible_dates(tmp_path: Path) -> None:
    con, report = ingest(tmp_path, FIXTURES / "dates.csv")
    assert counts(report) == (7, 4, 3, 0)
    assert con.execute(
        "select measurement_date, age_days from raw.eppgbm order by source_line"
    ).fetchall() == [
        (dt.date(2024, 8, 12), 585),  # ISO
        (dt.date(2024, 8, 12), 884),  # d-m-yy birth date, "12 Agustus 2024"
        (dt.date(2024, 8, 13), 439),  # "1 Juni 2023", Excel serial 45517
        (dt.date(2024, 8, 13), 790),  # dd.mm.yyyy, "13 Agt 2024"
    ]
    assert rejects(con) == [
        ("6", "invalid_date", ["Tanggal Pengukuran"]),  # 31 Juni
        ("7", "invalid_date", ["Tanggal Pengukuran"]),  # 29/02/2023
        ("8", "invalid_date", ["Tanggal Pengukuran"]),  # "kemarin"
    ]


def test_sex_and_position_codes(tmp_path: Path) -> None:
    con, report = ingest(tmp_path, FIXTURES / "codes.csv")
    assert counts(report) == (6, 4, 2, 0)
    assert con.execute(
        "select sex, measure_position from raw.eppgbm order by source_line"
    ).fetchall() == [(2, "l"), (1, "h"), (2, "l"), (1, None)]
    assert rejects(con) == [("6", "invalid_code", ["JK"]), ("7", "invalid_code", ["Cara Ukur"])]


def test_invalid_nik_keeps_a_surrogate_key_and_a_flag(tmp_path: Path) -> None:
    con, report = ingest(tmp_path, FIXTURES / "nik_variants.csv")
    assert counts(report) == (6, 5, 1, 0)
    rows = con.execute(
        "select source_line, child_key, child_key_is_surrogate, flag_nik_invalid "
        "from raw.eppgbm order by source_line"
    ).fetchall()
    valid_key = PSEUDONYMISER.pseudonymise("7317074501230001")
    assert rows[0][1:] == (valid_key, False, False)
    # Scientific notation, 15 digits and a blank NIK: one surrogate (same child), never merged
    # with the child's real NIK.
    surrogates = {r[1] for r in rows[1:4]}
    assert len(surrogates) == 1 and valid_key not in surrogates
    assert [(r[2], r[3]) for r in rows[1:4]] == [(True, True), (True, True), (True, False)]
    # A leading apostrophe (Excel's "keep as text") is not part of the NIK.
    assert rows[4][1:] == (PSEUDONYMISER.pseudonymise("7317071203220002"), False, False)
    assert rejects(con) == [("7", "missing_required", ["NIK", "Nama"])]


def test_desa_resolved_by_name_only_inside_its_kecamatan(tmp_path: Path) -> None:
    con, report = ingest(tmp_path, FIXTURES / "desa_resolution.csv")
    assert counts(report) == (7, 5, 2, 0)
    assert con.execute("select desa_code from raw.eppgbm order by source_line").fetchall() == [
        ("73.17.01.2022",),  # "TO LONG" = To'long
        ("73.17.05.2003",),  # Buntu Batu of Bua Ponrang ...
        ("73.17.01.2017",),  # ... and of Basse Sangtempe
        ("73.17.05.2003",),  # "Bupon" = Bua Ponrang
        ("73.17.09.2024",),  # "Kec. Lamasi" / "Desa Awo Gading" = Awo' Gading
    ]
    assert rejects(con) == [
        ("6", "unknown_desa", ["Desa/Kel", "Kec"]),  # no Buntu Batu in Belopa
        ("8", "missing_required", ["Kec"]),
    ]


def test_plausibility_rejects_and_flags(tmp_path: Path) -> None:
    con, report = ingest(tmp_path, FIXTURES / "plausibility.csv")
    assert counts(report) == (8, 2, 6, 0)
    assert rejects(con) == [
        ("2", "out_of_range", ["Tinggi"]),  # 785: millimetres
        ("3", "out_of_range", ["Berat"]),  # 11400: grams
        ("4", "age_out_of_range", ["Tgl Lahir"]),  # 1900 days
        ("5", "birth_after_event", ["Tgl Lahir"]),
        ("6", "date_in_future", ["Tanggal Pengukuran"]),
        ("9", "out_of_range", ["Berat"]),  # 98 kg at 15 months: 9,8 lost its comma
    ]
    # 42 kg at 4.5 years and 0.9 kg are possible but unusual; lying at 4.5 years is flagged.
    assert con.execute(
        "select weight_kg, flag_weight_kg_unusual, flag_position_age_mismatch "
        "from raw.eppgbm order by source_line"
    ).fetchall() == [(42.0, True, True), (0.9, True, False)]


def test_duplicates_within_a_file(tmp_path: Path) -> None:
    con, report = ingest(tmp_path, FIXTURES / "duplicates.csv")
    assert counts(report) == (5, 2, 2, 1)
    assert report.reason_counts == {"duplicate_exact": 1, "duplicate_conflict": 2}
    # Exact repeat: the first row stays. Conflict: both rows go, naming the differing column.
    assert con.execute("select source_line from raw.eppgbm order by 1").fetchall() == [(2,), (6,)]
    assert rejects(con) == [
        ("4", "duplicate_conflict", ["Berat"]),
        ("5", "duplicate_conflict", ["Berat"]),
    ]


# --- batches and re-delivery --------------------------------------------------------------------


def test_good_and_bad_files_in_one_batch(tmp_path: Path) -> None:
    files = [
        "clean_semicolon_title.csv", "zero_bytes.csv", "plausibility.csv",
        "truncated_last_line.csv", "register_2025.csv", "laporan_agustus.pdf",
        "blank_repeated_header_footer.csv",
    ]  # fmt: skip
    con, report = ingest(tmp_path, *(FIXTURES / name for name in files))
    statuses = {f.file_name: (f.status, f.reason_code) for f in report.files}
    assert statuses == {
        "blank_repeated_header_footer.csv": (LOADED, None),
        "clean_semicolon_title.csv": (LOADED, None),
        "laporan_agustus.pdf": (REJECTED, "unsupported_format"),
        "plausibility.csv": (LOADED, None),
        "register_2025.csv": (LOADED, None),
        "truncated_last_line.csv": (REJECTED, "truncated_file"),
        "zero_bytes.csv": (REJECTED, "empty_file"),
    }
    # Files load in name order: the children of blank_repeated_header_footer.csv come back on the
    # same day with other values in clean_semicolon_title.csv, so those two rows conflict.
    assert counts(report) == (23, 7, 8, 8)
    assert report.reason_counts == {
        "age_out_of_range": 1, "birth_after_event": 1, "blank": 3, "date_in_future": 1,
        "duplicate_conflict": 2, "footer": 4, "out_of_range": 3, "repeated_header": 1,
    }  # fmt: skip
    assert reconcile(con, "eppgbm") == []
    metadata = report.metadata()
    assert metadata["files_loaded"] == 4 and metadata["files_rejected"] == 3
    problems = report.file_problems()
    assert any("truncated_last_line.csv: rejected (truncated_file)" in p for p in problems)
    assert any("plausibility.csv: 6 of 8 rows rejected" in p for p in problems)


def test_same_file_twice_is_loaded_once(tmp_path: Path) -> None:
    con, first = ingest(tmp_path, FIXTURES / "clean_semicolon_title.csv")
    renamed = tmp_path / "clean_semicolon_title_again.csv"
    shutil.copy(FIXTURES / "clean_semicolon_title.csv", renamed)
    second = ingest_source(con, "eppgbm", tmp_path / "raw", PSEUDONYMISER)
    assert counts(first) == (3, 3, 0, 0)
    assert [(f.status, f.accepted) for f in second.files] == [(ALREADY_LOADED, 0)]
    (tmp_path / "raw" / "eppgbm" / renamed.name).write_bytes(renamed.read_bytes())
    third = ingest_source(con, "eppgbm", tmp_path / "raw", PSEUDONYMISER)
    assert {f.status for f in third.files} == {ALREADY_LOADED}
    assert "clean_semicolon_title.csv" in third.files[1].reason
    assert con.execute("select count(*) from raw.eppgbm").fetchall() == [(3,)]
    assert con.execute("select count(*) from raw.ingest_log").fetchall() == [(1,)]
    assert reconcile(con, "eppgbm") == []


def test_overlapping_redelivery_collapses_repeats_and_rejects_changes(tmp_path: Path) -> None:
    con, _ = ingest(tmp_path, FIXTURES / "duplicates.csv")
    later = tmp_path / "raw" / "eppgbm" / "september.csv"
    later.write_text(
        ";".join(SHORT_HEADER) + "\n"
        "7317074501230001;SITI AISYAH;P;05/01/2023;Belopa;Tampumia Radda;Mawar;12/08/2024;9,8;"
        "78,5;Terlentang\n"
        "7317074106230003;NAYLA PUTRI;P;01/06/2023;Belopa;Kurrusumanga;Mawar;13/08/2024;8,1;"
        "71,0;Terlentang\n"
        "7317074106230003;NAYLA PUTRI;P;01/06/2023;Belopa;Kurrusumanga;Mawar;12/09/2024;8,4;"
        "71,5;Terlentang\n",
        encoding="utf-8",
    )
    report = ingest_source(con, "eppgbm", tmp_path / "raw", PSEUDONYMISER)
    september = next(f for f in report.files if f.file_name == "september.csv")
    assert (september.accepted, september.rejected, september.skipped) == (1, 1, 1)
    assert september.reason_counts == {"duplicate_exact": 1, "duplicate_conflict": 1}
    assert con.execute(
        "select fields from raw.rejects where file_name = 'september.csv'"
    ).fetchall() == [(["Tinggi"],)]
    assert reconcile(con, "eppgbm") == []


def test_reconcile_reports_rows_that_disappeared(tmp_path: Path) -> None:
    con, _ = ingest(tmp_path, FIXTURES / "duplicates.csv")
    con.execute("delete from raw.eppgbm where source_line = 2")
    assert reconcile(con, "eppgbm") == ["duplicates.csv: log says 2 accepted, raw.eppgbm has 1"]


def test_every_reason_code_used_here_is_documented() -> None:
    documented = (Path(__file__).parents[1] / "docs" / "ingestion.md").read_text()
    assert all(f"`{code}`" in documented for code in REASONS)


def test_contract_documentation_is_current() -> None:
    from tpps.ingest.describe import DOC, generated_section

    assert generated_section() in DOC.read_text(encoding="utf-8"), (
        "docs/ingestion.md is stale: run python -m tpps.ingest.describe"
    )


# --- master tables ------------------------------------------------------------------------------


def test_master_tables_share_a_folder_and_resolve_desa_by_code(tmp_path: Path) -> None:
    master = sorted((FIXTURES / "master").iterdir())
    con, posyandu = ingest(tmp_path, *master, source="master_posyandu")
    assert [f.file_name for f in posyandu.files] == ["posyandu.csv"]
    assert counts(posyandu) == (4, 3, 1, 0)
    assert rejects(con) == [("5", "unknown_desa", ["kode_desa"])]
    assert con.execute(
        "select posyandu_code, desa_code from raw.master_posyandu order by 1"
    ).fetchall() == [
        ("731701202201", "73.17.01.2022"),  # undotted code
        ("731707100101", "73.17.07.1001"),
        ("731707100501", "73.17.07.1005"),
    ]
    sasaran = ingest_source(con, "master_sasaran", tmp_path / "raw", PSEUDONYMISER)
    puskesmas = ingest_source(con, "master_puskesmas", tmp_path / "raw", PSEUDONYMISER)
    assert counts(sasaran) == (3, 3, 0, 0) and counts(puskesmas) == (3, 3, 0, 0)
    assert con.execute(
        "select year, target_under_five from raw.master_sasaran where desa_code = '73.17.07.1001' "
        "order by year"
    ).fetchall() == [(2024, 260), (2025, 255)]


def test_a_changed_master_row_is_a_newer_version(tmp_path: Path) -> None:
    con, _ = ingest(tmp_path, FIXTURES / "master" / "posyandu.csv", source="master_posyandu")
    update = tmp_path / "raw" / "master" / "posyandu_2026.csv"
    update.write_text(
        "kode_posyandu,nama_posyandu,kode_desa,nama_desa,kode_puskesmas\n"
        "731707100101,Mawar,73.17.07.1001,Tampumia Radda,P73170701\n"
        "731707100501,Melati Indah,73.17.07.1005,Senga,P73170701\n",
        encoding="utf-8",
    )
    report = ingest_source(con, "master_posyandu", tmp_path / "raw", PSEUDONYMISER)
    latest = next(f for f in report.files if f.file_name == "posyandu_2026.csv")
    assert (latest.accepted, latest.rejected, latest.skipped) == (1, 0, 1)
    assert con.execute(
        "select posyandu_name from raw.master_posyandu where posyandu_code = '731707100501' "
        "order by ingested_at, source_file"
    ).fetchall() == [("Melati",), ("Melati Indah",)]
    assert reconcile(con, "master_posyandu") == []
