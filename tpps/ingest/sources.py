"""The contract of every source (``SOURCES``): columns, labels seen in real exports, rules.

Labels are matched loosely (case, spaces and punctuation ignored), so "Tgl Lahir", "TGL LAHIR" and
"tgl_lahir" are one label. Personal columns (NIK, No KK, names, birth dates) are read to build
pseudonyms, surrogate keys and ages, and are never stored. Ranges: ``valid`` rejects values no
real record can have (usually a unit slip), ``typical`` only flags.
"""

from __future__ import annotations

from tpps.ingest.contracts import (
    AgeAt,
    Column,
    Contract,
    DesaLookup,
    Kind,
    PseudonymKey,
    Rule,
)

# Labels the exports carry that are deliberately dropped: personal details with no analytical
# use, and the export's own age text, status labels and z-scores (recomputed downstream, never
# trusted: FACTS §5).
_PERSONAL_LABELS = (
    "Nama Ortu",
    "Nama Orang Tua (Ibu/Ayah)",
    "Nama Ibu",
    "Nama Ayah",
    "Nama Suami",
    "No HP Orang Tua",
    "No HP",
    "Nomor HP",
    "Alamat",
    "RT",
    "RW",
    "RT/RW",
)
_EXPORT_VERDICTS = (
    "Usia Saat Ukur",
    "BB/U",
    "ZS BB/U",
    "TB/U",
    "ZS TB/U",
    "PB/U",
    "PB-TB/U",
    "BB/TB",
    "ZS BB/TB",
    "BB/PB",
    "BB/PB-TB",
    "IMT/U",
    "ZS IMT/U",
    "Detail",
    "Detail Status",
    "Status Gizi",
)
_REGION_AND_LAYOUT = ("Prov", "Provinsi", "Kab/Kota", "Kabupaten", "Kabupaten/Kota", "No", "No.")

_DESA = DesaLookup(code="exported_desa_code", name="desa_name", kecamatan="kecamatan_name")
_YEARLY_TITLE = (r"(?:tahun|[\u2013-])\s*(\d{4})\s*$", "31/12/{0}")
# The same recipe everywhere, so a child without a NIK gets the same surrogate in every source.
_CHILD_KEY = PseudonymKey("child_key", "nik", ("child_name", "birth_date", "sex", "desa_code"))


def _place_columns() -> tuple[Column, ...]:
    """Kecamatan and desa names, and the desa code where the export has one."""
    return (
        Column(
            "kecamatan_name",
            Kind.TEXT,
            ("Kec", "Kecamatan", "Nama Kecamatan", "nama_kecamatan"),
            required=True,
        ),
        Column(
            "desa_name",
            Kind.TEXT,
            (
                "Desa/Kel",
                "Desa/Kelurahan",
                "Kelurahan",
                "Desa",
                "Kelurahan/Desa",
                "Nama Desa",
                "Nama Kelurahan",
                "nama_kelurahan",
            ),
            required=True,
        ),
        Column(
            "exported_desa_code",
            Kind.DESA_CODE,
            ("Kode Desa", "Kode Desa/Kel", "Kode Kelurahan", "Kode Wilayah", "kode_kelurahan"),
            stored=False,
        ),
    )


def _child_columns() -> tuple[Column, ...]:
    """NIK, name, sex and birth date of a child: the identity behind ``_CHILD_KEY``."""
    return (
        Column("nik", Kind.NIK, ("NIK", "NIK Anak", "NIK Balita"), stored=False),
        Column(
            "child_name",
            Kind.NAME,
            ("Nama", "Nama Anak", "Nama Balita", "Nama Lengkap Balita", "Nama Peserta Didik"),
            stored=False,
        ),
        Column("sex", Kind.SEX, ("JK", "Jenis Kelamin", "L/P"), required=True),
        Column(
            "birth_date",
            Kind.DATE,
            ("Tgl Lahir", "Tanggal Lahir", "Tgl Lahir Tgl/Bln/Thn"),
            required=True,
            stored=False,
        ),
    )


