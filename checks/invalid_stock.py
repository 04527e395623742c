"""AE506 invalid-stock: a SKU stock AliExpress does not accept, or one that can be read two ways.

What it does:
    Reads each SKU's stock as the seller means it (numbers stored as text, "12.0", thousands separators
    such as "1.500" or "1,500": a stock of 1.5 does not exist, so both mean 1500) and reports a stock that
    is not a number, not a whole number, negative or above 999999, a money amount ("$5"), and one that
    could mean two counts ("1,000": 1000, or 1 written with three decimals). An empty stock is AE602's to
    report (missing-required-field), whether or not AE602 is selected: one rule per problem.

Why is this bad:
    AliExpress's product API takes SKU inventory as a whole number from 0 to 999999; anything else
    fails the upload, and a misread stock oversells a variant or hides it.

Example:
    "ten", "2.5", "-3", "1000000", "1,000" fire. "12", "12.0", " 7 ", "1.500", "0" do not (a stock of
    0 is valid for one SKU; AE510 reports a product with every SKU at 0), nor does an empty stock.

Options:
    thresholds.stock_max (number, default 999999; the Wish profile sets none, `inf`: Wish documents no
    maximum): the highest stock. Messages name the marketplace whose rules apply.

Source: AliExpress product API inventory (0-999999).
"""

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field

from aelint.i18n import _
from aelint.model import Problem, Product

from ._variants import STOCK_MAX, plain_stock, stock_reading

CODE = "AE506"
NAME = "invalid-stock"
SEVERITY = "error"


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use
    stock_max: float = Field(STOCK_MAX, gt=0)
    marketplace_name: str = "AliExpress"


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    for sku in product.skus:
        text = sku.values.get("stock")
        if not text:
            continue  # an empty stock is AE602's
        reading = stock_reading(text, options.marketplace_name, options.stock_max)
        if reading.problem:
            yield Problem(_("stock {problem}").format(problem=reading.message()), product, sku=sku,
                          cell=sku.cell("stock"))


def prefilter(table, options: Options):
    """Only a SKU row whose stock is not plainly 0-999999 can be reported (an empty one is AE602's)."""
    stock_text = table.sku_text("stock")
    return table.products_with((stock_text != "") & plain_stock(stock_text).is_null())
