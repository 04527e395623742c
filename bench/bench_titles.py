"""Benchmark the title rules (AE101-AE109) on 100k generated titles.

    .venv/bin/python bench/bench_titles.py [--titles 100000] [--runs 3] [--workbook PATH]

Titles are generated here: marketplace-style English titles with a realistic mix of what the rules look
for (repeated words, model numbers, brands in and out of compatibility form, promotional words, capitals,
emoji and stray spaces, French/Spanish titles, Chinese characters). About 70% of rows have a distinct
title; the rest repeat one (SKU rows and near-copies), as in real catalogs. The catalog is read once;
each check is then run over every product with cold caches (`--runs` times, median shown), and the whole
family is timed together, which is what a user pays: titles per second for the AE1 family.

With --workbook (default: bench/out/catalog_100000.xlsx when it exists, see bench/generate.py) the full
lint of that workbook is also timed with and without the AE1 family, to give its share of the lint time.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

from aelint import language, stopwords, text  # noqa: E402
from aelint.config import from_data  # noqa: E402
from aelint.engine import Engine, RunOptions  # noqa: E402
from aelint.reader import read_catalog  # noqa: E402
from aelint.registry import load_checks  # noqa: E402

ADJ = ["Vintage", "Casual", "Elegant", "Portable", "Waterproof", "Adjustable", "Lightweight", "Soft", "Durable",
       "Foldable", "Wireless", "Stainless Steel", "Handmade", "Luxury", "Retro", "Breathable", "Magnetic"]
NOUN = ["Dress", "Necklace", "Backpack", "Desk Lamp", "Coffee Mug", "Sneakers", "Jacket", "Watch Band", "Earrings",
        "Wallet", "Blanket", "Water Bottle", "Headphones", "Charger", "Phone Case", "Sunglasses", "Scarf", "Ring",
        "Keyboard", "Storage Box", "Yoga Mat", "Hair Clip", "Hoodie", "T-Shirt", "Shorts", "Sandals"]
WHO = ["Women", "Men", "Kids", "Girls", "Boys", "Unisex", "Couples", "Home Office", "Travel", "Kitchen"]
EXTRA = ["Gift", "Summer Style", "Party Decor", "Birthday Present", "Cute Design", "Large Capacity", "Quick Dry",
         "Anti Slip", "High Quality", "Easy Clean", "Plus Size S-5XL", "5 Colors", "2 Pcs Set"]
MODELS = ["for iPhone 15 Pro Max", "for Samsung Galaxy S24 Ultra", "Compatible with Apple Watch 45mm",
          "USB C 65W PD 3.0", "Bluetooth 5.3 40H", "4K 60Hz HDMI 2.0", "256GB 5G", "for Xiaomi Redmi Note 13"]
FRENCH = ["Robe d'été femme longue à fleurs pour la plage", "Sac à dos en cuir pour homme avec poche",
          "Lampe de bureau réglable avec port de charge", "Tasse à café en céramique faite à la main"]
SPANISH = ["Vestido de verano para mujer con estampado floral", "Mochila de cuero para hombre con bolsillo"]
BRANDS = ["Nike", "Gucci", "Hello Kitty", "Disney", "Adidas", "Rolex", "Pokemon"]
PROMO = ["Free Shipping", "Hot Sale", "2024 New", "Best Price", "Amazon Same Style"]


def make_title(rng: random.Random) -> str:
    roll = rng.random()
    words = [rng.choice(ADJ), rng.choice(NOUN), rng.choice(["for", "", ""]), rng.choice(WHO), rng.choice(EXTRA)]
    if roll < 0.25:
        words.insert(rng.randrange(len(words)), rng.choice(MODELS))
    elif roll < 0.30:
        return rng.choice(FRENCH) + " " + rng.choice(["", "Été", "Cadeau"])
    elif roll < 0.32:
        return rng.choice(SPANISH)
    elif roll < 0.35:
        words.insert(0, rng.choice(BRANDS))
    elif roll < 0.38:
        words.append(rng.choice(PROMO))
    elif roll < 0.40:
        words = [w.upper() for w in words]
    elif roll < 0.42:
        words.append(rng.choice(["★", "🌸", "!!!", " ", "女装"]))
    elif roll < 0.47:
        words.append(words[1])  # repeated word
    elif roll < 0.49:
        return rng.choice(NOUN)  # too short
    words += rng.sample(ADJ, 2) + [rng.choice(EXTRA)]
    return " ".join(w for w in words if w)


def write_catalog(path: Path, count: int) -> None:
    rng = random.Random(7)
    distinct: list[str] = []
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["product_id", "title", "brand"])
        for i in range(count):
            if distinct and rng.random() < 0.3:
                title = rng.choice(distinct)
            else:
                title = make_title(rng)
                distinct.append(title)
            writer.writerow([f"P{i}", title, ""])


def clear_caches() -> None:
    """Every per-title cache of the title rules and the helpers they use (rule data stays loaded)."""
    for cached in (language.detect, language.scripts, language.plainly_in, language._word_probabilities,
                   stopwords.content_words, stopwords._chunk_tokens, stopwords.word_key, stopwords._token, text.fold,
                   text.singular):
        cached.cache_clear()
    for check in load_checks():
        if check.code.startswith("AE1"):
            for value in vars(check.module).values():
                if hasattr(value, "cache_clear") and getattr(value, "__module__", "") == check.module.__name__:
                    value.cache_clear()


def time_checks(catalog, checks, config) -> tuple[float, float]:
    """(wall seconds, CPU seconds) for one cold pass of `checks` over the catalog."""
    options = {c.code: config.options_for(c) for c in checks}
    clear_caches()
    start, cpu = time.perf_counter(), time.process_time()
    for product in catalog.products:
        for check in checks:
            for _ in check.module.check_product(product, options[check.code]):
                pass
    return time.perf_counter() - start, time.process_time() - cpu


def median_run(catalog, checks, config, runs: int) -> tuple[float, float]:
    results = [time_checks(catalog, checks, config) for _ in range(runs)]
    return statistics.median(r[0] for r in results), statistics.median(r[1] for r in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--titles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workbook", type=Path, default=HERE / "out" / "catalog_100000.xlsx")
    args = parser.parse_args()

    config = from_data({}, None)
    family = [c for c in load_checks() if c.code.startswith("AE1")]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "titles.csv"
        write_catalog(path, args.titles)
        catalog = read_catalog(path, str(path), {}, None)
    distinct = len({p.title for p in catalog.products})
    print(f"{len(catalog.products):,} titles ({distinct:,} distinct), {args.runs} runs, cold caches each run")
    language._identifier()  # model load is timed separately
    n = len(catalog.products)
    print(f"  {'':32} {'wall s':>7} {'cpu s':>7} {'titles/s (cpu)':>15}")
    for check in family:
        wall, cpu = median_run(catalog, [check], config, args.runs)
        print(f"  {check.code} {check.name:26} {wall:7.2f} {cpu:7.2f} {n / cpu:>15,.0f}")
    wall, cpu = median_run(catalog, family, config, args.runs)
    print(f"  {'AE1 family together':32} {wall:7.2f} {cpu:7.2f} {n / cpu:>15,.0f}   (wall: {n / wall:,.0f} titles/s)")
    start = time.perf_counter()
    language._identifier.cache_clear()
    language._identifier()
    print(f"  language model load (once per process): {time.perf_counter() - start:.2f} s")

    if args.workbook.exists():
        print(f"full lint of {args.workbook.name} (reading included, --no-images), one run each:")
        # The rules other than AE1 run first, so they pay the process's common warm-up (imports, packs);
        # the AE1 run pays its own (language model, trademark pack).
        for label, ignore in (("all rules except AE1", ["AE1"]), ("all rules", [])):
            clear_caches()
            engine = Engine(RunOptions(ignore=ignore, cache=False, jobs=1, images=False), config)
            start, cpu = time.perf_counter(), time.process_time()
            report = engine.lint([args.workbook])
            print(f"  {label:22} wall {time.perf_counter() - start:6.2f} s  cpu {time.process_time() - cpu:6.2f} s  "
                  f"({len(report.diagnostics):,} diagnostics)")
    else:
        print(f"({args.workbook} not found: run bench/generate.py --rows 100000 to time the full lint)")


if __name__ == "__main__":
    main()
