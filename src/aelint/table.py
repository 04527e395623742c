"""The catalog as columns: what rules prefilter on, and what vectorised rules judge.

A `CatalogTable` is made once per catalog (sheet) by the engine, for catalogs large enough that judging
columns beats calling every rule on every product (`RunOptions.columnar_from`). It holds polars frames:

- `products`: one row per product, in catalog order: `index` (the product's position in
  `catalog.products`), `row`, `views` (how many other-language or follow-on texts the product carries), `language` (what the
  header says the title and description are written in, or null),
  and one string column per product-level field the catalog has ("" where blank);
- `skus`: one row per SKU row: `product` (the product's index), `row`, and one string column per SKU-level
  field the catalog has.

Work several rules share (folded titles, say) is a cached property here, made once per table, never kept
between catalogs. Rules reach the products behind a row with `table.product(index)`. A batch read from a CSV's
columns (aelint.frame_products) comes with its frames made (`given`) and builds a product only when asked:
prefer the columns to `table.catalog.products`, which would build them all.

A rule module may give, beside `check_product(product, options)`:

- `prefilter(table, options) -> polars.Expr`: a boolean expression over `table.products`, true for every
  product `check_product` might report (a superset; false only where it is sure to stay silent), judged
  with the options as configured. The engine calls `check_product` only on those products (and, for rules
  judging title and description columns, on every product that has `views` or whose `language` is not
  the options' `language`);
- `check_table(table, options) -> Iterable[Problem]`: the whole judgement over the columns, used instead
  of `check_product` when the engine has a table; `check_product` stays the judge of small catalogs.

Both must give exactly the findings `check_product` gives: tests/test_columnar.py lints every fixture
and the real catalogs both ways and compares.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from functools import cached_property, partial
from typing import TYPE_CHECKING

from aelint.model import Catalog, Cell, Fix, Problem, Product, Severity

if TYPE_CHECKING:
    import numpy as np
    import polars as pl

    from aelint.images import ImageFacts


class computed_once(cached_property):  # (lower case: a decorator, as cached_property is)
    """A cached_property of a CatalogTable computed once even when both of the engine's threads ask for it at
    once (the collectors take a batch beside the per-product rules: aelint.threads). Python 3.11's
    cached_property holds a lock while it computes; 3.12's no longer does, and would compute a column twice."""

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        cache = instance.__dict__
        if self.attrname not in cache:
            with instance.computing(self.attrname):
                if self.attrname not in cache:
                    cache[self.attrname] = self.func(instance)
        return cache[self.attrname]


