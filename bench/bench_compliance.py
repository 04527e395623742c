"""Time the authorisation and compliance checks (AE401-AE407) on 100k generated products.

Run: .venv/bin/python bench/bench_compliance.py [N]
Builds the Catalog in memory (no reader), with the EU rules switched on (markets = ["FR"]), and prints the
seconds each check takes over the whole catalog: first run (cold caches) and a second run on a fresh catalog
with the same titles (the per-title caches warm, as when several checks share them in one lint).
"""

from __future__ import annotations

import random
import sys
import time

from aelint import config as config_module
from aelint.model import Catalog, Product, Sku
from aelint.registry import load_checks

WORDS = ("summer women floral dress cotton casual long sleeve men sneakers running shoes wireless bluetooth "
         "earbuds charger usb fast led lamp desk kitchen towel storage box plastic necklace pendant gold silver "
         "earrings lipstick matte phone case silicone for iphone samsung toy building blocks kids wooden chair "
         "stool vitamin c serum face cream electric scooter holder contact lens case pulse oximeter forehead "
         "thermometer green tea cup ceramic mug hoverboard bicycle tire greeting card wig lace front").split()
CATEGORIES = ["Women's Clothing > Dresses", "Consumer Electronics > Earphones", "Home & Garden > Kitchen",
              "Jewelry & Accessories > Necklaces", "Beauty & Health > Makeup", "Toys & Hobbies > Blocks", "",
              "Sports & Entertainment > Scooters", "Food > Snacks", "200000345"]


def catalog(n: int, seed: int = 7) -> Catalog:
    rng = random.Random(seed)
    cat = Catalog(path="bench.csv", sheet=None, header_row=1,
                  columns={f: f for f in ("product_id", "title", "category", "brand", "description", "price")})
    for i in range(n):
        product = Product(cat, f"P{i}", i + 2)
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 14))).title() + f" {i % 997}"
        product.values = {"product_id": f"P{i}", "title": title, "category": rng.choice(CATEGORIES),
                          "brand": rng.choice(["", "NoBrand", "Acme", "Generic", "Zeta"]),
                          "description": "Soft and durable. Certification: CE" if i % 3 else "Soft and durable."}
        product.skus = [Sku(product, i + 2, {"price": "9.99"}, {})]
        cat.products.append(product)
    cat.rows = n
    return cat


def run(cat: Catalog, checks, config) -> dict[str, float]:
    times = {}
    for check in checks:
        options = config.options_for(check)
        start = time.perf_counter()
        if check.per_product:
            count = sum(1 for product in cat.products for _ in check.module.check_product(product, options))
        else:
            count = sum(1 for _ in check.module.check(cat, options))
        times[check.code] = (time.perf_counter() - start, count)
    return times


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    config = config_module.from_data({"markets": ["FR"], "epr": {"packaging": "FR1"}}, None)
    checks = [c for c in load_checks() if c.code.startswith("AE40")]
    start = time.perf_counter()
    cold_catalog = catalog(n)
    print(f"built {n} products in {time.perf_counter() - start:.2f} s")
    cold = run(cold_catalog, checks, config)
    warm = run(catalog(n), checks, config)
    print(f"{'rule':6} {'first run s':>12} {'second run s':>13} {'us/product':>11} {'problems':>9}")
    for code, (seconds, count) in cold.items():
        print(f"{code:6} {seconds:12.3f} {warm[code][0]:13.3f} {seconds / n * 1e6:11.1f} {count:9d}")
    total_cold = sum(s for s, _ in cold.values())
    total_warm = sum(s for s, _ in warm.values())
    print(f"{'total':6} {total_cold:12.3f} {total_warm:13.3f} {total_cold / n * 1e6:11.1f}")


if __name__ == "__main__":
    main()
