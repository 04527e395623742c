"""AE310 marketing-image-size: a marketing image has the wrong shape or is too small.

What it does:
    Reads the pixel size of the marketing images: the 1:1 image must be square and at least 800x800;
    the 3:4 image must be 3:4 (width:height) and at least 750x1000. A 2% tolerance applies to the
    shape. Missing or unreadable images are left to AE303/AE304.

Why is this bad:
    The AliExpress marketing-image types accept only these shapes and sizes; an image that does not
    fit is refused, and the product gives up the channels marketing images open (seller FAQ 29).

Example:
    A 600x600 square image fires (too small); a 1000x1000 image given as the 3:4 image fires (not 3:4);
    a 750x1000 portrait passes.

Options:
    none (the sizes are AliExpress's).

Source: AliExpress product API marketing image types (1:1 >= 800x800, 3:4 >= 750x1000); seller FAQ 29.
"""

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict

from aelint.i18n import _
from aelint.images import HEADER, probed_cells, products_with_facts, shown
from aelint.model import Problem, Product

CODE = "AE310"
NAME = "marketing-image-size"
SEVERITY = "error"
IMAGE_FACTS = {"marketing_image_square": (HEADER,), "marketing_image_portrait": (HEADER,)}
TOLERANCE = 0.02
# field -> (label, width:height ratio, smallest width, smallest height)
SHAPES = {"marketing_image_square": ("1:1", 1.0, 800, 800),
          "marketing_image_portrait": ("3:4", 0.75, 750, 1000)}


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use


def prefilter(table, options: Options):
    """The products with a marketing image whose header was read (its shape and size are judged here)."""
    return products_with_facts(table, tuple(SHAPES), lambda facts: facts.width is not None and facts.status == "ok")


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    facts_of = product.catalog.images
    for field, (label, ratio, min_w, min_h) in SHAPES.items():
        for cell in probed_cells(product, field):
            facts = facts_of.get(cell.value)
            if facts is None or facts.width is None or facts.status != "ok":
                continue
            w, h = facts.width, facts.height
            wrong = []
            if abs(w / h - ratio) > TOLERANCE * ratio:
                wrong.append(_("not {ratio}").format(ratio=label))
            if w < min_w or h < min_h:
                wrong.append(_("under {width}x{height}").format(width=min_w, height=min_h))
            if wrong:
                yield Problem(_("{ratio} marketing image {image} is {width}x{height} px: {problems}").format(
                                  ratio=label, image=shown(cell.value), width=w, height=h,
                                  problems=_(" and ").join(wrong)),
                              product, cell=cell)
