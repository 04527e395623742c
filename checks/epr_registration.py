"""AE405 epr-registration: sold in France, in an EPR stream, and no EPR number for that stream.

What it does:
    Runs only when `markets` includes France ("FR") or the whole EU ("EU", which includes France; a market
    list of other EU countries only, such as ["DE"], leaves it off). Then:
    - packaging: every shipped product has packaging and shipping cartons, so when the `[epr]` table has
      no `packaging` number the rule says so once for the catalog (at its first product);
    - the other six streams of seller FAQ 11 (eee, batteries, furniture, tyres, printed_paper, textiles) are
      recognised per product from the title and category (words from `epr_streams.toml`, accessories
      excluded: a "Phone Case" is not EEE, a "Chair Cover" not furniture), and a product is reported once
      per stream that has no number in `[epr]`.

Why is this bad:
    Seller FAQ 11: since 1 January 2022 a seller placing such products on the French market must be
    affiliated to an eco-organisation (or run an individual system) and AliExpress collects and validates
    the REP/EPR registration number for each stream; listings without it cannot be sold in France.

Example:
    With markets = ["FR"] and [epr] packaging = "FR123456_01ABCD", "Women Summer Dress Floral" fires for
    textiles; adding textiles = "FR654321_05EFGH" silences it.

Options:
    markets (list of market codes, default []): the rule is off unless France or the EU is listed.
    epr (table stream -> registration number, default {}): e.g. `[epr]` `packaging = "FR123..."`,
    `eee = "FR..."`. Stream names: packaging, eee, batteries, furniture, tyres, printed_paper, textiles; also
    accepted: emballages, deee, electronics, battery, piles, ameublement, tires, pneumatiques, paper,
    papiers, textile, tlc, shoes. Any other name is a configuration error; a blank number counts as none.
    lists.epr_streams: extra term files in the format of `epr_streams.toml` (category = stream name).

Source: seller FAQ 11 (Extended Producer Responsibility, the 7 streams); French Environmental Code (REP).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, field_validator

from aelint.checks._compliance import (finder_candidates, finder_for, TermFinder, first_in_product,
                                      sells_in_france)
from aelint.i18n import _, N_
from aelint.facts import whole
from aelint.model import Catalog, Problem, Product
from aelint.ruledata import RuleDataError, load_terms

CODE = "AE405"
NAME = "epr-registration"
SEVERITY = "warning"
LIST_NAME = "epr_streams"

STREAMS = {
    "packaging": "packaging",
    "eee": N_("electrical and electronic equipment (EEE)"),
    "batteries": N_("batteries and accumulators"),
    "furniture": "furniture",
    "tyres": "tyres",
    "printed_paper": N_("printed paper"),
    "textiles": N_("textiles, household linen and shoes"),
}
ALIASES = {
    "emballage": "packaging", "emballages": "packaging", "packaging": "packaging",
    "eee": "eee", "deee": "eee", "weee": "eee", "electronics": "eee", "electrical": "eee",
    "batteries": "batteries", "battery": "batteries", "piles": "batteries",
    "furniture": "furniture", "ameublement": "furniture", "dea": "furniture",
    "tyres": "tyres", "tires": "tyres", "tyre": "tyres", "tire": "tyres", "pneumatiques": "tyres",
    "printed_paper": "printed_paper", "paper": "printed_paper", "papers": "printed_paper",
    "papiers": "printed_paper",
    "textiles": "textiles", "textile": "textiles", "tlc": "textiles", "shoes": "textiles",
}


def stream_name(key: str) -> str | None:
    return ALIASES.get(key.strip().lower().replace("-", "_").replace(" ", "_"))


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use
    markets: list[str] = []
    epr: dict[str, str] = {}
    extra_lists: list[str] = []

    @field_validator("epr")
    @classmethod
    def _known_streams(cls, value: dict[str, str]) -> dict[str, str]:
        numbers: dict[str, str] = {}
        for key, number in value.items():
            stream = stream_name(key)
            if stream is None:
                raise ValueError(_("unknown EPR stream {stream} (known: {known})").format(
                    stream=repr(key), known=", ".join(STREAMS)))
            if number.strip():
                numbers[stream] = number.strip()
        return numbers


@lru_cache(maxsize=16)
def _finder(extra_lists: tuple[str, ...]) -> TermFinder:
    entries = load_terms(LIST_NAME, extra_lists)
    for entry in entries:
        if entry.category not in STREAMS:
            raise RuleDataError(_("EPR term {term}: unknown stream {stream} (known: {known})").format(
                term=repr(entry.term), stream=repr(entry.category), known=", ".join(STREAMS)))
    return finder_for(LIST_NAME, extra_lists, parts=False)


class Collector:
    """The packaging finding on the first product; each product judged as it passes."""

    def __init__(self, catalog: Catalog, options: Options):
        self.options = options
        self.seen = False

    def add(self, products: list[Product]) -> Iterator[Problem]:
        yield from self._packaging(products)
        if self._judges_products():
            yield from _judge(products, self.options)

    def add_table(self, table) -> Iterator[Problem]:
        """`add`, judging only the products whose title or category may hold a term of a stream that has
        no number. Reads no product but those judged, and the catalog's first for the packaging finding."""
        if not self.seen and table.products.height:
            yield from self._packaging([table.product(0)])
        if self._judges_products():
            finder = _finder(tuple(self.options.extra_lists))
            unnumbered = finder.phrases_of(stream for stream in STREAMS if stream not in self.options.epr)
            yield from _judge([table.product(i) for i in finder_candidates(table, finder, unnumbered)], self.options)

    def _packaging(self, products: list[Product]) -> Iterator[Problem]:
        """The packaging finding, at the catalog's first product."""
        if not products or self.seen or not sells_in_france(self.options.markets):
            return
        self.seen = True
        if "packaging" not in self.options.epr:
            yield Problem(_("selling in France: every shipped product falls in the packaging EPR stream, and no "
                            "packaging EPR number is configured: add [epr] packaging = \"FR...\" to aelint.toml "
                            "(FAQ 11)"), products[0])

    def _judges_products(self) -> bool:
        """Selling in France with a stream other than packaging left without a number."""
        return sells_in_france(self.options.markets) and not all(stream in self.options.epr for stream in STREAMS)

    def finish(self) -> Iterator[Problem]:
        return iter(())


def check(catalog: Catalog, options: Options) -> Iterator[Problem]:
    return whole(Collector, catalog, options)


def _judge(products: list[Product], options: Options) -> Iterator[Problem]:
    numbers = options.epr
    finder = _finder(tuple(options.extra_lists))
    for product in products:
        for stream, found in first_in_product(product, finder).items():
            if stream in numbers:
                continue
            yield Problem(_('selling in France and "{phrase}" falls in the EPR stream {stream_name}, with no EPR number '
                            'for it: add [epr] {stream} = "FR..." to aelint.toml (FAQ 11)').format(
                              phrase=found.phrase, stream_name=_(STREAMS[stream]), stream=stream),
                          product, cell=product.cell(found.field))
