"""Products straight from a large file's columns: batches whose table frames come from the polars frame the file
was read into, and whose `Product` objects are built only for what a rule or a diagnostic reads.

A large CSV is read by polars (catalog_files.open_csv), a large workbook's sheet by fastexcel
(aelint.workbook_columns), and a polars table handed to the library is taken as it is (reader.stream_frame).
For the usual layouts (one product id column, no other-language or suppression column, a product's rows
adjacent, and, unless its images span its rows as Shopify's do, a product without pictures on its first row
given none by the others; options, units to convert and fields over several columns are read too),
`frame_batches` groups the rows into products with polars and gives each batch as a `FrameBatch`: a sequence of products (built on first use, by the reader's own
product builder run over that product's rows alone, so a product is exactly what the row-by-row reading makes),
and the columns `aelint.table.CatalogTable` would otherwise gather from every product (`TableColumns`).
Any other layout is read row by row, as before (`fits`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from aelint.model import Product

if TYPE_CHECKING:
    import numpy as np
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
    empty_value_products: pl.Series | None = None  # with options: each SKU row's product holding a blank value
    main_image_refs: pl.DataFrame | None = None  # with images over a product's rows (Shopify)


class FrameBatch(Sequence[Product]):
    """A batch of products read from columns: `batch[i]` builds product i (once) from its rows; `last`: the
    catalog's last batch (the engine's collectors then finish beside its rules)."""

    def __init__(self, build: _SoloBuilder, records: pl.DataFrame, positions: np.ndarray, numbers: np.ndarray,
                 starts: list[int], columns: TableColumns, last: bool = False):
        # the batch's rows: their place in `records` and their lines (numpy arrays: a few products are built, so
        # Python ints are made for their rows alone); product i has rows starts[i]:starts[i + 1]
        self.build, self.records, self.positions, self.numbers = build, records, positions, numbers
        self.starts = starts
        self.columns, self.last = columns, last
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
            with self.build.lock:  # one builder for the catalog; the collectors' thread builds products too
                product = self.built.get(index)
                if product is None:
                    first, end = self.starts[index], self.starts[index + 1]
                    product = self.built[index] = self.build(
                        [(number, self.records.row(at)) for number, at in zip(self.numbers[first:end].tolist(),
                                                                               self.positions[first:end].tolist())])
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
    counts and lists it may change; the product then points at the real catalog. One product at a time: a
    FrameBatch builds under `lock` (both of the engine's threads build products)."""

    def __init__(self, make_builder, catalog):
        self.catalog = catalog
        self.lock = threading.Lock()
        self.scratch = replace(catalog, products=[], suppressions={}, rows=0, product_count=0)
        self.builder: _ProductBuilder = make_builder(self.scratch)

    def __call__(self, rows: list[tuple[int, Sequence[Any]]]) -> Product:
        builder = self.builder
        builder.forget_products()
        for number, row in rows:
            builder.add(number, row)
        product = self.scratch.products.pop()
        builder.forget_products()  # (nor is the product kept here once its batch lets it go)
        product.catalog = self.catalog
        return product


def fits(builder: _ProductBuilder) -> bool:
    """Whether the header's layout is one `frame_batches` reads exactly as the row-by-row builder does."""
    return len(builder.product_id_cols) == 1 and not builder.other_languages and builder.suppress_col is None


def _blank(value: pl.Expr) -> pl.Expr:
    """Whether a text cell is blank: empty or of spaces only (str.isspace)."""
    from aelint.table import PYTHON_SPACE

    return _made_of(value, PYTHON_SPACE, "!", "\x7f")  # printable ASCII holds no space


def _no_picture(value: pl.Expr) -> pl.Expr:
    """Whether an image cell names no picture: spaces and separators only."""
    from aelint.table import PYTHON_SPACE

    return _made_of(value, f"{PYTHON_SPACE};|,", "<", "|")  # '<' to '{' holds the letters and no separator


def _made_of(value: pl.Expr, characters: str, none_from: str, none_to: str) -> pl.Expr:
    """Whether a text cell holds `characters` alone (a regex class's content), an empty cell included. Every
    character from `none_from` up to `none_to` (excluded) must be none of them: a cell starting with one is
    told apart by polars from the few bytes it keeps beside each string's pointer, and the pattern reads only
    the other cells (half the time of the pattern over every cell on the 100k-row CSV)."""
    import polars as pl

    elsewhere = (value >= none_from) & (value < none_to)
    return pl.when(elsewhere).then(pl.lit(none_from)).otherwise(value).str.contains(f"^[{characters}]*$")


