"""Fake but plausible people of Luwu: names, NIK and No KK, generated as numpy arrays.

Names are Bugis/Luwu and general Indonesian given names (with a few Christian names, as in the
Toraja-speaking highlands), upper case as e-PPGBM shows them. NIK follows the Dukcapil layout
(FACTS §2.9): province-kabupaten-kecamatan (6 digits) + birth date DDMMYY with 40 added to the day
for women + a 4-digit serial. Serials are allocated so that no two generated people share a NIK.
"""

from __future__ import annotations

import numpy as np

# fmt: off
BOY_NAMES = np.array([
    "MUHAMMAD", "AHMAD", "RIZKI", "FAJAR", "ARDI", "ALIF", "RAFA", "FARHAN", "ILHAM", "AKBAR",
    "REZKY", "ADITYA", "DIMAS", "FADLI", "HAIKAL", "ZIDAN", "ARKAN", "AQIL", "GIBRAN", "RAYYAN",
    "ALFARIZI", "ALFATIH", "YUSUF", "IBRAHIM", "HAMZAH", "UMAR", "SYAHRUL", "ASRUL", "IRFAN",
    "NAUFAL", "DAFFA", "KENZO", "AZKA", "ABIMANYU", "FIKRI", "HABIBI", "ARSYAD", "SAMUEL",
    "YOHANES", "DAVID",
], dtype=object)
GIRL_NAMES = np.array([
    "SITI", "NUR", "AISYAH", "NAYLA", "ZAHRA", "PUTRI", "AZZAHRA", "KHADIJAH", "FATIMAH",
    "NABILA", "SALSABILA", "ALYA", "HUMAIRAH", "RAHMA", "ANISA", "NURUL", "ZASKIA", "KHAIRUNNISA",
    "AULIA", "SYIFA", "QIANSA", "ADELIA", "NAILA", "INAYAH", "ALESHA", "ARSYILA", "ZALFA",
    "HANIFAH", "ANDINI", "NURHALIZA", "MAGFIRAH", "MUTIARA", "ASYIFA", "KEISHA", "GRACIA",
    "MARIA", "DEBORA",
], dtype=object)
MAN_NAMES = np.array([
    "SYAMSUDDIN", "MUSTARI", "BAHTIAR", "HASANUDDIN", "SUPARMAN", "ABDULLAH", "AMIRUDDIN",
    "BASRI", "JUMADI", "RUSDI", "HAMZAH", "SUDIRMAN", "ARIFUDDIN", "SULAIMAN", "NASRUN",
    "MUHAMMAD", "AHMAD", "ANDI", "ILHAM", "IRWAN", "ASRI", "JUNAEDI", "SAHABUDDIN", "RAHMAT",
    "HERMAN", "SAPRI", "DARWIS", "ALIMUDDIN", "KAMARUDDIN", "MUSLIMIN", "YAKOB", "MARKUS",
    "PAULUS",
], dtype=object)
WOMAN_NAMES = np.array([
    "HASNAH", "SITTI", "RAHMAWATI", "JUMRIANI", "HASRIANI", "NURHAYATI", "SUHARTINI", "MARLINA",
    "HARNIATI", "SRIWAHYUNI", "NURLIANA", "HASMAWATI", "FITRIANI", "MUSDALIFAH", "SALMAWATI",
    "RISNAWATI", "HADIJAH", "NURSIAH", "ERNAWATI", "KASMAWATI", "ROSMIATI", "MARDIANA", "HERLINA",
    "YULIANTI", "SUKMAWATI", "NURWAHIDAH", "ASTUTI", "RAHMI", "MARTHA", "YULIANA",
], dtype=object)
# Second parts of names; Bugis families often add ANDI in front (a title, not a surname).
SECOND_NAMES = np.array([
    "SAPUTRA", "PRATAMA", "RAMADHAN", "HIDAYAT", "NURDIN", "SYAHPUTRA", "KURNIAWAN", "WIJAYA",
    "HASAN", "SALEH", "MAULANA", "ANUGRAH", "RAHMAN", "AZIZ", "FIRDAUS", "KARIM", "ALI", "HAKIM",
    "SALAM", "JAYA",
], dtype=object)
GIRL_SECOND_NAMES = np.array([
    "PUTRI", "RAMADHANI", "AULIA", "AZZAHRA", "SALSABILA", "KHAIRUNNISA", "NURFADILLAH",
    "ANGRAENI", "LESTARI", "HUMAIRA", "MAHARANI", "SAFITRI", "WULANDARI", "RAHMADANI", "NUR",
    "AMALIA",
], dtype=object)
# fmt: on

