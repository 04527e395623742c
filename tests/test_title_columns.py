"""The title rules judge the same over columns as product by product, on generated titles.

The columnar title rules (AE102-AE109: prefilters, the check_table of AE102, AE105 and AE108) rest on one assumption: nothing a
title rule looks for spans an ASCII space, so a title's facts are its chunks' facts put together
(aelint.table.CatalogTable.title_chunks). Titles built from look-alike words (full-width, accents, case,
Cyrillic, Han, joined and quoted words, years, marks, promotional phrases) and separators (spaces, no-break
spaces, tabs, commas, slashes) are linted both ways and must give the same findings.
"""

from __future__ import annotations

import csv
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_columnar import assert_same_both_ways

WORDS = ["Dress", "dresses", "DRESS", "Ｄｒｅｓｓ", "Été", "ete", "T", "Shirt", "T-Shirt", "for", "with", "pour", "la",
         "Free", "Shipping", "ＦＲＥＥ", "hot", "HOT", "Water", "2019", "2026", "Summer", "Nike", "Nïke", "Air", "Max",
         "iPhone", "ｉＰｈｏｎｅ", "Samsung", "Huawei", "Xiaomi", "Nokia", "15", "14", "13", "12", "11", "Платье",
         "платье", "女装", "Women's", "d'été", '"Slogan', 'Quote"', "5", "Colors", "Color", "!!", "<b>", "&amp;", "★",
         "Robe", "femme", "Café", "ABC中", "USB", "WOMEN", "SUMMER", "FLORAL", "High", "Quality"]
SEPARATORS = [" ", " ", " ", "  ", "\u00a0", "\t", ", ", "/", "，", "\u3000"]
# Words each followed by a separator; some titles end in a stray space, most do not.
title = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=14).map(
    lambda parts: "".join(w + s for w, s in parts)).map(lambda t: t if len(t) % 3 else t.rstrip(" "))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(titles=st.lists(title, min_size=1, max_size=40))
def test_title_rules_judge_alike_over_columns(titles, tmp_path_factory):
    path = Path(tmp_path_factory.mktemp("titles")) / "catalog.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["product_id", "title"])
        writer.writerows([f"P{i}", t] for i, t in enumerate(titles))
    assert_same_both_ways(path, select=["AE1"])


# AE102 and AE108 judge tables in their own way (check_table): AE102 reads content words as columns (a
# counter after a number, a single letter joined to the next word across one space, quoted slogans), AE108
# judges patterns of the words its tests read (terms, benign phrases, years and "hot" with their neighbours).
PATTERN_WORDS = WORDS + ["Sale", "New", "Style", "Fashion", "2018", "2010", "2027", "Pcs", "Bone", "Wish", "Amazon",
                         "Parrot", "Pink", "V", "Neck", "O", "shorts", "Short", "Latest", "Brand", "Sound", "«Joie",
                         "Vie»", "Hot-Sale", "Best", "Seller", "Women", "women", "Gift", "Cheap"]
pattern_title = st.lists(st.tuples(st.sampled_from(PATTERN_WORDS), st.sampled_from(SEPARATORS)), max_size=12).map(
    lambda parts: "".join(w + s for w, s in parts))


@settings(max_examples=150, deadline=None)
@given(titles=st.lists(pattern_title, min_size=1, max_size=12), lead=st.booleans())
def test_check_table_of_title_rules_is_check_product(titles, lead):
    """In memory (titles as written, a leading space kept): check_table gives check_product's problems, in order."""
    assert_check_table_is_check_product([" " + t if lead and t else t for t in titles])


def test_check_table_of_title_rules_on_long_and_respelt_repeats():
    words = "Red Blue Green Pink Gold Grey Navy Teal Plum Rose Mint Sand"
    found = assert_check_table_is_check_product([f"{words} Dress {words}", "HOT Dress Hot Dress", "Dress dresses",
                                                 "T Shirt T-Shirt Shirt", '"Love Love" Shirt Shirt',
                                                 "2019 New HOT 2019 New"])
    assert len(found["AE102"]) >= 5 and found["AE108"]  # the comparison compares something


