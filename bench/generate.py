"""Generate benchmark catalogs: N rows x ~30 columns as .xlsx and .csv, with realistic text and planted problems.

    python bench/generate.py --rows 100000 --out bench/out [--images 2000]

Titles are ~100 characters, descriptions ~500 characters of HTML, products have 1-4 SKUs, and a few percent
of rows carry planted problems (long titles, repeated words, missing prices, prohibited terms, contact details,
duplicate SKU codes, lure prices). With --images, N image files (800-2000 px JPEG/PNG) are written and referenced.
Files are reused when they already exist for the same arguments. --shared-strings also writes the workbook with
shared strings (catalog_N_shared.xlsx), as Excel saves it: openpyxl's write-only mode writes inline strings.
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

ADJECTIVES = ["Vintage", "Casual", "Elegant", "Portable", "Waterproof", "Adjustable", "Lightweight", "Soft",
              "Durable", "Foldable", "Wireless", "Stainless", "Handmade", "Luxury", "Minimalist", "Retro",
              "Breathable", "Warm", "Creative", "Ergonomic", "Compact", "Magnetic", "Rechargeable", "Outdoor"]
NOUNS = ["Dress", "Necklace", "Backpack", "Lamp", "Mug", "Sneakers", "Jacket", "Watch", "Earrings", "Wallet",
         "Pillowcase", "Blanket", "Bottle", "Headphones", "Charger", "Phone Case", "Sunglasses", "Scarf", "Ring",
         "Keyboard", "Mouse Pad", "Storage Box", "Cutting Board", "Yoga Mat", "Hair Clip", "Belt", "Hoodie"]
MATERIALS = ["Cotton", "Leather", "Ceramic", "Bamboo", "Silicone", "Alloy", "Wool", "Linen", "Glass", "Wood"]
AUDIENCES = ["Women", "Men", "Kids", "Girls", "Boys", "Unisex", "Couples", "Home Office", "Travel", "Kitchen"]
EXTRAS = ["Gift", "Fashion Accessories", "Daily Use", "Summer Style", "Party Decor", "Birthday Present",
          "Cute Design", "Large Capacity", "Quick Dry", "Anti Slip", "High Quality", "Easy Clean"]
COLORS = ["Black", "White", "Red", "Blue", "Green", "Pink", "Grey", "Beige", "Navy", "Brown"]
SIZES = ["S", "M", "L", "XL", "XXL", "One Size"]
CATEGORIES = ["Women's Clothing > Dresses", "Jewelry > Necklaces", "Luggage > Backpacks", "Home > Lighting",
              "Home > Kitchen > Drinkware", "Shoes > Sneakers", "Phones > Cases", "Home > Textiles"]
SENTENCES = [
    "Made of carefully selected {m} for everyday comfort and long service life.",
    "The {a} design fits every occasion, from the office to a weekend trip.",
    "Each piece is inspected before shipping so it arrives in perfect condition.",
    "Easy to clean: wipe with a damp cloth and let it dry naturally.",
    "A thoughtful gift for family and friends on birthdays and holidays.",
    "Dimensions are measured by hand; please allow 1-2 cm difference.",
    "Colours may vary slightly because of screen settings and lighting.",
]
HEADER = ["Product ID", "Product Title", "Category", "Brand", "Description", "SKU Code", "Color", "Size",
          "Material", "Price", "Discount Price", "Stock", "Main Image 1", "Main Image 2", "Main Image 3",
          "Main Image 4", "Main Image 5", "Main Image 6", "Variant Image", "Marketing Image 1:1",
          "Marketing Image 3:4", "Weight (kg)", "Package Length", "Package Width", "Package Height",
          "Shipping Template", "Processing Days", "Vendor Name", "Condition", "Tags"]
PLANTS = ["long_title", "repeat", "no_price", "prohibited", "contact", "dup_sku", "lure"]


def title_for(rng: random.Random) -> str:
    words = [rng.choice(ADJECTIVES), rng.choice(MATERIALS), rng.choice(NOUNS), "for", rng.choice(AUDIENCES),
             rng.choice(ADJECTIVES), rng.choice(EXTRAS), rng.choice(EXTRAS), f"{rng.randint(2020, 2026)}"]
    title = " ".join(dict.fromkeys(words))
    while len(title) < 90:
        title += " " + rng.choice(EXTRAS + MATERIALS)
    return title[:110].rsplit(" ", 1)[0]


def description_for(rng: random.Random) -> str:
    parts = [f"<p>{rng.choice(SENTENCES).format(m=rng.choice(MATERIALS).lower(), a=rng.choice(ADJECTIVES).lower())}</p>"
             for _ in range(7)]
    return "<div>" + "".join(parts) + "<ul><li>Package: 1 piece</li></ul></div>"


def rows(count: int, images: int, seed: int = 7):
    """The data rows: products of 1-4 SKUs until `count` rows, with a few percent of planted problems."""
    rng = random.Random(seed)
    produced = product = 0
    while produced < count:
        product += 1
        title, category = title_for(rng), rng.choice(CATEGORIES)
        description = description_for(rng)
        plant = rng.choice(PLANTS) if rng.random() < 0.04 else None
        if plant == "long_title":
            title = title + " " + title
        elif plant == "repeat":
            title = title + " " + title.split()[2]
        elif plant == "prohibited":
            title = "Disposable Vape Pen " + title
        elif plant == "contact":
            description += "<p>WhatsApp +86 138 0013 8000 for wholesale</p>"

        def image(n: int) -> str:
            return (f"images/catalog_img_{rng.randrange(images):05d}.jpg" if images
                    else f"https://ae01.alicdn.com/kf/{n}.jpg")

        main = [image(product * 10 + i) for i in range(rng.randint(3, 6))] + [""] * 6
        skus = min(rng.randint(1, 4), count - produced)
        base = round(rng.uniform(3, 80), 2)
        for s in range(skus):
            price = "" if plant == "no_price" else f"{base:.2f}"
            if plant == "lure" and s == 1:
                price = "0.01"
            sku = f"SKU{product:06d}-{s}" if plant != "dup_sku" else f"SKU{product:06d}-0"
            yield [f"P{product:06d}", title, category, "NoBrand", description, sku, COLORS[s % len(COLORS)],
                   rng.choice(SIZES), rng.choice(MATERIALS), price, "", str(rng.randint(0, 500)), *main[:6],
                   image(product * 10 + 9), image(product * 10 + 7), image(product * 10 + 8),
                   f"{rng.uniform(0.05, 3):.2f}", "20", "15", "8", "Standard Shipping", "3", "Acme Trading",
                   "New", "summer,gift"]
            produced += 1


def write_csv(path: Path, count: int, images: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows(count, images))


def write_xlsx(path: Path, count: int, images: int) -> None:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Products")
    sheet.append(["Bulk upload template - fill in one row per SKU"])  # a title row above the header
    sheet.append(HEADER)
    for row in rows(count, images):
        sheet.append([float(v) if i in (9, 11, 21) and v else v for i, v in enumerate(row)])
    draft = path.with_suffix(".draft.xlsx")
    workbook.save(draft)
    add_dimension(draft, path, f"A1:{get_column_letter(len(HEADER))}{count + 2}")
    draft.unlink()


def add_dimension(source: Path, target: Path, ref: str) -> None:
    """Write the <dimension> that Excel and LibreOffice put in every sheet (openpyxl's write-only mode
    leaves it out, and aelint then scans the sheet once to size it safely)."""
    import zipfile

    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                new.writestr(item, old.read(item))
                continue
            with old.open(item) as part, new.open(item.filename, "w", force_zip64=True) as out:
                head = part.read(4096)
                out.write(head.replace(b"<sheetViews>", f'<dimension ref="{ref}" /><sheetViews>'.encode(), 1))
                while chunk := part.read(1 << 20):
                    out.write(chunk)


def write_images(folder: Path, count: int, seed: int = 11) -> None:
    """`count` product-like pictures, 800-2000 px, JPEG, on a white background."""
    from PIL import Image, ImageDraw

    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    for n in range(count):
        path = folder / f"catalog_img_{n:05d}.jpg"
        if path.exists():
            continue
        side = rng.choice([640, 800, 1000, 1200, 1600, 2000])
        image = Image.new("RGB", (side, side if rng.random() < 0.9 else side * 3 // 4), "white")
        draw = ImageDraw.Draw(image)
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.ellipse([side // 4, side // 4, side * 3 // 4, side * 3 // 4], fill=colour)
        image.save(path, quality=85)


def generate(out: Path, count: int, images: int = 0, workbook: bool = True) -> tuple[Path, Path]:
    """Write (or reuse) the workbook (unless `workbook` is false) and CSV for `count` rows; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    stem = f"catalog_{count}" + (f"_img{images}" if images else "")
    csv_path, xlsx_path = out / f"{stem}.csv", out / f"{stem}.xlsx"
    if not csv_path.exists():
        write_csv(csv_path, count, images)
    if workbook and not xlsx_path.exists():
        write_xlsx(xlsx_path, count, images)
    if images:
        write_images(out / "images", images)
    return xlsx_path, csv_path


