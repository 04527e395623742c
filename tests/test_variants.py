"""Variant, price and stock rules (AE501-AE508, AE510, AE511) on real exports and on their helpers.

The real files are the dropshipping sheet (Option N Name/Value layout, one row per variant) and Shopify's
product template (follow-on rows with a blank title, an image-only row). The numbers the checks must find
are counted here with the csv module, not taken on trust.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from aelint import config as config_module
from aelint.engine import Engine, RunOptions
from aelint.reader import read_catalog
from aelint.registry import load_checks
from conftest import shared_file

DROPSHIP = "aliexpress_dropship_variants/report_copy3.csv"
SHOPIFY = "shopify_product_template/product_template.csv"
AE5 = ["AE501", "AE502", "AE503", "AE504", "AE505", "AE506", "AE507", "AE508", "AE510", "AE511"]


def lint(path: Path, codes: list[str]):
    run = RunOptions(select=codes, cache=False, jobs=1, images=False)
    report = Engine(run, config_module.from_data({}, None)).lint([path])
    assert not report.failures
    return report.diagnostics


def records(path: Path) -> list[tuple[int, dict[str, str]]]:
    """CSV records with the row number aelint reports (header = 1, one number per record)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(enumerate(csv.DictReader(handle), start=2))


# The dropshipping sheet ------------------------------------------------------------------------------

def test_dropship_repeated_combinations_are_duplicate_variants():
    path = shared_file(DROPSHIP)
    rows = records(path)
    groups: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    links: dict[str, set[str]] = defaultdict(set)
    for number, r in rows:
        groups[(r["Title"], r["Option 1 Value"], r["Option 2 Value"])].append(number)
        links[r["Title"]].add(r["Product_link"])
    repeated = {k: v for k, v in groups.items() if len(v) > 1}
    assert len(repeated) == 18 and sum(len(v) for v in repeated.values()) == 37
    assert all(len(v) == 1 for v in links.values())  # one title is one product (one Product_link)
    later = {n for numbers in repeated.values() for n in numbers[1:]}

    found = [d for d in lint(path, ["AE503"])]
    assert {d.row for d in found} == later and len(found) == len(later) == 37 - 18
    for d in found:
        first = int(re.search(r"on row (\d+)", d.message)[1])
        assert any(first == numbers[0] and d.row in numbers for numbers in repeated.values())


def test_dropship_blank_declared_size_is_reported_once_per_product():
    path = shared_file(DROPSHIP)
    rows = records(path)
    blank = [(n, r) for n, r in rows if r["Option 2 Name"] == "Size" and not r["Option 2 Value"].strip()]
    assert len(blank) == 141
    by_product: dict[str, list[bool]] = defaultdict(list)
    for _, r in rows:
        by_product[r["Product_link"]].append(bool(r["Option 2 Value"].strip()))
    all_blank = {link for link, filled in by_product.items() if not any(filled)}
    mixed = {link for link, filled in by_product.items() if any(filled) and not all(filled)}
    assert not mixed  # every product leaves Size blank on all its rows or on none

    found = lint(path, ["AE507"])
    assert len(found) == len(all_blank)
    assert {d.product_id.split("?")[0] for d in found} == all_blank
    covered = 0
    for d in found:
        assert "declares the attribute 'Size'" in d.message and d.column == "Option 2 Value"
        count = re.search(r"all (\d+) SKUs|(its only) SKU", d.message)
        covered += int(count[1]) if count[1] else 1
    assert covered == len(blank)


def test_dropship_other_variant_rules():
    path = shared_file(DROPSHIP)
    rows = records(path)
    codes = Counter(r["SKU"] for _, r in rows)
    found = Counter(d.code for d in lint(path, ["AE501", "AE502", "AE508", "AE510", "AE511"]))
    assert sum(1 for c, n in codes.items() if c and n > 1) == 0 and found["AE501"] == 0
    assert found["AE502"] == sum(1 for _, r in rows if not r["SKU"].strip())
    assert found["AE511"] == 0  # Color, Size (blank), Weight: three at most
    assert found["AE510"] == 0  # every row has Quantity 500
    # the price column ("Suggested Sale Price") is empty on every row: AE602's to say (once), never AE505's
    assert all(not r["Suggested Sale Price"].strip() for _, r in rows)
    assert lint(path, ["AE505"]) == []
    assert [d.message.split(":")[0] for d in lint(path, ["AE602"]) if d.field == "price"] == [
        f"price is empty on every row ({len(rows)} SKU rows)"]


# Shopify's product template --------------------------------------------------------------------------

def test_shopify_follow_on_rows_are_skus_of_their_product():
    path = shared_file(SHOPIFY)
    rows = records(path)
    expected: dict[str, list[int]] = defaultdict(list)
    image_only = []
    for number, r in rows:
        if r["Variant SKU"] or r["Variant Price"] or r["Option1 Value"]:
            expected[r["Handle"]].append(number)
        else:
            image_only.append(number)
    assert image_only  # the template carries an extra image row for the jeans
    catalog = read_catalog(path, str(path))
    got = {p.product_id: [s.row for s in p.skus] for p in catalog.products}
    assert got == dict(expected)
    titles = {r["Handle"]: r["Title"] for _, r in rows if r["Title"]}
    for product in catalog.products:
        assert product.title == titles[product.product_id]  # follow-on rows inherit the title
        for sku in product.skus:
            assert sku.get("title") == titles[product.product_id]


def test_shopify_template_has_no_false_variant_problems():
    path = shared_file(SHOPIFY)
    found = lint(path, AE5)
    codes = Counter(d.code for d in found)
    assert not (set(codes) & {"AE501", "AE502", "AE503", "AE504", "AE505", "AE506", "AE507", "AE508", "AE511"}), found
    # what it does have: the T-shirt's 12 variants all have inventory 0
    rows = records(path)
    shirt = [r for _, r in rows if r["Handle"] == "example-shirt"]
    assert all(r["Variant Inventory Qty"] == "0" for r in shirt)
    assert [(d.code, d.product_id) for d in found] == [("AE510", "example-shirt")]


