"""The layouts sellers really have (../shared/spec/layouts.md), read without a [columns] mapping.

Each folder under fixtures/layouts/ holds a hand-made `silent.csv` and `fires.csv` in one layout. A fires case
gives exactly the listed diagnostics of the rules under test; its silent look-alike gives none of them.
"""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from aelint import config as config_module
from aelint.catalog_files import CatalogError
from aelint.cli import main
from aelint.engine import Engine, RunOptions
from aelint.reader import read_catalog, read_catalogs
from conftest import FIXTURES, shared_file

LAYOUTS = FIXTURES / "layouts"


def lint(path, select, **settings):
    config = config_module.from_data(settings, None)
    report = Engine(RunOptions(select=select, cache=False, jobs=1, images=False), config).lint([path])
    assert not report.failures, report.failures
    return report


def found(path, select, **settings):
    return [(d.row, d.column, d.code) for d in lint(path, select, **settings).diagnostics]


# layout -> (rules under test, what fires.csv gives for them: (row, column, code))
CASES = {
    "aliexpress_template": (["AE1", "AE504", "AE602", "AE603"], [
        (4, "Product name (Russian)", "AE106"), (4, "Product name (English)", "AE108"),
        (5, "Product name (English)", "AE108"),  # a follow-on row's own title
        (6, "Price, CNY*", "AE504"), (6, "Shipping template*", "AE602"),
        (6, "Order processing time (days)*", "AE603"), (6, "Weight in packaging (kg)*", "AE603")]),
    "ae_open_platform": (["AE503", "AE505", "AE602", "AE603"], [
        (2, "discount_price", "AE505"), (2, "package_height", "AE603"), (2, "shipping_lead_time", "AE603"),
        (3, "price", "AE505")]),
    "ae_dropshipping": (["AE1", "AE503", "AE510"], [
        (2, "ae_item_base_info_dto.subject", "AE106"), (2, "ae_item_sku_info_dtos[].ipm_sku_stock", "AE510"),
        (3, "ae_item_sku_info_dtos[].ipm_sku_stock", "AE510")]),
    # Read as a Wish upload (its layout picks Wish's rules): "free shipping" is AE611 there, not AE108.
    "wish_legacy": (["AE108", "AE611", "AE312", "AE505"], [(2, "Product Name", "AE611"), (3, "Price", "AE505")]),
    "wish_2021": (["AE312", "AE503"], [(3, "Color", "AE503")]),
    "wish_erp": (["AE602"], [(2, "*Product Name", "AE602")]),
    "shopify_2024": (["AE505", "AE506", "AE602", "AE604"], [
        (None, None, "AE602"),  # no shipping template or package size column: said once for the file
        (2, "Price", "AE505"), (2, "Description", "AE604"), (5, "Inventory quantity", "AE506"),
        (5, "Description", "AE604")]),
}
# What the silent look-alike still gives for those rules (nothing but the file-level notes Shopify earns).
SILENT = {"shopify_2024": [(None, None, "AE602"), (2, "Description", "AE604"), (5, "Description", "AE604")]}


@pytest.mark.parametrize("layout", sorted(CASES))
def test_layout_fires(layout):
    select, expected = CASES[layout]
    assert sorted(found(LAYOUTS / layout / "fires.csv", select), key=str) == sorted(expected, key=str)


@pytest.mark.parametrize("layout", sorted(CASES))
def test_layout_silent(layout):
    select, _ = CASES[layout]
    assert found(LAYOUTS / layout / "silent.csv", select) == SILENT.get(layout, [])


def fields_of(catalog):
    return {c.header: (c.field, c.level) for c in catalog.column_readings}


