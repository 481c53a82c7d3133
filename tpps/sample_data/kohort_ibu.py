"""Kohort ibu: the puskesmas register of pregnant women, one XLSX per puskesmas and year.

Every child of the cohort was a pregnancy; pregnancies whose first visit (K1) falls in a data
year are in that year's register, followed to delivery, nifas and postpartum contraception as
far as the export date. The workbook has two title rows and a merged two-row header
("Identitas Ibu" over "NIK", "Nama Ibu", ...), FACTS §2.3.
"""

from __future__ import annotations

import numpy as np

from tpps.sample_data import timeline
from tpps.sample_data.cohort import Cohort
from tpps.sample_data.exports import EN_DASH, Column, Form, Kind, has_value
from tpps.sample_data.faults import GENERIC_ROW_FAULTS
from tpps.sample_data.run import Run
from tpps.sample_data.world import World, choose, spread, stream

D, N, T = Kind.DATE, Kind.NUMBER, Kind.TEXT
_ID, _PREG, _K1 = "Identitas Ibu", "Kehamilan", "Pemeriksaan Awal (K1)"
_ANC, _TTD, _RISK = "Kunjungan Antenatal", "Tablet Tambah Darah", "Faktor Risiko"
_PMT, _BIRTH, _NIFAS = "PMT Bumil KEK", "Persalinan", "Nifas"
VISITS = ("K1", "K2", "K3", "K4", "K5", "K6")
NIFAS = ("KF1", "KF2", "KF3", "KF4")
FORM = Form(
    source="kohort_ibu",
    columns=(
        Column("No", N),
        Column("NIK", Kind.NIK, group=_ID),
        Column("Nama Ibu", Kind.NAME, group=_ID),
        Column("Tgl Lahir", D, group=_ID),
        Column("Umur (th)", N, group=_ID),
        Column("Nama Suami", Kind.NAME, group=_ID),
        Column("No KK", Kind.NIK, group=_ID),
        Column("Kecamatan", group=_ID),
        Column("Desa/Kel", Kind.DESA, group=_ID),
        Column("Posyandu", Kind.NAME, group=_ID),
        Column("Alamat", group=_ID),
        Column("HPHT", D, group=_PREG),
        Column("Taksiran Persalinan", D, group=_PREG),
        Column("G", N, group=_PREG),
        Column("P", N, group=_PREG),
        Column("A", N, group=_PREG),
        Column("Jarak Kehamilan (th)", N, 1, group=_PREG),
        Column("BB (kg)", N, 1, group=_K1),
        Column("TB (cm)", N, 1, group=_K1),
        Column("LiLA (cm)", N, 1, group=_K1),
        Column("Hb (g/dL)", N, 1, group=_K1),
        Column("Status Td", group=_K1),
        *(Column(visit, D, group=_ANC) for visit in VISITS),
        Column("Fe1 (30 tab)", D, group=_TTD),
        Column("Fe3 (90 tab)", D, group=_TTD),
        Column("Jumlah TTD (tablet)", N, group=_TTD),
        Column("KEK", group=_RISK),
        Column("Anemia", group=_RISK),
        Column("Resti", group=_RISK),
        Column("Mulai PMT", D, group=_PMT),
        Column("Lama PMT (hari)", N, group=_PMT),
        Column("Tgl Persalinan", D, group=_BIRTH),
        Column("Penolong", group=_BIRTH),
        Column("Tempat", group=_BIRTH),
        Column("BB Bayi (gram)", N, group=_BIRTH),
        *(Column(visit, D, group=_NIFAS) for visit in NIFAS),
        Column("KB Pasca Persalinan"),
    ),
    faults=GENERIC_ROW_FAULTS,
)
KEK_LILA = 23.5
ANAEMIA_HB = 11.0
TABLETS_PER_VISIT = 30
PMT_DAYS = 120
KB_AFTER_DAYS = 42
HELPERS = (("Bidan", 0.72), ("Dokter", 0.22), ("Dukun", 0.03), ("Perawat", 0.03))
PLACES = (
    ("Puskesmas", 0.35),
    ("Rumah Sakit", 0.25),
    ("Pustu/Polindes", 0.2),
    ("Klinik/Praktik Bidan", 0.12),
    ("Rumah", 0.08),
)
KB_METHODS = (
    ("Suntik", 0.45),
    ("Implan", 0.25),
    ("Pil", 0.12),
    ("IUD", 0.1),
    ("Kondom", 0.05),
    ("MOW", 0.03),
)
TD_STATUS = (("T1", 0.1), ("T2", 0.2), ("T3", 0.25), ("T4", 0.25), ("T5", 0.2))


def _dates(mask: np.ndarray, dates: np.ndarray) -> np.ndarray:
    return np.where(mask, dates, np.datetime64("NaT"))


def _first_date(dates: np.ndarray, where: np.ndarray) -> np.ndarray:
    """Per row, the date in the first column where ``where`` holds (NaT if none)."""
    column = np.argmax(where, axis=1)
    return _dates(where.any(axis=1), dates[np.arange(len(dates)), column])


