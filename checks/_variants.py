"""Helpers the variant, price and stock checks (AE5xx) share: attribute names and values, parsed amounts.

Not a check (the leading underscore keeps the registry from loading it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from aelint.i18n import _, N_
from aelint.model import Catalog, Product, Sku
from aelint.numbers import Amount, cents_exact, format_number, parse_amount

SPACES_RE = re.compile(r"\s+")


def label(name: str) -> str:
    """How an attribute field reads in a message: 'color' -> 'Color', 'attr:Material' -> 'Material'."""
    if name.startswith("attr:"):
        return name[5:]
    return name.capitalize()


def name_key(name: str) -> str:
    """Attribute names compared without case: 'attr:Material' and 'attr:material' are one attribute."""
    return name.casefold()


@lru_cache(maxsize=1 << 16)
def value_key(value: str) -> str:
    """Attribute values as a buyer tells them apart: case and spacing do not count ('Red ' == 'red')."""
    return SPACES_RE.sub(" ", value).strip().casefold()


def is_attribute(field: str) -> bool:
    return field == "color" or field == "size" or field.startswith("attr:")


def _attribute_fields(catalog: Catalog) -> tuple[tuple[str, str], ...]:
    """The catalog's attribute columns (color, size, attr:X mapped from headers) with their name keys."""
    return tuple((f, name_key(f)) for f in catalog.columns if is_attribute(f))


def attributes(sku: Sku) -> dict[str, tuple[str, str]]:
    """The SKU's variant attributes by name key: (field name, value); a declared blank value is ''.

    Attributes come from the catalog's attribute columns and from the row's own Option N Name/Value
    pairs (which the reader records in `sku.columns`), so other fields are never scanned.
    """
    values = sku.values
    found: dict[str, tuple[str, str]] = {}
    for field, key in sku.product.catalog.shared(_attribute_fields):
        value = values.get(field)
        if value is not None:
            found[key] = (field, value.strip())
    for field in sku.columns:
        if is_attribute(field):
            value = values.get(field)
            if value is not None:
                found.setdefault(name_key(field), (field, value.strip()))
    return found


class Variants:
    """A product's SKU attributes, computed once and shared by the AE5xx checks of that product."""

    __slots__ = ("rows", "declared", "filled", "counts", "complete", "_signatures")

    def __init__(self, product: Product):
        self.rows = rows = [attributes(sku) for sku in product.skus]  # per SKU, in SKU order
        self._signatures: list[tuple[str, ...]] | None = None
        first = rows[0] if rows else {}
        names = first.keys()
        for row in rows:  # plain loops: this runs for every product
            if row.keys() != names:
                break
            for _, value in row.values():
                if not value:
                    break
            else:
                continue
            break
        else:  # the common case: every SKU has a value for the same attributes
            self.declared = self.filled = {k: f for k, (f, _) in first.items()}
            self.counts = dict.fromkeys(names, len(rows))
            self.complete = True
            return
        declared: dict[str, str] = {}  # every name key on some SKU -> field, first-seen order
        counts: dict[str, int] = {}  # name key -> how many SKUs have a value for it
        for row in rows:
            for key, (field, value) in row.items():
                if key not in declared:
                    declared[key] = field
                    counts[key] = 0
                if value:
                    counts[key] += 1
        self.declared = declared  # every name key on some SKU -> field, first-seen order
        self.counts = counts  # name key -> how many SKUs have a value for it
        self.filled = {k: f for k, f in declared.items() if counts[k]}  # with a value on some SKU
        self.complete = False  # some SKU lacks a value some other SKU has, or one is declared blank

    @property
    def signatures(self) -> list[tuple[str, ...]]:
        """Per SKU, its values of the declared attributes as a buyer tells them apart ('' when blank)."""
        if self._signatures is None:
            names = list(self.declared)
            self._signatures = [tuple(value_key(row[n][1]) if n in row else "" for n in names)
                                for row in self.rows]
        return self._signatures


def variants(product: Product) -> Variants:
    """The product's attribute table, built once and shared by AE503, AE504, AE507 and AE511."""
    return product.shared(Variants)


@dataclass(frozen=True, slots=True)
class Reading:
    """A price or stock cell read for the AE5xx checks: the number meant, and what is wrong with it."""

    value: float | None  # the number the seller means; None when it cannot be told
    problem: str = ""  # "" when the cell is a valid price/stock; else a message template (see `message`)
    details: tuple[tuple[str, str], ...] = ()  # the template's placeholder values

    def message(self) -> str:
        """What is wrong, in the run's language: "'1,250' could be 1250 or 1.25: write it without ..."."""
        return _(self.problem).format(**dict(self.details))


