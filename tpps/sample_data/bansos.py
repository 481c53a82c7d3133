"""DTKS / social assistance (PKH, BPNT/Sembako, PBI-JKN): one XLSX per kabupaten and year.

One row per person of each household in the DTKS register (the poorer desil), as SIKS-NG
exports it: an instruction sheet first, then the data sheet. Household programmes (PKH, BPNT)
are flagged on every member; PBI-JKN is per person. FACTS §2.7.
"""

from __future__ import annotations

import numpy as np

from tpps.sample_data.cohort import Cohort
from tpps.sample_data.exports import Column, Form, Kind, numbered
from tpps.sample_data.faults import GENERIC_ROW_FAULTS
from tpps.sample_data.world import World

FORM = Form(
    source="bansos",
    columns=(
        Column("No", Kind.NUMBER),
        Column("ID DTKS"),
        Column("No KK", Kind.NIK),
        Column("NIK", Kind.NIK),
        Column("Nama", Kind.NAME),
        Column("Hubungan Keluarga"),
        Column("Jenis Kelamin"),
        Column("Tanggal Lahir", Kind.DATE),
        Column("Kecamatan"),
        Column("Desa/Kelurahan", Kind.DESA),
        Column("Alamat"),
        Column("Desil", Kind.NUMBER),
        Column("PKH"),
        Column("Komponen PKH"),
        Column("BPNT/Sembako"),
        Column("PBI-JKN"),
    ),
    faults=tuple(c for c in GENERIC_ROW_FAULTS if c != "lost_decimal"),
)
NOTES = (
    "Data Terpadu Kesejahteraan Sosial (DTKS) - hasil ekspor SIKS-NG",
    "Satu baris per anggota keluarga; program keluarga (PKH, BPNT) ditandai pada setiap anggota.",
    "Desil: 1 = 10% termiskin. Data bersifat rahasia: hanya untuk keperluan dinas.",
)
EARLY_CHILDHOOD_DAYS = 6 * 365


def _yes_no(flag: np.ndarray) -> np.ndarray:
    return np.where(flag, "Ya", "Tidak").astype(object)


def bansos_rows(
    world: World, cohort: Cohort, snapshot_date: np.datetime64, rng: np.random.Generator
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Person rows of the DTKS households on the date, and per family (for the ground truth)
    whether it is a 1000-HPK family and which programmes reach it."""
    families, children = cohort.families, cohort.children
    state = cohort.snapshot(snapshot_date)
    n_families = len(families)
    desil = families.desil
    listed = state.formed & ((desil <= 4) | ((desil == 5) & (rng.random(n_families) < 0.3)))
    young = np.zeros(n_families, bool)
    for column in (families.first_child, families.second_child):
        age = (snapshot_date - children.birth[np.maximum(column, 0)]).astype(int)
        young |= (column >= 0) & (age >= 0) & (age < EARLY_CHILDHOOD_DAYS)
    pkh = listed & (desil <= 2) & (young | state.pregnant) & (rng.random(n_families) < 0.75)
    bpnt = listed & (rng.random(n_families) < np.where(desil <= 3, 0.8, 0.3))

    # Members: head, wife, then the cohort children born by the date.
    member_family = [np.flatnonzero(listed)] * 2
    member_role = ["Kepala Keluarga", "Istri"]
    for column in (families.first_child, families.second_child):
        with_child = np.flatnonzero(listed & (column >= 0))
        member_family.append(with_child[children.birth[column[with_child]] <= snapshot_date])
        member_role.append("Anak")
    family = np.concatenate(member_family)
    role = np.concatenate(
        [np.full(len(f), r, dtype=object) for f, r in zip(member_family, member_role, strict=True)]
    )
    child = np.concatenate(
        [
            np.full(len(member_family[0]) * 2, -1),
            families.first_child[member_family[2]],
            families.second_child[member_family[3]],
        ]
    )
    order = np.lexsort((np.arange(len(family)), family))
    family, role, child = family[order], role[order], child[order]
    is_child = child >= 0
    head = role == "Kepala Keluarga"
    nik = np.where(head, families.father_nik[family], families.mother_nik[family])
    nik = np.where(
        is_child,
        np.where(children.nik_from[child] <= snapshot_date, children.nik[child], None),
        nik,
    )
    birth = np.where(head, families.father_birth[family], families.mother_birth[family])
    birth = np.where(is_child, children.birth[child], birth)
    female = np.where(is_child, children.female[child], ~head)
    pbi = rng.random(len(family)) < np.where(desil[family] <= 4, 0.85, 0.5)
    age_days = (snapshot_date - birth).astype(int)
    component = np.where(
        pkh[family] & is_child & (age_days < EARLY_CHILDHOOD_DAYS),
        "Anak Usia Dini",
        np.where(pkh[family] & (role == "Istri") & state.pregnant[family], "Ibu Hamil", None),
    )
    desa = families.desa[family]
    rows = {
        "ID DTKS": numbered(f"{world.digits}{cohort.unit_number:04d}", family, 6),
        "No KK": families.kk[family],
        "NIK": nik,
        "Nama": np.where(
            is_child,
            children.name[child],
            np.where(head, families.father_name[family], families.mother_name[family]),
        ),
        "Hubungan Keluarga": role,
        "Jenis Kelamin": np.where(female, "Perempuan", "Laki-laki").astype(object),
        "Tanggal Lahir": birth,
        "Kecamatan": world.kecamatan_name[desa],
        "Desa/Kelurahan": world.desa_name[desa],
        "Alamat": np.char.add("Dusun ", np.char.title(families.dusun[family].astype(str))).astype(
            object
        ),
        "Desil": desil[family].astype(float),
        "PKH": _yes_no(pkh[family]),
        "Komponen PKH": component,
        "BPNT/Sembako": _yes_no(bpnt[family]),
        "PBI-JKN": _yes_no(pbi),
    }
    pbi_family = np.bincount(family, weights=pbi, minlength=n_families) > 0
    per_family = {
        "desa": families.desa,
        "target": state.pregnant | state.baduta,  # keluarga sasaran 1000 HPK
        "N6": pbi_family,
        "N8": pkh,
        "N10": bpnt,
    }
    return rows, per_family
