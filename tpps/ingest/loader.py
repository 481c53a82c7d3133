"""Load a source's new export files into ``raw.<source>``, ``raw.rejects`` and ``raw.ingest_log``.

New files are loaded in batches (bounded by their total size), each batch one transaction and
one pass of set-wise SQL: a file-level fault rejects that file alone (only its log entry lands)
while the other files load; any other error rolls the whole batch back, to be loaded again on the
next run. The result is the same as loading the files one at a time in name order. Files are
recognised by their SHA-256, so a re-delivered file (even renamed) is never loaded twice. While
one file is loaded the next is opened in a thread (a workbook's parsing overlaps the loading).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from tpps.checksums import file_sha256
from tpps.config import LOCAL_TIMEZONE
from tpps.ingest import staging
from tpps.ingest.contracts import Contract
from tpps.ingest.normalise import place_key, sql_literal
from tpps.ingest.readers import FileFault, OpenedExport, Part, open_export, read_parts
from tpps.ingest.reasons import Scope, codes
from tpps.ingest.report import ALREADY_LOADED, LOADED, REJECTED, FileReport, IngestReport
from tpps.ingest.sources import SOURCES
from tpps.ingest.wilayah import KECAMATAN_ALIASES, WILAYAH_TABLE, load_wilayah
from tpps.privacy import Pseudonymiser

_SKIP_COLUMNS = {code: f"skipped_{code}" for code in codes(Scope.SKIP)}
_LOG_COLUMNS = {
    "source": "VARCHAR NOT NULL",
    "file_sha256": "VARCHAR NOT NULL",
    "file_name": "VARCHAR NOT NULL",
    "file_bytes": "BIGINT",
    "sheets": "VARCHAR[]",
    "status": "VARCHAR NOT NULL",
    "reason_code": "VARCHAR",
    "reason": "VARCHAR",
    "rows_in": "BIGINT NOT NULL",
    "accepted": "BIGINT NOT NULL",
    "rejected": "BIGINT NOT NULL",
    "skipped": "BIGINT NOT NULL",
    **dict.fromkeys(_SKIP_COLUMNS.values(), "BIGINT NOT NULL"),
    "new_columns": "VARCHAR[]",
    "key_fingerprint": "VARCHAR",
    "ingested_at": "TIMESTAMP NOT NULL",
}
_REJECT_COLUMNS = {
    "source": "VARCHAR NOT NULL",
    "file_name": "VARCHAR NOT NULL",
    "file_sha256": "VARCHAR NOT NULL",
    "source_sheet": "VARCHAR",
    "source_line": "INTEGER NOT NULL",
    "location": "VARCHAR NOT NULL",  # "123" (CSV line) or "Sheet!123" (worksheet row)
    "reason_code": "VARCHAR NOT NULL",
    "fields": "VARCHAR[]",  # header labels as in the file; never values
    "other_reason_codes": "VARCHAR[]",
    "ingested_at": "TIMESTAMP NOT NULL",
}


# Bounds the memory a batch holds in temporary tables (several times its bytes on disk) while
# amortising the per-statement cost over hundreds of small monthly exports.
DEFAULT_BATCH_BYTES = 64 * 2**20
_TEXTS = pa.list_(pa.string())


@dataclass(frozen=True)
class _NewFile:
    path: Path
    name: str  # relative to the source folder, POSIX
    sha256: str


def ingest_source(
    con: duckdb.DuckDBPyConnection,
    source: str,
    raw_dir: Path,
    pseudonymiser: Pseudonymiser,
    batch_bytes: int = DEFAULT_BATCH_BYTES,
) -> IngestReport:
    """Load the files under ``raw_dir/<folder of source>`` that were not loaded before."""
    contract = SOURCES[source]
    _prepare_tables(con, contract, pseudonymiser)
    folder = raw_dir / contract.folder
    seen: dict[str, str] = dict(
        con.execute(
            "select file_sha256, file_name from raw.ingest_log where source = ?", [source]
        ).fetchall()
    )
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    reports: dict[str, FileReport] = {}
    new_files: list[_NewFile] = []
    for path in _export_files(folder, contract.files):
        name = path.relative_to(folder).as_posix()
        sha = file_sha256(path)
        if sha in seen:
            reports[name] = FileReport(
                name, sha, ALREADY_LOADED, f"same content as '{seen[sha]}', already ingested"
            )
            continue
        seen[sha] = name
        new_files.append(_NewFile(path, name, sha))
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="tpps-open-ahead") as pool:
        opened = _opened_ahead(pool, [new_file.path for new_file in new_files])
        for batch in _batches(new_files, batch_bytes):
            for report in _ingest_batch(con, contract, batch, opened, pseudonymiser, now):
                reports[report.file_name] = report
    return IngestReport(source, tuple(reports[name] for name in sorted(reports)))


def _opened_ahead(pool: ThreadPoolExecutor, paths: list[Path]) -> Iterator[Future[OpenedExport]]:
    """Every file's opening in order, the next one already under way in the pool: at most two
    files are open at a time, so memory stays bounded by the two largest workbooks."""
    pending: deque[Future[OpenedExport]] = deque()
    for path in paths:
        pending.append(pool.submit(open_export, path))
        if len(pending) == 2:
            yield pending.popleft()
    yield from pending


def reconcile(con: duckdb.DuckDBPyConnection, source: str) -> list[str]:
    """Where the logged counts disagree with the tables; empty when every row is accounted for."""
    skipped_sum = " + ".join(_SKIP_COLUMNS.values())
    rows = con.execute(
        "select l.file_name, l.rows_in, l.accepted, l.rejected, l.skipped, "
        f"{skipped_sum}, coalesce(a.n, 0), coalesce(r.n, 0) from raw.ingest_log l "
        f"left join (select file_sha256, count(*) n from raw.{source} group by 1) a "
        "using (file_sha256) "
        "left join (select file_sha256, count(*) n from raw.rejects where source = ? group by 1) r "
        "using (file_sha256) where l.source = ? order by l.file_name",
        [source, source],
    ).fetchall()
    violations = []
    for name, rows_in, accepted, rejected, skipped, skipped_sum_, in_table, in_rejects in rows:
        if rows_in != accepted + rejected + skipped:
            violations.append(
                f"{name}: rows in {rows_in} != accepted {accepted} + rejected {rejected} "
                f"+ skipped {skipped}"
            )
        if skipped != skipped_sum_:
            violations.append(f"{name}: skipped {skipped} != sum of skip reasons {skipped_sum_}")
        if accepted != in_table:
            violations.append(f"{name}: log says {accepted} accepted, raw.{source} has {in_table}")
        if rejected != in_rejects:
            violations.append(f"{name}: log says {rejected} rejected, raw.rejects has {in_rejects}")
    [(orphans,)] = con.execute(
        f"select count(*) from raw.{source} where file_sha256 not in "
        "(select file_sha256 from raw.ingest_log where source = ?)",
        [source],
    ).fetchall()
    if orphans:
        violations.append(f"raw.{source}: {orphans} rows from files missing in raw.ingest_log")
    return violations


def _prepare_tables(
    con: duckdb.DuckDBPyConnection, contract: Contract, pseudonymiser: Pseudonymiser
) -> None:
    con.execute("create schema if not exists raw")
    _ensure_table(con, "raw.ingest_log", _LOG_COLUMNS)
    _ensure_table(con, "raw.rejects", _REJECT_COLUMNS)
    _ensure_table(con, f"raw.{contract.name}", staging.output_columns(contract))
    other_keys = con.execute(
        "select distinct key_fingerprint from raw.ingest_log "
        "where status = ? and key_fingerprint <> ?",
        [LOADED, pseudonymiser.fingerprint],
    ).fetchall()
    if other_keys:
        raise RuntimeError(
            "raw.* holds pseudonyms made with another key (fingerprint "
            f"{other_keys[0][0]}, now {pseudonymiser.fingerprint}); they would not join. Restore "
            "the key, or drop the raw schema and ingest every file again."
        )
    if contract.places:
        _prepare_desa_lookups(con)


def _ensure_table(con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, str]) -> None:
    """Create the table, or add the columns a newer contract introduced (never drop any)."""
    con.execute(
        f"create table if not exists {table} ("
        + ", ".join(f'"{name}" {sql_type}' for name, sql_type in columns.items())
        + ")"
    )
    schema, name = table.split(".")
    present = {
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ?",
            [schema, name],
        ).fetchall()
    }
    for column, sql_type in columns.items():
        if column not in present:
            base_type = sql_type.replace(" NOT NULL", "")
            con.execute(f'alter table {table} add column "{column}" {base_type}')


def _prepare_desa_lookups(con: duckdb.DuckDBPyConnection) -> None:
    """Desa keyed by (kecamatan, desa name): only the pairs that name exactly one desa, so an
    ambiguous pair leaves the row unresolved rather than guessed."""
    if not _table_exists(con, WILAYAH_TABLE):
        load_wilayah(con)
    aliases = " union all ".join(
        f"select {sql_literal(alias)}, {sql_literal(official)}"
        for alias, official in KECAMATAN_ALIASES.items()
    )
    con.execute(
        "create or replace temp table ingest_desa_names as "
        f"with aliases(alias, official) as ({aliases}), "
        f"names as (select kecamatan_name as kecamatan, desa_name, desa_code from {WILAYAH_TABLE} "
        "union all select a.alias, w.desa_name, w.desa_code "
        f"from {WILAYAH_TABLE} w join aliases a on a.official = w.kecamatan_name) "
        f"select {place_key('kecamatan')} as kecamatan_key, {place_key('desa_name')} as desa_key, "
        "min(desa_code) as desa_code from names group by all having count(distinct desa_code) = 1"
    )


def _table_exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    [(count,)] = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema || '.' || table_name = ?",
        [table],
    ).fetchall()
    return count > 0


def _export_files(folder: Path, pattern: str) -> list[Path]:
    """Delivered files below the folder in name order; hidden and Excel lock files (~$) are not."""
    if not folder.is_dir():
        return []
    files = (p for p in folder.rglob(pattern) if p.is_file() and not p.name.startswith((".", "~$")))
    return sorted(files, key=lambda p: p.relative_to(folder).as_posix())


def _batches(files: list[_NewFile], batch_bytes: int) -> Iterator[list[_NewFile]]:
    """Consecutive runs of files whose sizes add up to at most ``batch_bytes`` (at least one)."""
    batch: list[_NewFile] = []
    size = 0
    for new_file in files:
        file_bytes = new_file.path.stat().st_size
        if batch and size + file_bytes > batch_bytes:
            yield batch
            batch, size = [], 0
        batch.append(new_file)
        size += file_bytes
    if batch:
        yield batch


def _ingest_batch(
    con: duckdb.DuckDBPyConnection,
    contract: Contract,
    files: list[_NewFile],
    opened: Iterator[Future[OpenedExport]],
    pseudonymiser: Pseudonymiser,
    now: dt.datetime,
) -> list[FileReport]:
    con.begin()
    try:
        reports = _load_batch(con, contract, files, opened, pseudonymiser, now)
        _log(con, contract, files, reports, pseudonymiser, now)
        _drop_temp_tables(con)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return reports


def _load_batch(
    con: duckdb.DuckDBPyConnection,
    contract: Contract,
    files: list[_NewFile],
    opened: Iterator[Future[OpenedExport]],
    pseudonymiser: Pseudonymiser,
    now: dt.datetime,
) -> list[FileReport]:
    """Read every file into ``ingest_cells``, then type, judge and write them together.

    ``opened`` yields the batch's files in order (and those of the batches after it).
    """
    faults: dict[int, FileFault] = {}
    parts: dict[int, list[Part]] = {}
    staged: list[Part] = []
    staging.create_cells(con, contract)
    with tempfile.TemporaryDirectory(prefix="tpps-ingest-") as workdir:
        for file_no in range(len(files)):
            try:
                parts[file_no] = read_parts(con, next(opened).result(), contract, Path(workdir))
            except FileFault as fault:
                faults[file_no] = fault
                continue
            for part in parts[file_no]:
                staging.stage_rows(con, part, len(staged), file_no)
                staged.append(part)
    staging.insert_cells(con, contract, staged)
    ingest_date = dt.datetime.now(LOCAL_TIMEZONE).date().isoformat()
    staging.create_typed(con, contract, pseudonymiser, ingest_date)
    shape_faults = _file_shape_faults(con, set(parts))
    if shape_faults:
        con.execute(
            "delete from ingest_typed where file_no in "
            f"({', '.join(str(file_no) for file_no in shape_faults)})"
        )
    faults |= shape_faults
    staging.create_result(con, contract)
    _write_rows(con, contract, files, staged, now)
    counts: dict[int, Counter[str]] = {}
    reasons: dict[int, Counter[str]] = {}
    for file_no, disposition, code, n in con.execute(
        "select file_no, disposition, reason_code, count(*) from ingest_result group by all"
    ).fetchall():
        counts.setdefault(file_no, Counter())[disposition] += n
        if code:
            reasons.setdefault(file_no, Counter())[code] += n
    reports = []
    for file_no, new_file in enumerate(files):
        if file_no in faults:
            fault = faults[file_no]
            reports.append(
                FileReport(new_file.name, new_file.sha256, REJECTED, fault.message, fault.code)
            )
            continue
        by_disposition = counts[file_no]
        file_parts = parts[file_no]
        unknown = dict.fromkeys(label for part in file_parts for label in part.header.unknown)
        reports.append(
            FileReport(
                file_name=new_file.name,
                file_sha256=new_file.sha256,
                status=LOADED,
                reason=(
                    f"{by_disposition['accepted']} rows accepted, "
                    f"{by_disposition['rejected']} rejected, {by_disposition['skipped']} skipped"
                ),
                rows_in=sum(by_disposition.values()),
                accepted=by_disposition["accepted"],
                rejected=by_disposition["rejected"],
                skipped=by_disposition["skipped"],
                reason_counts=dict(sorted(reasons.get(file_no, Counter()).items())),
                new_columns=tuple(unknown),
                sheets=tuple(p.sheet for p in file_parts if p.sheet),
            )
        )
    return reports


def _file_shape_faults(con: duckdb.DuckDBPyConnection, read: set[int]) -> dict[int, FileFault]:
    """Files with no data rows left, or whose last CSV record is cut off: rejected whole."""
    shapes = {
        file_no: (last_line, cut_off)
        for file_no, last_line, cut_off in con.execute(
            "select file_no, max(line_no), arg_max(open_quote or is_short, line_no) "
            "from ingest_typed where skip_reason is null group by file_no"
        ).fetchall()
    }
    faults = {}
    for file_no in sorted(read):
        if file_no not in shapes:
            faults[file_no] = FileFault("header_only", "the file has a header but no data rows")
            continue
        last_line, cut_off = shapes[file_no]
        if cut_off:
            faults[file_no] = FileFault(
                "truncated_file",
                f"the last record (line {last_line}) is cut off: it has fewer fields than the "
                "header or an unclosed quote; the export or copy was interrupted, deliver the "
                "complete file",
            )
    return faults


def _write_rows(
    con: duckdb.DuckDBPyConnection,
    contract: Contract,
    files: list[_NewFile],
    staged: list[Part],
    now: dt.datetime,
) -> None:
    """Accepted rows to ``raw.<source>``, rejected ones (header labels, never values) to
    ``raw.rejects``, each with its file's name and checksum."""
    staging.temp_table_from_arrow(
        con,
        "ingest_files",
        pa.table(
            {
                "file_no": pa.array(range(len(files)), pa.int32()),
                "file_name": [f.name for f in files],
                "file_sha256": [f.sha256 for f in files],
            }
        ),
    )
    staging.temp_table_from_arrow(
        con,
        "ingest_labels",
        pa.table(
            {
                "part": pa.array(range(len(staged)), pa.int32()),
                "columns": pa.array([list(p.header.positions) for p in staged], _TEXTS),
                "labels": pa.array(
                    [[p.header.label(c) for c in p.header.positions] for p in staged],
                    _TEXTS,
                ),
            }
        ),
        select="part, map(columns, labels) as labels",
    )
    values = ", ".join(
        f'"{name}"' for name in [*staging.value_columns(contract), *staging.flag_columns(contract)]
    )
    stamp = f"TIMESTAMP {sql_literal(now.isoformat(' '))}"
    con.execute(
        f"insert into raw.{contract.name} by name select "
        "left(sha256(f.file_sha256 || ':' || coalesce(sheet, '') || ':' || line_no), 32) "
        "as row_key, f.file_name as source_file, sheet as source_sheet, line_no as source_line, "
        f"{values}, {stamp} as ingested_at, f.file_sha256 "
        "from ingest_result join ingest_files f using (file_no) "
        "where disposition = 'accepted' order by file_no, part, line_no"
    )
    con.execute(
        "insert into raw.rejects by name select "
        f"{sql_literal(contract.name)} as source, f.file_name, f.file_sha256, "
        "sheet as source_sheet, line_no as source_line, "
        "coalesce(sheet || '!', '') || line_no as location, reason_code, "
        "list_sort(list_transform(fields, lambda field: "
        "coalesce(map_extract_value(l.labels, field), field))) as fields, other_reason_codes, "
        f"{stamp} as ingested_at from ingest_result join ingest_files f using (file_no) "
        "join ingest_labels l using (part) where disposition = 'rejected' "
        "order by file_no, part, line_no"
    )


