"""The ground truth written beside the exports (``DIR/ground_truth/``), never inside ``raw/``.

Plain CSV (comma, decimal point, ISO dates, UTF-8), written through the same CSV writer as the
exports so it streams at any scale. Only what tests need: keys the pipeline can reproduce (file and
line), true values, true aggregates, and where each planted fault is.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from tpps.sample_data.exports import Column, CsvExport, CsvStyle, FileRecord, Form, Kind

_NUMBER, _DATE = Kind.NUMBER, Kind.DATE
BATCH_ROWS = 50_000
TRUTH_STYLE = CsvStyle(delimiter=",", decimal=".", newline="\n", date_format="%Y-%m-%d")

MEASUREMENTS = Form(
    "ground_truth",
    (
        Column("file"),
        Column("sheet"),
        Column("line", _NUMBER),
        Column("child_id", _NUMBER),
        Column("desa_code"),
        Column("posyandu_code"),
        Column("measurement_date", _DATE),
        Column("age_days", _NUMBER),
        Column("sex", _NUMBER),
        Column("weight_kg", _NUMBER, 1),
        Column("length_height_cm", _NUMBER, 1),
        Column("position"),
        Column("haz", _NUMBER, 2),
        Column("waz", _NUMBER, 2),
        Column("whz", _NUMBER, 2),
    ),
)
CHILDREN_MONTHLY = Form(
    "ground_truth",
    (
        Column("desa_code"),
        Column("month"),
        Column("children_measured", _NUMBER),
        Column("children_with_haz", _NUMBER),
        Column("children_stunted", _NUMBER),
    ),
)
COVERAGE = Form(
    "ground_truth",
    (
        Column("indicator_code"),
        Column("source"),
        Column("desa_code"),
        Column("period"),
        Column("numerator", _NUMBER),
        Column("denominator", _NUMBER),
    ),
)
FAULTS = Form(
    "ground_truth",
    (
        Column("source"),
        Column("file"),
        Column("sheet"),
        Column("line", _NUMBER),
        Column("fault_code"),
        Column("field"),
        Column("detail"),
    ),
)
FILES = Form(
    "ground_truth",
    (
        Column("file"),
        Column("source"),
        Column("format"),
        Column("encoding"),
        Column("delimiter"),
        Column("sheet"),
        Column("header_rows"),
        Column("data_rows", _NUMBER),
        Column("lines", _NUMBER),
    ),
)


def tally(desa_code: np.ndarray, period: np.ndarray, **counts: np.ndarray) -> dict[str, np.ndarray]:
    """Sum each column (booleans or counts) per (desa, period), sorted by desa then period."""
    key = np.char.add(np.char.add(desa_code.astype(str), "|"), period.astype(str))
    keys, inverse = np.unique(key, return_inverse=True)
    desa, when = np.array([k.split("|") for k in keys], dtype=object).reshape(-1, 2).T
    out = {"desa_code": desa, "period": when}
    for name, values in counts.items():
        out[name] = np.bincount(inverse, weights=values, minlength=len(keys)).astype(np.int64)
    return out


def _frame(form: Form, columns: Mapping[str, object]) -> dict[str, np.ndarray]:
    """Columns as the writer expects them (object text, datetime64 dates, float numbers)."""
    out = {}
    for column in form.columns:
        values = np.asarray(columns[column.label])
        if column.kind is Kind.NUMBER:
            values = values.astype(float)
        elif column.kind is Kind.TEXT:
            values = values.astype(object)
        out[column.label] = values
    return out


class GroundTruth:
    """Open ground-truth files of one run; also the fault log of every export."""

    def __init__(self, data_dir: Path) -> None:
        self.dir = data_dir / "ground_truth"
        self.dir.mkdir(parents=True, exist_ok=True)
        self._writers = {
            name: CsvExport(self.dir / f"{name}.csv", self.dir, form, self, style=TRUTH_STYLE)
            for name, form in (
                ("measurements", MEASUREMENTS),
                ("children_monthly", CHILDREN_MONTHLY),
                ("coverage", COVERAGE),
                ("faults", FAULTS),
                ("files", FILES),
            )
        }
        self._pending: dict[str, list[dict[str, np.ndarray]]] = {name: [] for name in self._writers}
        self._pending_rows = dict.fromkeys(self._writers, 0)
        self._pending_faults: list[tuple] = []

    def record(
        self, file: str, sheet: str, line: int | None, code: str, field: str, detail: str = ""
    ) -> None:
        """FaultLog: a planted fault; buffered, written in batches."""
        source = file.split("/", 1)[0]
        self._pending_faults.append(
            (source, file, sheet, np.nan if line is None else line, code, field, detail)
        )
        if len(self._pending_faults) >= BATCH_ROWS:
            self._flush_faults()

    def _flush_faults(self) -> None:
        if self._pending_faults:
            rows = list(zip(*self._pending_faults, strict=True))
            self.write("faults", dict(zip(FAULTS.labels, rows, strict=True)))
            self._pending_faults = []

    def write(self, name: str, columns: Mapping[str, object]) -> None:
        """Queue rows for a ground-truth file; they are written in large batches (fewer,
        bigger set-wise renders)."""
        frame = _frame(self._writers[name].form, columns)
        self._pending[name].append(frame)
        self._pending_rows[name] += len(next(iter(frame.values())))
        if self._pending_rows[name] >= BATCH_ROWS:
            self._flush(name)

    def _flush(self, name: str) -> None:
        frames = self._pending[name]
        if frames:
            self._writers[name].write(
                {label: np.concatenate([f[label] for f in frames]) for label in frames[0]}
            )
        self._pending[name], self._pending_rows[name] = [], 0

    def file(self, record: FileRecord) -> None:
        self.write("files", {label: [getattr(record, label)] for label in FILES.labels})

    def coverage(
        self,
        indicator: str,
        source: str,
        desa_code: np.ndarray,
        period: np.ndarray,
        numerator: np.ndarray,
        denominator: np.ndarray,
    ) -> None:
        """Append one indicator's numerator and denominator per desa and period.

        Per record, ``denominator`` says whether (or how many of) it belongs to the target group
        and ``numerator`` whether it was served; cells without a target group are left out.
        """
        counts = tally(desa_code, period, numerator=numerator, denominator=denominator)
        counts = {k: v[counts["denominator"] > 0] for k, v in counts.items()}
        n = len(counts["desa_code"])
        if n:
            self.write(
                "coverage",
                {
                    "indicator_code": [indicator] * n,
                    "source": [source] * n,
                    **counts,
                },
            )

    def close(self, summary: Mapping[str, object]) -> None:
        self._flush_faults()
        for name, writer in self._writers.items():
            self._flush(name)
            writer.close()
        (self.dir / "summary.json").write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n")
