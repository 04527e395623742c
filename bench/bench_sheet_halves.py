"""A large sheet's columnar read whole and in two halves at once (aelint.sheet_halves), interleaved.

    .venv/bin/python bench/bench_sheet_halves.py [bench/out/catalog_100000.xlsx] [--runs 5]

Prints the median wall and CPU seconds of aelint.workbook_columns.sheet_text for the sheet (header in row 2, as
bench/generate.py writes it), with the sheet parsed whole by fastexcel and with its halves written (while the
header is looked for, as the reader does) and parsed on two threads, runs taken in turns; and whether the halves
gave the same records. bench/README.md has the finding (2026-11-30, ninth round).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from aelint.reader import HEADER_SEARCH_ROWS
from aelint.sheet_halves import start_halves
from aelint.workbook_columns import head_rows, sheet_text

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=str(HERE / "out" / "catalog_100000.xlsx"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from python_calamine import CalamineWorkbook

    path = Path(args.path)
    sheet = CalamineWorkbook.from_path(args.path).sheet_names[0]

    def read(split: bool):
        halves = start_halves(path, [sheet]) if split else None
        if split and halves is None:
            raise SystemExit("the sheet is not split (too small, one core, or no memfds)")
        head = head_rows(path, sheet, HEADER_SEARCH_ROWS)
        header = [str(value) for value in head[1][1]]
        return sheet_text(path, sheet, 2, header, list(range(len(header))), head[2:], halves)

    times: dict[bool, list[tuple[float, float]]] = {False: [], True: []}
    results = {}
    for _ in range(args.runs):
        for split in (False, True):
            wall, cpu = time.perf_counter(), time.process_time()
            results[split] = read(split)
            times[split].append((time.perf_counter() - wall, time.process_time() - cpu))
    for split, label in ((False, "whole"), (True, "in halves")):
        wall = statistics.median(t[0] for t in times[split])
        cpu = statistics.median(t[1] for t in times[split])
        print(f"sheet_text, parsed {label:9}: {wall:.2f} s wall, {cpu:.2f} s CPU (median of {args.runs})")
    same = results[False] is not None and results[True] is not None and \
        results[False][1] == results[True][1] and results[False][0].equals(results[True][0])
    print(f"same records: {same}")


if __name__ == "__main__":
    main()