def _field_value(cells: list[pl.Expr]) -> pl.Expr:
    """A field's value from its columns' cells (reader._read): the first that is not blank, else ""."""
    import polars as pl

    if len(cells) == 1:
        return cells[0]
    value = pl.lit("")
    for cell in reversed(cells):
        value = pl.when(~_blank(cell)).then(cell).otherwise(value)
    return value


def frame_batches(builder: _ProductBuilder, frame: pl.DataFrame, numbers: list[int], make_builder
                  ) -> Iterator[FrameBatch] | None:
    """The catalog's products in batches of `builder.batch_products`, read from `frame` (every record of the
    file as text, `numbers` their lines) below the header row; None when the rows need the row-by-row builder
    (a product's rows apart, a first data row without a product id, a later row with pictures of its own)."""
    import polars as pl

    header = numbers.index(builder.catalog.header_row)
    data = frame.slice(header + 1)
    names = data.columns

    def cell(index: int | None) -> pl.Expr:
        return pl.col(names[index]) if index is not None and 0 <= index < len(names) else pl.lit("")

    def stripped(index: int | None) -> pl.Expr:
        return cell(index).str.strip_chars(PYTHON_WHITESPACE)

    fields = [(name, indexes) for name, _, indexes in builder.product_fields + builder.sku_columns]
    images = [cell(i) for i in builder.image_cols]
    key = stripped(builder.product_id_cols[0])
    if builder.url_keys:  # a product link: without its query and fragment
        key = key.str.split("?").list.first().str.split("#").list.first()
    rows = data.select(
        pl.Series("_line", numbers[header + 1:], dtype=pl.UInt32),
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("_at"),
        key.alias("_key"),
        # a field is blank when all its cells are empty or of spaces only (str.isspace)
        *(pl.all_horizontal([_blank(cell(i)) for i in indexes]).alias(name) for name, indexes in fields),
        # each option's name and value, stripped (reader._ProductBuilder.add)
        *(stripped(name_at).alias(f"_option_name{k}") for k, (name_at, _) in enumerate(builder.options)),
        *(stripped(value_at).alias(f"_option_value{k}") for k, (_, value_at) in enumerate(builder.options)),
        *(image.alias(f"_image{k}") for k, image in enumerate(images)),
        pl.any_horizontal([image != "" for image in images] or [pl.lit(False)]).alias("_images"))
    rows = rows.filter((pl.col("_key") != "") | pl.col("_images")  # a blank row is no SKU
                       | ~pl.all_horizontal([pl.col(name) for name, _ in fields] or [pl.lit(True)])
                       | pl.any_horizontal([pl.col(f"_option_{part}{k}") != "" for k in range(len(builder.options))
                                            for part in ("name", "value")] or [pl.lit(False)]))
    if not rows.height:
        return iter(())
    keyed = rows["_key"] != ""
    if not keyed[0]:
        return None  # the first row has no product id: the builder makes it a product of its own
    current = rows.select(pl.when(pl.col("_key") != "").then(pl.col("_key")).forward_fill())["_key"]
    first = keyed & (current != current.shift(1)).fill_null(True)
    if first.sum() != current.filter(first).n_unique():  # each row's key is that of a product's first row
        return None  # a product's rows apart: the builder groups them (or stops the stream: ProductSplit)
    rows = rows.with_columns(_product=(first.cum_sum() - 1).cast(pl.UInt32), _first=first)
    if builder.options:
        rows = _option_fields(rows, len(builder.options))
    if images and not builder.images_span_rows:
        # a later row with pictures of its own gives its SKU's image (reader._add_images), unless its product
        # has no main image yet, which the builder takes from it: such catalogs are read row by row
        own = pl.any_horizontal([_first_of_product(f"_image{k}") != pl.col(f"_image{k}") for k in range(len(images))])
        rows = rows.with_columns(_own_images=~pl.col("_first") & pl.col("_images") & own)
        # a first row naming no picture (spaces and separators only), looked for only when a later row has its own
        bare = pl.all_horizontal([_no_picture(pl.col(f"_image{k}")) for k in range(len(images))])
        if rows["_own_images"].any() and rows.select(
                (pl.when(pl.col("_first")).then(bare).forward_fill() & pl.col("_own_images")).any()).item():
            return None
    return _batches(builder, rows, data, make_builder)


