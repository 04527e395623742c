"""The catalog as checks see it: files of products, products of SKU rows, every value with its place.

Plain classes, built once by the reader and never changed by checks. Work several checks share
(normalised title words, for instance) is computed lazily here, once per product.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, NamedTuple, TypeVar

from aelint import text
from aelint.i18n import _
from aelint.numbers import currency_code

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
T = TypeVar("T")

# Fields that describe the product as a whole; the others describe one SKU row.
PRODUCT_FIELDS = frozenset({
    "product_id", "title", "category", "brand", "description", "main_images",
    "marketing_image_square", "marketing_image_portrait", "weight_kg", "package_length_cm",
    "package_width_cm", "package_height_cm", "shipping_template", "processing_days",
    "tags", "landing_page_url", "shipping_time", "selling_method", "lot_size", "logistics_type",
    "bulk_discount", "bulk_order",
})
SKU_FIELDS = frozenset({
    "price", "discount_price", "stock", "sku_code", "color", "size", "variant_image",
    "msrp", "shipping_price", "barcode", "in_stock", "seller_color_name", "currency",
})
CANONICAL_FIELDS = PRODUCT_FIELDS | SKU_FIELDS
PRODUCT_ATTRIBUTE = "product_attr:"  # prefix of a product-level attribute column (category attributes)


def prices_in(currency: str | None) -> str:
    """' (prices in CNY)' for a known currency (a row's, or the price header's: limits are judged in it), else ''."""
    return _(" (prices in {currency})").format(currency=currency) if currency else ""


def is_product_field(name: str) -> bool:
    """Whether a field describes the product as a whole (else one SKU row)."""
    return name in PRODUCT_FIELDS or name.startswith(PRODUCT_ATTRIBUTE)


IMAGE_FIELDS = ("main_images", "variant_image", "marketing_image_square", "marketing_image_portrait")


class Cell(NamedTuple):
    """One value of one field, with the place a user finds it: row as shown, column letter or header.

    A named tuple, not a frozen dataclass: one is made for every image reference read and every cell a rule
    points at (160k image cells in the 100k-row benchmark), and a named tuple is made 2.4x faster."""

    field: str
    value: str
    row: int
    column: str


@dataclass(frozen=True, slots=True)
class Column:
    """How one column of a header row is read: its field (None: ignored) and what the header says about it."""

    index: int
    header: str
    field: str | None
    required: bool = False
    language: str | None = None
    unit: str | None = None
    currency: str | None = None
    group: str = ""  # the template's group title over the column
    place: str = ""  # the column as diagnostics name it: letter (workbook) or header (CSV)

    @property
    def level(self) -> str | None:
        """'product' or 'sku' for a field, None for an ignored column or the suppression column."""
        if not self.field or self.field == "suppress":
            return None
        if self.field.startswith("option "):
            return "sku"
        return "product" if is_product_field(self.field) else "sku"


@dataclass(frozen=True, slots=True)
class Fix:
    """A safe correction: the field's new value."""

    field: str
    value: str


class Problem(NamedTuple):
    """What a check yields: a message about a product, a SKU row or one cell.

    `severity` is set only by rules whose default depends on the case (AE105, AE302); the engine
    applies the user's overrides on top. A named tuple (as Cell and Diagnostic): made once per finding.
    """

    message: str
    product: Product | None = None
    sku: Sku | None = None
    cell: Cell | None = None
    fix: Fix | None = None
    severity: Severity | None = None


class Diagnostic(NamedTuple):
    """A finished diagnostic as reporters print it (see the JSON report schema).

    A named tuple, as Cell: a run makes one for every finding (60k on the 100k-row benchmark), which the
    engine builds as a tuple of these fields (Engine._fields) and a named tuple takes as it is, where a
    frozen dataclass's __init__ cost 2 us each. Change one with `_replace`."""

    code: str
    rule: str
    severity: Severity
    message: str
    path: str
    sheet: str | None
    row: int | None
    column: str | None
    field: str | None
    product_id: str | None
    sku_code: str | None
    fix: Fix | None = None
    multi_sheet: bool = False  # the workbook has several sheets: text output names the sheet
    column_number: int | None = None  # 1-based position of the column (A = 1; a CSV header's place)
    cell_value: str | None = None  # the value of the cell pointed at, as read (for --fix and --baseline)


