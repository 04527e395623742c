"""Products straight from a CSV's columns: batches whose table frames come from the polars frame the file was
read into, and whose `Product` objects are built only for what a rule or a diagnostic reads.

A large CSV is read by polars (catalog_files.open_csv). For the usual layouts (one product id column, each field
in one column, no options, other-language, unit or suppression columns, a product's rows adjacent, and a product
without pictures on its first row given none by the others), `frame_batches` groups the rows into products with
polars and gives each batch as a `FrameBatch`: a sequence of products (built on first use, by the reader's own
product builder run over that product's rows alone, so a product is exactly what the row-by-row reading makes),
and the columns `aelint.table.CatalogTable` would otherwise gather from every product (`TableColumns`).
Any other layout is read row by row, as before (`fits`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from aelint.model import Product

if TYPE_CHECKING:
    import polars as pl

    from aelint.reader import _ProductBuilder

# The characters Python's str.strip() and str.isspace() take for white space (polars' strip takes Unicode's
# White_Space, which lacks \x1c-\x1f).
PYTHON_WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                     "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


@dataclass
class TableColumns:
    """What a batch's CatalogTable reads of its products, made from the columns: the `products` and `skus`
    frames, the fields they hold, the products with a value from a later row (`apart`) and each product's
    count of main-image references; with a currency column, each SKU row's and product's currency (as
    `Sku.currency` and `Product.currency` give them)."""

    products: pl.DataFrame
    skus: pl.DataFrame
    product_fields: list[str]
    sku_fields: list[str]
    apart: frozenset[int]
    main_image_counts: pl.Series
    sku_currencies: pl.Series | None = None
    product_currencies: pl.Series | None = None


class FrameBatch(Sequence[Product]):
    """A batch of products read from columns: `batch[i]` builds product i (once) from its rows."""

    def __init__(self, build: _SoloBuilder, records: pl.DataFrame, positions: list[int], numbers: list[int],
                 starts: list[int], columns: TableColumns):
        # the batch's rows: their place in `records` and their lines; product i has rows starts[i]:starts[i + 1]
        self.build, self.records, self.positions, self.numbers = build, records, positions, numbers
        self.starts = starts
        self.columns = columns
        self.built: dict[int, Product] = {}

    def __len__(self) -> int:
        return len(self.starts) - 1

    def __getitem__(self, index: int) -> Product:  # type: ignore[override]
        if index < 0:
            index += len(self)
        product = self.built.get(index)
        if product is None:
            if not 0 <= index < len(self):
                raise IndexError(index)
            first, end = self.starts[index], self.starts[index + 1]
            product = self.built[index] = self.build(
                [(self.numbers[k], self.records.row(self.positions[k])) for k in range(first, end)])
        return product

    def __iter__(self) -> Iterator[Product]:
        return map(self.__getitem__, range(len(self)))

    def release(self) -> None:
        """The batch is linted: let its built products go (their SKUs hold them in a cycle)."""
        for product in self.built.values():
            product.release_shared()
            product.skus = []
        self.built.clear()


class _SoloBuilder:
    """Builds one product from its rows alone with a product builder of its own, on a copy of the catalog whose
    counts and lists it may change; the product then points at the real catalog."""

    def __init__(self, make_builder, catalog):
        self.catalog = catalog
        self.scratch = replace(catalog, products=[], suppressions={}, rows=0, product_count=0)
        self.builder: _ProductBuilder = make_builder(self.scratch)

    def __call__(self, rows: list[tuple[int, Sequence[Any]]]) -> Product:
        builder = self.builder
        builder.by_key, builder.unfilled, builder.option_names, builder.first_images = {}, {}, {}, {}
        builder.current = None
        for number, row in rows:
            builder.add(number, row)
        product = self.scratch.products.pop()
        product.catalog = self.catalog
        return product


def fits(builder: _ProductBuilder) -> bool:
    """Whether the header's layout is one `frame_batches` reads exactly as the row-by-row builder does."""
    return (len(builder.product_id_cols) == 1 and not builder.options
            and not builder.other_languages and not builder.images_span_rows and not builder.units
            and builder.suppress_col is None
            and all(i >= 0 for _, i, _ in builder.product_fields) and all(i >= 0 for _, i, _ in builder.sku_columns)
            and len(builder.title_cols) <= 1)


