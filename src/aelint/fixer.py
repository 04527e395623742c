"""Safe fixes written to a copy of the catalog (`--fix`, `--diff`, `--in-place`).

Only the cells a fix changes are touched. In an .xlsx/.xlsm workbook the changed cells are rewritten inside
the sheet's XML as inline strings (keeping their style); every other zip member is copied unchanged, so other
cells, styles, comments, merged ranges, column widths and sheets stay as they were. In a CSV file the changed
fields are replaced inside their records' text, so the encoding, delimiter, quoting and line endings stay;
a new value that a spreadsheet would read as a formula (= + - @ tab CR) gets a leading apostrophe.

A fix is applied only where the cell still holds the value the rule read; a cell with several fixes (AE102
and AE107 on one title) is fixed one rule at a time, linting the copy again in between.
"""

from __future__ import annotations

import csv
import html
import io
import os
import posixpath
import re
import shutil
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from aelint.catalog_files import R_NS, detect_encoding, open_csv_rows, sniff_delimiter, SAMPLE_BYTES
from aelint.engine import Report
from aelint.i18n import N_, _, ngettext
from aelint.model import Diagnostic
from aelint.output import THE_FIXED_COPY, refuse_inputs

MAX_ROUNDS = 4
ALIGN_WINDOW = 50  # records looked ahead to match the reader's next row
UNDECODED_RE = re.compile("[\udc80-\udcff]+")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".tsv")
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
ESCAPED_CHAR_RE = re.compile(r"_x([0-9A-Fa-f]{4})_")
XML_UNSAFE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
ATTRIBUTE_RE = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
TEXT_RE = re.compile(rb"<(?:\w+:)?t(?:\s[^>]*)?>(.*?)</(?:\w+:)?t>|<(?:\w+:)?t(?:\s[^>]*)?/>", re.S)
PHONETIC_RE = re.compile(rb"<(\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)
CELL_START_RE = re.compile(rb"""<(\w+:)?c\s[^>]*?(?<=\s)r\s*=\s*["']([A-Z]{1,3}[0-9]+)["'][^>]*>""")
ROW_START_RE = re.compile(rb"""<(?:\w+:)?row\s[^>]*?(?<=\s)r\s*=\s*["']([0-9]+)["']""")
VALUE_RE = re.compile(rb"<(?:\w+:)?v(?:\s[^>]*)?>(.*?)</(?:\w+:)?v>", re.S)

CellKey = tuple[str | None, int, str]  # sheet, row, column (letter in a workbook, header in a CSV)
# Why a cell was not fixed is kept in English (marked with N_()) and translated where it is said.
CELL_CHANGED = N_("the cell no longer holds the value the rule read")


class FixError(Exception):
    """A fixed copy cannot be made of this file (the message says why, in the run's language)."""


@dataclass
class Change:
    """One cell's new value; `before` is its value in the input file."""

    sheet: str | None
    row: int
    column: str
    before: str
    after: str
    codes: list[str] = field(default_factory=list)  # rules whose findings the new value fixes
    waiting: list[str] = field(default_factory=list)  # rules with another fix for the cell, checked next round


@dataclass
class FixPlan:
    """What fixing one catalog file does: the cells changed, and fixes that could not be applied."""

    path: Path
    changes: dict[CellKey, Change] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    target: Path | None = None  # where the fixed copy was written
    backup: Path | None = None  # with --in-place: the input's backup

    def fixed(self, diagnostic: Diagnostic) -> bool:
        """Whether this diagnostic's own fix was applied."""
        change = self.changes.get(_key(diagnostic))
        return diagnostic.fix is not None and change is not None and diagnostic.code in change.codes


def can_fix(path: Path) -> bool:
    return path.suffix.lower() in XLSX_SUFFIXES + CSV_SUFFIXES


def default_output(path: Path) -> Path:
    """NAME.fixed.EXT beside the input."""
    return path.with_name(f"{path.stem}.fixed{path.suffix}")


def plan(path: Path, diagnostics: list[Diagnostic],
         relint: Callable[[Path, set[str]], list[Diagnostic]]) -> tuple[FixPlan, bytes | None]:
    """The changes the diagnostics' fixes make to one file, and the fixed file's bytes (None: nothing to fix).

    `relint(copy, codes)` lints a temporary copy with those rules; it is called when one cell has fixes
    from several rules, to fix it one rule at a time, and once more to find other rows still holding a
    fixed cell's old value (see `_stale_copies`)."""
    result = FixPlan(path)
    pending = [d for d in diagnostics if d.fix is not None]
    data = _fix_rounds(path, result, pending, relint)
    if data is not None and result.changes:
        stale = _stale_copies(path, result, data, relint)
        if stale:
            data = _fix_rounds(path, result, stale, relint)
    return result, (data if result.changes else None)


def _fix_rounds(path: Path, result: FixPlan, pending: list[Diagnostic],
                relint: Callable[[Path, set[str]], list[Diagnostic]]) -> bytes | None:
    """Apply the pending fixes to `result`, one rule per cell per round; the fixed file's bytes."""
    data: bytes | None = None
    for _round in range(MAX_ROUNDS):
        if not pending:
            break
        again = _merge(result, pending)
        data, skipped = patch(path, result.changes.values())
        for key in skipped:
            result.skipped.append(_("{place}: {reason}; not fixed").format(
                place=_where(path, result.changes[key]), reason=_(skipped[key])))
            del result.changes[key]
        if not again:
            break
        with tempfile.TemporaryDirectory(prefix="aelint-fix-") as folder:
            copy = Path(folder) / path.name
            copy.write_bytes(data)
            codes = {c for change in result.changes.values() for c in change.codes}
            pending = [d for d in _in_original_rows(path, copy, relint(copy, codes))
                       if d.fix is not None and d.cell_value is not None]
        pending = [d for d in pending if _key(d) in result.changes]
        still = {(_key(d), d.code) for d in pending}
        for key, change in result.changes.items():  # a rule that no longer fires on the new value is fixed too
            change.codes += [code for code in change.waiting if (key, code) not in still]
            change.waiting = []
    return data


def _stale_copies(path: Path, result: FixPlan, data: bytes,
                  relint: Callable[[Path, set[str]], list[Diagnostic]]) -> list[Diagnostic]:
    """Fixable findings on other rows still holding a fixed cell's old value in the same column (a title
    repeated on every SKU row of a product: once the product's row is fixed, the reader lints the others
    where they stand), so every copy gets the same fix."""
    befores = {(change.column, change.before) for change in result.changes.values()}
    codes = {code for change in result.changes.values() for code in change.codes}
    with tempfile.TemporaryDirectory(prefix="aelint-fix-") as folder:
        copy = Path(folder) / path.name
        copy.write_bytes(data)
        return [d for d in _in_original_rows(path, copy, relint(copy, codes))
                if d.fix is not None and d.cell_value is not None
                and _key(d) not in result.changes and (d.column, d.cell_value) in befores]


def _in_original_rows(path: Path, copy: Path, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """A relinted CSV copy's diagnostics in the original's row numbers: CSV rows are physical line numbers,
    and a fix that took a line break out of a cell moves every later record up in the copy."""
    if path.suffix.lower() not in CSV_SUFFIXES or copy.read_bytes().count(b"\n") == path.read_bytes().count(b"\n"):
        return diagnostics
    tab = path.suffix.lower() == ".tsv"
    original = [number for number, _ in open_csv_rows(path, str(path), tab=tab)]
    copied = [number for number, _ in open_csv_rows(copy, str(copy), tab=tab)]
    to_original = dict(zip(copied, original))
    return [d._replace(row=to_original.get(d.row, d.row)) if d.row else d for d in diagnostics]


def _merge(result: FixPlan, diagnostics: list[Diagnostic]) -> bool:
    """Take one fix per cell (lowest rule code first); say whether a cell had more to apply afterwards."""
    by_cell: dict[CellKey, list[Diagnostic]] = {}
    for d in diagnostics:
        if d.row is not None and d.column and d.cell_value is not None and d.fix.field == d.field:
            by_cell.setdefault(_key(d), []).append(d)
    more = False
    for key, found in by_cell.items():
        found.sort(key=lambda d: d.code)
        first = found[0]
        change = result.changes.get(key)
        if change is None:
            result.changes[key] = Change(first.sheet, first.row, first.column, first.cell_value, first.fix.value,
                                         [first.code])
        elif first.cell_value == change.after:
            change.after = first.fix.value
            change.codes.append(first.code)
        conflict = any(d.fix.value != first.fix.value for d in found[1:])
        more = more or conflict
        for d in found[1:]:  # the same value fixes those rules too; another is checked on the new value
            (result.changes[key].waiting if conflict else result.changes[key].codes).append(d.code)
    return more


def _key(d: Diagnostic) -> CellKey:
    return (d.sheet, d.row or 0, d.column or "")


def _where(path: Path, change: Change) -> str:
    sheet = f"[{change.sheet}]" if change.sheet else ""
    return f"{path}{sheet}:{change.row}:{change.column}"


def patch(path: Path, changes) -> tuple[bytes, dict[CellKey, str]]:
    """The fixed file's bytes, and the cells left unchanged with the reason."""
    changes = list(changes)
    if path.suffix.lower() in XLSX_SUFFIXES:
        return _patch_workbook(path, changes)
    if path.suffix.lower() in CSV_SUFFIXES:
        return _patch_csv(path, changes)
    raise FixError(_("{path}: fixes are written for .xlsx, .xlsm, .csv and .tsv files only").format(path=path))


# --- CSV ---------------------------------------------------------------------------------------------------

def _patch_csv(path: Path, changes: list[Change]) -> tuple[bytes, dict[CellKey, str]]:
    raw = path.read_bytes()
    encoding = detect_encoding(raw[:SAMPLE_BYTES])
    codec = {"utf-8-sig": "utf-8", "utf-16": "utf-16-be" if raw.startswith(b"\xfe\xff") else "utf-16-le"}.get(
        encoding, encoding)  # the BOM stays in the text, so it is written back as it was
    text = raw.decode(codec, errors="surrogateescape")
    if text.encode(codec, errors="surrogateescape") != raw:
        raise FixError(_("{path}: its bytes do not survive decoding as {encoding}; not fixed").format(
            path=path, encoding=encoding))
    delimiter = "\t" if path.suffix.lower() == ".tsv" else sniff_delimiter(
        raw[:SAMPLE_BYTES].decode(encoding, errors="replace"))
    records = _records(text, delimiter)
    numbers = _align(path, records, undecoded=UNDECODED_RE.search(text) is not None)
    skipped: dict[CellKey, str] = {}
    edits: dict[int, list[tuple[int, str]]] = {}  # record index -> [(field index, new value)]
    for change in changes:
        key = (change.sheet, change.row, change.column)
        index = numbers.get(change.row)
        if index is None:
            skipped[key] = N_("row not found")
            continue
        column = _csv_column(records, index, change)
        if column is None:
            skipped[key] = CELL_CHANGED
            continue
        edits.setdefault(index, []).append((column, change.after))
    pieces = [r[0] for r in records]
    for index, fields in edits.items():
        rewritten = _rewrite_record(records[index][0], delimiter, fields)
        if rewritten is None:
            for change in changes:
                if numbers.get(change.row) == index:
                    skipped[(change.sheet, change.row, change.column)] = N_("the row's quoting is not understood")
            continue
        pieces[index] = rewritten
    try:
        return "".join(pieces).encode(codec, errors="surrogateescape"), skipped
    except UnicodeEncodeError as error:
        raise FixError(_("{path}: a fixed value cannot be written in {encoding} ({reason})").format(
            path=path, encoding=encoding, reason=error.reason)) from None


def _records(text: str, delimiter: str) -> list[tuple[str, list[str]]]:
    """Each CSV record's raw text (with its line ending) and its values, as the csv module reads them."""
    consumed: list[str] = []

    def lines():
        for line in io.StringIO(text, newline=""):
            consumed.append(line)
            yield line

    records = []
    for values in csv.reader(lines(), delimiter=delimiter):
        records.append(("".join(consumed), values))
        consumed.clear()
    if consumed and records:  # trailing text the reader did not turn into a record
        records[-1] = (records[-1][0] + "".join(consumed), records[-1][1])
    return records


def _align(path: Path, records: list[tuple[str, list[str]]], undecoded: bool) -> dict[int, int]:
    """Row number as aelint's reader reports it -> index in `records` (matched by values, so the reader's
    numbering, whatever it is, decides; a record that does not match is left out, never guessed)."""
    numbers: dict[int, int] = {}
    position = 0
    for number, values in open_csv_rows(path, str(path), tab=path.suffix.lower() == ".tsv"):
        for candidate in range(position, min(position + ALIGN_WINDOW, len(records))):
            if _readable(records[candidate][1], candidate == 0, undecoded) == values:
                numbers[number] = candidate
                position = candidate + 1
                break
    return numbers


def _readable(values: list[str], first: bool, undecoded: bool) -> list[str]:
    """Values as the reader shows them: undecodable bytes as U+FFFD, no byte-order mark."""
    shown = [UNDECODED_RE.sub("\ufffd", v) for v in values] if undecoded else values
    if first and shown and shown[0].startswith("\ufeff"):
        shown = [shown[0][1:], *shown[1:]]
    return shown


def _csv_column(records: list[tuple[str, list[str]]], index: int, change: Change) -> int | None:
    """Which field of the record is the change's cell: the one holding the value read, under its header."""
    values = records[index][1]
    candidates = [i for i, v in enumerate(values) if v == change.before]
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    for _raw, header in records[:index]:
        named = [i for i in candidates if i < len(header) and header[i].strip().lstrip("\ufeff") == change.column]
        if len(named) == 1:
            return named[0]
    return None


def _rewrite_record(raw: str, delimiter: str, fields: list[tuple[int, str]]) -> str | None:
    """The record's text with some fields replaced; None when its layout is not plain CSV."""
    spans = _field_spans(raw, delimiter)
    if spans is None:
        return None
    for index, value in sorted(fields, reverse=True):
        if index >= len(spans):
            return None
        start, end, quoted = spans[index]
        raw = raw[:start] + _csv_field(value, delimiter, quoted) + raw[end:]
    return raw


def _field_spans(raw: str, delimiter: str) -> list[tuple[int, int, bool]] | None:
    """(start, end, quoted) of each field of one record's text, its line ending left out."""
    body_end = len(raw.rstrip("\r\n"))
    spans = []
    position = 0
    while True:
        start = position
        if position < body_end and raw[position] == '"':
            position += 1
            while True:
                quote = raw.find('"', position)
                if quote < 0:
                    return None
                if raw.startswith('""', quote):
                    position = quote + 2
                    continue
                position = quote + 1
                break
            if position < body_end and raw[position] != delimiter:
                return None  # text after a closing quote: leave such a record alone
            spans.append((start, position, True))
        else:
            next_delimiter = raw.find(delimiter, position, body_end)
            position = body_end if next_delimiter < 0 else next_delimiter
            spans.append((start, position, False))
        if position >= body_end:
            return spans
        position += 1  # past the delimiter


def _csv_field(value: str, delimiter: str, quoted: bool) -> str:
    if value.startswith(FORMULA_START):
        value = "'" + value  # a spreadsheet opening the file must not run it as a formula
    if quoted or any(ch in value for ch in (delimiter, '"', "\r", "\n")):
        return '"' + value.replace('"', '""') + '"'
    return value


# --- workbooks ---------------------------------------------------------------------------------------------

def _patch_workbook(path: Path, changes: list[Change]) -> tuple[bytes, dict[CellKey, str]]:
    skipped: dict[CellKey, str] = {}
    patched: dict[str, bytes] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            parts = _sheet_parts(archive)
            by_part: dict[str, list[Change]] = {}
            for change in changes:
                part = parts.get(change.sheet) if change.sheet is not None else None
                if part is None or part not in archive.namelist():
                    skipped[(change.sheet, change.row, change.column)] = N_("sheet not found")
                    continue
                by_part.setdefault(part, []).append(change)
            shared = _shared_strings(archive, by_part)
            for part, mine in by_part.items():
                data, left = _patch_sheet(archive.read(part), mine, shared)
                skipped.update(left)
                patched[part] = data
            output = io.BytesIO()
            with zipfile.ZipFile(output, "w") as copy:
                copy.comment = archive.comment
                for info in archive.infolist():
                    if info.filename in patched:
                        copy.writestr(info, patched[info.filename], compress_type=info.compress_type)
                    else:
                        with archive.open(info) as source, copy.open(info, "w") as target:
                            shutil.copyfileobj(source, target, 1 << 20)
    except (zipfile.BadZipFile, OSError, ElementTree.ParseError, KeyError) as error:
        raise FixError(_("{path}: cannot rewrite the workbook ({error})").format(path=path, error=error)) from None
    return output.getvalue(), skipped


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part name (xl/worksheets/sheetN.xml), through the workbook's relationships."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        targets[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target))
    return {el.get("name"): targets.get(el.get(f"{{{R_NS}}}id"), "") for el in workbook.iter(f"{{{MAIN_NS}}}sheet")}


def _shared_strings(archive: zipfile.ZipFile, by_part: dict[str, list[Change]]) -> list[str] | None:
    """The shared strings table, when a changed cell may use it (read once)."""
    if not by_part or "xl/sharedStrings.xml" not in archive.namelist():
        return None
    strings = []
    with archive.open("xl/sharedStrings.xml") as part:
        for _event, element in ElementTree.iterparse(part):
            if element.tag == f"{{{MAIN_NS}}}si":
                strings.append(_unescape_ooxml("".join(
                    t.text or "" for t in element.iter(f"{{{MAIN_NS}}}t") if t not in _phonetic(element))))
                element.clear()
    return strings


def _phonetic(si: ElementTree.Element) -> set:
    return {t for rph in si.iter(f"{{{MAIN_NS}}}rPh") for t in rph.iter(f"{{{MAIN_NS}}}t")}


def _patch_sheet(data: bytes, changes: list[Change], shared: list[str] | None
                 ) -> tuple[bytes, dict[CellKey, str]]:
    wanted = {f"{c.column}{c.row}".encode(): c for c in changes}
    skipped = {(c.sheet, c.row, c.column): N_("cell not found in the sheet") for c in changes}
    pieces = []
    position = 0
    for match in _cell_tags(data, {str(c.row).encode() for c in changes}):
        change = wanted.get(match[2])
        if change is None:
            continue
        key = (change.sheet, change.row, change.column)
        prefix = match[1] or b""
        if match[0].endswith(b"/>"):
            end = match.end()
        else:
            end = data.find(b"</" + prefix + b"c>", match.end())
            if end < 0:
                continue
            end += len(prefix) + 4
        element = data[match.start():end]
        current, reason = _cell_text(element, match[0], shared)
        if reason:
            skipped[key] = reason
            continue
        if current != change.before:
            skipped[key] = CELL_CHANGED
            continue
        del skipped[key]
        pieces += [data[position:match.start()], _inline_cell(match[0], prefix, change.after)]
        position = end
    pieces.append(data[position:])
    return b"".join(pieces), skipped


def _cell_tags(data: bytes, rows: set[bytes]):
    """Start tags of the cells on those rows (only their rows are searched when rows carry numbers)."""
    previous = None
    for row in ROW_START_RE.finditer(data):
        if previous is not None and previous[1] in rows:
            yield from CELL_START_RE.finditer(data, previous.end(), row.start())
        previous = row
    if previous is None:
        yield from CELL_START_RE.finditer(data)
    elif previous[1] in rows:
        yield from CELL_START_RE.finditer(data, previous.end())


def _attributes(start_tag: bytes) -> dict[bytes, bytes]:
    return {m[1]: (m[2] if m[2] is not None else m[3]) for m in ATTRIBUTE_RE.finditer(start_tag)}


def _cell_text(element: bytes, start_tag: bytes, shared: list[str] | None) -> tuple[str, str | None]:
    """The cell's text, or a reason it is not a plain text cell to rewrite."""
    kind = _attributes(start_tag).get(b"t", b"n")
    if re.search(rb"<(?:\w+:)?f[\s>/]", element):
        return "", N_("a formula cell")
    if kind == b"s":
        value = VALUE_RE.search(element)
        try:
            return shared[int(value[1])], None
        except (TypeError, ValueError, IndexError):
            return "", N_("its shared string is missing")
    if kind == b"inlineStr":
        body = PHONETIC_RE.sub(b"", element)
        return _unescape_ooxml("".join(_xml_text(m[1] or b"") for m in TEXT_RE.finditer(body))), None
    if kind == b"str":
        value = VALUE_RE.search(element)
        return _unescape_ooxml(_xml_text(value[1] if value else b"")), None
    return "", N_("not a text cell")


def _xml_text(raw: bytes) -> str:
    return html.unescape(raw.decode("utf-8"))  # XML's five entities and character references


def _unescape_ooxml(value: str) -> str:
    """Excel writes characters XML cannot hold as _xHHHH_."""
    return ESCAPED_CHAR_RE.sub(lambda m: chr(int(m[1], 16)), value) if "_x" in value else value


def _inline_cell(start_tag: bytes, prefix: bytes, value: str) -> bytes:
    """The cell as an inline string with the same reference, style and other attributes."""
    attributes = [(k, v) for k, v in _attributes(start_tag).items() if k != b"t"]
    escaped = XML_UNSAFE_RE.sub(lambda m: "_x005F" if m[0] == "_" else f"_x{ord(m[0]):04X}_", value)
    escaped = escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    head = b" ".join([prefix + b"c", *(k + b'="' + v + b'"' for k, v in attributes), b't="inlineStr"'])
    t = prefix + b"t"
    return (b"<" + head + b"><" + prefix + b"is><" + t + b' xml:space="preserve">' + escaped.encode("utf-8")
            + b"</" + t + b"></" + prefix + b"is></" + prefix + b"c>")


# --- writing -----------------------------------------------------------------------------------------------

def write_copy(data: bytes, target: Path) -> None:
    """Write the fixed file through a temporary file beside it, replaced in one step."""
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def backup_path(path: Path) -> Path:
    """NAME.backup.EXT beside the input (NAME.backup-2.EXT ... when taken)."""
    candidate = path.with_name(f"{path.stem}.backup{path.suffix}")
    number = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}.backup-{number}{path.suffix}")
        number += 1
    return candidate


def write_backup(path: Path) -> Path:
    """Copy the input byte for byte before it is replaced; check the copy."""
    backup = backup_path(path)
    shutil.copy2(path, backup)
    if backup.read_bytes() != path.read_bytes():
        raise FixError(_("{path}: the backup {backup} does not match the input; nothing changed").format(
            path=path, backup=backup))
    return backup


# --- a run's fixes -----------------------------------------------------------------------------------------

def fix_report(report: Report, relint: Callable[[Path, Path, set[str]], list[Diagnostic]], *,
               fix_output: Path | None = None, in_place: bool = False, write: bool = True) -> list[FixPlan]:
    """Plan (and unless `write` is false, write) the fixed copy of every linted file that has fixes.

    `relint(original, copy, codes)` lints a temporary copy of `original` with those rules."""
    by_path: dict[str, list[Diagnostic]] = {}
    for d in report.diagnostics:
        if d.fix is not None:
            by_path.setdefault(d.path, []).append(d)
    if fix_output is not None and len(report.linted_paths) > 1:
        count = len(report.linted_paths)
        raise FixError(ngettext("--fix-output names one file, but {n} catalog was linted",
                                "--fix-output names one file, but {n} catalogs were linted", count).format(n=count))
    inputs = [Path(p) for p in report.linted_paths]
    plans = []
    for display, diagnostics in by_path.items():
        path = Path(display)
        if not path.is_file():
            continue
        if not can_fix(path):  # .xls, .ods: reported on, never rewritten (no writer keeps such a file as it was)
            plans.append(FixPlan(path, skipped=[_(
                "{path}: not fixed, nothing written: --fix rewrites .xlsx, .xlsm, .csv and .tsv files only; save it "
                "as .xlsx and fix that").format(path=path)]))
            continue
        try:
            result, data = plan(path, diagnostics, lambda copy, codes, path=path: relint(path, copy, codes))
        except FixError as error:  # this file cannot be rewritten safely: say so, fix the others
            plans.append(FixPlan(path, skipped=[str(error)]))
            continue
        plans.append(result)
        if data is None or not write:
            continue
        result.target = path if in_place else (fix_output or default_output(path))
        if in_place:
            result.backup = write_backup(path)
        else:
            refuse_inputs(result.target, inputs, THE_FIXED_COPY)
        write_copy(data, result.target)
    return plans


def fixable(diagnostics: Iterable[Diagnostic]) -> int:
    """How many diagnostics have a fix `--fix` can write (workbooks other than .xlsx/.xlsm are not rewritten)."""
    with_fix = Counter(d.path for d in diagnostics if d.fix is not None)  # each path is looked at once
    return sum(count for path, count in with_fix.items() if can_fix(Path(path)))


def render_diff(plans: list[FixPlan]) -> str:
    """What --fix would change: per cell, the place, the rules, the value before and after."""
    from aelint.reporters import escape

    lines = []
    for result in plans:
        for change in sorted(result.changes.values(), key=lambda c: (c.sheet or "", c.row, c.column)):
            lines.append(f"{escape(_where(result.path, change))}: {', '.join(change.codes)}")
            lines.append(f'  - "{escape(change.before)}"')
            lines.append(f'  + "{escape(change.after)}"')
        lines.extend(f"aelint: {escape(reason)}" for reason in result.skipped)
    cells = sum(len(p.changes) for p in plans)
    files = sum(1 for p in plans if p.changes)
    lines.append(_("{cells} would change in {files} (nothing written; --fix writes NAME.fixed.EXT)").format(
        cells=ngettext("{n} cell", "{n} cells", cells).format(n=cells),
        files=ngettext("{n} file", "{n} files", files).format(n=files)))
    return "\n".join(lines) + "\n"
