"""Time each check on its own over the benchmark catalog, to see where lint time goes.

    .venv/bin/python bench/bench_checks.py [--rows 100000] [--csv] [--select AE1] [--marketplace wish] [--columnar]

The catalog is read once; each selected check then runs alone over it (images are not probed, so image
checks that need file facts see none). Shared lazy work (title words, language) is charged to the first
check that asks for it, so the order is that of `aelint rules`.

`--columnar` runs each check as the engine does on a large catalog (aelint.table): the CatalogTable's frames
are built once (timed apart), then a rule's `check_table`, or its `prefilter` and `check_product` on the
products it hands over (the count of which is printed); shared table work (text chunks...) is charged to the
first rule that asks for it.

Seconds are CPU seconds of the process (user + system; polars runs on several threads), which other jobs on
the machine disturb less than wall time.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

from aelint.config import from_data  # noqa: E402
from aelint.profiles import marketplace_keys, profile  # noqa: E402
from aelint.reader import read_catalog  # noqa: E402
from aelint.registry import load_checks  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--csv", action="store_true", help="read the CSV instead of the workbook")
    parser.add_argument("--select", default="AE", help="code prefix of the checks to time")
    parser.add_argument("--columnar", action="store_true", help="prefilter / check_table as on a large catalog")
    parser.add_argument("--marketplace", default="aliexpress", choices=marketplace_keys(),
                        help="whose rules and parameters (only the rules that exist there run)")
    args = parser.parse_args()
    xlsx, csv_path = generate(HERE / "out", args.rows)
    path = csv_path if args.csv else xlsx
    start = time.perf_counter()
    catalog = read_catalog(path, str(path))
    print(f"read {path.name}: {time.perf_counter() - start:.2f} s, {len(catalog.products)} products")
    config = from_data({}, None)
    market = profile(args.marketplace)
    total = 0.0
    table = None
    if args.columnar:
        from aelint.table import CatalogTable

        start = time.process_time()
        table = CatalogTable(catalog)
        table.products, table.skus  # noqa: B018 - built once, as the engine does
        print(f"table frames: {time.process_time() - start:.2f} s")
    for check in load_checks():
        if not check.code.startswith(args.select) or not market.applies(check.code, check.module.__name__):
            continue
        options = config.options_for(check, market)
        start = time.process_time()
        handed = ""
        if table is not None and check.check_table is not None:
            found = sum(1 for _ in check.check_table(table, options))
        elif table is not None and check.prefilter is not None:
            mask = table.products.select(check.prefilter(table, options)).to_series().fill_null(True)
            chosen = mask.arg_true().to_list() if len(mask) > 1 else range(len(catalog.products) if mask[0] else 0)
            found = sum(1 for i in chosen for _ in check.module.check_product(catalog.products[i], options))
            handed = f"  ({len(chosen)} products handed over)"
        elif check.per_product:
            found = sum(1 for product in catalog.products for _ in check.module.check_product(product, options))
        else:
            found = sum(1 for _ in check.module.check(catalog, options))
        seconds = time.process_time() - start
        total += seconds
        print(f"  {check.code} {check.name:<34} {seconds:6.2f} s  {found:7d} problems{handed}")
    print(f"all selected checks: {total:.2f} s")


if __name__ == "__main__":
    main()
