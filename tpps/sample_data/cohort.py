"""The people of one puskesmas area: families, and children born over time.

Births span from seven years before the first data month (PAUD ages reach 6) to nine months
after the last (pregnancies still running at the export date). Families have one or two of these
children (the spacing feeds "terlalu dekat"), parents with NIK and No KK, a household water
source and latrine, and a welfare level; each source module draws its own programme details
from its own random stream on top of this shared cohort.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from tpps import regions
from tpps.sample_data import people, who
from tpps.sample_data.world import SD_CHILD, Puskesmas, World, normal_cdf, stream

DAYS_PER_YEAR = 365.25
MONTH_DAYS = 30.4375
HISTORY_MONTHS = 84  # births this long before the first data month are still PAUD age
PREGNANCY_DAYS = 280
SECOND_CHILD_SHARE = 0.35
MIGRANT_SHARE = 0.06  # families registered (NIK/KK prefix) outside the kecamatan they live in
# Drinking-water sources: (label, layak for KRS/BKKBN, layak for Susenas/STBM), FACTS §1.5, §2.6.
WATER_SOURCES = (
    ("Air Kemasan/Isi Ulang", True, True),
    ("Ledeng/PAM", True, True),
    ("Sumur Bor/Pompa", True, True),
    ("Sumur Terlindung", True, True),
    ("Mata Air Terlindung", False, True),
    ("Air Hujan", False, True),
    ("Sumur Tidak Terlindung", False, False),
    ("Mata Air Tidak Terlindung", False, False),
    ("Air Sungai/Danau", False, False),
)
_WATER_LAYAK_WEIGHTS = np.array([0.3, 0.15, 0.2, 0.2, 0.1, 0.05])
_WATER_OTHER_WEIGHTS = np.array([0.5, 0.3, 0.2])
# Latrines: (Akses Jamban, Jenis Kloset, Pembuangan Akhir) as STBM reports them.
LATRINES = (
    ("Jamban Sehat Permanen", "Leher Angsa", "Tangki Septik"),
    ("Sharing", "Leher Angsa", "Tangki Septik"),
    ("Jamban Sehat Semi Permanen", "Leher Angsa", "Lubang Tanah"),
    ("Jamban Sehat Semi Permanen", "Cemplung", "Lubang Tanah"),
    ("BABS", "", ""),
)
# fmt: off
DUSUN = np.array([
    "BATU", "TANETE", "LEMBANG", "SALUBUA", "BONE-BONE", "TAMPUMIA", "BUNTU", "TORAYA",
    "LAPPA", "PASSAMPA", "TIROAN", "LAMBANAN", "KAMPUNG BARU", "PARIAMAN",
], dtype=object)
# fmt: on


@dataclass
class Families:
    desa: np.ndarray  # index into World.desa
    posyandu: np.ndarray  # index into World posyandu arrays
    region: np.ndarray  # six-digit NIK/KK prefix (the kecamatan where registered)
    kk: np.ndarray
    mother_nik: np.ndarray
    mother_name: np.ndarray
    mother_birth: np.ndarray
    father_nik: np.ndarray
    father_name: np.ndarray
    father_birth: np.ndarray
    rt: np.ndarray
    rw: np.ndarray
    dusun: np.ndarray
    water: np.ndarray  # index into WATER_SOURCES
    latrine: np.ndarray  # index into LATRINES
    desil: np.ndarray  # 1 (poorest) .. 10
    parity_before: np.ndarray  # children born before the first child of the cohort
    previous_spacing_months: np.ndarray  # before the first cohort child (NaN without one)
    first_child: np.ndarray  # index into Children
    second_child: np.ndarray  # index into Children, -1 without one

    def __len__(self) -> int:
        return len(self.desa)


@dataclass
class Children:
    id: np.ndarray
    family: np.ndarray
    desa: np.ndarray
    posyandu: np.ndarray
    female: np.ndarray
    birth: np.ndarray  # datetime64[D]
    nik: np.ndarray
    nik_from: np.ndarray  # date the NIK was issued; exports before it show none
    name: np.ndarray
    gestation_days: np.ndarray
    birth_weight: np.ndarray  # kg, 0.1 kg
    birth_length: np.ndarray  # cm, 0.1 cm
    child_haz: np.ndarray  # the child's lasting HAZ deviation
    child_whz: np.ndarray
    attendance: np.ndarray  # multiplies the desa's posyandu participation
    has_kia: np.ndarray

    def __len__(self) -> int:
        return len(self.id)


@dataclass
class Snapshot:
    """Each family's situation on a reference date (yearly registers: KRS, DTKS)."""

    formed: np.ndarray  # a child born by then, or pregnant then
    born: np.ndarray  # cohort children born by then (0-2)
    children_total: np.ndarray  # including those born before the cohort
    pregnant: np.ndarray
    baduta: np.ndarray  # a child aged 0-23 months
    balita: np.ndarray  # a child aged 24-59 months
    spacing_months: np.ndarray  # between the two youngest children (NaN with fewer than two)
    mother_age: np.ndarray  # completed years


