"""AE601 duplicate-listing: two listings of the same product (near-identical titles in one category, or the same main images).

What it does:
    Compares the titles of all products in the same category (case and accents ignored) and reports a
    product whose title is at least `duplicate_title_similarity` percent similar to an earlier product's
    (0-100: the better of rapidfuzz's ratio on the titles' words as written and on the words sorted, so a
    changed word order does not hide a copy). It also reports a product whose main images are exactly the
    same references as an earlier product's, unless the titles say they are colour/size variants or
    different products, as below. It never reads the files: the same picture under another name is
    AE311 duplicate-image's, so what AE601 reports does not depend on which image rules run or on what
    the image cache holds. Each repeated product is reported once, on its title cell (or its main images cell),
    naming the first listing it repeats.

    Titles that differ only by colour or size words ("Summer Dress Red" / "Summer Dress Blue") are not
    reported here: that is AE509 split-variants (one product to combine with variants), not a repeated
    listing. Nor are titles that differ by a number or model code ("Case for iPhone 14" / "iPhone 15"), or
    by a word that names another product: men/women, kids, left/right, pro/max/mini, with/without, a season
    (the `distinct` list of checks/variant_words.toml). Each title that has words the other lacks must have
    such a word among them ("Men ..." / "Women ...", "... iPhone 15" / "... iPhone 15 Pro"), so a typo in
    such a word ("Kids" / "Kiids") is still a duplicate, and so is a copy with the same colour word.

    At catalog scale titles are not compared all against all: they are blocked by their rarest words first
    (see aelint.similar), which keeps 100,000 titles to about a second.

Why is this bad:
    AliExpress penalises "repeated product listing" as a violation of the quality of article lists (seller
    FAQ 65): the same product listed twice costs penalty points and search ranking; combine the listings.

Example:
    "Women Summer Floral Beach Dress Casual Short Sleeve" and, in the same category, "Casual Short Sleeve
    Women Summer Floral Beach Dres" (words swapped, a typo) fire on the second. "Phone Case for iPhone 14
    Black" and "Phone Case for iPhone 15 Black" do not (different models).

Options:
    thresholds.duplicate_title_similarity (int, default 90): the least title similarity (0-100) that counts
    as a repeated listing.

Source: seller FAQ 65 ("repeated product listing").
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from aelint import similar
from aelint.i18n import _
from aelint.facts import FirstHolders, ProductRef, product_ref, whole
from aelint.model import Catalog, Problem, Product

if TYPE_CHECKING:
    from aelint.table import CatalogTable

CODE = "AE601"
NAME = "duplicate-listing"
SEVERITY = "error"


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use
    duplicate_title_similarity: int = Field(90, ge=50, le=100)


def title_duplicates(table: similar.TitleTable, threshold: float) -> list[tuple[int, int, float]]:
    """(earlier, later, score) as table indexes for every pair of near-identical titles that are neither
    variants nor distinct."""
    found = []
    for i, j, score in similar.similar_pairs(table.words, table.groups, threshold):
        left, right = table.keys(i), table.keys(j)
        if similar.variant_only(left, right) or similar.distinct_products(left, right):
            continue
        found.append((i, j, score))
    return found


def _where(product: ProductRef) -> str:
    pid = product.product_id
    if pid:
        return _("product {product} (row {row})").format(product=pid, row=product.row)
    return _("the listing on row {row}").format(row=product.row)


def _quote(title: str, limit: int = 60) -> str:
    return f'"{title}"' if len(title) <= limit else f'"{title[:limit - 3].rstrip()}..."'


def _images_text(references: list[str]) -> str:
    """What a product's main images are compared by (as a key): its one reference, or the set of them."""
    if len(references) == 1:
        return "1\0" + references[0]
    return "n\0" + "\0".join(sorted(set(references)))