EPPGBM = Contract(
    name="eppgbm",
    description="e-PPGBM / SIGIZI Terpadu child measurements (one row per child and measurement "
    "date).",
    folder="eppgbm",
    columns=(
        *_child_columns(),
        Column(
            "birth_weight_kg",
            Kind.DECIMAL,
            ("BB Lahir", "Berat Lahir - Sasaran (kg)", "Berat Lahir"),
            unit="kg",
            valid=(0.3, 8),
            typical=(1.5, 5),
        ),
        Column(
            "birth_length_cm",
            Kind.DECIMAL,
            ("TB Lahir", "PB Lahir", "Panjang Lahir - Sasaran (cm)", "Panjang Lahir"),
            unit="cm",
            valid=(20, 70),
            typical=(40, 58),
        ),
        Column(
            "birth_head_circumference_cm",
            Kind.DECIMAL,
            ("Lingkar Kepala Lahir (cm)",),
            unit="cm",
            valid=(15, 50),
        ),
        Column("gestational_age_weeks", Kind.INTEGER, ("Usia Kehamilan (minggu)",), valid=(20, 45)),
        Column("early_breastfeeding", Kind.BOOLEAN, ("IMD",)),
        Column("birth_order", Kind.INTEGER, ("Anak Ke",), valid=(1, 25)),
        Column("family_kk", Kind.NIK, ("Nomor KK", "No KK", "No. KK"), stored=False),
        Column("parent_nik", Kind.NIK, ("NIK Orang Tua", "NIK Ibu"), stored=False),
        *_place_columns(),
        Column("puskesmas_name", Kind.TEXT, ("Pukesmas", "Puskesmas", "Nama Puskesmas")),
        Column("posyandu_name", Kind.TEXT, ("Posyandu", "Nama Posyandu")),
        Column(
            "measurement_date",
            Kind.DATE,
            ("Tanggal Pengukuran", "Tgl Pengukuran", "Tanggal Ukur", "Tgl Ukur"),
            required=True,
        ),
        Column(
            "weight_kg",
            Kind.DECIMAL,
            ("Berat", "Berat (kg)", "BB", "BB (kg)"),
            required=True,
            unit="kg",
            valid=(0.3, 100),
            typical=(1, 40),
        ),
        Column(
            "length_height_cm",
            Kind.DECIMAL,
            ("Tinggi", "Tinggi (cm)", "TB", "PB/TB", "TB/PB", "Panjang/Tinggi"),
            unit="cm",
            valid=(30, 200),
            typical=(38, 130),
        ),
        Column("measure_position", Kind.POSITION, ("Cara Ukur", "Posisi Ukur")),
        Column(
            "muac_cm",
            Kind.DECIMAL,
            ("LiLA", "LiLA (cm)", "Lingkar Lengan Atas"),
            unit="cm",
            valid=(5, 40),
            typical=(10, 22),
        ),
        Column("oedema", Kind.BOOLEAN, ("Edema", "Oedema", "Bengkak")),
        Column(
            "growth_code",
            Kind.CODE,
            ("Naik Berat Badan", "Naik BB", "N/T"),
            allowed=("N", "T", "O", "B"),
        ),
        Column("pmt_received_kg", Kind.DECIMAL, ("PMT Diterima (kg)",), unit="kg", valid=(0, 100)),
        Column("vitamin_a_doses", Kind.INTEGER, ("Jml Vit A", "Vitamin A", "Vit A"), valid=(0, 12)),
        Column("kpsp_result", Kind.TEXT, ("KPSP",)),
        Column("has_kia", Kind.BOOLEAN, ("KIA", "Buku KIA", "Punya Buku KIA")),
        Column("attends_kelas_ibu_balita", Kind.BOOLEAN, ("Kelas Ibu Balita",)),
        Column("receives_mbg", Kind.BOOLEAN, ("MBG",)),
    ),
    ignored=_PERSONAL_LABELS + _EXPORT_VERDICTS + _REGION_AND_LAYOUT,
    keys=(
        _CHILD_KEY,
        PseudonymKey("parent_key", "parent_nik"),
        PseudonymKey("family_key", "family_kk"),
    ),
    ages=(AgeAt("age_days", "birth_date", "measurement_date", valid=(0, 1856)),),
    places=(_DESA,),
    natural_key=("child_key", "measurement_date"),
    rules=(
        Rule(
            "out_of_range",
            "{weight_kg} > 12 + {age_days} / 50",
            "weight above 12 kg + 1 kg per 50 days of age (far above WHO's +5 SD): a lost "
            "decimal separator (9,8 kg written 98) that the plain 0.3-100 kg range lets pass",
            reject=True,
            fields=("weight_kg",),
        ),
        Rule(
            "flag_position_age_mismatch",
            "({measure_position} = 'h' AND {age_days} < 731) "
            "OR ({measure_position} = 'l' AND {age_days} >= 731)",
            "measured standing below 24 months or lying from 24 months (Permenkes 2/2020); "
            "kept, the z-scores correct the length by 0.7 cm",
        ),
        Rule(
            "flag_measurement_date_outside_file_month",
            "date_trunc('month', {measurement_date}) <> "
            "mode(date_trunc('month', {measurement_date})) OVER (PARTITION BY file_no)",
            "the measurement month differs from the file's usual month: an export covers one "
            "month, so day and month were probably swapped",
        ),
    ),
)

