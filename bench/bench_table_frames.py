"""Time the product builder and the table frames built from its products, on the 100k-row benchmark CSV.

    .venv/bin/python bench/bench_table_frames.py [--runs 7] [--csv bench/out/catalog_100000.csv]
                                                 [--workbook bench/out/catalog_100000.xlsx]

Prints the median and least CPU seconds of: reading the CSV's rows as the reader gets them (`open_csv` and
`_FrameRows`), the product builder over those rows (made beforehand) in batches of `RunOptions.batch_products`
products as a streamed run makes them, and the `CatalogTable` frames over those batches (`product_fields` and
`sku_fields`; `products`; `skus` and `empty_value_products`). With --workbook, also the builder over that
workbook's first sheet's rows (python-calamine's values: the same builder, other cell types). Garbage collector
paused, as in a run. Then the same batches and frames read from the CSV's polars frame without the builder
(`frame_products.frame_batches`: the rows grouped, the frames made from the columns; no product built).
"""

from __future__ import annotations

import argparse
import gc
import statistics
from pathlib import Path

from aelint.catalog_files import open_csv, open_workbook_rows
from aelint.engine import RunOptions
from aelint.frame_products import frame_batches
from aelint.reader import _start
from aelint.table import CatalogTable
from timing import cpu_times

HERE = Path(__file__).resolve().parent


def cpu(action, runs: int) -> str:
    """Median and least CPU seconds of `runs` calls of `action`."""
    times = cpu_times(action, runs)
    return f"{statistics.median(times):.3f} s CPU median, {min(times):.3f} least"


def read_rows(path: Path) -> None:
    """The CSV's rows as the reader gets them (only the columns it reads made into strings after the head)."""
    records = open_csv(path, "x", columnar=True)
    rows = iter(records.rows)
    records.only(_start("x", None, False, rows, {}, None, "en").columns_read)
    for _ in rows:
        pass


def build(every: list) -> tuple[list[list], object]:
    """The builder's batches of products from the file's records (header first), as a streamed run makes them."""
    rows = iter(every)
    made = _start("x", None, False, rows, {}, None, "en", RunOptions.batch_products)
    return [list(batch) for batch in made.batches(rows)], made.catalog


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--csv", type=Path, default=HERE / "out" / "catalog_100000.csv")
    parser.add_argument("--workbook", type=Path, help="also time the builder over this workbook's rows")
    args = parser.parse_args()
    gc.disable()
    every = list(open_csv(args.csv, "x", columnar=True).rows)
    print(f"rows (open_csv, _FrameRows):  {cpu(lambda: read_rows(args.csv), args.runs)}")
    print(f"builder over the rows:        {cpu(lambda: build(every), args.runs)}")
    if args.workbook:
        sheets, _, _ = open_workbook_rows(args.workbook, "x", None)
        cells = list(sheets[0][1]()[0])
        print(f"builder over workbook rows:   {cpu(lambda: build(cells), args.runs)}")
    batches, catalog = build(every)

    def frames(*members):
        def action():
            for batch in batches:
                catalog.products = batch
                table = CatalogTable(catalog)
                for member in members:
                    getattr(table, member)
        return action

    print(f"product_fields, sku_fields:   {cpu(frames('product_fields', 'sku_fields'), args.runs)}")
    print(f"  and products:               {cpu(frames('product_fields', 'sku_fields', 'products'), args.runs)}")
    print(f"  and skus, empty values:     {cpu(frames('products', 'skus', 'empty_value_products'), args.runs)}")
    reader = _reader_of(args.csv)
    print(f"from columns, with frames:    {cpu(lambda: from_columns(reader), args.runs)}")


def from_columns(builder) -> None:
    """The batches and their table frames read from the CSV's columns (frame_products), as a streamed run
    reads them after polars' read (made beforehand, with the builder: `_reader_of`)."""
    for batch in frame_batches(builder, *builder.frame, builder.remake):
        builder.catalog.products = batch
        table = CatalogTable(builder.catalog)
        table.products, table.skus, table.empty_value_products


def _reader_of(path: Path):
    """The product builder of the CSV as the reader makes it, with the polars frame it was read into."""
    records = open_csv(path, "x", columnar=True)
    builder = _start("x", None, False, iter(records.rows), {}, None, "en", RunOptions.batch_products)
    builder.frame = (records.frame, records.numbers)
    return builder


if __name__ == "__main__":
    main()
