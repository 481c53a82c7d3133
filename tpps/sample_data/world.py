"""One kabupaten as the sample imagines it: facilities, village effects, the stunting level.

Everything random comes from ``stream(seed, purpose, ...)``: an independent generator per purpose
and unit, so a unit's rows do not depend on how many other units or sources were generated.
"""

from __future__ import annotations

import math
import re
import unicodedata
import zlib
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from tpps import regions
from tpps.sample_data.config import SampleConfig

# HAZ model: z = level + kecamatan + desa + age profile + child + visit (all normal).
SD_KECAMATAN = 0.25
SD_DESA = 0.15
SD_CHILD = 0.95
SD_VISIT = 0.25
# Mean HAZ relative to birth, by age in months: falls through infancy, lowest at 24-35 months
# (SKI 2023 by age, FACTS §4), then recovers a little.
_PROFILE_MONTHS = np.array([0, 6, 12, 18, 24, 30, 36, 48, 60])
_PROFILE_HAZ = np.array([0.0, 0.0, -0.25, -0.45, -0.58, -0.62, -0.5, -0.38, -0.32])
# Posyandu attendance falls with age (babies come monthly, four-year-olds less).
_ATTENDANCE_MONTHS = np.array([0, 12, 24, 36, 48, 60])
_ATTENDANCE = np.array([1.0, 1.0, 0.92, 0.82, 0.75, 0.7])
# Programme coverage per desa: logistic(base + slope x access + N(0, 0.5)). Access is the desa's
# latent service access, negatively related to its stunting, so gaps fall where need is high.
COVERAGE = {
    "kia": (1.8, 0.5),
    "vitamin_a": (2.0, 0.5),
    "pmt_balita": (0.4, 0.6),
    "anc": (0.9, 0.6),
    "ttd_bumil": (0.6, 0.6),
    "pmt_bumil": (0.7, 0.5),
    "kb_pasca": (0.1, 0.4),
    "imunisasi": (2.6, 0.6),
    "ttd_remaja": (0.3, 0.7),
    "tpk": (1.0, 0.5),
    "elsimil_early": (0.0, 0.5),
    "elsimil_check": (1.2, 0.5),
    "paud": (-0.3, 0.5),
    "water": (1.2, 0.6),
    "latrine": (0.9, 0.7),
}
FLOWERS = np.array(
    [
        "MAWAR",
        "MELATI",
        "ANGGREK",
        "KENANGA",
        "DAHLIA",
        "CEMPAKA",
        "FLAMBOYAN",
        "TERATAI",
        "SAKURA",
        "ASOKA",
        "KAMBOJA",
        "SEROJA",
        "TULIP",
        "LILI",
    ],
    dtype=object,
)
PAUD_NAMES = (
    "Tunas Harapan",
    "Pelita Hati",
    "Nurul Iman",
    "Al-Ikhlas",
    "Mutiara",
    "Kasih Ibu",
    "Bina Insani",
    "Permata Bunda",
    "Cahaya",
    "Harapan Bangsa",
    "Al-Hidayah",
    "Tunas Bangsa",
)
PAUD_FORMS = ("TK", "KB", "SPS", "RA", "TPA")
_PAUD_FORM_SHARE = (0.4, 0.3, 0.15, 0.1, 0.05)
# Approximate centre (latitude, longitude) of kabupaten whose place matters; others are
# placed at random inside Indonesia's bounding box (the coordinates are synthetic anyway).
KNOWN_CENTRES = {"73.17": (-3.38, 120.36)}


def stream(seed: int, purpose: str, *keys: int) -> np.random.Generator:
    """The random generator of one purpose for one (kabupaten, unit, ...) key."""
    return np.random.default_rng([seed, zlib.crc32(purpose.encode()), *keys])


def logistic(x: np.ndarray | float) -> np.ndarray:
    return 1 / (1 + np.exp(-np.asarray(x, dtype=float)))


