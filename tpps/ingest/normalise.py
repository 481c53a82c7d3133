"""One DuckDB SQL normaliser per column kind: cleaned text in, typed value (or NULL) out.

Every function takes a SQL expression of cleaned text (``tidy_text`` then ``empty_as_null``) and
returns a SQL
expression; a present value whose typed form is NULL could not be read and gets the kind's reason
code (``INVALID_REASON``). Everything runs set-wise inside DuckDB: no row passes through Python.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from tpps.ingest.contracts import ZERO_WIDTH_CHARACTERS, Column, Kind

_ZERO_WIDTH_CLASS = "".join(f"\\x{{{ord(c):04X}}}" for c in ZERO_WIDTH_CHARACTERS)
_SPACE_CLASS = r"\s\x{00A0}\x{2007}\x{202F}"

SQL_TYPES: Mapping[Kind, str] = {
    Kind.TEXT: "VARCHAR",
    Kind.NAME: "VARCHAR",
    Kind.NIK: "VARCHAR",
    Kind.ID: "VARCHAR",
    Kind.DATE: "DATE",
    Kind.DECIMAL: "DOUBLE",
    Kind.INTEGER: "INTEGER",
    Kind.SEX: "SMALLINT",
    Kind.POSITION: "VARCHAR",
    Kind.BOOLEAN: "BOOLEAN",
    Kind.CODE: "VARCHAR",
    Kind.MONTH: "SMALLINT",
    Kind.DESA_CODE: "VARCHAR",
}

# Reason for a present value that cannot be read. An unreadable NIK is not a rejection: the row
# keeps a surrogate key and a flag. An unknown desa code falls back to the desa name.
INVALID_REASON: Mapping[Kind, str | None] = {
    Kind.TEXT: None,
    Kind.NAME: None,
    Kind.NIK: None,
    Kind.ID: None,
    Kind.DATE: "invalid_date",
    Kind.DECIMAL: "invalid_number",
    Kind.INTEGER: "invalid_number",
    Kind.SEX: "invalid_code",
    Kind.POSITION: "invalid_code",
    Kind.BOOLEAN: "invalid_code",
    Kind.CODE: "invalid_code",
    Kind.MONTH: "invalid_date",
    Kind.DESA_CODE: None,
}

SEX_CODES = {
    1: ("l", "lk", "laki", "lakilaki", "pria", "m", "male", "1"),
    2: ("p", "pr", "perempuan", "wanita", "w", "f", "female", "2"),
}
POSITION_CODES = {
    "l": (
        "terlentang",
        "telentang",
        "berbaring",
        "baring",
        "pb",
        "l",
        "lying",
        "recumbent",
        "panjangbadan",
    ),
    "h": ("berdiri", "tb", "h", "standing", "tinggibadan"),
}
BOOLEAN_CODES = {
    "true": ("ya", "y", "yes", "true", "1", "ada", "punya", "sudah", "v", "\u2713", "\u221a"),
    "false": ("tidak", "t", "tdk", "no", "n", "false", "0", "tidakada", "belum", "bukan"),
}
MONTHS = {
    1: ("januari", "january", "jan"),
    2: ("februari", "pebruari", "february", "feb", "peb"),
    3: ("maret", "march", "mar"),
    4: ("april", "apr"),
    5: ("mei", "may"),
    6: ("juni", "june", "jun"),
    7: ("juli", "july", "jul"),
    8: ("agustus", "august", "agu", "agt", "ags", "aug"),
    9: ("september", "sept", "sep"),
    10: ("oktober", "october", "okt", "oct"),
    11: ("november", "nopember", "nov", "nop"),
    12: ("desember", "december", "des", "dec"),
}
# Excel serial day numbers plausible for this data (1927-2173); 5 digits, optionally ".0".
EXCEL_EPOCH = "1899-12-30"
_DATE_FORMATS = (
    "%d/%m/%Y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
)


def tidy_text(expression: str) -> str:
    """Remove invisible characters, fold NBSP, tabs and runs of spaces, trim.

    Plain ASCII without double spaces or control whitespace (nearly every cell) takes a cheap
    path that needs no regular expression.
    """
    stripped = f"regexp_replace({expression}, '[{_ZERO_WIDTH_CLASS}]', '', 'g')"
    spaced = f"regexp_replace({stripped}, '[{_SPACE_CLASS}]+', ' ', 'g')"
    plain = f"strlen({expression}) = length({expression}) AND NOT contains({expression}, '  ')"
    plain += "".join(f" AND NOT contains({expression}, chr({c}))" for c in (9, 10, 13))
    return f"trim(CASE WHEN {plain} THEN {expression} ELSE {spaced} END)"


def empty_as_null(column: str) -> str:
    """'', '-' and '--' mean "no value" in these exports.

    Apply it to a column of tidied text, not to the ``tidy_text`` expression itself: a CASE
    repeats its operand, and nested repeats make DuckDB's planner slow on wide files.
    """
    return f"CASE WHEN {column} IN ('', '-', '--') THEN NULL ELSE {column} END"


def place_key(expression: str) -> str:
    """Key of a desa or kecamatan name: letters and digits only, without a 'Desa'/'Kec.' prefix,
    so case, spaces, apostrophes and hyphens never decide a match."""
    unprefixed = (
        f"regexp_replace(lower({expression}), "
        r"'^\s*(desa|kelurahan|kel|ds|kecamatan|kec)(\.|\s)\s*', '')"
    )
    return f"regexp_replace({unprefixed}, '[^0-9a-z]', '', 'g')"


def _letters(expression: str) -> str:
    """Lower-case letters and digits only ("Laki-laki" -> "lakilaki")."""
    return f"regexp_replace(lower({expression}), '[^0-9a-z]', '', 'g')"


def _lookup(expression: str, codes: Mapping[object, tuple[str, ...]], result_type: str) -> str:
    entries = ", ".join(
        f"{sql_literal(word)}: {sql_literal(str(value))}"
        for value, words in codes.items()
        for word in words
    )
    return f"try_cast(map_extract_value(MAP {{{entries}}}, {expression}) AS {result_type})"


def _text(v: str, column: Column) -> str:
    return v


def _name(v: str, column: Column) -> str:
    """Upper-case words only, so "Muh. Ali" and "MUH ALI" give the same surrogate key."""
    return f"nullif(upper(trim(regexp_replace({v}, '[^\\pL\\pN]+', ' ', 'g'))), '')"


def _nik(v: str, column: Column) -> str:
    """16 digits with a plausible province, day (women +40) and month; never a float rendering."""
    digits = f"regexp_replace({v}, '^''|\\s', '', 'g')"
    day = f"try_cast(substr({digits}, 7, 2) AS INTEGER)"
    month = f"try_cast(substr({digits}, 9, 2) AS INTEGER)"
    valid = (
        f"regexp_full_match({digits}, '[0-9]{{16}}') "
        f"AND substr({digits}, 1, 2) BETWEEN '11' AND '94' "
        f"AND ({day} BETWEEN 1 AND 31 OR {day} BETWEEN 41 AND 71) "
        f"AND {month} BETWEEN 1 AND 12"
    )
    return f"CASE WHEN {valid} THEN {digits} END"


def _id(v: str, column: Column) -> str:
    """Upper case without spaces: "els 7317 0001" and "ELS73170001" are one registration."""
    return f"upper(replace({v}, ' ', ''))"


def _month(v: str, column: Column) -> str:
    names = _lookup(f"lower(trim({v}, '. '))", MONTHS, "SMALLINT")
    number = f"try_cast({v} AS SMALLINT)"
    return f"coalesce({names}, CASE WHEN {number} BETWEEN 1 AND 12 THEN {number} END)"


def _date(v: str, column: Column) -> str:
    """dd/mm/yyyy (or - .), ISO (with or without time), d-m-yy (00-68 -> 20yy, POSIX),
    "12 Agustus 2024" / "12-Agu-24", Excel serial day numbers.

    Impossible calendar dates (31 Juni, 29/02/2023) give NULL. The common forms go through
    strptime; the regular expressions only see what that leaves unread.
    """
    formats = ", ".join(f"'{f}'" for f in _DATE_FORMATS)
    parsed = f"try_strptime({v}, [{formats}])::DATE"
    # %Y also reads "22" as the year 22: such dates fall through to the two-digit-year rule.
    common = f"CASE WHEN {parsed} >= DATE '1900-01-01' THEN {parsed} END"
    short_year = f"try_strptime(regexp_replace({v}, '[.-]', '/', 'g'), '%d/%m/%y')::DATE"
    named = (
        f"regexp_extract(lower({v}), '^(\\d{{1,2}})[ -]+([a-z]+)\\.?[ -]+(\\d{{2}}|\\d{{4}})$', "
        "['d', 'm', 'y'])"
    )
    month = _lookup(f"{named}.m", MONTHS, "VARCHAR")
    day_month_year = f"{named}.d || '/' || {month} || '/' || {named}.y"
    named_date = (
        f"CASE WHEN length({named}.y) = 4 THEN try_strptime({day_month_year}, '%d/%m/%Y') "
        f"ELSE try_strptime({day_month_year}, '%d/%m/%y') END::DATE"
    )
    rare = (
        "CASE "
        f"WHEN regexp_full_match({v}, '\\d{{1,2}}[/.-]\\d{{1,2}}[/.-]\\d{{2}}') THEN {short_year} "
        f"WHEN {named}.d <> '' THEN {named_date} "
        f"WHEN regexp_full_match({v}, '[1-9][0-9]{{4}}(\\.0+)?') "
        f"THEN DATE '{EXCEL_EPOCH}' + CAST(CAST({v} AS DOUBLE) AS INTEGER) "
        "END"
    )
    return f"coalesce({common}, {rare})"


def _decimal(v: str, column: Column) -> str:
    """Decimal comma or point, optional thousands separator and the column's own unit suffix."""
    s = v
    if column.unit:
        s = f"regexp_replace({v}, '\\s*{column.unit}\\.?$', '', 'i')"
    return (
        "CASE "
        f"WHEN regexp_full_match({s}, '[+-]?[0-9]{{1,3}}(\\.[0-9]{{3}})+,[0-9]+') "
        f"THEN replace(replace({s}, '.', ''), ',', '.')::DOUBLE "
        f"WHEN regexp_full_match({s}, '[+-]?[0-9]{{1,3}}(,[0-9]{{3}})+\\.[0-9]+') "
        f"THEN replace({s}, ',', '')::DOUBLE "
        f"WHEN regexp_full_match({s}, '[+-]?[0-9]*[.,]?[0-9]+') "
        f"THEN replace({s}, ',', '.')::DOUBLE "
        "END"
    )


