"""Reading numbers as sellers write them: '12,50' (decimal comma), '$14.06', '1.250,00 €', '1 Pound'.

`parse_amount` returns the value a seller means and says what was unusual or ambiguous about the text,
so price/stock/logistics checks can parse what is clear and flag what is not:

- '12.50', '12,50', '$12.50', '12,50 €', 'US $12.50', '1,250.00', '1.250,00', '1 250,00', "1'250.00",
  '1,250,000' and '1.250.000' are clear;
- '1,250' and '1.250' are ambiguous: a thousands separator (1250) or a decimal mark (1.25)? `value` holds
  the US reading (comma groups thousands, dot is the decimal mark) and `alternative` the other one.
  '0,250', '1,2500' and '1234,567' are not ambiguous (no one groups thousands like that);
- '1.2.3', '1,25,000' (groups not of three), '12-15', '10%', 'abc' are not numbers.

Results are cached by text: a catalog repeats the same few prices and stocks on thousands of rows, and
several checks (invalid-price, sku-price-deception, price-outlier...) read the same cell.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

CURRENCY_MARK_RE = re.compile(
    r"(?:R\$|US\s?\$|C\$|A\$|HK\$|NZ\$|S\$|[$€£¥₽₹₩₺₴₪฿₫])"
    r"|\b(?:USD|EUR|GBP|CNY|RMB|RUB|BRL|MXN|PLN|CAD|AUD|JPY|KRW|TRY|UAH|US|руб|zł|zl|kr)\b\.?",
    re.IGNORECASE)
# Currencies a header may name ("Price, CNY*"): a closed list, as a header's tail may be any word.
CURRENCIES = frozenset(
    "USD EUR CNY RUB GBP BRL MXN PLN CAD AUD JPY KRW TRY UAH KZT BYN ILS CHF SEK NOK DKK CZK HUF RON INR IDR "
    "THB VND MYR PHP SGD HKD NZD SAR AED CLP COP PEN ARS ZAR".split())
CURRENCY_ALIASES = {"RMB": "CNY"}
CURRENCY_CODE_RE = re.compile(r"^[A-Z]{3}$")
NUMBER_RE = re.compile(r"^[+-]?(?:\d[\d.,' \u00a0\u202f]*\d|\d)$")
SCIENTIFIC_RE = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+$")
LEADING_MARK_RE = re.compile(r"^([+-]?)([.,]\d)")
GROUPING_SPACES = str.maketrans("", "", " '\u00a0\u202f")
UNIT_RE = re.compile(r"^\s*([+-]?[\d.,]+)\s*([a-zA-Z]+)?\.?\s*$")

KG_PER_UNIT = {"kg": 1.0, "kgs": 1.0, "kilo": 1.0, "kilos": 1.0, "kilogram": 1.0, "kilograms": 1.0,
               "g": 0.001, "gr": 0.001, "gram": 0.001, "grams": 0.001, "lb": 0.45359237, "lbs": 0.45359237,
               "pound": 0.45359237, "pounds": 0.45359237, "oz": 0.028349523, "ounce": 0.028349523,
               "ounces": 0.028349523}
CM_PER_UNIT = {"cm": 1.0, "mm": 0.1, "m": 100.0, "in": 2.54, "inch": 2.54, "inches": 2.54, "ft": 30.48}


def currency_code(text: str) -> str | None:
    """A currency cell (Wish's per-row `Currency`) as an ISO 4217 code: ' eur ' -> 'EUR', 'RMB' -> 'CNY'; None
    for text that is no three-letter code ('Euro', '€', 'US$'). Any three letters pass: the list above is
    only what headers are searched for, and a real code missing from it must not be refused."""
    word = text.strip().upper()
    word = CURRENCY_ALIASES.get(word, word)
    return word if CURRENCY_CODE_RE.match(word) else None


@dataclass(frozen=True, slots=True)
class Amount:
    """A parsed number: `value` is None when the text is not a number; `note` says what was unusual."""

    value: float | None
    note: str = ""  # e.g. "decimal comma", "currency symbol"; "empty" or "not a number" when value is None
    ambiguous: bool = False  # '1,250': 1250 or 1.25?
    decimals: int = 0  # digits after the decimal mark, as written
    alternative: float | None = None  # the other reading of an ambiguous number
    currency: bool = False  # a currency symbol or code was removed

    @property
    def is_number(self) -> bool:
        return self.value is not None

    @property
    def cents_exact(self) -> bool:
        """Whether the value has at most 2 decimals (float noise such as 12.990000000000002 ignored)."""
        return self.value is not None and cents_exact(self.value)

    @property
    def whole(self) -> bool:
        """Whether the value is a whole number (12, '12.0', '1.000.000')."""
        return self.value is not None and math.isfinite(self.value) and float(self.value).is_integer()

    def describe(self, text: str) -> str:
        """How an ambiguous amount can be read: "'1,250' could be 1250 or 1.25"."""
        if not self.ambiguous:
            return repr(text.strip())
        return f"{text.strip()!r} could be {format_number(self.value)} or {format_number(self.alternative)}"


def cents_exact(value: float) -> bool:
    """Whether a number has at most 2 decimals, ignoring float noise (12.990000000000002 has 2)."""
    return math.isfinite(value) and abs(value - round(value, 2)) <= 1e-9 * max(1.0, abs(value))


def format_number(value: float | None) -> str:
    """A number as a seller would write it: 1250 -> '1250', 1.25 -> '1.25', 0.1 -> '0.1'."""
    if value is None:
        return "?"
    if float(value).is_integer() and abs(value) < 1e16:
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _grouped(parts: list[str]) -> bool:
    """Digit groups split at a thousands separator: 1-3 digits first, then exactly three each."""
    return 1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])


@lru_cache(maxsize=1 << 16)
def parse_amount(text: str) -> Amount:
    """A price or quantity as written by a seller, in any common European or US form (cached by text)."""
    raw = text.strip()
    if not raw:
        return Amount(None, "empty")
    notes = []
    currency = False
    if CURRENCY_MARK_RE.search(raw):
        currency = True
        notes.append("currency symbol")
        raw = CURRENCY_MARK_RE.sub("", raw).strip()
    if SCIENTIFIC_RE.match(raw):  # how spreadsheets show 1e-05 or 3.65275E+11
        value = float(raw)
        mantissa = raw.lower().split("e")[0]
        decimals = len(mantissa.partition(".")[2])
        exponent = int(raw.lower().split("e")[1])
        return Amount(value, ", ".join([*notes, "scientific notation"]), decimals=max(0, decimals - exponent),
                      currency=currency)
    if LEADING_MARK_RE.match(raw):  # '.99' and ',5' mean 0.99 and 0,5
        raw = LEADING_MARK_RE.sub(r"\g<1>0\g<2>", raw)
    if not NUMBER_RE.match(raw):
        return Amount(None, "not a number", currency=currency)
    sign = -1.0 if raw.startswith("-") else 1.0
    body = raw.lstrip("+-")
    if any(ch in body for ch in " '\u00a0\u202f"):
        groups = re.split(r"[ '\u00a0\u202f]+", re.split(r"[.,](?=\d*$)", body)[0])
        if not _grouped(groups):  # '12 5' is not a number
            return Amount(None, "not a number", currency=currency)
        body = body.translate(GROUPING_SPACES)
    ambiguous = False
    alternative: float | None = None
    commas, dots = body.count(","), body.count(".")
    if commas and dots:
        decimal = "," if body.rfind(",") > body.rfind(".") else "."
        group = "." if decimal == "," else ","
        whole, _, tail = body.rpartition(decimal)
        if decimal in whole or not _grouped(whole.split(group)):
            return Amount(None, "not a number", currency=currency)
        if decimal == ",":
            notes.append("decimal comma")
        number = whole.replace(group, "") + "." + tail
    elif commas + dots > 1:  # 1,250,000 or 1.250.000: thousands only
        mark = "," if commas else "."
        if not _grouped(body.split(mark)):
            return Amount(None, "not a number", currency=currency)
        number = body.replace(mark, "")
    elif commas + dots == 1:
        mark = "," if commas else "."
        whole, _, tail = body.partition(mark)
        if len(tail) == 3 and _grouped([whole, tail]) and not whole.startswith("0"):
            # 1,250 / 1.250: thousands separator or decimal mark?  Read the US way, keep the other reading.
            ambiguous = True
            as_thousands, as_decimal = float(whole + tail), float(whole + "." + tail)
            if mark == ",":
                number, alternative = whole + tail, sign * as_decimal
            else:
                number, alternative = whole + "." + tail, sign * as_thousands
        else:
            if mark == ",":
                notes.append("decimal comma")
            number = whole + "." + tail
    else:
        number = body
    decimals = len(number.partition(".")[2])
    try:
        value = sign * float(number)
    except ValueError:
        return Amount(None, "not a number", currency=currency)
    return Amount(value, ", ".join(notes), ambiguous, decimals, alternative, currency)


def plain_number(column: pl.Expr, decimals: int | None = None) -> pl.Expr:
    """For columnar pre-tests: the value of a cell that is a plain decimal ('12', '0.96', '12.50', at most
    `decimals` digits after the point), null for any other text. `parse_amount` reads such a cell as
    exactly that value, never ambiguous when it has at most 2 decimals (a 3-decimal '1.250' reads as 1.25
    first, 1250 as the alternative); a cell left null is for the rule's own Python to judge."""
    import polars as pl

    tail = "+" if decimals is None else "{1,%d}" % decimals
    return pl.when(column.str.contains(rf"^[0-9]+(?:\.[0-9]{tail})?$")).then(column.cast(pl.Float64, strict=False))


def parse_measure(text: str, units: dict[str, float], default_unit: str) -> float | None:
    """A weight or length with an optional unit ('1 Pound', '500g', '12.5 cm'), in the default unit."""
    match = UNIT_RE.match(text)
    if not match:
        return None
    amount = parse_amount(match[1])
    unit = (match[2] or default_unit).lower()
    if amount.value is None or unit not in units:
        return None
    return amount.value * units[unit]


def parse_weight_kg(text: str) -> float | None:
    return parse_measure(text, KG_PER_UNIT, "kg")


def parse_length_cm(text: str) -> float | None:
    return parse_measure(text, CM_PER_UNIT, "cm")
