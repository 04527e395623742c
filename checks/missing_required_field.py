"""AE602 missing-required-field: a field the marketplace requires is empty.

What it does:
    Reports products without a title, category, weight, complete package size or shipping template,
    and SKU rows without a price or stock. When the catalog has no column at all for a required field,
    it says so once for the file instead of once per product; so it does when a column is there but
    empty on every row (of two or more), on the column's header.

    On Wish the required fields are Wish's own (the legacy merchant CSV's required columns): title
    (Product Name), description, tags, and on each SKU row price, quantity, Unique ID and shipping; no
    category, weight, package or shipping template. The main image is AE301's.

    A file that marks its required columns with `*` (the AliExpress Seller Center template, ERP exports
    for Wish) sets the required fields instead: its starred columns, and the title when it has title
    columns (a product without any name cannot be published).

Why is this bad:
    AliExpress's product API rejects a listing without these fields, and seller FAQ 21-24 list them as
    what a product needs before it can be published: the whole upload row fails. Wish's upload refuses a
    row without one of its required columns the same way.

Example:
    A row with a title, price and stock but an empty "Weight" cell fires for the weight.
    A product whose follow-on SKU rows leave the title blank does not: they inherit the first row's.
    A price column empty on all 510 SKU rows gives one line, "price is empty on every row (510 SKU rows)".

Options:
    required_product_fields, required_sku_fields, package_size_required: set by the marketplace profile.

Source: seller FAQ 21-24; AliExpress product API required fields; Wish merchant product CSV required
columns (layouts.md; copy on lianlianpay 43-40876).
"""

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict

from aelint.i18n import N_, _, ngettext
from aelint.facts import ProductRef, SkuRef, product_ref, whole
from aelint.model import Catalog, Cell, Problem, Product, is_product_field

CODE = "AE602"
NAME = "missing-required-field"
SEVERITY = "error"

# Labels are translated where used (N_ marks them for the catalogs); other fields show their own name.
LABELS = {"title": N_("title"), "category": N_("category"), "description": N_("description"), "tags": N_("tags"),
          "weight_kg": N_("package weight"), "shipping_template": N_("shipping template"), "price": N_("price"),
          "stock": N_("stock"), "sku_code": N_("SKU code"), "shipping_price": N_("shipping price")}
PACKAGE_SIDES = {"package_length_cm": N_("length"), "package_width_cm": N_("width"), "package_height_cm": N_("height")}


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use
    required_product_fields: list[str] = ["title", "category", "weight_kg", "shipping_template"]
    required_sku_fields: list[str] = ["price", "stock"]
    package_size_required: bool = True


def _required(catalog: Catalog, options: Options) -> tuple[dict[str, str], dict[str, str], bool]:
    """Product fields, SKU fields and whether the package size is required: the marketplace's set, or the
    one the file marks with `*`."""
    marked = catalog.required_fields
    if marked is None:
        return ({f: LABELS.get(f, f) for f in options.required_product_fields},
                {f: LABELS.get(f, f) for f in options.required_sku_fields}, options.package_size_required)
    if "title" in catalog.columns:
        marked = marked | {"title"}
    chosen = {f: LABELS.get(f, f.replace("_", " ")) for f in sorted(marked)
              if f not in PACKAGE_SIDES and f not in ("product_id", "main_images")}  # AE301 reports main images
    return ({f: label for f, label in chosen.items() if is_product_field(f)},
            {f: label for f, label in chosen.items() if not is_product_field(f)},
            any(f in marked for f in PACKAGE_SIDES))


ProductFacts = tuple[ProductRef, dict[str, Cell], list[tuple[SkuRef, dict[str, Cell]]]]