_VISITS = ("K1", "K2", "K3", "K4", "K5", "K6")
_NIFAS = ("KF1", "KF2", "KF3", "KF4")
KOHORT_IBU = Contract(
    name="kohort_ibu",
    description="Puskesmas cohort register of pregnant women (kohort ibu): one row per "
    "pregnancy, from the first antenatal visit to nifas and postpartum contraception.",
    folder="kohort_ibu",
    columns=(
        Column("mother_nik", Kind.NIK, ("NIK", "NIK Ibu"), stored=False),
        Column("mother_name", Kind.NAME, ("Nama Ibu", "Nama"), stored=False),
        Column("mother_birth_date", Kind.DATE, ("Tgl Lahir", "Tanggal Lahir"), stored=False),
        Column("family_kk", Kind.NIK, ("No KK", "Nomor KK"), stored=False),
        *_place_columns(),
        Column("posyandu_name", Kind.TEXT, ("Posyandu", "Nama Posyandu")),
        Column("lmp_date", Kind.DATE, ("HPHT",), required=True),
        Column(
            "expected_delivery_date",
            Kind.DATE,
            ("Taksiran Persalinan", "HPL", "TP"),
            future_ok=True,
        ),
        Column("gravida", Kind.INTEGER, ("G", "Gravida"), valid=(1, 20)),
        Column("para", Kind.INTEGER, ("P", "Para", "Paritas"), valid=(0, 20)),
        Column("abortus", Kind.INTEGER, ("A", "Abortus"), valid=(0, 20)),
        Column("pregnancy_spacing_years", Kind.DECIMAL, ("Jarak Kehamilan (th)",), valid=(0, 30)),
        Column(
            "weight_kg",
            Kind.DECIMAL,
            ("BB (kg)", "BB", "Berat Badan"),
            unit="kg",
            valid=(25, 200),
            typical=(35, 100),
        ),
        Column(
            "height_cm",
            Kind.DECIMAL,
            ("TB (cm)", "TB", "Tinggi Badan"),
            unit="cm",
            valid=(100, 200),
            typical=(135, 180),
        ),
        Column(
            "muac_cm",
            Kind.DECIMAL,
            ("LiLA (cm)", "LiLA"),
            unit="cm",
            valid=(10, 60),
            typical=(18, 40),
        ),
        Column("hb_g_dl", Kind.DECIMAL, ("Hb (g/dL)", "Hb"), valid=(2, 25), typical=(7, 16)),
        Column(
            "td_status",
            Kind.CODE,
            ("Status Td", "Status TT"),
            allowed=("T0", "T1", "T2", "T3", "T4", "T5"),
        ),
        *(Column(f"anc_{visit.lower()}_date", Kind.DATE, (visit,)) for visit in _VISITS),
        Column("ttd_30_date", Kind.DATE, ("Fe1 (30 tab)", "Fe1")),
        Column("ttd_90_date", Kind.DATE, ("Fe3 (90 tab)", "Fe3")),
        Column("ttd_tablets", Kind.INTEGER, ("Jumlah TTD (tablet)", "Jumlah TTD"), valid=(0, 400)),
        Column("kek", Kind.BOOLEAN, ("KEK",)),
        Column("anaemia", Kind.BOOLEAN, ("Anemia",)),
        Column("risk_factors", Kind.TEXT, ("Resti", "Faktor Risiko")),
        Column("pmt_start_date", Kind.DATE, ("Mulai PMT",)),
        Column("pmt_days", Kind.INTEGER, ("Lama PMT (hari)",), valid=(0, 366)),
        Column("delivery_date", Kind.DATE, ("Tgl Persalinan", "Tanggal Persalinan")),
        Column("birth_attendant", Kind.TEXT, ("Penolong", "Penolong Persalinan")),
        Column("delivery_place", Kind.TEXT, ("Tempat", "Tempat Persalinan")),
        Column(
            "baby_birth_weight_g",
            Kind.INTEGER,
            ("BB Bayi (gram)", "BB Bayi"),
            unit="gram",
            valid=(300, 7000),
            typical=(1500, 4500),
        ),
        *(Column(f"nifas_{visit.lower()}_date", Kind.DATE, (visit,)) for visit in _NIFAS),
        Column("postpartum_contraception", Kind.TEXT, ("KB Pasca Persalinan", "KB Pasca Salin")),
    ),
    ignored=_PERSONAL_LABELS + _REGION_AND_LAYOUT + ("Umur (th)", "Umur"),
    keys=(
        PseudonymKey("mother_key", "mother_nik", ("mother_name", "mother_birth_date", "desa_code")),
        PseudonymKey("family_key", "family_kk"),
    ),
    ages=(
        AgeAt("mother_age_years", "mother_birth_date", "lmp_date", unit="years", valid=(10, 60)),
    ),
    places=(_DESA,),
    natural_key=("mother_key", "lmp_date"),
)

