"""AE510 all-variants-out-of-stock: every SKU of a product has a stock of 0.

What it does:
    Reports a product when each of its SKUs has a valid stock and every one of them is 0. A product
    where some SKU's stock is empty or unreadable is left to AE506 (its real stock is unknown).

Why is this bad:
    AliExpress's product API requires at least one SKU in stock, so the product cannot be published;
    seller FAQ 27 also notes that an out-of-stock product loses its search position.

Example:
    A T-shirt whose 12 colour/size rows all have "0" in "Variant Inventory Qty" fires once.
    A product with one size at 0 and another at 5 does not.

Options:
    none.

Source: AliExpress product API (at least one SKU in stock); seller FAQ 27.
"""

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict

from aelint.i18n import _
from aelint.model import Problem, Product

from ._variants import plain_stock, stock_reading

CODE = "AE510"
NAME = "all-variants-out-of-stock"
SEVERITY = "warning"


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    skus = product.skus
    if not skus or "stock" not in product.catalog.columns:
        return
    for sku in skus:
        reading = stock_reading(sku.values.get("stock", ""))
        if reading.problem or reading.value != 0:
            return
    message = (_("its only SKU has a stock of 0: AliExpress needs at least one SKU in stock") if len(skus) == 1 else
               _("all {count} SKUs have a stock of 0: AliExpress needs at least one SKU in stock"))
    yield Problem(message.format(count=len(skus)), product,
                  cell=skus[0].cell("stock"))


def prefilter(table, options: Options):
    """A product with a SKU row plainly in stock (a plain number above 0) is not out of stock."""
    import polars as pl

    if "stock" not in table.catalog.columns:
        return pl.lit(False)
    return ~table.products_with((plain_stock(table.sku_text("stock")) > 0).fill_null(False))
