"""Reading catalogs: workbooks (python-calamine) and CSV/TSV feeds into a `Catalog` of products and SKUs.

The reader finds the header row (templates carry title and instruction rows above it), maps headers to
canonical fields, groups SKU rows into products and keeps every value's row and column as the user sees
them. Anything it cannot read raises `CatalogError`, which the CLI turns into one line and exit code 2.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain
from operator import itemgetter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aelint import catalog_files
from aelint.catalog_files import CatalogError, column_letter, comment_texts, open_csv, open_workbook_rows
from aelint.gcpause import paused_gc
from aelint.i18n import _
from aelint.headers import KNOWN_GROUP_KEYS, HeaderMap, attribute_field, header_key, match_header
from aelint.numbers import parse_amount
from aelint.model import Catalog, Cell, Product, Sku, is_product_field

if TYPE_CHECKING:
    from aelint.sheet_halves import HalfWorkbooks

HEADER_SEARCH_ROWS = 30
IMAGE_REF_RE = re.compile(r"[^\n;|]+")
MAX_CELL_REFERENCES = 1000  # AliExpress keeps 6 main images; AE302 reports any count above that
SUPPRESS_RE = re.compile(r"ignore\[([^\]]*)\]", re.IGNORECASE)
CODE_RE = re.compile(r"[A-Z]{2,4}[0-9]{0,3}")
PRODUCT_KEY_FIELDS = ("title", "product_id", "sku_code")
# Hint-row limits ("from 0.001 to 500") are read for the fields whose rule uses them: AE603 invalid-logistics
# (weight, package sides, processing days).
LIMITED_FIELDS = frozenset({"weight_kg", "package_length_cm", "package_width_cm", "package_height_cm",
                            "processing_days", "sku_code"})
RANGE_HINT_RE = re.compile(r"\bfrom\s+([\d.,]+)\s+to\s+([\d.,]+)", re.IGNORECASE)
MAX_HINT_RE = re.compile(r"\b(?:no more than|less than|at most|up to)\s+(\d+)", re.IGNORECASE)
# Cells by the million are made as `new_cell(Cell, (field, value, row, column))`: 2.5x faster than Cell(...),
# whose generated __new__ is a Python function around this very call.
new_cell = tuple.__new__

__all__ = ["CatalogError", "ProductSplit", "Reading", "read_catalog", "read_catalogs", "read_rows", "stream_catalogs",
           "stream_frame", "column_letter"]


def read_catalog(path: Path, display: str, columns: dict[str, str] | None = None,
                 sheet: str | None = None, language: str = "en", columnar: bool | None = None) -> Catalog:
    """Read one catalog file (the first product sheet of a workbook); `display` is the path as reports show it."""
    return read_catalogs(path, display, columns, sheet, language, columnar).catalogs[0]


@dataclass
class Reading:
    """What one file gave: a catalog per product sheet, the sheets without a catalog header (name, why), and
    which library read the cells (for -v: polars, csv.reader and why, python-calamine, openpyxl)."""

    catalogs: list[Catalog]
    skipped_sheets: list[tuple[str, str]] = field(default_factory=list)
    reader: str = ""


def read_catalogs(path: Path, display: str, columns: dict[str, str] | None = None,
                  sheet: str | None = None, language: str = "en", columnar: bool | None = None) -> Reading:
    """Read every product sheet of a workbook (or only `sheet`), or the one table of a CSV; `columnar` forces
    (True) or forbids (False) reading a CSV into Arrow columns with polars, chosen by size otherwise."""
    with paused_gc():
        return _read_catalogs(path, display, columns or {}, sheet, language, columnar)


def _read_catalogs(path: Path, display: str, columns: dict[str, str], sheet: str | None,
                   language: str | None, columnar: bool | None) -> Reading:
    reading = Reading([])
    for builder, rows in _sheet_builders(path, display, columns, sheet, language, reading, columnar=columnar):
        for number, row in chain(builder.pending, rows):
            builder.add(number, row)
        builder.pending = []
    return reading


class ProductSplit(Exception):
    """Streaming met rows of a product further down than its batch (its id again after other products): the
    catalog must be read whole to group them as the whole-catalog reading does."""

    def __init__(self, key: str, row: int, batch: int):
        super().__init__(f"product {key!r} continues on row {row}, after its batch {batch} was linted")


def stream_catalogs(path: Path, display: str, columns: dict[str, str] | None, sheet: str | None, language: str,
                    batch_products: int, reading: Reading, from_columns: bool = True
                    ) -> Iterator[tuple[Catalog, Iterator[Sequence[Product]]]]:
    """Each product sheet's catalog (no products) and its products in batches of `batch_products` whole products;
    a sheet's batches must be taken before the next sheet. `reading` gathers the catalogs and skipped sheets.
    With `from_columns`, a CSV read by polars gives its batches from its columns where its layout allows
    (aelint.frame_products: products built on demand). Raises CatalogError as `read_catalogs` does, and
    ProductSplit (from the batches) for a product whose rows are not adjacent across batches."""
    for builder, rows in _sheet_builders(path, display, columns or {}, sheet, language, reading, batch_products,
                                         from_columns=from_columns):
        yield builder.catalog, builder.batches(rows)


def _sheet_builders(path: Path, display: str, columns: dict[str, str], sheet: str | None, language: str | None,
                    reading: Reading, batch_products: int | None = None, columnar: bool | None = None,
                    from_columns: bool = False) -> Iterator[tuple[_ProductBuilder, Iterator[tuple[int, list[Any]]]]]:
    """For the CSV or each product sheet: its product builder (header found, cell-comment suppressions noted)
    and its remaining rows; the catalog is added to `reading` first. `columnar` as in `read_catalogs`,
    `from_columns` as in `stream_catalogs`."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        if sheet is not None:
            raise CatalogError(display, _("--sheet {sheet} given, but a CSV file has no sheets").format(
                sheet=repr(sheet)))
        records = open_csv(path, display, tab=suffix == ".tsv", columnar=columnar)
        reading.reader = records.reader
        rows = iter(records.rows)
        try:
            builder = _start(display, None, False, rows, columns, None, language, batch_products)
        except _NoHeader as error:
            raise CatalogError(display, str(error)) from None
        if records.only is not None:
            records.only(builder.columns_read)
            builder.frame = (records.frame, records.numbers) if from_columns else None
        del records  # its frame (held by `only`) is let go with the rows, before the collectors finish
        reading.catalogs.append(builder.catalog)
        yield builder, rows
        return
    sheets, reading.reader, flat = open_workbook_rows(path, display, sheet)
    by_columns = from_columns and flat and suffix in (".xlsx", ".xlsm") and (
        columnar if columnar is not None else path.stat().st_size >= catalog_files.COLUMNAR_MIN_BYTES)
    from aelint.sheet_halves import start_halves

    # the halves of the largest sheet are written while its header is looked for (aelint.sheet_halves)
    halves = start_halves(path, [name for name, _ in sheets]) if by_columns else None
    try:
        yield from _workbook_builders(path, display, columns, language, reading, batch_products, sheets,
                                      by_columns, halves)
    finally:
        if halves is not None:
            halves.close()