IMUNISASI = Contract(
    name="imunisasi",
    description="Immunisation register: one row per child and vaccine dose.",
    folder="imunisasi",
    columns=(
        *_child_columns(),
        *_place_columns(),
        Column("posyandu_name", Kind.TEXT, ("Posyandu", "Nama Posyandu")),
        Column("vaccine", Kind.TEXT, ("Jenis Imunisasi", "Imunisasi", "Antigen"), required=True),
        Column(
            "vaccination_date", Kind.DATE, ("Tanggal Imunisasi", "Tgl Imunisasi"), required=True
        ),
        Column("service_place", Kind.TEXT, ("Tempat Pelayanan", "Tempat")),
    ),
    ignored=_PERSONAL_LABELS + _REGION_AND_LAYOUT,
    keys=(_CHILD_KEY,),
    ages=(AgeAt("age_days", "birth_date", "vaccination_date", valid=(0, 1856)),),
    places=(_DESA,),
    natural_key=("child_key", "vaccine", "vaccination_date"),
)

_HOUSEHOLD_HEAD = Column(
    "head_name",
    Kind.NAME,
    ("Nama Kepala Keluarga", "nama_kepala_keluarga", "Nama KK"),
    stored=False,
)
STBM = Contract(
    name="stbm",
    description="STBM household sanitation and drinking-water survey: one row per household "
    "and verification visit.",
    folder="stbm",
    columns=(
        Column("family_kk", Kind.NIK, ("No KK", "Nomor KK"), stored=False),
        _HOUSEHOLD_HEAD,
        *_place_columns(),
        Column("household_members", Kind.INTEGER, ("Jumlah Jiwa", "Jumlah Anggota"), valid=(1, 50)),
        Column("drinking_water_source", Kind.TEXT, ("Sumber Air Minum",)),
        Column("latrine_access", Kind.TEXT, ("Akses Jamban", "Jamban")),
        Column("closet_type", Kind.TEXT, ("Jenis Kloset",)),
        Column("final_disposal", Kind.TEXT, ("Pembuangan Akhir", "Pembuangan Tinja")),
        Column("handwashing_with_soap", Kind.BOOLEAN, ("CTPS",)),
        Column("waste_management", Kind.BOOLEAN, ("Pengelolaan Sampah", "PSRT")),
        Column(
            "verification_date",
            Kind.DATE,
            ("Tanggal Verifikasi", "Tanggal Kunjungan"),
            required=True,
        ),
    ),
    ignored=_PERSONAL_LABELS + _REGION_AND_LAYOUT + ("Dusun",),
    keys=(PseudonymKey("family_key", "family_kk", ("head_name", "desa_code")),),
    places=(_DESA,),
    natural_key=("family_key", "verification_date"),
)

