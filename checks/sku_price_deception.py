"""AE504 sku-price-deception: one SKU priced far below its siblings (or far above them, on Wish), or a 0.01 lure.

What it does:
    Compares each SKU's price with the median price of the product's SKUs and reports a SKU priced more
    than `price_spread_ratio` times (5) below that median, and any SKU priced 0.01 while the median is
    higher. Where the marketplace also penalises the expensive direction (`price_spread_directions =
    "both"`: Wish), a SKU priced more than `price_spread_ratio` times above the median is reported too.
    (With two SKUs the median is their mean, so the cheaper one fires only when it is about 9x below
    the other: with two prices it is not clear which one is the odd one.) Pack sizes are taken into
    account: when attribute values name a quantity ("10pcs", "5 Pairs", "Pack of 3", "set of 2"), prices
    are compared per piece, so "1pc 0.99" next to "50pcs 39.90" is not reported. Only SKUs with a price
    valid on the marketplace in force are compared (AE505 reports the rest: on Wish, which documents no
    maximum, a price of 150000 is valid and compared); a product needs at least two of them. Prices are
    compared only with prices in the same currency: where rows name their own (Wish 2021's `Currency`
    column), a product's EUR and CNY SKUs are two groups, and a row whose currency cell is no code (AE505's)
    is compared with none.

    Which directions, and why:
    - AliExpress: below only. What FAQ 65 penalises is "deception on SKU code": AliExpress shows a
      product's lowest SKU price in search results, so a cheap SKU (an accessory, a sample, 0.01) is
      what draws buyers in under a price the product does not have. One expensive SKU (a bundle, a
      large size) advertises nothing. (FAQ 65's "intentional undervaluation/overvaluation" is about a
      product's price against its worth, which AE606 compares across the catalog.)
    - Wish: both. Wish's misleading-listing policy (inappropriate reasons 33) names "product variations
      with unjustified size and/or price increments" and "unreasonable price points", and its
      ambiguous-listing policy (reasons 28) "value variance": a variation priced 10x its siblings is
      another product in the listing, whichever way it goes. Wish's older policy 2.9 capped the top
      variation at the lowest + $20; that fixed step is not enforced here, as the current policy words
      it as unjustified increments rather than an amount (a $15 shirt next to a $40 gift set is common
      and allowed), and the ratio applies to cheap and dear listings alike.

Why is this bad:
    "Deception on SKU code" is a listed search-quality violation (seller FAQ 65): a product advertised
    at a price that only buys an accessory, a sample or nothing at all (a 0.01 "lure" SKU) ranks on a
    price it does not really have. It costs penalty points and gets the listing demoted or removed. On
    Wish, misleading listings are removed and cost up to $200 plus refunds (policy 2.10).

Example:
    Phone case SKUs at 12.90, 12.90, 13.50 and a "Screen protector" SKU at 0.99: the 0.99 fires (13x
    below). A 0.01 "Contact us" SKU fires. "1 pair 1.99" with "10 pairs 15.90" does not (1.59 per pair).
    T-shirt SKUs at 9.90, 9.90 and a "Gift Box Set" at 99.00: silent on AliExpress, fires on Wish.
    Mugs at 8.00 USD, 8.50 USD and 56.00 CNY: silent (56 CNY is not compared with dollars).

Options:
    thresholds.price_spread_ratio (float, default 5): how many times below (or above) its siblings'
    median price a SKU may be before it is reported.
    price_spread_directions ("below" or "both"): set by the marketplace profile.
    thresholds.price_max (number): the highest valid price, AE505's option (the marketplace profile's:
    100000 on AliExpress, none on Wish); a price above it is AE505's to report and is not compared.

Source: seller FAQ 65 ("deception on SKU code"); AliExpress SKU cheating rules; Wish merchant policy,
inappropriate reasons 33 (misleading listing) and 28 (value variance); merchant FAQ 360000164134 (price
variance, older policy 2.9).
"""

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from aelint.i18n import _
from aelint.model import Problem, Product, Sku
from aelint.numbers import format_number

from ._variants import PRICE_MAX, attributes, plain_price, price_reading, variants

CODE = "AE504"
NAME = "sku-price-deception"
SEVERITY = "error"
LURE_PRICE = 0.01

QUANTITY_RES = (
    re.compile(r"(?<![\d.,])(\d{1,4})\s*(?:pcs|pc|pieces?|pairs?|packs?|sets?|rolls?|sheets?|bags?|boxes|"
               r"bottles?|units?|lots?|count|ct)\b"),
    re.compile(r"\b(?:pack|set|box|lot|bundle|bag) of (\d{1,4})\b"),
    re.compile(r"(\d{1,4})\s*(?:个|件|只|双|套|包|片)"),
)


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use
    price_spread_ratio: float = Field(5.0, gt=1)
    price_spread_directions: Literal["below", "both"] = "below"
    price_max: float = Field(PRICE_MAX, gt=0)


def quantity(sku: Sku) -> int:
    """How many pieces the SKU sells, from its attribute values ('10pcs', 'Pack of 3'); 1 if none named."""
    return pieces_in(attributes(sku))


def pieces_in(attrs: dict[str, tuple[str, str]]) -> int:
    for _, value in attrs.values():
        pieces = pieces_named(value)
        if pieces > 1:
            return pieces
    return 1


