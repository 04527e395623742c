"""AE301 main-image-missing: a product has no main image.

What it does:
    Reports each product whose main-image cells (one cell separated by `;`, `|`, `,` or new lines, or
    columns image_1..image_N) are all empty. When the catalog has no main-image column at all, it says
    so once for the file instead of once per product.

Why is this bad:
    A listing without a main image cannot be published: the main images are what buyers see in search
    results and on the product page (seller FAQ 23 and 29 count the number of images among the
    factors of a product sheet's quality; FAQ 36 lists images among what a listing needs).

Example:
    A product row with a title, price and stock but an empty "Image" cell fires. A follow-on SKU row
    with an empty image cell does not: it inherits its product's images.

Options:
    none.

Source: seller FAQ 23, 29, 36; AliExpress product API `main_image_urls_list`.
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

CODE = "AE301"
NAME = "main-image-missing"
SEVERITY = "error"


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use


class Collector(ColumnCollector):
    """Each product is judged as it passes; without the column, one finding once a product was seen."""

    FIELDS = ("main_images",)

    def judge(self, products: list[Product]) -> Iterator[Problem]:
        for product in products:
            if not product.image_cells("main_images"):
                yield Problem(_("the product has no main image"), product, cell=product.cell("main_images"))

    def candidates(self, table: CatalogTable):
        """The products with an empty main-images column (the reader fills it for every product with image
        cells)."""
        return table.text("main_images") == ""

    def no_column(self) -> Problem:
        return Problem(_("the catalog has no main image column: every product needs at least one main image "
                         "(map a header with [columns] in aelint.toml if it has another name)"))


def check(catalog: Catalog, options: Options) -> Iterator[Problem]:
    return whole(Collector, catalog, options)