class Collector:
    """Facts: the catalog's title table (aelint.similar, shared with AE509) and, per distinct set of main
    images, the first product with it. A product with the same main images as an earlier one is a finding
    unless its title pairs it with another listing (decided at the end, when the title pairs are known)."""

    def __init__(self, catalog: Catalog, options: Options):
        self.options = options
        self.table = similar.title_table(catalog)
        self.first_with = FirstHolders()  # of `_images_text`: the first product with them, its table index
        self.same_images: list[tuple[ProductRef, Problem]] = []

    def add(self, products: list[Product]) -> Iterator[Problem]:
        indexes = self.table.add(products)
        imaged = [(product, index) for product, index in zip(products, indexes) if product.images.get("main_images")]
        texts = [_images_text([cell.value for cell in product.images["main_images"]]) for product, _ in imaged]
        self._note_keyed(texts, [(product_ref(product), index) for product, index in imaged],
                         lambda k: imaged[k][0])  # references: stripped, non-empty
        return iter(())

    def _note_keyed(self, texts: Sequence[str], products: list[tuple[ProductRef, int]],
                    product_at: Callable[[int], Product]) -> None:
        """Note a batch's products with main images, keyed one by one (`FirstHolders.lookup`): `texts` their
        `_images_text`, `products` each one's ref and title index, `product_at(k)` the k-th (built only when
        its images are another product's)."""
        keys, before = self.first_with.lookup(texts)
        in_batch: dict[int, tuple[ProductRef, int]] = {}  # images not met before -> the batch's first with them
        for k, (key, earlier, (here, index)) in enumerate(zip(keys, before, products)):
            first = earlier or in_batch.setdefault(key, (here, index))
            if first[0] is not here:
                self._note_images(product_at(k), here, index, first)
        self.first_with.note(in_batch)

    def add_table(self, table: CatalogTable) -> Iterator[Problem]:
        """`add` over the batch's columns: the title facts (`TitleTable.add_table`, which AE509 shares:
        whichever rule comes first feeds the title table) and each product's main images from
        `main_image_refs`, their `_images_text` made and keyed by polars in one go."""
        import numpy as np
        import polars as pl

        indexes = self.table.add_table(table)
        # Sorted once by product and reference, each product's distinct references come sorted: 2.5x cheaper
        # than sorting each product's list. (Strings sort by code point.)
        images = (table.main_image_refs.sort("index", "ref").group_by("index", maintain_order=True)
                  .agg(pl.len().alias("count"), pl.col("ref").unique(maintain_order=True))
                  .select("index", pl.when(pl.col("count") == 1).then(pl.lit("1\0")).otherwise(pl.lit("n\0"))
                          .add(pl.col("ref").list.join("\0")).alias("text")))  # `_images_text`
        refs, first_with = table.product_refs, self.first_with
        if not first_with.in_halves and first_with.keys.seeds is not None:  # (the first batch came product by product)
            rows = images["index"].to_list()
            self._note_keyed(images["text"], [(refs[i], indexes[i]) for i in rows], lambda k: table.product(rows[k]))
            return iter(())
        high, low = first_with.halves(images["text"])
        places = first_with.find(high, low)
        new = images["text"].is_first_distinct().to_numpy() & (places < 0)
        products = images["index"].to_numpy()
        if not new.all():  # images met before, or twice in the batch: each product after the first, in order
            firsts = images.select(pl.col("index").first().over("text")).to_series().to_list()
            for k in np.flatnonzero(~new).tolist():
                i = int(products[k])
                first = first_with.holders[places[k]] if places[k] >= 0 else (refs[firsts[k]], indexes[firsts[k]])
                self._note_images(table.product(i), refs[i], indexes[i], first)
        first_with.put(high[new], low[new], [(refs[i], indexes[i]) for i in products[new].tolist()])
        return iter(())

    def _note_images(self, product: Product, here: ProductRef, index: int, first: tuple[ProductRef, int]) -> None:
        """Note a product's main images (`index`: its title's in the title table, or -1), which `first` (the
        first product with the same main images, its title's index) had before: kept as a finding unless the
        titles pair them with other listings."""
        earlier, earlier_index = first
        table = self.table
        left = table.keys(earlier_index) if earlier_index >= 0 else ()
        right = table.keys(index) if index >= 0 else ()
        if not (similar.variant_only(left, right) or similar.distinct_products(left, right)):
            self.same_images.append((here, Problem(
                _("has the same main images as {listing}: repeated listings are penalised; remove or merge "
                  "one").format(listing=_where(earlier)), here,
                cell=product.images["main_images"][0])))  # type: ignore[arg-type]

    def finish(self) -> Iterator[Problem]:
        table = self.table
        reported: dict[int, Problem] = {}  # the later product's row -> its finding
        best: dict[int, tuple[float, int]] = {}
        pairs = title_duplicates(table, self.options.duplicate_title_similarity)
        cells = table.title_cells(index for i, j, _ in pairs for index in (i, j))
        for i, j, score in pairs:
            earlier, later = table.products[i], table.products[j]
            key = (score, -earlier.row)
            if later.row not in best or key > best[later.row]:
                best[later.row] = key
                category = table.categories[table.groups[i]]
                reported[later.row] = Problem(
                    (_("repeats {listing} in the same category (titles {score}% similar: {title}): repeated listings "
                       "are penalised; remove or merge one") if category else
                     _("repeats {listing} (titles {score}% similar: {title}): repeated listings are penalised; "
                       "remove or merge one")).format(listing=_where(earlier), score=f"{score:.0f}",
                                                      title=_quote(cells[i].value)),
                    later, cell=cells[j])  # type: ignore[arg-type]
        for product, problem in self.same_images:
            reported.setdefault(product.row, problem)
        yield from reported.values()


def check(catalog: Catalog, options: Options) -> Iterator[Problem]:
    return whole(Collector, catalog, options)
