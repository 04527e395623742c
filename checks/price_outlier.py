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
    that are not numbers (AE505's) are skipped. Prices are compared only within one currency: where rows
    name their own (Wish 2021's `Currency` column), a category's EUR and CNY products are compared apart, a
    product's price is taken from its SKUs in the product's currency (the one its first row naming a
    currency names), and a product whose currency cell is no code (AE505's) is left out.

Why is this bad:
    "Intentional undervaluation" is a listing-quality violation (seller FAQ 65): a price far below the
    market that the seller does not mean (a missing digit, a price per piece on a pack, a lure) costs
    penalty points, or sales at a loss.

Example:
    In a category of phone cases priced 8-12 USD, a case at 0.99 fires; a case at 6.50 does not. A case at
    0.99 EUR among cases priced 60-80 CNY (rows naming their currency) is not compared with them.

Options:
    thresholds.price_outlier_ratio (float, default 5): how many times below the category median a price
    must be.
    thresholds.price_outlier_min_products (int, default 8): the fewest priced products a category needs.

Source: seller FAQ 65 ("intentional undervaluation/overvaluation").
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from operator import itemgetter
from statistics import median
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from aelint.i18n import _
from aelint.facts import ProductRef, product_ref, whole
from aelint.model import Catalog, Cell, Problem, Product, prices_in
from aelint.numbers import format_number, parse_amount, plain_number

if TYPE_CHECKING:
    from aelint.table import CatalogTable

CODE = "AE606"
NAME = "price-outlier"
SEVERITY = "warning"

Z_LIMIT = -3.5  # Iglewicz and Hoaglin's cut-off for the modified z-score


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use
    price_outlier_ratio: float = Field(5.0, gt=1)
    price_outlier_min_products: int = Field(8, ge=3)


def valid_price(text: str) -> float | None:
    """A SKU price as this rule reads it: a clear, finite, positive number, else None."""
    amount = parse_amount(text)
    if amount.value is not None and not amount.ambiguous and math.isfinite(amount.value) and amount.value > 0:
        return amount.value
    return None


def product_price(product: Product) -> float | None:
    """The median of the product's valid SKU prices in the product's currency, or None."""
    currency = product.currency
    if currency is None:
        return None
    prices = [price for price in (valid_price(sku.values.get("price", "")) for sku in product.skus
                                  if sku.currency == currency) if price is not None]
    return median(prices) if prices else None


def category_key(category: str) -> str:
    """Categories compared without case or spacing."""
    return " ".join(category.casefold().split())


class Collector:
    """Facts: per category and currency, each priced product's ref, where its price stands (the first SKU row
    and its price text) and its price, as one tuple; cells are made for the outliers only."""

    def __init__(self, catalog: Catalog, options: Options):
        self.options = options
        self.column = catalog.columns.get("price", "price")
        self.by_category: dict[tuple[str, str], list[tuple[ProductRef, int, str, float]]] = {}

    def add(self, products: list[Product]) -> Iterator[Problem]:
        for product in products:
            category = category_key(product.get("category"))
            if not category:
                continue
            price = product_price(product)
            if price is not None:
                first = product.skus[0]  # a product with a price has a SKU
                self.by_category.setdefault((category, product.currency), []).append(
                    (product_ref(product), first.row, first.values.get("price", ""), price))
        return iter(())

    def add_table(self, table: CatalogTable) -> Iterator[Problem]:
        """`add` over the batch's columns: plain prices ('35.27') read by polars, each distinct other price
        text and each distinct category read once in Python, the median of each product's prices taken in
        numpy over the prices sorted by product and value (as `statistics.median`: the middle value, or the
        mean of the middle two)."""
        import numpy as np
        import polars as pl

        skus = table.skus
        if "price" not in table.sku_fields or "category" not in table.product_fields:
            return iter(())
        plain = skus.select(plain_number(pl.col("price"), 2)).to_series()  # most prices: read as `valid_price` reads them
        odd = skus["price"].filter(plain.is_null()).unique()
        read = pl.Series([valid_price(text) for text in odd.to_list()], dtype=pl.Float64)
        price = (pl.when(plain.is_null()).then(pl.col("price").replace_strict(odd, read, default=None,
                                                                               return_dtype=pl.Float64))
                 .when(plain > 0).then(plain))
        currency = pl.lit(table.catalog.currency or "", dtype=pl.String)
        if "currency" in table.sku_fields:  # only the SKUs in their product's currency count
            currency = table.product_currencies
            price = pl.when(table.sku_currencies == currency.gather(skus["product"])).then(price)
        owner, value = skus["product"].to_numpy(), skus.select(price).to_series().to_numpy()  # NaN: no price
        priced = ~np.isnan(value)
        owner, value = owner[priced], value[priced]
        by_value = np.lexsort((value, owner))  # each product's prices together, in increasing order
        owner, value = owner[by_value], value[by_value]
        starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]]) if len(owner) else np.zeros(0, dtype=np.int64)
        counts = np.diff(np.r_[starts, len(owner)])
        middle, below = value[starts + counts // 2], value[starts + np.maximum(counts // 2 - 1, 0)]
        products = owner[starts]  # the priced products, in order
        medians = np.where(counts % 2 == 1, middle, (below + middle) / 2)
        distinct, firsts = np.unique(skus["product"].to_numpy(), return_index=True)  # each product's first SKU row
        first = firsts[np.searchsorted(distinct, products)]
        categories = table.products["category"]
        names = categories.unique()
        keys = pl.Series([category_key(c) for c in names.to_list()], dtype=pl.String)
        facts = (pl.DataFrame({"index": products, "median": medians})
                 .with_columns(categories.replace_strict(names, keys).gather(products).alias("category"),
                               (currency.gather(products) if isinstance(currency, pl.Series) else currency)
                               .alias("currency"),
                               skus["row"].gather(first).alias("first_row"), skus["price"].gather(first).alias("text"))
                 .filter(pl.col("category") != "")
                 .group_by("category", "currency", maintain_order=True)
                 .agg("index", "first_row", "text", "median"))
        refs = table.product_refs
        shared: dict[str, str] = {}  # one string per distinct price text (a catalog repeats a few prices)
        for category, in_currency, indexes, first_rows, texts, medians in facts.iter_rows():
            self.by_category.setdefault((category, in_currency), []).extend(
                zip(map(refs.__getitem__, indexes), first_rows, map(shared.setdefault, texts, texts), medians))
        return iter(())

    def finish(self) -> Iterator[Problem]:
        return _judge(self.by_category, self.column, self.options)


def check(catalog: Catalog, options: Options) -> Iterator[Problem]:
    return whole(Collector, catalog, options)


def _judge(by_category: dict[tuple[str, str], list[tuple[ProductRef, int, str, float]]], column: str,
           options: Options) -> Iterator[Problem]:
    for (_category, currency), members in by_category.items():
        if len(members) < options.price_outlier_min_products:
            continue
        prices = list(map(itemgetter(3), members))
        middle = median(prices)
        logs = list(map(math.log, prices))
        log_middle = median(logs)
        mad = median([abs(v - log_middle) for v in logs])
        limit = middle / options.price_outlier_ratio
        for k in [k for k, price in enumerate(prices) if price < limit]:  # (few: only these can fire)
            product, price_row, text, price = members[k]
            z = 0.6745 * (logs[k] - log_middle) / mad if mad > 0 else -math.inf
            if z < Z_LIMIT:
                yield Problem(
                    _("price {price} is {times}x below the median {median} of the {count} products in its category: "
                      "check for a missing digit or a per-piece price (intentional undervaluation is penalised)").format(
                        price=format_number(round(price, 2)), times=f"{middle / price:.0f}",
                        median=format_number(round(middle, 2)), count=len(members)) + prices_in(currency),
                    product, cell=Cell("price", text, price_row, column))  # type: ignore[arg-type]
