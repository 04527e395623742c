"""Time the engine's per-product pass (every per-product rule, as a large catalog is judged) on one catalog.

    .venv/bin/python bench/bench_per_product.py [--rows 100000] [--csv] [--select AE2,AE103] [--profile FILE]

The catalog is read and cut into the engine's batches (`RunOptions.batch_products`); each batch's table is
built and `Engine._per_product_problems` called on it with every selected per-product rule, as
`Engine._lint_batches` does (the table's frames are built before the clock starts: that is the reader's
share), with the garbage collector paused as in a run. Prints the CPU seconds and a digest of the problems found (rule, row, column, message, fix, severity;
sorted, as the engine sorts them), which must not change when the pass is made faster. Rules cache their work per distinct title, so one
process measures one cold run: run the script several times.
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
from aelint.reader import read_catalog  # noqa: E402
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--csv", action="store_true", help="read the CSV instead of the workbook")
    parser.add_argument("--select", default="AE", help="code prefixes of the rules to run, comma-separated")
    parser.add_argument("--profile", help="write a cProfile of the run here")
    args = parser.parse_args()
    xlsx, csv_path = generate(HERE / "out", args.rows)
    path = csv_path if args.csv else xlsx
    catalog = read_catalog(path, str(path))
    run = RunOptions(images=False, cache=False, jobs=1)
    config = from_data({}, None)
    market = profile("aliexpress")
    checks = [c for c in selected_checks(config, run, market) if c.per_product and c.code.startswith(tuple(args.select.split(",")))]
    options = {c.code: config.options_for(c, market) for c in checks}
    engine = Engine(run, config)
    parts = batches(catalog, run.batch_products)
    print(f"{path.name}: {len(catalog.products)} products in {len(parts)} batches, {len(checks)} per-product rules")
    tables = [CatalogTable(part) for part in parts]
    for table in tables:
        table.products, table.skus  # noqa: B018 (the reader's share, not timed)
    profiler = cProfile.Profile() if args.profile else None
    with paused_gc():  # as in a run
        cpu = time.process_time()
        if profiler:
            profiler.enable()
        found = [(check.code, problem) for part, table in zip(parts, tables)
                 for check, problem in engine._per_product_problems(part, checks, dict(options), table)]
        if profiler:
            profiler.disable()
            profiler.dump_stats(args.profile)
        cpu = time.process_time() - cpu
    digest = hashlib.sha256()  # in sorted order: the engine sorts the problems, not the pass
    lines = []
    for code, problem in found:
        cell = problem.cell
        where = (problem.product.row if problem.product else None, cell and (cell.row, cell.column),
                 problem.sku.row if problem.sku else None)
        lines.append(repr((code, where, problem.message, problem.fix, problem.severity)))
    for line in sorted(lines):
        digest.update(line.encode())
    print(f"{cpu:6.2f} s CPU, {len(found)} problems, digest {digest.hexdigest()[:16]}")


if __name__ == "__main__":
    main()
