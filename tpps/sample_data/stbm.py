"""STBM household sanitation and drinking-water records: one CSV per puskesmas and year.

The sanitarian's household survey (FACTS §2.6): latrine access, closet type, final disposal,
drinking-water source. The same households appear in Verval KRS, with BKKBN's stricter coding.
"""

from __future__ import annotations

import numpy as np

from tpps.sample_data import timeline
from tpps.sample_data.cohort import LATRINES, WATER_SOURCES, Cohort
from tpps.sample_data.exports import Column, Form, Kind, numbered
from tpps.sample_data.faults import GENERIC_ROW_FAULTS
from tpps.sample_data.run import COMMA_CSV, Run
from tpps.sample_data.world import World, logistic, stream

FORM = Form(
    source="stbm",
    columns=(
        Column("No", Kind.NUMBER),
        Column("No KK", Kind.NIK),
        Column("Nama Kepala Keluarga", Kind.NAME),
        Column("Kecamatan"),
        Column("Desa/Kel", Kind.DESA),
        Column("Dusun"),
        Column("RT"),
        Column("RW"),
        Column("Jumlah Jiwa", Kind.NUMBER),
        Column("Sumber Air Minum"),
        Column("Akses Jamban"),
        Column("Jenis Kloset"),
        Column("Pembuangan Akhir"),
        Column("CTPS"),
        Column("Pengelolaan Sampah"),
        Column("Tanggal Verifikasi", Kind.DATE),
    ),
    faults=GENERIC_ROW_FAULTS,
)
WATER_LABELS = np.array([w[0] for w in WATER_SOURCES], dtype=object)
WATER_LAYAK = np.array([w[2] for w in WATER_SOURCES])  # Susenas definition (N4)


def sanitation_layak(latrine: np.ndarray, kelurahan: np.ndarray) -> np.ndarray:
    """Susenas "sanitasi layak" (N5): goose-neck to a septic tank, or, in a rural desa only,
    goose-neck to a pit (FACTS §2.6)."""
    return (latrine <= 1) | ((latrine == 2) & ~kelurahan)


def write_stbm(run: Run, world: World, cohort: Cohort, months: np.ndarray) -> None:
    families, children = cohort.families, cohort.children
    rng = stream(run.config.seed, "stbm", world.index, cohort.unit_number)
    delivery = run.delivery("stbm", world, cohort.unit_number)
    kelurahan = np.array([d.is_kelurahan for d in world.desa])
    handwashing = logistic(0.8 + 0.6 * world.access)
    waste = logistic(0.2 + 0.6 * world.access)
    latrine = np.array(LATRINES, dtype=object)
    for year, snapshot in timeline.snapshot_dates(months):
        home = np.flatnonzero(children.birth[families.first_child] <= snapshot)
        home = home[np.lexsort((families.rt[home], families.desa[home]))]
        n = len(home)
        desa = families.desa[home]
        born = (children.birth[families.first_child[home]] <= snapshot).astype(int) + (
            (families.second_child[home] >= 0)
            & (children.birth[np.maximum(families.second_child[home], 0)] <= snapshot)
        )
        first = timeline.year_start(year)
        visited = first + rng.integers(0, int((snapshot - first).astype(int)) + 1, n)
        frame = {
            "No": np.arange(1, n + 1, dtype=float),
            "No KK": families.kk[home],
            "Nama Kepala Keluarga": families.father_name[home],
            "Kecamatan": world.kecamatan_name[desa],
            "Desa/Kel": world.desa_name[desa],
            "Dusun": np.char.title(families.dusun[home].astype(str)).astype(object),
            "RT": numbered("", families.rt[home], 3),
            "RW": numbered("", families.rw[home], 3),
            "Jumlah Jiwa": (
                2 + born + np.minimum(families.parity_before[home], 4) + rng.integers(0, 3, n)
            ).astype(float),
            "Sumber Air Minum": WATER_LABELS[families.water[home]],
            "Akses Jamban": latrine[families.latrine[home], 0],
            "Jenis Kloset": latrine[families.latrine[home], 1],
            "Pembuangan Akhir": latrine[families.latrine[home], 2],
            "CTPS": np.where(rng.random(n) < handwashing[desa], "Ya", "Tidak").astype(object),
            "Pengelolaan Sampah": np.where(rng.random(n) < waste[desa], "Ya", "Tidak").astype(
                object
            ),
            "Tanggal Verifikasi": visited.astype("datetime64[D]"),
        }
        export = delivery.open(f"stbm_{cohort.unit.slug}_{year}", FORM, style=COMMA_CSV)
        codes = delivery.planter.draw(FORM, n, xlsx=False)
        export.write(
            frame, delivery.planter.apply(FORM, frame, codes, xlsx=False, decimal=export.decimal)
        )
        delivery.close(export)
        _coverage(
            run, world, desa, families.water[home], families.latrine[home], kelurahan, str(year)
        )


def _coverage(
    run: Run,
    world: World,
    desa: np.ndarray,
    water: np.ndarray,
    latrine: np.ndarray,
    kelurahan: np.ndarray,
    year: str,
) -> None:
    """N4, N5 per household; N11 per desa (every recorded household uses a latrine)."""
    code = world.desa_code[desa]
    period = np.full(len(desa), year, dtype=object)
    every = np.ones(len(desa), bool)
    run.truth.coverage("N4", "stbm", code, period, WATER_LAYAK[water], every)
    run.truth.coverage(
        "N5", "stbm", code, period, sanitation_layak(latrine, kelurahan[desa]), every
    )
    surveyed = np.unique(desa)
    open_defecation = np.bincount(
        desa, weights=latrine == len(LATRINES) - 1, minlength=len(world.desa)
    )[surveyed]
    run.truth.coverage(
        "N11",
        "stbm",
        world.desa_code[surveyed],
        np.full(len(surveyed), year, dtype=object),
        open_defecation == 0,
        np.ones(len(surveyed), bool),
    )
