"""Measure AE311 on the real product photos in ../shared/data: false pairs and recall.

    .venv/bin/python bench/bench_duplicate_image.py [--data ../shared/data] [--jobs 2]

The 93 real photos (81 grocery "iconic" photos, 12 Amazon ABO packshots) are all different pictures:

- false pairs: each photo is placed, centred, at 20/30/50/70/85 % of a white 1000x1000 frame (its
  longer side), saved as JPEG, and every placement size is linted as one catalog of 93 products;
  every product AE311 flags is a false alarm (the column "flagged"). The photos as they are, too.
  Then all sizes of all photos in one catalog: a photo's other sizes are right, any other pair wrong.
- recall: each photo gets copies (resized to 60 %, re-encoded at JPEG quality 50, saved as PNG,
  placed at 30 % of a white 600x600 frame, cropped by 4 % and 10 % of each side's length, once centred and once from one corner); the
  originals and the copies of one kind are one catalog, and a copy counts as found when AE311 names
  its own original. A copy that names another photo is a false pair.

Prints one line per case, and the time the probe and the rule took. `--scale` instead times the
rule alone on 5,000-40,000 products with random facts (hashes, colours, thumbnails), to show it stays
linear in the catalog.
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from pathlib import Path

from PIL import Image

from aelint import config as config_module
from aelint.engine import Engine, RunOptions

HERE = Path(__file__).resolve().parent
SCALES = (0.2, 0.3, 0.5, 0.7, 0.85)


def photos(data: Path) -> list[Path]:
    found = sorted(data.glob("grocery_iconic_images/**/*.jpg")) + sorted(data.glob("abo_sample_products/**/*.jpg"))
    if not found:
        raise SystemExit(f"no photos under {data}")
    return found


def on_white(photo: Image.Image, scale: float, side: int = 1000) -> Image.Image:
    """The photo, its longer side `scale` of a white square frame, centred."""
    image = photo.copy()
    longest = round(side * scale)
    factor = longest / max(image.size)
    image = image.resize((max(1, round(image.width * factor)), max(1, round(image.height * factor))),
                         Image.Resampling.LANCZOS)
    frame = Image.new("RGB", (side, side), (255, 255, 255))
    frame.paste(image, ((side - image.width) // 2, (side - image.height) // 2))
    return frame


def crop(image: Image.Image, share: float, centred: bool) -> Image.Image:
    """`share` of the width and of the height cut away: half on each side, or all from the top-left."""
    dx, dy = round(image.width * share), round(image.height * share)
    if centred:
        return image.crop((dx // 2, dy // 2, image.width - (dx - dx // 2), image.height - (dy - dy // 2)))
    return image.crop((dx, dy, image.width, image.height))


COPIES = {
    "resized 60%": lambda im: (im.resize((round(im.width * 0.6), round(im.height * 0.6)), Image.Resampling.LANCZOS),
                               "jpg", 90),
    "JPEG quality 50": lambda im: (im, "jpg", 50),
    "PNG": lambda im: (im, "png", None),
    "small on white (30%)": lambda im: (on_white(im, 0.3, 600), "jpg", 90),
    "cropped 4% centred": lambda im: (crop(im, 0.04, True), "jpg", 90),
    "cropped 4% corner": lambda im: (crop(im, 0.04, False), "jpg", 90),
    "cropped 10% centred": lambda im: (crop(im, 0.10, True), "jpg", 90),
    "cropped 10% corner": lambda im: (crop(im, 0.10, False), "jpg", 90),
}


def save(image: Image.Image, path: Path, quality: int | None) -> None:
    if quality is None:
        image.save(path)
    else:
        image.save(path, quality=quality)


def lint(folder: Path, rows: list[tuple[str, str]], jobs: int) -> tuple[dict[str, str], float]:
    """product id -> the product id AE311 names for it; and the seconds the run took."""
    path = folder / "catalog.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["product_id", "title", "main_images"])
        for pid, ref in rows:
            writer.writerow([pid, f"Product {pid}", ref])
    started = time.perf_counter()
    options = RunOptions(select=["AE311"], jobs=jobs, cache=False)
    report = Engine(options, config_module.from_data({}, None)).lint([path])
    seconds = time.perf_counter() - started
    assert not report.failures, report.failures
    named = {}
    for d in report.diagnostics:
        named[d.product_id] = d.message.split("of product ")[1].split(" (row")[0]
    return named, seconds


def time_scaling() -> None:
    """Time AE311's check alone on catalogs of random pictures: the cost per product stays flat."""
    import random

    from aelint.checks import duplicate_image
    from aelint.images import HASH_CROPS, THUMB_CELLS, ImageFacts
    from aelint.model import Catalog, Cell, Product

    rng = random.Random(1)

    def near(value: int) -> bytes:  # a crop's hash: a few bits away from the picture's, as measured
        for _ in range(rng.randrange(9)):
            value ^= 1 << rng.randrange(64)
        return value.to_bytes(8, "big")

    for count in (5_000, 10_000, 20_000, 40_000):
        catalog = Catalog(path="bench.csv", sheet=None, header_row=1, columns={"main_images": "main_images"})
        for i in range(count):
            product = Product(catalog, f"P{i}", i + 2)
            ref = f"p{i}.jpg"
            product.images["main_images"] = [Cell("main_images", ref, i + 2, "main_images")]
            catalog.products.append(product)
            phash = rng.getrandbits(64)
            catalog.images[ref] = ImageFacts(
                "ok", width=800, height=800, bytes=1, phash=phash, digest=f"{i}",
                colour=(rng.randrange(256), rng.randrange(256), rng.randrange(256)),
                crops=b"".join(near(phash) for _ in HASH_CROPS[1:]), thumb=rng.randbytes(3 * THUMB_CELLS ** 2))
        started = time.perf_counter()
        found = list(duplicate_image.check(catalog, duplicate_image.Options()))
        seconds = time.perf_counter() - started
        print(f"  {count:6d} products: {seconds:6.2f} s, {seconds / count * 1e6:5.0f} us/product, {len(found)} found")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--scale", action="store_true", help="time the rule alone on large random catalogs")
    args = parser.parse_args()
    if args.scale:
        time_scaling()
        return
    sources = photos(args.data)
    originals = [Image.open(p).convert("RGB") for p in sources]
    abo = {i for i, p in enumerate(sources) if "abo_sample" in str(p)}
    print(f"{len(sources)} photos ({len(abo)} ABO packshots)")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        print("false pairs among distinct photos (products flagged):")
        cases: list[tuple[str, float | None]] = [("as they are", None)] + [(f"{s:.0%} of a white frame", s)
                                                                          for s in SCALES]
        for label, scale in cases:
            folder = root / label.replace(" ", "_").replace("%", "")
            folder.mkdir()
            rows = []
            for i, image in enumerate(originals):
                placed = image if scale is None else on_white(image, scale)
                save(placed, folder / f"p{i}.jpg", 90)
                rows.append((f"P{i}", f"p{i}.jpg"))
            named, seconds = lint(folder, rows, args.jobs)
            print(f"  {label:<26} flagged {len(named):3d} of {len(rows)}   ({seconds:.1f} s)")
        folder = root / "mixed"
        folder.mkdir()
        rows = []
        for i, image in enumerate(originals):
            for scale in SCALES:
                on_white(image, scale).save(folder / f"p{i}_{scale}.jpg", quality=90)
                rows.append((f"P{i}_{scale}", f"p{i}_{scale}.jpg"))
        named, seconds = lint(folder, rows, args.jobs)
        wrong = sum(1 for pid, other in named.items() if pid.split("_")[0] != other.split("_")[0])
        print(f"  {'all sizes in one catalog':<26} flagged {len(named):3d} of {len(rows)}, wrong {wrong} "
              f"(a photo's other sizes are right: at most {len(rows) - len(originals)})   ({seconds:.1f} s)")
        print("recall on copies (found / copies; wrong = a copy paired with another photo):")
        for kind, make in COPIES.items():
            folder = root / kind.replace(" ", "_").replace("%", "")
            folder.mkdir()
            rows = []
            for i, image in enumerate(originals):
                save(image, folder / f"o{i}.jpg", 90)
                rows.append((f"O{i}", f"o{i}.jpg"))
            for i, image in enumerate(originals):
                copy, ext, quality = make(image)
                save(copy, folder / f"c{i}.{ext}", quality)
                rows.append((f"C{i}", f"c{i}.{ext}"))
            named, seconds = lint(folder, rows, args.jobs)
            found = sum(named.get(f"C{i}") == f"O{i}" for i in range(len(originals)))
            found_abo = sum(named.get(f"C{i}") == f"O{i}" for i in abo)
            wrong = sum(1 for pid, other in named.items() if pid.startswith("O") or other != "O" + pid[1:])
            print(f"  {kind:<22} found {found:3d}/{len(originals)}  (ABO {found_abo:2d}/{len(abo)})  "
                  f"wrong {wrong:2d}   ({seconds:.1f} s)")


if __name__ == "__main__":
    main()
