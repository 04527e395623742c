"""Products straight from a CSV's columns: batches whose table frames come from the polars frame the file was
read into, and whose `Product` objects are built only for what a rule or a diagnostic reads.

A large CSV is read by polars (catalog_files.open_csv). For the usual layouts (one product id column, each field
in one column, no options, other languages, units, currency or suppression columns, a product's rows adjacent and
its later rows repeating its images or leaving them blank), `frame_batches` groups the rows into products with
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
    count of main-image references."""

    products: pl.DataFrame
    skus: pl.DataFrame
    product_fields: list[str]
    sku_fields: list[str]
    apart: frozenset[int]
    main_image_counts: pl.Series


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

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
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
            and builder.suppress_col is None and "currency" not in builder.catalog.columns
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

    def value(index: int) -> pl.Expr:  # the cell, null where blank (empty or spaces only)
        return pl.when(cell(index).str.contains(f"^[{PYTHON_SPACE}]*$")).then(None).otherwise(cell(index))

    fields = [(name, i) for name, i, _ in builder.product_fields] + [(name, i) for name, i, _ in builder.sku_columns]
    images = builder.image_cols
    key = cell(builder.product_id_cols[0]).str.strip_chars(PYTHON_WHITESPACE)
    if builder.url_keys:  # a product link: without its query and fragment
        key = key.str.split("?").list.first().str.split("#").list.first()
    rows = data.select(
        pl.Series("_line", numbers[header + 1:], dtype=pl.UInt32),
        key.alias("_key"),
        *(value(i).alias(name) for name, i in fields),
        pl.concat_list([cell(i) for i in images]).alias("_image_cells") if images else pl.lit(None).alias("_image_cells"),
        pl.any_horizontal([cell(i) != "" for i in images]).alias("_images") if images else pl.lit(False).alias("_images"),
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("_at"),
        # no picture named (spaces and separators only): a product whose first row is so takes a later row's
        pl.all_horizontal([cell(i).str.contains(f"^[{PYTHON_SPACE};|,]*$") for i in images] or [pl.lit(True)])
        .alias("_bare"))
    filled = pl.any_horizontal([pl.col(name).is_not_null() for name, _ in fields]) if fields else pl.lit(False)
    rows = rows.filter((pl.col("_key") != "") | pl.col("_images") | filled)  # a blank row is no SKU
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
        own = ~pl.col("_first") & pl.col("_images") & (
            pl.col("_image_cells") != pl.col("_image_cells").first().over("_product"))
        rows = rows.with_columns(_own_images=own)
        if rows.select((pl.col("_own_images").any().over("_product") & pl.col("_first") & pl.col("_bare")).any()
                       ).item():
            return None
    return _batches(builder, rows, data, make_builder)


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
        columns = _table_columns(builder, part)
        catalog.rows += part.height
        catalog.product_count += len(starts) - 1
        at = part["_at"]
        records = data.slice(at[0], at[-1] - at[0] + 1)
        yield FrameBatch(solo, records, (at - at[0]).to_list(), part["_line"].to_list(), starts, columns)


def _table_columns(builder: _ProductBuilder, part: pl.DataFrame) -> TableColumns:
    """The table frames of one batch's rows (see aelint.table: the same columns, in the same order)."""
    import polars as pl

    from aelint.reader import _split_images

    n = int(part["_product"][-1]) + 1 if part.height else 0
    product_names = [name for name, _, _ in builder.product_fields]
    sku_names = [name for name, _, _ in builder.sku_columns]
    # a product's value: its first row's, else the first later row's that has one (and then it stands apart)
    grouped = part.group_by("_product", maintain_order=True).agg(
        pl.col("_line").first().alias("row"), pl.col("_key").first().alias("product_id"),
        *(pl.col(name).drop_nulls().first() for name in product_names),
        pl.any_horizontal([pl.col(name).first().is_null() & pl.col(name).drop_nulls().len().gt(0)
                           for name in product_names] or [pl.lit(False)]).alias("_apart"))
    values = {name: grouped[name] for name in product_names if grouped[name].null_count() < n}
    values["product_id"] = grouped["product_id"]
    counts = pl.Series("count", [0] * n, dtype=pl.UInt32)
    if builder.image_cols:
        firsts = part.filter("_first")["_image_cells"].to_list()
        refs = [[ref for value in cells if value != "" for ref in _split_images(value)] for cells in firsts]
        counts = pl.Series("count", [len(r) for r in refs], dtype=pl.UInt32)
        if (counts > 0).any():
            values["main_images"] = pl.Series(["; ".join(r) for r in refs], dtype=pl.String)
    views = [0] * n  # each product's follow-on rows with a title of their own (Product.row_titles)
    if builder.title_cols and "title" in product_names:
        title = grouped["title"].gather(part["_product"])
        differs = part.select(pl.col("_product"), pl.col("title"), title.alias("_title")).filter(
            ~part["_first"] & part["title"].is_not_null() & (part["title"] != title))
        for index, own, product_title in differs.iter_rows():
            if own.strip() != product_title.strip():
                views[index] += 1
    product_fields = sorted({"title", "description", *values})
    products = pl.DataFrame({
        "index": pl.int_range(n, dtype=pl.UInt32, eager=True), "row": grouped["row"], "views": pl.Series(views, dtype=pl.UInt32),
        "language": pl.Series([builder.catalog.language] * n, dtype=pl.String),
        **{name: (values[name] if name in values else pl.Series([""] * n)).fill_null("").alias(name)
           for name in product_fields}})
    if builder.image_cols and part["_own_images"].any():
        part = _sku_images(part, sku_names)
    own = [name for name in {*sku_names, "variant_image"} & set(part.columns)
           if part[name].null_count() < part.height]
    skus = part.select(pl.col("_product").alias("product"), pl.col("_line").alias("row"),
                       *(pl.col(name).fill_null("") for name in sorted(own)))
    apart = frozenset(grouped.with_row_index().filter("_apart")["index"].to_list())
    return TableColumns(products, skus, product_fields, sorted(own), apart, counts)


def _sku_images(part: pl.DataFrame, sku_names: list[str]) -> pl.DataFrame:
    """The rows with the SKU image their own pictures give (the first of them) where the row has none of its
    own in a variant-image column, as reader._add_images sets it."""
    import polars as pl

    from aelint.reader import _split_images

    at = part["_own_images"].arg_true()
    given = part["variant_image"] if "variant_image" in sku_names else pl.Series([None] * part.height, dtype=pl.String)
    chosen = []
    for position, cells, own in zip(at.to_list(), part["_image_cells"].gather(at).to_list(), given.gather(at).to_list()):
        first = next((ref for value in cells if value != "" for ref in _split_images(value)), None)
        if first is not None and own is None:
            chosen.append((position, first))
    if not chosen:
        return part
    positions, refs = zip(*chosen)
    return part.with_columns(given.scatter(list(positions), list(refs)).alias("variant_image"))
