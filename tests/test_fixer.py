"""--fix, --diff and --in-place: a corrected copy where only the fixed cells differ."""

from __future__ import annotations

import csv
import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from aelint import fixer
from aelint.cli import main
from aelint.model import Diagnostic, Fix

FIXABLE = "AE102,AE107,AE508,AE101"
HEADER = ["Product ID", "Title", "SKU Code", "Price", "Stock", "Description"]
ROWS = [
    ["P1", "Ceramic Coffee Mug  350ml", "MUG-350", "12.5", "10", "A mug, 350 ml"],     # AE107 spaces
    ["P2", "Summer Dress Women Floral Dress", "DRS-1", "19.9", "5", "Dress"],           # AE102
    ["P3", "  Summer Dress  Women Dress ", "DRS-2", "19.9", "5", "Both rules"],        # AE107 and AE102
    ["P4", "Bamboo Cutting Board Set", " BRD-3 ", "9", "7", "SKU code with spaces"],   # AE508
    ["P5", "Wool Winter Scarf for Men", "SCF-1", "15", "3", 'He said "warm"\nand soft'],  # untouched
    ["P6", " -Leather Belt for Men Casual", "BLT-1", "11", "4", "formula after the fix"],  # AE107 -> '-...
    ["P7", "Ceramic Coffee Mug  350ml", "MUG-351", "12.5", "10", "A mug, 350 ml"],     # same value as P1
]
EXPECTED = {
    ("P1", "Title"): "Ceramic Coffee Mug 350ml",
    ("P2", "Title"): "Summer Dress Women Floral",
    ("P3", "Title"): "Summer Dress Women",
    ("P4", "SKU Code"): "BRD-3",
    ("P6", "Title"): "'-Leather Belt for Men Casual",
    ("P7", "Title"): "Ceramic Coffee Mug 350ml",
}


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.output


def lint_json(path: Path) -> list[dict]:
    _code, out = run(path, "--select", FIXABLE, "--format", "json", "--no-images", "--exit-zero")
    return json.loads(out)["diagnostics"]


def csv_cells(path: Path, encoding: str, delimiter: str) -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.reader(handle, delimiter=delimiter))


DIALECTS = [
    pytest.param("utf-8-sig", ";", "\r\n", csv.QUOTE_ALL, id="utf8-bom-semicolon-crlf-quote-all"),
    pytest.param("cp1252", ",", "\n", csv.QUOTE_MINIMAL, id="cp1252-comma-lf-minimal"),
    pytest.param("utf-16", "\t", "\r\n", csv.QUOTE_MINIMAL, id="utf16-tab-crlf"),
]


@pytest.mark.parametrize("encoding, delimiter, newline, quoting", DIALECTS)
def test_csv_fix_changes_only_fixed_cells_and_keeps_the_dialect(tmp_path, encoding, delimiter, newline, quoting):
    source = tmp_path / "feed.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline, quoting=quoting)
    writer.writerow(HEADER)
    rows = [r[:5] + ["Caf\u00e9 " + r[5]] for r in ROWS]  # a non-ASCII character in every row
    writer.writerows(rows)
    source.write_bytes(buffer.getvalue().encode(encoding))
    original = source.read_bytes()

    code, out = run(source, "--select", FIXABLE, "--no-images", "--fix")
    fixed_path = tmp_path / "feed.fixed.csv"
    assert source.read_bytes() == original  # the input is never written
    assert fixed_path.exists()

    before = csv_cells(source, encoding, delimiter)
    after = csv_cells(fixed_path, encoding, delimiter)
    assert len(before) == len(after)
    changed = {}
    for row_before, row_after in zip(before, after):
        assert len(row_before) == len(row_after)
        for column, (old, new) in enumerate(zip(row_before, row_after)):
            if old != new:
                changed[(row_before[0], HEADER[column])] = new
    assert changed == EXPECTED  # every other cell is the same value

    # Same encoding (BOM included), delimiter, quoting and line endings: lines without a fix are identical.
    raw_before = original.decode(encoding).splitlines(keepends=True)
    raw_after = fixed_path.read_bytes().decode(encoding).splitlines(keepends=True)
    assert fixed_path.read_bytes()[:3] == original[:3]
    assert len(raw_before) == len(raw_after)
    fixed_ids = {pid for pid, _ in EXPECTED}
    for line_before, line_after in zip(raw_before, raw_after):
        if not any(pid in line_before for pid in fixed_ids):
            assert line_before == line_after
        else:
            assert line_after.endswith(newline if line_before.endswith(newline) else line_before[-1:])
            assert line_after.count('"') >= line_before.count('"') if quoting == csv.QUOTE_ALL else True

    # Linting the copy: the fixed findings are gone; a second --fix changes nothing.
    remaining = {(d["product_id"], d["code"]) for d in lint_json(fixed_path) if d["fix"]}
    assert remaining == set()
    assert not any(d["code"] in ("AE102", "AE508") for d in lint_json(fixed_path))
    code, out = run(fixed_path, "--select", FIXABLE, "--no-images", "--diff")
    assert code == 0 and "0 cells would change" in out


