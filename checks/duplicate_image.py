"""AE311 duplicate-image: the same picture is a main image of two different products.

What it does:
    Compares the main images of all products in the catalog and reports a product whose main image is
    the same picture as a main image of an earlier product: the same reference, a byte-identical file,
    or a perceptually identical one (the same photo resized or re-saved: 64-bit DCT hashes of a small
    grey thumbnail differing in at most 4 bits, and mean colours within 12 levels, so the same
    packaging in another colour is not a duplicate). The report points at the later product's image and
    names the earlier product.

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

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict

from aelint.i18n import _
from aelint.images import shown
from aelint.model import Catalog, Problem

CODE = "AE311"
NAME = "duplicate-image"
SEVERITY = "warning"
NEEDS_IMAGES = True
MAX_DISTANCE = 4       # of 64 bits: re-saved or resized copies of real photos measured 0-4
MAX_COLOUR_STEP = 12   # mean colour difference per channel
BANDS = 5              # 13-bit bands: two hashes within 4 bits share at least one band exactly
BAND_BITS = 13
BUCKET_LIMIT = 256     # a band value shared by more images than this is not searched further


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _bands(value: int) -> list[tuple[int, int]]:
    mask = (1 << BAND_BITS) - 1
    return [(i, (value >> (i * BAND_BITS)) & mask) for i in range(BANDS)]  # the last band has 12 bits


def check(catalog: Catalog, options: Options) -> Iterator[Problem]:
    facts_of = catalog.images
    by_ref: dict[str, tuple] = {}
    by_digest: dict[str, tuple] = {}
    buckets: dict[tuple[int, int], list[tuple]] = {}
    for product in catalog.products:
        own: list[tuple] = []
        reported: set[str] = set()
        for cell in product.image_cells("main_images"):
            ref = cell.value.strip()
            if ref in reported:
                continue
            facts = facts_of.get(cell.value)
            digest = facts.digest if facts is not None and facts.status == "ok" else None
            phash = facts.phash if facts is not None and facts.status == "ok" else None
            entry = (product, cell, phash, facts.colour if phash is not None else None)
            match, how = by_ref.get(ref), "same link"
            if match is None and digest:
                match, how = by_digest.get(digest), "same file"
            if match is None and phash is not None:
                match, how = _near(buckets, entry), "looks the same"
            if match is not None and match[0] is not product:
                reported.add(ref)
                other, other_cell = match[0], match[1]
                name = other.values.get("product_id") or _("row {row}").format(row=other.row)
                if how == "same link":
                    template = _("main image {image} is also a main image of product {product} (row {row})")
                elif how == "same file":
                    template = _("main image {image} is the same file as main image {other} of product {product} "
                                 "(row {row})")
                else:
                    template = _("main image {image} looks the same as main image {other} of product {product} "
                                 "(row {row})")
                yield Problem(template.format(image=shown(cell.value), other=shown(other_cell.value), product=name,
                                              row=other.row), product, cell=cell)
            own.append((ref, digest, entry))
        for ref, digest, entry in own:  # register after the product, so its own images never match each other
            by_ref.setdefault(ref, entry)
            if digest:
                by_digest.setdefault(digest, entry)
            if entry[2] is not None:
                for band in _bands(entry[2]):
                    bucket = buckets.setdefault(band, [])
                    if len(bucket) < BUCKET_LIMIT:
                        bucket.append(entry)


def _near(buckets: dict, wanted: tuple):
    seen: set[int] = set()
    phash, colour = wanted[2], wanted[3]
    for band in _bands(phash):
        for entry in buckets.get(band, ()):
            if id(entry) in seen:
                continue
            seen.add(id(entry))
            if (entry[2] ^ phash).bit_count() <= MAX_DISTANCE and (
                    colour is None or entry[3] is None
                    or max(abs(a - b) for a, b in zip(colour, entry[3])) <= MAX_COLOUR_STEP):
                return entry
    return None