def assert_check_table_is_check_product(titles: list[str]) -> dict[str, list[str]]:
    """Compare AE102's and AE108's check_table with their check_product on these titles; give the problems."""
    from aelint.model import Catalog, Product
    from aelint.registry import load_checks
    from aelint.table import CatalogTable

    catalog = Catalog("mem.csv", None, 1, {"product_id": "A", "title": "B"})
    for number, text in enumerate(titles):
        product = Product(catalog, f"P{number}", number + 2)
        product.values = {"product_id": f"P{number}", **({"title": text} if text else {})}
        catalog.products.append(product)
    table = CatalogTable(catalog)
    found = {}
    for check in (c for c in load_checks() if c.code in ("AE102", "AE108")):
        options = check.options_model()
        by_product = [repr(p) for product in catalog.products for p in check.module.check_product(product, options)]
        assert [repr(p) for p in check.check_table(table, options)] == by_product, check.code
        found[check.code] = by_product
    return found


def _patterns_by_definition(products, words):
    """`CatalogTable.title_patterns` as its docstring defines it, title by title in Python."""
    titles: dict[int, list[int]] = {}
    for product, word in zip(products.tolist(), words.tolist()):
        pattern = titles.setdefault(product, [])
        if word >= 0 or not pattern or pattern[-1] >= 0:  # a run of words that do not matter: one -1
            pattern.append(word)
    chosen = [product for product, pattern in titles.items() if max(pattern) >= 0]
    numbers: dict[tuple[int, ...], int] = {}
    which = [numbers.setdefault(tuple(titles[product]), len(numbers)) for product in chosen]
    return chosen, which, list(numbers)


@settings(max_examples=60, deadline=None)
@given(titles=st.lists(st.lists(st.sampled_from([-1, -1, 0, 1, 2, 7]), min_size=1, max_size=150), max_size=30))
def test_title_patterns_are_numbered_as_defined(titles):
    """Titles reduced to the words that matter (a run of others one -1) and their patterns numbered in order
    of first appearance, as AE108 reads them."""
    import numpy as np

    from aelint.table import CatalogTable

    products = np.repeat(np.arange(len(titles), dtype=np.int64) * 3, [len(t) for t in titles])
    words = np.array([w for t in titles for w in t], dtype=np.int64)
    assert CatalogTable.title_patterns(products, words) == _patterns_by_definition(products, words)


@settings(max_examples=60, deadline=None)
@given(titles=st.lists(pattern_title, min_size=1, max_size=12), lead=st.booleans())
def test_title_values_are_each_chunks_values_in_order(titles, lead):
    """`CatalogTable.title_values_placed` as its docstring defines it, title by title in Python: with a value
    for every chunk (the fast path) and with none, one or several values a chunk."""
    from aelint.model import Catalog, Product
    from aelint.table import CatalogTable

    catalog = Catalog("mem.csv", None, 1, {"product_id": "A", "title": "B"})
    for number, text in enumerate(" " + t if lead and t else t for t in titles):
        product = Product(catalog, f"P{number}", number + 2)
        product.values = {"product_id": f"P{number}", **({"title": text} if text else {})}
        catalog.products.append(product)
    for values in (lambda chunk: [len(chunk)], lambda chunk: [ord(c) for c in chunk if c.isupper()]):
        expected = []
        for index, product in enumerate(catalog.products):
            place = 0
            for chunk in product.title.split(" "):
                expected.extend((index, value, place) for value in values(chunk) if chunk)
                place += len(chunk) + 1
        products, found, places = CatalogTable(catalog).title_values_placed(values)
        assert list(zip(products.tolist(), found.tolist(), places.tolist())) == expected
        products, found = CatalogTable(catalog).title_values(values)
        assert list(zip(products.tolist(), found.tolist())) == [(i, v) for i, v, _place in expected]
