"""Catalog-wide rules on compact facts: what lets them judge a catalog that streams past in batches.

A catalog-wide rule (one with `check(catalog, options)`) may also define a `Collector`: made once per
catalog with `Collector(catalog, options)`, fed each batch of whole products with `add(products)`, which
yields the problems it can already decide, and asked for the rest with `finish()` once every product has
passed. Between batches it keeps only compact facts per product (ids, rows, category, title words, hashes,
prices: tens of bytes each), never the products, so the products' text is freed batch by batch. A problem
decided in `finish()` points at a product or SKU through `ProductRef` / `SkuRef` (see `detached`), which
carry what a diagnostic names: row, product id and SKU code. Texts compared across batches (image references)
are kept as keys (`RunKeys`), each with its first holder (`FirstHolders`).

A Collector may also define `add_table(table)`: the same as `add(table.catalog.products)` (the same problems,
the same facts kept), read from the batch's columns (aelint.table) instead of product by product. The engine
calls it instead of `add` whenever it has built a table for the batch (`RunOptions.columnar_from`).

The engine streams a catalog only when every selected catalog-wide rule has a Collector (a third-party rule
with only `check` gets the whole catalog, as before). `check` itself stays: it is the Collector run over the
whole catalog (`whole`), so both paths share one implementation.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any

from aelint.model import Catalog, Problem, Product, Sku

if TYPE_CHECKING:
    import numpy as np
    import polars as pl

    from aelint.table import CatalogTable


@dataclass(frozen=True, slots=True)
class ProductRef:
    """Where a product stands, without its text: its first row and its product id."""

    row: int
    product_id: str | None

    @property
    def values(self) -> dict[str, str]:
        """The product's values as far as a finding on it reads them (its product id)."""
        return {"product_id": self.product_id} if self.product_id else {}

    @classmethod
    def of(cls, product: Product | ProductRef) -> ProductRef:
        return product if isinstance(product, ProductRef) else product_ref(product)


@dataclass(frozen=True, slots=True)
class SkuRef:
    """Where a SKU row stands, without its values: its row, its code and its product."""

    row: int
    sku_code: str
    product: ProductRef

    @classmethod
    def of(cls, sku: Sku, product: ProductRef | None = None) -> SkuRef:
        return cls(sku.row, sku.sku_code, product or ProductRef.of(sku.product))


def _make_ref(product: Product) -> ProductRef:
    return ProductRef(product.row, product.values.get("product_id"))


def product_ref(product: Product) -> ProductRef:
    """The product's ref, made once per product for all collectors (through `Product.shared`)."""
    return product.shared(_make_ref)


def detached(problem: Problem) -> Problem:
    """The problem pointing at refs instead of the product and SKU, to be kept after they are gone."""
    product = ProductRef.of(problem.product) if problem.product is not None else None
    sku = SkuRef.of(problem.sku, product) if problem.sku is not None and not isinstance(problem.sku, SkuRef) \
        else problem.sku
    return Problem(problem.message, product, sku=sku, cell=problem.cell, fix=problem.fix,  # type: ignore[arg-type]
                   severity=problem.severity)


def run_hash(text: str) -> int:
    """A 128-bit key of a text for facts compared within one run and never stored: Python's own hashes of the
    text and of the text with a NUL added (SipHash under a key drawn afresh by each process, so no catalog can
    be made to collide)."""
    return (hash(text) & _LOW_64) << 64 | (hash(text + "\0") & _LOW_64)


_LOW_64 = (1 << 64) - 1