PRICE_MIN, PRICE_MAX = 0.01, 100_000  # AliExpress's product API; the marketplace's maximum is the price_max option
STOCK_MAX = 999_999  # AliExpress's product API; AE506's option


def _valid_stock(value: float, maximum: float) -> bool:
    return 0 <= value <= maximum and value.is_integer()


def _resolve(parsed: Amount, valid) -> float | None:
    """An ambiguous number read the one way that makes a valid value; None if both or neither do.

    Used for stock only: a count of 1.5 does not exist, so '1.500' is 1500. A price of 9.999 does not
    exist either, but a seller may have typed a third decimal by mistake, so prices are not resolved.
    """
    readings = [v for v in (parsed.value, parsed.alternative) if v is not None and valid(v)]
    return readings[0] if len(readings) == 1 else None


def price_reading(text: str, marketplace: str = "AliExpress", maximum: float = PRICE_MAX) -> Reading:
    """A price cell: clear forms ('12,50', '$14.06', '1.250,00 €') are read; '1,250', '1.250' are ambiguous.
    Limits are `marketplace`'s (named in the message): at least 0.01, at most `maximum`."""
    return _price_reading(text, marketplace, maximum)  # one cache entry per text, however it is called


@lru_cache(maxsize=1 << 16)
def _price_reading(text: str, marketplace: str, maximum: float) -> Reading:
    parsed = parse_amount(text)
    shown = (("value", repr(text.strip())),)
    if parsed.value is None:
        return _unreadable(parsed, text)
    value = parsed.value
    if parsed.ambiguous:  # even when one reading is invalid: '9.999' may be a typo as much as 9999
        return _ambiguous(text, parsed)
    if value < PRICE_MIN:
        return Reading(value, N_("{value} is below {marketplace}'s minimum of 0.01"),
                       (*shown, ("marketplace", marketplace)))
    if value > maximum:
        return Reading(value, N_("{value} is above {marketplace}'s maximum of {maximum}"),
                       (*shown, ("marketplace", marketplace), ("maximum", format_number(maximum))))
    if not cents_exact(value):
        return Reading(value, N_("{value} has more than 2 decimals"), shown)
    return Reading(value)


def _unreadable(parsed: Amount, text: str) -> Reading:
    if parsed.note == "empty":
        return Reading(None, N_("is empty"))
    return Reading(None, N_("{value} is not a number"), (("value", repr(text.strip())),))


def _ambiguous(text: str, parsed: Amount) -> Reading:
    return Reading(None, N_("{value} could be {first} or {second}: write it without a thousands separator"),
                   (("value", repr(text.strip())), ("first", format_number(parsed.value)),
                    ("second", format_number(parsed.alternative))))


def stock_reading(text: str, marketplace: str = "AliExpress", maximum: float = STOCK_MAX) -> Reading:
    """A stock cell: a whole number from 0 to `maximum` (`marketplace`'s, named in the message); '1.500' is
    1500 (1.5 is no stock), '1,000' is ambiguous."""
    return _stock_reading(text, marketplace, maximum)


@lru_cache(maxsize=1 << 16)
def _stock_reading(text: str, marketplace: str, maximum: float) -> Reading:
    parsed = parse_amount(text)
    shown = (("value", repr(text.strip())),)
    if parsed.value is None:
        return _unreadable(parsed, text)
    if parsed.currency:
        return Reading(None, N_("{value} is a money amount, not a quantity"), shown)
    value = parsed.value
    if parsed.ambiguous:
        value = _resolve(parsed, lambda v: _valid_stock(v, maximum))
        if value is None:
            return _ambiguous(text, parsed)
    if not value.is_integer():
        return Reading(value, N_("{value} is not a whole number"), shown)
    if value < 0:
        return Reading(value, N_("{value} is negative"), shown)
    if value > maximum:
        return Reading(value, N_("{value} is above {marketplace}'s maximum of {maximum}"),
                       (*shown, ("marketplace", marketplace), ("maximum", format_number(maximum))))
    return Reading(value)


def plain_price(column):
    """For columnar pre-tests: the price a cell plainly holds (a plain decimal with at most 2 decimals,
    0.01-100000: `price_reading` finds nothing wrong and reads exactly that), null for anything else."""
    import polars as pl

    from aelint.numbers import plain_number

    value = plain_number(column, decimals=2)
    return pl.when(value.is_between(PRICE_MIN, PRICE_MAX)).then(value)


def plain_stock(column):
    """For columnar pre-tests: the stock a cell plainly holds (digits only, 0-999999: `stock_reading`
    finds nothing wrong and reads exactly that), null for anything else."""
    import polars as pl

    return pl.when(column.str.contains("^[0-9]{1,6}$")).then(column.cast(pl.Float64, strict=False))