class Sku:
    """One SKU row: its own non-empty values by canonical field (attributes as `color`, `size`, `attr:X`)."""

    __slots__ = ("product", "row", "values", "columns")

    def __init__(self, product: Product, row: int, values: dict[str, str], columns: dict[str, str]):
        self.product = product
        self.row = row
        self.values = values
        self.columns = columns  # field -> column, only where it differs from the file's usual column

    def get(self, name: str) -> str:
        """The row's value for a field, falling back to the product's value for product fields."""
        value = self.values.get(name)
        if value is None and is_product_field(name):
            return self.product.get(name)
        return value or ""

    def cell(self, name: str) -> Cell:
        """The field's cell on this row (product fields inherited from the product's row)."""
        if name not in self.values and is_product_field(name):
            return self.product.cell(name)
        column = self.columns.get(name) or self.product.catalog.columns.get(name, name)
        return Cell(name, self.values.get(name, ""), self.row, column)

    @property
    def sku_code(self) -> str:
        return self.values.get("sku_code", "")

    @property
    def currency(self) -> str | None:
        """What the row's prices are in: its own currency cell (Wish 2021's `Currency`) as an ISO code, else its
        product's (`Product.currency`); None when its own cell is no currency code (its prices cannot be
        compared with any other), "" when nothing says."""
        own = self.values.get("currency")
        return self.product.currency if own is None else currency_code(own)

    @property
    def currency_note(self) -> str:
        """' (prices in EUR)' when the row's currency is known, else ''."""
        return prices_in(self.currency)

    @property
    def attributes(self) -> dict[str, str]:
        """Variant attributes of this row: color, size and attr:NAME, by field name."""
        return {k: v for k, v in self.values.items() if k in ("color", "size") or k.startswith("attr:")}

    def __repr__(self) -> str:
        return f"Sku(row={self.row}, values={self.values!r})"


class Product:
    """One product (SPU): product-level values taken from its first row that has them, and its SKU rows.

    A product may also carry texts that are linted like its title and description but stand elsewhere:
    the same fields in other languages (`Product name (Russian)`) and titles of follow-on SKU rows that
    differ from the product's. `views()` gives each as a product of its own for the title/description rules.
    """

    def __init__(self, catalog: Catalog, product_id: str, row: int):
        self.catalog = catalog
        self.product_id = product_id
        self.row = row
        self.values: dict[str, str] = {}
        self.later_rows: dict[str, int] = {}  # field -> row, for values not taken from the product's first row
        self.columns: dict[str, str] = {}  # field -> column, only where it differs from the file's usual column
        self.images: dict[str, list[Cell]] = {}
        self.skus: list[Sku] = []
        self.language: str | None = catalog.language  # language of the title/description, where headers say it
        self.translations: dict[str, dict[str, Cell]] = {}  # language -> field -> cell (other-language columns)
        self.row_titles: list[Cell] = []  # follow-on rows whose own title differs from the product's
        self._shared: dict[Callable, object] | None = None  # made on first use: most products need none

    def shared(self, build: Callable[[Product], T]) -> T:
        """`build(product)`, computed once for the rules that share it (the AE5xx variant table, say); the
        engine drops it with `release_shared` once the product's per-product rules are done."""
        shared = self._shared
        if shared is None:
            shared = self._shared = {}
        elif build in shared:
            return shared[build]  # type: ignore[return-value]
        found = shared[build] = build(self)
        return found

    def release_shared(self) -> None:
        self._shared = None

    def views(self) -> list[Product]:
        """The product's other texts as products of their own: one per other language, one per differing
        follow-on title. They share the SKUs and images; diagnostics on them point at their own cells."""
        views = []
        for language, cells in self.translations.items():
            views.append(self._view(cells.values(), language))
        for cell in self.row_titles:
            views.append(self._view([cell], self.language))
        return views

    def _view(self, cells, language: str | None) -> Product:
        view = Product(self.catalog, self.product_id, self.row)
        view.values = {k: v for k, v in self.values.items() if k not in ("title", "description")}
        view.later_rows = dict(self.later_rows)
        view.images, view.skus, view.language = self.images, self.skus, language
        for cell in cells:
            view.values[cell.field] = cell.value
            view.columns[cell.field] = cell.column
            if cell.row != self.row:
                view.later_rows[cell.field] = cell.row
        return view

    def get(self, name: str) -> str:
        """The product's value for a product-level field, "" when blank."""
        return self.values.get(name, "")

    def cell(self, name: str) -> Cell:
        """Where the product's value for a field stands (its first row if blank); made on demand."""
        row = self.later_rows.get(name, self.row)
        column = self.columns.get(name) or self.catalog.columns.get(name, name)
        return Cell(name, self.values.get(name, ""), row, column)

    def image_cells(self, name: str) -> list[Cell]:
        """The image references of a product image field, one cell each (a main-images cell may hold several)."""
        if name == "main_images":
            return self.images.get(name, [])
        return [self.cell(name)] if name in self.values else []

    @property
    def title(self) -> str:
        return self.values.get("title", "")

    @cached_property
    def currency(self) -> str | None:
        """What the product's prices are in where a row does not say: the currency cell of its first row that
        has one (as `Sku.currency` reads it: a file may name it once per product), else the price header's;
        "" when nothing says."""
        own = next((sku.values["currency"] for sku in self.skus if "currency" in sku.values), None)
        return (self.catalog.currency or "") if own is None else currency_code(own)

    @cached_property
    def title_words(self) -> list[str]:
        """Folded (lower case, no accents) word tokens of the title, computed once."""
        return text.words(self.title)

    @cached_property
    def description_text(self) -> str:
        """The description's visible text (HTML tags dropped, entities decoded), computed once."""
        return text.strip_html(self.get("description"))

    @cached_property
    def description_for_words(self) -> str:
        """The description for a cheap test on its words: as written (a tag only adds harmless words), with
        its HTML entities decoded, named or numeric, as they may spell a letter ('V&aacute;pe' -> 'Vápe')."""
        return text.entities_decoded(self.get("description"))

    @cached_property
    def attribute_values(self) -> list[Cell]:
        """Distinct non-empty variant attribute values of the product's SKUs, each with its first cell."""
        seen: dict[str, Cell] = {}
        for sku in self.skus:
            for name, value in sku.attributes.items():
                if value and value not in seen:
                    seen[value] = sku.cell(name)
        return list(seen.values())

    def __repr__(self) -> str:
        return f"Product({self.product_id!r}, row={self.row}, skus={len(self.skus)})"


