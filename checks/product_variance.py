"""AE513 product-variance: the variations are different products (cases for several phone models in one listing).

What it does:
    Reads the device models named in each SKU's attribute values (colour, size and other variant
    attributes): iPhone, iPad, Samsung Galaxy, Huawei, Honor, Xiaomi/Redmi/Poco, Google Pixel, OnePlus,
    Oppo, Vivo, Realme, Motorola/Moto and Nokia followed by a model number ("iPhone 12 Pro Max", "Galaxy
    S21", "Redmi Note 10"). When the SKUs of one product are for two or more different sets of models,
    the product is reported once, naming the models. A SKU that fits several models ("iPhone 12/12
    Pro") counts as one set; a listing whose every SKU is for the same model (in several colours) is one
    product. Device models named only in the title are not variations and are not looked at.

    Only device models are recognised: they are Wish's own example, and a model number is something
    a program can read with few false alarms. Other kinds of "different products as variations" are
    not detected.

Why is this bad:
    Wish's ambiguous-listing policy prohibits "product variance": variations must be one product in
    different sizes or colours, and Wish's example is phone cases for different models listed together
    (merchant FAQ 360000164134; inappropriate reasons 28). Such listings are removed, and a merchant who
    repeats it risks suspension. (AliExpress allows a "Compatible model" SKU attribute, so the rule is
    Wish's only.)

Example:
    A "Shockproof Phone Case" with SKUs "iPhone 12", "iPhone 13" and "Galaxy S21" fires. A case with
    SKUs "Black" and "Blue" for "iPhone 12/12 Pro" does not; nor does a "Galaxy Print" colour.

Options:
    none.

Source: Wish merchant FAQ 360000164134 (product variance); Wish merchant policy, inappropriate reasons 28
(ambiguous listing: product variance); layouts.md "Wish listing rules".
"""

import re
from collections.abc import Iterator
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from aelint.i18n import _
from aelint.model import Problem, Product

CODE = "AE513"
NAME = "product-variance"
SEVERITY = "warning"

BRANDS = {
    "iphone": "iPhone", "ipad": "iPad", "galaxy": "Galaxy", "samsung": "Galaxy", "huawei": "Huawei",
    "honor": "Honor", "xiaomi": "Xiaomi", "redmi": "Redmi", "poco": "Poco", "pixel": "Pixel",
    "oneplus": "OnePlus", "oppo": "Oppo", "vivo": "Vivo", "realme": "Realme", "motorola": "Moto",
    "moto": "Moto", "nokia": "Nokia",
}
SUFFIX = r"(?:\s*(?:pro\s*max|pro\+|pro|plus|max|mini|ultra|lite|fe|\+))*"
MODEL_RE = re.compile(
    r"(?<![a-z0-9])(?P<brand>" + "|".join(BRANDS) + r")\s*"
    r"(?P<model>(?:(?:note|mate|nova|air|pro|mini|tab|mi)\s?)?(?:[a-z]{0,2}\d{1,4}(?:\.\d)?[a-z]?|x[rs]?|se)" + SUFFIX + r")"
    r"(?![a-z0-9])")


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use


@lru_cache(maxsize=1 << 14)
def models_named(value: str) -> frozenset[str]:
    """The device models an attribute value names, as display names ('iPhone 12 Pro'); cached: values repeat."""
    if not any(ch.isdigit() for ch in value) and "iphone" not in value.lower():
        return frozenset()
    found = set()
    for match in MODEL_RE.finditer(value.lower()):
        words = match["model"].replace("+", " plus").split()
        model = " ".join(w.upper() if len(w) <= 2 and not w.isdigit() else w.capitalize() for w in words)
        found.add(f"{BRANDS[match['brand']]} {model}")
    return frozenset(found)


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    if len(product.skus) < 2:
        return
    sets: dict[frozenset[str], None] = {}
    first_cell = None
    for sku in product.skus:
        named: frozenset[str] = frozenset()
        for field, value in sku.attributes.items():
            found = models_named(value)
            if found:
                named |= found
                first_cell = first_cell or sku.cell(field)
        if named:
            sets[named] = None
    if len(sets) < 2:
        return
    models = sorted({m for s in sets for m in s})
    shown = ", ".join(models[:6]) + (", ..." if len(models) > 6 else "")
    yield Problem(_("the variations are for {count} different device models ({models}): Wish counts them as "
                    "different products; list each model separately").format(count=len(models), models=shown),
                  product, cell=first_cell)


def prefilter(table, options: Options):
    """Only a product whose attribute values name device models in at least two different values can have
    SKUs for different models (`models_named` judges each distinct value once)."""
    import polars as pl

    naming = [table.skus.lazy().filter(table.mapped(f, lambda value: bool(models_named(value)), pl.Boolean))
              .select("product", pl.col(f).alias("value")) for f in table.attribute_fields]
    if not naming:
        return pl.lit(False)
    several = (pl.concat(naming).group_by("product").agg(pl.col("value").n_unique())
               .filter(pl.col("value") >= 2).collect()["product"])
    return pl.col("index").is_in(several.implode())
