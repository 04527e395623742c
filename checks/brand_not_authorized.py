"""AE402 brand-not-authorized: the brand field names a brand the store is not authorised for.

What it does:
    Compares each product's brand with the `authorized_brands` setting, ignoring case, accents, spaces and
    punctuation ("L'Oréal" = "loreal", "No-Brand" = "NoBrand"). A blank brand, "NoBrand", "No Brand",
    "None", "Generic" and "Unbranded" mean the product has no brand and never fire. Only the brand field
    is read: a brand named in the title is AE109's business.

Why is this bad:
    Seller FAQ 14: brands are registered under "Account" > "My Brands" (with a trademark authorisation or a
    recent invoice) before products are uploaded, and the product API asks sellers without permission to
    leave the brand blank. FAQ 65 counts unauthorised brand use as an intellectual-property violation.

Example:
    Brand "Solimo" with authorized_brands = [] fires; with authorized_brands = ["SOLIMO"] it does not.
    Brand "Generic" never fires.

Options:
    authorized_brands (list of names, default []): brands registered under My Brands.

Source: seller FAQ 14, FAQ 65; AliExpress product API (brand left blank without permission).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from aelint.i18n import _
from aelint.model import Problem, Product
from aelint.text import fold

CODE = "AE402"
NAME = "brand-not-authorized"
SEVERITY = "error"

NO_BRAND = frozenset({"", "nobrand", "none", "generic", "unbranded"})
_NOT_WORD_RE = re.compile(r"[\W_]+")


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use
    authorized_brands: list[str] = []


@lru_cache(maxsize=65_536)
def brand_key(value: str) -> str:
    """'No-Brand' -> 'nobrand', "L'Oréal" -> 'loreal' (letters of any script are kept)."""
    return _NOT_WORD_RE.sub("", fold(value))


@lru_cache(maxsize=64)
def _authorized(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(brand_key(n) for n in names)


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    brand = product.get("brand").strip()
    key = brand_key(brand)
    if key in NO_BRAND or key in _authorized(tuple(options.authorized_brands)):
        return
    yield Problem(_message(brand), product, cell=product.cell("brand"))


def _message(brand: str) -> str:
    return _('brand "{brand}" is not in authorized_brands: register it under Account > My Brands (FAQ 14) '
             "and list it in authorized_brands, or leave the brand blank").format(brand=brand)


def check_table(table, options: Options) -> list[Problem]:
    """`check_product` over the brand column: each distinct brand judged once, the problems made in bulk
    (`CatalogTable.problems`: a catalog of one unregistered brand fires on every product)."""
    import polars as pl

    brands = table.products.select("index", table.text("brand").alias("brand"))
    authorized = _authorized(tuple(options.authorized_brands))
    messages = {}
    for value in brands["brand"].unique(maintain_order=True).to_list():
        brand = value.strip()
        if brand_key(brand) not in NO_BRAND and brand_key(brand) not in authorized:
            messages[value] = _message(brand)
    firing = brands.filter(pl.col("brand").is_in(pl.Series(list(messages), dtype=pl.String).implode()))
    return table.problems("brand", firing["index"].to_list(), map(messages.__getitem__, firing["brand"].to_list()))
