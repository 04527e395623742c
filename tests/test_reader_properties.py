"""Property-based tests: random structure and random bytes never crash the readers or the command line."""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from aelint.catalog_files import CatalogError
from aelint.cli import main
from aelint.reader import read_catalog

HEADERS = ["Product ID", "Title", "SKU", "Price", "Stock", "Color", "Size", "Main Images", "Description",
           "Option1 Name", "Option1 Value", "aelint_ignore", "商品标题", "Whatever", ""]
cell = st.one_of(st.text(max_size=40), st.integers(-10**6, 10**6).map(str),
                 st.floats(allow_nan=False, allow_infinity=False).map(repr), st.sampled_from(["", " ", "0", "P1"]))
table = st.tuples(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8),
                  st.lists(st.lists(cell, max_size=10), max_size=12))
# openpyxl refuses control characters, so workbook cells draw from printable text.
workbook_cell = st.one_of(st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40),
                          st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False), st.none())
workbook_table = st.tuples(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8),
                           st.lists(st.lists(workbook_cell, max_size=10), max_size=12))
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def read(path: Path):
    """A catalog or a CatalogError: anything else escaping is a bug."""
    try:
        return read_catalog(path, path.name)
    except CatalogError as error:
        assert path.name in str(error)
        return None


@FAST
@given(table, st.sampled_from([",", ";", "\t", "|"]), st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030"]))
def test_random_csv_tables(data, delimiter, encoding):
    header, rows = data
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows([header, *rows])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feed.csv"
        path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
        catalog = read(path)
        if catalog is not None:
            assert len(catalog.products) <= catalog.rows
            assert sum(len(p.skus) for p in catalog.products) <= catalog.rows
            for product in catalog.products:
                assert product.row > catalog.header_row
                assert all(sku.row >= product.row for sku in product.skus)


@FAST
@given(st.binary(max_size=3000), st.sampled_from(["feed.csv", "feed.tsv", "book.xlsx", "book.xls", "book.ods"]))
def test_random_bytes(content, name):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        read(path)


@FAST
@given(workbook_table, st.data())
def test_random_workbooks_and_corrupted_zips(data, draw):
    header, rows = data
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "book.xlsx"
        book.save(path)
        catalog = read(path)
        if {"Title", "SKU"} <= set(header):  # a recognisable header row is always found
            assert catalog is not None and catalog.header_row == 1
        content = bytearray(path.read_bytes())
        for _ in range(draw.draw(st.integers(1, 8))):  # the saved file's length varies with its timestamps, so
            # the position drawn does not depend on it (hypothesis: FlakyStrategyDefinition otherwise)
            content[draw.draw(st.integers(0, 2**20)) % len(content)] = draw.draw(st.integers(0, 255))
        path.write_bytes(bytes(content))
        read(path)


@settings(max_examples=25, deadline=None)
@given(table)
def test_command_line_exit_codes(data):
    header, rows = data
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feed.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        result = CliRunner().invoke(main, [str(path), "--no-images", "--format", "json"])
        assert result.exit_code in (0, 1, 2), result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)


def test_members_of_a_real_zip_that_are_not_xml():
    """A zip with an xl/ folder of garbage is a CatalogError, not a crash."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "book.xlsx"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("xl/workbook.xml", b"\x00\xff garbage")
            archive.writestr("[Content_Types].xml", b"<nope")
        assert read(path) is None


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("ab.j/ \t\r\n;|,\u3000\x1c"), max_size=30))
def test_one_reference_shortcut_splits_as_the_general_split(value):
    """`_split_images` answers a cell without separators itself: it must give what the general split gives."""
    from aelint.reader import _split_images, _split_references

    assert _split_images(value) == _split_references(value)
