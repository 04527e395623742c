"""Reading numbers as sellers write them: '12,50' (decimal comma), '$14.06', '1.250,00 €', '1 Pound'.

`parse_amount` returns the value a seller means and says what was unusual or ambiguous about the text,
so price/stock/logistics checks can parse what is clear and flag what is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CURRENCY_MARK_RE = re.compile(r"[$€£¥₽₹₩]|\b(?:USD|EUR|GBP|CNY|RMB|RUB|BRL|US)\b")
NUMBER_RE = re.compile(r"^[+-]?(?:\d[\d.,' \u00a0]*\d|\d)$")
UNIT_RE = re.compile(r"^\s*([+-]?[\d.,]+)\s*([a-zA-Z]+)?\.?\s*$")

KG_PER_UNIT = {"kg": 1.0, "kgs": 1.0, "kilo": 1.0, "kilos": 1.0, "kilogram": 1.0, "kilograms": 1.0,
               "g": 0.001, "gr": 0.001, "gram": 0.001, "grams": 0.001, "lb": 0.45359237, "lbs": 0.45359237,
               "pound": 0.45359237, "pounds": 0.45359237, "oz": 0.028349523, "ounce": 0.028349523,
               "ounces": 0.028349523}
CM_PER_UNIT = {"cm": 1.0, "mm": 0.1, "m": 100.0, "in": 2.54, "inch": 2.54, "inches": 2.54, "ft": 30.48}


@dataclass(frozen=True, slots=True)
class Amount:
    """A parsed number: `value` is None when the text is not a number; `note` says what was unusual."""

    value: float | None
    note: str = ""  # e.g. "decimal comma", "currency symbol"
    ambiguous: bool = False  # '1,250': 1.25 or 1250?
    decimals: int = 0  # digits after the decimal mark, as written


def parse_amount(text: str) -> Amount:
    """A price or quantity as written by a seller, in any common European or US form."""
    raw = text.strip()
    if not raw:
        return Amount(None, "empty")
    notes = []
    if CURRENCY_MARK_RE.search(raw):
        notes.append("currency symbol")
        raw = CURRENCY_MARK_RE.sub("", raw).strip()
    if not NUMBER_RE.match(raw):
        return Amount(None, "not a number")
    sign = -1.0 if raw.startswith("-") else 1.0
    body = raw.lstrip("+-").replace("\u00a0", "").replace(" ", "").replace("'", "")
    ambiguous = False
    if "," in body and "." in body:
        decimal = "," if body.rfind(",") > body.rfind(".") else "."
        if decimal == ",":
            notes.append("decimal comma")
        body = body.replace("." if decimal == "," else ",", "").replace(",", ".")
    elif "," in body:
        whole, _, tail = body.rpartition(",")
        if body.count(",") > 1:  # 1,250,000
            body = body.replace(",", "")
        elif len(tail) == 3:  # 1,250: thousands (US) or 1.250 (European decimal)? Read as thousands.
            ambiguous = True
            body = whole + tail
        else:
            notes.append("decimal comma")
            body = whole + "." + tail
    elif body.count(".") > 1:  # 1.250.000
        body = body.replace(".", "")
    decimals = len(body.rpartition(".")[2]) if "." in body else 0
    try:
        value = sign * float(body)
    except ValueError:
        return Amount(None, "not a number")
    return Amount(value, ", ".join(notes), ambiguous, decimals)


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
