"""CPU of each catalog-wide rule's Collector as a streamed run feeds it (issue 16): per batch, one table.

    .venv/bin/python bench/bench_collectors.py [PATH] [--select AE6] [--runs 3]

The catalog (default bench/out/catalog_100000.csv) streams past in the engine's batches; each batch gets one
`CatalogTable` whose `products` and `skus` frames and title chunks are built first (as the per-product pass
builds them in a run), then each selected Collector takes the batch (`facts.collect`: `add_table` where it
has one), in the order of `aelint rules`, so shared work (title words, refs) is charged to the first that
asks. Then each `finish`. A batch's built products are let go as the engine lets them go (`_release`).
Prints CPU seconds (process time) per Collector: taking the batches, and finishing. With `--runs N`, the
batches and their tables are kept and fed N - 1 more times to fresh collectors (the catalog's shared facts
dropped between runs; the tables' cached columns stay): the best of those runs is printed beside the first,
steadier on a shared machine.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from aelint.config import from_data
from aelint.engine import RunOptions, _release, selected_checks
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
    parser.add_argument("--runs", type=int, default=1, help="feed the kept batches this many times in all")
    args = parser.parse_args()
    config = from_data({}, None)
    run = RunOptions(images=False, cache=False)
    market = profile("aliexpress")
    adding: list[dict[str, float]] = [{} for _ in range(args.runs)]
    finishing: list[dict[str, float]] = [{} for _ in range(args.runs)]
    found: list[dict[str, int]] = [{} for _ in range(args.runs)]

    def feed(number: int, catalog, batches, checks) -> None:
        """One run: fresh collectors take the batches (made into tables where the engine would), then finish."""
        catalog.release_shared()
        collectors = [(c, collector_of(c.module)(catalog, config.options_for(c, market))) for c in checks]
        for batch, table in batches:
            catalog.products = batch
            if table is None and len(batch) >= run.columnar_from:
                table = CatalogTable(catalog)
                table.products, table.skus, table._title_chunks  # noqa: B018 (the per-product pass builds them)
            if args.runs > 1 and number == 0:
                kept.append((batch, table))
            for check, collector in collectors:
                cpu = time.process_time()
                found[number][check.code] = (found[number].get(check.code, 0)
                                             + sum(1 for _ in collect(collector, batch, table)))
                adding[number][check.code] = adding[number].get(check.code, 0.0) + time.process_time() - cpu
            _release(batch)
        for check, collector in collectors:
            cpu = time.process_time()
            found[number][check.code] += sum(1 for _ in collector.finish())
            finishing[number][check.code] = time.process_time() - cpu

    with paused_gc():
        for catalog, batches in stream_catalogs(args.path, str(args.path), None, None, "en", run.batch_products,
                                                Reading([])):
            checks = [c for c in selected_checks(config, run, market)
                      if not c.per_product and c.code.startswith(args.select) and collector_of(c.module)]
            kept: list = []
            feed(0, catalog, ((batch, None) for batch in batches), checks)
            batches_kept = kept
            for number in range(1, args.runs):
                feed(number, catalog, batches_kept, checks)
    later = range(1, args.runs) or range(1)
    best_add = {code: min(adding[n][code] for n in later) for code in adding[0]}
    best_finish = {code: min(finishing[n][code] for n in later) for code in adding[0]}
    for code in adding[0]:
        assert all(found[n][code] == found[0][code] for n in later), f"{code}: another count in a later run"
        print(f"  {code} add {adding[0][code]:6.3f} s (best {best_add[code]:6.3f})  finish {finishing[0][code]:6.3f} s "
              f"(best {best_finish[code]:6.3f}) CPU  {found[0][code]:7d} problems")
    print(f"all: add {sum(adding[0].values()):.3f} s (best runs {sum(best_add.values()):.3f}), finish "
          f"{sum(finishing[0].values()):.3f} s (best runs {sum(best_finish.values()):.3f}) CPU")


if __name__ == "__main__":
    main()
