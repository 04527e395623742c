"""Opening catalog files as rows of cell values: encodings and delimiters of CSV feeds, workbook formats.

Each opener yields `(row number as the user sees it, [cell values])` and raises `CatalogError` with a reason a
seller can act on when the file cannot be read.
"""

from __future__ import annotations

import codecs
import csv
import posixpath
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

csv.field_size_limit(64 * 1024 * 1024)

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
DIMENSION_RE = re.compile(rb'<(?:\w+:)?dimension ref="\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?"')

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
    """The delimiter that splits the first records into the most, and most regular, columns."""
    lines = text.splitlines()[:50]
    if len(lines) > 1:
        lines = lines[:-1]  # the sample may end in the middle of a line
    best, best_score = default, 0.0
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
        score = common * times / len(counts)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def open_csv_rows(path: Path, display: str, tab: bool = False) -> Rows:
    """Records of a CSV/TSV file, numbered by the line each starts on (the header is usually line 1)."""
    try:
        with path.open("rb") as raw:
            sample = raw.read(SAMPLE_BYTES)
    except OSError as error:
        raise CatalogError(display, f"cannot open: {error.strerror or error}") from None
    if not sample.strip():
        raise CatalogError(display, "the file is empty")
    if sample.startswith(b"PK\x03\x04") or sample.startswith(OLE_MAGIC):
        raise CatalogError(display, "this is a workbook, not a CSV file; give it an .xlsx or .xls name")
    encoding = detect_encoding(sample)
    if b"\0" in sample and not encoding.startswith("utf-16") and sample.count(0) > len(sample) // 4:
        raise CatalogError(display, "not a text file (binary data); expected a CSV export")
    delimiter = "\t" if tab else sniff_delimiter(sample.decode(encoding, errors="replace"))
    return _csv_records(path, display, encoding, delimiter)


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
            raise CatalogError(display, f"line {last_line + 1}: malformed CSV ({error})") from None


def open_workbook_rows(path: Path, display: str, sheet: str | None) -> list[tuple[str, SheetLoader]]:
    """Each sheet of a workbook (or only `sheet`) with a function that opens its rows lazily."""
    try:
        with path.open("rb") as raw:
            head = raw.read(8)
    except OSError as error:
        raise CatalogError(display, f"cannot open: {error.strerror or error}") from None
    if not head:
        raise CatalogError(display, "the file is empty")
    streaming = False
    if head.startswith(b"PK\x03\x04"):
        streaming = _check_zip(path, display)
    elif head.startswith(OLE_MAGIC):
        if _is_encrypted_ooxml(path):
            raise CatalogError(display, "the workbook is password-protected (encrypted); save a copy "
                                        "without a password and lint that")
    elif _looks_like_text(path):
        raise CatalogError(display, "this is a text (CSV) file with a workbook name; rename it to .csv")
    else:
        raise CatalogError(display, "not a workbook (expected .xlsx, .xlsm, .xls or .ods)")
    try:
        if streaming:
            return _streamed_sheets(path, display, sheet)
        from python_calamine import CalamineWorkbook

        workbook = CalamineWorkbook.from_path(str(path))
        names = _pick_sheets(workbook.sheet_names, sheet, display)
        return [(name, lambda name=name: _sheet_rows(workbook, name, display)) for name in names]
    except CatalogError:
        raise
    except Exception as error:  # calamine and openpyxl report broken files with many error types
        raise CatalogError(display, f"cannot read the workbook: {_calamine_reason(error)}") from None


def _pick_sheets(names: list[str], sheet: str | None, display: str) -> list[str]:
    if sheet is None:
        return list(names)
    if sheet not in names:
        raise CatalogError(display, f"no sheet named {sheet!r}; sheets: {', '.join(names)}")
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
                    yield number, list(row)
            except Exception as error:
                raise CatalogError(display, f"sheet {name!r}: {_calamine_reason(error)}") from None

        return rows(), 0

    return [(name, lambda name=name: loader(name)) for name in _pick_sheets(workbook.sheetnames, sheet, display)]


