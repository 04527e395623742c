"""A polars DataFrame handed to `aelint.lint` is linted in batches, its products grouped from its columns where
they are text (Engine.lint_frame, reader.stream_frame): the same Report as reading its rows whole, row by row
(keep_catalogs=True takes that path, the one every table took before)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import polars as pl
import pytest

import aelint
from conftest import FIXTURES, REAL_CATALOGS, ROOT, shared_file

CSV_FIXTURES = sorted(p.relative_to(FIXTURES).as_posix() for p in FIXTURES.rglob("*.csv"))


def outcome(report) -> tuple:
    """All a Report says but the catalogs kept with keep_catalogs."""
    return ([tuple(d) for d in report.diagnostics], report.files, report.products, report.rows,
            [str(f) for f in report.failures], report.exit_code, sorted(report.ran_codes), report.readings,
            report.marketplaces, report.linted_paths)


def assert_both_ways_alike(frame, name: str, settings: Path | None = None) -> None:
    options = dict(settings=settings, name=name, images=False, cache=False)
    streamed = aelint.lint(frame, columnar_from=0, **options)  # streamed however few its rows
    whole = aelint.lint(frame, keep_catalogs=True, **options)
    assert outcome(streamed) == outcome(whole)


@pytest.fixture
def frame_batches_used(monkeypatch):
    """How many tables had their products grouped from their columns (frame_products.frame_batches)."""
    from aelint import frame_products

    used = []
    original = frame_products.frame_batches

    def counted(*arguments):
        found = original(*arguments)
        used.append(found is not None)
        return found

    monkeypatch.setattr(frame_products, "frame_batches", counted)
    return used


@pytest.mark.slow
@pytest.mark.parametrize("case", CSV_FIXTURES)
def test_every_csv_fixture_as_a_polars_frame(case, monkeypatch):
    """Read as text and with the types polars infers (floats, integers, booleans, dates, nulls)."""
    monkeypatch.chdir(ROOT)
    path = FIXTURES / case
    settings = path.with_suffix(".toml")
    try:
        text = pl.read_csv(path, infer_schema=False)
        typed = pl.read_csv(path, infer_schema_length=10_000)
    except pl.exceptions.PolarsError as error:  # ragged records, other encodings: the file's own tests read them
        pytest.skip(f"polars cannot read it: {type(error).__name__}")
    assert_both_ways_alike(text, f"fixtures/{case}", settings if settings.exists() else None)
    if not typed.equals(text):
        assert_both_ways_alike(typed, f"fixtures/{case}", settings if settings.exists() else None)


@pytest.mark.slow
@pytest.mark.parametrize("relative", REAL_CATALOGS)
def test_real_catalogs_as_polars_frames(relative):
    path = shared_file(relative)
    for frame in (pl.read_csv(path, infer_schema=False, encoding="utf8-lossy"),
                  pl.read_csv(path, infer_schema_length=10_000, encoding="utf8-lossy")):
        assert_both_ways_alike(frame, path.name)


def test_the_example_is_read_from_its_columns_with_its_file_findings(frame_batches_used, monkeypatch):
    monkeypatch.chdir(ROOT)
    from_file = aelint.lint("examples/catalog.csv", images=False, cache=False)
    frame = pl.read_csv("examples/catalog.csv", infer_schema=False)
    small = aelint.lint(frame, name="examples/catalog.csv", images=False, cache=False)
    assert frame_batches_used == []  # a few rows are read row by row, whole
    report = aelint.lint(frame, name="examples/catalog.csv", images=False, cache=False, columnar_from=8)
    assert frame_batches_used == [True]
    assert [tuple(d) for d in small.diagnostics] == [tuple(d) for d in from_file.diagnostics]
    assert [tuple(d) for d in report.diagnostics] == [tuple(d) for d in from_file.diagnostics]
    assert (report.products, report.rows) == (from_file.products, from_file.rows) == (8, report.rows)


TYPED = {
    "Product ID": ["P1", "P1", "P2", None, "P3", "P4"],
    "Title": ["Red cotton shirt for men", None, "Blue mug", "", "Green lamp 12.0", "Desk"],
    "Price": [12.0, 12.5, 1e17, None, float("nan"), -0.0],
    "Stock": [3, 0, None, 7, -2, 10],
    "Weight (kg)": [Decimal("0.50"), None, Decimal("2"), None, Decimal("1.25"), Decimal("3")],
    "Shipping Template": [True, False, None, True, False, True],
    "Brand": [datetime.date(2024, 1, 31), None, datetime.date(2023, 5, 1), None, None, None],
    "Color": [datetime.datetime(2024, 1, 31, 8, 30), None, None, None, None, datetime.datetime(2020, 1, 1)],
    "Main Image": ["https://example.com/a.jpg", None, "https://example.com/b.jpg", None, None, ""],
    "Description": [None] * 6,
    "Material": pl.Series(["cotton", None, "steel", "cotton", None, "wood"], dtype=pl.Categorical),
    "Size": pl.Series([1, None, 3, 4, 5, 6], dtype=pl.UInt8),
}


def test_a_cell_reads_as_the_text_of_the_value_iter_rows_gives():
    from aelint.reader import _frame_text, _text

    frame = pl.DataFrame(TYPED, strict=False)
    every_column = SimpleNamespace(columns_read=frozenset(range(frame.width)), image_cols=[], product_id_cols=[])
    text = _frame_text(frame, every_column)
    assert text is not None and text.height == frame.height + 1
    assert text.row(0) == tuple(frame.columns)
    for position, row in enumerate(frame.iter_rows(), start=1):
        assert text.row(position) == tuple(_text(value) for value in row)


def test_typed_columns_and_null_cells_give_the_row_by_row_report(frame_batches_used):
    frame = pl.DataFrame(TYPED, strict=False)
    assert_both_ways_alike(frame, "feed.csv")
    assert frame_batches_used == [True]


def test_a_blank_row_with_a_null_picture_is_read_row_by_row(frame_batches_used):
    """Row by row, a None picture is a value, so a row blank but for it is a SKU of the product above:
    such a table is not grouped from its columns."""

    frame = pl.DataFrame({"Product ID": ["P1", None, "P2"], "Title": ["Red cotton shirt", None, "Blue mug"],
                          "Price": ["3", None, "4"], "Main Image": ["a.jpg", None, "b.jpg"]})
    assert_both_ways_alike(frame, "feed.csv")
    assert frame_batches_used == []
    report = aelint.lint(frame, name="feed.csv", images=False, cache=False, columnar_from=0)
    assert report.rows == 3 and report.products == 2


def test_a_list_column_read_by_the_reader_sends_the_table_row_by_row(frame_batches_used):
    frame = pl.DataFrame({"Product ID": ["P1", "P2"], "Title": ["Red cotton shirt", "Blue mug"],
                          "Color": [["red", "blue"], ["green"]], "Unread": [[1], [2]]})
    assert_both_ways_alike(frame, "feed.csv")
    assert frame_batches_used == []
    assert_both_ways_alike(frame.drop("Color"), "feed.csv")
    assert frame_batches_used == [True]


def test_a_product_split_across_batches_is_read_whole(frame_batches_used):
    frame = pl.DataFrame({"Product ID": ["P1", "P2", "P1"], "Title": ["Red cotton shirt", "Blue mug", ""],
                          "Color": ["red", "blue", "green"]})
    streamed = aelint.lint(frame, name="feed.csv", images=False, cache=False, batch_products=1, columnar_from=0)
    whole = aelint.lint(frame, name="feed.csv", images=False, cache=False, keep_catalogs=True)
    assert outcome(streamed) == outcome(whole) and whole.products == 2