def spread(rng: np.random.Generator, probability: np.ndarray, sd: float) -> np.ndarray:
    """Per-person probabilities scattered around a desa's coverage (on the logit scale)."""
    logit = np.log(probability / (1 - probability))
    return logistic(logit + rng.normal(0, sd, len(probability)))


def choose(rng: np.random.Generator, options: tuple[tuple[str, float], ...], n: int) -> np.ndarray:
    """``n`` labels drawn from (label, probability) pairs."""
    labels = np.array([o[0] for o in options], dtype=object)
    return labels[rng.choice(len(options), n, p=[o[1] for o in options])]


def normal_cdf(x: np.ndarray) -> np.ndarray:
    """Standard normal CDF, set-wise (Abramowitz-Stegun 7.1.26, error < 1.5e-7)."""
    t_input = np.abs(x) / math.sqrt(2)
    t = 1 / (1 + 0.3275911 * t_input)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    erf = 1 - poly * np.exp(-(t_input**2))
    return 0.5 * (1 + np.sign(x) * erf)


def haz_age_profile(age_days: np.ndarray) -> np.ndarray:
    return np.interp(age_days / 30.4375, _PROFILE_MONTHS, _PROFILE_HAZ)


def attendance_by_age(age_days: np.ndarray) -> np.ndarray:
    return np.interp(age_days / 30.4375, _ATTENDANCE_MONTHS, _ATTENDANCE)


def short_name(kabupaten_name: str) -> str:
    """ "KAB. LUWU" -> "Luwu", "KOTA PALOPO" -> "Kota Palopo"."""
    return kabupaten_name.removeprefix("KAB. ").title()