INLINE_STRING_RE = rb' t="inlineStr"><is><t(?: xml:space="preserve")?>(.*?)</t></is>'


def shared_strings_copy(source: Path, target: Path) -> Path:
    """The workbook with its inline strings (openpyxl's write-only mode) as the shared strings Excel, WPS and
    LibreOffice save: one <sst> of distinct strings, cells naming their index. Reused when it exists."""
    import re
    import zipfile

    if target.exists():
        return target
    inline = re.compile(INLINE_STRING_RE, re.S)
    order: dict[bytes, int] = {}

    def shared(cell: re.Match) -> bytes:
        return b' t="s"><v>%d</v>' % order.setdefault(cell[1], len(order))

    draft = target.with_suffix(".draft.xlsx")
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(draft, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = inline.sub(shared, data)
            elif item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdStrings" Type="http://schemas.'
                                    b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
                                    b'Target="sharedStrings.xml"/></Relationships>')
            new.writestr(item, data)
        new.writestr("xl/sharedStrings.xml", b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns='
                     b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="%d">' % len(order)
                     + b"".join(b'<si><t xml:space="preserve">%s</t></si>' % text for text in order) + b"</sst>")
    draft.rename(target)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--images", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    parser.add_argument("--shared-strings", action="store_true",
                        help="also write the workbook with shared strings, as Excel saves it (*_shared.xlsx)")
    args = parser.parse_args()
    for path in generate(args.out, args.rows, args.images):
        print(path)
        if args.shared_strings and path.suffix == ".xlsx":
            print(shared_strings_copy(path, path.with_name(path.stem + "_shared.xlsx")))


if __name__ == "__main__":
    main()