def _workbook_builders(path: Path, display: str, columns: dict[str, str], language: str | None, reading: Reading,
                       batch_products: int | None, sheets: list[tuple[str, Any]], by_columns: bool,
                       halves: HalfWorkbooks | None) -> Iterator[tuple[_ProductBuilder, Iterator[tuple[int, list[Any]]]]]:
    """`_sheet_builders` for a workbook's `sheets`, read by columns if `by_columns` (the sheet of `halves` from
    them)."""
    first_error: CatalogError | None = None
    from_fastexcel: list[str] = []  # the sheets read into columns
    for name, open_rows in sheets:
        own_halves = halves if halves is not None and name == halves.sheet else None
        started = _started_from_columns(path, display, name, len(sheets) > 1, columns, language, batch_products,
                                        open_rows, own_halves) if by_columns else None
        if own_halves is not None:
            own_halves.close()  # (let go already if its sheet was parsed from them)
        if started is not None:
            builder, rows = started
            from_fastexcel.append(name)
            reading.reader = "fastexcel (columns)" if len(sheets) == 1 else (
                f"fastexcel (columns) for {', '.join(map(repr, from_fastexcel))}, python-calamine for the others")
        else:
            rows, offset = open_rows()
            rows = iter(rows)
            try:
                builder = _start(display, name, len(sheets) > 1, rows, columns, offset, language, batch_products)
            except _NoHeader as error:
                first_error = first_error or CatalogError(display, _("sheet {sheet}: {reason}").format(
                    sheet=repr(name), reason=error))
                reading.skipped_sheets.append((name, error.brief))
                continue
        _add_comment_suppressions(builder.catalog, path, name)
        reading.catalogs.append(builder.catalog)
        yield builder, rows
    if not reading.catalogs:
        raise first_error or CatalogError(display, _("the workbook has no sheets"))


def _started_from_columns(path: Path, display: str, sheet: str, multi_sheet: bool, columns: dict[str, str],
                          language: str | None, batch_products: int | None, open_rows,
                          halves: HalfWorkbooks | None = None
                          ) -> tuple[_ProductBuilder, Iterator[tuple[int, list[Any]]]] | None:
    """A workbook sheet's product builder with its records read into text columns by fastexcel
    (aelint.workbook_columns; from `halves` if its sheet is theirs), and its rows below the header read by
    python-calamine only if the builder asks for them (a layout frame_products declines); None when the sheet
    is to be read row by row from the start."""
    from aelint.frame_products import fits
    from aelint.workbook_columns import head_rows, sheet_text

    head = head_rows(path, sheet, HEADER_SEARCH_ROWS)
    if head is None:
        return None
    try:
        builder = _start(display, sheet, multi_sheet, iter(head), columns, 0, language, batch_products)
    except _NoHeader:
        return None  # the row-by-row reading says why, as it always has
    if not fits(builder):
        return None
    header_row = builder.catalog.header_row
    header = next([_text(value) for value in row] for number, row in head if number == header_row)
    text = sheet_text(path, sheet, header_row, header, sorted(builder.columns_read), builder.pending, halves)
    if text is None:
        return None
    builder.frame, builder.pending = text, []

    def rows() -> Iterator[tuple[int, list[Any]]]:
        calamine_rows, offset = open_rows()
        padding = [""] * offset  # the builder's columns are counted from column A, as head_rows gives them
        for number, row in calamine_rows:
            if number > header_row:
                yield number, padding + row

    return builder, rows()


