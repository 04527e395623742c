"""Work beside the main thread (aelint.threads): results, errors, the caller's context, and the one-core case;
the findings of a large catalog whose collectors run beside its per-product rules; and what both threads
build (a batch's products, a table's columns) built once."""

from __future__ import annotations

import contextvars
import sys
import threading

import pytest

from aelint import threads
from aelint.threads import beside
from conftest import ROOT, lint_catalog

SPOKEN: contextvars.ContextVar[str] = contextvars.ContextVar("spoken", default="en")


@pytest.fixture(params=[1, 2], ids=["one core", "two cores"])
def cores(request, monkeypatch):
    monkeypatch.setattr(threads, "cores", lambda: request.param)
    return request.param


def test_beside_gives_the_result_in_the_callers_context(cores):
    ran_on = []

    def work():
        ran_on.append(threading.current_thread().name)
        return SPOKEN.get()

    token = SPOKEN.set("zh")
    try:
        result = beside(work, "aelint-test")
        assert result() == "zh"
    finally:
        SPOKEN.reset(token)
    assert ran_on == (["aelint-test"] if cores == 2 else [threading.current_thread().name])


def test_beside_raises_what_the_work_raised(cores):
    def work():
        raise ValueError("a damaged batch")

    result = beside(work, "aelint-test")
    with pytest.raises(ValueError, match="a damaged batch"):
        result()


def test_on_one_core_the_work_waits_for_its_result(monkeypatch):
    monkeypatch.setattr(threads, "cores", lambda: 1)
    ran = []
    result = beside(lambda: ran.append("ran") or len(ran), "aelint-test")
    assert ran == []
    assert result() == 1


def test_a_large_csv_gives_the_same_findings_with_its_collectors_beside(tmp_path, monkeypatch):
    """A CSV read from its columns (products built on demand, by both threads) gives the same diagnostics
    with the collectors on a second thread as on one core, in one batch or several (the collectors finish
    beside the last batch's rules), as the catalog read whole and judged product by product."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    _, catalog = generate.generate(tmp_path, 1500, workbook=False)
    found = {}
    for count in (1, 2):
        monkeypatch.setattr(threads, "cores", lambda count=count: count)
        for batch in (100_000, 150):
            report = lint_catalog(catalog, columnar_from=100, batch_products=batch)
            assert "read by polars" in report.readings[0].splitlines()[0]
            found[count, batch] = [(d.code, d.row, d.column, d.message) for d in report.diagnostics]
    whole = lint_catalog(catalog, keep_catalogs=True, columnar_from=sys.maxsize)
    expected = [(d.code, d.row, d.column, d.message) for d in whole.diagnostics]
    assert len(expected) > 100 and len({code for code, *_ in expected}) > 10
    assert {key: expected for key in found} == found


@pytest.mark.parametrize("rows, reader", [(1500, "polars"), (600, "csv.reader")])
def test_a_linted_batch_is_let_go_before_the_next_is_linted(tmp_path, monkeypatch, cores, rows, reader):
    """Streaming frees each batch once it is linted (the garbage collector is paused in a run): when the next
    batch's table is made, no product of an earlier batch is alive, on one core or two, read from columns
    (products built on demand while the batch is linted) or row by row (csv.reader's batches, whose products
    are built before: the reader holds the next batch's first product already); after the run, none is."""
    import weakref

    from aelint.engine import Engine
    from aelint.model import Product

    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    _, catalog = generate.generate(tmp_path, rows, workbook=False)
    made: list[weakref.ref] = []  # every product made
    began = [0]  # read from columns: where the batch being linted began in `made`
    batch: list[weakref.ref] = []  # row by row: the products of the batch being linted
    linted: list[weakref.ref] = []  # the products of the batches linted before
    left_alive: list[int] = []  # how many of those were alive as each batch's table was made
    make, table_for = Product.__init__, Engine._table_for

    def product_init(self, *args, **kwargs):
        make(self, *args, **kwargs)
        made.append(weakref.ref(self))

    def next_table(self, batch_catalog, per_product):
        linted.extend(batch if reader == "csv.reader" else made[began[0]:])
        began[0] = len(made)
        left_alive.append(sum(ref() is not None for ref in linted))
        batch[:] = [weakref.ref(product) for product in batch_catalog.products] if reader == "csv.reader" else []
        return table_for(self, batch_catalog, per_product)

    monkeypatch.setattr(Product, "__init__", product_init)
    monkeypatch.setattr(Engine, "_table_for", next_table)
    report = lint_catalog(catalog, columnar_from=100, batch_products=60)
    assert f"read by {reader}" in report.readings[0].splitlines()[0]
    assert len(left_alive) >= 4 and made
    assert left_alive == [0] * len(left_alive)
    assert not [ref for ref in made if ref() is not None]


def test_a_batch_read_from_columns_builds_each_product_once_and_one_at_a_time():
    """Both threads build products of a FrameBatch (aelint.frame_products) with its one builder: one at a time,
    and each once."""
    import time

    import numpy as np
    import polars as pl

    from aelint.frame_products import FrameBatch

    building, overlaps = [], []

    def build(rows):
        if building:
            overlaps.append(rows)
        building.append(rows)
        time.sleep(0.0005)  # lets the other thread in, were it not kept out
        building.pop()
        return object()

    build.lock = threading.Lock()  # (a _SoloBuilder's: one for the catalog's batches)
    count = 100
    records = pl.DataFrame({"title": [f"title {i}" for i in range(count)]})
    batch = FrameBatch(build, records, np.arange(count), np.arange(2, count + 2), list(range(count + 1)), None)
    taken: list[list] = [[], []]

    def take(which: int) -> None:
        taken[which] = [batch[index] for index in range(count)]

    workers = [threading.Thread(target=take, args=(which,)) for which in (0, 1)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert overlaps == []
    assert len(taken[0]) == count and all(a is b for a, b in zip(*taken))


def test_a_table_column_both_threads_ask_for_at_once_is_computed_once():
    """CatalogTable's columns (`computed_once`) are computed once when both threads ask for one at once, as
    Python 3.11's cached_property does and 3.12's no longer does."""
    import time
    from types import SimpleNamespace

    from aelint.table import CatalogTable, computed_once

    computed = []

    class Table(CatalogTable):
        @computed_once
        def words(self):
            computed.append(threading.current_thread().name)
            time.sleep(0.01)  # lets the other thread in, were it not kept out
            return object()

    table = Table(SimpleNamespace(products=[]))
    got: list = [None, None]

    def ask(which: int) -> None:
        got[which] = table.words

    askers = [threading.Thread(target=ask, args=(which,)) for which in (0, 1)]
    for asker in askers:
        asker.start()
    for asker in askers:
        asker.join()
    assert len(computed) == 1 and got[0] is got[1] is table.words
