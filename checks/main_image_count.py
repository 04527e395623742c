"""AE302 main-image-count: more than 6 main images (error), or fewer than 6 (info).

What it does:
    Counts the distinct main images of each product. More than 6 is an error (AliExpress keeps at most
    six); 1 to 5 is reported as information, since all six slots help the listing. Products without any
    main image are left to AE301.

Why is this bad:
    The product API's `main_image_urls_list` holds at most six images, so extra ones are dropped or
    the upload is refused. Seller FAQ 29 speaks of "the six main images" of a product, and FAQ 23
    counts the number of images among the ranking factors: fewer images mean a weaker product sheet.

Example:
    A product with seven image links fires as an error on the seventh; a product with three fires as
    information. The same link given twice counts once.

Options:
    none.

Source: AliExpress product API `main_image_urls_list` (max 6); seller FAQ 23, 29.
"""

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict

from aelint.i18n import _, ngettext
from aelint.model import Problem, Product

CODE = "AE302"
NAME = "main-image-count"
SEVERITY = "error"
MAX_MAIN_IMAGES = 6


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid")


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    distinct = {}
    for cell in product.image_cells("main_images"):
        distinct.setdefault(cell.value.strip(), cell)
    count = len(distinct)
    if count > MAX_MAIN_IMAGES:
        seventh = list(distinct.values())[MAX_MAIN_IMAGES]
        yield Problem(_("{count} main images; AliExpress keeps at most {most}").format(
                      count=count, most=MAX_MAIN_IMAGES), product, cell=seventh, severity="error")
    elif 0 < count < MAX_MAIN_IMAGES:
        yield Problem(ngettext("{count} main image; use all {slots} slots to show the product better",
                               "{count} main images; use all {slots} slots to show the product better",
                               count).format(count=count, slots=MAX_MAIN_IMAGES),
                      product, cell=product.cell("main_images"), severity="info")
