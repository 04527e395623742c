"""Benchmark the variant, price and stock rules (AE501-AE508, AE510, AE511) on 100k-row catalogs.

    .venv/bin/python bench/bench_variants.py [--rows 100000] [--runs 3]

Two inputs, each read once, then every AE5xx check is run over the read catalog `--runs` times (median
seconds shown, reading excluded):
- the shared benchmark catalog from bench/generate.py (1-4 SKUs per product, ~30 columns, planted problems);
- a variant-heavy catalog made here: products of 20-80 SKUs (colour x size x pack), prices written as sellers
  write them ("12,50", "$14.06", "1.250,00 €"), a few duplicate codes, repeated combinations and lures.
Also shown: parse_amount on 100k price cells, first (cold) and second (cached) pass.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

from aelint.config import from_data  # noqa: E402
from aelint.numbers import parse_amount  # noqa: E402
from aelint.reader import read_catalog  # noqa: E402
from aelint.registry import load_checks  # noqa: E402

CODES = ("AE501", "AE502", "AE503", "AE504", "AE505", "AE506", "AE507", "AE508", "AE510", "AE511")
COLOURS = "Black White Red Blue Green Pink Grey Beige Navy Brown".split()
SIZES = "XS S M L XL XXL 3XL 4XL".split()
PACKS = ["1pc", "2pcs", "5pcs", "10pcs"]


def price_text(rng: random.Random, value: float) -> str:
    style = rng.random()
    if style < 0.6:
        return f"{value:.2f}"
    if style < 0.8:
        return f"{value:.2f}".replace(".", ",")
    if style < 0.95:
        return f"${value:.2f}"
    return f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".") + " €"


def write_variant_heavy(path: Path, rows: int, seed: int = 3) -> None:
    rng = random.Random(seed)
    header = ["Product ID", "Title", "SKU Code", "Color", "Size", "Pack", "Price", "Stock", "_note"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        written = product = 0
        while written < rows:
            product += 1
            base = rng.uniform(2, 80)
            combos = [(c, s, p) for c in rng.sample(COLOURS, 5) for s in rng.sample(SIZES, 4)
                      for p in PACKS[:rng.randint(1, 4)]]
            for n, (colour, size, pack) in enumerate(combos):
                pieces = int(pack.rstrip("pcs"))
                price = base * pieces * 0.9
                code = f"P{product:05d}-{n:03d}"
                if rng.random() < 0.001:
                    code = "P00001-000"  # duplicate code
                if rng.random() < 0.001:
                    price = 0.01  # lure
                if rng.random() < 0.002 and n:
                    colour, size, pack = combos[n - 1]  # repeated combination
                stock = "0" if rng.random() < 0.3 else str(rng.randint(1, 2000))
                out.writerow([f"P{product:05d}", f"Product {product}" if n == 0 else "", code, colour, size,
                              pack, price_text(rng, price), stock, ""])
                written += 1
                if written >= rows:
                    break


def median_seconds(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_catalog(label: str, path: Path, runs: int, columns: dict[str, str] | None = None) -> None:
    start = time.perf_counter()
    catalog = read_catalog(path, str(path), columns)
    read = time.perf_counter() - start
    skus = sum(len(p.skus) for p in catalog.products)
    print(f"\n{label}: {path.name}: {catalog.rows} rows, {len(catalog.products)} products, {skus} SKUs "
          f"(read in {read:.2f} s)")
    config = from_data({}, None)
    checks = [c for c in load_checks() if c.code in CODES]
    total = 0.0
    for check in checks:
        options = config.options_for(check)
        found: list = []
        if check.per_product:
            def run():
                found.clear()
                for product in catalog.products:
                    found.extend(check.module.check_product(product, options))
        else:
            def run():
                found.clear()
                found.extend(check.module.check(catalog, options))
        seconds = median_seconds(run, runs)
        total += seconds
        print(f"  {check.code} {check.name:34} {seconds * 1000:8.1f} ms  {len(found):6} problems")
    print(f"  {'sum of the above':40} {total * 1000:8.1f} ms")
    per_product = [(c.module.check_product, config.options_for(c)) for c in checks if c.per_product]
    whole = [(c.module.check, config.options_for(c)) for c in checks if not c.per_product]

    def as_engine():  # the engine's order: every per-product check on a product, then the next product
        found = []
        for product in catalog.products:
            for fn, options in per_product:
                found.extend(fn(product, options))
        for fn, options in whole:
            found.extend(fn(catalog, options))

    seconds = median_seconds(as_engine, runs)
    print(f"  {'all AE5xx checks, run as the engine does':40} {seconds * 1000:8.1f} ms  "
          f"({seconds / max(catalog.rows, 1) * 1e6:.2f} us/row; reading took {read * 1000:.0f} ms)")


def bench_parsing(path: Path) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        prices = [row["Price"] for row in csv.DictReader(handle)]
    parse_amount.cache_clear()
    start = time.perf_counter()
    for text in prices:
        parse_amount(text)
    cold = time.perf_counter() - start
    start = time.perf_counter()
    for text in prices:
        parse_amount(text)
    warm = time.perf_counter() - start
    notes = Counter(parse_amount(t).note or "plain" for t in prices)
    print(f"\nparse_amount on {len(prices)} price cells ({len(set(prices))} distinct): cold {cold * 1000:.1f} ms, "
          f"cached {warm * 1000:.1f} ms; {dict(notes)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    _, shared_csv = generate(HERE / "out", args.rows)
    bench_catalog("benchmark catalog", shared_csv, args.runs)
    with tempfile.TemporaryDirectory() as folder:
        heavy = Path(folder) / f"variants_{args.rows}.csv"
        write_variant_heavy(heavy, args.rows)
        bench_catalog("variant-heavy catalog", heavy, args.runs, {"Pack": "attr:Pack"})
        bench_parsing(heavy)


if __name__ == "__main__":
    main()
