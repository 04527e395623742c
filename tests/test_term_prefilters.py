"""The term rules' prefilters and column judgements (AE201-AE203, AE401-AE404) never drop a product their
matcher reports.

Hypothesis writes products from pieces at the prefilters' boundaries (term words and their evasions, near
misses, plurals, case, accents, full-width letters, HTML tags and entities, separators, contact details)
and checks, product by product, that wherever `check_product` reports something the prefilter let the
product through (a rule judged over the columns, `check_table`, must give check_product's problems); and
lints real recall records both ways. tests/test_columnar.py compares whole lints of the fixtures both ways.
"""

from __future__ import annotations

import csv

import pytest
from conftest import shared_file
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aelint.checks import (_listed_terms, brand_not_authorized, ce_marking, medical_qualification, offline_contact,
                           prohibited_item, recalled_item, special_category)
from aelint.checks._listed_terms import NARROWING_WAYS, scanner_for, table_candidates
from aelint.model import Catalog, Product, Sku
from aelint.table import CatalogTable
from test_columnar import assert_same_both_ways

RULES = [
    (prohibited_item, prohibited_item.Options()),
    (recalled_item, recalled_item.Options()),
    (offline_contact, offline_contact.Options()),
    (special_category, special_category.Options(approved_special_categories=["condoms"])),
    (brand_not_authorized, brand_not_authorized.Options(authorized_brands=["Acme"])),
    (medical_qualification, medical_qualification.Options()),
    (ce_marking, ce_marking.Options(markets=["FR"])),
]

WORDS = [
    # terms, their words and look-alikes
    "disposable", "vape", "Vape", "VAPE", "V@pe", "v4pe", "Vápe", "Ｖａｐｅ", "vapes", "vapor", "pen", "open",
    "stun", "gun", "stungun", "Stun-Gun", "tazer", "Taser", "laser", "perfume", "P3rfume", "tea", "cup", "black",
    "magnetic", "Magnétic", "ball", "balls", "Ba11s", "ring", "holder", "buckyballs", "glucose", "meter",
    "whatsapp", "WhatsApp", "VX", "vx:", "IG", "@shop", "Line", "line", "dot", "DOT", "com", "myshop.com",
    "www.shop.net", "+86", "138", "0013", "8000", "555.123.4567", "微信", "телеграм",
    "baby", "babies", "car", "seat", "seats", "vitamin", "Vitamins", "multivitamin", "condom", "Ｃｏｎｄｏｍｓ",
    "food", "oximeter", "Oxímetro", "pulse", "stethoscope", "thermometer", "case", "wireless", "bluetooth",
    "earbuds", "toy", "toys", "plush", "CE", "ce", "phone", "dress", "women's", "sex",
]
GLUE = [" ", " ", " ", "-", "\t", ".", ",", "/", "'", "<b>", "</b>", "<p>", "&amp;", "&#97;", "&eacute;", "\n"]
CATEGORIES = ["", "Home > Kitchen", "Food & Beverages", "Home>Snacks", "Beauty & Health > Sexual Wellness",
              "Toys > Plush", "Sports > Vitamins"]
BRANDS = ["", "NoBrand", "No-Brand", "Acme", "ACME", "Solimo", "Ｇｅｎｅｒｉｃ", "L'Oréal"]

texts = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(GLUE)), max_size=8).map(
    lambda parts: "".join(word + glue for word, glue in parts).strip())
products = st.fixed_dictionaries({
    "title": texts, "description": texts, "category": st.sampled_from(CATEGORIES),
    "brand": st.sampled_from(BRANDS), "color": texts,
})


def catalog_of(rows: list[dict[str, str]]) -> Catalog:
    fields = ("product_id", "title", "description", "category", "brand", "color")
    catalog = Catalog(path="generated.csv", sheet=None, header_row=1, columns={f: f for f in fields})
    for number, values in enumerate(rows):
        product = Product(catalog, f"P{number}", number + 2)
        product.values = {"product_id": f"P{number}"} | {
            k: v for k, v in values.items() if v and k != "color"}
        product.skus = [Sku(product, number + 2, {"color": values["color"]} if values["color"] else {}, {})]
        catalog.products.append(product)
    return catalog


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(products, min_size=1, max_size=6))
def test_prefilters_keep_every_product_their_rule_reports(rows):
    catalog = catalog_of(rows)
    table = CatalogTable(catalog)
    for module, options in RULES:
        if hasattr(module, "check_table"):  # judged over the columns: the problems check_product gives
            by_product = [repr(p) for product in catalog.products for p in module.check_product(product, options)]
            assert [repr(p) for p in module.check_table(table, options)] == by_product, module.CODE
            continue
        mask = table.products.select(module.prefilter(table, options)).to_series().fill_null(True).to_list()
        if len(mask) == 1:
            mask = mask * len(catalog.products)
        for product, kept in zip(catalog.products, mask):
            if not kept:
                reported = list(module.check_product(product, options))
                shown = product.values | {"color": product.skus[0].values.get("color", "")}
                assert not reported, f"{module.CODE} prefilter dropped {shown!r}: {reported[0].message}"


