"""Cost per megabyte of every rule that reads a product's text, on one product whose title and description
are one huge cell (a stray quote in a feed makes the rest of the file one title).

    .venv/bin/python bench/bench_big_cells.py [--sizes 0.25,1,4] [--rules AE1,AE2,AE4,AE5,AE6]

For each size the catalog is read once; each rule then runs on it alone (caches cleared) and its time is
shown with the time per megabyte. A linear rule keeps the same ms/MB at every size; a quadratic one grows
with the size. tests/test_hardening.py asserts the same bound for every rule (4 MB against 256 KB).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from aelint.config import from_data
from aelint.engine import Engine, RunOptions
from aelint.reader import read_catalog
from aelint.registry import load_checks

FEED_LINE = ('P{n},Ceramic Coffee Mug White 350ml Mug for Home Office Gift Nike Style Free Shipping 陶瓷杯 '
             'contact me WhatsApp +86 138 0000 {n:04d},M-{n},12.5,"<p>Dishwasher safe <b>mug</b></p>"\n')


def big_text(megabytes: float, seed: str) -> str:
    """Feed lines as one cell: what a stray opening quote turns the rest of a CSV into."""
    line_count = int(megabytes * 1024 * 1024 / len(FEED_LINE.format(n=0).encode()))
    return seed + " " + "".join(FEED_LINE.format(n=n) for n in range(line_count)).replace('"', "'")


def catalog_with(text: str, folder: Path):
    path = folder / "feed.csv"
    cell = '"' + text.replace('"', '""') + '"'
    path.write_text(f"Product ID,Title,SKU,Price,Description,Brand\nP1,{cell},S-1,12.5,{cell},Acme\n",
                    encoding="utf-8")
    return read_catalog(path, "feed.csv")


def time_rule(check, catalog, config) -> float:
    """Seconds for one rule on one catalog, caches cleared (the engine's own path: options, suppression)."""
    from aelint import stopwords, text
    for cached in (stopwords.content_words, stopwords._chunk_tokens, stopwords.word_key, text.fold, text.singular):
        cached.cache_clear()
    engine = Engine(RunOptions(select=[check.code], images=False, cache=False), config)
    started = time.perf_counter()
    engine.lint_catalog(catalog, Path(catalog.path), config)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0.25,1,4", help="cell sizes in MB, comma-separated")
    parser.add_argument("--rules", default="AE1,AE2,AE4,AE5,AE6", help="rule code prefixes")
    args = parser.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    prefixes = tuple(args.rules.split(","))
    checks = [c for c in load_checks() if c.code.startswith(prefixes)]
    config = from_data({}, None)
    results: dict[str, list[float]] = {c.code: [] for c in checks}
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            catalog = catalog_with(big_text(size, f"run{size}"), Path(folder))
            for check in checks:
                results[check.code].append(time_rule(check, catalog, config))
    print(f"{'rule':<6} {'name':<34}" + "".join(f" {s:>6g} MB ms/MB" for s in sizes) + f"  growth {sizes[-1] / sizes[0]:g}x size")
    for check in checks:
        times = results[check.code]
        cells = "".join(f" {t * 1000:>8.1f} {t * 1000 / s:>5.0f}" for t, s in zip(times, sizes))
        growth = times[-1] / max(times[0], 1e-4)
        print(f"{check.code:<6} {check.name:<34}{cells}  {growth:6.1f}x")


if __name__ == "__main__":
    main()
