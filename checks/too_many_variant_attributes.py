"""AE511 too-many-variant-attributes: a product varies by more than 3 attributes.

What it does:
    Counts the variant attributes (colour, size and any other attribute column or option) that have a
    value on at least one SKU of a product, and reports a product with more than 3. Attributes declared
    but blank on every SKU are not counted (AE507 reports those).

Why is this bad:
    AliExpress's product API accepts 1 to 3 SKU attributes per product: a fourth is rejected at upload.
    A product that truly varies in four ways is usually two products (or one attribute is a property of
    the whole product, such as the material, and belongs in its description or attributes).

Example:
    A sneaker with Color, Size, Width and Material options fires. Color, Size and "Ships From" do not.

Options:
    none.

Source: AliExpress product API (1-3 SKU attributes).
"""

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict

from aelint.i18n import _
from aelint.model import Problem, Product

from ._variants import label, variants

CODE = "AE511"
NAME = "too-many-variant-attributes"
SEVERITY = "error"
MAX_ATTRIBUTES = 3


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid")


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    names = variants(product).filled
    if len(names) > MAX_ATTRIBUTES:
        shown = ", ".join(label(f) for f in names.values())
        fourth = list(names.values())[MAX_ATTRIBUTES]
        sku = next(s for s in product.skus if s.values.get(fourth, "").strip())
        yield Problem(_("the product varies by {count} attributes ({attributes}); AliExpress allows at most {most}").format(
                      count=len(names), attributes=shown, most=MAX_ATTRIBUTES), product, cell=sku.cell(fourth))
