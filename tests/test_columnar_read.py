"""The columnar CSV read (polars, Arrow columns) against csv.reader: the same catalogs, findings and failures.

Files of COLUMNAR_MIN_BYTES or more are read by polars; every fixture here is smaller, so each test forces
one path and then the other and compares what the rest of aelint sees.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aelint import catalog_files
from aelint import config as config_module
from aelint.catalog_files import CatalogError, open_csv
from aelint.engine import Engine, RunOptions
from aelint.reader import HEADER_SEARCH_ROWS, read_catalogs
from conftest import FIXTURES, SHARED_DATA

CSV_FIXTURES = sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".csv", ".tsv"))
REAL_CSVS = sorted(SHARED_DATA.rglob("*.csv")) if SHARED_DATA.exists() else []


def snapshot(path, columnar):
    """Everything the reader gives for a file (catalogs, products, SKUs, cells, suppressions), or its error,
    and which reader read it."""
    try:
        reading = read_catalogs(path, path.name, columnar=columnar)
    except CatalogError as error:
        return ("error", str(error)), "error"
    catalogs = [(c.path, c.sheet, c.header_row, c.columns, c.multi_sheet, c.rows, c.ignored_headers,
                 c.column_numbers, c.header_rows, c.column_readings, c.language, c.currency, c.required_fields,
                 c.limits, c.suppressions,
                 [(p.product_id, p.row, p.values, p.later_rows, p.columns, p.images, p.language, p.translations,
                   p.row_titles, [(s.row, s.values, s.columns) for s in p.skus]) for p in c.products])
                for c in reading.catalogs]
    return (catalogs, reading.skipped_sheets), reading.reader


def test_fixtures_give_the_same_catalogs_read_either_way():
    by_polars = 0
    for path in CSV_FIXTURES:
        columnar, reader = snapshot(path, True)
        plain, plain_reader = snapshot(path, False)
        assert columnar == plain, path
        assert plain_reader in ("csv.reader", "error"), path
        by_polars += reader == "polars"
    # the comparison means something only if polars read the fixtures: all but the few with stray quotes
    assert by_polars >= 0.9 * len(CSV_FIXTURES), by_polars


def test_header_search_sees_the_rows_csv_reader_gives():
    assert catalog_files.HEAD_RECORDS >= HEADER_SEARCH_ROWS


def test_layout_fixtures_are_read_by_polars_when_forced():
    for path in sorted((FIXTURES / "layouts").rglob("*.csv")):
        columnar, reader = snapshot(path, True)
        assert reader in ("polars", "error") and columnar == snapshot(path, False)[0], path


def diagnostics(paths):
    report = Engine(RunOptions(cache=False, jobs=1, images=False), config_module.from_data({}, None)).lint(paths)
    return [(d.path, d.row, d.column, d.code, d.message, d.fix) for d in report.diagnostics], report.failures


def test_fixtures_give_the_same_findings_read_either_way(monkeypatch):
    monkeypatch.setattr(catalog_files, "COLUMNAR_MIN_BYTES", 0)
    columnar = diagnostics(CSV_FIXTURES)
    monkeypatch.setattr(catalog_files, "COLUMNAR_MIN_BYTES", 1 << 62)
    assert columnar == diagnostics(CSV_FIXTURES)
    assert columnar[0]  # the fixtures do fire


@pytest.mark.skipif(not REAL_CSVS, reason="../shared/data is not present")
@pytest.mark.parametrize("path", REAL_CSVS, ids=lambda p: p.parent.name + "/" + p.name)
def test_real_files_read_either_way(path, monkeypatch):
    columnar, reader = snapshot(path, True)
    assert columnar == snapshot(path, False)[0]
    assert reader in ("polars", "error") or reader.startswith("csv.reader (")
    monkeypatch.setattr(catalog_files, "COLUMNAR_MIN_BYTES", 0)
    found = diagnostics([path])
    monkeypatch.setattr(catalog_files, "COLUMNAR_MIN_BYTES", 1 << 62)
    assert found == diagnostics([path])


def write(tmp_path, text: str, encoding: str = "utf-8", name: str = "feed.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding, errors="replace") if isinstance(text, str) else text)
    return path


def rows(path, columnar):
    records = open_csv(path, path.name, tab=path.suffix == ".tsv", columnar=columnar)
    return [(number, list(row)) for number, row in records.rows], records.reader


def same_rows(path):
    """The records of both reads: line numbers equal, cells equal (polars pads a short record with empty
    cells); returns the columnar reader's name."""
    columnar, reader = rows(path, True)
    plain, _ = rows(path, False)
    assert [n for n, _ in columnar] == [n for n, _ in plain]
    assert [catalog_files._trimmed(r) for _, r in columnar] == [catalog_files._trimmed(r) for _, r in plain]
    return reader


FEED = "Product ID,Title,SKU,Price,Description\n" + "".join(
    f'P{n // 3},Ceramic Mug {n // 3} White,M-{n},12.5,"<p>Line one</p>\nline ""two"", {n}"\n' for n in range(90))


