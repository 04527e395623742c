"""A large sheet parsed by fastexcel in two halves at once, one on each core (for aelint.workbook_columns).

fastexcel (calamine) parses a sheet's XML on one thread: 1.6 s for the 255 MB sheet of the 100k-row benchmark,
while the other core waits. Here each half becomes a workbook of its own in memory (a memfd: Linux), holding
the parts calamine reads, stored, and the sheet's part cut at a row tag near the middle of its XML: the first
half the sheet up to that row, closed; the second the sheet's opening (without its <dimension>), a marker row,
then the rest. Each half is written and parsed on a thread of its own (inflating, writing and parsing release
the GIL).

The halves read as the whole sheet would, or not at all (`HalfWorkbooks.parse` or `Halves.joined` gives
None, and the sheet is parsed whole; so is a sheet with a column of two types in the halves, or of a type
not read from columns: only fastexcel's typing of the whole column says what it is, an error cell among
numbers, say):
- the cut is a row tag with its number, and the first half (the sheet's XML before the cut, closed by the tags
  that close the rows) parses: calamine refuses a comment, CDATA section, processing instruction, attribute
  value or tag left open at its end, so the cut lies between rows, and the second half's rows read as in the
  whole sheet;
- the marker row is the row above the cut, its one cell in the column past the widest of the sheet's first XML
  (its header); read first in that column, and that column's only value, it shows that no cell of the second
  half lies above the cut and none shares the marker's column, and its row's other cells read blank show that
  none lies on the marker's row;
- the first half's grid ends above the cut (none of its cells lies below); rows it lacks at its end are blank;
- a column takes one type in both halves, as fastexcel's strict typing of the whole sheet needs;
- the sheet part inflates to the CRC-32 its zip entry declares, as calamine checks.
"""

from __future__ import annotations

import html
import os
import re
import threading
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from aelint.catalog_files import (HEADER_SAMPLE_BYTES, _inflated, _sheet_parts, column_letter, column_number,
                                  header_widest, part_name, sheet_targets)
from aelint.threads import beside, cores
from aelint.workbook_columns import DIMENSION_RE, MAX_HEAD_BYTES, SHEET_DATA_RE, read_for_cells

SPLIT_MIN_BYTES = 16 * 1024**2  # a sheet's XML at least this large is parsed in halves
MAX_HALVES_BYTES = 512 * 1024**2  # the parts the halves copy inflate to at most this (memory the halves hold)
MAX_CUT_SEARCH_BYTES = 64 * 1024**2  # the cut's row tag lies this close past the middle of the sheet's XML
ROW_TAG_RE = re.compile(rb'<row r="([1-9][0-9]{0,6})"[\s/>]')
MAX_ROW_TAG_BYTES = 32  # holds what ROW_TAG_RE matches, cut between two chunks
MARKER = "aelint: the second half starts on this row"
MAX_COLUMNS = 16_384  # XFD

Load = Callable[[str, "int | None", list[int]], tuple[list[int], Any]]


@dataclass
class Halves:
    """fastexcel's columns (their positions, and the frame) of a sheet cut at row `cut_row`: `first` from the
    header on, `second` from the marker row on, the marker's column (`marker_column`) last."""

    first: tuple[list[int], Any]
    second: tuple[list[int], Any]
    cut_row: int
    marker_column: int

    def joined(self, header_row: int, text: Callable[[Any], Any]) -> list[Any] | None:
        """Each column's `text` below the header row over both halves, as the whole sheet gives it (the rows the
        first half's grid lacks above the cut blank); None when the halves do not read as the whole (see the
        module's docstring)."""
        import polars as pl

        (first_positions, first), (second_positions, second) = self.first, self.second
        marker = second.get_columns()[-1]
        above = self.cut_row - 1 - header_row  # the data rows above the cut
        if (second_positions != [*first_positions, self.marker_column] or marker[0] != MARKER
                or marker.null_count() != len(marker) - 1 or first.height > above
                or any(series[0] is not None for series in second.get_columns()[:-1])):
            return None
        blank = pl.repeat("", above - first.height if second.height > 1 else 0, dtype=pl.String, eager=True)
        columns = []
        for upper, lower in zip(first.get_columns(), second.get_columns()):
            if len({upper.dtype, lower.dtype} - {pl.Null}) > 1:
                return None  # a column of two types: the whole sheet's strict typing refuses it
            upper_text, lower_text = text(upper), text(lower.slice(1))
            if upper_text is None or lower_text is None:
                return None
            columns.append(pl.concat([upper_text, blank, lower_text]))
        return columns


