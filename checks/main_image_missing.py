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
from aelint.facts import whole
from aelint.model import Catalog, Problem, Product

if TYPE_CHECKING:
    from aelint.table import CatalogTable

CODE = "AE301"
NAME = "main-image-missing"
SEVERITY = "error"


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Collector:
    """Each product is judged as it passes; without the column, one finding once a product was seen."""

    def __init__(self, catalog: Catalog, options: Options):
        self.has_column = "main_images" in catalog.columns
        self.any_product = False

    def add(self, products: list[Product]) -> Iterator[Problem]:
        self.any_product = self.any_product or bool(products)
        if not self.has_column:
            return
        for product in products:
            if not product.image_cells("main_images"):
                yield Problem(_("the product has no main image"), product, cell=product.cell("main_images"))

    def add_table(self, table: CatalogTable) -> Iterator[Problem]:
        """`add` over the batch's columns: only the products with an empty main-images column (which the
        reader fills with every product that has image cells) are looked at."""
        self.any_product = self.any_product or bool(len(table.products))
        if not self.has_column:
            return iter(())
        blank = table.products.filter(table.text("main_images") == "")["index"]
        return self.add([table.product(i) for i in blank.to_list()]) if len(blank) else iter(())

    def finish(self) -> Iterator[Problem]:
        if not self.has_column and self.any_product:
            yield Problem(_("the catalog has no main image column: every product needs at least one main image "
                            "(map a header with [columns] in aelint.toml if it has another name)"))


def check(catalog: Catalog, options: Options) -> Iterator[Problem]:
    return whole(Collector, catalog, options)
