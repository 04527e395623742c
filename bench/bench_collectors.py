"""CPU of each catalog-wide rule's Collector as a streamed run feeds it (issue 16): per batch, one table.

    .venv/bin/python bench/bench_collectors.py [PATH] [--select AE6]

The catalog (default bench/out/catalog_100000.csv) streams past in the engine's batches; each batch gets one
`CatalogTable` whose `products` and `skus` frames and title chunks are built first (as the per-product pass
builds them in a run), then each selected Collector takes the batch (`facts.collect`: `add_table` where it
has one), in the order of `aelint rules`, so shared work (title words, refs) is charged to the first that
asks. Then each `finish`. Prints CPU seconds (process time) per Collector: taking the batches, and finishing.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from aelint.config import from_data
from aelint.engine import RunOptions, selected_checks
from aelint.facts import collect, collector_of
from aelint.gcpause import paused_gc
from aelint.profiles import profile
from aelint.reader import Reading, stream_catalogs
from aelint.table import CatalogTable

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, nargs="?", default=HERE / "out" / "catalog_100000.csv")
    parser.add_argument("--select", default="AE", help="code prefix of the rules to time")
    args = parser.parse_args()
    config = from_data({}, None)
    run = RunOptions(images=False, cache=False)
    market = profile("aliexpress")
    adding: dict[str, float] = {}
    finishing: dict[str, float] = {}
    found: dict[str, int] = {}
    with paused_gc():
        for catalog, batches in stream_catalogs(args.path, str(args.path), None, None, "en", run.batch_products,
                                                Reading([])):
            checks = [c for c in selected_checks(config, run, market)
                      if not c.per_product and c.code.startswith(args.select) and collector_of(c.module)]
            collectors = [(c, collector_of(c.module)(catalog, config.options_for(c, market))) for c in checks]
            for batch in batches:
                table = CatalogTable(catalog) if len(batch) >= run.columnar_from else None
                if table is not None:
                    table.products, table.skus, table._title_chunks  # noqa: B018 (the per-product pass builds them)
                for check, collector in collectors:
                    cpu = time.process_time()
                    found[check.code] = found.get(check.code, 0) + sum(1 for _ in collect(collector, batch, table))
                    adding[check.code] = adding.get(check.code, 0.0) + time.process_time() - cpu
                for product in batch:
                    product.release_shared()
            for check, collector in collectors:
                cpu = time.process_time()
                found[check.code] += sum(1 for _ in collector.finish())
                finishing[check.code] = time.process_time() - cpu
    for code in adding:
        print(f"  {code} add {adding[code]:6.3f} s  finish {finishing[code]:6.3f} s CPU  {found[code]:7d} problems")
    print(f"all: add {sum(adding.values()):.3f} s, finish {sum(finishing.values()):.3f} s CPU")


if __name__ == "__main__":
    main()
