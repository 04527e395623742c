"""AE304 image-unreadable: the image file is not a usable JPEG or PNG.

What it does:
    Reports image files (main, SKU and marketing images) that are not JPEG or PNG (GIF, WEBP, a text
    file named `.jpg`...), that are truncated or corrupt, or that Pillow's decompression-bomb guard
    refuses (an image of more than about 89 million pixels). The format is read from the file's first
    bytes, not its name. URLs whose file name is another format (`.gif`, `.webp`) fire too, except
    AliExpress CDN links to a resized copy of a JPEG (`x.jpg_1500x1500.jpg_.webp`).

Why is this bad:
    AliExpress accepts JPEG and PNG images only; anything else is rejected at upload and the listing
    is published without that picture, or not at all if it was the only main image.

Example:
    A product photo saved from a web page as `shoe.jpg` that is really a WEBP file fires; so does a
    JPEG cut off halfway through its download.

Options:
    none.

Source: AliExpress image upload requirements (JPEG/PNG).
"""

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict

from aelint.i18n import _
from aelint.images import KIND_LABELS, image_uses, shown
from aelint.model import Problem, Product

CODE = "AE304"
NAME = "image-unreadable"
SEVERITY = "error"
NEEDS_IMAGES = True


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid")


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    facts_of = product.catalog.images
    for kind, cell, sku in image_uses(product):
        facts = facts_of.get(cell.value)
        if facts is not None and facts.status == "unreadable":
            yield Problem(_("{kind} {image} cannot be used: {reason}").format(
                          kind=_(KIND_LABELS[kind]), image=shown(cell.value), reason=facts.reason), product,
                          sku=sku, cell=cell)