def frame_batches(builder: _ProductBuilder, frame: pl.DataFrame, numbers: list[int], make_builder
                  ) -> Iterator[FrameBatch] | None:
    """The catalog's products in batches of `builder.batch_products`, read from `frame` (every record of the
    file as text, `numbers` their lines) below the header row; None when the rows need the row-by-row builder
    (a product's rows apart, a first data row without a product id, a later row with pictures of its own)."""
    import polars as pl

    from aelint.table import PYTHON_SPACE

    header = numbers.index(builder.catalog.header_row)
    data = frame.slice(header + 1)
    names = data.columns

    def cell(index: int) -> pl.Expr:
        return pl.col(names[index]) if index < len(names) else pl.lit("")

    fields = [(name, i) for name, i, _ in builder.product_fields] + [(name, i) for name, i, _ in builder.sku_columns]
    images = [cell(i) for i in builder.image_cols]
    key = cell(builder.product_id_cols[0]).str.strip_chars(PYTHON_WHITESPACE)
    if builder.url_keys:  # a product link: without its query and fragment
        key = key.str.split("?").list.first().str.split("#").list.first()
    rows = data.select(
        pl.Series("_line", numbers[header + 1:], dtype=pl.UInt32),
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("_at"),
        key.alias("_key"),
        # a value is blank when empty or of spaces only (str.isspace)
        *(cell(i).str.contains(f"^[{PYTHON_SPACE}]*$").alias(name) for name, i in fields),
        *(image.alias(f"_image{k}") for k, image in enumerate(images)),
        pl.any_horizontal([image != "" for image in images] or [pl.lit(False)]).alias("_images"),
        # no picture named (spaces and separators only): a product whose first row is so takes a later row's
        pl.all_horizontal([image.str.contains(f"^[{PYTHON_SPACE};|,]*$") for image in images] or [pl.lit(True)])
        .alias("_bare"))
    rows = rows.filter((pl.col("_key") != "") | pl.col("_images")  # a blank row is no SKU
                       | ~pl.all_horizontal([pl.col(name) for name, _ in fields] or [pl.lit(True)]))
    if not rows.height:
        return iter(())
    keyed = rows["_key"] != ""
    if not keyed[0]:
        return None  # the first row has no product id: the builder makes it a product of its own
    current = rows.select(pl.when(pl.col("_key") != "").then(pl.col("_key")).forward_fill())["_key"]
    first = keyed & (current != current.shift(1)).fill_null(True)
    if first.sum() != current.n_unique():
        return None  # a product's rows apart: the builder groups them (or stops the stream: ProductSplit)
    rows = rows.with_columns(_product=(first.cum_sum() - 1).cast(pl.UInt32), _first=first)
    if images:
        # a later row with pictures of its own gives its SKU's image (reader._add_images), unless its product
        # has no main image yet, which the builder takes from it: such catalogs are read row by row
        own = pl.any_horizontal([_first_of_product(f"_image{k}") != pl.col(f"_image{k}") for k in range(len(images))])
        rows = rows.with_columns(_own_images=~pl.col("_first") & pl.col("_images") & own)
        if rows.select((_first_of_product("_bare") & pl.col("_own_images")).any()).item():
            return None
    return _batches(builder, rows, data, make_builder)


def _first_of_product(name: str) -> pl.Expr:
    """Each row's product's first row's value of a column of the grouped rows (a product's rows are adjacent)."""
    import polars as pl

    return pl.when(pl.col("_first")).then(pl.col(name)).forward_fill()


def _batches(builder: _ProductBuilder, rows: pl.DataFrame, data: pl.DataFrame, make_builder
             ) -> Iterator[FrameBatch]:
    """`frame_batches`' batches, from the grouped rows."""
    import polars as pl

    catalog = builder.catalog
    firsts = rows["_first"].arg_true()
    size = builder.batch_products or len(firsts)
    solo = _SoloBuilder(make_builder, catalog)
    for begin_product in range(0, len(firsts), size):
        end_product = min(begin_product + size, len(firsts))
        begin = firsts[begin_product]
        end = firsts[end_product] if end_product < len(firsts) else rows.height
        part = rows.slice(begin, end - begin).with_columns(pl.col("_product") - begin_product)
        starts = [*(firsts[begin_product:end_product] - begin).to_list(), part.height]
        at = part["_at"]
        offset = int(at[0])
        records = data.slice(offset, at[-1] - offset + 1)
        columns = _table_columns(builder, part, records, offset)
        catalog.rows += part.height
        catalog.product_count += len(starts) - 1
        yield FrameBatch(solo, records, (at - offset).to_list(), part["_line"].to_list(), starts, columns)


