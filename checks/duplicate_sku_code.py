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

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict

from aelint.i18n import _
from aelint.facts import SkuRef, product_ref, whole
from aelint.model import Catalog, Cell, Problem, Product

CODE = "AE501"
NAME = "duplicate-sku-code"
SEVERITY = "error"
SHOW_ROWS = 5


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Collector:
    """Facts: each code's first SKU (row, code as written, product), and every SKU of a code seen twice."""

    def __init__(self, catalog: Catalog, options: Options):
        self.column = catalog.columns.get("sku_code", "sku_code")
        self.first: dict[str, SkuRef] = {}
        self.repeated: dict[str, list[SkuRef]] = {}  # only codes seen twice or more: no list per SKU
        self.columns: dict[int, str] = {}  # row -> column, where a SKU's code stands in another column

    def add(self, products: list[Product]) -> Iterator[Problem]:
        first, repeated = self.first, self.repeated
        for product in products:
            for sku in product.skus:
                code = sku.values.get("sku_code")
                if not code:
                    continue
                if code[0].isspace() or code[-1].isspace():
                    code = code.strip()
                    if not code:
                        continue
                earlier = first.get(code)
                here = SkuRef.of(sku, product_ref(product))
                if "sku_code" in sku.columns:
                    self.columns[sku.row] = sku.columns["sku_code"]
                if earlier is None:
                    first[code] = here
                else:
                    repeated.setdefault(code, [earlier]).append(here)
        return iter(())

    def finish(self) -> Iterator[Problem]:
        for code, skus in self.repeated.items():
            for sku in skus:
                yield _problem(code, sku, skus, Cell("sku_code", sku.sku_code, sku.row,
                                                     self.columns.get(sku.row, self.column)))


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