@pytest.mark.parametrize("encoding, prefix", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16", b""),
                                              ("utf-16-le", b""), ("gb18030", b""), ("cp1252", b"")])
def test_encodings_read_by_polars_after_transcoding(tmp_path, encoding, prefix):
    text = FEED.replace("Ceramic", "Tasse à café" if encoding == "cp1252" else "陶瓷咖啡杯")
    path = write(tmp_path, prefix + text.encode(encoding))
    assert same_rows(path) == "polars"


def test_a_byte_order_mark_before_a_quoted_cell_is_read_by_polars(tmp_path):
    """The mark is skipped in place (polars and the decoder skip it), so the first cell opens the text."""
    path = write(tmp_path, b"\xef\xbb\xbf" + FEED.replace("Product ID", '"Product ID"', 1).encode())
    assert same_rows(path) == "polars"
    assert rows(path, True)[0][0] == (1, ["Product ID", "Title", "SKU", "Price", "Description"])


def test_multi_line_cells_move_later_rows_down(tmp_path):
    path = write(tmp_path, FEED.replace("\n", "\r\n"))
    numbered, reader = rows(path, True)
    assert reader == "polars"
    assert [n for n, _ in numbered][:4] == [1, 2, 4, 6] and numbered[-1][0] == 1 + 2 * 90 - 1
    assert same_rows(path) == "polars"


@pytest.mark.parametrize("odd, why", [
    ('P1,12" screen,M-1,1,x\n', "stray quote"),  # a quote inside an unquoted cell
    ('P1,"Mug"s,M-1,1,x\n', "stray quote"),  # text after a closing quote
    ('P1,"Mug ""A"" B,M-1,1,x\n', "stray quote"),  # never closed
    ('P1,Mug,M-1,1,x\rP2,Bowl,B-1,2,y\n', "carriage return"),
    ('P1,Mug,M-1,1,x,extra\n', "polars could not split"),  # wider than the header: polars refuses it
])
def test_files_polars_would_read_otherwise_fall_back(tmp_path, odd, why):
    lines = FEED.splitlines(keepends=True)  # a header line, then records of two lines each
    path = write(tmp_path, "".join(lines[:81]) + odd + "".join(lines[81:]))  # after 40 records
    reader = same_rows(path)
    assert reader.startswith("csv.reader (") and why in reader


@pytest.mark.parametrize("text, alike", [
    ('a,"b"\r\nc,d\r\n', True), ('a,"b"\rc,d\n', False), ('a,"b"\nc,"d"\r', False), ('a,"b"\r\r\n', False),
    ("a,b\r\nc,d\r\n", True), ("a,b\rc,d\n", False), ("a,b\nc,d\r", False)])
def test_a_carriage_return_must_end_a_line_with_a_line_feed(text, alike):
    """With quotes in the file or without, and at the file's last byte."""
    assert (catalog_files._record_lines(text.encode(), ",") is not None) is alike


def test_short_records_blank_lines_and_delimiters(tmp_path):
    text = FEED.replace(",12.5,", ";12.5;").replace(",", ";")
    lines = text.splitlines(keepends=True)
    ragged = "".join(lines[:50]) + "P99;Short\n\n\n" + "".join(lines[50:]) + "\n\n"
    assert same_rows(write(tmp_path, ragged)) == "polars"
    assert same_rows(write(tmp_path, ragged.replace(";", "\t"), name="feed.tsv")) == "polars"


def test_invalid_utf8_is_replaced_alike(tmp_path):
    data = FEED.encode().replace(b"Ceramic Mug 20 ", b"Ceramic \xff\xfe Mug \xe4\xb8 20 ")
    assert same_rows(write(tmp_path, data)) == "polars"


def test_repeated_values_are_one_string(tmp_path):
    numbered, reader = rows(write(tmp_path, FEED), True)
    assert reader == "polars"
    prices = [row[3] for _, row in numbered[HEAD_ROWS:]]
    assert prices[0] == "12.5" and all(p is prices[0] for p in prices)


HEAD_ROWS = catalog_files.HEAD_RECORDS + 1


def test_rows_made_in_batches_read_alike(tmp_path, monkeypatch):
    monkeypatch.setattr(catalog_files, "FRAME_BATCH_ROWS", 7)  # batch edges inside products and multi-line cells
    path = write(tmp_path, FEED + "".join(FEED.splitlines(keepends=True)[1:]))
    assert same_rows(path) == "polars"
    numbered, _ = rows(path, True)
    prices = [row[3] for _, row in numbered[HEAD_ROWS:]]
    assert len(prices) > 100 and all(p is prices[0] for p in prices)  # one string across batches

