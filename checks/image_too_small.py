"""AE305 image-too-small: a main or SKU image is smaller than the marketplace's minimum (800x800; Wish 100x100).

What it does:
    Reads the pixel size of each main image and SKU (variant) image from its header and reports those
    whose width or height is under `image_min_side` (800 by default). Marketing images have their own
    sizes (AE310). Images that are missing or unreadable are left to AE303/AE304.

Why is this bad:
    Small images look blurred on the product page and cannot be zoomed; sellers upload at least
    800x800 so AliExpress can show the zoom view, and low image quality is one of the listing-quality
    problems AliExpress flags (seller FAQ 45).

Example:
    A 198x198 thumbnail used as a main image fires; a 1024x1024 photo does not.

    On Wish the minimum is 100x100 (Wish docs: "images must be at least 100 x 100 pixels") and GIF images
    are measured too.

Options:
    thresholds.image_min_side (int, default 800; the Wish profile sets 100): the smallest width and height
    allowed, in pixels.
    image_formats (list): the formats the marketplace accepts, whose sizes are checked; set by the profile.

Source: seller practice (800x800 for zoom); seller FAQ 45 (low-quality listings); Wish docs (main image at
least 100x100, JPEG/PNG/GIF; copy on lianlianpay 43-40876).
"""

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict

from aelint.i18n import _
from aelint.images import HEADER, KIND_LABELS, ImageFacts, image_uses, products_with_facts, shown
from aelint.model import Problem, Product

CODE = "AE305"
NAME = "image-too-small"
SEVERITY = "warning"
KINDS = ("main_images", "variant_image")
IMAGE_FACTS = {kind: (HEADER,) for kind in KINDS}


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use
    image_min_side: int = 800
    image_formats: list[str] = ["JPEG", "PNG"]


def too_small(facts: ImageFacts | None, options: Options) -> bool:
    """Whether an image's facts give a size, in a format the marketplace accepts, under the minimum."""
    if facts is None or facts.width is None or not (
            facts.status == "ok" or facts.status == "format" and facts.format in options.image_formats):
        return False
    return facts.width < options.image_min_side or facts.height < options.image_min_side


def prefilter(table, options: Options):
    """The products with a main or SKU image too small."""
    return products_with_facts(table, KINDS, lambda facts: too_small(facts, options))


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    facts_of = product.catalog.images
    least = options.image_min_side
    for kind, cell, sku in image_uses(product, KINDS):
        facts = facts_of.get(cell.value)
        if too_small(facts, options):
            yield Problem(_("{kind} {image} is {width}x{height} px; use at least {least}x{least}").format(
                          kind=_(KIND_LABELS[kind]), image=shown(cell.value), width=facts.width, height=facts.height,
                          least=least), product, sku=sku, cell=cell)