@dataclass
class Cohort:
    unit: Puskesmas
    unit_number: int  # position of the unit in the run (child ids are unique per run)
    families: Families
    children: Children

    def snapshot(self, date: np.datetime64) -> Snapshot:
        families, births = self.families, self.children.birth
        has_second = families.second_child >= 0
        first = births[families.first_child]
        second = np.where(
            has_second, births[np.maximum(families.second_child, 0)], np.datetime64("NaT")
        )
        born_first = first <= date
        born_second = has_second & (second <= date)
        expecting = ((first > date) & (first <= date + PREGNANCY_DAYS)) | (
            has_second & (second > date) & (second <= date + PREGNANCY_DAYS)
        )
        age_first = (date - first).astype(int)
        age_second = np.where(born_second, (date - second).astype("timedelta64[D]").astype(int), -1)
        spacing = np.where(
            born_second,
            (second - first).astype(int) / MONTH_DAYS,
            np.where(
                born_first & (families.parity_before > 0), families.previous_spacing_months, np.nan
            ),
        )
        return Snapshot(
            formed=born_first | expecting,
            born=born_first.astype(int) + born_second,
            children_total=families.parity_before + born_first + born_second,
            pregnant=expecting,
            baduta=(born_first & (age_first < 730)) | (born_second & (age_second < 730)),
            balita=(born_first & (age_first >= 730) & (age_first <= 1826))
            | (born_second & (age_second >= 730) & (age_second <= 1826)),
            spacing_months=spacing,
            mother_age=np.floor((date - families.mother_birth).astype(int) / DAYS_PER_YEAR),
        )


def _year_offset(years: np.ndarray) -> np.ndarray:
    return np.round(years * DAYS_PER_YEAR).astype("timedelta64[D]")


