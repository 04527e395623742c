"""CPU of the default run's image work on a catalog whose pictures are links (not fetched): the probe, and
each per-product image rule (AE303-AE307, AE309, AE310) on the batches' tables.

    .venv/bin/python bench/bench_image_rules.py [PATH] [--repeat 3]

The catalog (default bench/out/catalog_100000.csv) streams past in the engine's batches, with products built
as a run with images builds them. Per batch: `probe_catalog` (no cache) fills `catalog.images`, then one
`CatalogTable` has its `products` and `skus` frames and `main_image_refs` built (as other rules build them in
a run), then each image rule alone goes through the engine's per-product pass (its prefilter or check_table
where it has one). Prints CPU seconds (process time), the best of --repeat runs, and each rule's findings.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from aelint.config import from_data
from aelint.engine import Engine, RunOptions, selected_checks
from aelint.gcpause import paused_gc
from aelint.image_probe import probe_catalog
from aelint.images import merge_facts
from aelint.profiles import profile
from aelint.reader import Reading, stream_catalogs
from aelint.table import CatalogTable

HERE = Path(__file__).resolve().parent
IMAGE_RULES = ("AE303", "AE304", "AE305", "AE306", "AE307", "AE309", "AE310")


def one_run(path: Path) -> tuple[dict[str, float], dict[str, int]]:
    config = from_data({}, None)
    run = RunOptions(cache=False, jobs=1)
    engine = Engine(run, config)
    market = profile("aliexpress")
    seconds: dict[str, float] = {}
    found: dict[str, int] = {}
    with paused_gc():
        for catalog, batches in stream_catalogs(path, str(path), None, None, "en", run.batch_products, Reading([]),
                                                from_columns=False):
            checks = selected_checks(config, run, market)
            wanted = merge_facts(c.image_facts for c in checks)
            rules = [c for c in checks if c.code in IMAGE_RULES]
            options = {c.code: config.options_for(c, market) for c in rules}
            for batch in batches:
                cpu = time.process_time()
                probe_catalog(catalog, path.parent, config, run, wanted)
                seconds["probe"] = seconds.get("probe", 0.0) + time.process_time() - cpu
                table = CatalogTable(catalog)
                table.products, table.skus, table.main_image_refs  # noqa: B018 (other rules build them in a run)
                for check in rules:
                    cpu = time.process_time()
                    problems = engine._per_product_problems(catalog, [check], dict(options), table)
                    seconds[check.code] = seconds.get(check.code, 0.0) + time.process_time() - cpu
                    found[check.code] = found.get(check.code, 0) + len(problems)
                for product in batch:
                    product.release_shared()
    return seconds, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, nargs="?", default=HERE / "out" / "catalog_100000.csv")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs = [one_run(args.path) for _ in range(args.repeat)]
    found = runs[0][1]
    for name in runs[0][0]:
        best = min(seconds[name] for seconds, _found in runs)
        print(f"{name:6} {best:6.3f} s  {found.get(name, '')}")
    rules = sum(min(seconds[code] for seconds, _found in runs) for code in IMAGE_RULES if code in runs[0][0])
    print(f"rules  {rules:6.3f} s")


if __name__ == "__main__":
    main()
