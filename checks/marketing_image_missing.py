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
from aelint.facts import ColumnCollector, whole
from aelint.model import Catalog, Problem, Product

if TYPE_CHECKING:
    from aelint.table import CatalogTable

CODE = "AE308"
NAME = "marketing-image-missing"
SEVERITY = "warning"
RATIOS = {"marketing_image_square": "1:1", "marketing_image_portrait": "3:4"}  # field -> its aspect ratio


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use


class Collector(ColumnCollector):
    """Each product is judged as it passes; without the columns, one finding once a product was seen."""

    FIELDS = tuple(RATIOS)

    def judge(self, products: list[Product]) -> Iterator[Problem]:
        return _judge(products)

    def candidates(self, table: CatalogTable):
        """The products with an empty marketing-image column."""
        import polars as pl

        return pl.any_horizontal(table.text(f) == "" for f in RATIOS)

    def no_column(self) -> Problem:
        return Problem(_("the catalog has no marketing image columns (1:1 and 3:4): without marketing images "
                         "products miss AliExpress's recommendation and promotion channels"))


def check(catalog: Catalog, options: Options) -> Iterator[Problem]:
    return whole(Collector, catalog, options)


def _judge(products: list[Product]) -> Iterator[Problem]:
    for product in products:
        missing = [label for f, label in RATIOS.items() if not product.image_cells(f)]
        if missing:
            field = next(f for f, label in RATIOS.items() if label == missing[0])
            message = (_("no {ratio} marketing image: the product misses recommendation and promotion channels")
                       if len(missing) == 1 else
                       _("no 1:1 or 3:4 marketing image: the product misses recommendation and promotion channels"))
            yield Problem(message.format(ratio=missing[0]), product, cell=product.cell(field))
