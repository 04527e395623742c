"""AE507 inconsistent-variant-attributes: the SKUs of one product do not have the same attributes.

What it does:
    Looks at which variant attributes (colour, size, any other attribute) each SKU of a product has a
    value for, and reports:
    - an attribute the product declares but leaves blank on every SKU (an "Option 2 Name" of "Size"
      with empty "Option 2 Value" cells: the dropshipping-sheet export does this), once per product;
    - an attribute some SKUs have and others leave blank (one SKU has a size, another none). The SKUs
      in the minority are reported: when only 1 of 10 SKUs has a size, that SKU is the odd one out;
      on a tie the SKUs without a value are reported.
    Where attributes are columns (Color, Size), a column left blank on every SKU of a product just means
    the product does not vary by it; in the Option N Name/Value layout, naming the attribute declares it.

Why is this bad:
    AliExpress builds a product's variant grid from its attributes (seller FAQ 27: variants are
    created by colour or size, each with a name, image, price, stock and code). A variant without a
    value for an attribute its siblings have, or an attribute with no value at all, cannot be placed in
    that grid: expect the product to be refused at upload, or buyers to see an empty option.

Example:
    A product whose rows say Color "Black"/Size "36" and Color "Black"/Size "" fires on the second row.
    A product declaring "Size" on every row with every size cell empty fires once.
    A product whose every SKU has both a colour and a size does not; nor does a product with no attributes.

Options:
    none.

Source: seller FAQ 27.
"""

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict

from aelint.i18n import _
from aelint.model import Cell, Problem, Product, Sku

from ._variants import label, variants

CODE = "AE507"
NAME = "inconsistent-variant-attributes"
SEVERITY = "error"


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use


def _cell(sku: Sku, field: str, like: Sku) -> Cell:
    """The attribute's cell on this SKU's row, in the column a sibling SKU uses for it."""
    column = sku.columns.get(field) or like.columns.get(field) or sku.product.catalog.columns.get(field, field)
    return Cell(field, sku.values.get(field, ""), sku.row, column)


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    skus = product.skus
    if not skus:
        return
    table = variants(product)
    if table.complete:
        return  # the common case: every SKU has a value for every attribute
    per_sku = table.rows
    total = len(skus)
    for key, field in table.declared.items():
        have = [i for i, attrs in enumerate(per_sku) if attrs.get(key, ("", ""))[1]]
        name = label(field)
        if not have:
            first = next(i for i, attrs in enumerate(per_sku) if key in attrs)
            message = (_("the product declares the attribute {name} but leaves it blank on its only SKU: fill in the "
                         "values or remove the attribute") if total == 1 else
                       _("the product declares the attribute {name} but leaves it blank on all {count} SKUs: fill in "
                         "the values or remove the attribute"))
            yield Problem(message.format(
                              name=repr(name), count=total),
                          product, cell=_cell(skus[first], per_sku[first][key][0], skus[first]))
            continue
        if len(have) == total:
            continue
        having = set(have)
        lacking = [i for i in range(total) if i not in having]
        example = skus[have[0]]
        if len(have) < len(lacking):
            for i in have:
                sku = skus[i]
                message = (_("only this SKU has a {name} ({value}); the other {lacking} SKUs of the product have none")
                           if len(have) == 1 else
                           _("only {count} of {total} SKUs have a {name} ({value}); the other {lacking} SKUs of the "
                             "product have none"))
                yield Problem(message.format(
                                  count=len(have), total=total, name=name, value=repr(per_sku[i][key][1]),
                                  lacking=len(lacking)),
                              product, sku=sku, cell=_cell(sku, per_sku[i][key][0], sku))
        else:
            for i in lacking:
                sku = skus[i]
                message = (_("{name} is blank on this SKU while another SKU of the product has one (e.g. {value} on "
                             "row {row})") if len(have) == 1 else
                           _("{name} is blank on this SKU while {count} other SKUs have one (e.g. {value} on row {row})"))
                yield Problem(message.format(
                                  name=name, count=len(have), value=repr(per_sku[have[0]][key][1]), row=example.row),
                              product, sku=sku, cell=_cell(sku, per_sku[have[0]][key][0], example))


def prefilter(table, options: Options):
    """Only a product with an attribute column filled on some of its SKU rows and not on others, or with an
    attribute declared blank (an empty or all-space value of a row's own), can be reported."""
    import polars as pl

    from aelint.table import PYTHON_SPACE

    fields = table.attribute_fields
    if not fields:
        return table.with_empty_values()
    filled = {f: pl.col(f).str.contains(f"[^{PYTHON_SPACE}]") for f in fields}
    mixed = pl.any_horizontal([(pl.col(f) != "") & ~filled[f] for f in fields]).any() | pl.any_horizontal(
        [filled[f].any() & ~filled[f].all() for f in fields])
    found = (table.skus.lazy().group_by("product").agg(mixed.alias("mixed"))
             .filter(pl.col("mixed")).collect()["product"])
    return pl.col("index").is_in(found.implode()) | table.with_empty_values()
