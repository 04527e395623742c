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

from collections.abc import Iterator
from itertools import chain
from operator import attrgetter

from pydantic import BaseModel, ConfigDict, Field

from aelint import similar
from aelint.i18n import _
from aelint.model import Catalog, Problem, Product

CODE = "AE601"
NAME = "duplicate-listing"
SEVERITY = "error"


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid")
    duplicate_title_similarity: int = Field(90, ge=50, le=100)


def title_duplicates(catalog: Catalog, threshold: float) -> list[tuple[Product, Product, float]]:
    """(earlier, later, score) for every pair of near-identical titles that are neither variants nor distinct."""
    table = similar.title_table(catalog)
    found = []
    for i, j, score in similar.similar_pairs(table.words, table.groups, threshold):
        left, right = table.keys(i), table.keys(j)
        if similar.variant_only(left, right) or similar.distinct_products(left, right):
            continue
        found.append((table.products[i], table.products[j], score))
    return found


def _where(product: Product) -> str:
    pid = product.values.get("product_id")
    if pid:
        return _("product {product} (row {row})").format(product=pid, row=product.row)
    return _("the listing on row {row}").format(row=product.row)


def _quote(title: str, limit: int = 60) -> str:
    return f'"{title}"' if len(title) <= limit else f'"{title[:limit - 3].rstrip()}..."'


def check(catalog: Catalog, options: Options) -> Iterator[Problem]:
    reported: dict[int, Problem] = {}
    best: dict[int, tuple[float, int]] = {}
    pairs = title_duplicates(catalog, options.duplicate_title_similarity)
    for earlier, later, score in pairs:
        key = (score, -earlier.row)
        if id(later) not in best or key > best[id(later)]:
            best[id(later)] = key
            reported[id(later)] = Problem(
                (_("repeats {listing} in the same category (titles {score}% similar: {title}): repeated listings are "
                   "penalised; remove or merge one") if earlier.get("category") else
                 _("repeats {listing} (titles {score}% similar: {title}): repeated listings are penalised; remove or "
                   "merge one")).format(listing=_where(earlier), score=f"{score:.0f}", title=_quote(earlier.title)),
                later, cell=later.cell("title"))
    main_images = [p.images.get("main_images") for p in catalog.products]  # references: stripped, non-empty
    references = list(map(attrgetter("value"), chain.from_iterable(filter(None, main_images))))
    if len(set(references)) == len(references):
        yield from reported.values()  # no reference is used twice: no product repeats another's images
        return
    first_with: dict[str | frozenset[str], Product] = {}
    for product, cells in zip(catalog.products, main_images):
        if not cells:
            continue
        key = cells[0].value if len(cells) == 1 else frozenset([c.value for c in cells])
        earlier = first_with.setdefault(key, product)
        if earlier is product or id(product) in reported:
            continue
        left, right = similar.title_keys(earlier), similar.title_keys(product)
        if not (similar.variant_only(left, right) or similar.distinct_products(left, right)):
            reported[id(product)] = Problem(
                _("has the same main images as {listing}: repeated listings are penalised; remove or merge one").format(
                    listing=_where(earlier)), product, cell=cells[0])
    yield from reported.values()
