"""e-PPGBM child measurement exports: one file per puskesmas per month, as SIGIZI delivers them.

Children are weighed at their posyandu's monthly session (more in February and August, the
vitamin-A weighing months); length/height and weight are drawn from the WHO LMS curves around the
child's own track, the desa's level and the age profile. The header is e-PPGBM's, word for word
(FACTS §2.1, typo "Pukesmas" included); location columns carry names, upper case.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tpps.sample_data import who
from tpps.sample_data.cohort import Cohort
from tpps.sample_data.exports import EN_DASH, Column, CsvStyle, Form, Kind, numbered
from tpps.sample_data.faults import BULAN, GENERIC_ROW_FAULTS
from tpps.sample_data.people import parent_field
from tpps.sample_data.run import Delivery, Run
from tpps.sample_data.truth import tally
from tpps.sample_data.world import SD_VISIT, World, attendance_by_age, haz_age_profile, stream

N, D = Kind.NUMBER, Kind.DATE
FORM = Form(
    source="eppgbm",
    columns=(
        Column("NIK", Kind.NIK),
        Column("Nama", Kind.NAME),
        Column("JK"),
        Column("Tgl Lahir", D),
        Column("BB Lahir", N, 1),
        Column("TB Lahir", N, 1),
        Column("Nama Ortu", Kind.NAME),
        Column("Prov"),
        Column("Kab/Kota"),
        Column("Kec"),
        Column("Pukesmas"),
        Column("Desa/Kel", Kind.DESA),
        Column("Posyandu", Kind.NAME),
        Column("RT"),
        Column("RW"),
        Column("Alamat"),
        Column("Usia Saat Ukur"),
        Column("Tanggal Pengukuran", D),
        Column("Berat", N, 1),
        Column("Tinggi", N, 1),
        Column("Cara Ukur"),
        Column("LiLA", N, 1),
        Column("BB/U"),
        Column("ZS BB/U", N, 2),
        Column("TB/U"),
        Column("ZS TB/U", N, 2),
        Column("BB/TB"),
        Column("ZS BB/TB", N, 2),
        Column("Naik Berat Badan"),
        Column("PMT Diterima (kg)", N, 1),
        Column("Jml Vit A", N),
        Column("KPSP"),
        Column("KIA"),
        Column("Detail"),
    ),
    faults=(
        *GENERIC_ROW_FAULTS,
        "height_mm",
        "weight_grams",
        "duplicate_conflict",
        "birth_after_event",
        "position_age_mismatch",
    ),
    targets={
        "lost_decimal": ("Berat", "LiLA"),
        "height_mm": ("Tinggi",),
        "weight_grams": ("Berat",),
        "duplicate_conflict": ("Berat", "Tinggi"),
        "birth_after_event": ("Tgl Lahir",),
        "position_age_mismatch": ("Cara Ukur",),
    },
    event="Tanggal Pengukuran",
)
WEIGHING_MONTHS = (2, 8)  # February and August: bulan penimbangan, vitamin A
WEIGHING_MONTH_FACTOR = 1.3
POSYANDU_HELD = 0.97  # share of posyandu sessions that take place in a month
HOME_VISIT_SHARE = 0.1  # measured on another day (home visit, sweeping)
MAX_ATTENDANCE = 0.97
WHZ_LEVEL = -0.55
SD_WHZ_VISIT = 0.35
LILA_SHARE = 0.35
NOTES = np.array(
    [
        f"Kunjungan rumah {EN_DASH} kader",
        f"Rujuk ke Puskesmas {EN_DASH} gizi kurang",
        "Pindahan dari posyandu lain",
        "Tidak hadir bulan lalu",
        "Anak sakit (diare)",
        "Sweeping balita",
    ],
    dtype=object,
)


def _labels(z: np.ndarray, bounds: tuple[float, ...], names: tuple[str, ...]) -> np.ndarray:
    """Permenkes 2/2020 class of each z ("" where z is missing): a negative bound belongs to
    the class above it (-2 is normal), a positive one to the class below (+1 is normal)."""
    index = sum((z > bound) if bound > 0 else (z >= bound) for bound in bounds)
    out = np.array(names, dtype=object)[index]
    out[np.isnan(z)] = ""
    return out


def status_labels(
    waz: np.ndarray, haz: np.ndarray, whz: np.ndarray, risiko: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The export's own BB/U, TB/U, BB/TB labels; spelling varies by e-PPGBM version."""
    bbu = _labels(
        waz,
        (-3, -2, 1),
        (
            "Berat Badan Sangat Kurang",
            "Berat Badan Kurang",
            "Berat Badan Normal",
            f"{risiko} Berat Badan Lebih",
        ),
    )
    tbu = _labels(haz, (-3, -2, 3), ("Sangat Pendek", "Pendek", "Normal", "Tinggi"))
    bbtb = _labels(
        whz,
        (-3, -2, 1, 2, 3),
        ("Gizi Buruk", "Gizi Kurang", "Gizi Baik", "Berisiko Gizi Lebih", "Gizi Lebih", "Obesitas"),
    )
    return bbu, tbu, bbtb


