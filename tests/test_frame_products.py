"""Products read from a CSV's columns (aelint.frame_products) against the row-by-row product builder.

Every CSV fixture and real CSV whose layout the columns can be read in is streamed both ways in small batches:
the products built on demand must equal the builder's, and each batch's table frames must equal those
CatalogTable gathers from the builder's products.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

from aelint import catalog_files, frame_products
from aelint.config import from_data
from aelint.engine import Engine, RunOptions
from aelint.frame_products import FrameBatch
from aelint.reader import ProductSplit, Reading, read_catalogs, stream_catalogs
from aelint.table import CatalogTable
from conftest import FIXTURES, SHARED_DATA

CSV_FIXTURES = sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".csv", ".tsv"))
REAL_CSVS = sorted(SHARED_DATA.rglob("*.csv")) if SHARED_DATA.exists() else []
BATCH = 3  # products per batch: most fixtures stream in several


def product_facts(product):
    return (product.product_id, product.row, product.values, product.later_rows, product.columns, product.images,
            product.language, product.translations, product.row_titles,
            [(s.row, s.values, s.columns) for s in product.skus])


def table_facts(table: CatalogTable):
    return (table.product_fields, table.sku_fields, table.products.to_dict(as_series=False),
            table.skus.to_dict(as_series=False), table.empty_value_products.to_list(), table.cells_apart,
            table.main_image_counts.to_list(), table.main_image_refs.to_dict(as_series=False),
            [(r.row, r.product_id) for r in table.product_refs],
            (table.sku_currencies.to_list(), table.product_currencies.to_list())
            if "currency" in table.catalog.columns else None)


def streamed(path: Path):
    """The batches of the one catalog of `path`, streamed after a polars read, with each batch's products and
    table made while it is current; None when the file gave no catalog."""
    reading = Reading([])
    batches = []
    for catalog, found in stream_catalogs(path, path.name, {}, None, "en", BATCH, reading):
        for batch in found:
            table = CatalogTable(catalog)
            batches.append((isinstance(batch, FrameBatch), [product_facts(p) for p in batch], table_facts(table)))
        return catalog, batches
    return None


def compare(path: Path, monkeypatch) -> bool:
    """Whether `path` was read from columns; asserts it reads as the row-by-row builder reads it."""
    monkeypatch.setattr(catalog_files, "COLUMNAR_MIN_BYTES", 0)
    try:
        found = streamed(path)
    except (catalog_files.CatalogError, ProductSplit):  # the builder reads it (a product's rows apart)
        return False
    if found is None or not any(by_columns for by_columns, _, _ in found[1]):
        return False
    catalog, batches = found
    whole = read_catalogs(path, path.name, columnar=False).catalogs[0]
    assert (catalog.rows, catalog.product_count) == (whole.rows, whole.product_count), path
    products = [facts for _, built, _ in batches for facts in built]
    assert products == [product_facts(p) for p in whole.products], path
    start = 0
    for _, built, facts in batches:
        alone = replace(whole, products=whole.products[start:start + len(built)])
        start += len(built)
        assert facts == table_facts(CatalogTable(alone)), path
    return True


def test_fixtures_read_from_columns_as_the_builder_reads_them(monkeypatch):
    by_columns = [path for path in CSV_FIXTURES if compare(path, monkeypatch)]
    # the comparison means something only if most fixtures fit the columnar reading
    assert len(by_columns) >= 0.5 * len(CSV_FIXTURES), (len(by_columns), len(CSV_FIXTURES))


@pytest.mark.skipif(not REAL_CSVS, reason="../shared/data is not present")
@pytest.mark.parametrize("path", REAL_CSVS, ids=lambda p: p.parent.name + "/" + p.name)
def test_real_files_read_from_columns_as_the_builder_reads_them(path, monkeypatch):
    compare(path, monkeypatch)


# What the fixtures rarely hold, in one feed: a product id given as a link with a query, a follow-on row with a
# blank id, blank and space-only rows and cells, product values only on a later row, follow-on rows with titles
# of their own (one differing only in spaces), image cells naming several pictures, a later row with pictures of
# its own (its SKU's image) and one repeating its product's, and currency cells (a code, an alias, no code).
EDGES = """Product Link,Title,Description,Brand,SKU,Color,Price,Currency,Main Image 1,Main Image 2,Variant Image
https://shop.example/item/1?spm=a#top,Ceramic Mug,<p>Mug</p>,,M1-W,White,12.5,usd,https://img.example/1.jpg,,
,Ceramic Mug,,Acme,M1-B,Black,12.5,,https://img.example/1.jpg,,
https://shop.example/item/1,Ceramic Mug Blue,,,M1-U,Blue,13,RMB,https://img.example/9.jpg,,
,,,,,,,,,,
   ,  ,,,,,,,,,