def _log(
    con: duckdb.DuckDBPyConnection,
    contract: Contract,
    files: list[_NewFile],
    reports: list[FileReport],
    pseudonymiser: Pseudonymiser,
    now: dt.datetime,
) -> None:
    """One ``raw.ingest_log`` row per file of the batch, in one statement."""
    rows = [
        {
            "source": contract.name,
            "file_sha256": report.file_sha256,
            "file_name": report.file_name,
            "file_bytes": new_file.path.stat().st_size,
            "sheets": list(report.sheets),
            "status": report.status,
            "reason_code": report.reason_code,
            "reason": report.reason,
            "rows_in": report.rows_in,
            "accepted": report.accepted,
            "rejected": report.rejected,
            "skipped": report.skipped,
            **{column: report.reason_counts.get(code, 0) for code, column in _SKIP_COLUMNS.items()},
            "new_columns": list(report.new_columns),
            "key_fingerprint": pseudonymiser.fingerprint,
            "ingested_at": now,
        }
        for new_file, report in zip(files, reports, strict=True)
    ]
    con.register("ingest_log_arrow", pa.Table.from_pylist(rows))
    try:
        con.execute("insert into raw.ingest_log by name select * from ingest_log_arrow")
    finally:
        con.unregister("ingest_log_arrow")


def _drop_temp_tables(con: duckdb.DuckDBPyConnection) -> None:
    for (table,) in con.execute(
        "select table_name from duckdb_tables() where temporary and table_name like 'ingest_%' "
        "and table_name <> 'ingest_desa_names'"
    ).fetchall():
        con.execute(f'drop table if exists temp."{table}"')