_RISK_CODE = ("1", "2", "3")  # BKKBN: 2 = ya, 1 = tidak, 3 = tidak berlaku
KRS = Contract(
    name="krs",
    description="BKKBN Verval KRS: one row per keluarga sasaran and verification, with the "
    "stunting risk factors coded as BKKBN codes them.",
    folder="krs",
    columns=(
        Column("bkkbn_family_code", Kind.ID, ("kode_keluarga", "Kode Keluarga"), stored=False),
        Column("family_kk", Kind.NIK, ("no_kk", "No KK", "Nomor KK"), stored=False),
        Column("head_nik", Kind.NIK, ("nik_kepala_keluarga", "NIK Kepala Keluarga"), stored=False),
        _HOUSEHOLD_HEAD,
        Column("wife_nik", Kind.NIK, ("nik_istri", "NIK Istri"), stored=False),
        Column(
            "wife_birth_date",
            Kind.DATE,
            ("tanggal_lahir_istri", "Tanggal Lahir Istri"),
            stored=False,
        ),
        *_place_columns(),
        Column(
            "welfare_level",
            Kind.CODE,
            ("tingkat_kesejahteraan", "Tingkat Kesejahteraan"),
            allowed=("1", "2", "3", "4", ">4"),
        ),
        Column("children_count", Kind.INTEGER, ("jumlah_anak", "Jumlah Anak"), valid=(0, 25)),
        Column("has_baduta", Kind.BOOLEAN, ("punya_baduta", "Baduta")),
        Column("has_balita", Kind.BOOLEAN, ("punya_balita", "Balita")),
        Column("is_pus", Kind.BOOLEAN, ("pus", "PUS")),
        Column("is_pus_pregnant", Kind.BOOLEAN, ("pus_hamil", "PUS Hamil")),
        Column("drinking_water_code", Kind.CODE, ("kondisi_sumber_air_minum",), allowed=("1", "2")),
        Column("latrine_code", Kind.CODE, ("kondisi_fasilitas_bab",), allowed=("1", "2")),
        Column("too_young_code", Kind.CODE, ("terlalu_muda",), allowed=_RISK_CODE),
        Column("too_old_code", Kind.CODE, ("terlalu_tua",), allowed=_RISK_CODE),
        Column("too_close_code", Kind.CODE, ("terlalu_dekat",), allowed=_RISK_CODE),
        Column("too_many_code", Kind.CODE, ("terlalu_banyak",), allowed=_RISK_CODE),
        Column("risk_status", Kind.TEXT, ("status_risiko", "Status Risiko")),
        Column("tpk_accompanied", Kind.BOOLEAN, ("pendampingan_tpk", "Pendampingan TPK")),
        Column("tpk_visits", Kind.INTEGER, ("jumlah_kunjungan_tpk",), valid=(0, 100)),
        Column("tpk_last_visit_date", Kind.DATE, ("tanggal_kunjungan_terakhir",)),
        Column("genting_priority", Kind.BOOLEAN, ("sasaran_prioritas_genting",)),
        Column("foster_parent", Kind.TEXT, ("orang_tua_asuh", "Orang Tua Asuh")),
        Column("verification_date", Kind.DATE, ("tanggal_verval", "Tanggal Verval"), required=True),
    ),
    # House coordinates locate a family to a few metres: dropped like an address.
    ignored=_PERSONAL_LABELS
    + _REGION_AND_LAYOUT
    + ("nama_istri", "nama_provinsi", "nama_kabupaten", "latitude", "longitude"),
    keys=(
        PseudonymKey("family_key", "family_kk", ("head_name", "desa_code")),
        PseudonymKey("bkkbn_family_key", "bkkbn_family_code"),
        PseudonymKey("head_key", "head_nik"),
        PseudonymKey("wife_key", "wife_nik"),
    ),
    ages=(
        AgeAt(
            "wife_age_years", "wife_birth_date", "verification_date", unit="years", valid=(10, 70)
        ),
    ),
    places=(_DESA,),
    natural_key=("family_key", "verification_date"),
)

