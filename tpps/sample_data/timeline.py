"""Calendar helpers shared by the sources: data months, export dates, yearly snapshots."""

from __future__ import annotations

import numpy as np


def first_day(months: np.ndarray) -> np.datetime64:
    return months[0].astype("datetime64[D]")


def last_day(months: np.ndarray) -> np.datetime64:
    """The export date: the last day of the last data month; nothing later is recorded."""
    return (months[-1] + 1).astype("datetime64[D]") - 1


def years(months: np.ndarray) -> list[int]:
    return sorted({int(str(m)[:4]) for m in months})


def year_start(year: int) -> np.datetime64:
    return np.datetime64(f"{year}-01-01", "D")


def snapshot_dates(months: np.ndarray) -> list[tuple[int, np.datetime64]]:
    """Per data year, the reference date of yearly registers: its last data day."""
    return [
        (year, (max(m for m in months if int(str(m)[:4]) == year) + 1).astype("datetime64[D]") - 1)
        for year in years(months)
    ]


def month_text(dates: np.ndarray) -> np.ndarray:
    """ "2025-08" per date (object array)."""
    return np.datetime_as_string(dates.astype("datetime64[M]")).astype(object)


def age_days(birth: np.ndarray, on: np.datetime64 | np.ndarray) -> np.ndarray:
    return (on - birth).astype("timedelta64[D]").astype(np.int64)


def completed_years(birth: np.ndarray, on: np.datetime64 | np.ndarray) -> np.ndarray:
    return np.floor(age_days(birth, on) / 365.25).astype(np.int64)


def days(offset: np.ndarray) -> np.ndarray:
    """Whole days as timedelta64 (rounding floats)."""
    return np.round(np.asarray(offset, dtype=float)).astype("timedelta64[D]")
