"""A workbook's columns read by fastexcel (aelint.workbook_columns) against python-calamine's rows.

Every CSV fixture is written as a workbook (numbers as numbers) and streamed both ways in small batches, as
test_frame_products does for CSVs: the products and table frames read from fastexcel's columns must equal the
row-by-row builder's over calamine's rows. Sheets whose cells fastexcel could give otherwise than calamine
(vertically merged cells, columns of mixed types, dates) must be read row by row, alike.
"""

from __future__ import annotations

import csv
import datetime
import re
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from aelint import catalog_files
from aelint.config import from_data
from aelint.engine import Engine, RunOptions
from aelint.frame_products import FrameBatch
from aelint.reader import HEADER_SEARCH_ROWS, Reading, read_catalogs, stream_catalogs
from aelint.workbook_columns import head_rows
from conftest import FIXTURES, ROOT
from test_frame_products import EDGES, OPTIONS, SHOPIFY, compare

CSV_FIXTURES = sorted(p for p in FIXTURES.rglob("*") if p.suffix == ".csv")
NUMBER_RE = re.compile(r"-?(?:0|[1-9][0-9]{0,8})(?:\.[0-9]{1,6})?")


def shared_strings_copy(source: Path, target: Path) -> Path:
    """bench/generate.py's: the workbook with its strings shared, as Excel saves them (openpyxl writes them inline)."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return generate.shared_strings_copy(source, target)


def workbook(path: Path, rows: list[list], at: tuple[int, int] = (1, 1), merges: tuple[str, ...] = (),
             numbers: bool = True, shared: bool = True) -> Path:
    """An .xlsx of `rows` from cell `at` (row, column); with `numbers`, cells that read as numbers written as
    numbers; with `shared`, its strings shared, as Excel saves them."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Products"
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if numbers and isinstance(value, str) and NUMBER_RE.fullmatch(value):
                value = float(value) if "." in value else int(value)
            if value not in ("", None):
                sheet.cell(at[0] + r, at[1] + c, value)
    for cells in merges:
        sheet.merge_cells(cells)
    if not shared:
        book.save(path)
        return path
    inline = path.with_name("inline_" + path.name)
    book.save(inline)
    return shared_strings_copy(inline, path)


def findings(path: Path, **options) -> list[tuple]:
    """The lint's diagnostics of `path` under --no-images with these run options."""
    report = Engine(RunOptions(cache=False, jobs=1, images=False, **options), from_data({}, None)).lint([path])
    assert not report.failures
    return [(d.row, d.column, d.code, d.message, d.fix) for d in report.diagnostics]


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(text.splitlines()))


def reader_of(path: Path, monkeypatch) -> tuple[str, bool]:
    """Which library read the sheet when streamed, and whether a batch came from columns."""
    monkeypatch.setattr(catalog_files, "COLUMNAR_MIN_BYTES", 0)
    reading = Reading([])
    by_columns = any(isinstance(batch, FrameBatch) for _, found in
                     stream_catalogs(path, path.name, {}, None, "en", 3, reading) for batch in found)
    return reading.reader, by_columns


@pytest.mark.slow  # 301 workbooks written and read twice: ~10 s
def same_catalogs(path: Path, monkeypatch) -> None:
    """The catalogs streamed from columns say what the row-by-row reading's say of their sheets and headers
    (a column's position aside: counted from column A when read from columns, from the sheet's first column
    by calamine; diagnostics name it by its letter either way)."""
    def facts(catalog):
        readings = [(c.header, c.field, c.required, c.language, c.unit, c.currency, c.group, c.place)
                    for c in catalog.column_readings]
        return (catalog.sheet, catalog.header_row, catalog.header_rows, catalog.columns, catalog.ignored_headers,
                readings, catalog.language, catalog.currency, catalog.required_fields, catalog.limits,
                catalog.suppressions, catalog.rows, catalog.product_count)

    monkeypatch.setattr(catalog_files, "COLUMNAR_MIN_BYTES", 0)
    streamed = []
    for catalog, found in stream_catalogs(path, path.name, {}, None, "en", 3, Reading([])):
        for _ in found:
            pass
        streamed.append(facts(catalog))
    assert streamed == [facts(c) for c in read_catalogs(path, path.name, columnar=False).catalogs], path


def test_fixtures_as_workbooks_read_from_columns_as_calamine_rows_read(tmp_path, monkeypatch):
    by_columns = []
    for source in CSV_FIXTURES:
        with source.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
            rows = list(csv.reader(handle))
        path = workbook(tmp_path / (source.parent.name + "_" + source.stem + ".xlsx"), rows)
        if compare(path, monkeypatch):
            by_columns.append(source)
            same_catalogs(path, monkeypatch)
    # the comparison means something only if most fixtures take the columnar reading (the others mix text and
    # numbers in a column, or have a layout read row by row)
    assert len(by_columns) >= 0.7 * len(CSV_FIXTURES), (len(by_columns), len(CSV_FIXTURES))


