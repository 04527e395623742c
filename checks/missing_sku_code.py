"""AE502 missing-sku-code: a SKU row has no SKU code.

What it does:
    Reports each SKU row whose SKU code cell is empty. When the catalog has no SKU code column at all,
    it says so once for the file instead of once per row. Shopify's extra image rows (a product's
    further pictures on rows of their own) are not SKUs and are not reported.

Why is this bad:
    Seller FAQ 27 asks for a price, a stock and a product code for each variant. Without a code, orders
    and stock updates cannot be matched to the seller's own inventory, and later edits by code (bulk
    price or stock uploads) miss the variant.

Example:
    A row "Ceramic Mug, White, 350ml, 9.90, 20" with an empty "SKU" cell fires.
    A Shopify row that carries only an "Image Src" for the product above does not.

Options:
    none.

Source: seller FAQ 27 ("indicate the price, stock and product code").
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

CODE = "AE502"
NAME = "missing-sku-code"
SEVERITY = "warning"


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use


class Collector(ColumnCollector):
    """Each SKU is judged as it passes; without the column, one finding once a product was seen."""

    FIELDS = ("sku_code",)

    def judge(self, products: list[Product]) -> Iterator[Problem]:
        for product in products:
            for sku in product.skus:
                code = sku.values.get("sku_code")
                if not code or not code.strip():
                    yield Problem(_("SKU code is empty"), product, sku=sku, cell=sku.cell("sku_code"))

    def candidates(self, table: CatalogTable):
        """The products with a SKU row whose code is empty or spaces only."""
        from aelint.table import PYTHON_SPACE

        return table.products_with(table.sku_text("sku_code").str.contains(f"^[{PYTHON_SPACE}]*$"))

    def no_column(self) -> Problem:
        return Problem(_("the catalog has no SKU code column: give each SKU a code (map a header with [columns] "
                         "in aelint.toml if it has another name)"))


def check(catalog: Catalog, options: Options) -> Iterator[Problem]:
    return whole(Collector, catalog, options)
