"""What one ingest run did, per file and in total: counts, reasons, new columns.

Counts only: nothing here carries a personal value, so reports can go to logs and Dagster
metadata as they are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

LOADED = "loaded"
REJECTED = "rejected"
ALREADY_LOADED = "already_loaded"


@dataclass(frozen=True)
class FileReport:
    """One file: its status and why, and where each of its rows went.

    Invariant: rows_in == accepted + rejected + skipped (rows below the header; a file rejected as
    a whole reports 0 everywhere, its reason says why).
    """

    file_name: str
    file_sha256: str
    status: str  # LOADED, REJECTED or ALREADY_LOADED
    reason: str  # a readable sentence for the data officer
    reason_code: str | None = None  # file-level reason code when REJECTED
    rows_in: int = 0
    accepted: int = 0
    rejected: int = 0
    skipped: int = 0
    reason_counts: Mapping[str, int] = field(default_factory=dict)  # row reasons (skip + reject)
    new_columns: tuple[str, ...] = ()
    sheets: tuple[str, ...] = ()


@dataclass(frozen=True)
class IngestReport:
    """Every file of one source seen by one ``ingest_source`` call."""

    source: str
    files: tuple[FileReport, ...]

    @property
    def rows_in(self) -> int:
        return sum(f.rows_in for f in self.files)

    @property
    def accepted(self) -> int:
        return sum(f.accepted for f in self.files)

    @property
    def rejected(self) -> int:
        return sum(f.rejected for f in self.files)

    @property
    def skipped(self) -> int:
        return sum(f.skipped for f in self.files)

    @property
    def reason_counts(self) -> dict[str, int]:
        total: Counter[str] = Counter()
        for report in self.files:
            total.update(report.reason_counts)
        return dict(sorted(total.items()))

    @property
    def new_columns(self) -> tuple[str, ...]:
        return tuple(sorted({c for f in self.files for c in f.new_columns}))

    def files_with(self, status: str) -> tuple[FileReport, ...]:
        return tuple(f for f in self.files if f.status == status)

    def file_problems(self) -> list[str]:
        """One readable line per file that needs the data officer's attention."""
        problems = [
            f"{f.file_name}: rejected ({f.reason_code}): {f.reason}"
            for f in self.files_with(REJECTED)
        ]
        problems += [
            f"{f.file_name}: {f.rejected} of {f.rows_in} rows rejected "
            f"({', '.join(f'{code} {n}' for code, n in sorted(f.reason_counts.items()))})"
            for f in self.files_with(LOADED)
            if f.rejected
        ]
        problems += [
            f"{f.file_name}: new column(s) not in the contract: {', '.join(f.new_columns)}"
            for f in self.files
            if f.new_columns
        ]
        return problems

    def metadata(self) -> dict[str, object]:
        """Plain counts and names for Dagster asset metadata (no personal values)."""
        return {
            "files_loaded": len(self.files_with(LOADED)),
            "files_rejected": len(self.files_with(REJECTED)),
            "files_already_loaded": len(self.files_with(ALREADY_LOADED)),
            "rows_in": self.rows_in,
            "rows_accepted": self.accepted,
            "rows_rejected": self.rejected,
            "rows_skipped": self.skipped,
            "reason_counts": self.reason_counts,
            "rejected_files": {f.file_name: f.reason_code for f in self.files_with(REJECTED)},
            "new_columns": list(self.new_columns),
        }
