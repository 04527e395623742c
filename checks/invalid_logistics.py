"""AE603 invalid-logistics: package weight, package size or processing time outside what AliExpress accepts.

What it does:
    Reads each product's package weight (0.001-500 kg), package length, width and height (each 0.01-700 cm)
    and processing days (a whole number of days, 1-60). Units written in the cell are understood: "1 Pound",
    "500 g", "12 oz", "25 mm", "10 in"; a bare number is kg or cm. Decimal commas ("0,25") are read as
    European exports mean them. A value that is not a number with a known unit is reported too; an empty
    value is AE602's (missing-required-field), not this rule's. Where the AliExpress template's hint row
    states a range ("from 1 to 30 days", "from 0.001 to 500"), that range is used.

Why is this bad:
    AliExpress's product API rejects a listing whose weight, package size or processing time is outside
    these ranges, and a wrong weight or size (grams typed into a kg column: "250" for 250 g) sets the wrong
    shipping cost: the listing fails at upload or ships at a loss.

Example:
    Weight "600" (grams typed into a kg column) fires: 600 kg is over 500 kg; "0.6", "600 g" and
    "1 Pound" do not. Package length "0" fires, and so do processing days "90" or "2.5".

Options:
    none.

Source: AliExpress product API (weight 0.001-500 kg, package sides up to 700 cm, processing time 1-60 days).
"""

import re
from collections.abc import Iterator
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from aelint.i18n import _, N_
from aelint.model import Catalog, Problem, Product
from aelint.numbers import (CM_PER_UNIT, KG_PER_UNIT, format_number, parse_amount, parse_length_cm,
                            parse_weight_kg)

CODE = "AE603"
NAME = "invalid-logistics"
SEVERITY = "error"

WEIGHT_KG = (0.001, 500.0)
SIDE_CM = (0.01, 700.0)
PROCESSING_DAYS = (1, 60)
SIDES = {"package_length_cm": N_("package length"), "package_width_cm": N_("package width"),
         "package_height_cm": N_("package height")}

DAYS_RE = re.compile(r"\s*(?:days?|d)\.?$", re.IGNORECASE)

# The same few values repeat on thousands of rows: parse each distinct text once.
weight_kg = lru_cache(maxsize=1 << 14)(parse_weight_kg)
length_cm = lru_cache(maxsize=1 << 14)(parse_length_cm)


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # validator built on first use


def _show(value: float) -> str:
    return format_number(round(value, 3))


def _range(catalog: Catalog, field: str, default: tuple[float, float]) -> tuple[float, float, str]:
    """The accepted range: the template's hint row's where it states one, else the API's; and whose it is."""
    low, high = catalog.limits.get(field, (None, None))
    if low is None and high is None:
        return default[0], default[1], N_("AliExpress accepts")
    return (default[0] if low is None else low), (default[1] if high is None else high), N_("the template accepts")


def check_product(product: Product, options: Options) -> Iterator[Problem]:
    raw = product.get("weight_kg").strip()
    if raw:
        kg = weight_kg(raw)
        low, high, whose = _range(product.catalog, "weight_kg", WEIGHT_KG)
        if kg is None:
            yield Problem(_("weight {value} is not a number with a known unit (kg, g, lb, oz)").format(value=repr(raw)),
                          product,
                          cell=product.cell("weight_kg"))
        elif not low <= kg <= high:
            yield Problem(_("weight {value} is {kg} kg: {whose} {low}-{high} kg").format(
                          value=repr(raw), kg=_show(kg), whose=_(whose), low=_show(low), high=_show(high)), product,
                          cell=product.cell("weight_kg"))
    for field, label in SIDES.items():
        raw = product.get(field).strip()
        if not raw:
            continue
        cm = length_cm(raw)
        low, high, whose = _range(product.catalog, field, SIDE_CM)
        if cm is None:
            yield Problem(_("{side} {value} is not a number with a known unit (cm, mm, m, in)").format(
                          side=_(label), value=repr(raw)), product,
                          cell=product.cell(field))
        elif not low <= cm <= high:
            yield Problem(_("{side} {value} is {cm} cm: {whose} {low}-{high} cm").format(
                          side=_(label), value=repr(raw), cm=_show(cm), whose=_(whose), low=_show(low), high=_show(high)),
                          product,
                          cell=product.cell(field))
    raw = product.get("processing_days").strip()
    if raw:
        days = parse_amount(DAYS_RE.sub("", raw))
        low, high, whose = _range(product.catalog, "processing_days", PROCESSING_DAYS)
        if days.value is None or not days.whole:
            yield Problem(_("processing days {value} is not a whole number of days").format(value=repr(raw)), product,
                          cell=product.cell("processing_days"))
        elif not low <= days.value <= high:
            yield Problem(_("processing days {value}: {whose} {low}-{high} days").format(
                          value=repr(raw), whose=_(whose), low=_show(low), high=_show(high)), product,
                          cell=product.cell("processing_days"))


def prefilter(table, options: Options):
    """Only a weight, package side or processing time that is not a plain number (with its field's units)
    within the accepted range can be reported. Each field's distinct values are judged once (a catalog
    repeats the same few weights and package sides)."""
    import polars as pl

    def outside(field: str, units: dict[str, float], default_unit: str, default: tuple[float, float]) -> pl.Expr:
        raw = pl.col(field)
        number = raw.str.extract(r"^([0-9]+(?:\.[0-9]+)?) ?[a-zA-Z]*$", 1).cast(pl.Float64, strict=False)
        unit = raw.str.extract(r"^[0-9.]+ ?([a-zA-Z]*)$", 1).str.to_lowercase()
        factor = unit.replace_strict({"": units[default_unit], **units}, default=None, return_dtype=pl.Float64)
        low, high = _range(table.catalog, field, default)[:2]
        return (raw != "") & ~(number * factor).is_between(low, high).fill_null(False)

    def days_outside(field: str) -> pl.Expr:
        days = pl.col(field)
        low, high = _range(table.catalog, field, PROCESSING_DAYS)[:2]
        plain_days = pl.when(days.str.contains("^[0-9]+$")).then(days.cast(pl.Float64, strict=False))
        return (days != "") & ~plain_days.is_between(low, high).fill_null(False)

    def flagged(field: str, test: pl.Expr) -> pl.Expr:
        if field not in table.product_fields:
            return pl.lit(False)  # an absent field is blank: never reported
        distinct = table.products.select(pl.col(field).unique())
        return pl.col(field).is_in(distinct.filter(test)[field].implode())

    return pl.any_horizontal(flagged("weight_kg", outside("weight_kg", KG_PER_UNIT, "kg", WEIGHT_KG)),
                             *(flagged(side, outside(side, CM_PER_UNIT, "cm", SIDE_CM)) for side in SIDES),
                             flagged("processing_days", days_outside("processing_days")))
