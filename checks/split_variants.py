"""AE509 split-variants: several products differ only by a colour or size word in the title; combine them as variants.

What it does:
    Splits each title into its colour/size words (red, dark blue, rose gold, XL, large, "Size M", 30cm,
    500 ml... from checks/variant_words.toml) and the rest. Products of the same category whose titles have
    the same other words (in any order, plurals folded) but different colour/size words are one product
    listed several times: every such product after the first is reported, naming the first.

    Judgement calls: both titles must carry a colour/size word ("Summer Dress" next to "Summer Dress Red"
    is left to AE601, which sees a near-duplicate). Colour words that name another thing stay part of the
    title ("Red Wine Glass" / "White Wine Glass", "Green Tea" / "Black Tea"); "rose" and "wine" are
    colours only in "rose gold", "wine red". The letters S, M, L and bed sizes (King, Queen) count as sizes
    only next to the word "size". Bare numbers are not sizes ("iPhone 14" / "iPhone 15" are models), but a
    number with a length or volume unit is.

    Relation to AE601: a pair of titles that differs only by colour/size words is reported here and not as
    a duplicate listing; two titles with the same colour word are AE601's.

Why is this bad:
    Seller FAQ 27: unify the variants of one product on one product sheet (new "Color" or "Size" values),
    so every variant's sales and reviews count for one listing and it ranks better; separate listings of
    one product are also "repeated product listing" (FAQ 65).

Example:
    "Women Summer Floral Dress Red", "Women Summer Floral Dress Navy Blue" and "Women Floral Summer Dress
    XL Red": the second and third fire, naming the first; list them as one product with Color and Size.

Options:
    none.

Source: seller FAQ 27; FAQ 65 ("repeated product listing").
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from aelint import similar
from aelint.i18n import _
from aelint.facts import ProductRef, whole
from aelint.model import Catalog, Problem, Product

if TYPE_CHECKING:
    from aelint.table import CatalogTable

CODE = "AE509"
NAME = "split-variants"
SEVERITY = "warning"


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use


def variant_groups(table: similar.TitleTable) -> list[list[tuple[int, tuple[str, ...]]]]:
    """Groups of titled products (table indexes, with their colour/size words) whose titles differ only by
    those words."""
    groups: dict[tuple[int, frozenset[str]], list[tuple[int, tuple[str, ...]]]] = {}
    for candidates in table.variant_candidates():
        for i in candidates:
            split = similar.split_variant(table.keys(i))
            if split.signature and split.base:
                groups.setdefault((table.groups[i], split.base), []).append((i, split.signature))
    return [members for members in groups.values()
            if len(members) > 1 and len({signature for _, signature in members}) > 1]


def _where(product: ProductRef) -> str:
    pid = product.product_id
    if pid:
        return _("product {product} (row {row})").format(product=pid, row=product.row)
    return _("the listing on row {row}").format(row=product.row)


class Collector:
    """Facts: the catalog's title table (aelint.similar), shared with AE601."""

    def __init__(self, catalog: Catalog, options: Options):
        self.table = similar.title_table(catalog)

    def add(self, products: list[Product]) -> Iterator[Problem]:
        self.table.add(products)
        return iter(())

    def add_table(self, table: CatalogTable) -> Iterator[Problem]:
        self.table.add_table(table)
        return iter(())

    def finish(self) -> Iterator[Problem]:
        return _judge(self.table)


def check(catalog: Catalog, options: Options) -> Iterator[Problem]:
    return whole(Collector, catalog, options)


def _judge(table: similar.TitleTable) -> Iterator[Problem]:
    groups = variant_groups(table)
    cells = table.title_cells(index for members in groups for index, _ in members[1:])
    for members in groups:
        first_index, first_signature = members[0]
        first = table.products[first_index]
        others = len({signature for _, signature in members})
        for index, signature in members[1:]:
            if signature == first_signature:
                continue  # the same title words again: a duplicate listing (AE601), not another variant
            yield Problem(
                _('differs from {listing} only by colour/size words ("{words}" vs "{other_words}"): {count} versions '
                  "of one product; list them as variants of one product").format(
                    listing=_where(first), words=" ".join(signature), other_words=" ".join(first_signature),
                    count=others), table.products[index], cell=cells[index])  # type: ignore[arg-type]
