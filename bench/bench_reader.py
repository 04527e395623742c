"""Time aelint's reader on the 100k-row benchmark CSV and workbook and on a 100k-row AliExpress template CSV.

    .venv/bin/python bench/bench_reader.py [--rows 100000] [--runs 3] [--no-workbook]
    .venv/bin/python bench/bench_reader.py --csv-steps [--runs 9]

`--csv-steps` times the large CSV's read step by step instead, from the file to its batches (the columnar read:
`_record_lines`, polars' `read_csv`, `open_csv` whole, the header search, `frame_batches` and every batch's table
columns), median CPU of this process; run it with another checkout's interpreter to compare.

The template file repeats fixtures/layouts/aliexpress_template/fires.csv's data rows under its three header
rows (group titles, hints, field names), so every product has a Russian and an English name and description
(other-language views) and follow-on rows with titles of their own. Prints the median seconds of each read
(wall, and CPU of this process: polars reads on several threads), of the workbook's extent scan alone, and of
linting the template file with the title and description rules (AE1, AE604).
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

from aelint import config as config_module  # noqa: E402
from aelint.catalog_files import _check_zip  # noqa: E402
from aelint.engine import Engine, RunOptions  # noqa: E402
from aelint.reader import read_catalog  # noqa: E402

TEMPLATE = HERE.parent / "fixtures" / "layouts" / "aliexpress_template" / "fires.csv"


def template_file(out: Path, rows: int) -> Path:
    path = out / f"template_{rows}.csv"
    if path.exists():
        return path
    with TEMPLATE.open(newline="", encoding="utf-8") as handle:
        block = list(csv.reader(handle))
    header, data = block[:3], block[3:]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerows(header)
        for n in range(rows):
            row = list(data[n % len(data)])
            row[0] = f"{row[0]}-{n // len(data)}"  # each copy of the block is its own products
            writer.writerow(row)
    return path


def median_seconds(action, runs: int) -> str:
    """Median wall and CPU seconds of `runs` calls of `action`."""
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return f"{statistics.median(walls):.2f} s wall, {statistics.median(cpus):.2f} s CPU"


def csv_steps(path: Path, runs: int) -> None:
    """The columnar read of a large CSV, step by step (see the module's docstring)."""
    import polars as pl

    from aelint import catalog_files, reader
    from aelint.frame_products import frame_batches

    data = path.read_bytes()
    records = catalog_files.open_csv(path, path.name)
    rows = iter(records.rows)
    builder = reader._start(path.name, None, False, rows, {}, None, "en", RunOptions().batch_products)
    records.only(builder.columns_read)

    def batches() -> None:
        for _ in frame_batches(builder, records.frame, records.numbers, builder.remake):
            pass

    steps = {
        "path.read_bytes": path.read_bytes,
        "_record_lines": lambda: catalog_files._record_lines(data, ","),
        "polars read_csv": lambda: pl.read_csv(data, has_header=False, infer_schema=False, encoding="utf8-lossy",
                                               empty_string_is_null=False),
        "open_csv (all of the above)": lambda: catalog_files.open_csv(path, path.name),
        "header search (reader._start)": lambda: reader._start(path.name, None, False, iter(
            catalog_files.open_csv(path, path.name, columnar=False).rows), {}, None, "en", RunOptions().batch_products),
        "frame_batches, every batch": batches,
    }
    for name, step in steps.items():
        cpus = []
        for _ in range(runs):
            cpu = time.process_time()
            step()
            cpus.append(time.process_time() - cpu)
        print(f"{name:32} {statistics.median(cpus) * 1000:7.1f} ms CPU (least {min(cpus) * 1000:.1f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-workbook", action="store_true", help="skip the workbook (writing one takes minutes)")
    parser.add_argument("--csv-steps", action="store_true", help="time the large CSV's read step by step")
    args = parser.parse_args()
    out = HERE / "out"
    if args.csv_steps:
        csv_steps(generate(out, args.rows, workbook=False)[1], args.runs)
        return
    book, plain = generate(out, args.rows, workbook=not args.no_workbook)
    template = template_file(out, args.rows)
    print(f"reader, benchmark CSV:      {median_seconds(lambda: read_catalog(plain, 'x'), args.runs)}")
    if not args.no_workbook:
        print(f"reader, benchmark workbook: {median_seconds(lambda: read_catalog(book, 'x'), args.runs)}")
        print(f"  its extent scan:          {median_seconds(lambda: _check_zip(book, book.name), args.runs)}")
    print(f"reader, template CSV:       {median_seconds(lambda: read_catalog(template, 'x'), args.runs)}")
    engine = Engine(RunOptions(select=["AE1", "AE604"], images=False, cache=False), config_module.from_data({}, None))
    print(f"lint AE1+AE604, template:   {median_seconds(lambda: engine.lint([template]), args.runs)}")


if __name__ == "__main__":
    main()
