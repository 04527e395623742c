"""AE606 price-outlier: a product priced far below the other products of its category in this catalog.

What it does:
    Takes each product's price as the median of its SKU prices (so one cheap SKU, AE504's business, does
    not make the product an outlier) and compares it with the products of the same category in the same
    catalog. A product fires when both hold:

    - its price is under 1/`price_outlier_ratio` (1/5 by default) of the category's median price, and
    - it is a robust outlier on a log scale: its modified z-score (0.6745 x (log price - median log
      price) / MAD of log prices, Iglewicz and Hoaglin) is below -3.5.

    Median and MAD ignore the outliers they look for (half the category would have to be mispriced to move
    them), and the log scale suits prices, which spread by factors. The ratio keeps a category whose prices
    all lie close together (a tiny MAD) from flagging a product that is merely cheaper; the z-score keeps a
    category of mixed goods (1 USD cables next to 40 USD chargers) from flagging its cheap half. Categories
    with fewer than `price_outlier_min_products` priced products, products without a category and prices
    that are not numbers (AE505's) are skipped.

Why is this bad:
    "Intentional undervaluation" is a listing-quality violation (seller FAQ 65): a price far below the
    market that the seller does not mean (a missing digit, a price per piece on a pack, a lure) costs
    penalty points, or sales at a loss.

Example:
    In a category of phone cases priced 8-12 USD, a case at 0.99 fires; a case at 6.50 does not.

Options:
    thresholds.price_outlier_ratio (float, default 5): how many times below the category median a price
    must be.
    thresholds.price_outlier_min_products (int, default 8): the fewest priced products a category needs.

Source: seller FAQ 65 ("intentional undervaluation/overvaluation").
"""

import math
from collections.abc import Iterator
from statistics import median

from pydantic import BaseModel, ConfigDict, Field

from aelint.i18n import _
from aelint.facts import ProductRef, product_ref, whole
from aelint.model import Catalog, Cell, Problem, Product
from aelint.numbers import format_number, parse_amount

CODE = "AE606"
NAME = "price-outlier"
SEVERITY = "warning"

Z_LIMIT = -3.5  # Iglewicz and Hoaglin's cut-off for the modified z-score


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid")
    price_outlier_ratio: float = Field(5.0, gt=1)
    price_outlier_min_products: int = Field(8, ge=3)


def product_price(product: Product) -> float | None:
    """The median of the product's valid SKU prices, or None."""
    prices = []
    for sku in product.skus:
        amount = parse_amount(sku.values.get("price", ""))
        if amount.value is not None and not amount.ambiguous and math.isfinite(amount.value) and amount.value > 0:
            prices.append(amount.value)
    return median(prices) if prices else None


class Collector:
    """Facts: per category, each priced product's price and where the price stands."""

    def __init__(self, catalog: Catalog, options: Options):
        self.options = options
        self.by_category: dict[str, list[tuple[ProductRef, Cell, float]]] = {}

    def add(self, products: list[Product]) -> Iterator[Problem]:
        for product in products:
            category = " ".join(product.get("category").casefold().split())
            if not category:
                continue
            price = product_price(product)
            if price is not None:
                cell = product.skus[0].cell("price") if product.skus else product.cell("price")
                self.by_category.setdefault(category, []).append((product_ref(product), cell, price))
        return iter(())

    def finish(self) -> Iterator[Problem]:
        return _judge(self.by_category, self.options)


def check(catalog: Catalog, options: Options) -> Iterator[Problem]:
    return whole(Collector, catalog, options)


def _judge(by_category: dict[str, list[tuple[ProductRef, Cell, float]]], options: Options) -> Iterator[Problem]:
    for members in by_category.values():
        if len(members) < options.price_outlier_min_products:
            continue
        middle = median(price for _, _, price in members)
        logs = [math.log(price) for _, _, price in members]
        log_middle = median(logs)
        mad = median(abs(v - log_middle) for v in logs)
        limit = middle / options.price_outlier_ratio
        for (product, cell, price), log_price in zip(members, logs):
            if price >= limit:
                continue
            z = 0.6745 * (log_price - log_middle) / mad if mad > 0 else -math.inf
            if z < Z_LIMIT:
                yield Problem(
                    _("price {price} is {times}x below the median {median} of the {count} products in its category: "
                      "check for a missing digit or a per-piece price (intentional undervaluation is penalised)").format(
                        price=format_number(round(price, 2)), times=f"{middle / price:.0f}",
                        median=format_number(round(middle, 2)), count=len(members)),
                    product, cell=cell)  # type: ignore[arg-type]
