"""AE602 missing-required-field: a field AliExpress requires is empty.

What it does:
    Reports products without a title, category, weight, complete package size or shipping template,
    and SKU rows without a price or stock. When the catalog has no column at all for a required field,
    it says so once for the file instead of once per product; so it does when a column is there but
    empty on every row (of two or more), on the column's header.

Why is this bad:
    AliExpress's product API rejects a listing without these fields, and seller FAQ 21-24 list them as
    what a product needs before it can be published: the whole upload row fails.

Example:
    A row with a title, price and stock but an empty "Weight" cell fires for the weight.
    A product whose follow-on SKU rows leave the title blank does not: they inherit the first row's.
    A price column empty on all 510 SKU rows gives one line, "price is empty on every row (510 SKU rows)".

Options:
    none.

Source: seller FAQ 21-24; AliExpress product API required fields.
"""

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict

from aelint.i18n import _, N_, ngettext
from aelint.model import Catalog, Cell, Problem

CODE = "AE602"
NAME = "missing-required-field"
SEVERITY = "error"

# Labels are translated where used (N_ marks them for the catalogs).
PRODUCT_REQUIRED = {
    "title": N_("title"),
    "category": N_("category"),
    "weight_kg": N_("package weight"),
    "shipping_template": N_("shipping template"),
}
PACKAGE_SIDES = {"package_length_cm": N_("length"), "package_width_cm": N_("width"), "package_height_cm": N_("height")}
SKU_REQUIRED = {"price": N_("price"), "stock": N_("stock")}


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid")


def check(catalog: Catalog, options: Options) -> Iterator[Problem]:
    present = set(catalog.columns)
    absent = [_(label) for f, label in {**PRODUCT_REQUIRED, **SKU_REQUIRED}.items() if f not in present]
    if not any(f in present for f in PACKAGE_SIDES):
        absent.append(_("package size"))
    if absent:
        yield Problem(_("the catalog has no column for {fields}: required for every product (map a header with "
                        "[columns] in aelint.toml if it has another name)").format(fields=", ".join(absent)))
    empty = _empty_everywhere(catalog, present)
    for field, (label, count) in empty.items():
        yield Problem(_("{field} is empty on every row ({count}): fill the column, or map the one that has the "
                        "values with [columns] in aelint.toml").format(field=label, count=count),
                      cell=Cell(field, "", catalog.header_row, catalog.columns.get(field, field)))
    for product in catalog.products:
        for field, label in PRODUCT_REQUIRED.items():
            if field in present and field not in empty and not product.get(field):
                yield Problem(_("{field} is empty").format(field=_(label)), product, cell=product.cell(field))
        sides = [f for f in PACKAGE_SIDES if f in present and f not in empty and not product.get(f)]
        if sides:
            missing = [_(label) for f, label in PACKAGE_SIDES.items() if f not in empty and not product.get(f)]
            yield Problem(_("package size is incomplete: no {sides}").format(sides=", ".join(missing)), product,
                          cell=product.cell(sides[0]))
        for sku in product.skus:
            for field, label in SKU_REQUIRED.items():
                if field in present and field not in empty and not sku.values.get(field):
                    yield Problem(_("{field} is empty").format(field=_(label)), product, sku=sku, cell=sku.cell(field))


def _empty_everywhere(catalog: Catalog, present: set[str]) -> dict[str, tuple[str, str]]:
    """Required columns that are there but empty on every product (or SKU row), with label and count;
    only for two or more rows, where one line for the file says more than one per row."""
    found: dict[str, tuple[str, str]] = {}
    products = catalog.products
    if len(products) >= 2:
        for field, label in {**PRODUCT_REQUIRED, **PACKAGE_SIDES}.items():
            if field in present and not any(p.get(field) for p in products):
                label = _(label) if field in PRODUCT_REQUIRED else _("package {side}").format(side=_(label))
                found[field] = (label, ngettext("{count} product", "{count} products", len(products)).format(
                    count=len(products)))
    skus = [sku for p in products for sku in p.skus]
    if len(skus) >= 2:
        for field, label in SKU_REQUIRED.items():
            if field in present and not any(sku.values.get(field) for sku in skus):
                found[field] = (_(label), ngettext("{count} SKU row", "{count} SKU rows", len(skus)).format(
                    count=len(skus)))
    return found