@pytest.mark.parametrize("feed", [EDGES, OPTIONS, SHOPIFY], ids=["edges", "options", "shopify"])
def test_feeds_as_workbooks_read_from_columns_as_calamine_rows_read(feed, tmp_path, monkeypatch):
    # as text: the feeds' price columns hold blanks of spaces among numbers (a column of mixed types)
    assert compare(workbook(tmp_path / "feed.xlsx", csv_rows(feed), numbers=False), monkeypatch)


HEADER = ["Product ID", "Title", "SKU", "Price", "Stock", "Main Image"]
ROWS = [["P1", "Mug", "M1", 12.5, 3, "https://img.example/1.jpg"],
        ["P1", "Mug", "M2", 100 / 3, 0, "https://img.example/1.jpg"],
        ["P2", "Bottle", "B1", 1e20, -0.0, "https://img.example/2.jpg"],
        ["P3", "Towel", "T1", 1.5e-7, 1.2345678901234567e16, ""]]


def test_a_sheet_away_from_a1_with_numbers_of_every_kind_reads_from_columns(tmp_path, monkeypatch):
    path = workbook(tmp_path / "far.xlsx", [["Bulk upload template"], [], HEADER, *ROWS], at=(3, 3))
    assert reader_of(path, monkeypatch) == ("fastexcel (columns)", True)
    assert compare(path, monkeypatch)
    same_catalogs(path, monkeypatch)


def test_a_template_with_group_titles_merged_across_reads_from_columns(tmp_path, monkeypatch):
    groups = ["Basic information", "", "", "Price and stock", "", "Images"]
    path = workbook(tmp_path / "template.xlsx", [groups, HEADER, *ROWS], merges=("A1:C1", "D1:E1"))
    assert reader_of(path, monkeypatch) == ("fastexcel (columns)", True)
    assert compare(path, monkeypatch)
    same_catalogs(path, monkeypatch)


def test_a_date_and_a_boolean_above_the_header_read_from_columns(tmp_path, monkeypatch):
    path = workbook(tmp_path / "dated.xlsx", [["Template of", datetime.date(2024, 5, 6), True], HEADER, *ROWS])
    assert reader_of(path, monkeypatch) == ("fastexcel (columns)", True)
    assert compare(path, monkeypatch)
    same_catalogs(path, monkeypatch)


def test_booleans_read_from_columns(tmp_path, monkeypatch):
    path = workbook(tmp_path / "flags.xlsx", [[*HEADER, "Tags"], *([*row, i % 2 == 0] for i, row in enumerate(ROWS))])
    assert reader_of(path, monkeypatch) == ("fastexcel (columns)", True)
    assert compare(path, monkeypatch)
    same_catalogs(path, monkeypatch)


@pytest.mark.parametrize("case", ["merged down", "mixed column", "dates", "rows apart"])
def test_sheets_fastexcel_could_read_otherwise_are_read_row_by_row_alike(case, tmp_path, monkeypatch):
    rows, merges = [list(HEADER), *map(list, ROWS)], ()
    if case == "merged down":  # a title over its SKU rows: calamine fills it down
        rows[2][1], merges = "", ("B2:B3",)
    elif case == "mixed column":
        rows[3][4] = "out of stock"
    elif case == "dates":
        rows = [[*HEADER, "Brand"], *([*row, datetime.datetime(2024, 5, 6, 7, 8, 9)] for row in ROWS)]
    elif case == "date in the head":
        rows = [["Template of", datetime.date(2024, 5, 6)], *rows]
    elif case == "rows apart":
        rows.append(["P1", "Mug", "M3", 12.5, 1, "https://img.example/1.jpg"])
    path = workbook(tmp_path / "book.xlsx", rows, merges=merges)
    reader, by_columns = reader_of(path, monkeypatch)
    assert not by_columns
    assert reader == ("fastexcel (columns)" if case == "rows apart" else "python-calamine")
    monkeypatch.setattr(catalog_files, "COLUMNAR_MIN_BYTES", 0)

    assert findings(path, batch_products=2) == findings(path, keep_catalogs=True)


def test_the_benchmark_layout_lints_alike_from_columns_and_row_by_row(tmp_path, monkeypatch):
    path = workbook(tmp_path / "edges.xlsx", csv_rows(EDGES), numbers=False)

    monkeypatch.setattr(catalog_files, "COLUMNAR_MIN_BYTES", 0)
    from_columns = findings(path, columnar_from=0, batch_products=2)
    monkeypatch.setattr(catalog_files, "COLUMNAR_MIN_BYTES", 1 << 62)
    assert from_columns == findings(path, columnar_from=1 << 30) and from_columns


