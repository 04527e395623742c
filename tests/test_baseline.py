"""--write-baseline / --baseline: only new problems are reported, whatever happened to rows and file names."""

from __future__ import annotations

import json

from click.testing import CliRunner

from aelint.cli import main

SELECT = ["--select", "AE101,AE102,AE107,AE508,AE602", "--no-images"]
HEADER = "Product ID,Title,SKU Code,Price\n"
LONG = ("Stainless Steel Water Bottle 750ml Insulated Vacuum Flask Keeps Drinks Cold For 24 Hours Outdoor Sports "
        "Gym Travel Camping Hiking Bike")
ROWS = [
    "P1,Summer Dress Women Floral Dress,DRS-1,19.9\n",          # AE102
    "P2,Wool  Scarf for Men,SCF-1,5\n",                          # AE107
    f"P3,{LONG},BTL-1,15\n",                                     # AE101
    "P4,Bamboo Cutting Board Set, BRD-3 ,\n",                   # AE508, AE602 (price)
    "P5,Ceramic Coffee Mug 350ml,MUG-1,12\n",                    # clean
]


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.output


def findings(path, baseline):
    code, out = run(path, *SELECT, "--baseline", baseline, "--format", "json", "--exit-zero")
    return {(d["product_id"], d["code"]) for d in json.loads(out)["diagnostics"]}


def summary(path, baseline):
    return run(path, *SELECT, "--baseline", baseline)


def write(tmp_path, name, rows):
    path = tmp_path / name
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def test_write_baseline_records_and_reports_nothing_new(tmp_path):
    catalog = write(tmp_path, "feed.csv", ROWS)
    baseline = tmp_path / "aelint-baseline.json"
    code, out = run(catalog, *SELECT, "--write-baseline", baseline)
    assert code == 0 and "recorded 6 findings" in out
    recorded = json.loads(baseline.read_text())["findings"]
    assert {(f["product_id"], f["code"]) for f in recorded} == {
        ("P1", "AE102"), ("P2", "AE107"), ("P3", "AE101"), ("P4", "AE508"), ("P4", "AE602"),
        ("", "AE602")}  # the file has no stock column: a finding on no product
    assert all("row" not in f and "path" not in f for f in recorded)
    code, out = summary(catalog, baseline)
    assert code == 0
    assert "All checks passed" in out and "6 already in the baseline; 0 fixed since the baseline" in out
    code, out = run(write(tmp_path, "feed.csv", ROWS[1:]), *SELECT, "--baseline", baseline, "--format", "json")
    assert json.loads(out)["summary"]["baseline"] == {"known": 5, "resolved": 1}  # P1's AE102 is gone


def test_sorted_inserted_rows_and_a_renamed_file_resurface_nothing(tmp_path):
    baseline = tmp_path / "baseline.json"
    run(write(tmp_path, "feed.csv", ROWS), *SELECT, "--write-baseline", baseline)
    moved = list(reversed(ROWS))
    moved.insert(2, "P9,Linen Table Cloth Round 150cm,TBL-1,22\n")  # a new clean row in the middle
    renamed = write(tmp_path, "feed-2026-11.csv", moved)
    assert findings(renamed, baseline) == set()


def test_fixing_one_old_problem_leaves_the_others_quiet_and_is_counted(tmp_path):
    baseline = tmp_path / "baseline.json"
    run(write(tmp_path, "feed.csv", ROWS), *SELECT, "--write-baseline", baseline)
    fixed = [ROWS[0].replace("Floral Dress", "Floral"), *ROWS[1:]]  # AE102 of P1 fixed
    fixed[3] = fixed[3].replace(" BRD-3 ", "BRD-3")  # AE508 of P4 fixed
    fixed[2] = fixed[2].replace("Gym Travel", "Gym  Travel")  # P3 title edited: its AE101 is still the old one...
    path = write(tmp_path, "feed.csv", fixed)
    code, out = run(path, *SELECT, "--baseline", baseline, "--format", "json", "--exit-zero")
    new = {(d["product_id"], d["code"]) for d in json.loads(out)["diagnostics"]}
    assert new == {("P3", "AE107")}  # ... and the double space typed into it is new
    code, out = summary(path, baseline)
    assert "2 fixed since the baseline" in out and "4 already in the baseline" in out


def test_a_new_problem_is_reported_even_beside_old_ones(tmp_path):
    baseline = tmp_path / "baseline.json"
    run(write(tmp_path, "feed.csv", ROWS), *SELECT, "--write-baseline", baseline)
    rows = [*ROWS, "P6,Cotton Socks Men Socks,SCK-1,4\n", "P2,,SCF-2 ,5\n"]  # new product; new SKU of P2
    code, out = run(write(tmp_path, "feed.csv", rows), *SELECT, "--baseline", baseline)
    assert code == 1
    lines = [line for line in out.splitlines() if " AE" in line]
    assert len(lines) == 2
    assert ":7:2: AE102" in lines[0] and ":8:3: AE508" in lines[1]  # rows 7 and 8, columns Title and SKU Code
    assert "0 fixed since the baseline" in out


def test_same_problem_on_a_product_without_id_is_told_apart_by_content(tmp_path):
    header = "Title,Price\n"
    path = tmp_path / "noid.csv"
    path.write_text(header + "Summer Dress Women Floral Dress,9\n", encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    run(path, *SELECT, "--write-baseline", baseline)
    path.write_text(header + "Summer Dress Women Floral Dress,9\nWool Scarf Men Scarf,5\n", encoding="utf-8")
    code, out = run(path, *SELECT, "--baseline", baseline)
    assert code == 1 and ":2:1:" not in out and ":3:1: AE102" in out


def test_a_broken_baseline_file_exits_2_naming_it(tmp_path):
    catalog = write(tmp_path, "feed.csv", ROWS)
    broken = tmp_path / "baseline.json"
    broken.write_text("{not json", encoding="utf-8")
    result = CliRunner().invoke(main, [str(catalog), *SELECT, "--baseline", str(broken)])
    assert result.exit_code == 2 and str(broken) in result.output and "Traceback" not in result.output
    result = CliRunner().invoke(main, [str(catalog), *SELECT, "--write-baseline", str(catalog)])
    assert result.exit_code == 2 and "one of the input catalogs" in result.output
    assert catalog.read_text(encoding="utf-8") == HEADER + "".join(ROWS)
