"""Master data as Dinkes keeps it: posyandu -> desa, puskesmas -> desa, sasaran per desa-year.

Plain comma CSV with Kemendagri desa codes, no planted faults: reference data the pipeline
resolves the programme exports against.
"""

from __future__ import annotations

import numpy as np

from tpps.sample_data.exports import Column, CsvExport, Decorations, Form, Kind
from tpps.sample_data.run import COMMA_CSV, Run
from tpps.sample_data.world import World, stream

_N = Kind.NUMBER
POSYANDU = Form(
    "master",
    (
        Column("kode_posyandu"),
        Column("nama_posyandu"),
        Column("kode_desa"),
        Column("nama_desa"),
        Column("kode_puskesmas"),
    ),
)
PUSKESMAS = Form(
    "master",
    (
        Column("kode_puskesmas"),
        Column("nama_puskesmas"),
        Column("kode_kecamatan"),
        Column("nama_kecamatan"),
        Column("kode_desa"),
        Column("nama_desa"),
    ),
)
SASARAN = Form(
    "master",
    (
        Column("tahun", _N),
        Column("kode_desa"),
        Column("nama_desa"),
        Column("jumlah_penduduk", _N),
        Column("sasaran_bayi", _N),
        Column("sasaran_baduta", _N),
        Column("sasaran_balita", _N),
        Column("sasaran_bumil", _N),
        Column("sasaran_bulin", _N),
        Column("sasaran_remaja_putri", _N),
        Column("sasaran_pus", _N),
    ),
)


class MasterData:
    """The three master files of the run, one block of rows per kabupaten."""

    def __init__(self, run: Run, months: np.ndarray) -> None:
        self.run = run
        self.years = sorted({int(str(m)[:4]) for m in months})
        folder = run.raw_dir / "master"
        self.exports = {
            name: CsvExport(
                folder / f"{name}.csv",
                run.raw_dir,
                form,
                run.truth,
                (),
                Decorations(),
                style=COMMA_CSV,
            )
            for name, form in (
                ("posyandu", POSYANDU),
                ("puskesmas", PUSKESMAS),
                ("sasaran", SASARAN),
            )
        }

    def add(self, world: World) -> None:
        code = np.array([d.code for d in world.desa], dtype=object)
        name = np.array([d.name for d in world.desa], dtype=object)
        served_by = np.empty(len(world.desa), dtype=object)
        for unit in world.puskesmas:
            served_by[unit.desa] = unit.code
        self.exports["posyandu"].write(
            {
                "kode_posyandu": world.posyandu_code.astype(object),
                "nama_posyandu": np.char.title(world.posyandu_name.astype(str)).astype(object),
                "kode_desa": code[world.posyandu_desa],
                "nama_desa": name[world.posyandu_desa],
                "kode_puskesmas": served_by[world.posyandu_desa],
            }
        )
        desa = np.concatenate([unit.desa for unit in world.puskesmas])
        units = [u for u in world.puskesmas for _ in u.desa]
        self.exports["puskesmas"].write(
            {
                "kode_puskesmas": np.array([u.code for u in units], dtype=object),
                "nama_puskesmas": np.array([u.name for u in units], dtype=object),
                "kode_kecamatan": np.array([u.kecamatan.code for u in units], dtype=object),
                "nama_kecamatan": np.array([u.kecamatan.name for u in units], dtype=object),
                "kode_desa": code[desa],
                "nama_desa": name[desa],
            }
        )
        self.exports["sasaran"].write(self._sasaran(world, code, name))

    def _sasaran(self, world: World, code: np.ndarray, name: np.ndarray) -> dict[str, np.ndarray]:
        """Projected targets: the true under-five population with projection error per year."""
        rng = stream(self.run.config.seed, "sasaran", world.index)
        n, years = len(world.desa), len(self.years)
        balita = np.repeat(world.children, years) * rng.normal(1, 0.08, n * years)
        bayi = balita / 5 * rng.normal(1, 0.05, n * years)
        penduduk = balita / 0.075
        return {
            "tahun": np.tile(self.years, n),
            "kode_desa": np.repeat(code, years),
            "nama_desa": np.repeat(name, years),
            "jumlah_penduduk": np.round(penduduk),
            "sasaran_bayi": np.round(bayi),
            "sasaran_baduta": np.round(2 * bayi),
            "sasaran_balita": np.round(balita),
            "sasaran_bumil": np.round(1.1 * bayi),
            "sasaran_bulin": np.round(1.05 * bayi),
            "sasaran_remaja_putri": np.round(0.085 * penduduk),
            "sasaran_pus": np.round(0.17 * penduduk),
        }

    def close(self) -> None:
        for export in self.exports.values():
            self.run.close(export)
