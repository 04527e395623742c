"""AE304 image-unreadable: the image file is not a usable image in a format the marketplace accepts.

What it does:
    Reports image files (main, SKU and marketing images) that are not in `image_formats` (JPEG and PNG
    on AliExpress; JPEG, PNG and GIF on Wish), such as a WEBP or a text file named `.jpg`, that are
    truncated or corrupt, or that Pillow's decompression-bomb guard
    refuses (an image of more than about 89 million pixels). The format is read from the file's first
    bytes, not its name. Main images and 1:1 marketing images are decoded, so broken pixel data behind a
    sound header fires too; SKU and 3:4 marketing images are judged by their header and end. URLs whose file name is another format (`.gif`, `.webp`) fire too, except
    AliExpress CDN links to a resized copy of a JPEG (`x.jpg_1500x1500.jpg_.webp`).

Why is this bad:
    AliExpress accepts JPEG and PNG images only, Wish JPEG, PNG and GIF (Wish docs); anything else is
    rejected at upload and the listing is published without that picture, or not at all if it was the
    only main image.

Example:
    A product photo saved from a web page as `shoe.jpg` that is really a WEBP file fires; so does a
    JPEG cut off halfway through its download.

Options:
    image_formats (list): the formats accepted, set by the marketplace profile.

Source: AliExpress image upload requirements (JPEG/PNG); Wish docs (main image: JPEG, PNG or GIF).
"""

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict

from aelint.i18n import _
from aelint.images import DECODE, HEADER, IMAGE_FIELDS, KIND_LABELS, image_uses, products_with_facts, shown
from aelint.model import Problem, Product

CODE = "AE304"
NAME = "image-unreadable"
SEVERITY = "error"
DECODED_FIELDS = ("main_images", "marketing_image_square")  # decoded anyway when AE311 and AE309 run
IMAGE_FACTS = {name: (DECODE,) if name in DECODED_FIELDS else (HEADER,) for name in IMAGE_FIELDS}


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use
    image_formats: list[str] = ["JPEG", "PNG"]
    marketplace_name: str = "AliExpress"


def accepted(formats: list[str]) -> str:
    """'JPEG or PNG', 'JPEG, PNG or GIF'."""
    if len(formats) < 2:
        return "".join(formats)
    return _("{first} or {last}").format(first=", ".join(formats[:-1]), last=formats[-1])


def prefilter(table, options: Options):
    """The products with a reference that is unreadable, failed to decode, or in a format not accepted."""
    return products_with_facts(table, IMAGE_FIELDS, lambda facts: facts.status == "unreadable" or bool(
        facts.decode_failure) or facts.status == "format" and facts.format not in options.image_formats)


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    facts_of = product.catalog.images
    for kind, cell, sku in image_uses(product):
        facts = facts_of.get(cell.value)
        if facts is None:
            continue
        why = facts.reason if facts.status == "unreadable" else facts.decode_failure if kind in DECODED_FIELDS else None
        if why:
            yield Problem(_("{kind} {image} cannot be used: {reason}").format(
                          kind=_(KIND_LABELS[kind]), image=shown(cell.value), reason=why.text()), product,
                          sku=sku, cell=cell)
        elif facts.status == "format" and facts.format not in options.image_formats:
            yield Problem(_("{kind} {image} cannot be used: {reason}: {marketplace} accepts {formats}").format(
                          kind=_(KIND_LABELS[kind]), image=shown(cell.value), reason=facts.reason.text(),
                          marketplace=options.marketplace_name, formats=accepted(options.image_formats)), product,
                          sku=sku, cell=cell)