def read_rows(rows: Iterable[Sequence[Any]], display: str, columns: dict[str, str] | None = None,
              language: str = "en") -> Reading:
    """A table handed over in memory, header row first, read as a CSV file of those lines would be."""
    numbered = ((number, list(row)) for number, row in enumerate(rows, start=1))
    try:
        builder = _start(display, None, False, numbered, columns or {}, None, language)
    except _NoHeader as error:
        raise CatalogError(display, str(error)) from None
    for number, row in chain(builder.pending, numbered):
        builder.add(number, row)
    builder.pending = []
    return Reading([builder.catalog])


def stream_frame(frame: Any, display: str, columns: dict[str, str] | None, language: str, batch_products: int,
                 reading: Reading, from_columns: bool = True) -> Iterator[tuple[Catalog, Iterator[Sequence[Product]]]]:
    """A polars DataFrame handed over in memory, read as `read_rows` reads its column names and rows (the
    same Python values, numbered from line 1), in batches of products as `stream_catalogs` gives a CSV's.
    With `from_columns`, when the cells the reader reads are text or can be made the text `_text` gives
    (`_frame_text`), its products are grouped from its columns (aelint.frame_products)."""
    numbered = chain([(1, list(frame.columns))], enumerate(frame.iter_rows(), start=2))
    try:
        builder = _start(display, None, False, numbered, columns or {}, None, language, batch_products)
    except _NoHeader as error:
        raise CatalogError(display, str(error)) from None
    if from_columns:
        text = _frame_text(frame, builder)
        builder.frame = None if text is None else (text, list(range(1, text.height + 1)))
    reading.catalogs.append(builder.catalog)
    yield builder.catalog, builder.batches(numbered)


def series_text(series: Any) -> Any:
    """A typed polars column as text, each value what `_text` makes of it (nulls kept); None for a type made
    text value by value only (lists, structs, bytes)."""
    import polars as pl

    kind = series.dtype
    if kind == pl.String:
        return series
    if kind.is_integer() or kind in (pl.Categorical, pl.Enum):
        return series.cast(pl.String)
    if kind == pl.Boolean:
        return series.replace_strict([True, False], ["TRUE", "FALSE"], default=None, return_dtype=pl.String)
    if kind.is_float() or kind.is_temporal() or kind.is_decimal():  # each distinct value, as _text makes it
        distinct = series.drop_nulls().unique()
        return series.replace_strict(distinct, [_text(value) for value in distinct.to_list()], return_dtype=pl.String)
    return None


def _frame_text(frame: Any, builder: _ProductBuilder) -> Any:
    """The frame's records (the column names first) as text, each cell what `_text` makes of the value
    `iter_rows` gives ("" for None): the columns the reader reads converted, the others left blank. None
    when a column holds values made text one by one only (lists, structs, bytes), or when a null image cell
    would make a row that is blank otherwise a row of its own (a None is no "" to the row-by-row reader)."""
    import polars as pl

    from aelint.table import PYTHON_SPACE

    names = [f"column_{i}" for i in range(frame.width)]
    cells = []
    for i, (name, series) in enumerate(zip(names, frame.get_columns())):
        if i not in builder.columns_read or series.dtype == pl.Null:
            cells.append(pl.repeat("", pl.len(), dtype=pl.String))
            continue
        text = series_text(series)
        if text is None:
            return None
        cells.append(pl.lit(text))
    data = frame.select((cell.fill_null("").alias(name)) for cell, name in zip(cells, names))
    images = [names[i] for i in builder.image_cols]
    if images and any(frame[frame.columns[builder.image_cols[k]]].null_count() for k in range(len(images))):
        blank = [data[names[i]].str.contains(f"^[{PYTHON_SPACE}]*$")
                 for i in (*builder.product_id_cols, *builder.columns_read) if i not in builder.image_cols]
        nulls = [frame[frame.columns[i]].is_null() for i in builder.image_cols]
        empty = [data[name] == "" for name in images]
        if pl.select(pl.all_horizontal([*blank, *empty]) & pl.any_horizontal(nulls)).to_series().any():
            return None
    return pl.concat([pl.DataFrame([pl.Series(name, [str(c)], dtype=pl.String)
                                    for name, c in zip(names, frame.columns)]), data])


