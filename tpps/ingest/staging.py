"""The set-wise SQL that turns a file's text rows into typed, checked, pseudonymised rows.

Built from a contract and the located headers, in three temporary tables per batch of files
(every row carries its ``file_no`` in the batch and its ``part``, unique across the batch):
``ingest_cells`` (each part's fields mapped to contract columns, the row's shape classified),
``ingest_typed`` (normalised, desa resolved, ages and keys derived, problems listed, flags set) and
``ingest_result`` (duplicates within a file, against rows already loaded and against earlier
files of the batch; disposition). A batch gives the same result as loading its files one by one
in ``file_no`` order, at the cost of one set of statements instead of one per file.
"""

from __future__ import annotations

import re

import duckdb
import pyarrow as pa

from tpps.ingest.contracts import Column, Contract, Kind, Rule
from tpps.ingest.normalise import (
    INVALID_REASON,
    SQL_TYPES,
    empty_as_null,
    normalise,
    place_key,
    sql_literal,
    tidy_text,
)
from tpps.ingest.readers import Part
from tpps.ingest.reasons import reason
from tpps.privacy import Pseudonymiser

LINEAGE_TYPES = {
    "row_key": "VARCHAR",
    "source_file": "VARCHAR",
    "source_sheet": "VARCHAR",
    "source_line": "INTEGER",
}
TRAILER_TYPES = {"ingested_at": "TIMESTAMP", "file_sha256": "VARCHAR"}

# Matched against a row's fields joined by 0x1F: a total or signature row ("Jumlah", "Mengetahui,",
# "Kepala Puskesmas", "NIP. ...") starts with one of these words in its first non-empty cell; a
# place-and-date line ("Belopa, 31 Juli 2024") is alone on its row.
_FOOTER_PATTERN = (
    r"(?i)^[\x1f\s]*(jumlah|total|grand ?total|sub ?total|mengetahui|menyetujui|kepala |"
    r"nip[ .:]|dibuat oleh|petugas|tanda tangan|ttd[ .])"
    r"|^[\x1f\s]*[a-z .'-]+, *[0-9]{1,2} +[a-z]+ +[0-9]{4}[\x1f\s]*$"
)
_BLANK_PATTERN = r"[\x1f\s\x{00A0}\x{200B}\x{FEFF}\-]*"


def output_columns(contract: Contract) -> dict[str, str]:
    """Name -> SQL type of ``raw.<source>``, in table order."""
    return (
        LINEAGE_TYPES
        | value_columns(contract)
        | dict.fromkeys(flag_columns(contract), "BOOLEAN")
        | TRAILER_TYPES
    )


def value_columns(contract: Contract) -> dict[str, str]:
    """Keys, derived and stored values: what two rows must share to be exact duplicates."""
    columns: dict[str, str] = {}
    for key in contract.keys:
        columns[key.name] = "VARCHAR"
        if key.surrogate:
            columns[f"{key.name}_is_surrogate"] = "BOOLEAN"
    columns |= {age.name: "INTEGER" for age in contract.ages}
    columns |= {place.output: "VARCHAR" for place in contract.places}
    return columns | {c.name: SQL_TYPES[c.kind] for c in contract.columns if c.stored}


def flag_columns(contract: Contract) -> list[str]:
    return [name for name, _ in _flags(contract)]


# --- ingest_cells ------------------------------------------------------------------------------


def create_cells(con: duckdb.DuckDBPyConnection, contract: Contract) -> None:
    """``ingest_rows`` receives each part's rows as read; ``ingest_cells`` their mapped cells."""
    con.execute(
        "create or replace temp table ingest_rows (file_no INTEGER, part INTEGER, "
        "line_no INTEGER, fields VARCHAR[], open_quote BOOLEAN)"
    )
    cells = ", ".join(f'"c_{c.name}" VARCHAR' for c in contract.columns)
    con.execute(
        "create or replace temp table ingest_cells (file_no INTEGER, part INTEGER, "
        "line_no INTEGER, "
        "sheet VARCHAR, open_quote BOOLEAN, is_blank BOOLEAN, is_footer_marker BOOLEAN, "
        f"is_repeated_header BOOLEAN, is_short BOOLEAN, has_extra BOOLEAN, {cells})"
    )


