"""Prefilters are supersets, check_table is check_product: properties over generated catalogs.

The per-product rules on SKU rows, numbers, images and descriptions (AE302, AE5xx, AE603, AE605,
AE609-AE611) narrow their work over columns (aelint.table). tests/test_columnar.py compares whole lints on
the fixtures; here hypothesis builds catalogs in memory from cells chosen at the edges of what the
prefilters treat as plain (spellings of numbers parse_amount accepts, case and space variants, Unicode
look-alikes, attributes declared twice or left blank) and checks, rule by rule, that every product
check_product reports is one the prefilter keeps, and that check_table gives check_product's problems.
"""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aelint.model import Catalog, Cell, Product, Sku
from aelint.numbers import parse_amount, plain_number
from aelint.registry import load_checks
from aelint.table import CatalogTable

NUMBERS = ["12.50", "12.5", "12", "0.01", "0.009", "0.001", "0", "00.01", "100000", "100000.00", "100000.01",
           "99999.99", "1,250", "1.250", "9.999", "12,50", "1.250,00", "1 250", "$12", "12 €", "US $5", " 12",
           "12 ", "12.", ".5", "1e3", "1E-2", "-1", "+3", "abc", "12-15", "١٢", "１２", "inf", "nan", "1" * 30,
           "5", "7", "20", "25", "0.02", "999999", "1000000", "1.500", "1,000", "2.5", "000", "3"]
CODES = ["A1", "SKU-1", "A 1", " A1", "A1 ", "a<b", "é1", "x" * 20, "x" * 21, "\t", "A1\u00a0", "ＡＢ", "~!;="]
VALUES = ["Red", "red ", "RED", "Red  Blue", "red blue", "Straße", "STRASSE", "İstanbul", "istanbul", "S", "s",
          "iPhone 12", "iphone 13 Pro", "IPHONE 12", "Galaxy S21", "10pcs", "Pack of 3", "5 个", "2 Pairs",
          "XL", "38", "", " "]
TEXTS = ["<p>Soft cotton shirt</p>", "Plain text", "Free shipping", "FREE-SHIPPING today", "free  shipping",
         "<b>free</b> <i>shipping</i>", "fr&eacute;e shipping", "fr\u00e9e shipping", "envío gratis",
         "ENVIO GRATIS", "бесплатная доставка", "shipping free", "freeshipping", "free\u00a0shipping",
         "<SCRİPT>x</SCRİPT>", "<scrıpt>", "< style>", "<\x1cform>", "<p onclick=go()>", "<p data-onclick=x>",
         "<a href='javascript:x'>", "<a HREF = 'http://shop.example'>", "<a href='/local'>",
         "<a href='https://www.aliexpress.com/x'>", "<img src=a.jpg>", "a < b", "<br/>", "x" * 30,
         "a,b,c,d,e,f,g,h,i,j,k", "a,,b, ,c", "a,b,c,d,e,f,g,h,i,j", "<br\x1c/>", "<p\u3000class=x>", "</DIV>",
         "<1a><a1>", "<<b>>", "<a><b><i><u><p><div><B>", ""]
MEASURES = ["0.96", "0.96 kg", "0.96kg", "500 g", "500g", "1 Pound", "2 lbs", "1.250", "1,5", "0", "0.001",
            "0.0009", "500", "501", "700", "700.01", "20", "20 cm", "20 CM", "7 in", " 3", "3 days", "3d",
            "60", "61", "1", "0.5", "abc", ""]
CURRENCIES = ["USD", " usd", "EUR", "CNY", "RMB", "Euro", "€", "US$", ""]  # a row's own currency (Wish 2021)
IMAGES = ["a.jpg", "b.jpg", "c.jpg", "d.jpg", "e.jpg", "f.jpg", "g.jpg", "a.jpg ", "my photo.jpg"]

SKU_FIELDS = {"price": NUMBERS, "discount_price": NUMBERS, "stock": NUMBERS, "msrp": NUMBERS, "sku_code": CODES,
              "color": VALUES, "size": VALUES, "attr:Material": VALUES, "attr:material": VALUES,
              "currency": CURRENCIES}
PRODUCT_FIELDS = {"title": TEXTS, "description": TEXTS, "tags": TEXTS, "weight_kg": MEASURES,
                  "package_length_cm": MEASURES, "package_width_cm": MEASURES, "processing_days": MEASURES}
COLUMNS = {f: f for f in [*SKU_FIELDS, *PRODUCT_FIELDS, "product_id", "main_images"] if f != "attr:material"}

sku_rows = st.fixed_dictionaries({}, optional={f: st.sampled_from(pool) for f, pool in SKU_FIELDS.items()})
option_pairs = st.dictionaries(st.sampled_from(["attr:Colour", "attr:Material", "size"]), st.sampled_from(VALUES),
                               max_size=2)