@pytest.mark.slow
def test_real_recall_records_both_ways(tmp_path):
    """FDA and CPSC recall records (../shared/data) as listings, one catalog: drugs, devices, food, magnets,
    appliances named as they are sold, with brand names, accents and HTML-free prose. The term rules give the
    same findings over columns as product by product."""
    fda = shared_file("fda_recalls_2017_2021/recalls.csv")
    cpsc = shared_file("cpsc_recalls_recent/cpsc_recalls.csv")
    rows = []
    with fda.open(encoding="utf-8-sig", newline="") as handle:
        rows += [(r["Product-Description"], r["Recall-Reason-Description"], r["Product-Types"], r["Brand-Names"])
                 for r in csv.DictReader(handle)]
    with cpsc.open(encoding="utf-8-sig", newline="") as handle:
        rows += [(r["title"], r["description"], "", r["manufacturer"]) for r in csv.DictReader(handle)]
    path = tmp_path / "recalls.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["product_id", "title", "description", "category", "brand"])
        writer.writerows([f"R{n}", *row] for n, row in enumerate(rows))
    codes = [module.CODE for module, _ in RULES]
    by_product = assert_same_both_ways(path, select=codes)
    assert {line.split()[1] for line in by_product} >= {"AE201", "AE202", "AE401", "AE402", "AE403"}


def _plain_definition(table: CatalogTable, product: Product, scanner) -> bool:
    """Which products AE201 and AE202 judge (`table_candidates`), product by product: a product with text beyond ASCII (or an
    entity), or with a title, description (its tags included) or attribute value whose lower-case chunks
    (split at spaces and '<') are read as holding a phrase's trigger word and its other words."""
    texts = [product.values.get("title", ""), product.values.get("description", "")]
    texts += [value for sku in product.skus for name, value in sku.values.items() if name in table.attribute_fields]
    if not all(text.isascii() for text in texts) or "&" in texts[1]:
        return True
    return any(_triggered(text, scanner) for text in texts)


def _built_definition(table: CatalogTable, product: Product, scanner) -> bool:
    """Which of those AE201 and AE202 build to judge (the others' titles and descriptions are judged from the
    columns): a product with text beyond ASCII (or an entity), or with an attribute value read as holding a
    phrase's trigger word and its other words."""
    texts = [product.values.get("title", ""), product.values.get("description", "")]
    values = [value for sku in product.skus for name, value in sku.values.items() if name in table.attribute_fields]
    if not all(text.isascii() for text in [*texts, *values]) or "&" in texts[1]:
        return True
    return any(_triggered(value, scanner) for value in values)


def _triggered(text: str, scanner) -> bool:
    chunks = {chunk for chunk in text.lower().replace("<", " ").split(" ") if chunk}
    return scanner.triggered(set().union(*(scanner.chunk_words(chunk) for chunk in chunks)) & scanner.phrase_words)


@pytest.mark.parametrize("narrowing", [NARROWING_WAYS, 0])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(products, min_size=1, max_size=6))
def test_listed_term_prefilters_are_their_plain_definition(narrowing, rows):
    """The columnar candidates of AE201 and AE202 (titles and descriptions that may hold a trigger word and a
    phrase's other words found first, then split into chunks; each distinct attribute value read once) are
    exactly the products their plain definition keeps, and the products built to judge them those their
    definition builds, with the texts holding a trigger word narrowed by the phrases' other words or not (past
    NARROWING_WAYS tests)."""
    catalog = catalog_of(rows)
    table = CatalogTable(catalog)
    for pack in (prohibited_item.Options().packs, recalled_item.LIST_NAME):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(_listed_terms, "NARROWING_WAYS", narrowing)
            mask, built = (found.tolist() for found in table_candidates(table, pack))
        expected = [_plain_definition(table, product, scanner_for(pack)) for product in catalog.products]
        assert mask == expected, [p.values for p, m, e in zip(catalog.products, mask, expected) if m != e]
        expected = [_built_definition(table, product, scanner_for(pack)) for product in catalog.products]
        assert built == expected, [p.values for p, m, e in zip(catalog.products, built, expected) if m != e]
