"""AE309 marketing-image-background: the 1:1 marketing image's background is not white.

What it does:
    Decodes a small thumbnail of each square (1:1) marketing image (JPEG draft mode, so a fraction of
    a full decode) and judges the background around the product: it finds the product's box (what is
    not near-white: every channel at least 230 of 255, transparent pixels count as white) and measures
    the frame's border strip outside that box. The image fires when fewer than
    `marketing_white_share` (70%) of those pixels are near-white. A product touching one or two edges
    is judged by the rest of the border; when the box covers more than 85% of the frame (a close-up,
    or a coloured or lifestyle background, which is "product" everywhere) the whole border is judged.
    A soft shadow under the product passes. Measured on real photos: the Amazon ABO white packshots
    score 80-100% (the old whole-border measure gave them 71-100%), grocery photos on white 92-100%,
    even flush against an edge; on coloured backdrops 0%. Missing or unreadable images are left to
    AE303/AE304.

Why is this bad:
    AliExpress uses the 1:1 marketing image in recommendation and promotion channels, where it is
    shown as a white-background product shot (seller FAQ 29: "attractive and quality photographs of a
    product on a white background"); a lifestyle photo or coloured backdrop is not accepted there.

Example:
    A mug photographed on a wooden table fires; the same mug cut out on pure white with a soft grey
    shadow does not.

Options:
    thresholds.marketing_white_share (float, default 0.7): the share of the border around the
    product that must be near-white.

Source: seller FAQ 29; AliExpress marketing image requirements (1:1 white background).
"""

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict

from aelint.i18n import _
from aelint.images import BACKGROUND, ImageFacts, probed_cells, products_with_facts, shown
from aelint.model import Problem, Product

CODE = "AE309"
NAME = "marketing-image-background"
SEVERITY = "warning"
IMAGE_FACTS = {"marketing_image_square": (BACKGROUND,)}


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use
    marketing_white_share: float = 0.7


def not_white(facts: ImageFacts | None, options: Options) -> bool:
    """Whether a decoded image's border around the product is less near-white than the share asked."""
    return (facts is not None and facts.background is not None and facts.status == "ok"
            and facts.background < options.marketing_white_share)


def prefilter(table, options: Options):
    """The products with a 1:1 marketing image not on white."""
    return products_with_facts(table, ("marketing_image_square",), lambda facts: not_white(facts, options))


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    facts_of = product.catalog.images
    for cell in probed_cells(product, "marketing_image_square"):
        facts = facts_of.get(cell.value)
        if not_white(facts, options):
            yield Problem(_("1:1 marketing image {image} is not on a white background (only {share} of the border "
                            "around the product is near-white)").format(image=shown(cell.value),
                                                                        share=f"{facts.background:.0%}"),
                          product, cell=cell)