def _option_fields(rows: pl.DataFrame, count: int) -> pl.DataFrame:
    """Each row's field of each option (`_option_field{k}`, null where the row sets none), as
    reader._ProductBuilder._add_option names it: from the row's option name, else the first name its product's
    earlier rows gave; none without a name, or for Shopify's "Title"/"Default Title"."""
    import polars as pl

    from aelint.headers import attribute_field

    named = []
    for k in range(count):
        name, value = pl.col(f"_option_name{k}"), pl.col(f"_option_value{k}")
        given = name != ""
        first_at = pl.when(given).then(pl.col("_at")).min().over("_product")
        first_name = name.filter(given).first().over("_product")
        name = pl.when(given).then(name).when(first_at < pl.col("_at")).then(first_name).otherwise(pl.lit(""))
        skipped = (name == "") | ((name.str.to_lowercase() == "title")
                                  & (value.str.to_lowercase() == "default title"))
        named.append(pl.when(~skipped).then(name).alias(f"_option_field{k}"))
    rows = rows.with_columns(named)
    distinct = pl.concat([rows[f"_option_field{k}"] for k in range(count)]).drop_nulls().unique()
    fields = pl.Series([attribute_field(name) for name in distinct.to_list()], dtype=pl.String)
    return rows.with_columns(pl.col(f"_option_field{k}").replace_strict(distinct, fields, default=None,
                                                                         return_dtype=pl.String)
                             for k in range(count))


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
        yield FrameBatch(solo, records, (at - offset).to_numpy(), part["_line"].to_numpy(), starts, columns,
                         last=end_product == len(firsts))


def _table_columns(builder: _ProductBuilder, part: pl.DataFrame, records: pl.DataFrame, offset: int
                   ) -> TableColumns:
    """The table frames of one batch (see aelint.table: the same columns, in the same order): `part` its
    grouped rows, `records` the file's records they span from the row at `offset` of the data on."""
    import polars as pl

    names = records.columns
    firsts = part.filter("_first")
    n = firsts.height

    def cells(rows: pl.Series, fields) -> pl.DataFrame:  # the fields' values in these rows, by field name
        # gathered, not filtered by a mask (_kept): 40 ms less here, but the rules then read them 50 ms slower
        return records.select(*(_field_value([pl.col(names[i]).gather(rows) if i < len(names) else pl.lit("")
                                              for i in indexes]).alias(name) for name, _, indexes in fields))

    # a product's value: its first row's, else the first later row's that has one (and then it stands apart)
    gaps = [name for name, _, _ in builder.product_fields if firsts[name].any()]  # blank on a first row
    values = cells(firsts["_at"] - offset, builder.product_fields).with_columns(
        pl.when(firsts[name]).then(pl.lit("")).otherwise(pl.col(name)).alias(name) for name in gaps)
    apart: set[int] = set()
    if gaps:
        later = part.filter(~pl.col("_first") & pl.any_horizontal(
            [_first_of_product(name) & ~pl.col(name) for name in gaps]))
        if later.height:
            values, apart = _later_values(builder, values, later, firsts, records, offset)
    if builder.units:
        values = _with_units(values, builder.units)
    kept = [name for name in values.columns if (values[name] != "").any()]
    product_fields = sorted({"title", "description", "product_id", *kept})
    columns = {name: values[name] for name in kept}
    columns["product_id"] = firsts["_key"]
    counts = pl.Series("count", [0] * n, dtype=pl.UInt32)
    image_refs = None
    if builder.images_span_rows:
        joined, counts, image_refs, later_images = _spanning_images(part, n, len(builder.image_cols))
        apart.update(later_images)
    elif builder.image_cols:
        joined, counts = _main_images(firsts.select(pl.col(f"_image{k}") for k in range(len(builder.image_cols))))
    if builder.image_cols:
        if (counts > 0).any():
            columns["main_images"] = joined
            product_fields = sorted({*product_fields, "main_images"})
    products = pl.DataFrame({
        "index": pl.int_range(n, dtype=pl.UInt32, eager=True), "row": firsts["_line"],
        "views": _views(builder, part, columns.get("title"), records, offset),
        "language": pl.Series([builder.catalog.language] * n, dtype=pl.String),
        **{name: columns[name].alias(name) if name in columns else pl.Series(name, [""] * n, dtype=pl.String)
           for name in product_fields}}).rechunk()  # one chunk a column (see `skus`)
    sku_values = cells(part["_at"] - offset, builder.sku_columns).with_columns(
        pl.when(part[name]).then(pl.lit("")).otherwise(pl.col(name)).alias(name) for name, _, _ in builder.sku_columns)
    if builder.image_cols and not builder.images_span_rows and part["_own_images"].any():
        sku_values = _sku_images(part, sku_values, len(builder.image_cols))
    declared: set[str] = set()
    empty = None
    if builder.options:
        sku_values, declared, empty = _option_values(part, sku_values, len(builder.options))
    if builder.images_span_rows:  # a later row without a value of its own (Shopify's image-only row) is no SKU
        is_sku = part["_first"]
        if sku_values.width:
            is_sku = is_sku | sku_values.select(pl.any_horizontal(pl.all() != "")).to_series()
        if not is_sku.all():
            part, sku_values = part.filter(is_sku), sku_values.filter(is_sku)
            empty = None if empty is None else empty.filter(is_sku)
            declared = {name for name in declared
                        if any((part[f"_option_field{k}"] == name).any() for k in range(len(builder.options)))}
    own = sorted({name for name in sku_values.columns if (sku_values[name] != "").any()} | declared)
    # one chunk a column, as the rules read them fastest (a column taken from the file's rows as they are keeps
    # the file's chunks: polars reads it in ~49), which every gather and row lookup in a rule would search
    skus = pl.DataFrame([part["_product"].alias("product"), part["_line"].alias("row"),
                         *(sku_values[name] for name in own)]).rechunk()
    columns = TableColumns(products, skus, product_fields, own, frozenset(apart), counts,
                           empty_value_products=None if empty is None else part["_product"].filter(empty),
                           main_image_refs=image_refs)
    if "currency" in sku_values.columns:
        columns.sku_currencies, columns.product_currencies = _currencies(
            part["_product"], sku_values["currency"], builder.catalog.currency)
    return columns