@lru_cache(maxsize=1 << 14)
def pieces_named(value: str) -> int:
    """The quantity one attribute value names ('10pcs' -> 10), 1 if none; cached: values repeat."""
    if not any(ch.isdigit() for ch in value):
        return 1
    folded = value.casefold()
    for pattern in QUANTITY_RES:
        match = pattern.search(folded)
        if match and int(match[1]) > 0:
            return int(match[1])
    return 1


def median(ordered: list[float]) -> float:
    """The median of a sorted, non-empty list."""
    n = len(ordered)
    return ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    skus = product.skus
    if len(skus) < 2:
        return
    rows = variants(product).rows
    by_currency: dict[str, list[tuple[Sku, float, float, int]]] = {}  # sku, price, unit price, pieces
    for sku, attrs in zip(skus, rows):
        reading = price_reading(sku.values.get("price", ""), maximum=options.price_max)
        currency = sku.currency
        if not reading.problem and currency is not None:  # a currency cell that is no code is AE505's
            pieces = pieces_in(attrs) if attrs else 1
            by_currency.setdefault(currency, []).append((sku, reading.value, reading.value / pieces, pieces))
    for priced in by_currency.values():
        if len(priced) >= 2:
            yield from _spread(product, priced, options)


def _spread(product: Product, priced: list[tuple[Sku, float, float, int]], options: Options) -> Iterator[Problem]:
    """The SKUs of one product, priced in one currency, that are too far from their median."""
    units = sorted(unit for _, _, unit, _ in priced)
    typical = median(units)
    ratio = options.price_spread_ratio
    above = options.price_spread_directions == "both"
    if units[0] * ratio >= typical and units[0] > LURE_PRICE and not (above and units[-1] > typical * ratio):
        return  # the common case: the cheapest (and dearest) SKU is near the median, and none is a lure
    for sku, price, unit, pieces in priced:
        if abs(price - LURE_PRICE) < 1e-9 and typical > LURE_PRICE:
            others = median(sorted(u for other, _, u, _ in priced if other is not sku))
            yield Problem(_("price 0.01 is a lure price: the product's other SKUs cost {median} (median)").format(
                          median=format_number(round(others, 2))) + sku.currency_note, product, sku=sku,
                          cell=sku.cell("price"))
        elif unit * ratio < typical:
            each = _(" ({unit} per piece for {pieces})").format(
                unit=format_number(round(unit, 2)), pieces=pieces) if pieces > 1 else ""
            yield Problem(_("price {price}{per_piece} is {times} times below the median of the product's SKUs, "
                            "{median} (more than {ratio}x)").format(
                              price=format_number(price), per_piece=each, times=f"{typical / unit:.1f}",
                              median=format_number(round(typical, 2)), ratio=f"{ratio:g}")
                          + sku.currency_note,
                          product, sku=sku, cell=sku.cell("price"))
        elif above and unit > typical * ratio:
            each = _(" ({unit} per piece for {pieces})").format(
                unit=format_number(round(unit, 2)), pieces=pieces) if pieces > 1 else ""
            yield Problem(_("price {price}{per_piece} is {times} times above the median of the product's SKUs, "
                            "{median} (more than {ratio}x): a variation priced that far from its siblings is another "
                            "product").format(price=format_number(price), per_piece=each, times=f"{unit / typical:.1f}",
                                              median=format_number(round(typical, 2)), ratio=f"{ratio:g}")
                          + sku.currency_note, product, sku=sku, cell=sku.cell("price"))


def prefilter(table, options: Options):
    """Only a product whose SKU prices are spread can be reported. Where every price is plain (or empty,
    which AE505 or AE602 reports) and no attribute value names a quantity, unit prices are the prices, and
    the product is settled when its cheapest SKU is within `price_spread_ratio` of its dearest (taken with a
    small margin: polars and Python may round differently): the median lies between them, so neither is that
    far from it (the median itself, a group-by twice as slow, is left to `check_product`); any other product
    is a candidate. Where rows name their currency, the SKUs of each currency are judged apart, as
    `check_product` does."""
    import polars as pl

    price_text = table.sku_text("price")
    price = plain_price(price_text)
    unsure = (price_text != "") & price.is_null()
    for field in table.attribute_fields:
        unsure = unsure | table.mapped(field, lambda value: pieces_named(value.strip()) > 1, pl.Boolean)
    ratio, margin = options.price_spread_ratio, 1 + 1e-9
    # below the median: low * ratio < mid <= high; above it (Wish): high > mid * ratio >= low * ratio
    spread = (pl.col("low") * ratio < pl.col("high") * margin) | (pl.col("low") <= LURE_PRICE)
    groups = ["product"]
    skus = table.skus.lazy().select("product", price.alias("price"))
    if "currency" in table.sku_fields:
        skus = skus.with_columns(table.sku_currencies.alias("in_currency"))
        groups.append("in_currency")
    priced = (skus.drop_nulls("price").group_by(groups)
              .agg(count=pl.len(), low=pl.col("price").min(), high=pl.col("price").max())
              .filter((pl.col("count") >= 2) & spread).collect()["product"].unique())
    return table.products_with(unsure) | pl.col("index").is_in(priced.implode())
