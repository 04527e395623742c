"""A large sheet parsed in two halves at once (aelint.sheet_halves) reads exactly as the whole sheet parsed by
fastexcel, or is parsed whole: the sheets here are small, with the split threshold lowered to take them."""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import pytest

from aelint import catalog_files, sheet_halves, threads
from aelint.reader import _started_from_columns
from test_workbook_columns import findings, rewritten, workbook

pytestmark = pytest.mark.skipif(not hasattr(os, "memfd_create") or not os.path.isdir("/proc/self/fd")
                                or threads.cores() < 2, reason="halves need memfds and two cores")

HEADER = ["Product ID", "Title", "SKU", "Price", "Stock", "Main Image", "Brand", "Internal note"]  # (H: not read)
SHEET = "xl/worksheets/sheet1.xml"


def catalog_rows(count: int = 400, blank: range = range(0)) -> list[list]:
    """A header and `count` SKU rows, two per product; the data rows at the indexes in `blank` left empty."""
    rows = [list(HEADER)]
    for i in range(count):
        product = i // 2
        rows.append([] if i in blank else
                    [f"P{product}", f"Ceramic mug {product} with a long handle", f"S{i}", 10 + i % 7 * 0.25, i % 5,
                     f"https://img.example/{product}.jpg", "" if i % 3 else "Acme"])
    return rows


def frame_read(path: Path, split: bool, monkeypatch) -> tuple[object, object]:
    """(the records and row numbers the columnar reading gives, whether the halves gave them) with the split
    threshold at 0 (`split`) or past any sheet."""
    monkeypatch.setattr(sheet_halves, "SPLIT_MIN_BYTES", 0 if split else 1 << 62)
    used = []
    joined = sheet_halves.Halves.joined

    def spied(self, *args):
        used.append(joined(self, *args))
        return used[-1]

    monkeypatch.setattr(sheet_halves.Halves, "joined", spied)
    halves = sheet_halves.start_halves(path, ["Products"])
    assert (halves is not None) is split
    try:
        started = _started_from_columns(path, path.name, "Products", False, {}, "en", None, None, halves)
    finally:
        if halves is not None:
            halves.close()
    frame = None if started is None else started[0].frame
    return frame, bool(used and used[0] is not None)


def assert_reads_alike(path: Path, monkeypatch, halves_used: bool) -> None:
    whole, _ = frame_read(path, False, monkeypatch)
    split, used = frame_read(path, True, monkeypatch)
    assert used is halves_used
    if whole is None:
        assert split is None
    else:
        assert split is not None and split[1] == whole[1] and split[0].equals(whole[0])


