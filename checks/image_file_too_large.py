"""AE307 image-file-too-large: an image file is larger than the upload limit.

What it does:
    Reports image files (main, SKU and marketing images) larger than `image_max_bytes` (5,000,000
    bytes by default). The size is the file's size on disk (or the downloaded size with
    `--fetch-images`).

Why is this bad:
    AliExpress refuses image uploads over its size limit, so the picture is missing from the listing;
    large files also make the product page slow on mobile.

Example:
    A 7.2 MB PNG straight from a camera export fires; save it as a JPEG at quality 85 instead.

Options:
    thresholds.image_max_bytes (int, default 5000000): the largest file allowed, in bytes.

Source: AliExpress image upload limit (5 MB).
"""

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict

from aelint.i18n import _
from aelint.images import HEADER, IMAGE_FIELDS, KIND_LABELS, image_uses, products_with_facts, shown
from aelint.model import Problem, Product

CODE = "AE307"
NAME = "image-file-too-large"
SEVERITY = "error"
IMAGE_FACTS = {name: (HEADER,) for name in IMAGE_FIELDS}


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use
    image_max_bytes: int = 5_000_000


def prefilter(table, options: Options):
    """The products with an image file over the limit."""
    return products_with_facts(table, IMAGE_FIELDS,
                               lambda facts: facts.bytes is not None and facts.bytes > options.image_max_bytes)


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    facts_of = product.catalog.images
    for kind, cell, sku in image_uses(product):
        facts = facts_of.get(cell.value)
        if facts is not None and facts.bytes is not None and facts.bytes > options.image_max_bytes:
            yield Problem(_("{kind} {image} is {size}; the limit is {limit}").format(
                          kind=_(KIND_LABELS[kind]), image=shown(cell.value), size=_size(facts.bytes),
                          limit=_size(options.image_max_bytes)), product, sku=sku, cell=cell)


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1_000_000 else f"{n / 1e3:.1f} kB"