BANSOS = Contract(
    name="bansos",
    description="DTKS / DTSEN social assistance register (PKH, BPNT/Sembako, PBI-JKN): one row "
    "per person per yearly register.",
    folder="bansos",
    columns=(
        Column("dtks_id", Kind.ID, ("ID DTKS", "IDDTKS", "ID Keluarga"), stored=False),
        Column("family_kk", Kind.NIK, ("No KK", "Nomor KK"), stored=False),
        Column("nik", Kind.NIK, ("NIK",), stored=False),
        Column("person_name", Kind.NAME, ("Nama", "Nama Lengkap"), stored=False),
        Column("relationship", Kind.TEXT, ("Hubungan Keluarga", "Hubungan dengan KK")),
        Column("sex", Kind.SEX, ("Jenis Kelamin", "JK"), required=True),
        Column(
            "birth_date", Kind.DATE, ("Tanggal Lahir", "Tgl Lahir"), required=True, stored=False
        ),
        *_place_columns(),
        Column("desil", Kind.INTEGER, ("Desil",), valid=(1, 10)),
        Column("receives_pkh", Kind.BOOLEAN, ("PKH",)),
        Column("pkh_component", Kind.TEXT, ("Komponen PKH",)),
        Column("receives_bpnt", Kind.BOOLEAN, ("BPNT/Sembako", "BPNT", "Sembako")),
        Column("has_pbi_jkn", Kind.BOOLEAN, ("PBI-JKN", "PBI JKN", "PBI")),
        Column(
            "register_date",
            Kind.DATE,
            ("Tanggal Data", "Periode Data"),
            from_title=_YEARLY_TITLE,
            future_ok=True,
            required=True,
        ),
    ),
    ignored=_PERSONAL_LABELS + _REGION_AND_LAYOUT,
    keys=(
        PseudonymKey("person_key", "nik", ("person_name", "birth_date", "sex", "desa_code")),
        PseudonymKey("family_key", "family_kk"),
        PseudonymKey("dtks_household_key", "dtks_id"),
    ),
    ages=(AgeAt("age_days", "birth_date", "register_date", valid=(0, 45_000)),),
    places=(_DESA,),
    natural_key=("person_key", "register_date"),
)

ELSIMIL = Contract(
    name="elsimil",
    description="BKKBN Elsimil screening of brides- and grooms-to-be (catin): one row per catin "
    "registration.",
    folder="elsimil",
    columns=(
        Column("registration_number", Kind.ID, ("No Registrasi", "Nomor Registrasi"), stored=False),
        Column("nik", Kind.NIK, ("NIK",), stored=False),
        Column("person_name", Kind.NAME, ("Nama", "Nama Catin"), stored=False),
        Column("sex", Kind.SEX, ("Jenis Kelamin", "JK"), required=True),
        Column(
            "birth_date", Kind.DATE, ("Tanggal Lahir", "Tgl Lahir"), required=True, stored=False
        ),
        *_place_columns(),
        Column("registration_date", Kind.DATE, ("Tanggal Daftar", "Tgl Daftar"), required=True),
        Column(
            "planned_marriage_date",
            Kind.DATE,
            ("Rencana Tanggal Menikah", "Rencana Menikah"),
            future_ok=True,
        ),
        Column("exam_date", Kind.DATE, ("Tanggal Pemeriksaan", "Tgl Pemeriksaan")),
        Column(
            "weight_kg",
            Kind.DECIMAL,
            ("Berat Badan (kg)", "BB (kg)", "Berat Badan"),
            unit="kg",
            valid=(25, 250),
            typical=(35, 120),
        ),
        Column(
            "height_cm",
            Kind.DECIMAL,
            ("Tinggi Badan (cm)", "TB (cm)", "Tinggi Badan"),
            unit="cm",
            valid=(100, 230),
            typical=(135, 195),
        ),
        Column("bmi", Kind.DECIMAL, ("IMT",), valid=(8, 80), typical=(15, 40)),
        Column(
            "muac_cm",
            Kind.DECIMAL,
            ("LiLA (cm)", "LiLA"),
            unit="cm",
            valid=(10, 60),
            typical=(18, 40),
        ),
        Column(
            "waist_cm",
            Kind.DECIMAL,
            ("Lingkar Perut (cm)", "Lingkar Perut"),
            unit="cm",
            valid=(40, 200),
            typical=(55, 120),
        ),
        Column("hb_g_dl", Kind.DECIMAL, ("Hb (g/dL)", "Hb"), valid=(2, 25), typical=(7, 18)),
        Column("smokes", Kind.BOOLEAN, ("Merokok",)),
        Column("risk_status", Kind.TEXT, ("Status Risiko",)),
        Column("tpk_accompanied", Kind.BOOLEAN, ("Pendampingan TPK",)),
    ),
    ignored=_PERSONAL_LABELS + _REGION_AND_LAYOUT + ("Umur",),
    keys=(
        PseudonymKey("person_key", "nik", ("person_name", "birth_date", "sex", "desa_code")),
        PseudonymKey("registration_key", "registration_number"),
    ),
    ages=(AgeAt("age_years", "birth_date", "registration_date", unit="years", valid=(10, 80)),),
    places=(_DESA,),
    natural_key=("person_key", "registration_date"),
)

