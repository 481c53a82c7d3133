"""Single entry for the benchmarks: `python -m bench [pipeline|zscores|generator|all] [options]`.

Options after the benchmark name go to that benchmark (see `python -m bench <name> --help`).
"""

from __future__ import annotations

import importlib
import sys

SUITES = {
    "pipeline": "bench.bench_pipeline",
    "zscores": "bench.bench_zscores",
    "generator": "bench.bench_generator",
}


def main(argv: list[str]) -> None:
    chosen, options = (argv[0], argv[1:]) if argv else ("pipeline", [])
    names = list(SUITES) if chosen == "all" else [chosen]
    for name in names:
        if name not in SUITES:
            raise SystemExit(f"unknown benchmark {name!r}; choose from {', '.join(SUITES)}, all")
        sys.argv = [SUITES[name], *(options if len(names) == 1 else [])]
        importlib.import_module(SUITES[name]).main()


if __name__ == "__main__":
    main(sys.argv[1:])