def age_text(birth: np.ndarray, date: np.ndarray) -> np.ndarray:
    """Age as e-PPGBM prints it ("2 Tahun - 8 Bulan - 7 Hari"): completed calendar units."""
    birth_month = birth.astype("datetime64[M]")
    months = (date.astype("datetime64[M]") - birth_month).astype(int)
    birth_day = (birth - birth_month.astype("datetime64[D]")).astype(int)
    anniversary = _add_months(birth_month, months, birth_day)
    months = np.where(anniversary > date, months - 1, months)
    anniversary = _add_months(birth_month, months, birth_day)
    days = (date - anniversary).astype(int)
    years, rest = np.divmod(months, 12)
    return np.char.add(
        np.char.add(
            np.char.add(years.astype(str), " Tahun - "), np.char.add(rest.astype(str), " Bulan - ")
        ),
        np.char.add(days.astype(str), " Hari"),
    ).astype(object)


def _add_months(month: np.ndarray, count: np.ndarray, day: np.ndarray) -> np.ndarray:
    """The date ``count`` months after ``month`` on day-of-month ``day`` (clipped to its end)."""
    target = month + count
    length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(int)
    return target.astype("datetime64[D]") + np.minimum(day, length - 1)


@dataclass
class _History:
    """Per child: last weight and the month index it was taken (for Naik Berat Badan)."""

    weight: np.ndarray
    month: np.ndarray

    def growth_codes(self, child: np.ndarray, weight: np.ndarray, index: int) -> np.ndarray:
        """B first weighing, O not weighed last month, N weight went up, T it did not."""
        previous = self.weight[child]
        codes = np.select(
            [np.isnan(previous), self.month[child] != index - 1, weight > previous],
            ["B", "O", "N"],
            "T",
        ).astype(object)
        self.weight[child] = weight
        self.month[child] = index
        return codes


def write_eppgbm(world: World, cohort: Cohort, months: np.ndarray, run: Run) -> None:
    """All months of one puskesmas: a warm-up month (history only), then one file per month."""
    delivery = run.delivery("eppgbm", world, cohort.unit_number)
    rng = stream(run.config.seed, "eppgbm", world.index, cohort.unit_number)
    n_children = len(cohort.children)
    history = _History(np.full(n_children, np.nan), np.full(n_children, -99))
    for index, month in enumerate(np.r_[months[0] - 1, months]):
        rows = _measure(world, cohort, month, rng)
        if index == 0:
            history.growth_codes(rows["child"], rows["weight"], index)
            continue
        xlsx = delivery.chance(run.config.xlsx_share)
        codes = delivery.planter.draw(FORM, len(rows["child"]), xlsx)
        _plant_positions(rows, codes == "position_age_mismatch")
        growth = history.growth_codes(rows["child"], rows["weight"], index)
        frame = _frame(world, cohort, rows, month, growth, rng, _label_style(delivery))
        name = f"eppgbm_{cohort.unit.slug}_{np.datetime_as_string(month)}"
        title = (
            f"Laporan Pengukuran Balita {EN_DASH} e-PPGBM {EN_DASH} Puskesmas "
            f"{cohort.unit.name.upper()} {EN_DASH} {BULAN[_month_number(month) - 1]} "
            f"{str(month)[:4]}"
        )
        export = delivery.open(
            name, FORM, [title], xlsx=xlsx, sheet="Data", style=_csv_style(delivery)
        )
        planted = delivery.planter.apply(FORM, frame, codes, xlsx=xlsx, decimal=export.decimal)
        lines = export.write(frame, planted)
        delivery.close(export)
        _record_truth(run, world, cohort, rows, frame, export.file, export.sheet_name, lines)


def _month_number(month: np.datetime64) -> int:
    return int(str(month)[5:7])


def _csv_style(delivery: Delivery) -> CsvStyle:
    """Mostly ';' with decimal comma (Indonesian Excel); some ',' with decimal point; some BOM."""
    if delivery.chance(0.15):
        return CsvStyle(delimiter=",", decimal=".", bom=delivery.chance(0.3))
    return CsvStyle(bom=delivery.chance(0.3))


def _label_style(delivery: Delivery) -> dict[str, object]:
    """Spellings that differ between e-PPGBM versions (FACTS §2.1, §5)."""
    return {
        "risiko": "Resiko" if delivery.chance(0.3) else "Risiko",
        "positions": ("terlentang", "berdiri")
        if delivery.chance(0.15)
        else ("Terlentang", "Berdiri"),
    }


