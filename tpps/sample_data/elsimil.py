"""Elsimil (BKKBN) bride- and groom-to-be screening: one row per catin, one CSV per kabupaten
and year of registration.

Couples register some weeks to months before the planned wedding (N3 asks for at least three
months) and are screened at a health facility: weight, height, BMI, LiLA, waist, Hb, smoking.
The risk status follows the cut-offs FACTS §2.5 lists (women: LiLA < 23.5, Hb < 12, BMI < 18.5
or under 20 years; men: Hb < 13 or BMI < 18.5).
"""

from __future__ import annotations

import numpy as np

from tpps.sample_data import people, timeline
from tpps.sample_data.exports import Column, Form, Kind, numbered
from tpps.sample_data.faults import GENERIC_ROW_FAULTS
from tpps.sample_data.world import World, stream

N = Kind.NUMBER
FORM = Form(
    source="elsimil",
    columns=(
        Column("No Registrasi"),
        Column("NIK", Kind.NIK),
        Column("Nama", Kind.NAME),
        Column("Jenis Kelamin"),
        Column("Tanggal Lahir", Kind.DATE),
        Column("Umur", N),
        Column("Kecamatan"),
        Column("Desa/Kelurahan", Kind.DESA),
        Column("Tanggal Daftar", Kind.DATE),
        Column("Rencana Tanggal Menikah", Kind.DATE),
        Column("Tanggal Pemeriksaan", Kind.DATE),
        Column("Berat Badan (kg)", N, 1),
        Column("Tinggi Badan (cm)", N, 1),
        Column("IMT", N, 1),
        Column("LiLA (cm)", N, 1),
        Column("Lingkar Perut (cm)", N, 1),
        Column("Hb (g/dL)", N, 1),
        Column("Merokok"),
        Column("Status Risiko"),
        Column("Pendampingan TPK"),
    ),
    faults=(*GENERIC_ROW_FAULTS, "birth_after_event"),
    targets={"birth_after_event": ("Tanggal Lahir",)},
    event="Tanggal Daftar",
)
COUPLES_PER_BIRTH = 0.45 * 0.6  # marriages per birth, share registering in Elsimil
EARLY_DAYS = 90  # N3: registered at least three months before the wedding


def catin_rows(world: World, months: np.ndarray, seed: int) -> dict[str, np.ndarray]:
    """Every catin of the kabupaten registering in the data months, in registration order."""
    rng = stream(seed, "elsimil-people", world.index)
    births_per_month = world.children / 60
    couples = rng.poisson(births_per_month * COUPLES_PER_BIRTH * len(months))
    desa = np.repeat(np.repeat(np.arange(len(world.desa)), couples), 2)
    n = len(desa)
    female = np.tile([True, False], n // 2)
    first, last = timeline.first_day(months), timeline.last_day(months)
    registered = np.repeat(first + rng.integers(0, int((last - first).astype(int)) + 1, n // 2), 2)
    lead = np.where(
        rng.random(n // 2) < world.coverage["elsimil_early"][desa[::2]],
        rng.integers(EARLY_DAYS, 200, n // 2),
        rng.integers(10, EARLY_DAYS, n // 2),
    )
    wedding = registered + np.repeat(lead, 2).astype("timedelta64[D]")
    bride_age = np.clip(rng.normal(21.5, 3.5, n // 2), 15.5, 38)
    age = np.repeat(bride_age, 2) + np.where(female, 0, np.clip(rng.normal(4, 3, n), -2, 15))
    birth = registered - timeline.days(age * 365.25)
    checked = rng.random(n) < np.repeat(world.coverage["elsimil_check"][desa[::2]], 2)
    exam = registered + rng.integers(0, 30, n).astype("timedelta64[D]")
    exam = np.where(checked & (exam < wedding) & (exam <= last), exam, np.datetime64("NaT"))
    measured = ~np.isnat(exam)
    height = np.where(female, rng.normal(153, 5.5, n), rng.normal(164, 6, n))
    bmi = np.where(female, rng.normal(22, 3.5, n), rng.normal(22.5, 3.2, n))
    weight = bmi * (height / 100) ** 2
    lila = np.where(female, rng.normal(25, 3, n), rng.normal(28, 2.8, n))
    hb = np.where(female, rng.normal(12.3, 1.4, n), rng.normal(14.5, 1.3, n))
    whole_years = np.floor(age)
    risky = np.where(
        female,
        (lila < 23.5) | (hb < 12) | (bmi < 18.5) | (whole_years < 20),
        (hb < 13) | (bmi < 18.5),
    )
    region = np.array([people.region_number(d.kecamatan_code) for d in world.desa])[desa]
    order = np.argsort(registered, kind="stable")

    def measure(values: np.ndarray) -> np.ndarray:
        return np.where(measured, np.round(values, 1), np.nan)

    rows = {
        "No Registrasi": numbered(f"ELS{world.digits}", np.arange(n), 6),
        "NIK": people.nik(region, birth, female, people.CATIN_BLOCK),
        "Nama": people.adult_names(rng, female),
        "Jenis Kelamin": np.where(female, "Perempuan", "Laki-laki").astype(object),
        "Tanggal Lahir": birth,
        "Umur": whole_years,
        "Kecamatan": world.kecamatan_name[desa],
        "Desa/Kelurahan": world.desa_name[desa],
        "Tanggal Daftar": registered,
        "Rencana Tanggal Menikah": wedding,
        "Tanggal Pemeriksaan": exam,
        "Berat Badan (kg)": measure(weight),
        "Tinggi Badan (cm)": measure(height),
        "IMT": measure(bmi),
        "LiLA (cm)": measure(lila),
        "Lingkar Perut (cm)": measure(np.where(female, rng.normal(76, 9, n), rng.normal(80, 9, n))),
        "Hb (g/dL)": measure(hb),
        "Merokok": np.where(rng.random(n) < np.where(female, 0.02, 0.6), "Ya", "Tidak").astype(
            object
        ),
        "Status Risiko": np.where(measured, np.where(risky, "Berisiko", "Ideal"), None),
        "Pendampingan TPK": np.where(
            rng.random(n) < np.where(risky, 0.7, 0.4), "Ya", "Tidak"
        ).astype(object),
        "desa": desa,
    }
    return {label: values[order] for label, values in rows.items()}
