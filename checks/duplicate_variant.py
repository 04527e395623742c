"""AE503 duplicate-variant: two SKUs of one product have the same attribute values.

What it does:
    Compares the variant attributes (colour, size and any other attribute) of the SKUs of each product
    and reports every SKU whose values repeat an earlier SKU's, naming that SKU's row. Values are compared
    as a buyer tells them apart: case and spacing do not count ("Red" and "red " are the same), and a
    blank value counts as a value ("Black / (blank)" twice is a repeat). SKUs of a product with no
    variant attributes at all repeat each other too: nothing tells them apart.

Why is this bad:
    A buyer picks a variant by its attribute values. Two SKUs with the same values cannot both be
    offered on one product page (seller FAQ 27: each variant gets its own colour or size and its own
    price, stock and code): expect the product to be refused, or one variant's price and stock to be lost.

Example:
    Rows "Clogs, Black, 36" and "Clogs, Black, 36" of one product: the second fires.
    "Black, 36" and "Black, 37" do not; nor do "Black, 36" of two different products.

Options:
    none.

Source: seller FAQ 27.
"""

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict

from aelint.i18n import _
from aelint.model import Problem, Product

from ._variants import label, name_key, value_key, variants

CODE = "AE503"
NAME = "duplicate-variant"
SEVERITY = "error"


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    skus = product.skus
    if len(skus) < 2:
        return
    table = variants(product)
    if table.complete:  # quick test with a coarser key (case and all spaces dropped) than value_key
        names = list(table.declared)
        coarse = {"".join("\0".join([row[n][1] for n in names]).casefold().split()) for row in table.rows}
        if len(coarse) == len(skus):
            return  # the common case: every SKU differs
    signatures = table.signatures
    if len(set(signatures)) == len(signatures):
        return  # the common case: every SKU differs
    first_with: dict[tuple[str, ...], int] = {}
    for sku, attrs, key in zip(skus, table.rows, signatures):
        earlier = first_with.setdefault(key, sku.row)
        if earlier == sku.row:
            continue
        if not table.declared:
            yield Problem(_("this SKU has no variant attributes to tell it apart from the SKU on row {row}").format(
                          row=earlier),
                          product, sku=sku)
            continue
        fields = {n: f for n, (f, v) in attrs.items() if v} or {n: f for n, (f, _value) in attrs.items()}
        shown = ", ".join(f"{label(f)} {attrs[n][1]!r}" for n, f in fields.items())
        first_field = next(iter(fields.values()), None)
        yield Problem(_("same attribute values as the SKU on row {row} ({values})").format(row=earlier, values=shown),
                      product, sku=sku,
                      cell=sku.cell(first_field) if first_field else None)


def prefilter(table, options: Options):
    """Only a product with two SKU rows alike in every attribute column (values compared by `value_key`)
    can have duplicate variants. Columns whose attribute another column also names, or that are not the
    catalog's own (Option N pairs), are left out of the comparison: rows then look more alike, never less."""
    import polars as pl

    fields = table.attribute_fields
    names = [name_key(f) for f in fields]
    compared = [table.mapped(f, value_key, pl.String).alias(f) for f, n in zip(fields, names)
                if names.count(n) == 1 and f in table.catalog.columns]
    alike = pl.struct(pl.col("product"), *compared).is_duplicated()
    return table.products_with(alike)
