"""Could fastexcel (polars.read_excel's engine) read a workbook's text exactly as calamine + aelint render it?

    .venv/bin/python bench/bench_fastexcel.py [bench/out/catalog_100000.xlsx] [--runs 3]

Prints the CPU seconds of calamine's read as aelint does it (get_sheet_by_name, rows of Python values), of the
columnar read of aelint.workbook_columns (the benchmark's layout: header in row 2), and of fastexcel's (every
column as text; and each column typed from all its rows, strictly), the cost of turning
fastexcel's columns into rows, and how many cells fastexcel's text renders differently from `reader._text` of
calamine's value (by value type). bench/README.md has the finding (2026-11-30, third round).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from pathlib import Path

from aelint.reader import HEADER_SEARCH_ROWS, _text
from aelint.workbook_columns import head_rows, sheet_text

HERE = Path(__file__).resolve().parent


def cpu(action, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.process_time()
        result = action()
        times.append(time.process_time() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=str(HERE / "out" / "catalog_100000.xlsx"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    import fastexcel
    from python_calamine import CalamineWorkbook

    def calamine_rows() -> list[list]:
        return list(CalamineWorkbook.from_path(args.path).get_sheet_by_index(0).iter_rows())

    def fastexcel_text():
        return fastexcel.read_excel(args.path).load_sheet(0, header_row=None, dtypes="string").to_polars()

    def fastexcel_typed():
        return fastexcel.read_excel(args.path).load_sheet(0, header_row=None, schema_sample_rows=None,
                                                          dtype_coercion="strict").to_polars()

    def columns_as_aelint_reads_them():  # aelint.workbook_columns, as the reader calls it (header from row 2)
        head = head_rows(Path(args.path), sheet_name, HEADER_SEARCH_ROWS)
        header = [str(value) for value in head[1][1]]
        return sheet_text(Path(args.path), sheet_name, 2, header, list(range(len(header))), head[2:])

    sheet_name = CalamineWorkbook.from_path(args.path).sheet_names[0]
    seconds, rows = cpu(calamine_rows, args.runs)
    print(f"calamine get_sheet_by_name + iter_rows (aelint's read): {seconds:.2f} s CPU")
    seconds, _text_frame = cpu(columns_as_aelint_reads_them, args.runs)
    print(f"workbook_columns: openpyxl head + fastexcel's typed columns as text: {seconds:.2f} s CPU")
    seconds, frame = cpu(fastexcel_text, args.runs)
    print(f"fastexcel, every column as text:                        {seconds:.2f} s CPU")
    try:
        seconds, typed = cpu(fastexcel_typed, args.runs)
        print(f"fastexcel, columns typed from all rows, strict:         {seconds:.2f} s CPU "
              f"({Counter(str(dtype) for dtype in typed.dtypes)})")
    except Exception as error:  # strict coercion refuses a column of mixed types
        print(f"fastexcel, columns typed from all rows, strict: refused ({str(error).splitlines()[0][:120]})")
    seconds, _rows = cpu(lambda: list(zip(*(column.to_list() for column in frame.get_columns()))), args.runs)
    print(f"fastexcel's text columns into rows (zip of to_list):    {seconds:.2f} s CPU")
    differ: Counter = Counter()
    cells: Counter = Counter()
    examples: dict[str, tuple] = {}
    columns = [column.to_list() for column in frame.get_columns()]
    for index, row in enumerate(rows):
        for column, value in enumerate(row):
            kind = type(value).__name__
            cells[kind] += 1
            theirs = columns[column][index] if column < len(columns) else None
            if _text(value) != (theirs if theirs is not None else ""):
                differ[kind] += 1
                examples.setdefault(kind, (value, theirs))
    print(f"cells by calamine type: {dict(cells)}")
    print(f"cells whose fastexcel text differs from aelint's: {dict(differ)}; e.g. {examples}")


if __name__ == "__main__":
    main()
