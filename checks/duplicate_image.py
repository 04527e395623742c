"""AE311 duplicate-image: the same picture is a main image of two different products.

What it does:
    Compares the main images of all products in the catalog and reports a product whose main image is
    the same picture as a main image of an earlier product: the same reference, a byte-identical file,
    or the same photo resized, re-saved or cropped by up to 10 %. Pictures are compared by their
    product, not their frame: the near-white margin around the product is cut away first, so two small
    items on large white canvases are not alike because of the white. A pair must agree in three ways:
    64-bit DCT hashes of the product (or of the product cut by 5-10 % at a side, for crops) differing
    in at most 8 bits, the mean colour of the product's pixels within 40 levels, and 6x6 colour
    thumbnails of the product within 10 levels on average (the same packaging in another colour or
    flavour is not a duplicate). The report points at the later product's image and names the earlier
    product. Measured on 93 real product photos (bench/bench_duplicate_image.py): no false pair with
    the photos at 20-85 % of a white frame; 89-93 of 93 copies found (resized, re-encoded, cropped by
    10 %, placed small on white).

Why is this bad:
    Two listings showing the same picture look like the same product listed twice: AliExpress treats
    "repeated product listing" as a violation and penalises it (seller FAQ 65). Variants of one product
    belong on one product sheet (FAQ 27).

Example:
    Products P1 and P2 both using `mug-front.jpg` (or `mug-front-copy.png`, the same photo re-saved at a
    smaller size) as a main image: P2 fires. Two different mugs on the same white background do not.

Options:
    none.

Source: seller FAQ 65 (repeated listing); FAQ 27.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from aelint.i18n import _
from aelint.images import HASH, HASH_CROPS, THUMB_CELLS, crop_box, probed_cells, shown
from aelint.model import Catalog, Problem

if TYPE_CHECKING:
    import numpy as np  # numpy and Pillow are imported where thumbnails are compared: most runs need neither

CODE = "AE311"
NAME = "duplicate-image"
SEVERITY = "warning"
IMAGE_FACTS = {"main_images": (HASH,)}
RUNS_WITHOUT_IMAGES = True  # the same reference twice needs no file
MAX_DISTANCE = 8       # of 64 bits: copies of the 93 real photos in bench/bench_duplicate_image.py
MAX_COLOUR_STEP = 40   # mean colour of the product's pixels, per channel (thin print moves it up to 36)
MAX_THUMB_STEP = 10    # mean difference of 6x6 colour thumbnails (distinct look-alike packs measured 12+)
BANDS = ((5, 13), (4, 16))  # hashes are found by equal bands: 5 of 13 bits for the whole picture (within
                            # 4 bits a pair always shares one), 4 of 16 bits for its 35 crops (fewer look-ups)
BUCKET_LIMIT = 256     # a band value shared by more images than this is not searched further
GRID = 6               # thumbnails are compared at this side


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Picture:
    """One product's main image with its facts, as the comparison needs them."""

    __slots__ = ("product", "cell", "facts", "order", "grids")

    def __init__(self, product, cell, facts, order: int):
        self.product, self.cell, self.facts, self.order = product, cell, facts, order
        self.grids: dict[int, np.ndarray] = {}

    def hashes(self) -> list[int]:
        """The hash of the product's box, then of its crops (HASH_CROPS order)."""
        crops = self.facts.crops or b""
        return [self.facts.phash] + [int.from_bytes(crops[i:i + 8], "big") for i in range(0, len(crops), 8)]

    def grid(self, crop: int) -> np.ndarray:
        """The colour thumbnail of crop `crop` (0: the whole box), GRID pixels square."""
        if crop not in self.grids:
            import numpy as np
            from PIL import Image

            thumb = Image.frombytes("RGB", (THUMB_CELLS, THUMB_CELLS), self.facts.thumb)
            box = crop_box(THUMB_CELLS, HASH_CROPS[crop])
            self.grids[crop] = np.asarray(thumb.resize((GRID, GRID), Image.Resampling.BOX, box=box), dtype=np.int16)
        return self.grids[crop]


def _band_keys(value: int, scheme: int) -> list[int]:
    """The hash's bands in one of the BANDS schemes, each as one int key (scheme, band, value)."""
    count, bits = BANDS[scheme]
    mask = (1 << bits) - 1
    return [(scheme << 24) | (i << 16) | ((value >> (i * bits)) & mask) for i in range(count)]


