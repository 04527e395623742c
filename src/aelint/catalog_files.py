"""Opening catalog files as rows of cell values: encodings and delimiters of CSV feeds, workbook formats.

Each opener yields `(row number as the user sees it, [cell values])` and raises `CatalogError` with a reason a
seller can act on when the file cannot be read. A CSV of COLUMNAR_MIN_BYTES to COLUMNAR_MAX_BYTES is read by
polars into Arrow columns (one Python string per distinct value of a column); a smaller or larger one, or one
polars would not read exactly as the stdlib `csv.reader` does, by `csv.reader`.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import itertools
import os
import posixpath
import re
import stat
import struct
import sys
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aelint.i18n import _

MAX_FIELD_CHARS = 64 * 1024 * 1024
csv.field_size_limit(MAX_FIELD_CHARS)

SAMPLE_BYTES = 256 * 1024
DELIMITERS = (",", ";", "\t", "|")
# Inflated XML beyond this, at a compression ratio no real sheet has, is a zip bomb.
MAX_INFLATED_BYTES = 4 * 1024**3
MAX_SUSPICIOUS_RATIO = 200
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# calamine holds a sheet as a dense grid: past this many declared cells, stream it with openpyxl instead.
MAX_DENSE_CELLS = 20_000_000
LAST_ROW_RE = re.compile(rb'<(?:\w+:)?row [^>]*?r="(\d+)"')
COLUMN_RE = re.compile(rb' r="([A-Z]{1,3}+)[0-9]')  # a cell reference's column
# The workbook's sheets and relationships, read as calamine reads them (any namespace prefix, either quote).
SHEET_TAG_RE = re.compile(rb"<(?:[\w.-]+:)?sheet\b([^>]*)>")
RELATIONSHIP_TAG_RE = re.compile(rb"<(?:[\w.-]+:)?Relationship\b([^>]*)>")
XML_ATTRIBUTE_RE = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
MAX_WORKBOOK_PART_BYTES = 64 * 1024**2  # xl/workbook.xml and its relationships (kilobytes in a real workbook)
SCAN_CHUNK_BYTES = 256 * 1024  # inflated sheet XML searched at a time for cells beyond the grid (its searches
# run on it while it is in the core's cache: 4 MB chunks made the scan 10% slower)
SEAM_BYTES = 64  # holds a cell tag as Excel writes it, which the searches look at whole
# calamine reads a cell tag under any namespace prefix, its `r` in either quotes after any whitespace or attribute
# (the last of several), and places a cell or row without `r` after the previous one. The fast extent test passes
# only cell tags as Excel writes them (`r` first, in double quotes after one space, then a style and a type); the
# exact measure takes any tag whose one `r` it reads (double quotes, attributes after one space); a sheet written
# otherwise is streamed (openpyxl places its cells as OOXML says, in no grid).
EXCEL_CELL_END = rb'"(?:>| t="[a-zA-Z]++">| s="[0-9]++"(?:/?>| t="[a-zA-Z]++"/?>)|/>)'
EXCEL_CELL_RE = re.compile(rb'<c r="([A-Z]{1,3}+)([1-9][0-9]{0,6}+)' + EXCEL_CELL_END)
PREFIXED_CELL_RE = re.compile(rb":c[\s/>]")  # <x:c ...>
MERGE_WORD_RE = re.compile(rb"mergeCell(?=\W)")  # <mergeCell ref="A1:C1"/> (not <mergeCells>), under any prefix
# mentions of mergeCell followed one by one (in Python) before a sheet is taken as merged across rows and read
# row by row: a text of millions of them in a small zip must not take a minute
MAX_MERGE_MENTIONS = 10_000
MERGE_RANGE_RE = re.compile(rb'<mergeCell ref="[A-Z]{1,3}([0-9]{1,7}):[A-Z]{1,3}([0-9]{1,7})"/>')
MAX_CELL_TAG_BYTES = 4096  # a cell tag longer than this, cut between chunks, is judged as written otherwise
CELL_NOT_MEASURABLE_RE = re.compile(rb'<c(?=[\s/>])(?! r="[^"<>]*+"(?: (?!r=)[\w:]++="[^"]*+")*+/?>)|'
                                    + PREFIXED_CELL_RE.pattern)
QUICK_SCAN_MIN_BYTES = 16 * 1024**2  # a sheet this large is measured first by polars' regex (`_fits_quickly`)
QUICK_SCAN_GROUP = 16  # chunks of a sheet's XML counted by one polars call
HEADER_SAMPLE_BYTES = 64 * 1024  # a sheet's first XML, whose widest column bounds the rows of the quick extent test
MAX_XLSX_ROWS = 1_048_576
# An ODS row or cell holding a value may repeat this many times (LibreOffice repeats identical neighbours).
MAX_REPEATS = 10_000

# A CSV this large is read into Arrow columns by polars (0.65x the CPU of csv.reader on the 100k-row benchmark
# CSV); a smaller one by csv.reader, which needs no polars import (0.17 s of a 10-row catalog's start-up).
COLUMNAR_MIN_BYTES = 1024 * 1024
# A CSV this large streams through csv.reader instead: the columnar read holds the whole file (its bytes and its
# Arrow frame), which undoes reading in batches (the 1M-row, 1.1 GB benchmark CSV peaked at 3.6 GB that way).
COLUMNAR_MAX_BYTES = 256 * 1024 * 1024
# The first records of a columnar read are taken from csv.reader, exactly as it splits them, and compared with
# polars' own: the header search (reader.HEADER_SEARCH_ROWS) sees each row as wide as it is written, where
# polars pads a short record with empty cells.
HEAD_RECORDS = 30
FRAME_BATCH_ROWS = 2048
# A column stops reusing its strings once it has more than SHARED_VALUES distinct values, 1 in DISTINCT_SHARE of its
# values or more (one per product: ids, titles, image links)
SHARED_VALUES, DISTINCT_SHARE = 1000, 10

Rows = Iterator[tuple[int, list[Any]]]
SheetLoader = Callable[[], tuple[Rows, int]]


class CatalogError(Exception):
    """A catalog aelint cannot read; the message names the file (and row or column where known)."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def detect_encoding(sample: bytes) -> str:
    """The encoding of a CSV from its first bytes: BOMs, UTF-16 without BOM, UTF-8, GB18030 or Windows-1252."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    half = len(sample) // 2
    if half >= 2:
        even_nul, odd_nul = sample[0::2].count(0), sample[1::2].count(0)
        if odd_nul > 0.3 * half and even_nul < 0.05 * half:
            return "utf-16-le"
        if even_nul > 0.3 * half and odd_nul < 0.05 * half:
            return "utf-16-be"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as error:
        if error.start >= len(sample) - 3 and error.reason == "unexpected end of data":
            return "utf-8"  # the sample cut a character in two
    return "gb18030" if _looks_chinese(sample) else "cp1252"


def _looks_chinese(sample: bytes) -> bool:
    """GBK text has its high bytes in pairs (both >= 0x81); Windows-1252 text has them alone."""
    paired = single = 0
    i, n = 0, len(sample)
    while i < n:
        byte = sample[i]
        if byte < 0x80:
            i += 1
        elif i + 1 < n and 0x81 <= byte <= 0xFE and sample[i + 1] >= 0x80:
            paired += 2
            i += 2
        else:
            single += 1
            i += 1
    return paired > 0 and paired >= 4 * single


def sniff_delimiter(text: str, default: str = ",") -> str:
    """The delimiter that splits the first records into the most, and most regular, columns. One that splits
    every record alike wins over one that does not: tabs pasted into titles ("Dress<TAB>Dress") split those
    rows into more columns than the header, whose commas split every row in two."""
    lines = text.splitlines()[:50]
    if len(lines) > 1:
        lines = lines[:-1]  # the sample may end in the middle of a line
    best, best_score = default, (False, 0.0)
    for delimiter in DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(lines, delimiter=delimiter)][:20]
        except csv.Error:
            continue
        if not counts:
            continue
        common, times = Counter(counts).most_common(1)[0]
        if common < 2:
            continue
        score = (times == len(counts), common * times / len(counts))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def open_csv_rows(path: Path, display: str, tab: bool = False) -> Rows:
    """Records of a CSV/TSV file as csv.reader splits them (lists, as wide as written), numbered by the line
    each starts on (the header is usually line 1): what --fix matches to the records it rewrites."""
    return open_csv(path, display, tab, columnar=False).rows


@dataclass
class CsvRecords:
    """The records of a CSV/TSV file and how they were read (`-v` says it): "polars" or "csv.reader (why)".
    `only(columns)`, for a read by polars, stops making the other columns' strings in the records to come;
    `frame` is then every record as polars read it (text, "" for a missing cell) and `numbers` their lines."""

    rows: Rows
    reader: str
    only: Callable[[Iterable[int]], None] | None = None
    frame: Any = None
    numbers: list[int] | None = None


def open_csv(path: Path, display: str, tab: bool = False, columnar: bool | None = None) -> CsvRecords:
    """Records of a CSV/TSV file, numbered by the line each starts on; `columnar` forces (True) or forbids
    (False) the polars read, which is otherwise taken for files from COLUMNAR_MIN_BYTES to COLUMNAR_MAX_BYTES."""
    require_regular_file(path, display)
    try:
        with path.open("rb") as raw:
            sample = raw.read(SAMPLE_BYTES)
    except OSError as error:
        raise CatalogError(display, _("cannot open: {reason}").format(reason=error.strerror or error)) from None
    if not sample.strip():
        raise CatalogError(display, _("the file is empty"))
    if sample.startswith(b"PK\x03\x04") or sample.startswith(OLE_MAGIC):
        raise CatalogError(display, _("this is a workbook, not a CSV file; give it an .xlsx or .xls name"))
    encoding = detect_encoding(sample)
    if b"\0" in sample and not encoding.startswith("utf-16") and sample.count(0) > len(sample) // 4:
        raise CatalogError(display, _("not a text file (binary data); expected a CSV export"))
    delimiter = "\t" if tab else sniff_delimiter(sample.decode(encoding, errors="replace"))
    if columnar is None:
        size = path.stat().st_size
        if size >= COLUMNAR_MAX_BYTES:
            return CsvRecords(_csv_records(path, display, encoding, delimiter), "csv.reader (streamed: a large file)")
        columnar = size >= COLUMNAR_MIN_BYTES
    if not columnar:
        return CsvRecords(_csv_records(path, display, encoding, delimiter), "csv.reader")
    records = _columnar_records(path, display, encoding, delimiter)
    if isinstance(records, str):
        return CsvRecords(_csv_records(path, display, encoding, delimiter), f"csv.reader ({records})")
    return records


def _csv_records(path: Path, display: str, encoding: str, delimiter: str) -> Rows:
    """Records numbered by the physical line they start on, as an editor, GitHub and SARIF count lines:
    a quoted cell spanning several lines moves every later record down."""
    with path.open("r", encoding=encoding, errors="replace", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        last_line = 0
        try:
            for record in reader:
                start, last_line = last_line + 1, reader.line_num
                yield start, record
        except csv.Error as error:
            raise CatalogError(display, _("line {line}: malformed CSV ({error})").format(
                line=last_line + 1, error=error)) from None


def _columnar_records(path: Path, display: str, encoding: str, delimiter: str) -> CsvRecords | str:
    """The records of a CSV read by polars into Arrow columns, exactly as csv.reader would give them, or the
    reason polars cannot read this file exactly (the caller reads it with csv.reader instead).

    Exactness: the text is transcoded to UTF-8 as csv.reader's stream decodes it; polars is used only where
    both readers split alike (every quote in a well-formed quoted field, no bare carriage return, no cell
    over csv.reader's size limit); the first HEAD_RECORDS records come from csv.reader itself and must agree
    with polars'; physical line numbers are those of the line breaks outside quoted cells, whose number must
    be polars' number of records. A record polars pads with empty cells reads like the shorter
    one: a missing trailing cell and an empty one mean the same to the reader. The file's bytes are let go once
    polars has read them."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CatalogError(display, _("cannot open: {reason}").format(reason=error.strerror or error)) from None
    start = 0
    if encoding == "utf-8-sig":
        start = len(codecs.BOM_UTF8)  # polars skips it, as the decoder does (the bytes are not copied without it)
    elif encoding != "utf-8":
        data = data.decode(encoding, errors="replace").encode("utf-8")
    found = _record_lines(data, delimiter, start)
    if found is None:
        return "a stray quote or a bare carriage return"
    numbers, longest = found
    import polars as pl

    try:
        frame = pl.read_csv(data, has_header=False, infer_schema=False, separator=delimiter, quote_char='"',
                            encoding="utf8-lossy", empty_string_is_null=False, raise_if_empty=False)
    except BaseException as error:  # several error types, or a Rust panic; its message may quote the file
        if not isinstance(error, Exception) and type(error).__name__ != "PanicException":
            raise
        return f"polars could not split the records: {type(error).__name__}"
    if longest > MAX_FIELD_CHARS:  # a cell is no longer than its record: only then are the cells measured
        widest = frame.select(pl.max_horizontal([pl.col(name).str.len_bytes().max() for name in frame.columns]))
        if (widest.item() or 0) > MAX_FIELD_CHARS:  # bytes: at least its characters, which csv.reader limits
            return "a cell larger than csv.reader's limit"
    if len(numbers) != frame.height:
        return "polars and csv.reader count the lines differently"
    head = list(itertools.islice(_csv_records_of(data, delimiter), HEAD_RECORDS))
    del data
    frame_rows = _FrameRows(frame.fill_null(""), numbers)
    records = iter(frame_rows)
    if [(n, _trimmed(r)) for n, r in head] != [(n, _trimmed(r)) for n, r in itertools.islice(records, len(head))]:
        return "polars and csv.reader split the first records differently"
    return CsvRecords(itertools.chain(head, records), "polars", frame_rows.only, frame_rows.frame, numbers)


class _FrameRows:
    """A polars frame's rows as tuples of Python strings, made FRAME_BATCH_ROWS rows at a time: a product's
    strings lie near each other in memory, as csv.reader's would (made column by column over the whole
    file, they lay a column apart and the checks ran 15% slower), and only one batch of lists is alive.
    A string already seen in the column is reused (one object per distinct value) while the column repeats its
    values (colours, sizes, categories: strings SKUs keep); once many of its values differ (ids, titles, image
    links: one per product), it is no longer looked up: that lookup was most of the time spent here.

    Once the reader knows which columns it reads (`only`), the batches after make strings of those alone and
    hold "" in the others: real exports carry many columns no field maps to (34 of the 43 of the Wish file)."""

    def __init__(self, frame, numbers: list[int]):
        self.frame, self.numbers = frame, numbers
        self.columns: frozenset[int] | None = None  # the columns read; None: all

    def only(self, columns: Iterable[int]) -> None:
        """Make strings of these columns alone (by position) from the next batch on."""
        self.columns = frozenset(columns)

    def __iter__(self) -> Rows:
        frame, numbers = self.frame, self.numbers
        distinct: list[dict[str, str] | None] = [{} for _ in frame.columns]  # None: the column's values differ
        # the first batch is the records the header is looked for in (csv.reader's head stands for them)
        starts = [0, *range(min(HEAD_RECORDS, frame.height), frame.height, FRAME_BATCH_ROWS)]
        for start, end in zip(starts, [*starts[1:], frame.height]):
            batch = frame.slice(start, end - start)
            read, columns = self.columns, []
            for at, (name, seen) in enumerate(zip(batch.columns, distinct)):
                if read is None or at in read:
                    values = batch[name].to_list()
                    if seen is not None:
                        values = list(map(seen.setdefault, values, values))
                        if len(seen) > max(SHARED_VALUES, (end - HEAD_RECORDS) // DISTINCT_SHARE):
                            distinct[at] = None
                    columns.append(values)
                else:
                    columns.append(itertools.repeat("", batch.height))
            yield from zip(numbers[start:end], zip(*columns))


def _csv_records_of(data: bytes, delimiter: str) -> Rows:
    """csv.reader's records of UTF-8 text in memory (after its byte order mark, if any), numbered by the line
    each starts on."""
    reader = csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", errors="replace", newline=""),
                        delimiter=delimiter)
    last_line = 0
    for record in reader:
        start, last_line = last_line + 1, reader.line_num
        yield start, record


def _trimmed(record) -> list[str]:
    record = list(record)
    while record and record[-1] == "":
        record.pop()
    return record


def _record_lines(data: bytes, delimiter: str, start: int = 0) -> tuple[list[int], int] | None:
    """The line each record starts on, as csv.reader numbers them, and the longest record's bytes (line break
    included), when csv.reader and polars split this text (from byte `start` on: after a byte order mark)
    alike; None when they may not. Alike: every carriage return ends a line with a line feed, and every quote
    belongs to a well-formed quoted cell (the quotes pair up in order; a pair either continues the cell, `""`
    being an escaped quote, or closes it before a delimiter or line end; a cell opens after a delimiter or at a
    line start). A stray quote (`12" screen`, `"Mug"s`) is read by csv.reader's own rules. A record ends at
    each line feed outside a quoted cell, and the next one starts on the line after it."""
    import numpy as np

    text = np.frombuffer(data, dtype=np.uint8, offset=start)
    last = len(text) - 1
    (quotes, breaks), returns = _positions(text, (ord('"'), ord("\n")), (ord("\r"),) if b"\r" in data else ())
    if len(quotes) % 2:
        return None
    # every carriage return is followed by a line feed when there are as many as line feeds after one
    if returns and returns[0] != np.count_nonzero(text[breaks[breaks > 0] - 1] == ord("\r")):
        return None
    if len(quotes):
        opening, closing = quotes[0::2], quotes[1::2]
        continued = opening[1:] == closing[:-1] + 1  # pair i + 1 follows pair i: an escaped quote inside the cell
        starts = opening[np.concatenate(([True], ~continued))]
        ends = closing[np.concatenate((~continued, [True]))]
        before = text[np.maximum(starts - 1, 0)]
        after = text[np.minimum(ends + 1, last)]
        boundary = ord(delimiter)
        if not (np.all((starts == 0) | (before == boundary) | (before == ord("\n")))
                and np.all((ends == last) | (after == boundary) | (after == ord("\r")) | (after == ord("\n")))):
            return None
        # a line feed inside a quoted cell lies after more of the cells' opening quotes than closing ones
        ending = np.searchsorted(starts, breaks) == np.searchsorted(ends, breaks)
        feeds, breaks = breaks[ending], np.flatnonzero(ending)
    else:
        feeds, breaks = breaks, np.arange(len(breaks))
    longest = int(np.diff(feeds, prepend=-1, append=last).max())  # from a record's first byte to its line feed
    if len(breaks) and text[last] == ord("\n"):
        breaks = breaks[:-1]  # the file's last line feed starts no record
    return [1, *(breaks + 2).tolist()], longest  # line feed k (from 0) ends line k + 1


def _positions(text, wanted: tuple[int, ...], counted: tuple[int, ...] = (), chunk: int = 1 << 22
               ) -> tuple[list, list[int]]:
    """Where each of the `wanted` bytes occurs in a numpy byte array, and how many times each of the `counted`
    ones does (cheaper: their places are not listed), compared a few megabytes at a time into one reused buffer
    (a whole-file comparison would allocate, and fault in, a boolean array as large as the file)."""
    import numpy as np

    found: list[list] = [[] for _ in wanted]
    counts = [0 for _ in counted]
    buffer = np.empty(min(chunk, len(text)), dtype=bool)
    for start in range(0, len(text), chunk):
        part = text[start:start + chunk]
        for byte, places in zip(wanted, found):
            equal = np.equal(part, byte, out=buffer[:len(part)])
            places.append(np.flatnonzero(equal) + start)
        for k, byte in enumerate(counted):
            counts[k] += int(np.count_nonzero(np.equal(part, byte, out=buffer[:len(part)])))
    return [np.concatenate(places) if places else np.empty(0, dtype=np.int64) for places in found], counts


def open_workbook_rows(path: Path, display: str, sheet: str | None
                       ) -> tuple[list[tuple[str, SheetLoader]], str, bool]:
    """Each sheet of a workbook (or only `sheet`) with a function that opens its rows lazily, the library
    that reads them (python-calamine, or openpyxl for a sheet too large for calamine's dense grid), and whether
    an xlsx read by python-calamine may have its columns read as they are (`_check_zip`).

    Before calamine allocates anything, the sheets' extents are measured from their cells (never taken from
    what the file declares): an xlsx too large for a dense grid is streamed, an xls or ods whose cells reach
    past what the format allows, or whose repeated rows and columns would fill more than MAX_DENSE_CELLS
    cells, is refused."""
    require_regular_file(path, display)
    try:
        with path.open("rb") as raw:
            head = raw.read(8)
    except OSError as error:
        raise CatalogError(display, _("cannot open: {reason}").format(reason=error.strerror or error)) from None
    if not head:
        raise CatalogError(display, _("the file is empty"))
    streaming = by_columns = False
    if head.startswith(b"PK\x03\x04"):
        streaming, by_columns = _check_zip(path, display)
    elif head.startswith(OLE_MAGIC):
        if _is_encrypted_ooxml(path):
            raise CatalogError(display, _("the workbook is password-protected (encrypted); save a copy "
                                          "without a password and lint that"))
        check_xls_extents(path, display)
    elif _looks_like_text(path):
        raise CatalogError(display, _("this is a text (CSV) file with a workbook name; rename it to .csv"))
    else:
        raise CatalogError(display, _("not a workbook (expected .xlsx, .xlsm, .xls or .ods)"))
    try:
        if streaming:
            return _streamed_sheets(path, display, sheet), "openpyxl (a sheet too large for a dense grid)", False
        from python_calamine import CalamineWorkbook

        from aelint.workbook_columns import sheet_names

        opened: list[Any] = []  # the workbook, once a sheet asks for it

        def workbook() -> Any:  # python-calamine parses every shared string as it opens a workbook
            if not opened:
                try:
                    with rust_panics_unprinted():
                        opened.append(CalamineWorkbook.from_path(str(path)))
                except BaseException as error:
                    raise CatalogError(display, _("cannot read the workbook: {reason}").format(
                        reason=reader_failure(error))) from None
            return opened[0]

        # a sheet whose columns fastexcel may read needs calamine's whole workbook only if read row by row
        names = (sheet_names(path) if by_columns else None) or workbook().sheet_names
        return ([(name, lambda name=name: _sheet_rows(workbook(), name, display))
                 for name in _pick_sheets(names, sheet, display)], "python-calamine", by_columns)
    except CatalogError:
        raise
    except BaseException as error:  # calamine and openpyxl report broken files with many error types
        raise CatalogError(display, _("cannot read the workbook: {reason}").format(
            reason=reader_failure(error))) from None


def reader_failure(error: BaseException) -> str:
    """The reason of a reader's failure, or re-raise what is no reader failure (an interrupt, an exit).
    calamine's Rust panics arrive as pyo3's PanicException, which derives from BaseException only."""
    if not isinstance(error, Exception) and type(error).__name__ != "PanicException":
        raise error
    if isinstance(error, MemoryError):
        return _("the workbook needs more memory than this machine gives (damaged or far too large)")
    if not isinstance(error, Exception):
        return _("the file is damaged (the reader failed: {reason}); re-save it").format(
            reason=_calamine_reason(error))
    return _calamine_reason(error)


@contextlib.contextmanager
def rust_panics_unprinted() -> Iterator[None]:
    """Standard error closed to calamine's parsing: a Rust panic prints its message and a backtrace straight to
    file descriptor 2 before it becomes a PanicException (which the caller reports in one line)."""
    sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def require_regular_file(path: Path, display: str) -> None:
    """Refuse FIFOs, devices and sockets: they cannot be read twice (a FIFO would hang) and are no catalogs."""
    try:
        mode = path.stat().st_mode
    except OSError as error:
        raise CatalogError(display, _("cannot open: {reason}").format(reason=error.strerror or error)) from None
    if not stat.S_ISREG(mode):
        kind = _("a FIFO (named pipe)") if stat.S_ISFIFO(mode) else _("not a regular file")
        raise CatalogError(display, _("{kind}: give a catalog file saved on disk").format(kind=kind))


def _pick_sheets(names: list[str], sheet: str | None, display: str) -> list[str]:
    if sheet is None:
        return list(names)
    if sheet not in names:
        raise CatalogError(display, _("no sheet named {sheet}; sheets: {sheets}").format(
            sheet=repr(sheet), sheets=", ".join(names)))
    return [sheet]


def _streamed_sheets(path: Path, display: str, sheet: str | None) -> list[tuple[str, SheetLoader]]:
    """Sheets too large for a dense grid, read row by row with openpyxl (only the cells present)."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)

    def loader(name: str) -> tuple[Rows, int]:
        worksheet = workbook[name]
        worksheet.reset_dimensions()  # trust the cells, not the declared size

        def rows() -> Rows:
            try:
                for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
                    if number > MAX_XLSX_ROWS:  # openpyxl yields every row up to a row number, however far
                        raise CatalogError(display, _("{part}: a cell or row number {number} is past Excel's last "
                                                      "row ({last}): a damaged sheet").format(
                            part=repr(name), number=f"{number:,}", last=f"{MAX_XLSX_ROWS:,}"))
                    yield number, list(row)
            except CatalogError:
                raise
            except BaseException as error:
                raise CatalogError(display, _("sheet {sheet}: {reason}").format(
                    sheet=repr(name), reason=reader_failure(error))) from None

        return rows(), 0

    return [(name, lambda name=name: loader(name)) for name in _pick_sheets(workbook.sheetnames, sheet, display)]


def _sheet_rows(workbook, name: str, display: str) -> tuple[Rows, int]:
    try:
        with rust_panics_unprinted():
            sheet = workbook.get_sheet_by_name(name)
            height = sheet.height
            merged = sheet.merged_cell_ranges or ()
    except BaseException as error:
        raise CatalogError(display, _("sheet {sheet}: {reason}").format(
                    sheet=repr(name), reason=reader_failure(error))) from None
    start = sheet.start
    offset = start[1] if start else 0
    # Vertically merged cells (a title spanning its SKU rows) hold their value in the top cell only. Kept as
    # one (top, bottom, column) per range, never expanded per row: a range down to row 1,048,576 costs
    # nothing, and rows past the sheet's cells are never visited.
    starting: dict[int, list[tuple[int, int]]] = {}  # top row -> [(bottom row, column)]
    for (top, left), (bottom, _right) in merged:
        if bottom > top and top < height:
            starting.setdefault(top, []).append((min(bottom, height), left - offset))

    def rows() -> Rows:
        active: list[tuple[int, int, Any]] = []  # (bottom row, column, value of the top cell)
        try:
            for index, row in enumerate(sheet.iter_rows()):
                if active:
                    active = [span for span in active if span[0] >= index]
                    for _bottom, column, value in active:
                        if 0 <= column < len(row) and row[column] == "":
                            row[column] = value
                for bottom, column in starting.get(index, ()):
                    if 0 <= column < len(row):
                        active.append((bottom, column, row[column]))
                yield index + 1, row
        except BaseException as error:
            raise CatalogError(display, _("sheet {sheet}: {reason}").format(
                    sheet=repr(name), reason=reader_failure(error))) from None

    return rows(), offset


def _calamine_reason(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    if "password" in text.lower() or type(error).__name__ == "PasswordError":
        return _("the workbook is password-protected (encrypted); save a copy without a password")
    return text.splitlines()[0][:200]


def _check_zip(path: Path, display: str) -> tuple[bool, bool]:
    """Refuse Numbers files and zip bombs before anything is inflated; say whether a sheet is too large
    for calamine's dense grid, to be streamed instead, and whether every sheet is known to have no vertically
    merged cells (which python-calamine's rows fill down: `_sheet_rows`), so that its columns may be read as
    they are (aelint.workbook_columns)."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            names = {e.filename for e in entries}
            if any(n.startswith("Index/") and n.endswith(".iwa") for n in names):
                raise CatalogError(display, _("this is an Apple Numbers file; export it as .xlsx or .csv"))
            if not any(n.startswith(("xl/", "content.xml")) for n in names):
                raise CatalogError(display, _("a zip file but not a workbook (no xl/ or content.xml inside)"))
            for entry in entries:
                if entry.flag_bits & 0x1 or entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                    how = (_("encrypted") if entry.flag_bits & 0x1
                           else _("compressed with method {method}").format(method=entry.compress_type))
                    raise CatalogError(display, _("the workbook's part {part} is {how}, which Excel never writes: "
                                                  "re-save the workbook without a password").format(
                                                      part=entry.filename, how=how))
            inflated = sum(e.file_size for e in entries)
            if inflated > MAX_INFLATED_BYTES:
                raise CatalogError(display, _("the workbook would inflate to {size} GB: refused").format(
                    size=f"{inflated / 1024**3:.1f}"))
            for entry in entries:
                ratio = entry.file_size / max(entry.compress_size, 1)
                if entry.file_size > 256 * 1024**2 and ratio > MAX_SUSPICIOUS_RATIO:
                    raise CatalogError(display, _("{part} would inflate to {size} GB (ratio {ratio}:1): refused as a zip bomb").format(
                        part=entry.filename, size=f"{entry.file_size / 1024**3:.1f}", ratio=f"{ratio:.0f}"))
            if "content.xml" in names:
                check_ods_extents(archive, display)
                return False, False
            merges: set[bytes] = set()
            quick = [(sheet, _fits_dense_grid(archive, sheet, merges)) for sheet in _sheet_parts(archive, entries, display)]
            streaming = any(not fits and (not _measurable(archive, sheet)
                                          or _scanned_cells(archive, sheet, display) > MAX_DENSE_CELLS)
                            for sheet, fits in quick)
            return streaming, all(fits for _, fits in quick) and not any(map(_vertical_merge, merges))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error, NotImplementedError,
            RuntimeError) as error:
        raise CatalogError(display, _("not a readable workbook (broken zip: {error})").format(error=error)) from None


def _sheet_parts(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], display: str) -> list[zipfile.ZipInfo]:
    """Every member calamine may read as a sheet: those under xl/worksheets/ and those the workbook's sheets
    point to through its relationships, wherever they are (a sheet at xl/data.bin made calamine abort),
    found as calamine finds a part (`sheet_targets`); every member of a duplicated name."""
    targets = set().union(*(forms for _, forms in sheet_targets(archive, entries, display)))
    return [entry for entry in entries if part_name(entry) in targets
            or part_name(entry).startswith("xl/worksheets/") and part_name(entry).endswith(".xml")]