SERIAL_BLOCK = 700  # serials per (person kind, allocation block); ranks per date stay far below
# Serial blocks (x SERIAL_BLOCK): children, mothers and fathers of puskesmas slot 0 and 1 of a
# kecamatan (0-5), the same three kinds registered elsewhere (migrants, 6-8), catin (9).
MIGRANT_BLOCK = 6
CATIN_BLOCK = 9
_NIK_DAY_OFFSET_FEMALE = 40


def _pick(rng: np.random.Generator, names: np.ndarray, n: int) -> np.ndarray:
    return names[rng.integers(0, len(names), n)]


def _joined(first: np.ndarray, second: np.ndarray, use_second: np.ndarray) -> np.ndarray:
    out = first.copy()
    out[use_second] = first[use_second] + " " + second[use_second]
    return out


def child_names(rng: np.random.Generator, female: np.ndarray) -> np.ndarray:
    """Two-part given names ("NAYLA PUTRI", "MUHAMMAD RIZKI"), ANDI in front for some."""
    n = len(female)
    first = np.where(female, _pick(rng, GIRL_NAMES, n), _pick(rng, BOY_NAMES, n))
    second = np.where(female, _pick(rng, GIRL_SECOND_NAMES, n), _pick(rng, SECOND_NAMES, n))
    names = _joined(first, second, np.ones(n, dtype=bool))
    andi = rng.random(n) < 0.08
    names[andi] = "ANDI " + names[andi]
    return names


def adult_names(rng: np.random.Generator, female: np.ndarray) -> np.ndarray:
    """Parents' generation: often one word ("HASNAH"), sometimes two."""
    n = len(female)
    first = np.where(female, _pick(rng, WOMAN_NAMES, n), _pick(rng, MAN_NAMES, n))
    second = np.where(female, _pick(rng, WOMAN_NAMES, n), _pick(rng, SECOND_NAMES, n))
    return _joined(first, second, rng.random(n) < 0.35)


def parent_field(rng: np.random.Generator, father: np.ndarray, mother: np.ndarray) -> np.ndarray:
    """e-PPGBM "Nama Ortu": "AYAH / IBU", "AYAH, IBU" or the mother alone (FACTS §2.1)."""
    style = rng.random(len(father))
    return np.where(
        style < 0.45, father + " / " + mother, np.where(style < 0.7, father + ", " + mother, mother)
    )


def region_number(kecamatan_code: str) -> int:
    """ "73.17.07" -> 731707, the first six digits of NIK and No KK registered there."""
    return int(kecamatan_code.replace(".", ""))


def _ddmmyy(date: np.ndarray) -> np.ndarray:
    years = date.astype("datetime64[Y]")
    months = date.astype("datetime64[M]")
    day = (date - months).astype(np.int64) + 1
    month = (months - years).astype(np.int64) + 1
    year = years.astype(np.int64) + 1970
    return day * 10_000 + month * 100 + year % 100


def serials(groups: np.ndarray, block: np.ndarray | int) -> np.ndarray:
    """Serial 1.. within each group (same region and date), offset by an allocation block.

    Blocks separate generators that share a region and date (the kinds of people of the
    puskesmas units of one kecamatan), so their NIKs cannot collide.
    """
    order = np.argsort(groups, kind="stable")
    ranked = groups[order]
    starts = np.r_[0, np.flatnonzero(ranked[1:] != ranked[:-1]) + 1]
    rank_sorted = np.arange(len(ranked)) - np.repeat(starts, np.diff(np.r_[starts, len(ranked)]))
    ranks = np.empty_like(rank_sorted)
    ranks[order] = rank_sorted
    if len(ranks) and ranks.max() >= SERIAL_BLOCK:
        raise ValueError("more people share a region and date than a serial block holds")
    return 1 + np.asarray(block) * SERIAL_BLOCK + ranks


def nik(
    region: np.ndarray, birth: np.ndarray, female: np.ndarray, block: np.ndarray | int
) -> np.ndarray:
    """16-digit NIK strings: region (6) + DDMMYY (women DD+40) + serial (4)."""
    date_part = _ddmmyy(birth) + female * _NIK_DAY_OFFSET_FEMALE * 10_000
    number = region.astype(np.int64) * 10**10 + date_part * 10**4
    return _digits(number + serials(region.astype(np.int64) * 10**6 + date_part, block))


def kk_number(region: np.ndarray, issued: np.ndarray, block: np.ndarray | int) -> np.ndarray:
    """16-digit No KK strings: region (6) + issue date DDMMYY + serial (4)."""
    date_part = _ddmmyy(issued)
    number = region.astype(np.int64) * 10**10 + date_part * 10**4
    return _digits(number + serials(region.astype(np.int64) * 10**6 + date_part, block))


def _digits(numbers: np.ndarray) -> np.ndarray:
    return numbers.astype(str).astype(object)