def _alike(crop_of: _Picture, crop: int, whole: _Picture) -> bool:
    """Whether `whole` is `crop_of` cut as crop number `crop`: colours and thumbnails agree."""
    a, b = crop_of.facts.colour, whole.facts.colour
    if max(abs(x - y) for x, y in zip(a, b)) > MAX_COLOUR_STEP:
        return False
    if crop_of.facts.thumb is None or whole.facts.thumb is None:
        return True
    import numpy as np

    return float(np.abs(crop_of.grid(crop) - whole.grid(0)).mean()) <= MAX_THUMB_STEP


def _look_alikes(pictures: list[_Picture]) -> dict[int, int]:
    """picture order -> order of the earliest picture of another product that looks the same.

    Each picture's hash and crop hashes are looked up among the other pictures' hashes: one lookup
    per distinct band value (a picture's crops share most of them), at most BUCKET_LIMIT pictures per
    band value, so the work grows linearly with the catalog (bench_duplicate_image.py --scale).
    """
    primaries = [p.facts.phash for p in pictures]
    index: dict[int, list[int]] = {}
    for i, value in enumerate(primaries):
        for key in _band_keys(value, 0) + _band_keys(value, 1):
            bucket = index.setdefault(key, [])
            if len(bucket) < BUCKET_LIMIT:
                bucket.append(i)
    earliest: dict[int, int] = {}
    for i, picture in enumerate(pictures):
        hashes = picture.hashes()
        crops_of: dict[int, list[int]] = {}  # band key -> the crops whose hash has it
        for crop, value in enumerate(hashes):
            for key in _band_keys(value, 0 if crop == 0 else 1):
                crops_of.setdefault(key, []).append(crop)
        tried: set[int] = set()
        for key, crops in crops_of.items():
            for j in index.get(key, ()):
                other = pictures[j]
                if other.product is picture.product:
                    continue
                for crop in crops:
                    pair = j * 64 + crop
                    if pair in tried:
                        continue
                    tried.add(pair)
                    if (primaries[j] ^ hashes[crop]).bit_count() <= MAX_DISTANCE and _alike(picture, crop, other):
                        later, first = (picture, other) if picture.order > other.order else (other, picture)
                        if first.order < earliest.get(later.order, later.order):
                            earliest[later.order] = first.order
                        break
    return earliest


def check(catalog: Catalog, options: Options) -> Iterator[Problem]:
    facts_of = catalog.images
    pictures: list[_Picture] = []
    for product in catalog.products:
        refs: set[str] = set()
        for cell in probed_cells(product, "main_images"):
            ref = cell.value.strip()
            if ref not in refs:
                refs.add(ref)
                pictures.append(_Picture(product, cell, facts_of.get(cell.value), len(pictures)))
    hashed = [p for p in pictures if p.facts is not None and p.facts.status == "ok" and p.facts.phash is not None]
    looks = _look_alikes(hashed)
    by_ref: dict[str, _Picture] = {}
    by_digest: dict[str, _Picture] = {}
    start = 0
    while start < len(pictures):
        product = pictures[start].product
        end = start
        while end < len(pictures) and pictures[end].product is product:
            end += 1
        own = pictures[start:end]
        for picture in own:
            ref = picture.cell.value.strip()
            ok = picture.facts is not None and picture.facts.status == "ok"
            digest = picture.facts.digest if ok else None
            match, how = by_ref.get(ref), "same link"
            if match is None and digest:
                match, how = by_digest.get(digest), "same file"
            if match is None and picture.order in looks:
                match, how = pictures[looks[picture.order]], "looks the same"
            if match is not None:
                other = match.product
                name = other.values.get("product_id") or _("row {row}").format(row=other.row)
                if how == "same link":
                    template = _("main image {image} is also a main image of product {product} (row {row})")
                elif how == "same file":
                    template = _("main image {image} is the same file as main image {other} of product {product} "
                                 "(row {row})")
                else:
                    template = _("main image {image} looks the same as main image {other} of product {product} "
                                 "(row {row})")
                yield Problem(template.format(image=shown(picture.cell.value), other=shown(match.cell.value),
                                              product=name, row=other.row), product, cell=picture.cell)
        for picture in own:  # registered after the product, so its own images never match each other
            by_ref.setdefault(picture.cell.value.strip(), picture)
            if picture.facts is not None and picture.facts.status == "ok" and picture.facts.digest:
                by_digest.setdefault(picture.facts.digest, picture)
        start = end
