"""AE511 too-many-variant-attributes: a product varies by more attributes than the marketplace takes (3; Wish 2).

What it does:
    Counts the variant attributes (colour, size and any other attribute column or option) that have a
    value on at least one SKU of a product, and reports a product with more than `variant_attributes_max`
    (3; on Wish 2). Attributes declared but blank on every SKU are not counted (AE507 reports those).

Why is this bad:
    AliExpress's product API accepts 1 to 3 SKU attributes per product: a fourth is rejected at upload.
    A product that truly varies in four ways is usually two products (or one attribute is a property of
    the whole product, such as the material, and belongs in its description or attributes). Wish's
    variations are a size and a colour only (the merchant CSV's Size and Color columns).

Example:
    A sneaker with Color, Size, Width and Material options fires. Color, Size and "Ships From" do not.

Options:
    thresholds.variant_attributes_max (int, default 3; the Wish profile sets 2): the most attributes.

Source: AliExpress product API (1-3 SKU attributes); Wish merchant product CSV (Size, Color; layouts.md).
"""

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field

from aelint.i18n import _
from aelint.model import Problem, Product

from ._variants import label, variants

CODE = "AE511"
NAME = "too-many-variant-attributes"
SEVERITY = "error"


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use
    variant_attributes_max: int = Field(3, ge=1)
    marketplace_name: str = "AliExpress"


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    names = variants(product).filled
    most = options.variant_attributes_max
    if len(names) > most:
        shown = ", ".join(label(f) for f in names.values())
        extra = list(names.values())[most]
        sku = next(s for s in product.skus if s.values.get(extra, "").strip())
        yield Problem(_("the product varies by {count} attributes ({attributes}); {marketplace} allows at most "
                        "{most}").format(count=len(names), attributes=shown, marketplace=options.marketplace_name,
                                         most=most), product, cell=sku.cell(extra))


def prefilter(table, options: Options):
    """Only a product with more attribute columns filled on some SKU row than allowed can vary by too many
    attributes (columns naming one attribute twice count twice: a superset)."""
    import polars as pl

    fields = table.attribute_fields
    if len(fields) <= options.variant_attributes_max:
        return pl.lit(False)
    many = (table.skus.lazy().group_by("product")
            .agg(pl.sum_horizontal([(pl.col(f) != "").any() for f in fields]).alias("filled"))
            .filter(pl.col("filled") > options.variant_attributes_max).collect()["product"])
    return pl.col("index").is_in(many.implode())