class RunKeys:
    """Keys of texts (image references, sets of them) compared within one catalog's run and never stored, made
    one way for the whole catalog, chosen at its first batch: when it comes as columns (a polars Series),
    polars' 64-bit hashes of each text under two seeds drawn for this catalog, side by side in one 127-bit int
    (hashed in Rust: half the cost); else `run_hash` of each (a small catalog never imports polars). A later
    batch that comes the other way is keyed the first batch's way, so its texts meet the earlier ones."""

    def __init__(self) -> None:
        self.seeds: tuple[int, ...] | None = None

    def __call__(self, texts: list[str] | pl.Series) -> list[int]:
        if self.seeds is None:  # the catalog's first batch
            self.seeds = () if isinstance(texts, list) else tuple(int.from_bytes(os.urandom(8)) >> 1 for _ in "ab")
        if not self.seeds:
            return list(map(run_hash, texts))
        import polars as pl

        if isinstance(texts, list):
            texts = pl.Series(texts, dtype=pl.String)
        # high * 2**64 + low in Int128, made by polars (2x faster than Python's shift and or of each pair):
        # the high hash loses a bit so that the key stays below 2**127
        high, low = (texts.hash(seed) for seed in self.seeds)
        shift = pl.Series([1 << 64], dtype=pl.Int128)
        return pl.select((pl.lit(high) // 2).cast(pl.Int128) * pl.lit(shift).first()
                         + pl.lit(low).cast(pl.Int128)).to_series().to_list()

    def halves(self, texts: pl.Series) -> tuple[np.ndarray, np.ndarray]:
        """The keys of a catalog keyed by polars as two uint64 arrays: each key's bits above 64 and below."""
        if self.seeds is None:
            self(texts[:0])  # (the catalog's first batch: seeds drawn)
        high, low = (texts.hash(seed).to_numpy() for seed in self.seeds)
        return high >> 1, low


class FirstHolders:
    """The first holder of each text (an image reference, say) met in one catalog's run, batch by batch: the texts
    are keyed by `RunKeys`, one way for the whole catalog. A catalog keyed by polars keeps its keys in sorted
    numpy arrays of their two halves, which merge as they grow (each key moved about log2(n) times in all), and
    its holders in a list: about 32 bytes a key, where a dict of 127-bit ints takes about 100. The keys of the
    last `put` are sorted into the levels only when a `find` needs them (the catalog's last batch's never are).
    A catalog keyed by `run_hash` keeps a dict (a small catalog never imports numpy).

    `lookup` and `note` take and give keys as ints (a batch product by product); `find` and `put` as halves
    (a batch's columns, in bulk)."""

    def __init__(self) -> None:
        self.keys = RunKeys()
        self.by_key: dict[int, Any] = {}
        self.levels: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # high, low, holder's place, by high
        self.unsorted: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # the last `put`'s, as given
        self.holders: list[Any] = []

    @property
    def in_halves(self) -> bool:
        """Whether the keys are kept in numpy (the catalog's first batch came as columns)."""
        return bool(self.keys.seeds)

    def lookup(self, texts: list[str] | pl.Series) -> tuple[list[int], list[Any]]:
        """Each text's key, and the holder noted with it before (None for a text not met yet)."""
        if self.keys.seeds is None:
            self.keys(texts[:0])  # (the catalog's first batch chooses the keys)
        if not self.in_halves:
            keys = self.keys(texts)
            return keys, list(map(self.by_key.get, keys))
        import polars as pl

        high, low = self.halves(pl.Series(texts, dtype=pl.String))
        places = self.find(high, low).tolist()
        return ([h << 64 | w for h, w in zip(high.tolist(), low.tolist())],
                [self.holders[k] if k >= 0 else None for k in places])

    def note(self, held: dict[int, Any]) -> None:
        """Note keys not met before (from `lookup`), each with its holder."""
        if not self.in_halves:
            self.by_key.update(held)
            return
        import numpy as np

        keys = list(held)
        self.put(np.array([k >> 64 for k in keys], dtype=np.uint64),
                 np.array([k & _LOW_64 for k in keys], dtype=np.uint64), list(held.values()))

    def halves(self, texts: pl.Series) -> tuple[np.ndarray, np.ndarray]:
        """The texts' keys as halves (a catalog keyed by polars)."""
        return self.keys.halves(texts)

    def find(self, high: np.ndarray, low: np.ndarray) -> np.ndarray:
        """Each key's holder's place in `holders`, -1 for a key not met yet."""
        import numpy as np

        self.settle()
        places = np.full(len(high), -1, dtype=np.int64)
        for level_high, level_low, level_place in self.levels:
            at = np.searchsorted(level_high, high)
            at_top = np.minimum(at, len(level_high) - 1)
            same_high = level_high[at_top] == high
            same = same_high & (level_low[at_top] == low)
            places[same] = level_place[at_top[same]]
            for k in np.flatnonzero(same_high & ~same).tolist():  # two keys with this high half (rare): look on
                j = int(at[k]) + 1
                while j < len(level_high) and level_high[j] == high[k]:
                    if level_low[j] == low[k]:
                        places[k] = level_place[j]
                        break
                    j += 1
        return places

    def put(self, high: np.ndarray, low: np.ndarray, holders: list[Any]) -> None:
        """Note keys not met before (distinct), each with its holder."""
        import numpy as np

        if not len(high):
            return
        self.settle()
        self.unsorted = (high, low, np.arange(len(self.holders), len(self.holders) + len(high), dtype=np.int64))
        self.holders.extend(holders)

    def settle(self) -> None:
        """Sort the last `put`'s keys into the levels."""
        if self.unsorted is None:
            return
        import numpy as np

        high, low, places = self.unsorted
        self.unsorted = None
        order = np.argsort(high)  # (a level is sorted by the high halves: `find` looks on past equal ones)
        levels = self.levels
        levels.append((high[order], low[order], places[order]))
        # Merged while a level is no more than twice the next: O(log n) levels, each key moved O(log n) times.
        while len(levels) > 1 and len(levels[-2][0]) <= 2 * len(levels[-1][0]):
            newer, older = levels.pop(), levels.pop()
            merged = [np.concatenate([a, b]) for a, b in zip(older, newer)]
            order = np.argsort(merged[0], kind="stable")  # (two sorted runs: merged in linear time)
            levels.append((merged[0][order], merged[1][order], merged[2][order]))


def collector_of(module: ModuleType) -> type | None:
    """The module's Collector class, or None for a rule that needs the catalog whole."""
    return getattr(module, "Collector", None)


def collect(collector: Any, products: list[Product], table: CatalogTable | None) -> Iterable[Problem]:
    """Feed a collector one batch: as columns (`add_table`) when there is a table and it takes them, else
    product by product (`add`). Both give the same problems and keep the same facts."""
    if table is not None and hasattr(collector, "add_table"):
        return collector.add_table(table)
    return collector.add(products)


class ColumnCollector:
    """A Collector that judges each product as it passes (`judge`) where the catalog has one of its `FIELDS`
    columns, and without them reports once, at the end (`no_column`), if any product was seen. Over columns
    it judges only the products `candidates(table)` picks (a boolean polars expression over
    `table.products`, true wherever `judge` may report)."""

    FIELDS: tuple[str, ...] = ()

    def __init__(self, catalog: Catalog, options: Any):
        self.has_column = any(field in catalog.columns for field in self.FIELDS)
        self.any_product = False

    def judge(self, products: list[Product]) -> Iterator[Problem]:
        raise NotImplementedError

    def candidates(self, table: CatalogTable) -> Any:
        raise NotImplementedError

    def no_column(self) -> Problem:
        raise NotImplementedError

    def add(self, products: list[Product]) -> Iterator[Problem]:
        self.any_product = self.any_product or bool(products)
        return self.judge(products) if self.has_column else iter(())

    def add_table(self, table: CatalogTable) -> Iterator[Problem]:
        self.any_product = self.any_product or bool(len(table.products))
        if not self.has_column:
            return iter(())
        chosen = table.products.filter(self.candidates(table))["index"].to_list()
        return self.judge([table.product(index) for index in chosen])

    def finish(self) -> Iterator[Problem]:
        if not self.has_column and self.any_product:
            yield self.no_column()


def whole(collector: type, catalog: Catalog, options: Any) -> Iterator[Problem]:
    """`check(catalog, options)` of a rule with a Collector: the collector fed the whole catalog at once."""
    found = collector(catalog, options)
    yield from found.add(catalog.products)
    yield from found.finish()
