"""AE306 image-not-square: a main image is not square (1:1).

What it does:
    Reports main images whose width and height differ by more than `image_square_tolerance` (2% of the
    longer side by default, so 1000x985 passes and 1600x900 fires).

Why is this bad:
    AliExpress shows main images in square frames in search results and on the product page: a
    landscape or portrait picture is letterboxed with bars or cropped, and looks less professional
    than the competing listings around it.

Example:
    A 1600x900 banner used as the main image fires; a 1000x1000 packshot does not.

Options:
    thresholds.image_square_tolerance (float, default 0.02): the allowed difference between width and
    height, as a share of the longer side.

Source: seller practice (1:1 main images); AliExpress product page layout.
"""

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict

from aelint.i18n import _
from aelint.images import HEADER, ImageFacts, probed_cells, products_with_facts, shown
from aelint.model import Problem, Product

CODE = "AE306"
NAME = "image-not-square"
SEVERITY = "warning"
IMAGE_FACTS = {"main_images": (HEADER,)}


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use
    image_square_tolerance: float = 0.02


def not_square(facts: ImageFacts | None, options: Options) -> bool:
    """Whether an image's header gives a width and height further apart than the tolerance."""
    if facts is None or facts.width is None or facts.status != "ok":
        return False
    return abs(facts.width - facts.height) > options.image_square_tolerance * max(facts.width, facts.height)


def prefilter(table, options: Options):
    """The products with a main image that is not square."""
    return products_with_facts(table, ("main_images",), lambda facts: not_square(facts, options))


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    facts_of = product.catalog.images
    for cell in probed_cells(product, "main_images"):
        facts = facts_of.get(cell.value)
        if not_square(facts, options):
            yield Problem(_("main image {image} is {width}x{height} px, not square (1:1)").format(
                          image=shown(cell.value), width=facts.width, height=facts.height), product, cell=cell)
