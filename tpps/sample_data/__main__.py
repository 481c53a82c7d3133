"""``python -m tpps.sample_data --data-dir DIR [--preset tiny] [--seed N] ...``"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tpps.config import Settings
from tpps.sample_data import PRESETS, OutputNotEmpty, generate


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tpps.sample_data",
        description="Write deterministic sample exports (raw/<source>/) and their ground truth "
        "(ground_truth/) for the TPPS pipeline.",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="root folder (default: $TPPS_DATA_DIR or ./data)",
    )
    parser.add_argument(
        "--preset",
        "--scale",
        choices=sorted(PRESETS),
        default="default",
        help="named size: tiny (tests), default (Luwu, 18 months), province, national",
    )
    parser.add_argument("--seed", type=int, help="random seed (same seed, same bytes)")
    parser.add_argument("--kabupaten", type=int, help="number of kabupaten/kota, Luwu first")
    parser.add_argument("--children", type=int, help="children under five in the first kabupaten")
    parser.add_argument("--months", type=int, help="months of e-PPGBM data")
    parser.add_argument("--end-month", help="last data month, YYYY-MM")
    parser.add_argument("--stunting-prevalence", type=float, help="target share with HAZ < -2")
    parser.add_argument("--fault-rate", type=float, help="share of rows with a planted fault")
    parser.add_argument(
        "--file-faults",
        action="store_true",
        default=None,
        help="also plant zero-byte, header-only and truncated files",
    )
    parser.add_argument("--xlsx-share", type=float, help="share of e-PPGBM files as XLSX")
    parser.add_argument("--kecamatan-limit", type=int, help="only the first N kecamatan")
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help="replace previously generated raw/<source>/ and ground_truth/",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    overrides = {
        name: value
        for name, value in vars(args).items()
        if name not in {"data_dir", "preset", "overwrite"} and value is not None
    }
    config = PRESETS[args.preset].replace(**overrides)
    data_dir = (args.data_dir or Settings.from_env().data_dir).resolve()
    try:
        summary = generate(
            config,
            data_dir,
            overwrite=args.overwrite,
            progress=lambda message: print(message, file=sys.stderr),
        )
    except OutputNotEmpty as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(json.dumps({"data_dir": str(data_dir), **summary}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
