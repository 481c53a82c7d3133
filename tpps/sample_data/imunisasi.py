"""Imunisasi register: one row per child and antigen dose, one CSV per puskesmas and year.

The register starts twelve months before the first data month, so every child turning one in a
data month has its whole first year on file (indicator S9, imunisasi dasar lengkap).
"""

from __future__ import annotations

import numpy as np

from tpps.sample_data import timeline
from tpps.sample_data.cohort import Cohort
from tpps.sample_data.exports import Column, CsvStyle, Form, Kind
from tpps.sample_data.faults import GENERIC_ROW_FAULTS
from tpps.sample_data.run import Run
from tpps.sample_data.world import World, spread, stream

FORM = Form(
    source="imunisasi",
    columns=(
        Column("No", Kind.NUMBER),
        Column("NIK Anak", Kind.NIK),
        Column("Nama Anak", Kind.NAME),
        Column("JK"),
        Column("Tgl Lahir", Kind.DATE),
        Column("Nama Ibu", Kind.NAME),
        Column("Alamat"),
        Column("Kecamatan"),
        Column("Desa/Kel", Kind.DESA),
        Column("Posyandu", Kind.NAME),
        Column("Jenis Imunisasi"),
        Column("Tanggal Imunisasi", Kind.DATE),
        Column("Tempat Pelayanan"),
    ),
    faults=(*GENERIC_ROW_FAULTS, "birth_after_event"),
    targets={"birth_after_event": ("Tgl Lahir",)},
    event="Tanggal Imunisasi",
)
STYLE = CsvStyle(delimiter=";", decimal=",", newline="\r\n")
# Visits of the basic schedule: target age in days and the antigens given (Kemenkes, FACTS §1.2).
SCHEDULE = (
    (0, ("HB0",)),
    (30, ("BCG", "Polio 1")),
    (60, ("DPT-HB-Hib 1", "Polio 2")),
    (90, ("DPT-HB-Hib 2", "Polio 3")),
    (120, ("DPT-HB-Hib 3", "Polio 4", "IPV")),
    (270, ("MR",)),
)
COMPLETE_DOSES = sum(len(antigens) for _, antigens in SCHEDULE)  # 13 doses = IDL
HISTORY_MONTHS = 12
PLACES = np.array(["Posyandu", "Puskesmas", "Pustu", "Praktik Bidan"], dtype=object)


def write_imunisasi(run: Run, world: World, cohort: Cohort, months: np.ndarray) -> None:
    children, families = cohort.children, cohort.families
    rng = stream(run.config.seed, "imunisasi", world.index, cohort.unit_number)
    delivery = run.delivery("imunisasi", world, cohort.unit_number)
    start = (months[0] - HISTORY_MONTHS).astype("datetime64[D]")
    end = timeline.last_day(months)
    child = np.flatnonzero((children.birth >= start - 300) & (children.birth <= end))
    willing = spread(rng, world.coverage["imunisasi"][children.desa[child]], 1.0)
    dose_child, dose_name, dose_date = [], [], []
    for target, antigens in SCHEDULE:
        came = rng.random(len(child)) < (willing if target else 0.85 * willing)
        delay = rng.integers(0, 8, len(child)) if not target else rng.exponential(12, len(child))
        date = children.birth[child] + timeline.days(target + delay)
        given = came & (date >= start) & (date <= end)
        for antigen in antigens:
            dose_child.append(child[given])
            dose_name.append(np.full(given.sum(), antigen, dtype=object))
            dose_date.append(date[given])
    dosed = np.concatenate(dose_child)
    antigen = np.concatenate(dose_name)
    date = np.concatenate(dose_date)
    order = np.lexsort((antigen.astype(str), dosed, date))
    dosed, antigen, date = dosed[order], antigen[order], date[order]
    family = children.family[dosed]
    frame_all = {
        "NIK Anak": np.where(date >= children.nik_from[dosed], children.nik[dosed], None),
        "Nama Anak": children.name[dosed],
        "JK": np.where(children.female[dosed], "P", "L").astype(object),
        "Tgl Lahir": children.birth[dosed],
        "Nama Ibu": families.mother_name[family],
        "Alamat": "Dusun " + np.char.title(families.dusun[family].astype(str)).astype(object),
        "Kecamatan": world.kecamatan_name[children.desa[dosed]],
        "Desa/Kel": world.desa_name[children.desa[dosed]],
        "Posyandu": np.char.title(world.posyandu_name[children.posyandu[dosed]].astype(str)).astype(
            object
        ),
        "Jenis Imunisasi": antigen,
        "Tanggal Imunisasi": date,
        "Tempat Pelayanan": PLACES[rng.choice(len(PLACES), len(date), p=(0.6, 0.25, 0.1, 0.05))],
    }
    year = np.array([int(str(d)[:4]) for d in date])
    for file_year in sorted(set(year.tolist())):
        rows = np.flatnonzero(year == file_year)
        frame = {label: values[rows] for label, values in frame_all.items()}
        frame["No"] = np.arange(1, len(rows) + 1, dtype=float)
        export = delivery.open(f"imunisasi_{cohort.unit.slug}_{file_year}", FORM, style=STYLE)
        codes = delivery.planter.draw(FORM, len(rows), xlsx=False)
        export.write(
            frame, delivery.planter.apply(FORM, frame, codes, xlsx=False, decimal=export.decimal)
        )
        delivery.close(export)
    _coverage(run, world, cohort, dosed, date, months)


def _coverage(
    run: Run, world: World, cohort: Cohort, dosed: np.ndarray, date: np.ndarray, months: np.ndarray
) -> None:
    """S9: children with a dose on file turning one in a data month; complete = 13 doses before."""
    children = cohort.children
    registered = np.unique(dosed)
    birthday = children.birth[registered] + 365
    before = date < children.birth[dosed] + 365
    complete = (
        np.bincount(np.searchsorted(registered, dosed[before]), minlength=len(registered))
        == COMPLETE_DOSES
    )
    in_window = (birthday >= timeline.first_day(months)) & (birthday <= timeline.last_day(months))
    run.truth.coverage(
        "S9",
        "imunisasi",
        world.desa_code[children.desa[registered]],
        timeline.month_text(birthday),
        complete & in_window,
        in_window,
    )