def test_template_header_block():
    catalog = read_catalog(LAYOUTS / "aliexpress_template" / "silent.csv", "t.csv")
    assert catalog.header_rows == (1, 2, 3) and catalog.header_row == 3
    assert [p.row for p in catalog.products] == [4, 6]  # data starts after the block
    columns = fields_of(catalog)
    assert columns["AliExpress product ID (seller SPU ID)*"] == ("product_id", "product")
    assert columns["SKU ID/Barcode (seller SKU ID)*"] == ("sku_code", "sku")
    assert columns["Price, CNY*"] == ("price", "sku") and catalog.currency == "CNY"
    assert columns["Discounted price, CNY"] == ("discount_price", "sku")
    assert columns["Stocks"] == ("stock", "sku") and columns["Variation Image"] == ("variant_image", "sku")
    assert columns["Model Number"] == ("product_attr:Model Number", "product")  # a category attribute
    assert columns["\u0421olor name in your system"] == ("seller_color_name", "sku")
    assert columns["Order processing time (days)*"] == ("processing_days", "product")
    assert columns["Weight in packaging (kg)*"] == ("weight_kg", "product")
    assert columns["Height in packaging (cm)*"] == ("package_height_cm", "product")
    assert not catalog.ignored_headers
    assert "shipping_template" in catalog.required_fields and "stock" not in catalog.required_fields
    assert catalog.limits["processing_days"] == (1, 30) and catalog.limits["weight_kg"] == (0.001, 500)
    mug = catalog.products[0]
    assert mug.title == "Ceramic Coffee Mug 350ml Red Glazed Tea Cup" and mug.language == "en"
    assert mug.translations["ru"]["title"].value.startswith("Кружка")
    assert mug.get("product_attr:Model Number") == "MG-350"


def test_configured_language_picks_the_main_column():
    """language = "ru": the Russian name is what catalog-wide rules compare; the English one is a view."""
    catalog = read_catalog(LAYOUTS / "aliexpress_template" / "silent.csv", "t.csv", language="ru")
    mug = catalog.products[0]
    assert mug.title.startswith("Кружка") and mug.language == "ru"
    assert [v.title for v in mug.views()] == ["Ceramic Coffee Mug 350ml Red Glazed Tea Cup"]
    assert mug.views()[0].cell("title").column == "Product name (English)"


def test_each_language_column_judged_in_its_language(tmp_path):
    """A Russian name in the Russian column is not AE105; Cyrillic in the English column is."""
    path = tmp_path / "t.csv"
    write_rows(path, [["Product ID", "Product name (English)", "Product name (Russian)"],
                      ["P1", "Ceramic Coffee Mug 350ml White", "Кружка керамическая белая 350 мл"],
                      ["P2", "Кружка керамическая синяя 350 мл", "Кружка керамическая синяя 350 мл"]])
    assert found(path, ["AE105"]) == [(3, "Product name (English)", "AE105")]


