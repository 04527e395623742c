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
    elsewhere (`Sku.columns` holds only option attributes and a row's own picture).

    A catalog whose first batch comes as columns keeps its codes as columns too (`kept`: each batch's SKU
    rows with a code, as polars keeps them, and `refs`, every product's ref): the codes seen twice are found
    at the end, by polars over all of them, instead of a Python dict of every code."""

    def __init__(self, catalog: Catalog, options: Options):
        self.column = catalog.columns.get("sku_code", "sku_code")
        self.first: dict[str, tuple[int, str, ProductRef]] = {}
        self.repeated: dict[str, list[SkuRef]] = {}  # only codes seen twice or more: no list per SKU
        self.kept: list = []  # polars frames: code (stripped), row, raw (as written), product (in `refs`)
        self.refs: list[ProductRef] = []

    def add(self, products: list[Product]) -> Iterator[Problem]:
        if self.kept:  # (the catalog's earlier batches came as columns: this one joins them)
            self._keep_rows(products)
            return iter(())
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
        """`add` over the batch's columns: the SKU rows with a code (stripped as Python strips it) kept as
        polars columns, judged at the end (`finish`). A catalog whose earlier batches came product by
        product goes on that way."""
        import polars as pl

        if self.first:
            return self.add(table.catalog.products)
        if "sku_code" not in table.sku_fields:
            return iter(())
        raw = table.skus["sku_code"]
        code = table.stripped(raw)
        self.kept.append(table.skus.select(code.alias("code"), pl.col("row").cast(pl.Int64), raw.alias("raw"),
                                           pl.col("product").cast(pl.Int64) + len(self.refs))
                         .filter(pl.col("code") != ""))
        self.refs.extend(table.product_refs)
        return iter(())

    def _keep_rows(self, products: list[Product]) -> None:
        """Keep a batch's SKU rows with a code as `add_table` keeps them, from its products."""
        import polars as pl

        rows = [(code.strip(), sku.row, code, len(self.refs) + k) for k, product in enumerate(products)
                for sku in product.skus if (code := sku.values.get("sku_code")) and code.strip()]
        self.kept.append(pl.DataFrame(rows, schema={"code": pl.String, "row": pl.Int64, "raw": pl.String,
                                                    "product": pl.Int64}, orient="row"))
        self.refs.extend(map(product_ref, products))

    def _repeat(self, code: str, here: tuple[int, str, ProductRef]) -> None:
        """A SKU row whose code an earlier row has."""
        skus = self.repeated.get(code)
        if skus is None:
            skus = self.repeated[code] = [_sku_ref(self.first[code])]
        skus.append(_sku_ref(here))

    def _repeated_kept(self) -> None:
        """`repeated` from the kept columns: the rows of each code seen twice, the codes in the order their
        second row came (as `add` meets them), each code's rows in order."""
        if not self.kept:  # (a small catalog, product by product: no polars to import)
            return
        import polars as pl

        rows = pl.concat(self.kept).filter(pl.col("code").is_duplicated())
        self.kept = []
        if not len(rows):
            return
        rows = rows.with_columns(pl.int_range(pl.len()).alias("at"))
        second = (rows.filter(pl.int_range(pl.len()).over("code") == 1)
                  .select("code", pl.int_range(pl.len()).alias("order")))
        refs = self.refs
        for code, at_rows, raws, products in (
                rows.join(second, on="code").sort("order", "at").group_by("order", maintain_order=True)
                .agg("code", "row", "raw", "product").select(pl.col("code").list.first(), "row", "raw", "product")
                .iter_rows()):
            self.repeated[code] = list(map(SkuRef, at_rows, raws, map(refs.__getitem__, products)))

    def finish(self) -> Iterator[Problem]:
        self._repeated_kept()
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