products = st.tuples(
    st.fixed_dictionaries({}, optional={f: st.sampled_from(pool) for f, pool in PRODUCT_FIELDS.items()}),
    st.lists(st.sampled_from(IMAGES), max_size=8), st.booleans(),
    st.lists(st.tuples(sku_rows, option_pairs), min_size=1, max_size=5))
catalogs = st.lists(products, min_size=1, max_size=6)


def build(drawn) -> Catalog:
    """A catalog as the reader makes them: blank cells absent, except Option N values kept when blank; main
    images as cells (a later row's images added without a change to the joined column, as for Shopify)."""
    catalog = Catalog("mem.csv", None, 1, dict(COLUMNS))
    row = 2
    for number, (values, images, spanning, skus) in enumerate(drawn):
        product = Product(catalog, f"P{number}", row)
        product.values = {"product_id": f"P{number}", **{k: v for k, v in values.items() if v.strip()}}
        if images:
            first = images[:3] if spanning else images
            product.images["main_images"] = [Cell("main_images", ref.strip(), row, "M") for ref in first]
            product.values["main_images"] = "; ".join(ref.strip() for ref in first)
            product.images["main_images"] += [Cell("main_images", ref, row + 1, "M") for ref in images[3:]]
        for own, options in skus:
            cells = {k: v for k, v in own.items() if v.strip()}
            cells.update(options)
            product.skus.append(Sku(product, row, cells, {k: "O" for k in options}))
            row += 1
        catalog.products.append(product)
    return catalog


NARROWED = [c for c in load_checks() if c.prefilter or c.check_table]
OPTIONS = [{}, {"price_spread_directions": "both", "price_spread_ratio": 1.5, "tags_max_count": 3,
                "description_max_length": 20, "variant_attributes_max": 1, "sku_code_max_length": 5,
                "description_html": "none"}]


def test_the_rules_of_this_file_narrow():
    codes = {c.code for c in NARROWED}
    assert {"AE302", "AE503", "AE504", "AE505", "AE506", "AE507", "AE508", "AE510", "AE511", "AE512", "AE513",
            "AE603", "AE605", "AE609", "AE610", "AE611"} <= codes


def assert_narrowing_keeps_findings(catalog: Catalog, chosen: dict, checks=NARROWED) -> None:
    """Every product check_product reports is kept by the prefilter; check_table gives the same problems."""
    table = CatalogTable(catalog)
    for check in checks:
        options = check.options_model(**{k: v for k, v in chosen.items() if k in check.options_model.model_fields})
        reported = [[repr(p) for p in check.module.check_product(product, options)] for product in catalog.products]
        if check.check_table is not None:
            by_table = [repr(p) for p in check.check_table(table, options)]
            assert by_table == [line for lines in reported for line in lines], check.code
            continue
        kept = table.products.select(check.prefilter(table, options).alias("kept"))["kept"].fill_null(True)
        missed = [(catalog.products[i], lines) for i, lines in enumerate(reported) if lines and not kept[i]]
        assert not missed, (check.code, missed)


@pytest.mark.parametrize("chosen", OPTIONS, ids=["defaults", "tight"])
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drawn=catalogs)
def test_prefilters_keep_every_reported_product(chosen, drawn):
    assert_narrowing_keeps_findings(build(drawn), chosen)


@pytest.mark.parametrize("value", ["", " ", "\u3000"])
def test_an_attribute_declared_blank_on_every_sku_is_kept(value):
    """A declared attribute left blank on every SKU row shows in `skus` as no value at all ("") or as a
    value without a letter: AE507 reports it either way, so its prefilter keeps it."""
    drawn = [({}, [], False, [({"color": "Red"}, {"attr:Colour": value}), ({"color": "Blue"}, {"attr:Colour": value})])]
    catalog = build(drawn)
    codes = [c for c in NARROWED if c.code == "AE507"]
    assert list(codes[0].module.check_product(catalog.products[0], codes[0].options_model()))
    assert_narrowing_keeps_findings(catalog, {}, codes)


def test_prices_spread_within_one_currency_are_kept():
    """AE504 judges each currency's SKUs apart: 1 and 10 USD are spread, though among 2, 2, 2 CNY the five prices
    read as one currency would not be (median 2, cheapest 1); its prefilter must group by currency too."""
    skus = [({"price": "1", "currency": "USD"}, {}), ({"price": "10", "currency": "USD"}, {})]
    skus += [({"price": "2", "currency": "CNY"}, {})] * 3
    catalog = build([({}, [], False, skus)])
    [check] = [c for c in NARROWED if c.code == "AE504"]
    assert list(check.module.check_product(catalog.products[0], check.options_model()))
    assert_narrowing_keeps_findings(catalog, {}, [check])


@given(st.text(alphabet="0123456789.,٣１ e-", max_size=12))
def test_plain_numbers_are_read_as_parse_amount_reads_them(text):
    plain = pl.select(plain_number(pl.lit(text), decimals=2))[0, 0]
    if plain is not None:
        parsed = parse_amount(text)
        assert parsed.value == plain and not parsed.ambiguous and not parsed.currency