def slug(text: str) -> str:
    """ "Padang Sappa" -> "padang-sappa", "To'long" -> "tolong"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower().replace("'", "")).strip("-")


@dataclass(frozen=True)
class Puskesmas:
    code: str
    name: str  # "Belopa", "Padang Sappa": named after the kecamatan or a place in it
    slug: str
    kecamatan: regions.Kecamatan
    slot: int  # 0, 1, ... within its kecamatan (keeps NIK serials apart)
    desa: np.ndarray  # indices into World.desa


@dataclass(frozen=True)
class School:
    npsn: str
    name: str
    level: str  # SMP | SMA
    desa: int
    girls: int


@dataclass(frozen=True)
class PaudUnit:
    npsn: str
    name: str
    form: str  # TK | KB | SPS | RA | TPA
    desa: int


@dataclass
class World:
    """A kabupaten: its desa with their effects and coverage, and its facilities."""

    index: int
    code: str
    name: str
    province: str
    desa: tuple[regions.Desa, ...]
    children: np.ndarray  # under-five population per desa
    haz_shift: np.ndarray  # kecamatan + desa effect on HAZ
    access: np.ndarray  # latent access to services (standard normal)
    participation: np.ndarray  # base share of children weighed in a month
    coverage: dict[str, np.ndarray]
    posyandu_desa: np.ndarray
    posyandu_name: np.ndarray  # upper case, as e-PPGBM shows it
    posyandu_code: np.ndarray
    posyandu_day: np.ndarray  # day of the month the posyandu meets
    desa_lat: np.ndarray  # synthetic desa centres (KRS exports carry coordinates)
    desa_lon: np.ndarray
    puskesmas: tuple[Puskesmas, ...]
    schools: tuple[School, ...]
    paud_units: tuple[PaudUnit, ...]
    stunting_target: float
    haz_level: float  # calibrated so measured children reach stunting_target

    @property
    def digits(self) -> str:
        return self.code.replace(".", "")

    @property
    def short_name(self) -> str:
        return short_name(self.name)

    @cached_property
    def desa_code(self) -> np.ndarray:
        return np.array([d.code for d in self.desa], dtype=object)

    @cached_property
    def desa_name(self) -> np.ndarray:
        return np.array([d.name for d in self.desa], dtype=object)

    @cached_property
    def kecamatan_name(self) -> np.ndarray:
        return np.array([d.kecamatan_name for d in self.desa], dtype=object)

    def posyandu_of(self, desa: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """First posyandu index and posyandu count of each desa (posyandu are sorted by desa)."""
        first = np.searchsorted(self.posyandu_desa, desa)
        last = np.searchsorted(self.posyandu_desa, desa, side="right")
        return first, last - first


def build_world(config: SampleConfig, index: int, code: str, children_per_desa: float) -> World:
    """Kabupaten ``code`` (the ``index``-th of the run): its real desa, their simulated effects
    and coverage, invented facilities, and the HAZ level that meets its stunting target."""
    rng = stream(config.seed, "world", index)
    all_desa = regions.desa_of(code)
    kecamatan = regions.kecamatan_of(code)[: config.kecamatan_limit]
    kept = {k.code for k in kecamatan}
    desa = tuple(d for d in all_desa if d.kecamatan_code in kept)
    n = len(desa)
    kec_index = np.array([[k.code for k in kecamatan].index(d.kecamatan_code) for d in desa])
    kelurahan = np.array([d.is_kelurahan for d in desa])

    size = rng.lognormal(0, 0.45, n) * np.where(kelurahan, 1.5, 1.0)
    children = np.maximum(5, np.round(children_per_desa * n * size / size.sum())).astype(int)
    haz_shift = rng.normal(0, SD_KECAMATAN, len(kecamatan))[kec_index] + rng.normal(0, SD_DESA, n)
    access = 0.7 * haz_shift / (SD_KECAMATAN**2 + SD_DESA**2) ** 0.5 + 0.7 * rng.normal(0, 1, n)
    coverage = {
        name: logistic(base + slope * access + rng.normal(0, 0.5, n))
        for name, (base, slope) in COVERAGE.items()
    }
    participation = logistic(1.2 + 0.4 * access + rng.normal(0, 0.3, n))

    posyandu_count = np.clip(np.round(2 + children / 60 + rng.normal(0, 0.7, n)), 2, 6).astype(int)
    posyandu_desa = np.repeat(np.arange(n), posyandu_count)
    names = np.concatenate([rng.permutation(FLOWERS)[:k] for k in posyandu_count])
    serial = np.concatenate([np.arange(1, k + 1) for k in posyandu_count])
    posyandu_code = np.array(
        [f"{desa[d].digits}{s:02d}" for d, s in zip(posyandu_desa, serial, strict=True)]
    )
    centre = KNOWN_CENTRES.get(code) or (rng.uniform(-8.5, 3.5), rng.uniform(96, 139))
    kec_offset = rng.normal(0, 0.12, (len(kecamatan), 2))[kec_index]
    desa_offset = rng.normal(0, 0.03, (n, 2))
    target = config.stunting_prevalence
    if index:  # other kabupaten vary around the configured level
        target = float(np.clip(target * rng.lognormal(0, 0.2), 0.05, 0.5))
    return World(
        index=index,
        code=code,
        name=regions.name_of(code),
        province=regions.province_name(code),
        desa=desa,
        children=children,
        haz_shift=haz_shift,
        access=access,
        participation=participation,
        coverage=coverage,
        posyandu_desa=posyandu_desa,
        posyandu_name=names,
        posyandu_code=posyandu_code,
        posyandu_day=rng.integers(3, 26, len(posyandu_desa)),
        desa_lat=centre[0] + kec_offset[:, 0] + desa_offset[:, 0],
        desa_lon=centre[1] + kec_offset[:, 1] + desa_offset[:, 1],
        puskesmas=_puskesmas(rng, code, kecamatan, kec_index, desa, config.kabupaten > 1),
        schools=_schools(rng, index, kecamatan, kec_index, kelurahan, code),
        paud_units=_paud_units(rng, index, n),
        stunting_target=target,
        haz_level=calibrate_haz_level(target, haz_shift, children * participation),
    )


def _puskesmas(
    rng: np.random.Generator,
    code: str,
    kecamatan: tuple[regions.Kecamatan, ...],
    kec_index: np.ndarray,
    desa: tuple[regions.Desa, ...],
    prefix: bool,
) -> tuple[Puskesmas, ...]:
    """1-2 puskesmas per kecamatan: the first named after it, a second after one of its places."""
    out: list[Puskesmas] = []
    taken = {k.name.upper() for k in kecamatan}
    for k, kec in enumerate(kecamatan):
        members = np.flatnonzero(kec_index == k)
        parts = 2 if len(members) >= 12 and rng.random() < 0.5 else 1
        for slot, share in enumerate(np.array_split(members, parts)):
            name = kec.name
            if slot:
                candidates = [desa[i].name for i in share if desa[i].name.upper() not in taken]
                name = candidates[rng.integers(len(candidates))] if candidates else kec.name + " II"
                taken.add(name.upper())
            unit_slug = slug(name)
            out.append(
                Puskesmas(
                    code=f"P{kec.code.replace('.', '')}{slot + 1:02d}",
                    name=name,
                    slug=f"{code.replace('.', '')}-{unit_slug}" if prefix else unit_slug,
                    kecamatan=kec,
                    slot=slot,
                    desa=share,
                )
            )
    return tuple(out)


def _schools(
    rng: np.random.Generator,
    index: int,
    kecamatan: tuple[regions.Kecamatan, ...],
    kec_index: np.ndarray,
    kelurahan: np.ndarray,
    code: str,
) -> tuple[School, ...]:
    """Junior and senior secondary schools (the TTD remaja sites), numbered per kabupaten."""
    short = short_name(regions.name_of(code))
    schools: list[School] = []
    counters: dict[str, int] = {}
    for k in range(len(kecamatan)):
        members = np.flatnonzero(kec_index == k)
        weights = np.where(kelurahan[members], 4.0, 1.0)
        for level, count in (("SMP", 1 + len(members) // 5), ("SMA", 1 + len(members) // 9)):
            for _ in range(count):
                kinds = ("SMP", "MTs") if level == "SMP" else ("SMA", "SMK", "MA")
                kind = kinds[
                    rng.choice(len(kinds), p=(0.8, 0.2) if level == "SMP" else (0.6, 0.3, 0.1))
                ]
                counters[kind] = counters.get(kind, 0) + 1
                schools.append(
                    School(
                        npsn=str(40_000_000 + index * 2000 + len(schools)),
                        name=f"{kind} Negeri {counters[kind]} {short}",
                        level=level,
                        desa=int(rng.choice(members, p=weights / weights.sum())),
                        girls=int(
                            rng.integers(50, 250) if level == "SMP" else rng.integers(60, 300)
                        ),
                    )
                )
    return tuple(schools)


def _paud_units(rng: np.random.Generator, index: int, n_desa: int) -> tuple[PaudUnit, ...]:
    units: list[PaudUnit] = []
    for d in range(n_desa):
        for _ in range(1 + int(rng.random() < 0.4)):
            form = PAUD_FORMS[rng.choice(len(PAUD_FORMS), p=_PAUD_FORM_SHARE)]
            name = PAUD_NAMES[rng.integers(len(PAUD_NAMES))]
            units.append(
                PaudUnit(str(69_000_000 + index * 2000 + len(units)), f"{form} {name}", form, d)
            )
    return tuple(units)


def calibrate_haz_level(target: float, haz_shift: np.ndarray, weight: np.ndarray) -> float:
    """The HAZ level at which the expected share of measured children below -2 is ``target``.

    Averages the normal model over desa (weighted by children weighed) and age (weighted by
    attendance), then bisects; prevalence falls monotonically as the level rises.
    """
    ages = np.arange(0, 1827, 7)
    age_weight = attendance_by_age(ages)
    cell_weight = weight[:, None] * age_weight[None, :]
    sd = math.hypot(SD_CHILD, SD_VISIT)
    mean = haz_shift[:, None] + haz_age_profile(ages)[None, :]
    low, high = -4.0, 3.0
    for _ in range(60):
        level = (low + high) / 2
        below = normal_cdf((-2 - level - mean) / sd)
        share = float((below * cell_weight).sum() / cell_weight.sum())
        low, high = (level, high) if share > target else (low, level)
    return (low + high) / 2
