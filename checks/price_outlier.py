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
    and its price text) and its price, as one tuple; cells are made for the outliers only.

    A catalog whose first batch comes as columns keeps the same facts as columns (`kept`: each batch's priced
    products with a category, polars; `refs`: every product's ref), grouped and judged in numpy at the end."""

    def __init__(self, catalog: Catalog, options: Options):
        self.options = options
        self.column = catalog.columns.get("price", "price")
        self.by_category: dict[tuple[str, str], list[tuple[ProductRef, int, str, float]]] = {}
        self.kept: list = []  # polars frames: index (in `refs`), median, category, currency, first_row, text
        self.refs: list[ProductRef] = []

    def add(self, products: list[Product]) -> Iterator[Problem]:
        if self.kept:  # (the catalog's earlier batches came as columns: this one joins them)
            self._keep_products(products)
            return iter(())
        for _k, product, category, price in self._priced(products):
            first = product.skus[0]  # a product with a price has a SKU
            self.by_category.setdefault((category, product.currency), []).append(
                (product_ref(product), first.row, first.values.get("price", ""), price))
        return iter(())

    @staticmethod
    def _priced(products: list[Product]) -> Iterator[tuple[int, Product, str, float]]:
        """The products with a category and a price: each with its place in `products`, its category as
        compared and its price."""
        for k, product in enumerate(products):
            category = category_key(product.get("category"))
            if category:
                price = product_price(product)
                if price is not None:
                    yield k, product, category, price

    def _keep_products(self, products: list[Product]) -> None:
        """Keep a batch's facts as `add_table` keeps them, from its products."""
        import polars as pl

        rows = [(len(self.refs) + k, price, category, product.currency, product.skus[0].row,
                 product.skus[0].values.get("price", "")) for k, product, category, price in self._priced(products)]
        self.kept.append(pl.DataFrame(rows, orient="row", schema={
            "index": pl.Int64, "median": pl.Float64, "category": pl.String, "currency": pl.String,
            "first_row": pl.Int64, "text": pl.String}))
        self.refs.extend(map(product_ref, products))

    def add_table(self, table: CatalogTable) -> Iterator[Problem]:
        """`add` over the batch's columns: plain prices ('35.27') read by polars, each distinct other price
        text and each distinct category read once in Python, the median of each product's prices taken in
        numpy over the prices sorted by product and value (as `statistics.median`: the middle value, or the
        mean of the middle two); the facts kept as columns. A catalog whose earlier batches came product by
        product goes on that way."""
        import numpy as np
        import polars as pl

        if self.by_category:
            return self.add(table.catalog.products)
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
        products = owner[starts].astype(np.int64)  # the priced products, in order
        medians = np.where(counts % 2 == 1, middle, (below + middle) / 2)
        distinct, firsts = np.unique(skus["product"].to_numpy(), return_index=True)  # each product's first SKU row
        first = firsts[np.searchsorted(distinct, products)]
        categories = table.products["category"]
        names = categories.unique()
        keys = pl.Series([category_key(c) for c in names.to_list()], dtype=pl.String)
        self.kept.append(
            pl.DataFrame({"index": products + len(self.refs), "median": medians})
            .with_columns(categories.replace_strict(names, keys).gather(products).alias("category"),
                          (currency.gather(products) if isinstance(currency, pl.Series) else currency)
                          .alias("currency"),
                          skus["row"].gather(first).cast(pl.Int64).alias("first_row"),
                          skus["price"].gather(first).alias("text"))
            .filter(pl.col("category") != ""))
        self.refs.extend(table.product_refs)
        return iter(())

    def finish(self) -> Iterator[Problem]:
        if self.kept:
            return self._judge_kept()
        return _judge(self.by_category, self.column, self.options)

    def _judge_kept(self) -> Iterator[Problem]:
        """`_judge` over the kept columns: the categories in the order first met, each one's prices (in
        order) judged in numpy with the same float operations (each log by `math.log`)."""
        import numpy as np
        import polars as pl

        facts = pl.concat(self.kept).with_columns(pl.int_range(pl.len()).alias("at"))
        self.kept = []
        medians = facts["median"].to_numpy()
        groups = (facts.group_by("category", "currency", maintain_order=True).agg("at")
                  .filter(pl.col("at").list.len() >= self.options.price_outlier_min_products))
        outliers: list[tuple[int, float, float, int, str]] = []  # (row in `facts`, price, median, count, currency)
        for currency, at in zip(groups["currency"].to_list(), groups["at"].to_list()):
            prices = medians[at]
            middle = _middle(prices)
            logs = np.array(list(map(math.log, prices.tolist())))
            log_middle = _middle(logs)
            mad = _middle(np.abs(logs - log_middle))
            for k in np.flatnonzero(prices < middle / self.options.price_outlier_ratio).tolist():
                z = 0.6745 * (float(logs[k]) - log_middle) / mad if mad > 0 else -math.inf
                if z < Z_LIMIT:
                    outliers.append((at[k], float(prices[k]), middle, len(at), currency))
        where = facts[[at for at, *_ in outliers]]  # the outliers' cells, read in one go
        for (_at, price, middle, count, currency), index, first_row, text in zip(
                outliers, where["index"].to_list(), where["first_row"].to_list(), where["text"].to_list()):
            yield _problem(price, middle, count, currency, self.refs[index], Cell("price", text, first_row, self.column))


def _middle(values) -> float:
    """`statistics.median` of a numpy array: the middle value, or the mean of the middle two."""
    import numpy as np

    ordered, n = np.sort(values), len(values)
    return float(ordered[n // 2]) if n % 2 else (float(ordered[n // 2 - 1]) + float(ordered[n // 2])) / 2


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
                yield _problem(price, middle, len(members), currency, product, Cell("price", text, price_row, column))


def _problem(price: float, middle: float, count: int, currency: str, product: ProductRef, cell: Cell) -> Problem:
    return Problem(
        _("price {price} is {times}x below the median {median} of the {count} products in its category: "
          "check for a missing digit or a per-piece price (intentional undervaluation is penalised)").format(
            price=format_number(round(price, 2)), times=f"{middle / price:.0f}",
            median=format_number(round(middle, 2)), count=count) + prices_in(currency),
        product, cell=cell)  # type: ignore[arg-type]
