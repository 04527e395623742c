"""What translating costs: the whole lint of the benchmark CSV in English, Chinese and Russian.

    .venv/bin/python bench/bench_i18n.py [--rows 20000]

Messages are translated where they are made (one gettext lookup per template, per diagnostic), so the cost
grows with the number of diagnostics, not with the catalog. Each language runs twice; the better time counts.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

from aelint.engine import Engine, RunOptions  # noqa: E402
from aelint.i18n import LANGUAGES, _, using  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()
    _xlsx, csv_path = generate(HERE / "out", args.rows, workbook=False)
    for lang in (*LANGUAGES, *reversed(LANGUAGES)):
        best, found = float("inf"), 0
        for _attempt in range(2):
            with using(lang):
                start = time.perf_counter()
                report = Engine(RunOptions(images=False, cache=False)).lint([csv_path])
                best = min(best, time.perf_counter() - start)
                found = len(report.diagnostics)
        print(f"{lang}: {best:6.2f} s, {found} diagnostics")
    with using("ru"):
        start = time.perf_counter()
        for _call in range(1_000_000):
            _("title is {length} characters; AliExpress allows {limit}")
        print(f"one lookup: {time.perf_counter() - start:.2f} us (a million lookups in as many seconds)")


if __name__ == "__main__":
    main()