def write_kohort_ibu(run: Run, world: World, cohort: Cohort, months: np.ndarray) -> None:
    children = cohort.children
    rng = stream(run.config.seed, "kohort_ibu", world.index, cohort.unit_number)
    delivery = run.delivery("kohort_ibu", world, cohort.unit_number)
    end = timeline.last_day(months)
    hpht = children.birth - children.gestation_days.astype("timedelta64[D]")
    k1 = hpht + np.where(
        rng.random(len(children)) < 0.6,
        rng.integers(42, 98, len(children)),
        rng.integers(98, 180, len(children)),
    ).astype("timedelta64[D]")
    k1 = np.minimum(k1, children.birth - 7)
    chosen = np.flatnonzero(
        (rng.random(len(children)) < 0.95)
        & (k1 >= timeline.year_start(timeline.years(months)[0]))
        & (k1 <= end)
    )
    chosen = chosen[np.argsort(k1[chosen], kind="stable")]
    p = _pregnancies(rng, world, cohort, chosen, hpht[chosen], k1[chosen], end)
    k1_year = np.array([int(str(d)[:4]) for d in p["K1"]])
    for year in timeline.years(months):
        rows = np.flatnonzero(k1_year == year)
        if not len(rows):
            continue
        frame = {label: values[rows] for label, values in p.items()}
        frame["No"] = np.arange(1, len(rows) + 1, dtype=float)
        titles = [
            "KOHORT IBU HAMIL",
            f"PUSKESMAS {cohort.unit.name.upper()} {EN_DASH} {world.name} {EN_DASH} TAHUN {year}",
        ]
        export = delivery.open(
            f"kohort_ibu_{cohort.unit.slug}_{year}", FORM, titles, xlsx=True, sheet="Kohort Ibu"
        )
        codes = delivery.planter.draw(FORM, len(rows), xlsx=True)
        planted = delivery.planter.apply(FORM, frame, codes, xlsx=True, decimal=export.decimal)
        export.write(frame, planted)
        delivery.close(export)
    _coverage(run, world, children.desa[chosen], p)


def _pregnancies(
    rng: np.random.Generator,
    world: World,
    cohort: Cohort,
    chosen: np.ndarray,
    hpht: np.ndarray,
    k1: np.ndarray,
    end: np.datetime64,
) -> dict[str, np.ndarray]:
    children, families = cohort.children, cohort.families
    n = len(chosen)
    family = children.family[chosen]
    desa = children.desa[chosen]
    birth = children.birth[chosen]
    coverage = {
        name: world.coverage[name][desa] for name in ("anc", "ttd_bumil", "pmt_bumil", "kb_pasca")
    }
    welfare = (families.desil[family] - 5.5) / 2.9

    # Antenatal visits: K1, then up to five more spread until a few days before delivery.
    count = 1 + rng.binomial(5, spread(rng, coverage["anc"], 0.8))
    first_after = k1 + 14
    span = np.maximum(0, (birth - 3 - first_after).astype(int))
    later = first_after[:, None] + timeline.days(
        np.sort(rng.random((n, 5)), axis=1) * span[:, None]
    )
    visits = np.concatenate([k1[:, None], later], axis=1)
    happened = (np.arange(6)[None, :] < count[:, None]) & (visits <= end)
    visits = np.where(happened, visits, np.datetime64("NaT"))

    # Iron tablets: 30 per visit at which they were handed out (nearly always at K1).
    p_ttd = spread(rng, coverage["ttd_bumil"], 0.7)
    handed = happened & (
        rng.random((n, 6)) < np.c_[np.full(n, 0.95), np.repeat(p_ttd[:, None], 5, axis=1)]
    )
    handed_so_far = np.cumsum(handed, axis=1)
    fe = {k: _first_date(visits, (handed_so_far == k) & handed) for k in (1, 3)}

    lila = np.round(rng.normal(26 + 0.4 * welfare, 2.6), 1)
    hb = np.round(rng.normal(11.1 + 0.2 * welfare, 1.2), 1)
    kek = lila < KEK_LILA
    pmt_start = k1 + rng.integers(0, 22, n).astype("timedelta64[D]")
    pmt = kek & (rng.random(n) < coverage["pmt_bumil"]) & (pmt_start <= end)
    pmt_days = np.minimum(
        np.where(rng.random(n) < 0.8, PMT_DAYS, rng.integers(30, PMT_DAYS, n)),
        (end - pmt_start).astype(int) + 1,
    )

    delivered = birth <= end
    second = families.second_child[family] == chosen
    miscarriages = rng.poisson(0.12, n)
    previous = families.parity_before[family] + second
    first_birth = children.birth[np.maximum(families.first_child[family], 0)]
    spacing = np.where(
        second,
        (birth - first_birth).astype(int) / 365.25,
        families.previous_spacing_months[family] / 12,
    )
    age = timeline.completed_years(families.mother_birth[family], k1)
    nifas = {}
    for visit, (low, high, share) in zip(
        NIFAS, ((0, 3, 0.9), (3, 8, 0.8), (8, 29, 0.7), (29, 43, 0.55)), strict=True
    ):
        date = birth + rng.integers(low, high, n).astype("timedelta64[D]")
        nifas[visit] = _dates(delivered & (date <= end) & (rng.random(n) < share), date)
    kb_known = birth + KB_AFTER_DAYS <= end
    kb = np.where(rng.random(n) < coverage["kb_pasca"], choose(rng, KB_METHODS, n), "Tidak")
    height = np.round(rng.normal(152.5, 5.5, n), 1)
    resti = _risk_factors(age, previous + miscarriages + 1, spacing, height, kek, hb < ANAEMIA_HB)
    return {
        "NIK": families.mother_nik[family],
        "Nama Ibu": families.mother_name[family],
        "Tgl Lahir": families.mother_birth[family],
        "Umur (th)": age.astype(float),
        "Nama Suami": families.father_name[family],
        "No KK": families.kk[family],
        "Kecamatan": world.kecamatan_name[desa],
        "Desa/Kel": world.desa_name[desa],
        "Posyandu": np.char.title(
            world.posyandu_name[children.posyandu[chosen]].astype(str)
        ).astype(object),
        "Alamat": np.array(
            [
                f"Dusun {d.title()} RT {rt:03d}/RW {rw:03d}"
                for d, rt, rw in zip(
                    families.dusun[family], families.rt[family], families.rw[family], strict=True
                )
            ],
            dtype=object,
        ),
        "HPHT": hpht,
        "Taksiran Persalinan": hpht + 280,
        "G": (previous + miscarriages + 1).astype(float),
        "P": previous.astype(float),
        "A": miscarriages.astype(float),
        "Jarak Kehamilan (th)": np.round(spacing, 1),
        "BB (kg)": np.round(rng.normal(52, 9, n), 1),
        "TB (cm)": height,
        "LiLA (cm)": lila,
        "Hb (g/dL)": hb,
        "Status Td": choose(rng, TD_STATUS, n),
        **{visit: visits[:, i] for i, visit in enumerate(VISITS)},
        "Fe1 (30 tab)": fe[1],
        "Fe3 (90 tab)": fe[3],
        "Jumlah TTD (tablet)": (TABLETS_PER_VISIT * handed.sum(axis=1)).astype(float),
        "KEK": np.where(kek, "Ya", "Tidak").astype(object),
        "Anemia": np.where(hb < ANAEMIA_HB, "Ya", "Tidak").astype(object),
        "Resti": resti,
        "Mulai PMT": _dates(pmt, pmt_start),
        "Lama PMT (hari)": np.where(pmt, pmt_days, np.nan),
        "Tgl Persalinan": _dates(delivered, birth),
        "Penolong": np.where(delivered, choose(rng, HELPERS, n), None),
        "Tempat": np.where(delivered, choose(rng, PLACES, n), None),
        "BB Bayi (gram)": np.where(delivered, children.birth_weight[chosen] * 1000, np.nan),
        **nifas,
        "KB Pasca Persalinan": np.where(delivered & kb_known, kb, None),
    }