def explain_reading(reading: Reading) -> str:
    """How a file was read, per sheet: the header rows, each column's field, level, language or unit and
    currency, the ignored columns, and the sheets without a catalog header (for --show-columns and -v)."""
    lines = []
    for catalog in reading.catalogs:
        where = catalog.path + (f" [{catalog.sheet}]" if catalog.sheet is not None else "")
        block = catalog.header_rows or (catalog.header_row,)
        rows = f"header row {block[-1]}"
        if len(block) > 1:
            rows += f" (template block: rows {block[0]}-{block[-1]}: group titles, hints, field names)"
        facts = [rows, f"{catalog.product_count} products in {catalog.rows} rows"]
        if reading.reader:
            facts.append(f"read by {reading.reader}")
        if catalog.language:
            facts.append(f"main title/description language {catalog.language}")
        if catalog.currency:
            facts.append(f"prices in {catalog.currency}")
        if catalog.required_fields:
            facts.append("required (*): " + ", ".join(sorted(catalog.required_fields)))
        lines.append(f"{where}: " + "; ".join(facts))
        for column in catalog.column_readings:
            if column.field is None:
                continue
            place = column.place if catalog.sheet is not None else f"#{column.index + 1}"
            notes = [n for n in (column.level, column.language and f"language {column.language}",
                                 column.unit and f"unit {column.unit}", column.currency and f"currency {column.currency}",
                                 column.required and "required", column.group and f"group {column.group!r}") if n]
            lines.append(f"  {place:>4} {column.header!r} -> {column.field} ({', '.join(notes)})")
        ignored = [c.header for c in catalog.column_readings if c.field is None]
        lines.append("  ignored: " + (", ".join(repr(h) for h in ignored) if ignored else "none"))
    for name, why in reading.skipped_sheets:
        lines.append(f"{reading.catalogs[0].path} [{name}]: not linted ({why})")
    return "\n".join(lines) + "\n"


class _NoHeader(Exception):
    """No catalog header in a sheet; `brief` says so in a few words for verbose output."""

    def __init__(self, message: str, brief: str = ""):
        super().__init__(message)
        self.brief = brief or _("no catalog header")


def _first_clause(text: str) -> str:
    """The text up to its first semicolon (a Chinese message uses the full-width one)."""
    return re.split("[;；]", text, maxsplit=1)[0]


def _find_header(rows: Iterator[tuple[int, list[Any]]], columns: dict[str, str], language: str | None) -> _Header:
    """Look at the first rows for the one that maps best to fields; return it, the rows above it (a template's
    group titles and hints) and the rows read past it."""
    seen: list[tuple[int, list[Any]]] = []
    usable: tuple[int, HeaderMap] | None = None  # (position in seen, map)
    best_any: HeaderMap | None = None
    for number, row in rows:
        seen.append((number, row))
        mapped = match_header([_text(v) for v in row], columns, language)
        if best_any is None or mapped.score > best_any.score:
            best_any = mapped
        if (mapped.score >= 2 and any(f in mapped.fields or f in _language_fields(mapped) for f in PRODUCT_KEY_FIELDS)
                and (usable is None or mapped.score > usable[1].score)):
            usable = (len(seen) - 1, mapped)
        if len(seen) >= HEADER_SEARCH_ROWS:
            break
    if usable is None:
        kind = not_a_catalog(seen)
        if kind:
            raise _NoHeader(kind, _first_clause(kind))
        raise _NoHeader(_header_complaint(best_any, len(seen)))
    position, mapped = usable
    number, row = seen[position]
    header = [_text(v) for v in row]
    kind = not_a_catalog(seen[position:position + 1])
    if kind:
        raise _NoHeader(kind, _first_clause(kind))
    above = seen[max(0, position - TEMPLATE_BLOCK_ROWS):position]
    block = [number]
    hints: list[str] = []
    groups = _group_titles(above, len(header))
    if groups is not None:
        mapped = match_header(header, columns, language, groups[1])
        between = [(n, r) for n, r in above if n > groups[0]]
        block = [groups[0], *(n for n, _ in between), number]
        if between:
            hints = [_text(v) for v in between[-1][1]]
    return _Header(number, header, mapped, tuple(block), hints, seen[position + 1:])


@dataclass
class _Header:
    """The header found: its row (and the template rows above it), the row's cells, how they map, the hint
    row's cells, and the data rows already read past it."""

    row: int
    cells: list[str]
    mapped: HeaderMap
    block: tuple[int, ...]
    hints: list[str]
    pending: list[tuple[int, list[Any]]]


def _language_fields(mapped: HeaderMap) -> set[str]:
    return {f for fields in mapped.other_languages.values() for f in fields}


# Column names of order exports (DSers, AliExpress orders): a file with several of them lists orders.
ORDER_HEADERS = frozenset(header_key(h) for h in (
    "order number", "order no", "order id", "order date", "order memo", "order status", "contact person",
    "mobile no", "phone", "email", "address", "product count", "tracking number", "buyer", "buyer name",
    "customer", "zip", "zip code", "province", "city", "shipping address", "paid time"))
# Column names of supplier price lists: minimum orders, cartons, wholesale and cost prices.
PRICE_LIST_HEADERS = frozenset(header_key(h) for h in (
    "moq", "min order", "minimum order", "min order qty", "wholesale price", "unit price", "cost price",
    "supplier", "factory", "pcs/ctn", "carton size", "ctn size", "carton", "fob price", "exw price"))
# Fields only a product catalog has: a price list with one of them is linted as a catalog.
CATALOG_SIGNS = frozenset({"main_images", "description", "stock", "color", "size", "weight_kg", "category",
                           "variant_image", "shipping_template"})
URL_RE = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
TEMPLATE_BLOCK_ROWS = 3  # group titles and hints above a template's field names