def _kept(records: pl.DataFrame, rows: pl.Series) -> pl.Series | None:
    """Which of `records` are at `rows` (ascending, each once), as a mask to filter them by; None for all of them.
    The file's columns come in many chunks (one per block polars read), which a filter reads in one pass each
    and a gather by row numbers looks up row by row (5x slower: 7 columns of 100k rows, 16-24 ms against 3-4).
    For text only counted here (`_views`): the rules read gathered columns faster (`_table_columns`' cells)."""
    import polars as pl

    if len(rows) == records.height:
        return None
    return pl.repeat(False, records.height, dtype=pl.Boolean, eager=True).scatter(rows, True)


def _with_units(values: pl.DataFrame, units: dict[str, str]) -> pl.DataFrame:
    """The product values with a bare number in a field whose header names a unit written with it
    ('145' grams reads '145 g'), as reader._ProductBuilder._fill_product writes them."""
    import polars as pl

    from aelint.reader import BARE_NUMBER_RE

    converted = []
    for name, unit in units.items():
        if name in values.columns:
            distinct = values[name].unique()
            written = [f"{v.strip()} {unit}" if BARE_NUMBER_RE.match(v) else v for v in distinct.to_list()]
            converted.append(values[name].replace_strict(distinct, pl.Series(written, dtype=pl.String)))
    return values.with_columns(converted)