https://shop.example/item/2,Steel Bottle,,,B2-1,Red,9,Euro,"https://img.example/2.jpg; https://img.example/3.jpg",https://img.example/4.jpg,
https://shop.example/item/2, Steel Bottle ,,,B2-2,Red ,9,,"https://img.example/2.jpg; https://img.example/3.jpg",https://img.example/4.jpg,https://img.example/v.jpg
https://shop.example/item/3,,,,C3-1,,  ,,https://img.example/5.jpg|https://img.example/6.jpg,,
https://shop.example/item/3,Cotton Towel,Soft towel,Acme,C3-2,Grey,4,eur,https://img.example/5.jpg|https://img.example/6.jpg,,
"""


def test_a_feed_of_edge_cases_reads_from_columns_as_the_builder_reads_it(tmp_path, monkeypatch):
    path = tmp_path / "feed.csv"
    path.write_text(EDGES, encoding="utf-8")
    assert compare(path, monkeypatch)


# Options, units and fields over several columns, in one feed: two title and two SKU columns (the first non-blank
# read, a follow-on row titled in the second), weights in grams and sides in millimetres (bare numbers converted,
# "1.5 kg" and " 30 " as the reader writes them, a value from a later row), options whose name a follow-on row
# leaves blank (carried over) or gives anew, an option over the Color column and one after another naming the
# same field, a blank option value kept, Shopify's "Title"/"Default Title" (either case), a product whose first
# row names no option but a later row does, and a row with option cells only.
OPTIONS = """Product ID,Title,Product Name,Description,SKU,Seller SKU,Option1 Name,Option1 Value,Option2 Name,\
Option2 Value,Color,Weight (g),Package Length (mm),Price,Main Image
P1,Mug, Mug Alt,,M1,,Color,White,Size,L,Black,350,120,12,https://img.example/1.jpg
P1,,Other Mug,,,M2,,Blue,Colour,, ,350,,12,https://img.example/1.jpg
P1,,,,M3,,Material,Steel,,XL,,,,12,
,,,,,,,,,,,,,,
P2,  ,Bottle,<p>x</p>,B1,,Title,Default Title,,,Red,1.5 kg, 30 ,9,https://img.example/2.jpg
P2,Bottle 2,,,B2,,title,default title,Size,,,,,9,
P3,,,,,, ,Green,,,,,,,
P3,Towel,,,T1,,Size,,,,,2,40,3,
,,,,,,Size,M,,,,,,,
"""


def test_options_units_and_fields_over_several_columns_read_from_columns_as_the_builder_reads_them(
        tmp_path, monkeypatch):
    path = tmp_path / "feed.csv"
    path.write_text(OPTIONS, encoding="utf-8")
    assert compare(path, monkeypatch)


# Shopify's images spread over a product's rows, in one feed: image-only rows (no SKU; their option names and
# values blank, carried over), a row repeating its product's first row's picture, pictures already seen and new
# ones (one cell naming several, one twice), a product whose first row has no picture (its pictures from a later
# row), one whose first row's picture cell holds spaces only, an image-only row with a price of its own (a SKU),
# a "Default Title" product, and Variant Grams converted.
SHOPIFY = """Handle,Title,Body (HTML),Option1 Name,Option1 Value,Option2 Name,Option2 Value,Variant SKU,\
Variant Grams,Variant Price,Image Src,Image Position
shirt,Cotton Shirt,<p>Soft</p>,Color,Green,Size,S,SH-G-S,145,25,https://img.example/s1.jpg,1
shirt,,,,Green,,M,SH-G-M,145,25,https://img.example/s1.jpg,
shirt,,,,,,,,,,https://img.example/s2.jpg,2
shirt,,,,,,,,,,"https://img.example/s3.jpg; https://img.example/s2.jpg; https://img.example/s3.jpg",3
shirt,,,,Blue,,L,SH-B-L,150,26,,
cap,Wool Cap,,Title,Default Title,,,CAP-1,80,12,,
cap,,,,,,,,,,https://img.example/c1.jpg,1
cap,,,,,,,,,,https://img.example/c2.jpg,2
cap,,,,,,,,,13,https://img.example/c3.jpg,3
mug,Mug,,Color,White,,,MUG-W,300,9,   ,
mug,,,,,,,,,,https://img.example/m1.jpg|https://img.example/m2.jpg,1
"""


def test_shopify_images_over_rows_read_from_columns_as_the_builder_reads_them(tmp_path, monkeypatch):
    path = tmp_path / "products_export.csv"
    path.write_text(SHOPIFY, encoding="utf-8")
    assert compare(path, monkeypatch)


@pytest.mark.parametrize("feed", [EDGES, OPTIONS, SHOPIFY], ids=["edges", "options", "shopify"])
def test_the_feeds_lint_alike_from_columns_and_row_by_row(feed, tmp_path, monkeypatch):
    path = tmp_path / "feed.csv"
    path.write_text(feed, encoding="utf-8")

    def findings(**options):
        report = Engine(RunOptions(cache=False, jobs=1, images=False, **options), from_data({}, None)).lint([path])
        assert not report.failures
        return [(d.row, d.column, d.code, d.message, d.fix) for d in report.diagnostics]

    monkeypatch.setattr(catalog_files, "COLUMNAR_MIN_BYTES", 0)
    from_columns = findings(columnar_from=0, batch_products=2)
    monkeypatch.setattr(catalog_files, "COLUMNAR_MIN_BYTES", 1 << 62)
    assert from_columns == findings(columnar_from=sys.maxsize) and from_columns


@pytest.mark.parametrize("layout", ["ae_open_platform", "ae_dropshipping", "shopify_2024"])
def test_layouts_with_options_or_images_over_rows_read_from_columns(layout, monkeypatch):
    paths = sorted((FIXTURES / "layouts" / layout).glob("*.csv"))
    assert paths and all(compare(path, monkeypatch) for path in paths)


@pytest.mark.parametrize("rows", [
    "P1,Mug,M1\nP2,Bottle,B1\nP1,Mug,M2\n",  # a product's rows apart
    "P1,Mug,M1,\nP1,Mug,M2,https://img.example/1.jpg\n",  # pictures only on a later row
])
def test_rows_the_columns_cannot_read_are_grouped_row_by_row(rows, tmp_path, monkeypatch):
    path = tmp_path / "feed.csv"
    path.write_text("Product ID,Title,SKU,Main Image\n" + rows, encoding="utf-8")
    monkeypatch.setattr(catalog_files, "COLUMNAR_MIN_BYTES", 0)
    reading = Reading([])
    batches = [batch for _, found in stream_catalogs(path, path.name, {}, None, "en", 1000, reading) for batch in found]
    assert reading.reader == "polars" and batches and not any(isinstance(b, FrameBatch) for b in batches)
    assert not compare(path, monkeypatch)


# Every character Python's str.isspace() takes, the edges of the ranges the tests below skip the pattern for,
# and cells in other scripts: each alone, leading, trailing and between letters.
CHARACTERS = [chr(c) for c in range(0x110000) if chr(c).isspace()] + [
    "!", "~", "\x7f", "\x80", "\x00", ";", "<", "{", "|", ",", "a", "é", "陶", "\u3001", "\U0001f600"]
CELLS = ["", "abc", "https://x.test/a.jpg", *CHARACTERS, *(f"{c}x" for c in CHARACTERS),
         *(f"x{c}" for c in CHARACTERS), *(c * 3 for c in CHARACTERS), " \u3000\xa0\t", " ;|, ", ";", ",|"]


@pytest.mark.parametrize("made_of, expected", [
    (frame_products._blank, lambda text: text.strip() == ""),
    (frame_products._no_picture, lambda text: all(c.isspace() or c in ";|," for c in text)),
])
def test_cells_made_of_a_class_alone_are_found_as_the_pattern_finds_them(made_of, expected):
    """A cell whose first character is in the range the pattern is skipped for holds one outside the class:
    spaces, the image separators and characters at the range's edges are tested one by one."""
    import polars as pl

    found = pl.DataFrame({"cell": CELLS}).select(made_of(pl.col("cell")).alias("found"))["found"].to_list()
    assert found == [expected(text) for text in CELLS]
