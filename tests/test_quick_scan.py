"""The extent scan's quick test of a large sheet (catalog_files._fits_quickly: polars' regex on two threads) says
a sheet fits only where the exact scan says so without widening its bounds, wherever the chunks cut the XML; the
sheets here are small, with the quick test's threshold lowered to take them."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from aelint import catalog_files
from aelint.catalog_files import _fits_dense_grid, _fits_quickly, _vertical_merge
from test_hardening import HEAD_TO_AD, extent_sheet, sheet_of


def zipped(xml: bytes) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("sheet.xml", xml)
    return buffer


def verdicts(buffer: io.BytesIO, chunk: int = 1 << 18, most_cells: int = 20_000_000, sample: int = 1000,
             monkeypatch=None) -> tuple[bool, bool, bool]:
    """(the quick test's verdict, the scan's with it, the scan's without it)."""
    with pytest.MonkeyPatch.context() as patch, zipfile.ZipFile(buffer) as archive:
        patch.setattr(catalog_files, "SCAN_CHUNK_BYTES", chunk)
        patch.setattr(catalog_files, "MAX_DENSE_CELLS", most_cells)
        patch.setattr(catalog_files, "HEADER_SAMPLE_BYTES", sample)
        patch.setattr(catalog_files, "QUICK_SCAN_MIN_BYTES", 0)
        quick, with_quick = _fits_quickly(archive, "sheet.xml"), _fits_dense_grid(archive, "sheet.xml")
        patch.setattr(catalog_files, "QUICK_SCAN_MIN_BYTES", 1 << 62)
        return quick, with_quick, _fits_dense_grid(archive, "sheet.xml")


@pytest.mark.parametrize("rows, most_cells, quick, fits", [
    ([[f"{catalog_files.column_letter(c)}{n}" for c in range(5)] for n in range(1, 400)], 20_000_000, True, True),
    (HEAD_TO_AD, 5000, True, True),
    (HEAD_TO_AD[:40] + [["AH41"]], 5000, False, True),  # a column past the header's: the exact scan widens
    (HEAD_TO_AD + [["AH200"]], 5000, False, False),
    (HEAD_TO_AD + [["B100"]], 5000, False, False),  # a row past the 99 the grid leaves
])
def test_quick_test_passes_only_what_fits_without_widening(rows, most_cells, quick, fits):
    for chunk in (40, 41, 57, 64, 1 << 18):  # chunks cut references and tags anywhere
        assert verdicts(extent_sheet(rows), chunk, most_cells) == (quick, fits, fits), chunk


@pytest.mark.parametrize("cells, quick", [
    (b'<c r="B3"><v>1</v></c><c r="C3" s="4"/><c r="D3" s="1" t="s"><v>0</v></c><c r="E3" t="b"><v>1</v></c>', True),
    (b'<c r="B3" cm="1"><f>A1</f><v>1</v></c>', False),
    (b"<c r='B3'><v>1</v></c>", False),
    (b'<c\tr="B3"><v>1</v></c>', False),
    (b'<c\x0br="B3"><v>1</v></c>', False),
    (b'<c r="B3" r="XFD3"><v>1</v></c>', False),
    (b"<c><v>1</v></c>", False),
    (b"<c/>", False),
    (b'<x:c r="B3"><v>1</v></x:c>', False),
    (b'<c r="B3" t="inlineStr"><is><t>see mergeCell</t></is></c>', True),  # a mention in a text: no tag
    (b'<c r="B3" t="inlineStr"><is><t>\xff\xfe</t></is></c>', False),  # not UTF-8
], ids=["excel", "cm", "single-quoted", "tab", "vertical-tab", "second-r", "no-r", "empty-no-r", "prefixed",
        "merge-mention", "not-utf8"])
def test_quick_test_passes_only_cell_tags_as_excel_writes_them(cells, quick):
    for chunk in (30, 47, 1 << 18):
        found = verdicts(sheet_of(cells), chunk, sample=64 * 1024)  # (the header to column E in the sample)
        assert found[0] is quick and found[1] == found[2] and (found[2] or not quick), (chunk, found)


@pytest.mark.parametrize("tags, vertical", [
    (b'<mergeCell ref="A1:C1"/><mergeCell ref="D7:E7"/>', False),
    (b'<mergeCell ref="A1:C1"/><mergeCell ref="B2:B3"/>', True),
    (b'<x:mergeCell ref="A2:A3"' + b" " * 80 + b"/>", True),
    (b"<" + b"x" * 90 + b':mergeCell ref="A1:C1"/>', True),
    (b'<mergeCell ref="A1:C1"/><mergeCells count="1"/>', False),
    (b'<mergeCell ref="A1:C1"', True),  # not closed before the next tag
], ids=["horizontal", "vertical", "padded", "long-prefix", "not-mergeCells", "unclosed"])
def test_quick_test_finds_the_merged_cells_the_exact_scan_finds(tags, vertical):
    """The merge tags (those of test_hardening's test_merged_cells_found_at_every_cut) read from the quick
    test's pieces wherever the chunks cut them: the same verdict as the exact scan's, the same tags when
    written whole; a cell's text that mentions mergeCell is no tag."""
    cells = b"".join(b'<c r="A%d" t="inlineStr"><is><t>mergeCell %d</t></is></c>' % (n, n) for n in range(1, 9))
    xml = b'<worksheet><sheetData><row r="1">' + cells + b"</row></sheetData><mergeCells>" + tags + \
        b"</mergeCells></worksheet>"
    for chunk in (40, 47, 64, 101, 1 << 18):
        with pytest.MonkeyPatch.context() as patch, zipfile.ZipFile(zipped(xml)) as archive:
            patch.setattr(catalog_files, "SCAN_CHUNK_BYTES", chunk)
            patch.setattr(catalog_files, "QUICK_SCAN_MIN_BYTES", 0)
            quick: set[bytes] = set()
            assert _fits_quickly(archive, "sheet.xml", quick)
            patch.setattr(catalog_files, "QUICK_SCAN_MIN_BYTES", 1 << 62)
            exact: set[bytes] = set()
            assert _fits_dense_grid(archive, "sheet.xml", exact)
        assert any(map(_vertical_merge, quick)) is any(map(_vertical_merge, exact)) is vertical, (chunk, quick)
        if not vertical:
            assert quick == exact == set(re.findall(rb"<mergeCell [^>]*>", tags)), (chunk, quick)


def test_quick_test_stops_following_too_many_merge_mentions(monkeypatch):
    """Past MAX_MERGE_MENTIONS mentions the sheet is taken as merged across rows, as by the exact scan."""
    monkeypatch.setattr(catalog_files, "MAX_MERGE_MENTIONS", 50)
    monkeypatch.setattr(catalog_files, "QUICK_SCAN_MIN_BYTES", 0)
    for count, vertical in ((40, False), (60, True)):
        xml = (b'<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>' + b"mergeCell " * count +
               b'</t></is></c></row></sheetData><mergeCells><mergeCell ref="A1:B1"/></mergeCells></worksheet>')
        merges: set[bytes] = set()
        with zipfile.ZipFile(zipped(xml)) as archive:
            assert _fits_quickly(archive, "sheet.xml", merges)
        assert any(map(_vertical_merge, merges)) is vertical, (count, merges)