TTD_REMAJA = Contract(
    name="ttd_remaja",
    description="School (UKS) iron-tablet reports for adolescent girls: one row per school and "
    "month.",
    folder="ttd_remaja",
    columns=(
        Column("school_npsn", Kind.TEXT, ("NPSN",), required=True),
        Column("school_name", Kind.TEXT, ("Nama Sekolah", "Sekolah")),
        Column("school_level", Kind.TEXT, ("Jenjang",)),
        *_place_columns(),
        Column("report_month", Kind.MONTH, ("Bulan",), required=True),
        Column("report_year", Kind.INTEGER, ("Tahun",), required=True, valid=(2000, 2100)),
        Column("girls_enrolled", Kind.INTEGER, ("Jumlah Siswi",), valid=(0, 20_000)),
        Column("girls_given_ttd", Kind.INTEGER, ("Siswi Mendapat TTD",), valid=(0, 20_000)),
        Column("girls_taking_ttd", Kind.INTEGER, ("Siswi Minum TTD",), valid=(0, 20_000)),
        Column(
            "tablets_given",
            Kind.INTEGER,
            ("Jumlah Tablet Diberikan", "Jumlah Tablet"),
            valid=(0, 1_000_000),
        ),
    ),
    ignored=_REGION_AND_LAYOUT,
    places=(_DESA,),
    natural_key=("school_npsn", "report_year", "report_month"),
    rules=(
        Rule(
            "out_of_range",
            "{girls_taking_ttd} > {girls_given_ttd} OR {girls_given_ttd} > {girls_enrolled}",
            "more girls taking tablets than given them, or given them than enrolled",
            reject=True,
            fields=("girls_given_ttd", "girls_taking_ttd"),
        ),
    ),
)

PAUD = Contract(
    name="paud",
    description="Dapodik / EMIS PAUD enrolment (TK, KB, TPA, SPS, RA): one row per enrolled "
    "child per yearly list.",
    folder="paud",
    columns=(
        Column("unit_npsn", Kind.TEXT, ("NPSN",), required=True),
        Column("unit_name", Kind.TEXT, ("Nama Satuan", "Nama Sekolah")),
        Column("unit_type", Kind.TEXT, ("Bentuk Pendidikan", "Jenis Satuan")),
        Column("kecamatan_name", Kind.TEXT, ("Kecamatan", "Kec"), required=True),
        Column(
            "unit_desa_name", Kind.TEXT, ("Desa/Kelurahan Satuan", "Desa Satuan"), required=True
        ),
        *_child_columns(),
        Column("home_kecamatan_name", Kind.TEXT, ("Kecamatan Domisili",), required=True),
        Column(
            "home_desa_name", Kind.TEXT, ("Desa/Kelurahan Domisili", "Desa Domisili"), required=True
        ),
        Column("class_group", Kind.TEXT, ("Rombel", "Kelompok")),
        Column("enrolment_date", Kind.DATE, ("Tanggal Masuk",)),
        Column("enrolment_status", Kind.TEXT, ("Status",)),
        Column(
            "register_date",
            Kind.DATE,
            ("Tanggal Data",),
            from_title=_YEARLY_TITLE,
            future_ok=True,
            required=True,
        ),
    ),
    ignored=_PERSONAL_LABELS + _REGION_AND_LAYOUT + ("Nama Ibu Kandung",),
    keys=(PseudonymKey("child_key", "nik", ("child_name", "birth_date", "sex", "home_desa_code")),),
    ages=(AgeAt("age_days", "birth_date", "register_date", valid=(0, 7_300)),),
    places=(
        DesaLookup(output="unit_desa_code", name="unit_desa_name", kecamatan="kecamatan_name"),
        DesaLookup(output="home_desa_code", name="home_desa_name", kecamatan="home_kecamatan_name"),
    ),
    natural_key=("child_key", "register_date"),
)