def test_a_chart_sheet_beside_the_products_lints_alike(tmp_path, monkeypatch):
    from openpyxl.chart import BarChart, Reference

    path = workbook(tmp_path / "charted.xlsx", [HEADER, *ROWS])
    book = load_workbook(path)
    chart = BarChart()
    chart.add_data(Reference(book["Products"], min_col=4, min_row=1, max_row=5))
    book.create_chartsheet("Chart").add_chart(chart)
    book.save(path)
    monkeypatch.setattr(catalog_files, "COLUMNAR_MIN_BYTES", 0)

    assert reader_of(path, monkeypatch) == ("fastexcel (columns) for 'Products', python-calamine for the others", True)
    assert findings(path, batch_products=2) == findings(path, keep_catalogs=True)


def calamine_head(path: Path, sheet: str = "Products", count: int = HEADER_SEARCH_ROWS) -> list:
    """The first rows of the whole sheet as calamine reads it, each from column A on."""
    from python_calamine import CalamineWorkbook

    found = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet)
    offset = found.start[1] if found.start else 0
    return [(n, [""] * offset + row) for n, row in enumerate(found.iter_rows(), start=1)][:count]


def rewritten(path: Path, member: str, change, compression: int | None = None) -> Path:
    """A copy of the workbook with one part's XML changed (every part stored or deflated by `compression`, if
    given)."""
    target = path.with_name("changed_" + path.name)
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item)
            new.writestr(item, change(data) if item.filename == member else data, compression)
    return target


def test_the_head_is_the_whole_sheets_first_rows(tmp_path):
    many = [HEADER, *([f"P{i}", f"Title {i} " + "x" * 3000, f"S{i}", i + 0.5, i, ""] for i in range(60))]
    head = [["Template", datetime.date(2024, 5, 6)], [], *many]
    shared = workbook(tmp_path / "shared.xlsx", head, at=(3, 2))
    inline = workbook(tmp_path / "inline.xlsx", head, at=(3, 2), shared=False)
    for path in (shared, inline):
        assert head_rows(path, "Products", HEADER_SEARCH_ROWS) == calamine_head(path), path


def test_a_head_it_cannot_cut_exactly_is_read_whole(tmp_path):
    path = workbook(tmp_path / "book.xlsx", [HEADER, *ROWS])
    quoted = rewritten(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b't="s"', b"t='s'", 1))
    assert head_rows(quoted, "Products", HEADER_SEARCH_ROWS) is None
    prefixed = rewritten(path, "xl/sharedStrings.xml", lambda xml: xml.replace(b"<si>", b"<x:si>"))
    assert head_rows(prefixed, "Products", HEADER_SEARCH_ROWS) is None
    assert head_rows(path, "Products", HEADER_SEARCH_ROWS) == calamine_head(path)


def test_a_sheet_read_from_columns_leaves_calamines_whole_workbook_unopened(tmp_path, monkeypatch):
    # python-calamine parses every shared string as it opens a workbook: the sheet names come from a copy
    # without them, and the whole workbook is opened only for a sheet read row by row
    from python_calamine import CalamineWorkbook

    path = workbook(tmp_path / "book.xlsx", [HEADER, *ROWS])
    merged = workbook(tmp_path / "merged.xlsx", [HEADER, *ROWS], merges=("A2:A3",))
    opened = []
    whole = CalamineWorkbook.from_path
    monkeypatch.setattr(CalamineWorkbook, "from_path", lambda name: opened.append(name) or whole(name))

    assert reader_of(path, monkeypatch) == ("fastexcel (columns)", True)
    assert opened == []
    assert reader_of(merged, monkeypatch) == ("python-calamine", False)
    assert opened == [str(merged)]


def test_damaged_shared_strings_fail_as_when_calamine_opened_the_workbook_first(tmp_path, monkeypatch):
    path = workbook(tmp_path / "book.xlsx", [HEADER, *ROWS])
    damaged = rewritten(path, "xl/sharedStrings.xml", lambda xml: xml[:len(xml) // 2])
    monkeypatch.setattr(catalog_files, "COLUMNAR_MIN_BYTES", 0)

    with pytest.raises(catalog_files.CatalogError, match="cannot read the workbook"):
        for _ in stream_catalogs(damaged, damaged.name, {}, None, "en", 3, Reading([])):
            pass
    with pytest.raises(catalog_files.CatalogError, match="cannot read the workbook"):
        read_catalogs(damaged, damaged.name, columnar=False)