def _sheet_rows(workbook, name: str, display: str) -> tuple[Rows, int]:
    try:
        sheet = workbook.get_sheet_by_name(name)
    except Exception as error:
        raise CatalogError(display, f"sheet {name!r}: {_calamine_reason(error)}") from None
    start = sheet.start
    offset = start[1] if start else 0
    # Vertically merged cells (a title spanning its SKU rows) hold their value in the top cell only.
    fills: dict[int, list[tuple[int, int]]] = {}  # row -> [(top row, column)]
    tops: dict[int, list[int]] = {}  # top row -> columns whose value to remember
    for (top, left), (bottom, _right) in sheet.merged_cell_ranges or ():
        tops.setdefault(top, []).append(left - offset)
        for row in range(top + 1, bottom + 1):
            fills.setdefault(row, []).append((top, left - offset))

    def rows() -> Rows:
        remembered: dict[tuple[int, int], Any] = {}
        for index, row in enumerate(sheet.iter_rows()):
            for top, column in fills.get(index, ()):
                if 0 <= column < len(row) and row[column] == "":
                    row[column] = remembered.get((top, column), "")
            for column in tops.get(index, ()):
                if 0 <= column < len(row):
                    remembered[(index, column)] = row[column]
            yield index + 1, row

    return rows(), offset


def _calamine_reason(error: Exception) -> str:
    text = str(error).strip() or type(error).__name__
    if "password" in text.lower() or type(error).__name__ == "PasswordError":
        return "the workbook is password-protected (encrypted); save a copy without a password"
    return text.splitlines()[0][:200]


def _check_zip(path: Path, display: str) -> bool:
    """Refuse Numbers files and zip bombs before anything is inflated; say whether a sheet is too large
    for calamine's dense grid (its declared size, or no declared size at all), to be streamed instead."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            names = {e.filename for e in entries}
            if any(n.startswith("Index/") and n.endswith(".iwa") for n in names):
                raise CatalogError(display, "this is an Apple Numbers file; export it as .xlsx or .csv")
            if not any(n.startswith(("xl/", "content.xml")) for n in names):
                raise CatalogError(display, "a zip file but not a workbook (no xl/ or content.xml inside)")
            inflated = sum(e.file_size for e in entries)
            if inflated > MAX_INFLATED_BYTES:
                raise CatalogError(display, f"the workbook would inflate to {inflated / 1024**3:.1f} GB: refused")
            for entry in entries:
                ratio = entry.file_size / max(entry.compress_size, 1)
                if entry.file_size > 256 * 1024**2 and ratio > MAX_SUSPICIOUS_RATIO:
                    raise CatalogError(display, f"{entry.filename} would inflate to "
                                                f"{entry.file_size / 1024**3:.1f} GB (ratio {ratio:.0f}:1): "
                                                "refused as a zip bomb")
            sheets = [n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")]
            return any(_declared_cells(archive, name) > MAX_DENSE_CELLS for name in sheets)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error, NotImplementedError) as error:
        raise CatalogError(display, f"not a readable workbook (broken zip: {error})") from None


def _declared_cells(archive: zipfile.ZipFile, name: str) -> float:
    """Cells in a sheet's declared <dimension>, or the grid its cells span when it declares none."""
    with archive.open(name) as part:
        head = part.read(8192)
    match = DIMENSION_RE.search(head)
    if not match:
        return _scanned_cells(archive, name)
    if not match[3]:
        return 1
    width = column_number(match[3].decode()) - column_number(match[1].decode()) + 1
    return width * (int(match[4]) - int(match[2]) + 1)


def _scanned_cells(archive: zipfile.ZipFile, name: str) -> float:
    """The grid a sheet without <dimension> spans (streaming writers omit it): its last row number times
    its widest column. One pass in zlib and re (about 0.6 s per 200 MB of XML): a search for any cell
    reference beyond the widest column seen so far, widened as it finds one."""
    widest = b"A"
    beyond = _beyond(widest)
    last_rows: list[bytes] = []
    carry = b""
    with archive.open(name) as part:
        while chunk := part.read(1 << 20):
            data = carry + chunk
            position = 0
            while found := beyond.search(data, position):
                widest = found[1]
                beyond = _beyond(widest)
                position = found.end()
            last_rows = LAST_ROW_RE.findall(data[-65536:]) or last_rows
            carry = data[-64:]
    if not last_rows:
        return float("inf")
    return int(last_rows[-1]) * column_number(widest.decode())


def _beyond(letters: bytes) -> re.Pattern:
    return re.compile(rb' r="(' + _columns_after(letters) + rb')[0-9]')


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
                    digits = "".join(ch for ch in ref or "" if ch.isdigit())
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


AELINT_COPY_RE = re.compile(r"\.(?:fixed|backup(?:-\d+)?)$")


def is_aelint_copy(path: Path) -> bool:
    """A corrected copy or backup aelint wrote itself (NAME.fixed.EXT, NAME.backup[-N].EXT): not a catalog to
    search for in a folder, so a second `--fix` run on the folder finds the same inputs as the first."""
    return AELINT_COPY_RE.search(path.stem) is not None