def cut_row(path: Path) -> int:
    """The row the halves' cut falls on."""
    with zipfile.ZipFile(path) as archive:
        xml = archive.read(SHEET)
    return int(sheet_halves.ROW_TAG_RE.search(xml, len(xml) // 2)[1])


@pytest.mark.parametrize("shared", [False, True], ids=["inline strings", "shared strings"])
def test_a_sheet_read_in_halves_reads_as_the_whole_sheet(shared, tmp_path, monkeypatch):
    assert_reads_alike(workbook(tmp_path / "book.xlsx", catalog_rows(), shared=shared), monkeypatch, True)


def test_blank_rows_above_the_cut_read_blank(tmp_path, monkeypatch):
    rows = catalog_rows(blank=range(100, 300))
    rows[100][1] += " x" * 20_000  # the last row above the blank ones holds the middle of the sheet's XML
    path = workbook(tmp_path / "book.xlsx", rows, shared=False)
    with zipfile.ZipFile(path) as archive:
        xml = archive.read(SHEET)
    assert not re.search(rb'<row r="%d"' % (cut_row(path) - 1), xml)  # the first half's grid ends above the cut

    assert_reads_alike(path, monkeypatch, True)


def test_the_same_findings_from_halves_as_from_the_whole_sheet(tmp_path, monkeypatch):
    path = workbook(tmp_path / "book.xlsx", catalog_rows(), shared=False)
    monkeypatch.setattr(catalog_files, "COLUMNAR_MIN_BYTES", 0)
    monkeypatch.setattr(sheet_halves, "SPLIT_MIN_BYTES", 1 << 62)
    whole = findings(path, batch_products=50)
    monkeypatch.setattr(sheet_halves, "SPLIT_MIN_BYTES", 0)
    assert findings(path, batch_products=50) == whole and whole


def late_row(xml: bytes, row: bytes) -> bytes:
    return xml.replace(b"</sheetData>", row + b"</sheetData>")


@pytest.mark.parametrize("case", ["a cell above the cut", "a cell above the cut in a column not read",
                                  "a cell on the row above the cut", "a cell below the cut in the first half",
                                  "a cell in the marker's column", "a comment over the cut",
                                  "numbers then text in a column", "a damaged part"])
def test_a_sheet_the_halves_would_read_otherwise_is_parsed_whole(case, tmp_path, monkeypatch):
    path = workbook(tmp_path / "book.xlsx", catalog_rows(), shared=False)
    middle = cut_row(path)
    if case == "a cell above the cut":  # a row written out of order, after the cut: the whole sheet places it
        path = rewritten(path, SHEET, lambda xml: late_row(
            xml, b'<row r="5"><c r="A5" t="inlineStr"><is><t>late</t></is></c></row>'))
    elif case == "a cell above the cut in a column not read":
        path = rewritten(path, SHEET, lambda xml: late_row(
            xml, b'<row r="5"><c r="H5" t="inlineStr"><is><t>late</t></is></c></row>'))
    elif case == "a cell on the row above the cut":  # the marker's row: the whole sheet reads it with that row
        path = rewritten(path, SHEET, lambda xml: late_row(
            xml, b'<row r="%d"><c r="G%d" t="inlineStr"><is><t>late</t></is></c></row>' % (middle - 1, middle - 1)))
    elif case == "a cell below the cut in the first half":  # written out of order, a few rows above the cut
        path = rewritten(path, SHEET, lambda xml: xml.replace(
            b'<row r="%d">' % (middle - 3),
            b'<row r="900"><c r="G900" t="inlineStr"><is><t>early</t></is></c></row><row r="%d">' % (middle - 3)))
        assert cut_row(path) > middle - 3
    elif case == "a cell in the marker's column":  # column I, one past the header's last
        path = rewritten(path, SHEET, lambda xml: late_row(
            xml, b'<row r="900"><c r="I900" t="inlineStr"><is><t>note</t></is></c></row>'))
    elif case == "a comment over the cut":
        def commented(xml: bytes) -> bytes:
            start = xml.index(b'<row r="%d"' % (middle - 3))
            end = xml.index(b'<row r="%d"' % (middle + 3))
            return xml[:start] + b"<!--" + xml[start:end] + b"-->" + xml[end:]
        path = rewritten(path, SHEET, commented)
    elif case == "numbers then text in a column":  # prices as text from the cut on: each half reads, the whole
        def prices_as_text(start: int):  # sheet is refused by fastexcel's strict typing
            return lambda xml: re.sub(rb'<c r="D(\d+)" t="n"><v>([0-9.]+)</v></c>', lambda cell: (
                cell[0] if int(cell[1]) < start else
                b'<c r="D%s" t="inlineStr"><is><t>%s</t></is></c>' % (cell[1], cell[2])), xml)

        source, start = path, middle
        for _ in range(10):  # text cells are longer: the cut moves until it is the row the text starts on
            path = rewritten(source, SHEET, prices_as_text(start))
            if cut_row(path) == start:
                break
            start = cut_row(path)
        assert cut_row(path) == start
    elif case == "a damaged part":  # its bytes differ from those its CRC-32 was taken of
        path = rewritten(path, SHEET, lambda xml: xml, zipfile.ZIP_STORED)
        data = path.read_bytes()
        at = data.rindex(b"Ceramic mug")
        path.write_bytes(data[:at] + b"K" + data[at + 1:])
    assert_reads_alike(path, monkeypatch, False)


def test_halves_of_another_sheet_are_not_written(tmp_path, monkeypatch):
    path = workbook(tmp_path / "book.xlsx", catalog_rows(), shared=False)
    monkeypatch.setattr(sheet_halves, "SPLIT_MIN_BYTES", 0)
    assert sheet_halves.start_halves(path, ["Other"]) is None
    halves = sheet_halves.start_halves(path, ["Products"])
    assert halves is not None and halves.sheet == "Products"
    halves.close()


def test_halves_let_their_memory_go(tmp_path, monkeypatch):
    path = workbook(tmp_path / "book.xlsx", catalog_rows(), shared=False)
    before = len(os.listdir("/proc/self/fd"))
    for split in (True, True):
        assert frame_read(path, split, monkeypatch)[1]
        halves = sheet_halves.start_halves(path, ["Products"])  # written, never parsed
        halves.close()
        assert halves.written == [None, None] and not any(thread.is_alive() for thread in halves.threads)
    assert len(os.listdir("/proc/self/fd")) == before