# Helpers ---------------------------------------------------------------------------------------------

def _module(code):
    return next(c.module for c in load_checks() if c.code == code)


@pytest.mark.parametrize("value, pieces", [
    ("10pcs", 10), ("10 PCS", 10), ("5 Pairs", 5), ("Pack of 3", 3), ("set of 2", 2), ("1pc", 1),
    ("50个", 50), ("Black", 1), ("36", 1), ("60x90cm", 1), ("2.5pcs", 1), ("0pcs", 1),
])
def test_pack_quantity(value, pieces, tmp_path):
    case = tmp_path / "c.csv"
    case.write_text(f"product_id,title,size,price\nP1,Socks,{value},1\n", encoding="utf-8")
    sku = read_catalog(case, "c.csv").products[0].skus[0]
    assert _module("AE504").quantity(sku) == pieces


def test_price_and_stock_readings_are_cached_by_text():
    from aelint.checks._variants import price_reading, stock_reading

    assert price_reading("12,50") is price_reading("12,50") and price_reading("12,50").value == 12.5
    assert stock_reading("1.500").value == 1500 and not stock_reading("1.500").problem
    assert "could be" in stock_reading("1,000").problem
    assert "could be" in price_reading("9.999").problem


def test_price_spread_ratio_comes_from_thresholds():
    config = config_module.from_data({"thresholds": {"price_spread_ratio": 8}}, None)
    check = next(c for c in load_checks() if c.code == "AE504")
    assert config.options_for(check).price_spread_ratio == 8
    with pytest.raises(config_module.ConfigError):
        config_module.from_data({"thresholds": {"price_spread_ratio": 1}}, None)


def test_each_distinct_price_is_parsed_once_for_all_price_rules(tmp_path):
    from aelint.checks._variants import _price_reading, _stock_reading
    from aelint.numbers import parse_amount

    case = tmp_path / "prices.csv"
    prices = ["12,50", "12,50", "$14.06", "12,50", "0.01", "$14.06", "1,250"]
    case.write_text("product_id,title,sku_code,color,price,stock\n" + "".join(
        f"P1,Mug,C{n},Colour {n},\"{p}\",5\n" for n, p in enumerate(prices)), encoding="utf-8")
    for cached in (_price_reading, _stock_reading, parse_amount):
        cached.cache_clear()
    found = lint(case, ["AE504", "AE505", "AE510"])
    assert {d.code for d in found} == {"AE504", "AE505"}
    assert _price_reading.cache_info().misses == len(set(prices))  # AE504 and AE505 share each reading
    assert parse_amount.cache_info().misses == len(set(prices)) + 1  # + the stock "5" (AE510)


# Properties over generated catalogs (built in memory) ---------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from aelint.model import Catalog, Product, Sku  # noqa: E402

ROWS = st.lists(st.tuples(st.integers(0, 3), st.sampled_from(["A1", "A2", " A1", "B", ""]),
                          st.sampled_from(["Red", "red ", "Blue", ""]), st.sampled_from(["S", "M", ""])),
                min_size=1, max_size=12)


def build(rows) -> Catalog:
    catalog = Catalog("mem.csv", None, 1, {"product_id": "id", "sku_code": "sku", "color": "c", "size": "s"})
    products: dict[int, Product] = {}
    for number, (pid, code, colour, size) in enumerate(rows, start=2):
        product = products.get(pid)
        if product is None:
            product = products[pid] = Product(catalog, f"P{pid}", number)
            catalog.products.append(product)
        values = {k: v for k, v in (("sku_code", code), ("color", colour), ("size", size)) if v}
        product.skus.append(Sku(product, number, values, {}))
    return catalog


@settings(max_examples=150, deadline=None)
@given(ROWS)
def test_every_row_sharing_a_code_is_reported(rows):
    catalog = build(rows)
    module = _module("AE501")
    reported = sorted(p.sku.row for p in module.check(catalog, module.Options()))
    counts = Counter(code.strip() for _, code, _, _ in rows if code.strip())
    expected = sorted(n for n, (_, code, _, _) in enumerate(rows, start=2) if counts.get(code.strip(), 0) > 1)
    assert reported == expected


@settings(max_examples=150, deadline=None)
@given(ROWS)
def test_duplicate_variants_are_the_repeats_of_each_combination(rows):
    catalog = build(rows)
    module = _module("AE503")
    reported = sorted(p.sku.row for product in catalog.products for p in module.check_product(product, module.Options()))
    seen: set = set()
    expected = []
    for number, (pid, _, colour, size) in enumerate(rows, start=2):
        key = (pid, colour.strip().lower(), size)
        if key in seen:
            expected.append(number)
        seen.add(key)
    assert reported == expected


def test_an_empty_price_or_stock_is_reported_once(tmp_path):
    """AE602 reports empty price/stock cells; AE505/AE506 never do, whether AE602 runs or not."""
    from aelint.config import from_data
    from aelint.engine import Engine, RunOptions

    path = tmp_path / "c.csv"
    path.write_text("Title,SKU,Price,Stock\nCeramic Coffee Mug White,A,,\n")

    def codes(select):
        report = Engine(RunOptions(select=select), from_data({}, None)).lint([path])
        return sorted((d.code, d.field) for d in report.diagnostics if d.row == 2)

    assert codes(["AE505", "AE506", "AE602"]) == [("AE602", "price"), ("AE602", "stock")]
    assert codes(["AE505", "AE506"]) == []
