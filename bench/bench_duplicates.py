"""Benchmark AE601 duplicate-listing and AE509 split-variants on 100k generated listings.

Generates a catalog (CSV) of N listings with 1% planted near-duplicates of earlier listings (a copy, two
words swapped, one word replaced, one word added, a typo: 1/5 each), 0.5% planted colour variants (AE509),
and look-alikes that must stay silent (the same title in another category, another model number, men vs
women). Prints recall and the share of false pairs for both rules, and seconds: the rules alone on the read
catalog, and the whole lint of the file with every check (reading included) for comparison.

    .venv/bin/python bench/bench_duplicates.py [--rows 100000] [--seed 7] [--no-full-lint] [--verbose]
    .venv/bin/python bench/bench_duplicates.py --catalog bench/out/catalog_100000.csv   (seconds only)
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "checks"))  # noqa: E402 (run from a checkout)

from aelint import similar  # noqa: E402
from aelint.checks import duplicate_listing, split_variants  # noqa: E402
from aelint.config import from_data  # noqa: E402
from aelint.engine import Engine, RunOptions  # noqa: E402
from aelint.reader import read_catalog  # noqa: E402

COMMON = ("women men summer fashion casual new style cotton loose short long sleeve dress shirt top pants "
          "shoes bag case phone cover watch ring necklace earrings bracelet set kit tool box holder stand "
          "light lamp led home kitchen garden car bike sport outdoor travel portable mini smart wireless "
          "charger cable usb adapter storage organizer decor wall sticker mug cup bottle toy gift party "
          "wedding baby kids hair beauty makeup brush nail art print vintage retro elegant luxury soft "
          "warm waterproof breathable adjustable stainless steel silicone leather wooden plastic glass").split()
COLOURS = "red blue green black white pink purple yellow grey beige brown orange".split()
SYLLABLES = ("ka lo mi ra ne tu sa vo pe li zu da fo ri ma te no si ga bu re hi ko ya wu xe jo qu "
             "an el or is un ar en ol").split()
DISTINCT_SWAP = {"women": "men", "men": "women"}


def pseudo_words(rng: random.Random, count: int) -> list[str]:
    seen: set[str] = set()
    while len(seen) < count:
        seen.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(seen)


class Generator:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.vocab = pseudo_words(self.rng, 30_000)
        weights = [1.0 / (r + 10) for r in range(len(self.vocab))]  # Zipf-like: a few frequent words
        self.cum = []
        total = 0.0
        for w in weights:
            total += w
            self.cum.append(total)

    def title(self) -> list[str]:
        rng = self.rng
        words = rng.sample(COMMON, rng.randint(3, 5)) + rng.choices(self.vocab, cum_weights=self.cum,
                                                                    k=rng.randint(8, 13))
        rng.shuffle(words)
        out = []
        for w in words:  # no repeated words, as a seller's title would be
            if w not in out:
                out.append(w)
        return [w.capitalize() for w in out]

    def near_duplicate(self, words: list[str], kind: str) -> list[str]:
        rng = self.rng
        words = list(words)
        if kind == "swap":
            i, j = rng.sample(range(len(words)), 2)
            words[i], words[j] = words[j], words[i]
        elif kind == "replace":
            i = rng.randrange(len(words))
            while True:  # a content word (a number or men/women makes another product, by the rule)
                new = rng.choice(self.vocab).capitalize()
                if new not in words:
                    break
            words[i] = new
        elif kind == "add":
            words.insert(rng.randrange(len(words) + 1), rng.choice(self.vocab).capitalize())
        elif kind == "typo":
            candidates = [i for i, w in enumerate(words) if len(w) >= 4]
            i = rng.choice(candidates)
            w = words[i]
            p = rng.randrange(1, len(w) - 1)
            edit = rng.choice(("drop", "double", "swap", "change"))
            if edit == "drop":
                w = w[:p] + w[p + 1:]
            elif edit == "double":
                w = w[:p] + w[p] + w[p:]
            elif edit == "swap":
                w = w[:p] + w[p + 1] + w[p] + w[p + 2:]
            else:
                w = w[:p] + rng.choice("aeioukrst") + w[p + 1:]
            words[i] = w
        return words


def generate(rows: int, seed: int, path: Path) -> dict:
    """Write the catalog; return the planted truth as pairs of row indexes (0-based, earlier first)."""
    gen = Generator(seed)
    rng = gen.rng
    categories = [f"Category {i}" for i in range(300)]
    listings: list[tuple[list[str], str]] = []
    truth: dict[str, dict[tuple[int, int], str]] = {"duplicate": {}, "variant": {}, "lookalike": {}}
    kinds = ("copy", "swap", "replace", "add", "typo")
    planted_dups = rows // 100
    planted_variants = rows // 200
    lookalikes = rows // 200
    plain = rows - planted_dups - planted_variants - lookalikes
    for _ in range(plain):
        listings.append((gen.title(), rng.choice(categories)))
    order = list(range(len(listings)))

    used: set[int] = set()

    def fresh() -> int:  # a listing not planted on yet, so plants do not interfere
        while True:
            source = rng.randrange(plain)
            if source not in used:
                used.add(source)
                return source

    def plant(source: int, words: list[str], category: str, kind: str, how: str = "") -> None:
        listings.append((words, category))
        truth[kind][(source, len(listings) - 1)] = how

    for n in range(planted_dups):
        source = fresh()
        words, category = listings[source]
        plant(source, gen.near_duplicate(words, kinds[n % len(kinds)]), category, "duplicate", kinds[n % len(kinds)])
    for _ in range(planted_variants):
        source = fresh()
        words, category = listings[source]
        first, second = rng.sample(COLOURS, 2)
        listings[source] = (words + [first.capitalize()], category)
        plant(source, words + [second.capitalize()], category, "variant")
    for n in range(lookalikes):
        source = fresh()
        words, category = listings[source]
        if n % 3 == 0:  # the same title in another category
            plant(source, list(words), rng.choice([c for c in categories if c != category]), "lookalike")
        elif n % 3 == 1:  # another model number
            listings[source] = (words + ["14"], category)
            plant(source, words + ["15"], category, "lookalike")
        else:  # the same title for men instead of women
            others = [w for w in words if w.lower() not in DISTINCT_SWAP]
            listings[source] = (others + ["Women"], category)
            plant(source, others + ["Men"], category, "lookalike")
    # Shuffle the rows so planted listings are not all at the end; keep "earlier first" in the truth.
    order = list(range(len(listings)))
    rng.shuffle(order)
    position = {old: new for new, old in enumerate(order)}
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["product_id", "title", "category", "price", "stock", "sku_code", "weight_kg",
                         "package_length_cm", "package_width_cm", "package_height_cm", "shipping_template",
                         "processing_days", "main_images", "description"])
        for new, old in enumerate(order):
            words, category = listings[old]
            title = " ".join(words)
            writer.writerow([f"P{new}", title, category, f"{rng.uniform(2, 60):.2f}", rng.randint(0, 500),
                             f"SKU{new}", "0.3", "20", "15", "5", "Standard", "5", f"img/{new}.jpg",
                             f"<p>{title}. A good product for every day, made with care and checked.</p>"])
    return {kind: {tuple(sorted((position[a], position[b]))): how for (a, b), how in pairs.items()}
            for kind, pairs in truth.items()}


def timed(run, repeat: int) -> tuple[float, object]:
    """The median seconds of `repeat` runs of `run()` (the title table is rebuilt each time) and its result."""
    seconds, result = [], None
    for _ in range(repeat):
        similar._last = None
        start = time.perf_counter()
        result = run()
        seconds.append(time.perf_counter() - start)
    return sorted(seconds)[len(seconds) // 2], result


def time_catalog(path: Path, repeat: int, full_lint: bool) -> None:
    start = time.perf_counter()
    catalog = read_catalog(path, str(path), {}, None)
    print(f"read {path}: {time.perf_counter() - start:.2f} s ({len(catalog.products)} products, {catalog.rows} rows)")
    for product in catalog.products:
        product.title_words  # noqa: B018
    seconds, found = timed(lambda: list(duplicate_listing.check(catalog, duplicate_listing.Options())), repeat)
    print(f"AE601 check: {seconds:.2f} s median of {repeat} ({len(found)} diagnostics)")
    seconds, found = timed(lambda: list(split_variants.check(catalog, split_variants.Options())), repeat)
    print(f"AE509 check: {seconds:.2f} s median of {repeat} ({len(found)} diagnostics)")
    if full_lint:
        config = from_data({}, None)
        for label, select in (("AE601 only", ["AE601"]), ("every check", ["AE"])):
            start = time.perf_counter()
            report = Engine(RunOptions(select=select, images=False, cache=False, jobs=1), config).lint([path])
            print(f"whole lint, {label}: {time.perf_counter() - start:.2f} s "
                  f"({len(report.diagnostics)} diagnostics, {len(report.ran_codes)} rules)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--verbose", action="store_true", help="show missed and false pairs")
    parser.add_argument("--no-full-lint", action="store_true", help="skip the whole-lint timing")
    parser.add_argument("--catalog", type=Path, help="time an existing catalog (e.g. bench/out/catalog_100000.csv) "
                        "instead: seconds only, no recall")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each rule timing (the median is shown)")
    args = parser.parse_args()
    if args.catalog:
        time_catalog(args.catalog, args.repeat, not args.no_full_lint)
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "listings.csv"
        start = time.perf_counter()
        truth = generate(args.rows, args.seed, path)
        print(f"generated {args.rows} listings in {time.perf_counter() - start:.1f} s: "
              f"{len(truth['duplicate'])} planted near-duplicates, {len(truth['variant'])} colour variants, "
              f"{len(truth['lookalike'])} look-alikes")

        start = time.perf_counter()
        catalog = read_catalog(path, str(path), {}, None)
        print(f"read: {time.perf_counter() - start:.2f} s ({len(catalog.products)} products)")
        row_index = {p: int(p.product_id[1:]) if p.product_id.startswith("P") else -1 for p in catalog.products}

        start = time.perf_counter()
        for product in catalog.products:
            product.title_words  # noqa: B018 (shared by several title checks in a real run)
        words_seconds = time.perf_counter() - start

        ae601_seconds, ae601 = timed(lambda: list(duplicate_listing.check(catalog, duplicate_listing.Options())),
                                     args.repeat)
        ae509_seconds, ae509 = timed(lambda: list(split_variants.check(catalog, split_variants.Options())),
                                     args.repeat)
        print(f"title words (shared, cached on Product): {words_seconds:.2f} s")
        print(f"AE601 check: {ae601_seconds:.2f} s ({len(ae601)} diagnostics); "
              f"AE509 check: {ae509_seconds:.2f} s ({len(ae509)} diagnostics); medians of {args.repeat} runs")

        table = similar.title_table(catalog)
        table.add(catalog.products)
        titled = [p for p in catalog.products if p.title_words]  # the table's products, in its order
        pairs = {tuple(sorted((row_index[titled[a]], row_index[titled[b]])))
                 for a, b, _ in duplicate_listing.title_duplicates(table, 90)}
        planted = set(truth["duplicate"])
        found = planted & pairs
        false = pairs - planted
        print(f"AE601 recall: {len(found)}/{len(planted)} = {len(found) / len(planted):.1%}; "
              f"false pairs: {len(false)}/{len(pairs)} = {len(false) / max(len(pairs), 1):.2%}; "
              f"look-alikes reported: {len(pairs & set(truth['lookalike']))}/{len(truth['lookalike'])}")
        missed = Counter(truth["duplicate"][pair] for pair in planted - pairs)
        if missed:
            print(f"  missed by kind (200 of each planted): {dict(missed)}")
        if args.verbose:
            by_row = {row_index[p]: p for p in catalog.products}
            for a, b in sorted(planted - pairs)[:20]:
                print(f"    missed {truth['duplicate'][(a, b)]}: {by_row[a].title!r} / {by_row[b].title!r}")
            for a, b in sorted(false)[:20]:
                print(f"    false: {by_row[a].title!r} / {by_row[b].title!r}")

        variant_pairs = set()
        for members in split_variants.variant_groups(table):
            rows = sorted(row_index[titled[i]] for i, _ in members)
            variant_pairs |= {(a, b) for i, a in enumerate(rows) for b in rows[i + 1:]}
        vfound = set(truth["variant"]) & variant_pairs
        vfalse = variant_pairs - set(truth["variant"])
        print(f"AE509 recall: {len(vfound)}/{len(truth['variant'])} = {len(vfound) / len(truth['variant']):.1%}; "
              f"false pairs: {len(vfalse)}/{len(variant_pairs)} = {len(vfalse) / max(len(variant_pairs), 1):.2%}")

        # The same work split into its steps, for tuning.
        table = similar.title_table(catalog)
        start = time.perf_counter()
        candidates = similar.candidate_pairs(table.words, table.groups, lambda i: " ".join(sorted(table.words[i])))
        print(f"  blocking: {time.perf_counter() - start:.2f} s, {len(candidates)} candidate pairs")

        if not args.no_full_lint:
            config = from_data({}, None)
            for label, select in (("AE601 only", ["AE601"]), ("AE509 only", ["AE509"]), ("every check", ["AE"])):
                start = time.perf_counter()
                report = Engine(RunOptions(select=select, images=False, cache=False, jobs=1), config).lint([path])
                print(f"whole lint, {label}: {time.perf_counter() - start:.2f} s "
                      f"({len(report.diagnostics)} diagnostics, {len(report.ran_codes)} rules)")


if __name__ == "__main__":
    main()
