"""The command line: exit codes, unreadable input, options, settings files, suppressions."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from aelint.cli import main
from conftest import shared_file

HEADER = "Product ID,Title,Category,Price,Stock,Weight,Package Length,Package Width,Package Height,Shipping Template\n"
CLEAN_ROW = "P1,Ceramic Coffee Mug 350ml,Kitchen,12.5,10,0.4,10,10,12,Standard\n"
LONG_TITLE = ("Ceramic Coffee Mug " * 8).strip()


def run(*args, cwd=None):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.output


def catalog(tmp_path, *rows, name="catalog.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def test_clean_catalog_exits_0_and_problems_exit_1(tmp_path):
    clean = catalog(tmp_path, CLEAN_ROW)
    code, out = run(clean, "--select", "AE101,AE102,AE602")
    assert code == 0 and "All checks passed" in out
    bad = catalog(tmp_path, CLEAN_ROW.replace("Ceramic Coffee Mug 350ml", LONG_TITLE), name="bad.csv")
    code, out = run(bad, "--select", "AE101")
    assert code == 1
    assert f"{bad}:2:Title: AE101 [error] title is {len(LONG_TITLE)} characters" in out


def test_fail_on_and_exit_zero(tmp_path):
    path = catalog(tmp_path, CLEAN_ROW, "P2,Ceramic Mug Ceramic,Kitchen,3,3,0.4,10,10,12,Standard\n")
    (tmp_path / "aelint.toml").write_text('[severity]\nAE102 = "warning"\n')
    assert run(path, "--select", "AE102")[0] == 0
    assert run(path, "--select", "AE102", "--fail-on", "warning")[0] == 1
    assert run(path, "--select", "AE102", "--fail-on", "warning", "--exit-zero")[0] == 0


@pytest.mark.parametrize("content, reason", [
    (None, "no such file"),
    (os.urandom(4000), "not a workbook"),
    (b"Title,SKU\nMug,A\n", "text (CSV) file with a workbook name"),
])
def test_unreadable_workbooks_exit_2_with_one_line(tmp_path, content, reason):
    path = tmp_path / "catalog.xlsx"
    if content is not None:
        path.write_bytes(content)
    result = subprocess.run([sys.executable, "-m", "aelint", str(path)], capture_output=True, text=True)
    assert result.returncode == 2
    assert reason in result.stderr and str(path) in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) == 1


def test_encrypted_workbook_exits_2(tmp_path):
    msoffcrypto = pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = tmp_path / "plain.xlsx"
    workbook = Workbook()
    workbook.active.append(["Title", "SKU"])
    workbook.save(plain)
    encrypted = tmp_path / "secret.xlsx"
    with plain.open("rb") as source, encrypted.open("wb") as target:
        OOXMLFile(source).encrypt("pa55", target)
    assert msoffcrypto.OfficeFile(encrypted.open("rb")).is_encrypted()
    code, _ = run(encrypted)
    result = subprocess.run([sys.executable, "-m", "aelint", str(encrypted)], capture_output=True, text=True)
    assert code == result.returncode == 2
    assert "password-protected" in result.stderr and "Traceback" not in result.stderr


def test_csv_without_header_exits_2(tmp_path):
    path = tmp_path / "feed.csv"
    path.write_text("Name of thing,Cost\nMug,3\n")
    result = subprocess.run([sys.executable, "-m", "aelint", str(path)], capture_output=True, text=True)
    assert result.returncode == 2 and "no recognisable header" in result.stderr
    assert "'Name of thing'" in result.stderr and result.stdout == ""


def test_bad_settings_exit_2_naming_key_and_file(tmp_path):
    path = catalog(tmp_path, CLEAN_ROW)
    settings = tmp_path / "aelint.toml"
    for text, expected in [
        ("colour = 'red'\n", "colour: unknown key"),
        ("select = ['AE999']\n", "unknown rule code 'AE999'"),
        ("[thresholds]\ntitle_max_length = 'long'\n", "title_max_length"),
        ("[thresholds]\nnot_a_threshold = 3\n", "thresholds.not_a_threshold: unknown threshold"),
        ("[severity]\nAE101 = 'fatal'\n", "severity.AE101"),
        ("[columns]\n'Nom' = 'nom'\n", "unknown field 'nom'"),
        ("language = [\n", "not valid TOML"),
        ("language = 'english'\n", "language: unknown language 'english'"),
        ("markets = ['France']\n", "markets: unknown market 'FRANCE'"),
    ]:
        settings.write_text(text)
        code, out = run(path)
        assert code == 2, text
        assert expected in out and str(settings) in out, (text, out)


def test_pyproject_settings_are_found_upwards(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.aelint]\n[tool.aelint.thresholds]\ntitle_max_length = 20\n")
    folder = tmp_path / "catalogs" / "2026"
    folder.mkdir(parents=True)
    path = catalog(folder, CLEAN_ROW)
    code, out = run(path, "--select", "AE101")
    assert code == 1 and "AliExpress allows 20" in out


def test_select_ignore_prefixes(tmp_path):
    path = catalog(tmp_path, "P1,Mug Mug " + "x" * 130 + ",,,,,,,,\n")
    codes = lambda *args: {d["code"] for d in json.loads(run(path, "--format", "json", *args)[1])["diagnostics"]}
    assert codes("--select", "AE1") == {"AE101", "AE102"}
    assert codes("--select", "AE1", "--ignore", "AE102") == {"AE101"}
    assert codes("--select", "AE101", "--extend-select", "AE602") == {"AE101", "AE602"}
    assert codes("--select", "AE", "--ignore", "AE1", "--extend-select", "AE101") >= {"AE101"}


def test_suppression_column(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("Title,SKU,aelint_ignore\nMug Mug,A,aelint: ignore[AE102]\nBowl Bowl,B,\n"
                    "Cup,C,aelint: ignore[AE102]\n")
    data = json.loads(run(path, "--select", "AE102,AE608", "--format", "json")[1])
    assert [(d["code"], d["row"]) for d in data["diagnostics"]] == [("AE102", 3), ("AE608", 4)]


def test_folders_statistics_quiet_and_output_file(tmp_path):
    (tmp_path / "a").mkdir()
    catalog(tmp_path / "a", CLEAN_ROW.replace("Ceramic Coffee Mug 350ml", LONG_TITLE), name="one.csv")
    catalog(tmp_path / "a", CLEAN_ROW, name="two.csv")
    (tmp_path / "a" / "~$one.xlsx").write_bytes(b"lock file")
    code, out = run(tmp_path / "a", "--select", "AE101", "--statistics")
    assert code == 1 and "      1  AE101  title-too-long [error]" in out and "in 2 files" in out
    code, out = run(tmp_path / "a", "--select", "AE101", "--quiet")
    assert out.count("\n") == 1 and "Found" not in out
    report = tmp_path / "report.json"
    code, out = run(tmp_path / "a", "--select", "AE101", "--format", "json", "--output", report)
    assert out == "" and json.loads(report.read_text())["summary"]["files"] == 2


def test_rules_and_rule_commands():
    code, out = run("rules")
    assert code == 0 and "AE101  title-too-long" in out
    code, out = run("rule", "AE101")
    assert code == 0 and "What it does:" in out and "Why is this bad:" in out and "Example:" in out
    assert run("rule", "title-too-long")[1] == out
    assert run("rule", "AE999")[0] == 2


def test_version_and_usage():
    assert run("--version")[1].startswith("aelint, version")
    assert run("--select", "AE101")[0] == 2  # no path given


def test_input_files_are_never_changed(tmp_path):
    path = catalog(tmp_path, CLEAN_ROW.replace("Ceramic Coffee Mug 350ml", "Mug Mug"))
    before = path.read_bytes(), path.stat().st_mtime_ns
    run(path, "--format", "sarif")
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_wish_title_orig_too_long_titles_are_exactly_reported():
    import csv

    path = shared_file("wish_summer_clothes/summer-products-with-rating-and-performance_2020-08.csv")
    with path.open(newline="", encoding="utf-8") as handle:
        first_title: dict[str, str] = {}
        for record in csv.DictReader(handle):
            first_title.setdefault(record["product_id"], record["title_orig"])
    expected = {pid for pid, title in first_title.items() if len(title) > 128}
    data = json.loads(run(path, "--select", "AE101", "--format", "json")[1])
    reported = {d["product_id"] for d in data["diagnostics"]}
    assert reported == expected and len(expected) > 200


def test_a_folder_without_catalogs_warns(tmp_path):
    (tmp_path / "notes.txt").write_text("nothing to lint")
    result = CliRunner().invoke(main, [str(tmp_path)])
    assert result.exit_code == 0 and "no catalog files found" in result.output
