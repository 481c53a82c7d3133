"""School iron-tablet (TTD) reports for adolescent girls: school x month, one CSV per kabupaten
and year. Each school hands out tablets (four a month, weekly) to a share of its girls that
depends on its desa; school holidays (June, July, December) lower it."""

from __future__ import annotations

import numpy as np

from tpps.sample_data.exports import Column, Form, Kind
from tpps.sample_data.faults import BULAN
from tpps.sample_data.world import World, spread

N = Kind.NUMBER
FORM = Form(
    source="ttd_remaja",
    columns=(
        Column("NPSN"),
        Column("Nama Sekolah"),
        Column("Jenjang"),
        Column("Kecamatan"),
        Column("Desa/Kelurahan", Kind.DESA),
        Column("Bulan"),
        Column("Tahun", N),
        Column("Jumlah Siswi", N),
        Column("Siswi Mendapat TTD", N),
        Column("Siswi Minum TTD", N),
        Column("Jumlah Tablet Diberikan", N),
    ),
    faults=("unknown_desa", "trailing_space", "duplicate_exact"),
)
TABLETS_PER_MONTH = 4
HOLIDAY_FACTOR = {6: 0.6, 7: 0.2, 12: 0.6}


def ttd_rows(world: World, months: np.ndarray, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """One row per school and data month, schools in listing order."""
    schools = world.schools
    desa = np.array([s.desa for s in schools])
    girls = np.array([s.girls for s in schools])
    reach = spread(rng, world.coverage["ttd_remaja"][desa], 0.6)
    n_schools, n_months = len(schools), len(months)
    month_number = np.array([int(str(m)[5:7]) for m in months])
    factor = np.array([HOLIDAY_FACTOR.get(m, 1.0) for m in month_number])
    enrolled = np.repeat(girls, n_months) + rng.integers(-3, 4, n_schools * n_months)
    got = rng.binomial(enrolled, np.repeat(reach, n_months) * np.tile(factor, n_schools))
    took = rng.binomial(got, 0.75)
    school = np.repeat(np.arange(n_schools), n_months)
    month = np.tile(np.arange(n_months), n_schools)
    order = np.lexsort((school, month))
    rows = {
        "NPSN": np.array([s.npsn for s in schools], dtype=object)[school],
        "Nama Sekolah": np.array([s.name for s in schools], dtype=object)[school],
        "Jenjang": np.array([s.level for s in schools], dtype=object)[school],
        "Kecamatan": world.kecamatan_name[desa[school]],
        "Desa/Kelurahan": world.desa_name[desa[school]],
        "Bulan": np.array(BULAN, dtype=object)[month_number[month] - 1],
        "Tahun": np.array([float(str(m)[:4]) for m in months])[month],
        "Jumlah Siswi": enrolled.astype(float),
        "Siswi Mendapat TTD": got.astype(float),
        "Siswi Minum TTD": took.astype(float),
        "Jumlah Tablet Diberikan": (TABLETS_PER_MONTH * got).astype(float),
        "desa": desa[school],
        "month": np.datetime_as_string(months)[month].astype(object),
    }
    return {label: values[order] for label, values in rows.items()}
