"""Reading catalogs: workbooks (python-calamine) and CSV/TSV feeds into a `Catalog` of products and SKUs.

The reader finds the header row (templates carry title and instruction rows above it), maps headers to
canonical fields, groups SKU rows into products and keeps every value's row and column as the user sees
them. Anything it cannot read raises `CatalogError`, which the CLI turns into one line and exit code 2.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from aelint.catalog_files import CatalogError, column_letter, comment_texts, open_csv_rows, open_workbook_rows
from aelint.gcpause import paused_gc
from aelint.headers import HeaderMap, attribute_field, header_key, match_header
from aelint.model import PRODUCT_FIELDS, Catalog, Cell, Product, Sku

HEADER_SEARCH_ROWS = 30
IMAGE_REF_RE = re.compile(r"[^\n;|]+")
MAX_CELL_REFERENCES = 1000  # AliExpress keeps 6 main images; AE302 reports any count above that
SUPPRESS_RE = re.compile(r"ignore\[([^\]]*)\]", re.IGNORECASE)
CODE_RE = re.compile(r"[A-Z]{2,4}[0-9]{0,3}")
PRODUCT_KEY_FIELDS = ("title", "product_id", "sku_code")

__all__ = ["CatalogError", "read_catalog", "column_letter"]


def read_catalog(path: Path, display: str, columns: dict[str, str] | None = None,
                 sheet: str | None = None) -> Catalog:
    """Read one catalog file; `display` is the path as reports show it."""
    with paused_gc():
        return _read_catalog(path, display, columns or {}, sheet)


def _read_catalog(path: Path, display: str, columns: dict[str, str], sheet: str | None) -> Catalog:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        rows = open_csv_rows(path, display, tab=suffix == ".tsv")
        try:
            return _build(display, None, False, rows, columns, letter_offset=None)
        except _NoHeader as error:
            raise CatalogError(display, str(error)) from None
    sheets = open_workbook_rows(path, display, sheet)
    first_error: CatalogError | None = None
    for name, open_rows in sheets:
        rows, offset = open_rows()
        try:
            catalog = _build(display, name, len(sheets) > 1, rows, columns, letter_offset=offset)
            _add_comment_suppressions(catalog, path, name)
            return catalog
        except _NoHeader as error:
            first_error = first_error or CatalogError(display, f"sheet {name!r}: {error}")
    raise first_error or CatalogError(display, "the workbook has no sheets")


class _NoHeader(Exception):
    pass


def _find_header(rows: Iterator[tuple[int, list[Any]]], columns: dict[str, str]
                 ) -> tuple[int, list[str], HeaderMap, list[tuple[int, list[Any]]]]:
    """Look at the first rows for the one that maps best to fields; return it and the rows read past it."""
    seen: list[tuple[int, list[Any]]] = []
    usable: tuple[int, HeaderMap] | None = None  # (position in seen, map)
    best_any: HeaderMap | None = None
    for number, row in rows:
        seen.append((number, row))
        mapped = match_header([_text(v) for v in row], columns)
        if best_any is None or mapped.score > best_any.score:
            best_any = mapped
        if (mapped.score >= 2 and any(f in mapped.fields for f in PRODUCT_KEY_FIELDS)
                and (usable is None or mapped.score > usable[1].score)):
            usable = (len(seen) - 1, mapped)
        if len(seen) >= HEADER_SEARCH_ROWS:
            break
    if usable is None:
        raise _NoHeader(_header_complaint(best_any, len(seen)))
    position, mapped = usable
    number, row = seen[position]
    return number, [_text(v) for v in row], mapped, seen[position + 1:]


def _header_complaint(mapped: HeaderMap | None, searched: int) -> str:
    """Which headers of the most promising row were recognised, which ignored, which fields are missing."""
    recognised = ", ".join(repr(h) for h in mapped.recognised) if mapped else ""
    ignored = ", ".join(repr(h) for h in mapped.ignored[:12]) if mapped else ""
    missing = [f for f in PRODUCT_KEY_FIELDS if not mapped or f not in mapped.fields]
    return (f"no recognisable header row in the first {searched} rows: recognised {recognised or 'nothing'}; "
            f"ignored {ignored or 'nothing'}; missing a {' or '.join(missing)} column "
            "(map your headers to fields with a [columns] table in aelint.toml)")


def _text(value: Any) -> str:
    """A cell value as the text a user sees: 12.0 -> '12', True -> 'TRUE', dates in ISO form."""
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


def _build(display: str, sheet: str | None, multi_sheet: bool, rows: Iterable[tuple[int, list[Any]]],
           user_columns: dict[str, str], letter_offset: int | None) -> Catalog:
    """Build the catalog of one sheet or CSV; workbook columns are letters (rows start at `letter_offset`)."""
    rows = iter(rows)
    header_row, header, mapped, pending = _find_header(rows, user_columns)

    names = header if letter_offset is None else [column_letter(i + letter_offset) for i in range(len(header))]

    def column_name(index: int) -> str:
        return names[index] if index < len(names) else column_letter(index + (letter_offset or 0))

    columns = {f: column_name(ix[0]) for f, ix in mapped.fields.items()}
    if mapped.suppress is not None:
        columns["suppress"] = column_name(mapped.suppress)
    catalog = Catalog(path=display, sheet=sheet, header_row=header_row, columns=columns,
                      multi_sheet=multi_sheet, ignored_headers=mapped.ignored)
    builder = _ProductBuilder(catalog, mapped, column_name, header)
    for number, row in pending:
        builder.add(number, row)
    for number, row in rows:
        builder.add(number, row)
    return catalog


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
    """Groups rows into products and SKUs as they stream past."""

    def __init__(self, catalog: Catalog, mapped: HeaderMap, column_name, header: list[str]):
        self.catalog = catalog
        self.column_name = column_name
        fields = mapped.fields
        self.product_id_cols = fields.get("product_id", [])
        single = [(f, ix) for f, ix in fields.items() if f not in ("main_images", "product_id")]
        self.product_fields = [(f, ix) for f, ix in single if f in PRODUCT_FIELDS]
        self.sku_fields = [(f, ix) for f, ix in single if f not in PRODUCT_FIELDS]
        self.image_cols = fields.get("main_images", [])
        self.options = list(mapped.options.values())
        self.suppress_col = mapped.suppress
        # Shopify spreads a product's images over its rows (one "Image Src" per row).
        self.images_span_rows = any(header_key(header[i]) == "imagesrc" for i in self.image_cols)
        self.by_key: dict[str, Product] = {}
        self.option_names: dict[str, dict[int, str]] = {}
        self.first_images: dict[str, tuple] = {}  # product id -> its first row's raw image cells
        self.current: Product | None = None
        self.url_keys = any(header_key(header[i]) == "productlink" for i in self.product_id_cols)

    def add(self, number: int, row: list[Any]) -> None:
        width = len(row)
        values: dict[str, str] = {}
        for name, indexes in self.sku_fields:
            if len(indexes) == 1:  # the common case, inlined: this loop runs for every cell read
                i = indexes[0]
                if i >= width:
                    continue
                value = row[i]
                if value.__class__ is str:
                    if value and not value.isspace():
                        values[name] = value
                    continue
            value = _read(row, width, indexes)
            if value:
                values[name] = value
        options = [(name_ix, _text(row[name_ix]).strip() if 0 <= name_ix < width else "",
                    value_ix, _text(row[value_ix]).strip() if value_ix < width else "")
                   for name_ix, value_ix in self.options]
        images = tuple((row[i], i) for i in self.image_cols if i < width and row[i] != "")
        suppress = ()
        if self.suppress_col is not None and self.suppress_col < width:
            suppress = parse_suppression(_text(row[self.suppress_col]))
        key = self._product_key(row, width)
        if (key is None and not values and not images and not suppress and not any(o[1] or o[3] for o in options)
                and not any(_read(row, width, ix) for _, ix in self.product_fields)):
            return  # an empty row
        self.catalog.rows += 1
        product = self._product_for(key, number)
        first_row = product.row == number
        for name, indexes in self.product_fields:
            if name not in product.values:
                value = row[indexes[0]] if len(indexes) == 1 and indexes[0] < width else None
                if value.__class__ is not str or not value or value.isspace():
                    value = _read(row, width, indexes)
                if value:
                    product.values[name] = value
                    if not first_row:
                        product.later_rows[name] = number
        columns: dict[str, str] = {}
        for name_ix, name, value_ix, value in options:
            self._add_option(product, name_ix, name, value_ix, value, values, columns)
        if images and (first_row or images != self.first_images.get(product.product_id)):
            self._add_images(product, images, number, first_row, values, columns)
        if suppress:
            self.catalog.suppressions[number] = suppress
        # A Shopify image-only row (blank option values carried over from the product) is no SKU.
        if any(values.values()) or not self.images_span_rows or first_row:
            product.skus.append(Sku(product, number, values, columns))

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
                key = _text(row[i]).strip()
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
            product = Product(self.catalog, key, number)
            if self.product_id_cols:
                product.values["product_id"] = key
            self.by_key[key] = product
            self.catalog.products.append(product)
        self.current = product
        return product

    def _add_images(self, product: Product, images: tuple, number: int, first_row: bool,
                    values: dict[str, str], columns: dict[str, str]) -> None:
        """Main images from a product's first row; later rows add theirs (Shopify) or give a SKU's image."""
        if first_row:
            self.first_images[product.product_id] = images
        cells = [Cell("main_images", ref, number, self.column_name(i))
                 for value, i in images for ref in _split_images(_text(value))]
        if not cells:
            return
        main = product.images.get("main_images")
        if main is None:
            product.images["main_images"] = cells
            product.values["main_images"] = "; ".join(c.value for c in cells)
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
