"""AE406 eu-responsible-person: the catalog sells in the EU and no EU responsible person is configured.

What it does:
    Runs only when `markets` includes the EU ("EU" or an EU member state code such as "FR", "DE"). When the
    `eu_responsible_person` setting is missing or blank, reports it once per catalog (at its first product),
    since the responsible person is a property of the seller, not of one listing.

Why is this bad:
    Since 13 December 2024 the EU General Product Safety Regulation (EU) 2023/988 requires every consumer
    product sold in the EU to have an economic operator established in the EU (manufacturer, importer,
    authorised representative or fulfilment service provider), named with postal and electronic contact on
    the product and in the online listing. AliExpress asks for it per product; listings without one are
    blocked for EU buyers.

Example:
    markets = ["FR"] with no eu_responsible_person fires once. eu_responsible_person = "Acme EU GmbH,
    Hauptstr. 1, 10115 Berlin, eu@acme.example" silences it; markets = ["US"] never fires.

Options:
    markets (list of market codes, default []): the rule is off without an EU market.
    eu_responsible_person (text, default none): the EU responsible person's name and contact.

Source: Regulation (EU) 2023/988 (GPSR), articles 16 and 19, applicable from 13 December 2024.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict

from aelint.checks._compliance import eu_markets
from aelint.i18n import _
from aelint.facts import whole
from aelint.model import Catalog, Problem, Product

CODE = "AE406"
NAME = "eu-responsible-person"
SEVERITY = "warning"


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use
    markets: list[str] = []
    eu_responsible_person: str | None = None


class Collector:
    """One finding on the first product, when the settings lack the person."""

    def __init__(self, catalog: Catalog, options: Options):
        self.options = options
        self.seen = False

    def add(self, products: list[Product]) -> Iterator[Problem]:
        if products and not self.seen:
            self.seen = True
            yield from _judge(products[0], self.options)

    def add_table(self, table) -> Iterator[Problem]:
        """`add`, reading no product but the catalog's first (`table.product(0)` of its first batch)."""
        return self.add([table.product(0)] if not self.seen and table.products.height else [])

    def finish(self) -> Iterator[Problem]:
        return iter(())


def check(catalog: Catalog, options: Options) -> Iterator[Problem]:
    return whole(Collector, catalog, options)


def _judge(first: Product, options: Options) -> Iterator[Problem]:
    markets = eu_markets(options.markets)
    if not markets or (options.eu_responsible_person or "").strip():
        return
    yield Problem(_("selling in the EU ({markets}) but no EU responsible person is configured: products sold in the "
                    "EU need an EU-based economic operator with contact details since 13 Dec 2024 (GPSR); set "
                    "eu_responsible_person in aelint.toml").format(markets=", ".join(markets)), first)
