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

from aelint.model import Catalog, Cell, Problem, is_product_field

CODE = "AE602"
NAME = "missing-required-field"
SEVERITY = "error"

PRODUCT_REQUIRED = {
    "title": "title",
    "category": "category",
    "weight_kg": "package weight",
    "shipping_template": "shipping template",
}
PACKAGE_SIDES = {"package_length_cm": "length", "package_width_cm": "width", "package_height_cm": "height"}
SKU_REQUIRED = {"price": "price", "stock": "stock"}


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _required(catalog: Catalog) -> tuple[dict[str, str], dict[str, str], bool]:
    """Product fields, SKU fields and whether the package size is required: aelint's set, or the template's."""
    marked = catalog.required_fields
    if marked is None:
        return PRODUCT_REQUIRED, SKU_REQUIRED, True
    if "title" in catalog.columns:
        marked = marked | {"title"}
    labels = {**PRODUCT_REQUIRED, **SKU_REQUIRED}
    chosen = {f: labels.get(f, f.replace("_", " ")) for f in sorted(marked)
              if f not in PACKAGE_SIDES and f not in ("product_id", "main_images")}  # AE301 reports main images
    return ({f: label for f, label in chosen.items() if is_product_field(f)},
            {f: label for f, label in chosen.items() if not is_product_field(f)},
            any(f in marked for f in PACKAGE_SIDES))


def check(catalog: Catalog, options: Options) -> Iterator[Problem]:
    present = set(catalog.columns)
    product_required, sku_required, sides_required = _required(catalog)
    absent = [label for f, label in {**product_required, **sku_required}.items() if f not in present]
    if sides_required and not any(f in present for f in PACKAGE_SIDES):
        absent.append("package size")
    if absent:
        yield Problem(f"the catalog has no column for {', '.join(absent)}: required for every product "
                      "(map a header with [columns] in aelint.toml if it has another name)")
    empty = _empty_everywhere(catalog, present, product_required, sku_required)
    for field, (label, count) in empty.items():
        yield Problem(f"{label} is empty on every row ({count}): fill the column, or map the one that has "
                      "the values with [columns] in aelint.toml",
                      cell=Cell(field, "", catalog.header_row, catalog.columns.get(field, field)))
    for product in catalog.products:
        for field, label in product_required.items():
            if field in present and field not in empty and not product.get(field):
                yield Problem(f"{label} is empty", product, cell=product.cell(field))
        sides = [f for f in PACKAGE_SIDES if f in present and f not in empty and not product.get(f)]
        if sides:
            missing = [label for f, label in PACKAGE_SIDES.items() if f not in empty and not product.get(f)]
            yield Problem(f"package size is incomplete: no {', '.join(missing)}", product,
                          cell=product.cell(sides[0]))
        for sku in product.skus:
            for field, label in sku_required.items():
                if field in present and field not in empty and not sku.values.get(field):
                    yield Problem(f"{label} is empty", product, sku=sku, cell=sku.cell(field))


def _empty_everywhere(catalog: Catalog, present: set[str], product_required: dict[str, str],
                      sku_required: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Required columns that are there but empty on every product (or SKU row), with label and count;
    only for two or more rows, where one line for the file says more than one per row."""
    found: dict[str, tuple[str, str]] = {}
    products = catalog.products
    if len(products) >= 2:
        for field, label in {**product_required, **PACKAGE_SIDES}.items():
            if field in present and not any(p.get(field) for p in products):
                found[field] = (label if field in product_required else f"package {label}", f"{len(products)} products")
    skus = [sku for p in products for sku in p.skus]
    if len(skus) >= 2:
        for field, label in sku_required.items():
            if field in present and not any(sku.values.get(field) for sku in skus):
                found[field] = (label, f"{len(skus)} SKU rows")
    return found
