"""AE501 duplicate-sku-code: the same SKU code is used on two rows of the catalog.

What it does:
    Collects the SKU code of every SKU row in the catalog (across all products) and reports every row
    whose code is also used on another row: both rows are reported, each naming the other rows.
    Codes are compared after removing surrounding spaces; case counts ("AB-1" and "ab-1" are not
    reported: only codes that are identical are certain to clash). Rows without a code are left to AE502.

Why is this bad:
    The SKU code is the seller's key for one variant: stock, orders and price updates are matched on it.
    AliExpress's product API takes the code as the identity of one SKU, so a second row with the same code
    can be refused or overwrite the first, and stock synchronisation sends one variant's stock to another.

Example:
    Row 2 "MUG-350-WHT" (white mug) and row 7 "MUG-350-WHT" (black mug) both fire, each naming the other.
    "MUG-350-WHT" and "MUG-350-WHT2" do not.

Options:
    none.

Source: AliExpress product API `sku_code`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from aelint.i18n import _
from aelint.facts import ProductRef, SkuRef, product_ref, whole
from aelint.model import Catalog, Cell, Problem, Product

if TYPE_CHECKING:
    from aelint.table import CatalogTable

CODE = "AE501"
NAME = "duplicate-sku-code"
SEVERITY = "error"
SHOW_ROWS = 5


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use


class Collector:
    """Facts: each code's first SKU row as a tuple (row, code as written, its product's ref), and every SKU
    of a code seen twice. A code stands in the catalog's SKU code column: the reader moves no code
    elsewhere (`Sku.columns` holds only option attributes and a row's own picture)."""

    def __init__(self, catalog: Catalog, options: Options):
        self.column = catalog.columns.get("sku_code", "sku_code")
        self.first: dict[str, tuple[int, str, ProductRef]] = {}
        self.repeated: dict[str, list[SkuRef]] = {}  # only codes seen twice or more: no list per SKU

    def add(self, products: list[Product]) -> Iterator[Problem]:
        first = self.first
        for product in products:
            ref = product_ref(product)
            for sku in product.skus:
                code = sku.values.get("sku_code")
                if not code:
                    continue
                if code[0].isspace() or code[-1].isspace():
                    code = code.strip()
                    if not code:
                        continue
                here = (sku.row, sku.values["sku_code"], ref)
                if code in first:
                    self._repeat(code, here)
                else:
                    first[code] = here
        return iter(())

    def add_table(self, table: CatalogTable) -> Iterator[Problem]:
        """`add` over the batch's columns: codes stripped as Python strips them, a code's first row kept
        in one bulk update, and only the rows of codes seen before handled one by one."""
        import polars as pl

        if "sku_code" not in table.sku_fields:
            return iter(())
        raw = table.skus["sku_code"]
        code = table.stripped(raw)
        rows = (table.skus.select("row", "product", code.alias("code"), raw.alias("raw"))
                .filter(pl.col("code") != "").with_columns(pl.col("code").is_first_distinct().alias("new")))
        refs = table.product_refs
        if self.first:  # codes of earlier batches (none in a catalog's first batch)
            known = pl.Series(list(map(self.first.__contains__, rows["code"].to_list())), dtype=pl.Boolean)
        else:
            known = pl.repeat(False, len(rows), eager=True)
        new = rows.filter(rows["new"] & ~known)
        if len(new):
            new_codes = new["code"].to_list()
            raws = new_codes if code is raw else new["raw"].to_list()  # (one string each where none was stripped)
            self.first.update(zip(new_codes, zip(new["row"].to_list(), raws,
                                                 map(refs.__getitem__, new["product"].to_list()))))
        for repeated, row, written, product in rows.filter(~rows["new"] | known).select(
                "code", "row", "raw", "product").iter_rows():
            self._repeat(repeated, (row, written, refs[product]))
        return iter(())

    def _repeat(self, code: str, here: tuple[int, str, ProductRef]) -> None:
        """A SKU row whose code an earlier row has."""
        skus = self.repeated.get(code)
        if skus is None:
            skus = self.repeated[code] = [_sku_ref(self.first[code])]
        skus.append(_sku_ref(here))

    def finish(self) -> Iterator[Problem]:
        for code, skus in self.repeated.items():
            for sku in skus:
                yield _problem(code, sku, skus, Cell("sku_code", sku.sku_code, sku.row, self.column))


def _sku_ref(fact: tuple[int, str, ProductRef]) -> SkuRef:
    return SkuRef(*fact)


def check(catalog: Catalog, options: Options) -> Iterator[Problem]:
    return whole(Collector, catalog, options)


def _problem(code: str, sku: SkuRef, skus: list[SkuRef], cell: Cell) -> Problem:
    others = [s.row for s in skus if s is not sku]
    shown = ", ".join(str(r) for r in others[:SHOW_ROWS])
    if len(others) > SHOW_ROWS:
        shown = _("{rows} and {count} more").format(rows=shown, count=len(others) - SHOW_ROWS)
    message = (_("SKU code {code} is also used on row {rows}: each SKU needs its own code") if len(others) == 1
               else _("SKU code {code} is also used on rows {rows}: each SKU needs its own code"))
    return Problem(message.format(code=repr(code), rows=shown),
                   sku.product, sku=sku, cell=cell)  # type: ignore[arg-type]
