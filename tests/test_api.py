"""The library API: aelint.lint(path_or_paths, settings=None, **options) -> Report."""

from __future__ import annotations

import json
import pickle
import shutil
from concurrent.futures import ProcessPoolExecutor

import pytest
from click.testing import CliRunner

import aelint
from aelint.cli import main
from aelint.config import ConfigError
from conftest import ROOT

EXAMPLE = ROOT / "examples" / "catalog.csv"


def keys(report) -> list[tuple]:
    return [(d.path, d.row, d.column, d.code, d.message) for d in report.diagnostics]


def test_lint_gives_what_the_command_line_reports(monkeypatch):
    monkeypatch.chdir(ROOT)
    report = aelint.lint("examples/catalog.csv", images=False, cache=False)
    cli = CliRunner().invoke(main, ["examples/catalog.csv", "--no-images", "--no-cache", "--format", "json"])
    shown = json.loads(cli.output)
    assert report.exit_code == cli.exit_code == 1
    assert [(d["row"], d["code"], d["message"]) for d in shown["diagnostics"]] == [
        (d.row, d.code, d.message) for d in report.diagnostics]
    assert report.files == 1 and report.products == 8 and not report.failures


def test_settings_as_a_mapping_a_file_or_found_next_to_the_catalog(tmp_path):
    catalog = tmp_path / "feed.csv"
    shutil.copy(EXAMPLE, catalog)
    everything = aelint.lint(catalog, images=False)
    only_titles = aelint.lint(catalog, {"select": ["AE1"]}, images=False)
    assert {d.code[:3] for d in only_titles.diagnostics} == {"AE1"}
    assert keys(only_titles) == [k for k in keys(everything) if k[3].startswith("AE1")]
    settings = tmp_path / "strict.toml"
    settings.write_text('select = ["AE1"]\n[severity]\nAE101 = "info"\n')
    assert [d.code for d in aelint.lint(catalog, settings, images=False).diagnostics] == [
        d.code for d in only_titles.diagnostics]
    # Nothing is remembered between calls: a settings file written now is found by the next call.
    (tmp_path / "aelint.toml").write_text('select = ["AE1"]\n')
    assert keys(aelint.lint([catalog], images=False)) == keys(only_titles)


def test_options_are_the_command_lines(tmp_path):
    assert {d.code for d in aelint.lint(EXAMPLE, select="AE101,AE102", images=False).diagnostics} <= {"AE101", "AE102"}
    with pytest.raises(ValueError, match="unknown option 'selekt'"):
        aelint.lint(EXAMPLE, selekt=["AE1"])
    with pytest.raises(ConfigError, match="unknown rule code"):
        aelint.lint(EXAMPLE, {"select": ["AE1O1"]})
    missing = aelint.lint(tmp_path / "nope.csv")
    assert missing.exit_code == 2 and missing.failures[0].message == "no such file"


def _lint_one(path: str) -> aelint.Report:
    return aelint.lint(path, images=False, cache=False)


def test_a_process_pool_lints_one_file_per_call(tmp_path):
    files = []
    for name in ("a.csv", "b.csv"):
        shutil.copy(EXAMPLE, tmp_path / name)
        files.append(str(tmp_path / name))
    with ProcessPoolExecutor(max_workers=2) as pool:
        reports = list(pool.map(_lint_one, files))
    assert [keys(r) for r in reports] == [keys(_lint_one(f)) for f in files]
    assert all(r.diagnostics for r in reports)
    assert keys(pickle.loads(pickle.dumps(reports[0]))) == keys(reports[0])


def test_a_table_in_memory_is_linted_as_the_csv_file_it_names(monkeypatch):
    """polars, a list of dicts, pyarrow and pandas tables give the file's own findings, at the file's rows."""
    import csv

    import polars as pl

    monkeypatch.chdir(ROOT)
    from_file = keys(aelint.lint("examples/catalog.csv", images=False, cache=False))
    assert from_file
    frame = pl.read_csv(EXAMPLE, infer_schema=False)
    with EXAMPLE.open(newline="", encoding="utf-8") as handle:
        records = list(csv.DictReader(handle))
    tables = [frame, records]
    for module, convert in (("pyarrow", lambda f: f.to_arrow()), ("pandas", lambda f: f.to_pandas())):
        try:
            __import__(module)
        except ImportError:
            continue
        tables.append(convert(frame))
    for table in tables:
        report = aelint.lint(table, name="examples/catalog.csv", images=False, cache=False)
        assert keys(report) == from_file, type(table)
        assert report.files == 1 and report.products == 8 and report.exit_code == 1


def test_a_table_without_a_catalog_header_is_a_failure():
    report = aelint.lint([{"colour": "red", "weight": "3"}], name="batch-7.csv", images=False)
    assert report.exit_code == 2 and report.failures[0].path == "batch-7.csv" and not report.diagnostics