def _table_columns(builder: _ProductBuilder, part: pl.DataFrame, records: pl.DataFrame, offset: int
                   ) -> TableColumns:
    """The table frames of one batch (see aelint.table: the same columns, in the same order): `part` its
    grouped rows, `records` the file's records they span from the row at `offset` of the data on."""
    import polars as pl

    names = records.columns
    firsts = part.filter("_first")
    n = firsts.height

    def cells(rows: pl.Series, fields) -> pl.DataFrame:  # the fields' cells of these rows, by field name
        return records.select(*((pl.col(names[i]) if i < len(names) else pl.lit("")).gather(rows).alias(name)
                                for name, i, _ in fields))

    # a product's value: its first row's, else the first later row's that has one (and then it stands apart)
    values = cells(firsts["_at"] - offset, builder.product_fields).with_columns(
        pl.when(firsts[name]).then(pl.lit("")).otherwise(pl.col(name)).alias(name)
        for name, _, _ in builder.product_fields)
    later = part.filter(~pl.col("_first") & pl.any_horizontal(
        [_first_of_product(name) & ~pl.col(name) for name, _, _ in builder.product_fields] or [pl.lit(False)]))
    apart: set[int] = set()
    if later.height:
        values, apart = _later_values(builder, values, later, firsts, records, offset)
    kept = [name for name in values.columns if (values[name] != "").any()]
    product_fields = sorted({"title", "description", "product_id", *kept})
    columns = {name: values[name] for name in kept}
    columns["product_id"] = firsts["_key"]
    counts = pl.Series("count", [0] * n, dtype=pl.UInt32)
    if builder.image_cols:
        joined, counts = _main_images(firsts.select(pl.col(f"_image{k}") for k in range(len(builder.image_cols))))
        if (counts > 0).any():
            columns["main_images"] = joined
            product_fields = sorted({*product_fields, "main_images"})
    products = pl.DataFrame({
        "index": pl.int_range(n, dtype=pl.UInt32, eager=True), "row": firsts["_line"],
        "views": _views(builder, part, columns.get("title"), records, offset),
        "language": pl.Series([builder.catalog.language] * n, dtype=pl.String),
        **{name: columns[name].alias(name) if name in columns else pl.Series(name, [""] * n, dtype=pl.String)
           for name in product_fields}})
    sku_values = cells(part["_at"] - offset, builder.sku_columns).with_columns(
        pl.when(part[name]).then(pl.lit("")).otherwise(pl.col(name)).alias(name) for name, _, _ in builder.sku_columns)
    if builder.image_cols and part["_own_images"].any():
        sku_values = _sku_images(part, sku_values, len(builder.image_cols))
    own = sorted(name for name in sku_values.columns if (sku_values[name] != "").any())
    skus = pl.DataFrame([part["_product"].alias("product"), part["_line"].alias("row"),
                         *(sku_values[name] for name in own)])
    columns = TableColumns(products, skus, product_fields, own, frozenset(apart), counts)
    if "currency" in sku_values.columns:
        columns.sku_currencies, columns.product_currencies = _currencies(
            part["_product"], sku_values["currency"], builder.catalog.currency)
    return columns


def _currencies(products: pl.Series, own: pl.Series, header: str | None) -> tuple[pl.Series, pl.Series]:
    """Each SKU row's and each product's currency from the rows' own currency cells ("" where blank): a
    row's own, as an ISO code (None when it is none), else its product's: its first row's that has one, else
    the price header's ("" when nothing says)."""
    import polars as pl

    from aelint.numbers import currency_code

    distinct = own.unique(maintain_order=True)
    codes = own.replace_strict(distinct, pl.Series([currency_code(v) for v in distinct.to_list()], dtype=pl.String),
                               return_dtype=pl.String)
    given = pl.DataFrame({"product": products, "own": own, "code": codes})
    first = (given.filter(pl.col("own") != "").group_by("product", maintain_order=True)
             .agg(pl.col("code").first(), pl.lit(True).alias("own")))
    count = int(products[-1]) + 1 if len(products) else 0
    product = pl.DataFrame({"product": pl.int_range(count, dtype=pl.UInt32, eager=True)}).join(
        first, on="product", how="left", maintain_order="left").select(
        pl.when(pl.col("own")).then(pl.col("code")).otherwise(pl.lit(header or "")).alias("currency"))["currency"]
    sku = given.select(pl.when(pl.col("own") != "").then(pl.col("code")).otherwise(product.gather(products)))
    return sku.to_series(), product