def build_cohort(
    world: World,
    unit: Puskesmas,
    unit_number: int,
    seed: int,
    first_month: np.datetime64,
    last_month: np.datetime64,
) -> Cohort:
    """Families and children of one puskesmas area, from the unit's own random stream."""
    rng = stream(seed, "cohort", world.index, unit_number)
    start = (first_month - HISTORY_MONTHS).astype("datetime64[D]")
    end = (last_month + 1).astype("datetime64[D]") + PREGNANCY_DAYS
    span = int((end - start).astype(int))
    lead = int(48 * MONTH_DAYS)  # first births this early can have a second child in range

    # Expected births in range per desa, then as many families as produce them on average.
    births = world.children[unit.desa] * span / (60 * MONTH_DAYS)
    per_family = (1 + SECOND_CHILD_SHARE) * span / (span + lead)
    family_desa = np.repeat(unit.desa, rng.poisson(births / per_family))
    n = len(family_desa)
    first_birth = start - lead + rng.integers(0, span + lead, n).astype("timedelta64[D]")
    spacing_months = 12 + rng.gamma(2.2, 9.5, n)
    has_second = rng.random(n) < SECOND_CHILD_SHARE
    second_birth = first_birth + np.round(spacing_months * MONTH_DAYS).astype("timedelta64[D]")
    first_in = (first_birth >= start) & (first_birth < end)
    second_in = has_second & (second_birth >= start) & (second_birth < end)
    keep = first_in | second_in
    family_desa, first_birth, second_birth = (
        family_desa[keep],
        first_birth[keep],
        second_birth[keep],
    )
    first_in, second_in, n = first_in[keep], second_in[keep], int(keep.sum())

    mother_age = np.clip(rng.normal(26.5, 5.5, n), 15.5, 44)
    mother_birth = first_birth - _year_offset(mother_age)
    father_birth = mother_birth - _year_offset(np.clip(rng.normal(4, 3, n), -3, 15))
    parity_before = np.minimum(rng.poisson(np.maximum(0, (mother_age - 19) / 4.5)), 7)
    region, migrant = _registration_region(rng, world, unit, family_desa)
    issued = mother_birth + _year_offset(18 + rng.random(n) * (mother_age - 18))
    # NIK serial blocks: children, mothers, fathers (+1, +2) of this unit's slot, or migrants'.
    block = np.where(migrant, people.MIGRANT_BLOCK, 3 * unit.slot)
    access = world.access[family_desa]

    first_posyandu, posyandu_count = world.posyandu_of(family_desa)
    water_layak = rng.random(n) < world.coverage["water"][family_desa]
    latrine_p = world.coverage["latrine"][family_desa]
    welfare = 0.5 * access + rng.normal(0, 1, n)
    families = Families(
        desa=family_desa,
        posyandu=first_posyandu + (rng.random(n) * posyandu_count).astype(int),
        region=region,
        kk=people.kk_number(region, issued, block),
        mother_nik=people.nik(region, mother_birth, np.ones(n, bool), block + 1),
        mother_name=people.adult_names(rng, np.ones(n, bool)),
        mother_birth=mother_birth,
        father_nik=people.nik(region, father_birth, np.zeros(n, bool), block + 2),
        father_name=people.adult_names(rng, np.zeros(n, bool)),
        father_birth=father_birth,
        rt=rng.integers(1, 4 + world.children[family_desa] // 15),
        rw=rng.integers(1, 4, n),
        dusun=DUSUN[rng.integers(0, len(DUSUN), n)],
        water=np.where(
            water_layak,
            rng.choice(6, n, p=_WATER_LAYAK_WEIGHTS),
            6 + rng.choice(3, n, p=_WATER_OTHER_WEIGHTS),
        ),
        latrine=_latrines(rng, latrine_p),
        desil=np.clip(1 + (10 * normal_cdf(welfare / 1.12)).astype(int), 1, 10),
        parity_before=parity_before,
        previous_spacing_months=np.where(parity_before > 0, 12 + rng.gamma(2.2, 9.5, n), np.nan),
        first_child=np.full(n, -1),
        second_child=np.full(n, -1),
    )

    # Children: the first and/or second birth of each family that falls in range.
    family = np.r_[np.flatnonzero(first_in), np.flatnonzero(second_in)]
    birth = np.r_[first_birth[first_in], second_birth[second_in]]
    order = np.lexsort((family, birth))
    family, birth = family[order], birth[order]
    m = len(family)
    with_child, earliest = np.unique(family, return_index=True)  # sorted by birth: first = eldest
    families.first_child[with_child] = earliest
    later = np.setdiff1d(np.arange(m), earliest)
    families.second_child[family[later]] = later
    female = rng.random(m) < 0.49
    preterm = rng.random(m) < 0.08
    gestation = np.where(
        preterm, rng.integers(231, 259, m), np.clip(np.round(rng.normal(276, 9, m)), 259, 300)
    ).astype(int)
    child_haz = rng.normal(0, SD_CHILD, m)
    child_whz = rng.normal(0, 0.85, m)
    nik_delay = np.select(
        [rng.random(m) < 0.45, rng.random(m) < 0.65],
        [rng.integers(7, 45, m), rng.integers(45, 365, m)],
        rng.integers(365, 1100, m),
    )
    desa = family_desa[family]
    children = Children(
        id=unit_number * 10_000_000 + np.arange(m),
        family=family,
        desa=desa,
        posyandu=families.posyandu[family],
        female=female,
        birth=birth,
        nik=people.nik(region[family], birth, female, block[family]),
        nik_from=birth + nik_delay.astype("timedelta64[D]"),
        name=people.child_names(rng, female),
        gestation_days=gestation,
        birth_weight=_birth_measure(rng, "wfa", female, 0.5 * child_haz - 0.8 * preterm - 0.4, 1),
        birth_length=_birth_measure(rng, "lhfa", female, 0.6 * child_haz - 0.6 * preterm - 0.3, 1),
        child_haz=child_haz,
        child_whz=child_whz,
        attendance=rng.lognormal(0, 0.35, m),
        has_kia=rng.random(m) < world.coverage["kia"][desa],
    )
    return Cohort(unit, unit_number, families, children)


def _registration_region(
    rng: np.random.Generator, world: World, unit: Puskesmas, desa: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Six-digit NIK/KK prefix (the family's kecamatan, or elsewhere for migrants), migrant flag.

    Each unit of a kabupaten draws migrants' origins from its own share of the origin list, so
    two units can never issue the same migrant NIK.
    """
    local = np.array([people.region_number(d.kecamatan_code) for d in world.desa])[desa]
    position = world.puskesmas.index(unit)
    origins = _migrant_origins()[position :: len(world.puskesmas)]
    migrant = rng.random(len(desa)) < MIGRANT_SHARE
    return np.where(migrant, origins[rng.integers(0, len(origins), len(desa))], local), migrant


@cache
def _migrant_origins() -> np.ndarray:
    """Kecamatan of Sulawesi Selatan and Java, where most migrants to Luwu come from."""
    codes = [c for c in regions.kecamatan_codes() if c[:2] in {"73", "33", "35"}]
    return np.array([people.region_number(c) for c in codes])


def _latrines(rng: np.random.Generator, layak: np.ndarray) -> np.ndarray:
    """Latrine type: septic tank (own or shared) with probability ``layak``, else worse."""
    u = rng.random(len(layak))
    bounds = np.stack(
        [
            0.8 * layak,
            0.9 * layak,
            0.9 * layak + 0.12,
            0.9 * layak + 0.12 + 0.6 * (0.88 - 0.9 * layak),
        ],
        axis=1,
    )
    return (u[:, None] >= bounds).sum(axis=1)


def _birth_measure(
    rng: np.random.Generator, table_name: str, female: np.ndarray, mean_z: np.ndarray, decimals: int
) -> np.ndarray:
    L, M, S = who.table(table_name).at(1 + female.astype(int), np.zeros(len(female), int))
    z = np.clip(mean_z + rng.normal(0, 0.6, len(female)), -4, 3)
    return np.round(who.value_at(z, L, M, S), decimals)