@dataclass
class Catalog:
    """One catalog file (one sheet of a workbook) as read, with its products and how its headers were understood."""

    path: str
    sheet: str | None
    header_row: int
    columns: dict[str, str]  # canonical field -> column letter (workbook) or header (CSV)
    multi_sheet: bool = False
    products: list[Product] = field(default_factory=list)
    rows: int = 0
    product_count: int = 0  # products read (when streamed, `products` holds only the batch being linted)
    ignored_headers: list[str] = field(default_factory=list)
    column_numbers: dict[str, int] = field(default_factory=dict)  # CSV header -> 1-based position
    # What the header block said: its rows (group titles, hints, field names), each column's reading,
    # the language of the main title/description columns, the price currency, the fields marked required.
    header_rows: tuple[int, ...] = ()
    column_readings: list[Column] = field(default_factory=list)
    language: str | None = None
    currency: str | None = None
    required_fields: frozenset[str] | None = None  # None: no template marks; aelint's own required set applies
    limits: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)  # from hint rows

    # Facts about image files, by reference, filled by the image probe before checks run.
    images: dict = field(default_factory=dict)
    # Rows carrying a suppression (aelint_ignore cell or cell comment): row -> codes or prefixes; which were used,
    # and which rule codes ran (both filled by the engine, for the unused-suppression rule).
    suppressions: dict[int, tuple[str, ...]] = field(default_factory=dict)
    used_suppressions: set[tuple[int, str]] = field(default_factory=set)
    ran_codes: set[str] = field(default_factory=set)
    _shared: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def shared(self, build: Callable[[Catalog], T]) -> T:
        """`build(catalog)`, computed once for the rules that share it (the title table of AE601 and AE509)."""
        try:
            return self._shared[build]
        except KeyError:
            found = self._shared[build] = build(self)
            return found

    def release_shared(self) -> None:
        """Drop what `shared` built: the engine calls it once every rule has judged the catalog."""
        self._shared.clear()