def not_a_catalog(rows: list[tuple[int, list[Any]]]) -> str | None:
    """What a file that is no product catalog looks like instead (orders, a link list, a price list), or None."""
    cells = [[_text(v).strip() for v in row] for _, row in rows]
    filled = [[v for v in row if v] for row in cells]
    filled = [row for row in filled if row]
    if not filled:
        return None
    links = [row for row in filled if len(row) <= 2 and any(URL_RE.match(v) for v in row)]
    headed = len(filled) > 1 and len(filled[0]) <= 2 and filled[0] not in links  # a "URL" header line
    if links and len(links) == len(filled) - headed:
        return _("this looks like a list of links ({count} rows of URLs), not a product catalog; "
                 "lint the catalog file you upload").format(count=len(links))
    for row in cells:
        orders = [v for v in row if header_key(v) in ORDER_HEADERS]
        if len(orders) >= 3:
            return _("this looks like an orders file (columns {columns}), not a product catalog; "
                     "lint the catalog file you upload").format(columns=", ".join(repr(v) for v in orders[:5]))
        priced = [v for v in row if header_key(v) in PRICE_LIST_HEADERS]
        if priced and not CATALOG_SIGNS & set(match_header(row, {}).fields):
            return _("this looks like a supplier price list (columns {columns}), not a product catalog; "
                     "lint the catalog file you upload").format(columns=", ".join(repr(v) for v in priced[:5]))
    return None


def _group_titles(above: list[tuple[int, list[Any]]], width: int) -> tuple[int, list[str]] | None:
    """The template's group-title row above the field names (merged cells filled rightwards), if any."""
    for number, row in reversed(above):
        texts = [_text(v).strip() for v in row]
        if not any(header_key(t).startswith(KNOWN_GROUP_KEYS) for t in texts if t):
            continue
        groups, current = [], ""
        for i in range(width):
            current = texts[i] if i < len(texts) and texts[i] else current
            groups.append(current)
        return number, groups
    return None


def _hint_limits(hints: list[str], mapped: HeaderMap) -> dict[str, tuple[float | None, float | None]]:
    """Limits stated in a template's hint row for the fields a rule judges by them (see LIMITED_FIELDS)."""
    limits: dict[str, tuple[float | None, float | None]] = {}
    for column in mapped.columns:
        if column.field not in LIMITED_FIELDS or column.index >= len(hints):
            continue
        hint = hints[column.index]
        if match := RANGE_HINT_RE.search(hint):
            low, high = parse_amount(match[1]).value, parse_amount(match[2]).value
            if low is not None and high is not None and low <= high:
                limits.setdefault(column.field, (low, high))
        elif match := MAX_HINT_RE.search(hint):
            limits.setdefault(column.field, (None, float(match[1])))
    return limits


def _header_complaint(mapped: HeaderMap | None, searched: int) -> str:
    """Which headers of the most promising row were recognised, which ignored, which fields are missing."""
    recognised = ", ".join(repr(h) for h in mapped.recognised) if mapped else ""
    ignored = ", ".join(repr(h) for h in mapped.ignored[:12]) if mapped else ""
    missing = [f for f in PRODUCT_KEY_FIELDS if not mapped or f not in mapped.fields]
    nothing = _("nothing")
    return _("no recognisable header row in the first {count} rows: recognised {recognised}; ignored {ignored}; "
             "missing a {fields} column (map your headers to fields with a [columns] table in aelint.toml)").format(
        count=searched, recognised=recognised or nothing, ignored=ignored or nothing,
        fields=_(" or ").join(missing))


def _text(value: Any) -> str:
    """A cell value as the text a user sees: 12.0 -> '12', True -> 'TRUE', dates in ISO form."""
    kind = value.__class__
    if kind is str:
        return value
    if kind is float:  # a workbook's numbers; the branch below, reached sooner
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _split_images(value: str) -> list[str]:
    """Image references in one cell: separated by new lines, ';', '|' or (for plain lists) ','.

    At most MAX_CELL_REFERENCES are read (a cell of megabytes of references costs no more than that).
    """
    if "\n" not in value and ";" not in value and "|" not in value and "," not in value:
        value = value.strip()  # one reference, the usual cell: what _split_references gives, 6x faster
        return [value] if value else []
    return _split_references(value)


def _split_references(value: str) -> list[str]:
    """`_split_images` of any cell, one reference or several."""
    parts = []
    for match in IMAGE_REF_RE.finditer(value):
        part = match[0].strip()
        if part:
            parts.append(part)
            if len(parts) >= MAX_CELL_REFERENCES:
                break
    if len(parts) == 1 and "," in parts[0]:
        pieces = [p.strip() for p in parts[0].split(",", MAX_CELL_REFERENCES)[:MAX_CELL_REFERENCES]]
        if all(pieces) and all("." in p or "/" in p for p in pieces):
            parts = pieces
    return parts