def test_csv_quoting_kept_per_field(tmp_path):
    source = tmp_path / "feed.csv"
    source.write_bytes(b'Product ID,Title,Price\r\n'
                       b'P1,"Summer Dress Women Floral Dress",9\r\nP2,Wool  Scarf for Men,5\r\n')
    run(source, "--select", "AE102,AE107", "--no-images", "--fix")
    assert (tmp_path / "feed.fixed.csv").read_bytes() == (
        b'Product ID,Title,Price\r\nP1,"Summer Dress Women Floral",9\r\nP2,Wool Scarf for Men,5\r\n')


def make_workbook(path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Products"
    sheet.append(["Upload template v3"])  # a title row above the header
    sheet.merge_cells("A1:F1")
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append([row[0], row[1], row[2], float(row[3]), int(row[4]), row[5]])
    sheet["B3"].font = Font(bold=True, color="FF0000")
    sheet["B4"].fill = PatternFill("solid", fgColor="FFFF00")
    sheet["B4"].comment = Comment("checked by Ana", "Ana")
    sheet["F5"].comment = Comment("aelint: ignore[AE604]", "Ana")
    sheet["G3"] = "=D3*2"
    sheet.column_dimensions["B"].width = 55
    sheet.freeze_panes = "A3"
    notes = workbook.create_sheet("Notes")
    notes["A1"] = "Ceramic Coffee Mug  350ml"  # same text on another sheet: not a catalog cell to fix
    notes.merge_cells("A3:B4")
    workbook.save(path)


def test_xlsx_fix_keeps_every_other_cell_style_comment_merge_width_and_sheet(tmp_path):
    source = tmp_path / "catalog.xlsx"
    make_workbook(source)
    original = source.read_bytes()
    code, out = run(source, "--select", FIXABLE, "--no-images", "--fix")
    fixed_path = tmp_path / "catalog.fixed.xlsx"
    assert source.read_bytes() == original and fixed_path.exists()

    before, after = load_workbook(source), load_workbook(fixed_path)
    assert before.sheetnames == after.sheetnames
    changed = {}
    for name in before.sheetnames:
        old_sheet, new_sheet = before[name], after[name]
        assert old_sheet.max_row == new_sheet.max_row and old_sheet.max_column == new_sheet.max_column
        assert {str(r) for r in old_sheet.merged_cells.ranges} == {str(r) for r in new_sheet.merged_cells.ranges}
        assert old_sheet.freeze_panes == new_sheet.freeze_panes
        for letter, dimension in old_sheet.column_dimensions.items():
            assert new_sheet.column_dimensions[letter].width == dimension.width
        for old_row, new_row in zip(old_sheet.iter_rows(), new_sheet.iter_rows()):
            for old, new in zip(old_row, new_row):
                assert repr(old._style) == repr(new._style)  # indexes into styles.xml, itself unchanged (below)
                assert (old.comment.text if old.comment else None) == (new.comment.text if new.comment else None)
                if old.value != new.value:
                    changed[(name, old.coordinate)] = new.value
    # xlsx cells are never formulas when written as strings: no apostrophe is added there.
    assert changed == {("Products", "B3"): "Ceramic Coffee Mug 350ml", ("Products", "B4"): "Summer Dress Women Floral",
                       ("Products", "B5"): "Summer Dress Women", ("Products", "C6"): "BRD-3",
                       ("Products", "B8"): "-Leather Belt for Men Casual",
                       ("Products", "B9"): "Ceramic Coffee Mug 350ml"}
    assert after["Products"]["G3"].value == "=D3*2"
    assert after["Products"]["B3"].font.b and after["Products"]["B4"].fill.fgColor.rgb == "00FFFF00"

    # Every zip member but the changed sheet is byte-for-byte the same.
    with zipfile.ZipFile(source) as old_zip, zipfile.ZipFile(fixed_path) as new_zip:
        assert old_zip.namelist() == new_zip.namelist()
        differing = [n for n in old_zip.namelist() if old_zip.read(n) != new_zip.read(n)]
    assert differing == ["xl/worksheets/sheet1.xml"]

    assert not any(d["fix"] for d in lint_json(fixed_path))
    # The comment suppression on row 5 still works in the copy.
    _code, out = run(fixed_path, "--select", "AE604", "--no-images", "--format", "json", "--exit-zero")
    assert 5 not in {d["row"] for d in json.loads(out)["diagnostics"]}


def test_diff_prints_cells_and_writes_nothing(tmp_path):
    source = tmp_path / "catalog.xlsx"
    make_workbook(source)
    listing = sorted(os.listdir(tmp_path))
    code, out = run(source, "--select", FIXABLE, "--no-images", "--diff")
    assert code == 1
    assert sorted(os.listdir(tmp_path)) == listing
    assert f"{source}[Products]:4:B: AE102" in out
    assert '  - "Summer Dress Women Floral Dress"\n  + "Summer Dress Women Floral"' in out
    assert f"{source}[Products]:5:B: AE102, AE107" in out
    assert "6 cells would change in 1 file" in out


def test_fix_output_never_an_input_and_in_place_only_after_a_backup(tmp_path):
    source = tmp_path / "feed.csv"
    source.write_text("Product ID,Title,Price\nP1,Wool  Scarf for Men,5\n", encoding="utf-8")
    original = source.read_bytes()
    result = CliRunner().invoke(main, [str(source), "--fix", "--fix-output", str(source), "--no-images"])
    assert result.exit_code == 2 and "is one of the input catalogs" in result.output
    link = tmp_path / "link.csv"
    link.symlink_to(source)
    result = CliRunner().invoke(main, [str(source), "--fix-output", str(link), "--no-images"])
    assert result.exit_code == 2 and source.read_bytes() == original
    result = CliRunner().invoke(main, [str(source), "--in-place", "--no-images"])
    assert result.exit_code == 2 and "--fix" in result.output

    code, _out = run(source, "--fix", "--in-place", "--no-images", "--select", "AE107")
    assert (tmp_path / "feed.backup.csv").read_bytes() == original
    assert source.read_text(encoding="utf-8") == "Product ID,Title,Price\nP1,Wool Scarf for Men,5\n"
    assert code == 0  # the only finding was fixed
    source.write_bytes(original)
    run(source, "--fix", "--in-place", "--no-images", "--select", "AE107")
    assert (tmp_path / "feed.backup.csv").read_bytes() == original  # an existing backup is never overwritten
    assert (tmp_path / "feed.backup-2.csv").read_bytes() == original


def test_fix_output_names_the_copy_and_the_summary_counts(tmp_path):
    source = tmp_path / "feed.csv"
    source.write_text("Product ID,Title,Price\nP1,Wool  Scarf for Men Scarf,5\nP2,Mug,3\n", encoding="utf-8")
    code, out = run(source, "--select", "AE102,AE107,AE104", "--no-images")
    assert "2 fixable with --fix" in out
    target = tmp_path / "out" / "clean.csv"
    target.parent.mkdir()
    result = CliRunner().invoke(main, [str(source), "--select", "AE102,AE107,AE104", "--no-images",
                                       "--fix-output", str(target)])
    assert "2 fixed in the corrected copy" in result.output
    assert "AE104" in result.output and "AE102" not in result.output.split("Found")[0]
    assert target.read_text(encoding="utf-8").splitlines()[1] == "P1,Wool Scarf for Men,5"


def test_a_cell_that_changed_since_it_was_read_is_not_fixed(tmp_path):
    source = tmp_path / "feed.csv"
    source.write_text("Product ID,Title\nP1,Wool Scarf\n", encoding="utf-8")
    stale = Diagnostic(code="AE107", rule="title-bad-characters", severity="warning", message="spaces",
                       path=str(source), sheet=None, row=2, column="Title", field="title", product_id="P1",
                       sku_code=None, fix=Fix("title", "Wool Hat"), cell_value="Wool  Hat")
    result, data = fixer.plan(source, [stale], relint=lambda copy, codes: [])
    assert data is None and not result.changes
    assert result.skipped == [f"{source}:2:Title: the cell no longer holds the value the rule read; not fixed"]


def test_legacy_workbooks_are_not_rewritten_nor_counted_fixable(tmp_path):
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Products")
    for row, values in enumerate([["Product ID", "Title", "Price"], ["P1", "Wool  Scarf for Men", "5"]]):
        for column, value in enumerate(values):
            sheet.write(row, column, value)
    source = tmp_path / "old.xls"
    book.save(str(source))
    result = CliRunner().invoke(main, [str(source), "--select", "AE107", "--no-images", "--fix"])
    assert "AE107" in result.stdout and "fixable" not in result.stdout and "fixed" not in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.xls"]


@pytest.mark.parametrize("suffix", [".xls", ".ods"])
@pytest.mark.parametrize("options", [["--fix"], ["--fix", "--in-place"], ["--fix", "--fix-output", "out.xlsx"],
                                     ["--diff"]])
def test_fix_on_a_legacy_workbook_says_so_and_writes_nothing(tmp_path, suffix, options, monkeypatch):
    """.xls and .ods are linted but never rewritten: the user who asked for --fix (or --diff) is told, in plain
    words naming the file, and the folder holds exactly what it held."""
    monkeypatch.chdir(tmp_path)
    rows = [["Product ID", "Title", "Price"], ["P1", "Wool  Scarf for Men", "5"]]
    source = tmp_path / f"old{suffix}"
    from test_hardening import legacy_xls, ods, ods_row

    if suffix == ".xls":
        legacy_xls(source, rows)
    else:
        ods(source, "".join(ods_row(values) for values in rows))
    before = source.read_bytes()
    result = CliRunner().invoke(main, [source.name, "--select", "AE107", "--no-images", *options])
    told = (f"{source.name}: not fixed, nothing written: --fix rewrites .xlsx, .xlsm, .csv and .tsv files only; "
            "save it as .xlsx and fix that")
    assert told in (result.stdout if "--diff" in options else result.stderr), result.output
    assert result.exit_code == 0 and result.exception is None, result.output  # a warning (AE107), no failure
    assert "wrote" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [source.name] and source.read_bytes() == before


def test_statistics_sorted_by_count_with_fixable_rules_marked(tmp_path):
    source = tmp_path / "feed.csv"
    source.write_text("Product ID,Title,Price\n"
                      "P1,Wool  Scarf for Men,5\nP2,Mug,3\nP3,Cup,3\nP4,Bowl,2\nP5,Linen  Towel Set Bath,4\n",
                      encoding="utf-8")
    code, out = run(source, "--select", "AE104,AE107", "--no-images", "--statistics")
    lines = out.splitlines()
    assert lines[0].split()[:2] == ["4", "AE104"] and not lines[0].endswith("[*]")
    assert lines[1].split()[:2] == ["2", "AE107"] and lines[1].endswith("[*]")
    assert lines[2] == "[*] fixable with --fix"
    assert lines[3].endswith("; 2 fixable with --fix")


def test_fix_and_diff_refuse_standard_input(tmp_path):
    result = CliRunner().invoke(main, ["-", "--fix"], input="Product ID,Title\nP1,Wool  Scarf\n")
    assert result.exit_code == 2 and "not on standard input" in result.output


def test_inline_string_cells_are_read_and_fixed_too(tmp_path):
    source = tmp_path / "catalog.xlsx"
    make_workbook(source)
    # Put a value with repeated spaces into B7 as an inline string (as some exporters write every cell).
    change = fixer.Change("Products", 7, "B", "Wool Winter Scarf for Men", "Wool  Winter Scarf for Men")
    data, skipped = fixer.patch(source, [change])
    inline = tmp_path / "inline.xlsx"
    inline.write_bytes(data)
    with zipfile.ZipFile(inline) as archive:
        assert not skipped and b't="inlineStr"' in archive.read("xl/worksheets/sheet1.xml")
    code, out = run(inline, "--select", "AE107", "--no-images", "--diff")
    assert f'{inline}[Products]:7:B: AE107\n  - "Wool  Winter Scarf for Men"\n  + "Wool Winter Scarf for Men"' in out


def test_fix_on_the_real_wish_export(tmp_path):
    from conftest import shared_file

    real = shared_file("wish_summer_clothes/summer-products-with-rating-and-performance_2020-08.csv")
    source = tmp_path / real.name
    source.write_bytes(real.read_bytes())
    before = json.loads(run(source, "--no-images", "--format", "json", "--exit-zero")[1])["diagnostics"]
    fixable = [d for d in before if d["fix"]]
    assert len(fixable) > 900  # 921: AE102 offers no fix where a repetition is spelt differently
    run(source, "--no-images", "--fix", "-q")
    fixed_path = source.with_name(source.stem + ".fixed.csv")
    after = json.loads(run(fixed_path, "--no-images", "--format", "json", "--exit-zero")[1])["diagnostics"]
    assert not [d for d in after if d["fix"]]
    old, new = csv_cells(source, "utf-8", ","), csv_cells(fixed_path, "utf-8", ",")
    fixed_cells = {(d["product_id"], d["column"]) for d in fixable}  # rows may be numbered by line or record
    header = old[0]
    changed = 0
    for row_old, row_new in zip(old[1:], new[1:]):
        for name, a, b in zip(header, row_old, row_new):
            if a != b:
                changed += 1
                assert (row_old[header.index("product_id")], name) in fixed_cells
    assert 900 < changed <= len(fixable)
    assert len(old) == len(new) and source.read_bytes() == real.read_bytes()


def test_fix_reaches_every_row_repeating_a_products_title_and_follows_moved_lines(tmp_path):
    """A title repeated on each SKU row is fixed on every row (once the first is fixed, the reader lints the
    others where they stand); a fix that takes a line break out of a cell moves later physical lines up,
    and the copy's findings are mapped back to the original's rows."""
    source = tmp_path / "c.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([
            ["Product ID", "Title", "SKU"],
            ["P1", "Mug\nCeramic Mug", "A"],  # AE107: a line break inside the title
            ["P2", "Ceramic Mug Mug White", "B"],
            ["P2", "Ceramic Mug Mug White", "C"],
            ["P2", "Ceramic Mug Mug White", "D"]])
    run(source, "--select", "AE102,AE107", "--no-images", "--fix", "-q")
    fixed = source.with_name("c.fixed.csv")
    with fixed.open(newline="", encoding="utf-8") as handle:
        titles = [row[1] for row in csv.reader(handle)][1:]
    assert titles[1:] == ["Ceramic Mug White"] * 3
    _code, out = run(fixed, "--select", "AE102,AE107", "--no-images", "--format", "json", "--exit-zero")
    assert not [d for d in json.loads(out)["diagnostics"] if d["fix"]]


def test_fix_on_a_folder_twice_lints_the_same_inputs(tmp_path):
    """The copies and backups aelint wrote are not catalogs to lint on the next run over the folder."""
    (tmp_path / "feed.csv").write_text("Product ID,Title,Price\nP1,Wool  Scarf for Men,5\n", encoding="utf-8")
    (tmp_path / "feed.backup.csv").write_text("Product ID,Title,Price\nP9,Old  Backup Title,5\n", encoding="utf-8")
    for _ in range(2):
        code, out = run(tmp_path, "--select", "AE107", "--no-images", "--fix")
        assert code == 0, out
        assert "1 fixed in the corrected copy" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feed.backup.csv", "feed.csv", "feed.fixed.csv"]
    assert (tmp_path / "feed.fixed.csv").read_text(encoding="utf-8").splitlines()[1] == "P1,Wool Scarf for Men,5"
