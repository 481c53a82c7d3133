"""Verval KRS (BKKBN): one row per keluarga sasaran, one CSV per kabupaten and year.

Coded as BKKBN codes it (FACTS §1.5): water and latrine 1 = layak, 2 = tidak layak; the 4T
factors 2 = ya, 1 = tidak, 3 = tidak berlaku. A family is at risk (KRS) with any factor present.
Accompaniment by the TPK and GENTING foster parents favour at-risk and poor families.
"""

from __future__ import annotations

import numpy as np

from tpps.sample_data.cohort import WATER_SOURCES, Cohort
from tpps.sample_data.exports import Column, Form, Kind, numbered
from tpps.sample_data.faults import GENERIC_ROW_FAULTS
from tpps.sample_data.world import World, choose

N = Kind.NUMBER
FORM = Form(
    source="krs",
    columns=(
        Column("kode_keluarga"),
        Column("no_kk", Kind.NIK),
        Column("nik_kepala_keluarga", Kind.NIK),
        Column("nama_kepala_keluarga", Kind.NAME),
        Column("nik_istri", Kind.NIK),
        Column("nama_istri", Kind.NAME),
        Column("tanggal_lahir_istri", Kind.DATE),
        Column("nama_provinsi"),
        Column("nama_kabupaten"),
        Column("nama_kecamatan"),
        Column("nama_kelurahan", Kind.DESA),
        Column("kode_kelurahan"),
        Column("latitude", N, 6),
        Column("longitude", N, 6),
        Column("tingkat_kesejahteraan"),
        Column("jumlah_anak", N),
        Column("punya_baduta"),
        Column("punya_balita"),
        Column("pus"),
        Column("pus_hamil"),
        Column("kondisi_sumber_air_minum", N),
        Column("kondisi_fasilitas_bab", N),
        Column("terlalu_muda", N),
        Column("terlalu_tua", N),
        Column("terlalu_dekat", N),
        Column("terlalu_banyak", N),
        Column("status_risiko"),
        Column("pendampingan_tpk"),
        Column("jumlah_kunjungan_tpk", N),
        Column("tanggal_kunjungan_terakhir", Kind.DATE),
        Column("sasaran_prioritas_genting"),
        Column("orang_tua_asuh"),
        Column("tanggal_verval", Kind.DATE),
    ),
    faults=tuple(c for c in GENERIC_ROW_FAULTS if c != "lost_decimal"),
)
YES, NO, NOT_APPLICABLE = 2, 1, 3
KRS_WATER_LAYAK = np.array([w[1] for w in WATER_SOURCES])  # BKKBN list (FACTS §1.5)
FOSTER_PARENTS = (
    ("Dinas Kesehatan", 0.2),
    ("Dinas PPKB", 0.2),
    ("Bank Sulselbar", 0.15),
    ("Kantor Kementerian Agama", 0.1),
    ("Polres", 0.1),
    ("Kodim", 0.1),
    ("Baznas", 0.1),
    ("PT PLN (Persero)", 0.05),
)


def _yes_no(flag: np.ndarray) -> np.ndarray:
    return np.where(flag, "Ya", "Tidak").astype(object)


def krs_rows(
    world: World, cohort: Cohort, snapshot_date: np.datetime64, year: int, rng: np.random.Generator
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """The rows of the families that are keluarga sasaran on the date; also their desa and
    whether each is at risk (for the ground truth)."""
    families = cohort.families
    state = cohort.snapshot(snapshot_date)
    wife_age = state.mother_age
    keep = np.flatnonzero(state.formed & (wife_age >= 15) & (wife_age <= 49))
    n = len(keep)
    desa = families.desa[keep]
    age = wife_age[keep]
    codes = {
        "kondisi_sumber_air_minum": np.where(KRS_WATER_LAYAK[families.water[keep]], 1, 2),
        "kondisi_fasilitas_bab": np.where(families.latrine[keep] <= 1, 1, 2),
        "terlalu_muda": np.where(age < 20, YES, NO),
        "terlalu_tua": np.where((age >= 35) & (age <= 40), YES, NO),
        "terlalu_dekat": np.where(
            np.isnan(state.spacing_months[keep]),
            NOT_APPLICABLE,
            np.where(state.spacing_months[keep] < 24, YES, NO),
        ),
        "terlalu_banyak": np.where(state.children_total[keep] > 3, YES, NO),
    }
    at_risk = (codes["kondisi_sumber_air_minum"] == 2) | (codes["kondisi_fasilitas_bab"] == 2)
    for factor in ("terlalu_muda", "terlalu_tua", "terlalu_dekat", "terlalu_banyak"):
        at_risk |= codes[factor] == YES
    desil = families.desil[keep]
    accompanied = rng.random(n) < np.where(at_risk, world.coverage["tpk"][desa], 0.1)
    visits = np.where(accompanied, rng.integers(1, 7, n), 0)
    last_visit = snapshot_date - rng.integers(0, 90, n).astype("timedelta64[D]")
    genting = at_risk & (desil <= 3) & (rng.random(n) < 0.25)
    verval = snapshot_date - rng.integers(0, 150, n).astype("timedelta64[D]")
    jitter = rng.normal(0, 0.005, (n, 2))
    rows = {
        "kode_keluarga": numbered(f"{world.digits}{year}{cohort.unit_number:04d}", keep, 6),
        "no_kk": families.kk[keep],
        "nik_kepala_keluarga": families.father_nik[keep],
        "nama_kepala_keluarga": families.father_name[keep],
        "nik_istri": families.mother_nik[keep],
        "nama_istri": families.mother_name[keep],
        "tanggal_lahir_istri": families.mother_birth[keep],
        "nama_provinsi": np.full(n, world.province, dtype=object),
        "nama_kabupaten": np.full(n, world.name, dtype=object),
        "nama_kecamatan": world.kecamatan_name[desa],
        "nama_kelurahan": world.desa_name[desa],
        "kode_kelurahan": np.array([d.digits for d in world.desa], dtype=object)[desa],
        "latitude": world.desa_lat[desa] + jitter[:, 0],
        "longitude": world.desa_lon[desa] + jitter[:, 1],
        "tingkat_kesejahteraan": np.where(
            desil >= 9, ">4", np.minimum(4, (desil + 1) // 2).astype(str)
        ).astype(object),
        "jumlah_anak": state.children_total[keep].astype(float),
        "punya_baduta": _yes_no(state.baduta[keep]),
        "punya_balita": _yes_no(state.balita[keep]),
        "pus": _yes_no(np.ones(n, bool)),
        "pus_hamil": _yes_no(state.pregnant[keep]),
        **{label: values.astype(float) for label, values in codes.items()},
        "status_risiko": np.where(at_risk, "Berisiko", "Tidak Berisiko").astype(object),
        "pendampingan_tpk": _yes_no(accompanied),
        "jumlah_kunjungan_tpk": visits.astype(float),
        "tanggal_kunjungan_terakhir": np.where(accompanied, last_visit, np.datetime64("NaT")),
        "sasaran_prioritas_genting": _yes_no(genting),
        "orang_tua_asuh": np.where(genting, choose(rng, FOSTER_PARENTS, n), None),
        "tanggal_verval": verval,
    }
    return rows, desa, at_risk