def stage_rows(con: duckdb.DuckDBPyConnection, part: Part, part_index: int, file_no: int) -> None:
    """Copy one part's rows out of the reader's temporary tables (the next file reuses them)."""
    con.execute(
        f"insert into ingest_rows select {file_no}, {part_index}, line_no, fields, open_quote "
        f"from {part.relation}"
    )


def insert_cells(con: duckdb.DuckDBPyConnection, contract: Contract, parts: list[Part]) -> None:
    """Map the staged rows' fields to contract columns (cleaned text) and classify each row's
    shape: one statement per header layout, since the statement's cost is in planning it.

    ``parts[i]`` is the part staged with index ``i``; its sheet and the values read from its
    title rows come from ``ingest_part_facts``.
    """
    titled = [c for c in contract.columns if c.from_title]
    facts = pa.table(
        {
            "part": pa.array(range(len(parts)), pa.int32()),
            "sheet": pa.array([p.sheet for p in parts], pa.string()),
            **{
                f"title_{c.name}": pa.array([_from_title(c, p.titles) for p in parts], pa.string())
                for c in titled
            },
        }
    )
    con.register("ingest_facts_arrow", facts)
    con.execute(
        "create or replace temp table ingest_part_facts as select * from ingest_facts_arrow"
    )
    con.unregister("ingest_facts_arrow")
    layouts: dict[tuple, list[int]] = {}
    for index, part in enumerate(parts):
        header = part.header
        layout = (tuple(header.positions.items()), header.labels, part.fixed_width)
        layouts.setdefault(layout, []).append(index)
    for indexes in layouts.values():
        _insert_layout(con, contract, parts[indexes[0]], indexes)


def temp_table_from_arrow(
    con: duckdb.DuckDBPyConnection, name: str, table: pa.Table, select: str = "*"
) -> None:
    con.register("ingest_arrow", table)
    try:
        con.execute(f"create or replace temp table {name} as select {select} from ingest_arrow")
    finally:
        con.unregister("ingest_arrow")