def _add_comment_suppressions(catalog: Catalog, path: Path, sheet: str) -> None:
    """`aelint: ignore[...]` written as a cell comment suppresses like the aelint_ignore column."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return
    for row, text in comment_texts(path, sheet).items():
        if "aelint" in text.lower():
            codes = parse_suppression(text)
            if codes:
                catalog.suppressions[row] = tuple(dict.fromkeys(catalog.suppressions.get(row, ()) + codes))


def parse_suppression(value: str) -> tuple[str, ...]:
    """Codes named in an `aelint: ignore[AE101,AE2]` cell (a bare list of codes is accepted too)."""
    match = SUPPRESS_RE.search(value)
    body = match[1] if match else value
    return tuple(CODE_RE.findall(body.upper()))


def _start(display: str, sheet: str | None, multi_sheet: bool, rows: Iterator[tuple[int, list[Any]]],
           user_columns: dict[str, str], letter_offset: int | None, language: str | None,
           batch_products: int | None = None) -> _ProductBuilder:
    """Find the header of one sheet or CSV and make the catalog (no products yet) and its product builder."""
    found = _find_header(rows, user_columns, language)
    header, mapped = found.cells, found.mapped

    names = header if letter_offset is None else [column_letter(i + letter_offset) for i in range(len(header))]

    def column_name(index: int) -> str:
        return names[index] if index < len(names) else column_letter(index + (letter_offset or 0))

    columns = {f: column_name(ix[0]) for f, ix in mapped.fields.items()}
    if mapped.suppress is not None:
        columns["suppress"] = column_name(mapped.suppress)
    catalog = Catalog(path=display, sheet=sheet, header_row=found.row, columns=columns,
                      multi_sheet=multi_sheet, ignored_headers=mapped.ignored, header_rows=found.block,
                      column_readings=[replace(c, place=column_name(c.index)) for c in mapped.columns],
                      language=mapped.language,
                      currency=next((c.currency for c in mapped.columns
                                     if c.currency and c.field in ("price", "discount_price")), None),
                      required_fields=mapped.required_fields, limits=_hint_limits(found.hints, mapped))
    if letter_offset is None:  # CSV: columns are headers; reports also need their positions
        for index, name in enumerate(names):
            catalog.column_numbers.setdefault(name, index + 1)
    builder = _ProductBuilder(catalog, mapped, column_name, header, found.pending, batch_products)
    builder.remake = lambda scratch: _ProductBuilder(scratch, mapped, column_name, header)
    return builder


BARE_NUMBER_RE = re.compile(r"^\s*[+-]?\d[\d.,]*\s*$")
# Units a weight or package-side value is converted from when its header names them (kg and cm need nothing).
CONVERTED_UNITS = {"weight_kg": frozenset({"g", "lb", "oz"}),
                   **{side: frozenset({"mm", "m", "in"}) for side in
                      ("package_length_cm", "package_width_cm", "package_height_cm")}}


def _field_units(mapped: HeaderMap) -> dict[str, str]:
    """field -> the unit its header names, where values must be converted ('145' grams reads as '145 g')."""
    units: dict[str, str] = {}
    for column in mapped.columns:
        if column.unit and column.unit in CONVERTED_UNITS.get(column.field or "", ()):
            if mapped.fields.get(column.field, [None])[0] == column.index:
                units[column.field] = column.unit
    return units


def _cells_getter(indexes: list[int]) -> Callable[[Sequence[Any]], tuple]:
    """A function giving a row's cells at `indexes` as a tuple (the row reaches past the last of them)."""
    if len(indexes) > 1:
        return itemgetter(*indexes)
    return lambda row: tuple([row[i] for i in indexes])


def _read(row: list[Any], width: int, indexes: list[int]) -> str:
    """The first non-blank value among a field's columns, as text."""
    for i in indexes:
        if i < width:
            value = row[i]
            if value.__class__ is not str:
                value = _text(value)
            if value and not value.isspace():
                return value
    return ""


