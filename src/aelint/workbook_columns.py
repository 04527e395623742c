"""A large workbook sheet read into text columns by fastexcel, each cell the text python-calamine's value gives
through `reader._text`: the columnar path of a workbook, as polars' read is a large CSV's (aelint.frame_products).

python-calamine and fastexcel both parse a whole sheet, and every shared string, before giving any row, so the
header is looked for in rows python-calamine reads from a copy of the workbook in memory cut to each sheet's first
rows and the shared strings they use (`head_rows`: milliseconds; openpyxl's read-only mode parses every shared
string in Python, 4.7 s for the 100k-row benchmark saved with shared strings). fastexcel then reads the columns
the reader reads, below the header, each typed from all its cells (`dtype_coercion="strict"`): text stays as it
is, numbers and booleans become the text `_text` makes of them (`sheet_text`). Whatever could read otherwise than
calamine gives it is left to the row-by-row reading (None): a column mixing text and numbers, dates and times
(fastexcel and python-calamine convert them apart), a first data row that differs, a workbook the copy cannot
be cut from (sheet or shared-string XML not written as Excel writes it).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aelint.threads import beside

if TYPE_CHECKING:
    from aelint.sheet_halves import HalfWorkbooks

HEAD_CHUNK_BYTES = 1 << 16  # a sheet's or the shared strings' XML inflated at a time, until the head is whole
MAX_HEAD_BYTES = 64 * 1024**2  # the first rows of a sheet (or the shared strings they use) lie within this
ROW_END_RE = re.compile(rb"</row>|<row\b[^<>]*/>")
SHEET_DATA_RE = re.compile(rb"<sheetData\b[^<>]*?(/?)>")
DIMENSION_RE = re.compile(rb"<dimension\b[^<>]*/>")
SHARED_CELL_RE = re.compile(rb'(<c\b[^<>]*\bt="s"[^<>]*>\s*<v>)([0-9]{1,9})(</v>)')
SHARED_TYPE_RE = re.compile(rb"""\bt\s*=\s*["']s["']""")  # every way XML may write a shared-string cell's type
SHARED_ITEM_RE = re.compile(rb"<si\b[^<>]*/>|<si\b[^<>]*>.*?</si>", re.S)
SST_START_RE = re.compile(rb"<sst\b[^<>]*>")
# parts python-calamine does not read for a sheet's cells (pictures, drawings, embedded files, macros)
UNREAD_PARTS = ("xl/media/", "xl/drawings/", "xl/embeddings/", "xl/printersettings/", "xl/vbaproject")


def head_rows(path: Path, sheet: str, count: int) -> list[tuple[int, list[Any]]] | None:
    """The sheet's first `count` rows as python-calamine gives them, numbered from 1, each from column A on; None
    when the copy of the workbook cut to them cannot be made (the sheet is then read whole, row by row)."""
    def first_rows(workbook: Any) -> list[tuple[int, list[Any]]]:
        found = workbook.get_sheet_by_name(sheet)
        offset = found.start[1] if found.start else 0
        return [(number, [""] * offset + row) for number, row in enumerate(found.iter_rows(), start=1)][:count]

    return _from_cut_copy(path, count, first_rows)


def sheet_names(path: Path) -> list[str] | None:
    """The workbook's sheet names as python-calamine gives them, read from a copy of it without its sheets and
    shared strings (python-calamine parses every shared string as it opens a workbook: 0.3 s for the 100k-row
    benchmark saved with shared strings); None when the copy cannot be made (calamine opens the workbook whole)."""
    return _from_cut_copy(path, None, lambda workbook: workbook.sheet_names)


def _from_cut_copy(path: Path, count: int | None, read: Callable[[Any], Any]) -> Any:
    """What `read` takes from python-calamine's workbook opened on `_cut_copy(archive, count)`; None when the copy
    cannot be made or calamine fails on it (a part it could not cut, a chart sheet, a Rust panic)."""
    from python_calamine import CalamineWorkbook

    from aelint.catalog_files import reader_failure, rust_panics_unprinted

    try:
        with zipfile.ZipFile(path) as archive:
            copy = _cut_copy(archive, count)
        if copy is None:
            return None
        with rust_panics_unprinted():
            return read(CalamineWorkbook.from_filelike(io.BytesIO(copy)))
    except BaseException as error:
        reader_failure(error)  # re-raises an interrupt or an exit
        return None


def _cut_copy(archive: zipfile.ZipFile, count: int | None) -> bytes | None:
    """The workbook as a stored zip in memory: each sheet part cut after its `count`-th row (its <dimension>
    left out), the shared strings only those rows use (renumbered), the parts calamine reads for cells as they
    are, the others left out; with `count` None, without its sheets and shared strings. None when a part is not
    written as this expects."""
    from aelint.catalog_files import _sheet_parts, part_name

    entries = archive.infolist()
    sheets = {entry.filename for entry in _sheet_parts(archive, entries, str(archive.filename))}
    used: dict[bytes, bytes] = {}  # shared string index -> its index in the copy
    parts: dict[str, bytes] = {}
    strings_part = None
    for entry in entries:
        if not read_for_cells(entry):
            continue
        if part_name(entry).endswith("sharedstrings.xml"):
            if strings_part is not None:
                return None
            strings_part = entry
            continue
        if entry.filename not in sheets:
            if entry.file_size > MAX_HEAD_BYTES:
                return None  # no workbook, styles or relationships part is this large
            parts[entry.filename] = archive.read(entry)
            continue
        if count is None:
            continue
        head = _sheet_head(archive, entry, count)
        if head is None:
            return None

        def renumbered(cell: re.Match) -> bytes:
            return cell[1] + used.setdefault(cell[2], str(len(used)).encode()) + cell[3]

        written = len(SHARED_TYPE_RE.findall(head))
        head, shared = SHARED_CELL_RE.subn(renumbered, head)
        if shared != written:  # a shared-string cell written otherwise would keep its old index
            return None
        parts[entry.filename] = head
    if used:  # (none with `count` None)
        if strings_part is None:
            return None
        strings = _shared_strings(archive, strings_part, used)
        if strings is None:
            return None
        parts[strings_part.filename] = strings
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as copy:
        for name, data in parts.items():
            copy.writestr(name, data)
    return buffer.getvalue()


def read_for_cells(entry: zipfile.ZipInfo) -> bool:
    """Whether calamine may read a workbook's part for a sheet's cells: not a folder, nor under UNREAD_PARTS."""
    from aelint.catalog_files import part_name

    return not entry.is_dir() and not part_name(entry).startswith(UNREAD_PARTS)


def _sheet_head(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, count: int) -> bytes | None:
    """A sheet part's XML up to the end of its `count`-th row, closed, without its <dimension>; a part without
    rows (a chart sheet) as it is."""
    data, size = b"", HEAD_CHUNK_BYTES
    with archive.open(entry) as part:
        while True:
            chunk = part.read(size)
            data, size = data + chunk, size * 2  # each read as large as all before: the searches stay linear
            opening = SHEET_DATA_RE.search(data)
            if opening and opening[1]:  # <sheetData/>: no rows
                return DIMENSION_RE.sub(b"", data[:opening.end()]) + b"</worksheet>"
            if opening:
                ends = [found.end() for _, found in zip(range(count), ROW_END_RE.finditer(data, opening.end()))]
                closed = data.find(b"</sheetData>", opening.end())
                if len(ends) == count or closed >= 0 or not chunk:
                    stop = ends[-1] if len(ends) == count else (closed if closed >= 0 else -1)
                    if stop < 0:
                        return None
                    return DIMENSION_RE.sub(b"", data[:opening.end()]) + data[opening.end():stop] + \
                        b"</sheetData></worksheet>"
            if not chunk:
                return data if opening is None else None
            if len(data) > MAX_HEAD_BYTES:
                return None


def _shared_strings(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, used: dict[bytes, bytes]) -> bytes | None:
    """The shared strings part holding only the strings at `used`'s indexes, in their new order."""
    wanted = {int(old): int(new) for old, new in used.items()}
    last = max(wanted)
    found: dict[int, bytes] = {}
    data, start, index, size = b"", None, 0, HEAD_CHUNK_BYTES
    with archive.open(entry) as part:
        while len(found) < len(wanted):
            chunk = part.read(size)
            data, size = data + chunk, size * 2  # a string cut between reads is searched again: reads double
            if start is None:
                opening = SST_START_RE.search(data)
                if opening is None:
                    if not chunk or len(data) > MAX_HEAD_BYTES:
                        return None
                    continue
                start = re.sub(rb'\s(?:count|uniqueCount)="[0-9]*"', b"", opening[0])
                data = data[opening.end():]
            position = 0
            for item in SHARED_ITEM_RE.finditer(data):
                if not chunk and data.find(b"<si", position, item.start()) >= 0:
                    return None  # an item not written as expected
                if index in wanted:
                    found[index] = item[0]
                index, position = index + 1, item.end()
                if index > last:
                    break
            data = data[position:]
            if index > last:
                break
            if not chunk or len(data) > MAX_HEAD_BYTES:
                return None
    if len(found) < len(wanted):
        return None
    ordered = sorted(found, key=wanted.__getitem__)
    return start + b"".join(found[old] for old in ordered) + b"</sst>"


def sheet_text(path: Path, sheet: str, header_row: int, header: list[str], columns: list[int],
               first_rows: list[tuple[int, list[Any]]], halves: HalfWorkbooks | None = None
               ) -> tuple[Any, list[int]] | None:
    """The sheet's records as text from the header row on (the header's cells first, then every row below it),
    with their row numbers: `columns` (positions from column A) read by fastexcel, the others blank. None when
    fastexcel cannot give exactly what python-calamine gives: see the module's docstring. `first_rows` are the
    data rows `head_rows` read below the header, which fastexcel's must equal. With `halves` (the workbook's
    largest sheet written in two: aelint.sheet_halves), the sheet is parsed in its halves at once if it is that
    one (whole if they read otherwise)."""
    import fastexcel

    from aelint.catalog_files import reader_failure, rust_panics_unprinted
    from aelint.reader import _text

    wanted = sorted(set(columns))
    for at in wanted:  # a column of mixed types in the first rows already: strict typing would refuse it
        kinds = {float if value.__class__ is int else value.__class__
                 for _, row in first_rows if at < len(row) and (value := row[at]) != ""}
        if len(kinds) > 1:
            return None

    def load(source: str, header_at: int | None, use_columns: list[int] | None) -> tuple[list[int], Any]:
        """fastexcel's columns of the sheet (their positions, and the frame) in `source` (a path)."""
        loaded = fastexcel.read_excel(source).load_sheet(
            sheet, header_row=header_at, use_columns=use_columns, schema_sample_rows=None, dtype_coercion="strict")
        return [c.absolute_index for c in loaded.selected_columns], loaded.to_polars()

    def parse() -> list[Any] | None:  # fastexcel releases the GIL while it parses the sheet
        split = halves.parse(header_row, wanted, load) if halves is not None and wanted else None
        columns = split.joined(header_row, _column_text) if split is not None else None
        if columns is None:  # not split, or the halves read otherwise than the whole sheet
            positions, frame = load(str(path), header_row - 1, wanted or None)
            columns = [_column_text(series) for series in frame.get_columns()] if positions == wanted else None
        return columns

    try:
        with rust_panics_unprinted():
            parsed = beside(parse, "aelint-fastexcel")
            import numpy  # noqa: F401  the columnar path's imports (aelint.table), made while the sheet is parsed
            import polars as pl

            joined = parsed()
    except BaseException as error:  # a column of mixed types (strict), anything read otherwise, a Rust panic
        reader_failure(error)  # re-raises an interrupt or an exit
        return None
    if joined is None or any(series is None for series in joined):
        return None
    texts = dict(zip(wanted, joined))
    height = len(joined[0]) if joined else 0
    width = len(header)
    names = [f"column_{i}" for i in range(width)]
    data = pl.DataFrame([texts[i].alias(name) if i in texts else pl.repeat("", height, dtype=pl.String,
                                                                           eager=True).alias(name)
                         for i, name in enumerate(names)])
    numbers = list(range(header_row, header_row + height + 1))
    for number, row in first_rows:
        at = number - header_row - 1
        if at >= height or any(_text(row[i]) != data[at, names[i]] for i in wanted if i < len(row)):
            return None
    records = pl.concat([pl.DataFrame([pl.Series(name, [cell], dtype=pl.String) for name, cell in zip(names, header)]),
                         data])
    return records, numbers


def _column_text(series: Any) -> Any:
    """A column fastexcel read as the text python-calamine's values give (null cells ""), or None for a type
    fastexcel converts apart from calamine (dates and times)."""
    import polars as pl

    from aelint.reader import series_text

    if series.dtype == pl.Null:
        return pl.repeat("", len(series), dtype=pl.String, eager=True)
    if series.dtype in (pl.String, pl.Boolean, pl.Float64):
        return series_text(series).fill_null("")
    return None
