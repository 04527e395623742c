"""A large CSV's read runs in a thread while the settings and rules load (aelint.read_ahead): the same report,
errors reported as without it (naming the file, in the run's language), no thread left behind whatever ends
the run, and no thread at all for a small file."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from aelint import catalog_files, config as config_module, engine, i18n
from aelint.config import ConfigError
from aelint.engine import Engine, RunOptions
from aelint.read_ahead import ReadAhead
from conftest import FIXTURES

LAYOUTS = sorted((FIXTURES / "layouts").glob("*/fires.csv"))


def lint(path: Path, **options):
    return Engine(RunOptions(**{"cache": False, "jobs": 1, "images": False, **options})).lint([path])


def read_ahead_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "aelint-read-ahead"]


@pytest.fixture
def every_csv_read_ahead(monkeypatch):
    """Every CSV counts as large (read by polars, and read ahead); the threads open_csv ran in are listed."""
    monkeypatch.setattr(catalog_files, "COLUMNAR_MIN_BYTES", 0)
    ran_in: list[str] = []
    real = catalog_files.open_csv

    def open_csv(*args, **kwargs):
        ran_in.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(catalog_files, "open_csv", open_csv)
    return ran_in


def without_read_ahead(monkeypatch):
    monkeypatch.setattr(ReadAhead, "worth_it", classmethod(lambda cls, path: False))


@pytest.mark.parametrize("path", LAYOUTS, ids=lambda p: p.parent.name)
def test_the_report_is_the_same_read_ahead_or_not(path, monkeypatch, every_csv_read_ahead):
    monkeypatch.chdir(path.parent)
    ahead = lint(path)
    assert every_csv_read_ahead == ["aelint-read-ahead"]
    without_read_ahead(monkeypatch)
    plain = lint(path)
    assert ahead.diagnostics == plain.diagnostics and ahead.diagnostics
    for counted in ("failures", "files", "products", "rows", "readings", "ran_codes", "marketplaces"):
        assert getattr(ahead, counted) == getattr(plain, counted), counted
    assert "polars" in ahead.readings[0]
    assert read_ahead_threads() == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_unreadable_file_is_reported_as_without_read_ahead(tmp_path, monkeypatch, every_csv_read_ahead, lang):
    workbook = tmp_path / "feed.csv"
    workbook.write_bytes(b"PK\x03\x04" + b"\0" * 2000)  # a workbook given a .csv name
    with i18n.using(lang):
        ahead = lint(workbook)
        without_read_ahead(monkeypatch)
        plain = lint(workbook)
    assert every_csv_read_ahead == ["aelint-read-ahead"]
    assert ahead.failures == plain.failures and len(ahead.failures) == 1
    assert ahead.failures[0].path == str(workbook)
    english = "this is a workbook, not a CSV file" in ahead.failures[0].message
    assert english == (lang == "en")  # the thread speaks the run's language
    assert ahead.exit_code == 2 and read_ahead_threads() == []


def test_bad_settings_end_the_run_and_the_read_with_it(tmp_path, every_csv_read_ahead):
    (tmp_path / "feed.csv").write_text("Title,SKU\nCeramic Mug,M-1\n", encoding="utf-8")
    (tmp_path / "aelint.toml").write_text("no_such_key = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="no_such_key"):
        lint(tmp_path / "feed.csv")
    assert every_csv_read_ahead == ["aelint-read-ahead"]  # the read had started
    assert read_ahead_threads() == []


def test_an_interrupt_while_the_settings_load_waits_for_the_read(tmp_path, monkeypatch, every_csv_read_ahead):
    (tmp_path / "feed.csv").write_text("Title,SKU\nCeramic Mug,M-1\n", encoding="utf-8")
    started, finish = threading.Event(), threading.Event()
    slow = catalog_files.open_csv

    def open_csv(*args, **kwargs):  # still reading when the interrupt comes
        started.set()
        finish.wait(10)
        return slow(*args, **kwargs)

    def config_for(self, path):
        started.wait(10)
        threading.Timer(0.2, finish.set).start()
        raise KeyboardInterrupt

    monkeypatch.setattr(catalog_files, "open_csv", open_csv)
    monkeypatch.setattr(Engine, "config_for", config_for)
    with pytest.raises(KeyboardInterrupt):
        lint(tmp_path / "feed.csv")
    assert finish.is_set()  # lint() returned only once the read had ended
    assert read_ahead_threads() == []


def test_no_thread_for_a_small_file_a_workbook_or_a_kept_catalog(tmp_path, monkeypatch):
    started: list[Path] = []
    monkeypatch.setattr(engine, "ReadAhead", type("Spy", (ReadAhead,), {
        "__init__": lambda self, path, display: (started.append(path), ReadAhead.__init__(self, path, display))[1]}))
    small = tmp_path / "feed.csv"
    small.write_text("Title,SKU\nCeramic Mug,M-1\n", encoding="utf-8")
    lint(small)
    assert started == []
    monkeypatch.setattr(catalog_files, "COLUMNAR_MIN_BYTES", 0)
    assert lint(FIXTURES / "invalid_price" / "fires_numbers.xlsx").diagnostics
    lint(small, keep_catalogs=True)
    lint(small, sheet="Products")
    assert started == []
    lint(small)
    assert started == [small]