class CatalogTable:
    """One catalog's products and SKU rows as polars frames (built from the catalog as read)."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        # what the reader already made from the CSV's columns (a frame_products.FrameBatch's), else None
        self.given = getattr(catalog.products, "columns", None)
        self._locks: dict[str, threading.Lock] = {}  # a `computed_once` property's, while it is computed
        self._locking = threading.Lock()

    def computing(self, name: str) -> threading.Lock:
        """The lock held while the `computed_once` property `name` is computed."""
        with self._locking:
            return self._locks.setdefault(name, threading.Lock())

    def product(self, index: int) -> Product:
        """The product behind row `index` of `products` (its `index` column)."""
        return self.catalog.products[index]

    @computed_once
    def product_fields(self) -> list[str]:
        """The product-level fields any product has a value for (title and description always)."""
        if self.given is not None:
            return self.given.product_fields
        fields = {"title", "description"}
        fields.update(*[product.values for product in self.catalog.products])
        return sorted(fields)

    @computed_once
    def sku_fields(self) -> list[str]:
        """The fields any SKU row has a value of its own for."""
        if self.given is not None:
            return self.given.sku_fields
        return sorted(set().union(*[sku.values for product in self.catalog.products for sku in product.skus]))

    @computed_once
    def products(self) -> pl.DataFrame:
        import polars as pl

        if self.given is not None:
            return self.given.products
        products = self.catalog.products
        columns: dict[str, object] = {
            "index": pl.Series(range(len(products)), dtype=pl.UInt32),
            "row": pl.Series([p.row for p in products], dtype=pl.UInt32),
            "views": pl.Series([len(p.translations) + len(p.row_titles) for p in products], dtype=pl.UInt32),
            "language": pl.Series([p.language for p in products], dtype=pl.String),
        }
        # the values dicts are read by polars (twice as fast as a Python list per field)
        values = pl.from_dicts([p.values for p in products], schema={name: pl.String for name in self.product_fields})
        return pl.DataFrame(columns).hstack(values.fill_null("").get_columns())

    @property
    def skus(self) -> pl.DataFrame:
        return self._sku_rows[0]

    @computed_once
    def _sku_rows(self) -> tuple[pl.DataFrame, pl.Series]:
        """`skus`, and `empty_value_products` found on the same walk over the SKU rows."""
        import polars as pl

        if self.given is not None:
            empty = self.given.empty_value_products  # values of options only are empty
            return self.given.skus, pl.Series([], dtype=pl.UInt32) if empty is None else empty

        owners, rows, empty, values = [], [], [], {name: [] for name in self.sku_fields}
        for index, product in enumerate(self.catalog.products):
            for sku in product.skus:
                owners.append(index)
                rows.append(sku.row)
                own = sku.values
                if not all(own.values()):
                    empty.append(index)  # a product may come twice
                for name, column in values.items():
                    column.append(own.get(name, ""))
        columns: dict[str, object] = {"product": pl.Series(owners, dtype=pl.UInt32),
                                      "row": pl.Series(rows, dtype=pl.UInt32)}
        columns.update({name: pl.Series(column, dtype=pl.String) for name, column in values.items()})
        return pl.DataFrame(columns), pl.Series(empty, dtype=pl.UInt32)

    def text(self, name: str) -> pl.Expr:
        """A product-level text column, or an empty one when the catalog has no such field."""
        import polars as pl

        return pl.col(name) if name in self.product_fields else pl.lit("")

    # --- SKU rows and numbers (AE302, AE5xx, AE603, AE605, AE609-AE611) -------------------------------
    # What the per-product rules on SKU rows, numbers and descriptions prefilter with. A SKU-level test is
    # a boolean expression over `skus`; `products_with` turns it into one over `products` (any SKU row).

    def sku_text(self, name: str) -> pl.Expr:
        """A SKU-level column of `skus`, or an empty one when no SKU row has the field."""
        import polars as pl

        return pl.col(name) if name in self.sku_fields else pl.lit("")

    def products_with(self, flags: pl.Expr) -> pl.Expr:
        """True for the products with a SKU row where `flags` (a boolean expression over `skus`) holds."""
        import polars as pl

        owners = self.skus.lazy().filter(flags).select(pl.col("product").unique()).collect()["product"]
        return pl.col("index").is_in(owners.implode())

    def with_empty_values(self) -> pl.Expr:
        """True for the products with a SKU row holding an empty value of its own: an 'Option1 Name' with its
        value left empty, say. `skus` shows it as "" like an absent value, where rules may not (a declared
        blank attribute is AE507's), so a prefilter that cannot tell them apart adds these. (A value of
        spaces only is in `skus` as it is.)"""
        import polars as pl

        return pl.col("index").is_in(self.empty_value_products.implode())

    @property
    def empty_value_products(self) -> pl.Series:
        """The products `with_empty_values` names."""
        return self._sku_rows[1]

    @computed_once
    def attribute_fields(self) -> list[str]:
        """The SKU-level variant attribute fields of `skus` (color, size, attr:NAME)."""
        return [name for name in self.sku_fields if name == "color" or name == "size" or name.startswith("attr:")]

    def mapped(self, name: str, function, dtype) -> pl.Expr:
        """A column of `skus` through a Python function of one value, called once per distinct value (the
        same few colours and sizes repeat on thousands of rows), so a rule's own Python judges each value."""
        import polars as pl

        if name not in self.sku_fields:
            return pl.lit(function(""), dtype=dtype)
        distinct, codes = self._sku_value_codes(name)
        return pl.lit(pl.Series(name, [function(v) for v in distinct], dtype=dtype).gather(codes))

    def _sku_value_codes(self, name: str) -> tuple[list[str], pl.Series]:
        """A column of `skus` as its distinct values and, per row, the position of its value among them:
        found once per table, for every rule `mapped` serves."""
        import polars as pl

        if name not in self._value_codes:
            distinct = self.skus[name].unique(maintain_order=True)
            codes = self.skus[name].replace_strict(distinct, pl.Series(range(len(distinct)), dtype=pl.UInt32),
                                                   return_dtype=pl.UInt32)
            self._value_codes[name] = (distinct.to_list(), codes)
        return self._value_codes[name]

    @computed_once
    def _value_codes(self) -> dict[str, tuple[list[str], pl.Series]]:
        """What `_sku_value_codes` found so far, by column."""
        return {}

    # --- Title words (the AE1 title rules) -------------------------------------------------------------
    # No word, digit group or script a title rule looks for spans an ASCII space, so a title's words are its
    # chunks' words in order: a rule works out what it needs once per distinct chunk, in Python, and numpy
    # adds it up per title (arrays of ints: the polars frames of words took 5x the memory). The 40k titles
    # of the generated 100k-row catalog have 551k chunks, 112 distinct.

    @computed_once
    def _title_chunks(self) -> tuple[list[str], np.ndarray, np.ndarray]:
        """The distinct chunks, and for each chunk of each title in order its product and its distinct chunk."""
        import polars as pl

        chunks = (self.products.lazy().select("index", pl.col("title").str.split(" ").alias("chunk"))
                  .explode("chunk").filter(pl.col("chunk") != "").collect())
        distinct = chunks["chunk"].unique(maintain_order=True)
        # a chunk's place among the distinct: its code as an enum of them (in 60% of replace_strict's time)
        ids = chunks["chunk"].cast(pl.Enum(distinct)).to_physical().cast(pl.UInt32)
        return distinct.to_list(), chunks["index"].to_numpy(), ids.to_numpy()

    @property
    def distinct_title_chunks(self) -> list[str]:
        """Every distinct non-empty chunk of the titles cut at ASCII spaces, in order of first appearance."""
        return self._title_chunks[0]

    def title_totals(self, count: Callable[[str], int]) -> np.ndarray:
        """For each product (by `index`), the sum of `count(chunk)` over its title's chunks, each distinct
        chunk counted once."""
        import numpy as np

        distinct, products, chunks = self._title_chunks
        per_chunk = np.array([count(chunk) for chunk in distinct], dtype=np.int64)
        totals = np.bincount(products, weights=per_chunk[chunks], minlength=len(self.catalog.products))
        return totals.astype(np.int64)  # (exact: float64 holds counts up to 2**53)

    def title_values(self, values: Callable[[str], list[int]]) -> tuple[np.ndarray, np.ndarray]:
        """Every title's `values(chunk)` end to end in title order, each distinct chunk worked out once: the
        product (`index`) of each value, and the value."""
        import numpy as np

        distinct, products, chunks = self._title_chunks
        per_chunk = [values(chunk) for chunk in distinct]
        lengths = np.array([len(v) for v in per_chunk], dtype=np.int64)
        flat = np.array([x for v in per_chunk for x in v], dtype=np.int64)
        if len(lengths) and (lengths == 1).all():  # a value a chunk (every chunk of the generated catalogs): one
            return products.copy(), flat[chunks]  # gather, not ten arrays as long as the titles' chunks
        starts = np.cumsum(lengths) - lengths
        row_lengths = lengths[chunks]
        row_starts = np.cumsum(row_lengths) - row_lengths
        # value k of a row's chunk is at starts[chunk] + k in `flat` and at row_starts[row] + k in the result
        shift = np.repeat(starts[chunks] - row_starts, row_lengths)
        return np.repeat(products, row_lengths), flat[shift + np.arange(len(shift))]

    @computed_once
    def title_word_keys(self) -> TitleWords:
        """Each title's words as term packs match them (`terms.term_key`: folded, singular), in title order, as
        ids into a vocabulary with the word after each (`TitleWords`)."""
        from aelint.terms import term_key

        vocabulary: dict[str, int] = {}
        products, words = self.title_values(lambda chunk: [vocabulary.setdefault(k, len(vocabulary))
                                                           for k in term_key(chunk)])
        return TitleWords(products, words, list(vocabulary))

    def products_among(self, indices: np.ndarray) -> pl.Expr:
        """A prefilter true for the products at `indices` (their `index`)."""
        import numpy as np
        import polars as pl

        chosen = np.zeros(len(self.catalog.products), dtype=bool)
        chosen[indices] = True
        return pl.lit(pl.Series(chosen))

    # -----------------------------------------------------------------------------------------------------
    # Product text as the term-pack rules prefilter on (AE201-AE203, AE401-AE404).
    #
    # Python folds text with `str.lower`/`casefold` and NFKD, which polars cannot mirror exactly beyond
    # ASCII; on ASCII text both agree. So these rules test ASCII text in columns and hand every product with
    # other text to `check_product` (`ascii(name)` is false there).
    # -----------------------------------------------------------------------------------------------------

    def ascii(self, name: str) -> pl.Expr:
        """Whether a product-level text column is plain ASCII (true where blank or absent)."""
        column = self.text(name)
        return column.str.len_bytes() == column.str.len_chars()

    @computed_once
    def plain_text(self) -> pl.Series:
        """Per product: its title, description and variant attribute values are ASCII and the description
        holds no HTML entity (no "&"), so every word of its title, description text and attribute values lies
        in one of its chunks (`chunk_vocabulary`: stripping tags only splits words; an entity could make a
        letter)."""
        import polars as pl

        plain = self.products.select(
            self.ascii("title") & self.ascii("description") & ~self.text("description").str.contains("&", literal=True)
        ).to_series()
        if self.attribute_fields:
            skus = self.skus
            odd = skus.filter(pl.any_horizontal(
                pl.col(name).str.len_bytes() != pl.col(name).str.len_chars() for name in self.attribute_fields))
            if len(odd):
                plain = plain & ~self.products["index"].is_in(odd["product"].unique().implode())
        return plain.alias("plain_text")

    # A `plain_text` product's chunks: its lower-case title, description (tags included) and variant attribute
    # values, each split at spaces and at '<'. A word `terms.RAW_WORD_RE` finds in the title, the description's
    # text or an attribute value holds neither, so it lies whole in one chunk and is found there again (tags
    # and entities aside: `plain_text`). Texts are split column by column, never joined per product: the
    # chunks of texts joined with spaces are those of each text. Splitting at '<' too lets the vocabulary be
    # read from the distinct pieces between tags: descriptions repeat their paragraphs from product to product.

    @computed_once
    def plain_description_pieces(self) -> pl.Series:
        """The distinct pieces of the `plain_text` products' descriptions split at '<', as written (a few dozen
        in the generated catalogs: descriptions repeat their paragraphs). A pattern whose matches never hold a
        '<' (but may end at one, which `^` and `$` stand for in a piece) matches a description exactly where
        it matches one of its pieces. Split a slice of descriptions at a time (`PIECES_SLICE`), the slices'
        distinct pieces then merged: the pieces of all descriptions at once took 13 MB of new memory a batch
        (3,300 page faults), a slice's are freed and their memory taken again by the next."""
        import polars as pl

        descriptions = self.products["description"].filter(self.plain_text)
        return pl.concat([descriptions.slice(start, PIECES_SLICE).str.split("<").explode().unique()
                          for start in range(0, len(descriptions), PIECES_SLICE)] or [descriptions]).unique()

    @computed_once
    def chunk_vocabulary(self) -> list[str]:
        """The distinct chunks of the `plain_text` products' texts, and of the other titles (in no particular
        order)."""
        pieces = self.plain_description_pieces
        chunks = set(pieces.str.to_lowercase().str.split(" ").explode().unique().to_list())
        for chunk in self.distinct_title_chunks:  # split at spaces already (`_title_chunks`, shared)
            chunks.update(_lower_chunks(chunk))
        return list(chunks.union(*map(_lower_chunks, self._plain_attribute_values)))

    @computed_once
    def _plain_attribute_values(self) -> list[str]:
        """The distinct variant attribute values of the `plain_text` products' SKU rows."""
        import polars as pl

        if not self.attribute_fields:
            return []
        plain = self.products["index"].filter(self.plain_text)
        skus = self.skus.lazy().filter(pl.col("product").is_in(plain.implode()))
        values = pl.concat([skus.select(pl.col(name).alias("value")) for name in self.attribute_fields]).unique()
        return values.collect()["value"].to_list()

    def holding(self, name: str, chunks: list[str]) -> pl.Expr:
        """True where the title or description (`name`) holds one of `chunks` (chunks of `chunk_vocabulary`) in
        any case: on a `plain_text` product, wherever one of them is among the text's chunks (and some more: a
        chunk inside a word). One regular expression of the chunks: on ASCII text what lower-casing finds, in a
        fifth of the time of lower-casing and `contains_any` on long descriptions."""
        import polars as pl

        if not chunks:
            return pl.lit(False)
        return pl.col(name).str.contains("|".join(map(ignoring_case, chunks)))

    def chunks_of(self, indices: pl.Series, kept: list[str]) -> list[tuple[int, str, list[str]]]:
        """Each title and description of the `plain_text` products at `indices` (their `index`) with a chunk
        among `kept`: the product's `index`, "title" or "description", and the text's distinct chunks among
        `kept`. Only those products' texts are lower-cased, in each call (a copy of all texts per table would
        raise the peak memory)."""
        import polars as pl

        if not len(indices):
            return []
        chosen = self.products.lazy().filter(pl.col("index").is_in(indices.implode())).select(
            "index", *(pl.col(name).str.to_lowercase() for name in ("title", "description")))
        # a description is split at '<' first, and only its pieces holding a kept chunk at spaces
        parts = [chosen.select("index", pl.lit("title").alias("text"), _chunks(pl.col("title")).alias("chunk")),
                 chosen.select("index", pl.col("description").str.split("<").alias("piece")).explode("piece")
                 .filter(pl.col("piece").str.contains_any(kept))
                 .select("index", pl.lit("description").alias("text"), pl.col("piece").str.split(" ").alias("chunk"))]
        chunks = (pl.concat(parts).explode("chunk").filter(pl.col("chunk").is_in(kept))
                  .group_by("index", "text").agg(pl.col("chunk").unique()).collect())
        return chunks.rows()

    def with_attribute_value(self, chosen: Callable[[set[str]], bool]) -> pl.Series:
        """The `plain_text` products (`index`) with a variant attribute value whose lower-case chunks (split at
        spaces and '<') are `chosen`, each distinct value judged once."""
        import polars as pl

        values = [v for v in self._plain_attribute_values if chosen(_lower_chunks(v))]
        if not values:
            return pl.Series([], dtype=pl.UInt32)
        holders = (self.skus.lazy().filter(pl.any_horizontal(pl.col(name).is_in(values)
                                                             for name in self.attribute_fields))
                   .select(pl.col("product").unique()).collect()["product"])
        return holders.filter(self.plain_text.gather(holders))

    # --- Catalog-wide rules' columns (AE3xx images, AE501 SKU codes) ------------------------------------

    @computed_once
    def product_refs(self) -> list:
        """Each product's `facts.ProductRef` (as `facts.product_ref` makes it, without going through
        `Product.shared`): the collectors taking this table share one ref per product. The product id is the
        product's own string, which the reader keeps too (a copy from the column would double it); a batch read
        from columns, which keeps no product, reads it from its `product_id` column."""
        from aelint.facts import ProductRef

        if self.given is not None:
            ids = self.products["product_id"].to_list() if "product_id" in self.product_fields else None
        else:
            ids = [p.values.get("product_id") for p in self.catalog.products]
        return list(map(ProductRef, self.products["row"].to_list(), ids or [None] * len(self.products)))

    @computed_once
    def main_image_refs(self) -> pl.DataFrame:
        """Every main-image reference of every product, one row each in catalog order: `index` (the
        product's), `position` (the reference's place in `Product.image_cells("main_images")`) and `ref`
        (the reference as read). The `main_images` column joins a product's references with '; ' (no
        reference holds a ';'), so it is split where its count is the product's; products whose later rows
        added pictures (Shopify) give their cells in Python."""
        import numpy as np
        import polars as pl

        if self.given is not None and self.given.main_image_refs is not None:
            return self.given.main_image_refs
        products = self.catalog.products
        counts = self.main_image_counts
        refs = self.products.select("index", self.text("main_images").str.split("; ").alias("ref"),
                                    counts.alias("count"))
        split = pl.when(pl.col("ref").list.first() == "").then(0).otherwise(pl.col("ref").list.len())
        plain = refs.filter(split == pl.col("count"))
        odd = refs.filter(split != pl.col("count"))["index"].to_list()
        plain = plain.filter(pl.col("count") > 0)
        counts = plain["count"].to_numpy().astype(np.int64)
        starts = np.repeat(np.cumsum(counts) - counts, counts)  # each reference's product's first, end to end
        cells = plain.select("index", "ref").explode("ref").with_columns(
            pl.Series("position", np.arange(len(starts)) - starts, dtype=pl.UInt32))
        if odd:
            rest = [(i, k, c.value) for i in odd for k, c in enumerate(products[i].image_cells("main_images"))]
            others = pl.DataFrame(rest, schema={"index": pl.UInt32, "position": pl.UInt32, "ref": pl.String},
                                  orient="row")
            cells = pl.concat([cells, others], how="diagonal").sort("index", "position", maintain_order=True)
        return cells.select("index", "position", "ref")

    @computed_once
    def main_image_counts(self) -> pl.Series:
        """Each product's number of main-image references (`len(product.image_cells("main_images"))`)."""
        import polars as pl

        if self.given is not None:
            return self.given.main_image_counts
        return pl.Series([len(p.images.get("main_images", ())) for p in self.catalog.products], dtype=pl.UInt32)

    @staticmethod
    def stripped(values: pl.Series) -> pl.Series:
        """Text values stripped of leading and trailing spaces as Python's `str.strip` does: the values that
        start or end with one (rare) are stripped in Python, the rest stay as they are."""
        edge = values.str.contains(f"^[{PYTHON_SPACE}]|[{PYTHON_SPACE}]$").fill_null(False)
        if not edge.any():
            return values
        at = edge.arg_true()
        return values.clone().scatter(at, [v.strip() for v in values.gather(at).to_list()])

    # --- Image facts (AE303-AE307, AE309, AE310: their prefilters) --------------------------------------

    @computed_once
    def image_refs_with_facts(self) -> dict[str, ImageFacts]:
        """This batch's probed image references (`images.image_uses`: main images up to
        MAX_REFERENCES_PER_FIELD, SKU and marketing images) whose facts (`catalog.images`) say more than
        "remote" (a well-formed URL not fetched), with those facts: the only references an image rule may
        report. Read from this batch's columns, not from `catalog.images`, which keeps every batch's."""
        import polars as pl

        from aelint.images import MAX_REFERENCES_PER_FIELD

        refs = [self.main_image_refs.filter(pl.col("position") < MAX_REFERENCES_PER_FIELD)["ref"]]
        refs += [self.skus["variant_image"]] if "variant_image" in self.sku_fields else []
        refs += [self.products[name] for name in ("marketing_image_square", "marketing_image_portrait")
                 if name in self.product_fields]
        facts_of = self.catalog.images
        known = {}
        for ref in pl.concat(refs).unique().to_list():
            facts = facts_of.get(ref)
            if facts is not None and facts.status != "remote":
                known[ref] = facts
        return known

    # --- Per-row currency (Wish 2021's `Currency` column: AE504, AE606) ---------------------------------

    @computed_once
    def sku_currencies(self) -> pl.Series:
        """Per row of `skus`, what its prices are in, as `Sku.currency` says (an ISO code, "" when nothing says,
        null when the row's own currency cell is no code). Read from the SKUs, which fall back to their
        product's currency: only catalogs with a currency column need it."""
        import polars as pl

        if self.given is not None and self.given.sku_currencies is not None:
            return self.given.sku_currencies
        return pl.Series([sku.currency for product in self.catalog.products for sku in product.skus],
                         dtype=pl.String)

    @computed_once
    def product_currencies(self) -> pl.Series:
        """Per row of `products`, what the product's prices are in (`Product.currency`)."""
        import polars as pl

        if self.given is not None and self.given.product_currencies is not None:
            return self.given.product_currencies
        return pl.Series([product.currency for product in self.catalog.products], dtype=pl.String)

    # --- per-product pass (hA4) -------------------------------------------------------------------------
    # Title rules that really fire on many products judge the words of all titles as columns (AE102: where
    # each word stands, `title_values_placed`) or each distinct pattern of the words they read once (AE108):
    # titles are all different, the few words a rule reads in them and their places are not.

    def cells(self, name: str, indices: list[int]) -> list[Cell]:
        """`Product.cell(name)` of the products at `indices` (their `index`), for rules that point at
        thousands: made from the columns, except for the few products whose cells stand apart."""
        from itertools import repeat

        chosen = self.products.select("row", self.text(name).alias("value"))[indices]
        made = list(map(_made(Cell), zip(repeat(name), chosen["value"].to_list(), chosen["row"].to_list(),
                                         repeat(self.catalog.columns.get(name, name)))))
        apart = self.cells_apart
        if apart:
            products = self.catalog.products
            for position, index in enumerate(indices):
                if index in apart:
                    made[position] = products[index].cell(name)
        return made

    @computed_once
    def cells_apart(self) -> frozenset[int]:
        """The products (`index`) with a value from a later row or in a column of its own (`Product.cell`)."""
        if self.given is not None:
            return self.given.apart
        return frozenset(i for i, p in enumerate(self.catalog.products) if p.later_rows or p.columns)

    @staticmethod
    def title_patterns(products: np.ndarray,
                       words: np.ndarray) -> tuple[list[int], list[int], list[tuple[int, ...]]]:
        """Titles reduced to the words a rule reads, from each word of every title in title order (as
        `title_values` gives them): its product's `index` and a number, -1 for a word that does not matter to
        the rule. Gives the `index` of each product with a word that matters, the number of its pattern, and
        the distinct patterns: the title's numbers in order, each run of words that do not matter one -1."""
        import numpy as np

        first = np.ones(len(words), dtype=bool)  # a title's first word
        first[1:] = products[1:] != products[:-1]
        after_other = np.ones(len(words), dtype=bool)
        after_other[1:] = words[:-1] < 0
        kept = (words >= 0) | first | ~after_other  # a run of words that do not matter kept as its first
        products, words = products[kept], words[kept]
        chosen = distinct_sorted(products[words >= 0])
        # each title's numbers compared as its slice of their bytes (8 a number): no Python int nor tuple made
        starts = (np.searchsorted(products, chosen) * 8).tolist()
        ends = (np.searchsorted(products, chosen, side="right") * 8).tolist()
        flat = words.astype(np.int64).tobytes()
        numbers: dict[bytes, int] = {}
        which = [numbers.setdefault(flat[a:b], len(numbers)) for a, b in zip(starts, ends)]
        return chosen.tolist(), which, [tuple(memoryview(p).cast("q").tolist()) for p in numbers]

    def title_values_placed(self, values: Callable[[str], list[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """`title_values`, and where in its title the chunk of each value starts (in characters)."""
        import numpy as np

        counts: list[int] = []

        def counted(chunk: str) -> list[int]:
            found = values(chunk)
            counts.append(len(found))
            return found

        products, found = self.title_values(counted)
        if all(n == 1 for n in counts):  # a value a chunk (see `title_values`)
            return products, found, self._title_chunk_offsets.copy()
        chunks = self._title_chunks[2]
        return products, found, np.repeat(self._title_chunk_offsets, np.array(counts, dtype=np.int64)[chunks])

    @computed_once
    def _title_chunk_offsets(self) -> np.ndarray:
        """Where each chunk of `_title_chunks` starts in its title (in characters): after the chunks before
        it and a space each, and in the few titles with a leading space or two in a row, read in Python."""
        import numpy as np

        distinct, products, chunks = self._title_chunks
        steps = np.array([len(chunk) + 1 for chunk in distinct], dtype=np.int64)[chunks]
        before = np.cumsum(steps) - steps  # over all titles end to end
        first = np.ones(len(products), dtype=bool)
        first[1:] = products[1:] != products[:-1]
        offsets = before - np.maximum.accumulate(np.where(first, before, 0))
        titles = self.products["title"]
        empty_chunks = titles.str.starts_with(" ") | titles.str.contains("  ", literal=True)  # (no regex: 7x faster)
        for index in np.flatnonzero(empty_chunks.to_numpy()).tolist():
            position, place = int(np.searchsorted(products, index)), 0
            for chunk in titles[index].split(" "):
                if chunk:
                    offsets[position] = place
                    position += 1
                place += len(chunk) + 1
        return offsets

    # --- Findings made in bulk (hC6) ---------------------------------------------------------------------
    # The rules that fire on thousands of products (AE102, AE108, AE302 make 58k of the 60k findings of the
    # generated 100k-row catalog) make their problems from columns, each distinct message worked out once.

    def problems(self, name: str, indices: list[int], messages: Iterable[str],
                 fixes: Iterable[Fix | None] | None = None, severity: Severity | None = None) -> list[Problem]:
        """A problem for each product at `indices` (their `index`) with its message (and fix), pointing at its
        `name` cell (`cells`), as `Problem(message, product, cell=..., fix=..., severity=...)` makes it (with the
        product's `facts.ProductRef` for a batch read from columns)."""
        from itertools import repeat

        # a batch read from columns builds no product for them: its problems name the product by its ref
        products = map((self.catalog.products if self.given is None else self.product_refs).__getitem__, indices)
        return list(map(_made(Problem), zip(messages, products, repeat(None), self.cells(name, indices),
                                            repeat(None) if fixes is None else fixes, repeat(severity))))


class TitleWords:
    """Every title's words end to end in title order: `product` (the `index` of each word's product) and
    `word` (its position in `vocabulary`), numpy arrays."""

    def __init__(self, product: np.ndarray, word: np.ndarray, vocabulary: list[str]):
        import numpy as np

        self.product, self.word, self.vocabulary = product, word, vocabulary
        same_title = product[1:] == product[:-1]
        self.next = np.full(len(word), -1, dtype=np.int64)  # the following word of the same title, or -1
        self.next[:-1][same_title] = word[1:][same_title]
        self._ids = {w: i for i, w in enumerate(vocabulary)}

    def ids(self, words) -> np.ndarray:
        """The vocabulary ids of those of `words` any title has."""
        import numpy as np

        return np.array(sorted({self._ids[w] for w in words if w in self._ids}), dtype=np.int64)

    def pairs(self, pairs) -> np.ndarray:
        """Codes (see `pair_codes`) of those of the word `pairs` whose words both occur in some title."""
        import numpy as np

        ids = self._ids
        return np.array(sorted({ids[a] * len(ids) + ids[b] for a, b in pairs if a in ids and b in ids}),
                        dtype=np.int64)

    def pair_codes(self) -> np.ndarray:
        """A code for each word and the next one of its title (negative at a title's end)."""
        import numpy as np

        return np.where(self.next >= 0, self.word * len(self.vocabulary) + self.next, -1)


PIECES_SLICE = 2000  # descriptions split at once by `plain_description_pieces`
PYTHON_SPACE = r"\s\x1c-\x1f"  # str.isspace() and Python's \s in a polars (Rust) character class
FOLDS_TO_ASCII = {"i": "İı", "k": "\u212a", "s": "ſ"}  # what Python's re.IGNORECASE also matches for them


def distinct_sorted(values: np.ndarray) -> np.ndarray:
    """The distinct values of a sorted numpy array, in order: `np.unique` without its sort."""
    import numpy as np

    if not len(values):
        return values
    return values[np.concatenate(([True], values[1:] != values[:-1]))]


def _made(kind: type) -> Callable[[tuple], tuple]:
    """What makes a `kind` (a named tuple: Cell, Problem) from a tuple of all its fields without a Python
    call (its `__new__` is Python code): for the thousands made at once, in 60% of the time."""
    return partial(tuple.__new__, kind)


def _lower_chunks(text: str) -> set[str]:
    """An ASCII text's lower-case chunks (split at spaces and '<'), as `_chunks` splits them."""
    return set(text.lower().replace("<", " ").split(" "))


def _chunks(lowered: pl.Expr) -> pl.Expr:
    """A lower-case text column's chunks (split at spaces and '<'), as lists."""
    return lowered.str.replace_all("<", " ", literal=True).str.split(" ")


def ignoring_case(text: str) -> str:
    """A polars (Rust) regular expression matching the ASCII `text` in any case, as Python's re.IGNORECASE
    does: Rust's (?i) does not match 'İ' and 'ı' for 'i', where Python's does."""
    return "".join(f"[{ch.lower()}{ch.upper()}{FOLDS_TO_ASCII.get(ch.lower(), '')}]" if ch.isalpha()
                   else ch if ch.isalnum() else f"\\x{{{ord(ch):x}}}" for ch in text)