cell = st.one_of(st.text(st.sampled_from('ab ,;"\n\r\t\x00é陶'), max_size=12), st.sampled_from(["", "P1", '"']))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(cell, min_size=1, max_size=6), min_size=1, max_size=50),
       st.integers(0, 60), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_random_text_reads_alike(tmp_path, records, at, newline, quoted):
    """Random records written by csv.writer, or raw cells joined by hand (stray quotes, bare returns), placed
    inside a feed after its first records: either polars reads them as csv.reader does, or csv.reader reads."""
    if quoted:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator=newline).writerows(records)
        snippet = buffer.getvalue()
    else:
        snippet = newline.join(",".join(r) for r in records) + newline
    lines = FEED.splitlines(keepends=True)
    at = min(at, len(lines))
    same_rows(write(tmp_path, "".join(lines[:at]) + snippet + "".join(lines[at:])))


def test_small_catalogs_do_not_import_polars(tmp_path):
    path = write(tmp_path, "Title,SKU\nCeramic Mug,M-1\n")
    code = ("import sys; from pathlib import Path; from aelint.reader import read_catalog; "
            f"read_catalog(Path({str(path)!r}), 'feed.csv'); print('polars' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"


def test_verbose_names_the_reader(tmp_path):
    from click.testing import CliRunner

    from aelint.cli import main

    small = write(tmp_path, "Title,SKU\nCeramic Mug,M-1\n", name="small.csv")
    result = CliRunner().invoke(main, ["--show-columns", str(small)])
    assert "read by csv.reader" in result.output


def test_a_csv_past_the_columnar_ceiling_streams_through_csv_reader(tmp_path, monkeypatch):
    """The columnar read holds a whole file: past COLUMNAR_MAX_BYTES the file streams, record by record."""
    path = write(tmp_path, "Product ID,Title,SKU\n" + "".join(f"P{n},Ceramic Mug {n},M-{n}\n" for n in range(200)))
    monkeypatch.setattr(catalog_files, "COLUMNAR_MIN_BYTES", 0)
    assert catalog_files.open_csv(path, "feed.csv").reader == "polars"
    monkeypatch.setattr(catalog_files, "COLUMNAR_MAX_BYTES", path.stat().st_size)
    records = catalog_files.open_csv(path, "feed.csv")
    assert records.reader == "csv.reader (streamed: a large file)"
    assert sum(1 for _ in records.rows) == 201


def test_after_the_header_only_the_columns_read_are_made_into_strings(tmp_path):
    records = open_csv(write(tmp_path, FEED), "feed.csv", columnar=True)
    numbered = iter(records.rows)
    head = [next(numbered) for _ in range(catalog_files.HEAD_RECORDS)]  # the header is looked for in these
    records.only([0, 3])
    rest = list(numbered)
    assert head[5][1][1] == "Ceramic Mug 1 White"
    assert len(rest) == 91 - 30 and all(row[0] and row[1] == row[2] == row[4] == "" and row[3] == "12.5" for _, row in rest)


def test_layouts_read_alike_when_the_columns_no_field_maps_are_skipped(tmp_path, monkeypatch):
    """The layout fixtures, their records repeated past the header search (so the reader skips its ignored
    columns in later batches), give the same catalogs by polars as by csv.reader."""
    monkeypatch.setattr(catalog_files, "FRAME_BATCH_ROWS", 7)
    compared = 0
    for layout in sorted((FIXTURES / "layouts").rglob("*.csv")):
        text = layout.read_bytes()
        if text.startswith(b"\xef\xbb\xbf") or not text.endswith(b"\n"):
            continue
        path = write(tmp_path, text * 5, name=f"{layout.parent.name}_{layout.name}")
        columnar, reader = snapshot(path, True)
        if reader == "polars":
            assert columnar == snapshot(path, False)[0], layout
            compared += 1
    assert compared >= 8


def test_a_cell_over_csv_readers_limit_falls_back_and_a_record_over_it_alone_does_not(tmp_path, monkeypatch):
    """Cells are measured only when a record (a bound on its cells) is over the limit."""
    path = write(tmp_path, FEED)
    widest = max(len(cell.encode()) for record in csv.reader(io.StringIO(FEED)) for cell in record)
    monkeypatch.setattr(catalog_files, "MAX_FIELD_CHARS", widest)  # every record is longer
    assert same_rows(path) == "polars"
    monkeypatch.setattr(catalog_files, "MAX_FIELD_CHARS", widest - 1)
    assert "larger than csv.reader's limit" in same_rows(path)


@pytest.mark.parametrize("text, longest", [('a,"b\nc"\nde\n', 8), ('ab\r\nc', 4), ('a\n\nbcd', 3), ("abc", 3)])
def test_record_lines_measure_the_longest_record(text, longest):
    assert catalog_files._record_lines(text.encode(), ",")[1] == longest


@pytest.mark.parametrize("text", [
    'a,"b\nc",d\ne,f\n', 'a,"b\r\n\r\nc"\r\n\r\ne,""""\r\n', "a,b\n\n\nc\n\n", 'a,"x\n""\ny"\nb', "a\nb", '"a\n"\n"\n"',
])
def test_record_lines_are_csv_readers_line_numbers(text):
    """Each record starts on the line after the last line feed outside a quoted cell, blank lines included."""
    data = text.encode()
    assert catalog_files._record_lines(data, ",")[0] == [n for n, _ in catalog_files._csv_records_of(data, ",")]