def _measure(
    world: World, cohort: Cohort, month: np.datetime64, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Which children are weighed this month, when, and their true length and weight."""
    children = cohort.children
    start = month.astype("datetime64[D]")
    end = (month + 1).astype("datetime64[D]") - 1
    days = int((end - start).astype(int)) + 1
    candidates = np.flatnonzero(
        (children.birth <= end) & (children.birth > start - who.MAX_AGE_DAYS)
    )
    posyandu = children.posyandu[candidates]
    held = rng.random(len(world.posyandu_desa)) < POSYANDU_HELD
    session = np.minimum(world.posyandu_day[posyandu], days) - 1
    other_day = rng.integers(0, days, len(candidates))
    home_visit = rng.random(len(candidates)) < HOME_VISIT_SHARE
    date = start + np.where(home_visit, other_day, session).astype("timedelta64[D]")
    age = (date - children.birth[candidates]).astype(int)
    month_factor = WEIGHING_MONTH_FACTOR if _month_number(month) in WEIGHING_MONTHS else 1.0
    chance = np.minimum(
        MAX_ATTENDANCE,
        world.participation[children.desa[candidates]]
        * children.attendance[candidates]
        * attendance_by_age(age)
        * month_factor,
    )
    weighed = (
        (rng.random(len(candidates)) < chance)
        & (held[posyandu] | home_visit)
        & (age >= 0)
        & (age <= who.MAX_AGE_DAYS)
    )
    child, date, age = candidates[weighed], date[weighed], age[weighed]
    order = np.lexsort((children.name[child].astype(str), children.posyandu[child]))
    child, date, age = child[order], date[order], age[order]  # exports list by posyandu, name

    sex = 1 + children.female[child].astype(int)
    desa = children.desa[child]
    haz = (
        world.haz_level
        + world.haz_shift[desa]
        + haz_age_profile(age)
        + children.child_haz[child]
        + rng.normal(0, SD_VISIT, len(child))
    )
    L, M, S = who.table("lhfa").at(sex, age)
    length = who.value_at(haz, L, M, S)  # in the standard position for the age
    young = age < who.LENGTH_TO_HEIGHT_DAYS
    low = np.where(young, who.LENGTH_RANGES["wfl"][0], who.LENGTH_RANGES["wfh"][0])
    high = np.where(young, who.LENGTH_RANGES["wfl"][1], who.LENGTH_RANGES["wfh"][1])
    wl, wm, ws, _ = who.length_lms(sex, age, np.clip(length, low, high))
    whz = WHZ_LEVEL + children.child_whz[child] + rng.normal(0, SD_WHZ_VISIT, len(child))
    weight = who.value_at(whz, wl, wm, ws)
    lila = np.where(
        (rng.random(len(child)) < LILA_SHARE) & (age >= 183),
        np.round(14.8 + 0.9 * whz + rng.normal(0, 0.6, len(child)), 1),
        np.nan,
    )
    return {
        "child": child,
        "date": date,
        "age": age,
        "sex": sex,
        "desa": desa,
        "length": np.round(length, 1),
        "weight": np.round(weight, 1),
        "standing": (~young).astype(float),
        "lila": lila,
    }


def _plant_positions(rows: dict[str, np.ndarray], mismatch: np.ndarray) -> None:
    """Measure some children in the other position: lying adds about 0.7 cm, standing loses it."""
    flip = np.where(mismatch, 1 - 2 * rows["standing"], 0.0)  # +1 now standing, -1 now lying
    rows["standing"] = np.where(mismatch, 1 - rows["standing"], rows["standing"])
    rows["length"] = np.round(rows["length"] - flip * who.POSITION_OFFSET_CM, 1)


def _frame(
    world: World,
    cohort: Cohort,
    rows: dict[str, np.ndarray],
    month: np.datetime64,
    growth: np.ndarray,
    rng: np.random.Generator,
    style: dict[str, object],
) -> dict[str, np.ndarray]:
    """The export's columns for the measured rows, its own z-scores and labels included."""
    children, families = cohort.children, cohort.families
    child, date, age, sex = rows["child"], rows["date"], rows["age"], rows["sex"]
    family = children.family[child]
    n = len(child)
    standing = rows["standing"]
    waz = who.waz(sex, age, rows["weight"])
    haz = who.haz(sex, age, rows["length"], standing)
    whz = who.whz(sex, age, rows["weight"], rows["length"], standing)

    needs_pmt = (waz < -2) | (whz < -2)
    pmt_given = needs_pmt & (rng.random(n) < world.coverage["pmt_balita"][rows["desa"]])
    pmt = np.where(
        pmt_given, np.round(rng.uniform(0.5, 3.0, n) * 2) / 2, np.where(needs_pmt, 0.0, np.nan)
    )
    vitamin_a = np.full(n, np.nan)
    if _month_number(month) in WEIGHING_MONTHS:
        got = rng.random(n) < world.coverage["vitamin_a"][rows["desa"]]
        vitamin_a = np.where(age >= 183, got.astype(float), np.nan)
    kpsp = np.where(
        (rng.random(n) < 0.2) & (age >= 91),
        np.array(["Sesuai", "Meragukan", "Penyimpangan"], dtype=object)[
            rng.choice(3, n, p=(0.85, 0.1, 0.05))
        ],
        "",
    )
    bbu, tbu, bbtb = status_labels(waz, haz, whz, style["risiko"])
    posyandu = children.posyandu[child]
    lying, upright = style["positions"]
    return {
        "NIK": np.where(date >= children.nik_from[child], children.nik[child], None),
        "Nama": children.name[child],
        "JK": np.where(sex == 2, "P", "L").astype(object),
        "Tgl Lahir": children.birth[child],
        "BB Lahir": children.birth_weight[child],
        "TB Lahir": children.birth_length[child],
        "Nama Ortu": parent_field(rng, families.father_name[family], families.mother_name[family]),
        "Prov": np.full(n, world.province, dtype=object),
        "Kab/Kota": np.full(n, world.name, dtype=object),
        "Kec": np.char.upper(world.kecamatan_name[rows["desa"]].astype(str)).astype(object),
        "Pukesmas": np.full(n, cohort.unit.name.upper(), dtype=object),
        "Desa/Kel": np.char.upper(world.desa_name[rows["desa"]].astype(str)).astype(object),
        "Posyandu": world.posyandu_name[posyandu],
        "RT": numbered("", families.rt[family], 3),
        "RW": numbered("", families.rw[family], 3),
        "Alamat": "DUSUN " + families.dusun[family],
        "Usia Saat Ukur": age_text(children.birth[child], date),
        "Tanggal Pengukuran": date,
        "Berat": rows["weight"],
        "Tinggi": rows["length"],
        "Cara Ukur": np.where(standing == 1, upright, lying).astype(object),
        "LiLA": rows["lila"],
        "BB/U": bbu,
        "ZS BB/U": waz,
        "TB/U": tbu,
        "ZS TB/U": haz,
        "BB/TB": bbtb,
        "ZS BB/TB": whz,
        "Naik Berat Badan": growth,
        "PMT Diterima (kg)": pmt,
        "Jml Vit A": vitamin_a,
        "KPSP": kpsp,
        "KIA": np.where(children.has_kia[child], "Ya", "Tidak").astype(object),
        "Detail": np.where(rng.random(n) < 0.03, NOTES[rng.integers(0, len(NOTES), n)], None),
    }


def _record_truth(
    run: Run,
    world: World,
    cohort: Cohort,
    rows: dict[str, np.ndarray],
    frame: dict[str, np.ndarray],
    file: str,
    sheet: str,
    lines: np.ndarray,
) -> None:
    """True values per written row; per desa-month the children measured and stunted, and
    S8 (gizi kurang, WHZ -3 to < -2, given PMT). The export's own z-scores were computed from
    the true values with WHO's algorithm, so they are the true z-scores."""
    haz, whz = frame["ZS TB/U"], frame["ZS BB/TB"]
    n = len(lines)
    desa_code = world.desa_code[rows["desa"]]
    run.truth.write(
        "measurements",
        {
            "file": [file] * n,
            "sheet": [sheet] * n,
            "line": lines,
            "child_id": cohort.children.id[rows["child"]],
            "desa_code": desa_code,
            "posyandu_code": world.posyandu_code[cohort.children.posyandu[rows["child"]]],
            "measurement_date": rows["date"],
            "age_days": rows["age"],
            "sex": rows["sex"],
            "weight_kg": rows["weight"],
            "length_height_cm": rows["length"],
            "position": np.where(rows["standing"] == 1, "h", "l"),
            "haz": haz,
            "waz": frame["ZS BB/U"],
            "whz": whz,
        },
    )
    with_haz = ~np.isnan(haz) & (np.abs(haz) <= who.HAZ_FLAG_LIMIT)
    month = np.datetime_as_string(rows["date"].astype("datetime64[M]")).astype(object)
    counts = tally(
        desa_code,
        month,
        measured=np.ones(n, bool),
        with_haz=with_haz,
        stunted=with_haz & (haz < -2),
    )
    run.truth.write(
        "children_monthly",
        {
            "desa_code": counts["desa_code"],
            "month": counts["period"],
            "children_measured": counts["measured"],
            "children_with_haz": counts["with_haz"],
            "children_stunted": counts["stunted"],
        },
    )
    wasted = (whz >= -3) & (whz < -2)
    run.truth.coverage(
        "S8", "eppgbm", desa_code, month, wasted & (frame["PMT Diterima (kg)"] > 0), wasted
    )
