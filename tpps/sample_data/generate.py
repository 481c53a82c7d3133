"""Generate a whole sample: kabupaten by kabupaten, puskesmas by puskesmas, streaming to disk.

Memory is bounded by one puskesmas area's cohort and the open files of one kabupaten, so the
same code writes a few hundred rows for a unit test or tens of millions for a national run.
"""

from __future__ import annotations

import dataclasses
import shutil
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from tpps import regions
from tpps.sample_data import programmes
from tpps.sample_data.cohort import build_cohort
from tpps.sample_data.config import SOURCES, SampleConfig
from tpps.sample_data.eppgbm import write_eppgbm
from tpps.sample_data.faults import plant_broken_files
from tpps.sample_data.master import MasterData
from tpps.sample_data.run import Run
from tpps.sample_data.truth import GroundTruth
from tpps.sample_data.world import build_world, stream


class OutputNotEmpty(Exception):
    """The target folders already hold files and overwriting was not asked for."""


def _prepare(data_dir: Path, overwrite: bool) -> None:
    """Refuse to mix with exports already there; with ``overwrite`` remove the source folders.

    ``ground_truth/`` only ever holds a previous sample's truth, so it is always replaced.
    """
    existing = [
        p
        for p in (data_dir / "raw" / source for source in SOURCES)
        if p.exists() and any(p.iterdir())
    ]
    if existing and not overwrite:
        raise OutputNotEmpty(
            f"{existing[0]} already holds files; pass overwrite (--overwrite) to replace the "
            "generated folders"
        )
    for folder in [*existing, data_dir / "ground_truth"]:
        if folder.exists():
            shutil.rmtree(folder)


def children_per_desa(config: SampleConfig) -> float:
    """Under-five children per desa, from the configured total of the first kabupaten."""
    kecamatan = {
        k.code for k in regions.kecamatan_of(config.first_kabupaten)[: config.kecamatan_limit]
    }
    desa = [d for d in regions.desa_of(config.first_kabupaten) if d.kecamatan_code in kecamatan]
    return config.children / len(desa)


def generate(
    config: SampleConfig,
    data_dir: Path,
    *,
    overwrite: bool = False,
    progress: Callable[[str], None] | None = None,
) -> dict[str, object]:
    """Write ``data_dir/raw/<source>/...`` and ``data_dir/ground_truth/...``; return a summary."""
    started = time.perf_counter()
    _prepare(data_dir, overwrite)
    truth = GroundTruth(data_dir)
    run = Run(config, data_dir / "raw", truth)
    months = config.month_range
    per_desa = children_per_desa(config)
    master = MasterData(run, months)
    unit_number = 0
    kabupaten = regions.kabupaten_near(config.first_kabupaten)[: config.kabupaten]
    for index, code in enumerate(kabupaten):
        world = build_world(config, index, code, per_desa)
        office = programmes.KabupatenOffice(run, world, months)
        for unit in world.puskesmas:
            cohort = build_cohort(world, unit, unit_number, config.seed, months[0], months[-1])
            write_eppgbm(world, cohort, months, run)
            programmes.write_puskesmas_sources(run, world, cohort, months)
            office.add(cohort)
            unit_number += 1
        office.close()
        master.add(world)
        if progress:
            progress(f"{index + 1}/{len(kabupaten)} {world.name}")
    master.close()
    if config.file_faults:
        for record in plant_broken_files(
            run.files, run.raw_dir, truth, stream(config.seed, "broken-files")
        ):
            truth.file(record)
    rows = Counter()
    files = Counter()
    for record in run.files:
        rows[record.source] += record.data_rows
        files[record.source] += 1
    summary = {
        "config": dataclasses.asdict(config),
        "files": dict(sorted(files.items())),
        "data_rows": dict(sorted(rows.items())),
        "puskesmas": unit_number,
    }
    truth.close(summary)
    summary["seconds"] = round(time.perf_counter() - started, 2)
    return summary