class _ProductBuilder:
    """Groups rows into products and SKUs as they stream past.

    With `batch_products`, `catalog.products` holds one batch at a time: when it is full and a new product
    starts, it moves to `ready` (whole products: a product's adjacent rows are all read by then) and a new
    batch begins. Rows of a product whose batch has gone (its id again, further down) raise ProductSplit.
    """

    def __init__(self, catalog: Catalog, mapped: HeaderMap, column_name, header: list[str],
                 pending: list[tuple[int, list[Any]]] = (), batch_products: int | None = None):
        self.catalog = catalog
        self.pending = pending  # data rows read while the header was looked for
        self.batch_products = batch_products
        self.ready: list[list[Product]] = []  # full batches not yet handed on
        self.done: dict[str, int] = {}  # product key -> number of its batch, once the batch is handed on
        self.handed_on = 0  # batches handed on so far
        self.column_name = column_name
        fields = mapped.fields
        self.product_id_cols = fields.get("product_id", [])
        single = [(f, ix) for f, ix in fields.items() if f not in ("main_images", "product_id")]
        # (field, its column or -1 when it has several, its columns) of the product-level and SKU-level fields
        self.product_fields = [(f, ix[0] if len(ix) == 1 else -1, ix) for f, ix in single if is_product_field(f)]
        self.sku_columns = [(f, ix[0] if len(ix) == 1 else -1, ix) for f, ix in single if not is_product_field(f)]
        self.image_cols = fields.get("main_images", [])
        self.options = list(mapped.options.values())
        self.suppress_col = mapped.suppress
        # Shopify spreads a product's images over its rows (one "Image Src" per row).
        self.images_span_rows = any(header_key(header[i]) in ("imagesrc", "productimageurl") for i in self.image_cols)
        self.image_names = {i: column_name(i) for i in self.image_cols}
        # a row's cells in the image columns, "" past its end: a product's later row repeating its first row's
        # cells (the usual case) is told by comparing them as they are
        self.image_reach = max(self.image_cols, default=-1) + 1
        self.image_cells = _cells_getter(self.image_cols)
        self.no_images = ("",) * len(self.image_cols)
        self.by_key: dict[str, Product] = {}
        self.unfilled: dict[Product, list[tuple[str, int, list[int]]]] = {}  # product fields its rows left blank so far
        self.option_names: dict[str, dict[int, str]] = {}
        self.first_images: dict[str, tuple] = {}  # product id -> its first row's raw image cells
        self.current: Product | None = None
        self.url_keys = any(header_key(header[i]) == "productlink" for i in self.product_id_cols)
        self.other_languages = [(language, name, indexes) for language, names in mapped.other_languages.items()
                                for name, indexes in names.items()]
        self.title_cols = fields.get("title", [])
        self.frame: tuple | None = None  # the CSV's polars frame and its records' lines (open_csv), if read so
        self.remake: Callable[[Catalog], _ProductBuilder] | None = None  # a builder like this one, for another catalog
        self.units = _field_units(mapped)
        # every column `add` reads a value from (by position): the others need not be made into strings
        self.columns_read = frozenset(chain(chain.from_iterable(fields.values()), self.product_id_cols,
                                            (i for pair in self.options for i in pair if i is not None and i >= 0),
                                            () if self.suppress_col is None else (self.suppress_col,),
                                            (i for _, _, indexes in self.other_languages for i in indexes)))

    def add(self, number: int, row: list[Any]) -> None:
        width = len(row)
        if row.count("") == width:
            return  # an empty row, said at once: a sheet with one cell at row 1,048,576 has a million of them
        values: dict[str, str] = {}
        for name, i, indexes in self.sku_columns:
            if i >= 0:  # a field of one column, the common case, inlined: this loop runs for every cell read
                if i >= width:
                    continue
                value = row[i]
                if value.__class__ is not str:
                    value = _text(value)
                if value and not value.isspace():
                    values[name] = value
            elif value := _read(row, width, indexes):
                values[name] = value
        options = [(name_ix, _text(row[name_ix]).strip() if 0 <= name_ix < width else "",
                    value_ix, _text(row[value_ix]).strip() if value_ix < width else "")
                   for name_ix, value_ix in self.options] if self.options else ()
        if width >= self.image_reach:
            images = self.image_cells(row)
        else:
            images = tuple([row[i] if i < width else "" for i in self.image_cols])
        if images == self.no_images:
            images = ()
        suppress = ()
        if self.suppress_col is not None and self.suppress_col < width:
            suppress = parse_suppression(_text(row[self.suppress_col]))
        key = self._product_key(row, width)
        current = self.current
        if key is not None and current is not None and key == current.product_id:
            product = current  # the product's next row, the usual case: what _product_for finds
        elif (key is None and not values and not images and not suppress and not any(o[1] or o[3] for o in options)
                and not any(_read(row, width, ix) for _, _, ix in self.product_fields)):
            return  # an empty row
        else:
            product = self._product_for(key, number)
        self.catalog.rows += 1
        first_row = product.row == number
        blank = self.product_fields if first_row else self.unfilled.get(product)
        if blank:
            self._fill_product(product, blank, row, width, number, first_row)
        if not first_row and self.title_cols:
            title = self.title_cols[0]  # a follow-on row repeating the product's title, the usual case, is done
            if title >= width or row[title] != product.values.get("title"):
                self._note_row_title(product, row, width, number)
        for language, name, indexes in self.other_languages:
            cells = product.translations.setdefault(language, {})
            if name not in cells and (value := _read(row, width, indexes)):
                cells[name] = Cell(name, value, number, self.column_name(indexes[0]))
        columns: dict[str, str] = {}
        for name_ix, name, value_ix, value in options:
            self._add_option(product, name_ix, name, value_ix, value, values, columns)
        if images and (first_row or images != self.first_images.get(product.product_id)):
            self._add_images(product, images, number, first_row, values, columns)
        if suppress:
            noted = self.catalog.suppressions.get(number)  # a cell comment's, read before the rows when streaming
            self.catalog.suppressions[number] = tuple(dict.fromkeys(suppress + noted)) if noted else suppress
        # A Shopify image-only row (blank option values carried over from the product) is no SKU.
        if not self.images_span_rows or first_row or any(values.values()):
            product.skus.append(Sku(product, number, values, columns))

    def _fill_product(self, product: Product, blank: list[tuple[str, int, list[int]]], row: list[Any], width: int,
                      number: int, first_row: bool) -> None:
        """The product-level values of the fields in `blank` this row has; the fields still blank after it are
        noted in `unfilled`, so the product's later rows look only at those."""
        values, units = product.values, self.units
        left = []
        for blank_field in blank:
            name, i, indexes = blank_field
            value = row[i] if 0 <= i < width else None
            if value.__class__ is not str or not value or value.isspace():
                value = _read(row, width, indexes)
            if value:
                if units and name in units and BARE_NUMBER_RE.match(value):
                    value = f"{value.strip()} {units[name]}"
                values[name] = value
                if not first_row:
                    product.later_rows[name] = number
            else:
                left.append(blank_field)
        if left:
            self.unfilled[product] = left
        elif not first_row:
            del self.unfilled[product]

    def _note_row_title(self, product: Product, row: list[Any], width: int, number: int) -> None:
        """A follow-on row with a title of its own, unlike the product's: kept to be linted where it stands."""
        value = _read(row, width, self.title_cols)
        title = product.values.get("title", "")
        if value and value != title and value.strip() != title.strip():
            column = next(i for i in self.title_cols if i < width and _text(row[i]).strip())
            product.row_titles.append(Cell("title", value, number, self.column_name(column)))

    def _add_option(self, product: Product, name_ix: int, name: str, value_ix: int, value: str,
                    values: dict[str, str], columns: dict[str, str]) -> None:
        """An 'Option N Name/Value' pair; follow-on rows may leave the name blank (Shopify)."""
        names = self.option_names.setdefault(product.product_id, {})
        if name:
            names.setdefault(name_ix, name)
        else:
            name = names.get(name_ix, "")
        if not name or (name.lower() == "title" and value.lower() == "default title"):
            return
        field = attribute_field(name)
        values[field] = value  # kept even when blank: the product declares this attribute
        columns[field] = self.column_name(value_ix)

    def _product_key(self, row: list[Any], width: int) -> str | None:
        for i in self.product_id_cols:
            if i < width:
                key = row[i]
                key = (key if key.__class__ is str else _text(key)).strip()
                if key:
                    return key.split("?")[0].split("#")[0] if self.url_keys else key
        return None

    def _product_for(self, key: str | None, number: int) -> Product:
        if key is None:
            if self.product_id_cols and self.current is not None:
                return self.current  # a follow-on row that leaves the product id blank
            key = f"row {number}"
        product = self.by_key.get(key)
        if product is None:
            if key in self.done:
                raise ProductSplit(key, number, self.done[key])
            if self.batch_products and len(self.catalog.products) >= self.batch_products:
                self._hand_on()
            product = Product(self.catalog, key, number)
            self.catalog.product_count += 1
            if self.product_id_cols:
                product.values["product_id"] = key
            self.by_key[key] = product
            self.catalog.products.append(product)
        self.current = product
        return product

    def _hand_on(self) -> None:
        """The current batch is full: move it to `ready`, forget its products, remember their keys."""
        batch = self.catalog.products
        self.ready.append(batch)
        if self.product_id_cols:  # without product ids every row is a product of its own: no key comes back
            self.done.update(dict.fromkeys(self.by_key, self.handed_on))
        self.handed_on += 1
        self.catalog.products = []
        self.forget_products()

    def forget_products(self) -> None:
        """Forget what the builder keeps per product (its key, option names, first images, blank fields, the
        current product): the next row starts a product afresh."""
        self.by_key, self.option_names, self.first_images, self.unfilled = {}, {}, {}, {}
        self.current = None

    def batches(self, rows: Iterator[tuple[int, list[Any]]]) -> Iterator[Sequence[Product]]:
        """The catalog's products in batches of whole products, built from the pending rows and `rows`, or
        read from the CSV's columns where the layout allows (aelint.frame_products)."""
        if self.frame is not None and self.remake is not None:
            from aelint.frame_products import fits, frame_batches

            found = frame_batches(self, *self.frame, self.remake) if fits(self) else None
            self.frame = None
            if found is not None:
                for batch in found:
                    yield from self._handed(batch)  # type: ignore[arg-type]
                return
        for number, row in chain(self.pending, rows):
            self.add(number, row)
            if self.ready:
                yield from self._handed(self.ready.pop())
        self.pending = []
        last = self.catalog.products
        if last:
            yield from self._handed(last)
        self.catalog.products = []

    def _handed(self, batch: list[Product]) -> Iterator[list[Product]]:
        """Yield the batch with `catalog.products` set to it while it is linted."""
        upcoming, self.catalog.products = self.catalog.products, batch
        yield batch
        self.catalog.products = upcoming

    def _add_images(self, product: Product, images: tuple, number: int, first_row: bool,
                    values: dict[str, str], columns: dict[str, str]) -> None:
        """Main images from a product's first row; later rows add theirs (Shopify) or give a SKU's image."""
        if first_row:
            self.first_images[product.product_id] = images
        names = self.image_names
        cells = [new_cell(Cell, ("main_images", ref, number, names[i]))
                 for value, i in zip(images, self.image_cols) if value != ""
                 for ref in _split_images(value if value.__class__ is str else _text(value))]
        if not cells:
            return
        main = product.images.get("main_images")
        if main is None:
            product.images["main_images"] = cells
            product.values["main_images"] = "; ".join([c.value for c in cells])
            if not first_row:
                product.later_rows["main_images"] = number
        elif self.images_span_rows:
            known = {c.value for c in main}
            main.extend(c for c in cells if c.value not in known)
        elif not first_row and "variant_image" not in values:
            # A SKU row with pictures of its own in the image columns (the dropshipping sheet's
            # Image_link_1): its first picture is the SKU's image, even when the gallery shows it too.
            values["variant_image"] = cells[0].value
            columns["variant_image"] = cells[0].column
