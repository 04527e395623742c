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
from aelint.images import HASH, HASH_CROPS, MAX_REFERENCES_PER_FIELD, THUMB_CELLS, crop_box, probed_cells, shown
from aelint.facts import FirstHolders, ProductRef, detached, product_ref, whole
from aelint.model import Catalog, Problem, Product

if TYPE_CHECKING:
    import numpy as np  # numpy and Pillow are imported where thumbnails are compared: most runs need neither

    from aelint.table import CatalogTable

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
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use


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


class Collector:
    """Each main image is compared with the earlier products' as it passes: by link (a hash of it) and by
    file (the probe's digest); a picture with a perceptual hash may also look like an earlier one, which is
    settled at the end over every hashed picture. A product with such a picture has its findings kept
    (detached) until then, so they come in picture order as before."""

    def __init__(self, catalog: Catalog, options: Options):
        self.facts_of = catalog.images
        self.count = 0  # pictures so far: a picture's order
        self.by_ref = FirstHolders()  # each reference's first product
        self.by_digest: dict[str, tuple[ProductRef, str]] = {}  # file digest -> first product, its reference
        self.hashed: list[_Picture] = []  # pictures with a perceptual hash, for the look-alike search
        self.waiting: list[list[tuple[_Picture, Problem | None]]] = []  # per product, in order

    def add(self, products: list[Product]) -> Iterator[Problem]:
        batch: list[tuple[ProductRef, list[_Picture]]] = []  # each product's ref and its distinct pictures
        for product in products:
            ref_of = product_ref(product)
            own: list[_Picture] = []
            refs: set[str] = set()
            for cell in probed_cells(product, "main_images"):
                ref = cell.value  # (the reader strips each reference)
                if ref not in refs:
                    refs.add(ref)
                    own.append(_Picture(ref_of, cell, self.facts_of.get(cell.value), self.count))
                    self.count += 1
            batch.append((ref_of, own))
        keys, before = self.by_ref.lookup([picture.cell.value for _, own in batch for picture in own])
        keyed = iter(zip(keys, before))
        in_batch: dict[int, ProductRef] = {}  # the batch's references not met before -> first product with it
        for ref_of, own in batch:
            own_keys = [next(keyed) for _ in own]
            found: list[tuple[_Picture, Problem | None]] = []
            for picture, (key, earlier) in zip(own, own_keys):
                ok = picture.facts is not None and picture.facts.status == "ok"
                match = earlier or in_batch.get(key)
                if match is not None:
                    found.append((picture, _problem("same link", picture, match, "")))
                elif ok and picture.facts.digest and picture.facts.digest in self.by_digest:
                    other, other_ref = self.by_digest[picture.facts.digest]
                    found.append((picture, _problem("same file", picture, other, other_ref)))
                else:
                    found.append((picture, None))
                if ok and picture.facts.phash is not None:
                    self.hashed.append(picture)
            if any(problem is None and p.facts is not None and p.facts.status == "ok" and p.facts.phash is not None
                   for p, problem in found):
                self.waiting.append([(p, detached(problem) if problem else None) for p, problem in found])
            else:
                yield from (problem for _, problem in found if problem is not None)
            for picture, (key, earlier) in zip(own, own_keys):  # after the product: its own never match each other
                if earlier is None:
                    in_batch.setdefault(key, ref_of)
                if picture.facts is not None and picture.facts.status == "ok" and picture.facts.digest:
                    self.by_digest.setdefault(picture.facts.digest, (ref_of, picture.cell.value))
        self.by_ref.note(in_batch)

    def add_table(self, table: CatalogTable) -> Iterator[Problem]:
        """`add` over the batch's columns where no image was probed (a picture can then only repeat an earlier
        product's reference): each distinct reference of the batch is hashed and looked up once, in bulk."""
        if self.facts_of:  # file facts (digests, perceptual hashes) are compared picture by picture
            yield from self.add(table.catalog.products)
            return
        import polars as pl

        pictures = table.main_image_refs.filter(pl.col("position") < MAX_REFERENCES_PER_FIELD)
        new = pictures["ref"].is_first_distinct()
        if not new.all():  # a reference twice in the batch: a product's own repeats are one picture
            pictures = pictures.unique(["index", "ref"], keep="first", maintain_order=True)
            new = pictures["ref"].is_first_distinct()
        self.count += len(pictures)
        first = pictures.filter(new)  # each distinct reference at its first product in the batch
        refs, by_ref = table.product_refs, self.by_ref
        if not by_ref.in_halves and by_ref.keys.seeds is not None:  # (the first batch came product by product)
            keys, earlier = by_ref.lookup(first["ref"])
            if len(first) < len(pictures) or earlier.count(None) < len(earlier):  # a reference repeats
                yield from self._repeats(table, pictures.with_columns(new.alias("new")), first, earlier)
            by_ref.note({k: refs[i] for k, e, i in zip(keys, earlier, first["index"].to_list()) if e is None})
            return
        high, low = by_ref.halves(first["ref"])
        places = by_ref.find(high, low)
        unseen = places < 0
        if len(first) < len(pictures) or not unseen.all():  # a reference repeats
            earlier = [by_ref.holders[k] if k >= 0 else None for k in places.tolist()]
            yield from self._repeats(table, pictures.with_columns(new.alias("new")), first, earlier)
        by_ref.put(high[unseen], low[unseen], list(map(refs.__getitem__, first["index"].to_numpy()[unseen].tolist())))

    def _repeats(self, table: CatalogTable, pictures, first, earlier: list[ProductRef | None]) -> Iterator[Problem]:
        """The findings of `add_table` (in product and picture order) on the batch's `pictures` (`new`: the
        first with its reference in the batch, as `first` has them) that repeat an earlier product's
        reference: `earlier[k]`, known before the batch, for `first` row k; else a product before in the batch."""
        import polars as pl

        first = first.with_columns(pl.Series("known", [e is not None for e in earlier], dtype=pl.Boolean),
                                   pl.col("index").alias("first"), pl.int_range(pl.len()).alias("k"))
        later = pictures.filter(~pl.col("new")).join(first.select("ref", "first", "k"), on="ref",
                                                     maintain_order="left")
        repeats = pl.concat([first.filter("known").select("index", "position", "first", "k"),
                             later.select("index", "position", "first", "k")]).sort("index", "position")
        refs = table.product_refs
        for index, position, first_index, k in repeats.iter_rows():
            picture = _Picture(refs[index], probed_cells(table.product(index), "main_images")[position], None, 0)
            yield _problem("same link", picture, earlier[k] or refs[first_index], "")

    def finish(self) -> Iterator[Problem]:
        looks = _look_alikes(self.hashed)
        by_order = {p.order: p for p in self.hashed}
        for found in self.waiting:
            for picture, problem in found:
                if problem is None and picture.order in looks:
                    match = by_order[looks[picture.order]]
                    problem = _problem("looks the same", picture, match.product, match.cell.value)
                if problem is not None:
                    yield problem


def check(catalog: Catalog, options: Options) -> Iterator[Problem]:
    return whole(Collector, catalog, options)


def _problem(how: str, picture: _Picture, other: ProductRef, other_ref: str) -> Problem:
    """The finding on `picture`, which repeats a main image of the earlier product `other`."""
    name = other.product_id or _("row {row}").format(row=other.row)
    if how == "same link":
        template = _("main image {image} is also a main image of product {product} (row {row})")
    elif how == "same file":
        template = _("main image {image} is the same file as main image {other} of product {product} "
                     "(row {row})")
    else:
        template = _("main image {image} looks the same as main image {other} of product {product} "
                     "(row {row})")
    return Problem(template.format(image=shown(picture.cell.value), other=shown(other_ref), product=name,
                                   row=other.row), picture.product, cell=picture.cell)  # type: ignore[arg-type]