def _insert_layout(
    con: duckdb.DuckDBPyConnection, contract: Contract, part: Part, indexes: list[int]
) -> None:
    header = part.header
    # Two layers: tidy the mapped fields, then map empty values to NULL on the tidied columns
    # (one layer would repeat the tidy expression and make wide files slow to plan).
    tidied = ", ".join(
        f'{tidy_text(f"fields[{position + 1}]")} AS "t_{name}"'
        for name, position in header.positions.items()
    )
    cells = ", ".join(
        empty_as_null(f'"t_{c.name}"')
        if c.name in header.positions
        else f'"title_{c.name}"'
        if c.from_title
        else "NULL"
        for c in contract.columns
    )
    joined = "coalesce(array_to_string(fields, chr(31)), '')"
    echoes = [
        f"coalesce(lower(trim(fields[{p + 1}])) = {sql_literal(header.labels[p].lower())}, false)"
        for p in header.positions.values()
    ]
    echoes_needed = max(2, (len(echoes) + 1) // 2)
    # Most rows fail on the first column, so the full count is only made for the rest.
    repeated_header = (
        f"CASE WHEN {echoes[0]} THEN ({' + '.join(e + '::INTEGER' for e in echoes)}) "
        f">= {echoes_needed} ELSE false END"
    )
    extra = f"list_filter(fields[{header.width + 1}:], lambda f: trim(f) <> '') <> []"
    short = f"len(fields) < {header.width}" if part.fixed_width else "false"
    titles = "".join(f', "title_{c.name}"' for c in contract.columns if c.from_title)
    con.execute(
        "insert into ingest_cells select file_no, part, line_no, sheet, "
        f"open_quote, is_blank, is_footer_marker, is_repeated_header, is_short, has_extra, "
        f"{cells} from (select file_no, part, line_no, sheet, open_quote{titles}, "
        f"regexp_full_match({joined}, {sql_literal(_BLANK_PATTERN)}) AS is_blank, "
        f"regexp_matches({joined}, {sql_literal(_FOOTER_PATTERN)}) AS is_footer_marker, "
        f"{repeated_header} AS is_repeated_header, {short} AS is_short, {extra} AS has_extra, "
        f"{tidied} from ingest_rows join ingest_part_facts using (part) "
        f"where part in ({', '.join(map(str, indexes))}))"
    )


def _from_title(column: Column, titles: str) -> str | None:
    """The column's value read from the title rows (a file-level fact such as the year)."""
    if column.from_title is None:
        return None
    pattern, template = column.from_title
    found = re.search(pattern, titles, flags=re.IGNORECASE)
    return template.format(*found.groups()) if found else None


# --- ingest_typed ------------------------------------------------------------------------------


def create_typed(
    con: duckdb.DuckDBPyConnection,
    contract: Contract,
    pseudonymiser: Pseudonymiser,
    ingest_date: str,
) -> None:
    """Normalise, resolve the desa, derive ages and keys, list each row's problems, set flags.

    ``ingest_date`` (ISO) is the day against which dates in the future are judged.
    """
    # Names are only ever needed inside a surrogate key, so they are normalised there (lazily).
    typed = ", ".join(
        f'{normalise(c, f"c_{c.name}")} AS "v_{c.name}"'
        for c in contract.columns
        if c.kind is not Kind.NAME
    )
    derived = [*_age_sql(contract), *_key_sql(contract, pseudonymiser)]
    values = ", ".join(
        f'{_value_source(contract, name)} AS "{name}"' for name in value_columns(contract)
    )
    flags = ", ".join(f'coalesce({sql}, false) AS "{name}"' for name, sql in _flags(contract))
    con.execute(
        "create or replace temp table ingest_typed as "
        "with footer as (select part, min(line_no) as footer_line from ingest_cells "
        "where is_footer_marker group by part), "
        "classified as (select c.*, case when c.line_no >= f.footer_line then 'footer' "
        "when c.is_blank then 'blank' when c.is_repeated_header then 'repeated_header' end "
        "as skip_reason from ingest_cells c left join footer f using (part)), "
        f"typed as (select *, {typed} from classified), "
        f"resolved as ({_desa_join_sql(contract)}), "
        f"derived as (select * {''.join(', ' + d for d in derived)} from resolved), "
        f"checked as (select *, {_problems_sql(contract, ingest_date)} as problems from derived), "
        "record as (select file_no, part, line_no, sheet, skip_reason, problems, open_quote, "
        "is_short, "
        f"{values}{', ' + flags if flags else ''} from checked) "
        "select * from record"
    )


def _age_sql(contract: Contract) -> list[str]:
    sql = []
    for age in contract.ages:
        birth, event = f'"v_{age.birth}"', f'"v_{age.event}"'
        value = (
            f"date_diff('day', {birth}, {event})"
            if age.unit == "days"
            else f"date_part('year', age({event}::TIMESTAMP, {birth}::TIMESTAMP))::INTEGER"
        )
        sql.append(f'{value} AS "d_{age.name}"')
    return sql


def _key_sql(contract: Contract, pseudonymiser: Pseudonymiser) -> list[str]:
    sql = []
    for key in contract.keys:
        identifier = f'"v_{key.identifier}"'
        value = f"WHEN {identifier} IS NOT NULL THEN {pseudonymiser.sql(identifier)}"
        if key.surrogate:
            parts = [_surrogate_part(contract, name) for name in key.surrogate]
            joined = "concat_ws('|', 'surrogate', " + ", ".join(parts) + ")"
            complete = " AND ".join(f"{p} IS NOT NULL" for p in parts)
            value += f" WHEN {complete} THEN {pseudonymiser.sql(joined)}"
            sql.append(f'{identifier} IS NULL AS "d_{key.name}_is_surrogate"')
        sql.append(f'CASE {value} END AS "d_{key.name}"')
    return sql


def _surrogate_part(contract: Contract, name: str) -> str:
    if name in {place.output for place in contract.places}:
        return f'"r_{name}"'
    column = contract.column(name)
    if column.kind is Kind.NAME:
        return normalise(column, f'"c_{name}"')
    value = f'"v_{name}"'
    if column.kind is Kind.DATE:
        return f"strftime({value}, '%Y-%m-%d')"
    return f"{value}::VARCHAR"


def _desa_join_sql(contract: Contract) -> str:
    """Resolve each place by code when the code is known, else by name inside the named
    kecamatan; every join is on a unique key (no fan-out)."""
    selected, joins = ["t.*"], []
    for index, place in enumerate(contract.places):
        found = []
        if place.code:
            alias = f"by_code_{index}"
            joins.append(
                f"left join reference.wilayah_desa {alias} "
                f'on {alias}.desa_code = t."v_{place.code}"'
            )
            found.append(f"{alias}.desa_code")
        if place.name and place.kecamatan:
            alias = f"by_name_{index}"
            joins.append(
                f"left join ingest_desa_names {alias} "
                f"on {alias}.kecamatan_key = {place_key(f't.v_{place.kecamatan}')} "
                f"and {alias}.desa_key = {place_key(f't.v_{place.name}')}"
            )
            found.append(f"{alias}.desa_code")
        selected.append(f'coalesce({", ".join(found)}) AS "r_{place.output}"')
    return f"select {', '.join(selected)} from typed t {' '.join(joins)}"


def _value_source(contract: Contract, name: str) -> str:
    """The derived value (d_/r_) for keys, ages and desa codes; the typed input otherwise."""
    if name in {place.output for place in contract.places}:
        return f'"r_{name}"'
    derived = {k.name for k in contract.keys} | {a.name for a in contract.ages}
    derived |= {f"{k.name}_is_surrogate" for k in contract.keys if k.surrogate}
    return f'"d_{name}"' if name in derived else f'"v_{name}"'


def _problems_sql(contract: Contract, ingest_date: str) -> str:
    """Every failing check as {reason, field}; the first one is the row's reason.

    Order: row shape, empty required values, unreadable values, impossible values, dates,
    ages, the contract's rules (which may use ages), the desa, and last the identity (a key
    that cannot be built because the desa or a date failed reports that cause first).
    """
    checks = [
        ("wrong_field_count", None, "is_short OR has_extra"),
        *_value_checks(contract, ingest_date),
        *_age_checks(contract),
        *(
            (reason(rule.name), field, _rule_sql(contract, rule))
            for rule in contract.rules
            if rule.reject
            for field in rule.fields
        ),
        *_place_checks(contract),
        *_identity_checks(contract),
    ]
    items = ", ".join(
        f"CASE WHEN coalesce({condition}, false) THEN "
        f"{{'reason': {sql_literal(reason(code))}, 'field': {sql_literal(field)}}} END"
        for code, field, condition in checks
    )
    return f"list_filter([{items}], lambda p: p IS NOT NULL)"


Check = tuple[str, str | None, str]  # reason code, field, SQL condition


def _value_checks(contract: Contract, ingest_date: str) -> list[Check]:
    columns = contract.columns
    checks: list[Check] = [
        ("missing_required", c.name, f'"c_{c.name}" IS NULL') for c in columns if c.required
    ]
    for code in ("invalid_date", "invalid_number", "invalid_code"):
        checks += [
            (code, c.name, f'"c_{c.name}" IS NOT NULL AND "v_{c.name}" IS NULL')
            for c in columns
            if INVALID_REASON[c.kind] == code
        ]
    checks += [
        ("out_of_range", c.name, f'"v_{c.name}" NOT BETWEEN {c.valid[0]} AND {c.valid[1]}')
        for c in columns
        if c.valid
    ]
    return checks + [
        ("date_in_future", c.name, f"\"v_{c.name}\" > DATE '{ingest_date}'")
        for c in columns
        if c.kind is Kind.DATE and not c.future_ok
    ]


def _age_checks(contract: Contract) -> list[Check]:
    checks: list[Check] = [
        ("birth_after_event", a.birth, f'"v_{a.birth}" > "v_{a.event}"') for a in contract.ages
    ]
    return checks + [
        (
            "age_out_of_range",
            a.birth,
            f'"v_{a.birth}" <= "v_{a.event}" '
            f'AND "d_{a.name}" NOT BETWEEN {a.valid[0]} AND {a.valid[1]}',
        )
        for a in contract.ages
        if a.valid
    ]


def _place_checks(contract: Contract) -> list[Check]:
    checks: list[Check] = []
    for place in contract.places:
        unresolved = f'"r_{place.output}" IS NULL'
        checks += [
            ("unknown_desa", f, f'{unresolved} AND "c_{f}" IS NOT NULL') for f in place.inputs
        ]
        nothing_given = " AND ".join(f'"c_{f}" IS NULL' for f in place.inputs)
        checks.append(("unknown_desa", None, f"{unresolved} AND {nothing_given}"))
    return checks


def _identity_checks(contract: Contract) -> list[Check]:
    """A key with a surrogate must exist: no valid identifier and an incomplete surrogate."""
    places = {place.output for place in contract.places}
    checks: list[Check] = []
    for key in contract.keys:
        if key.surrogate:
            unkeyed = f'"d_{key.name}" IS NULL'
            checks.append(("missing_required", key.identifier, unkeyed))
            checks += [
                (
                    "missing_required",
                    part,
                    f"{unkeyed} AND {_surrogate_part(contract, part)} IS NULL",
                )
                for part in key.surrogate
                if part not in places
            ]
    return checks


def _flags(contract: Contract) -> list[tuple[str, str]]:
    """Flag name -> predicate: invalid identifiers, unusual values, the contract's flag rules."""
    flags = [
        (
            f"flag_{key.identifier}_invalid",
            f'"v_{key.identifier}" IS NULL AND "c_{key.identifier}" IS NOT NULL',
        )
        for key in contract.keys
        if contract.column(key.identifier).kind is Kind.NIK
    ]
    flags += [
        (f"flag_{c.name}_unusual", f'"v_{c.name}" NOT BETWEEN {c.typical[0]} AND {c.typical[1]}')
        for c in contract.columns
        if c.typical and c.stored
    ]
    return flags + [(r.name, _rule_sql(contract, r)) for r in contract.rules if not r.reject]


def _rule_sql(contract: Contract, rule: Rule) -> str:
    """The rule's predicate with each {column} replaced by its typed or derived value."""
    names = {c.name for c in contract.columns} | set(value_columns(contract))
    return rule.when.format_map({name: _value_source(contract, name) for name in names})


# --- ingest_result -----------------------------------------------------------------------------


def create_result(con: duckdb.DuckDBPyConnection, contract: Contract) -> None:
    """Decide every row's disposition: skipped, rejected (first problem) or accepted.

    Within a file, clean rows sharing a (complete) natural key are exact duplicates when every
    value matches (the first row is kept, the others skipped) and conflicts otherwise (all of
    them rejected, with the differing columns as fields). Across files, each file offers one
    version per key, judged as if the files were loaded one by one in ``file_no`` order after
    what ``raw.<source>`` already holds: skipped when identical to the version in force, rejected
    when different (the first version stays), and for a versioned contract accepted as the
    newer version.
    """
    if not contract.natural_key:
        con.execute(
            "create or replace temp table ingest_result as select *, "
            f"{_disposition_sql('NULL', 'false')} from ingest_typed"
        )
        return
    natural_key = contract.natural_key
    key = ", ".join(f'"{name}"' for name in natural_key)
    names = tuple(value_columns(contract))
    values = ", ".join(f'"{name}"' for name in names)
    signature = f"hash({values})"
    con.execute(
        "create or replace temp table ingest_keyed as "
        f"select file_no, part, line_no, {key}, {signature} as signature, row_number() over "
        f"(partition by file_no, {key}, {signature} order by part, line_no) as rank_in_file "
        "from ingest_typed where skip_reason is null and problems = [] and "
        + " and ".join(f'"{k}" is not null' for k in natural_key)
    )
    differs_in_file = ", ".join(
        f'CASE WHEN count(DISTINCT t."{n}") > 1 OR count(t."{n}") NOT IN (0, count(*)) '
        f"THEN {sql_literal(n)} END"
        for n in names
    )
    differs_from_first = ", ".join(
        f'CASE WHEN o."{n}" IS DISTINCT FROM f."{n}" THEN {sql_literal(n)} END' for n in names
    )
    # The version in force before a file: the previous one for a versioned contract, else the
    # first one (a later different version is rejected, so the first stays in force).
    if contract.versioned:
        in_force, first_file, differs = "lag(signature) OVER versions", "NULL::INTEGER", "false"
    else:
        in_force = (
            "CASE WHEN row_number() OVER versions > 1 THEN first_value(signature) OVER versions END"
        )
        first_file, differs = "first_value(file_no) OVER versions", "v.in_force <> v.signature"
    con.execute(
        "create or replace temp table ingest_result as "
        f"with conflicting as (select file_no, {key} from ingest_keyed "
        f"group by file_no, {key} having count(DISTINCT signature) > 1), "
        f"in_file as (select t.file_no, {_prefixed('t', natural_key)}, list_filter(list_value("
        f"{differs_in_file}), lambda f: f IS NOT NULL) as differs from ingest_typed t "
        f"semi join conflicting c on {_same_file_key('t', 'c', natural_key)} "
        "where t.skip_reason is null and t.problems = [] "
        f"group by t.file_no, {_prefixed('t', natural_key)}), "
        f"loaded as (select -1 as file_no, {signature} as signature, {values} "
        f"from raw.{contract.name} e semi join ingest_keyed k on "
        f"{_same_key('e', 'k', natural_key)} "
        f"qualify row_number() over (partition by {key} order by ingested_at desc, "
        "source_file desc, source_sheet desc, source_line desc) = 1), "
        # One version per file and key: its rows agree (else the file is in conflict with itself).
        f"offered as (select k.file_no, k.signature, {_prefixed('t', names)} from ingest_keyed k "
        "join ingest_typed t using (part, line_no) "
        f"anti join in_file f on {_same_file_key('f', 'k', natural_key)} "
        "where k.rank_in_file = 1), "
        "versions as (select * from loaded union all by name select * from offered), "
        f"judged_versions as (select file_no, {key}, signature, {in_force} as in_force, "
        f"{first_file} as first_file from versions "
        f"window versions as (partition by {key} order by file_no)), "
        # The columns a conflicting version differs in, compared with the first version: found
        # for the few conflicts only (a window over every column made this the slowest step).
        f"conflicts as (select v.file_no, {_prefixed('v', natural_key)}, list_filter(list_value("
        f"{differs_from_first}), lambda d: d IS NOT NULL) as conflict from judged_versions v "
        f"join versions o on {_same_file_key('o', 'v', natural_key)} "
        f"join versions f on {_same_key('f', 'v', natural_key)} and f.file_no = v.first_file "
        f"where {differs}), "
        "judged as (select k.part, k.line_no, coalesce(f.differs, c.conflict) as conflict, "
        "k.rank_in_file > 1 OR v.in_force = k.signature as exact from ingest_keyed k "
        f"left join in_file f on {_same_file_key('f', 'k', natural_key)} "
        f"left join judged_versions v on {_same_file_key('v', 'k', natural_key)} "
        f"left join conflicts c on {_same_file_key('c', 'k', natural_key)}) "
        f"select t.*, {_disposition_sql('j.conflict', 'coalesce(j.exact, false)')} "
        "from ingest_typed t left join judged j using (part, line_no)"
    )


def _same_key(left: str, right: str, key: tuple[str, ...]) -> str:
    return " AND ".join(f'{left}."{k}" IS NOT DISTINCT FROM {right}."{k}"' for k in key)


def _same_file_key(left: str, right: str, key: tuple[str, ...]) -> str:
    return f"{_same_key(left, right, key)} AND {left}.file_no = {right}.file_no"


def _prefixed(alias: str, names: tuple[str, ...]) -> str:
    return ", ".join(f'{alias}."{name}"' for name in names)


def _disposition_sql(conflict: str, exact: str) -> str:
    return (
        "CASE WHEN skip_reason IS NOT NULL THEN 'skipped' WHEN problems <> [] THEN 'rejected' "
        f"WHEN {conflict} IS NOT NULL THEN 'rejected' WHEN {exact} THEN 'skipped' "
        "ELSE 'accepted' END AS disposition, "
        "CASE WHEN skip_reason IS NOT NULL THEN skip_reason "
        "WHEN problems <> [] THEN problems[1].reason "
        f"WHEN {conflict} IS NOT NULL THEN 'duplicate_conflict' "
        f"WHEN {exact} THEN 'duplicate_exact' END AS reason_code, "
        "CASE WHEN problems <> [] THEN list_distinct(list_transform(list_filter(problems, "
        "lambda p: p.reason = problems[1].reason AND p.field IS NOT NULL), lambda p: p.field)) "
        f"ELSE coalesce({conflict}, []) END AS fields, "
        "list_sort(list_distinct(list_transform(list_filter(problems, "
        "lambda p: p.reason <> problems[1].reason), lambda p: p.reason))) AS other_reason_codes"
    )
