"""AE302 main-image-count: more than 6 main images (error), or fewer than 6 (info).

What it does:
    Counts the distinct main images of each product. More than 6 is an error (AliExpress keeps at most
    six); 1 to 5 is reported as information, since all six slots help the listing. Products without any
    main image are left to AE301.

Why is this bad:
    The product API's `main_image_urls_list` holds at most six images, so extra ones are dropped or
    the upload is refused. Seller FAQ 29 speaks of "the six main images" of a product, and FAQ 23
    counts the number of images among the ranking factors: fewer images mean a weaker product sheet.

Example:
    A product with seven image links fires as an error on the seventh; a product with three fires as
    information. The same link given twice counts once.

Options:
    none.

Source: AliExpress product API `main_image_urls_list` (max 6); seller FAQ 23, 29.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from aelint.i18n import _, ngettext
from aelint.model import Problem, Product

if TYPE_CHECKING:
    import polars as pl

CODE = "AE302"
NAME = "main-image-count"
SEVERITY = "error"
MAX_MAIN_IMAGES = 6
ASCII_SPACES_BUT_SPACE = r"[\t-\r\x1c-\x1f]"  # what str.isspace() is true for in ASCII, ' ' aside


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    distinct = {}
    for cell in product.image_cells("main_images"):
        distinct.setdefault(cell.value.strip(), cell)
    count = len(distinct)
    if count > MAX_MAIN_IMAGES:
        seventh = list(distinct.values())[MAX_MAIN_IMAGES]
        yield Problem(_("{count} main images; AliExpress keeps at most {most}").format(
                      count=count, most=MAX_MAIN_IMAGES), product, cell=seventh, severity="error")
    elif 0 < count < MAX_MAIN_IMAGES:
        yield Problem(_few(count), product, cell=product.cell("main_images"), severity="info")


def check_table(table, options: Options) -> list[Problem]:
    """The count taken over the main-images column, which holds a product's references joined by '; ':
    where their number is that of the product's image cells and none holds a space (ASCII references),
    polars counts the distinct ones; for the other products (Shopify's, whose later rows add pictures, say) the
    distinct stripped references of `table.main_image_refs` are counted. Those with too many images (the
    message names the 7th) are judged by `check_product`. The products with too few images (30k of the
    generated 100k-row catalog's 40k) share five messages, and their problems are made from columns
    (`CatalogTable.problems`)."""
    from operator import itemgetter

    import polars as pl

    products = table.catalog.products
    refs = table.text("main_images")
    separators = refs.str.count_matches("; ", literal=True)
    cells = table.main_image_counts  # len(product.image_cells("main_images"))
    # as many references as cells, and no space but those of the separators: ASCII (the rest is judged in
    # Python), so that no other space than ' ' and the ASCII ones in one byte can be there (Rust finds a
    # byte among a few fast, a character of a Unicode class 10x slower)
    plain = ((pl.when(refs == "").then(0).otherwise(separators + 1) == cells)
             & (refs.str.count_matches(" ", literal=True) == separators)
             & (refs.str.len_bytes() == refs.str.len_chars()) & ~refs.str.contains(ASCII_SPACES_BUT_SPACE))
    count = pl.when(refs == "").then(0).otherwise(refs.str.split("; ").list.n_unique())
    judged = (table.products.lazy().select("index", plain.alias("plain"), count.alias("count"))
              .filter(~pl.col("plain") | (pl.col("count") > 0) & (pl.col("count") != MAX_MAIN_IMAGES)).collect())
    if not judged["plain"].all():
        judged = pl.concat([judged.filter("plain"), _counted(table, judged.filter(~pl.col("plain"))["index"])]
                           ).sort("index")
    few = judged["count"] < MAX_MAIN_IMAGES
    indices, counts = judged["index"].filter(few).to_list(), judged["count"].filter(few).to_list()
    messages = {count: _few(count) for count in set(counts)}
    found = table.problems("main_images", indices, map(messages.__getitem__, counts), severity="info")
    others = judged["index"].filter(~few).to_list()
    if not others:
        return found
    found_apart = [(index, problem) for index in others for problem in check_product(products[index], options)]
    return [problem for _index, problem in sorted([*zip(indices, found), *found_apart], key=itemgetter(0))]


def _counted(table, indices: pl.Series) -> pl.DataFrame:
    """`index`, `plain` (true) and `count` (distinct stripped main-image references, as `check_product` counts
    them) of the products at `indices` that have a count to report."""
    import polars as pl

    refs = table.main_image_refs.filter(pl.col("index").is_in(indices.implode()))
    return (refs.with_columns(table.stripped(refs["ref"]).alias("ref")).group_by("index")
            .agg(pl.lit(True).alias("plain"), pl.col("ref").n_unique().cast(pl.UInt32).alias("count"))
            .filter(pl.col("count") != MAX_MAIN_IMAGES))


def _few(count: int) -> str:
    return ngettext("{count} main image; use all {slots} slots to show the product better",
                    "{count} main images; use all {slots} slots to show the product better",
                    count).format(count=count, slots=MAX_MAIN_IMAGES)
