"""AE512 msrp-below-price: a SKU's MSRP (the "was" price) is below its price.

What it does:
    Reads each SKU's MSRP and price (the same way AE505 reads prices, with the marketplace's limits: Wish
    documents no highest price, so a price of 150000 is read and compared) and reports an MSRP below the
    price, or an MSRP that is not a number. An MSRP equal to the price claims no saving and is left
    alone; an empty MSRP is allowed (the field is optional).

Why is this bad:
    Wish shows the MSRP struck through next to the price as the saving a buyer makes. Policy 2.13 asks
    for a real former price above the price: an MSRP below it is a data error the buyer sees as
    nonsense (a "saving" that costs more), and invented MSRPs are penalised as misleading.

Example:
    Price 10.00 with MSRP 8.00 fires; MSRP "ten" fires. Price 10.00 with MSRP 19.99, or with no MSRP,
    does not.

Options:
    thresholds.price_max (number): the highest valid price, AE505's option (set by the marketplace
    profile); a price above it is AE505's to report, and its MSRP is not compared.

Source: Wish merchant FAQ 360007954854 (policy 2.13: MSRP a real former price, above the price);
layouts.md "Wish listing rules".
"""

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field

from aelint.i18n import _
from aelint.model import Problem, Product
from aelint.numbers import format_number, parse_amount, plain_number

from ._variants import PRICE_MAX, plain_price, price_reading

CODE = "AE512"
NAME = "msrp-below-price"
SEVERITY = "error"


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use
    price_max: float = Field(PRICE_MAX, gt=0)


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    for sku in product.skus:
        text = sku.get("msrp").strip()
        if not text:
            continue
        parsed = parse_amount(text)
        msrp = parsed.value
        if msrp is None:
            yield Problem(_("MSRP {value} is not a number").format(value=repr(text)), product, sku=sku,
                          cell=sku.cell("msrp"))
            continue
        price = price_reading(sku.values.get("price", ""), maximum=options.price_max)
        if price.problem or price.value is None:
            continue  # AE505 reports the price
        if parsed.ambiguous and parsed.alternative is not None:
            msrp = max(msrp, parsed.alternative)  # "1,250": below the price only if both readings are
        if msrp < price.value:
            yield Problem(_("MSRP {msrp} is below the price {price}: the MSRP is the former price shown struck "
                            "through, so it must be above the price").format(
                              msrp=format_number(msrp), price=format_number(price.value)),
                          product, sku=sku, cell=sku.cell("msrp"))


def prefilter(table, options: Options):
    """A plain MSRP at or above a plain price (or with no price: AE505's) is fine; only other MSRPs can be
    reported."""
    msrp_text, price_text = table.sku_text("msrp"), table.sku_text("price")
    msrp = plain_number(msrp_text, decimals=2)
    settled = msrp.is_not_null() & ((price_text == "") | (msrp >= plain_price(price_text)).fill_null(False))
    return table.products_with((msrp_text != "") & ~settled)