def _risk_factors(
    age: np.ndarray,
    gravida: np.ndarray,
    spacing: np.ndarray,
    height: np.ndarray,
    kek: np.ndarray,
    anaemia: np.ndarray,
) -> np.ndarray:
    """ "Resti" as kader write it: the risk factors present, joined by "; "."""
    factors = (
        (age < 20, "Umur < 20 th"),
        (age > 35, "Umur > 35 th"),
        (gravida > 4, "Paritas > 4"),
        (spacing < 2, "Jarak < 2 th"),
        (height < 145, "TB < 145 cm"),
        (kek, "KEK"),
        (anaemia, "Anemia"),
    )
    out = np.full(len(age), "", dtype=object)
    for present, label in factors:
        out = np.where(present, np.where(out == "", label, out + "; " + label), out)
    return np.where(out == "", None, out)


def _coverage(run: Run, world: World, desa: np.ndarray, p: dict[str, np.ndarray]) -> None:
    """S1 by month of K1; S2, ANC visits and N1 by month of delivery (per desa)."""
    code = world.desa_code[desa]
    delivered = ~np.isnat(p["Tgl Persalinan"])
    birth_month = timeline.month_text(np.where(delivered, p["Tgl Persalinan"], p["K1"]))
    visits = np.stack([~np.isnat(p[v]) for v in VISITS], axis=1).sum(axis=1)
    truth = run.truth
    kek = p["KEK"] == "Ya"
    truth.coverage(
        "S1", "kohort_ibu", code, timeline.month_text(p["K1"]), kek & ~np.isnat(p["Mulai PMT"]), kek
    )
    truth.coverage(
        "S2",
        "kohort_ibu",
        code,
        birth_month,
        delivered & (p["Jumlah TTD (tablet)"] >= 90),
        delivered,
    )
    truth.coverage("ANC4", "kohort_ibu", code, birth_month, delivered & (visits >= 4), delivered)
    truth.coverage("ANC6", "kohort_ibu", code, birth_month, delivered & (visits >= 6), delivered)
    known = delivered & has_value(p["KB Pasca Persalinan"])
    truth.coverage(
        "N1", "kohort_ibu", code, birth_month, known & (p["KB Pasca Persalinan"] != "Tidak"), known
    )
