"""The sample generator: real regions, reproducible bytes, readable exports, true ground truth.

Small samples (the tiny preset: two kecamatan, one quarter) are generated once per session into
temporary folders; each test reads them with plain readers (csv, pandas, openpyxl).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from tpps import regions
from tpps.config import PROJECT_ROOT
from tpps.sample_data import (
    CATALOGUE,
    PRESETS,
    SOURCES,
    SampleConfig,
    bansos,
    elsimil,
    eppgbm,
    generate,
    imunisasi,
    kohort_ibu,
    krs,
    paud,
    stbm,
    ttd_remaja,
    who,
)
from tpps.sample_data.__main__ import main
from tpps.sample_data.exports import Form, Kind
from tpps.sample_data.faults import BULAN, letters_only
from tpps.sample_data.generate import OutputNotEmpty

SHARED = PROJECT_ROOT.parent / "shared" / "domain"
FORMS: dict[str, Form] = {
    module.FORM.source: module.FORM
    for module in (eppgbm, kohort_ibu, imunisasi, stbm, krs, bansos, paud, elsimil, ttd_remaja)
}
INVISIBLE = dict.fromkeys(map(ord, "\u200b\ufeff\u00a0"))
LUWU_DESA = {d.name.strip().upper() for d in regions.desa_of("73.17")}


# --- samples ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def clean_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Tiny sample without planted faults."""
    root = tmp_path_factory.mktemp("clean")
    generate(PRESETS["tiny"].replace(seed=11, fault_rate=0.0), root)
    return root