class Collector:
    """Facts: how many products and SKU rows, which required fields are filled anywhere, and the empty cells
    of products that may have to be reported once it is known which columns are empty on every row."""

    def __init__(self, catalog: Catalog, options: Options):
        self.header_row, self.columns = catalog.header_row, catalog.columns
        self.present = set(catalog.columns)
        self.product_required, self.sku_required, self.package = _required(catalog, options)
        self.product_fields = [*self.product_required, *(PACKAGE_SIDES if self.package else ())]
        self.products = self.skus = 0
        self.filled: set[str] = set()  # required fields with a value on some product (SKU row)
        self.pending: list[ProductFacts] = []  # empty cells of fields not yet seen filled

    def add(self, products: list[Product]) -> Iterator[Problem]:
        self.products += len(products)
        found: list[ProductFacts] = []
        for product in products:
            self.filled.update(f for f in self.product_fields if product.get(f))
            for sku in product.skus:
                self.skus += 1
                self.filled.update(f for f in self.sku_required if sku.values.get(f))
            facts = self._empty_cells(product)
            if facts:
                found.append(facts)
        return self._judged(found)

    def add_table(self, table) -> Iterator[Problem]:
        """`add` over the columns: counts and filled fields from them, empty cells read from the products that
        have an empty required cell (their own or on a SKU row)."""
        import polars as pl

        products, skus = table.products, table.skus
        self.products += products.height
        self.skus += skus.height
        self.filled.update(f for f in self.product_fields if f in table.product_fields and (products[f] != "").any())
        self.filled.update(f for f in self.sku_required if f in table.sku_fields and (skus[f] != "").any())
        empty = [table.text(f) == "" for f in self.product_fields if f in self.present]
        sku_empty = [table.sku_text(f) == "" for f in self.sku_required if f in self.present]
        if sku_empty:
            empty.append(table.products_with(pl.any_horizontal(sku_empty)))
        if not empty:
            return iter(())
        chosen = products.filter(pl.any_horizontal(empty))["index"]
        return self._judged([facts for facts in map(self._empty_cells, map(table.product, chosen)) if facts])

    def _empty_cells(self, product: Product) -> ProductFacts | None:
        """The product's empty required cells and its SKU rows', or None when no column that is there has one
        (an absent column is said once for the file)."""
        present = self.present
        cells = {f: product.cell(f) for f in self.product_fields if not product.get(f)}
        skus = []
        for sku in product.skus:
            sku_cells = {f: sku.cell(f) for f in self.sku_required if not sku.values.get(f)}
            if any(f in present for f in sku_cells):
                skus.append((SkuRef.of(sku, product_ref(product)), sku_cells))
        if not skus and not any(f in present for f in cells):
            return None
        return product_ref(product), cells, skus

    def _judged(self, found: list[ProductFacts]) -> Iterator[Problem]:
        """The findings of a batch's empty cells that are decided already; the others kept for `finish`."""
        for facts in found:  # a field filled somewhere is not empty everywhere: judged now
            fields = set(facts[1]).union(*(sku_cells for _, sku_cells in facts[2]))
            if all(f in self.filled or f not in self.present for f in fields):
                yield from self._judge(facts, {})
            else:
                self.pending.append(facts)

    def finish(self) -> Iterator[Problem]:
        present = self.present
        absent = [_(label) for f, label in {**self.product_required, **self.sku_required}.items() if f not in present]
        if self.package and not any(f in present for f in PACKAGE_SIDES):
            absent.append(_("package size"))
        if absent:
            yield Problem(_("the catalog has no column for {fields}: required for every product (map a header with "
                            "[columns] in aelint.toml if it has another name)").format(fields=", ".join(absent)))
        empty = self._empty_everywhere()
        for field, (label, count) in empty.items():
            yield Problem(_("{field} is empty on every row ({count}): fill the column, or map the one that has the "
                            "values with [columns] in aelint.toml").format(field=label, count=count),
                          cell=Cell(field, "", self.header_row, self.columns.get(field, field)))
        for facts in self.pending:
            yield from self._judge(facts, empty)

    def _judge(self, facts: ProductFacts, empty: dict) -> Iterator[Problem]:
        """A product's findings from its empty cells, given the fields empty on every row."""
        product, cells, skus = facts
        present = self.present
        for field, label in self.product_required.items():
            if field in present and field not in empty and field in cells:
                yield Problem(_("{field} is empty").format(field=_(label)), product,  # type: ignore[arg-type]
                              cell=cells[field])
        sides = [f for f in PACKAGE_SIDES if self.package and f in present and f not in empty and f in cells]
        if sides:
            missing = [_(label) for f, label in PACKAGE_SIDES.items() if f not in empty and f in cells]
            yield Problem(_("package size is incomplete: no {sides}").format(sides=", ".join(missing)),
                          product, cell=cells[sides[0]])  # type: ignore[arg-type]
        for sku, sku_cells in skus:
            for field, label in self.sku_required.items():
                if field in present and field not in empty and field in sku_cells:
                    yield Problem(_("{field} is empty").format(field=_(label)), product,  # type: ignore[arg-type]
                                  sku=sku, cell=sku_cells[field])  # type: ignore[arg-type]

    def _empty_everywhere(self) -> dict[str, tuple[str, str]]:
        """Required columns that are there but empty on every product (or SKU row), with label and count;
        only for two or more rows, where one line for the file says more than one per row."""
        found: dict[str, tuple[str, str]] = {}
        if self.products >= 2:
            sides = PACKAGE_SIDES if self.package else {}
            for field, label in {**self.product_required, **sides}.items():
                if field in self.present and field not in self.filled:
                    label = _(label) if field in self.product_required else _("package {side}").format(side=_(label))
                    found[field] = (label, ngettext("{count} product", "{count} products", self.products).format(
                        count=self.products))
        if self.skus >= 2:
            for field, label in self.sku_required.items():
                if field in self.present and field not in self.filled:
                    found[field] = (_(label), ngettext("{count} SKU row", "{count} SKU rows", self.skus).format(
                        count=self.skus))
        return found


def check(catalog: Catalog, options: Options) -> Iterator[Problem]:
    return whole(Collector, catalog, options)
