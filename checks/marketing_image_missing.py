"""AE308 marketing-image-missing: a product has no 1:1 or no 3:4 marketing image.

What it does:
    Reports products without a square (1:1) marketing image or without a portrait (3:4) one. When the
    catalog has neither marketing-image column, it says so once for the file instead of once per
    product (AliExpress's Excel upload does not take them yet: they are added in the seller centre).

Why is this bad:
    Marketing images are what AliExpress shows in recommendations, promotions and its dedicated traffic
    channels; seller FAQ 29: "Giving up marketing images means that you give up these visibility
    channels", and the six main images do not stand in for them.

Example:
    A product with a `marketing_image_square` but an empty `marketing_image_portrait` fires for the
    3:4 image.

Options:
    none.

Source: seller FAQ 29 ("What are marketing images and why use them?").
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from aelint.i18n import _
from aelint.facts import whole
from aelint.model import Catalog, Problem, Product

if TYPE_CHECKING:
    from aelint.table import CatalogTable

CODE = "AE308"
NAME = "marketing-image-missing"
SEVERITY = "warning"
FIELDS = {"marketing_image_square": "1:1", "marketing_image_portrait": "3:4"}


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Collector:
    """Each product is judged as it passes; without the columns, one finding once a product was seen."""

    def __init__(self, catalog: Catalog, options: Options):
        self.present = [f for f in FIELDS if f in catalog.columns]
        self.any_product = False

    def add(self, products: list[Product]) -> Iterator[Problem]:
        self.any_product = self.any_product or bool(products)
        if self.present:
            yield from _judge(products)

    def add_table(self, table: CatalogTable) -> Iterator[Problem]:
        """`add` over the batch's columns: only the products with an empty marketing-image column are judged."""
        import polars as pl

        self.any_product = self.any_product or bool(len(table.products))
        if not self.present:
            return iter(())
        blank = table.products.filter(pl.any_horizontal(table.text(f) == "" for f in FIELDS))["index"]
        return _judge([table.product(i) for i in blank.to_list()])

    def finish(self) -> Iterator[Problem]:
        if not self.present and self.any_product:
            yield Problem(_("the catalog has no marketing image columns (1:1 and 3:4): without marketing images "
                            "products miss AliExpress's recommendation and promotion channels"))


def check(catalog: Catalog, options: Options) -> Iterator[Problem]:
    return whole(Collector, catalog, options)


def _judge(products: list[Product]) -> Iterator[Problem]:
    for product in products:
        missing = [label for f, label in FIELDS.items() if not product.image_cells(f)]
        if missing:
            field = next(f for f, label in FIELDS.items() if label == missing[0])
            message = (_("no {ratio} marketing image: the product misses recommendation and promotion channels")
                       if len(missing) == 1 else
                       _("no 1:1 or 3:4 marketing image: the product misses recommendation and promotion channels"))
            yield Problem(message.format(ratio=missing[0]), product, cell=product.cell(field))
