"""The programme sources besides e-PPGBM, and who delivers them.

Puskesmas deliver their own registers (kohort ibu, imunisasi, STBM) per area; kabupaten offices
(DPPKB, Dinsos, Disdik, Kemenag) deliver one file per year for the whole kabupaten, which is
written unit by unit as the cohorts come, so memory stays bounded.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from tpps.sample_data import bansos, elsimil, krs, paud, timeline, ttd_remaja
from tpps.sample_data.cohort import Cohort
from tpps.sample_data.exports import EN_DASH, CsvStyle, Export, Form
from tpps.sample_data.imunisasi import write_imunisasi
from tpps.sample_data.kohort_ibu import write_kohort_ibu
from tpps.sample_data.run import COMMA_CSV, Run
from tpps.sample_data.stbm import write_stbm
from tpps.sample_data.world import World, stream

OFFICE_SOURCES = ("krs", "bansos", "paud", "elsimil", "ttd_remaja")
SEMICOLON_CSV = CsvStyle(delimiter=";", decimal=",", newline="\r\n")


def write_puskesmas_sources(run: Run, world: World, cohort: Cohort, months: np.ndarray) -> None:
    write_kohort_ibu(run, world, cohort, months)
    write_imunisasi(run, world, cohort, months)
    write_stbm(run, world, cohort, months)


class KabupatenOffice:
    """The yearly kabupaten-wide files of one kabupaten, open while its units are generated."""

    def __init__(self, run: Run, world: World, months: np.ndarray) -> None:
        self.run = run
        self.world = world
        self.months = months
        self.snapshots = timeline.snapshot_dates(months)
        self.deliveries = {source: run.delivery(source, world, 0) for source in OFFICE_SOURCES}
        self.rng = {
            source: stream(run.config.seed, f"{source}-rows", world.index)
            for source in OFFICE_SOURCES
        }
        self.exports: dict[tuple[str, int], Export] = {}

    def _write(
        self,
        form: Form,
        year: int,
        rows: Mapping[str, np.ndarray],
        *,
        xlsx: bool = False,
        style: CsvStyle = COMMA_CSV,
        titles: tuple[str, ...] = (),
        notes: tuple[str, ...] = (),
        sheet: str = "Sheet1",
    ) -> None:
        n = len(next(iter(rows.values())))
        if not n:
            return
        delivery = self.deliveries[form.source]
        key = (form.source, year)
        if key not in self.exports:
            self.exports[key] = delivery.open(
                f"{form.source}_{self.world.digits}_{year}",
                form,
                titles,
                xlsx=xlsx,
                style=style,
                notes=notes,
                sheet=sheet,
            )
        export = self.exports[key]
        frame = {label: rows[label] for label in form.labels if label != "No"}
        if "No" in form.labels:
            frame["No"] = export.data_rows + np.arange(1, n + 1, dtype=float)
        codes = delivery.planter.draw(form, n, xlsx)
        export.write(
            frame, delivery.planter.apply(form, frame, codes, xlsx=xlsx, decimal=export.decimal)
        )

    def add(self, cohort: Cohort) -> None:
        """The unit's families in this year's KRS, DTKS and PAUD files, with their truth."""
        world, truth = self.world, self.run.truth
        for year, date in self.snapshots:
            period = str(year)
            rows, desa, at_risk = krs.krs_rows(world, cohort, date, year, self.rng["krs"])
            self._write(krs.FORM, year, rows)
            accompanied = rows["pendampingan_tpk"] == "Ya"
            truth.coverage(
                "N7",
                "krs",
                world.desa_code[desa],
                _repeat(period, desa),
                at_risk & accompanied,
                at_risk,
            )

            rows, families = bansos.bansos_rows(world, cohort, date, self.rng["bansos"])
            self._write(
                bansos.FORM,
                year,
                rows,
                xlsx=True,
                notes=bansos.NOTES,
                sheet="DTKS",
                titles=(
                    f"DATA TERPADU KESEJAHTERAAN SOSIAL {EN_DASH} {world.name} {EN_DASH} {year}",
                ),
            )
            target = families["target"]
            for code in ("N6", "N8", "N10"):
                truth.coverage(
                    code,
                    "bansos",
                    world.desa_code[families["desa"]],
                    _repeat(period, families["desa"]),
                    target & families[code],
                    target,
                )

            rows, enrolment = paud.paud_rows(world, cohort, date, self.rng["paud"])
            self._write(
                paud.FORM,
                year,
                rows,
                titles=(
                    f"Daftar Peserta Didik PAUD {EN_DASH} {world.name} {EN_DASH} Tahun {year}",
                ),
            )
            truth.coverage(
                "PAUD",
                "paud",
                world.desa_code[enrolment["desa"]],
                _repeat(period, enrolment["desa"]),
                enrolment["enrolled"],
                np.ones(len(enrolment["desa"]), bool),
            )

    def close(self) -> None:
        """Write the kabupaten-wide registers (Elsimil, TTD remaja) and close every file."""
        world, truth, months = self.world, self.run.truth, self.months
        catin = elsimil.catin_rows(world, months, self.run.config.seed)
        registered_year = np.array([int(str(d)[:4]) for d in catin["Tanggal Daftar"]])
        for year in timeline.years(months):
            rows = {label: values[registered_year == year] for label, values in catin.items()}
            self._write(elsimil.FORM, year, rows, style=SEMICOLON_CSV)
        early = (catin["Rencana Tanggal Menikah"] - catin["Tanggal Daftar"]).astype(
            int
        ) >= elsimil.EARLY_DAYS
        truth.coverage(
            "N3",
            "elsimil",
            world.desa_code[catin["desa"]],
            timeline.month_text(catin["Rencana Tanggal Menikah"]),
            early & ~np.isnat(catin["Tanggal Pemeriksaan"]),
            np.ones(len(early), bool),
        )

        reports = ttd_remaja.ttd_rows(world, months, self.rng["ttd_remaja"])
        for year in timeline.years(months):
            rows = {label: values[reports["Tahun"] == year] for label, values in reports.items()}
            self._write(ttd_remaja.FORM, year, rows)
        truth.coverage(
            "S3",
            "ttd_remaja",
            world.desa_code[reports["desa"]],
            reports["month"],
            reports["Siswi Minum TTD"],
            reports["Jumlah Siswi"],
        )
        for export in self.exports.values():
            self.run.close(export)


def _repeat(period: str, like: np.ndarray) -> np.ndarray:
    return np.full(len(like), period, dtype=object)
