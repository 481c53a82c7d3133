"""Dapodik PAUD enrolment: one row per enrolled child, one CSV per kabupaten and year.

Children of the cohort aged 2-6 on the yearly reference date enrol with a probability that rises
with age and with the desa's access; most attend a unit in their own desa, some one nearby.
"""

from __future__ import annotations

import numpy as np

from tpps.sample_data.cohort import Cohort
from tpps.sample_data.exports import Column, Form, Kind
from tpps.sample_data.faults import GENERIC_ROW_FAULTS
from tpps.sample_data.world import World

FORM = Form(
    source="paud",
    columns=(
        Column("NPSN"),
        Column("Nama Satuan"),
        Column("Bentuk Pendidikan"),
        Column("Kecamatan"),
        Column("Desa/Kelurahan Satuan", Kind.DESA),
        Column("Nama Peserta Didik", Kind.NAME),
        Column("NIK", Kind.NIK),
        Column("JK"),
        Column("Tanggal Lahir", Kind.DATE),
        Column("Nama Ibu Kandung", Kind.NAME),
        Column("Kecamatan Domisili"),
        Column("Desa/Kelurahan Domisili", Kind.DESA),
        Column("Rombel"),
        Column("Tanggal Masuk", Kind.DATE),
        Column("Status"),
    ),
    faults=(*GENERIC_ROW_FAULTS, "birth_after_event"),
    targets={"birth_after_event": ("Tanggal Lahir",)},
    event="Tanggal Masuk",
)
AGE_YEARS = np.array([2, 3, 4, 5, 6])
ENROLMENT_BY_AGE = np.array([0.3, 0.6, 0.9, 1.0, 1.0])  # x the desa's PAUD coverage (x 1.6)
PAUD_AGES_DAYS = (3 * 365, 7 * 365)  # indicator PAUD: children aged 3-6


def paud_rows(
    world: World, cohort: Cohort, snapshot_date: np.datetime64, rng: np.random.Generator
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Enrolment rows on the date, and per child of PAUD age whether enrolled (ground truth)."""
    children, families = cohort.children, cohort.families
    age = (snapshot_date - children.birth).astype(int)
    eligible = np.flatnonzero((age >= 2 * 365) & (age < 7 * 365))
    years = np.minimum(age[eligible] // 365, 6)
    chance = np.minimum(
        0.95,
        1.6
        * world.coverage["paud"][children.desa[eligible]]
        * np.interp(years, AGE_YEARS, ENROLMENT_BY_AGE),
    )
    enrolled = eligible[rng.random(len(eligible)) < chance]
    n = len(enrolled)
    units = world.paud_units
    unit_desa = np.array([u.desa for u in units])
    home = children.desa[enrolled]
    # A unit of the child's own desa (or, for one in ten, any unit nearby in the listing).
    first = np.searchsorted(unit_desa, home)
    count = np.searchsorted(unit_desa, home, side="right") - first
    nearby = np.clip(first + rng.integers(-3, 4, n), 0, len(units) - 1)
    unit = np.where(rng.random(n) < 0.1, nearby, first + (rng.random(n) * count).astype(int))
    form = np.array([u.form for u in units], dtype=object)[unit]
    child_years = age[enrolled] // 365
    group = np.select(
        [
            np.isin(form, ("TK", "RA")) & (child_years >= 5),
            np.isin(form, ("TK", "RA")),
            form == "TPA",
        ],
        ["Kelompok B", "Kelompok A", "TPA"],
        "Kelompok Bermain",
    ).astype(object)
    since = np.maximum(
        children.birth[enrolled] + 2 * 365, snapshot_date - rng.integers(30, 3 * 365, n)
    )
    rows = {
        "NPSN": np.array([u.npsn for u in units], dtype=object)[unit],
        "Nama Satuan": np.array([u.name for u in units], dtype=object)[unit],
        "Bentuk Pendidikan": form,
        "Kecamatan": world.kecamatan_name[unit_desa[unit]],
        "Desa/Kelurahan Satuan": world.desa_name[unit_desa[unit]],
        "Nama Peserta Didik": np.char.title(children.name[enrolled].astype(str)).astype(object),
        "NIK": np.where(children.nik_from[enrolled] <= snapshot_date, children.nik[enrolled], None),
        "JK": np.where(children.female[enrolled], "P", "L").astype(object),
        "Tanggal Lahir": children.birth[enrolled],
        "Nama Ibu Kandung": families.mother_name[children.family[enrolled]],
        "Kecamatan Domisili": world.kecamatan_name[home],
        "Desa/Kelurahan Domisili": world.desa_name[home],
        "Rombel": group,
        "Tanggal Masuk": since.astype("datetime64[D]"),
        "Status": np.full(n, "Aktif", dtype=object),
    }
    low, high = PAUD_AGES_DAYS
    target = np.flatnonzero((age >= low) & (age < high))
    truth = {"desa": children.desa[target], "enrolled": np.isin(target, enrolled)}
    return rows, truth