_DESA_BY_CODE = DesaLookup(code="exported_desa_code")
_MASTER_DESA = (
    Column(
        "exported_desa_code",
        Kind.DESA_CODE,
        ("kode_desa", "Kode Desa", "Kode Desa/Kel"),
        required=True,
        stored=False,
    ),
    Column("desa_name", Kind.TEXT, ("nama_desa", "Nama Desa", "Desa/Kel", "Desa")),
)

MASTER_POSYANDU = Contract(
    name="master_posyandu",
    description="Dinkes master list: each posyandu, the desa it serves and its puskesmas.",
    folder="master",
    files="posyandu*",
    columns=(
        Column("posyandu_code", Kind.TEXT, ("kode_posyandu", "Kode Posyandu"), required=True),
        Column(
            "posyandu_name",
            Kind.TEXT,
            ("nama_posyandu", "Nama Posyandu", "Posyandu"),
            required=True,
        ),
        *_MASTER_DESA,
        Column("puskesmas_code", Kind.TEXT, ("kode_puskesmas", "Kode Puskesmas")),
    ),
    places=(_DESA_BY_CODE,),
    natural_key=("posyandu_code",),
    versioned=True,
)

MASTER_PUSKESMAS = Contract(
    name="master_puskesmas",
    description="Dinkes master list: the desa each puskesmas serves (one row per puskesmas and "
    "desa; a puskesmas is not a kecamatan).",
    folder="master",
    files="puskesmas*",
    columns=(
        Column("puskesmas_code", Kind.TEXT, ("kode_puskesmas", "Kode Puskesmas"), required=True),
        Column(
            "puskesmas_name",
            Kind.TEXT,
            ("nama_puskesmas", "Nama Puskesmas", "Puskesmas"),
            required=True,
        ),
        Column("kecamatan_code", Kind.TEXT, ("kode_kecamatan", "Kode Kecamatan")),
        Column("kecamatan_name", Kind.TEXT, ("nama_kecamatan", "Nama Kecamatan", "Kecamatan")),
        *_MASTER_DESA,
    ),
    places=(_DESA_BY_CODE,),
    natural_key=("puskesmas_code", "desa_code"),
    versioned=True,
)

_TARGET = {"valid": (0, 10_000_000)}
MASTER_SASARAN = Contract(
    name="master_sasaran",
    description="Dinkes target populations (sasaran) per desa and year: the denominators of "
    "coverage indicators.",
    folder="master",
    files="sasaran*",
    columns=(
        Column("year", Kind.INTEGER, ("tahun", "Tahun"), required=True, valid=(2000, 2100)),
        *_MASTER_DESA,
        Column("population", Kind.INTEGER, ("jumlah_penduduk", "Jumlah Penduduk"), **_TARGET),
        Column("target_infants", Kind.INTEGER, ("sasaran_bayi", "Bayi"), **_TARGET),
        Column("target_under_two", Kind.INTEGER, ("sasaran_baduta", "Baduta"), **_TARGET),
        Column("target_under_five", Kind.INTEGER, ("sasaran_balita", "Balita"), **_TARGET),
        Column("target_pregnant", Kind.INTEGER, ("sasaran_bumil", "Bumil", "Ibu Hamil"), **_TARGET),
        Column(
            "target_deliveries", Kind.INTEGER, ("sasaran_bulin", "Bulin", "Ibu Bersalin"), **_TARGET
        ),
        Column(
            "target_adolescent_girls",
            Kind.INTEGER,
            ("sasaran_remaja_putri", "Remaja Putri"),
            **_TARGET,
        ),
        Column("target_couples", Kind.INTEGER, ("sasaran_pus", "PUS"), **_TARGET),
    ),
    places=(_DESA_BY_CODE,),
    natural_key=("desa_code", "year"),
    versioned=True,
)

SOURCES: dict[str, Contract] = {
    contract.name: contract
    for contract in (
        EPPGBM,
        KOHORT_IBU,
        TTD_REMAJA,
        IMUNISASI,
        KRS,
        ELSIMIL,
        BANSOS,
        STBM,
        PAUD,
        MASTER_POSYANDU,
        MASTER_PUSKESMAS,
        MASTER_SASARAN,
    )
}
