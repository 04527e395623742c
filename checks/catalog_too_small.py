"""AE607 catalog-too-small: the catalog has fewer products than a new store must publish.

What it does:
    Counts the products (not SKU rows) of each catalog file and reports, once for the file, a catalog with
    fewer than `catalog_min_products` products (10 by default).

Why is this bad:
    A new AliExpress store opens only after it has published 10 products; a store that uploads fewer
    stays closed. Established stores that upload a small batch can ignore this (it is info).

Example:
    A catalog of 4 products (12 SKU rows) fires; one of 10 products does not.

Options:
    thresholds.catalog_min_products (int, default 10): the fewest products a catalog should have.

Source: `004_349a7a66c04bb72c.txt` (AliExpress store registration: "we have to release 10 products for the
store to be officially opened").
"""

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field

from aelint.i18n import ngettext
from aelint.facts import whole
from aelint.model import Catalog, Problem, Product

CODE = "AE607"
NAME = "catalog-too-small"
SEVERITY = "info"


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use
    catalog_min_products: int = Field(10, ge=1)


class Collector:
    """Counts the products."""

    def __init__(self, catalog: Catalog, options: Options):
        self.options = options
        self.count = 0

    def add(self, products: list[Product]) -> Iterator[Problem]:
        self.count += len(products)
        return iter(())

    def add_table(self, table) -> Iterator[Problem]:
        """`add`, counting the rows of `table.products`."""
        self.count += table.products.height
        return iter(())

    def finish(self) -> Iterator[Problem]:
        return _judge(self.count, self.options)


def check(catalog: Catalog, options: Options) -> Iterator[Problem]:
    return whole(Collector, catalog, options)


def _judge(count: int, options: Options) -> Iterator[Problem]:
    if count < options.catalog_min_products:
        yield Problem(ngettext("the catalog has {count} product: a new store opens only after {least} products are "
                               "published",
                               "the catalog has {count} products: a new store opens only after {least} products are "
                               "published", count).format(count=count, least=options.catalog_min_products))