def write_rows(path, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def template_workbook(path, extra_sheets=()):
    """The template's CSV fixture as the .xlsx sellers download: group titles merged over their columns."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in [*extra_sheets, ("Products", None)]:
        sheet = workbook.create_sheet(title)
        if rows is None:
            with (LAYOUTS / "aliexpress_template" / "fires.csv").open(newline="", encoding="utf-8") as handle:
                rows = list(csv.reader(handle))
            groups = rows[0]
            for row in rows:
                sheet.append(row)
            starts = [i for i, g in enumerate(groups) if g] + [len(groups)]
            for start, end in zip(starts, starts[1:]):
                if end - start > 1:
                    sheet.merge_cells(start_row=1, start_column=start + 1, end_row=1, end_column=end)
        else:
            for row in rows:
                sheet.append(row)
    workbook.save(path)
    return path


def test_template_workbook_with_merged_groups_and_other_sheets(tmp_path):
    path = template_workbook(tmp_path / "template.xlsx", extra_sheets=[
        ("Instructions", [["Fill in one row per SKU."], ["Fields marked * are required."]]),
        ("Second batch", [["Product ID", "Title", "Price"], ["Q1", "Bamboo Cutting Board 40x30 cm FREE SHIPPING", "9"]]),
    ])
    reading = read_catalogs(path, "template.xlsx")
    assert [c.sheet for c in reading.catalogs] == ["Second batch", "Products"]
    assert [name for name, _ in reading.skipped_sheets] == ["Instructions"]
    products = reading.catalogs[1]
    assert products.header_rows == (1, 2, 3)
    assert {c.group for c in products.column_readings if c.field == "color"} == {"Product variation info (SKU)"}
    report = lint(path, ["AE108"])
    assert [(d.sheet, d.row, d.column) for d in report.diagnostics] == [
        ("Second batch", 2, "B"), ("Products", 4, "D"), ("Products", 5, "D")]
    result = CliRunner().invoke(main, [str(path), "--select", "AE108", "--no-images", "-v"])
    assert "[Instructions]: not linted (no catalog header" in result.stderr
    assert "[Second batch]" in result.stdout


def test_sheet_on_a_csv_is_an_error():
    result = CliRunner().invoke(main, [str(LAYOUTS / "wish_2021" / "silent.csv"), "--sheet", "Products"])
    assert result.exit_code == 2 and "a CSV file has no sheets" in result.stderr


@pytest.mark.parametrize("name, looks_like", [
    ("dsers_orders.csv", "an orders file"), ("links.csv", "a list of links"), ("price_list.csv", "a supplier price list")])
def test_not_a_catalog(name, looks_like):
    path = LAYOUTS / "not_catalogs" / name
    result = CliRunner().invoke(main, [str(path), "--no-images"])
    assert result.exit_code == 2
    assert f"{path}: this looks like {looks_like}" in result.stderr and "Traceback" not in result.stderr


def test_api_field_names():
    """sku_stock is an in-stock flag, ipm_sku_stock the count; dotted API paths read by their last part."""
    catalog = read_catalog(LAYOUTS / "ae_dropshipping" / "silent.csv", "d.csv")
    sku = catalog.products[0].skus[0]
    assert sku.values["stock"] == "300" and sku.values["in_stock"] == "true"
    assert sku.values["discount_price"] == "8.50" and sku.get("weight_kg") == "0.35"
    open_platform = read_catalog(LAYOUTS / "ae_open_platform" / "silent.csv", "o.csv")
    bottle = open_platform.products[0]
    assert [s.attributes for s in bottle.skus] == [{"color": "Black"}, {"color": "White"}]
    assert len(bottle.image_cells("main_images")) == 2 and bottle.get("processing_days") == "5"
    assert bottle.skus[0].values["barcode"] == "6901234567892"


def test_wish_columns():
    catalog = read_catalog(LAYOUTS / "wish_legacy" / "silent.csv", "w.csv")
    tee = catalog.products[0]
    assert tee.get("tags").startswith("T-shirt") and tee.get("landing_page_url").startswith("https://")
    assert tee.get("shipping_time") == "7-14" and len(tee.image_cells("main_images")) == 3
    sku = tee.skus[0]
    assert (sku.values["msrp"], sku.values["shipping_price"], sku.values["barcode"]) == ("20.00", "2.00", "012345678905")
    assert sku.values["variant_image"].endswith("tee-black.jpg")
    erp = read_catalog(LAYOUTS / "wish_erp" / "silent.csv", "e.csv")
    assert erp.required_fields == {"sku_code", "title", "tags", "msrp", "main_images"}
    assert read_catalog(LAYOUTS / "wish_2021" / "silent.csv", "w.csv").products[0].skus[1].values["variant_image"]


def test_wish_2021_currency_is_read_per_row(tmp_path):
    """Wish 2021's `Currency` column names each row's currency: a blank cell is its product's (the first row
    naming one), else the price header's; a cell that is no code leaves the row's currency unknown (None)."""
    rows = [["Parent SKU", "SKU", "Name", "Price, USD", "Currency", "Quantity", "Color"],
            ["MUG", "MUG-W", "Ceramic Mug", "8.00", " eur ", "3", "White"],
            ["MUG", "MUG-B", "Ceramic Mug", "8.00", "", "3", "Black"],
            ["MUG", "MUG-R", "Ceramic Mug", "56.00", "RMB", "3", "Red"],
            ["CAP", "CAP-R", "Baseball Cap", "9.00", "", "3", "Red"],
            ["TEE", "TEE-W", "Cotton Tee", "9.00", "Euro", "3", "White"],
            ["TEE", "TEE-B", "Cotton Tee", "9.00", "", "3", "Black"]]
    path = tmp_path / "wish.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows(rows)
    catalog = read_catalog(path, "wish.csv")
    assert catalog.columns["currency"] == "Currency" and catalog.currency == "USD"
    mug, cap, tee = catalog.products
    assert [sku.currency for sku in mug.skus] == ["EUR", "EUR", "CNY"]
    assert [sku.currency for sku in cap.skus] == ["USD"]  # no row of the product says: the header's
    assert [sku.currency for sku in tee.skus] == [None, None]
    assert mug.skus[2].currency_note == " (prices in CNY)" and tee.skus[0].currency_note == ""


def test_shopify_2024_grouping_units_and_image_rows():
    catalog = read_catalog(LAYOUTS / "shopify_2024" / "silent.csv", "s.csv")
    pillow, towel = catalog.products
    assert [s.sku_code for s in pillow.skus] == ["PIL-45-NAT", "PIL-45-GRY"]  # the image-only row is no SKU
    assert [c.value.rsplit("/", 1)[1] for c in pillow.image_cells("main_images")] == [
        "pillow-1.jpg", "pillow-2.jpg", "pillow-3.jpg"]
    assert len(towel.skus) == 1 and len(towel.image_cells("main_images")) == 2
    assert pillow.get("weight_kg") == "350 g"  # Weight value (grams): read in grams
    assert pillow.skus[1].attributes == {"color": "Grey"} and pillow.skus[0].values["msrp"] == "25.00"


def test_grams_are_judged_as_grams(tmp_path):
    path = write_rows(tmp_path / "s.csv", [["Handle", "Title", "Variant Grams"],
                                          ["mug", "Ceramic Coffee Mug", "350"], ["anvil", "Steel Anvil", "600000"]])
    assert [d.message for d in lint(path, ["AE603"]).diagnostics] == [
        "weight '600000 g' is 600 kg: AliExpress accepts 0.001-500 kg"]


def test_show_columns():
    result = CliRunner().invoke(main, ["--show-columns", str(LAYOUTS / "aliexpress_template" / "silent.csv")])
    assert result.exit_code == 0
    out = result.stdout
    assert "header row 3 (template block: rows 1-3" in out and "prices in CNY" in out
    assert "'Product name (Russian)' -> title (product, language ru)" in out
    assert "'Weight in packaging (kg)*' -> weight_kg (product, unit kg, required" in out
    assert "ignored: none" in out


def test_physical_line_numbers_in_json_and_sarif(tmp_path):
    """A description over three lines: the next product's diagnostics point at line 5 in every format."""
    path = write_rows(tmp_path / "c.csv", [["Product ID", "Title", "Description"],
                                          ["P1", "Ceramic Coffee Mug 350ml", "line one\nline two\nline three"],
                                          ["P2", "MUG!!!", "plain"]])
    runner = CliRunner()
    report = json.loads(runner.invoke(main, [str(path), "--select", "AE107", "--format", "json"]).stdout)
    assert [d["row"] for d in report["diagnostics"]] == [5]
    sarif = json.loads(runner.invoke(main, [str(path), "--select", "AE107", "--format", "sarif"]).stdout)
    regions = [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in sarif["runs"][0]["results"]]
    assert regions == [5]
    github = runner.invoke(main, [str(path), "--select", "AE107", "--format", "github"]).stdout
    assert "line=5" in github