def _later_values(builder: _ProductBuilder, values: pl.DataFrame, later: pl.DataFrame, firsts: pl.DataFrame,
                  records: pl.DataFrame, offset: int) -> tuple[pl.DataFrame, set[int]]:
    """The product values a product's first row leaves blank, from its first later row that has one."""
    import polars as pl

    names = records.columns
    columns = {name: values[name].to_list() for name in values.columns}
    apart = set()
    for name, i, _ in builder.product_fields:
        blank_first = firsts[name].gather(later["_product"])
        found = later.filter(blank_first & ~later[name]).unique("_product", keep="first", maintain_order=True)
        if not found.height:
            continue
        for product, row in zip(found["_product"].to_list(), (found["_at"] - offset).to_list()):
            columns[name][product] = records[names[i]][row]
            apart.add(product)
    return pl.DataFrame({name: pl.Series(name, column, dtype=pl.String) for name, column in columns.items()}), apart


def _main_images(cells: pl.DataFrame) -> tuple[pl.Series, pl.Series]:
    """Each first row's main-image references (reader._split_images of each image cell, in column order),
    joined by '; ' as `Product.values["main_images"]` holds them, and their count."""
    import polars as pl

    from aelint.reader import _split_images

    split_signs = pl.any_horizontal([pl.col(name).str.contains("[\n;|,]") for name in cells.columns])
    refs = [pl.col(name).str.strip_chars(PYTHON_WHITESPACE) for name in cells.columns]
    found = cells.select(pl.concat_str([pl.when(ref != "").then(ref) for ref in refs], separator="; ",
                                       ignore_nulls=True).alias("joined"),
                         pl.sum_horizontal([(ref != "").cast(pl.UInt32) for ref in refs]).alias("count"),
                         split_signs.alias("odd"))
    joined, counts = found["joined"], found["count"]
    odd = found["odd"].arg_true()
    if len(odd):  # cells that may name several pictures: split as the reader splits them
        split = [[ref for value in row if value != "" for ref in _split_images(value)] for row in cells[odd].rows()]
        joined = joined.scatter(odd, ["; ".join(refs) for refs in split])
        counts = counts.scatter(odd, [len(refs) for refs in split])
    return joined, counts


def _views(builder: _ProductBuilder, part: pl.DataFrame, titles: pl.Series | None, records: pl.DataFrame,
           offset: int) -> pl.Series:
    """Each product's follow-on rows with a title of their own (`Product.row_titles`), counted: a later row's
    non-blank title that differs from its product's, as written and stripped."""
    import polars as pl

    views = [0] * (int(part["_product"][-1]) + 1 if part.height else 0)
    if builder.title_cols and titles is not None and builder.title_cols[0] < records.width:
        later = part.filter(~pl.col("_first") & ~pl.col("title"))
        own = records[records.columns[builder.title_cols[0]]].gather(later["_at"] - offset)
        product_title = titles.gather(later["_product"])
        differ = own != product_title
        for index, text, title in zip(later["_product"].filter(differ).to_list(), own.filter(differ).to_list(),
                                      product_title.filter(differ).to_list()):
            if text.strip() != title.strip():
                views[index] += 1
    return pl.Series(views, dtype=pl.UInt32)


def _sku_images(part: pl.DataFrame, sku_values: pl.DataFrame, image_columns: int) -> pl.DataFrame:
    """The SKU values with the image a row's own pictures give (the first of them) where the row has none
    in a variant-image column, as reader._add_images sets it."""
    import polars as pl

    from aelint.reader import _split_images

    at = part["_own_images"].arg_true()
    given = sku_values["variant_image"] if "variant_image" in sku_values.columns else pl.Series(
        "variant_image", [""] * part.height, dtype=pl.String)
    chosen = []
    for position, own, *cells in zip(at.to_list(), given.gather(at).to_list(),
                                     *(part[f"_image{k}"].gather(at).to_list() for k in range(image_columns))):
        first = next((ref for value in cells if value != "" for ref in _split_images(value)), None)
        if first is not None and own == "":
            chosen.append((position, first))
    if not chosen:
        return sku_values
    positions, refs = zip(*chosen)
    return sku_values.with_columns(given.scatter(list(positions), list(refs)).alias("variant_image"))
