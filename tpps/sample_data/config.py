"""Parameters of a sample and the named presets the CLI offers."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

SOURCES = (
    "eppgbm",
    "kohort_ibu",
    "ttd_remaja",
    "imunisasi",
    "krs",
    "elsimil",
    "bansos",
    "stbm",
    "paud",
    "master",
)


@dataclass(frozen=True)
class SampleConfig:
    """Everything that shapes a sample; the same config and seed give byte-identical files."""

    seed: int = 2024
    # Kabupaten generated, in the order of tpps.regions.kabupaten_near(first_kabupaten).
    kabupaten: int = 1
    first_kabupaten: str = "73.17"
    # Children under five living in the first kabupaten at any time; other kabupaten get the
    # same number per desa.
    children: int = 25_000
    # Months of e-PPGBM data, ending with end_month (inclusive, "YYYY-MM").
    months: int = 18
    end_month: str = "2025-12"
    # Share of measured children with HAZ < -2, before kecamatan and desa variation (FACTS §4).
    stunting_prevalence: float = 0.22
    # Probability that a data row carries a planted fault (0 disables every planted fault).
    fault_rate: float = 0.02
    # Add the file-level faults (zero-byte, header-only, truncated files), which make a
    # delivery partly unloadable; off by default so the default sample loads.
    file_faults: bool = False
    # Share of e-PPGBM files delivered as XLSX instead of CSV.
    xlsx_share: float = 0.15
    # Only the first N kecamatan of each kabupaten (small, fast samples); None = all.
    kecamatan_limit: int | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.fault_rate <= 0.2:
            raise ValueError("fault_rate must be between 0 and 0.2")
        if not 0.02 <= self.stunting_prevalence <= 0.6:
            raise ValueError("stunting_prevalence must be between 0.02 and 0.6")
        if self.kabupaten < 1 or self.children < 1 or self.months < 1:
            raise ValueError("kabupaten, children and months must be positive")
        if not 0 <= self.xlsx_share <= 1:
            raise ValueError("xlsx_share must be between 0 and 1")
        np.datetime64(self.end_month, "M")  # a malformed month fails here

    @property
    def month_range(self) -> np.ndarray:
        """The data months as datetime64[M], oldest first."""
        end = np.datetime64(self.end_month, "M")
        return end - np.arange(self.months)[::-1]

    def replace(self, **changes: object) -> SampleConfig:
        return dataclasses.replace(self, **changes)


PRESETS: dict[str, SampleConfig] = {
    # Unit and end-to-end tests: two kecamatan of Luwu, one quarter; a few thousand rows.
    "tiny": SampleConfig(children=900, months=3, kecamatan_limit=2),
    # `make run`: all of Luwu, 18 months, ~25k children under five.
    "default": SampleConfig(),
    # Sulawesi Selatan (24 kabupaten/kota), one year.
    "province": SampleConfig(kabupaten=24, months=12),
    # Every kabupaten/kota of Indonesia, four months: about 25 million measurement rows.
    "national": SampleConfig(kabupaten=514, months=4, xlsx_share=0.05),
}
