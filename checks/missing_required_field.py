"""AE602 missing-required-field: a field the marketplace requires is empty.

What it does:
    Reports products without a title, category, weight, complete package size or shipping template,
    and SKU rows without a price or stock. When the catalog has no column at all for a required field,
    it says so once for the file instead of once per product.

    On Wish the required fields are Wish's own (the legacy merchant CSV's required columns): title
    (Product Name), description, tags, and on each SKU row price, quantity, Unique ID and shipping; no
    category, weight, package or shipping template. The main image is AE301's.

Why is this bad:
    AliExpress's product API rejects a listing without these fields, and seller FAQ 21-24 list them as
    what a product needs before it can be published: the whole upload row fails. Wish's upload refuses a
    row without one of its required columns the same way.

Example:
    A row with a title, price and stock but an empty "Weight" cell fires for the weight.
    A product whose follow-on SKU rows leave the title blank does not: they inherit the first row's.

Options:
    required_product_fields, required_sku_fields, package_size_required: set by the marketplace profile.

Source: seller FAQ 21-24; AliExpress product API required fields; Wish merchant product CSV required
columns (layouts.md; copy on lianlianpay 43-40876).
"""

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict

from aelint.model import Catalog, Problem

CODE = "AE602"
NAME = "missing-required-field"
SEVERITY = "error"

LABELS = {"weight_kg": "package weight", "shipping_template": "shipping template", "stock": "stock",
          "sku_code": "SKU code", "shipping_price": "shipping price"}
PACKAGE_SIDES = {"package_length_cm": "length", "package_width_cm": "width", "package_height_cm": "height"}


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid")
    required_product_fields: list[str] = ["title", "category", "weight_kg", "shipping_template"]
    required_sku_fields: list[str] = ["price", "stock"]
    package_size_required: bool = True


def check(catalog: Catalog, options: Options) -> Iterator[Problem]:
    present = set(catalog.columns)
    product_required = {f: LABELS.get(f, f) for f in options.required_product_fields}
    sku_required = {f: LABELS.get(f, f) for f in options.required_sku_fields}
    absent = [label for f, label in {**product_required, **sku_required}.items() if f not in present]
    package = options.package_size_required
    if package and not any(f in present for f in PACKAGE_SIDES):
        absent.append("package size")
    if absent:
        yield Problem(f"the catalog has no column for {', '.join(absent)}: required for every product "
                      "(map a header with [columns] in aelint.toml if it has another name)")
    for product in catalog.products:
        for field, label in product_required.items():
            if field in present and not product.get(field):
                yield Problem(f"{label} is empty", product, cell=product.cell(field))
        sides = [label for f, label in PACKAGE_SIDES.items() if f in present and not product.get(f)]
        if package and sides and any(f in present for f in PACKAGE_SIDES):
            missing = [label for f, label in PACKAGE_SIDES.items() if not product.get(f)]
            yield Problem(f"package size is incomplete: no {', '.join(missing)}", product,
                          cell=product.cell(next(f for f in PACKAGE_SIDES if not product.get(f))))
        for sku in product.skus:
            for field, label in sku_required.items():
                if field in present and not sku.values.get(field):
                    yield Problem(f"{label} is empty", product, sku=sku, cell=sku.cell(field))