@pytest.fixture(scope="session")
def faulty_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Tiny sample with many faults, file-level ones included."""
    root = tmp_path_factory.mktemp("faulty")
    generate(PRESETS["tiny"].replace(seed=5, fault_rate=0.12, file_faults=True), root)
    return root


def _truth(root: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(root / "ground_truth" / f"{name}.csv", dtype=str, keep_default_na=False)


def _files(root: Path) -> pd.DataFrame:
    return _truth(root, "files")


def _header_end(record: pd.Series) -> int:
    return int(record["header_rows"].split("-")[-1])


def _rows(root: Path, record: pd.Series) -> list[list[object]]:
    """Every row of a file as a plain reader sees it: CSV text cells, XLSX typed cells."""
    path = root / "raw" / record["file"]
    if record["format"] == "xlsx":
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        rows = [list(r) for r in book[record["sheet"]].iter_rows(values_only=True)]
        book.close()
        return rows
    encoding = "utf-8-sig" if record["encoding"] == "utf-8" else record["encoding"]
    text = path.read_bytes().decode(encoding)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=record["delimiter"]))


def _labels(row: list[object]) -> list[str]:
    return [str(c).translate(INVISIBLE) if c is not None else "" for c in row]


# --- regions ------------------------------------------------------------------------------------


def test_regions_are_the_real_luwu_codes() -> None:
    kecamatan = regions.kecamatan_of("73.17")
    desa = regions.desa_of("73.17")
    assert [k.code for k in kecamatan] == [f"73.17.{i:02d}" for i in range(1, 23)]
    assert len(desa) == 227 and sum(d.is_kelurahan for d in desa) == 20
    assert all(re.fullmatch(r"73\.17\.\d\d\.[12]\d{3}", d.code) for d in desa)
    names = [d.name for d in desa]
    assert {"To'long", "Se'pon", "Awo' Gading"} <= set(names)  # apostrophes kept
    repeated = {n for n in names if names.count(n) > 1}
    assert {"Buntu Batu", "Padang Kalua", "Pangi", "Salubua"} <= repeated
    assert regions.name_of("73.17") == "KAB. LUWU"
    order = regions.kabupaten_near("73.17")
    assert order[0] == "73.17" and len(order) == 514
    assert all(code.startswith("73.") for code in order[1:24])


def test_kecamatan_desa_counts_match_the_reference_list() -> None:
    reference = SHARED / "luwu_kecamatan.csv"
    if not reference.exists():
        pytest.skip("../shared is not present")
    expected = {
        row["kode_kecamatan"]: int(row["n_total"])
        for row in csv.DictReader(reference.open(encoding="utf-8"))
    }
    counted: dict[str, int] = {}
    for d in regions.desa_of("73.17"):
        counted[d.kecamatan_code] = counted.get(d.kecamatan_code, 0) + 1
    assert counted == expected


def test_generated_regions_are_luwu_codes(clean_sample: Path) -> None:
    codes = {d.code for d in regions.desa_of("73.17")}
    for name in ("measurements", "children_monthly", "coverage"):
        assert set(_truth(clean_sample, name)["desa_code"]) <= codes
    posyandu = pd.read_csv(clean_sample / "raw/master/posyandu.csv", dtype=str)
    assert set(posyandu["kode_desa"]) <= codes
    per_desa = posyandu.groupby("kode_desa").size()
    assert per_desa.between(2, 6).all()


# --- determinism --------------------------------------------------------------------------------


def _digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    config = PRESETS["tiny"].replace(file_faults=True)
    generate(config, tmp_path / "a")
    generate(config, tmp_path / "b")
    generate(config.replace(seed=config.seed + 1), tmp_path / "c")
    a, b, c = (_digest(tmp_path / name) for name in "abc")
    assert a == b
    assert any(name.endswith(".xlsx") for name in a)
    eppgbm = [name for name in a if name.startswith("raw/eppgbm/")]
    assert all(a[name] != c.get(name) for name in eppgbm)


def test_existing_exports_are_not_overwritten_silently(tmp_path: Path) -> None:
    small = ["--preset", "tiny", "--kecamatan-limit", "1", "--months", "1", "--children", "60"]
    assert main(["--data-dir", str(tmp_path), *small]) == 0
    assert main(["--data-dir", str(tmp_path), *small]) == 2
    assert main(["--data-dir", str(tmp_path), *small, "--overwrite", "--seed", "9"]) == 0
    with pytest.raises(OutputNotEmpty):
        generate(SampleConfig(children=60, months=1, kecamatan_limit=1), tmp_path)


# --- every source parses ------------------------------------------------------------------------


def test_every_source_is_delivered(clean_sample: Path) -> None:
    files = _files(clean_sample)
    assert set(files["source"]) == set(SOURCES)
    on_disk = {
        p.relative_to(clean_sample / "raw").as_posix()
        for p in (clean_sample / "raw").rglob("*")
        if p.is_file()
    }
    assert on_disk == set(files["file"])
    assert not (clean_sample / "raw" / "ground_truth").exists()


def _read_with_pandas(root: Path, record: pd.Series, form: Form) -> pd.DataFrame:
    """The documented way to read an export: skip title rows, decimal comma for ';' files,
    identifiers and names as text."""
    text = {c.label: str for c in form.columns if c.kind not in (Kind.NUMBER, Kind.DATE)}
    path = root / "raw" / record["file"]
    first_header = int(record["header_rows"].split("-")[0])
    header = [0, 1] if "-" in record["header_rows"] else 0
    if record["format"] == "xlsx":
        frame = pd.read_excel(
            path, sheet_name=record["sheet"], skiprows=first_header - 1, header=header, dtype=object
        )
    else:
        frame = pd.read_csv(
            path,
            sep=record["delimiter"],
            skiprows=first_header - 1,
            header=header,
            encoding="utf-8-sig",
            decimal="," if record["delimiter"] == ";" else ".",
            dtype=text,
        )
    if header != 0:  # merged group labels over the real ones: keep the lower label
        frame.columns = [
            low if not str(low).startswith("Unnamed") else up for up, low in frame.columns
        ]
    return frame


def test_every_export_parses_with_a_plain_reader(clean_sample: Path) -> None:
    for _, record in _files(clean_sample).iterrows():
        if record["source"] == "master":
            frame = pd.read_csv(clean_sample / "raw" / record["file"])
            assert len(frame) == int(record["data_rows"])
            continue
        form = FORMS[record["source"]]
        frame = _read_with_pandas(clean_sample, record, form)
        assert [str(c).translate(INVISIBLE) for c in frame.columns] == list(form.labels), record[
            "file"
        ]
        assert len(frame) == int(record["data_rows"]), record["file"]
        for column in form.columns:
            values = frame[column.label].dropna()
            if column.kind is Kind.NUMBER and record["format"] == "csv":
                assert pd.api.types.is_numeric_dtype(values), (record["file"], column.label)
            elif column.kind is Kind.DATE:
                parsed = pd.to_datetime(
                    values, format="%d/%m/%Y" if record["format"] == "csv" else None
                )
                assert parsed.notna().all(), (record["file"], column.label)
            elif column.kind is Kind.NIK:
                assert values.astype(str).str.fullmatch(r"\d{16}").all(), record["file"]
            elif column.kind is Kind.DESA:
                assert values.str.strip().str.upper().isin(LUWU_DESA).all(), record["file"]


def test_eppgbm_header_is_word_for_word(clean_sample: Path) -> None:
    files = _files(clean_sample)
    record = files[files["source"] == "eppgbm"].iloc[0]
    rows = _rows(clean_sample, record)
    assert "e-PPGBM" in str(rows[0][0])  # title row above the header
    assert rows[1][:11] == [
        "NIK",
        "Nama",
        "JK",
        "Tgl Lahir",
        "BB Lahir",
        "TB Lahir",
        "Nama Ortu",
        "Prov",
        "Kab/Kota",
        "Kec",
        "Pukesmas",
    ]
    assert re.fullmatch(
        r"\d+ Tahun - \d+ Bulan - \d+ Hari", rows[2][FORMS["eppgbm"].labels.index("Usia Saat Ukur")]
    )


def test_kohort_ibu_has_a_merged_two_row_header(clean_sample: Path) -> None:
    files = _files(clean_sample)
    record = files[files["source"] == "kohort_ibu"].iloc[0]
    book = openpyxl.load_workbook(clean_sample / "raw" / record["file"])
    sheet = book[record["sheet"]]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert "B3:K3" in merged and "A3:A4" in merged  # "Identitas Ibu" over 10 columns; "No"
    assert sheet["B3"].value == "Identitas Ibu" and sheet["B4"].value == "NIK"
    assert book.properties.created == dt.datetime(2000, 1, 1)


def test_truth_lines_point_at_the_measured_rows(faulty_sample: Path) -> None:
    """Rows without a planted fault carry exactly the true values the truth lists for them."""
    files = {record["file"]: record for _, record in _files(faulty_sample).iterrows()}
    truth = _truth(faulty_sample, "measurements")
    faults = _truth(faulty_sample, "faults")
    faulty = set(zip(faults["file"], faults["line"], strict=True))
    labels = FORMS["eppgbm"].labels
    checked = 0
    for file, rows in truth.groupby("file"):
        cells = _rows(faulty_sample, files[file])
        for _, true in rows.iterrows():
            if (file, true["line"]) in faulty:
                continue
            row = dict(zip(labels, cells[int(true["line"]) - 1], strict=True))
            date = dt.date.fromisoformat(true["measurement_date"])
            birth = date - dt.timedelta(days=int(true["age_days"]))
            assert _as_date(row["Tanggal Pengukuran"]) == date
            assert _as_date(row["Tgl Lahir"]) == birth
            assert _as_float(row["Berat"]) == float(true["weight_kg"])
            assert _as_float(row["Tinggi"]) == float(true["length_height_cm"])
            assert (
                str(row["Cara Ukur"]).lower()
                == {"l": "terlentang", "h": "berdiri"}[true["position"]]
            )
            assert (row["JK"] == "P") == (true["sex"] == "2")
            checked += 1
    assert checked > 1000


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    return dt.datetime.strptime(str(value), "%d/%m/%Y").date()


def _as_float(value: object) -> float:
    return float(str(value).replace(",", "."))


def test_children_monthly_counts_the_true_measurements(clean_sample: Path) -> None:
    truth = pd.read_csv(clean_sample / "ground_truth/measurements.csv")
    assert (
        who.haz(
            truth["sex"].to_numpy(),
            truth["age_days"].to_numpy(),
            truth["length_height_cm"].to_numpy(),
            (truth["position"] == "h").to_numpy(float),
        )
        == truth["haz"]
    ).all()
    truth["month"] = truth["measurement_date"].str[:7]
    valid = truth["haz"].abs() <= 6
    expected = (
        truth.assign(with_haz=valid, stunted=valid & (truth["haz"] < -2))
        .groupby(["desa_code", "month"])
        .agg(
            children_measured=("child_id", "nunique"),
            children_with_haz=("with_haz", "sum"),
            children_stunted=("stunted", "sum"),
        )
    )
    monthly = (
        pd.read_csv(clean_sample / "ground_truth/children_monthly.csv")
        .set_index(["desa_code", "month"])
        .sort_index()
    )
    pd.testing.assert_frame_equal(monthly, expected.sort_index(), check_dtype=False)
    assert (monthly["children_measured"] >= 10).any()  # some cells survive suppression


def test_coverage_truth_is_consistent(clean_sample: Path) -> None:
    coverage = pd.read_csv(clean_sample / "ground_truth/coverage.csv")
    assert set(coverage["indicator_code"]) == {
        "S1",
        "S2",
        "S3",
        "S8",
        "S9",
        "ANC4",
        "ANC6",
        "N1",
        "N3",
        "N4",
        "N5",
        "N6",
        "N7",
        "N8",
        "N10",
        "N11",
        "PAUD",
    }
    assert (coverage["numerator"] <= coverage["denominator"]).all()
    assert (coverage["denominator"] > 0).all()
    rate = coverage.groupby("indicator_code")[["numerator", "denominator"]].sum()
    share = rate["numerator"] / rate["denominator"]
    assert share.between(0.01, 0.999).all(), share  # gaps exist, and nothing is empty
    per_desa = coverage[coverage["indicator_code"] == "N7"]
    assert (per_desa["numerator"] / per_desa["denominator"]).std() > 0.02  # gaps differ by desa


# --- planted faults -----------------------------------------------------------------------------


def test_fault_catalogue_is_documented() -> None:
    doc = (PROJECT_ROOT / "docs" / "sample_data.md").read_text(encoding="utf-8")
    section = doc.split("## Planted faults", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([a-z0-9_]+)` \|", section, flags=re.MULTILINE))
    assert documented == {fault.code for fault in CATALOGUE}


def test_every_fault_code_is_planted_and_really_there(faulty_sample: Path) -> None:
    faults = _truth(faulty_sample, "faults")
    assert set(faults["fault_code"]) == {fault.code for fault in CATALOGUE}
    files = {record["file"]: record for _, record in _files(faulty_sample).iterrows()}
    measurements = {
        (true["file"], true["line"]): true
        for true in _truth(faulty_sample, "measurements").to_dict("records")
    }
    cache: dict[str, list[list[object]]] = {}
    for fault in faults.to_dict("records"):
        record = files[fault["file"]]
        path = faulty_sample / "raw" / fault["file"]
        code = fault["fault_code"]
        if code in {"empty_file", "header_only", "truncated_file", "cp1252_encoding"}:
            _check_file_fault(code, path, record, int(fault["line"] or 0))
            continue
        if fault["file"] not in cache:
            cache[fault["file"]] = _rows(faulty_sample, record)
        rows = cache[fault["file"]]
        form = FORMS[record["source"]]
        row = rows[int(fault["line"]) - 1]
        cell = row[form.labels.index(fault["field"])] if fault["field"] else None
        truth = measurements.get((fault["file"], fault["line"]))
        context = (fault["file"], fault["line"], code, fault["field"])
        assert _carries(code, cell, row, rows, form, fault, record, truth), context


def _check_file_fault(code: str, path: Path, record: pd.Series, line: int) -> None:
    data = path.read_bytes()
    if code == "empty_file":
        assert data == b""
    elif code == "header_only":
        assert len(data.splitlines()) == _header_end(record)
    elif code == "truncated_file":
        assert not data.endswith(b"\n") and len(data.splitlines()) == line
    else:
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
        assert not data.decode("cp1252").isascii()


def _carries(
    code: str,
    cell: object,
    row: list[object],
    rows: list[list[object]],
    form: Form,
    fault: dict[str, str],
    record: pd.Series,
    truth: dict[str, str] | None,
) -> bool:
    """Whether the cell (or row) named by a fault record really shows that fault."""
    text = "" if cell is None else str(cell)
    true_value = (
        float(fault["detail"].removeprefix("true "))
        if code in {"lost_decimal", "height_mm", "weight_grams"}
        else None
    )
    if code == "swapped_day_month":  # the text is mm/dd/yyyy of the true date
        if isinstance(cell, dt.datetime):
            day, month = cell.day, cell.month
        else:
            day, month, _ = map(int, text.split("/"))
            if month > 12:
                return day <= 12  # impossible as dd/mm/yyyy, fine as mm/dd/yyyy
        if truth is not None and fault["field"] == "Tanggal Pengukuran":
            true = dt.date.fromisoformat(truth["measurement_date"])
            return (day, month) == (true.month, true.day)
        return True
    if code == "indonesian_month_date":
        return re.fullmatch(rf"\d{{1,2}} ({'|'.join(BULAN)}) \d{{4}}", text) is not None
    if code == "excel_serial_date":
        return isinstance(cell, int) and 20_000 < cell < 80_000
    if code == "nik_scientific":
        return isinstance(cell, float) or re.fullmatch(r"\d[.,]\d{5}E\+15", text) is not None
    if code == "nik_15_digits":
        return re.fullmatch(r"\d{15}", text) is not None
    if code == "unknown_desa":
        true_name = fault["detail"].removeprefix("true ")
        known = {letters_only(name) for name in LUWU_DESA}
        return letters_only(text) not in known and true_name.upper() in LUWU_DESA
    if code == "trailing_space":
        return text != text.rstrip() and text.strip() != ""
    if code in {"lost_decimal", "height_mm", "weight_grams"}:
        factor = {"height_mm": 10, "weight_grams": 1000}.get(
            code, 10 ** form.column(fault["field"]).decimals
        )
        return float(text.replace(",", ".")) == round(true_value * factor)
    if code == "birth_after_event":
        event = row[form.labels.index(form.event)]
        return _as_date(cell) > _as_date(event)
    if code == "position_age_mismatch":
        standing = text.lower() == "berdiri"
        return standing == (truth["position"] == "h") and standing == (
            int(truth["age_days"]) < who.LENGTH_TO_HEIGHT_DAYS
        )
    if code in {"duplicate_exact", "duplicate_conflict"}:
        original = rows[int(fault["detail"].removeprefix("copy of line ")) - 1]
        differ = [label for label, a, b in zip(form.labels, original, row, strict=True) if a != b]
        return differ == ([] if code == "duplicate_exact" else [fault["field"]])
    if code == "blank_row":
        return all(c in (None, "") for c in row)
    if code == "repeated_header":
        return _labels(row) == list(form.labels)
    if code == "jumlah_footer":
        return row[0] == "Jumlah" and int(fault["line"]) == len(rows)  # the last row
    if code == "invisible_header_char":
        character = chr(int(fault["detail"].removeprefix("U+"), 16))
        header = row  # the header row holding the label (upper row for ungrouped columns)
        return str(header[form.labels.index(fault["field"])]).endswith(character)
    raise AssertionError(f"no check for {code}")


# --- realism ------------------------------------------------------------------------------------


@pytest.mark.parametrize("level", [0.22, 0.35])
def test_generated_prevalence_matches_the_configured_level(tmp_path: Path, level: float) -> None:
    config = SampleConfig(children=6000, months=2, fault_rate=0, stunting_prevalence=level)
    generate(config, tmp_path)
    monthly = pd.read_csv(tmp_path / "ground_truth/children_monthly.csv")
    prevalence = monthly["children_stunted"].sum() / monthly["children_with_haz"].sum()
    assert abs(prevalence - level) < 0.02
    truth = pd.read_csv(tmp_path / "ground_truth/measurements.csv")
    months = truth["age_days"] / who.DAYS_PER_MONTH
    by_age = (
        (truth["haz"] < -2)
        .groupby(pd.cut(months, [0, 6, 12, 24, 36, 48, 60], right=False), observed=True)
        .mean()
    )
    assert by_age.idxmax().left == 24  # peaks at 24-35 months
    by_kecamatan = (truth["haz"] < -2).groupby(truth["desa_code"].str[:8]).mean()
    assert by_kecamatan.max() - by_kecamatan.min() > 0.08


def test_weighing_months_have_more_children(tmp_path: Path) -> None:
    generate(
        SampleConfig(children=3000, months=4, end_month="2025-09", fault_rate=0, kecamatan_limit=8),
        tmp_path,
    )
    monthly = pd.read_csv(tmp_path / "ground_truth/children_monthly.csv")
    per_month = monthly.groupby("month")["children_measured"].sum()
    assert per_month["2025-08"] > 1.1 * per_month[["2025-06", "2025-07", "2025-09"]].max()


def test_who_scores_match_published_values() -> None:
    published = SHARED / "who_published_zscores.csv"
    if not published.exists():
        pytest.skip("../shared is not present")
    cases = pd.read_csv(published)
    cases = cases[
        cases["source"].str.startswith("WHO_")
        & (cases["age_days"] <= 1826)
        & cases["sex"].isin([1, 2])
        & (cases["oedema"].fillna("n") != "y")
    ]
    sex = cases["sex"].to_numpy(int)
    age = cases["age_days"].to_numpy(int)
    standing = cases["measure"].map({"l": 0.0, "h": 1.0}).to_numpy(float)
    weight = cases["weight_kg"].to_numpy(float)
    length = cases["length_height_cm"].to_numpy(float)
    for name, z in (
        ("haz", who.haz(sex, age, length, standing)),
        ("waz", who.waz(sex, age, weight)),
        ("whz", who.whz(sex, age, weight, length, standing)),
    ):
        expected = cases[f"expected_{name}"].to_numpy(float)
        known = ~np.isnan(expected)
        assert known.sum() > 4000
        assert np.nanmax(np.abs(z[known] - expected[known])) <= 0.0100001, name
