"""AE407 authorization-category: products in a category that may require special authorisation.

What it does:
    Finds products in the categories seller FAQ 4 marks with an asterisk (beauty and health, hair
    extensions and wigs, jewelry and accessories) from the category path ("Beauty & Health > Makeup",
    "Jewelry & Accessories") and the title (words from `authorization_categories.toml`: wig, lace front,
    necklace, earrings, lipstick, serum...). Accessories do not count ("Wig Stand", "Jewelry Box", "Makeup
    Bag", "Pendant Light"). A store of such products would otherwise get one identical note per row, so the
    rule reports each category once per catalog, at the first product found in it, with the number of
    products concerned.

Why is this bad:
    It is not an error: FAQ 4 says these categories "may require special authorization". A seller who
    imports them without checking finds the products held at review; knowing it before the upload saves a
    rejected batch.

Example:
    A catalog of 20 necklaces and earrings gives one note: "20 products look like jewelry and accessories
    (first: "necklace") ...". A catalog of phone cases and kitchen towels gives none.

Options:
    lists.authorization_categories: extra term files in the format of `authorization_categories.toml`.

Source: seller FAQ 4 ("Categories marked with an asterisk may require special authorization").
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from pydantic import BaseModel, ConfigDict

from aelint.checks._compliance import analyse, finder_for, may_hold_phrases, segment_categories
from aelint.i18n import _, ngettext
from aelint.facts import ProductRef, whole
from aelint.model import Catalog, Cell, Problem, Product

CODE = "AE407"
NAME = "authorization-category"
SEVERITY = "info"
LIST_NAME = "authorization_categories"
Reasons = dict[str, tuple[str, str]]  # rule category -> the field and the reason a product is in it


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use
    extra_lists: list[str] = []


class Collector:
    """Facts: per category, how many products and where the first one stands (its cell, why)."""

    def __init__(self, catalog: Catalog, options: Options):
        self.finder = finder_for(LIST_NAME, tuple(options.extra_lists), parts=True)
        self.first: dict[str, tuple[ProductRef, Cell, str]] = {}  # category -> first product, its cell, why
        self.counts: dict[str, int] = {}

    def add(self, products: list[Product]) -> Iterator[Problem]:
        for product in products:
            reasons = self._reasons(product.title, *self._category_reasons(product.get("category")))
            self._count(reasons, lambda: product)
        return iter(())

    def add_table(self, table) -> Iterator[Problem]:
        """`add` on the only products that can have a reason: those whose title `may_hold_phrases` of the
        pack, and those whose category alone gives one (worked out once per distinct category)."""
        import polars as pl

        by_category: dict[str, tuple[Reasons, Reasons]] = {"": self._category_reasons("")}
        categorised, category = pl.lit(False), pl.lit("")
        if "category" in table.product_fields:
            by_category = {c: self._category_reasons(c) for c in table.products["category"].unique()}
            with_reasons = pl.Series([c for c, (a, b) in by_category.items() if a or b], dtype=pl.String)
            categorised, category = pl.col("category").is_in(with_reasons.implode()), pl.col("category")
        alone = {c: self._reasons(None, *parts) for c, parts in by_category.items()}  # for untitled products
        titled = may_hold_phrases(table, "title", self.finder.phrases)
        chosen = table.products.select("index", category.alias("category"), titled.alias("titled"), "title",
                                       categorised.alias("categorised")
                                       ).filter(pl.col("titled") | pl.col("categorised"))
        for index, category, titled, title in zip(*(chosen[name].to_list()
                                                    for name in ("index", "category", "titled", "title"))):
            self._count(self._reasons(title, *by_category[category]) if titled else alone[category],
                        partial(table.product, index))
        return iter(())

    def _category_reasons(self, category: str) -> tuple[Reasons, Reasons]:
        """What a category path gives (rule category -> field, reason): its segments' categories, and the
        terms found in it."""
        segments: Reasons = {}
        for segment, name in segment_categories(CODE, category):
            segments.setdefault(name, ("category", _('category "{segment}"').format(segment=segment)))
        terms: Reasons = {}
        if category:
            text = analyse(category)
            for match in self.finder.find(text):
                terms.setdefault(match.value.category, ("category", f'"{text.phrase(match)}"'))
        return segments, terms

    def _reasons(self, title: str | None, segments: Reasons, terms: Reasons) -> Reasons:
        """Each category a product is in, with the field and the reason: its category path's segments, the
        terms of its title (when given: the first of each category), the terms of its category path
        (`_category_reasons`)."""
        reasons = dict(segments)
        if title:
            text = analyse(title)  # as `_compliance.product_text` reads a title
            for match in self.finder.find(text):
                if match.value.category not in reasons:
                    reasons[match.value.category] = ("title", f'"{text.phrase(match)}"')
        for name, reason in terms.items():
            reasons.setdefault(name, reason)
        return reasons

    def _count(self, reasons: Reasons, product: Callable[[], Product]) -> None:
        """Count a product in each category it has a reason for; the first one's cell and reason kept (the
        product is asked for only then: a batch read from columns builds it on demand)."""
        for category, (field, why) in reasons.items():
            self.counts[category] = self.counts.get(category, 0) + 1
            if category not in self.first:
                found = product()
                self.first[category] = (ProductRef.of(found), found.cell(field), why)

    def finish(self) -> Iterator[Problem]:
        for category, (product, cell, why) in self.first.items():
            yield _problem(category, self.counts[category], product, cell, why)


def check(catalog: Catalog, options: Options) -> Iterator[Problem]:
    return whole(Collector, catalog, options)


def _problem(category: str, count: int, product: ProductRef, cell: Cell, why: str) -> Problem:
    return Problem(ngettext("{count} product looks like {category} (first: {why}): this category may require "
                           "special authorisation before import (FAQ 4); check it under Account > My Special "
                           "Category",
                           "{count} products look like {category} (first: {why}): this category may require "
                           "special authorisation before import (FAQ 4); check it under Account > My Special "
                           "Category", count).format(count=count, category=_(category), why=why),
                   product, cell=cell)  # type: ignore[arg-type]