def _integer(v: str, column: Column) -> str:
    number = _decimal(v, column)
    return (
        f"CASE WHEN {number} = trunc({number}) AND abs({number}) < 2e9 THEN {number}::INTEGER END"
    )


def _sex(v: str, column: Column) -> str:
    return _lookup(_letters(v), SEX_CODES, "SMALLINT")


def _position(v: str, column: Column) -> str:
    return _lookup(_letters(v), POSITION_CODES, "VARCHAR")


def _boolean(v: str, column: Column) -> str:
    return _lookup(f"lower(replace({v}, ' ', ''))", BOOLEAN_CODES, "BOOLEAN")


def _code(v: str, column: Column) -> str:
    allowed = ", ".join(sql_literal(code) for code in column.allowed)
    code = f"upper(replace({v}, ' ', ''))"
    return f"CASE WHEN {code} IN ({allowed}) THEN {code} END"


def _desa_code(v: str, column: Column) -> str:
    """'73.17.01.2005' or '7317012005' -> '73.17.01.2005' (Kemendagri; BPS codes differ)."""
    digits = f"regexp_replace({v}, '[^0-9]', '', 'g')"
    dotted = (
        f"substr({digits}, 1, 2) || '.' || substr({digits}, 3, 2) || '.' || "
        f"substr({digits}, 5, 2) || '.' || substr({digits}, 7, 4)"
    )
    shape = f"regexp_full_match({v}, '\\d{{2}}\\.?\\d{{2}}\\.?\\d{{2}}\\.?\\d{{4}}')"
    return f"CASE WHEN {shape} THEN {dotted} END"


NORMALISERS: Mapping[Kind, Callable[[str, Column], str]] = {
    Kind.TEXT: _text,
    Kind.NAME: _name,
    Kind.NIK: _nik,
    Kind.ID: _id,
    Kind.DATE: _date,
    Kind.DECIMAL: _decimal,
    Kind.INTEGER: _integer,
    Kind.SEX: _sex,
    Kind.POSITION: _position,
    Kind.BOOLEAN: _boolean,
    Kind.CODE: _code,
    Kind.MONTH: _month,
    Kind.DESA_CODE: _desa_code,
}


def normalise(column: Column, cleaned: str) -> str:
    """Typed SQL value of ``column`` from its cleaned text expression."""
    return NORMALISERS[column.kind](cleaned, column)


def sql_literal(text: str | None) -> str:
    """A SQL string literal (or NULL)."""
    return "NULL" if text is None else "'" + text.replace("'", "''") + "'"
