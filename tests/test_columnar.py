"""Judging over columns changes nothing: every prefilter and check_table gives check_product's findings.

Small catalogs are judged product by product; from `RunOptions.columnar_from` products on, rules with a
`prefilter` see only the products it hands them and rules with `check_table` judge the columns
(aelint.table). Each catalog here is linted both ways, all rules, and the findings must be identical.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from aelint.engine import Report, RunOptions
from aelint.registry import load_checks
from aelint.testing import diagnostic_line, fixture_cases
from conftest import FIXTURES, REAL_CATALOGS, ROOT, lint_catalog, shared_file


def lines(report: Report) -> list[str]:
    assert not report.failures, report.failures
    return [diagnostic_line(d) for d in report.diagnostics]


def assert_same_both_ways(path: Path, by_product: Report | None = None, **options) -> list[str]:
    """Lint `path` over columns and product by product (`by_product`: that Report, when the caller has it
    from the `plain_lint` fixture) and compare."""
    by_product = by_product or lint_catalog(path, columnar_from=sys.maxsize, **options)
    by_columns = lint_catalog(path, columnar_from=0, **options)
    assert lines(by_columns) == lines(by_product), f"{path.name}: judging over columns changes the findings"
    return lines(by_product)


def test_rules_narrowed_by_columns_exist():
    """The columnar path is not empty: some rules prefilter or judge tables (else this file tests nothing)."""
    assert any(c.prefilter or c.check_table for c in load_checks())


@pytest.mark.parametrize("case", fixture_cases(FIXTURES), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_fixture_case(case, monkeypatch, plain_lint):
    monkeypatch.chdir(case.parent)
    assert_same_both_ways(case, plain_lint(case))


def test_the_shipped_examples(plain_lint):
    for example in sorted((ROOT / "examples").glob("*.csv")):
        assert_same_both_ways(example, plain_lint(example))


@pytest.mark.slow
@pytest.mark.parametrize("relative", REAL_CATALOGS)
def test_real_catalogs(relative, plain_lint):
    path = shared_file(relative)
    found = assert_same_both_ways(path, plain_lint(path))
    assert found  # real catalogs have findings: the comparison compares something


def test_rules_judging_columns_alone_still_judge_the_views():
    """With only rules that judge the columns selected, the per-product pass still visits the products with
    other-language texts (the template's English names are views of its Russian ones), and only those."""
    path = FIXTURES / "layouts" / "aliexpress_template" / "fires.csv"
    found = assert_same_both_ways(path, select=["AE108"])
    assert any("Product name (English)" in line for line in found)


@pytest.mark.slow
def test_a_generated_catalog_with_planted_problems(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    _, csv_path = generate.generate(tmp_path, 6000, workbook=False)
    found = assert_same_both_ways(csv_path)
    assert len({line.split()[1] for line in found}) >= 8  # planted problems of many rules


IMAGE_RULES = {c.module.__name__.rsplit(".", 1)[-1] for c in load_checks() if c.per_product and c.needs_images}


@pytest.mark.parametrize("case", [case for case in fixture_cases(FIXTURES) if case.parent.name in IMAGE_RULES],
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_image_rules_over_columns_with_images_probed(case, monkeypatch):
    """The image rules' fixtures (local files missing, unreadable, too small, not square, too large, links of
    every form) with their images probed: each rule's prefilter hands over every product it reports."""
    monkeypatch.chdir(case.parent)
    found = assert_same_both_ways(case, images=True)
    assert found or case.stem.startswith("silent")


def test_image_rules_pass_links_that_are_not_fetched_by(tmp_path):
    """Well-formed https links that are not fetched say nothing an image rule reports ("remote"): the image
    rules' prefilters hand over no product of such a catalog, and only the products with another link or a
    local file otherwise, whichever of the four image fields holds it."""
    from aelint.config import from_data
    from aelint.engine import selected_checks
    from aelint.image_probe import Cache, probe_references
    from aelint.images import image_references, merge_facts
    from aelint.reader import read_catalog
    from aelint.table import CatalogTable

    link = "https://ae01.alicdn.com/kf/H{}.jpg"
    rows = [f"P{i},Ceramic Mug {i},{link.format(i)};{link.format(i + 100)},M-{i},{link.format(i + 200)},"
            f"{link.format(i + 300)}" for i in range(6)]
    rows[1] = rows[1].replace("https://ae01.alicdn.com/kf/H101.jpg", "img/missing.jpg")  # a main image's 2nd
    rows[3] = rows[3].replace("https://ae01.alicdn.com/kf/H203.jpg", "http://ae01.alicdn.com/kf/H203.jpg")  # SKU's
    rows[5] = rows[5].replace("H305.jpg", "H305.webp")  # the marketing image's
    path = tmp_path / "catalog.csv"
    path.write_text("product_id,title,main_images,sku_code,variant_image,marketing_image_square\n"
                    + "\n".join(rows) + "\n", encoding="utf-8")
    config, run = from_data({}, None), RunOptions(cache=False, jobs=1)
    checks = [c for c in selected_checks(config, run) if c.per_product and c.needs_images]
    assert {c.code for c in checks if c.prefilter} == {"AE303", "AE304", "AE305", "AE306", "AE307", "AE309", "AE310"}

    def handed_over(catalog) -> dict[str, list[int]]:
        probe_references(image_references(catalog, merge_facts(c.image_facts for c in checks)), tmp_path,
                         catalog.images, Cache(None))
        table = CatalogTable(catalog)
        chosen = table.products.select("index", *(c.prefilter(table, config.options_for(c)).alias(c.code)
                                                  for c in checks if c.prefilter))  # with "index", full length
        return {code: chosen.filter(code)["index"].to_list() for code in chosen.columns[1:]}

    assert handed_over(read_catalog(path, str(path))) == {"AE303": [1, 3], "AE304": [5], "AE305": [], "AE306": [],
                                                          "AE307": [], "AE309": [], "AE310": []}
    path.write_text(path.read_text(encoding="utf-8").replace("img/missing.jpg", link.format(101))
                    .replace("http:", "https:").replace(".webp", ".jpg"), encoding="utf-8")
    assert all(not on for on in handed_over(read_catalog(path, str(path))).values())


TABLE_COLLECTORS = {c.module.__name__.rsplit(".", 1)[-1] for c in load_checks()
                    if hasattr(getattr(c.module, "Collector", None), "add_table")}


@pytest.mark.parametrize("case", [case for case in fixture_cases(FIXTURES) if case.parent.name in TABLE_COLLECTORS],
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_collectors_fed_columns_and_products_by_turns(case, monkeypatch):
    """A catalog streamed in batches of 2 products, each full batch as columns (`add_table`) and the last one
    of a single product by `add`: the facts one path keeps serve the other, and the findings are those of
    the catalog judged whole, product by product."""
    monkeypatch.chdir(case.parent)
    whole = lines(lint_catalog(case, columnar_from=sys.maxsize, keep_catalogs=True))
    assert lines(lint_catalog(case, columnar_from=2, batch_products=2)) == whole
    assert lines(lint_catalog(case, columnar_from=0, batch_products=2)) == whole


@pytest.mark.parametrize("case", sorted((FIXTURES / "duplicate_listing").glob("*.csv")), ids=lambda p: p.name)
def test_duplicate_listing_alone_feeds_the_title_table_from_columns(case, monkeypatch):
    """AE601 without AE509 (which feeds the shared title table first in a full run): its own `add_table`
    feeds it, by turns with `add`, and finds what it finds product by product."""
    monkeypatch.chdir(case.parent)
    whole = lines(lint_catalog(case, columnar_from=sys.maxsize, select=["AE601"]))
    assert any(" AE601 " in line for line in whole) or case.stem != "fires"
    assert lines(lint_catalog(case, columnar_from=2, batch_products=2, select=["AE601"])) == whole
    assert lines(lint_catalog(case, columnar_from=0, batch_products=3, select=["AE601"])) == whole


def test_collectors_with_columns_exist():
    """The rules of catalog-wide collectors over columns (images, SKU codes, prices, compliance, descriptions)
    are there to compare."""
    assert {"main_image_missing", "marketing_image_missing", "variant_image_missing", "duplicate_sku_code",
            "missing_sku_code", "price_outlier", "epr_registration", "authorization_category",
            "missing_required_field", "description_quality"} <= TABLE_COLLECTORS


def test_other_language_texts_judged_where_no_prefilter_hands_the_product_over(tmp_path):
    """A product's other-language title is judged by a per-language rule that judges tables (AE105 judges
    views product by product) even where every prefiltered rule selected passes the product by."""
    template = (FIXTURES / "layouts" / "aliexpress_template" / "fires.csv").read_text(encoding="utf-8")
    french = template.replace("КРУЖКА КЕРАМИЧЕСКАЯ КРАСНАЯ БОЛЬШАЯ",  # the Russian title, a view of the product
                              "Tasse à café en céramique rouge pour le petit déjeuner", 1)
    assert french != template
    path = tmp_path / "catalog.csv"
    path.write_text(french, encoding="utf-8")
    found = assert_same_both_ways(path, select=["AE105", "AE506"])
    assert len(found) == 1 and found[0].startswith("4:Product name (Russian): AE105 ")


def test_image_references_keyed_from_columns_as_from_products(tmp_path):
    """AE311 and AE601 key references (`facts.RunKeys`) one way for a whole catalog, chosen at its first batch:
    texts from polars columns and the same texts from products get the same keys, non-ASCII ones too, so
    references repeat across batches and paths; distinct texts get distinct keys."""
    import polars as pl

    from aelint.facts import RunKeys, run_hash

    texts = ["mug.jpg", "https://例え.jp/猫 1.png", "café-ñ.webp", "", "\u00a0x", "n\0a.jpg\0b.jpg", "n\0a.jpg"]
    by_columns = RunKeys()
    keys = by_columns(pl.Series(texts))
    assert by_columns(texts) == keys and len(set(keys)) == len(texts) and all(0 <= k < 1 << 127 for k in keys)
    assert RunKeys()(pl.Series(texts)) != keys  # seeds drawn afresh for each catalog
    by_products = RunKeys()
    assert by_products(texts) == [run_hash(t) for t in texts] == by_products(pl.Series(texts))
    path = tmp_path / "catalog.csv"
    path.write_text("product_id,title,main_images,sku_code,price\n"
                    "P1,Tasse en céramique rouge,https://例え.jp/猫 1.png; café-ñ.webp,S1,10\n"
                    "P2,Lampe de chevet en bois,https://例え.jp/猫 1.png; café-ñ.webp,S2,12\n"
                    "P3,Sac à dos de randonnée,café-ñ.webp,S3,30\n", encoding="utf-8")
    found = assert_same_both_ways(path, select=["AE311", "AE601"])
    assert [line.split()[1] for line in found].count("AE311") == 3 and any(" AE601 " in f for f in found)
    assert lines(lint_catalog(path, columnar_from=0, batch_products=1, select=["AE311", "AE601"])) == found


# Catalogs whose pictures repeat: AE311's (P3's b, P4's a as P1's, P5's c as P2's) and AE601's (P4 has P1's
# two pictures in another order, P5 P2's one); and whose SKU codes repeat, AE501's (P3's S1 as P1's, in the first
# batch; P4's S2 and P5's S1, written with a space, in the second).
KEYED_CATALOGS = {
    "AE501": ("duplicate_sku_code", [2, 4, 6, 3, 5], "product_id,title,sku_code\n"
              "P1,Mug,S1\nP2,Cup,S2\nP3,Pot,S1\nP4,Pan,S2\nP5,Jar, S1\nP6,Bowl,S6\n"),
    "AE311": ("duplicate_image", [4, 5, 6], "product_id,title,main_images\n"
              "P1,Mug,https://x/a.jpg;https://x/b.jpg\n"
              "P2,Cup,https://x/c.jpg\n"
              "P3,Pot,https://x/b.jpg\n"
              "P4,Pan,https://x/a.jpg ;https://x/d.jpg\n"
              "P5,Jar,https://x/c.jpg;https://x/c.jpg\n"),
    "AE601": ("duplicate_listing", [5, 6], "product_id,title,main_images\n"
              "P1,Ceramic coffee mug,https://x/a.jpg;https://x/b.jpg\n"
              "P2,Wooden bedside lamp,https://x/c.jpg\n"
              "P3,Hiking backpack,https://x/e.jpg\n"
              "P4,Garden hose reel,https://x/b.jpg;https://x/a.jpg\n"
              "P5,Leather wallet,https://x/c.jpg\n"
              "P6,Yoga mat,https://x/e.jpg;https://x/f.jpg\n"),
}


@pytest.mark.parametrize("code", sorted(KEYED_CATALOGS))
def test_image_keys_are_made_one_way_per_catalog_whichever_path_its_batches_take(code, tmp_path):
    """AE311 keys references, and AE601 each product's set of main images, one way per catalog (`facts.RunKeys`:
    polars' hashes when its first batch comes as columns, `run_hash` when it comes product by product): a later
    batch by the other path still finds the earlier ones."""
    import importlib

    from aelint.facts import collect
    from aelint.reader import read_catalog
    from aelint.table import CatalogTable

    name, rows, text = KEYED_CATALOGS[code]
    module = importlib.import_module(f"aelint.checks.{name}")
    path = tmp_path / "catalog.csv"
    path.write_text(text, encoding="utf-8")
    catalog = read_catalog(path, path.name)
    products, options = catalog.products, module.Options()
    whole = [(p.message, p.cell.row) for p in module.check(catalog, options)]
    assert [row for _, row in whole] == rows
    for first_as_table in (True, False):
        catalog.release_shared()  # (the title table AE601 shares with AE509)
        collector = module.Collector(catalog, options)
        found = []
        for batch, as_table in ((products[:3], first_as_table), (products[3:], not first_as_table)):
            catalog.products = batch
            found.extend(collect(collector, batch, CatalogTable(catalog) if as_table else None))
        found.extend(collector.finish())
        assert [(p.message, p.cell.row) for p in found] == whole