def _option_values(part: pl.DataFrame, sku_values: pl.DataFrame, count: int
                   ) -> tuple[pl.DataFrame, set[str], pl.Series]:
    """The SKU values with the options' (a later option over an earlier one and over the field's column, its
    value kept even when blank), the fields the options declare, and which rows hold a blank value."""
    import polars as pl

    fields = pl.concat([part[f"_option_field{k}"] for k in range(count)]).drop_nulls().unique(maintain_order=True)
    empty = pl.Series([False] * part.height)
    given = []
    for name in fields.to_list():
        hits = [(part[f"_option_field{k}"] == name).fill_null(False) for k in range(count)]
        value = sku_values[name] if name in sku_values.columns else pl.Series([""] * part.height, dtype=pl.String)
        for k, hit in enumerate(hits):
            value = part[f"_option_value{k}"].zip_with(hit, value)
        given.append(value.alias(name))
        declared = hits[0]
        for hit in hits[1:]:
            declared = declared | hit
        empty = empty | (declared & (value == ""))
    return sku_values.with_columns(given), set(fields.to_list()), empty


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

    from aelint.reader import _read

    width = records.width
    columns = {name: values[name].to_list() for name in values.columns}
    apart = set()
    for name, _, indexes in builder.product_fields:
        blank_first = firsts[name].gather(later["_product"])
        found = later.filter(blank_first & ~later[name]).unique("_product", keep="first", maintain_order=True)
        if not found.height:
            continue
        for product, row in zip(found["_product"].to_list(), (found["_at"] - offset).to_list()):
            columns[name][product] = _read(list(records.row(row)), width, indexes)
            apart.add(product)
    return pl.DataFrame({name: pl.Series(name, column, dtype=pl.String) for name, column in columns.items()}), apart


def _spanning_images(part: pl.DataFrame, count: int, image_columns: int
                     ) -> tuple[pl.Series, pl.Series, pl.DataFrame, set[int]]:
    """Main images spread over a product's rows (Shopify's "Image Src"), as reader._add_images gathers them:
    each product's first references (its `main_images` value, joined by '; '), its count of references (the
    later rows' new ones added), every reference (`CatalogTable.main_image_refs`), and the products whose
    first references come from a later row."""
    import polars as pl

    from aelint.reader import _split_images

    joined, gathered, later = [""] * count, [[] for _ in range(count)], set()
    first_cells: dict[int, tuple] = {}
    with_images = part.filter("_images")
    for product, first, *cells in zip(with_images["_product"].to_list(), with_images["_first"].to_list(),
                                      *(with_images[f"_image{k}"].to_list() for k in range(image_columns))):
        cells = tuple(cells)
        if first:
            first_cells[product] = cells
        elif cells == first_cells.get(product):
            continue  # the product's first row's pictures again
        refs = [ref for value in cells if value != "" for ref in _split_images(value)]
        if not refs:
            continue
        main = gathered[product]
        if not main:
            main.extend(refs)
            joined[product] = "; ".join(refs)
            if not first:
                later.add(product)
        else:
            known = set(main)
            main.extend(ref for ref in refs if ref not in known)
    counts = pl.Series("count", [len(refs) for refs in gathered], dtype=pl.UInt32)
    refs = pl.DataFrame({
        "index": pl.Series([i for i, refs in enumerate(gathered) for _ in refs], dtype=pl.UInt32),
        "position": pl.Series([k for refs in gathered for k in range(len(refs))], dtype=pl.UInt32),
        "ref": pl.Series([ref for refs in gathered for ref in refs], dtype=pl.String)})
    return pl.Series("joined", joined, dtype=pl.String), counts, refs, later


def _main_images(cells: pl.DataFrame) -> tuple[pl.Series, pl.Series]:
    """Each first row's main-image references (reader._split_images of each image cell, in column order),
    joined by '; ' as `Product.values["main_images"]` holds them, and their count."""
    import polars as pl

    from aelint.reader import _split_images

    names = cells.columns
    # each cell stripped once (an eager select evaluates an expression as often as it is written)
    stripped = cells.select(pl.any_horizontal([pl.col(name).str.contains("[\n;|,]") for name in names]).alias("odd"),
                            *(pl.col(name).str.strip_chars(PYTHON_WHITESPACE) for name in names))
    refs = [pl.col(name) for name in names]
    found = stripped.select(pl.concat_str([pl.when(ref != "").then(ref) for ref in refs], separator="; ",
                                          ignore_nulls=True).alias("joined"),
                            pl.sum_horizontal([(ref != "").cast(pl.UInt32) for ref in refs]).alias("count"), "odd")
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
    if builder.title_cols and titles is not None:
        later = part.filter(~pl.col("_first") & ~pl.col("title"))
        at = later["_at"] - offset
        keep = _kept(records, at)
        own = records.select(_field_value([(pl.col(records.columns[i]) if keep is None else
                                            pl.col(records.columns[i]).filter(keep)) if i < records.width
                                           else pl.lit("") for i in builder.title_cols]))[:, 0]
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