class HalfWorkbooks:
    """A workbook's largest sheet part (of the sheet `sheet`) written as two half workbooks in memory (memfds) by
    two threads, started while the sheet's header is looked for; `parse` has fastexcel parse them, `close` lets
    them go."""

    def __init__(self, path: Path, sheet: str, part: zipfile.ZipInfo, left_out: set[str]):
        self.path, self.sheet, self.part, self.left_out = path, sheet, part, left_out
        self.cancelled = threading.Event()
        self.written: list[tuple[int, tuple[int, int]] | None] = [None, None]  # (memfd, (cut row, marker column))
        self.threads = [threading.Thread(target=self._write, args=(index,), name=f"aelint-half-{index}",
                                         daemon=True) for index in (0, 1)]
        for thread in self.threads:
            thread.start()

    def _write(self, index: int) -> None:
        try:
            descriptor = os.memfd_create("aelint-half")
        except OSError:
            return
        try:
            with open(descriptor, "w+b", closefd=False) as file:
                cut = _write_half_workbook(self.path, self.part, self.left_out, index == 0, file, self.cancelled)
        except BaseException:  # a damaged part: the extent scan or the whole sheet's parse reports it
            cut = None
        if cut is None:
            os.close(descriptor)
        else:
            self.written[index] = descriptor, cut

    def parse(self, header_row: int, wanted: list[int], load: Load) -> Halves | None:
        """The halves parsed on two threads by `load(source, header row from 0, columns)` (fastexcel's load of
        the sheet asked for: the first half's `wanted` columns below the header row, `header_row`, the second's
        and the marker's from its first row on), then let go; None when the halves could not be written as the
        module's docstring says, or `load` fails on one (the sheet asked for lies in another part): the caller
        parses the sheet whole, which reports what failed."""
        for thread in self.threads:
            thread.join()
        written = self.written
        if None in written or written[0][1] != written[1][1]:
            self.close()
            return None
        cut_row, marker_column = written[0][1]

        def parse(index: int) -> Any:
            header_at, columns = (header_row - 1, wanted) if index == 0 else (None, [*wanted, marker_column])
            try:
                return load(f"/proc/self/fd/{written[index][0]}", header_at, columns)
            except BaseException:  # anything (a part not found, a Rust panic): the sheet is parsed whole
                return None

        second = beside(partial(parse, 1), "aelint-parse-1")  # (halves are written only on two cores)
        loaded = [parse(0), second()]
        self.close()
        return None if None in loaded else Halves(loaded[0], loaded[1], cut_row, marker_column)

    def close(self) -> None:
        """Stop writing the halves and let their memory go."""
        self.cancelled.set()
        for thread in self.threads:
            thread.join()
        for index, written in enumerate(self.written):
            if written is not None:
                os.close(written[0])
                self.written[index] = None


def start_halves(path: Path, sheets: list[str]) -> HalfWorkbooks | None:
    """The halves of the workbook's largest sheet part being written, if that sheet is among `sheets` (those
    read), its XML at least SPLIT_MIN_BYTES, and this machine has two cores and memfds; None otherwise (also for
    parts inflating past MAX_HALVES_BYTES). The extent scan has measured the workbook."""
    if not hasattr(os, "memfd_create") or not os.path.isdir("/proc/self/fd") or cores() < 2:
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            parts = _sheet_parts(archive, entries, str(path))
            part = max(parts, key=lambda entry: entry.file_size, default=None)
            name = _sheet_name(archive, entries, part) if part is not None else None
    except Exception:  # not a readable workbook: the extent scan says why
        return None
    if name not in sheets or len({entry.filename for entry in entries}) != len(entries):
        return None  # (a duplicated name: which one calamine reads is its own choice)
    left_out = {entry.filename for entry in parts} - {part.filename}
    copied = [entry for entry in entries if entry.filename not in left_out]
    if part.file_size < SPLIT_MIN_BYTES or sum(entry.file_size for entry in copied) > MAX_HALVES_BYTES:
        return None
    return HalfWorkbooks(path, name, part, left_out)


