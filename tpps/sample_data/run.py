"""The state of one generation run, and how a unit delivers a source (format, style, faults)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tpps.sample_data.config import SampleConfig
from tpps.sample_data.exports import CsvExport, CsvStyle, Export, FileRecord, Form, XlsxExport
from tpps.sample_data.faults import Planter, letters_only
from tpps.sample_data.truth import GroundTruth
from tpps.sample_data.world import World, stream

COMMA_CSV = CsvStyle(delimiter=",", decimal=".", newline="\n")


@dataclass
class Run:
    """What every writer of a run shares: the config, the raw folder, the ground truth and the
    list of files written so far."""

    config: SampleConfig
    raw_dir: Path
    truth: GroundTruth
    files: list[FileRecord] = field(default_factory=list)

    def delivery(self, source: str, world: World, unit_number: int) -> Delivery:
        return Delivery(self, source, world, unit_number)

    def close(self, export: Export) -> None:
        """Finish an export and list it in the ground truth."""
        record = export.close()
        self.files.append(record)
        self.truth.file(record)


class Delivery:
    """One unit's deliveries of one source, with its own random streams.

    The unit is a puskesmas (unit_number >= 0 is its position in the run) or a kabupaten office;
    separate streams per source and unit keep every file independent of the others.
    """

    def __init__(self, run: Run, source: str, world: World, unit_number: int) -> None:
        self.run = run
        self.source = source
        seed = run.config.seed
        self.rng = stream(seed, f"delivery-{source}", world.index, unit_number)
        self.planter = Planter(
            run.config.fault_rate,
            stream(seed, f"faults-{source}", world.index, unit_number),
            frozenset(letters_only(name) for name in world.desa_name),
        )

    def chance(self, share: float) -> bool:
        return bool(self.rng.random() < share)

    def open(
        self,
        name: str,
        form: Form,
        titles: Sequence[str] = (),
        *,
        xlsx: bool = False,
        sheet: str = "Sheet1",
        style: CsvStyle = COMMA_CSV,
        notes: Sequence[str] = (),
    ) -> Export:
        """A new export ``raw/<source>/<name>.csv|.xlsx`` with its file-level faults drawn."""
        decorations, encoding = self.planter.file_plan(form, xlsx)
        folder = self.run.raw_dir / self.source
        if xlsx:
            return XlsxExport(
                folder / f"{name}.xlsx",
                self.run.raw_dir,
                form,
                self.run.truth,
                titles,
                decorations,
                sheet=sheet,
                notes=notes,
            )
        return CsvExport(
            folder / f"{name}.csv",
            self.run.raw_dir,
            form,
            self.run.truth,
            titles,
            decorations,
            style=dataclasses.replace(style, encoding=encoding),
        )

    def close(self, export: Export) -> None:
        self.run.close(export)
