"""AE505 invalid-price: a SKU price AliExpress does not accept, or one that can be read two ways.

What it does:
    Reads each SKU's price the way the seller means it: numbers stored as text, decimal commas
    ("12,50"), currency symbols and codes ("$14.06", "12,50 EUR") and thousands separators
    ("1.250,00 €", "1,250.00") are fine. It reports a price that is not a number, below 0.01,
    above 100000 or with more than 2 decimals, and a price that could mean two things: "1,250" and
    "1.250" are 1250 with a thousands separator or 1.25 with a decimal mark; "9.999" is 9999, or 9.999
    with a third decimal typed by mistake. ("0,250", "1234,567" and "1,250.00" are not ambiguous.)
    A discount price, when given, is held to the same rules and must be below the price.
    An empty price is AE602's to report (missing-required-field), whether or not AE602 is selected: one
    rule per problem, so what a rule reports never depends on which other rules run.
    When the price header names its currency ("Price, CNY*"), or the row does (Wish 2021's `Currency`
    column), the limits are judged in that currency and the message names it. A currency cell that is no
    three-letter code ("Euro", "€", "US$") is reported too: nothing can tell what the row's prices are in.
    A blank currency cell means the product's (its first row that names one), else the header's.

Why is this bad:
    AliExpress's product API takes prices from 0.01 to 100000 with at most two decimals; anything else
    fails the upload. An ambiguous price may be imported as 1000 times what the seller meant (or a
    thousandth of it), and a "discount" that is not below the price is refused as a promotion.

Example:
    "abc", "0", "-5", "150000", "0.999", "9.999", "1,250" fire; a discount price of 25 on a price of 20 fires.
    "9.90", "9,90", "$9.90", "1.250,00 €", " 12 " do not. A currency cell "Euro" fires; "EUR", "eur", "RMB"
    do not.

Options:
    thresholds.price_max (number, default 100000; the Wish profile sets none, `inf`: Wish documents no
    maximum): the highest price. Messages name the marketplace whose rules apply.

Source: AliExpress product API price (0.01-100000); Wish 2021 product CSV `Currency` column (layouts.md).
"""

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field

from aelint.i18n import _
from aelint.model import Problem, Product
from aelint.numbers import currency_code, format_number

from ._variants import PRICE_MAX, plain_price, price_reading

CODE = "AE505"
NAME = "invalid-price"
SEVERITY = "error"


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use
    price_max: float = Field(PRICE_MAX, gt=0)
    marketplace_name: str = "AliExpress"


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    for sku in product.skus:
        values = sku.values
        if "currency" in values and currency_code(values["currency"]) is None:
            yield Problem(_("currency {value} is not a currency code: write the three-letter ISO 4217 code of the "
                            "row's prices, such as USD, EUR or CNY").format(value=repr(values["currency"].strip())),
                          product, sku=sku, cell=sku.cell("currency"))
        price = None
        if values.get("price"):  # an empty price is AE602's
            reading = price_reading(values["price"], options.marketplace_name, options.price_max)
            if reading.problem:
                yield Problem(_("price {problem}").format(problem=reading.message()) + sku.currency_note,
                              product, sku=sku, cell=sku.cell("price"))
            else:
                price = reading.value
        discount_text = values.get("discount_price")
        if discount_text is None:
            continue
        discount = price_reading(discount_text, options.marketplace_name, options.price_max)
        if discount.problem:
            yield Problem(_("discount price {problem}").format(problem=discount.message()) + sku.currency_note,
                          product, sku=sku, cell=sku.cell("discount_price"))
        elif price is not None and discount.value >= price:
            yield Problem(_("discount price {discount} is not below the price {price}").format(
                          discount=format_number(discount.value), price=format_number(price))
                          + sku.currency_note, product, sku=sku, cell=sku.cell("discount_price"))


def prefilter(table, options: Options):
    """Only a SKU row whose price or discount price is not a plain valid price, or whose discount is not
    below its plain price, or whose currency cell is no code, can be reported (or one with an empty value of
    its own: a discount price "")."""
    import polars as pl

    price_text, discount_text = table.sku_text("price"), table.sku_text("discount_price")
    price, discount = plain_price(price_text), plain_price(discount_text)
    suspicious = ((price_text != "") & price.is_null()) | (
        (discount_text != "") & (discount.is_null() | (discount >= price).fill_null(False)))
    if "currency" in table.sku_fields:
        suspicious = suspicious | ((table.sku_text("currency") != "")
                                   & table.mapped("currency", lambda text: currency_code(text) is None, pl.Boolean))
    return table.products_with(suspicious) | table.with_empty_values()
