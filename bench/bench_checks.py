"""Time each check on its own over the benchmark catalog, to see where lint time goes.

    .venv/bin/python bench/bench_checks.py [--rows 100000] [--csv] [--select AE1] [--marketplace wish] [--columnar]
                                           [--settings aelint.toml]

The catalog is read once; each selected check then runs alone over it, the garbage collector paused as in
a run (images are not probed, so image checks that need file facts see none). Shared lazy work (title words,
language) is charged to the first check that asks for it, so the order is that of `aelint rules`. With
`--columnar`, per-product checks run as the engine runs them on a large catalog (aelint.table: prefilter,
check_table) with one table shared by all, as in a run: its frames (products and SKU rows) are built first
(timed apart), its shared word tables charged to the first check that asks for them.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

from aelint.config import from_data, parse  # noqa: E402
from aelint.engine import Engine, RunOptions  # noqa: E402
from aelint.gcpause import paused_gc  # noqa: E402
from aelint.profiles import marketplace_keys, profile  # noqa: E402
from aelint.reader import read_catalog  # noqa: E402
from aelint.registry import load_checks  # noqa: E402
from aelint.table import CatalogTable  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--csv", action="store_true", help="read the CSV instead of the workbook")
    parser.add_argument("--select", default="AE", help="code prefix of the checks to time")
    parser.add_argument("--columnar", action="store_true",
                        help="per-product checks as the engine judges a large catalog (prefilter, check_table)")
    parser.add_argument("--marketplace", default="aliexpress", choices=marketplace_keys(),
                        help="whose rules and parameters (only the rules that exist there run)")
    parser.add_argument("--settings", type=Path, help="a settings file (markets = [\"FR\"] turns AE404-AE406 on)")
    args = parser.parse_args()
    xlsx, csv_path = generate(HERE / "out", args.rows)
    path = csv_path if args.csv else xlsx
    start = time.perf_counter()
    catalog = read_catalog(path, str(path))
    print(f"read {path.name}: {time.perf_counter() - start:.2f} s, {len(catalog.products)} products")
    config = parse(args.settings) if args.settings else from_data({}, None)
    market = profile(args.marketplace)
    total = total_cpu = 0.0
    engine = Engine(RunOptions(images=False, cache=False, jobs=1), config)
    shared = None
    if args.columnar:
        start, cpu = time.perf_counter(), time.process_time()
        shared = CatalogTable(catalog)
        shared.products, shared.skus  # noqa: B018 (built once here to show their share, as in a run)
        print(f"  table of {len(catalog.products)} products: "
              f"{time.perf_counter() - start:.2f} s {time.process_time() - cpu:6.2f} s CPU")
    with paused_gc():  # as the engine lints: no collection passes charged to a check
        for check in load_checks():
            if not check.code.startswith(args.select) or not market.applies(check.code, check.module.__name__):
                continue
            options = config.options_for(check, market)
            start, cpu = time.perf_counter(), time.process_time()
            if check.per_product and args.columnar:
                found = len(engine._per_product_problems(catalog, [check], {check.code: options}, shared))
            elif check.per_product:
                found = sum(1 for product in catalog.products for _ in check.module.check_product(product, options))
            else:  # with --columnar, a Collector's add_table where it has one
                found = sum(1 for _ in engine._catalog_wide(check, catalog, options, shared))
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
            total += seconds
            total_cpu += cpu
            print(f"  {check.code} {check.name:<34} {seconds:6.2f} s {cpu:6.2f} s CPU {found:7d} problems")
    print(f"all selected checks: {total:.2f} s, {total_cpu:.2f} s CPU")


if __name__ == "__main__":
    main()