def test_follow_on_row_with_another_title_is_linted_there(tmp_path):
    """Chosen: the row stays a SKU of its product; its own title is linted by the title rules at its cell."""
    path = write_rows(tmp_path / "c.csv", [["Product ID", "Title", "SKU"],
                                          ["P1", "Ceramic Coffee Mug 350ml", "A"],
                                          ["P1", "Ceramic Coffee Mug 350ml", "B"],
                                          ["P1", "CHEAP MUG!!! BEST PRICE", "C"]])
    catalog = read_catalog(path, "c.csv")
    assert len(catalog.products) == 1 and len(catalog.products[0].skus) == 3
    assert sorted(found(path, ["AE1"])) == [(4, "Title", "AE106"), (4, "Title", "AE107"), (4, "Title", "AE108")]


def test_real_shopify_sample_is_read_as_three_products():
    catalog = read_catalog(shared_file("shopify_product_template/product_template.csv"), "p.csv")
    assert [len(p.skus) for p in catalog.products] == [12, 3, 1]
    assert catalog.products[0].get("weight_kg") == "145 g"  # Variant Grams


def test_real_files_are_read():
    dropship = read_catalog(shared_file("aliexpress_dropship_variants/report_copy3.csv"), "r.csv")
    assert len(dropship.products) == 24 and dropship.rows == 510
    wish = read_catalog(shared_file("wish_summer_clothes/summer-products-with-rating-and-performance_2020-08.csv"),
                        "w.csv")
    assert wish.products[0].get("tags").startswith("Summer")
    assert {sku.currency for product in wish.products for sku in product.skus} == {"EUR"}  # currency_buyer
    with pytest.raises(CatalogError, match="a list of links"):
        read_catalog(shared_file("aliexpress_dropship_variants/links.csv"), "links.csv")