def sheet_targets(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], display: str
                  ) -> list[tuple[bytes, set[str]]]:
    """Each <sheet> tag of the workbook with its name as written (XML-escaped) and the part names the
    relationships its attributes name point to, in each form calamine finds a part by (`part_name`: a target
    with or without its leading '/' or 'xl/')."""
    def text(name: str) -> bytes:
        data = b""
        for entry in entries:
            if part_name(entry) == name:
                if entry.file_size > MAX_WORKBOOK_PART_BYTES:
                    raise CatalogError(display, _("the workbook's part {part} is {size} MB, which no workbook has: "
                                                  "a damaged file").format(part=entry.filename,
                                                                           size=entry.file_size // 1024**2))
                part = archive.read(entry)
                data += part.decode("utf-16").encode() if part[:2] in (b"\xff\xfe", b"\xfe\xff") else part
        return data

    forms_of: dict[bytes | None, set[str]] = {}  # a relationship's Id -> its target's forms
    for tag in RELATIONSHIP_TAG_RE.findall(text("xl/_rels/workbook.xml.rels")):
        attributes = {key: first or second for key, first, second in XML_ATTRIBUTE_RE.findall(tag)}
        target = attributes.get(b"Target", b"").decode("utf-8", "replace").replace("\\", "/").lower()
        forms_of.setdefault(attributes.get(b"Id"), set()).update(
            {target, target.lstrip("/"), "xl/" + target.lstrip("/")})
    sheets = []
    for tag in SHEET_TAG_RE.findall(text("xl/workbook.xml")):
        found = XML_ATTRIBUTE_RE.findall(tag)
        name = {key: first or second for key, first, second in found}.get(b"name", b"")
        values = {value for _key, *quoted in found for value in quoted if value}
        sheets.append((name, set().union(*(forms_of.get(value, ()) for value in values))))
    return sheets


def part_name(entry: zipfile.ZipInfo) -> str:
    """A member's name as calamine looks a part up: case-insensitively, a backslash read as '/'."""
    return entry.filename.replace("\\", "/").lower()


def _vertical_merge(tag: bytes) -> bool:
    """Whether a <mergeCell> tag spans rows, or may: its range not written as Excel writes it."""
    found = MERGE_RANGE_RE.fullmatch(tag)
    return found is None or found[1] != found[2]


def _fits_dense_grid(archive: zipfile.ZipFile, sheet: zipfile.ZipInfo | str, merges: set[bytes] | None = None
                     ) -> bool:
    """Whether a sheet's cells surely fit a dense grid of MAX_DENSE_CELLS, in one search per chunk of its XML
    (the common case): the rows are bounded once, by what the widest column of its first XML (the header)
    leaves of the grid, rounded down to a short regex (20M cells / 30 columns: up to row 599,999); a reference
    to a wider column widens the bound on columns while the grid still holds. False at the first cell tag
    beyond them or not written as Excel writes it (EXCEL_CELL_END), or at a prefixed cell tag: the sheet is then
    measured exactly, or streamed. Each chunk is searched where it lies (joining chunks costs a copy of the
    sheet); a tag cut between two is judged in a seam of the one's last SEAM_BYTES and the next one's first.
    The sheet's <mergeCell> tags are added to `merges` (complete when True is returned; a mention of mergeCell
    that no chunk or seam holds in a whole tag, or more than MAX_MERGE_MENTIONS of them, add a tag that may span
    rows)."""
    if _fits_quickly(archive, sheet, merges):
        return True
    outside = None
    tail = b""  # bytes not judged yet: references starting in them may end in the next chunk
    seen = 0  # bytes of the sheet before `chunk`
    mentions: dict[int, bool] = {}  # where mergeCell is written in the sheet -> whether a window held it whole
    for chunk in itertools.chain(_inflated(archive, sheet), [None]):
        if outside is None:
            if chunk is not None and len(tail) + len(chunk) < HEADER_SAMPLE_BYTES:
                tail += chunk
                continue
            head = tail + (chunk or b"")
            bounds = _header_bounds(head)
            if bounds is None:
                return False
            widest, rows = bounds
            outside = _outside(widest, rows)
            tail, chunk, seen = (b"", head, 0) if chunk is not None else (head, None, len(head))
        if chunk is None:
            windows = [(tail, len(tail), seen - len(tail))]
        elif len(chunk) < SEAM_BYTES:
            tail, seen = tail + chunk, seen + len(chunk)
            continue
        else:  # (bytes searched, where the references it judges stop starting, where they are in the sheet)
            windows = [(tail + chunk[:SEAM_BYTES], len(tail), seen - len(tail)),
                       (chunk, len(chunk) - SEAM_BYTES, seen)]
            tail, seen = chunk[-SEAM_BYTES:], seen + len(chunk)
        for data, stop, offset in windows:
            if merges is not None and len(mentions) <= MAX_MERGE_MENTIONS and b"mergeCell" in data:
                _merge_tags(data, offset, merges, mentions)
            if (prefixed := PREFIXED_CELL_RE.search(data)) and prefixed.start() < stop:
                return False
            position = 0
            while (found := outside.search(data, position)) and found.start() < stop:
                cell = EXCEL_CELL_RE.match(data, found.start())
                letters = cell[1] if cell else b""
                if (not cell or int(cell[2]) > rows or (len(letters), letters) <= (len(widest), widest)
                        or (len(letters), letters) > (3, b"XFD")
                        or column_number(letters.decode()) * rows > MAX_DENSE_CELLS):
                    return False  # a row beyond, a grid too wide, or a cell tag written otherwise
                widest, position = letters, found.start()
                outside = _outside(widest, rows)
    if merges is not None and (len(mentions) > MAX_MERGE_MENTIONS or not all(mentions.values())):
        merges.add(b"<mergeCell>")  # cut wherever it was seen, or too many to follow: it may span rows
    return True


def _fits_quickly(archive: zipfile.ZipFile, sheet: zipfile.ZipInfo | str, merges: set[bytes] | None = None
                  ) -> bool:
    """Whether a sheet of QUICK_SCAN_MIN_BYTES or more surely fits as `_fits_dense_grid` finds it without
    widening its bounds: every cell tag written as Excel writes it, within the header's widest column and the
    rows the grid leaves (`_within`), none under a prefix. Counted by polars' Rust regex, which releases the
    GIL, on two threads, QUICK_SCAN_GROUP chunks of the XML at a time, each cut after a '<' which the next one
    starts with (so every tag lies whole in one piece): as many tags as tags within. The pieces that mention
    mergeCell are read for `merges` as `_fits_dense_grid` reads its windows (`_merge_tags`, and the same tag
    that may span rows added when a mention is not held whole or they pass MAX_MERGE_MENTIONS). False when
    unsure (the exact scan decides): a smaller sheet (polars' import would cost more), text not UTF-8, any
    tag outside."""
    info = sheet if isinstance(sheet, zipfile.ZipInfo) else archive.getinfo(sheet)
    if info.file_size < QUICK_SCAN_MIN_BYTES:
        return False
    import concurrent.futures

    import polars as pl

    def judge(pieces: list[bytes], offsets: list[int], within: str) -> tuple[set[bytes], int, bool] | None:
        """None when a piece holds a cell tag outside or under a prefix, or is not UTF-8; else the merge tags
        its mentions of mergeCell name, how many mentions, and whether each was held whole."""
        try:
            texts = pl.Series(pieces, dtype=pl.Binary).cast(pl.String)
        except pl.exceptions.PolarsError:  # not UTF-8
            return None
        if (texts.str.count_matches(r"<c[\t\n\x0B\x0C\r />]").sum() != texts.str.count_matches(within).sum()
                or texts.str.contains(r":c[\t\n\x0B\x0C\r />]").any()):
            return None
        tags: set[bytes] = set()
        mentions: dict[int, bool] = {}
        if merges is not None:
            for at in texts.str.contains("mergeCell", literal=True).arg_true().to_list():
                if len(mentions) > MAX_MERGE_MENTIONS:
                    break
                _merge_tags(pieces[at], offsets[at], tags, mentions)
        return tags, len(mentions), all(mentions.values())

    def bounds(head: bytes) -> str | None:  # _within's regex for the header's bounds, in polars' syntax
        found = _header_bounds(head)
        return None if found is None else _within(*found).replace(b"++", b"+").replace(b"}+", b"}").decode()

    within = None
    pieces: list[bytes] = []
    offsets: list[int] = []  # where each piece starts in the sheet
    carry, start = b"", 0  # the XML from the last piece's last byte (a '<') on, and where that is in the sheet
    with concurrent.futures.ThreadPoolExecutor(2, thread_name_prefix="aelint-scan") as pool:
        judged = []
        for chunk in _inflated(archive, sheet):
            data = carry + chunk
            if within is None:
                if len(data) < HEADER_SAMPLE_BYTES:
                    carry = data
                    continue
                within = bounds(data)
                if within is None:
                    return False
            cut = data.rfind(b"<")
            if cut <= 0:
                carry = data
                continue
            pieces.append(data[:cut + 1])  # (a mention of mergeCell just before the '<' is followed as in the XML)
            offsets.append(start)
            carry, start = data[cut:], start + cut
            if len(pieces) == QUICK_SCAN_GROUP:
                judged.append(pool.submit(judge, pieces, offsets, within))
                pieces, offsets = [], []
        within = within or bounds(carry)  # (a sheet shorter than its header sample)
        if within is None:
            return False
        judged.append(pool.submit(judge, [*pieces, carry], [*offsets, start], within))
        found = [verdict.result() for verdict in judged]
    if None in found:
        return False
    if merges is not None:
        for tags, _mentioned, _held in found:
            merges.update(tags)
        if sum(mentioned for _, mentioned, _ in found) > MAX_MERGE_MENTIONS or not all(held for *_, held in found):
            merges.add(b"<mergeCell>")  # cut wherever it was seen, or too many to follow: it may span rows
    return True


def _header_bounds(head: bytes) -> tuple[bytes, int] | None:
    """The widest column of a sheet's first XML (`header_widest`) and the rows a dense grid that wide leaves
    (`_rows_within`), which the extent scan's quick tests take as the sheet's bounds; None when not one row
    fits, or that column is past Excel's last."""
    widest = header_widest(head)
    rows = _rows_within(MAX_DENSE_CELLS // column_number(widest.decode()))
    if not rows or (len(widest), widest) > (3, b"XFD"):
        return None
    return widest, rows


def header_widest(head: bytes) -> bytes:
    """The letters of the widest column the cell references in a sheet's first XML (HEADER_SAMPLE_BYTES of
    `head`, its header) name; A when none."""
    return max(COLUMN_RE.findall(head[:HEADER_SAMPLE_BYTES]), default=b"A", key=lambda letters: (len(letters), letters))


def _merge_tags(data: bytes, offset: int, merges: set[bytes], mentions: dict[int, bool]) -> None:
    """Add the tags naming mergeCell that `data` (the sheet's XML from `offset` on) holds whole to `merges`, and
    note each mention in `mentions` by its place in the sheet: True when a tag holding it or a cell's text
    around it is seen whole, False while every window cuts it. Each byte is searched once, however many
    mentions a long text or tag holds."""
    opened = ended = -1  # the last '<' and '>' before the mention
    searched = 0  # where the search back for them starts
    closed, closed_from = -1, len(data) + 1  # the first '>' from `closed_from` on (-1: none)
    for word in MERGE_WORD_RE.finditer(data):
        at = word.start()
        opened, ended = max(opened, data.rfind(b"<", searched, at)), max(ended, data.rfind(b">", searched, at))
        searched = at
        if ended > opened:  # after a tag's end: in a cell's text or an attribute's value
            mentions[offset + at] = True
            continue
        if not (closed >= at or (closed < 0 and closed_from <= at)):
            closed, closed_from = data.find(b">", at), at
        if opened >= 0 and closed >= 0:
            merges.add(data[opened:closed + 1])
            mentions[offset + at] = True
        else:
            mentions.setdefault(offset + at, False)


def _measurable(archive: zipfile.ZipFile, sheet: zipfile.ZipInfo | str) -> bool:
    """Whether `_scanned_cells` reads every cell tag of a sheet as calamine places it: none under a namespace
    prefix, each with one `r` in double quotes, first, its other attributes after one space. A tag cut between
    chunks is judged again with the next chunk."""
    carry = b""
    for chunk in itertools.chain(_inflated(archive, sheet), [None]):
        data = carry + (chunk or b"")
        found = CELL_NOT_MEASURABLE_RE.search(data)
        if found and (chunk is None or found.start() < len(data) - MAX_CELL_TAG_BYTES):
            return False
        carry = data[found.start() if found else -MAX_CELL_TAG_BYTES:]
    return True


def _outside(letters: bytes, rows: int) -> re.Pattern:
    """A cell tag not written as Excel writes it, or whose reference is beyond column `letters` or beyond row
    `rows` (a leading digit and nines): the search of `_fits_dense_grid`, written as what is within (re rejects a
    tag sooner than it finds a match)."""
    return re.compile(rb"<c(?!" + _within(letters, rows)[2:] + rb")(?=[\s/>])")


def _within(letters: bytes, rows: int) -> bytes:
    """The regex of a cell tag written as Excel writes it whose reference is within column `letters` and row
    `rows` (a leading digit and nines)."""
    digits = str(rows).encode()
    fewer_digits = rb"[1-9][0-9]{0,%d}+|" % (len(digits) - 2) if len(digits) > 1 else b""
    return rb'<c r="(?:%s)(?:%s[1-%c][0-9]{%d})%s' % (
        _columns_upto(letters), fewer_digits, digits[0], len(digits) - 1, EXCEL_CELL_END)


def _columns_upto(letters: bytes) -> bytes:
    """A regex alternation of the column letters up to `letters`, and of none (AD -> [A-Z]{0,1}+|A[A-D])."""
    options = [rb"[A-Z]{0,%d}+" % (len(letters) - 1)]
    for i, letter in enumerate(letters[:-1]):
        if letter > ord("A"):
            options.append(letters[:i] + b"[A-" + bytes([letter - 1]) + b"]" + rb"[A-Z]" * (len(letters) - i - 1))
    options.append(letters[:-1] + b"[A-" + letters[-1:] + b"]")
    return b"|".join(options)


def _rows_within(rows: int) -> int:
    """At most `rows` and at most Excel's last row, rounded down to a leading digit and nines (666,666 ->
    599,999), which `_outside` writes as a two-way alternation; 0 when not one row fits."""
    digits = str(min(rows, MAX_XLSX_ROWS))
    if len(digits) == 1:
        return int(digits)
    rounded = int(digits[0] + "9" * (len(digits) - 1))
    return rounded if rounded <= int(digits) else int(str(int(digits[0]) - 1) + "9" * (len(digits) - 1))


def _scanned_cells(archive: zipfile.ZipFile, sheet: zipfile.ZipInfo | str, display: str) -> float:
    """The grid a sheet's cells span, measured (its declared <dimension> is not trusted: streaming writers
    understate it): its last row number times its widest column, when `_fits_dense_grid` could not tell. One
    pass in zlib and re (about 0.5 s per 250 MB of XML): one search per chunk for any row tag or cell
    reference beyond the widest column or the last row seen so far, widened as it finds one. A row or cell
    reference past Excel's limits is refused (calamine would size a grid by it)."""
    widest = b"A"
    last_row = 0
    carry = b""
    name = sheet if isinstance(sheet, str) else sheet.filename
    for chunk in _inflated(archive, sheet):
        data = carry + chunk
        # rows ascend in a sound sheet: the chunk's last <row r=...> is its highest, and a search for any
        # row or cell reference beyond it finds only what lies (or is out of order), at the speed of re
        last_row = max([last_row, *map(int, LAST_ROW_RE.findall(data[-65536:])[-1:])])
        beyond = _beyond(widest, last_row)
        position = 0
        while found := beyond.search(data, position):
            if found[1] is not None:  # a column beyond: look at the same reference's row again
                widest, position = found[1].upper(), found.start()
            elif found[2] is not None:
                raise CatalogError(display, _("{part}: column {column} is past Excel's last column (XFD): a damaged sheet").format(
                    part=name, column=found[2].decode()))
            else:
                if len(found[3]) > 7 or int(found[3]) > MAX_XLSX_ROWS:
                    raise CatalogError(display, _("{part}: a cell or row number {number} is past Excel's last row ({last}): "
                                                  "a damaged sheet").format(
                        part=name, number=found[3][:20].decode(), last=f"{MAX_XLSX_ROWS:,}"))
                last_row, position = int(found[3]), found.end()
            beyond = _beyond(widest, last_row)
        carry = data[-64:]
    if len(widest) == 3 and widest > b"XFD":
        raise CatalogError(display, _("{part}: column {column} is past Excel's last column (XFD): a damaged sheet").format(
            part=name, column=widest.decode()))
    return max(last_row, 1) * column_number(widest.decode())


def _inflated(archive: zipfile.ZipFile, member: zipfile.ZipInfo | str) -> Iterator[bytes]:
    """A member's bytes, at most SCAN_CHUNK_BYTES at a time, inflated straight from its local entry by ISA-L
    (python-isal): without zipfile's CRC-32 and buffering, and 3x faster than zlib (the 100k-row benchmark
    sheet, 255 MB: zipfile 0.44, zlib 0.26, isal 0.08 s CPU; calamine's zip reader checks the CRC when it reads
    the member). A damaged deflate stream, or inflating past the size the member declares or short of it, is a
    damaged file (the zip-bomb checks judged the declared size)."""
    from isal import isal_zlib

    info = member if isinstance(member, zipfile.ZipInfo) else archive.getinfo(member)
    fp = archive.fp
    fp.seek(info.header_offset)
    header = fp.read(30)
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"no local header for {info.filename}")
    name_length, extra_length = struct.unpack("<HH", header[26:])
    fp.seek(info.header_offset + 30 + name_length + extra_length)
    inflater = isal_zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    left, produced = info.compress_size, 0
    try:
        while left > 0 or inflater and inflater.unconsumed_tail:
            if inflater and inflater.unconsumed_tail:
                chunk = inflater.decompress(inflater.unconsumed_tail, SCAN_CHUNK_BYTES)
            else:
                block = fp.read(min(left, SCAN_CHUNK_BYTES // 4))
                if not block:
                    raise EOFError(f"{info.filename} is cut short")
                left -= len(block)
                chunk = inflater.decompress(block, SCAN_CHUNK_BYTES) if inflater else block
            produced += len(chunk)
            if produced > info.file_size:
                raise zipfile.BadZipFile(f"{info.filename} inflates past its declared size")
            yield chunk
        chunk = inflater.flush() if inflater else b""
    except isal_zlib.error as error:
        raise zipfile.BadZipFile(f"{info.filename}: {error}") from None
    if produced + len(chunk) != info.file_size:
        raise zipfile.BadZipFile(f"{info.filename} does not inflate to its declared size")
    yield chunk


def _rows_after(number: int) -> bytes:
    """A regex alternation of the row numbers greater than `number` (digit by digit, as _columns_after)."""
    digits = str(number).encode()
    options = [rb"[1-9][0-9]{%d,}" % len(digits)]
    for i, digit in enumerate(digits):
        if digit < ord("9"):
            options.append(digits[:i] + b"[" + bytes([digit + 1]) + b"-9][0-9]{%d}" % (len(digits) - i - 1))
    return b"|".join(options)


def _beyond(letters: bytes, row: int) -> re.Pattern:
    """A cell reference of a column after `letters` (group 1: its letters), of more than three letters (group 2),
    or a row tag or cell reference of a row after `row` (group 3: its number, without leading zeros), read as
    calamine reads them: letters in either case, zeros before the row number."""
    return re.compile(rb' r="(?:((?i:' + _columns_after(letters) + rb'))[0-9]|([A-Za-z]{4,20}+)|[A-Za-z]{0,3}+0*+('
                      + _rows_after(row) + rb')")')


def _columns_after(letters: bytes) -> bytes:
    """A regex alternation of the column letters that sort after `letters` (AD -> [A-Z]{3}|[B-Z][A-Z]|A[E-Z])."""
    options = [rb"[A-Z]{%d,3}" % (len(letters) + 1)] if len(letters) < 3 else []
    for i, letter in enumerate(letters):
        if letter < ord("Z"):
            rest = rb"[A-Z]" * (len(letters) - i - 1)
            options.append(letters[:i] + b"[" + bytes([letter + 1]) + b"-Z]" + rest)
    return b"|".join(options) or b"(?!)"


def column_letter(index: int) -> str:
    """Spreadsheet column letters for a 0-based index: 0 -> A, 27 -> AB."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: str) -> int:
    """The 1-based number of a spreadsheet column: A -> 1, AD -> 30."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def comment_texts(path: Path, sheet: str) -> dict[int, str]:
    """The cell comments of one sheet of an .xlsx/.xlsm, joined per row: row -> text. Empty for other formats.

    calamine does not read comments, so the comments part is found through the workbook's relationships and
    parsed directly (a small XML file; parts over 16 MB are skipped)."""
    from xml.etree import ElementTree

    def parse(archive: zipfile.ZipFile, name: str) -> ElementTree.Element | None:
        try:
            info = archive.getinfo(name)
        except KeyError:
            return None
        if info.file_size > 16 * 1024**2:
            return None
        return ElementTree.fromstring(archive.read(info))

    def targets(archive: zipfile.ZipFile, rels: str, base: str) -> dict[str, tuple[str, str]]:
        """Relationship id -> (type, part name) from a .rels part; targets resolve against `base`."""
        root = parse(archive, rels)
        found = {}
        for rel in root if root is not None else ():
            target = rel.get("Target", "")
            name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
            found[rel.get("Id", "")] = (rel.get("Type", ""), name)
        return found

    texts: dict[int, str] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            workbook = parse(archive, "xl/workbook.xml")
            if workbook is None:
                return texts
            rel_id = next((el.get(f"{{{R_NS}}}id") for el in workbook.iter() if el.tag.endswith("}sheet")
                           and el.get("name") == sheet), None)
            part = targets(archive, "xl/_rels/workbook.xml.rels", "xl").get(rel_id or "", ("", ""))[1]
            if not part:
                return texts
            folder, name = posixpath.split(part)
            for kind, comments_part in targets(archive, f"{folder}/_rels/{name}.rels", folder).values():
                if not kind.endswith("/comments"):
                    continue
                root = parse(archive, comments_part)
                for comment in root.iter() if root is not None else ():
                    ref = comment.get("ref") if comment.tag.endswith("}comment") else None
                    digits = "".join(ch for ch in ref or "" if ch.isascii() and ch.isdigit())
                    if digits:
                        text = "".join(t.text or "" for t in comment.iter() if t.tag.endswith("}t"))
                        texts[int(digits)] = (texts.get(int(digits), "") + " " + text).strip()
    except (zipfile.BadZipFile, OSError, ElementTree.ParseError, ValueError):
        return {}
    return texts


def _is_encrypted_ooxml(path: Path) -> bool:
    """An encrypted .xlsx is an OLE container holding an 'EncryptedPackage' stream."""
    with path.open("rb") as raw:
        data = raw.read(1024 * 1024)
    return "EncryptedPackage".encode("utf-16-le") in data


def _looks_like_text(path: Path) -> bool:
    with path.open("rb") as raw:
        sample = raw.read(4096)
    if b"\0" in sample:
        return False
    try:
        sample.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def is_workbook_name(path: Path) -> bool:
    return path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods")


def is_catalog_name(path: Path) -> bool:
    return is_workbook_name(path) or path.suffix.lower() in (".csv", ".tsv")



def check_ods_extents(archive: zipfile.ZipFile, display: str) -> None:
    """Measure an ODS sheet before calamine reads it: content.xml must be well-formed (a table that is never
    closed makes calamine loop forever), a row or cell holding values may not repeat more than MAX_REPEATS
    times, and the grid the values span may not pass MAX_DENSE_CELLS. Empty repeated rows and columns, which
    LibreOffice writes to the sheet's end, cost nothing. One pass in expat, without building a tree."""
    from xml.parsers import expat

    table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0 "
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0 "
    state = {"row": 0, "repeat": 1, "column": 0, "last_row": 0, "last_column": 0, "valued": False}

    def start(tag: str, attributes: dict[str, str]) -> None:
        if tag == table + "table":
            state.update(row=0, last_row=0, last_column=0)
        elif tag == table + "table-row":
            state.update(repeat=_repeats(attributes, table + "number-rows-repeated"), column=0, valued=False)
        elif tag in (table + "table-cell", table + "covered-table-cell"):
            repeat = _repeats(attributes, table + "number-columns-repeated")
            if office + "value-type" in attributes:
                if repeat > MAX_REPEATS or state["repeat"] > MAX_REPEATS:
                    raise CatalogError(display, _("content.xml: a cell holding a value repeats {count} times in row {row}: "
                                                  "a damaged or hostile sheet").format(
                        count=f"{max(repeat, state['repeat']):,}", row=state["row"] + 1))
                state["valued"] = True
                state["last_column"] = max(state["last_column"], state["column"] + repeat)
            state["column"] += repeat

    def end(tag: str) -> None:
        if tag == table + "table-row":
            state["row"] += state["repeat"]
            if state["valued"]:
                state["last_row"] = state["row"]
                cells = state["last_row"] * state["last_column"]
                if cells > MAX_DENSE_CELLS:
                    raise CatalogError(display, _("content.xml: the values span {cells} cells (more than {limit}): too large to read").format(
                        cells=f"{cells:,}", limit=f"{MAX_DENSE_CELLS:,}"))

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        with archive.open("content.xml") as part:
            while chunk := part.read(1 << 20):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise CatalogError(display, _("content.xml is damaged ({error} at line {line}): re-save the spreadsheet").format(
            error=expat.errors.messages.get(error.code, error), line=error.lineno)) from None


def _repeats(attributes: dict[str, str], name: str) -> int:
    value = attributes.get(name, "1")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else MAX_REPEATS * 1000


# Legacy .xls: BIFF8 records inside an OLE compound file. calamine sizes each sheet's grid by its DIMENSIONS
# record; a damaged one asks for terabytes and aborts the process.
XLS_MAX_ROWS, XLS_MAX_COLUMNS = 65_536, 256
BIFF_BOF, BIFF_EOF, BIFF_DIMENSIONS = 0x0809, 0x000A, 0x0200
BIFF_CELLS = {0x0006, 0x00FD, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E, 0x00D6}  # one cell: row, column
BIFF_MULTI_CELLS = {0x00BD, 0x00BE}  # MULRK, MULBLANK: row, first column, ..., last column


def check_xls_extents(path: Path, display: str) -> None:
    """Measure each sheet of an .xls from its cell records and refuse one whose DIMENSIONS record declares
    more than its cells fill and more than the format allows (65,536 rows by 256 columns), or whose cells
    lie outside the format. Files this cannot parse are left to calamine, whose errors are caught."""
    stream = _xls_workbook_stream(path.read_bytes())
    if stream is None:
        return
    declared = (0, 0)
    last_row = last_column = 0
    position = 0
    while position + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, position)
        body = stream[position + 4:position + 4 + length]
        position += 4 + length
        if kind == BIFF_DIMENSIONS and len(body) >= 12:
            _first_row, rows, _first_column, columns = struct.unpack_from("<IIHH", body)
            declared = (rows, columns)
        elif kind in BIFF_CELLS and len(body) >= 4:
            row, column = struct.unpack_from("<HH", body)
            last_row, last_column = max(last_row, row + 1), max(last_column, column + 1)
        elif kind in BIFF_MULTI_CELLS and len(body) >= 6:
            row, = struct.unpack_from("<H", body)
            column, = struct.unpack_from("<H", body, len(body) - 2)
            last_row, last_column = max(last_row, row + 1), max(last_column, column + 1)
        elif kind == BIFF_EOF:
            rows, columns = declared
            if (rows > XLS_MAX_ROWS or columns > XLS_MAX_COLUMNS) and (rows > last_row or columns > last_column):
                raise CatalogError(display, _("a sheet declares {rows} rows by {columns} columns, more than an .xls can hold, "
                                              "while its cells end at row {last_row}, column {last_column}: "
                                              "a damaged file; re-save it as .xlsx").format(
                    rows=f"{rows:,}", columns=f"{columns:,}", last_row=f"{last_row:,}",
                    last_column=f"{last_column:,}"))
            declared, last_row, last_column = (0, 0), 0, 0


def _xls_workbook_stream(data: bytes) -> bytes | None:
    """The 'Workbook' (or 'Book') stream of an OLE compound file, or None when the container is damaged
    (following its sector chains with a bound on their length, so a loop cannot hang)."""
    if len(data) < 512 or not data.startswith(OLE_MAGIC):
        return None
    sector_size = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    mini_size = 1 << struct.unpack_from("<H", data, 0x20)[0]
    if sector_size not in (512, 4096) or mini_size != 64:
        return None
    first_directory, = struct.unpack_from("<I", data, 0x30)
    mini_cutoff, first_mini_fat, _mini_fat_count, first_difat, _difat_count = struct.unpack_from("<IIIII", data, 0x38)
    limit = len(data) // sector_size + 1

    def sector(number: int) -> bytes:
        start = (number + 1) * sector_size
        return data[start:start + sector_size]

    fat_sectors = [n for n in struct.unpack_from("<109I", data, 0x4C) if n < 0xFFFFFFFA]
    difat, hops = first_difat, 0
    while difat < 0xFFFFFFFA and hops < limit:
        words = struct.unpack(f"<{sector_size // 4}I", sector(difat).ljust(sector_size, b"\xff"))
        fat_sectors.extend(n for n in words[:-1] if n < 0xFFFFFFFA)
        difat, hops = words[-1], hops + 1
    fat_bytes = b"".join(sector(n) for n in fat_sectors)
    fat = struct.unpack(f"<{len(fat_bytes) // 4}I", fat_bytes[:len(fat_bytes) // 4 * 4])

    def chain(start: int, table: tuple[int, ...], bound: int) -> list[int]:
        found: list[int] = []
        while start < len(table) and len(found) < bound:
            found.append(start)
            start = table[start]
        return found

    directory = b"".join(sector(n) for n in chain(first_directory, fat, limit))
    entries = [directory[i:i + 128] for i in range(0, len(directory) - 127, 128)]
    if not entries:
        return None
    root_start, = struct.unpack_from("<I", entries[0], 116)
    for entry in entries:
        name_length, = struct.unpack_from("<H", entry, 64)
        name = entry[:max(0, name_length - 2)].decode("utf-16-le", errors="replace")
        if name not in ("Workbook", "Book") or entry[66] != 2:
            continue
        start, size = struct.unpack_from("<II", entry, 116)
        if size >= mini_cutoff:
            stream = b"".join(sector(n) for n in chain(start, fat, limit))
        else:
            mini_fat_bytes = b"".join(sector(n) for n in chain(first_mini_fat, fat, limit))
            mini_fat = struct.unpack(f"<{len(mini_fat_bytes) // 4}I", mini_fat_bytes[:len(mini_fat_bytes) // 4 * 4])
            mini_stream = b"".join(sector(n) for n in chain(root_start, fat, limit))
            stream = b"".join(mini_stream[n * 64:n * 64 + 64] for n in chain(start, mini_fat, len(mini_stream) // 64 + 1))
        return stream[:size]
    return None

AELINT_COPY_RE = re.compile(r"\.(?:fixed|backup(?:-\d+)?)$")


def is_aelint_copy(path: Path) -> bool:
    """A corrected copy or backup aelint wrote itself (NAME.fixed.EXT, NAME.backup[-N].EXT): not a catalog to
    search for in a folder, so a second `--fix` run on the folder finds the same inputs as the first."""
    return AELINT_COPY_RE.search(path.stem) is not None

