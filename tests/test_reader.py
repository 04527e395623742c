"""The catalog reader: workbooks and CSV feeds as sellers produce them, and the real exports in ../shared/data."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook

from aelint.catalog_files import CatalogError, detect_encoding, sniff_delimiter
from aelint.reader import column_letter, parse_suppression, read_catalog
from conftest import shared_file


def write_csv(path, rows, encoding="utf-8", delimiter=","):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


def test_workbook_with_title_rows_merged_cells_and_numbers(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Products"
    sheet["A1"] = "AliExpress bulk upload template"
    sheet["A2"] = "Fill in one row per SKU. Required fields are marked *"
    sheet.append([])
    sheet.append(["Product ID", "Product Title*", "SKU", "Color", "Price", "Stock"])  # row 4
    sheet.append(["P1", "Ceramic Mug 350ml", "M-1", "Red", 12.5, 10])
    sheet.append(["P1", None, "M-2", "Blue", 12.5, 0])
    sheet.append(["P2", "Bamboo Board", "B-1", "Natural", "9,90", "5"])
    sheet.merge_cells("B5:B6")
    sheet.row_dimensions[6].hidden = True
    workbook.create_sheet("Notes")["A1"] = "nothing here"
    path = tmp_path / "catalog.xlsx"
    workbook.save(path)

    catalog = read_catalog(path, "catalog.xlsx")
    assert (catalog.sheet, catalog.header_row, catalog.multi_sheet) == ("Products", 4, True)
    assert catalog.columns["title"] == "B" and catalog.columns["price"] == "E"
    mug, board = catalog.products
    assert mug.title == "Ceramic Mug 350ml" and mug.cell("title").row == 5
    assert [(s.row, s.values["sku_code"], s.values["price"], s.values["stock"]) for s in mug.skus] == [
        (5, "M-1", "12.5", "10"), (6, "M-2", "12.5", "0")]
    assert board.skus[0].values["price"] == "9,90"
    assert board.skus[0].cell("price").column == "E"
    assert catalog.rows == 3


def test_workbook_sheet_option_and_missing_sheet(tmp_path):
    workbook = Workbook()
    workbook.active.title = "Intro"
    workbook.active["A1"] = "read me"
    workbook.create_sheet("Data").append(["Title", "SKU"])
    workbook["Data"].append(["Mug", "M1"])
    path = tmp_path / "two.xlsx"
    workbook.save(path)
    assert read_catalog(path, "two.xlsx").sheet == "Data"  # the first sheet with a header
    assert read_catalog(path, "two.xlsx", sheet="Data").products[0].title == "Mug"
    with pytest.raises(CatalogError, match="no sheet named 'Missing'"):
        read_catalog(path, "two.xlsx", sheet="Missing")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030", "cp1252"])
def test_csv_encodings(tmp_path, encoding):
    title = "Tasse à café élégante" if encoding == "cp1252" else "陶瓷咖啡杯 Tasse à café"
    path = write_csv(tmp_path / "c.csv", [["Title", "SKU", "Price"], [title, "A-1", "3"]], encoding)
    catalog = read_catalog(path, "c.csv")
    assert catalog.products[0].title == title


def test_encoding_detection_tells_gbk_from_windows_1252():
    assert detect_encoding("商品标题,价格\n陶瓷杯,12\n".encode("gb18030")) == "gb18030"
    assert detect_encoding("Titre,Prix\nTasse élégante à thé,12\n".encode("cp1252")) == "cp1252"
    assert detect_encoding("Title\nMug".encode("utf-16-le")) == "utf-16-le"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_sniffed(tmp_path, delimiter):
    path = write_csv(tmp_path / "c.csv", [["Title", "SKU", "Price"], ["Mug, red", "A-1", "3,50"]],
                     delimiter=delimiter)
    catalog = read_catalog(path, "c.csv")
    assert catalog.products[0].title == "Mug, red"
    assert catalog.products[0].skus[0].values["price"] == "3,50"
    assert sniff_delimiter(path.read_text()) == delimiter



def test_tabs_inside_comma_separated_cells_do_not_make_it_a_tsv(tmp_path):
    """Titles with tabs pasted in (unquoted, as csv.writer leaves them) split into more cells by tabs than
    the header does; the commas split every record alike (found by test_title_columns' generated titles)."""
    path = write_csv(tmp_path / "c.csv", [["product_id", "title"], ["P0", "Dress\tDress\tDress\t"],
                                          ["P1", "Dress\tDress\tDress\t"], ["P2", ""]])
    assert sniff_delimiter(path.read_text()) == ","
    assert [p.title for p in read_catalog(path, "c.csv").products] == ["Dress\tDress\tDress\t"] * 2 + [""]

def test_multiline_cells_give_physical_line_numbers(tmp_path):
    """A quoted cell over three lines: the next record starts on line 5, as an editor shows it."""
    path = write_csv(tmp_path / "c.csv", [["Title", "Description", "SKU"],
                                          ["Mug", "<p>one</p>\n<p>two</p>\n<p>three</p>", "A"],
                                          ["Bowl", "plain", "B"]])
    mug, bowl = read_catalog(path, "c.csv").products
    assert mug.row == 2 and bowl.row == 5 and bowl.cell("description").column == "Description"
    assert path.read_text().splitlines()[4].startswith("Bowl")


@pytest.mark.parametrize("headers", [
    ["Título", "Código SKU", "Precio", "Existencias"],
    ["Titre", "Référence", "Prix", "Quantité"],
    ["Nome do produto", "Código SKU", "Preço", "Estoque"],
    ["Название", "Артикул", "Цена", "Остаток"],
])
def test_header_aliases_in_six_languages(tmp_path, headers):
    path = write_csv(tmp_path / "c.csv", [headers, ["Mug", "A-1", "3", "7"]])
    catalog = read_catalog(path, "c.csv")
    assert set(catalog.columns) >= {"title", "sku_code", "price", "stock"}
    assert catalog.products[0].skus[0].values == {"sku_code": "A-1", "price": "3", "stock": "7"}


def test_chinese_headers_need_a_mapping(tmp_path):
    """No source gives the Chinese template's headers (layouts.md), so none is guessed; [columns] maps them."""
    headers = ["商品标题", "SKU编码", "价格", "库存"]
    path = write_csv(tmp_path / "c.csv", [headers, ["Mug", "A-1", "3", "7"]])
    with pytest.raises(CatalogError, match="no recognisable header"):
        read_catalog(path, "c.csv")
    mapping = dict(zip(headers, ["title", "sku_code", "price", "stock"]))
    catalog = read_catalog(path, "c.csv", columns=mapping)
    assert catalog.products[0].skus[0].values == {"sku_code": "A-1", "price": "3", "stock": "7"}


def test_columns_mapping_overrides_aliases(tmp_path):
    path = write_csv(tmp_path / "c.csv", [["Nom interne", "Title", "SKU"], ["Tasse", "Mug", "A"]])
    catalog = read_catalog(path, "c.csv", columns={"Nom interne": "title"})
    assert catalog.products[0].title == "Tasse"
    assert "Title" in catalog.ignored_headers


def test_follow_on_rows_inherit_and_rows_without_ids_are_products(tmp_path):
    path = write_csv(tmp_path / "c.csv", [["Product ID", "Title", "Category", "SKU"], ["P1", "Mug", "Kitchen", "A"],
                                          ["P1", "", "", "B"], ["", "", "", "C"], ["P2", "Bowl", "Kitchen", "D"]])
    mug, bowl = read_catalog(path, "c.csv").products
    assert [s.sku_code for s in mug.skus] == ["A", "B", "C"]
    assert mug.skus[1].get("title") == "Mug" and mug.skus[1].cell("title").row == 2
    plain = write_csv(tmp_path / "plain.csv", [["Title", "SKU"], ["Mug", "A"], ["Mug", "B"]])
    assert len(read_catalog(plain, "plain.csv").products) == 2


def test_image_cells_split_and_options_layout(tmp_path):
    path = write_csv(tmp_path / "c.csv", [
        ["Handle", "Title", "Option1 Name", "Option1 Value", "Option2 Name", "Option2 Value", "Images"],
        ["mug", "Mug", "Color", "Red", "Capacity", "350ml", "a.jpg; b.jpg|c.jpg"],
        ["mug", "", "", "Blue", "", "", ""],
    ])
    mug = read_catalog(path, "c.csv").products[0]
    assert [c.value for c in mug.image_cells("main_images")] == ["a.jpg", "b.jpg", "c.jpg"]
    assert mug.skus[0].attributes == {"color": "Red", "attr:Capacity": "350ml"}
    assert mug.skus[1].attributes == {"color": "Blue", "attr:Capacity": ""}
    assert mug.skus[1].cell("color").column == "Option1 Value"


def test_later_rows_image_cells_compared_with_the_first_rows(tmp_path):
    """A later row repeating its product's pictures adds nothing, even when written shorter (its trailing blank
    image cells left out); one with pictures of its own gives its SKU an image; a row whose image cells are all
    blank adds none."""
    path = write_csv(tmp_path / "c.csv", [
        ["Product ID", "Title", "SKU", "Image 1", "Image 2", "Image 3"],
        ["P1", "Mug", "A", "a.jpg", "b.jpg", ""],
        ["P1", "Mug", "B", "a.jpg", "b.jpg"],
        ["P1", "Mug", "C", "c.jpg", "", ""],
        ["P1", "Mug", "D", "", "", ""],
        ["P2", "Bowl", "E", "", "", ""],
        ["P2", "Bowl", "F", "", "d.jpg"],
    ])
    mug, bowl = read_catalog(path, "c.csv").products
    assert [c.value for c in mug.image_cells("main_images")] == ["a.jpg", "b.jpg"]
    assert [s.values.get("variant_image") for s in mug.skus] == [None, None, "c.jpg", None]
    assert mug.skus[2].cell("variant_image").column == "Image 1"
    assert [(c.value, c.row, c.column) for c in bowl.image_cells("main_images")] == [("d.jpg", 7, "Image 2")]
    assert bowl.later_rows == {"main_images": 7} and bowl.values["main_images"] == "d.jpg"
    assert [s.values.get("variant_image") for s in bowl.skus] == [None, None]


def test_suppression_cells():
    assert parse_suppression("aelint: ignore[AE108, AE102]") == ("AE108", "AE102")
    assert parse_suppression("AE1") == ("AE1",)


def test_no_recognisable_header_says_what_was_seen(tmp_path):
    path = write_csv(tmp_path / "c.csv", [["Name of thing", "Cost"], ["Mug", "3"]])
    with pytest.raises(CatalogError) as raised:
        read_catalog(path, "c.csv")
    assert "recognised" in str(raised.value) and "c.csv" in str(raised.value)


# The real exports in ../shared/data, written by other programs.

def test_wish_export(tmp_path):
    path = shared_file("wish_summer_clothes/summer-products-with-rating-and-performance_2020-08.csv")
    with path.open(newline="", encoding="utf-8") as handle:
        records = list(csv.DictReader(handle))
    catalog = read_catalog(path, "wish.csv")
    assert catalog.rows == len(records)
    assert len(catalog.products) == len({r["product_id"] for r in records})
    first = records[0]
    product = catalog.products[0]
    assert product.product_id == first["product_id"] and product.title == first["title_orig"]
    assert product.skus[0].values["color"] == first["product_color"]
    assert [c.value for c in product.image_cells("main_images")] == [first["product_picture"]]


def test_dropshipping_sheets():
    path = shared_file("aliexpress_dropship_variants/report_copy3.csv")
    with path.open(newline="", encoding="utf-8") as handle:
        records = list(csv.DictReader(handle))
    catalog = read_catalog(path, "report.csv")
    links = {r["Product_link"].split("?")[0] for r in records}
    assert catalog.rows == len(records) and len(catalog.products) == len(links)
    assert sum(len(p.skus) for p in catalog.products) == len(records)
    one = read_catalog(shared_file("aliexpress_dropship_variants/aliexpress.csv"), "aliexpress.csv")
    assert len(one.products) == 1 and len(one.products[0].skus) == 30
    assert one.products[0].skus[0].values["price"] == "$14.06"


def test_shopify_template():
    catalog = read_catalog(shared_file("shopify_product_template/product_template.csv"), "shopify.csv")
    shirt, pants, hat = catalog.products
    assert [p.product_id for p in catalog.products] == ["example-shirt", "example-pants", "example-hat"]
    assert len(shirt.skus) == 12 and {s.get("title") for s in shirt.skus} == {"Example T-Shirt"}
    assert {s.attributes["color"] for s in shirt.skus} == {"Green", "Blue", "Gray", "Purple"}
    assert len(pants.skus) == 3  # the image-only row adds an image, not a SKU
    assert len(pants.image_cells("main_images")) == 4
    assert len(hat.skus) == 1 and hat.skus[0].attributes == {}


def test_cell_comments_suppress_like_the_column(tmp_path):
    from openpyxl.comments import Comment

    book = Workbook()
    sheet = book.active
    sheet.title = "Products"
    for row in (["Title", "SKU"], ["Mug Mug", "A"], ["Bowl Bowl", "B"]):
        sheet.append(row)
    sheet["A2"].comment = Comment("checked with the supplier. aelint: ignore[AE102]", "seller")
    sheet["B3"].comment = Comment("an ordinary note", "seller")
    book.create_sheet("Notes")["A2"].comment = Comment("aelint: ignore[AE101]", "seller")
    path = tmp_path / "c.xlsx"
    book.save(path)
    assert read_catalog(path, "c.xlsx").suppressions == {2: ("AE102",)}