def _sheet_name(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], part: zipfile.ZipInfo) -> str | None:
    """The name of the one sheet whose part `part` is, through the workbook's relationships
    (`catalog_files.sheet_targets`); None when no sheet or several point to it."""
    names = [name for name, forms in sheet_targets(archive, entries, str(archive.filename)) if part_name(part) in forms]
    return html.unescape(names[0].decode("utf-8", "replace")) if len(names) == 1 else None


def _write_half_workbook(path: Path, part: zipfile.ZipInfo, left_out: set[str], first: bool, file: Any,
                         cancelled: threading.Event) -> tuple[int, int] | None:
    """Write one half's workbook to `file`: a stored zip of the parts calamine reads for cells (the sheet parts
    `left_out` left out), `part` cut (`_write_half`). The cut's row and the marker's column, or None (also when
    `cancelled` is set)."""
    cut = None
    with zipfile.ZipFile(path) as archive, zipfile.ZipFile(file, "w", zipfile.ZIP_STORED) as copy:
        for entry in archive.infolist():
            if entry.filename in left_out or not read_for_cells(entry):
                continue
            with copy.open(entry.filename, "w", force_zip64=entry.file_size >= zipfile.ZIP64_LIMIT) as target:
                if entry.filename == part.filename:
                    cut = _write_half(archive, entry, first, target.write, cancelled)
                    if cut is None:
                        return None
                else:
                    for chunk in _checked(archive, entry):
                        target.write(chunk)
    return cut


def _write_half(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, first: bool, write: Callable[[bytes], Any],
                cancelled: threading.Event) -> tuple[int, int] | None:
    """Write one half of the sheet part's XML: the first up to the first row tag past its middle, closed; the
    second its opening, the marker row and the rest from that tag on. The cut's row and the marker's column, or
    None (no such tag, a cut on the first row, a marker past Excel's last column, `cancelled` set)."""
    middle = entry.file_size // 2
    head = None  # the XML up to the <sheetData> opening, without its <dimension>
    sample = b""  # the sheet's first XML, whose widest column the marker's is past
    data = b""  # inflated and not yet written (or passed over)
    seen = 0  # bytes of the sheet before `data`
    cut = None
    for chunk in _checked(archive, entry):
        if cancelled.is_set():
            return None
        if cut is not None:  # the second half, past the cut: all of it
            write(chunk)
            continue
        if len(sample) < HEADER_SAMPLE_BYTES:
            sample = (sample + chunk)[:HEADER_SAMPLE_BYTES]
        data += chunk
        if head is None:
            opening = SHEET_DATA_RE.search(data)
            if opening is None:
                if len(data) > MAX_HEAD_BYTES:
                    return None
                continue
            if opening[1]:
                return None  # <sheetData/>: no rows
            head = DIMENSION_RE.sub(b"", data[:opening.end()])
            if first:
                write(head)
            seen, data = opening.end(), data[opening.end():]
        found = ROW_TAG_RE.search(data, max(0, middle - seen)) if seen + len(data) > middle else None
        if found:
            cut = int(found[1]), column_number(header_widest(sample).decode())
            if cut[0] == 1 or cut[1] >= MAX_COLUMNS:
                return None
            if first:
                write(data[:found.start()])
                write(b"</sheetData></worksheet>")
                return cut
            marker_cell = f"{column_letter(cut[1])}{cut[0] - 1}"
            write(head + f'<row r="{cut[0] - 1}"><c r="{marker_cell}" t="inlineStr"><is><t>{MARKER}</t></is></c>'
                         f'</row>'.encode())
            write(data[found.start():])
            continue
        if seen + len(data) > middle + MAX_CUT_SEARCH_BYTES:
            return None
        kept = max(0, len(data) - MAX_ROW_TAG_BYTES)
        if first:
            write(data[:kept])
        seen, data = seen + kept, data[kept:]
    return cut


def _checked(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> Iterator[bytes]:
    """A member's bytes inflated (`catalog_files._inflated`), checked at their end against the CRC-32 its entry
    declares, as calamine checks them (a mismatch raises zipfile.BadZipFile)."""
    from isal import isal_zlib

    crc = 0
    for chunk in _inflated(archive, entry):
        crc = isal_zlib.crc32(chunk, crc)
        yield chunk
    if crc != entry.CRC:
        raise zipfile.BadZipFile(f"{entry.filename}: CRC-32 mismatch")
