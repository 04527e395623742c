"""Time the engine's per-product pass (every per-product rule, as a large catalog is judged) on one catalog.

    .venv/bin/python bench/bench_per_product.py [--rows 100000] [--csv [--columns]] [--select AE1,AE302]
        [--profile FILE]

The catalog is read and cut into the engine's batches (`RunOptions.batch_products`); each batch's table is
built and `Engine._per_product_problems` called on it with every selected per-product rule, as
`Engine._lint_batches` does (the table's frames are built before the clock starts: that is the reader's
share), with the garbage collector paused as in a run. With `--columns` the CSV's batches come from its
columns as a lint under --no-images reads them (aelint.frame_products: products built on demand, in the
clock, as in a run). Prints the wall and CPU seconds and a digest of the problems found (rule, row, column,
message, fix, severity; sorted, as the engine sorts them), which must not change when the pass is made
faster. Rules cache their work per distinct title, so one process measures one cold run: run the script
several times.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

from aelint.config import from_data  # noqa: E402
from aelint.engine import Engine, RunOptions, selected_checks  # noqa: E402
from aelint.gcpause import paused_gc  # noqa: E402
from aelint.model import Catalog  # noqa: E402
from aelint.profiles import profile  # noqa: E402
from aelint.reader import Reading, read_catalog, stream_catalogs  # noqa: E402
from aelint.table import CatalogTable  # noqa: E402


def batches(catalog: Catalog, size: int) -> list[Catalog]:
    """The catalog's products in batches, each as a catalog of its own (columns and file shared)."""
    cut = []
    for start in range(0, len(catalog.products), size):
        batch = Catalog.__new__(Catalog)
        batch.__dict__.update(catalog.__dict__)
        batch.products = catalog.products[start:start + size]
        cut.append(batch)
    return cut


def column_batches(path: Path, size: int) -> list[Catalog]:
    """The CSV's batches as a lint under --no-images reads them (from its columns), each as a catalog of its own."""
    cut = []
    for catalog, parts in stream_catalogs(path, str(path), None, None, "en", size, Reading([]), from_columns=True):
        for part in parts:
            batch = Catalog.__new__(Catalog)
            batch.__dict__.update(catalog.__dict__)
            batch.products = part
            cut.append(batch)
    return cut


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--csv", action="store_true", help="read the CSV instead of the workbook")
    parser.add_argument("--columns", action="store_true",
                        help="with --csv: batches read from the CSV's columns, as a lint under --no-images reads them")
    parser.add_argument("--select", default="AE", help="code prefixes of the rules to run, comma-separated")
    parser.add_argument("--profile", help="write a cProfile of the run here")
    args = parser.parse_args()
    xlsx, csv_path = generate(HERE / "out", args.rows)
    path = csv_path if args.csv else xlsx
    run = RunOptions(images=False, cache=False, jobs=1)
    if args.columns:
        parts = column_batches(csv_path, run.batch_products)
    else:
        catalog = read_catalog(path, str(path))
        parts = batches(catalog, run.batch_products)
    config = from_data({}, None)
    market = profile("aliexpress")
    checks = [c for c in selected_checks(config, run, market) if c.per_product and c.code.startswith(tuple(args.select.split(",")))]
    options = {c.code: config.options_for(c, market) for c in checks}
    engine = Engine(run, config)
    print(f"{path.name}: {sum(map(len, (p.products for p in parts)))} products in {len(parts)} batches, {len(checks)} per-product rules")
    tables = [CatalogTable(part) for part in parts]
    for table in tables:
        table.products, table.skus  # noqa: B018 (the reader's share, not timed)
    profiler = cProfile.Profile() if args.profile else None
    with paused_gc():  # as in a run
        cpu, wall = time.process_time(), time.perf_counter()
        if profiler:
            profiler.enable()
        found = [(check.code, problem) for part, table in zip(parts, tables)
                 for check, problem in engine._per_product_problems(part, checks, dict(options), table)]
        if profiler:
            profiler.disable()
            profiler.dump_stats(args.profile)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    digest = hashlib.sha256()  # in sorted order: the engine sorts the problems, not the pass
    lines = []
    for code, problem in found:
        cell = problem.cell
        where = (problem.product.row if problem.product else None, cell and (cell.row, cell.column),
                 problem.sku.row if problem.sku else None)
        lines.append(repr((code, where, problem.message, problem.fix, problem.severity)))
    for line in sorted(lines):
        digest.update(line.encode())
    print(f"{wall:6.2f} s wall, {cpu:6.2f} s CPU, {len(found)} problems, digest {digest.hexdigest()[:16]}")


if __name__ == "__main__":
    main()