def test_description_in_another_language_is_measured_at_its_column(tmp_path):
    long_en = "A 350 ml ceramic mug for coffee and tea. Safe in the dishwasher and the microwave, with a lead-free glaze."
    path = write_rows(tmp_path / "c.csv", [["Product ID", "Product name (English)", "Description (English)",
                                            "Description (Russian)"],
                                           ["P1", "Ceramic Coffee Mug 350ml", long_en, "Кружка."],
                                           ["P2", "Ceramic Soup Bowl 600ml", long_en, ""]])
    assert found(path, ["AE604"]) == [(2, "Description (Russian)", "AE604")]


def test_link_list_with_a_header_line_and_a_two_column_catalog(tmp_path):
    links = write_rows(tmp_path / "links.csv", [["Product URL"], ["https://www.aliexpress.com/item/1.html"],
                                               ["https://www.aliexpress.com/item/2.html"]])
    with pytest.raises(CatalogError, match="a list of links"):
        read_catalog(links, "links.csv")
    catalog = write_rows(tmp_path / "c.csv", [["Title", "Image"], ["Ceramic Coffee Mug", "https://x.example/a.jpg"]])
    assert len(read_catalog(catalog, "c.csv").products) == 1


def test_template_hint_states_the_sku_code_limit(tmp_path):
    """The template's hint "No more than 50 characters" is AE508's limit for that file (the API's 20 elsewhere)."""
    lines = (LAYOUTS / "aliexpress_template" / "silent.csv").read_text(encoding="utf-8").splitlines()
    block, mug_red, mug_blue = lines[:3], lines[3], lines[4]
    thirty, fifty_five = "MUG-RED-CERAMIC-350ML-GLAZED-1", "MUG-BLUE-CERAMIC-350ML-GLAZED-TEA-CUP-WITH-HANDLE-00001"
    template = tmp_path / "template.csv"
    template.write_text("\n".join([*block, mug_red.replace("MUG-RED", thirty, 1),
                                   mug_blue.replace("MUG-BLUE", fifty_five, 1)]) + "\n", encoding="utf-8")
    messages = [d.message for d in lint(template, ["AE508"]).diagnostics]
    assert len(messages) == 1 and "55 characters long (at most 50)" in messages[0], messages
    plain = tmp_path / "plain.csv"  # the same rows without the template's hint row: the API's 20
    plain.write_text("\n".join([block[2], mug_red.replace("MUG-RED", thirty, 1)]) + "\n", encoding="utf-8")
    assert ["30 characters long (at most 20)" in d.message for d in lint(plain, ["AE508"]).diagnostics] == [True]
