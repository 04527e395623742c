"""The command line: exit codes, unreadable input, options, settings files, suppressions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from aelint.cli import main
from conftest import shared_file

HEADER = "Product ID,Title,Category,Price,Stock,Weight,Package Length,Package Width,Package Height,Shipping Template\n"
CLEAN_ROW = "P1,Ceramic Coffee Mug 350ml,Kitchen,12.5,10,0.4,10,10,12,Standard\n"
LONG_TITLE = ("Ceramic Coffee Mug " * 8).strip()


@pytest.fixture(autouse=True)
def image_cache_outside_the_repo(tmp_path_factory, monkeypatch):
    """The runs here have no settings file, so their image cache would go to the current folder: the repo."""
    monkeypatch.setenv("AELINT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


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
    expected = f'{bad}:2:2: AE101 [error] title is {len(LONG_TITLE)} characters; AliExpress allows 128 (column "Title")'
    assert expected in out


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


@pytest.mark.parametrize("option, value, expected", [
    ("--select", "AE1O1", "unknown rule code 'AE1O1'; did you mean 'AE101' (title-too-long)?"),
    ("--select", "title-too-long", "did you mean 'AE101' (title-too-long)?"),
    ("--ignore", "XX1", "unknown rule code 'XX1'"),
    ("--extend-select", "AE9", "unknown rule code 'AE9'"),
    ("--select", "", "give at least one rule code or prefix"),
    ("--select", " , ", "give at least one rule code or prefix"),
])
def test_unknown_or_empty_codes_on_the_command_line_exit_2(tmp_path, option, value, expected):
    path = catalog(tmp_path, CLEAN_ROW.replace("Ceramic Coffee Mug 350ml", LONG_TITLE))
    result = subprocess.run([sys.executable, "-m", "aelint", str(path), option, value], capture_output=True, text=True)
    assert result.returncode == 2 and expected in result.stderr, result.stderr
    assert "All checks passed" not in result.stdout and "Traceback" not in result.stderr


def test_unknown_codes_in_settings_suggest_the_right_one(tmp_path):
    path = catalog(tmp_path, CLEAN_ROW)
    (tmp_path / "aelint.toml").write_text("ignore = ['AE1O1']\n")
    code, out = run(path)
    assert code == 2 and "ignore: unknown rule code 'AE1O1'; did you mean 'AE101' (title-too-long)?" in out


def test_each_file_is_judged_by_its_own_fail_on_whatever_the_order(tmp_path):
    strict, lenient = tmp_path / "A", tmp_path / "B"
    strict.mkdir(), lenient.mkdir()
    (strict / "aelint.toml").write_text('fail_on = "warning"\nselect = ["AE104"]\n')
    (lenient / "aelint.toml").write_text('select = ["AE104"]\n')
    short = CLEAN_ROW.replace("Ceramic Coffee Mug 350ml", "Mug")  # AE104 title-too-short: a warning
    catalog(strict, CLEAN_ROW)
    catalog(lenient, short)
    assert run(strict, lenient)[0] == run(lenient, strict)[0] == 0  # the warning is in the lenient folder
    catalog(strict, short, name="short.csv")
    assert run(strict, lenient)[0] == run(lenient, strict)[0] == 1  # now the strict folder has one too
    code, out = run(lenient, strict, "--format", "junit")
    assert code == 1 and 'failures="1"' in out.splitlines()[1]


def test_exit_zero_never_hides_an_unreadable_file(tmp_path):
    good = catalog(tmp_path, CLEAN_ROW.replace("Ceramic Coffee Mug 350ml", LONG_TITLE))
    for fmt in ("text", "json", "sarif", "github", "gitlab", "junit"):
        result = CliRunner().invoke(main, [str(good), str(tmp_path / "missing.csv"), "--exit-zero", "--format", fmt])
        assert result.exit_code == 2, fmt
        assert "missing.csv" in result.output, fmt  # stderr and the report both name it


def test_help_lists_the_lint_options_and_output_format_is_an_alias(tmp_path):
    code, out = run("--help")
    assert code == 0 and "Lint options" in out
    for option in ("--select", "--format, --output-format", "--stdin-filename", "--fail-on", "--exit-zero"):
        assert option in out
    path = catalog(tmp_path, CLEAN_ROW.replace("Ceramic Coffee Mug 350ml", LONG_TITLE))
    assert json.loads(run(path, "--output-format", "json", "--select", "AE101")[1])["diagnostics"][0]["code"] == "AE101"
    assert run(path, "--output-format", "gitlab", "--select", "AE101")[1].startswith("[")


def test_stdin_catalog_takes_its_name_settings_and_type_from_stdin_filename(tmp_path):
    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / "aelint.toml").write_text("[thresholds]\ntitle_max_length = 20\n")
    data = HEADER + CLEAN_ROW
    result = subprocess.run([sys.executable, "-m", "aelint", "-", "--stdin-filename", str(folder / "feed.csv"),
                             "--select", "AE101"], input=data, capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith(f"{folder / 'feed.csv'}:2:2: AE101 [error] title is 24 characters; "
                                    "AliExpress allows 20")
    plain = subprocess.run([sys.executable, "-m", "aelint", "-", "--select", "AE101"], input=data,
                           capture_output=True, text=True, cwd=tmp_path)
    assert plain.returncode == 0 and "All checks passed" in plain.stdout  # no settings: 128 allowed
    workbook = tmp_path / "book.xlsx"
    sheet = Workbook()
    sheet.active.append(["Product ID", "Title", "Price"])
    sheet.active.append(["P1", LONG_TITLE, 3])
    sheet.save(workbook)
    piped = subprocess.run([sys.executable, "-m", "aelint", "-", "--select", "AE101"], input=workbook.read_bytes(),
                           capture_output=True, cwd=tmp_path)
    assert piped.returncode == 1 and piped.stdout.startswith(b"-:2:B: AE101"), piped.stderr


def test_exclude_setting_and_gitignore_when_linting_folders(tmp_path):
    git = pytest.importorskip("shutil").which("git")
    if git is None:
        pytest.skip("git is not installed")
    (tmp_path / "orders").mkdir()
    (tmp_path / "build").mkdir()
    (tmp_path / "orders" / "export.csv").write_text("Order,Amount\n1,3\n")  # not a catalog: exit 2 if linted
    catalog(tmp_path / "build", CLEAN_ROW, name="copy.csv")
    (tmp_path / "build" / "broken.csv").write_text("Order,Amount\n1,3\n")
    catalog(tmp_path, CLEAN_ROW)
    (tmp_path / "aelint.toml").write_text('exclude = ["orders/*.csv"]\nselect = ["AE101"]\n')
    subprocess.run([git, "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / ".gitignore").write_text("build/\n")
    code, out = run(tmp_path)
    assert code == 0 and "in 1 file" in out
    assert run(tmp_path / "orders" / "export.csv")[0] == 2  # named on the command line: linted (ruff's rule)
    assert run(tmp_path / "build")[0] == 2  # an ignored folder asked for by name is linted (ruff's rule)
    code, out = run(tmp_path / "orders" / "export.csv", tmp_path / "catalog.csv", "--force-exclude")
    assert code == 0 and "in 1 file" in out
    (tmp_path / ".gitignore").unlink()
    assert run(tmp_path)[0] == 2  # build/broken.csv is no longer ignored


@pytest.mark.parametrize("relative, patterns, excluded", [
    ("orders/export.csv", ["orders/*.csv"], True),
    ("orders/2026/export.csv", ["orders"], True),  # a name without a slash matches a folder anywhere
    ("feeds/archive/old.csv", ["archive"], True),
    ("feeds/archive.csv", ["archive"], False),
    ("feeds/old.csv", ["feeds/old"], False),
    ("feeds/sub/old.csv", ["feeds/sub"], True),  # a folder with its path
    ("Orders/export.csv", ["orders/*.csv"], False),  # case matters, as in ruff
])
def test_exclude_patterns(relative, patterns, excluded):
    from pathlib import Path

    from aelint.engine import matches_exclude

    assert matches_exclude(Path(relative), patterns) is excluded


# Streamed reports: JSON and SARIF are written as each catalog's diagnostics come ---------------------------

@pytest.mark.parametrize("output_format", ["json", "sarif"])
def test_streamed_report_is_the_report_of_the_whole_run(tmp_path, monkeypatch, output_format):
    from aelint.engine import Engine, RunOptions
    from aelint.reporters import RENDERERS

    monkeypatch.chdir(tmp_path)
    catalog(tmp_path, CLEAN_ROW.replace("Ceramic Coffee Mug 350ml", LONG_TITLE), name="a.csv")
    catalog(tmp_path, "P2,Mug Mug Cup,Kitchen,3,,0.4,10,10,12,Standard\n", name="b.csv")
    (tmp_path / "broken.csv").write_bytes(b"\x00\x01 no header")
    code, out = run("a.csv", "b.csv", "broken.csv", "--format", output_format, "--output", "report", "--no-images")
    assert code == 2
    paths = [Path("a.csv"), Path("b.csv"), Path("broken.csv")]
    whole = Engine(RunOptions(images=False)).lint(paths)
    assert (tmp_path / "report").read_text() == RENDERERS[output_format](whole) and whole.diagnostics and whole.failures
    passed = []
    streamed = Engine(RunOptions(images=False)).lint(paths[:2], passed.extend)
    assert streamed.diagnostics == [] and passed == whole.diagnostics
    assert [streamed.count(s) for s in ("error", "warning", "info")] == [whole.count(s) for s in
                                                                         ("error", "warning", "info")]
    assert streamed.exit_code == 1


def test_a_run_that_fails_midway_leaves_the_previous_report(tmp_path, monkeypatch):
    from aelint.reporters import JsonWriter

    catalog(tmp_path, CLEAN_ROW.replace("Ceramic Coffee Mug 350ml", LONG_TITLE), name="a.csv")
    catalog(tmp_path, CLEAN_ROW.replace("Ceramic Coffee Mug 350ml", LONG_TITLE), name="b.csv")
    target = tmp_path / "out" / "report.json"
    target.parent.mkdir()
    target.write_text("previous")
    written = JsonWriter.write

    def second_fails(self, diagnostics):
        if any(d.path.endswith("b.csv") for d in diagnostics):
            raise RuntimeError("a bug after a.csv was written")
        return written(self, diagnostics)

    monkeypatch.setattr(JsonWriter, "write", second_fails)
    code, out = run(tmp_path / "a.csv", tmp_path / "b.csv", "--format", "json", "--output", target)
    assert code == 2 and "internal error: RuntimeError: a bug after a.csv was written" in out
    assert target.read_text() == "previous" and [p.name for p in target.parent.iterdir()] == ["report.json"]
