"""Pseudonyms: the SQL HMAC is the real HMAC, keys come from outside the repository, and nothing
personal from the exports reaches any DuckDB table."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import logging
import re
from pathlib import Path

import duckdb
import pytest

from tests.test_ingest_exports import FIXTURES, ingest, workbook
from tpps.config import PROJECT_ROOT
from tpps.privacy import DEVELOPMENT_KEY, KEY_ENV, KEY_FILE_ENV, Pseudonymiser

VALUES = [
    "7317074501230001",
    "",
    "SITI AISYAH|2023-01-05|2|73.17.07.1001",
    "To\u2019long é \\x41 '",  # a typographic apostrophe, an accent, a backslash escape
]
# A NIK-like run of 16 digits that is not part of a longer hex string (pseudonyms are hex).
NIK_PATTERN = r"(^|[^0-9a-fA-F])[0-9]{16}([^0-9a-fA-F]|$)"


@pytest.mark.parametrize("key", [b"k", b"a-32-byte-key-for-the-tpps-tests", b"x" * 100])
def test_sql_hmac_equals_python_hmac(key: bytes) -> None:
    pseudonymiser = Pseudonymiser(key)
    con = duckdb.connect()
    con.execute("create table v (value varchar)")
    con.executemany("insert into v values (?)", [[v] for v in VALUES])
    in_sql = con.execute(f"select value, {pseudonymiser.sql('value')} from v").fetchall()
    for value, digest in in_sql:
        assert digest == hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
        assert digest == pseudonymiser.pseudonymise(value)
    assert con.execute(f"select {pseudonymiser.sql('NULL::VARCHAR')}").fetchall() == [(None,)]


def test_key_from_environment_variable() -> None:
    pseudonymiser = Pseudonymiser.from_env({KEY_ENV: "secret from the vault"})
    assert pseudonymiser.pseudonymise("x") == Pseudonymiser(b"secret from the vault").pseudonymise(
        "x"
    )
    assert not pseudonymiser.is_development_key
    assert "secret" not in repr(pseudonymiser)


def test_key_from_a_file_outside_the_repository(tmp_path: Path) -> None:
    key_file = tmp_path / "pseudonym.key"
    key_file.write_bytes(b"file secret\n")
    pseudonymiser = Pseudonymiser.from_env({KEY_FILE_ENV: str(key_file)})
    assert pseudonymiser.pseudonymise("x") == Pseudonymiser(b"file secret").pseudonymise("x")


def test_key_file_inside_the_repository_is_refused() -> None:
    with pytest.raises(ValueError, match="outside"):
        Pseudonymiser.from_env({KEY_FILE_ENV: str(PROJECT_ROOT / "pyproject.toml")})


def test_development_key_is_named_and_warned_about(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="tpps.privacy"):
        pseudonymiser = Pseudonymiser.from_env({})
    assert pseudonymiser.is_development_key
    assert DEVELOPMENT_KEY == b"DEVELOPMENT-ONLY-KEY-not-for-real-data"
    assert "DEVELOPMENT-ONLY" in caplog.text


def test_pseudonyms_of_another_key_are_not_mixed_in(tmp_path: Path) -> None:
    con, _ = ingest(tmp_path, FIXTURES / "duplicates.csv")
    from tpps.ingest import ingest_source

    with pytest.raises(RuntimeError, match="another key"):
        ingest_source(con, "eppgbm", tmp_path / "raw", Pseudonymiser(b"a different key"))


def test_no_nik_name_or_birth_date_in_any_table(tmp_path: Path) -> None:
    """Scan every column of every table for NIK-like numbers and the exports' personal values."""
    exports = sorted(p for p in FIXTURES.glob("*.csv") if p.stat().st_size)
    book = workbook(
        tmp_path / "numeric_nik.xlsx",
        {"Data": [
            ["NIK", "Nama", "JK", "Tgl Lahir", "Kec", "Desa/Kel", "Tanggal Pengukuran", "Berat"],
            [7317074501230011, "KHADIJAH HUMAIRA", "P", "05/01/2023", "Belopa", "Senga",
             "12/08/2024", 9.1],
        ]},
    )  # fmt: skip
    con, report = ingest(tmp_path, *exports, book)
    assert report.accepted > 10 and report.rejected > 10
    personal = _personal_values([*exports, book]) | {"KHADIJAH HUMAIRA"}
    assert {"SITI AISYAH", "7317074501230001", "05/01/2023", "081234567890"} <= personal

    leaks = []
    for schema, table, column in con.execute(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where table_catalog = current_database()"
    ).fetchall():
        text = f'cast("{column}" as varchar)'
        relation = f'"{schema}"."{table}"'
        [(nik_like,)] = con.execute(
            f"select count(*) from {relation} where regexp_matches({text}, ?)", [NIK_PATTERN]
        ).fetchall()
        [(named,)] = con.execute(
            f"select count(*) from {relation}, (select unnest(?::varchar[]) as needle) "
            f"where contains(upper({text}), upper(needle))",
            [sorted(personal)],
        ).fetchall()
        if nik_like or named:
            leaks.append(f"{schema}.{table}.{column}")
    assert leaks == []


def _personal_values(exports: list[Path]) -> set[str]:
    """Names, NIK, No KK, phone numbers and birth dates as written in the fixtures."""
    personal_labels = re.compile(r"^(NIK|Nama|Tgl Lahir|Tanggal Lahir|Nomor KK|No HP)", re.I)
    values: set[str] = set()
    for path in exports:
        if path.suffix != ".csv":
            continue
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
        delimiter = max(";,\t", key=text.count)
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        header = next(r for r in rows if any(personal_labels.match(c.strip()) for c in r))
        columns = [i for i, label in enumerate(header) if personal_labels.match(label.strip())]
        for row in rows:
            values |= {row[i].strip() for i in columns if i < len(row) and len(row[i]) >= 8}
    return values - {"Tgl Lahir", "Tanggal Lahir", "Nama Anak", "NIK Orang Tua"}
