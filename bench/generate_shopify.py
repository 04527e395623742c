"""Generate a Shopify product export of N rows (the 2023 `products_export.csv` layout) for timing the reader.

    python bench/generate_shopify.py --rows 100000 --out bench/out

Products have 1-4 variants (Option1 Color, Option2 Size; a few "Title"/"Default Title" ones) with their
Variant Grams, then 0-3 image-only rows (Shopify's one picture per row, option cells blank); titles and
descriptions come from bench/generate.py's vocabulary. Planted problems: a few long titles, missing prices and
repeated pictures. The file is reused when it exists.
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

from generate import ADJECTIVES, AUDIENCES, COLORS, EXTRAS, MATERIALS, NOUNS, SENTENCES, SIZES

HEADER = ["Handle", "Title", "Body (HTML)", "Vendor", "Product Category", "Type", "Tags", "Published",
          "Option1 Name", "Option1 Value", "Option2 Name", "Option2 Value", "Variant SKU", "Variant Grams",
          "Variant Inventory Qty", "Variant Price", "Variant Compare At Price", "Variant Barcode", "Image Src",
          "Image Position", "Image Alt Text", "SEO Title", "Status"]


def product_rows(number: int, rng: random.Random) -> list[list[str]]:
    """One product's rows: its variants, then its image-only rows."""
    adjective, noun, material = rng.choice(ADJECTIVES), rng.choice(NOUNS), rng.choice(MATERIALS)
    title = f"{adjective} {material} {noun} for {rng.choice(AUDIENCES)} {rng.choice(EXTRAS)}"
    if rng.random() < 0.03:
        title = (title + " ") * 3
    handle = f"{adjective}-{noun}-{number}".lower().replace(" ", "-")
    body = "<p>" + " ".join(rng.choice(SENTENCES).format(m=material.lower(), a=adjective.lower())
                            for _ in range(4)) + "</p>"
    image = f"https://cdn.shopify.example/files/{handle}-{{}}.jpg"
    plain = rng.random() < 0.1
    variants = [("Title", "Default Title", "", "")] if plain else [
        ("Color", color, "Size", size)
        for color, size in zip(rng.sample(COLORS, 4), rng.sample(SIZES, 4))][:rng.randint(1, 4)]
    rows = []
    for k, (name1, value1, name2, value2) in enumerate(variants):
        first = k == 0
        price = "" if rng.random() < 0.01 else f"{rng.uniform(2, 80):.2f}"
        rows.append([handle, title if first else "", body if first else "", "Acme" if first else "",
                     "Home > Textiles" if first else "", noun if first else "", f"{noun}, {material}" if first else "",
                     "TRUE" if first else "", name1 if first else "", value1, name2 if first else "", value2,
                     f"{handle[:12]}-{k}", str(rng.randint(50, 2000)), str(rng.randint(0, 500)), price,
                     "", f"{rng.randint(10**11, 10**12 - 1)}", image.format(1) if first else "",
                     "1" if first else "", title if first else "", title[:60] if first else "",
                     "active" if first else ""])
    for position in range(2, 2 + rng.randint(0, 3)):
        picture = image.format(1 if rng.random() < 0.05 else position)
        rows.append([handle] + [""] * 17 + [picture, str(position), ""] + [""] * 2)
    return rows


def generate(out: Path, rows: int) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"shopify_{rows}.csv"
    if path.exists():
        return path
    rng = random.Random(16)
    written = 0
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        number = 0
        while written < rows:
            for row in product_rows(number, rng)[:rows - written]:
                writer.writerow(row)
                written += 1
            number += 1
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    args = parser.parse_args()
    print(generate(args.out, args.rows))


if __name__ == "__main__":
    main()
